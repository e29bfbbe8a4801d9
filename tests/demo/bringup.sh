#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job (README, first command). Without kernel support for the
# vdevice TSM ioctls it shows, for every ABI profile, exactly what bind and
# unbind would send: the decoded struct and its bytes, as text and as JSON.
set -eu
TSMCTL=${TSMCTL:-./tsmctl}
VDEV=${VDEV:-3}

echo "== tsmctl $($TSMCTL --version | head -1)"
for abi in v5 v5-op v6 v7; do
	for op in bind unbind; do
		echo
		echo "== $op vdevice $VDEV under ABI profile $abi (dry run)"
		rc=0
		$TSMCTL -A "$abi" "$op" --vdevice "$VDEV" --dry-run || rc=$?
		echo "-- JSON:"
		$TSMCTL -A "$abi" "$op" --vdevice "$VDEV" --dry-run -j || true
		echo "-- exit status $rc"
	done
done
