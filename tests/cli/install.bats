#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# make install (README, "Other targets"): the binary, man pages, the three
# completions, the one schema, and tsm-emu with its man page under
# PREFIX/libexec/tsmctl/, so that a maintainer replays a bug report's
# trace without the source tree.

load helpers
load emu_helpers

setup() {
	emu_setup
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	D=$BATS_FILE_TMPDIR/dest
}

install_once() {
	[ -x "$D/usr/bin/tsmctl" ] && return 0
	make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr >"$BATS_FILE_TMPDIR/make.log" 2>&1 ||
		fail "make install failed: $(cat "$BATS_FILE_TMPDIR/make.log")"
}

@test "make install: binary, man pages, completions, the schema, tsm-emu" {
	install_once
	local f
	for f in bin/tsmctl libexec/tsmctl/tsm-emu libexec/tsmctl/mkbtf; do
		[ -x "$D/usr/$f" ] || fail "not installed: $f"
	done
	for f in share/man/man8/tsmctl.8 share/man/man8/tsmctl-list.8 \
		share/man/man8/tsm-emu.8 \
		share/bash-completion/completions/tsmctl \
		share/zsh/vendor-completions/_tsmctl \
		share/fish/vendor_completions.d/tsmctl.fish; do
		[ -f "$D/usr/$f" ] || fail "not installed: $f"
	done
	# the schema is the binary's, byte for byte
	cmp "$D/usr/share/tsmctl/tsmctl.schema.json" <("$TSMCTL" --schema)
	cmp "$D/usr/share/tsmctl/tsm-emu.md" "$ROOT/tests/emu/README.md"
	run "$ROOT/tests/tools/lint-man.sh" "$D/usr/share/man/man8/tsm-emu.8"
	assert_success
	assert_output ""
}

@test "the installed tsm-emu replays a trace outside the source tree" {
	install_once
	local t=$BATS_TEST_TMPDIR/last.jsonl
	emu_tsmctl v6 --trace "$t" bind --vdevice 3
	assert_success
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr "$D/usr/libexec/tsmctl/tsm-emu" --replay "$t" -- \
		"$D/usr/bin/tsmctl" -j replay "$t"
	assert_success
	assert_equal "$(json_get .result.match)" true
	assert_equal "$(json_get .result.ioctls)" 1
	# its man page answers man -l
	run man -l "$D/usr/share/man/man8/tsm-emu.8"
	assert_success
	assert_output --partial "replay"
}
