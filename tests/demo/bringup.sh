#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job (README, first command): bring up an Arm CCA TDI by hand
# against tsm-emu, the kernel emulator (no kernel here has the vdevice TSM
# ioctls): connect the device to the TSM (sysfs), bind, validate an MMIO
# range, lock, run, a scripted TSM failure whose tsm_code is decoded, then
# unbind and disconnect. Every step prints what tsmctl sends and gets
# back; connect and disconnect read their state back themselves,
# read-only dumps of the vdevice and of the device's sysfs tsm/ attributes
# show the state around the ioctls, and the emulator's call log shows
# what reached the kernel.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TSMCTL=${TSMCTL:-$here/../../tsmctl}
EMU=${TSM_EMU:-$here/../emu/tsm-emu}
LOG=${LOG:-$(mktemp /tmp/tsm-emu-log.XXXXXX)}

step() {
	printf '\n== %s\n$ tsmctl %s\n' "$1" "$2"
}

cat >"$LOG.sh" <<SCRIPT
set -u
t=$TSMCTL
s() { printf '\n== %s\n\$ tsmctl %s\n' "\$1" "\$2"; }
run() { "\$t" "\$@"; echo "-- exit status \$?"; }
state() {
	if command -v jq >/dev/null; then
		out=\$("\$t" --fd 7 -j dump --vdevice 3 --bdf 0000:01:00.0 --evidence none)
		rc=\$?
		printf '%s\n' "\$out" |
			jq '{vdevice: .result.iommufd.vdevices[0] | {vdevice_id, state, meaning},
			     "0000:01:00.0/tsm": .result.sysfs.pci_devices[0].tsm}'
	else
		"\$t" --fd 7 dump --vdevice 3 --bdf 0000:01:00.0 --evidence none
		rc=\$?
	fi
	echo "-- exit status \$rc"
}
# a sysfs step (connect, disconnect): its write and the state read back
link() {
	if command -v jq >/dev/null; then
		out=\$("\$t" -j "\$@")
		rc=\$?
		printf '%s\n' "\$out" |
			jq '.result | {writes: [.writes[] | "\\(.path) <- \\(.data | rtrimstr("\\n")): \\(.completion)"],
			     before: .before.attributes, after: .after.attributes,
			     ide_streams: .after.host_bridge | {streams, available_secure_streams}}'
	else
		"\$t" "\$@"
		rc=\$?
	fi
	echo "-- exit status \$rc"
}
s "state before: vdevice 3 exists, its device is neither connected nor bound (read-only dump)" "--fd 7 dump --vdevice 3 --bdf 0000:01:00.0 --evidence none"
state
s "connect the device's DSM to the TSM: SPDM session and IDE (sysfs tsm/connect, read back)" "connect --bdf 0000:01:00.0"
link connect --bdf 0000:01:00.0
s "what bind would send (dry run: nothing is opened)" "--fd 7 bind --vdevice 3 -n"
run --fd 7 bind --vdevice 3 -n
s "bind the TDI to the VM (quiet on success; -v shows the exchange)" "--fd 7 -v bind --vdevice 3"
run --fd 7 -v bind --vdevice 3
s "validate the MMIO range the guest will use (a state change: quiet unless -v)" "--fd 7 -v req --vdevice 3 --arch cca --op validate-mmio --field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000"
run --fd 7 -v req --vdevice 3 --arch cca --op validate-mmio --field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000
s "lock the TDI (CONFIG_LOCKED)" "--fd 7 -v set-run --vdevice 3 --arch cca --state lock"
run --fd 7 -v set-run --vdevice 3 --arch cca --state lock
s "move it to RUN" "--fd 7 -v set-run --vdevice 3 --arch cca --state run"
run --fd 7 -v set-run --vdevice 3 --arch cca --state run
s "state after: bound, locked and accepted (RUN)" "--fd 7 dump --vdevice 3 --bdf 0000:01:00.0 --evidence none"
state
s "a scripted TSM failure: the TSM answers a second MMIO range with RMI status 6, index 3" "--fd 7 -j req --vdevice 3 --arch cca --op validate-mmio --field gpa_base=0x80010000 --field gpa_top=0x80020000 --field pa_base=0x4000010000"
run --fd 7 -j req --vdevice 3 --arch cca --op validate-mmio --field gpa_base=0x80010000 --field gpa_top=0x80020000 --field pa_base=0x4000010000
s "the same value decoded offline" "req --arch cca --decode-tsm-code 0x306"
run req --arch cca --decode-tsm-code 0x306
s "unbind the TDI from the VM" "--fd 7 -v unbind --vdevice 3"
run --fd 7 -v unbind --vdevice 3
s "state after unbind" "--fd 7 dump --vdevice 3 --bdf 0000:01:00.0 --evidence none"
state
s "disconnect the device from the TSM (sysfs tsm/disconnect, read back)" "disconnect --bdf 0000:01:00.0"
link disconnect --bdf 0000:01:00.0
SCRIPT

"$EMU" --scenario "$here/cca-bringup.json" --log "$LOG" -- sh "$LOG.sh"
rc=$?
printf '\n== what reached the (emulated) kernel: %s\n' "$LOG"
if command -v jq >/dev/null 2>&1; then
	jq -r '(select(.call=="ioctl") | "\(.seq) \(.ioctl) \(.request) \(.struct_hex) -> ret \(.ret) \(.errno_name // "OK")\(if .tsm_code then " tsm_code " + (.tsm_code|tostring) else "" end)"),
	       (select(.call=="sysfs_write") | "\(.seq // "-") write \(.path) \(.data | @json) -> ret \(.ret) \(.errno_name // "OK")")' "$LOG"
else
	cat "$LOG"
fi
rm -f "$LOG.sh"
exit $rc
