#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check: every seed corpus and crash file of every fuzz target through
# its gcc ASan+UBSan build (tests/fuzz/driver.c), so a fixed crash stays
# fixed. TAP on stdout. FUZZ_REG_DIR holds the fuzz_NAME binaries.
cd "$(dirname "$0")" || exit 1
dir=${FUZZ_REG_DIR:?FUZZ_REG_DIR: the directory of the regression builds}
n=0
fail=0
for src in fuzz_*.c; do
	t=${src#fuzz_}
	t=${t%.c}
	n=$((n + 1))
	set --
	[ -d "corpus/$t" ] && set -- "$@" "corpus/$t"
	[ -d "crashes/$t" ] && set -- "$@" "crashes/$t"
	if [ $# = 0 ]; then
		echo "not ok $n - $t: no seed corpus (tests/fuzz/corpus/$t)"
		fail=1
	elif out=$("$dir/fuzz_$t" "$@" 2>&1); then
		echo "ok $n - $t: $out"
	else
		echo "not ok $n - $t"
		printf '%s\n' "$out" | tail -30 | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
