#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job (README, first command): bring up an Arm CCA TDI by hand
# against tsm-emu, the kernel emulator (no kernel here has the vdevice TSM
# ioctls): connect the device to the TSM (sysfs), bind, validate an MMIO
# range, lock, run, a scripted TSM failure whose tsm_code is decoded, then
# unbind and disconnect. Every step prints the command exactly as it runs
# and its real output; connect and disconnect read their state back
# themselves, tsmctl list (read-only: the device's sysfs tsm/ attributes
# and a probe of the vdevice) shows the state around the ioctls, and the
# emulator's call log shows what reached the kernel.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TSMCTL=${TSMCTL:-$here/../../tsmctl}
EMU=${TSM_EMU:-$here/../emu/tsm-emu}
# the emulator's call log: LOG=FILE keeps it, a temporary one is removed
keep=${LOG:+1}
LOG=${LOG:-$(mktemp /tmp/tsm-emu-log.XXXXXX)}

cat >"$LOG.sh" <<SCRIPT
set -u
t=$TSMCTL
s() { printf '\n== %s\n' "\$1"; }
# each command printed exactly as it runs, then its output and exit status
run() { printf '\$ tsmctl %s\n' "\$*"; "\$t" "\$@"; echo "-- exit status \$?"; }
s "state before: device 0000:01:00.0 not connected, not bound; vdevice 3 exists"
run --fd 7 list --vdevice 3
s "connect the device's DSM to the TSM: SPDM session and IDE (sysfs tsm/connect, read back)"
run connect --bdf 0000:01:00.0
s "what bind would send (dry run: nothing is opened)"
run --fd 7 bind --vdevice 3 -n
s "bind the TDI to the VM (quiet on success; -v shows the exchange)"
run --fd 7 -v bind --vdevice 3
s "validate the MMIO range the guest will use (a state change: quiet unless -v)"
run --fd 7 -v req --vdevice 3 --arch cca --op validate-mmio --field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000
s "lock the TDI (CONFIG_LOCKED)"
run --fd 7 -v set-run --vdevice 3 --arch cca --state lock
s "move it to RUN"
run --fd 7 -v set-run --vdevice 3 --arch cca --state run
s "state after: bound, TDI in RUN"
run --fd 7 list --vdevice 3
s "a scripted TSM failure: the TSM answers a second MMIO range with RMI status 6, index 3"
run --fd 7 req --vdevice 3 --arch cca --op validate-mmio --field gpa_base=0x80010000 --field gpa_top=0x80020000 --field pa_base=0x4000010000
s "the same value decoded offline"
run req --arch cca --decode-tsm-code 0x306
s "unbind the TDI from the VM"
run --fd 7 -v unbind --vdevice 3
s "state after unbind"
run --fd 7 list --vdevice 3
s "disconnect the device from the TSM (sysfs tsm/disconnect, read back)"
run disconnect --bdf 0000:01:00.0
SCRIPT

"$EMU" --scenario "$here/cca-bringup.json" --log "$LOG" -- sh "$LOG.sh"
rc=$?
printf '\n== what reached the (emulated) kernel: its call log (removed at exit unless LOG=FILE)\n'
filter='(select(.call=="ioctl") | "\(.seq) \(.ioctl) \(.request) \(.struct_hex) -> ret \(.ret) \(.errno_name // "OK")\(if .tsm_code then " tsm_code " + (.tsm_code|tostring) else "" end)"), (select(.call=="sysfs_write") | "\(.seq // "-") write \(.path) \(.data | @json) -> ret \(.ret) \(.errno_name // "OK")")'
if command -v jq >/dev/null 2>&1; then
	printf "\$ jq -r '%s' %s\n" "$filter" "$LOG"
	jq -r "$filter" "$LOG"
else
	printf '$ cat %s\n' "$LOG"
	cat "$LOG"
fi
rm -f "$LOG.sh"
[ -n "$keep" ] || rm -f "$LOG"
exit $rc
