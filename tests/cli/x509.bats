#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Certificates decoded by tsmctl (dump --decode, lib/x509.c through
# libcrypto) against what `openssl x509` prints for the same files:
# certificates generated here with the openssl CLI for each key type
# OpenSSL makes, negative, zero and 20-byte serials, RFC 4514 escapes,
# multi-valued RDNs, rare and unknown attribute types, UTF-8 and
# BMPString names, validity past 2049, and the extensions (the DMTF SPDM
# OIDs among them). Then malformed chains, and verification of a
# generated SPDM chain against trust anchors.

load helpers
load x509_helpers

setup_file() {
	E="$BATS_FILE_TMPDIR/e"
	S="$BATS_FILE_TMPDIR/s"
	mkdir -p "$E" "$S"
	gen_edge_certs "$E"
	gen_spdm_chain "$S"
	# one decode per certificate: the first certificate of the chain
	while read -r n; do
		"$TSMCTL" -j dump --decode "certs=$E/$n.pem" >"$E/$n.json"
	done <"$E/list"
}

setup() {
	E="$BATS_FILE_TMPDIR/e"
	S="$BATS_FILE_TMPDIR/s"
}

# ours NAME FILTER: jq -r FILTER on NAME's decoded certificate
ours() {
	jq -r ".result.evidence.objects[0].decoded.certificates[0] | $2" "$E/$1.json"
}

# theirs NAME OPENSSL-X509-ARGS...: openssl x509 -noout ARGS on NAME.pem
theirs() {
	local n=$1
	shift
	openssl x509 -in "$E/$n.pem" -noout "$@"
}

# each FUNCTION: FUNCTION NAME for every certificate; all must pass
each() {
	local n bad=()
	while read -r n; do
		"$1" "$n" || bad+=("$n")
	done <"$E/list"
	[ ${#bad[@]} -eq 0 ] || fail "differs from openssl x509 for: ${bad[*]}"
}

check_generated() {
	[ "$(jq -r '.result.evidence.objects[0].decoded.valid' "$E/$1.json")" = true ]
}

@test "x509: every generated certificate decodes, and the document is schema-valid" {
	[ "$(wc -l <"$E/list")" -ge 29 ]
	each check_generated
	while read -r n; do
		output=$(cat "$E/$n.json")
		validate_json || return 1
	done <"$E/list"
}

check_names() {
	local nameopt=(-nameopt RFC2253,-esc_msb)
	[ "subject=$(ours "$1" .subject)" = "$(theirs "$1" -subject "${nameopt[@]}")" ] &&
		[ "issuer=$(ours "$1" .issuer)" = "$(theirs "$1" -issuer "${nameopt[@]}")" ]
}

@test "x509: subject and issuer exactly as openssl x509 -nameopt RFC2253,-esc_msb" {
	each check_names
	# the cases are what they claim to be
	assert_equal "$(ours esc .subject)" 'OU=a\+b=c\<d\>\"q\"\\e,O=\#hash\, x\;y,CN=\ lead and trail\ '
	assert_equal "$(ours multi .subject)" 'L=x,ST=CA+C=US,OU=b+O=c+CN=a'
	ours rare .subject | grep -q '^pseudonym=pseud,.*,organizationIdentifier=VATDE-123$'
	# an attribute type OpenSSL has no name for: #hex of its DER value
	assert_equal "$(ours unknown .subject)" '1.3.6.1.4.1.99999.1=#0C0D756E6B6E6F776E2076616C7565,CN=u'
	assert_equal "$(ours bmp .subject)" $'CN=bmp \xc3\xa9\xe2\x82\xac'
}

check_serial() {
	local s
	s=$(theirs "$1" -serial | tr A-F a-f)
	[ "serial=$(ours "$1" .serial_hex)" = "$s" ]
}

@test "x509: serial as openssl x509 -serial: sign, zero, 20 bytes" {
	each check_serial
	assert_equal "$(ours serial_neg .serial_hex)" -1234
	assert_equal "$(ours serial_20 .serial_hex)" 7f0102030405060708090a0b0c0d0e0f10111213
	assert_equal "$(ours serial_20b .serial_hex)" 800102030405060708090a0b0c0d0e0f10111213
	assert_equal "$(ours serial_0 .serial_hex)" 00
}

check_dates() {
	local d
	d=$(theirs "$1" -dates -dateopt iso_8601 | tr ' ' T)
	[ "$d" = "$(ours "$1" '"notBefore=\(.not_before)\nnotAfter=\(.not_after)"')" ]
}

@test "x509: validity as openssl x509 -dates, past 2049 too" {
	each check_dates
	[ "$(ours y2100 .not_after | cut -c1-4)" -ge 2100 ]
}

# the first "NAME: value" of openssl x509 -text, or "-"
text_field() {
	theirs "$1" -text | sed -n "s/^ *$2: *//p" | head -n1 | sed 's/ *$//' | grep . || echo -
}

check_algs() {
	local bits
	bits=$(theirs "$1" -text | sed -n 's/.*Public-Key: (\([0-9]*\) bit)/\1/p' | head -n1)
	[ "$(ours "$1" .key_algorithm)" = "$(text_field "$1" 'Public Key Algorithm')" ] &&
		[ "$(ours "$1" .signature_algorithm)" = "$(text_field "$1" 'Signature Algorithm')" ] &&
		[ "$(ours "$1" '.key_curve // "-"')" = "$(text_field "$1" 'ASN1 OID')" ] &&
		[ "$(ours "$1" '.key_curve_nist // "-"')" = "$(text_field "$1" 'NIST CURVE')" ] &&
		{ [ -z "$bits" ] || [ "$(ours "$1" .key_bits)" = "$bits" ]; } &&
		[ "$(ours "$1" .version)" = "$(text_field "$1" Version | cut -d' ' -f1)" ]
}

@test "x509: key and signature algorithms, curves, sizes, version as openssl x509 -text" {
	each check_algs
	assert_equal "$(ours ec_brainpoolP384r1 .key_curve)" brainpoolP384r1
	assert_equal "$(ours ec_P-521 .key_curve_nist)" P-521
	assert_equal "$(ours rsapss_key .key_algorithm)" rsassaPss
	assert_equal "$(ours X448 .key_algorithm)" X448
	assert_equal "$(ours SM2 .key_curve)" SM2
	assert_equal "$(ours dhx .key_algorithm)" 'X9.42 DH'
}

# EXT as openssl x509 -text prints its value, from our JSON
ext_text() {
	ours ext ".extensions[] | select(.name == \"$1\") | $2"
}

@test "x509: extensions as openssl x509 -text prints them" {
	local t
	t=$(theirs ext -text)
	# "NAME: critical" then the value on the next line
	val() { printf '%s\n' "$t" | grep -A1 "$1" | tail -n1 | sed 's/^ *//'; }
	assert_equal "$(ext_text basicConstraints '"CA:\(.value.ca | tostring | ascii_upcase), pathlen:\(.value.path_len)"')" \
		"$(val 'Basic Constraints: critical')"
	local ku='{"digitalSignature":"Digital Signature","keyCertSign":"Certificate Sign","cRLSign":"CRL Sign","decipherOnly":"Decipher Only"}'
	assert_equal "$(ext_text keyUsage "[.value[] | $ku[.]] | join(\", \")")" \
		"$(val 'Key Usage: critical')"
	assert_equal "$(ext_text subjectKeyIdentifier '.value | ascii_upcase | [scan("..")] | join(":")')" \
		"$(val 'Subject Key Identifier')"
	assert_equal "$(ext_text authorityKeyIdentifier '.value.key_id | ascii_upcase | [scan("..")] | join(":")')" \
		"$(val 'Authority Key Identifier')"
	assert_equal "$(ext_text extendedKeyUsage '[.value[].oid] | join(",")')" \
		1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2,1.3.6.1.4.1.412.274.3,1.3.6.1.4.1.412.274.4
	# SAN: the same names in the same order
	local san
	san=$(val 'Subject Alternative Name')
	for v in DNS:dev.example 'IP Address:192.0.2.1' email:a@b.example \
		URI:https://x.example/ 'Registered ID:1.2.3.4' ACME:WIDGET:0123456789; do
		[[ "$san" == *"$v"* ]] || fail "openssl SAN lacks $v: $san"
	done
	assert_equal "$(ext_text subjectAltName '[.value[] | "\(.type)=\(.value)"] | join(" ")')" \
		'DNS=dev.example IP=192.0.2.1 IP=2001:db8::1 email=a@b.example URI=https://x.example/ RID=1.2.3.4 dirName=O=d,CN=in dir otherName=ACME:WIDGET:0123456789'
	assert_equal "$(ext_text basicConstraints .critical)" true
}

@test "x509: the DMTF SPDM OIDs by name, with their values" {
	assert_equal "$(ext_text subjectAltName '.value[] | select(.type == "otherName") | "\(.name) \(.oid) \(.value)"')" \
		'id-DMTF-device-info 1.3.6.1.4.1.412.274.1 ACME:WIDGET:0123456789'
	assert_equal "$(ext_text extendedKeyUsage '[.value[].name] | join(",")')" \
		serverAuth,clientAuth,id-DMTF-eku-responder-auth,id-DMTF-eku-requester-auth
	assert_equal "$(ext_text id-DMTF-hardware-identity '"\(.oid) \(.critical) \(.value)"')" \
		'1.3.6.1.4.1.412.274.2 false null'
	assert_equal "$(ext_text id-DMTF-mutable-certificate '"\(.oid) \(.critical)"')" \
		'1.3.6.1.4.1.412.274.5 true'
	assert_equal "$(ext_text id-DMTF-SPDM-extension '.value[0][0] | "\(.name) \(.oid)"')" \
		'id-DMTF-hardware-identity 1.3.6.1.4.1.412.274.2'
	# an extension nobody names: its ASN.1 value
	assert_equal "$(ext_text 1.2.3.4.5 .value)" opaque
}

dec() {
	run "$TSMCTL" -j dump --decode "$@"
	assert_success
	validate_json
}

chain() {
	printf '%s\n' "$output" | jq -r ".result.evidence.objects[0].decoded | $1"
}

@test "x509: an SPDM chain, DER, concatenated DER and PEM decode the same certificates" {
	dec "cert3=$S/chain.bin"
	assert_equal "$(chain '[.spdm_header, .spdm_length, .count, (.root_hash_hex | length)] | @csv')" \
		"true,$(wc -c <"$S/chain.bin"),3,96"
	assert_equal "$(chain '[.certificates[].subject] | join("|")')" \
		'CN=SPDM Root,O=tsmctl test|CN=SPDM Intermediate,O=tsmctl test|CN=SPDM Device,O=tsmctl test'
	assert_equal "$(printf '%s\n' "$output" | jq -r '.result.evidence.objects[0] | "\(.type_name) \(.file)"')" \
		"cert3 $S/chain.bin"
	local spdm=$output
	cat "$S/root.der" "$S/inter.der" "$S/leaf.der" >"$BATS_TEST_TMPDIR/plain.der"
	cat "$S/root.pem" "$S/inter.pem" "$S/leaf.pem" >"$BATS_TEST_TMPDIR/all.pem"
	for f in plain.der all.pem; do
		dec "certs=$BATS_TEST_TMPDIR/$f"
		assert_equal "$(chain '[.spdm_header, .count] | @csv')" false,3
		assert_equal "$(chain '[.certificates[] | del(.offset)]')" \
			"$(output=$spdm chain '[.certificates[] | del(.offset)]')"
	done
}

@test "x509: malformed chains: valid false, the certificate and offset named, what parsed before kept" {
	head -c $(($(wc -c <"$S/chain.bin") - 20)) "$S/chain.bin" >"$BATS_TEST_TMPDIR/cut.bin"
	dec "cert0=$BATS_TEST_TMPDIR/cut.bin"
	assert_equal "$(chain .valid)" false
	chain .error | grep -Eq '^SPDM chain with a 48-byte root hash: certificate 2 at offset [0-9]+: '
	assert_equal "$(chain '[.valid, .count] | @csv')" false,2
	printf 'not a certificate at all' >"$BATS_TEST_TMPDIR/junk.bin"
	dec "cert0=$BATS_TEST_TMPDIR/junk.bin"
	chain .error | grep -q 'neither DER certificates nor an SPDM certificate chain'
	assert_equal "$(chain .verification)" 'not verified: the chain is malformed'
	# BER's indefinite length is not DER
	{ printf '\x30\x80'; tail -c +5 "$S/root.der"; printf '\0\0'; } >"$BATS_TEST_TMPDIR/ber.der"
	dec "cert0=$BATS_TEST_TMPDIR/ber.der"
	chain .error | grep -q 'indefinite length'
	# bytes after a valid certificate
	{ cat "$S/root.der"; printf '\x30\x03\x02\x01\x00'; } >"$BATS_TEST_TMPDIR/tail.der"
	dec "cert0=$BATS_TEST_TMPDIR/tail.der"
	assert_equal "$(chain '[.valid, .count] | @csv')" false,1
	chain .error | grep -q "certificate 1 at offset $(wc -c <"$S/root.der")"
}

@test "x509: --decode usage errors: TYPE, FILE, PEM without certificates, options that read the machine" {
	run "$TSMCTL" dump --decode certz=/dev/null
	assert_failure 2
	assert_output --partial "expected TYPE=FILE"
	run "$TSMCTL" dump --decode certs="$BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_output --partial "cannot open"
	printf -- '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' >"$BATS_TEST_TMPDIR/k.pem"
	run "$TSMCTL" -j dump --decode certs="$BATS_TEST_TMPDIR/k.pem"
	assert_failure 2
	validate_json
	printf '%s\n' "$output" | jq -r .error.message | grep -q 'no PEM CERTIFICATE block'
	for o in --bdf=0000:01:00.0 --vdevice=3 --evidence=vca --digest --sysfs=/ --bundle=x.tgz; do
		run "$TSMCTL" dump --decode "certs=$S/root.pem" "$o"
		assert_failure 2
		assert_output --partial "${o%%=*} does not apply to --decode"
	done
}

verify() {
	dec "cert0=$1" "${@:2}"
	chain '[.verified, .verification, (.root_hash_matches | tostring), ([.certificates[] | .verify_error // "-"] | join("|"))] | join(" / ")'
}

@test "x509: a valid SPDM chain verifies; a corrupted signature, a wrong anchor, a wrong root hash do not" {
	run verify "$S/chain.bin" --trust-anchor "$S/root.pem"
	assert_output 'true / verified against 1 trust anchor(s), root hash checked / true / -|-|-'
	run verify "$S/bad.bin" --trust-anchor "$S/root.pem"
	assert_output 'false / failed: certificate 2: certificate signature failure / true / -|-|certificate signature failure'
	run verify "$S/chain.bin" --trust-anchor "$S/other.pem"
	assert_output 'false / failed: certificate 0: self-signed certificate in certificate chain / true / self-signed certificate in certificate chain|-|-'
	run verify "$S/badhash.bin" --trust-anchor "$S/root.pem"
	assert_output "false / failed: the SPDM header's root hash is not the hash of the root certificate / false / -|-|-"
	# the anchor given twice, with an unrelated one, in one file
	cat "$S/other.pem" "$S/root.pem" >"$BATS_TEST_TMPDIR/both.pem"
	run verify "$S/chain.bin" --trust-anchor "$BATS_TEST_TMPDIR/both.pem" --trust-anchor "$S/root.der"
	assert_output 'true / verified against 3 trust anchor(s), root hash checked / true / -|-|-'
	run verify "$S/chain.bin"
	assert_output 'false / not verified: no trust anchor given / true / -|-|-'
}

@test "x509: --trust-anchor that is not a certificate file: exit 2 naming it" {
	run "$TSMCTL" dump --decode "cert0=$S/chain.bin" --trust-anchor "$S/root.key"
	assert_failure 2
	assert_output --partial "--trust-anchor '$S/root.key'"
	run "$TSMCTL" dump --decode "cert0=$S/chain.bin" --trust-anchor "$BATS_TEST_TMPDIR/none.pem"
	assert_failure 2
	assert_output --partial "cannot open"
}
