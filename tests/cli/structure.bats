#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tests/tools/structure.py (docs/architecture.md) on this tree, and on a
# copy of it broken on purpose: each rule it checks must be able to fail.

load helpers

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	T=$BATS_TEST_TMPDIR/tree
	mkdir -p "$T"
	cp -r "$ROOT/cmd" "$ROOT/lib" "$ROOT/docs" "$T/"
	mkdir -p "$T/tests/emu"
	cp "$ROOT"/tests/emu/*.[ch] "$ROOT/tests/emu/README.md" "$T/tests/emu/"
}

@test "this tree keeps its layers, short functions, own docs and one op table" {
	run "$ROOT/tests/tools/structure.py" "$ROOT"
	assert_success
	refute_output --partial "not ok"
}

@test "an upward include fails" {
	sed -i 's|#include "util.h"|#include "util.h"\n#include "core/ctx.h"|' "$T/lib/util.c"
	run "$ROOT/tests/tools/structure.py" "$T"
	assert_failure
	assert_output --partial "lib/util.c includes cmd/core/ctx.h: upward"
}

@test "a command including another command's part fails" {
	sed -i 's|#include "builtin.h"|#include "builtin.h"\n#include "replay/replay.h"|' "$T/cmd/bind.c"
	run "$ROOT/tests/tools/structure.py" "$T"
	assert_failure
	assert_output --partial "cmd/bind.c includes cmd/replay/replay.h: another command's part"
}

@test "an include cycle fails" {
	sed -i 's|#include "ctx.h"|#include "ctx.h"\n#include "out.h"|' "$T/cmd/core/opt.h"
	sed -i 's|#include "ctx.h"|#include "ctx.h"\n#include "opt.h"|' "$T/cmd/core/out.h"
	run "$ROOT/tests/tools/structure.py" "$T"
	assert_failure
	assert_output --partial "cmd/core/opt -> cmd/core/out -> cmd/core/opt"
}

@test "a function over 80 lines, a missing doc, a machine path, an op literal fail" {
	{
		echo 'int too_long(void);'
		echo 'int too_long(void)'
		echo '{'
		for i in $(seq 80); do echo '	(void)0;'; done
		echo '	return 0;'
		echo '}'
		# the machine path spelt so that this file holds none
		printf '/* see docs/nowhere.md and /%s/shared/x */\n' work
		echo 'static const char *op = "validate-mmio";'
	} >>"$T/lib/util.c"
	run "$ROOT/tests/tools/structure.py" "$T"
	assert_failure
	assert_output --partial "lib/util.c:"
	assert_output --partial "83 lines: int too_long(void)"
	assert_output --partial "lib/util.c cites docs/nowhere.md"
	assert_output --partial "lib/util.c names a machine path"
	assert_output --partial 'lib/util.c: op name "validate-mmio"'
}
