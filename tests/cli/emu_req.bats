#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# req / set-run / batch under tsm-emu in every profile and arch: op numbers
# and payload bytes in the call log, the three result channels, the
# completion state and the exit status (docs/cli-contract.md §4.2-§4.5, §5).

load helpers
load emu_helpers

setup() {
	emu_setup
}

VM_FIELDS=(--field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000)
VM_PAYLOAD=000000800000000000000180000000000000000040000000
# interface_report object of scenarios/emu_*.json: one MMIO range at 0x80000000, 16 pages
REPORT=010000000000000000000000010000000000008000000000100000000000000000000000

# check_vm PROFILE OPNUM REQUEST
check_vm() {
	emu_json "$1" req --vdevice 3 --arch cca --op validate-mmio "${VM_FIELDS[@]}"
	assert_success
	assert_equal "$(json_get .result.completion)" done
	assert_equal "$(json_get .result.request.op_number)" "$2"
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .ioctl)" TSM_REQ
	assert_equal "$(log_ioctl 1 .request)" "$3"
	assert_equal "$(log_ioctl 1 .size)" 48
	assert_equal "$(log_ioctl 1 .fields.op)" "$2"
	assert_equal "$(log_ioctl 1 .fields.tvm_arch)" 1
	assert_equal "$(log_ioctl 1 .fields.vdevice_id)" 3
	assert_equal "$(log_ioctl 1 .fields.req_len)" 24
	assert_equal "$(log_ioctl 1 .req_payload_hex)" $VM_PAYLOAD
	assert_equal "$(log_ioctl 1 .ret)" 0
	# the first 24 struct bytes hold no pointer: compare them exactly
	assert_equal "$(log_ioctl 1 '.struct_hex[0:48]')" \
		"30000000""03000000""0${2}000000""01000000""18000000""00000000"
}

@test "validate-mmio cca v5-op: op 4, 0x3b96, payload bytes" {
	check_vm v5-op 4 0x3b96
}

@test "validate-mmio cca v6: op 1, 0x3b97, payload bytes" {
	check_vm v6 1 0x3b97
}

@test "validate-mmio cca v7: op 1, 0x3b96, payload bytes" {
	check_vm v7 1 0x3b96
}

@test "validate-mmio v6 text mode: quiet on success; -v shows op_number and completion" {
	emu_tsmctl v6 req --vdevice 3 --arch cca --op validate-mmio "${VM_FIELDS[@]}"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	emu_tsmctl v6 -v req --vdevice 3 --arch cca --op validate-mmio "${VM_FIELDS[@]}"
	assert_success
	assert_output --regexp 'op_number: +1'
	assert_output --regexp 'completion: +done'
	assert_equal "$(log_ioctl 1 .req_payload_hex)" $VM_PAYLOAD
}

@test "validate-mmio misaligned (sent, kernel EINVAL): exit 1, not_started" {
	emu_json v6 req --vdevice 3 --arch cca --op validate-mmio \
		--field gpa_base=0x80000001 --field gpa_top=0x80010000 --field pa_base=0x4000000000
	assert_failure 1
	assert_equal "$(json_get .result.errno_name)" EINVAL
	assert_equal "$(json_get .result.completion)" not_started
	assert_equal "$(log_ioctl 1 .errno_name)" EINVAL
}

@test "validate-mmio on a sev vdevice with arch cca: kernel EINVAL, exit 1" {
	emu_json v6 req --vdevice 4 --arch cca --op validate-mmio "${VM_FIELDS[@]}"
	assert_failure 1
	assert_equal "$(log_ioctl 1 .errno_name)" EINVAL
}

@test "req on a vdevice bound to another VM: ENXIO, exit 1" {
	emu_json v7 req --vdevice 6 --arch cca --op object-info --field object_type=interface_report
	assert_failure 1
	assert_equal "$(json_get .result.errno_name)" ENXIO
	assert_equal "$(log_ioctl 1 .errno_name)" ENXIO
}

@test "set-run lock then run (cca v6): both ok, payloads 1 and 2, op 2" {
	emu_run v6 -- sh -c '"$1" -A v6 --fd 7 set-run --vdevice 3 --arch cca --state lock &&
		"$1" -A v6 --fd 7 set-run --vdevice 3 --arch cca --state run' sh "$TSMCTL"
	assert_success
	assert_equal "$(log_count ioctl)" 2
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 01000000
	assert_equal "$(log_ioctl 2 .req_payload_hex)" 02000000
	assert_equal "$(log_ioctl 1 .fields.op)" 2
	assert_equal "$(log_ioctl 2 .ret)" 0
}

@test "set-run default state is run; LOCKED vdevice 8 goes to RUN (v7, op 2)" {
	emu_json v7 set-run --vdevice 8 --arch cca
	assert_success
	assert_equal "$(json_get .result.request.fields.tdi_state_name)" run
	assert_equal "$(log_ioctl 1 .fields.op)" 2
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 02000000
}

@test "set-run unlock (v5-op): payload 0, op 5" {
	emu_json v5-op set-run --vdevice 8 --arch cca --state unlock
	assert_success
	assert_equal "$(log_ioctl 1 .fields.op)" 5
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 00000000
}

@test "set-run run from UNLOCKED: kernel EINVAL is not_started, exit 1, no tsm_code" {
	emu_json v6 set-run --vdevice 3 --arch cca --state run
	assert_failure 1
	assert_equal "$(json_get .result.errno_name)" EINVAL
	assert_equal "$(json_get .result.completion)" not_started
	# the zero in the struct is tsmctl's own: nothing came from the TSM,
	# so nothing is decoded (it would read RMI_SUCCESS)
	assert_equal "$(json_get '.result | has("tsm_code")')" false
	assert_equal "$(json_get '.result | has("tsm_code_decoded")')" false
	assert_equal "$(json_get '.error | has("tsm_code")')" false
	assert_equal "$(log_ioctl 1 .errno_name)" EINVAL
}

@test "set-run illegal transition with illegal_transition_tsm_code: exit 3, code decoded" {
	emu_json v6 set-run --vdevice 9 --arch cca --state run
	assert_failure 3
	assert_equal "$(json_get .result.errno_name)" EINVAL
	assert_equal "$(json_get .result.tsm_code)" 1537
	assert_equal "$(json_get .result.tsm_code_decoded.hex)" 0x601
	assert_regex "$(json_get .result.tsm_code_decoded.name)" '^RMI_'
	assert_equal "$(log_ioctl 1 .tsm_code)" 0x601
}

@test "set-run v5: scope state-change with the scope-era payload {7, state}" {
	emu_json v5 set-run --vdevice 3 --arch cca --state lock
	assert_success
	assert_equal "$(log_ioctl 1 .size)" 40
	assert_equal "$(log_ioctl 1 .fields.scope)" 1
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 0700000001000000
	assert_equal "$(log_ioctl 1 .request)" 0x3b96
}

@test "set-run sev without --in: exit 2 naming --in, no ioctl" {
	emu_tsmctl v6 set-run --vdevice 4 --arch sev
	assert_failure 2
	assert_stderr_has --in
	assert_no_ioctl
}

@test "set-run tdx without --in: exit 2 naming --in, no ioctl" {
	emu_json v7 set-run --vdevice 7 --arch tdx
	assert_failure 2
	assert_regex "$(json_get .error.message) $(json_get .error.field)" '--in'
	assert_no_ioctl
}

@test "set-run sev --in 02000000: sent, arch 2" {
	emu_json v6 set-run --vdevice 4 --arch sev --in 02000000
	assert_success
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 02000000
	assert_equal "$(log_ioctl 1 .fields.tvm_arch)" 2
	assert_equal "$(log_ioctl 1 .fields.op)" 2
}

@test "set-run tdx --in 02000000 (v5-op): sent, arch 3, op 5" {
	emu_json v5-op set-run --vdevice 7 --arch tdx --in 02000000
	assert_success
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 02000000
	assert_equal "$(log_ioctl 1 .fields.tvm_arch)" 3
	assert_equal "$(log_ioctl 1 .fields.op)" 5
}

@test "sev-enable-dma with arch sev (v6): op 3, payload sent" {
	emu_json v6 req --vdevice 4 --arch sev --op sev-enable-dma --in 'aa:bb'
	assert_success
	assert_equal "$(log_ioctl 1 .fields.op)" 3
	assert_equal "$(log_ioctl 1 .fields.tvm_arch)" 2
	assert_equal "$(log_ioctl 1 .req_payload_hex)" aabb
}

@test "sev-disable-dma with arch sev (v7): op 4 (unconfirmed), empty payload" {
	emu_json v7 req --vdevice 4 --arch sev --op sev-disable-dma --in ''
	assert_success
	assert_equal "$(json_get .result.request.op_number_confirmed)" false
	assert_equal "$(log_ioctl 1 .fields.op)" 4
	assert_equal "$(log_ioctl 1 .fields.req_len)" 0
}

@test "object-info interface_report (v5-op): op 3, object_size decoded" {
	emu_json v5-op req --vdevice 3 --arch cca --op object-info --field object_type=interface_report
	assert_success
	assert_equal "$(json_get .result.decoded.object_size)" 36
	assert_equal "$(log_ioctl 1 .fields.op)" 3
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 03000000
	assert_equal "$(log_ioctl 1 .resp_payload_hex)" 24000000
}

@test "object-info certificate (v7): object_size 7" {
	emu_json v7 req --vdevice 3 --arch cca --op object-info --field object_type=certificate
	assert_success
	assert_equal "$(json_get .result.decoded.object_size)" 7
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 01000000
}

@test "read-object interface_report (v7): OBJECT_INFO (op 7) first, then READ (op 5) of exactly that size" {
	emu_json v7 req --vdevice 3 --arch cca --op read-object --field object_type=interface_report
	assert_success
	assert_equal "$(json_get .result.response_hex)" $REPORT
	assert_equal "$(json_get .result.decoded.kind)" tdisp_interface_report
	assert_equal "$(json_get .result.decoded.mmio_range_count)" 1
	assert_equal "$(json_get '.result.decoded.mmio_ranges[0].first_page_hex')" 0x80000000
	assert_equal "$(json_get '.result.decoded.mmio_ranges[0].number_of_pages')" 16
	assert_equal "$(json_get .result.residue)" 0
	assert_equal "$(json_get .result.size_query.decoded.object_size)" 36
	assert_equal "$(json_get .result.request.resp_len_from)" object-info
	assert_equal "$(json_get .ioctl.fields.resp_len)" 36
	# the request as sent: the size OBJECT_INFO gave (H12)
	assert_equal "$(json_get .result.request.resp_len)" 36
	assert_equal "$(log_count ioctl)" 2
	assert_equal "$(log_ioctl 1 .fields.op)" 7
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 03000000
	assert_equal "$(log_ioctl 1 .fields.resp_len)" 4
	assert_equal "$(log_ioctl 2 .fields.op)" 5
	assert_equal "$(log_ioctl 2 .fields.resp_len)" 36
	assert_equal "$(log_ioctl 2 .req_payload_hex)" 03000000000000000000000000000000
}

@test "read-object (v7) text mode: the size query in two lines, a zero tsm_code not spelt out; -v all" {
	emu_tsmctl v7 req --vdevice 3 --arch cca --op read-object --field object_type=interface_report
	assert_success
	assert_output --partial "$(printf 'size_query:\n  op:          object-info\n  object_size: 36\n')"
	assert_line --regexp '^tsm_code: +0$'
	refute_output --partial "tsm_code_decoded"
	refute_output --partial "RMI_SUCCESS"
	emu_tsmctl v7 -v req --vdevice 3 --arch cca --op read-object --field object_type=interface_report
	assert_success
	assert_output --partial "tsm_code_decoded:"
	assert_output --partial "RMI_SUCCESS"
	assert_output --partial "$(printf 'size_query:\n  request:\n')"
	# a non-zero code is decoded in text mode as before
	emu_tsmctl v7 --faults tsm_req:1:tsm_code=0x306 req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report
	assert_failure 3
	assert_stderr_has "RMI_ERROR_DEVICE"
}

@test "read-object interface_report (v5-op) text mode shows the MMIO range" {
	emu_tsmctl v5-op req --vdevice 3 --arch cca --op read-object --field object_type=interface_report
	assert_success
	assert_output --partial 0x80000000
	assert_output --regexp 'number_of_pages: +16'
}

@test "object-info absent object (vdevice 8 has none): ENODATA, exit 1" {
	emu_json v7 req --vdevice 8 --arch cca --op object-info --field object_type=vca
	assert_failure 1
	assert_equal "$(json_get .result.errno_name)" ENODATA
	assert_equal "$(json_get .error.hint)" "the TSM has no such object for vdevice 8 yet"
}

@test "hints never repeat the error text: ENOSPC says to drop --resp-len, EIO whether the change may have happened" {
	emu_tsmctl v7 req --vdevice 3 --arch cca --op read-object --field object_type=interface_report --resp-len 16
	assert_failure 1
	assert_regex "$stderr" "No space left on device \(ENOSPC\) \(the object is larger than the response buffer offered: .*drop --resp-len"
	refute_regex "$stderr" "\(No space left on device\)"
	emu_tsmctl v6 --faults tsm_op:EIO bind --vdevice 3
	assert_failure 4
	assert_regex "$stderr" "\(EIO\) \(the bind may have happened: inspect the TDI state"
	emu_tsmctl v7 --faults tsm_req:EIO req --vdevice 3 --arch cca --op object-info --field object_type=certificate
	assert_failure 1
	assert_regex "$stderr" "\(EIO\) \(nothing changed: a read-only request"
	# no parentheses inside the hint's
	emu_tsmctl v6 bind --vdevice 42
	assert_failure 1
	refute_regex "$stderr" "\(.*\(.*\).*\)\$"
}

@test "v5 scope info object-size: 40-byte struct, {1, type} payload, size decoded" {
	emu_json v5 req --vdevice 3 --op object-size --arch cca --field object_type=interface_report
	assert_success
	assert_equal "$(json_get .result.decoded.object_size)" 36
	assert_equal "$(log_ioctl 1 .size)" 40
	assert_equal "$(log_ioctl 1 .fields.scope)" 0
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 0100000003000000
	assert_equal "$(log_ioctl 1 '.struct_hex[0:40]')" 2800000003000000000000000800000004000000
}

@test "v5 scope info object-read: sized by object-size {1, type}, then {2, type, offset}, report decoded" {
	emu_json v5 req --vdevice 3 --op object-read --arch cca --field object_type=interface_report
	assert_success
	assert_equal "$(json_get .result.response_hex)" $REPORT
	assert_equal "$(json_get '.result.decoded.mmio_ranges[0].first_page')" 2147483648
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 0100000003000000
	assert_equal "$(log_ioctl 2 .req_payload_hex)" 02000000030000000000000000000000
	assert_equal "$(log_ioctl 2 .fields.resp_len)" 36
}

@test "v5 --scope info --in with a response buffer" {
	emu_json v5 req --vdevice 3 --scope info --in 0100000004000000 --resp-len 4
	assert_success
	assert_equal "$(json_get .result.response_hex)" 05000000
	assert_equal "$(log_ioctl 1 .fields.scope)" 0
}

@test "fault errno on a read-only op: exit 1, not_started" {
	emu_json v7 --faults tsm_req:EIO req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report
	assert_failure 1
	assert_equal "$(json_get .result.errno_name)" EIO
	assert_equal "$(json_get .result.completion)" not_started
	assert_equal "$(log_ioctl 1 .fault.errno)" EIO
}

@test "fault errno EIO on a state change: exit 4, uncertain" {
	emu_json v6 --faults tsm_req:EIO set-run --vdevice 3 --arch cca --state lock
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
}

@test "fault tsm_code 0x37 on sev: exit 3, tsm_code_decoded.name" {
	emu_json v6 --faults tsm_req:tsm_code=0x37 req --vdevice 4 --arch sev --op sev-enable-dma --in ''
	assert_failure 3
	assert_equal "$(json_get .result.errno)" 0
	assert_equal "$(json_get .result.tsm_code)" 55
	assert_regex "$(json_get .result.tsm_code_decoded.name)" '^SEV_RET_'
	assert_equal "$(json_get .error.stage)" tsm
	assert_equal "$(log_ioctl 1 .tsm_code)" 0x37
}

@test "fault tsm_code on tdx set-run: exit 3, TDX name" {
	emu_json v7 --faults tsm_req:tsm_code=0xc000060800000000 set-run --vdevice 7 --arch tdx --in 02000000
	assert_failure 3
	assert_equal "$(json_get .result.tsm_code_decoded.hex)" 0xc000060800000000
	assert_regex "$(json_get .result.tsm_code_decoded.name)" '^TDX_'
}

@test "fault errno + tsm_code (the TSM refused): exit 3, errno shown too" {
	emu_json v6 --faults tsm_req:ENXIO+tsm_code=0x37 req --vdevice 4 --arch sev --op sev-disable-dma --in ''
	assert_failure 3
	assert_equal "$(json_get .result.errno_name)" ENXIO
	assert_equal "$(json_get .result.tsm_code)" 55
}

@test "fault short residue: residue field, short response" {
	emu_json v7 --faults tsm_req:ret=2 req --vdevice 3 --arch cca --op read-object \
		--field object_type=interface_report --resp-len 64
	assert_success
	assert_equal "$(json_get .result.residue)" 2
	assert_equal "$(json_get .result.response_len)" 62
	assert_equal "$(log_ioctl 1 .ret)" 2
}

@test "fault residue larger than resp_len is not taken at face value" {
	emu_json v7 --faults tsm_req:ret=5 req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report
	# a residue beyond the 4 bytes offered is impossible: never "done, ok"
	refute [ "$status" -eq 0 ]
	assert_equal "$(log_ioctl 1 .ret)" 5
}

@test "invalid completions: residue past capacity, negative return other than -1 (exit 1 read, 4 state change)" {
	emu_json v7 --faults tsm_req:ret=5 req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report
	assert_failure 1
	assert_equal "$(json_get .result.completion)" invalid
	assert_equal "$(json_get .error.completion)" invalid
	assert_regex "$(json_get .error.message)" "residue 5, larger than the 4 bytes offered"
	# no response buffer: the capacity is req_len (4)
	rm -f "$EMU_LOG"
	emu_json v7 --faults tsm_req:ret=5 set-run --vdevice 3 --arch cca --state lock
	assert_failure 4
	assert_equal "$(json_get .result.completion)" invalid
	assert_regex "$(json_get .error.hint)" "may have happened"
	rm -f "$EMU_LOG"
	emu_json v6 --faults tsm_req:ret=-5000 set-run --vdevice 3 --arch cca --state lock
	assert_failure 4
	assert_equal "$(json_get '[.result.rc, .result.errno, .result.completion] | join(" ")')" "-5000 0 invalid"
	assert_regex "$(json_get .result.invalid)" "returned -5000: neither a residue nor -1"
	rm -f "$EMU_LOG"
	emu_json v5 --faults tsm_req:ret=-5000 req --vdevice 3 --op object-size --arch cca --field object_type=vca
	assert_failure 1
	assert_equal "$(json_get .result.completion)" invalid
	# object-info answers exactly 4 bytes
	rm -f "$EMU_LOG"
	emu_json v5-op --faults tsm_req:ret=1 req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report
	assert_failure 1
	assert_regex "$(json_get .result.invalid)" "answered 3 bytes, not exactly 4"
}

@test "read-object: a length other than object-info's is an error; --resp-len skips object-info" {
	emu_json v7 --faults tsm_req:2:ret=4 req --vdevice 3 --arch cca --op read-object \
		--field object_type=interface_report
	assert_failure 1
	assert_equal "$(json_get .result.completion)" invalid
	assert_regex "$(json_get .result.invalid)" "read-object returned 32 bytes, object-info said the object has 36"
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op read-object --field object_type=interface_report --resp-len 36
	assert_success
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .fields.op)" 5
	# v7's kernel needs room for the whole object: a short buffer is refused
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op read-object --field object_type=interface_report --resp-len 16
	assert_failure 1
	assert_equal "$(json_get .result.errno_name)" ENOSPC
	# object-info fails: the read is never sent
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 8 --arch cca --op read-object --field object_type=vca
	assert_failure 1
	assert_equal "$(json_get .result.size_query.errno_name)" ENODATA
	assert_equal "$(log_count ioctl)" 1
	# a read at an offset needs --resp-len: bad input, nothing sent
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op read-object --field object_type=vca --field offset=8
	assert_bad_input --resp-len offset
}

@test "read-object vca under v7 is object type 0, under v5-op 4; the object comes back" {
	emu_json v7 req --vdevice 3 --arch cca --op read-object --field object_type=vca
	assert_success
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 00000000
	assert_equal "$(log_ioctl 2 .req_payload_hex)" 00000000000000000000000000000000
	assert_equal "$(json_get .result.response_hex)" 1011121314
	rm -f "$EMU_LOG"
	emu_json v5-op req --vdevice 3 --arch cca --op read-object --field object_type=vca
	assert_success
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 04000000
	assert_equal "$(log_ioctl 1 .fields.op)" 3
	assert_equal "$(log_ioctl 2 .req_payload_hex)" 04000000000000000000000000000000
	assert_equal "$(log_ioctl 2 .fields.op)" 1
	assert_equal "$(json_get .result.response_hex)" 1011121314
}

NONCE=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

@test "regen-object (v7 op 6): the kernel reads the 32 nonce bytes through the payload's pointer" {
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --field object_type=measurement \
		--field flags=1 --field nonce=$NONCE
	assert_success
	assert_equal "$(json_get .result.request.nonce_hex)" $NONCE
	assert_equal "$(json_get .result.request.nonce_off)" 16
	# shown with the pointer as 0, like struct pointers
	assert_equal "$(json_get .result.request.payload_hex)" 020000000000000001000000000000000000000000000000
	assert_equal "$(log_ioctl 1 .fields.op)" 6
	assert_equal "$(log_ioctl 1 .fields.req_len)" 24
	assert_equal "$(log_ioctl 1 .nonce_hex)" $NONCE
	assert_equal "$(log_ioctl 1 '.req_payload_hex[0:32]')" 02000000000000000100000000000000
	refute [ "$(log_ioctl 1 '.req_payload_hex[32:48]')" = 0000000000000000 ]
	# the interface report: pointer 0, no nonce read
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --field object_type=interface_report
	assert_success
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 030000000000000000000000000000000000000000000000
	assert_equal "$(log_ioctl 1 .nonce_hex)" null
	# v5-op numbers it 2, with RHI object types
	rm -f "$EMU_LOG"
	emu_json v5-op req --vdevice 3 --arch cca --op regen-object --field object_type=certificate \
		--field nonce=$NONCE
	assert_success
	assert_equal "$(log_ioctl 1 .fields.op)" 2
	assert_equal "$(log_ioctl 1 .nonce_hex)" $NONCE
}

@test "regen-object bad input: nothing sent" {
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --field object_type=measurement --field flags=2 --field nonce=$NONCE
	assert_bad_input flags "0 or 1"
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --field object_type=measurement --field nonce=0102
	assert_bad_input nonce "exactly 32"
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --field object_type=vca
	assert_bad_input nonce
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --field object_type=interface_report --field nonce=$NONCE
	assert_bad_input nonce "interface report"
	rm -f "$EMU_LOG"
	emu_json v7 req --vdevice 3 --arch cca --op regen-object --in 000000000000000000000000000000000000000000000000
	assert_bad_input --in pointer
}

@test "text and dry run show the nonce bytes apart from the pointer" {
	emu_tsmctl v7 -n req --vdevice 3 --arch cca --op regen-object --field object_type=vca --field nonce=$NONCE
	assert_success
	assert_output --regexp "nonce_hex: +$NONCE"
	assert_line --regexp "^ +nonce: +0$"
	assert_no_ioctl
}

@test "fault efault_after_commit on set-run lock: exit 4, uncertain, op happened" {
	emu_json v6 --faults tsm_req:efault_after_commit set-run --vdevice 3 --arch cca --state lock
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
	assert_equal "$(json_get .result.errno_name)" EFAULT
	assert_equal "$(log_ioctl 1 .fault.efault_after_commit)" true
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 01000000
}

@test "efault_after_commit: the lock committed, so a following run succeeds" {
	printf '%s\n' '{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}' \
		'{"command":"set-run","vdevice_id":3,"arch":"cca","state":"run"}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v7 --faults tsm_req:1:efault batch --keep-going
	assert_failure 4
	assert_equal "$(printf '%s\n' "$output" | sed -n 1p | jq -r .result.completion)" uncertain
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | jq -r .ok)" true
	assert_equal "$(log_ioctl 2 .ret)" 0
}

@test "batch --keep-going exits with the most serious line: 4 over a usage error before it, 1 over 2" {
	printf '%s\n' '{"command":"set-run","vdevice_id":3,"arch":"cca","state":"bogus"}' \
		'{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}' \
		'{"command":"set-run","vdevice_id":42,"arch":"cca","state":"lock"}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v7 --faults tsm_req:1:efault batch --keep-going
	assert_failure 4
	assert_equal "$(printf '%s\n' "$output" | jq -r '.result.completion // .error.stage' | xargs)" \
		"usage uncertain not_started"
	# a usage error, then an ENOENT (1): 1
	printf '%s\n' '{"command":"set-run","vdevice_id":3,"arch":"cca","state":"bogus"}' \
		'{"command":"set-run","vdevice_id":42,"arch":"cca","state":"lock"}' >"$BATS_TEST_TMPDIR/in"
	emu_tsmctl v7 batch --keep-going
	assert_failure 1
	# without --keep-going the first failing line stops it: its status
	emu_tsmctl v7 batch
	assert_failure 2
}

@test "fault efault_after_commit on validate-mmio: exit 4" {
	emu_json v5-op --faults tsm_req:efault req --vdevice 3 --arch cca --op validate-mmio "${VM_FIELDS[@]}"
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
}

@test "fault efault_after_commit on v5 set-run (no copy-back in v5): exit 4" {
	emu_json v5 --faults tsm_req:efault set-run --vdevice 3 --arch cca --state lock
	assert_failure 4
	assert_equal "$(json_get .result.completion)" uncertain
}

@test "fault delay: still succeeds, duration reflects it" {
	emu_json v6 --faults tsm_req:delay=200 set-run --vdevice 3 --arch cca --state lock
	assert_success
	assert [ "$(json_get .result.duration_us)" -ge 150000 ]
	assert_equal "$(log_ioctl 1 .fault.delay_ms)" 200
}

@test "fault EINTR on set-run: exit 4" {
	emu_tsmctl v5-op --faults tsm_req:EINTR set-run --vdevice 3 --arch cca --state lock
	assert_failure 4
	assert_stderr_has EINTR
}

@test "decode-tsm-code sev 0x37: name, no kernel call" {
	emu_json v6 req --arch sev --decode-tsm-code 0x37
	assert_success
	assert_regex "$(json_get .result.name)" '^SEV_RET_'
	assert_equal "$(json_get .result.value)" 55
	assert_no_ioctl
}

@test "decode-tsm-code tdx 0xc000060800000000" {
	run_json -j req --arch tdx --decode-tsm-code 0xc000060800000000
	assert_success
	assert_regex "$(json_get .result.name)" '^TDX_'
	assert_equal "$(json_get .result.success)" false
}

@test "decode-tsm-code cca 0x601 and 0" {
	run_json -j req --arch cca --decode-tsm-code 0x601
	assert_success
	assert_equal "$(json_get .result.name)" RMI_ERROR_INPUT
	run_json -j req --arch cca --decode-tsm-code 0
	assert_success
	assert_equal "$(json_get .result.success)" true
}

@test "decode-tsm-code with request flags is rejected (nothing would be sent)" {
	emu_tsmctl v6 req --vdevice 3 --arch cca --op set-tdi-state --decode-tsm-code 0x1
	assert_failure 2
	assert_no_ioctl
}

BATCH4='{"command": "bind", "vdevice_id": 3}
{"command": "req", "vdevice_id": 3, "arch": "cca", "op": "validate-mmio", "fields": {"gpa_base": "0x80000000", "gpa_top": "0x80010000", "pa_base": "0x4000000000"}}
{"command": "set-run", "vdevice_id": 3, "arch": "cca", "state": "lock"}
{"command": "set-run", "vdevice_id": 3, "arch": "cca", "state": "run"}'

@test "batch: bind, req, set-run lock, set-run run on one context" {
	printf '%s\n' "$BATCH4" >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch
	assert_success
	validate_json
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 4
	assert_equal "$(printf '%s\n' "$output" | jq -r .line | tr '\n' ' ')" "1 2 3 4 "
	assert_equal "$(printf '%s\n' "$output" | jq -r .ok | sort -u)" true
	assert_equal "$(log_count open)" 0
	assert_equal "$(log_count ioctl)" 4
	assert_equal "$(log_ioctls | jq -r .ioctl | tr '\n' ' ')" "TSM_OP TSM_REQ TSM_REQ TSM_REQ "
	assert_equal "$(log_ioctls | jq -r '"\(.pid) \(.fd) \(.ctx)"' | sort -u | wc -l)" 1
	assert_equal "$(log_ioctl 4 .req_payload_hex)" 02000000
}

@test "batch without --fd: one open, every ioctl on that descriptor" {
	printf '%s\n' "$BATCH4" >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl_nofd v5-op batch --keep-going
	assert_failure 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 4
	assert_equal "$(log_count open)" 1
	assert_equal "$(log_count ioctl)" 4
	assert_equal "$(log_ioctls | jq -r '"\(.fd) \(.ctx)"' | sort -u | wc -l)" 1
	assert_equal "$(log_ioctls | jq -r .errno_name | sort -u)" ENOENT
}

@test "batch stops at the first failure; exit = that failure" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' '{"command":"bind","vdevice_id":6}' \
		'{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch
	assert_failure 1
	validate_json
	# every input line accounted for: the third is a "skipped" record
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 3
	assert_equal "$(printf '%s\n' "$output" | jq -c '[.line, .ok, .skipped]' | xargs)" \
		"[1,true,null] [2,false,null] [3,false,true]"
	assert_equal "$(printf '%s\n' "$output" | sed -n 3p | jq -r '"\(.command) \(.error.stage): \(.error.message)"')" \
		"batch skipped: line 3 not run: line 2 failed"
	assert_equal "$(log_count ioctl)" 2
}

@test "batch --keep-going: every line runs; exit = the most serious line (3, a TSM refusal, over 1)" {
	printf '%s\n' '{"command":"bind","vdevice_id":6}' \
		'{"command":"set-run","vdevice_id":9,"arch":"cca","state":"run"}' \
		'{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch --keep-going
	assert_failure 3
	validate_json
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 3
	assert_equal "$(printf '%s\n' "$output" | jq -r .ok | tr '\n' ' ')" "false false true "
	assert_equal "$(log_count ioctl)" 3
}

@test "batch --keep-going: first failure exit 3 wins over a later exit 1" {
	printf '%s\n' '{"command":"set-run","vdevice_id":9,"arch":"cca","state":"run"}' \
		'{"command":"bind","vdevice_id":6}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch --keep-going
	assert_failure 3
	assert_equal "$(log_count ioctl)" 2
}

@test "batch: a malformed line gives an error line and sends nothing for it" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' '{"command": "bogus"' \
		'{"command":"unbind","vdevice_id":3}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch --keep-going
	assert_failure 2
	validate_json
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 3
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | jq -r .line)" 2
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | jq -r .error.stage)" usage
	assert_equal "$(log_count ioctl)" 2
	assert_equal "$(log_ioctl 1 .struct_hex)" 10000000010000000000000003000000
	assert_equal "$(log_ioctl 2 .struct_hex)" 10000000020000000000000003000000
}

@test "batch without --keep-going stops at a malformed line: exit 2" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' '[1]' \
		'{"command":"unbind","vdevice_id":3}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch
	assert_failure 2
	validate_json
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 3
	assert_equal "$(printf '%s\n' "$output" | jq -c '[.line, .skipped]' | xargs)" \
		"[1,null] [2,null] [3,true]"
	assert_equal "$(log_count ioctl)" 1
}

@test "batch under v7: bind line exit 2 with nothing sent, req line still runs" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' \
		'{"command":"req","vdevice_id":3,"arch":"cca","op":"object-info","fields":{"object_type":"interface_report"}}' \
		>"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v7 batch --keep-going
	assert_failure 2
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | jq -r .result.decoded.object_size)" 36
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .fields.op)" 7
}

@test "batch --pretty still writes one document per line" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' \
		'{"command":"unbind","vdevice_id":3}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 --pretty batch
	assert_success
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 2
	printf '%s\n' "$output" | while IFS= read -r l; do
		jq -e .ok <<<"$l" >/dev/null || exit 1
	done
	validate_json
}

@test "batch: stdin that cannot be read is exit 2 with a JSON error, nothing sent" {
	emu_stdin /
	emu_tsmctl v6 batch
	assert_failure 2
	assert_equal "$(json_get .command)" batch
	assert_equal "$(json_get .error.field)" stdin
	assert_regex "$(json_get .error.message)" 'Is a directory'
	validate_json
	assert_no_ioctl
	# closed inside sh: bats' own pipes are set up by then
	run --separate-stderr sh -c 'exec "$0" -n batch 0<&-' "$TSMCTL"
	assert_failure 2
	assert_regex "$(json_get .error.message)" 'Bad file descriptor'
}

@test "batch: a bad key names the line's own command; an unknown command is 'batch'" {
	printf '%s\n' '{"command":"req","vdevice_id":3,"arch":"zz","op":"x"}' \
		'{"command":"set-run","vdevice_id":3,"arch":"cca","bogus":1}' \
		'{"command":"zz"}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch --keep-going
	assert_failure 2
	assert_equal "$(jq -sr 'map(.command) | join(" ")' <<<"$output")" "req set-run batch"
	assert_equal "$(jq -sr 'map(.error.field) | join(" ")' <<<"$output")" "arch bogus command"
	validate_json
	assert_no_ioctl
}

@test "batch: an unwritable --trace stops before the first line, with no line number" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 --trace "$BATS_TEST_TMPDIR/no/such/dir/t" batch
	assert_failure 2
	assert_equal "$(json_get .command)" batch
	assert_equal "$(json_get '.line // "none"')" none
	assert_equal "$(json_get .error.field)" --trace
	assert_no_ioctl
}

@test "batch --trace: one start record, then the calls of every line, each ioctl written ahead" {
	printf '%s\n' '{"command":"bind","vdevice_id":3}' \
		'{"command":"unbind","vdevice_id":3}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 --trace "$BATS_TEST_TMPDIR/t" batch
	assert_success
	assert_equal "$(jq -sr 'map("\(.seq):\(.call)\(.phase // "" | if . == "" then "" else ":" + . end)") | join(" ")' "$BATS_TEST_TMPDIR/t")" \
		"1:start 2:open 3:ioctl:intent 3:ioctl:result 4:ioctl:intent 4:ioctl:result 5:end"
}

@test "req --out that cannot be opened is exit 2 before anything is sent" {
	emu_json v6 req --vdevice 3 --arch cca --op validate-mmio "${VM_FIELDS[@]}" \
		--out "$BATS_TEST_TMPDIR/no/such/dir/resp.bin"
	assert_bad_input --out "nothing was sent"
	assert_no_ioctl
	assert_equal "$(json_get '.ioctl // "none"')" none
}

@test "req --out: a failed request leaves an existing file as it was" {
	echo keep >"$BATS_TEST_TMPDIR/resp.bin"
	emu_json v6 req --vdevice 99 --arch cca --op validate-mmio "${VM_FIELDS[@]}" \
		--out "$BATS_TEST_TMPDIR/resp.bin"
	assert_failure 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/resp.bin")" keep
}

@test "set-run --state for sev or tdx is exit 2: no state payload is published" {
	local arch vdev
	for arch in sev:4 tdx:7; do
		vdev=${arch#*:}
		arch=${arch%:*}
		emu_tsmctl v6 set-run --vdevice "$vdev" --arch "$arch" --state unlock --in 01
		assert_bad_input --state unlock "no SET_TDI_STATE payload is published for $arch" --in
		assert_no_ioctl
	done
	printf '%s\n' '{"command":"set-run","vdevice_id":4,"arch":"sev","state":"lock","payload_hex":"01"}' \
		>"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch
	assert_failure 2
	assert_equal "$(json_get .error.field)" state
	assert_regex "$(json_get .error.message)" 'payload_hex'
	assert_no_ioctl
}

@test "set-run refused by the TSM: the hint is the tsm_code's meaning, not a profile guess" {
	emu_tsmctl v6 set-run --vdevice 9 --arch cca --state run
	assert_failure 3
	assert_stderr_has "RMI_ERROR_INPUT" "the TSM refused it: "
	refute_stderr_has "may not match this kernel"
}

@test "batch errors name the line's JSON key, bare, with the value given" {
	printf '%s\n' '{"command":"bind","vdevice_id":99}' \
		'{"command":"req","vdevice_id":3,"arch":"cca","op":"validate-mmio","payload_hex":"zz"}' \
		'{"command":"bind","vdevice_id":4294967296}' \
		'{"command":"req","vdevice_id":3,"arch":"cca","op":"validate-mmio","resp_len":99999999999}' \
		'{"command":"bind","vdevice_id":3,"bogus":[1]}' >"$BATS_TEST_TMPDIR/in"
	emu_stdin "$BATS_TEST_TMPDIR/in"
	emu_tsmctl v6 batch --keep-going
	assert_failure 1
	validate_json
	assert_equal "$(jq -sc 'map([.error.field, .error.value])' <<<"$output")" \
		'[["vdevice_id",null],["payload_hex","zz"],["vdevice_id","4294967296"],["resp_len","99999999999"],["bogus","[1]"]]'
	assert_equal "$(log_count ioctl)" 1
}

@test "req --out: a pipe or /dev/null is written, not truncated; a file it created for a failed request is removed" {
	emu_tsmctl v7 req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report --out /dev/null
	assert_success
	emu_run v7 -- sh -c '"$1" -A v7 --fd 7 req --vdevice 3 --arch cca --op object-info --field object_type=interface_report --out /dev/stdout >/dev/null | od -An -tx1' \
		sh "$TSMCTL"
	assert_success
	emu_tsmctl v6 req --vdevice 99 --arch cca --op validate-mmio "${VM_FIELDS[@]}" \
		--out "$BATS_TEST_TMPDIR/new.bin"
	assert_failure 1
	[ ! -e "$BATS_TEST_TMPDIR/new.bin" ]
}

@test "text mode: -v after a failure still shows the struct and result; hints say what to do" {
	emu_tsmctl v6 -v set-run --vdevice 3 --arch cca --state run
	assert_failure 1
	assert_output --regexp 'errno_name: +EINVAL'
	assert_output --regexp 'completion: +not_started'
	assert_stderr_has "a TDI is locked before it runs" "tsmctl list --vdevice 3"
	refute_stderr_has "))"
	emu_tsmctl v6 set-run --vdevice 3 --arch cca --state run
	assert_failure 1
	assert_output ""
	emu_tsmctl v6 set-run --vdevice 5 --arch cca
	assert_failure 1
	assert_stderr_has "bind it first with tsmctl bind --vdevice 5"
	emu_tsmctl v7 set-run --vdevice 5 --arch cca
	assert_failure 1
	assert_stderr_has "the VMM binds when it allocates the vdevice"
}

@test "set-run --state accepts the state names locked and unlocked too" {
	emu_tsmctl v6 set-run --vdevice 3 --arch cca --state locked
	assert_success
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 01000000
	rm -f "$EMU_LOG"
	emu_tsmctl v6 set-run --vdevice 3 --arch cca --state bogus
	assert_bad_input --state bogus "run, lock (or locked), unlock (or unlocked)"
}

@test "decode: a CCA RMI value with bits above 15 is no status: no status/index shown" {
	run_tsmctl req --arch cca --decode-tsm-code 0x10306
	assert_success
	refute_output --regexp '(^|\n)(status|index):'
	assert_output --regexp 'bits above 15 are set'
	run_tsmctl req --arch cca --decode-tsm-code 0x306
	assert_output --regexp 'status: +6'
	assert_output --regexp 'index: +3'
}

@test "req --out /dev/full: the request completed, the response could not be written: exit 1, stage output" {
	emu_json v7 req --vdevice 3 --arch cca --op object-info \
		--field object_type=interface_report --out /dev/full
	assert_failure 1
	assert_equal "$(json_get .error.stage)" output
	assert_equal "$(json_get .error.field)" --out
	assert_regex "$(json_get .error.message)" "^--out '/dev/full': cannot write the response: No space left on device"
	assert_regex "$(json_get .error.hint)" "the request itself completed"
	assert_equal "$(json_get .result.completion)" done
	assert_equal "$(log_count ioctl)" 1
}

@test "a TSM refusal with no errno: message names the code and device; the hint is its meaning and what to do" {
	emu_tsmctl v6 --faults tsm_req:tsm_code=0x306 set-run --vdevice 3 --arch cca --state lock
	assert_failure 3
	assert_stderr_has "set-tdi-state vdevice 3 on fd 7: TSM error 0x306, RMI_ERROR_DEVICE" \
		"the TSM refused it, the ioctl itself succeeded: " \
		"inspect the TDI's state before retrying with tsmctl list --vdevice 3"
	emu_tsmctl v6 --faults tsm_req:tsm_code=0x306 -j req --vdevice 3 --arch cca \
		--op validate-mmio "${VM_FIELDS[@]}"
	assert_failure 3
	assert_equal "$(json_get .error.stage)" tsm
	assert_equal "$(json_get .error.tsm_code_name)" RMI_ERROR_DEVICE
}
