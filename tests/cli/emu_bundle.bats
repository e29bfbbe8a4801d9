#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# dump --bundle under tsm-emu (docs/cli-contract.md §4.4): the files of the
# tar.gz, each valid against its schema, and nonce redaction: the SPDM
# measurement nonce is zeroed in the decoded evidence, inside the raw
# object hex and in the trace's received evidence messages, unless
# --no-redact. The trace file itself is never rewritten. FILE is checked
# and created before anything is sent (a bad one is a usage error, exit
# 2, with no ioctl and no netlink); the trace is bundled whole (its newest
# 256 MiB of whole lines when bigger), lines that are not JSON are left
# out when redacting, and version.json is what tsmctl -j --version prints.

load helpers
load emu_helpers

setup() {
	emu_setup
	SCN="$BATS_TEST_DIRNAME/scenarios/emu_dump.json"
	B="$BATS_TEST_TMPDIR/b"
	mkdir -p "$B"
	# the measurement fixture's nonce: 32 bytes of 0xcc
	NONCE=$(printf 'cc%.0s' $(seq 32))
}

# bundle [dump options...]: dump of 0000:01:00.0's measurements with a
# trace, bundled into $B/b.tgz and unpacked into $B/tsmctl-bundle
bundle() {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/t.jsonl" -j -v \
		dump --bdf 0000:01:00.0 --evidence measurements --bundle "$B/b.tgz" "$@"
	assert_success
	tar -C "$B" -xzf "$B/b.tgz"
}

@test "bundle: dump.json, version.json, trace.jsonl, kmsg.txt, README.txt, each valid" {
	bundle
	local doc=$output
	run tar -tzf "$B/b.tgz"
	assert_output $'tsmctl-bundle/dump.json\ntsmctl-bundle/evidence/0000:01:00.0/measurements.bin\ntsmctl-bundle/version.json\ntsmctl-bundle/trace.jsonl\ntsmctl-bundle/kmsg.txt\ntsmctl-bundle/README.txt'
	validate_file "$B/tsmctl-bundle/dump.json"
	validate_trace "$B/tsmctl-bundle/trace.jsonl"
	assert_equal "$(jq -r .command "$B/tsmctl-bundle/dump.json")" dump
	# version.json is the document "tsmctl -j --version" prints, byte
	# for byte, with the ABI of the dump
	validate_file "$B/tsmctl-bundle/version.json"
	# what auto resolves to differs between the emulated kernel and here
	cmp <(jq -c 'del(.result.auto, .abi_source)' "$B/tsmctl-bundle/version.json") \
		<("$TSMCTL" -A v6 -j --version | jq -c 'del(.result.auto, .abi_source)')
	assert_equal "$(jq -r '.result.auto | [.profile, .source] | join(" ")' "$B/tsmctl-bundle/version.json")" "v6 btf"
	# the dump's ABI and where it came from (no --abi was given: not
	# "option")
	assert_equal "$(jq -c '[.abi, .abi_source]' "$B/tsmctl-bundle/version.json")" '["v6","btf"]'
	assert_equal "$(jq -c '[.abi, .abi_source]' "$B/tsmctl-bundle/dump.json")" '["v6","btf"]'
	# the trace in the bundle holds this dump's own records, line for line
	# (but its end record, written at exit after the bundle)
	assert_equal "$(wc -l <"$B/tsmctl-bundle/trace.jsonl")" "$(grep -vc '"call":"end"' "$B/t.jsonl")"
	assert_equal "$(jq -s '[.[] | select(.call == "netlink")] | length' "$B/tsmctl-bundle/trace.jsonl")" \
		"$(jq -s '[.[] | select(.call == "netlink")] | length' "$B/t.jsonl")"
	grep -q 'no-redact' "$B/tsmctl-bundle/README.txt"
	# the document on stdout is the bundled one, apart from the nonce (and
	# the hash of the redacted bytes, marked)
	assert_equal "$(printf '%s' "$doc" | jq -S 'del(.result.bundle) | del(.. | .nonce_hex?, .hex?, .sha256?)')" \
		"$(jq -S 'del(.. | .nonce_hex?, .hex?, .sha256?, .redacted?)' "$B/tsmctl-bundle/dump.json")"
}

@test "bundle README.txt: the command lines and exit statuses of the trace's runs, and calls of unknown outcome" {
	# a failing run (ENOENT, exit 1), then a run killed during its call
	# (as SIGKILL leaves it: the intent record, no result, no end)
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" -A v6 --fd 7 --trace "$B/t.jsonl" bind --vdevice 42
	assert_failure 1
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" -A v6 --fd 7 --trace "$B/k.jsonl" bind --vdevice 3
	assert_success
	head -n -2 "$B/k.jsonl" >>"$B/t.jsonl"
	assert_equal "$(jq -r 'select(.call == "start") | .argv | join(" ")' "$B/t.jsonl" | head -1)" \
		"tsmctl -A v6 --fd 7 --trace $B/t.jsonl bind --vdevice 42"
	assert_equal "$(jq -r 'select(.call == "end") | "\(.exit_status) \(.abi_source // "")"' "$B/t.jsonl")" "1 "
	assert_equal "$(jq -r 'select(.call == "start") | .abi_source' "$B/t.jsonl" | xargs)" "option option"
	validate_trace "$B/t.jsonl" || fail "trace not valid"
	bundle
	local r="$B/tsmctl-bundle/README.txt" pid
	pid=$(jq -r 'select(.call == "end") | .pid' "$B/t.jsonl" | head -1)
	grep -qF "  pid $pid: tsmctl -A v6 --fd 7 --trace $B/t.jsonl bind --vdevice 42" "$r" || fail "$(cat "$r")"
	grep -qF "  pid $pid: exit status 1" "$r" || fail "$(cat "$r")"
	grep -qE "OUTCOME UNKNOWN: pid [0-9]+, seq 3: an intent record without its result" "$r" || fail "$(cat "$r")"
	grep -q "1 call(s) with an intent record and no result" "$r" || fail "$(cat "$r")"
	grep -qE "no end record \(killed or crashed" "$r" || fail "$(cat "$r")"
	grep -qE "no end record \(this dump, still running\)" "$r" || fail "$(cat "$r")"
}

@test "bundle: the --nonce value on a command line of the trace is zeroed (argv of the start record)" {
	local n
	n=$(printf 'ab%.0s' $(seq 16))
	# an earlier run given a nonce (refused by the device: still traced)
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/t.jsonl" \
		dump --bdf 0000:01:00.0 --evidence measurements --nonce="$n"
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/t.jsonl" \
		dump --bdf 0000:01:00.0 --evidence measurements --nonce "$n"
	[ "$(grep -c "$n" "$B/t.jsonl")" -ge 2 ] || fail "the nonce is not in the trace's argv"
	bundle
	run grep -c "$n" "$B/tsmctl-bundle/trace.jsonl"
	assert_output 0
	assert_equal "$(jq -r 'select(.call == "start") | .argv[-1]' "$B/tsmctl-bundle/trace.jsonl" | head -2 | xargs)" \
		"--nonce=$(printf '0%.0s' $(seq 32)) $(printf '0%.0s' $(seq 32))"
	validate_trace "$B/tsmctl-bundle/trace.jsonl" || fail "bundle trace not valid"
	# --no-redact keeps it
	bundle --no-redact
	grep -q "$n" "$B/tsmctl-bundle/trace.jsonl"
}

@test "bundle: dump.json marks each redacted object and its sha256 is that of the bytes in evidence/" {
	bundle
	local doc=$output o='.result.sysfs.pci_devices[] | select(.bdf == "0000:01:00.0") | .evidence.objects[] | select(.type_name == "measurements")'
	local f="$B/tsmctl-bundle/evidence/0000:01:00.0/measurements.bin"
	assert_equal "$(jq -r "$o | .redacted" "$B/tsmctl-bundle/dump.json")" true
	assert_equal "$(jq -r "$o | .sha256" "$B/tsmctl-bundle/dump.json")" "$(sha256sum "$f" | cut -d' ' -f1)"
	# the document on stdout: the bytes as read, not marked
	assert_equal "$(printf '%s' "$doc" | jq -r "$o | has(\"redacted\")")" false
	[ "$(printf '%s' "$doc" | jq -r "$o | .sha256")" != "$(sha256sum "$f" | cut -d' ' -f1)" ] ||
		fail "stdout's sha256 is of the redacted bytes"
	# --no-redact: the bytes as read, not marked
	bundle --no-redact
	assert_equal "$(jq -r "$o | has(\"redacted\")" "$B/tsmctl-bundle/dump.json")" false
	assert_equal "$(jq -r "$o | .sha256" "$B/tsmctl-bundle/dump.json")" "$(sha256sum "$f" | cut -d' ' -f1)"
}

@test "bundle: a regen-object's nonce is zeroed in the trace's request records and its command line" {
	local n z
	n=$(printf 'ab%.0s' $(seq 32))
	z=$(printf '0%.0s' $(seq 64))
	emu_run v7 -- "$TSMCTL" -A v7 --fd 7 --trace "$B/t.jsonl" req --vdevice 3 --arch cca \
		--op regen-object --field object_type=measurement --field flags=1 --field nonce=$n
	assert_success
	[ "$(grep -c "$n" "$B/t.jsonl")" -ge 3 ] || fail "the nonce is not in the trace"
	bundle
	local t="$B/tsmctl-bundle/trace.jsonl"
	run grep -c "$n" "$t"
	assert_output 0
	assert_equal "$(jq -r 'select(.request.nonce_hex) | .request.nonce_hex' "$t" | sort -u)" "$z"
	assert_equal "$(jq -r 'select(.call == "start") | .argv[-1]' "$t" | head -1)" "nonce=$z"
	# the rest of the request as it was
	assert_equal "$(jq -r 'select(.request.nonce_hex) | .request.payload_hex' "$t" | sort -u)" \
		"$(jq -r 'select(.request.nonce_hex) | .request.payload_hex' "$B/t.jsonl" | sort -u)"
	validate_trace "$t" || fail "bundle trace not valid"
}

@test "batch: each trace record of a line carries batch_line" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' '' '{"command":"unbind","vdevice_id":3}' >"$B/in"
	emu_stdin "$B/in"
	emu_tsmctl v6 --trace "$B/t.jsonl" batch
	assert_success
	assert_equal "$(jq -r 'select(.call == "ioctl") | .batch_line' "$B/t.jsonl" | xargs)" "1 1 3 3"
	assert_equal "$(jq -r 'select(.call == "start" or .call == "end") | .batch_line // "none"' "$B/t.jsonl" | xargs)" "none none"
	validate_trace "$B/t.jsonl" || fail "trace not valid"
}

@test "bundle: nonces zeroed in decoded evidence, raw hex and trace messages" {
	bundle
	local doc=$output
	# stdout and the trace file keep the nonce: only the bundle is redacted
	assert_equal "$(printf '%s' "$output" | jq -r '.result.sysfs.pci_devices[0].evidence.objects[0].decoded.nonce_hex')" "$NONCE"
	grep -q "$NONCE" "$B/t.jsonl"
	local d="$B/tsmctl-bundle/dump.json" obj off
	obj='.result.sysfs.pci_devices[0].evidence.objects[0]'
	assert_equal "$(jq -r "$obj.type_name" "$d")" measurements
	assert_equal "$(jq -r "$obj.decoded.nonce_hex" "$d")" "$(printf '0%.0s' $(seq 64))"
	off=$(jq -r "$obj.decoded.nonce_offset" "$d")
	assert_equal "$(jq -r "$obj.hex[$((2 * off)):$((2 * off + 64))]" "$d")" "$(printf '0%.0s' $(seq 64))"
	# the bytes around the nonce are untouched
	assert_equal "$(jq -r "$obj.hex[0:$((2 * off))]" "$d")" \
		"$(printf '%s' "$output" | jq -r "$obj.hex[0:$((2 * off))]")"
	run grep -l "$NONCE" "$B/tsmctl-bundle/dump.json" "$B/tsmctl-bundle/trace.jsonl"
	assert_failure 1
	refute_output
	# received evidence messages are zeroed and marked; family resolution,
	# acknowledgements and what tsmctl sent stay as recorded
	local t="$B/tsmctl-bundle/trace.jsonl"
	assert_equal "$(jq -s '[.[] | select(.netlink.redacted)] | length > 0' "$t")" true
	assert_equal "$(jq -r 'select(.netlink.redacted) | .netlink.hex[40:] | test("^0+$")' "$t" | sort -u)" true
	# headers kept: each redacted message is still one of its length and kind
	assert_equal "$(jq -c 'select(.netlink.redacted) | [.seq, .netlink.hex[0:40]]' "$t")" \
		"$(jq -c 'select(.netlink.dir == "recv" and .netlink.genl_cmd != null and .netlink.nlmsg_type != 16) | [.seq, .netlink.hex[0:40]]' "$B/t.jsonl")"
	assert_equal "$(jq -r 'select(.netlink.redacted) | "\(.netlink.dir) \(.netlink.nlmsg_type != 16)"' "$t" | sort -u)" "recv true"
	assert_equal "$(jq -s '[.[] | select(.call == "netlink" and (.netlink.redacted | not))]' "$t")" \
		"$(jq -s '[.[] | select(.call == "netlink" and (.netlink.dir == "send" or .netlink.nlmsg_type == 16 or .netlink.genl_cmd == null))]' "$B/t.jsonl")"
	# evidence/: the object as read, its nonce zeroed; --decode reads it
	local raw="$B/tsmctl-bundle/evidence/0000:01:00.0/measurements.bin" hex
	hex=$(printf '%s' "$doc" | jq -r "$obj.hex")
	assert_equal "$(xxd -p "$raw" | tr -d '\n')" \
		"${hex:0:$((2 * off))}$(printf '0%.0s' $(seq 64))${hex:$((2 * off + 64))}"
	run "$TSMCTL" -j dump --decode "measurements=$raw"
	assert_success
	assert_equal "$(printf '%s' "$output" | jq -r '.result.evidence.objects[0].decoded | [.valid, .nonce_offset] | @csv')" "true,$off"
	gzip -t "$B/b.tgz"
}

@test "bundle --no-redact keeps the nonces everywhere" {
	bundle --no-redact
	grep -q "$NONCE" "$B/tsmctl-bundle/dump.json"
	grep -q "$NONCE" "$B/tsmctl-bundle/trace.jsonl"
	assert_equal "$(jq -s '[.[] | select(.netlink.redacted)] | length' "$B/tsmctl-bundle/trace.jsonl")" 0
	# the trace as it was when bundled: before this dump's end record
	cmp <(head -n -1 "$B/t.jsonl" | jq -c .) <(jq -c . "$B/tsmctl-bundle/trace.jsonl")
	grep -q "$NONCE" <(xxd -p "$B/tsmctl-bundle/evidence/0000:01:00.0/measurements.bin" | tr -d '\n')
}

@test "bundle without --trace has no trace.jsonl" {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 dump --evidence none --bundle "$B/b.tgz"
	assert_success
	run tar -tzf "$B/b.tgz"
	refute_output --partial trace.jsonl
	assert_output --partial tsmctl-bundle/dump.json
}

# no_kernel_calls: the emulator ran and saw neither an ioctl nor netlink
no_kernel_calls() {
	assert_no_ioctl
	assert_equal "$(log_count netlink)" 0
	assert_equal "$(log_count socket)" 0
}

@test "bundle that cannot be created: exit 2 before anything is sent, the message names --bundle" {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 -j dump \
		--bundle "$BATS_TEST_TMPDIR/no/such/dir/b.tgz"
	assert_failure 2
	no_kernel_calls
	assert_equal "$(printf '%s' "$output" | jq -r .error.field)" --bundle
	assert_equal "$(printf '%s' "$output" | jq -r .error.stage)" usage
	assert_regex "$(printf '%s' "$output" | jq -r .error.message)" "no/such/dir/b.tgz': cannot create: No such file or directory"
	assert_equal "$(printf '%s' "$output" | jq -c .result)" null
	assert_equal "$stderr" ""
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 dump \
		--bundle "$BATS_TEST_TMPDIR/no/such/dir/b.tgz"
	assert_failure 2
	no_kernel_calls
	assert_regex "$stderr" "tsmctl: dump: --bundle '.*no/such/dir/b.tgz': cannot create"
	assert_output ""
	# a directory is no better
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 -j dump --bundle "$B"
	assert_failure 2
	no_kernel_calls
	assert_regex "$(printf '%s' "$output" | jq -r .error.message)" "cannot create: Is a directory"
}

@test "bundle with an empty path: usage error, nothing sent" {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 -j dump --bundle ""
	assert_failure 2
	no_kernel_calls
	assert_equal "$(printf '%s' "$output" | jq -r .error.field)" --bundle
	assert_equal "$(printf '%s' "$output" | jq -r .error.message)" "--bundle: empty path"
	validate_json
}

@test "bundle onto the --trace file: usage error naming both, the trace kept" {
	printf '%s\n' '{"seq":1,"call":"start","reporter":"keep me"}' >"$B/t.jsonl"
	cp "$B/t.jsonl" "$B/t.orig"
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/t.jsonl" -j -v \
		dump --bundle "$B/t.jsonl"
	assert_failure 2
	no_kernel_calls
	assert_equal "$(printf '%s' "$output" | jq -r .error.field)" --bundle
	assert_regex "$(printf '%s' "$output" | jq -r .error.message)" \
		"--bundle '$B/t.jsonl' is the --trace file '$B/t.jsonl'"
	cmp "$B/t.jsonl" "$B/t.orig"
	# another name for the same file: a symlink, a hard link, TSMCTL_TRACE
	ln -s t.jsonl "$B/link.tgz"
	ln "$B/t.jsonl" "$B/hard.tgz"
	for f in "$B/link.tgz" "$B/hard.tgz" "$B/./t.jsonl"; do
		emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/t.jsonl" \
			dump --bundle "$f"
		assert_failure 2
		no_kernel_calls
		assert_regex "$stderr" "is the --trace file"
		cmp "$B/t.jsonl" "$B/t.orig"
	done
	TSMCTL_TRACE="$B/t.jsonl" emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 \
		dump --bundle "$B/t.jsonl"
	assert_failure 2
	assert_regex "$stderr" "is the --trace file"
	cmp "$B/t.jsonl" "$B/t.orig"
	# a trace not created yet, named two ways: refused, nothing left behind
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/new.jsonl" \
		dump --bundle "$B/./new.jsonl"
	assert_failure 2
	no_kernel_calls
	assert_regex "$stderr" "is the --trace file"
	[ ! -e "$B/new.jsonl" ]
}

@test "bundle over an older one: replaced whole" {
	head -c 3000000 /dev/urandom >"$B/b.tgz"
	bundle
	gzip -t "$B/b.tgz"
	[ "$(stat -c %s "$B/b.tgz")" -lt 3000000 ]
}

@test "bundle keeps the newest trace records of a trace over 8 MiB" {
	# 9 MiB of older records in front of this dump's own
	"$PYTHON3" -c 'import json,sys
for i in range(9 * 1024):
    print(json.dumps({"seq": i, "call": "old", "pad": "x" * 1000}))' >"$B/t.jsonl"
	bundle
	local t="$B/tsmctl-bundle/trace.jsonl"
	# (all but this dump's end record, written at exit)
	assert_equal "$(wc -l <"$t")" "$(($(wc -l <"$B/t.jsonl") - 1))"
	assert_equal "$(jq -s '[.[] | select(.call == "netlink")] | length' "$t")" \
		"$(jq -s '[.[] | select(.call == "netlink")] | length' "$B/t.jsonl")"
	assert_equal "$(tail -n 1 "$t" | jq -r .seq)" "$(tail -n 2 "$B/t.jsonl" | head -1 | jq -r .seq)"
	run grep -c TRUNCATED "$B/tsmctl-bundle/README.txt"
	assert_output 0
}

@test "bundle of a trace over 256 MiB: its newest whole lines, README says so" {
	# a sparse 300 MiB head of NULs (no newline), then one old record
	truncate -s 300M "$B/t.jsonl"
	printf '\n%s\n' '{"seq":0,"call":"old"}' >>"$B/t.jsonl"
	bundle
	local t="$B/tsmctl-bundle/trace.jsonl"
	# whole lines only: no trace of the NULs, the old record and every
	# record of this dump kept
	run grep -c -P '\x00' "$t"
	assert_output 0
	assert_equal "$(head -n 1 "$t")" '{"seq":0,"call":"old"}'
	assert_equal "$(jq -s '[.[] | select(.call == "netlink")] | length' "$t")" \
		"$(tail -c 1000000 "$B/t.jsonl" | tr -d '\000' | jq -s '[.[] | select(.call == "netlink")] | length')"
	grep -q 'TRUNCATED' "$B/tsmctl-bundle/README.txt"
	# left out: the 300 MiB of NULs and their newline
	grep -q "its oldest $(((300 << 20) + 1))$" "$B/tsmctl-bundle/README.txt"
}

@test "bundle: a trace line that is not JSON is left out when redacting, and counted" {
	# a record cut short (a crash mid-write) holding a received nonce
	printf '{"seq":1,"call":"netlink","netlink":{"dir":"recv","hex":"%s\n' "$NONCE" >"$B/t.jsonl"
	printf '{"seq":2,"call":"netlink","netlink":{"dir":"recv","hex":"%s"}} trailing %s\n' \
		"$NONCE" "$NONCE" >>"$B/t.jsonl"
	bundle
	local t="$B/tsmctl-bundle/trace.jsonl"
	run grep -c "$NONCE" "$t"
	assert_output 0
	assert_equal "$(wc -l <"$t")" "$(($(wc -l <"$B/t.jsonl") - 3))" # and the end record
	validate_trace "$t"
	grep -q '2 line(s) of the trace file that are not JSON objects' "$B/tsmctl-bundle/README.txt"
	# --no-redact copies the trace as it is
	bundle --no-redact
	grep -q "$NONCE" "$t"
	run grep -c 'not JSON objects' "$B/tsmctl-bundle/README.txt"
	assert_output 0
}

@test "bundle: measurements the decoder cannot parse have their whole hex zeroed" {
	# SPDM measurements with a measurement_record_length past the end:
	# invalid, so no nonce_offset, but the nonce bytes are in the hex
	jq '.netlink.devices[0].evidence.measurements |= (.[0:10] + "ff" + .[12:])' \
		"$SCN" >"$B/bad.json"
	SCN="$B/bad.json"
	bundle
	local obj='.result.sysfs.pci_devices[0].evidence.objects[0]' d="$B/tsmctl-bundle/dump.json"
	assert_equal "$(printf '%s' "$output" | jq -r "$obj.decoded.valid")" false
	assert_equal "$(printf '%s' "$output" | jq -r "$obj.decoded.nonce_offset")" null
	printf '%s' "$output" | jq -r "$obj.hex" | grep -q "$NONCE"
	assert_equal "$(jq -r "$obj.hex | test(\"^0+$\")" "$d")" true
	assert_equal "$(jq -r "$obj.hex | length" "$d")" "$(printf '%s' "$output" | jq -r "$obj.hex | length")"
	assert_equal "$(jq -r "$obj.redacted" "$d")" true
	validate_file "$d"
	run grep -l "$NONCE" "$d"
	assert_failure 1
	# the document on stdout is not redacted and has no "redacted"
	bundle --no-redact
	jq -r "$obj.hex" "$d" | grep -q "$NONCE"
	assert_equal "$(jq -r "$obj.redacted" "$d")" null
}

@test "--no-redact without --bundle is a usage error, nothing sent" {
	emu_tsmctl v6 -j dump --no-redact
	LAST_JSON=1
	assert_bad_input --no-redact "applies to --bundle only"
	assert_no_ioctl
}

@test "bundle: README.txt says when kmsg.txt is empty, and only then" {
	bundle
	refute grep -q '^evidence/: none' "$B/tsmctl-bundle/README.txt"
	if [ -s "$B/tsmctl-bundle/kmsg.txt" ]; then
		refute grep -q '^kmsg.txt: empty' "$B/tsmctl-bundle/README.txt"
	else
		grep -q '^kmsg.txt: empty: no kernel message mentions tsm' "$B/tsmctl-bundle/README.txt"
	fi
}

@test "bundle in text mode prints the bundle's path; -v the dump too" {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 dump --bdf 0000:01:00.0 \
		--evidence none --bundle "$B/b.tgz"
	assert_success
	assert_output "bundle: $B/b.tgz"
	assert_equal "$stderr" ""
	tar -tzf "$B/b.tgz" | grep -qx tsmctl-bundle/dump.json
	# no evidence read: README.txt says evidence/ is absent, and why to look
	tar -xzOf "$B/b.tgz" tsmctl-bundle/README.txt | grep -q '^evidence/: none, no evidence object was read' ||
		fail "README.txt does not say evidence/ is empty"
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 -v dump --bdf 0000:01:00.0 \
		--evidence none --bundle "$B/b.tgz"
	assert_success
	assert_line --regexp '^bundle: +'"$B/b.tgz"'$'
	assert_line --regexp '^tool_version: +'
}
