#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tsm-emu --replay: ioctls (and netlink) answered from a tsmctl trace.

bats_load_library bats-support
bats_load_library bats-assert

EMU_DIR="$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)"
EMU="$EMU_DIR/tsm-emu"
TGT="$EMU_DIR/target"
TRACE="$EMU_DIR/scenarios/replay.jsonl"
NLC="$EMU_DIR/nlclient"
TSMCTL="${TSMCTL:-$EMU_DIR/../../tsmctl}"
DUMP_SCN="$EMU_DIR/../cli/scenarios/emu_dump.json"

setup() {
	LOG="$BATS_TEST_TMPDIR/log.jsonl"
}

le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
	$(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
le64() { le32 $(($1 & 0xffffffff)); le32 $(($1 >> 32 & 0xffffffff)); }
op16() { le32 16; le32 "$1"; le32 "$2"; le32 "$3"; }
req48() { le32 48; le32 "$1"; le32 "$2"; le32 "$3"; le32 "$4"; le32 "$5";
	le64 0; le64 0; le64 0; }

emu() { run timeout 20 "$EMU" --log "$LOG" "$@"; }

@test "replay: rc, residue, response bytes, tsm_code at @40, errno; pointers ignored" {
	emu --replay "$TRACE" -- "$TGT" open /dev/iommu \
		ioctl 0x96 "$(op16 1 0 3)" \
		ioctl 0x97 "$(req48 3 2 1 4 16)" req=01000000 resp=16 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=02000000
	assert_success
	assert_line --index 1 "ioctl 0x3b96 rc=0 errno=0 struct=$(op16 1 0 3)"
	assert_line --index 2 --partial "rc=12 errno=0 struct=$(req48 3 2 1 4 16 | cut -c1-80)0106000000000000 resp=aabbccdd guard=ee"
	assert_line --index 3 --partial "rc=-1 errno=EINVAL struct=$(req48 3 2 1 4 0 | cut -c1-80)00000000080600c0"
	run grep -c '"replay":true' "$LOG"
	assert_output 3
	run grep -o '"replay_seq":[0-9]*' "$LOG"
	assert_output "$(printf '"replay_seq":%s\n' 3 4 5)"
}

@test "replay: mismatch gives EIO and is logged without consuming the record; exhausted trace; uncovered codes go to the model" {
	emu --replay "$TRACE" -- "$TGT" open /dev/iommu \
		ioctl 0x96 "$(op16 2 0 3)" \
		ioctl 0x96 "$(op16 1 0 3)" \
		ioctl 0x97 "$(req48 3 2 1 4 16)" req=01000000 resp=16 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=02000000 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=02000000 \
		ioctl 0x87 "$(le32 24)$(le32 0)$(le32 1)$(le32 0)$(le64 0)"
	assert_success
	assert_line --index 1 --partial "rc=-1 errno=EIO"
	assert_line --index 2 --partial "rc=0 errno=0"
	assert_line --index 3 --partial "rc=12 errno=0"
	assert_line --index 4 --partial "errno=EINVAL"
	assert_line --index 5 --partial "rc=-1 errno=EIO"
	assert_line --index 6 --partial "ioctl 0x3b87 rc=0 errno=0"
	run grep '"replay_mismatch":true' "$LOG"
	assert_line --index 0 --partial '"expected_seq":3,"replay_mismatch":true,"why":"struct bytes differ","expected_request":"0x3b96","expected_struct_hex":"10000000010000000000000003000000"'
	assert_line --index 1 --partial '"why":"trace exhausted"'
	run grep -c '"ioctl":"OPTION"' "$LOG"
	assert_output 1
}

@test "replay: unreadable or malformed trace is a usage error" {
	emu --replay /nonexistent -- true
	assert_failure 2
	assert_output --partial "--replay /nonexistent:"
	printf '{"call":"start"}\n{"call":"ioctl","ioctl":{"request":15254}}\n' > "$BATS_TEST_TMPDIR/bad.jsonl"
	emu --replay "$BATS_TEST_TMPDIR/bad.jsonl" -- true
	assert_failure 2
	assert_output --partial "bad.jsonl:2: no ioctl.struct_hex"
	printf 'not json\n' > "$BATS_TEST_TMPDIR/bad2.jsonl"
	emu --replay "$BATS_TEST_TMPDIR/bad2.jsonl" -- true
	assert_failure 2
	assert_output --partial "bad2.jsonl:1: not a JSON object"
}

# --- netlink replay (tsmctl dump traces) ---

need_tsmctl() {
	[ -x "$TSMCTL" ] || skip "tsmctl not built"
	[ -r "$DUMP_SCN" ] || skip "no $DUMP_SCN"
	# the same fixture without its "netlink" section: replies must come
	# from the trace (the sysfs devices and the context at fd 7 stay)
	jq 'del(.netlink)' "$DUMP_SCN" > "$BATS_TEST_TMPDIR/nonl.json"
}

# record REC.json and TRACE of `tsmctl dump` under emu_dump.json: every
# evidence type in 100-byte chunks, an EAGAIN restart of the first device
# (NLMSG_DONE), ENXIO with an extack for the second, ENODEV, empty objects
record_dump() {
	run timeout 20 "$EMU" --scenario "$DUMP_SCN" --faults "$FAULTS" -- \
		"$TSMCTL" -j --fd 7 --trace "$BATS_TEST_TMPDIR/trace.jsonl" \
		dump --evidence all "$@"
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/rec.json"
}

replay_dump() {
	run timeout 20 "$EMU" --log "$LOG" --scenario "$BATS_TEST_TMPDIR/nonl.json" \
		--replay "$1" -- "$TSMCTL" -j --fd 7 dump "${@:2}"
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/rep.json"
}

# message 1 is the device-evidence lookup (absent here), 2 pci-tsm's
FAULTS='nl:3:eagain,nl:5:extack=no TSM here'

ev() { jq -cS '.result.sysfs.pci_devices[] | {bdf, evidence}' "$BATS_TEST_TMPDIR/$1.json"; }

@test "replay netlink: a tsmctl dump trace replays to the same evidence (every type, chunks, EAGAIN restart, ENXIO extack)" {
	need_tsmctl
	record_dump
	run jq -c '.result.sysfs.pci_devices[1].evidence.kernel_message' "$BATS_TEST_TMPDIR/rec.json"
	assert_output '"no TSM here"'
	replay_dump "$BATS_TEST_TMPDIR/trace.jsonl" --evidence all
	[ "$(ev rep)" = "$(ev rec)" ]
	run jq -c '[.result.sysfs.pci_devices[].evidence | [.ok, .restarts, .errno, .kernel_message, (.objects // [] | length)]]' "$BATS_TEST_TMPDIR/rep.json"
	assert_output '[[true,1,null,null,11],[false,0,6,"no TSM here",0],[false,0,19,null,0],[true,0,null,null,11]]'
	# every netlink request came from the trace, in order, with live seq
	run grep -c '"call":"netlink"' "$LOG"
	assert_output 7
	run grep -c '"call":"netlink",.*"replay":true,.*"replay_seq"' "$LOG"
	assert_output 7
	! grep -q '"replay_mismatch"' "$LOG"
	run grep -o '"name":"[^"]*".*"replay_seq":[0-9]*,"replies":[0-9]*,"errno":[0-9]*' "$LOG"
	assert_line --index 0 --regexp '^"name":"device-evidence".*"replies":1,"errno":2$'
	assert_line --index 1 --regexp '^"name":"pci-tsm".*"replies":2,"errno":0$'
	assert_line --index 2 --regexp '^"name":"0000:01:00.0".*"replies":[0-9]+,"errno":11$'
	assert_line --index 3 --regexp '^"name":"0000:01:00.0".*"replies":65,"errno":0$'
	assert_line --index 4 --regexp '^"name":"0000:02:00.0".*"replies":1,"errno":6$'
	assert_line --index 5 --regexp '^"name":"0000:03:00.0".*"replies":1,"errno":19$'
	# the ioctls are still replayed too
	grep -q '"call":"ioctl",.*"replay":true' "$LOG"
}

@test "replay netlink: a different --evidence mask is a mismatch: EIO per device, the record is not consumed" {
	need_tsmctl
	record_dump
	replay_dump "$BATS_TEST_TMPDIR/trace.jsonl" --evidence report
	run jq -c '[.result.sysfs.pci_devices[].evidence | [.ok, .errno_name, .kernel_message]] | unique' "$BATS_TEST_TMPDIR/rep.json"
	assert_output '[[false,"EIO","tsm-emu replay: message bytes differ"]]'
	# both GETFAMILYs matched; the four dumps all expected the same record
	run grep -c '"family":"nlctrl",.*"replay_seq"' "$LOG"
	assert_output 2
	run grep -o '"expected_seq":[0-9]*,"replay_mismatch":true,"why":"message bytes differ","expected_hex":"[0-9a-f]*"' "$LOG"
	assert_equal "${#lines[@]}" 4
	[ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" = 1 ]
	grep -q '"type_mask":1024,.*"errno":5,"errno_name":"EIO","error_in":"error","extack":"tsm-emu replay: message bytes differ"' "$LOG"
}

@test "replay netlink: a bundle's redacted replies are delivered zeroed, headers intact; errors still replay" {
	need_tsmctl
	FAULTS='nl:4:extack=no TSM here'
	record_dump --bundle "$BATS_TEST_TMPDIR/b.tgz"
	tar -C "$BATS_TEST_TMPDIR" -xzf "$BATS_TEST_TMPDIR/b.tgz"
	BT="$BATS_TEST_TMPDIR/tsmctl-bundle/trace.jsonl"
	grep -q '"redacted":true' "$BT"
	replay_dump "$BT" --evidence all
	# zeroed attributes are no pci-tsm message tsmctl can parse: EPROTO
	run jq -c '[.result.sysfs.pci_devices[].evidence | [.errno_name, .kernel_message]]' "$BATS_TEST_TMPDIR/rep.json"
	assert_output '[["EPROTO",null],["ENXIO","no TSM here"],["ENODEV",null],["EPROTO",null]]'
	# every request matched its record and got its recorded replies
	run grep -c '"replay_mismatch"' "$LOG"
	assert_output 0
	run grep -c '"call":"netlink".*"replay_seq":[0-9]*,"replies":[1-9]' "$LOG"
	assert_output 6
}

@test "replay netlink: a redacted reply without its headers (all zeros): EIO with the reason, errors still replay" {
	need_tsmctl
	# no EAGAIN here: a redacted first dump ends in EIO, so tsmctl would
	# not retry and the recorded retry would be left unused
	FAULTS='nl:4:extack=no TSM here'
	record_dump --bundle "$BATS_TEST_TMPDIR/b.tgz"
	tar -C "$BATS_TEST_TMPDIR" -xzf "$BATS_TEST_TMPDIR/b.tgz"
	BT="$BATS_TEST_TMPDIR/zeros.jsonl"
	jq -c 'if .netlink.redacted then .netlink.hex |= gsub("[0-9a-f]"; "0") else . end' \
		"$BATS_TEST_TMPDIR/tsmctl-bundle/trace.jsonl" >"$BT"
	replay_dump "$BT" --evidence all
	run jq -c '[.result.sysfs.pci_devices[].evidence | [.errno_name, .kernel_message]]' "$BATS_TEST_TMPDIR/rep.json"
	assert_output '[["EIO","tsm-emu replay: reply redacted in the trace"],["ENXIO","no TSM here"],["ENODEV",null],["EIO","tsm-emu replay: reply redacted in the trace"]]'
	run grep -c '"replay_mismatch":true,"why":"reply redacted in the trace","redacted_seq":[0-9]*,"replies":1,"errno":5' "$LOG"
	assert_output 2
	# the redacted dumps were consumed: the next devices matched their records
	run grep -c '"replay_seq":[0-9]*,"replay_mismatch":true' "$LOG"
	assert_output 2
	run grep -c '"expected_seq"' "$LOG"
	assert_output 0
}

@test "replay netlink: no scenario needed; libnl client sees the recorded family, EIO + extack on a mismatch, then exhaustion" {
	need_tsmctl
	record_dump
	run timeout 20 "$EMU" --log "$LOG" --replay "$BATS_TEST_TMPDIR/trace.jsonl" -- \
		"$NLC" resolve pci-tsm
	assert_success
	assert_output "resolve pci-tsm: 29"
	# nlclient's request has NLM_F_ACK and other attribute order: mismatch
	run timeout 20 "$EMU" --log "$LOG" --replay "$BATS_TEST_TMPDIR/trace.jsonl" -- \
		"$NLC" -x dump 0000:01:00.0 0x7ff
	assert_failure
	assert_line "error -5 flags 0x300"
	assert_line "extack: tsm-emu replay: message bytes differ"
	# only the GETFAMILY exchanges (device-evidence: request, ENOENT;
	# pci-tsm: request, NEWFAMILY, ACK): the dump request finds the trace
	# used up
	grep -m5 '"call":"netlink"' "$BATS_TEST_TMPDIR/trace.jsonl" \
		> "$BATS_TEST_TMPDIR/one.jsonl"
	run timeout 20 "$EMU" --log "$LOG" --replay "$BATS_TEST_TMPDIR/one.jsonl" -- \
		"$NLC" -x dump 0000:01:00.0 0x7ff
	assert_failure
	assert_line "extack: tsm-emu replay: trace exhausted"
	grep -q '"replay":true,.*"replay_mismatch":true,"why":"trace exhausted"' "$LOG"
}

@test "replay netlink: a trace without netlink records leaves netlink to the model; malformed netlink records are usage errors" {
	emu --replay "$TRACE" --scenario "$EMU_DIR/scenarios/netlink.json" -- \
		"$NLC" dump 0000:01:00.0 0x100
	assert_success
	assert_output --partial "type 8: chunk 5 1011121314"
	! grep -q '"replay":true' "$LOG"
	emu --replay "$TRACE" -- "$NLC" resolve pci-tsm
	assert_failure
	printf '{"call":"netlink","netlink":{"dir":"up","hex":""}}\n' > "$BATS_TEST_TMPDIR/bad.jsonl"
	emu --replay "$BATS_TEST_TMPDIR/bad.jsonl" -- true
	assert_failure 2
	assert_output --partial 'bad.jsonl:1: netlink.dir: not "send" or "recv"'
	printf '{"call":"netlink","netlink":{"dir":"send","hex":"1000000010000500"}}\n' > "$BATS_TEST_TMPDIR/bad.jsonl"
	emu --replay "$BATS_TEST_TMPDIR/bad.jsonl" -- true
	assert_failure 2
	assert_output --partial 'bad.jsonl:1: netlink.hex: not one netlink message (8 bytes)'
}
