#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lint man pages: mandoc at warning level and man-db/groff with all
# warnings at 80 columns. Any output is a failure.
#
#   tests/tools/lint-man.sh man/*.8
set -u

if [ $# -eq 0 ]; then
	echo "usage: $0 PAGE..." >&2
	exit 2
fi
for tool in mandoc man; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool not found (install mandoc and man-db)" >&2
		exit 2
	fi
done

fail=0
for page in "$@"; do
	if [ ! -f "$page" ]; then
		echo "$page: no such file" >&2
		fail=1
		continue
	fi
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		fail=1
	fi
	out=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -n "$out" ]; then
		printf '%s: man --warnings:\n%s\n' "$page" "$out"
		fail=1
	fi
done
exit $fail
