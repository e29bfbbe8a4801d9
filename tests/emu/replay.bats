#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tsm-emu --replay: ioctls answered from a tsmctl trace.

bats_load_library bats-support
bats_load_library bats-assert

EMU_DIR="$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)"
EMU="$EMU_DIR/tsm-emu"
TGT="$EMU_DIR/target"
TRACE="$EMU_DIR/scenarios/replay.jsonl"

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
