#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Help and option handling as operators of ip, devlink and cxl expect
# (docs/cli-contract.md, "Commands"): -h and -p, a command's --help with
# its own options, "did you mean", a command option before the command,
# exact long options, one value per option, the text dry-run banner and
# every JSON hint in text mode too.

load helpers

@test "-h is --help, -p is --pretty" {
	run_tsmctl -h
	assert_success
	assert_line --index 0 --regexp '^Usage: tsmctl '
	assert_output --partial "-h, --help"
	assert_output --partial "-p, --pretty"
	a=$output
	run_tsmctl --help
	assert_equal "$output" "$a"
	no_ioctl_sent -A v5 -p bind --vdevice 3 -n
	assert_success
	assert_line --index 0 "{"
	assert_line --index 1 '  "schema_version": 1,'
}

@test "COMMAND --help: the command's options, the global ones in one line" {
	run_tsmctl set-run --help
	assert_success
	assert_output --partial "--state=STATE"
	assert_line --regexp "^ *Global options \(see 'tsmctl --help'\): -d --fd --pid -A"
	refute_output --partial "--abi-file=FILE"
	refute_output --partial "--trace=FILE"
	# the top-level help still lists them
	run_tsmctl --help
	assert_output --partial "--abi-file=FILE"
}

@test "an unknown command suggests the nearest one, JSON too" {
	no_ioctl_sent bnd --vdevice 3
	assert_usage_error
	assert_stderr_has "unknown command 'bnd': did you mean 'bind'?"
	no_ioctl_sent -j set-rn --vdevice 3
	assert_usage_error
	assert_equal "$(json_get .error.message)" "unknown command 'set-rn': did you mean 'set-run'?"
	assert_equal "$(json_get .error.field)" COMMAND
	assert_equal "$(json_get .error.value)" set-rn
	# nothing near: the list of commands instead
	no_ioctl_sent frobnicate
	assert_usage_error
	assert_stderr_has "unknown command 'frobnicate' (accepted: bind, unbind"
	refute_stderr_has "did you mean"
	# help COMMAND too
	run_tsmctl help bnd
	assert_failure 2
	assert_stderr_has "no help for unknown command 'bnd'" "did you mean 'tsmctl help bind'?"
}

@test "a command's option before the command names the command" {
	no_ioctl_sent --fd 7 --vdevice 3 dump
	assert_usage_error
	assert_stderr_has "--vdevice is an option of dump, not a global one: give it after the command" \
		"tsmctl dump --vdevice ...; see 'tsmctl dump --help'"
	no_ioctl_sent -j --state run set-run
	assert_usage_error
	assert_equal "$(json_get .error.field)" --state
	assert_regex "$(json_get .error.message)" "option of set-run"
}

@test "long options match exactly: a typo suggests, an abbreviation is refused" {
	no_ioctl_sent -A v6 set-run --vdevice 3 --arch cca --stat run
	assert_usage_error
	assert_stderr_has "unrecognized option '--stat'" "did you mean '--state'?"
	no_ioctl_sent -A v6 -j bind --vdevic 3
	assert_usage_error
	assert_equal "$(json_get .error.field)" --vdevic
	assert_regex "$(json_get .error.hint)" "did you mean '--vdevice'"
	no_ioctl_sent --pretyy --version
	assert_usage_error
	assert_stderr_has "did you mean '--pretty'?"
}

@test "a global option that takes one value given twice is bad input, as --vdevice is" {
	local o
	for o in "-A v6 -A v5" "--fd 7 --fd 8" "--trace /tmp/a --trace /tmp/b" \
		"--abi-file /x --abi-file /y" "-d /dev/iommu -d /dev/null"; do
		# shellcheck disable=SC2086
		no_ioctl_sent $o bind --vdevice 3 -n
		assert_usage_error
		assert_stderr_has "given twice (it takes one value)"
	done
}

@test "a text dry run of a state change ends with 'dry run: nothing sent'" {
	local c
	for c in "bind --vdevice 3" "unbind --vdevice 3" \
		"set-run --vdevice 3 --arch cca --state lock"; do
		# shellcheck disable=SC2086
		no_ioctl_sent -A v6 $c -n
		assert_success
		assert_output --partial "struct_hex:"
		assert_equal "$stderr" "tsmctl: ${c%% *}: dry run: nothing sent"
	done
	# JSON carries "dry_run": true instead; stderr stays empty
	no_ioctl_sent -A v6 -j bind --vdevice 3 -n
	assert_success
	assert_equal "$(json_get .dry_run)" true
}

@test "every error.hint of JSON mode is printed in text mode too" {
	local args
	while IFS= read -r args; do
		# shellcheck disable=SC2086
		run_tsmctl -j $args
		local hint
		hint=$(json_get '.error.hint // ""')
		[ -n "$hint" ] || fail "no hint for: $args"
		# shellcheck disable=SC2086
		run_tsmctl $args
		assert_stderr_has "($hint)"
	done <<'ARGS'
bnd
--vdevice 3 dump
-A v7 bind --vdevice 3
-A v7 unbind --vdevice 3
-d /nonexistent/iommu -A v6 bind --vdevice 3
bind --vdevic 3
ARGS
}
