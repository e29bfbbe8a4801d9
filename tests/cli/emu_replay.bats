#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# End to end: a trace recorded from one scenario, replayed through tsm-emu,
# reproduces every outcome; a modified scenario makes replay report the
# difference and exit non-zero (docs/cli-contract.md §4.5, §7).
#
# For each ABI profile a realistic "batch" session (one iommufd for all
# lines: bind, req, set-run lock/run, unbind, plus failures: ENOENT for an
# unknown vdevice, an illegal transition, a scripted tsm_code, a short
# residue) is recorded with --trace under scenarios/replay-PROFILE.json.
# The trace is then replayed
#   (a) with tsm-emu --replay TRACE answering from the trace itself,
#   (b) against the same scenario, as it was recorded (--fd 7),
#   (c) against a modified scenario: exit 1, the differing seq and field,
#   (d) from a malformed or truncated trace: exit 2, nothing sent.

load helpers
load emu_helpers

setup() {
	emu_setup
	TRACE="$BATS_TEST_TMPDIR/trace.jsonl"
	rm -f "$TRACE"
}

MMIO='"fields":{"gpa_base":"0x80000000","gpa_top":"0x80010000","pa_base":"0x4000000000"}'
MMIO2='"fields":{"gpa_base":"0x90000000","gpa_top":"0x90010000","pa_base":"0x5000000000"}'
IFREPORT='"fields":{"object_type":"interface_report"}'
CERT='"fields":{"object_type":"certificate"}'
# interface_report of scenarios/replay-*.json (one MMIO range of 16 pages),
# and the same with 32 pages
REPORT=010000000000000000000000010000000000008000000000100000000000000000000000
REPORT2=010000000000000000000000010000000000008000000000200000000000000000000000

# session_PROFILE: the batch input recorded for PROFILE. The faults of
# scenarios/replay-PROFILE.json count the tsm_req calls in this order.
session_v6() {
	cat <<-EOF
		{"command":"bind","vdevice_id":3}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"validate-mmio",$MMIO}
		{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}
		{"command":"req","vdevice_id":4,"arch":"sev","op":"sev-enable-dma","payload_hex":"0102030405060708"}
		{"command":"set-run","vdevice_id":3,"arch":"cca","state":"run"}
		{"command":"set-run","vdevice_id":9,"arch":"cca","state":"run"}
		{"command":"req","vdevice_id":42,"arch":"cca","op":"validate-mmio",$MMIO}
		{"command":"bind","vdevice_id":42}
		{"command":"req","vdevice_id":4,"arch":"sev","op":"sev-disable-dma","payload_hex":""}
		{"command":"set-run","vdevice_id":7,"arch":"tdx","payload_hex":"02000000"}
		{"command":"unbind","vdevice_id":3}
	EOF
}

# v5-op and v7 share the 48-byte TSM_REQ and the op numbering; v7 has no
# TSM_OP (vdevices are bound at creation), so no bind/unbind lines.
session_48() {
	[ "$1" = v7 ] || echo '{"command":"bind","vdevice_id":3}'
	cat <<-EOF
		{"command":"req","vdevice_id":3,"arch":"cca","op":"object-info",$CERT}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"object-info",$IFREPORT}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"read-object",$IFREPORT}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"validate-mmio",$MMIO}
		{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}
		{"command":"set-run","vdevice_id":3,"arch":"cca","state":"run"}
		{"command":"set-run","vdevice_id":9,"arch":"cca","state":"run"}
		{"command":"req","vdevice_id":42,"arch":"cca","op":"object-info",$CERT}
	EOF
	[ "$1" = v7 ] || echo '{"command":"bind","vdevice_id":42}'
	cat <<-EOF
		{"command":"req","vdevice_id":4,"arch":"sev","op":"sev-disable-dma","payload_hex":""}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"validate-mmio",$MMIO2}
	EOF
	[ "$1" = v7 ] || echo '{"command":"unbind","vdevice_id":3}'
}

session_v5-op() { session_48 v5-op; }
session_v7() { session_48 v7; }

# v5: the 40-byte scope TSM_REQ (no tsm_code field)
session_v5() {
	cat <<-EOF
		{"command":"bind","vdevice_id":3}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"object-size",$IFREPORT}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"object-read",$IFREPORT}
		{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}
		{"command":"set-run","vdevice_id":3,"arch":"cca","state":"run"}
		{"command":"set-run","vdevice_id":9,"arch":"cca","state":"run"}
		{"command":"req","vdevice_id":42,"arch":"cca","op":"object-size",$CERT}
		{"command":"bind","vdevice_id":42}
		{"command":"req","vdevice_id":3,"arch":"cca","op":"object-read",$CERT}
		{"command":"unbind","vdevice_id":3}
	EOF
}

# session_errnos PROFILE: errno_name of each batch output line, as recorded
session_errnos() {
	case "$1" in
	v6) echo "OK OK OK OK OK EINVAL ENOENT ENOENT EIO OK OK" ;;
	v5-op) echo "OK OK OK OK OK OK OK EINVAL ENOENT ENOENT EIO OK OK" ;;
	v7) echo "OK OK OK OK OK OK EINVAL ENOENT EIO OK" ;;
	v5) echo "OK OK OK OK OK EINVAL ENOENT ENOENT EIO OK" ;;
	esac
}

scn() {
	echo "$EMU_SCN/replay-$1.json"
}

# under_emu SCENARIO|--replay TRACE ARGS...: run "tsmctl ARGS" under tsm-emu with
# the call log in $EMU_LOG (stdout in $output, stderr in $stderr)
under_emu() {
	local opt=(--scenario "$1")
	if [ "$1" = --replay ]; then
		opt=(--replay "$2")
		shift
	fi
	shift
	# shellcheck disable=SC2086 # TSMCTL_WRAP is a word list on purpose
	run --separate-stderr "$TSM_EMU" "${opt[@]}" --log "$EMU_LOG" -- \
		${TSMCTL_WRAP-} "$TSMCTL" "$@" <"$EMU_STDIN"
	_filter_wrap_stderr
}

# record PROFILE: the session under scenarios/replay-PROFILE.json into
# $TRACE, one iommufd (--fd 7) for every line; checks that it ran as meant
record() {
	local p=$1 in="$BATS_TEST_TMPDIR/session.jsonl"
	"session_$p" >"$in"
	emu_stdin "$in"
	under_emu "$(scn "$p")" -A "$p" --fd 7 --trace "$TRACE" batch --keep-going
	emu_stdin /dev/null
	[ "$status" -ne 0 ] || fail "the session has failing lines: exit 0"
	[ "$status" -ne 2 ] || fail "$(printf 'usage error while recording:\n%s' "$output")"
	assert_equal "$(printf '%s\n' "$output" | jq -r .result.errno_name | xargs)" \
		"$(session_errnos "$p")"
	assert_equal "$(trace_ioctls)" "$(log_count ioctl)"
	validate_trace "$TRACE" ||
		fail "the recorded trace is not valid against trace.json"
	# successes and failures: ENOENT, EINVAL, a short residue
	jq -se '[.[] | select(.call == "ioctl" and .phase != "intent")] |
		any(.errno == 0) and any(.errno == 2) and any(.errno == 22) and
		any(.residue > 0)' "$TRACE" >/dev/null ||
		fail "the trace lacks a success, an ENOENT, an EINVAL or a residue"
	# response bytes where the profile has an op that answers some
	[ "$p" = v6 ] || jq -se 'any(.[]; .response_hex // "" | length > 0)' \
		"$TRACE" >/dev/null || fail "the trace has no response bytes"
	rm -f "$EMU_LOG"
}

trace_ioctls() {
	jq -s '[.[] | select(.call == "ioctl" and .phase != "intent")] | length' "$TRACE"
}

# seq_where FILTER: seq of the first ioctl record for which FILTER holds
seq_where() {
	jq -r "select(.call == \"ioctl\" and .phase != \"intent\") | select($1) | .seq" "$TRACE" | head -1
}

# seq_of OP VDEVICE [OBJECT_TYPE]: seq of the first ioctl record of that request
seq_of() {
	seq_where ".request.op == \"$1\" and .request.vdevice_id == $2 and
		(\"${3-}\" == \"\" or .request.fields.object_type_name == \"${3-}\")"
}

# replay_json SCENARIO|--replay TRACE: tsmctl -j replay $TRACE under it,
# the way the trace was recorded; stdout is schema-checked
replay_json() {
	local p
	p=$(jq -r 'select(.call == "start") | .abi' "$TRACE" | head -1)
	p=${p:-v6}
	if [ "$1" = --replay ]; then
		under_emu --replay "$2" -A "$p" -j replay "$TRACE"
	else
		under_emu "$1" -A "$p" --fd 7 -j replay "$TRACE"
	fi
	LAST_JSON=1
	assert_stderr_empty || return 1
	validate_json replay
}

# assert_all_match: exit 0 and every ioctl record reported as matching
assert_all_match() {
	assert_success
	assert_equal "$(json_get .ok)" true
	assert_equal "$(json_get '"\(.result.match) \(.result.differences_count)"')" "true 0"
	assert_equal "$(json_get .result.ioctls)" "$(trace_ioctls)"
	assert_equal "$(json_get .result.trace)" "$TRACE"
}

# assert_replayed_from_trace: the emulator answered every replayed ioctl
# from the next record, in trace order, none mismatched
assert_replayed_from_trace() {
	assert_equal "$(log_ioctls | jq -r '.replay_seq' | xargs)" \
		"$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .seq' "$TRACE" | xargs)"
	refute grep -q '"replay_mismatch":true' "$EMU_LOG"
}

# assert_diffs "SEQ FIELD RECORDED NOW"...: exit 1, error.stage replay,
# exactly these differences (any order)
assert_diffs() {
	local want
	assert_failure 1
	assert_equal "$(json_get .ok)" false
	assert_equal "$(json_get .error.stage)" replay
	assert_equal "$(json_get .result.match)" false
	assert_equal "$(json_get .result.ioctls)" "$(trace_ioctls)"
	assert_equal "$(json_get .result.differences_count)" $#
	want=$(printf '%s\n' "$@" | sort)
	assert_equal "$(json_get '.result.differences[] |
		"\(.seq) \(.field) \(.recorded) \(.now)"' | sort)" "$want"
}

# modified PROFILE JQ: scenarios/replay-PROFILE.json changed by JQ
modified() {
	local m="$BATS_TEST_TMPDIR/modified-$1.json"
	jq "$2" "$(scn "$1")" >"$m"
	echo "$m"
}

# check_replays PROFILE: (a) and (b)
check_replays() {
	record "$1"
	replay_json --replay "$TRACE"
	assert_all_match
	assert_replayed_from_trace
	rm -f "$EMU_LOG"
	replay_json "$(scn "$1")"
	assert_all_match
	assert_equal "$(log_count ioctl)" "$(trace_ioctls)"
	refute grep -q '"replay":true' "$EMU_LOG"
}

# check_malformed PROFILE: (d) a truncated trace and a record without
# struct_hex: exit 2 naming FILE:LINE, no ioctl sent
check_malformed() {
	local p=$1 cut="$BATS_TEST_TMPDIR/cut.jsonl" bad="$BATS_TEST_TMPDIR/bad.jsonl"
	local nlines last
	record "$p"
	nlines=$(wc -l <"$TRACE")
	# the last line cut in the middle, as by a crash or a full disk
	head -c $(($(stat -c %s "$TRACE") - 40)) "$TRACE" >"$cut"
	under_emu "$(scn "$p")" -A "$p" --fd 7 replay "$cut"
	LAST_JSON=0
	assert_bad_input "$cut:$nlines: invalid JSON" "the last line is incomplete" "remove it"
	under_emu "$(scn "$p")" -A "$p" --fd 7 -j replay "$cut"
	LAST_JSON=1
	validate_json replay
	assert_equal "$(json_get .error.stage)" usage
	assert_equal "$(json_get .result)" null
	assert_bad_input "$cut:$nlines:"
	# a well-formed line that is not a usable ioctl record, after good ones
	last=$(jq -s '[.[] | select(.call == "ioctl" and .phase != "intent")] | last | .seq' "$TRACE")
	jq -c --argjson s "$last" 'if .seq == $s and .phase != "intent" then del(.ioctl.struct_hex) else . end' \
		"$TRACE" >"$bad"
	under_emu "$(scn "$p")" -A "$p" --fd 7 replay "$bad"
	LAST_JSON=0
	# (its line: the last result record, before the run's end record)
	assert_bad_input "$bad:$(grep -n '"phase":"result"' "$TRACE" | tail -1 | cut -d: -f1):" struct_hex
	# the same through the emulator's own replay of the good trace
	under_emu --replay "$TRACE" -A "$p" replay "$cut"
	assert_bad_input "$cut:$nlines:"
	assert_equal "$(log_count open)" 0
}

# --- v6 ---------------------------------------------------------------

@test "v6: recorded batch session replays through tsm-emu --replay and against its scenario" {
	check_replays v6
}

@test "v6: tsm_code of a TSM refusal changed: exit 1, seq and field named" {
	record v6
	replay_json "$(modified v6 '.faults[1].tsm_code = "0x38"')"
	assert_diffs "$(seq_of sev-disable-dma 4) tsm_code 55 56"
}

@test "v6: TSM refusal now without tsm_code (struct not copied back): the recorded code is not read back" {
	record v6
	replay_json "$(modified v6 'del(.faults[1].tsm_code)')"
	assert_diffs "$(seq_of sev-disable-dma 4) tsm_code 55 0"
}

@test "v6: vdevice removed: rc, errno and residue of its call differ" {
	record v6
	replay_json "$(modified v6 '.contexts[0].vdevices |= map(select(.id != 4))')"
	local s
	s=$(seq_of sev-enable-dma 4)
	assert_diffs "$s rc 2 -1" "$s errno 0 2" "$s residue 2 0"
}

@test "v6: malformed or truncated trace: exit 2, nothing sent" {
	check_malformed v6
}

# --- v5-op ------------------------------------------------------------

@test "v5-op: recorded batch session replays through tsm-emu --replay and against its scenario" {
	check_replays v5-op
}

@test "v5-op: a changed tsm_code, then different response bytes: each named" {
	record v5-op
	replay_json "$(modified v5-op '.faults[2].tsm_code = "0x105"')"
	# the second validate-mmio (0x90000000) got the scripted tsm_code
	assert_diffs "$(seq_where '.request.fields.gpa_base == 2415919104') tsm_code 260 261"
	replay_json "$(modified v5-op ".contexts[0].vdevices[0].objects.interface_report = \"$REPORT2\"")"
	assert_diffs "$(seq_of read-object 3) response_hex $REPORT $REPORT2"
}

@test "v5-op: object removed: object-info and read-object now ENODATA" {
	record v5-op
	replay_json "$(modified v5-op 'del(.contexts[0].vdevices[0].objects.interface_report)')"
	local i s r
	i=$(seq_of object-info 3 interface_report)
	# read-object asked object-info for the size first (its own record)
	s=$(jq -r 'select(.call == "ioctl" and .phase != "intent" and
		.request.op == "object-info" and
		.request.fields.object_type_name == "interface_report") | .seq' "$TRACE" | sed -n 2p)
	r=$(seq_of read-object 3)
	assert_diffs "$i rc 2 -1" "$i errno 0 61" "$i residue 2 0" \
		"$s rc 0 -1" "$s errno 0 61" "$r rc 0 -1" "$r errno 0 61"
}

@test "v5-op: malformed or truncated trace: exit 2, nothing sent" {
	check_malformed v5-op
}

# --- v7 ---------------------------------------------------------------

@test "v7: recorded session (no bind: vdevices bound at creation) replays through tsm-emu --replay and against its scenario" {
	check_replays v7
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .ioctl.request_hex' "$TRACE" | sort -u)" 0x3b96
}

@test "v7: short residue changed and illegal-transition tsm_code dropped: named" {
	record v7
	replay_json "$(modified v7 '.faults[0].residue = 1 |
		del(.contexts[0].vdevices[] | select(.id == 9) | .illegal_transition_tsm_code)')"
	local i
	i=$(seq_of object-info 3 interface_report)
	assert_diffs "$i rc 2 1" "$i residue 2 1" "$i response_hex 2400 240000" \
		"$(seq_of set-tdi-state 9) tsm_code 1537 0"
}

@test "v7: vdevice removed: every call on it is ENOENT now" {
	record v7
	replay_json "$(modified v7 '.contexts[0].vdevices |= map(select(.id != 9))')"
	local s
	s=$(seq_of set-tdi-state 9)
	assert_diffs "$s errno 22 2" "$s tsm_code 1537 0"
}

@test "v7: malformed or truncated trace: exit 2, nothing sent" {
	check_malformed v7
}

# --- v5 ---------------------------------------------------------------

@test "v5: recorded session (40-byte scope TSM_REQ) replays through tsm-emu --replay and against its scenario" {
	check_replays v5
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent" and .request) | .ioctl.struct_len' "$TRACE" | sort -u)" 40
}

@test "v5: different response bytes and a removed vdevice: named" {
	record v5
	replay_json "$(modified v5 ".contexts[0].vdevices[0].objects.interface_report = \"$REPORT2\" |
		.contexts[0].vdevices |= map(select(.id != 9))")"
	assert_diffs "$(seq_of object-read 3 interface_report) response_hex $REPORT $REPORT2" \
		"$(seq_of set-tdi-state 9) errno 22 2"
}

@test "v5: fault errno changed: rc stays -1, errno named" {
	record v5
	replay_json "$(modified v5 '.faults[1].errno = "EBUSY"')"
	assert_diffs "$(seq_of object-read 3 certificate) errno 5 16"
}

@test "v5: malformed or truncated trace: exit 2, nothing sent" {
	check_malformed v5
}

# --- all profiles -------------------------------------------------------

@test "text mode: the summary on stdout, the error and the differences (line, call, names) on stderr" {
	record v6
	local s l
	s=$(seq_of sev-disable-dma 4)
	l=$(result_line_of "$s")
	under_emu "$(modified v6 '.faults[1].tsm_code = "0x38"')" -A v6 --fd 7 replay "$TRACE"
	assert_failure 1
	# stdout: the summary, as for a match
	assert_regex "$output" "trace: +$TRACE"
	assert_regex "$output" "ioctls: +$(trace_ioctls)"
	assert_regex "$output" 'differences_count: +1'
	assert_regex "$output" 'match: +false'
	refute_output --partial 'tsm_code'
	assert_regex "$stderr" '^tsmctl: replay: 1 outcome\(s\) differ from the trace'
	assert_regex "$stderr" "seq: +$s"$'\n'" +line: +$l"$'\n'" +call: +IOMMU_VDEVICE_TSM_REQ"$'\n'" +field: +tsm_code"$'\n'" +recorded: +55"$'\n'" +now: +56"
	assert_regex "$stderr" "recorded_hex: +0x37"$'\n'" +now_hex: +0x38"
	# and a match says so on stdout
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$TRACE"
	assert_success
	assert_equal "$stderr" ""
	assert_regex "$output" "ioctls: +$(trace_ioctls)"
	assert_regex "$output" 'match: +true'
}

@test "differences name the trace line and the call; errno names and tsm_code hex beside the numbers" {
	record v6
	local s
	s=$(seq_of sev-enable-dma 4)
	replay_json "$(modified v6 '.contexts[0].vdevices |= map(select(.id != 4))')"
	assert_failure 1
	assert_equal "$(json_get ".result.differences[] | select(.field == \"errno\") |
		\"\(.seq) \(.line) \(.call) \(.recorded_name) \(.now_name)\"")" \
		"$s $(result_line_of "$s") IOMMU_VDEVICE_TSM_REQ OK ENOENT"
	assert_equal "$(json_get '[.result.differences[] | has("recorded_hex")] | any')" false
	replay_json "$(modified v6 '.faults[1].tsm_code = "0x38"')"
	assert_equal "$(json_get '.result.differences[0] | "\(.recorded_hex) \(.now_hex) \(.call)"')" \
		"0x37 0x38 IOMMU_VDEVICE_TSM_REQ"
}

@test "a trace appended by two runs (seq continues after the first's): a difference names its seq and file line" {
	local s2="$BATS_TEST_TMPDIR/with42.json"
	under_emu "$(scn v6)" -A v6 --fd 7 --trace "$TRACE" bind --vdevice 3
	assert_success
	under_emu "$(scn v6)" -A v6 --fd 7 --trace "$TRACE" bind --vdevice 42
	assert_failure 1
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .seq' "$TRACE" | xargs)" "3 7"
	jq '.contexts[0].vdevices += [{"id": 42, "arch": "cca", "bound_to": null, "state": "UNLOCKED"}]' \
		"$(scn v6)" >"$s2"
	replay_json "$s2"
	assert_failure 1
	assert_equal "$(json_get '.result.differences | map("\(.seq) \(.line) \(.call) \(.field)") | join(",")')" \
		"7 9 IOMMU_VDEVICE_TSM_OP rc,7 9 IOMMU_VDEVICE_TSM_OP errno"
	assert_equal "$(json_get '.result.differences[1] | "\(.recorded_name) \(.now_name)"')" "ENOENT OK"
}

@test "a trace with a family-lookup netlink line and dump probe records replays: lookup not re-sent, probes re-issued" {
	record v6
	local with="$BATS_TEST_TMPDIR/with.jsonl" ts pid n
	ts=$(jq -r 'select(.call == "start") | .ts' "$TRACE")
	pid=$(jq -r 'select(.call == "start") | .pid' "$TRACE")
	n=$(trace_ioctls)
	{
		head -2 "$TRACE"
		# dump's read-only probes: OPTION RLIMIT_MODE get, TSM_OP flags=1
		printf '{"seq":900,"ts":"%s","pid":%s,"command":"dump","abi":"v6","call":"ioctl","ioctl":{"name":"IOMMU_OPTION","request":15239,"request_hex":"0x3b87","struct_len":24,"struct_hex":"180000000000000001000000000000000000000000000000","fields":{"size":24,"option_id":0,"op":1,"val64":0}},"rc":0,"errno":0,"errno_name":"OK","duration_us":5}\n' "$ts" "$pid"
		printf '{"seq":901,"ts":"%s","pid":%s,"command":"dump","abi":"v6","call":"ioctl","ioctl":{"name":"IOMMU_VDEVICE_TSM_OP","request":15254,"request_hex":"0x3b96","struct_len":16,"struct_hex":"10000000010000000100000000000000","fields":{"size":16,"type":1,"flags":1,"vdevice_id":0}},"rc":-1,"errno":95,"errno_name":"EOPNOTSUPP","duration_us":5}\n' "$ts" "$pid"
		# a pci-tsm netlink message as lib/trace_write.c writes it
		printf '{"seq":902,"ts":"%s","pid":%s,"command":"dump","abi":"v6","call":"netlink","netlink":{"dir":"send","nlmsg_len":32,"nlmsg_type":16,"nlmsg_flags":5,"nlmsg_seq":1,"genl_cmd":3,"hex":"2000000010000500010000000000000003010000100002007063692d74736d00"}}\n' "$ts" "$pid"
		tail -n +3 "$TRACE"
	} >"$with"
	mv "$with" "$TRACE"
	validate_trace "$TRACE"
	assert_equal "$(trace_ioctls)" $((n + 2))
	replay_json --replay "$TRACE"
	assert_all_match
	assert_replayed_from_trace
	rm -f "$EMU_LOG"
	replay_json "$(scn v6)"
	assert_all_match
	assert_equal "$(log_count ioctl)" $((n + 2))
	assert_equal "$(log_ioctl 1 .ioctl)" OPTION
	assert_equal "$(log_ioctl 2 .errno_name)" EOPNOTSUPP
}

@test "a trace without ioctl or netlink records, or an empty one, is bad input: nothing to replay; a missing TRACE is a usage error" {
	printf '{"seq":1,"ts":"1.000000","pid":1,"command":"dump","abi":"v6","call":"start","event":"start","version":"0.1.0"}\n' >"$TRACE"
	under_emu --replay "$TRACE" -A v6 -j replay "$TRACE"
	LAST_JSON=1
	validate_json replay
	assert_bad_input "nothing to replay" TRACE
	assert_equal "$(json_get .result)" null
	assert_equal "$(log_count open)" 0
	: >"$TRACE"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$TRACE"
	LAST_JSON=0
	assert_bad_input "nothing to replay"
	assert_equal "$output" ""
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$BATS_TEST_TMPDIR/none.jsonl"
	assert_bad_input none.jsonl
}

# assert_nothing_sent: no open, ioctl or netlink message in the emulator log
assert_nothing_sent() {
	assert_equal "$(log_count open)" 0
	assert_equal "$(log_count ioctl)" 0
	assert_equal "$(log_count netlink)" 0
}

line_of() {	# SEQ: the file line of the record with that seq in $TRACE
	grep -n "\"seq\":$1," "$TRACE" | head -1 | cut -d: -f1
}

# SEQ: the file line of the result record of that seq (after its intent)
result_line_of() {
	grep -n "\"seq\":$1,.*\"phase\":\"result\"" "$TRACE" | head -1 | cut -d: -f1
}

@test "abi: auto without BTF evidence (its fallback) replays with the trace's profile" {
	record v5
	under_emu "$(scn v5)" --fd 7 -j replay "$TRACE"
	LAST_JSON=1
	assert_success
	validate_json replay
	assert_equal "$(json_get .abi)" v5
	assert_equal "$(json_get .abi_source)" trace
	assert_equal "$(json_get .result.match)" true
}

@test "abi: under the fallback the trace's profile is used also when it is the fallback's (v7), on a BTF without TSM types; -v says so" {
	record v7
	TSMCTL_BTF="$BTF_FIXTURES/none.btf" under_emu --replay "$TRACE" -j replay "$TRACE"
	LAST_JSON=1
	assert_success
	validate_json replay
	assert_equal "$(json_get '[.abi, .abi_source, .result.match] | join(" ")')" "v7 trace true"
	# -v names the profile used (the trace's), said once the trace is read
	rm -f "$TRACE" "$EMU_LOG"
	record v5
	TSMCTL_BTF="$BTF_FIXTURES/none.btf" under_emu --replay "$TRACE" -v replay "$TRACE"
	assert_success
	assert_regex "$stderr" "ABI profile v5 \(trace: "
	refute_regex "$stderr" "ABI profile v7"
}

@test "abi: under the fallback a command appending to a trace keeps its profile: the bundle's two steps replay as one" {
	record v6
	TSMCTL_BTF="$BTF_FIXTURES/none.btf" under_emu "$(scn v6)" --fd 7 --trace "$TRACE" -j dump
	LAST_JSON=1
	assert_success
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v6 trace"
	# the trace's profile names the records; probing needs it given
	assert_regex "$(json_get .result.iommufd.tsm_probes_skipped)" "the trace's records use profile v6: give --abi v6"
	assert_equal "$(jq -r .abi "$TRACE" | sort -u | xargs)" v6
	TSMCTL_BTF="$BTF_FIXTURES/none.btf" under_emu "$(scn v6)" --fd 7 -j replay "$TRACE"
	assert_success
	assert_equal "$(json_get '[.abi, .abi_source, .result.match] | join(" ")')" "v6 trace true"
	# an explicit profile is never replaced by the trace's
	TSMCTL_BTF="$BTF_FIXTURES/none.btf" under_emu "$(scn v6)" --fd 7 -A v7 --trace "$TRACE" -j dump
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v7 option"
}

@test "a trace recorded on a VMM's context (--pid) replayed on a fresh open: the hint says to give --pid or --fd" {
	local t="$BATS_TEST_TMPDIR/pid.jsonl"
	record v6
	sed 's/"device":"fd 7"/"device":"pid 4242 fd 5"/' "$TRACE" >"$t"
	grep -q '"device":"pid 4242 fd 5"' "$t" || fail "no open record rewritten"
	under_emu "$(scn v6)" -A v6 -j replay "$t"
	LAST_JSON=1
	assert_failure 1
	assert_regex "$(json_get .error.hint)" "recorded on the VMM's context pid 4242 fd 5.*give --pid or --fd"
	# with the context given, no such hint
	under_emu "$(scn v6)" -A v6 --fd 7 -j replay "$t"
	assert_success
}

@test "abi: a trace of another profile is refused naming both (run with --abi); a trace mixing profiles too" {
	local v5="$BATS_TEST_TMPDIR/v5.jsonl" mixed="$BATS_TEST_TMPDIR/mixed.jsonl" n
	record v5
	# auto, the kernel's BTF matching v6, against a v5 trace: nothing sent
	TSMCTL_BTF="$BTF_FIXTURES/v6.btf" under_emu "$(scn v5)" --fd 7 replay "$TRACE"
	LAST_JSON=0
	assert_bad_input "$TRACE:1: " "recorded with ABI profile v5" "selected profile is v6 (auto: btf)" \
		"run with --abi v5"
	assert_nothing_sent
	under_emu "$(scn v5)" -A v7 --fd 7 -j replay "$TRACE"
	LAST_JSON=1
	validate_json replay
	assert_bad_input "selected profile is v7 (--abi)" "run with --abi v5"
	assert_equal "$(json_get .error.field)" --abi
	assert_equal "$(json_get .error.value)" v7
	assert_equal "$(json_get .result)" null
	assert_nothing_sent
	# with -n too: the check is on the trace
	under_emu "$(scn v5)" -n -A v6 --fd 7 replay "$TRACE"
	LAST_JSON=0
	assert_bad_input "run with --abi v5"
	# a file appended by a v6 run and a v5 run
	mv "$TRACE" "$v5"
	record v6
	n=$(wc -l <"$TRACE")
	cat "$TRACE" "$v5" >"$mixed"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$mixed"
	LAST_JSON=0
	assert_bad_input "$mixed:$((n + 1)): " "mixes ABI profiles" "recorded with v5, line 1 with v6"
	assert_nothing_sent
}

@test "abi: replay under a kernel whose BTF contradicts the profile is refused by the guard; a matching BTF replays" {
	if [ "$(id -u)" != 0 ] && ! unshare -Urm true 2>/dev/null; then
		skip "the sysfs fixture needs root or unprivileged user namespaces"
	fi
	record v5
	# the trace and --abi agree (v5), the kernel's BTF is v6
	under_emu "$(modified v5 '. + {"sysfs": {}, "btf": "v6"}')" -A v5 --fd 7 replay "$TRACE"
	LAST_JSON=0
	assert_bad_input "ABI profile v5 contradicts the running kernel" \
		"a trace replays only on a kernel of the profile it was recorded with (v5); this kernel matches v6" \
		"nothing was sent"
	refute_stderr_has "run with --abi"
	refute_stderr_has "))"
	assert_nothing_sent
	under_emu "$(modified v5 '. + {"sysfs": {}, "btf": "v7"}')" -A v5 --fd 7 -j replay "$TRACE"
	LAST_JSON=1
	validate_json replay
	assert_bad_input "ABI profile v5 contradicts the running kernel" --abi
	assert_equal "$(json_get .error.hint)" "a trace replays only on a kernel of the profile it was recorded with (v5); this kernel matches v7: replay it on such a kernel or under tsm-emu; nothing was sent"
	assert_equal "$(json_get 'has("dry_run") or has("result")')" false
	assert_nothing_sent
	# -n sends nothing, so the guard does not run
	under_emu "$(modified v5 '. + {"sysfs": {}, "btf": "v6"}')" -A v5 --fd 7 -n -j replay "$TRACE"
	assert_success
	# the BTF of v5 itself: replayed, all match
	replay_json "$(modified v5 '. + {"sysfs": {}}')"
	assert_all_match
	assert_equal "$(log_count ioctl)" "$(trace_ioctls)"
}

# bad_record JQ WORD...: $TRACE with JQ applied to its ioctl records is
# refused at load (profile $BAD_P, else v6), naming FILE:LINE of the first
# changed line and WORDs
bad_record() {
	local f=$1 bad="$BATS_TEST_TMPDIR/bad.jsonl" first p=${BAD_P:-v6}
	shift
	jq -c "if .call == \"ioctl\" then ($f) else . end" "$TRACE" >"$bad"
	first=$(diff <(cat "$TRACE") "$bad" | sed -n 's/^\([0-9]*\)[c,].*/\1/p' | head -1)
	[ -n "$first" ] || fail "jq '$f' changed nothing"
	under_emu "$(scn "$p")" -A "$p" --fd 7 replay "$bad"
	LAST_JSON=0
	assert_bad_input "$bad:$first: " "$@"
	assert_nothing_sent
}

@test "records: only TSM_OP, TSM_REQ (with its request and the profile's layout) and IOMMU_OPTION are re-issued; anything else is bad input at load" {
	record v6
	local s h40
	s=$(seq_of validate-mmio 3)
	# a TSM_REQ without "request": its recorded pointers would be sent
	bad_record "if .seq == $s then del(.request) else . end" 'TSM_REQ record without a "request" object'
	# a TSM_REQ struct of another layout (40 bytes, v5's) under v6
	h40=28000000$(jq -r "select(.seq == $s and .phase == \"result\") | .ioctl.struct_hex[8:80]" "$TRACE")
	bad_record "if .seq == $s then .ioctl.struct_hex = \"$h40\" else . end" \
		"TSM_REQ struct of 40 bytes, profile v6 has 48"
	# the struct's own size field past its bytes
	bad_record "if .seq == $s then .ioctl.struct_hex |= (\"ff000000\" + .[8:]) else . end" \
		"size field says 255 bytes, struct_hex has 48"
	# req_len/resp_len in the struct beyond the buffers replay allocates
	bad_record "if .seq == $s then .request.payload_hex |= .[2:] else . end" \
		"req_len 24 in the struct, request.payload_hex has 23 bytes"
	bad_record "if .seq == $s then .request.resp_len = 4096 else . end" \
		"resp_len 0 in the struct, request.resp_len is 4096"
	# another iommufd ioctl (IOMMU_DESTROY 0x3b80), v5's TSM_OP code under v6
	bad_record "if .seq == $s then .ioctl.request = 15232 else . end" \
		"request 0x3b80 is not replayed" "TSM_OP (0x3b96) and TSM_REQ (0x3b97) of profile v6 and IOMMU_OPTION (0x3b87)"
	bad_record "if .ioctl.request == 15254 then .ioctl.request = 15253 else . end" \
		"request 0x3b95 is not replayed"
	# a TSM_OP struct larger than 16 bytes; an OPTION struct not of 24
	bad_record "if .ioctl.request == 15254 then .ioctl.struct_hex = \"18000000010000000000000003000000\" + \"0000000000000000\" else . end" \
		"TSM_OP struct of 24 bytes"
	bad_record "if .ioctl.request == 15254 then .ioctl.request = 15239 else . end" \
		"IOMMU_OPTION struct of 16 bytes, expected 24"
}

@test "records: a v7 dump probe line without its request (older tsmctl) is refused with a clear message" {
	local s
	under_emu "$(scn v7)" -A v7 --fd 7 --trace "$TRACE" dump --vdevice 3 --evidence none
	s=$(jq -r 'select(.ioctl.name == "IOMMU_VDEVICE_TSM_REQ") | .seq' "$TRACE" | head -1)
	rm -f "$EMU_LOG"
	BAD_P=v7 bad_record 'del(.request)' "older tsmctl dump"
	under_emu "$(scn v7)" -A v7 --fd 7 -j replay "$BATS_TEST_TMPDIR/bad.jsonl"
	LAST_JSON=1
	validate_json replay
	assert_bad_input "bad.jsonl:$(line_of "$s"): " 'without a "request" object' request
	assert_nothing_sent
}

@test "malformed: a JSON value that is not an object, a directory, a line without call: exit 2" {
	printf '[1,2]\n' >"$TRACE"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$TRACE"
	LAST_JSON=0
	assert_bad_input "$TRACE:1: a trace line must be a JSON object, got array"
	assert_nothing_sent
	printf '{"seq":1,"abi":"v6"}\n' >"$TRACE"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$TRACE"
	assert_bad_input "$TRACE:1: " '"call"'
	under_emu "$(scn v6)" -A v6 --fd 7 -j replay "$BATS_TEST_TMPDIR"
	LAST_JSON=1
	validate_json replay
	assert_bad_input "cannot read trace '$BATS_TEST_TMPDIR': Is a directory"
	assert_nothing_sent
}

@test "messages: a string request code, FILE:LINE once, garbage keeps the parser's reason" {
	record v6
	local s bad="$BATS_TEST_TMPDIR/bad.jsonl"
	s=$(seq_of validate-mmio 3)
	jq -c "if .seq == $s then .ioctl.request = .ioctl.request_hex else . end" "$TRACE" >"$bad"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$bad"
	LAST_JSON=0
	assert_bad_input "$bad:$(line_of "$s"): ioctl.request must be an integer, got \"0x3b97\""
	assert_equal "$(grep -o "$bad:" <<<"$stderr" | wc -l)" 1
	printf '\x01garbage\n' >"$bad"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$bad"
	assert_bad_input "$bad:1: invalid JSON at byte 0"
	refute_stderr_has "trace:" "last line"
	# garbage in the middle is not taken for a cut last line
	{ head -3 "$TRACE"; echo '{"seq":'; tail -n +4 "$TRACE"; } >"$bad"
	under_emu "$(scn v6)" -A v6 --fd 7 replay "$bad"
	assert_bad_input "$bad:4: invalid JSON"
	refute_stderr_has "last line"
}

@test "-n: the trace is read and checked, dry_run is true, nothing is sent" {
	record v6
	rm -f "$EMU_LOG"
	under_emu "$(scn v6)" -A v6 --fd 7 -n -j replay "$TRACE"
	LAST_JSON=1
	assert_success
	assert_stderr_empty
	validate_json replay
	assert_equal "$(json_get .dry_run)" true
	assert_equal "$(json_get .result.ioctls)" "$(trace_ioctls)"
	assert_equal "$(json_get '.result | has("match")')" false
	assert_nothing_sent
	under_emu "$(scn v6)" -A v6 --fd 7 -n replay "$TRACE"
	assert_success
	assert_regex "$output" "ioctls: +$(trace_ioctls)"
	assert_nothing_sent
}

# ------------------------------------------------ netlink (dump's evidence)

# record_dump [SCENARIO] [dump options...]: tsmctl dump of the evidence
# fixtures of tests/cli/scenarios/emu_dump.json into $TRACE
DUMP_SCN="$BATS_TEST_DIRNAME/scenarios/emu_dump.json"
record_dump() {
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$TRACE" -j dump "$@"
	assert_success
	rm -f "$EMU_LOG"
}

pci_tsm_sends() {
	jq -s '[.[] | select(.call == "netlink" and .netlink.dir == "send" and .netlink.nlmsg_type != 16)] | length' "$TRACE"
}

@test "netlink: a dump's evidence requests replay against the same fixtures and match" {
	record_dump --evidence all
	# four devices: data, ENXIO with extack, ENODEV, empty
	assert_equal "$(pci_tsm_sends)" 4
	replay_json "$DUMP_SCN"
	assert_all_match
	assert_equal "$(json_get .result.netlink_requests)" 4
	# the emulator saw the family lookup and the four requests again
	assert_equal "$(log_count netlink)" 5
}

@test "netlink: changed evidence bytes and a device that now answers are reported per request" {
	record_dump --evidence all
	local m s1 s3
	s1=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "send" and .netlink.nlmsg_type != 16)][0].seq' "$TRACE")
	s3=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "send" and .netlink.nlmsg_type != 16)][2].seq' "$TRACE")
	# one byte of 0000:01:00.0's vca changed; 0000:03:00.0 now known (empty)
	m="$BATS_TEST_TMPDIR/changed.json"
	jq '.netlink.devices[0].evidence.vca |= ("ee" + .[2:])
	    | .netlink.devices += [{"name": "0000:03:00.0", "evidence": {}}]' "$DUMP_SCN" >"$m"
	replay_json "$m"
	assert_failure 1
	assert_equal "$(json_get .error.stage)" replay
	assert_equal "$(json_get '[.result.differences[] | "\(.seq) \(.field)"] | join(",")')" "$s1 netlink,$s3 netlink"
	assert_regex "$(json_get '.result.differences[0].recorded')" '^evidence, [0-9]+ bytes: '
	assert_regex "$(json_get '.result.differences[1].recorded')" '^error ENODEV$'
	assert_regex "$(json_get '.result.differences[1].now')" '^(evidence|done), '
	# text mode lists them on stderr
	under_emu "$m" -A v6 --fd 7 replay "$TRACE"
	assert_failure 1
	assert_regex "$stderr" "field: +netlink"
	assert_regex "$stderr" "recorded: +error ENODEV"
}

@test "netlink: a bundle's redacted trace replays; redacted evidence is compared by kind and length" {
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$BATS_TEST_TMPDIR/t.jsonl" -j dump \
		--evidence measurements,report --bundle "$BATS_TEST_TMPDIR/b.tgz"
	assert_success
	tar -C "$BATS_TEST_TMPDIR" -xzf "$BATS_TEST_TMPDIR/b.tgz"
	TRACE="$BATS_TEST_TMPDIR/tsmctl-bundle/trace.jsonl"
	assert_equal "$(jq -s '[.[] | select(.netlink.redacted)] | length > 0' "$TRACE")" true
	# against the fixtures: 0000:01:00.0 and 0000:04:00.0 had evidence
	# (redacted), the ENXIO and ENODEV devices are compared
	replay_json "$DUMP_SCN"
	assert_all_match
	assert_equal "$(json_get .result.netlink_requests)" 4
	assert_equal "$(json_get .result.netlink_redacted)" 2
	# the bug-report flow: the emulator answers from the bundle's trace
	# itself (redacted replies as recorded, zeroed), replay matches;
	# the family lookup and the four requests were answered from it
	rm -f "$EMU_LOG"
	replay_json --replay "$TRACE"
	assert_all_match
	assert_equal "$(json_get .result.netlink_redacted)" 2
	assert_equal "$(jq -s '[.[] | select(.call == "netlink" and .replay_seq != null)] | length' "$EMU_LOG")" 5
	# a device that now errors where evidence was recorded is still a
	# difference once not redacted: the ENXIO device now answers
	m="$BATS_TEST_TMPDIR/answers.json"
	jq '(.netlink.devices[] | select(.name == "0000:02:00.0")) |= {"name": "0000:02:00.0", "evidence": {}}' "$DUMP_SCN" >"$m"
	replay_json "$m"
	assert_failure 1
	assert_regex "$(json_get '.result.differences[0].recorded')" '^error ENXIO$'
}

@test "netlink: a malformed netlink record is bad input and nothing is sent" {
	printf '{"seq":1,"ts":"1.000000","pid":1,"command":"dump","abi":"v6","call":"netlink","netlink":{"dir":"send","hex":"00"}}\n' >"$TRACE"
	under_emu "$DUMP_SCN" -A v6 --fd 7 replay "$TRACE"
	assert_failure 2
	assert_regex "$stderr" "^tsmctl: replay: $TRACE:1: netlink message shorter than its header"
	refute_stderr_has "trace line"
	assert_equal "$(log_count netlink)" 0
	assert_equal "$(log_count ioctl)" 0
	printf '{"seq":1,"ts":"1.000000","pid":1,"command":"dump","abi":"v6","call":"netlink","netlink":{"dir":"send"}}\n' >"$TRACE"
	under_emu "$DUMP_SCN" -A v6 --fd 7 -j replay "$TRACE"
	assert_failure 2
	assert_equal "$(json_get .error.field)" netlink
	assert_equal "$(log_count netlink)" 0
}

@test "netlink: a dir other than send/recv, or a hex whose nlmsg_len is not its length, is bad input at load" {
	record_dump --evidence all
	local bad="$BATS_TEST_TMPDIR/bad.jsonl" s r
	s=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "send" and .netlink.nlmsg_type != 16)][0].seq' "$TRACE")
	r=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "recv" and .netlink.nlmsg_type != 16)][1].seq' "$TRACE")
	jq -c "if .seq == $r then .netlink.dir = \"in\" else . end" "$TRACE" >"$bad"
	under_emu "$DUMP_SCN" -A v6 --fd 7 replay "$bad"
	LAST_JSON=0
	assert_bad_input "$bad:$(line_of "$r"): " 'netlink.dir must be "send" or "recv", got "in"'
	assert_nothing_sent
	# the header says 8 bytes more than the hex holds: a send, then a reply
	jq -c "if .seq == $s then .netlink.hex |= (\"38\" + .[2:]) else . end" "$TRACE" >"$bad"
	under_emu "$DUMP_SCN" -A v6 --fd 7 -j replay "$bad"
	LAST_JSON=1
	validate_json replay
	assert_bad_input "$bad:$(line_of "$s"): netlink message of 48 bytes with nlmsg_len 56 in its header"
	assert_nothing_sent
	jq -c "if .seq == $r then .netlink.nlmsg_len += 1 else . end" "$TRACE" >"$bad"
	under_emu "$DUMP_SCN" -A v6 --fd 7 replay "$bad"
	LAST_JSON=0
	assert_bad_input "$bad:$(line_of "$r"): netlink.nlmsg_len"
	assert_nothing_sent
}

@test "netlink: redacted replies make a partial match: a note in JSON and on stdout in text mode" {
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$BATS_TEST_TMPDIR/t.jsonl" -j dump \
		--evidence measurements,report --bundle "$BATS_TEST_TMPDIR/b.tgz"
	assert_success
	tar -C "$BATS_TEST_TMPDIR" -xzf "$BATS_TEST_TMPDIR/b.tgz"
	TRACE="$BATS_TEST_TMPDIR/tsmctl-bundle/trace.jsonl"
	replay_json "$DUMP_SCN"
	assert_all_match
	assert_equal "$(json_get .result.netlink_redacted)" 2
	assert_regex "$(json_get .result.note)" '^partial match: 2 netlink request\(s\) had replies redacted by dump --bundle, compared by count, kind, length'
	under_emu "$DUMP_SCN" -A v6 --fd 7 replay "$TRACE"
	assert_success
	assert_regex "$output" 'match: +true'
	assert_regex "$output" 'note: +partial match: 2 netlink request\(s\) had replies redacted by dump --bundle'
	# nothing redacted: no note
	TRACE="$BATS_TEST_TMPDIR/trace.jsonl"
	record_dump --evidence all
	replay_json "$DUMP_SCN"
	assert_all_match
	assert_equal "$(json_get '.result | has("note")')" false
}

@test "netlink: every reply byte is compared; a difference is shown from its first byte" {
	record_dump --evidence all
	local r at
	# the first pci-tsm data reply longer than 120 bytes: change its
	# payload byte 100 (past what a difference line shows from byte 0)
	r=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "recv" and .netlink.nlmsg_type != 16 and .netlink.nlmsg_type != 2 and .netlink.nlmsg_len > 120)][0].seq' "$TRACE")
	[ "$r" != null ]
	at=$((2 * (16 + 100)))
	jq -c --argjson r "$r" --argjson at "$at" 'if .seq == $r then .netlink.hex |= (.[0:$at] + (if .[$at:$at+2] == "ff" then "00" else "ff" end) + .[$at+2:]) else . end' \
		"$TRACE" >"$BATS_TEST_TMPDIR/changed.jsonl"
	mv "$BATS_TEST_TMPDIR/changed.jsonl" "$TRACE"
	replay_json "$DUMP_SCN"
	assert_failure 1
	assert_equal "$(json_get .result.differences_count)" 1
	assert_regex "$(json_get '.result.differences[0].recorded')" '^evidence, [0-9]+ bytes: from byte 100: '
	assert_regex "$(json_get '.result.differences[0].now')" '^evidence, [0-9]+ bytes: from byte 100: '
}

@test "netlink: a redacted bundle still shows a device whose evidence changed kind or length" {
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$BATS_TEST_TMPDIR/t.jsonl" -j dump \
		--evidence all --bundle "$BATS_TEST_TMPDIR/b.tgz"
	assert_success
	tar -C "$BATS_TEST_TMPDIR" -xzf "$BATS_TEST_TMPDIR/b.tgz"
	TRACE="$BATS_TEST_TMPDIR/tsmctl-bundle/trace.jsonl"
	local m="$BATS_TEST_TMPDIR/changed.json" s1
	s1=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "send" and .netlink.nlmsg_type != 16)][0].seq' "$TRACE")
	# 0000:01:00.0's evidence is now empty: fewer, shorter replies
	jq '.netlink.devices[0].evidence = {}' "$DUMP_SCN" >"$m"
	replay_json "$m"
	assert_failure 1
	assert_equal "$(json_get '[.result.differences[] | .seq] | join(",")')" "$s1"
	assert_regex "$(json_get '.result.differences[0].recorded')" '\(redacted\)'
	# the same trace against the fixtures it came from matches (partially)
	replay_json "$DUMP_SCN"
	assert_all_match
}

@test "replay --trace records the calls it re-issues; that trace replays in turn" {
	record_dump --vdevice 3 --evidence all
	local rt="$BATS_TEST_TMPDIR/replayed.jsonl"
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$rt" -j replay "$TRACE"
	assert_success
	run validate_trace "$rt"
	assert_success
	# every ioctl and netlink message of the replay, in the same kinds
	assert_equal "$(jq -s '[.[] | select(.call == "ioctl" and .phase != "intent")] | length' "$rt")" "$(trace_ioctls)"
	# the evidence messages (replay looks up only the trace's family)
	assert_equal "$(jq -s '[.[] | select(.call == "netlink" and .netlink.family != null)] | length' "$rt")" \
		"$(jq -s '[.[] | select(.call == "netlink" and .netlink.family != null)] | length' "$TRACE")"
	assert_equal "$(jq -s -c '[.[] | select(.call == "ioctl" and .phase != "intent") | .replay_of]' "$rt")" \
		"$(jq -s -c '[.[] | select(.call == "ioctl" and .phase != "intent") | .seq]' "$TRACE")"
	TRACE=$rt
	replay_json "$DUMP_SCN"
	assert_all_match
}

@test "netlink: a family id allocated differently is no difference; a netlink-only trace is traced too" {
	record_dump --evidence all
	local fam="$BATS_TEST_TMPDIR/fam.jsonl" nl="$BATS_TEST_TMPDIR/nl.jsonl" id
	# pci-tsm's family id in the recorded replies, moved by one
	id=$(jq -s -r '[.[] | select(.call == "netlink" and .netlink.dir == "recv" and .netlink.nlmsg_type > 16)][0].netlink.nlmsg_type' "$TRACE")
	[ "$id" -gt 16 ] && [ "$id" -lt 255 ]
	# nlmsg_type is bytes 4-5 of the message, little-endian
	jq -c --argjson id "$id" --arg b "$(printf '%02x' $((id + 1)))" \
		'if .call == "netlink" and .netlink.nlmsg_type == $id then .netlink.nlmsg_type = $id + 1 | .netlink.hex |= (.[0:8] + $b + .[10:]) else . end' \
		"$TRACE" >"$fam"
	[ "$(jq -s -r --argjson id "$id" '[.[] | select(.netlink.nlmsg_type == $id + 1)] | length' "$fam")" -gt 0 ]
	TRACE=$fam
	replay_json "$DUMP_SCN"
	assert_all_match
	# only netlink records: --trace still records them, or refuses a bad path
	jq -c 'select(.call == "netlink" or .call == "start")' "$fam" >"$nl"
	TRACE=$nl
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$BATS_TEST_TMPDIR/rt.jsonl" -j replay "$nl"
	assert_success
	assert_equal "$(jq -s '[.[] | select(.call == "netlink" and .netlink.family != null)] | length' "$BATS_TEST_TMPDIR/rt.jsonl")" \
		"$(jq -s '[.[] | select(.call == "netlink" and .netlink.family != null)] | length' "$nl")"
	rm -f "$EMU_LOG"
	under_emu "$DUMP_SCN" -A v6 --fd 7 --trace "$BATS_TEST_TMPDIR/no/dir/t" -j replay "$nl"
	assert_failure 2
	assert_equal "$(json_get .error.field)" --trace
	assert_equal "$(log_count netlink)" 0
}

@test "a malformed trace names the file as error.value" {
	printf '{bad\n' >"$TRACE"
	under_emu "$DUMP_SCN" -A v6 --fd 7 -j replay "$TRACE"
	assert_failure 2
	assert_equal "$(json_get .error.field)" TRACE
	assert_equal "$(json_get .error.value)" "$TRACE"
	assert_regex "$(json_get .error.message)" "^$TRACE:1: invalid JSON"
}

@test "replay -n lists each call it would re-issue, state changes marked, nothing sent" {
	record v6
	rm -f "$EMU_LOG"
	under_emu "$(scn v6)" -A v6 --fd 7 -n -j replay "$TRACE"
	assert_success
	validate_json
	assert_equal "$(json_get .dry_run)" true
	assert_equal "$(log_count ioctl)" 0
	assert_equal "$(json_get '.result.calls | length')" "$(trace_ioctls)"
	# in trace order, one per recorded call, the seqs of the trace
	assert_equal "$(json_get '[.result.calls[].seq] | join(" ")')" \
		"$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .seq' "$TRACE" | xargs)"
	assert_equal "$(json_get '[.result.calls[] | "\(.what):\(.state_change)"] | join(" ")')" \
		"bind:true validate-mmio:true set-tdi-state:true sev-enable-dma:true set-tdi-state:true set-tdi-state:true validate-mmio:true bind:true sev-disable-dma:true set-tdi-state:true unbind:true"
	# text mode: the same list
	under_emu "$(scn v6)" -A v6 --fd 7 -n replay "$TRACE"
	assert_success
	assert_equal "$(grep -c 'state_change: *true' <<<"$output")" 11
	assert_equal "$stderr" "tsmctl: replay: dry run: nothing sent"
	# read-only requests are not state changes (v7: object-info, read-object)
	TRACE=$BATS_TEST_TMPDIR/v7.jsonl
	record v7
	under_emu "$(scn v7)" -A v7 --fd 7 -n -j replay "$TRACE"
	assert_success
	assert_equal "$(json_get '[.result.calls[] | select(.what == "object-info" or .what == "read-object") | .state_change] | unique | join(" ")')" false
	assert_equal "$(json_get '[.result.calls[] | select(.what == "set-tdi-state") | .state_change] | unique | join(" ")')" true
}
