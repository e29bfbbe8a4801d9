#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The README's main job (tests/demo/bringup.sh) runs in `make check` too:
# state before, connect, bind, validate MMIO, lock, run, state after, a
# scripted TSM failure, unbind, disconnect under tsm-emu, each command
# printed exactly as it runs.

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
	# state before and after, from the emulated sysfs through list
	local before after
	before=$(sed -n '/^== state before/,/^-- exit/p' <<<"$output")
	after=$(sed -n '/^== state after/,/^-- exit/p' <<<"$output")
	assert_equal "$before" "$(cat <<'OUT'
== state before: device 0000:01:00.0 not connected, not bound; vdevice 3 exists
$ tsmctl --fd 7 list --vdevice 3
0000:01:00.0   -      disconnected unbound unlocked
vdevice 3      present: found; its vIOMMU has a KVM file, so TSM_OP can proceed
-- exit status 0
OUT
)"
	assert_regex "$after" $'\n0000:01:00.0   tsm0   connected    bound   run\n'
	assert_regex "$(sed -n '/^== state after unbind/,/^-- exit/p' <<<"$output")" \
		$'\n0000:01:00.0   tsm0   connected    unbound unlocked\n'
	# connect and disconnect read their state back
	local conn disc
	conn=$(sed -n '/^== connect/,/^-- exit/p' <<<"$output")
	disc=$(sed -n '/^== disconnect/,/^-- exit/p' <<<"$output")
	assert_regex "$conn" 'path: +/sys/bus/pci/devices/0000:01:00.0/tsm/connect'
	assert_regex "$(sed -n '/^after:/,$p' <<<"$conn")" 'dsm: +0000:01:00.0'
	assert_regex "$(sed -n '/^after:/,$p' <<<"$conn")" 'stream0\.0\.0'
	assert_regex "$disc" 'path: +/sys/bus/pci/devices/0000:01:00.0/tsm/disconnect'
	assert_regex "$(sed -n '/^after:/,$p' <<<"$disc")" $'\n    connect:\n'
	assert_regex "$disc" $'\ncompletion: done\n'
	# each step's command is printed exactly as it runs: run the printed
	# dry run again and compare its output
	local shown
	shown=$(sed -n '/^== what bind would send/,/^-- exit/p' <<<"$output" | sed '1,2d;$d')
	assert_equal "$(sed -n '/^== what bind would send/{n;p}' <<<"$output")" \
		'$ tsmctl --fd 7 bind --vdevice 3 -n'
	assert_equal "$shown" "$("$TSMCTL" -A v6 --fd 7 bind --vdevice 3 -n 2>&1)"
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
