#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# bind / unbind under tsm-emu: struct bytes and request codes per profile,
# the errno table of docs/kernel-abi.md, per-open ID spaces, --pid,
# --trace (docs/cli-contract.md §4.1, §5, §7).

load helpers
load emu_helpers

setup() {
	emu_setup
}

BIND3=10000000010000000000000003000000
UNBIND3=10000000020000000000000003000000

# check_op PROFILE CMD STRUCT REQUEST
check_op() {
	emu_json "$1" "$2" --vdevice 3
	assert_success
	assert_equal "$(json_get .ok)" true
	assert_equal "$(json_get .result.completion)" done
	assert_equal "$(json_get .abi)" "$1"
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_count open)" 0
	assert_equal "$(log_ioctl 1 .ioctl)" TSM_OP
	assert_equal "$(log_ioctl 1 .request)" "$4"
	assert_equal "$(log_ioctl 1 .size)" 16
	assert_equal "$(log_ioctl 1 .struct_hex)" "$3"
	assert_equal "$(log_ioctl 1 .fd)" 7
	assert_equal "$(log_ioctl 1 .ret)" 0
	assert_equal "$(json_get .ioctl.struct_hex)" "$3"
	assert_equal "$(json_get .ioctl.request_hex)" "$4"
}

@test "bind v5: TSM_OP 0x3b95, struct bytes of bind vdevice 3" {
	check_op v5 bind $BIND3 0x3b95
}

@test "unbind v5: TSM_OP 0x3b95, type 2" {
	check_op v5 unbind $UNBIND3 0x3b95
}

@test "bind v5-op: TSM_OP 0x3b95" {
	check_op v5-op bind $BIND3 0x3b95
}

@test "unbind v5-op: TSM_OP 0x3b95, type 2" {
	check_op v5-op unbind $UNBIND3 0x3b95
}

@test "bind v6: TSM_OP 0x3b96" {
	check_op v6 bind $BIND3 0x3b96
}

@test "unbind v6: TSM_OP 0x3b96, type 2" {
	check_op v6 unbind $UNBIND3 0x3b96
}

@test "bind v6 text mode: quiet success, exit 0" {
	emu_tsmctl v6 bind --vdevice 3
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(log_ioctl 1 .struct_hex)" $BIND3
}

@test "bind v7: exit 2, says why and what to do, no ioctl" {
	emu_json v7 bind --vdevice 3
	assert_usage_error
	assert_regex "$(json_get .error.message)" 'v7'
	assert_regex "$(json_get .error.message)" 'VMM|vdevice'
	assert_no_ioctl
}

@test "unbind v7: exit 2 (destroy the vdevice instead), no ioctl" {
	emu_tsmctl v7 unbind --vdevice 3
	assert_failure 2
	assert_regex "$stderr" 'v7'
	assert_regex "$stderr" 'destroy|DESTROY'
	assert_no_ioctl
}

@test "bind ENOENT: fresh open without --fd, exit 1, points at --fd/--pid" {
	emu_tsmctl_nofd v6 bind --vdevice 3
	assert_failure 1
	assert_regex "$stderr" 'ENOENT|No such file'
	assert_stderr_has --fd --pid
	assert_equal "$(log_count open)" 1
	assert_equal "$(log_ioctl 1 .errno_name)" ENOENT
	assert_equal "$(log_ioctl 1 .struct_hex)" $BIND3
}

@test "bind ENOENT in JSON: error.errno_name, completion not_started" {
	run --separate-stderr "$TSM_EMU" --scenario "$EMU_SCN/emu_v5.json" --log "$EMU_LOG" -- \
		"$TSMCTL" -A v5 -j bind --vdevice 3
	LAST_JSON=1
	assert_stderr_empty
	validate_json
	assert_failure 1
	assert_equal "$(json_get .error.errno_name)" ENOENT
	assert_equal "$(json_get .result.completion)" not_started
	assert_regex "$(json_get .error.hint)" '--fd'
	assert_equal "$(log_ioctl 1 .request)" 0x3b95
}

@test "bind ENODEV: vIOMMU without KVM, exit 1, message mentions KVM" {
	emu_tsmctl v6 bind --vdevice 5
	assert_failure 1
	assert_stderr_has ENODEV KVM
	assert_equal "$(log_ioctl 1 .errno_name)" ENODEV
}

@test "bind ENODEV v5 in JSON" {
	emu_json v5 bind --vdevice 5
	assert_failure 1
	assert_equal "$(json_get .error.errno_name)" ENODEV
	assert_regex "$(json_get .error.hint)" KVM
}

@test "bind EBUSY: TDI bound to another VM, exit 1" {
	emu_tsmctl v6 bind --vdevice 6
	assert_failure 1
	assert_stderr_has EBUSY
	assert_regex "$stderr" 'another VM'
	assert_equal "$(log_ioctl 1 .errno_name)" EBUSY
}

@test "bind EBUSY v5-op in JSON: completion not_started" {
	emu_json v5-op bind --vdevice 6
	assert_failure 1
	assert_equal "$(json_get .error.errno_name)" EBUSY
	assert_equal "$(json_get .result.completion)" not_started
}

@test "bind EINVAL (fault): exit 1" {
	emu_tsmctl v6 --faults tsm_op:EINVAL bind --vdevice 3
	assert_failure 1
	assert_stderr_has EINVAL
	assert_equal "$(log_ioctl 1 .fault.errno)" EINVAL
}

@test "bind EINTR (fault): exit 4, completion uncertain" {
	emu_json v6 --faults tsm_op:EINTR bind --vdevice 3
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
	assert_equal "$(json_get .error.errno_name)" EINTR
	assert_equal "$(log_ioctl 1 .errno_name)" EINTR
}

@test "bind EFAULT after commit: exit 4, uncertain, the bind happened" {
	emu_json v5 --faults tsm_op:efault_after_commit bind --vdevice 3
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
	assert_equal "$(json_get .error.errno_name)" EFAULT
	assert_equal "$(log_ioctl 1 .fault.efault_after_commit)" true
	assert_equal "$(log_ioctl 1 .struct_hex)" $BIND3
}

@test "unbind EFAULT after commit: exit 4, uncertain" {
	emu_json v6 --faults tsm_op:efault unbind --vdevice 3
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
	assert_equal "$(log_ioctl 1 .struct_hex)" $UNBIND3
}

@test "unbind EINTR (fault): exit 4" {
	emu_tsmctl v5-op --faults tsm_op:EINTR unbind --vdevice 3
	assert_failure 4
	assert_stderr_has EINTR
}

@test "bind/unbind returning other than 0 or -1: completion invalid, exit 4 (may have happened)" {
	# TSM_OP returns 0 or -1 with an errno: -5000 and 7 are no completion
	emu_json v6 --faults tsm_op:ret=-5000 bind --vdevice 3
	assert_failure 4
	assert_equal "$(json_get '[.result.rc, .result.errno, .result.completion] | join(" ")')" "-5000 0 invalid"
	assert_regex "$(json_get .result.invalid)" "returned -5000: neither 0 nor -1"
	assert_equal "$(json_get '[.error.stage, .error.completion, .error.residue] | join(" ")')" "result invalid -5000"
	assert_regex "$(json_get .error.hint)" "may have happened"
	rm -f "$EMU_LOG"
	emu_tsmctl v5 --faults tsm_op:ret=7 unbind --vdevice 3
	assert_failure 4
	assert_stderr_has "invalid completion: the kernel returned 7" "the unbind may have happened"
	# a batch line the same
	printf '%s\n' '{"command":"bind","vdevice_id":3}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	rm -f "$EMU_LOG"
	emu_tsmctl v6 --faults tsm_op:ret=7 batch
	assert_failure 4
	assert_equal "$(printf '%s\n' "$output" | jq -r .result.completion)" invalid
}

@test "bind EOPNOTSUPP (fault): exit 1, mentions CONFIG_TSM" {
	emu_tsmctl v6 --faults tsm_op:EOPNOTSUPP bind --vdevice 3
	assert_failure 1
	assert_stderr_has EOPNOTSUPP CONFIG_TSM
}

@test "bind ENXIO (fault): exit 1" {
	emu_json v6 --faults tsm_op:ENXIO bind --vdevice 3
	assert_failure 1
	assert_equal "$(json_get .error.errno_name)" ENXIO
	assert_equal "$(json_get .result.completion)" not_started
}

@test "unbind EIO on the 2nd call (batch): line 1 ok, line 2 uncertain, exit 4" {
	# EIO from a state-changing call may have committed (cli-contract §5),
	# as req/set-run already classify it
	printf '%s\n' '{"command":"bind","vdevice_id":3}' '{"command":"unbind","vdevice_id":3}' \
		>"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 --faults tsm_op:2:EIO batch
	assert_failure 4
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 2
	assert_equal "$(printf '%s\n' "$output" | sed -n 1p | jq -r .ok)" true
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | jq -r .result.completion)" uncertain
}

@test "wrong profile: -A v6 bind against a v5 kernel gives EINVAL (0x3b96 is TSM_REQ, 40 B): exit 1" {
	emu_json v5 --scenario "$EMU_SCN/emu_v5.json" bind --vdevice 3
	assert_success # sanity: the right profile works
	emu_run v5 -- "$TSMCTL" -A v6 --fd 7 bind --vdevice 3
	assert_failure 1
	assert_stderr_has EINVAL
	assert_equal "$(log_ioctls | tail -1 | jq -r .ioctl)" TSM_REQ
	assert_equal "$(log_ioctls | tail -1 | jq -r .request)" 0x3b96
}

@test "wrong profile: -A v5 bind against a v7 kernel: exit 1 (0x3b95 is NOIOMMU_GET_PA)" {
	emu_run v7 -- "$TSMCTL" -A v5 --fd 7 bind --vdevice 3
	assert_failure 1
	assert_stderr_has EINVAL
	assert_equal "$(log_ioctl 1 .ioctl)" NOIOMMU_GET_PA
}

# ENOTTY is explained from the BTF tsmctl reads (TSMCTL_BTF here, so the
# host's own BTF plays no part): none, none with TSM types, or another
# profile's; error.field only when a profile is at fault.
@test "ENOTTY without BTF: -A v6 req on a v5 kernel: exit 5, cannot tell, no error.field" {
	TSMCTL_BTF=/nonexistent emu_run v5 -- "$TSMCTL" -A v6 --fd 7 -j req \
		--vdevice 3 --arch cca --op set-tdi-state --field tdi_state=locked
	LAST_JSON=1
	assert_stderr_empty
	validate_json
	assert_failure 5
	assert_equal "$(json_get .error.errno_name)" ENOTTY
	assert_regex "$(json_get .error.hint)" 'without its BTF tsmctl cannot tell'
	assert_regex "$(json_get .error.hint)" 'another profile \(--abi\)'
	assert_equal "$(json_get '.error | has("field")')" false
	assert_equal "$(json_get '.result | has("tsm_code_decoded")')" false
	assert_equal "$(log_ioctl 1 .errno_name)" ENOTTY
	assert_equal "$(log_ioctl 1 .request)" 0x3b97
}

@test "ENOTTY, BTF without TSM types: -A v6 req on a v7 kernel: no vdevice TSM ioctls" {
	"$(dirname "$TSM_EMU")/mkbtf" none "$BATS_TEST_TMPDIR/btf"
	TSMCTL_BTF=$BATS_TEST_TMPDIR/btf emu_run v7 -- "$TSMCTL" -A v6 --fd 7 \
		req --vdevice 3 --arch cca --op set-tdi-state --field tdi_state=locked
	assert_failure 5
	assert_stderr_has ENOTTY "this kernel has no vdevice TSM ioctls" \
		"its BTF declares none of their types"
	refute_stderr_has "--abi" "not iommufd" "succeeded"
	TSMCTL_BTF=$BATS_TEST_TMPDIR/btf emu_run v7 -- "$TSMCTL" -A v6 --fd 7 \
		-j req --vdevice 3 --arch cca --op validate-mmio --force --in 00
	LAST_JSON=1
	validate_json
	assert_failure 5
	assert_regex "$(json_get .error.hint)" '^this kernel has no vdevice TSM ioctls'
	assert_equal "$(json_get '.error | has("field")')" false
}

# v8_on_v5 BTF ARGS...: tsmctl -j ARGS on a v5 kernel under --abi-file
# profile v8 (TSM_OP at 0x98, which no kernel has), TSMCTL_BTF from
# mkbtf BTF (a profile, or none)
v8_on_v5() {
	"$(dirname "$TSM_EMU")/mkbtf" "$1" "$BATS_TEST_TMPDIR/btf"
	shift
	printf 'base = v6\nname = v8\ntsm_op.nr = 0x98\n' >"$BATS_TEST_TMPDIR/v8"
	TSMCTL_BTF=$BATS_TEST_TMPDIR/btf emu_run v5 -- "$TSMCTL" \
		--abi-file "$BATS_TEST_TMPDIR/v8" --fd 7 -j "$@"
	LAST_JSON=1
}

@test "ENOTTY, BTF of another profile: an --abi-file profile on a v5 kernel names v5 and --abi-file" {
	v8_on_v5 v5 bind --vdevice 3
	validate_json
	assert_failure 5
	assert_equal "$(log_ioctl 1 .request)" 0x3b98
	assert_equal "$(json_get .error.errno_name)" ENOTTY
	assert_equal "$(json_get .error.hint)" \
		"this kernel has no IOMMU_VDEVICE_TSM_OP at ioctl nr 0x98 (profile v8): its BTF matches profile v5; run with --abi v5"
	assert_equal "$(json_get .error.field)" --abi-file
}

@test "per-open ID spaces: fresh open ENOENT, --fd 7 ok, --pid ok in one run" {
	emu_run v6 -- sh -c '
		"$1" -A v6 bind --vdevice 3; echo "fresh=$?"
		"$1" -A v6 --fd 7 bind --vdevice 3; echo "fd=$?"
		"$1" -A v6 --pid "$TSM_EMU_VMM_PID" bind --vdevice 3; echo "pid=$?"
	' sh "$TSMCTL"
	assert_success
	assert_line fresh=1
	assert_line fd=0
	assert_line pid=0
	assert_equal "$(log_count ioctl)" 3
	assert_equal "$(log_count open)" 1
	# three different contexts: the fresh one, scenario ctx 1, the VMM's ctx 2
	assert_equal "$(log_ioctls | jq -r .ctx | sort -u | wc -l)" 3
	assert_equal "$(log_ioctl 1 .errno_name)" ENOENT
	assert_equal "$(log_ioctl 2 .ctx)" 1
	assert_equal "$(log_ioctl 3 .ctx)" 2
}

@test "--pid \$TSM_EMU_VMM_PID: JSON names the borrowed descriptor" {
	emu_run v6 -- sh -c 'exec "$1" -A v6 -j --pid "$TSM_EMU_VMM_PID" bind --vdevice 3' sh "$TSMCTL"
	LAST_JSON=1
	assert_stderr_empty
	validate_json
	assert_success
	assert_regex "$(json_get .result.device)" '^pid [0-9]+ fd 5$'
	assert_equal "$(log_ioctl 1 .ctx)" 2
	assert_equal "$(log_ioctl 1 .struct_hex)" $BIND3
}

@test "--pid --fd 5 picks that descriptor of the VMM" {
	emu_run v6 -- sh -c 'exec "$1" -A v6 --pid "$TSM_EMU_VMM_PID" --fd "$TSM_EMU_VMM_FD" unbind --vdevice 3' sh "$TSMCTL"
	assert_success
	assert_equal "$(log_ioctl 1 .ctx)" 2
	assert_equal "$(log_ioctl 1 .struct_hex)" $UNBIND3
}

@test "--pid with pidfd_getfd EPERM: exit 1, message about ptrace rights, no ioctl" {
	emu_run v6 --faults pidfd_getfd:EPERM -- sh -c \
		'exec "$1" -A v6 --pid "$TSM_EMU_VMM_PID" bind --vdevice 3' sh "$TSMCTL"
	assert_failure 1
	assert_stderr_has pidfd_getfd ptrace
	assert_equal "$(log_count pidfd_getfd)" 1
	assert_no_ioctl
}

@test "--pid with pidfd_getfd EPERM in JSON: error.field --pid" {
	emu_run v6 --faults pidfd_getfd:EPERM -- sh -c \
		'exec "$1" -A v6 -j --pid "$TSM_EMU_VMM_PID" bind --vdevice 3' sh "$TSMCTL"
	LAST_JSON=1
	assert_stderr_empty
	validate_json
	assert_failure 1
	assert_equal "$(json_get .error.field)" --pid
	assert_equal "$(json_get .error.errno_name)" EPERM
	assert_regex "$(json_get .error.hint)" ptrace
	assert_no_ioctl
}

@test "--trace: one JSON line per open and ioctl, with struct_hex (--fd)" {
	local tr="$BATS_TEST_TMPDIR/trace.jsonl"
	emu_tsmctl v6 --trace "$tr" unbind --vdevice 3
	assert_success
	assert [ -s "$tr" ]
	# every line is JSON, valid against tests/schema/trace.json
	run validate_trace "$tr"
	assert_success
	assert_equal "$(jq -s '[.[] | select(.call == "ioctl" and .phase != "intent")] | length' "$tr")" 1
	assert_equal "$(jq -s '[.[] | select(.call == "open")] | length' "$tr")" 1
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .ioctl.struct_hex' "$tr")" $UNBIND3
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .ioctl.request_hex' "$tr")" 0x3b96
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .rc' "$tr")" 0
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .abi' "$tr")" v6
	# and it matches what the emulator saw
	assert_equal "$(log_ioctl 1 .struct_hex)" $UNBIND3
}

@test "--trace on a fresh open records the open and the ENOENT ioctl" {
	local tr="$BATS_TEST_TMPDIR/trace.jsonl"
	emu_tsmctl_nofd v5 --trace "$tr" bind --vdevice 3
	assert_failure 1
	assert_equal "$(jq -r 'select(.call == "open") | .device' "$tr")" /dev/iommu
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .errno_name' "$tr")" ENOENT
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .ioctl.struct_hex' "$tr")" $BIND3
	assert_equal "$(jq -r 'select(.call == "ioctl" and .phase != "intent") | .ioctl.request_hex' "$tr")" 0x3b95
	# the trace never goes to stdout
	assert_equal "$output" ""
	run validate_trace "$tr"
	assert_success
}

@test "--trace appends: two runs give two ioctl lines" {
	local tr="$BATS_TEST_TMPDIR/trace.jsonl"
	emu_tsmctl v6 --trace "$tr" bind --vdevice 3
	assert_success
	emu_tsmctl v6 --trace "$tr" unbind --vdevice 3
	assert_success
	assert_equal "$(jq -s '[.[] | select(.call == "ioctl" and .phase != "intent")] | length' "$tr")" 2
}

@test "--trace that cannot be written is bad input: exit 2, nothing sent" {
	local t
	for t in "$BATS_TEST_TMPDIR/no/such/dir/t.jsonl" "$BATS_TEST_TMPDIR" -; do
		emu_tsmctl v6 --trace "$t" set-run --vdevice 3 --arch cca --state lock
		assert_bad_input --trace "$t"
		emu_json v6 --trace "$t" bind --vdevice 3
		assert_bad_input --trace
	done
	TSMCTL_TRACE="$BATS_TEST_TMPDIR/no/such/dir/t.jsonl" emu_tsmctl v6 bind --vdevice 3
	assert_bad_input --trace "No such file or directory"
	emu_tsmctl v6 --trace - bind --vdevice 3
	assert_bad_input "never to standard output"
}

# fsize_bind TRACE ROOM ARGS...: bind vdevice 3 with --trace TRACE under a
# 4 KiB file size limit, TRACE first filled so that ROOM bytes are left
fsize_bind() {
	local tr=$1 room=$2
	shift 2
	rm -f "$tr" "$EMU_LOG"
	{ head -c $((4096 - room - 1)) /dev/zero | tr '\0' x; echo; } >"$tr"
	emu_run v6 -- bash -c 'ulimit -f 4; exec "$0" "$@"' "$TSMCTL" -A v6 --fd 7 \
		--trace "$tr" "$@" bind --vdevice 3
}

@test "--trace: a result record cut short by the file size limit is reported (EFBIG), the exit status stays" {
	local tr="$BATS_TEST_TMPDIR/t.jsonl"
	# start (~125 bytes), open (~115) and intent (~325) fit, the result not
	fsize_bind "$tr" 700
	assert_success
	assert_equal "$(log_count ioctl)" 1
	assert_regex "$stderr" "^tsmctl: bind: warning: --trace '$tr': a record could not be written whole: File too large"
	fsize_bind "$tr" 700 -j
	LAST_JSON=1
	assert_success
	validate_json
	assert_equal "$(json_get '[.ok, .trace_error.errno_name] | join(" ")')" "true EFBIG"
	assert_regex "$(json_get .trace_error.message)" "File too large; the trace lacks it"
	# the intent itself cut short: nothing sent, stage trace, the real errno
	fsize_bind "$tr" 300 -j
	assert_failure 1
	validate_json
	assert_equal "$(json_get '[.error.stage, .error.errno_name, has("trace_error")] | join(" ")')" "trace EFBIG false"
	assert_regex "$(json_get .error.message)" "File too large; nothing was sent"
	assert_no_ioctl
}

@test "bind --dry-run under the emulator: no ioctl, struct shown" {
	emu_json v6 -n bind --vdevice 3
	assert_success
	assert_equal "$(json_get .dry_run)" true
	assert_equal "$(json_get .ioctl.struct_hex)" $BIND3
	assert_no_ioctl
}

@test "bind a vdevice ID unknown in the inherited context: ENOENT exit 1" {
	emu_tsmctl v5-op bind --vdevice 42
	assert_failure 1
	assert_stderr_has ENOENT
	assert_equal "$(log_ioctl 1 .struct_hex)" 1000000001000000000000002a000000
}

@test "dump --vdevice: an ENOTTY probe is explained from the BTF, never 'check --abi'" {
	v8_on_v5 v5 dump --vdevice 3
	assert_success
	validate_json
	assert_equal "$(json_get '.result.iommufd.vdevices[0].errno_name')" ENOTTY
	assert_equal "$(json_get '.result.iommufd.vdevices[0].state')" unknown
	assert_equal "$(json_get '.result.iommufd.vdevices[0].meaning')" \
		"this kernel has no IOMMU_VDEVICE_TSM_OP at ioctl nr 0x98 (profile v8): its BTF matches profile v5; run with --abi v5"
	v8_on_v5 none dump --vdevice 3
	assert_regex "$(json_get '.result.iommufd.vdevices[0].meaning')" \
		'^this kernel has no vdevice TSM ioctls'
}

@test "v7 kernel (BTF): bind says the BTF chose v7 and suggests no other profile; -A v6 is told bind has nothing to send under v7" {
	emu_run v7 --sysfs -- "$TSMCTL" --fd 7 -j bind --vdevice 3
	assert_failure 2
	assert_equal "$(json_get .abi_source)" btf
	assert_regex "$(json_get .error.message)" "^bind is not available under ABI profile v7: under v7 the TSM binds"
	assert_equal "$(json_get .error.hint)" \
		"tsmctl has nothing to send; the running kernel's BTF matches this profile"
	assert_no_ioctl
	# a profile the BTF did not choose: the TSM_OP profiles are named
	emu_tsmctl v7 unbind --vdevice 3
	assert_failure 2
	assert_stderr_has "destroy the vdevice in the VMM (IOMMU_DESTROY) to unbind" \
		"select its profile with --abi (v5, v5-op, v6)"
	# -A v6 on that kernel: v7 named, with what bind means there
	emu_run v7 --sysfs -- "$TSMCTL" -A v6 --fd 7 bind --vdevice 3
	assert_failure 2
	assert_stderr_has "run with --abi v7, where bind and unbind have nothing to send"
	assert_no_ioctl
}
