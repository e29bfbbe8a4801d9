# SPDX-License-Identifier: GPL-2.0
# Helpers for the tsmctl tests that run under the tsm-emu emulator
# (tests/cli/emu_*.bats). Load after helpers.bash:
#
#   load helpers
#   load emu_helpers
#
#   TSM_EMU        the emulator binary (default tests/emu/tsm-emu)
#
# emu_run PROFILE [EMU OPTS...] -- CMD...
#                     run CMD under tsm-emu with the scenario
#                     scenarios/emu_PROFILE.json and the call log in $EMU_LOG
#                     (stdout in $output, stderr in $stderr, exit in $status)
# emu_tsmctl PROFILE [--faults SPEC] [--scenario FILE] ARGS...
#                     run "tsmctl -A PROFILE --fd 7 ARGS..." that way
# emu_tsmctl_nofd PROFILE [--faults SPEC] ARGS...
#                     the same without --fd 7 (a fresh open of /dev/iommu)
# emu_json ...        emu_tsmctl ... -j, then stderr empty + schema valid
# emu_stdin FILE      feed FILE to the next emu_* run's stdin
# log_ioctls          the ioctl records of the call log, one JSON per line
# log_count CALL      number of records whose "call" is CALL
# log_ioctl N FILTER  jq -r FILTER on the N-th ioctl record (1-based)
# assert_no_ioctl     the emulator ran and its log holds no ioctl record
# assert_bad_input WORD...
#                     exit 2, every WORD in stderr (text mode) or in
#                     .error.message/.error.field (JSON mode), no ioctl

# under tsm-emu detection reads the emulated /sys/kernel/btf/vmlinux
# (or the host's without a sysfs fixture): no pinned BTF
unset TSMCTL_BTF
: "${TSM_EMU:=$BATS_TEST_DIRNAME/../emu/tsm-emu}"
EMU_SCN="$BATS_TEST_DIRNAME/scenarios"
export TSM_EMU EMU_SCN

emu_setup() {
	[ -x "$TSM_EMU" ] || {
		echo "tsm-emu not built: $TSM_EMU (make -f tests/emu/emu.mk emu-all)" >&2
		return 1
	}
	EMU_LOG="$BATS_TEST_TMPDIR/emu.log"
	EMU_STDIN=/dev/null
	rm -f "$EMU_LOG"
}

emu_stdin() {
	EMU_STDIN=$1
}

# _emu_dashdash OPTS... -- ARGS...: EMU_OPTS=(OPTS), EMU_ARGS=(ARGS)
_emu_dashdash() {
	EMU_OPTS=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		EMU_OPTS+=("$1")
		shift
	done
	shift
	EMU_ARGS=("$@")
}

_emu_exec() {
	local profile=$1
	shift
	_emu_dashdash "$@"
	"$TSM_EMU" --scenario "$EMU_SCN/emu_$profile.json" --log "$EMU_LOG" \
		"${EMU_OPTS[@]}" -- "${EMU_ARGS[@]}" <"$EMU_STDIN"
}

emu_run() {
	run --separate-stderr _emu_exec "$@"
}

# _emu_split PROFILE [--faults S|--scenario F]... ARGS -> EMU_OPTS, EMU_ARGS
_emu_split() {
	EMU_OPTS=()
	while :; do
		case "${1-}" in
		--faults | --scenario)
			EMU_OPTS+=("$1" "$2")
			shift 2
			;;
		*) break ;;
		esac
	done
	EMU_ARGS=("$@")
}

emu_tsmctl() {
	local profile=$1
	shift
	_emu_split "$@"
	# shellcheck disable=SC2086 # TSMCTL_WRAP is a word list on purpose
	emu_run "$profile" "${EMU_OPTS[@]}" -- ${TSMCTL_WRAP-} "$TSMCTL" \
		-A "$profile" --fd 7 "${EMU_ARGS[@]}"
	LAST_JSON=0
}

emu_tsmctl_nofd() {
	local profile=$1
	shift
	_emu_split "$@"
	# shellcheck disable=SC2086
	emu_run "$profile" "${EMU_OPTS[@]}" -- ${TSMCTL_WRAP-} "$TSMCTL" \
		-A "$profile" "${EMU_ARGS[@]}"
	LAST_JSON=0
}

emu_json() {
	local profile=$1
	shift
	_emu_split "$@"
	# shellcheck disable=SC2086
	emu_run "$profile" "${EMU_OPTS[@]}" -- ${TSMCTL_WRAP-} "$TSMCTL" \
		-A "$profile" --fd 7 -j "${EMU_ARGS[@]}"
	LAST_JSON=1
	assert_stderr_empty || return 1
	validate_json
}

log_ioctls() {
	[ -f "$EMU_LOG" ] || return 0
	jq -c 'select(.call == "ioctl")' "$EMU_LOG"
}

log_count() {
	if [ ! -f "$EMU_LOG" ]; then
		echo 0
		return
	fi
	jq -s --arg c "$1" '[.[] | select(.call == $c)] | length' "$EMU_LOG"
}

log_ioctl() {
	log_ioctls | sed -n "${1}p" | jq -r "$2"
}

assert_no_ioctl() {
	if [ ! -f "$EMU_LOG" ]; then
		fail "tsm-emu wrote no call log ($EMU_LOG): did it run? status $status: $stderr"
		return 1
	fi
	if grep -q '"call":"ioctl"' "$EMU_LOG"; then
		fail "$(printf 'an ioctl was sent:\n%s' "$(cat "$EMU_LOG")")"
		return 1
	fi
}

assert_bad_input() {
	local w text
	if [ "$status" -ne 2 ]; then
		fail "$(printf 'expected exit 2, got %s\n-- stdout --\n%s\n-- stderr --\n%s' \
			"$status" "$output" "$stderr")"
		return 1
	fi
	if [ "${LAST_JSON-0}" = 1 ]; then
		text=$(json_get '[.error.message, .error.field // ""] | join(" ")')
	else
		text=$stderr
		assert_regex "$stderr" '^tsmctl: ' || return 1
	fi
	for w; do
		if [[ "$text" != *"$w"* ]]; then
			fail "$(printf "message lacks '%s':\n%s" "$w" "$text")"
			return 1
		fi
	done
	assert_no_ioctl
}
