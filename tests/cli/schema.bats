#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# JSON Schemas of req, req --decode-tsm-code, set-run, batch, replay, dump
# and --trace files (docs/cli-contract.md §5-§7): a real document of each kind
# validates, and each new schema rejects a broken copy.

load helpers
load emu_helpers

setup() {
	emu_setup
}

MM=(--field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000)

# _vj_args FILE [--trace | --schema NAME]: vj_check's arguments
_vj_args() {
	case "${2-}" in
	--trace) printf '%s\n' "$1" "" trace ;;
	--schema) printf '%s\n' "$1" "$3" doc ;;
	*) printf '%s\n' "$1" "" doc ;;
	esac
}

# validate_file FILE [--trace | --schema NAME]: must be valid
validate_file() {
	local a
	mapfile -t a < <(_vj_args "$@")
	vj_check "${a[@]}" ||
		fail "$(printf '%s is not valid:\n%s\n-- file --\n%s' "$1" "$(cat "$1.err")" "$(cat "$1")")"
}

# reject JQ [--trace | --schema NAME]: $output modified by JQ must be invalid
reject() {
	local f="$BATS_TEST_TMPDIR/broken.json" rc=0 a
	printf '%s\n' "$output" | jq -c "$1" >"$f"
	mapfile -t a < <(_vj_args "$f" "${@:2}")
	vj_check "${a[@]}" || rc=$?
	if [ "$rc" -ne 1 ]; then
		fail "$(printf 'broken document accepted (exit %s) after %s:\n%s' "$rc" "$1" "$(cat "$f")")"
	fi
}

schema_of() {
	"$PYTHON3" -c 'import sys, importlib.util as u
s = u.spec_from_file_location("v", sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m)
import json; print(m.pick_schema(json.loads(sys.stdin.read())))' "$VALIDATE_JSON"
}

@test "req dry run (v6 cca validate-mmio) is valid; broken copies are not" {
	run_json req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}" -n -j
	assert_success
	assert_equal "$(printf '%s' "$output" | schema_of)" req
	reject 'del(.result.request.payload_hex)'
	reject '.result.request.vdevice_id = "3"'
	reject '.result.rc = 0'
	reject '.ioctl.name = "IOMMU_VDEVICE_TSM_OP"'
	reject '.result.request.extra = 1'
}

@test "req dry run (v5 scope info) is valid" {
	run_json -A v5 -j req --vdevice 3 --scope info --in 0100000003000000 -n
	assert_success
	assert_equal "$(json_get .ioctl.fields.scope_name)" info
	reject 'del(.result.request.scope_name)'
}

@test "req under tsm-emu: success with tsm_code_decoded is valid" {
	emu_json v6 req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}"
	assert_success
	assert_equal "$(json_get .result.tsm_code_decoded.table)" cca-rmi-2.0
	reject 'del(.result.tsm_code_decoded.status)'
	reject 'del(.result.completion)'
	reject '.result.errno_name = "EIO"'
	reject '.result.tsm_code_decoded.hex = 0'
}

@test "req under tsm-emu: errno fault gives a valid ioctl-stage error" {
	emu_json v6 --faults tsm_req:1:EIO req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}"
	assert_failure 4
	assert_equal "$(json_get .error.stage)" ioctl
	assert_equal "$(json_get .error.completion)" uncertain
	reject 'del(.error.completion)'
	reject '.error.completion = "maybe"'
	reject 'del(.error)'
}

@test "req under tsm-emu: tsm_code fault gives a valid tsm-stage error" {
	emu_json v6 --faults tsm_req:1:tsm_code=0x601 req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}"
	assert_failure 3
	assert_equal "$(json_get .error.stage)" tsm
	assert_equal "$(json_get .error.tsm_code_name)" RMI_ERROR_INPUT
	reject 'del(.error.tsm_code)'
	reject '.error.tsm_code = -1'
}

@test "req under tsm-emu: TDX tsm_code with errno, efault after commit, residue" {
	emu_json v6 --faults tsm_req:1:EINVAL+tsm_code=0xc000010000000001 req --vdevice 7 --arch tdx --op 1 --force --in 00
	assert_failure
	assert_equal "$(json_get .result.tsm_code_decoded.operand)" RCX
	reject 'del(.result.tsm_code_decoded.class)'
	reject '.result.tsm_code_decoded.status = 0'
	emu_json v6 --faults tsm_req:1:efault req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}"
	assert_failure 4
	assert_equal "$(json_get .error.errno_name)" EFAULT
	emu_json v6 --faults tsm_req:1:ret=5 req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}"
	assert_success
	assert_equal "$(json_get .result.residue)" 5
}

@test "req under tsm-emu (v5-op): object-info and read-object decoded responses" {
	emu_json v5-op req --vdevice 3 --arch cca --op object-info --field object_type=interface_report
	assert_success
	assert_equal "$(json_get .result.decoded.kind)" object_size
	reject '.result.decoded.object_size = "36"'
	reject 'del(.result.decoded.valid)'
	emu_json v5-op req --vdevice 3 --arch cca --op read-object --field object_type=interface_report
	assert_success
	assert_equal "$(json_get .result.decoded.kind)" tdisp_interface_report
	assert_equal "$(json_get '.result.decoded.mmio_ranges | length')" 1
	reject 'del(.result.decoded.mmio_ranges[0].first_page)'
	reject '.result.decoded.kind = "certificate_chain"'
	emu_json v5-op req --vdevice 3 --arch cca --op read-object --field object_type=certificate
	assert_success
	assert_equal "$(json_get .result.decoded.kind)" certificate_chain
	reject 'del(.result.decoded.error)'
	emu_json v5-op req --vdevice 3 --arch cca --op read-object --field object_type=measurement
	assert_success
	assert_equal "$(json_get .result.decoded.kind)" spdm_measurements
}

@test "req --decode-tsm-code selects decode.json and is valid" {
	local c
	for c in "sev 0x37" "tdx 0xc000010000000001" "cca 0x601" "cca 0x10004"; do
		# shellcheck disable=SC2086 # "ARCH CODE" pairs
		set -- $c
		run_json -j req --arch "$1" --decode-tsm-code "$2"
		assert_success
		assert_equal "$(printf '%s' "$output" | schema_of)" decode
	done
	run_json -j req --arch sev --decode-tsm-code 0x37
	reject 'del(.result.known)'
	reject '.result.value = "55"'
	reject '.result.error_bit = true'
	reject '.ioctl = {}' --schema decode
}

@test "set-run dry run and under tsm-emu are valid" {
	run_json -j set-run --vdevice 3 --arch cca --state lock -n
	assert_success
	assert_equal "$(printf '%s' "$output" | schema_of)" set-run
	reject '.result.request.op = "validate-mmio"'
	reject 'del(.dry_run)'
	run_json -A v5 -j set-run --vdevice 3 --arch cca --state lock -n
	assert_success
	emu_json v6 set-run --vdevice 3 --arch cca --state lock
	assert_success
	reject '.result.request.state_change = false'
	emu_json v6 set-run --vdevice 9 --arch cca --state run
	assert_failure 3
	assert_equal "$(json_get .error.tsm_code_name)" RMI_ERROR_INPUT
}

@test "batch lines are valid per command, with line" {
	run --separate-stderr tsmctl batch -n --keep-going < <(printf '%s\n' \
		'{"command":"bind","vdevice_id":3}' '{"command":"bogus"}')
	assert_failure 2
	assert_stderr_empty
	validate_json
	assert_equal "$(printf '%s\n' "$output" | jq -sc '[.[] | [.line, .command]]')" '[[1,"bind"],[2,"batch"]]'
	local l1 l2
	l1=$(printf '%s\n' "$output" | sed -n 1p)
	l2=$(printf '%s\n' "$output" | sed -n 2p)
	output=$l1
	reject '.line = "1"'
	reject '.line = 0'
	reject '.ioctl.fields.type_name = "unbind"'
	reject '.extra = 1'
	output=$l2
	reject 'del(.error)'
	reject '.ok = true'
	reject '.command = "bogus"'
}

@test "batch: a skipped line's record is valid; broken copies are not" {
	run --separate-stderr tsmctl batch -n < <(printf '%s\n' \
		'{"command":"bogus"}' '{"command":"bind","vdevice_id":3}')
	assert_failure 2
	validate_json
	output=$(printf '%s\n' "$output" | sed -n 2p)
	assert_equal "$(json_get '[.line, .skipped, .error.stage] | join(" ")')" "2 true skipped"
	reject 'del(.line)'
	reject '.error.stage = "usage"'
	reject '.skipped = false'
	reject 'del(.skipped)'
	reject '.ok = true'
}

@test "batch under tsm-emu: req and set-run lines are valid" {
	local in="$BATS_TEST_TMPDIR/in.jsonl"
	printf '%s\n' \
		'{"command":"req","vdevice_id":3,"arch":"cca","op":"validate-mmio","fields":{"gpa_base":"0x80000000","gpa_top":"0x80010000","pa_base":"0x4000000000"}}' \
		'not json' \
		'{"command":"set-run","vdevice_id":3,"arch":"cca","state":"lock"}' \
		'{"command":"req","vdevice_id":3,"arch":"cca","op":"bogus"}' >"$in"
	emu_stdin "$in"
	emu_run v6 -- "$TSMCTL" -A v6 --fd 7 batch --keep-going
	assert_failure 2
	assert_stderr_empty
	validate_json
	assert_equal "$(printf '%s\n' "$output" | jq -sc '[.[].line]')" '[1,2,3,4]'
	output=$(printf '%s\n' "$output" | sed -n 1p)
	reject 'del(.result.request)'
}

@test "replay: match, differences and usage errors are valid" {
	local t="$BATS_TEST_TMPDIR/t.jsonl" empty="$BATS_TEST_TMPDIR/empty.json"
	emu_run v6 -- "$TSMCTL" -A v6 --fd 7 --trace "$t" bind --vdevice 3
	assert_success
	emu_run v6 -- "$TSMCTL" -A v6 --fd 7 -j replay "$t"
	assert_success
	assert_stderr_empty
	validate_json
	assert_equal "$(printf '%s' "$output" | schema_of)" replay
	assert_equal "$(json_get .result.match)" true
	reject '.result.match = false'
	reject 'del(.result.trace)'
	echo '{"contexts":[{"name":"empty","inherit_fd":7,"vdevices":[]}]}' >"$empty"
	"$TSM_EMU" --scenario "$empty" -- "$TSMCTL" -A v6 --fd 7 -j replay "$t" >"$BATS_TEST_TMPDIR/out" || true
	output=$(cat "$BATS_TEST_TMPDIR/out")
	validate_json
	assert_equal "$(json_get .result.match)" false
	assert_equal "$(json_get .error.stage)" replay
	reject '.result.differences = []'
	reject 'del(.result.differences[0].now)'
	reject '.result.differences[0].seq = "3"'
	run_json -j replay "$BATS_TEST_TMPDIR/nonexistent"
	assert_failure 2
}

@test "trace files validate with --trace; broken lines do not" {
	local t="$BATS_TEST_TMPDIR/t.jsonl" b="$BATS_TEST_TMPDIR/b.jsonl"
	emu_run v6 -- "$TSMCTL" -A v6 --fd 7 --trace "$t" bind --vdevice 3
	emu_run v6 --faults tsm_req:1:tsm_code=0x601 -- "$TSMCTL" --fd 7 --trace "$t" \
		req --vdevice 3 --arch cca --op validate-mmio "${MM[@]}"
	emu_run v6 -- "$TSMCTL" -A v6 --fd 7 --trace "$t" set-run --vdevice 3 --arch cca --state lock
	"$TSMCTL" --trace "$t" -d "$BATS_TEST_TMPDIR/nonexistent" bind --vdevice 3 2>/dev/null || true
	validate_file "$t" --trace
	assert_equal "$(jq -sr '[.[].call] | unique | join(",")' "$t")" end,ioctl,open,start
	local f
	for f in 'del(.seq)' '.call = "write"' '.ts = 1' 'if .call == "ioctl" then del(.rc) else . end' '.extra = 1'; do
		jq -c "$f" "$t" >"$b"
		run validate_trace "$b"
		assert_failure 1
	done
	printf 'not json\n' >"$b"
	run validate_trace "$b"
	assert_failure 1
}

@test "dump writes its probes and every netlink message to --trace" {
	local t="$BATS_TEST_TMPDIR/t.jsonl" b="$BATS_TEST_TMPDIR/b.jsonl" s="$BATS_TEST_TMPDIR/nl.json"
	jq '. + {sysfs: {}, contexts: [{name: "vmm", inherit_fd: 7, vdevices:
		[{id: 3, arch: "cca", bdf: "0000:01:00.0"}, {id: 4, arch: "sev", bdf: "0000:02:00.0"}]}]}' \
		"$BATS_TEST_DIRNAME/../emu/scenarios/netlink.json" >"$s"
	emu_run v6 --scenario "$s" -- "$TSMCTL" --fd 7 --trace "$t" dump --vdevice 3 --evidence report
	assert_success
	validate_file "$t" --trace
	# start, open, OPTION, TSM_OP flags=1, TSM_OP type 0 on vdevice 3,
	# each ioctl as its intent and result, and the end
	assert_equal "$(jq -sr '[.[] | select(.call != "netlink") | .call + ":" + (.ioctl.name // "") + (if .phase then ":" + .phase else "" end)] | join(",")' "$t")" \
		start:,open:,ioctl:IOMMU_OPTION:intent,ioctl:IOMMU_OPTION:result,ioctl:IOMMU_VDEVICE_TSM_OP:intent,ioctl:IOMMU_VDEVICE_TSM_OP:result,ioctl:IOMMU_VDEVICE_TSM_OP:intent,ioctl:IOMMU_VDEVICE_TSM_OP:result,end:
	# family lookup, then one EVIDENCE_READ dump per device: every message
	# the emulator logged is in the trace, sent ones byte for byte
	assert_equal "$(jq -s '[.[] | select(.call == "netlink" and .netlink.dir == "send")] | length' "$t")" \
		"$(jq -s '[.[] | select(.call == "netlink")] | length' "$EMU_LOG")"
	# device-evidence looked up first (absent here: ENOENT), then pci-tsm
	assert_equal "$(jq -sr '[.[] | select(.call == "netlink" and .netlink.dir == "recv") | .netlink.error_name // empty] | join(",")' "$t")" ENOENT,OK,ENXIO
	assert_equal "$(jq -sr '[.[] | select(.call == "netlink" and .netlink.dir == "send")][0].netlink.hex[32:]' "$t" | head -c 2)" 03
	for f in '.netlink.dir = "in"' 'if .call == "netlink" then del(.netlink.hex) else . end' \
		'if .call == "ioctl" then .netlink = {} else . end'; do
		jq -c "$f" "$t" >"$b"
		run validate_trace "$b"
		assert_failure 1
	done
}

@test "dump is valid, with vdevice probes" {
	emu_json v6 dump --vdevice 3 --vdevice 99 --evidence none
	assert_equal "$(json_get '[.result.iommufd.vdevices[] | [.vdevice_id, .state, .errno_name] | join(":")] | join(",")')" \
		"3:present:EINVAL,99:absent:ENOENT"
	reject '.result.iommufd.vdevices[0].state = "maybe"'
	reject 'del(.result.iommufd.vdevices[0].probe)'
	reject '.result.iommufd.vdevices[1].vdevice_id = -1'
	emu_json v7 dump --vdevice 3 --evidence none
	assert_equal "$(json_get '.result.iommufd.vdevices[0].probe')" object_info
	assert_equal "$(printf '%s' "$output" | schema_of)" dump
	reject 'del(.result.sysfs)'
	reject '.result.iommufd.node_present = "yes"'
	reject '.result.sysfs.pci_devices = [{"bdf":"0000:01:00.0"}]'
	reject '.result.sysfs.pci_devices = [{"bdf":"0000:01:00.0","tsm":{},"evidence":{"ok":false,"restarts":0}}]'
}

@test "dump's vdevice probes are traced whole and replay (v6 TSM_OP, v7 OBJECT_INFO)" {
	local p t
	for p in v6 v7; do
		t="$BATS_TEST_TMPDIR/$p.jsonl"
		emu_run "$p" -- "$TSMCTL" -A "$p" --fd 7 --trace "$t" dump --vdevice 3 --vdevice 99 --evidence none
		assert_success
		validate_file "$t" --trace
		emu_run "$p" -- "$TSMCTL" -A "$p" --fd 7 -j replay "$t"
		assert_success
		assert_equal "$(printf '%s' "$output" | jq .result.match)" true
	done
	# v7: the probe is a TSM_REQ with its request (payload, resp_len) and
	# the 4-byte size it read
	assert_equal "$(jq -r 'select(.ioctl.name == "IOMMU_VDEVICE_TSM_REQ" and .phase != "intent") | "\(.request.op) \(.request.payload_hex) \(.errno_name) \(.response_hex)"' "$t")" \
		$'probe  EINVAL \nobject-info 03000000 OK 24000000\nobject-info 03000000 ENOENT '
}

@test "tsmctl --schema: one draft 2020-12 schema, no external \$ref, the bundle of tests/schema" {
	local s="$BATS_TEST_TMPDIR/tsmctl.schema.json"
	run_tsmctl --schema
	assert_success
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$s"
	assert_equal "$(jq -r '."$schema"' "$s")" https://json-schema.org/draft/2020-12/schema
	# every $ref points into the document itself
	assert_equal "$(jq -r '[.. | objects | .["$ref"]? // empty | select(startswith("#") | not)] | length' "$s")" 0
	assert_equal "$(jq -r '."$defs" | keys | join(" ")' "$s")" \
		"$(cd "$BATS_TEST_DIRNAME/../schema" && ls ./*.json | sed 's|^\./||; s|\.json$||' | xargs)"
	# the binary's copy is what tests/schema bundles to today
	cmp "$s" <("$PYTHON3" "$BATS_TEST_DIRNAME/../tools/bundle-schema.py" \
		"$BATS_TEST_DIRNAME/../schema")
	# with -j too, the schema is the whole output
	run_tsmctl -j --schema
	assert_equal "$output" "$(cat "$s")"
}

@test "the README's three lines of Python validate with plain jsonschema, no store" {
	local s="$BATS_TEST_TMPDIR/tsmctl.schema.json" py
	"$TSMCTL" --schema >"$s"
	py='import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for line in sys.stdin: jsonschema.validate(json.loads(line), schema)'
	grep -qF "$(head -n 1 <<<"$py")" "$BATS_TEST_DIRNAME/../../README.md" ||
		fail "README lacks the validation snippet"
	run bash -c "'$TSMCTL' -A v6 -j bind --vdevice 3 -n | '$PYTHON3' -W ignore -c '$py' '$s'"
	assert_success
	# an error and --version
	run bash -c "{ '$TSMCTL' -j bnd; '$TSMCTL' -j --version; } | '$PYTHON3' -W ignore -c '$py' '$s'"
	assert_success
	# a broken document fails
	run bash -c "'$TSMCTL' -A v6 -j bind --vdevice 3 -n | jq -c '.ok = 1' | '$PYTHON3' -W ignore -c '$py' '$s'"
	assert_failure
}

@test "dump --section: valid; a part asked for must be there, one not asked for absent" {
	emu_json v6 dump --section kernel,iommufd --evidence none
	assert_success
	reject 'del(.result.kernel)'
	reject 'del(.result.iommufd)'
	reject '.result.sysfs = {}'
	reject '.result.sections = ["bogus"]'
	reject 'del(.result.sections)'
}
