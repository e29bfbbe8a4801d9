#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tsm-emu sysfs fixture: private mount namespace with a tmpfs over /sys.

bats_load_library bats-support
bats_load_library bats-assert

EMU_DIR="$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)"
EMU="$EMU_DIR/tsm-emu"
TGT="$EMU_DIR/target"
SCN="$EMU_DIR/scenarios"
D=/sys/bus/pci/devices

setup() {
	LOG="$BATS_TEST_TMPDIR/log.jsonl"
	if [ "$(id -u)" != 0 ] && ! unshare -Urm true 2>/dev/null; then
		skip "needs root or unprivileged user namespaces"
	fi
}

le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
	$(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
le64() { le32 $(($1 & 0xffffffff)); le32 $(($1 >> 32 & 0xffffffff)); }
op16() { le32 16; le32 "$1"; le32 "$2"; le32 "$3"; }
req48() { le32 48; le32 "$1"; le32 "$2"; le32 "$3"; le32 "$4"; le32 "$5";
	le64 0; le64 0; le64 0; }

emu() { run timeout 20 "$EMU" --log "$LOG" "$@"; }

@test "sysfs: fixture layout, modes, dsm, pci_mode, BTF, extra files; real /sys untouched" {
	emu --scenario "$SCN/sysfs.json" -- sh -c '
		ls /sys/bus/pci/devices; cat /sys/bus/pci/devices/*/tsm/bound
		xxd /sys/kernel/btf/vmlinux | head -2
		cat /sys/class/tsm/tsm0/pci_mode '$D'/0000:01:00.1/tsm/dsm '$D'/0000:01:00.1/tsm/connect
		cat '$D'/0000:02:00.0/authenticated '$D'/0000:01:00.0/vendor
		stat -c "%a %n" '$D'/0000:01:00.1/tsm/* | sed "s,.*/,&," ; echo "env=$TSM_EMU_SYSFS"'
	assert_success
	assert_line --index 0 "0000:01:00.0"
	assert_line --index 1 "0000:01:00.1"
	assert_line --index 2 "0000:02:00.0"
	assert_line --index 3 --regexp '^00000000: 9feb 0100 1800 0000'
	assert_line --index 5 "link"
	assert_line --index 6 "0000:01:00.0"
	assert_line --index 7 "tsm0"
	assert_line --index 8 "1"
	assert_line --index 9 "0x1234"
	assert_output --partial "200 $D/0000:01:00.1/tsm/disconnect"
	assert_output --partial "200 $D/0000:01:00.1/tsm/unlock"
	assert_output --partial "444 $D/0000:01:00.1/tsm/bound"
	assert_output --partial "644 $D/0000:01:00.1/tsm/lock"
	assert_output --partial "env=1"
	refute_output --partial "tsm-emu-new"
	# the fixture is private to COMMAND
	! grep -q tsm-emu-sysfs /proc/self/mountinfo
	[ -d /sys/devices/system/cpu ]
}

@test "sysfs: bound, lock and accept follow TSM_OP bind/unbind and SET_TDI_STATE" {
	emu --scenario "$SCN/sysfs.json" -- sh -c '
		f='$D'/0000:01:00.1/tsm; s() { echo "bound=$(cat $f/bound) lock=$(cat $f/lock) accept=$(cat $f/accept)"; }
		s; "$0" fd 7 ioctl 0x96 "$1" >/dev/null; s
		"$0" fd 7 ioctl 0x97 "$2" req=01000000 >/dev/null; s
		"$0" fd 7 ioctl 0x97 "$2" req=02000000 >/dev/null; s
		"$0" fd 7 ioctl 0x97 "$2" req=00000000 >/dev/null; s
		"$0" fd 7 ioctl 0x96 "$3" >/dev/null; s
		cat '$D'/0000:02:00.0/tsm/bound | wc -c' "$TGT" "$(op16 1 0 3)" "$(req48 3 2 1 4 0)" "$(op16 2 0 3)"
	assert_success
	assert_line --index 0 "bound= lock= accept=0"
	assert_line --index 1 "bound=tsm0 lock= accept=0"
	assert_line --index 2 "bound=tsm0 lock=tsm0 accept=0"
	assert_line --index 3 "bound=tsm0 lock=tsm0 accept=1"
	assert_line --index 4 "bound=tsm0 lock= accept=0"
	assert_line --index 5 "bound= lock= accept=0"
	assert_line --index 6 "0"
}

@test "sysfs: --sysfs, btf profile override and btf false; v7 vdevices start bound" {
	sed 's/"sysfs": {/"btf": "v5", "sysfs": {/' "$SCN/sysfs.json" > "$BATS_TEST_TMPDIR/v5.json"
	sed 's/"sysfs": {/"btf": false, "sysfs": {/' "$SCN/sysfs.json" > "$BATS_TEST_TMPDIR/nobtf.json"
	"$EMU_DIR/mkbtf" v5 "$BATS_TEST_TMPDIR/v5.btf"
	"$EMU_DIR/mkbtf" v7 "$BATS_TEST_TMPDIR/v7.btf"
	emu --scenario "$BATS_TEST_TMPDIR/v5.json" --profile v7 -- cmp /sys/kernel/btf/vmlinux "$BATS_TEST_TMPDIR/v5.btf"
	assert_success
	emu --scenario "$SCN/sysfs.json" --profile v7 -- sh -c 'cmp /sys/kernel/btf/vmlinux "$0" && cat /sys/bus/pci/devices/0000:01:00.1/tsm/bound' "$BATS_TEST_TMPDIR/v7.btf"
	assert_success
	assert_output "tsm0"
	emu --scenario "$BATS_TEST_TMPDIR/nobtf.json" -- sh -c 'ls /sys/kernel/btf/vmlinux'
	assert_failure
	emu --sysfs -- sh -c 'ls -R /sys | grep -c .; cat /sys/class/tsm/tsm0/pci_mode'
	assert_success
	assert_line --index 1 "link"
}

@test "sysfs: bad bdf, bad extra path and bad btf are scenario errors" {
	sed 's/0000:01:00.1/01:00.1/' "$SCN/sysfs.json" > "$BATS_TEST_TMPDIR/b1.json"
	emu --scenario "$BATS_TEST_TMPDIR/b1.json" -- true
	assert_failure 2
	assert_output --partial '"bdf": "01:00.1" is not like 0000:01:00.0'
	sed 's,bus/pci/devices/0000:01:00.0/vendor,../etc/x,' "$SCN/sysfs.json" > "$BATS_TEST_TMPDIR/b2.json"
	emu --scenario "$BATS_TEST_TMPDIR/b2.json" -- true
	assert_failure 2
	assert_output --partial '$.sysfs: "extra": bad path'
	sed 's/"sysfs": {/"btf": "v9", "sysfs": {/' "$SCN/sysfs.json" > "$BATS_TEST_TMPDIR/b3.json"
	emu --scenario "$BATS_TEST_TMPDIR/b3.json" -- true
	assert_failure 2
	assert_output --partial '"btf": expected'
}

@test "sysfs: unprivileged (user namespace) fixture is kept in step too" {
	[ "$(id -u)" = 0 ] || skip "run as root to drop to nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urm true 2>/dev/null ||
		skip "no unprivileged user namespaces"
	run setpriv --reuid=65534 --regid=65534 --clear-groups timeout 20 "$EMU" \
		--scenario "$SCN/sysfs.json" -- sh -c '
		id -u; "$0" fd 7 ioctl 0x96 "$1" >/dev/null; cat '$D'/0000:01:00.1/tsm/bound' "$TGT" "$(op16 1 0 3)"
	assert_success
	assert_output "$(printf '65534\ntsm0')"
}
