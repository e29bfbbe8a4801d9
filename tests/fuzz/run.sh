#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make fuzz: run each named libFuzzer target for FUZZ_S seconds with
# FUZZ_JOBS processes (libFuzzer's fork mode when more than one), from the
# seed corpus in tests/fuzz/corpus/NAME plus what earlier runs found
# (FUZZ_DIR/work/NAME/corpus), and write a summary: executions, coverage
# (edges "cov", features "ft"), corpus size and findings per target, to
# FUZZ_DIR/summary.md (FUZZ_SUMMARY to change it). A finding is a file
# libFuzzer wrote (crash-*, leak-*, timeout-*, oom-*) under
# FUZZ_DIR/work/NAME/artifacts: minimise it, fix the bug, and commit the
# input to tests/fuzz/crashes/NAME/ so `make check` replays it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=${FUZZ_DIR:-build-fuzz}
secs=${FUZZ_S:-60}
jobs=${FUZZ_JOBS:-1}
summary=${FUZZ_SUMMARY:-$dir/summary.md}
total=0
mkdir -p "$dir"
{
	echo "# tsmctl fuzz run: $(date -u +%Y-%m-%dT%H:%MZ), FUZZ_S=$secs FUZZ_JOBS=$jobs"
	echo
	echo "| target | seconds | executions | exec/s | cov | ft | corpus | findings |"
	echo "|---|---|---|---|---|---|---|---|"
} >"$summary.tmp"
for t in "$@"; do
	w="$dir/work/$t"
	mkdir -p "$w/corpus" "$w/artifacts"
	mode=""
	[ "$jobs" -gt 1 ] && mode="-fork=$jobs -ignore_crashes=1"
	echo "fuzz_$t: ${secs}s, $jobs job(s)" >&2
	touch "$w/.start"	# findings of this run: files newer than it
	start=$(date +%s)
	# shellcheck disable=SC2086 # $mode is a word list
	"$dir/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-max_len=65536 -rss_limit_mb=1024 -timeout=10 $mode \
		-artifact_prefix="$w/artifacts/" "$w/corpus" \
		"$here/corpus/$t" >"$w/log" 2>&1
	end=$(date +%s)
	# the last status line: "#N ... cov: C ft: F corp: K/..."
	last=$(grep -E '^#[0-9]+' "$w/log" | grep 'cov:' | tail -1)
	execs=$(printf '%s\n' "$last" | sed -E 's/^#([0-9]+).*/\1/')
	stat=$(grep -E '^stat::number_of_executed_units' "$w/log" |
		awk '{s += $2} END {print s + 0}')
	[ "${stat:-0}" -gt "${execs:-0}" ] 2>/dev/null && execs=$stat
	cov=$(printf '%s\n' "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
	corp=$(ls "$w/corpus" | wc -l)
	found=$(find "$w/artifacts" -type f -newer "$w/.start" |
		grep -cE '/(crash|leak|timeout|oom|slow-unit)-')
	total=$((total + found))
	el=$((end - start))
	[ "$el" -gt 0 ] || el=1
	echo "| $t | $el | ${execs:-0} | $(( ${execs:-0} / el )) | ${cov:-?} | ${ft:-?} | $corp | $found |" >>"$summary.tmp"
done
{
	echo
	echo "Findings: $total (inputs under $dir/work/NAME/artifacts; logs in $dir/work/NAME/log)."
} >>"$summary.tmp"
mv "$summary.tmp" "$summary"
cat "$summary"
[ "$total" = 0 ]
