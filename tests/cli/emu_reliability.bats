#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The seven findings of the outside review (issue 11), one test each, under
# tsm-emu so that "nothing was sent" is read from the emulator's call log;
# and the write-ahead trace against SIGKILL at random points of a batch.

load helpers
load emu_helpers

setup() {
	emu_setup
}

# valid_utf8_json: every line of $output is JSON and valid UTF-8
valid_utf8_json() {
	printf '%s\n' "$output" | "$PYTHON3" -c '
import json, sys
for n, line in enumerate(sys.stdin.buffer.read().splitlines(), 1):
    json.loads(line.decode("utf-8", "strict"))
' || fail "stdout is not valid UTF-8 JSON: $output"
}

@test "1: '}' inside single quotes in a batch line: refused, no stack write" {
	printf '%s\n' "{\"command\":\"bind\",'x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}{':1,\"vdevice_id\":3}" \
		>"$BATS_TEST_TMPDIR/in.jsonl"
	emu_stdin "$BATS_TEST_TMPDIR/in.jsonl"
	emu_tsmctl v6 batch
	assert_equal "$status" 2
	validate_json
	assert_regex "$(json_get .error.message)" "single quotes are not JSON"
	assert_no_ioctl
	# the same through req --envelope, a --catalog file and a trace
	emu_tsmctl v6 req --envelope "$BATS_TEST_TMPDIR/in.jsonl"
	assert_bad_input "single quotes"
	printf '%s' "{\"ops\":[{'x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}{':1}]}" \
		>"$BATS_TEST_TMPDIR/cat.json"
	emu_tsmctl v6 batch --catalog "$BATS_TEST_TMPDIR/cat.json"
	assert_bad_input "single quotes"
	emu_tsmctl v6 replay "$BATS_TEST_TMPDIR/in.jsonl"
	assert_bad_input "single quotes"
}

# run CMD under GNU time: $status, $output; $rss_kb and $secs of CMD
_timed() {
	local tf="$BATS_TEST_TMPDIR/time"
	run --separate-stderr /usr/bin/time -o "$tf" -f '%M %e' "$@"
	read -r rss_kb secs < <(tail -1 "$tf")
}

@test "2: batch and replay of /dev/zero: answered at once in bounded memory" {
	local max=65536
	# an ASan build's shadow memory and quarantine are not tsmctl's
	ldd "$TSMCTL" 2>/dev/null | grep -q libasan && max=262144
	_timed timeout 10 "$TSMCTL" -A v6 batch </dev/zero
	assert_equal "$status" 2
	assert_regex "$(json_get .error.message)" "longer than 64 KiB"
	[ "$rss_kb" -le "$max" ] || fail "batch peak RSS ${rss_kb} KB > $max KB"
	awk -v s="$secs" 'BEGIN { exit !(s < 1) }' || fail "batch took ${secs} s"
	_timed timeout 10 "$TSMCTL" -A v6 replay /dev/zero
	assert_equal "$status" 2
	assert_regex "$stderr" "longer than 33 MiB"
	[ "$rss_kb" -le "$max" ] || fail "replay peak RSS ${rss_kb} KB > $max KB"
	awk -v s="$secs" 'BEGIN { exit !(s < 1) }' || fail "replay took ${secs} s"
}

@test "3: invalid UTF-8 in a batch line or a flag: the JSON output stays UTF-8" {
	printf '{"command":"\xc3("}\n{"command":"bind","vdevice_id":"\xc0\xaf"}\n' \
		>"$BATS_TEST_TMPDIR/in.jsonl"
	emu_stdin "$BATS_TEST_TMPDIR/in.jsonl"
	emu_tsmctl v6 batch --keep-going
	assert_equal "$status" 2
	valid_utf8_json
	validate_json
	assert_regex "$output" "invalid UTF-8"
	assert_no_ioctl
	emu_json v6 bind --vdevice $'\xc3('
	assert_equal "$status" 2
	valid_utf8_json
	assert_no_ioctl
	# text mode: the byte shown escaped, not raw
	emu_tsmctl v6 bind --vdevice $'\xc3('
	assert_equal "$status" 2
	assert_stderr_has '\xc3('
}

@test "4: duplicate key in a JSON --abi-file: refused, nothing sent" {
	printf '{"base":"v6","base":"v5"}' >"$BATS_TEST_TMPDIR/p.json"
	emu_run v6 -- "$TSMCTL" --abi-file "$BATS_TEST_TMPDIR/p.json" --fd 7 \
		bind --vdevice 3
	assert_bad_input 'duplicate key "base"'
}

@test "5: catalogue values and defaults must fit their field, in every entry" {
	local c="$BATS_TEST_TMPDIR/cat.json"
	printf '%s' '{"ops":[{"name":"x","arch":"cca","number":9,"req_len":8,"fields":[{"name":"a","offset":0,"size":1,"values":{"a":300}}]}]}' >"$c"
	# the op used is another one: the file is still refused whole
	emu_tsmctl v6 req --catalog "$c" --vdevice 3 --arch cca --op set-tdi-state --field state=lock
	assert_bad_input '"a"' "300" "0..255"
	printf '%s' '{"ops":[{"name":"x","arch":"cca","number":9,"req_len":8,"fields":[{"name":"a","offset":0,"size":2,"default":70000}]}]}' >"$c"
	emu_tsmctl v6 req --catalog "$c" --vdevice 3 --arch cca --op x
	assert_bad_input '"default"' "0..65535"
}

@test "7: dump --btf FILE that is not BTF: exit 2, no probe sent" {
	head -c 100 /dev/urandom >"$BATS_TEST_TMPDIR/bad.btf"
	emu_tsmctl v6 dump --btf "$BATS_TEST_TMPDIR/bad.btf"
	assert_bad_input "--btf" "not usable BTF"
	# a real BTF cut short
	head -c 40 /sys/kernel/btf/vmlinux >"$BATS_TEST_TMPDIR/cut.btf" 2>/dev/null ||
		skip "no /sys/kernel/btf/vmlinux"
	emu_json v6 dump --btf "$BATS_TEST_TMPDIR/cut.btf"
	assert_bad_input "--btf"
}

# Check that every ioctl in the emulator's call log $1 is in the trace $2,
# in order (by struct bytes), and that the trace has at most one more (an
# intent the kill cut before the call was made).
_applied_in_trace() {
	"$PYTHON3" - "$1" "$2" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
applied = [r["struct_hex"] for r in log if r.get("call") == "ioctl"]
seen, traced = set(), []
for line in open(sys.argv[2]):
    try:
        r = json.loads(line)
    except ValueError:
        continue  # a record cut by the kill
    if r.get("call") == "ioctl" and r["seq"] not in seen:
        seen.add(r["seq"])
        traced.append(r["ioctl"]["struct_hex"])
if traced[:len(applied)] != applied or len(traced) > len(applied) + 1:
    sys.exit("applied %d ioctls, the trace has %d: %s"
             % (len(applied), len(traced),
                [i for i, h in enumerate(applied) if i >= len(traced) or traced[i] != h][:3]))
PY
}

@test "6: SIGKILL at random points of a traced batch: every applied ioctl is in the trace" {
	local in="$BATS_TEST_TMPDIR/in.jsonl" i emu pid delay faults
	for i in $(seq 150); do
		echo '{"command":"bind","vdevice_id":3}'
		echo '{"command":"unbind","vdevice_id":3}'
	done >"$in"
	for i in $(seq 12); do
		local t="$BATS_TEST_TMPDIR/t$i.jsonl" l="$BATS_TEST_TMPDIR/l$i.jsonl"
		# half the runs spend 1 ms in each TSM_OP (kills land in the
		# call), half run at full speed (kills land anywhere)
		faults=op:*:delay=1
		delay=$(printf '0.%03d' $((RANDOM % 300)))
		if [ $((i % 2)) = 0 ]; then
			faults=op:999999:EIO
			delay=$(printf '0.%03d' $((RANDOM % 15)))
		fi
		"$TSM_EMU" --scenario "$EMU_SCN/emu_v6.json" --faults "$faults" \
			--log "$l" -- "$TSMCTL" -A v6 --fd 7 --trace "$t" batch \
			--keep-going <"$in" >/dev/null 2>&1 &
		emu=$!
		sleep "$delay"
		# tsmctl is tsm-emu's one child: killed by its pid
		pid=$(cat "/proc/$emu/task/$emu/children" 2>/dev/null || true)
		[ -n "$pid" ] && kill -KILL $pid 2>/dev/null || true
		wait "$emu" || true
		[ -s "$l" ] || continue
		_applied_in_trace "$l" "$t" || fail "kill $i after ${delay}s"
	done
}

@test "6: an intent without its result (a killed run) replays as outcome unknown, said by replay and tsm-emu" {
	local t="$BATS_TEST_TMPDIR/t.jsonl" cut="$BATS_TEST_TMPDIR/cut.jsonl"
	emu_tsmctl v6 --trace "$t" bind --vdevice 3
	assert_success
	assert_equal "$(jq -r 'select(.call == "ioctl") | "\(.seq) \(.phase)"' "$t" | xargs)" \
		"3 intent 3 result"
	validate_trace "$t" || fail "trace not valid"
	head -n -2 "$t" >"$cut"	# as SIGKILL during the call leaves it: no result, no end
	emu_json v6 replay "$cut"
	# nothing differs, but the trace cannot confirm that call: exit 4
	assert_failure 4
	assert_equal "$(json_get '[.ok, .error.stage] | join(" ")')" "false replay"
	assert_regex "$(json_get .error.message)" "^1 call\(s\) of the trace have an intent record and no result"
	assert_equal "$(json_get '.result.unknown_outcome[0] | "\(.seq) \(.line) \(.call)"')" \
		"3 3 IOMMU_VDEVICE_TSM_OP"
	assert_regex "$(json_get .result.unknown_note)" "outcome unknown"
	assert_equal "$(json_get .result.differences_count)" 0
	# text mode: the summary on stdout lists it, the error on stderr
	emu_tsmctl v6 replay "$cut"
	assert_failure 4
	assert_regex "$output" "unknown_note: +outcome unknown"
	assert_regex "$stderr" "recorded outcome is unknown"
	# tsm-emu --replay: no recorded outcome to answer with, and says so
	rm -f "$EMU_LOG"
	run --separate-stderr "$TSM_EMU" --replay "$cut" --log "$EMU_LOG" -- \
		"$TSMCTL" -A v6 -j replay "$cut"
	assert_failure 4
	assert_regex "$stderr" "seq 3 has an intent record and no result: its outcome is unknown"
	assert_equal "$(jq -r 'select(.call == "ioctl") | .outcome_unknown' "$EMU_LOG")" true
}

@test "seq is unique in a trace file that several processes append to at once" {
	local t="$BATS_TEST_TMPDIR/t.jsonl" in="$BATS_TEST_TMPDIR/in.jsonl" i
	for i in 1 2 3 4 5; do
		printf '%s\n' '{"command":"bind","vdevice_id":3}' \
			'{"command":"unbind","vdevice_id":3}'
	done >"$in"
	# four batches at once on one trace, and one more after them
	emu_run v6 -- sh -c 'for i in 1 2 3 4; do
			"$1" -A v6 --fd 7 --trace "$2" batch --keep-going <"$3" >/dev/null &
		done; wait; "$1" -A v6 --fd 7 --trace "$2" batch --keep-going <"$3" >/dev/null' \
		_ "$TSMCTL" "$t" "$in"
	assert_success
	validate_trace "$t"
	assert_equal "$(jq -r .pid "$t" | sort -u | wc -l)" 5
	# one process per seq: an intent and its result share one, nothing else
	run bash -c "jq -r '\"\(.seq) \(.pid)\"' '$t' | sort -u | cut -d' ' -f1 | sort | uniq -d"
	assert_output ""
	assert_equal "$(jq -r 'select(.phase != "result") | .seq' "$t" | sort -n | uniq -d)" ""
	# the last process, started after the others, continues after them
	assert_equal "$(jq -r .seq "$t" | sort -n | tail -1)" "$(jq -r 'select(.phase != "result") | .seq' "$t" | wc -l)"
}
