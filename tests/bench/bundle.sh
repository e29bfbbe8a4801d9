#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dump --bundle with a 10,000-line trace: the bundle's size against
# gzip -6 of the same tar (target: at most 1.1x, a failure when missed),
# and the instructions of the whole dump run (target: under 50M), under
# tsm-emu and callgrind, next to what gzip -6 alone spends on the same
# tar: deflate at level 6 costs about 55 instructions a byte whoever
# calls it, so a 3.6 MB trace cannot be bundled in 50M at that level
# (zlib's level 1 still costs 25 a byte). A missed instruction target is
# reported; it fails the run only with BENCH_STRICT=1.
# The trace is what a traced batch of N bind lines writes.
#
#   tests/bench/bundle.sh [TSMCTL [TSM_EMU]]
set -eu
TSMCTL=${1:-./tsmctl}
EMU=${2:-tests/emu/tsm-emu}
N=${N:-10000}
LIMIT_RATIO=${LIMIT_RATIO:-1.1}
LIMIT_INSNS=${LIMIT_INSNS:-50000000}
SCN=$(dirname "$0")/../cli/scenarios/emu_v6.json

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

i=0
while [ $i -lt "$N" ]; do
	echo '{"command":"bind","vdevice_id":3}'
	i=$((i + 1))
done >"$tmp/env"
"$EMU" --scenario "$SCN" -- "$TSMCTL" -A v6 --fd 7 --trace "$tmp/t.jsonl" \
	batch <"$tmp/env" >/dev/null
lines=$(wc -l <"$tmp/t.jsonl")

"$EMU" --scenario "$SCN" -- valgrind --tool=callgrind --sim-hints=lax-ioctls \
	--callgrind-out-file=/dev/null "$TSMCTL" -A v6 --fd 7 \
	--trace "$tmp/t.jsonl" dump --evidence none --bundle "$tmp/b.tgz" \
	>/dev/null 2>"$tmp/err"
insns=$(sed -n 's/.*Collected : *//p' "$tmp/err")
gzip -t "$tmp/b.tgz"
tar -tzf "$tmp/b.tgz" >/dev/null
size=$(wc -c <"$tmp/b.tgz")
gzip -dc "$tmp/b.tgz" >"$tmp/b.tar"
ref=$(gzip -6 -c "$tmp/b.tar" | wc -c)
ratio=$(awk -v a="$size" -v b="$ref" 'BEGIN { printf "%.3f", a / b }')
gz=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null gzip -6 -c \
	"$tmp/b.tar" 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')

printf '%-40s %10s lines\n' "trace (batch of $N binds)" "$lines"
printf '%-40s %10s bytes (gzip -6 of its tar: %s; %sx, target %sx)\n' \
	"dump --bundle" "$size" "$ref" "$ratio" "$LIMIT_RATIO"
printf '%-40s %10s instructions (target: under %s)\n' \
	"dump --bundle, whole run" "$insns" "$LIMIT_INSNS"
printf '%-40s %10s instructions\n' "gzip -6 of the same tar (reference)" "$gz"
fail=0
awk -v r="$ratio" -v l="$LIMIT_RATIO" 'BEGIN { exit !(r <= l) }' ||
	{ echo "FAIL: bundle larger than ${LIMIT_RATIO}x gzip -6"; fail=1; }
if [ "$insns" -ge "$LIMIT_INSNS" ]; then
	echo "NOT MET: bundle run at $insns instructions (gzip -6 alone: $gz)"
	[ "${BENCH_STRICT:-0}" = 1 ] && fail=1
fi
exit $fail
