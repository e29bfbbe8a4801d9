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
		cat /sys/class/tsm/tsm0/pci_mode '$D'/0000:01:00.1/tsm/dsm '$D'/0000:01:00.0/tsm/connect
		cat '$D'/0000:02:00.0/authenticated '$D'/0000:01:00.0/vendor
		stat -c "%a %n" '$D'/0000:01:00.1/tsm/* | sed "s,.*/,&," ; echo "env=$TSM_EMU_SYSFS"
		stat -c "%a %n" '$D'/0000:01:00.0/tsm/*connect; readlink '$D'/0000:01:00.1'
	assert_success
	assert_line --index 0 "0000:01:00.0"
	assert_line --index 1 "0000:01:00.1"
	assert_line --index 2 "0000:02:00.0"
	assert_line --index 3 --regexp '^00000000: 9feb 0100 1800 0000'
	assert_line --index 5 "link"
	assert_line --index 6 "0000:01:00.0"
	assert_line --index 7 "tsm0"
	assert_line --index 8 "tsm0"
	assert_line --index 9 "0x1234"
	refute_output --partial "$D/0000:01:00.1/tsm/disconnect"
	assert_output --partial "200 $D/0000:01:00.1/tsm/unlock"
	assert_output --partial "444 $D/0000:01:00.1/tsm/bound"
	assert_output --partial "644 $D/0000:01:00.1/tsm/lock"
	assert_output --partial "env=1"
	assert_output --partial "200 $D/0000:01:00.0/tsm/disconnect"
	assert_output --partial "644 $D/0000:01:00.0/tsm/connect"
	assert_output --partial "../../../devices/pci0000:00/0000:01:00.1"
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

# state of DSM 0000:01:00.0 and its function 1 in sysfs_host.json
host_state() {
	printf '%s\n' 's() { local D0=/sys/bus/pci/devices/0000:01:00.0 H=/sys/devices/pci0000:00
		echo "connect=$(cat $D0/tsm/connect) auth=$(cat $D0/authenticated) dsm=$(cat $D0/tsm/dsm) dsm1=$(cat /sys/bus/pci/devices/0000:01:00.1/tsm/dsm 2>/dev/null || echo -) bound=$(cat $D0/tsm/bound) free=$(cat $H/available_secure_streams) links=$(cd $H && for l in stream*; do [ -L "$l" ] && printf "%s>%s " "$l" "$(readlink $l)"; done) class=$(ls /sys/class/tsm/tsm0 | tr "\n" " ")"; }'
}

@test "sysfs: connect and disconnect (mainline): readback, IDE stream, errnos, TDIs unbound" {
	emu --scenario "$SCN/sysfs_host.json" -- sh -c "$(host_state)"'
		d=/sys/bus/pci/devices/0000:01:00.0/tsm; t="$0"
		s; "$t" write $d/disconnect tsm0 write $d/connect tsm1 write $d/connect tsm write $d/connect tsm0; s
		"$t" write $d/connect tsm0; "$t" fd 7 ioctl 0x96 "$1" >/dev/null; s
		"$t" write $d/disconnect tsm1 write $d/disconnect tsm0; s
		"$t" fd 7 ioctl 0x96 "$1"
		"$t" write /sys/bus/pci/devices/0000:01:00.1/tsm/connect tsm0 write /sys/bus/pci/devices/0000:02:00.0/tsm/connect tsm0
		ls /sys/class/tsm/tsm0/pci_mode 2>&1 | grep -c "No such"' "$TGT" "$(op16 1 0 3)"
	assert_success
	assert_line --index 0 "connect= auth= dsm= dsm1=- bound= free=2 links= class="
	assert_line --index 1 "write ENXIO"
	assert_line --index 2 "write ENXIO"
	assert_line --index 3 "write EINVAL"
	assert_line --index 4 "write ok 5"
	assert_line --index 5 "connect=tsm0 auth=tsm0 dsm=0000:01:00.0 dsm1=0000:01:00.0 bound= free=1 links=stream0.0.0>0000:01:00.0  class="
	assert_line --index 6 "write EBUSY"
	assert_line --index 7 "connect=tsm0 auth=tsm0 dsm=0000:01:00.0 dsm1=0000:01:00.0 bound=tsm0 free=1 links=stream0.0.0>0000:01:00.0  class="
	assert_line --index 8 "write EINVAL"
	assert_line --index 9 "write ok 5"
	assert_line --index 10 "connect= auth= dsm= dsm1=- bound= free=2 links= class="
	# bind needs the DSM connected (pci_tsm_bind: EINVAL)
	assert_line --index 11 "fd 7"
	assert_line --index 12 --regexp "^ioctl .*EINVAL"
	assert_line --index 13 "write ENOENT"
	assert_line --index 14 "write ENOENT"
	assert_line --index 15 "1"
	grep -q '"call":"sysfs_write","profile":"v6","fd":896,"path":"/sys/bus/pci/devices/0000:01:00.0/tsm/connect","data":"tsm0\\u000a","ret":5,"errno":0' "$LOG"
}

@test "sysfs: connect on the staging shape links the host bridge to the TSM class" {
	sed 's/"shape": "mainline",/"shape": "staging",/' "$SCN/sysfs_host.json" > "$BATS_TEST_TMPDIR/st.json"
	emu --scenario "$BATS_TEST_TMPDIR/st.json" -- sh -c "$(host_state)"'
		s; "$0" write /sys/bus/pci/devices/0000:01:00.0/tsm/connect tsm0; s' "$TGT"
	assert_success
	assert_line --index 0 "connect= auth= dsm= dsm1=- bound= free=2 links= class=pci_mode "
	assert_line --index 2 "connect=tsm0 auth=tsm0 dsm=0000:01:00.0 dsm1=0000:01:00.0 bound= free=1 links=stream0.0.0>0000:01:00.0  class=pci0000:00 pci_mode "
}

@test "sysfs: scripted connect delay and failure; a failure after the change (after_commit)" {
	C=/sys/bus/pci/devices/0000:01:00.0/tsm/connect
	emu --scenario "$SCN/sysfs_host.json" --faults 'connect:1:EIO+delay=300,connect:2:ETIMEDOUT+after_commit' -- sh -c "$(host_state)"'
		a=$(date +%s%N); "$0" write '$C' tsm0; b=$(date +%s%N); echo "ms=$(( (b - a) / 1000000 ))"; s
		"$0" write '$C' tsm0; s' "$TGT"
	assert_success
	assert_line --index 0 "write EIO"
	[ "$(echo "${lines[1]}" | sed 's/ms=//')" -ge 300 ]
	assert_line --index 2 "connect= auth= dsm= dsm1=- bound= free=2 links= class="
	assert_line --index 3 "write ETIMEDOUT"
	assert_line --index 4 "connect=tsm0 auth=tsm0 dsm=0000:01:00.0 dsm1=0000:01:00.0 bound= free=1 links=stream0.0.0>0000:01:00.0  class="
	grep -q '"fault":{"errno":"ETIMEDOUT","after_commit":true}' "$LOG"
}

@test "sysfs: guest lock/accept/unlock with the driver-bound rule; unbind and drivers_probe" {
	emu --scenario "$SCN/sysfs_guest.json" -- sh -c '
		d=/sys/bus/pci/devices/0000:00:03.0; t="$0"
		s() { echo "lock=$(cat $d/tsm/lock) accept=$(cat $d/tsm/accept) driver=$(basename "$(readlink $d/driver)")"; }
		s; "$t" write $d/tsm/lock tsm0 write $d/tsm/accept 1 write $d/tsm/connect tsm0
		"$t" write /sys/bus/pci/drivers/virtio-pci/unbind 0000:00:03.0; s
		"$t" write $d/tsm/accept 1 write $d/tsm/lock tsm1 write $d/tsm/lock tsm0 write $d/tsm/lock tsm0; s
		"$t" write $d/tsm/accept 0 write $d/tsm/accept 1 write $d/tsm/accept 1; s
		"$t" write /sys/bus/pci/drivers_probe 0000:00:03.0; s
		"$t" write $d/tsm/unlock tsm0 write /sys/bus/pci/drivers/virtio-pci/unbind 0000:00:03.0 write $d/tsm/unlock tsm1 write $d/tsm/unlock tsm0; s
		"$t" write /sys/bus/pci/drivers/virtio-pci/unbind 0000:00:03.0' "$TGT"
	assert_success
	assert_line --index 0 "lock= accept=0 driver=virtio-pci"
	assert_line --index 1 "write EBUSY"
	assert_line --index 2 "write EINVAL"
	assert_line --index 3 "write ENOENT"
	assert_line --index 4 "write ok 13"
	assert_line --index 5 "lock= accept=0 driver="
	assert_line --index 6 "write EINVAL"
	assert_line --index 7 "write ENXIO"
	assert_line --index 8 "write ok 5"
	assert_line --index 9 "write EBUSY"
	assert_line --index 10 "lock=tsm0 accept=0 driver="
	assert_line --index 11 "write EINVAL"
	assert_line --index 12 "write ok 2"
	assert_line --index 13 "write EINVAL"
	assert_line --index 14 "lock=tsm0 accept=1 driver="
	assert_line --index 15 "write ok 13"
	assert_line --index 16 "lock=tsm0 accept=1 driver=virtio-pci"
	assert_line --index 17 "write EBUSY"
	assert_line --index 18 "write ok 13"
	assert_line --index 19 "write EINVAL"
	assert_line --index 20 "write ok 5"
	assert_line --index 21 "lock= accept=0 driver="
	assert_line --index 22 "write ENODEV"
}

@test "sysfs: guest steps on the mainline shape and on a link host; a write through a copy fails loudly" {
	sed 's/"pci_mode": "devsec",/"shape": "mainline",/' "$SCN/sysfs_guest.json" > "$BATS_TEST_TMPDIR/ml.json"
	emu --scenario "$BATS_TEST_TMPDIR/ml.json" -- "$TGT" write /sys/bus/pci/devices/0000:00:03.0/tsm/lock tsm0
	assert_success
	assert_output "write ENOENT"
	sed 's/"pci_mode": "devsec",/"pci_mode": "link",/; s/"virtio-pci"/null/' "$SCN/sysfs_guest.json" > "$BATS_TEST_TMPDIR/link.json"
	emu --scenario "$BATS_TEST_TMPDIR/link.json" -- "$TGT" write /sys/bus/pci/devices/0000:00:03.0/tsm/lock tsm0
	assert_success
	assert_output "write ENXIO"
	emu --scenario "$SCN/sysfs_host.json" -- sh -c '
		echo tsm0 > /sys/bus/pci/devices/0000:01:00.0/tsm/connect; echo "rc=$?"
		cat /sys/bus/pci/devices/0000:01:00.0/tsm/connect | wc -c'
	assert_line --index 1 "rc=1"
	assert_line --index 2 "0"
}

@test "sysfs: bad devices, connected on a function other than 0, bad tsms are scenario errors" {
	for bad in '"devices": {"0000:01:00.0": {"colour": 1}}' \
		'"devices": {"0000:01:00.1": {"connected": "tsm0"}}' \
		'"devices": {"1:0.0": {}}' '"tsms": ["foo"]' '"streams": 99' \
		'"devices": {"0000:01:00.0": {"driver": "../x"}}'; do
		printf '{"sysfs": {%s}}\n' "$bad" > "$BATS_TEST_TMPDIR/b.json"
		emu --scenario "$BATS_TEST_TMPDIR/b.json" -- true
		assert_failure 2
		assert_output --regexp 'unknown key "colour"|only function 0|is not like|"tsms": 1\.\.4|"streams": 0\.\.16|"driver": expected'
	done
}
