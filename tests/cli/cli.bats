#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Command-line contract of tsmctl (docs/cli-contract.md §2, §3, §5, §6): help,
# version, global option placement, dry-run structs of bind/unbind in every
# ABI profile, profile selection (-A, TSMCTL_ABI, aliases, --abi-file), JSON
# and text output rules and the exit status of real (failing) opens and
# ioctls on a machine without /dev/iommu. Every JSON document is validated
# against tests/schema by run_json / no_ioctl_sent.

bats_require_minimum_version 1.5.0

setup() {
	load helpers
}

COMMANDS="bind unbind req set-run dump batch replay"
PROFILES="v5 v5-op v6 v7"
ABI_VALUES="auto v5 v5-op v6 v7"

# dry_run_json PROFILE CMD ID REQUEST STRUCT_HEX: validated dry-run JSON of
# CMD --vdevice ID under PROFILE has this request code and struct, and
# nothing reached the kernel.
dry_run_json() {
	no_ioctl_sent -A "$1" -j "$2" --vdevice "$3" -n
	assert_success
	# one jq for every member (a jq per member made this the slowest test)
	assert_equal "$(json_get '[.abi, .command, .ok, .dry_run, .ioctl.name,
		.ioctl.request_hex, .ioctl.request, .ioctl.struct_len,
		.ioctl.struct_hex, .ioctl.fields.type_name, .ioctl.fields.vdevice_id,
		.result.operation, .result.vdevice_id] | map(tostring) | join(" ")')" \
		"$1 $2 true true IOMMU_VDEVICE_TSM_OP $4 $(($4)) 16 $5 $2 $(($3)) $2 $(($3))"
}

# ---- help, usage, version -------------------------------------------

@test "--help lists every command, global option and the default ABI" {
	run_tsmctl --help
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^Usage: tsmctl .*COMMAND'
	local c o
	for c in $COMMANDS help; do
		assert_line --regexp "^  $c  "
	done
	for o in --device --fd --pid --abi --abi-file --json --pretty \
		--verbose --dry-run --trace --version --help --usage; do
		assert_output --partial -- "$o"
	done
	local flat
	flat=$(tr -s ' \n' '  ' <<<"$output")
	assert_regex "$flat" "auto \\(default: the one the kernel's BTF matches, else v7\\), v5, v5-op, v6, v7"
	assert_regex "$flat" "The default ABI profile is auto: the one profile the running kernel's BTF matches, else v7\\."
	assert_regex "$flat" "2 usage or bad input"
}

@test "--help and 'tsmctl' list the same commands as __metadata" {
	local want got
	want=$(tsmctl __metadata | jq -r '.commands[] | select(.hidden | not) | .name' | sort)
	got=$(tsmctl --help | sed -n '/^Commands:/,/^$/p' |
		sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' | sort)
	assert_equal "$got" "$want"
}

@test "COMMAND --help of every command" {
	local c
	for c in $COMMANDS; do
		run_tsmctl "$c" --help
		if [ "$status" -eq 0 ]; then
			assert_equal "$stderr" ""
			assert_line --index 0 --regexp "^Usage: tsmctl $c "
		else
			# a command that has not landed yet says so
			assert_failure 2
			assert_regex "$stderr" "^tsmctl: $c: .*not yet available"
		fi
	done
}

@test "bind --help and unbind --help describe --vdevice and the globals" {
	local c
	for c in bind unbind; do
		run_tsmctl "$c" --help
		assert_success
		assert_output --partial "--vdevice=ID"
		assert_output --partial "(u32)"
		assert_output --partial "Exit status"
		# its own options listed, the global ones named in one line
		assert_line --regexp "^ *Global options \(see 'tsmctl --help'\): -d --fd --pid -A"
		refute_output --partial "--dry-run"
		refute_output --partial "--abi=NAME"
	done
}

@test "--usage is the short synopsis" {
	run_tsmctl --usage
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^Usage: tsmctl \[-'
	assert_output --partial "[--abi=NAME]"
	assert_output --partial "[--dry-run]"
	assert_output --partial "COMMAND [OPTION...]"
	refute_output --partial "Global options"
}

@test "--version text names version, schema, default ABI and the profiles" {
	run_tsmctl --version
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^tsmctl [0-9]+\.[0-9]+\.[0-9]+'
	assert_line "schema_version: 1"
	assert_line "default_abi: auto (here: v6, btf: the kernel's BTF matches profile v6 only)"
	assert_line "profiles: v5 v5-op v6 v7"
	local short
	short=$(tsmctl -V)
	assert_equal "$short" "$output"
}

@test "-j --version is a version document listing every profile" {
	run_json -j --version
	assert_success
	assert_equal "$(json_get .result.default_abi)" auto
	assert_equal "$(json_get '.result.auto | [.profile, .source] | join(" ")')" "v6 btf"
	assert_equal "$(json_get .abi)" v6
	assert_equal "$(json_get .abi_source)" btf
	assert_equal "$(json_get .result.schema_version)" 1
	assert_equal "$(json_get '[.result.profiles[].name] | join(" ")')" "$PROFILES"
	assert_equal "$(json_get '.result.profiles[] | select(.name == "v5") | [.tsm_op_nr, .tsm_req_nr, .tsm_req_size, .tsm_req_kind] | @csv')" '149,150,40,"scope"'
	assert_equal "$(json_get '.result.profiles[] | select(.name == "v6") | [.tsm_op_nr, .tsm_req_nr, .tsm_req_size, .tsm_req_kind] | @csv')" '150,151,48,"op"'
	assert_equal "$(json_get '.result.profiles[] | select(.name == "v7") | .tsm_req_nr')" 150
}

@test "-j --help: stdout is not a mix of help text and a JSON document" {
	# Either the help text alone or one (valid) JSON document.
	run_tsmctl -j --help
	assert_success
	if [[ "$output" == "{"* ]]; then
		validate_json
	else
		assert_line --index 0 --regexp '^Usage: tsmctl'
		refute_output --partial '"schema_version"'
	fi
}

@test "-j help bind names the man page" {
	run_json -j help bind
	assert_success
	assert_equal "$(json_get .command)" help
	assert_equal "$(json_get .result.man_page)" tsmctl-bind
	assert_equal "$(json_get .result.section)" 8
}

@test "__metadata is valid against metadata.json and describes bind" {
	run_tsmctl __metadata
	assert_success
	assert_equal "$stderr" ""
	validate_json metadata
	assert_equal "$(json_get '.commands[] | select(.name == "bind") | [.options[].long] | index("vdevice") != null')" true
	assert_equal "$(json_get '[.global_options[] | select(.long == "abi") | .values[]] | join(" ")')" "$ABI_VALUES"
	assert_equal "$(json_get '.commands[] | select(.name == "__metadata") | .hidden')" true
}

# ---- global options before and after the command ------------------------

@test "global options before and after the command give identical JSON" {
	local a b c
	a=$(tsmctl -j bind --vdevice 3 -n)
	b=$(tsmctl bind --vdevice 3 -n -j)
	c=$(tsmctl -A v5 bind -j --vdevice=3 --dry-run)
	assert_equal "$a" "$b"
	assert_equal "$(jq -r .abi <<<"$c")" v5
	output=$a validate_json
}

@test "global options before and after the command give identical text" {
	local a b
	a=$(tsmctl -n -A v5-op unbind --vdevice 0x10)
	b=$(tsmctl unbind --vdevice 16 --abi=v5-op --dry-run)
	assert_equal "$a" "$b"
	assert_regex "$a" "vdevice_id: 16"
}

# ---- dry-run: exact structs per profile ---------------------------------

@test "dry-run text: bind shows the decoded struct and the hex" {
	no_ioctl_sent -A v5 bind --vdevice 3 -n
	assert_success
	assert_equal "$stderr" "tsmctl: bind: dry run: nothing sent"
	assert_line --regexp '^  name: +IOMMU_VDEVICE_TSM_OP$'
	assert_line --regexp '^  request_hex: +0x3b95$'
	assert_line --regexp '^  struct_hex: +10000000010000000000000003000000$'
	assert_line --regexp '^    type_name: +bind$'
	assert_line --regexp '^    vdevice_id: +3$'
}

@test "dry-run v5: bind and unbind" {
	dry_run_json v5 bind 3 0x3b95 10000000010000000000000003000000
	dry_run_json v5 unbind 3 0x3b95 10000000020000000000000003000000
	assert_equal "$(json_get .ioctl.fields.type)" 2
}

@test "dry-run v5-op: bind and unbind use TSM_OP 0x95" {
	dry_run_json v5-op bind 3 0x3b95 10000000010000000000000003000000
	dry_run_json v5-op unbind 3 0x3b95 10000000020000000000000003000000
}

@test "dry-run v6 (default): bind and unbind use TSM_OP 0x96" {
	dry_run_json v6 bind 3 0x3b96 10000000010000000000000003000000
	dry_run_json v6 unbind 7 0x3b96 10000000020000000000000007000000
	no_ioctl_sent -j bind --vdevice 3 -n
	assert_equal "$(json_get .abi)" v6
	assert_equal "$(json_get .ioctl.request_hex)" 0x3b96
}

@test "dry-run: large vdevice IDs are little-endian u32" {
	dry_run_json v6 bind 0xfffffffe 0x3b96 100000000100000000000000feffffff
	dry_run_json v5 unbind 4294967295 0x3b95 100000000200000000000000ffffffff
	dry_run_json v6 bind 0 0x3b96 10000000010000000000000000000000
	dry_run_json v6 bind 0x12345678 0x3b96 10000000010000000000000078563412
}

@test "v7: bind exits 2 and says the kernel binds when the VMM allocates the vdevice" {
	no_ioctl_sent -A v7 bind --vdevice 3
	assert_usage_error
	assert_stderr_has "v7" "IOMMU_VDEVICE_ALLOC"
	assert_regex "$stderr" "binds .*when the VMM allocates the vdevice"
	no_ioctl_sent -A v7 -j bind --vdevice 3 -n
	assert_usage_error
	assert_equal "$(json_get .abi)" v7
	assert_equal "$(json_get .error.field)" --abi
	assert_equal "$(json_get .error.value)" v7
	assert_regex "$(json_get .error.message)" "VMM allocates the vdevice"
	assert_equal "$(json_get 'has("ioctl")')" false
}

@test "v7: unbind exits 2 and says to destroy the vdevice" {
	no_ioctl_sent -A v7 unbind --vdevice 3 -n
	assert_usage_error
	assert_stderr_has "v7" "IOMMU_DESTROY"
	no_ioctl_sent -A v7 -j unbind --vdevice 3
	assert_usage_error
	assert_regex "$(json_get .error.hint)" "destroy the vdevice"
}

# ---- profile selection ---------------------------------------------------

@test "TSMCTL_ABI selects the profile; --abi overrides it" {
	TSMCTL_ABI=v5 no_ioctl_sent -j bind --vdevice 3 -n
	assert_success
	assert_equal "$(json_get .abi)" v5
	assert_equal "$(json_get .ioctl.request_hex)" 0x3b95
	TSMCTL_ABI=v5 no_ioctl_sent -A v6 -j bind --vdevice 3 -n
	assert_success
	assert_equal "$(json_get .abi)" v6
	assert_equal "$(json_get .ioctl.request_hex)" 0x3b96
	TSMCTL_ABI=v7 no_ioctl_sent bind --vdevice 3 -n --abi v5-op
	assert_success
	assert_line --regexp '^  request_hex: +0x3b95$'
}

# ---- --abi auto (the default) --------------------------------------------

@test "auto: the one profile the BTF matches, abi_source btf" {
	local b
	for b in v5 v5-op v6 v7; do
		TSMCTL_BTF=$BTF_FIXTURES/$b.btf run_json -j req --vdevice 3 \
			--arch cca --op validate-mmio --field gpa_base=0 \
			--field gpa_top=0x1000 --field pa_base=0 -n
		[ "$b" = v5 ] && { assert_usage_error; continue; }
		assert_success
		assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "$b btf"
	done
	TSMCTL_BTF=$BTF_FIXTURES/v7.btf run_json -A auto -j bind --vdevice 3 -n
	assert_usage_error
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v7 btf"
}

@test "auto: several matches or no TSM types fall back to v7; option, env and file name their source" {
	TSMCTL_BTF=$BTF_FIXTURES/v6-noenum.btf run_json -j set-run --vdevice 3 --arch cca -n
	assert_success
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v7 fallback"
	assert_equal "$(json_get .ioctl.fields.op)" 2
	TSMCTL_BTF=$BTF_FIXTURES/none.btf run_json -j set-run --vdevice 3 --arch cca -n
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v7 fallback"
	run_json -A v5-op -j set-run --vdevice 3 --arch cca -n
	assert_equal "$(json_get .abi_source)" option
	TSMCTL_ABI=v5-op run_json -j set-run --vdevice 3 --arch cca -n
	assert_equal "$(json_get .abi_source)" env
	printf 'base = v6\nname = mine\n' >"$BATS_TEST_TMPDIR/p"
	run_json --abi-file "$BATS_TEST_TMPDIR/p" -j set-run --vdevice 3 --arch cca -n
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "mine file"
	TSMCTL_ABI=auto TSMCTL_BTF=$BTF_FIXTURES/v5-op.btf run_json -j set-run --vdevice 3 --arch cca -n
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v5-op btf"
	run_json -j set-run --vdevice 3 --arch xyz
	assert_usage_error
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "v6 btf"
}

@test "a profile that cannot be resolved: abi unknown, abi_source where it came from" {
	run_json -A v9 -j bind --vdevice 3
	assert_failure 2
	assert_equal "$(json_get '[.abi, .abi_source, .error.field] | join(" ")')" "unknown option --abi"
	TSMCTL_ABI=bogus run_json -j bind --vdevice 3
	assert_failure 2
	assert_equal "$(json_get '[.abi, .abi_source, .error.field] | join(" ")')" "unknown env TSMCTL_ABI"
	run_json --abi-file "$BATS_TEST_TMPDIR/none" -j bind --vdevice 3
	assert_failure 2
	assert_equal "$(json_get '[.abi, .abi_source, .error.field] | join(" ")')" "unknown file --abi-file"
	run_json -A v9 -j batch </dev/null
	assert_failure 2
	assert_equal "$(json_get '[.abi, .abi_source] | join(" ")')" "unknown option"
}

@test "auto on a BTF without TSM types: a TSM command exits 5 with nothing sent; dry run and dump still work" {
	local c
	for c in "bind --vdevice 3" "unbind --vdevice 3" \
		"set-run --vdevice 3 --arch cca" \
		"req --vdevice 3 --arch cca --op set-tdi-state --field tdi_state=locked"; do
		# shellcheck disable=SC2086
		TSMCTL_BTF=$BTF_FIXTURES/none.btf no_ioctl_sent -d /dev/null $c
		assert_failure 5
		assert_stderr_has "this kernel has no vdevice TSM ioctls (its BTF has no iommu_vdevice_tsm types)" "nothing was sent"
	done
	TSMCTL_BTF=$BTF_FIXTURES/none.btf no_ioctl_sent -j -d /dev/null req --vdevice 3 --arch cca --op object-info --field object_type=vca
	assert_failure 5
	assert_equal "$(json_get '[.abi, .abi_source, .error.stage] | join(" ")')" "v7 fallback abi"
	assert_equal "$(json_get 'has("ioctl")')" false
	# nothing was sent, so the kernel answered no errno
	assert_equal "$(json_get '.error | has("errno") or has("errno_name")')" false
	refute_regex "$(json_get .error.hint)" '\(.*\('
	TSMCTL_BTF=$BTF_FIXTURES/none.btf no_ioctl_sent -j req --vdevice 3 --arch cca --op object-info --field object_type=vca -n
	assert_success
	assert_equal "$(json_get .ioctl.fields.op)" 7
	# an explicit profile is the user's choice: sent (and refused by the node)
	TSMCTL_BTF=$BTF_FIXTURES/none.btf run_tsmctl -A v7 -d /dev/null set-run --vdevice 3 --arch cca
	assert_failure 5
	assert_stderr_has "ENOTTY"
	refute_regex "$stderr" "no vdevice TSM ioctls"
}

@test "a usage error found after the request was built shows no ioctl: nothing was sent" {
	local c
	for c in "bind --vdevice 3" "unbind --vdevice 3" \
		"set-run --vdevice 3 --arch cca --state lock" \
		"req --vdevice 3 --arch cca --op set-tdi-state --field tdi_state=locked"; do
		# shellcheck disable=SC2086
		run_json -A v6 -j $c --trace /proc/version
		assert_failure 2
		assert_equal "$(json_get '[.error.stage, .error.field, has("ioctl")] | join(" ")')" "usage --trace false"
		# shellcheck disable=SC2086
		run_json -A v6 -j $c --fd 99
		assert_failure 2
		assert_equal "$(json_get '[.error.stage, .error.field, has("ioctl")] | join(" ")')" "usage --fd false"
	done
}

@test "auto: -v says the profile and why on stderr in text mode only; --version says what auto is here" {
	TSMCTL_BTF=$BTF_FIXTURES/none.btf run_tsmctl -v set-run --vdevice 3 --arch cca -n
	assert_success
	assert_stderr_has "tsmctl: ABI profile v7 (fallback: " "the newest posted revision, v7"
	TSMCTL_BTF=$BTF_FIXTURES/v5-op.btf run_tsmctl -v -A auto set-run --vdevice 3 --arch cca -n
	assert_stderr_has "tsmctl: ABI profile v5-op (btf: the kernel's BTF matches profile v5-op only)"
	run_json -v -j set-run --vdevice 3 --arch cca -n
	assert_success
	TSMCTL_BTF=$BTF_FIXTURES/none.btf run_json -j --version
	assert_equal "$(json_get '.result.auto | [.profile, .source, .btf_without_tsm_types] | join(" ")')" "v7 fallback true"
	TSMCTL_BTF=$BTF_FIXTURES/none.btf run_tsmctl --version
	assert_line --regexp '^default_abi: auto \(here: v7, fallback: no iommu_vdevice_tsm_\* types'
}

@test "TSMCTL_ABI applies to the default version output" {
	TSMCTL_ABI=v5 run_json -j --version
	assert_success
	assert_equal "$(json_get .abi)" v5
}

@test "alias post-v5 selects v6" {
	no_ioctl_sent -A post-v5 -j bind --vdevice 3 -n
	assert_success
	assert_equal "$(json_get .abi)" v6
	assert_equal "$(json_get .ioctl.request_hex)" 0x3b96
}

@test "--abi-file text profile changes the ioctl number and layout" {
	local f="$BATS_TEST_TMPDIR/v8.txt"
	printf '%s\n' '# a later revision' 'base = v6' 'name = v8' \
		'source = "test profile"' 'tsm_op.nr = 0x98' >"$f"
	no_ioctl_sent --abi-file "$f" -j bind --vdevice 3 -n
	assert_success
	assert_equal "$(json_get .abi)" v8
	assert_equal "$(json_get .ioctl.request_hex)" 0x3b98
	assert_equal "$(json_get .ioctl.struct_hex)" 10000000010000000000000003000000
	# a profile file may move a field
	printf '%s\n' 'base = v6' 'name = v8b' 'tsm_op.size = 24' \
		'tsm_op.vdevice_id = 16:4' >"$f"
	no_ioctl_sent --abi-file "$f" -j unbind --vdevice 5 -n
	assert_success
	assert_equal "$(json_get .ioctl.struct_len)" 24
	assert_equal "$(json_get .ioctl.struct_hex)" 180000000200000000000000000000000500000000000000
}

@test "--abi-file JSON profile changes the ioctl number" {
	local f="$BATS_TEST_TMPDIR/v9.json"
	printf '%s\n' '{"base": "v5", "name": "v9-json",' \
		' "tsm_op": {"nr": "0x99", "fields": {"vdevice_id": [12, 4]}}}' >"$f"
	no_ioctl_sent -j bind --vdevice 3 -n --abi-file "$f"
	assert_success
	assert_equal "$(json_get .abi)" v9-json
	assert_equal "$(json_get .ioctl.request)" $((0x3b99))
	assert_equal "$(json_get .ioctl.request_hex)" 0x3b99
}

@test "--abi-file profile without tsm_op refuses bind with exit 2" {
	local f="$BATS_TEST_TMPDIR/noop.txt"
	printf '%s\n' 'base = v6' 'name = noop' 'tsm_op = absent' >"$f"
	no_ioctl_sent --abi-file "$f" bind --vdevice 3
	assert_usage_error
	assert_stderr_has "noop"
}

# ---- JSON and text output rules -----------------------------------------

@test "--pretty is indented and has the same content as -j" {
	local compact pretty
	run_json -j bind --vdevice 3 -n
	compact=$output
	run_json bind --vdevice 3 -n --pretty
	assert_success
	pretty=$output
	assert_line --index 0 "{"
	assert_line --regexp '^  "schema_version": 1,$'
	assert_line --regexp '^    "struct_hex": '
	assert [ "$(wc -l <<<"$pretty")" -gt 10 ]
	assert_equal "$(jq -S . <<<"$pretty")" "$(jq -S . <<<"$compact")"
	assert_equal "$(wc -l <<<"$compact")" 1
}

@test "--pretty errors are indented JSON too" {
	run_json --pretty bind --vdevice -1
	assert_failure 2
	assert_line --index 0 "{"
	assert_equal "$(json_get .error.field)" --vdevice
}

@test "text mode: bind -n prints the struct, a failed bind prints only stderr" {
	run_tsmctl bind --vdevice 3 -n
	assert_success
	assert_output --partial "struct_hex:"
	assert_equal "$stderr" "tsmctl: bind: dry run: nothing sent"
	run_tsmctl -d /dev/null bind --vdevice 3
	assert_failure 5
	assert_equal "$output" ""
	assert_regex "$stderr" '^tsmctl: bind: '
	assert_equal "$(wc -l <<<"$stderr")" 1
}

@test "-d /dev/null bind: ENOTTY, exit 5, says /dev/null is not iommufd" {
	run_tsmctl -d /dev/null bind --vdevice 3
	assert_failure 5
	assert_stderr_has "/dev/null" "not iommufd" "ENOTTY"
}

@test "JSON: -d /dev/null unbind: ENOTTY document, completion not_started" {
	run_json -d /dev/null -j unbind --vdevice 3
	assert_failure 5
	assert_equal "$(json_get .ok)" false
	assert_equal "$(json_get .dry_run)" false
	assert_equal "$(json_get .ioctl.fields.type)" 2
	assert_equal "$(json_get .result.device)" /dev/null
	assert_equal "$(json_get .result.errno_name)" ENOTTY
	assert_equal "$(json_get .result.completion)" not_started
	assert_equal "$(json_get .error.stage)" ioctl
	assert_equal "$(json_get .error.errno)" 25
	assert_equal "$(json_get .error.errno_name)" ENOTTY
	assert_regex "$(json_get .error.hint)" "not iommufd"
}

@test "--fd N uses the inherited descriptor (ENOTTY on /dev/null)" {
	run_tsmctl --fd 5 bind --vdevice 3 5</dev/null
	assert_failure 5
	assert_stderr_has "fd 5" "not iommufd"
}

@test "--fd N on a pipe or a regular file: named as such, not iommufd (never blamed on the kernel)" {
	run_tsmctl -A v6 --fd 5 bind --vdevice 3 5< <(sleep 5)
	assert_failure 5
	assert_stderr_has "fd 5 is a pipe, not iommufd"
	refute_stderr_has "this kernel"
	run_tsmctl -A v6 -j --fd 5 bind --vdevice 3 5<"$BATS_TEST_FILENAME"
	assert_failure 5
	assert_equal "$(json_get .error.field)" --fd
	assert_regex "$(json_get .error.hint)" "^fd 5 is the file .*cli\.bats, not iommufd"
}

@test "--fd 57 that is not open: exit 2, nothing sent" {
	no_ioctl_sent --fd 57 bind --vdevice 3 57<&-
	assert_usage_error
	assert_stderr_has "--fd 57" "not an open descriptor"
	no_ioctl_sent -j --fd 57 bind --vdevice 3 57<&-
	assert_usage_error
	assert_equal "$(json_get .error.field)" --fd
	assert_equal "$(json_get .error.value)" 57
}

@test "-d /nonexistent: clear error naming the path" {
	run_tsmctl -d /nonexistent bind --vdevice 3
	assert_failure
	refute [ "$status" -eq 2 ] # the command line was fine
	assert_equal "$output" ""
	assert_stderr_has "/nonexistent" "No such file or directory" "-d/--device"
	run_json -j -d /nonexistent unbind --vdevice 3
	assert_failure
	assert_equal "$(json_get .error.stage)" open
	assert_equal "$(json_get .error.errno_name)" ENOENT
	assert_equal "$(json_get .error.value)" /nonexistent
}

@test "default /dev/iommu missing: exit 5 with a hint" {
	[ ! -e /dev/iommu ] || skip "this machine has /dev/iommu"
	run_tsmctl bind --vdevice 3
	assert_failure 5
	assert_stderr_has "/dev/iommu" "CONFIG_IOMMUFD" "--dry-run"
	run_json -j unbind --vdevice 3
	assert_failure 5
	assert_equal "$(json_get .error.stage)" open
	assert_equal "$(json_get .error.field)" --device
	assert_regex "$(json_get .error.hint)" "iommufd"
	refute_regex "$(json_get .error.hint)" '\(.*\('
	# the default node named with -d is the same case
	run_json -j -d /dev/iommu bind --vdevice 3
	assert_failure 5
	assert_equal "$(json_get .error.stage)" open
	assert_regex "$(json_get .error.hint)" "this kernel has no iommufd"
	run_json -j -d "$BATS_TEST_TMPDIR/nonexistent" bind --vdevice 3
	assert_failure 1
	assert_regex "$(json_get .error.hint)" "check the path"
}

@test "stdout write error: --version > /dev/full exits 1" {
	run --separate-stderr bash -c '"$@" >/dev/full' _ ${TSMCTL_WRAP-} "$TSMCTL" --version
	assert_failure 1
	assert_stderr_has "write error"
	run --separate-stderr bash -c '"$@" >/dev/full' _ ${TSMCTL_WRAP-} "$TSMCTL" -j bind --vdevice 3 -n
	assert_failure 1
	assert_stderr_has "write error"
}

@test "JSON mode errors: one document, ok=false, message, empty stderr" {
	local args
	for args in "bind" "bind --vdevice x" "frob" "-A v9 bind --vdevice 3" \
		"-d /dev/null bind --vdevice 3" "-A v7 unbind --vdevice 1"; do
		# shellcheck disable=SC2086
		run_json -j $args
		assert_failure
		assert_equal "$(json_get .ok)" false
		assert_regex "$(json_get .error.message)" '.'
		assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	done
}

@test "dry-run under -v in JSON mode is the same document" {
	local a b
	a=$(tsmctl -j bind --vdevice 3 -n)
	b=$(tsmctl -j -v bind --vdevice 3 -n)
	assert_equal "$(jq -S . <<<"$b")" "$(jq -S . <<<"$a")"
}

@test "-d /dev/null req: ENOTTY, exit 5, says /dev/null is not iommufd" {
	run_tsmctl -d /dev/null req --vdevice 3 --arch cca --op set-tdi-state \
		--field tdi_state=run
	assert_failure 5
	assert_stderr_has "ENOTTY" "/dev/null is character device" "not iommufd" \
		"use -d /dev/iommu"
}

@test "--trace records the open of dump's probe" {
	run_tsmctl -d /dev/null --trace "$BATS_TEST_TMPDIR/t.jsonl" dump --evidence none
	assert_equal "$status" 0
	run jq -r 'select(.call=="open") | .device' "$BATS_TEST_TMPDIR/t.jsonl"
	assert_output "/dev/null"
}

@test "text mode: addresses in fields are shown in hex too; JSON keeps integers" {
	run_tsmctl -n req --vdevice 3 --arch cca --op validate-mmio \
		--field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000
	assert_success
	assert_output --regexp 'gpa_base: +2147483648 \(0x80000000\)'
	assert_output --regexp 'pa_base: +274877906944 \(0x4000000000\)'
	assert_output --regexp 'vdevice_id: +3'$'\n'
	run_tsmctl -j -n req --vdevice 3 --arch cca --op validate-mmio \
		--field gpa_base=0x80000000 --field gpa_top=0x80010000 --field pa_base=0x4000000000
	assert_equal "$(json_get .result.request.fields.gpa_base)" 2147483648
}

@test "--pid of no process: exit 2, the hint says which PID to give; --fd on a non-iommufd node: give the VMM's descriptor" {
	skip_pid_under_valgrind
	run_tsmctl --pid 4194303 bind --vdevice 3
	assert_failure 2
	assert_stderr_has "--pid 4194303: no such process" \
		"give the PID of the running VMM that created the vdevices" \
		"pidof qemu-system-$(uname -m))"
	[ "$(uname -m)" = aarch64 ] || refute_stderr_has aarch64
	# bad input before auto's "no TSM ioctls here" (exit 5): a BTF
	# without TSM types, the --pid or --fd named first, nothing sent
	TSMCTL_BTF=$BTF_FIXTURES/none.btf no_ioctl_sent --pid 4194303 bind --vdevice 3
	assert_failure 2
	assert_stderr_has "--pid 4194303: no such process"
	TSMCTL_BTF=$BTF_FIXTURES/none.btf no_ioctl_sent -j --fd 99 set-run --vdevice 3 --arch cca
	assert_failure 2
	assert_equal "$(json_get '[.error.stage, .error.field, .error.value] | join(" ")')" "usage --fd 99"
	run_tsmctl --fd 5 bind --vdevice 3 5</dev/null
	assert_failure 5
	assert_stderr_has "give the number of the VMM's iommufd descriptor with --fd N, or use --pid"
	refute_stderr_has "use -d /dev/iommu"
}

@test "--pid exit statuses are the ones tsmctl(8) states: 2 for no process or no iommufd" {
	skip_pid_under_valgrind
	run_tsmctl --pid 4194303 bind --vdevice 3
	assert_failure 2
	run_tsmctl --pid $$ bind --vdevice 3
	assert_failure 2
	assert_stderr_has "holds no /dev/iommu descriptor"
	run_tsmctl -j --pid $$ set-run --vdevice 3 --arch cca --state lock
	assert_failure 2
	assert_equal "$(json_get .error.field)" --pid
	page=$(MANWIDTH=1000 man -l "$BATS_TEST_DIRNAME/../../man/tsmctl.8" 2>/dev/null)
	[[ "$page" == *"A process that does not exist or that holds no /dev/iommu descriptor is a usage error (exit 2, nothing sent)"* ]]
	[[ "$page" != *"descriptor is reported as a failure (exit 1)"* ]]
}

@test "ENOTTY on a node that is not iommufd: error.field is the flag that chose it, none for the default" {
	run_json -d /dev/null -j bind --vdevice 3
	assert_failure 5
	assert_equal "$(json_get .error.field)" --device
	run_json --fd 5 -j unbind --vdevice 3 5</dev/null
	assert_failure 5
	assert_equal "$(json_get .error.field)" --fd
	assert_regex "$(json_get .error.hint)" '^fd 5 is character device 1:3'
	[[ "$(json_get .error.hint)" != *"no vdevice TSM ioctls"* ]]
}

@test "req set-tdi-state takes lock and unlock as set-run --state does" {
	local v want
	for v in lock:01000000 locked:01000000 unlock:00000000 unlocked:00000000 run:02000000; do
		want=${v#*:}
		run_json -A v6 -j req --vdevice 3 --arch cca --op set-tdi-state \
			--field "tdi_state=${v%%:*}" -n
		assert_success
		assert_equal "$(json_get .result.request.payload_hex)" "$want"
	done
	run_json -A v6 -j req --vdevice 3 --arch cca --op set-tdi-state \
		--field tdi_state=lockd -n
	assert_failure 2
}

@test "--pretty writes an empty array or object on one line" {
	run_json -A v6 -p list
	assert_success
	assert_line '    "devices": [],'
	assert_line '    "vdevices": []'
	# the whole document: only the outer "{" and "result" open a line
	assert_equal "$(grep -c '[[{]$' <<<"$output")" 2
}
