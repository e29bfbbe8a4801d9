#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Man pages and shell completions against the binary's own metadata
# (tsmctl __metadata): lint, drift, generated completions, help command.
#
#   TSMCTL=$PWD/tsmctl bats --tap tests/cli/docs.bats

bats_require_minimum_version 1.5.0

setup() {
	bats_load_library bats-support
	bats_load_library bats-assert
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	TSMCTL=${TSMCTL:-$ROOT/tsmctl}
	TOOLS=$ROOT/tests/tools
	MAN=$ROOT/man
	META=$BATS_TEST_TMPDIR/meta.json
	"$TSMCTL" __metadata > "$META"
}

# complete_words WORD...: run the bash completion for the command line
# WORD... (the last word is the one being completed) in a clean bash and
# print the candidates, one per line.
complete_words() {
	bash --norc --noprofile -c '
		script=$1
		shift
		source "$script" || exit 99
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_tsmctl || exit 98
		printf "%s\n" "${COMPREPLY[@]}"
	' complete_words "$ROOT/completions/tsmctl.bash" "$@"
}

# --- man pages --------------------------------------------------------------

@test "every man page lints clean (mandoc -W warning, man --warnings)" {
	run "$TOOLS/lint-man.sh" "$MAN"/*.8
	assert_success
	assert_output ""
}

@test "lint-man.sh fails on a broken page" {
	cat > "$BATS_TEST_TMPDIR/bad.8" <<-'EOF'
	.TH BAD 8
	.SH NAME
	bad \- a page with an unknown macro
	.XYZZY foo
	EOF
	run "$TOOLS/lint-man.sh" "$BATS_TEST_TMPDIR/bad.8"
	assert_failure
	assert_output --partial "XYZZY"
}

@test "every man page starts with the SPDX line and has .TH section 8" {
	for page in "$MAN"/*.8; do
		run head -1 "$page"
		assert_output '.\" SPDX-License-Identifier: GPL-2.0'
		run grep -c '^\.TH [^ ]* 8 ' "$page"
		assert_output "1"
	done
}

@test "man pages match the binary: check-man-drift passes" {
	run "$TOOLS/check-man-drift.py" "$META" "$MAN"
	assert_success
	assert_output ""
}

@test "check-man-drift reads the metadata from stdin too" {
	run bash -c '"$1" __metadata | "$2" - "$3"' _ "$TSMCTL" \
		"$TOOLS/check-man-drift.py" "$MAN"
	assert_success
}

@test "check-man-drift fails when a page loses an option" {
	cp -r "$MAN" "$BATS_TEST_TMPDIR/man"
	sed -i '/\\-\\-vdevice/d' "$BATS_TEST_TMPDIR/man/tsmctl-bind.8"
	run "$TOOLS/check-man-drift.py" "$META" "$BATS_TEST_TMPDIR/man"
	assert_failure 1
	assert_output --partial "tsmctl-bind.8: option --vdevice of 'bind' is not documented"
	refute_output --partial "tsmctl-unbind.8"
}

@test "check-man-drift fails when tsmctl.8 loses a global option" {
	cp -r "$MAN" "$BATS_TEST_TMPDIR/man"
	# drop the tag line of -n, --dry-run (prose mentions do not count)
	sed -i '/^\.BR \\-n ", " \\-\\-dry\\-run$/d' "$BATS_TEST_TMPDIR/man/tsmctl.8"
	run "$TOOLS/check-man-drift.py" "$META" "$BATS_TEST_TMPDIR/man"
	assert_failure 1
	assert_output --partial "global option --dry-run is not documented"
	assert_output --partial "short form -n of global option --dry-run"
}

@test "check-man-drift fails when the binary has an undocumented option" {
	jq '(.commands[] | select(.name == "bind") | .options) +=
	    [{"long": "frobnicate", "arg": "N", "doc": "fake"}]' \
		"$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/check-man-drift.py" "$BATS_TEST_TMPDIR/fake.json" "$MAN"
	assert_failure 1
	assert_output --partial "option --frobnicate of 'bind' is not documented"

	jq '.global_options += [{"long": "frobnicate", "short": "-F", "doc": "fake"}]' \
		"$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/check-man-drift.py" "$BATS_TEST_TMPDIR/fake.json" "$MAN"
	assert_failure 1
	assert_output --partial "global option --frobnicate is not documented"
	assert_output --partial "short form -F"
}

@test "check-man-drift fails when a page documents an option the binary lacks" {
	cp -r "$MAN" "$BATS_TEST_TMPDIR/man"
	python3 - "$BATS_TEST_TMPDIR/man/tsmctl-bind.8" <<-'EOF'
	import sys
	p = sys.argv[1]
	s = open(p).read()
	s = s.replace(".SH OPTIONS\n",
	              ".SH OPTIONS\n.TP\n.BI \\-\\-frobnicate= N\nFake.\n", 1)
	open(p, "w").write(s)
	EOF
	run "$TOOLS/check-man-drift.py" "$META" "$BATS_TEST_TMPDIR/man"
	assert_failure 1
	assert_output --partial "OPTIONS documents --frobnicate"
}

@test "check-man-drift fails on a missing command page or COMMANDS entry" {
	jq '.commands += [{"name": "frob", "summary": "fake", "available": true,
	    "hidden": false, "mutates": false, "options": []}]' \
		"$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/check-man-drift.py" "$BATS_TEST_TMPDIR/fake.json" "$MAN"
	assert_failure 1
	assert_output --partial "command 'frob' is not in COMMANDS"
	assert_output --partial "missing page for command 'frob'"

	# a hidden command needs neither
	jq '.commands += [{"name": "frob", "summary": "fake", "available": true,
	    "hidden": true, "mutates": false, "options": []}]' \
		"$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/check-man-drift.py" "$BATS_TEST_TMPDIR/fake.json" "$MAN"
	assert_success
}

@test "check-man-drift rejects an unknown metadata schema_version" {
	jq '.schema_version = 99' "$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/check-man-drift.py" "$BATS_TEST_TMPDIR/fake.json" "$MAN"
	assert_failure 2
	assert_output --partial "schema_version 99 is not supported"
}

# --- completions ------------------------------------------------------------

@test "committed completions equal freshly generated ones" {
	run bash -c '"$1" bash < "$2" | diff -u "$3" -' _ \
		"$TOOLS/gen-completions.py" "$META" "$ROOT/completions/tsmctl.bash"
	assert_success
	run bash -c '"$1" zsh < "$2" | diff -u "$3" -' _ \
		"$TOOLS/gen-completions.py" "$META" "$ROOT/completions/_tsmctl"
	assert_success
}

@test "gen-completions rejects an unknown schema_version and bad usage" {
	jq '.schema_version = 99' "$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/gen-completions.py" bash < "$BATS_TEST_TMPDIR/fake.json"
	assert_failure 2
	assert_output --partial "schema_version 99 is not supported"
	run "$TOOLS/gen-completions.py" fish < "$META"
	assert_failure 2
}

@test "gen-completions only formats: a new option appears in both scripts" {
	jq '(.commands[] | select(.name == "bind") | .options) +=
	    [{"long": "frobnicate", "arg": "MODE", "doc": "fake",
	      "values": ["on", "off"]}]' "$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/gen-completions.py" bash < "$BATS_TEST_TMPDIR/fake.json"
	assert_success
	assert_output --partial "--frobnicate) echo 'values on off'"
	run "$TOOLS/gen-completions.py" zsh < "$BATS_TEST_TMPDIR/fake.json"
	assert_success
	assert_output --partial "'--frobnicate=[fake]:MODE:(on off)'"
}

@test "bash completion registers _tsmctl for tsmctl" {
	run bash --norc --noprofile -c 'source "$1" && complete -p tsmctl' _ \
		"$ROOT/completions/tsmctl.bash"
	assert_success
	assert_output "complete -F _tsmctl tsmctl"
}

@test "bash completion: tsmctl bi -> bind" {
	run complete_words tsmctl bi
	assert_success
	assert_output "bind"
}

@test "bash completion: commands, hidden ones left out" {
	run complete_words tsmctl ''
	assert_success
	assert_line "bind"
	assert_line "set-run"
	assert_line "help"
	refute_line "__metadata"
	run complete_words tsmctl __
	assert_output ""
}

@test "bash completion: tsmctl bind --vd -> --vdevice" {
	run complete_words tsmctl bind --vd
	assert_success
	assert_output "--vdevice"
}

@test "bash completion: tsmctl --abi <TAB> -> auto and the four profiles" {
	run complete_words tsmctl --abi ''
	assert_success
	assert_output "$(printf 'auto\nv5\nv5-op\nv6\nv7')"
	run complete_words tsmctl -A v5
	assert_output "$(printf 'v5\nv5-op')"
	# --abi=v<TAB>: bash splits at '=' (COMP_WORDBREAKS)
	run complete_words tsmctl --abi = v
	assert_output "$(printf 'v5\nv5-op\nv6\nv7')"
}

@test "bash completion: tsmctl -j bind --ab -> --abi --abi-file" {
	run complete_words tsmctl -j bind --ab
	assert_success
	assert_output "$(printf -- '--abi\n--abi-file')"
}

@test "bash completion: command options only after the command" {
	run complete_words tsmctl --vd
	assert_output ""
	run complete_words tsmctl -A v6 unbind --vd
	assert_output "--vdevice"
}

@test "bash completion: files for --abi-file, nothing for --vdevice ID" {
	touch "$BATS_TEST_TMPDIR/profile.abi"
	run complete_words tsmctl --abi-file "$BATS_TEST_TMPDIR/prof"
	assert_output "$BATS_TEST_TMPDIR/profile.abi"
	run complete_words tsmctl bind --vdevice ''
	assert_output ""
}

@test "bash completion: pids for --pid" {
	run complete_words tsmctl --pid ''
	assert_success
	assert_line "1"
	refute_line --regexp '[^0-9]'
}

@test "bash completion: --bdf of connect/lock -> the PCI functions with tsm/" {
	local d=$BATS_TEST_TMPDIR/sys/bus/pci/devices
	mkdir -p "$d/0000:01:00.0/tsm" "$d/0000:01:00.1" "$d/0000:02:00.0/tsm"
	TSMCTL_SYSFS=$BATS_TEST_TMPDIR run complete_words tsmctl connect --bdf ''
	assert_success
	assert_output "$(printf '0000:01:00.0\n0000:02:00.0')"
	TSMCTL_SYSFS=$BATS_TEST_TMPDIR run complete_words tsmctl lock --bdf 0000:02
	assert_output "0000:02:00.0"
}

@test "zsh completion parses (zsh -n)" {
	command -v zsh || skip "zsh not installed (apt-get install zsh)"
	run head -1 "$ROOT/completions/_tsmctl"
	assert_output "#compdef tsmctl"
	run zsh -n "$ROOT/completions/_tsmctl"
	assert_success
	assert_output ""
}

# --- tsmctl help ------------------------------------------------------------

@test "tsmctl help bind opens tsmctl-bind(8)" {
	command -v man || skip "man not installed"
	MANPAGER=cat MANWIDTH=80 run "$TSMCTL" help bind
	assert_success
	assert_output --partial "tsmctl-bind"
	assert_output --regexp "VDEVICE|vdevice"
}

@test "tsmctl help with no command opens tsmctl(8)" {
	command -v man || skip "man not installed"
	MANPAGER=cat MANWIDTH=80 run "$TSMCTL" help
	assert_success
	assert_output --partial "GLOBAL OPTIONS"
	MANPAGER=cat MANWIDTH=80 run "$TSMCTL" help help
	assert_success
	assert_output --partial "tsmctl-help"
}

@test "tsmctl help nosuch exits 2" {
	run "$TSMCTL" help nosuch
	assert_failure 2
	assert_output --partial "nosuch"
	run "$TSMCTL" help __metadata
	assert_failure 2
}

@test "tsmctl -j help bind prints JSON naming the page" {
	run --separate-stderr "$TSMCTL" -j help bind
	assert_success
	[ -z "$stderr" ]
	run jq -e '.ok == true and .command == "help" and
	           .result.man_page == "tsmctl-bind" and .result.section == 8' \
		<<< "$output"
	assert_success
}

@test "the README's test command, as .ci/run finds it, runs make check and make check-kernel" {
	line=$(grep -m1 -E '^apt-get .*make check( .*)?$' "$ROOT/README.md")
	assert_equal "$line" 'apt-get update && apt-get install -y $(cat packages.txt) && make check && make check-kernel'
	grep -qF "grep -m1 -E '^apt-get .*make check( .*)?\$' README.md" "$ROOT/.ci/run"
	for p in linux-source-6.12 qemu-system-x86 busybox-static dwarves cpio; do
		grep -qx "$p" "$ROOT/packages.txt"
	done
}
