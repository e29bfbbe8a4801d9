#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In-guest tests of the real-kernel tier (tests/kernel/run): tsmctl on a
# real Linux 6.12 with iommufd, the vfio cdev and BTF, no emulator. TAP on
# stdout. busybox sh; jq and kthelper are in the image.
#
# This kernel has iommufd but no vdevice TSM ioctls (no kernel source with
# them exists yet): every TSM command must get ENOTTY and say so from what
# tsmctl knows (BTF without TSM types), never blame --abi or the node,
# never name an error.field, never decode a tsm_code the TSM did not send.

export TMPDIR=/tmp
unset TSMCTL_ABI TSMCTL_TRACE
T=/tmp/kt
mkdir -p "$T"
n=0
NO_TSM="this kernel has no vdevice TSM ioctls"

# check DESC CMD...: one TAP test, passing when CMD succeeds; what CMD
# printed becomes the diagnostics of a failure
check() {
	d=$1
	shift
	n=$((n + 1))
	if "$@" >"$T/check.out" 2>&1; then
		echo "ok $n - $d"
	else
		echo "not ok $n - $d"
		sed 's/^/#   /' "$T/check.out"
	fi
}

# ts ARGS...: tsmctl ARGS; stdout in $T/out, stderr in $T/err, status in $rc
ts() {
	rc=0
	tsmctl "$@" >"$T/out" 2>"$T/err" || rc=$?
}

# Helpers below print why they fail and return 1.
no() {
	echo "$*"
	echo "-- stdout:"
	head -c 3000 "$T/out"
	echo "-- stderr:"
	head -c 3000 "$T/err"
	return 1
}

want_rc() {
	[ "$rc" = "$1" ] || no "exit status $rc, expected $1"
}

err_has() {
	for s; do
		grep -qF -- "$s" "$T/err" || no "stderr lacks: $s" || return 1
	done
}

err_lacks() {
	for s; do
		! grep -qiF -- "$s" "$T/err" || no "stderr has: $s" || return 1
	done
}

# jt FILTER...: each jq boolean FILTER holds on stdout (one JSON document);
# one jq run for all of them (jq starts slowly on an emulated CPU)
jt() {
	f=""
	for x; do
		f="$f${f:+, }($x)"
	done
	got=$(jq -Mc "[$f] | map(. == true)" "$T/out" 2>&1)
	[ "$got" = "[$(printf 'true,%.0s' "$@" | sed 's/,$//')]" ] ||
		no "jq: [$f] gives $got"
}

# Wording that a kernel without the TSM ioctls showed to be wrong.
WRONG_ENOTTY="select the profile|or the node is not iommufd|not iommufd|check --abi|succeeded|RMI_SUCCESS|SEV_RET_SUCCESS"

# unsupported ARGS...: text and JSON mode: exit 5, ENOTTY explained as a
# kernel without the TSM ioctls, no error.field, no tsm_code, no success
unsupported() {
	ts "$@"
	want_rc 5 || return 1
	err_has ENOTTY "$NO_TSM" || return 1
	! grep -qiE "$WRONG_ENOTTY|--abi" "$T/err" || no "misleading wording" ||
		return 1
	ts -j "$@"
	want_rc 5 || return 1
	jt '.ok == false and .error.errno_name == "ENOTTY"' \
		'.error.hint | startswith("'"$NO_TSM"'")' \
		'.error | has("field") | not' \
		'[.result | .. | objects | select(has("tsm_code") or
			has("tsm_code_decoded"))] == []' \
		'.error.completion == "not_started"' \
		'tostring | test("'"$WRONG_ENOTTY"'"; "i") | not'
}

# ops PROFILE ARCH: the request ops tsmctl accepts for ARCH under PROFILE
ops() {
	tsmctl -A "$1" -n req --vdevice 3 --arch "$2" --op kt-no-such-op 2>&1 |
		sed -n 's/.*(accepted for [a-z]* under profile [^:]*: \(.*\))$/\1/p' |
		tr -d ',' | sed 's/^none$//'
}

# ---- the kernel ----------------------------------------------------------

check "/dev/iommu is a character device" test -c /dev/iommu
check "/dev/vfio/vfio and the vfio cdev class exist" \
	test -c /dev/vfio/vfio -a -d /sys/class/vfio-dev
check "/sys/kernel/btf/vmlinux is readable" test -r /sys/kernel/btf/vmlinux
echo "# BTF $(stat -c %s /sys/kernel/btf/vmlinux) bytes, kernel $(uname -r)"

# ---- every TSM command in every profile: ENOTTY, exit 5 ------------------

total=0
for p in v5 v5-op v6 v7; do
	if [ "$p" != v7 ]; then
		check "$p bind: ENOTTY, exit 5, no vdevice TSM ioctls" \
			unsupported -A "$p" bind --vdevice 3
		check "$p unbind: ENOTTY, exit 5, no vdevice TSM ioctls" \
			unsupported -A "$p" unbind --vdevice 3
		total=$((total + 2))
	fi
	for a in cca sev tdx; do
		for op in $(ops "$p" "$a"); do
			check "$p req --arch $a --op $op: ENOTTY, exit 5" \
				unsupported -A "$p" req --vdevice 3 --arch "$a" \
				--op "$op" --force --in 00
			total=$((total + 1))
		done
	done
	if [ "$p" = v5 ]; then
		for s in info state-change; do
			check "v5 req --scope $s: ENOTTY, exit 5" \
				unsupported -A v5 req --vdevice 3 --scope "$s" --in 00
		done
		check "v5 set-run --state lock (cca): ENOTTY, exit 5" \
			unsupported -A v5 set-run --vdevice 3 --arch cca --state lock
		total=$((total + 3))
	else
		check "$p set-run --state lock (cca): ENOTTY, exit 5" \
			unsupported -A "$p" set-run --vdevice 3 --arch cca --state lock
		for a in sev tdx; do
			check "$p set-run --arch $a: ENOTTY, exit 5" \
				unsupported -A "$p" set-run --vdevice 3 --arch "$a" \
				--in 02000000
		done
		total=$((total + 3))
	fi
done
echo "# $total TSM commands tried"
check "at least 50 TSM command forms were tried (the op lists parsed)" \
	test "$total" -ge 50

batch_enotty() {
	printf '%s\n' "$2" "$3" >"$T/batch.in"
	rc=0
	tsmctl -A "$1" batch --keep-going <"$T/batch.in" >"$T/out" 2>"$T/err" ||
		rc=$?
	want_rc 5 || return 1
	[ "$(wc -l <"$T/out")" = 2 ] || no "expected two result lines" ||
		return 1
	[ "$(jq -Mc 'select(.ok == false and .error.errno_name == "ENOTTY"
		and (.error | has("field") | not)
		and (.error.hint | startswith("'"$NO_TSM"'"))
		and (.result | has("tsm_code_decoded") | not))' "$T/out" |
		wc -l)" = 2 ] || no "a line is not an explained ENOTTY"
}
for p in v5-op v6 v7; do
	first='{"command":"bind","vdevice_id":3}'
	[ "$p" = v7 ] &&
		first='{"command":"req","vdevice_id":3,"arch":"cca","op":"object-info","fields":{"object_type":"interface_report"}}'
	check "$p batch: each line ENOTTY, explained, exit 5" batch_enotty "$p" \
		"$first" '{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}'
done

v7_bind() {
	ts -A v7 bind --vdevice 3
	want_rc 2
}
check "v7 bind: no TSM_OP in the profile, exit 2" v7_bind

# The default profile: today v6, with --abi auto a TSM command is refused
# unsent on a kernel whose BTF has no TSM types; exit 5 either way.
default_profile() {
	ts "$@"
	want_rc 5 && err_has "$NO_TSM" && err_lacks "select the profile"
}
check "default profile: bind exits 5, no vdevice TSM ioctls" \
	default_profile bind --vdevice 3
check "default profile: set-run exits 5, no vdevice TSM ioctls" \
	default_profile set-run --vdevice 3 --arch cca --state lock

# ---- a node that is not iommufd: said so, and only then ------------------

not_iommufd() {
	ts -A v6 -j "$@"
	want_rc 5 || return 1
	jt '.error.hint | test("not iommufd")' \
		'.error.hint | test("no vdevice TSM ioctls") | not'
}
check "-d /dev/null bind: not iommufd, error.field --device" \
	not_iommufd -d /dev/null bind --vdevice 3
check "-d /dev/null: error.field is --device" jt '.error.field == "--device"'
check "--fd 5 on /dev/null: not iommufd, error.field --fd" \
	sh -c 'tsmctl -A v6 -j --fd 5 set-run --vdevice 3 --arch cca --state lock \
		5</dev/null | jq -e ".error.field == \"--fd\" and
		(.error.hint | test(\"fd 5 is character device 1:3\"))"'
check "/dev/iommu is never called not iommufd" \
	sh -c '! tsmctl -A v6 bind --vdevice 3 2>&1 | grep -q "not iommufd"'

# ---- dump: real BTF, iommufd, sysfs, netlink -----------------------------

dump_real() {
	ts -A v6 -j dump
	want_rc 0 || return 1
	jt '.result.kernel.release == "'"$(uname -r)"'"' \
		'.result.abi_detection | .source == "/sys/kernel/btf/vmlinux"
		and .btf and (.tsm_types | not)
		and (.summary | test("no vdevice TSM ioctls"))' \
		'[.result.abi_detection.profiles[].verdict] | unique == ["unknown"]' \
		'.result.iommufd | .iommufd and .option_probe_errno == 0
		and .tsm_op_probe == "ENOTTY" and (.tsm_op_present | not)' \
		'.result.sysfs | (.class_tsm | not) and .pci_devices == []' \
		'.result.evidence_family | (.present | not)
		and (.error | test("not found"))'
}
check "dump -A v6: real BTF without TSM types, IOMMU_OPTION answered, TSM_OP ENOTTY, no TSM sysfs, no evidence family" \
	dump_real

dump_default() {
	ts -j dump
	want_rc 0 || return 1
	# --abi auto sends no TSM probe here; a profile that does gets ENOTTY
	jt '.result.iommufd | .iommufd and .option_probe_errno == 0
		and ((.tsm_probes_skipped // "" | test("no vdevice TSM ioctls"))
		or .tsm_op_probe == "ENOTTY" or .tsm_req_probe == "ENOTTY")'
}
check "dump, default profile: no vdevice TSM ioctls, iommufd answers" \
	dump_default

dump_vdevice() {
	ts -A v6 -j dump --vdevice 3
	want_rc 0 || return 1
	jt '.result.iommufd.vdevices[0] | .state == "unknown"
		and (.meaning | startswith("'"$NO_TSM"'"))' \
		'tostring | test("check --abi") | not'
}
check "dump --vdevice: ENOTTY explained as no vdevice TSM ioctls, not --abi" \
	dump_vdevice

# A copy of sysfs with one PCI device that has tsm/; the real generic
# netlink controller is asked for the evidence families, which are absent.
dump_netlink() {
	fs=$T/fakesys/sys/bus/pci/devices/0000:00:01.1/tsm
	mkdir -p "$fs" && echo >"$fs/connect" && echo >"$fs/dsm" &&
		echo >"$fs/bound"
	ts -A v6 -j --trace "$T/nl.jsonl" dump --sysfs "$T/fakesys"
	want_rc 0 || return 1
	jt '.result.sysfs.pci_devices[0].bdf == "0000:00:01.1"' \
		'.result.evidence_family | (.present | not)
		and (.error | test("pci-tsm not found"))' || return 1
	grep -q '"netlink"' "$T/nl.jsonl" || no "no netlink record in the trace"
}
check "dump --sysfs with a TSM device: real genetlink has no evidence family" \
	dump_netlink

iommufd_option_traced() {
	ts -j --trace "$T/opt.jsonl" dump
	want_rc 0 || return 1
	# the result record (a write-ahead intent record comes first)
	[ "$(jq -Mc 'select(.ioctl.name? == "IOMMU_OPTION" and has("errno"))
		| .errno' "$T/opt.jsonl")" = 0 ] ||
		no "no IOMMU_OPTION result with errno 0"
}
check "IOMMU_OPTION on a fresh /dev/iommu: errno 0, in the trace" \
	iommufd_option_traced

# ---- --pid and --fd on real processes ------------------------------------

kthelper hold 1 >"$T/h1" &
H1=$!
kthelper hold 2 >"$T/h2" &
H2=$!
while [ ! -s "$T/h1" ] || [ ! -s "$T/h2" ]; do sleep 0.1; done

pid_one() {
	unsupported -A v6 --pid "$H1" bind --vdevice 3 || return 1
	jt '.result.device == "pid '"$H1"' fd '"$(cat "$T/h1")"'"'
}
check "--pid of a process with one iommufd: borrowed, ENOTTY, exit 5" pid_one

pid_two() {
	ts -A v6 -j --pid "$H2" bind --vdevice 3
	want_rc 2 || return 1
	jt '.error.message | test("holds 2 iommufd descriptors \\(fd 3,4\\)")' ||
		return 1
	unsupported -A v6 --pid "$H2" --fd 4 unbind --vdevice 3 || return 1
	jt '.result.device == "pid '"$H2"' fd 4"'
}
check "--pid with two iommufds: exit 2 naming both; --fd 4 picks one" pid_two

pid_none() {
	ts -A v6 --pid 1 bind --vdevice 3
	want_rc 2 && err_has "holds no /dev/iommu descriptor"
}
check "--pid of a process without an iommufd: exit 2" pid_none

pid_missing() {
	ts -A v6 --pid 99999 bind --vdevice 3
	want_rc 2 || return 1
	err_has "no such process" "pidof qemu-system-$(uname -m)" || return 1
	[ "$(uname -m)" = aarch64 ] || err_lacks aarch64
}
check "--pid of a missing process: exit 2, hint names this machine's qemu" \
	pid_missing

fd_iommu() {
	rc=0
	tsmctl -A v6 -j --fd 5 bind --vdevice 3 5<>/dev/iommu >"$T/out" \
		2>"$T/err" || rc=$?
	want_rc 5 || return 1
	jt '.result.device == "fd 5" and (.error.hint | startswith("'"$NO_TSM"'"))'
}
check "--fd 5 on an inherited /dev/iommu: ENOTTY, exit 5" fd_iommu

dump_pid() {
	ts -j --pid "$H1" dump
	want_rc 0 || return 1
	jt '.result.iommufd | .context == "pid '"$H1"' fd 3" and .iommufd
		and .option_probe_errno == 0'
}
check "dump --pid: the borrowed iommufd answers IOMMU_OPTION" dump_pid
kill "$H1" "$H2"

# ---- --trace, then replay on the same kernel -----------------------------

trace_replay() {
	rm -f "$T/tr.jsonl"
	ts -A v6 --trace "$T/tr.jsonl" set-run --vdevice 3 --arch cca --state lock
	want_rc 5 || return 1
	ts -A v6 --trace "$T/tr.jsonl" bind --vdevice 3
	want_rc 5 || return 1
	ts -A v6 --trace "$T/tr.jsonl" dump
	want_rc 0 || return 1
	ts -A v6 -j replay "$T/tr.jsonl"
	want_rc 0 || return 1
	jt '.ok'
}
check "--trace of set-run, bind and dump, then replay: nothing differs" \
	trace_replay

replay_differs() {
	# the recorded ENOTTY turned into a success: replay must see it
	sed 's/"errno":25/"errno":0/; s/"errno_name":"ENOTTY"/"errno_name":"0"/' \
		"$T/tr.jsonl" >"$T/tr2.jsonl"
	ts -A v6 replay "$T/tr2.jsonl"
	want_rc 1
}
check "replay of a doctored trace: the real kernel's ENOTTY differs, exit 1" \
	replay_differs

# ---- dump --bundle: kmsg.txt filtered and in dmesg form ------------------

bundle() {
	# what PCIe IDE, TDISP, TSM and iommufd messages look like, and ATA
	# noise; the kernel itself logged "legacy IDE quirk" lines at boot
	for m in "pci 0000:00:02.0: PCI/IDE: kt-ide stream 0 established" \
		"pci 0000:00:02.0: kt-tdisp TDISP LOCK_INTERFACE" \
		"tsm tsm0: kt-tsm registered" "iommufd: kt-iommufd note" \
		"ata1: kt-ata PATA max UDMA/100 legacy IDE mode" \
		"scsi host0: kt-scsi ata_piix IDE"; do
		echo "$m" >/dev/kmsg
	done
	dmesg | grep -q "legacy IDE quirk" || no "no legacy IDE quirk at boot" ||
		return 1
	rm -rf "$T/b" && mkdir -p "$T/b"
	ts -A v6 --trace "$T/b.jsonl" dump --bundle "$T/b/r.tar.gz"
	want_rc 0 || return 1
	tar tzf "$T/b/r.tar.gz" >"$T/b/list" || no "tar tzf failed" || return 1
	for f in dump.json version.json trace.jsonl kmsg.txt README.txt; do
		grep -qx "tsmctl-bundle/$f" "$T/b/list" || no "no $f" || return 1
	done
	(cd "$T/b" && tar xzf r.tar.gz) || no "tar xzf failed" || return 1
	k=$T/b/tsmctl-bundle/kmsg.txt
	for w in kt-ide kt-tdisp kt-tsm kt-iommufd; do
		grep -q "$w" "$k" || no "kmsg.txt lacks $w: $(cat "$k")" || return 1
	done
	! grep -qE "legacy IDE|kt-ata|kt-scsi" "$k" || no "ATA lines: $(cat "$k")" ||
		return 1
	! grep -qvE '^\[ *[0-9]+\.[0-9]{6}\] ' "$k" ||
		no "not in dmesg form: $(cat "$k")" || return 1
	jq -e .result "$T/b/tsmctl-bundle/dump.json" >/dev/null ||
		no "dump.json unreadable"
}
check "dump --bundle: files, kmsg.txt with PCIe IDE/TDISP/TSM/iommufd lines only, dmesg form" \
	bundle

# ---- BTF detection on a real BTF -----------------------------------------

btf_time() {
	real=$(kthelper time-us 10 tsmctl -A v6 bind --vdevice 3) || return 1
	dry=$(kthelper time-us 10 tsmctl -A v6 -n bind --vdevice 3) || return 1
	dump=$(kthelper time-us 5 tsmctl -j dump --btf /sys/kernel/btf/vmlinux) ||
		return 1
	echo "# bind (BTF read, ENOTTY explained) ${real} us; dry run ${dry} us; dump ${dump} us"
	# generous for an emulated CPU: the scan is milliseconds natively
	[ "$real" -lt 3000000 ] || no "bind took $real us"
}
check "BTF detection on a real BTF: bind under 3 s even under TCG" btf_time
grep '^# bind' "$T/check.out"

echo "1..$n"
