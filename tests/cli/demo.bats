#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The README's main job (tests/demo/bringup.sh) runs in `make check` too:
# bind, validate MMIO, lock, run and a scripted TSM failure under tsm-emu.

bats_load_library bats-support
bats_load_library bats-assert

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export TSMCTL=${TSMCTL:-$ROOT/tsmctl}
	export TSM_EMU=${TSM_EMU:-$ROOT/tests/emu/tsm-emu}
	export LOG=$BATS_TEST_TMPDIR/emu.log
}

@test "bring-up demo runs every step and the kernel sees them in order" {
	run "$ROOT/tests/demo/bringup.sh"
	assert_success
	# each step's exit status as the operator sees it
	assert_equal "$(grep -c -- '-- exit status 0' <<<"$output")" 6
	assert_output --partial '-- exit status 3'
	assert_output --partial 'RMI_ERROR_DEVICE'
	# the emulator's log: one bind, then validate, lock, run, validate
	run jq -r 'select(.call=="ioctl") | "\(.ioctl) \(.fields.op // .fields.type)"' "$LOG"
	assert_success
	assert_output $'TSM_OP 1\nTSM_REQ 1\nTSM_REQ 2\nTSM_REQ 2\nTSM_REQ 1'
	run jq -r 'select(.call=="ioctl" and .ioctl=="TSM_REQ" and .fields.op==2) | .req_payload_hex' "$LOG"
	assert_output $'01000000\n02000000'
}
