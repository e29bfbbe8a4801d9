#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Tests of tsm-emu itself, driven through tests/emu/target (plain libc).

bats_load_library bats-support
bats_load_library bats-assert

EMU_DIR="$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)"
EMU="$EMU_DIR/tsm-emu"
TGT="$EMU_DIR/target"
SCN="$EMU_DIR/scenarios"

setup() {
	LOG="$BATS_TEST_TMPDIR/log.jsonl"
}

# little-endian hex of a u32 / u64
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
	$(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
le64() { le32 $(($1 & 0xffffffff)); le32 $(($1 >> 32 & 0xffffffff)); }
# TSM_OP: type flags vdevice_id
op16() { le32 16; le32 "$1"; le32 "$2"; le32 "$3"; }
# 48-byte TSM_REQ: vdevice op arch req_len resp_len (pointers patched)
req48() { le32 48; le32 "$1"; le32 "$2"; le32 "$3"; le32 "$4"; le32 "$5";
	le64 0; le64 0; le64 0; }
# 40-byte v5 TSM_REQ: vdevice scope req_len resp_len reserved
req40() { le32 40; le32 "$1"; le32 "$2"; le32 "$3"; le32 "$4"; le32 "${5:-0}";
	le64 0; le64 0; }

emu() { run timeout 20 "$EMU" --log "$LOG" "$@"; }

@test "model unit tests pass" {
	run "$EMU_DIR/test_model"
	assert_success
	refute_output --partial "not ok"
}

@test "bind succeeds in v5, v5-op and v6; v7 has no TSM_OP" {
	emu --scenario "$SCN/small.json" --profile v5 -- "$TGT" fd 7 ioctl 0x95 "$(op16 1 0 3)"
	assert_success
	assert_output --partial "ioctl 0x3b95 rc=0 errno=0"
	emu --scenario "$SCN/small.json" --profile v5-op -- "$TGT" fd 7 ioctl 0x95 "$(op16 1 0 3)"
	assert_output --partial "ioctl 0x3b95 rc=0 errno=0"
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 ioctl 0x96 "$(op16 1 0 3)"
	assert_output --partial "ioctl 0x3b96 rc=0 errno=0"
	emu --scenario "$SCN/small.json" --profile v7 -- "$TGT" fd 7 \
		ioctl 0x95 "$(op16 1 0 3)" ioctl 0x96 "$(req48 3 2 1 4 0)" req=01000000
	assert_line --index 1 --partial "rc=-1 errno=EINVAL"
	assert_line --index 2 --partial "ioctl 0x3b96 rc=0 errno=0"
}

@test "TSM_OP errno rules" {
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 \
		ioctl 0x96 "$(op16 1 1 3)" \
		ioctl 0x96 "$(op16 3 0 3)" \
		ioctl 0x96 "$(op16 1 0 99)" \
		ioctl 0x96 "$(op16 1 0 5)" \
		ioctl 0x96 "$(op16 1 0 6)" \
		ioctl 0x96 "0c000000010000000000000003000000" \
		ioctl 0x96 "$(le32 24)$(le32 1)$(le32 0)$(le32 3)0000000001000000" \
		ioctl 0x96 "$(le32 24)$(le32 1)$(le32 0)$(le32 3)0000000000000000" \
		ioctl 0x96 "18000000010000000000000003000000" \
		ioctl 0x95 "$(op16 1 0 3)" \
		ioctl 0x98 "$(op16 1 0 3)" \
		ioctl 0x7f "$(op16 1 0 3)"
	assert_success
	assert_line --index 1 --partial "errno=EOPNOTSUPP"
	assert_line --index 2 --partial "errno=EINVAL"
	assert_line --index 3 --partial "errno=ENOENT"
	assert_line --index 4 --partial "errno=ENODEV"
	assert_line --index 5 --partial "errno=EBUSY"
	assert_line --index 6 --partial "errno=EINVAL"
	assert_line --index 7 --partial "errno=E2BIG"
	assert_line --index 8 --partial "rc=0 errno=0"
	assert_line --index 9 --partial "rc=0 errno=0"
	assert_line --index 10 --partial "errno=EINVAL"
	assert_line --index 11 --partial "errno=ENOTTY"
	assert_line --index 12 --partial "errno=ENOTTY"
}

@test "TSM_REQ: residue, response bytes, tsm_code, ENXIO, state machine" {
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=01000000 \
		ioctl 0x96 "$(op16 1 0 3)" \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=02000000 \
		ioctl 0x97 "$(req48 3 2 1 4 16)" req=01000000 resp=16 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=02000000 \
		ioctl 0x97 "$(req48 3 3 1 4 0)" req=02000000
	assert_success
	assert_line --index 1 --partial "errno=ENXIO"
	# illegal UNLOCKED->RUN: EINVAL with the scenario's tsm_code at @40
	assert_line --index 3 --partial "errno=EINVAL struct=$(req48 3 2 1 4 0 | cut -c1-80)0106000000000000"
	assert_line --index 4 --partial "rc=16 errno=0"
	assert_line --index 4 --partial "guard=ee"
	assert_line --index 5 --partial "rc=0 errno=0"
	assert_line --index 6 --partial "errno=EINVAL"
}

@test "v5 TSM_REQ: OBJECT_SIZE/OBJECT_READ response and residue, no copy-back" {
	emu --scenario "$SCN/small.json" --profile v5 -- "$TGT" fd 7 \
		ioctl 0x95 "$(op16 1 0 3)" \
		ioctl 0x96 "$(req40 3 0 8 32)" req=0100000003000000 resp=32 \
		ioctl 0x96 "$(req40 3 0 16 32)" req=02000000030000000300000000000000 resp=32 \
		ioctl 0x96 "$(req40 3 0 8 32 1)" req=0100000003000000 resp=32 \
		ioctl 0x96 "$(req40 3 7 8 32)" req=0100000003000000 resp=32
	assert_success
	assert_line --index 2 --partial "rc=28 errno=0"
	assert_line --index 2 --partial "resp=09000000 guard=ee"
	assert_line --index 3 --partial "rc=26 errno=0"
	assert_line --index 3 --partial "resp=4f5254303132 "
	assert_line --index 4 --partial "errno=EOPNOTSUPP"
	assert_line --index 5 --partial "errno=EINVAL"
}

@test "the stand-in VMM holds exactly its descriptors when the command starts" {
	# before the command started only after the VMM closed the
	# supervisor's descriptors, a --pid lookup at once could see them
	for i in 1 2 3; do
		TSM_EMU_TEST_VMM_DELAY_MS=200 emu --scenario "$SCN/cca.json" -- sh -c \
			'ls /proc/$TSM_EMU_VMM_PID/fd | sort -n | tr "\n" " "'
		assert_success
		assert_output "0 1 2 3 5 "
	done
}

@test "per-open ID spaces: fresh open ENOENT, inherited fd 7 and VMM pidfd_getfd ok" {
	emu --scenario "$SCN/cca.json" -- sh -c '
		"$0" open /dev/iommu ioctl 0x96 "$1"
		"$0" fd 7 ioctl 0x96 "$1"
		"$0" getfd "$TSM_EMU_VMM_PID" "$TSM_EMU_VMM_FD" ioctl 0x96 "$1"
		"$0" readlink /proc/$TSM_EMU_VMM_PID/fd/$TSM_EMU_VMM_FD \
			readlink /proc/$TSM_EMU_VMM_PID/fd/3 readlink /proc/self/fd/7
	' "$TGT" "$(op16 1 0 3)"
	assert_success
	assert_line --index 1 --partial "errno=ENOENT"
	assert_line --index 3 --partial "rc=0 errno=0"
	assert_line --index 4 --regexp "^getfd fd=[0-9]+$"
	assert_line --index 5 --partial "rc=0 errno=0"
	assert_line --index 6 "readlink /dev/iommu"
	assert_line --index 7 "readlink /dev/null"
	assert_line --index 8 "readlink /dev/iommu"
	# three different contexts: fresh (4), inherited (1), VMM (2)
	run grep -c '"call":"ioctl"' "$LOG"
	assert_output 3
	run grep '"call":"readlink"' "$LOG"
	assert_line --index 0 --partial '"ctx":2'
}

@test "dup'ed fd, relative and non-normalised paths are emulated; other fds are not" {
	emu -- sh -c 'cd /dev && "$0" open iommu dup ioctl 0x96 "$1" open ../dev//./iommu \
		open /dev/null ioctl 0x96 "$1"' "$TGT" "$(op16 1 0 3)"
	assert_success
	assert_line --index 0 --regexp "^open fd=[0-9]+$"
	assert_line --index 2 --partial "errno=ENOENT"
	assert_line --index 3 --regexp "^open fd=[0-9]+$"
	assert_line --index 5 --partial "errno=ENOTTY"
	run grep -c '"call":"ioctl"' "$LOG"
	assert_output 1
	run grep -c '"call":"open"' "$LOG"
	assert_output 2
}

@test "bad pointers give EFAULT; failed copy-back still commits" {
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 \
		ioctl 0x96 "$(op16 1 0 3)" arg=null \
		ioctl 0x96 "$(op16 1 0 3)" arg=bad \
		ioctl 0x96 "$(op16 1 0 3)" arg=ro \
		ioctl 0x96 "$(op16 1 0 3)" \
		ioctl 0x97 "$(req48 3 1 1 24 0)" reqp=bad \
		ioctl 0x97 "$(req48 3 2 1 4 8)" req=01000000 arg=ro
	assert_success
	assert_line --index 1 --partial "errno=EFAULT"
	assert_line --index 2 --partial "errno=EFAULT"
	assert_line --index 3 --partial "errno=EFAULT"
	# the bind of the read-only struct happened: bind again is idempotent
	assert_line --index 4 --partial "rc=0 errno=0"
	assert_line --index 5 --partial "errno=EFAULT"
	assert_line --index 6 --partial "errno=EFAULT"
	run grep '"ioctl":"TSM_REQ"' "$LOG"
	assert_line --index 1 --partial '"tsm_code":"0x0"'
}

@test "call log: exact struct bytes, decoded fields, payloads" {
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 ioctl 0x96 "$(op16 1 0 3)" \
		ioctl 0x97 "$(req48 3 1 1 24 0)" req=000000800000000000000180000000000000000040000000
	assert_success
	run grep '"ioctl":"TSM_OP"' "$LOG"
	assert_output --partial '"request":"0x3b96","nr":"0x96","size":16,"struct_hex":"10000000010000000000000003000000","fields":{"size":16,"type":1,"flags":0,"vdevice_id":3},"ret":0,"errno":0'
	run grep '"ioctl":"TSM_REQ"' "$LOG"
	assert_output --partial '"op":1,"tvm_arch":1,"req_len":24,"resp_len":0'
	assert_output --partial '"req_payload_hex":"000000800000000000000180000000000000000040000000"'
	assert_output --partial '"ret":0,"errno":0,"tsm_code":"0x0"'
	run grep -c . "$LOG"
	assert_output 2
}

@test "faults: --faults errno on Nth call and on every call" {
	emu --scenario "$SCN/small.json" --faults 'tsm_op:2:EIO,option:*:ETIMEDOUT' -- "$TGT" fd 7 \
		ioctl 0x96 "$(op16 1 0 3)" ioctl 0x96 "$(op16 1 0 3)" ioctl 0x96 "$(op16 1 0 3)" \
		ioctl 0x87 "$(le32 24)$(le32 0)$(le32 1)$(le32 0)$(le64 0)"
	assert_line --index 1 --partial "rc=0"
	assert_line --index 2 --partial "errno=EIO"
	assert_line --index 3 --partial "rc=0"
	assert_line --index 4 --partial "errno=ETIMEDOUT"
	run grep -c '"fault":{"errno":"EIO"}' "$LOG"
	assert_output 1
}

@test "faults: open EACCES, scenario faults (EIO, tsm_code, efault_after_commit, residue)" {
	emu --faults 'open:EACCES' -- "$TGT" open /dev/iommu
	assert_failure 1
	assert_output "open: EACCES"
	assert_line --partial "EACCES"
	run grep '"call":"open"' "$LOG"
	assert_output --partial '"errno_name":"EACCES"'
	rm -f "$LOG"
	emu --scenario "$SCN/faults.json" -- "$TGT" fd 7 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=01000000 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=01000000 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=02000000 \
		ioctl 0x97 "$(req48 3 2 1 4 0)" req=00000000 \
		ioctl 0x96 "$(op16 1 0 3)"
	assert_line --index 1 --partial "errno=EIO"
	assert_line --index 2 --partial "rc=0 errno=0"
	assert_line --index 2 --partial "00000000080600c0"
	assert_line --index 3 --partial "errno=EFAULT"
	assert_line --index 4 --partial "rc=5 errno=0"
	assert_line --index 5 --partial "errno=EBUSY"
}

@test "faults: delay and pidfd_getfd EPERM" {
	SECONDS=0
	emu --scenario "$SCN/small.json" --faults 'tsm_op:1:delay=1200' -- "$TGT" fd 7 ioctl 0x96 "$(op16 1 0 3)"
	assert_line --index 1 --partial "rc=0"
	[ "$SECONDS" -ge 1 ]
	emu --scenario "$SCN/cca.json" --faults 'pidfd_getfd:EPERM' -- sh -c \
		'"$0" getfd "$TSM_EMU_VMM_PID" "$TSM_EMU_VMM_FD"' "$TGT"
	assert_failure 1
	assert_output "getfd: EPERM"
	run grep -c '"call":"pidfd_getfd"' "$LOG"
	assert_output 1
}

@test "strict scenario loader names the bad key; bad --faults and --profile are usage errors" {
	run "$EMU" --scenario "$SCN/bad_key.json" -- true
	assert_failure 2
	assert_output --partial '$.contexts[0].vdevices[0]: unknown key "colour"'
	run "$EMU" --faults 'tsm_req:1:EWHAT' -- true
	assert_failure 2
	assert_output --partial 'unknown action "EWHAT"'
	run "$EMU" --profile v9 -- true
	assert_failure 2
}

@test "exit status is propagated; crash gives 128+signal and leaves no stand-in" {
	run timeout 20 "$EMU" -- sh -c 'exit 7'
	assert_failure 7
	run timeout 20 "$EMU" --scenario "$SCN/cca.json" -- sh -c \
		'echo $TSM_EMU_VMM_PID; sleep 300 & echo $!; kill -SEGV $$'
	assert_failure 139
	vmm=${lines[0]}
	bg=${lines[1]}
	sleep 0.2
	run kill -0 "$vmm"
	assert_failure
	run kill -0 "$bg"
	assert_failure
	run "$TGT" segv
	run timeout 20 "$EMU" -- "$TGT" segv
	assert_failure 139
}

@test "SIGTERM to tsm-emu kills COMMAND, its children and the stand-in" {
	out="$BATS_TEST_TMPDIR/pids"
	timeout 20 "$EMU" --scenario "$SCN/cca.json" -- sh -c \
		'sleep 300 & echo "$TSM_EMU_VMM_PID $! $$" > "$0"; wait' "$out" 3>&- &
	emu_pid=$!
	for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
	read -r vmm bg sh < "$out"
	kill -TERM "$emu_pid"
	st=0
	wait "$emu_pid" || st=$?
	assert_equal "$st" 143
	sleep 0.2
	for p in "$vmm" "$bg" "$sh"; do
		run kill -0 "$p"
		assert_failure
	done
}

@test "valgrind: target under the emulator is clean" {
	command -v valgrind || skip "valgrind not installed"
	emu --scenario "$SCN/small.json" -- valgrind -q --error-exitcode=99 "$TGT" fd 7 \
		ioctl 0x96 "$(op16 1 0 3)" ioctl 0x97 "$(req48 3 2 1 4 8)" req=01000000 resp=8
	assert_success
	assert_line --partial "ioctl 0x3b97 rc=8 errno=0"
}

@test "threads and signals: no lost or double-executed state changes" {
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 ioctl 0x96 "$(op16 1 0 3)" \
		threads 4 2000 0x96 "$(op16 1 0 3)" \
		signals 5000 0x97 "$(req48 3 2 1 4 0)" 01000000 "$(req48 3 2 1 4 0)" 00000000
	assert_success
	assert_line --index 2 "threads 4 x 2000 failures=0"
	# a LOCK executed twice would fail LOCKED->LOCKED with EINVAL
	assert_line --index 3 "signals 5000 pairs failures=0"
}

@test "overhead: per-ioctl cost is reported" {
	emu --scenario "$SCN/small.json" -- "$TGT" fd 7 bench 2000 0x96 "$(op16 1 0 3)"
	assert_success
	echo "# $output" >&3
}

@test "netlink: unmodified libnl resolves pci-tsm, lists families, dumps evidence in chunks" {
	NLC="$EMU_DIR/nlclient"
	emu --scenario "$SCN/netlink.json" -- sh -c '"$0" resolve pci-tsm; "$0" resolve nosuch; "$0" families' "$NLC"
	assert_line --index 0 "resolve pci-tsm: 29"
	assert_line --index 1 --partial "resolve nosuch: -12"
	assert_line --index 2 "families rc=0 count=2 pci-tsm=yes"
	rm -f "$LOG"
	emu --scenario "$SCN/netlink.json" -- "$NLC" dump 0000:01:00.0 0x701
	assert_success
	assert_line --index 0 "type 0: chunk 16 30820102030405060708090a0b0c0d0e chunk 16 0f101112131415161718191a1b1c1d1e chunk 1 1f"
	assert_line --index 1 "type 8: chunk 5 1011121314"
	assert_line --index 3 --partial "type 10: chunk 16 01000000"
	assert_line --index 4 "done err=0 objects=4"
	run grep '"call":"netlink"' "$LOG"
	assert_line --index 1 --partial '"family":"pci-tsm","nlmsg_type":29,"nlmsg_flags":"0x305"'
	assert_line --index 1 --partial '"name":"0000:01:00.0","type_mask":1793,"flags":0'
	emu --scenario "$SCN/netlink.json" -- "$NLC" dump 0000:01:00.0 0x400 1
	assert_line --index 0 "type 10: chunk 4 aabbccdd"
}

@test "netlink: errors (ENODEV, ENXIO, EINVAL, nonce EOPNOTSUPP), EAGAIN mid-dump, absent family" {
	NLC="$EMU_DIR/nlclient"
	emu --scenario "$SCN/netlink.json" -- sh -c '
		"$0" dump 0000:09:00.0 1; "$0" dump 0000:02:00.0 1; "$0" dump 0000:01:00.0 0
		"$0" dump 0000:01:00.0 0x800; "$0" dump 0000:01:00.0 1 2; "$0" dump 0000:01:00.0 1 0 aabb
		true' "$NLC"
	run grep -o '"errno_name":"[A-Z]*"' "$LOG"
	assert_output "$(printf '"errno_name":"%s"\n' ENODEV ENXIO EINVAL EINVAL EINVAL EOPNOTSUPP)"
	emu --scenario "$SCN/netlink.json" --faults 'nl:2:eagain' -- "$NLC" dump 0000:01:00.0 0x701
	assert_failure 1
	assert_line --index 1 "done err=-11 objects=1"
	run grep -c '"error_in":"done"' "$LOG"
	assert_output 1
	emu --netlink -- "$NLC" dump 0000:01:00.0 1
	assert_failure 5
	assert_output --partial "resolve: Object not found"
	# NETLINK_ROUTE and other sockets stay real
	emu --scenario "$SCN/netlink.json" -- ip -br link show lo
	assert_success
	assert_output --partial "lo"
}

@test "netlink extack: NLMSGERR_ATTR_MSG only with NETLINK_EXT_ACK; DONE carries the EAGAIN text; fault texts" {
	NLC="$EMU_DIR/nlclient"
	emu --scenario "$SCN/netlink.json" -- "$NLC" -x dump 0000:01:00.0 -
	assert_failure 1
	assert_line --index 0 "error -22 flags 0x300"
	assert_line --index 1 "extack: missing object request mask"
	emu --scenario "$SCN/netlink.json" -- "$NLC" dump 0000:01:00.0 -
	assert_line --index 0 "error -22 flags 0x100"
	refute_output --partial "extack"
	# ENODEV has no documented text: capped error, no TLV
	emu --scenario "$SCN/netlink.json" -- "$NLC" -x dump 0000:09:00.0 1
	assert_line --index 0 "error -19 flags 0x100"
	refute_output --partial "extack"
	emu --scenario "$SCN/netlink.json" --faults 'nl:2:eagain' -- "$NLC" -x dump 0000:01:00.0 0x301
	assert_line --index 1 "extack: evidence updated during read"
	assert_line --index 2 "done err=-11 objects=1"
	run grep -c '"extack":"evidence updated during read"' "$LOG"
	assert_output 1
	emu --scenario "$SCN/netlink.json" --faults 'nl:2:eagain' -- "$NLC" dump 0000:01:00.0 0x301
	refute_output --partial "extack"
	# scenario fault text overrides, on a model error (ENXIO) and a fault errno
	sed 's/"netlink": {/"faults": [{"call": "nl", "nth": 2, "extack": "no TSM here"}, {"call": "nl", "nth": 4, "errno": "EBUSY", "extack": "busy now"}],\n"netlink": {/' \
		"$SCN/netlink.json" > "$BATS_TEST_TMPDIR/x.json"
	emu --scenario "$BATS_TEST_TMPDIR/x.json" -- sh -c '"$0" -x dump 0000:02:00.0 1; "$0" -x dump 0000:01:00.0 1' "$NLC"
	assert_line --index 0 "error -6 flags 0x300"
	assert_line --index 1 "extack: no TSM here"
	assert_line --index 3 "error -16 flags 0x300"
	assert_line --index 4 "extack: busy now"
	run grep -c '"extack":"no TSM here","fault":{"extack":"no TSM here"}' "$LOG"
	assert_output 1
}
