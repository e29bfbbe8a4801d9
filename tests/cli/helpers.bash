# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the tsmctl CLI tests (bats 1.8 + bats-support/assert).
#
#   TSMCTL        binary under test (default: the one in the source tree)
#   TSMCTL_WRAP   optional wrapper command placed before it, word-split
#                 (e.g. "valgrind -q --error-exitcode=99")
#   PYTHON3       interpreter with python3-jsonschema (default /usr/bin/python3)
#
# tsmctl ARGS...          run the binary (use with bats' run)
# run_tsmctl ARGS...      run it, stdout and stderr apart
# run_json ARGS...        run it, stdout and stderr apart; assert stderr is
#                         empty and stdout valid against tests/schema
# no_ioctl_sent ARGS...   run it under strace; assert no iommufd ioctl, no
#                         open of /dev/iommu, no netlink socket and no
#                         write-open under /sys. Leaves $status, $output
#                         (stdout) and $stderr; in JSON mode also validates.
# assert_stderr_has S...  every S occurs in $stderr
# json_get FILTER         jq -r FILTER on $output

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${TSMCTL:=$BATS_TEST_DIRNAME/../../tsmctl}"
: "${PYTHON3:=/usr/bin/python3}"
VALIDATE_JSON="$BATS_TEST_DIRNAME/../tools/validate-json.py"
export TSMCTL PYTHON3 VALIDATE_JSON

# Never inherit the user's profile, trace file or pager.
unset TSMCTL_ABI TSMCTL_TRACE
export MANPAGER=cat PAGER=cat
# --abi auto (the default) reads the kernel's BTF: pin it to a fixture
# whose TSM types match v6 only, so auto resolves to v6 (abi_source
# "btf") on every machine. Tests of auto itself set their own.
BTF_FIXTURES="$BATS_TEST_DIRNAME/../unit/fixtures/btf"
export TSMCTL_BTF="$BTF_FIXTURES/v6.btf"

tsmctl() {
	# shellcheck disable=SC2086 # TSMCTL_WRAP is a word list on purpose
	${TSMCTL_WRAP-} "$TSMCTL" "$@"
}

# True when the arguments select JSON output.
_json_mode() {
	local a
	for a; do
		case "$a" in
		-j | -p | --json | --pretty | --json=*) return 0 ;;
		--) return 1 ;;
		--*) ;;
		-*[jp]*)
			# a cluster of short flags such as -jn (not an option
			# argument: -A, -d take one and have no 'j' values here)
			[[ "$a" =~ ^-[jpnvV]+$ ]] && return 0 ;;
		esac
	done
	return 1
}

# One validator process per test file (validate-json.py --serve) loads
# `tsmctl --schema` once; each check is a request on its FIFO.
# vj_check FILE [NAME] [doc|trace]: 0 when valid, the messages in FILE.err
vj_check() {
	local d=$BATS_FILE_TMPDIR/vj w r st=
	if [ ! -p "$d/req" ]; then
		mkdir -p "$d" && mkfifo "$d/req" "$d/resp" || return 2
		"$PYTHON3" -W ignore "$VALIDATE_JSON" --serve "$d" </dev/null \
			>/dev/null 2>"$d/log" 3>&- &
	fi
	# read-write opens never block, even when the validator is gone
	exec {w}<>"$d/req" {r}<>"$d/resp"
	printf '%s\t%s\t%s\n' "$1" "${2-}" "${3:-doc}" >&"$w"
	read -t 120 -r -u "$r" st || echo "validator: no answer: $(cat "$d/log")" >"$1.err"
	exec {w}>&- {r}>&-
	return "${st:-2}"
}

# validate_json [SCHEMA]: validate $output (stdout of the last run)
# against `tsmctl --schema` (or its $defs/SCHEMA).
validate_json() {
	local f
	f=$(mktemp "$BATS_TEST_TMPDIR/vj.XXXXXX")
	printf '%s\n' "$output" >"$f"
	if ! vj_check "$f" "${1-}"; then
		fail "$(printf 'stdout is not valid against tsmctl --schema:\n%s\n-- stdout --\n%s' \
			"$(cat "$f.err")" "$output")"
		return 1
	fi
}

# validate_file FILE [SCHEMA] / validate_trace FILE: the same for a file
# (messages on stderr)
validate_file() {
	vj_check "$1" "${2-}" || { cat "$1.err" >&2; return 1; }
}
validate_trace() {
	vj_check "$1" "" trace || { cat "$1.err" >&2; return 1; }
}

assert_stderr_empty() {
	if [ -n "$stderr" ]; then
		fail "$(printf 'stderr is not empty in JSON mode:\n%s' "$stderr")"
		return 1
	fi
}

assert_stderr_has() {
	local s
	for s; do
		if [[ "$stderr" != *"$s"* ]]; then
			fail "$(printf "stderr lacks '%s':\n%s" "$s" "$stderr")"
			return 1
		fi
	done
}

refute_stderr_has() {
	local s
	for s; do
		if [[ "$stderr" == *"$s"* ]]; then
			fail "$(printf "stderr contains '%s':\n%s" "$s" "$stderr")"
			return 1
		fi
	done
}

json_get() {
	printf '%s\n' "$output" | jq -r "$1"
}

# Under TSMCTL_WRAP=valgrind, drop valgrind's notice about the (unknown to
# it) iommufd ioctl numbers; real valgrind errors still fail the test
# through --error-exitcode.
_filter_wrap_stderr() {
	[ -n "${TSMCTL_WRAP-}" ] || return 0
	stderr=$(printf '%s\n' "$stderr" | grep -vE \
		'^==[0-9]+== (Warning: noted but unhandled ioctl|   This could cause spurious|   See README_MISSING_SYSCALL)' ||
		true)
}

# In a test of --pid: valgrind (3.19) does not know pidfd_open and fails
# it with ENOSYS, so the outcome under TSMCTL_WRAP=valgrind is not tsmctl's.
skip_pid_under_valgrind() {
	case "${TSMCTL_WRAP-}" in
	*valgrind*) skip "valgrind does not emulate pidfd_open (ENOSYS)" ;;
	esac
}

# run_tsmctl ARGS...: run it with stdout and stderr apart ($output, $stderr)
run_tsmctl() {
	run --separate-stderr tsmctl "$@"
	_filter_wrap_stderr
}

run_json() {
	LAST_JSON=1
	run --separate-stderr tsmctl "$@"
	_filter_wrap_stderr
	assert_stderr_empty || return 1
	validate_json
}

# no_ioctl_sent ARGS...: see the header. Fails when anything reached the
# kernel side of iommufd, TSM netlink or sysfs.
no_ioctl_sent() {
	local st="$BATS_TEST_TMPDIR/st" bad
	command -v strace >/dev/null || {
		fail "strace is not installed (apt-get install strace)"
		return 1
	}
	rm -f "$st"
	# LeakSanitizer cannot stop the world under strace (both use ptrace):
	# leak checks run in every other test of the ASan suite instead.
	# shellcheck disable=SC2086
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	run --separate-stderr strace -f -qq \
		-e trace=ioctl,openat,open,socket,sendmsg,sendto \
		-o "$st" ${TSMCTL_WRAP-} "$TSMCTL" "$@"
	_filter_wrap_stderr
	if [ ! -s "$st" ]; then
		fail "strace wrote no trace to $st (status $status): $stderr"
		return 1
	fi
	# iommufd ioctls have type ';' (0x3b): strace prints them undecoded
	# as _IOC(_IOC_NONE, 0x3b, 0x96, 0) or as 0x3b96, or by IOMMU_ name.
	bad=$(grep -E 'ioctl\([0-9]+, (_IOC\([^,]*, 0x3b,|0x3b[0-9a-f]{2}[,)]|IOMMU_)' "$st") || true
	if [ -n "$bad" ]; then
		fail "$(printf 'an iommufd ioctl was sent:\n%s' "$bad")"
		return 1
	fi
	bad=$(grep -E 'open(at)?\(.*"/dev/iommu"' "$st") || true
	if [ -n "$bad" ]; then
		fail "$(printf '/dev/iommu was opened:\n%s' "$bad")"
		return 1
	fi
	bad=$(grep -E 'socket\((AF|PF)_NETLINK' "$st") || true
	if [ -n "$bad" ]; then
		fail "$(printf 'a netlink socket was created:\n%s' "$bad")"
		return 1
	fi
	bad=$(grep -E 'open(at)?\(.*"/sys/[^"]*", [^)]*(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)' "$st") || true
	if [ -n "$bad" ]; then
		fail "$(printf 'a sysfs file was opened for writing:\n%s' "$bad")"
		return 1
	fi
	LAST_JSON=0
	if _json_mode "$@"; then
		LAST_JSON=1
		assert_stderr_empty || return 1
		validate_json || return 1
	fi
}

# assert_usage_error: exit 2 and, in text mode, an empty stdout and a
# 'tsmctl: ' message on stderr; in JSON mode ok=false, a message, and
# error.stage "usage".
assert_usage_error() {
	assert_failure 2
	if [ "${LAST_JSON-0}" = 1 ]; then
		assert_equal "$(json_get .ok)" false
		assert_equal "$(json_get .error.stage)" usage
		assert_regex "$(json_get .error.message)" '.'
	else
		assert_equal "$output" ""
		assert_regex "$stderr" '^tsmctl: '
	fi
}
