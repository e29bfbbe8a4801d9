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
	run bash -c '"$1" fish < "$2" | diff -u "$3" -' _ \
		"$TOOLS/gen-completions.py" "$META" "$ROOT/completions/tsmctl.fish"
	assert_success
}

@test "gen-completions rejects an unknown schema_version and bad usage" {
	jq '.schema_version = 99' "$META" > "$BATS_TEST_TMPDIR/fake.json"
	run "$TOOLS/gen-completions.py" bash < "$BATS_TEST_TMPDIR/fake.json"
	assert_failure 2
	assert_output --partial "schema_version 99 is not supported"
	run "$TOOLS/gen-completions.py" tcsh < "$META"
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
	run "$TOOLS/gen-completions.py" fish < "$BATS_TEST_TMPDIR/fake.json"
	assert_success
	assert_output --partial "complete -c tsmctl -n '__tsmctl_is bind' -l frobnicate -x -a 'on off' -d 'fake'"
}

@test "gen-completions only formats: a new op and field appear in context" {
	jq '.ops += [{"name": "frob-op", "arch": "tdx", "profiles": ["v6"],
	     "fields": [{"name": "mode", "values": ["on", "off"]}]}]' \
		"$META" > "$BATS_TEST_TMPDIR/fake.json"
	local sh
	for sh in bash zsh fish; do
		run "$TOOLS/gen-completions.py" "$sh" < "$BATS_TEST_TMPDIR/fake.json"
		assert_success
		assert_output --partial "frob-op:tdx:v6"
		assert_output --partial "mode= mode=on mode=off"
	done
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

# with_iommu_holder CMD...: run CMD in a private mount namespace where a
# process (its pid in $HOLDER) holds a file named /dev/iommu open
with_iommu_holder() {
	unshare -m true 2>/dev/null || skip "no mount namespace (unshare -m)"
	unshare -m bash -c '
		mount -t tmpfs tsmctl-test /dev || exit 97
		: >/dev/iommu
		sleep 60 9</dev/iommu &
		HOLDER=$!
		export HOLDER
		sleep 0.2
		"$@"
		rc=$?
		kill $HOLDER
		exit $rc
	' _ "$@"
}

@test "completion: --pid offers only the processes holding /dev/iommu" {
	run complete_words tsmctl --pid ''
	assert_success
	# init holds no iommufd
	grep -qx 1 <<<"$output" && fail "pid 1 offered: $output"
	# complete_words as a script, for the namespace's bash
	{
		echo 'complete_words() {'
		declare -f complete_words | sed '1,2d'
		echo 'complete_words "$@"'
	} >"$BATS_TEST_TMPDIR/cw"
	sed -i "s|\$ROOT|$ROOT|g" "$BATS_TEST_TMPDIR/cw"
	chmod +x "$BATS_TEST_TMPDIR/cw"
	run with_iommu_holder bash -c '
		out=$(bash "$0" tsmctl --pid "")
		[ "$out" = "$HOLDER" ] || { echo "bash: $out, holder $HOLDER"; exit 1; }
		out=$(fish --no-config -c "source $1; complete -C \"tsmctl --pid \"" | cut -f1)
		[ "$out" = "$HOLDER" ] || { echo "fish: $out, holder $HOLDER"; exit 1; }
	' "$BATS_TEST_TMPDIR/cw" "$ROOT/completions/tsmctl.fish"
	assert_success
}

@test "bash completion: --op follows --arch and -A, --field follows --op" {
	run complete_words tsmctl -A v6 req --arch cca --op ''
	assert_output "$(printf 'validate-mmio\nset-tdi-state')"
	run complete_words tsmctl -A v7 req --arch cca --op ''
	assert_output "$(printf 'validate-mmio\nset-tdi-state\nobject-info\nread-object\nregen-object')"
	run complete_words tsmctl --abi = v6 req --arch = sev --op ''
	assert_output "$(printf 'validate-mmio\nset-tdi-state\nsev-enable-dma\nsev-disable-dma')"
	TSMCTL_ABI=v5 run complete_words tsmctl req --op ''
	assert_output "$(printf 'object-size\nobject-read\nset-tdi-state')"
	run complete_words tsmctl req --arch cca --op validate-mmio --field ''
	assert_output "$(printf 'gpa_base=\ngpa_top=\npa_base=')"
	run complete_words tsmctl req --arch cca --op set-tdi-state --field tdi_state = ''
	assert_output "$(printf 'unlocked\nlocked\nrun')"
	run complete_words tsmctl req --op regen-object --field n
	assert_output "nonce="
}

@test "bash completion: help <TAB> offers the commands, replay a file" {
	run complete_words tsmctl help ''
	assert_line bind
	assert_line set-run
	refute_line __metadata
	run complete_words tsmctl -j help s
	assert_output set-run
	run complete_words tsmctl help bind ''
	assert_output ""
	touch "$BATS_TEST_TMPDIR/last.jsonl"
	run complete_words tsmctl replay "$BATS_TEST_TMPDIR/la"
	assert_output "$BATS_TEST_TMPDIR/last.jsonl"
}

@test "zsh completion: --op and --field in context (helpers with stubs)" {
	command -v zsh || skip "zsh not installed (apt-get install zsh)"
	run zsh -f -c '
		_arguments() { return 1; }
		compadd() { while [[ $1 == -* ]]; do
				[[ $1 == -a ]] && { print -l -- ${(P)2}; return; }
				[[ $1 == -S ]] && shift; shift; done; }
		compset() { [[ $PREFIX == *=* ]] || return 1
			IPREFIX=${PREFIX%%=*}=; PREFIX=${PREFIX#*=}; }
		source "$1"
		BUFFER="tsmctl -A v6 req --arch cca --op "; _tsmctl_ops
		BUFFER="tsmctl req --arch cca --op set-tdi-state --field "
		PREFIX=; _tsmctl_fields
		PREFIX=tdi_state=; _tsmctl_fields' _ "$ROOT/completions/_tsmctl"
	assert_success
	assert_output "$(printf 'validate-mmio\nset-tdi-state\ntdi_state=\nunlocked\nlocked\nrun')"
}

@test "fish completion: parses, follows context like bash" {
	command -v fish || skip "fish not installed (apt-get install fish)"
	run fish -n "$ROOT/completions/tsmctl.fish"
	assert_success
	fc() {
		fish --no-config -c "source '$ROOT/completions/tsmctl.fish'; complete -C '$1'" |
			cut -f1 | xargs
	}
	assert_equal "$(fc 'tsmctl -A v6 req --arch cca --op ')" "set-tdi-state validate-mmio"
	assert_equal "$(fc 'tsmctl req --arch cca --op set-tdi-state --field ')" \
		"tdi_state= tdi_state=locked tdi_state=run tdi_state=unlocked"
	assert_equal "$(fc 'tsmctl --fd 7 help s')" "set-run"
	assert_equal "$(fc 'tsmctl bind --vd')" "--vdevice"
	assert_equal "$(fc 'tsmctl --vd')" ""
	assert_equal "$(fc 'tsmctl --abi ')" "auto v5 v5-op v6 v7"
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
