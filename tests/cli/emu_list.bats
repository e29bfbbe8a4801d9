#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tsmctl list (tsmctl-list(8)) over tsm-emu's sysfs fixture in both
# shapes: one line per TSM device with its TSM, connected, bound and TDI
# state, as the state changes made by bind and set-run show it.

load helpers
load emu_helpers

setup() {
	emu_setup
}

# in_emu SHAPE SCRIPT: run SCRIPT under sh in tsm-emu with the scenario
# list_SHAPE.json; "$T" in SCRIPT is "tsmctl -A v6 --fd 7"
in_emu() {
	local scn="$EMU_SCN/list_$1.json"
	# shellcheck disable=SC2086 # TSMCTL_WRAP is a word list on purpose
	T="${TSMCTL_WRAP-} $TSMCTL -A v6 --fd 7" \
		run --separate-stderr "$TSM_EMU" --scenario "$scn" \
		--log "$EMU_LOG" -- sh -c "$2"
}

@test "list, staging shape: connected, bound and the TDI state as it changes" {
	in_emu staging '$T list; echo ---; $T bind --vdevice 3 && $T list
		echo ---; $T set-run --vdevice 3 --arch cca --state lock && $T list
		echo ---; $T set-run --vdevice 3 --arch cca && $T list'
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat <<'OUT'
0000:01:00.0   tsm0   connected    unbound unlocked
0000:01:00.1   -      connected    unbound unlocked
0000:02:00.0   tsm0   connected    unbound unlocked
---
0000:01:00.0   tsm0   connected    unbound unlocked
0000:01:00.1   tsm0   connected    bound   unlocked
0000:02:00.0   tsm0   connected    unbound unlocked
---
0000:01:00.0   tsm0   connected    unbound unlocked
0000:01:00.1   tsm0   connected    bound   locked
0000:02:00.0   tsm0   connected    unbound unlocked
---
0000:01:00.0   tsm0   connected    unbound unlocked
0000:01:00.1   tsm0   connected    bound   run
0000:02:00.0   tsm0   connected    unbound unlocked
OUT
)"
}

@test "list -j, staging shape: an array per kind, the state read from lock and accept" {
	in_emu staging '$T bind --vdevice 3 &&
		$T set-run --vdevice 3 --arch cca --state lock &&
		$T set-run --vdevice 3 --arch cca && $T -j list --vdevice 3 --vdevice 9'
	assert_success
	assert_equal "$stderr" ""
	validate_json
	assert_equal "$(json_get .command)" list
	assert_equal "$(json_get .result.sysfs_shape)" staging
	assert_equal "$(json_get '[.result.devices[] | "\(.bdf) \(.bound) \(.tdi_state) \(.tdi_state_from)"] | join(",")')" \
		"0000:01:00.0 false unlocked tsm/lock and tsm/accept,0000:01:00.1 true run tsm/accept,0000:02:00.0 false unlocked tsm/lock and tsm/accept"
	assert_equal "$(json_get '[.result.vdevices[] | "\(.vdevice_id) \(.state)"] | join(",")')" \
		"3 present,9 absent"
}

@test "list, mainline shape: no lock or accept, so the TDI state is unknown and says why" {
	in_emu mainline '$T bind --vdevice 3 && $T list && $T -j list'
	assert_success
	assert_equal "$stderr" ""
	# 0000:01:00.1 is connected through its DSM, function 0 (tsm/dsm)
	assert_line --index 0 "0000:01:00.0   tsm0   connected    unbound unknown"
	assert_line --index 1 "0000:01:00.1   tsm0   connected    bound   unknown"
	assert_line --index 2 "0000:02:00.0   tsm0   connected    unbound unknown"
	output=${lines[3]}
	validate_json
	assert_equal "$(json_get .result.sysfs_shape)" mainline
	assert_equal "$(json_get '.result.devices[0].tdi_state_from')" \
		"this sysfs shape has no lock or accept attribute"
}

@test "list --bdf filters; a bad --bdf is a usage error naming it, nothing read" {
	in_emu staging '$T list --bdf 0000:02:00.0'
	assert_success
	assert_output "0000:02:00.0   tsm0   connected    unbound unlocked"
	in_emu staging '$T -j list --bdf 0000:02:00.0 --bdf 0000:01:00.1'
	assert_success
	assert_equal "$(json_get '[.result.devices[].bdf] | join(",")')" "0000:01:00.1,0000:02:00.0"
	in_emu staging '$T list --bdf 1:2'
	assert_failure 2
	assert_stderr_has "--bdf '1:2'" "DDDD:BB:DD.F"
	assert_no_ioctl
}

@test "list without TSM devices says why on stderr, nothing on stdout" {
	run_tsmctl -A v6 list
	assert_success
	assert_output ""
	assert_regex "$stderr" "^tsmctl: list: "
	run_json -j -A v6 list
	assert_success
	assert_equal "$(json_get '.result.devices | length')" 0
}
