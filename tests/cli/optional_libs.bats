#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# libcrypto and libz are opened where they are used (lib/dl.h), so
# tsmctl starts without them, and a machine without them gets a message
# naming the library and its package. Absence is made with a private
# mount namespace that puts /dev/null over the library file.

load helpers
load x509_helpers

setup() {
	if [ "$(id -u)" != 0 ] && ! unshare -Urm true 2>/dev/null; then
		skip "needs root or unprivileged user namespaces"
	fi
	D="$BATS_TEST_TMPDIR"
}

# without LIB CMD...: CMD with LIB (a soname) unreadable
without() {
	local lib
	lib=$(readlink -f "$(ldconfig -p | awk -v l="$1" '$1 == l { print $NF; exit }')")
	[ -f "$lib" ] || fail "cannot find $1"
	shift
	run --separate-stderr unshare -m sh -c 'mount --bind /dev/null "$0" && exec "$@"' \
		"$lib" "$@"
}

@test "neither libcrypto nor libz is linked: tsmctl starts without them" {
	run readelf -d "$TSMCTL"
	refute_output --regexp 'NEEDED.*(libcrypto|libz)\.'
	without libz.so.1 "$TSMCTL" --version
	assert_success
	without libcrypto.so.3 "$TSMCTL" -j bind --vdevice 3 --dry-run
	assert_success
}

@test "without libz: --bundle fails naming libz.so.1 and zlib; with -j the dump is printed" {
	without libz.so.1 "$TSMCTL" dump --evidence none --sysfs "$D" --bundle "$D/b.tgz"
	assert_failure 1
	assert_regex "$stderr" "--bundle: writing a .tar.gz bundle needs libz.so.1: .*\(install zlib"
	without libz.so.1 "$TSMCTL" -j dump --evidence none --sysfs "$D" --bundle "$D/b.tgz"
	assert_failure 1
	validate_json
	assert_equal "$(printf '%s' "$output" | jq -r '[.ok, .result.tool_version != null, (.error.hint | test("zlib"))] | @csv')" \
		false,true,true
}

@test "without libcrypto: certificates not decoded (said why), --trust-anchor exit 5" {
	gen_spdm_chain "$D"
	without libcrypto.so.3 "$TSMCTL" -j dump --decode "cert0=$D/chain.bin"
	assert_success
	assert_equal "$(printf '%s' "$output" | jq -r '.result.evidence.objects[0].decoded | [.valid, (.error | test("decoding certificates needs libcrypto.so.3"))] | @csv')" \
		false,true
	without libcrypto.so.3 "$TSMCTL" dump --decode "cert0=$D/chain.bin" --trust-anchor "$D/root.pem"
	assert_failure 5
	assert_regex "$stderr" "verifying certificate chains needs libcrypto.so.3: .*\(install OpenSSL 3"
}
