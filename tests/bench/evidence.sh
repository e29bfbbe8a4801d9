#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Peak RSS of dump reading a 16 MiB evidence object (the largest the
# kernel sends) under tsm-emu, in JSON mode, text mode (the first 256
# bytes, the size and SHA-256) and text mode with -v (all of it). Target:
# at most 2x the object, 34 MiB (dump holds one copy of the object, the
# hex is written from it in bounded pieces).
#
#   tests/bench/evidence.sh [TSMCTL [TSM_EMU]]
set -eu
TSMCTL=${1:-./tsmctl}
EMU=${2:-tests/emu/tsm-emu}
LIMIT_KIB=${LIMIT_KIB:-34816}
SCN=$(dirname "$0")/../cli/scenarios/emu_dump.json

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the dump scenario's first device, with one 16 MiB VCA object
jq --rawfile vca /dev/stdin \
	'.netlink.chunk = 3968 | .netlink.devices = [.netlink.devices[0] |
	 .evidence = { vca: $vca } | del(.digests)]' "$SCN" >"$tmp/big.json" <<-X
	$(head -c 16777216 /dev/zero | tr '\0' '\132' | xxd -p | tr -d '\n')
X
fail=0
for mode in -j "" -v; do
	"$EMU" --scenario "$tmp/big.json" -- \
		/usr/bin/time -f %M -o "$tmp/rss" "$TSMCTL" --fd 7 $mode \
		dump --bdf 0000:01:00.0 --evidence vca >"$tmp/out"
	rss=$(cat "$tmp/rss")
	printf '%-40s %10s KiB peak RSS (target: at most %s), %s bytes out\n' \
		"dump 16 MiB object ${mode:-(text)}" "$rss" "$LIMIT_KIB" \
		"$(wc -c <"$tmp/out")"
	[ "$rss" -le "$LIMIT_KIB" ] || { echo "FAIL: $mode above $LIMIT_KIB KiB"; fail=1; }
done
exit $fail
