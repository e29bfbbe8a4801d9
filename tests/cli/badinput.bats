#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Bad input (docs/cli-contract.md §8, §5 exit 2): every malformed flag, number,
# profile file or command line exits 2 with a message naming the flag or
# field (and the accepted range where there is one), and nothing reaches the
# kernel: no iommufd ioctl, no open of /dev/iommu, no netlink socket, no sysfs
# write (checked with strace by no_ioctl_sent). None of these runs uses
# --dry-run, so an input that slipped through would try /dev/iommu and fail
# the strace check.

bats_require_minimum_version 1.5.0

setup() {
	load helpers
}

U32_RANGE=0..4294967295

# bad_vdevice VALUE: bind --vdevice VALUE is refused with the u32 range.
bad_vdevice() {
	no_ioctl_sent bind --vdevice "$1"
	assert_usage_error
	assert_stderr_has "--vdevice" "$U32_RANGE"
}

# profile NAME: write stdin to a profile file in the test's tmpdir, print path
profile() {
	local f="$BATS_TEST_TMPDIR/$1"
	cat >"$f"
	printf '%s\n' "$f"
}

# bad_profile FILE STRING...: --abi-file FILE is refused, naming the file
# and every STRING, in text mode and (validated) in JSON mode.
bad_profile() {
	local f="$1"
	shift
	no_ioctl_sent --abi-file "$f" bind --vdevice 3
	assert_usage_error
	assert_stderr_has "$f" "$@"
	no_ioctl_sent -j --abi-file "$f" bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" --abi-file
	local s msg
	msg=$(json_get .error.message)
	for s; do
		assert_regex "$msg" "$(printf '%s' "$s" | sed 's/[][\.*^$()+?{}|]/\\&/g')"
	done
}

@test "every listed command is available: no stubs behind the table" {
	run tsmctl __metadata
	assert_success
	assert_equal "$(printf '%s' "$output" | jq '[.commands[] | select(.available != true)] | length')" 0
	run tsmctl --help
	refute_output --partial "not yet available"
}

# ---- the helper itself --------------------------------------------------

@test "no_ioctl_sent fails when an iommufd ioctl is sent (-d /dev/null)" {
	# /dev/null accepts the open and returns ENOTTY to the TSM ioctl: the
	# strace check must see the ioctl, or every test below proves nothing.
	run no_ioctl_sent -d /dev/null bind --vdevice 3
	assert_failure
	assert_output --partial "an iommufd ioctl was sent"
}

@test "no_ioctl_sent fails when /dev/iommu is opened (default device)" {
	run no_ioctl_sent bind --vdevice 3
	assert_failure
	assert_output --partial "/dev/iommu was opened"
}

# ---- --vdevice ------------------------------------------------------------

@test "bind without --vdevice" {
	no_ioctl_sent bind
	assert_usage_error
	assert_stderr_has "missing --vdevice"
}

@test "unbind without --vdevice (JSON)" {
	no_ioctl_sent -j unbind
	assert_usage_error
	assert_regex "$(json_get .error.message)" "--vdevice"
}

@test "bind --vdevice without its argument" {
	no_ioctl_sent bind --vdevice
	assert_usage_error
	assert_stderr_has "--vdevice" "requires an argument"
}

@test "bind --vdevice '' (empty)" {
	bad_vdevice ""
	assert_stderr_has "empty"
}

@test "bind --vdevice -1 (negative)" {
	bad_vdevice -1
	assert_stderr_has "'-1'"
}

@test "bind --vdevice 4294967296 (u32 + 1)" {
	bad_vdevice 4294967296
	assert_stderr_has "'4294967296'" "out of range"
}

@test "bind --vdevice 0x100000000 (hex u32 + 1)" {
	bad_vdevice 0x100000000
	assert_stderr_has "'0x100000000'"
}

@test "bind --vdevice 99999999999999999999999 (past u64)" {
	bad_vdevice 99999999999999999999999
	assert_stderr_has "'99999999999999999999999'"
}

@test "bind --vdevice 0x1_0000_0000 (digit separators)" {
	bad_vdevice 0x1_0000_0000
	assert_stderr_has "'0x1_0000_0000'"
}

@test "bind --vdevice 0x (prefix only)" {
	bad_vdevice 0x
	assert_stderr_has "'0x'"
}

@test "bind --vdevice 12abc (trailing garbage)" {
	bad_vdevice 12abc
	assert_stderr_has "'12abc'"
}

@test "bind --vdevice ' 3' (leading space)" {
	bad_vdevice " 3"
	assert_stderr_has "' 3'"
}

@test "bind --vdevice '3 ' (trailing space)" {
	bad_vdevice "3 "
	assert_stderr_has "'3 '"
}

@test "bind --vdevice 3.0 (not an integer)" {
	bad_vdevice 3.0
	assert_stderr_has "'3.0'"
}

@test "bind --vdevice 1e3 (exponent)" {
	bad_vdevice 1e3
	assert_stderr_has "'1e3'"
}

@test "bind --vdevice +3 (sign)" {
	bad_vdevice +3
	assert_stderr_has "'+3'"
}

@test "bind --vdevice 0x-1 (sign after prefix)" {
	bad_vdevice 0x-1
	assert_stderr_has "'0x-1'"
}

@test "unbind --vdevice abc" {
	no_ioctl_sent unbind --vdevice abc
	assert_usage_error
	assert_stderr_has "unbind" "--vdevice" "'abc'" "$U32_RANGE"
}

@test "bind --vdevice 3 junk (stray positional argument)" {
	no_ioctl_sent bind --vdevice 3 junk
	assert_usage_error
	assert_stderr_has "'junk'"
}

@test "bind --vdevice 3 --vdevice 4 (conflicting repeated option)" {
	# A mutating command must not pick one of two different object IDs
	# silently (iproute2 duplicate_arg): the operator meant one of them.
	no_ioctl_sent bind --vdevice 3 --vdevice 4
	assert_usage_error
	assert_stderr_has "--vdevice"
}

@test "JSON: bind --vdevice 4294967296 names field, value and range" {
	no_ioctl_sent -j bind --vdevice 4294967296
	assert_usage_error
	assert_equal "$(json_get .command)" bind
	assert_equal "$(json_get .error.field)" --vdevice
	assert_equal "$(json_get .error.value)" 4294967296
	assert_regex "$(json_get .error.message)" "0\.\.4294967295"
	assert_equal "$(json_get 'has("ioctl")')" false
}

@test "JSON: bind --vdevice -1 after the command (-j last)" {
	no_ioctl_sent bind --vdevice -1 -j
	assert_usage_error
	assert_equal "$(json_get .error.field)" --vdevice
	assert_equal "$(json_get .error.value)" -1
}

# ---- options and commands ---------------------------------------------

@test "unknown command option" {
	no_ioctl_sent bind --vdevice 3 --bogus
	assert_usage_error
	assert_stderr_has "'--bogus'" "bind --help"
}

@test "unknown short option" {
	no_ioctl_sent bind --vdevice 3 -Z
	assert_usage_error
	assert_stderr_has "Z"
}

@test "JSON: unknown long option gives a JSON error naming it" {
	no_ioctl_sent -j bind --vdevice 3 --bogus
	assert_usage_error
	assert_equal "$(json_get .error.field)" --bogus
	assert_regex "$(json_get .error.message)" "--bogus"
}

@test "unknown global option: message without the program path" {
	no_ioctl_sent --bogus bind --vdevice 3
	assert_usage_error
	assert_stderr_has "'--bogus'"
	# §6: 'tsmctl: COMMAND: what failed' - argv[0] is not part of it
	refute_stderr_has "$TSMCTL"
}

@test "JSON: unknown global option: message without the program path" {
	no_ioctl_sent -j --bogus bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" --bogus
	refute_regex "$(json_get .error.message)" "/tsmctl"
}

@test "--abi unknown profile lists the accepted ones" {
	no_ioctl_sent --abi v9 bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--abi" "'v9'" "v5, v5-op, v6, v7"
}

@test "JSON: --abi unknown profile" {
	no_ioctl_sent -j -A v9 bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" --abi
	assert_equal "$(json_get .error.value)" v9
}

@test "--abi '' (empty)" {
	no_ioctl_sent --abi '' bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--abi" "v5, v5-op, v6, v7"
}

@test "TSMCTL_ABI unknown profile" {
	TSMCTL_ABI=v9 no_ioctl_sent bind --vdevice 3
	assert_usage_error
	assert_stderr_has "TSMCTL_ABI" "'v9'" "v5, v5-op, v6, v7"
}

@test "JSON: TSMCTL_ABI unknown profile" {
	TSMCTL_ABI=bogus no_ioctl_sent -j bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" TSMCTL_ABI
	assert_equal "$(json_get .error.value)" bogus
}

@test "--abi and --abi-file together" {
	local f
	f=$(profile p.txt <<<'base = v6')
	no_ioctl_sent --abi v5 --abi-file "$f" bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--abi" "--abi-file" "mutually exclusive"
}

@test "--fd abc names the flag and the descriptor range" {
	no_ioctl_sent --fd abc bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--fd" "'abc'" "0..2147483647"
	refute_stderr_has "4294967295"
}

@test "--fd -1 names the flag and the descriptor range" {
	no_ioctl_sent --fd -1 bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--fd" "'-1'" "0..2147483647"
	refute_stderr_has "4294967295"
}

@test "--fd 2147483648 (past INT_MAX)" {
	no_ioctl_sent --fd 2147483648 bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--fd" "'2147483648'" "0..2147483647"
}

@test "JSON: --fd abc" {
	no_ioctl_sent -j --fd abc bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" --fd
	assert_equal "$(json_get .error.value)" abc
}

@test "--pid 0" {
	no_ioctl_sent --pid 0 bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--pid" "'0'" "1..4194304"
}

@test "--pid abc names the flag and the PID range" {
	no_ioctl_sent --pid abc bind --vdevice 3
	assert_usage_error
	assert_stderr_has "--pid" "'abc'" "1..4194304"
	refute_stderr_has "4294967295"
}

@test "unknown command lists the commands" {
	no_ioctl_sent frob --vdevice 3
	assert_usage_error
	assert_stderr_has "'frob'" "bind, unbind"
}

@test "JSON: unknown command" {
	no_ioctl_sent -j frob
	assert_usage_error
	assert_equal "$(json_get .command)" ""
	assert_equal "$(json_get .error.field)" COMMAND
	assert_equal "$(json_get .error.value)" frob
}

@test "no prefix matching: 'bin' is not 'bind'" {
	no_ioctl_sent bin --vdevice 3
	assert_usage_error
	assert_stderr_has "'bin'"
}

@test "missing command" {
	no_ioctl_sent
	assert_usage_error
	assert_stderr_has "missing COMMAND"
}

@test "JSON: missing command" {
	no_ioctl_sent -j
	assert_usage_error
	assert_equal "$(json_get .error.field)" COMMAND
}

@test "help with two commands" {
	no_ioctl_sent help bind unbind
	assert_usage_error
	assert_stderr_has "'unbind'"
}

@test "help for an unknown command" {
	no_ioctl_sent help frob
	assert_usage_error
	assert_stderr_has "'frob'"
}

# ---- --abi-file ---------------------------------------------------------

@test "--abi-file: missing file" {
	bad_profile "$BATS_TEST_TMPDIR/nonexistent" "No such file"
}

@test "--abi-file: a directory" {
	bad_profile "$BATS_TEST_TMPDIR" "not a regular file"
}

@test "--abi-file: empty file" {
	local f
	f=$(profile empty </dev/null)
	bad_profile "$f" "name"
}

@test "--abi-file: text line without '='" {
	local f
	f=$(profile noeq <<<$'base = v6\nname v8')
	bad_profile "$f" ":2:" "key = value"
}

@test "--abi-file: unknown key" {
	local f
	f=$(profile unknown <<<$'base = v6\nfrobnicate = 1')
	bad_profile "$f" "frobnicate" "unknown key"
}

@test "--abi-file: bad number" {
	local f
	f=$(profile badnum <<<$'base = v6\ntsm_op.nr = 0xzz')
	bad_profile "$f" "tsm_op.nr" "'0xzz'" "32-bit"
}

@test "--abi-file: number out of u32 range" {
	local f
	f=$(profile bignum <<<$'base = v6\ntsm_op.nr = 4294967296')
	bad_profile "$f" "tsm_op.nr" "'4294967296'"
}

@test "--abi-file: field past the struct end" {
	local f
	f=$(profile pastend <<<$'base = v6\ntsm_op.vdevice_id = 14:4')
	bad_profile "$f" "vdevice_id" "16"
}

@test "--abi-file: overlapping fields" {
	local f
	f=$(profile overlap <<<$'base = v6\ntsm_op.vdevice_id = 4:4')
	bad_profile "$f" "vdevice_id" "overlaps"
}

@test "--abi-file: duplicate key" {
	local f
	f=$(profile dup <<<$'base = v6\nname = a\nname = b')
	bad_profile "$f" "duplicate" "name"
}

@test "--abi-file: bad profile name" {
	local f
	f=$(profile badname <<<$'base = v6\nname = V8 beta')
	bad_profile "$f" "name" "[a-z0-9-_.]"
}

@test "--abi-file: unknown base profile" {
	local f
	f=$(profile badbase <<<'base = v99')
	bad_profile "$f" "base" "'v99'" "v5, v5-op, v6, v7"
}

@test "--abi-file: JSON with trailing garbage" {
	local f
	f=$(profile trail.json <<<'{"base": "v6", "name": "x"} junk')
	bad_profile "$f" "JSON"
}

@test "--abi-file: JSON wrong type" {
	local f
	f=$(profile type.json <<<'{"base": "v6", "tsm_op": ["a"]}')
	bad_profile "$f" "tsm_op" "object"
}

@test "--abi-file: JSON negative number" {
	local f
	f=$(profile neg.json <<<'{"base": "v6", "tsm_op": {"nr": -1}}')
	bad_profile "$f" "tsm_op.nr" "negative"
}

@test "--abi-file: JSON unknown key" {
	local f
	f=$(profile unk.json <<<'{"base": "v6", "tsm_opp": {"nr": 1}}')
	bad_profile "$f" "tsm_opp"
}

@test "--abi-file: NUL byte" {
	local f="$BATS_TEST_TMPDIR/nul"
	printf 'base = v6\nname = a\0b\n' >"$f"
	bad_profile "$f" "NUL"
}

@test "a bad global option before the command still names the command" {
	no_ioctl_sent -A bogus dump --evidence none
	assert_usage_error
	assert_stderr_has "tsmctl: dump: --abi 'bogus'"
	no_ioctl_sent -j -A bogus bind --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .command)" bind
	no_ioctl_sent -A bogus
	assert_usage_error
	assert_stderr_has "tsmctl: --abi 'bogus'"
}
