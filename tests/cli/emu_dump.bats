#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# dump under tsm-emu with the sysfs fixture, generated BTF and the pci-tsm
# netlink family (docs/cli-contract.md §4.4; docs/kernel-abi.md,
# §10.2): evidence read in chunks and decoded, --digest, empty objects,
# netlink errors with their extack text, EAGAIN restarts, --evidence/--bdf,
# ABI detection per profile, and the guard that refuses a state change when
# the kernel's BTF contradicts --abi.
#
# Fixture: scenarios/emu_dump.json (device roles in its "comment").

load helpers
load emu_helpers

DSCN="$BATS_TEST_DIRNAME/scenarios/emu_dump.json"
D1=0000:01:00.0	# every evidence object
D2=0000:02:00.0	# no TSM context: ENXIO
D3=0000:03:00.0	# unknown to netlink: ENODEV
D4=0000:04:00.0	# empty evidence set
CHUNK=100	# the scenario's netlink chunk size

setup() {
	emu_setup
	if [ "$(id -u)" != 0 ] && ! unshare -Urm true 2>/dev/null; then
		skip "the sysfs fixture needs root or unprivileged user namespaces"
	fi
}

# dump_run [EMU OPTS...] -- ARGS...: tsmctl ARGS under tsm-emu with the
# dump scenario (or the last --scenario given) and a fresh call log $EMU_LOG
dump_run() {
	rm -f "$EMU_LOG"
	_emu_dashdash "$@"
	# shellcheck disable=SC2086 # TSMCTL_WRAP is a word list on purpose
	run --separate-stderr timeout 60 "$TSM_EMU" --scenario "$DSCN" \
		--log "$EMU_LOG" "${EMU_OPTS[@]}" -- ${TSMCTL_WRAP-} "$TSMCTL" "${EMU_ARGS[@]}"
	_filter_wrap_stderr
	LAST_JSON=0
}

# dump_json [EMU OPTS...] -- ARGS...: the same with -j; stderr empty and
# stdout valid against tests/schema
dump_json() {
	_emu_dashdash "$@"
	dump_run "${EMU_OPTS[@]}" -- -j "${EMU_ARGS[@]}"
	LAST_JSON=1
	assert_stderr_empty || return 1
	validate_json
}

# ev BDF FILTER: jq -r FILTER on the evidence object of device BDF
ev() {
	json_get ".result.sysfs.pci_devices[] | select(.bdf == \"$1\") | .evidence | $2"
}

# obj BDF TYPE_NAME FILTER: jq -r FILTER on one evidence object
obj() {
	ev "$1" ".objects[] | select(.type_name == \"$2\") | $3"
}

# fixture DEV_INDEX TYPE: the scenario's hex of an evidence object
fixture() {
	jq -r ".netlink.devices[$1].evidence.\"$2\"" "$DSCN"
}

# nl_records: the pci-tsm / nlctrl request records of the call log
nl_records() {
	[ -f "$EMU_LOG" ] || return 0
	jq -c 'select(.call == "netlink")' "$EMU_LOG"
}

# nl_evidence N FILTER: jq -r FILTER on the N-th EVIDENCE_READ record
nl_evidence() {
	nl_records | jq -c 'select(.family == "pci-tsm")' | sed -n "${1}p" | jq -r "$2"
}

nl_evidence_count() {
	nl_records | jq -c 'select(.family == "pci-tsm")' | wc -l
}

# assert_read_only: dump sent only the flags=1 TSM_OP probe and TSM_REQs
# that cannot run (op 0) or only read (object-info, op 7 under v7)
assert_read_only() {
	local bad
	bad=$(log_ioctls | jq -c 'select((.ioctl == "TSM_REQ" and .fields.op != 0 and
			(.profile != "v7" or .fields.op != 7)) or
		(.ioctl == "TSM_OP" and .fields.flags != 1))')
	[ -z "$bad" ] || fail "dump made a state-changing call: $bad"
}

# ---------------------------------------------------------------- evidence

@test "dump: certificate slots cert0..cert7 read through netlink, each chain decoded" {
	dump_json -- -v dump --bdf $D1 --evidence certs
	assert_success
	assert_equal "$(json_get '.result.evidence_family | [.present, .name, .version] | join(" ")')" "true pci-tsm 1"
	assert_equal "$(ev $D1 .ok)" true
	assert_equal "$(ev $D1 .restarts)" 0
	assert_equal "$(ev $D1 '[.objects[].type_name] | join(",")')" \
		cert0,cert1,cert2,cert3,cert4,cert5,cert6,cert7
	# per slot: type, length, bytes as the fixture has them, decoded
	# (one jq for the dump: a jq per member made this test slow)
	local i h want=
	for i in 0 1 2 3 4 5 6 7; do
		h=$(fixture 0 cert$i)
		want+="$i $((${#h} / 2)) certificate_chain true $h"$'\n'
	done
	assert_equal "$(ev $D1 '.objects[] | "\(.type) \(.len) \(.decoded.kind) \(.decoded.valid) \(.hex)"')" \
		"${want%$'\n'}"
	# per slot: SPDM header or plain DER, count and subjects
	assert_equal "$(obj $D1 cert0 '[.decoded.spdm_header, .decoded.count] | @csv')" true,2
	assert_equal "$(obj $D1 cert0 .decoded.certificates[0].subject)" "CN=Test Root CA,O=tsmctl,C=US"
	assert_equal "$(obj $D1 cert0 .decoded.certificates[0].key_curve)" secp384r1
	assert_equal "$(obj $D1 cert0 .decoded.certificates[0].key_curve_nist)" P-384
	assert_equal "$(obj $D1 cert0 .decoded.root_hash_matches)" false
	assert_equal "$(obj $D1 cert0 .decoded.certificates[1].subject)" \
		"serialNumber=SN-0042,CN=Test Device,OU=TDISP,O=tsmctl,L=San Jose,ST=CA,C=US"
	assert_equal "$(obj $D1 cert0 .decoded.certificates[1].issuer)" "CN=Test Root CA,O=tsmctl,C=US"
	assert_equal "$(obj $D1 cert0 .decoded.certificates[1].serial_hex)" a1b2c3d4e5f60718
	assert_equal "$(obj $D1 cert1 '[.decoded.spdm_header, .decoded.count] | @csv')" false,1
	assert_equal "$(obj $D1 cert1 .decoded.certificates[0].subject)" "CN=rsa.example,O=Example Org"
	assert_equal "$(obj $D1 cert1 .decoded.certificates[0].key_bits)" 2048
	assert_equal "$(obj $D1 cert2 .decoded.certificates[0].key_algorithm)" ED25519
	assert_equal "$(obj $D1 cert3 .decoded.certificates[0].signature_algorithm)" rsassaPss
	assert_equal "$(obj $D1 cert4 '[.decoded.spdm_header, .decoded.count] | @csv')" false,2
	assert_equal "$(obj $D1 cert5 '[.decoded.spdm_header, .decoded.count] | @csv')" true,1
	assert_equal "$(obj $D1 cert6 .decoded.certificates[0].subject)" \
		"serialNumber=SN-0042,CN=Test Device,OU=TDISP,O=tsmctl,L=San Jose,ST=CA,C=US"
	assert_equal "$(obj $D1 cert7 '[.decoded.spdm_header, .decoded.count] | @csv')" true,1
	assert_equal "$(obj $D1 cert7 .decoded.certificates[0].serial_hex)" 07
	# one resolve, one EVIDENCE_READ dump with mask 0xff for that device
	assert_equal "$(log_count netlink)" 3	# + the device-evidence lookup
	assert_equal "$(nl_evidence_count)" 1
	assert_equal "$(nl_evidence 1 .name)" $D1
	assert_equal "$(nl_evidence 1 .type_mask)" 255
	assert_equal "$(nl_evidence 1 .flags)" 0
	assert_equal "$(nl_evidence 1 .errno)" 0
	assert_read_only
}

@test "dump: vca, measurements and interface report read and decoded (blocks, MMIO ranges)" {
	dump_json -- -v dump --bdf $D1 --evidence vca,measurements,report
	assert_success
	assert_equal "$(ev $D1 '[.objects[].type] | join(",")')" 8,9,10
	# VCA: raw transcript, no decoder
	assert_equal "$(obj $D1 vca .len)" 17
	assert_equal "$(obj $D1 vca .hex)" "$(fixture 0 vca)"
	assert_equal "$(obj $D1 vca '.decoded // "none"')" none
	# SPDM 1.2 MEASUREMENTS: 2 blocks, nonce, 96-byte signature
	assert_equal "$(obj $D1 measurements .len)" 193
	assert_equal "$(obj $D1 measurements .hex)" "$(fixture 0 measurements)"
	assert_equal "$(obj $D1 measurements .decoded.kind)" spdm_measurements
	assert_equal "$(obj $D1 measurements .decoded.valid)" true
	assert_equal "$(obj $D1 measurements .decoded.spdm_version)" 18
	assert_equal "$(obj $D1 measurements .decoded.number_of_blocks)" 2
	assert_equal "$(obj $D1 measurements '[.decoded.blocks[].index] | @csv')" 1,254
	assert_equal "$(obj $D1 measurements .decoded.blocks[0].value_type)" mutable-firmware
	assert_equal "$(obj $D1 measurements .decoded.blocks[0].value_hex)" \
		a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf
	assert_equal "$(obj $D1 measurements .decoded.blocks[1].value_type)" device-mode
	assert_equal "$(obj $D1 measurements .decoded.blocks[1].raw_bitstream)" true
	assert_equal "$(obj $D1 measurements .decoded.blocks[1].value_hex)" 0102030405
	assert_equal "$(obj $D1 measurements .decoded.nonce_hex)" "$(printf 'cc%.0s' {1..32})"
	assert_equal "$(obj $D1 measurements .decoded.signature_len)" 96
	# TDISP interface report: 2 MMIO ranges, 5 bytes device info
	assert_equal "$(obj $D1 report .len)" 57
	assert_equal "$(obj $D1 report .hex)" "$(fixture 0 report)"
	assert_equal "$(obj $D1 report .decoded.kind)" tdisp_interface_report
	assert_equal "$(obj $D1 report .decoded.valid)" true
	assert_equal "$(obj $D1 report '.decoded.interface_info_names | join(",")')" \
		NO_UPDATE_AFTER_LOCK,ATS_SUPPORTED,PRS_SUPPORTED
	assert_equal "$(obj $D1 report .decoded.msix_message_control)" 32771
	assert_equal "$(obj $D1 report .decoded.tph_control)" 258
	assert_equal "$(obj $D1 report .decoded.mmio_range_count)" 2
	assert_equal "$(obj $D1 report '.decoded.mmio_ranges[0] | [.range_id, .first_page_hex, .number_of_pages, (.attribute_names | join("+"))] | @csv')" \
		'0,"0x4000000000",4,"MSIX_TABLE"'
	assert_equal "$(obj $D1 report '.decoded.mmio_ranges[1] | [.range_id, .first_page_hex, .number_of_pages, (.attribute_names | join("+"))] | @csv')" \
		'1,"0x4000010000",16,"IS_NON_TEE_MEM+IS_MEM_ATTR_UPDATABLE"'
	assert_equal "$(obj $D1 report .decoded.device_specific_info_hex)" 1122334455
	assert_equal "$(obj $D1 report .decoded.trailing_bytes)" 0
	assert_equal "$(nl_evidence 1 .type_mask)" 1792
}

@test "dump: default --evidence all reads 11 objects per device, one dump per device" {
	dump_json -- dump
	assert_success
	assert_equal "$(json_get '[.result.sysfs.pci_devices[].bdf] | join(",")')" "$D1,$D2,$D3,$D4"
	assert_equal "$(ev $D1 '[.objects[].type] | join(",")')" 0,1,2,3,4,5,6,7,8,9,10
	assert_equal "$(ev $D1 '[.objects[] | select(.decoded.valid == true)] | length')" 10
	# sysfs attributes of the fixture sit beside the evidence
	assert_equal "$(json_get ".result.sysfs.pci_devices[] | select(.bdf == \"$D1\") | .tsm.connect")" tsm0
	assert_equal "$(json_get ".result.sysfs.pci_devices[] | select(.bdf == \"$D1\") | .tsm.disconnect")" "(write-only)"
	assert_equal "$(json_get ".result.sysfs.pci_devices[] | select(.bdf == \"$D1\") | .authenticated")" tsm0
	assert_equal "$(json_get '.result.sysfs.tsm_devices[0].name')" tsm0
	assert_equal "$(json_get '.result.sysfs.tsm_devices[0].pci_mode')" link
	# resolve + one EVIDENCE_READ per device, all with mask 0x7ff
	assert_equal "$(log_count netlink)" 6	# + the device-evidence lookup
	assert_equal "$(nl_evidence_count)" 4
	assert_equal "$(nl_records | jq -r 'select(.family == "pci-tsm") | .name' | paste -sd,)" "$D1,$D2,$D3,$D4"
	assert_equal "$(nl_records | jq -r 'select(.family == "pci-tsm") | .type_mask' | sort -u)" 2047
	assert_read_only
}

@test "dump: a multi-chunk object is reassembled (len and hex match the fixture)" {
	dump_json -- -v dump --bdf $D1 --evidence cert0
	assert_success
	local hex len
	hex=$(fixture 0 cert0)
	len=$((${#hex} / 2))
	assert_equal "$len" 996
	assert_equal "$(obj $D1 cert0 .len)" $len
	assert_equal "$(obj $D1 cert0 .hex)" "$hex"
	assert_equal "$(obj $D1 cert0 .decoded.length)" $len
	# 996 bytes in 100-byte VAL chunks: 10 messages, then NLMSG_DONE
	assert_equal "$(nl_evidence 1 .replies)" $(((len + CHUNK - 1) / CHUNK + 1))
	assert_equal "$(nl_evidence 1 .type_mask)" 1
}

@test "dump: raw hex always for vca (no decoder), for decoded objects only with -v" {
	local big="$BATS_TEST_TMPDIR/big.json" hex
	hex=$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "%02x", i % 251 }')
	jq --arg h "$hex" '.netlink.devices[0].evidence.vca = $h' "$DSCN" >"$big"
	dump_json --scenario "$big" -- dump --bdf $D1 --evidence vca,report
	assert_success
	assert_equal "$(obj $D1 vca .len)" 5000
	assert_equal "$(obj $D1 vca .hex)" "$hex"
	assert_equal "$(nl_evidence 1 .replies)" 52
	assert_equal "$(obj $D1 report '.hex // "absent"')" absent
	assert_equal "$(obj $D1 report .decoded.valid)" true
	dump_json --scenario "$big" -- -v dump --bdf $D1 --evidence vca,report
	assert_success
	assert_equal "$(obj $D1 vca .hex)" "$hex"
	assert_equal "$(obj $D1 report .hex)" "$(fixture 0 report)"
	# an object the decoder cannot read keeps its bytes without -v
	jq '.netlink.devices[0].evidence.report = "0100"' "$DSCN" >"$big"
	dump_json --scenario "$big" -- dump --bdf $D1 --evidence report
	assert_equal "$(obj $D1 report .decoded.valid)" false
	assert_equal "$(obj $D1 report .hex)" 0100
}

@test "dump: empty objects come back with len 0 and empty hex, not decoded" {
	dump_json -- dump --bdf $D4
	assert_success
	assert_equal "$(ev $D4 .ok)" true
	assert_equal "$(ev $D4 '.objects | length')" 11
	assert_equal "$(ev $D4 '[.objects[].len] | unique | @csv')" 0
	assert_equal "$(ev $D4 '[.objects[].hex] | unique | @csv')" '""'
	assert_equal "$(ev $D4 '[.objects[] | select(has("decoded"))] | length')" 0
	# an absent object is one empty VAL: 11 messages and DONE
	assert_equal "$(nl_evidence 1 .replies)" 12
	# and a single empty object
	dump_json -- dump --bdf $D4 --evidence vca
	assert_success
	assert_equal "$(ev $D4 '.objects | length')" 1
	assert_equal "$(obj $D4 vca '[.type, .len, .hex] | @csv')" '8,0,""'
	# text mode: "hex:" with nothing after it, no trailing blank (B12)
	dump_run -- dump --bdf $D4 --evidence vca
	assert_success
	assert_line --regexp '^ +hex:$'
	assert_equal "$(grep -c ' $' <<<"$output")" 0
}

@test "dump --digest: digest_hex per object, no hex, nothing decoded; FLAGS=1 sent" {
	dump_json -- dump --bdf $D1 --digest --evidence cert0,cert1,report
	assert_success
	assert_equal "$(ev $D1 '[.objects[].type_name] | join(",")')" cert0,cert1,report
	assert_equal "$(obj $D1 cert0 .len)" 48
	assert_equal "$(obj $D1 cert0 .digest_hex)" "$(printf 'd0%.0s' {1..48})"
	assert_equal "$(obj $D1 report .len)" 48
	assert_equal "$(obj $D1 report .digest_hex)" "$(printf 'e1%.0s' {1..48})"
	# no digest for cert1: empty
	assert_equal "$(obj $D1 cert1 '[.len, .digest_hex] | @csv')" '0,""'
	assert_equal "$(ev $D1 '[.objects[] | select(has("decoded") or has("hex"))] | length')" 0
	assert_equal "$(nl_evidence 1 .flags)" 1
	assert_equal "$(nl_evidence 1 .type_mask)" 1027
}

# ------------------------------------------------------------ netlink errors

@test "dump: unknown device ENODEV, per device, with the extack text as kernel_message" {
	dump_json --faults 'nl:3:extack=no such pci-tsm device' -- dump --bdf $D3
	assert_success
	assert_equal "$(ev $D3 .ok)" false
	assert_equal "$(ev $D3 .errno)" 19
	assert_equal "$(ev $D3 .errno_name)" ENODEV
	assert_equal "$(ev $D3 .kernel_message)" "no such pci-tsm device"
	assert_regex "$(ev $D3 .message)" "$D3 not found \\(ENODEV\\): no such pci-tsm device"
	assert_equal "$(ev $D3 'has("objects")')" false
	assert_equal "$(nl_evidence 1 .errno_name)" ENODEV
	assert_equal "$(nl_evidence 1 .error_in)" error
	assert_equal "$(nl_evidence 1 .extack)" "no such pci-tsm device"
	# without a text from the kernel there is no kernel_message
	dump_json -- dump --bdf $D3
	assert_equal "$(ev $D3 .errno_name)" ENODEV
	assert_equal "$(ev $D3 'has("kernel_message")')" false
}

@test "dump: no TSM context ENXIO with kernel_message; the other devices still dump" {
	# nl request 3 is the dump of the second device ($D2)
	dump_json --faults 'nl:4:extack=device not connected' -- dump --evidence report
	assert_success
	assert_equal "$(ev $D2 .ok)" false
	assert_equal "$(ev $D2 .errno)" 6
	assert_equal "$(ev $D2 .errno_name)" ENXIO
	assert_equal "$(ev $D2 .kernel_message)" "device not connected"
	assert_regex "$(ev $D2 .message)" "no TSM context.*\\(ENXIO\\): device not connected"
	assert_equal "$(ev $D1 .ok)" true
	assert_equal "$(obj $D1 report .decoded.mmio_range_count)" 2
	assert_equal "$(ev $D3 .errno_name)" ENODEV
	assert_equal "$(ev $D4 .ok)" true
	assert_equal "$(nl_records | jq -r 'select(.family == "pci-tsm") | .errno_name // "ok"' | paste -sd,)" \
		ok,ENXIO,ENODEV,ok
	assert_equal "$(nl_evidence 2 .extack)" "device not connected"
}

@test "dump: EAGAIN mid-dump once is restarted: restarts 1, objects complete" {
	dump_json --faults 'nl:3:eagain' -- -v dump --bdf $D1 --evidence vca,report
	assert_success
	assert_equal "$(ev $D1 .ok)" true
	assert_equal "$(ev $D1 .restarts)" 1
	assert_equal "$(ev $D1 '[.objects[].type_name] | join(",")')" vca,report
	assert_equal "$(obj $D1 vca .hex)" "$(fixture 0 vca)"
	assert_equal "$(obj $D1 report .hex)" "$(fixture 0 report)"
	assert_equal "$(obj $D1 report .decoded.valid)" true
	# two EVIDENCE_READ requests: the first ended in DONE(-EAGAIN) with the text
	assert_equal "$(nl_evidence_count)" 2
	assert_equal "$(nl_evidence 1 .errno_name)" EAGAIN
	assert_equal "$(nl_evidence 1 .error_in)" done
	assert_equal "$(nl_evidence 1 .extack)" "evidence updated during read"
	assert_equal "$(nl_evidence 2 .errno)" 0
}

@test "dump: EAGAIN on every attempt gives up after 3 restarts, kernel_message shown" {
	dump_json --faults 'nl:*:eagain' -- dump --bdf $D1 --evidence vca,report
	assert_success
	assert_equal "$(ev $D1 .ok)" false
	assert_equal "$(ev $D1 .restarts)" 3
	assert_equal "$(ev $D1 .errno)" 11
	assert_equal "$(ev $D1 .errno_name)" EAGAIN
	assert_equal "$(ev $D1 .kernel_message)" "evidence updated during read"
	assert_regex "$(ev $D1 .message)" 'gave up after 3 restarts \(EAGAIN\)'
	assert_equal "$(ev $D1 'has("objects")')" false
	# bounded: 1 + 3 requests, no more
	assert_equal "$(nl_evidence_count)" 4
	assert_equal "$(nl_records | jq -r 'select(.family == "pci-tsm") | .errno_name' | sort -u)" EAGAIN
}

@test "dump text mode: netlink errors and their kernel messages are visible" {
	dump_run --faults 'nl:4:extack=device not connected' -- dump --evidence vca
	assert_success
	assert_output --regexp "errno_name: +ENXIO"
	assert_output --regexp "kernel_message: +device not connected"
	assert_output --regexp "errno_name: +ENODEV"
	assert_output --regexp "message: +pci-tsm evidence read: device $D3 not found \\(ENODEV\\)"
	dump_run --faults 'nl:*:eagain' -- dump --bdf $D1
	assert_success
	assert_output --regexp "restarts: +3"
	assert_output --regexp "kernel_message: +evidence updated during read"
}

# ----------------------------------------------------- --evidence and --bdf

@test "dump --evidence none: no netlink socket, no message; devices still listed" {
	dump_json -- dump --evidence none
	assert_success
	assert_equal "$(json_get '[.result.sysfs.pci_devices[].bdf] | join(",")')" "$D1,$D2,$D3,$D4"
	assert_equal "$(json_get '[.result.sysfs.pci_devices[] | has("evidence")] | any')" false
	assert_equal "$(json_get .result.evidence_family.not_probed)" "--evidence none"
	assert_equal "$(log_count socket)" 0
	assert_equal "$(log_count netlink)" 0
}

@test "dump --bdf filters the devices and their EVIDENCE_READ requests" {
	dump_json -- dump --bdf $D4 --bdf $D1 --evidence measurements
	assert_success
	assert_equal "$(json_get '[.result.sysfs.pci_devices[].bdf] | join(",")')" "$D1,$D4"
	assert_equal "$(obj $D1 measurements .decoded.number_of_blocks)" 2
	assert_equal "$(obj $D4 measurements .len)" 0
	assert_equal "$(nl_evidence_count)" 2
	assert_equal "$(nl_records | jq -r 'select(.family == "pci-tsm") | .name' | paste -sd,)" "$D1,$D4"
	assert_equal "$(nl_evidence 1 .type_mask)" 512
	# a device that is not there: empty list, no evidence request
	dump_json -- dump --bdf 0000:0a:00.0
	assert_success
	assert_equal "$(json_get '.result.sysfs.pci_devices | length')" 0
	assert_equal "$(nl_evidence_count)" 0
}

@test "dump --evidence bad value: exit 2 naming --evidence, nothing sent" {
	dump_json -- dump --evidence cert8
	assert_usage_error
	assert_equal "$(json_get .error.field)" --evidence
	assert_regex "$(json_get .error.message)" cert8
	dump_run -- dump --evidence vca,bogus
	assert_usage_error
	assert_stderr_has "--evidence" "evidence type" bogus
	assert_equal "$(log_count netlink)" 0
	assert_equal "$(log_count socket)" 0
	assert_equal "$(log_count ioctl)" 0
	assert_equal "$(log_count open)" 0
}

@test "dump --bdf malformed: exit 2, nothing sent" {
	dump_run -- dump --bdf 01:00.0
	assert_usage_error
	assert_stderr_has --bdf 01:00.0
	assert_equal "$(log_count netlink)" 0
	assert_equal "$(log_count ioctl)" 0
}

@test "dump: no evidence family: evidence_family absent with the reason, exit 0" {
	local nf="$BATS_TEST_TMPDIR/nofamily.json"
	jq '.netlink.family = false' "$DSCN" >"$nf"
	dump_json --scenario "$nf" -- dump --bdf $D1
	assert_success
	assert_equal "$(json_get '.result.evidence_family | [.present, .name] | tostring')" '[false,null]'
	assert_regex "$(json_get .result.evidence_family.error)" 'device-evidence or pci-tsm not found'
	assert_equal "$(json_get '.result.sysfs.pci_devices[0] | has("evidence")')" false
	assert_equal "$(nl_evidence_count)" 0
	# both families were looked up, device-evidence first
	assert_equal "$(nl_records | jq -r .name | paste -sd,)" device-evidence,pci-tsm
}

# ------------------------------------------------------- device-evidence

# de_scn [JQ]: the dump scenario with the device-evidence family (+ JQ)
de_scn() {
	local f="$BATS_TEST_TMPDIR/de.json"
	jq ".netlink.family = \"device-evidence\" ${1:+| $1}" "$DSCN" >"$f"
	echo "$f"
}

de_records() {
	nl_records | jq -c 'select(.family == "device-evidence")'
}

@test "device-evidence: resolved first; SUBSYS pci and its numbering on the wire; generation and LENGTH checked" {
	dump_json --scenario "$(de_scn)" -- dump --evidence vca,report
	assert_success
	assert_equal "$(json_get '.result.evidence_family | [.present, .name, .version, .nonce_max] | join(" ")')" "true device-evidence 1 32"
	assert_equal "$(obj $D1 report .decoded.kind)" tdisp_interface_report
	assert_equal "$(obj $D1 vca .hex)" "$(jq -r '.netlink.devices[0].evidence.vca' "$DSCN")"
	assert_equal "$(ev $D1 .generation)" 1
	assert_equal "$(ev $D2 .errno_name)" ENXIO
	assert_regex "$(ev $D2 .message)" '^device-evidence evidence read: device 0000:02:00.0 has no TSM context'
	assert_equal "$(ev $D3 .errno_name)" ENODEV
	# one lookup, no pci-tsm one
	assert_equal "$(nl_records | jq -r 'select(.family == "nlctrl") | .name' | paste -sd,)" device-evidence
	# the request: TYPE_MASK 2 = 0x500, SUBSYS 4 = "pci", DEV_NAME 5
	local hex
	hex=$(de_records | sed -n 1p | jq -r .request_hex)
	assert_regex "$hex" '^380000001d000103.{16}01010000''0800020000050000''0800040070636900''11000500303030303a30313a30302e3000000000$'
}

@test "device-evidence: a generation change during the dump is retried (eagain or silent); after 3 restarts it is reported" {
	local m
	for m in eagain silent; do
		dump_json --scenario "$(de_scn ".netlink.devices[0].generation_change = {\"after\": 1, \"dumps\": 2, \"report\": \"$m\"}")" \
			-- dump --bdf $D1 --evidence vca,report
		assert_success
		assert_equal "$(ev $D1 '[.ok, .restarts, .generation] | join(" ")')" "true 2 3"
		assert_equal "$(de_records | wc -l)" 3
		dump_json --scenario "$(de_scn ".netlink.devices[0].generation_change = {\"after\": 1, \"dumps\": 4, \"report\": \"$m\"}")" \
			-- dump --bdf $D1 --evidence vca,report
		assert_success
		assert_equal "$(ev $D1 '[.ok, .restarts, .errno_name] | join(" ")')" "false 3 EAGAIN"
		assert_equal "$(de_records | wc -l)" 4
	done
	assert_regex "$(ev $D1 .message)" 'evidence generation changed during the dump \(4, then 5\); gave up after 3 restarts'
}

@test "device-evidence: reassembled bytes other than LENGTH are an error" {
	dump_json --scenario "$(de_scn '.netlink.devices[0].bad_length = true')" -- dump --bdf $D1 --evidence report
	assert_success
	assert_equal "$(ev $D1 '[.ok, .errno_name] | join(" ")')" "false EPROTO"
	assert_regex "$(ev $D1 .message)" 'report reassembled to 57 bytes, its LENGTH said 58'
}

@test "dump --nonce: at most 32 bytes for device-evidence (exit 2, no evidence request), 256 for pci-tsm; sent as NONCE" {
	local n32 n33
	n32=$(printf '%064x' 7)
	n33=$(printf '%066x' 7)
	dump_json --scenario "$(de_scn)" -- dump --bdf $D1 --nonce "$n33"
	assert_usage_error
	assert_equal "$(json_get .error.field)" --nonce
	assert_regex "$(json_get .error.message)" 'family device-evidence takes at most 32'
	assert_equal "$(de_records | wc -l)" 0
	assert_equal "$(log_count ioctl)" 0
	# the staging kernel has no refresh: EOPNOTSUPP, explained
	dump_json --scenario "$(de_scn)" -- dump --bdf $D1 --nonce "$n32" --evidence report
	assert_success
	assert_equal "$(ev $D1 .errno_name)" EOPNOTSUPP
	assert_regex "$(ev $D1 .message)" 'not supported'
	assert_equal "$(de_records | jq -r .nonce_hex)" "$n32"
	# a kernel that refreshes: the evidence comes back
	dump_json --scenario "$(de_scn '.netlink.refresh = true')" -- dump --bdf $D1 --nonce "$n32" --evidence report
	assert_success
	assert_equal "$(ev $D1 .ok)" true
	# pci-tsm takes 256 bytes
	dump_json -- dump --bdf $D1 --nonce "$n33" --evidence report
	assert_success
	assert_equal "$(nl_evidence 1 .nonce_hex)" "$n33"
	dump_run -- dump --nonce "$(printf '%0514x' 7)"
	assert_usage_error
	assert_equal "$(log_count netlink)" 0
}

# ----------------------------------------------------------- ABI detection

# check_detect PROFILE PROBE: the BTF of PROFILE matches PROFILE only; dump
# -A PROFILE probes TSM_OP at PROBE (request code, "none" for v7)
check_detect() {
	local p v
	dump_json --profile "$1" -- -A "$1" dump --evidence none
	assert_success
	assert_equal "$(json_get .result.abi_detection.source)" /sys/kernel/btf/vmlinux
	assert_equal "$(json_get .result.abi_detection.btf)" true
	assert_equal "$(json_get .result.abi_detection.tsm_types)" true
	assert_equal "$(json_get .result.abi_detection.selected)" "$1"
	assert_equal "$(json_get .result.abi_detection.summary)" \
		"BTF declares vdevice TSM types; matching: $1"
	for p in v5 v5-op v6 v7; do
		v=contradicts
		[ "$p" = "$1" ] && v=matches
		assert_equal "$(json_get ".result.abi_detection.profiles[] | select(.profile == \"$p\") | .verdict")" $v
	done
	assert_equal "$(json_get '[.result.abi_detection.profiles[] | select(.verdict == "matches")] | length')" 1
	assert_equal "$(json_get .result.iommufd.iommufd)" true
	# read-only: an OPTION get and the flags=1 TSM_OP probe (v7: a TSM_REQ
	# with op 0, refused before any lookup), nothing else
	assert_equal "$(log_count netlink)" 0
	assert_read_only
	assert_equal "$(log_ioctl 1 .ioctl)" OPTION
	if [ "$2" = none ]; then
		assert_equal "$(log_count ioctl)" 2
		assert_equal "$(json_get '.result.iommufd | has("tsm_op_probe")')" false
		assert_equal "$(log_ioctl 2 .request)" 0x3b96
		assert_equal "$(log_ioctl 2 .fields.op)" 0
		assert_equal "$(log_ioctl 2 .errno_name)" EINVAL
		assert_equal "$(json_get .result.iommufd.tsm_req_probe)" EINVAL
		assert_equal "$(json_get .result.iommufd.tsm_req_present)" true
	else
		assert_equal "$(log_count ioctl)" 2
		assert_equal "$(log_ioctl 2 .request)" "$2"
		assert_equal "$(log_ioctl 2 .errno_name)" EOPNOTSUPP
		assert_equal "$(json_get .result.iommufd.tsm_op_probe)" EOPNOTSUPP
		assert_equal "$(json_get .result.iommufd.tsm_op_present)" true
	fi
}

@test "abi detection: BTF of v5 matches v5 only" {
	check_detect v5 0x3b95
	assert_regex "$(json_get '.result.abi_detection.profiles[] | select(.profile == "v6") | .evidence | join(";")')" \
		'TSM_OP = 0x95, profile v6 expects 0x96'
}

@test "abi detection: BTF of v5-op matches v5-op only" {
	check_detect v5-op 0x3b95
	assert_regex "$(json_get '.result.abi_detection.profiles[] | select(.profile == "v5") | .evidence | join(";")')" \
		'tsm_req is 48 bytes, profile v5 expects 40'
}

@test "abi detection: BTF of v6 matches v6 only" {
	check_detect v6 0x3b96
}

@test "abi detection: BTF of v7 matches v7 only" {
	check_detect v7 none
	assert_regex "$(json_get '.result.abi_detection.profiles[] | select(.profile == "v7") | .evidence | join(";")')" \
		'tsm_req is 48 bytes'
}

@test "abi detection: text mode shows the summary and verdicts" {
	dump_run --profile v5-op -- dump --evidence none
	assert_success
	assert_output --regexp "summary: +BTF declares vdevice TSM types; matching: v5-op"
	assert_output --regexp "verdict: +matches"
}

# ------------------------------------------- contradiction guard (state change)

# refused PROFILE_BTF ABI CMD...: on a kernel whose BTF is PROFILE_BTF,
# tsmctl -A ABI CMD exits 2, names ABI and the matching profile, sends nothing
refused() {
	local btf=$1 abi=$2
	shift 2
	dump_run --profile "$btf" -- -A "$abi" --fd 7 "$@"
	assert_failure 2
	assert_equal "$output" ""
	assert_stderr_has "tsmctl: $1: ABI profile $abi contradicts the running kernel" \
		"the kernel matches profile $btf: run with --abi $btf" "nothing was sent"
	assert_no_ioctl
	assert_equal "$(log_count ioctl)" 0
	assert_equal "$(log_count open)" 0
}

@test "guard: bind with --abi v6 on a v5 kernel is refused naming v5 (JSON); --abi v5 binds" {
	dump_json --profile v5 -- -A v6 --fd 7 bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" --abi
	assert_equal "$(json_get .error.value)" v6
	assert_regex "$(json_get .error.message)" 'ABI profile v6 contradicts the running kernel'
	assert_regex "$(json_get .error.message)" 'TSM_OP = 0x95, profile v6 expects 0x96'
	assert_equal "$(json_get .error.hint)" "the kernel matches profile v5: run with --abi v5; nothing was sent"
	assert_no_ioctl
	refused v5 v6 bind --vdevice 3
	dump_json --profile v5 -- -A v5 --fd 7 bind --vdevice 3
	assert_success
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .ioctl)" TSM_OP
	assert_equal "$(log_ioctl 1 .request)" 0x3b95
	assert_equal "$(log_ioctl 1 .fields.type)" 1
	assert_equal "$(log_ioctl 1 .ret)" 0
}

@test "guard: set-run with --abi v6 on a v5-op kernel is refused naming v5-op; --abi v5-op goes through" {
	refused v5-op v6 set-run --vdevice 3 --arch cca --state lock
	dump_json --profile v5-op -- -A v5-op --fd 7 set-run --vdevice 3 --arch cca --state lock
	assert_success
	assert_equal "$(json_get .result.completion)" done
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .request)" 0x3b96
	assert_equal "$(log_ioctl 1 .fields.op)" 5
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 01000000
}

@test "guard: req validate-mmio with --abi v5-op on a v7 kernel is refused naming v7; --abi v7 goes through" {
	local vm=(--op validate-mmio --field gpa_base=0x80000000 --field gpa_top=0x80010000
		--field pa_base=0x4000000000)
	refused v7 v5-op req --vdevice 3 --arch cca "${vm[@]}"
	dump_json --profile v7 -- -A v7 --fd 7 req --vdevice 3 --arch cca "${vm[@]}"
	assert_success
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .ioctl)" TSM_REQ
	assert_equal "$(log_ioctl 1 .request)" 0x3b96
	assert_equal "$(log_ioctl 1 .fields.op)" 1
	assert_equal "$(log_ioctl 1 .ret)" 0
}

@test "guard: refused req/set-run in JSON mode validate against the schema" {
	dump_json --profile v5-op -- -A v6 --fd 7 set-run --vdevice 3 --arch cca --state lock
	assert_usage_error
	assert_regex "$(json_get .error.hint)" 'matches profile v5-op'
	assert_no_ioctl
}

@test "guard: set-run with --abi v7 on a v6 kernel is refused naming v6; --abi v6 goes through" {
	refused v6 v7 set-run --vdevice 3 --arch cca --state lock
	dump_run --profile v6 -- -A v6 --fd 7 set-run --vdevice 3 --arch cca --state lock
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .request)" 0x3b97
	assert_equal "$(log_ioctl 1 .req_payload_hex)" 01000000
}

@test "guard: a read-only req and dump are not refused under a contradicting --abi" {
	dump_json --profile v7 -- -A v5-op --fd 7 req --vdevice 3 --arch cca \
		--op object-info --field object_type=interface_report
	refute [ "$status" -eq 2 ]
	assert_equal "$(log_count ioctl)" 1
	dump_json --profile v5 -- -A v6 dump --evidence none
	assert_success
	assert_equal "$(json_get .result.abi_detection.selected)" v6
	assert_regex "$(json_get .result.abi_detection.summary)" 'matching: v5$'
}

# --------------------------------------------------------------- text mode

@test "dump text mode: key facts readable (detection, devices, decoded evidence)" {
	dump_run -- dump --bdf $D1
	assert_success
	assert_equal "$stderr" ""
	assert_output --regexp "summary: +BTF declares vdevice TSM types; matching: v6"
	assert_output --regexp "bdf: +$D1"
	assert_output --regexp "type_name: +cert0"
	assert_output --regexp "subject: +CN=Test Root CA,O=tsmctl,C=US"
	assert_output --regexp "first_page_hex: +0x4000010000"
	assert_output --regexp "value_type: +mutable-firmware"
	assert_output --regexp "pci_mode: +link"
	assert_equal "$(log_count netlink)" 3	# + the device-evidence lookup
}

@test "dump: host_bridges lists only pciDDDD:BB entries of /sys/class/tsm/tsmN" {
	local hb="$BATS_TEST_TMPDIR/hb.json"
	jq '.sysfs.extra = {"class/tsm/tsm0/pci0000:00": ""}' "$DSCN" >"$hb"
	dump_json --scenario "$hb" -- dump --evidence none
	assert_success
	assert_equal "$(json_get '.result.sysfs.tsm_devices[0].host_bridges | join(",")')" pci0000:00
}

@test "dump under auto with no BTF at all sends no TSM probe: the fallback profile is a guess" {
	local nobtf="$BATS_TEST_TMPDIR/nobtf.json"
	jq '.btf = false' "$DSCN" >"$nobtf"
	dump_json --scenario "$nobtf" -- --fd 7 dump --evidence none --vdevice 3
	assert_success
	assert_equal "$(json_get '[.abi, .abi_source, .result.abi_detection.btf] | join(" ")')" "v7 fallback false"
	assert_regex "$(json_get .result.iommufd.tsm_probes_skipped)" "^no BTF tells this kernel's ABI: profile v7 is auto's guess"
	assert_equal "$(json_get '.result.iommufd | has("tsm_req_present")')" false
	# the vdevice asked for is listed, not probed, with why
	assert_equal "$(json_get '.result.iommufd.vdevices | map("\(.vdevice_id) \(.state)") | join(",")')" "3 not_probed"
	assert_regex "$(json_get '.result.iommufd.vdevices[0].meaning')" "^no BTF tells this kernel's ABI"
	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .ioctl)" OPTION
	# a profile selected probes as usual
	dump_json --scenario "$nobtf" -- -A v6 --fd 7 dump --evidence none --vdevice 3
	assert_equal "$(json_get '.result.iommufd | has("tsm_probes_skipped")')" false
	assert_equal "$(json_get '.result.iommufd.vdevices[0].state')" present
}

@test "dump under a profile BTF contradicts sends no TSM probe with that profile's codes" {
	# -A v6 on a v5 kernel: 0x3b96 is v5's TSM_REQ there
	dump_json --profile v5 -- -A v6 --fd 7 dump --evidence none --vdevice 3
	assert_success
	assert_regex "$(json_get .result.iommufd.tsm_probes_skipped)" '^BTF contradicts profile v6'
	assert_equal "$(json_get '.result.iommufd | has("tsm_op_probe")')" false
	# the vdevice asked for is listed, not probed, and says why
	assert_equal "$(json_get '.result.iommufd.vdevices[0] | "\(.vdevice_id) \(.state)"')" "3 not_probed"
	assert_regex "$(json_get '.result.iommufd.vdevices[0].meaning')" '^BTF contradicts profile v6'

	assert_equal "$(log_count ioctl)" 1
	assert_equal "$(log_ioctl 1 .ioctl)" OPTION
	# the matching profile probes as usual
	dump_json --profile v5 -- -A v5 --fd 7 dump --evidence none --vdevice 3
	assert_equal "$(json_get .result.iommufd.tsm_op_probe)" EOPNOTSUPP
	assert_equal "$(json_get '.result.iommufd.vdevices[0].state')" present
	assert_equal "$(log_count ioctl)" 3
}

@test "dump: explicit paths and options that cannot work are bad input, nothing read or sent" {
	dump_run -- --fd 7 dump --btf "$BATS_TEST_TMPDIR/nope"
	assert_usage_error
	assert_stderr_has "--btf" "nope" "cannot read"
	assert_no_ioctl
	assert_equal "$(log_count socket)" 0
	dump_json -- --fd 7 dump --sysfs "$BATS_TEST_TMPDIR/nope"
	assert_usage_error
	assert_equal "$(json_get .error.field)" --sysfs
	assert_no_ioctl
	dump_run -- --fd 7 dump --digest --evidence none
	assert_usage_error
	assert_stderr_has "--digest" "--evidence none"
	assert_no_ioctl
	dump_run -- --fd 7 dump $(printf -- '--bdf 0000:01:00.%d ' 0 1 2 3 4 5 6 7) \
		$(printf -- '--bdf 0000:02:00.%d ' 0 1 2 3 4 5 6 7) --bdf 0000:03:00.0
	assert_usage_error
	assert_stderr_has "--bdf '0000:03:00.0'" "at most 16"
}

@test "dump -n reads sysfs and BTF only: no open, ioctl or netlink" {
	dump_json -- --fd 7 -n dump --vdevice 3
	assert_success
	assert_equal "$(log_count ioctl)" 0
	assert_equal "$(log_count socket)" 0
	assert_equal "$(log_count netlink)" 0
	assert_regex "$(json_get .result.iommufd.not_opened)" "dry run"
	assert_equal "$(json_get '.result.iommufd | has("vdevices")')" false
	assert_equal "$(json_get '[.result.sysfs.pci_devices[] | has("evidence")] | any')" false
	assert_equal "$(json_get '.result.sysfs.pci_devices | length')" 4
	assert_equal "$(json_get .result.abi_detection.selected)" v6
}

@test "dump: a --bdf that is not there is named; a repeated --vdevice is probed once" {
	dump_json -- --fd 7 dump --bdf 0000:01:00.0 --bdf 0000:09:00.0 --evidence none \
		--vdevice 3 --vdevice 3 --vdevice 0x3
	assert_success
	assert_equal "$(json_get '.result.sysfs.bdf_not_found | join(",")')" 0000:09:00.0
	assert_equal "$(json_get '.result.sysfs.pci_devices | length')" 1
	assert_equal "$(json_get '.result.iommufd.vdevices | length')" 1
	# OPTION, TSM_OP flags=1, one TSM_OP probe of vdevice 3
	assert_equal "$(log_count ioctl)" 3
	dump_run -- --fd 7 dump --bdf 0000:09:00.0 --evidence none
	assert_success
	assert_output --regexp "bdf_not_found:"
}

@test "dump --trust-anchor: the SPDM chain the scenario serves verifies; a corrupted signature does not" {
	load x509_helpers
	local c="$BATS_TEST_TMPDIR/c"
	mkdir -p "$c"
	gen_spdm_chain "$c"
	jq --arg good "$(xxd -p "$c/chain.bin" | tr -d '\n')" \
		--arg bad "$(xxd -p "$c/bad.bin" | tr -d '\n')" \
		'.netlink.devices[0].evidence.cert0 = $good |
		 .netlink.devices[0].evidence.cert1 = $bad' "$DSCN" >"$c/scn.json"
	dump_json --scenario "$c/scn.json" -- dump --bdf $D1 --evidence cert0,cert1 \
		--trust-anchor "$c/root.pem"
	assert_success
	assert_equal "$(obj $D1 cert0 '[.decoded.verified, .decoded.root_hash_matches, .decoded.count] | @csv')" true,true,3
	assert_equal "$(obj $D1 cert1 '[.decoded.verified, .decoded.root_hash_matches] | @csv')" false,true
	assert_equal "$(obj $D1 cert1 .decoded.certificates[2].verify_error)" 'certificate signature failure'
	# the wrong anchor: neither verifies
	dump_json --scenario "$c/scn.json" -- dump --bdf $D1 --evidence cert0 \
		--trust-anchor "$c/other.pem"
	assert_equal "$(obj $D1 cert0 .decoded.verified)" false
	# none: said so, in text mode too
	dump_run --scenario "$c/scn.json" -- dump --bdf $D1 --evidence cert0
	assert_success
	assert_output --regexp 'verification: +not verified: no trust anchor given'
}

@test "dump --evidence-out: each object as received in DIR/BDF/TYPE.bin, ready for --decode" {
	local out="$BATS_TEST_TMPDIR/out" t
	mkdir "$out"
	dump_json -- dump --bdf $D1 --evidence-out "$out"
	assert_success
	for t in cert0 cert1 cert2 cert3 cert4 cert5 cert6 cert7 vca measurements report; do
		assert_equal "$(xxd -p "$out/$D1/$t.bin" | tr -d '\n')" "$(fixture 0 $t)"
		assert_equal "$(obj $D1 $t .file)" "$out/$D1/$t.bin"
	done
	# offline, the same decoded objects
	local live
	live=$(obj $D1 cert0 .decoded)
	run "$TSMCTL" -j dump --decode "cert0=$out/$D1/cert0.bin"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | jq -r '.result.evidence.objects[0].decoded')" "$live"
	# nothing was read live: no "ok" or "restarts" (B12)
	assert_equal "$(printf '%s\n' "$output" | jq -c '.result.evidence | keys')" '["objects"]'
	validate_json
	# digests as .digest
	dump_json -- dump --bdf $D1 --digest --evidence cert0 --evidence-out "$out"
	assert_equal "$(xxd -p "$out/$D1/cert0.digest" | tr -d '\n')" "$(printf 'd0%.0s' {1..48})"
	# not a writable directory: usage error, nothing sent
	dump_run -- dump --bdf $D1 --evidence-out "$out/$D1/cert0.bin"
	assert_failure 2
	assert_stderr_has "--evidence-out"
	assert_equal "$(log_count netlink)" 0
}

@test "dump text mode: a large object shows its first 256 bytes, size and SHA-256; all of it with -v" {
	local c="$BATS_TEST_TMPDIR/big.json" hex sum
	hex=$(head -c 1000 /dev/urandom | xxd -p | tr -d '\n')
	sum=$(printf '%s' "$hex" | xxd -r -p | sha256sum | cut -d' ' -f1)
	jq --arg v "$hex" '.netlink.devices[0].evidence.vca = $v' "$DSCN" >"$c"
	dump_run --scenario "$c" -- dump --bdf $D1 --evidence vca
	assert_success
	assert_output --regexp "hex: +${hex:0:512}\\.\\.\\. \\(1000 bytes, sha256 $sum; all with -v\\)"
	refute_output --partial "${hex:0:514}"
	dump_run --scenario "$c" -- -v dump --bdf $D1 --evidence vca
	assert_output --regexp "hex: +$hex\$"
	# JSON: every byte, and the same SHA-256
	dump_json --scenario "$c" -- dump --bdf $D1 --evidence vca
	assert_equal "$(obj $D1 vca .hex)" "$hex"
	assert_equal "$(obj $D1 vca .sha256)" "$sum"
	dump_json --scenario "$c" -- --pretty dump --bdf $D1 --evidence vca
	assert_equal "$(obj $D1 vca .hex)" "$hex"
}

@test "dump --section: only the parts asked for, the rest neither gathered nor shown" {
	emu_json v6 --scenario "$EMU_SCN/emu_dump.json" dump --section sysfs,evidence \
		--bdf 0000:01:00.0 --evidence measurements
	assert_success
	assert_equal "$(json_get '.result | keys | join(" ")')" \
		"evidence_family sections sysfs tool_version"
	assert_equal "$(json_get '.result.sections | join(",")')" "sysfs,evidence"
	assert_equal "$(json_get '.result.sysfs.pci_devices[0].evidence.objects | length > 0')" true
	# no iommufd asked for: nothing opened, no probe sent
	assert_equal "$(log_count open)" 0
	assert_equal "$(log_count ioctl)" 0
	emu_json v6 --scenario "$EMU_SCN/emu_dump.json" dump --section kernel,abi --vdevice 3
	assert_success
	assert_equal "$(json_get '.result | keys | join(" ")')" \
		"abi_detection evidence_family kernel sections tool_version"
	assert_equal "$(log_count ioctl)" 0
	# sysfs without evidence reads no evidence
	emu_json v6 --scenario "$EMU_SCN/emu_dump.json" dump --section sysfs --bdf 0000:01:00.0
	assert_success
	assert_equal "$(json_get '.result.sysfs.pci_devices[0] | has("evidence")')" false
	emu_tsmctl v6 dump --section kernel,bogus
	assert_bad_input "--section" "bogus" "accepted: kernel, abi, iommufd, sysfs, evidence"
}

@test "dump --vdevice without an iommufd lists the vdevice as not_probed, with why" {
	run_json -j -A v6 -d "$BATS_TEST_TMPDIR/none" dump --vdevice 3 --vdevice 4 --evidence none
	assert_success
	assert_equal "$(json_get '[.result.iommufd.vdevices[] | "\(.vdevice_id):\(.state)"] | join(" ")')" \
		"3:not_probed 4:not_probed"
	assert_regex "$(json_get '.result.iommufd.vdevices[0].meaning')" "^cannot open"
}
