#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# dump --bundle under tsm-emu (cli-contract.md §4.4): the files of the
# tar.gz, each valid against its schema, and nonce redaction: the SPDM
# measurement nonce is zeroed in the decoded evidence, inside the raw
# object hex and in the trace's received evidence messages, unless
# --no-redact. The trace file itself is never rewritten.

load helpers
load emu_helpers

setup() {
	emu_setup
	SCN="$BATS_TEST_DIRNAME/scenarios/emu_dump.json"
	B="$BATS_TEST_TMPDIR/b"
	mkdir -p "$B"
	# the measurement fixture's nonce: 32 bytes of 0xcc
	NONCE=$(printf 'cc%.0s' $(seq 32))
}

# bundle [dump options...]: dump of 0000:01:00.0's measurements with a
# trace, bundled into $B/b.tgz and unpacked into $B/tsmctl-bundle
bundle() {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 --trace "$B/t.jsonl" -j \
		dump --bdf 0000:01:00.0 --evidence measurements --bundle "$B/b.tgz" "$@"
	assert_success
	tar -C "$B" -xzf "$B/b.tgz"
}

@test "bundle: dump.json, version.json, trace.jsonl, kmsg.txt, README.txt, each valid" {
	bundle
	local doc=$output
	run tar -tzf "$B/b.tgz"
	assert_output $'tsmctl-bundle/dump.json\ntsmctl-bundle/version.json\ntsmctl-bundle/trace.jsonl\ntsmctl-bundle/kmsg.txt\ntsmctl-bundle/README.txt'
	"$PYTHON3" "$VALIDATE_JSON" "$B/tsmctl-bundle/dump.json" 2>/dev/null
	"$PYTHON3" "$VALIDATE_JSON" --trace "$B/tsmctl-bundle/trace.jsonl" 2>/dev/null
	assert_equal "$(jq -r .command "$B/tsmctl-bundle/dump.json")" dump
	assert_equal "$(jq -r .result.version "$B/tsmctl-bundle/version.json")" \
		"$("$TSMCTL" -j --version | jq -r .result.version)"
	assert_equal "$(jq -r .result.selected_abi "$B/tsmctl-bundle/version.json")" v6
	# the trace in the bundle holds this dump's own records, line for line
	assert_equal "$(wc -l <"$B/tsmctl-bundle/trace.jsonl")" "$(wc -l <"$B/t.jsonl")"
	assert_equal "$(jq -s '[.[] | select(.call == "netlink")] | length' "$B/tsmctl-bundle/trace.jsonl")" \
		"$(jq -s '[.[] | select(.call == "netlink")] | length' "$B/t.jsonl")"
	grep -q 'no-redact' "$B/tsmctl-bundle/README.txt"
	# the document on stdout is the bundled one, apart from the nonce
	assert_equal "$(printf '%s' "$doc" | jq -S 'del(.result.bundle) | del(.. | .nonce_hex?, .hex?)')" \
		"$(jq -S 'del(.. | .nonce_hex?, .hex?)' "$B/tsmctl-bundle/dump.json")"
}

@test "bundle: nonces zeroed in decoded evidence, raw hex and trace messages" {
	bundle
	# stdout and the trace file keep the nonce: only the bundle is redacted
	assert_equal "$(printf '%s' "$output" | jq -r '.result.sysfs.pci_devices[0].evidence.objects[0].decoded.nonce_hex')" "$NONCE"
	grep -q "$NONCE" "$B/t.jsonl"
	local d="$B/tsmctl-bundle/dump.json" obj off
	obj='.result.sysfs.pci_devices[0].evidence.objects[0]'
	assert_equal "$(jq -r "$obj.type_name" "$d")" measurements
	assert_equal "$(jq -r "$obj.decoded.nonce_hex" "$d")" "$(printf '0%.0s' $(seq 64))"
	off=$(jq -r "$obj.decoded.nonce_offset" "$d")
	assert_equal "$(jq -r "$obj.hex[$((2 * off)):$((2 * off + 64))]" "$d")" "$(printf '0%.0s' $(seq 64))"
	# the bytes around the nonce are untouched
	assert_equal "$(jq -r "$obj.hex[0:$((2 * off))]" "$d")" \
		"$(printf '%s' "$output" | jq -r "$obj.hex[0:$((2 * off))]")"
	run grep -l "$NONCE" "$B/tsmctl-bundle/dump.json" "$B/tsmctl-bundle/trace.jsonl"
	assert_failure 1
	refute_output
	# received evidence messages are zeroed and marked; family resolution,
	# acknowledgements and what tsmctl sent stay as recorded
	local t="$B/tsmctl-bundle/trace.jsonl"
	assert_equal "$(jq -s '[.[] | select(.netlink.redacted)] | length > 0' "$t")" true
	assert_equal "$(jq -r 'select(.netlink.redacted) | .netlink.hex[40:] | test("^0+$")' "$t" | sort -u)" true
	# headers kept: each redacted message is still one of its length and kind
	assert_equal "$(jq -c 'select(.netlink.redacted) | [.seq, .netlink.hex[0:40]]' "$t")" \
		"$(jq -c 'select(.netlink.dir == "recv" and .netlink.genl_cmd != null and .netlink.nlmsg_type != 16) | [.seq, .netlink.hex[0:40]]' "$B/t.jsonl")"
	assert_equal "$(jq -r 'select(.netlink.redacted) | "\(.netlink.dir) \(.netlink.nlmsg_type != 16)"' "$t" | sort -u)" "recv true"
	assert_equal "$(jq -s '[.[] | select(.call == "netlink" and (.netlink.redacted | not))]' "$t")" \
		"$(jq -s '[.[] | select(.call == "netlink" and (.netlink.dir == "send" or .netlink.nlmsg_type == 16 or .netlink.genl_cmd == null))]' "$B/t.jsonl")"
}

@test "bundle --no-redact keeps the nonces everywhere" {
	bundle --no-redact
	grep -q "$NONCE" "$B/tsmctl-bundle/dump.json"
	grep -q "$NONCE" "$B/tsmctl-bundle/trace.jsonl"
	assert_equal "$(jq -s '[.[] | select(.netlink.redacted)] | length' "$B/tsmctl-bundle/trace.jsonl")" 0
	cmp <(jq -c . "$B/t.jsonl") <(jq -c . "$B/tsmctl-bundle/trace.jsonl")
}

@test "bundle without --trace has no trace.jsonl" {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 dump --evidence none --bundle "$B/b.tgz"
	assert_success
	run tar -tzf "$B/b.tgz"
	refute_output --partial trace.jsonl
	assert_output --partial tsmctl-bundle/dump.json
}

@test "bundle that cannot be written: exit 1, the message names --bundle" {
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 -j dump --evidence none \
		--bundle "$BATS_TEST_TMPDIR/no/such/dir/b.tgz"
	assert_failure 1
	assert_equal "$(printf '%s' "$output" | jq -r .error.field)" --bundle
	assert_regex "$(printf '%s' "$output" | jq -r .error.message)" "no/such/dir/b.tgz"
	assert_equal "$stderr" ""
	emu_run v6 --scenario "$SCN" -- "$TSMCTL" --fd 7 dump --evidence none \
		--bundle "$BATS_TEST_TMPDIR/no/such/dir/b.tgz"
	assert_failure 1
	assert_regex "$stderr" "tsmctl: dump: .*--bundle"
}
