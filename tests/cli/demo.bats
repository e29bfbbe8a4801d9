#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The README's main job (tests/demo/bringup.sh) runs in `make check` too:
# state before, connect, bind, validate MMIO, lock, run, state after, a
# scripted TSM failure, unbind, disconnect under tsm-emu.

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
	assert_equal "$(grep -c -- '-- exit status 0' <<<"$output")" 12
	assert_output --partial '-- exit status 3'
	assert_output --partial 'RMI_ERROR_DEVICE'
	# state before and after, from the emulated sysfs through dump
	local before after
	before=$(sed -n '/^== state before/,/^-- exit/p' <<<"$output")
	after=$(sed -n '/^== state after/,/^-- exit/p' <<<"$output")
	assert_regex "$before" '"bound": ""'
	assert_regex "$before" '"connect": ""'
	assert_regex "$before" '"accept": "0"'
	assert_regex "$after" '"bound": "tsm0"'
	assert_regex "$after" '"lock": "tsm0"'
	assert_regex "$after" '"accept": "1"'
	assert_regex "$after" '"state": "present"'
	# connect and disconnect read their state back
	local conn disc
	conn=$(sed -n '/^== connect/,/^-- exit/p' <<<"$output")
	disc=$(sed -n '/^== disconnect/,/^-- exit/p' <<<"$output")
	assert_regex "$conn" 'tsm/connect <- tsm0: done'
	assert_regex "$conn" '"dsm": "0000:01:00.0"'
	assert_regex "$conn" '"stream0.0.0"'
	assert_regex "$disc" 'tsm/disconnect <- tsm0: done'
	assert_regex "$(sed -n '/"after"/,/}/p' <<<"$disc")" '"connect": ""'
	assert_regex "$(sed -n '/^== state after unbind/,/^-- exit/p' <<<"$output")" '"bound": ""'
	# the emulator's log without dump's read-only probes (OPTION, TSM_OP
	# with flags 1 or type 0): one bind, then validate, lock, run, validate
	assert_equal "$(jq -s '[.[] | select(.call=="ioctl" and (.ioctl=="OPTION" or .fields.flags==1 or .fields.type==0))] | length' "$LOG")" 9
	run jq -r 'select(.call=="ioctl" and .ioctl!="OPTION" and .fields.flags!=1 and .fields.type!=0) | "\(.ioctl) \(.fields.op // .fields.type)"' "$LOG"
	assert_success
	assert_output $'TSM_OP 1\nTSM_REQ 1\nTSM_REQ 2\nTSM_REQ 2\nTSM_REQ 1\nTSM_OP 2'
	# the sysfs writes, connect first and disconnect last, around them
	run jq -r 'select(.call=="ioctl" and .ioctl!="OPTION" and .fields.flags!=1 and .fields.type!=0 or .call=="sysfs_write") | .path // .ioctl' "$LOG"
	assert_line --index 0 /sys/bus/pci/devices/0000:01:00.0/tsm/connect
	assert_line --index 7 /sys/bus/pci/devices/0000:01:00.0/tsm/disconnect
	run jq -r 'select(.call=="ioctl" and .ioctl=="TSM_REQ" and .fields.op==2) | .req_payload_hex' "$LOG"
	assert_output $'01000000\n02000000'
}
