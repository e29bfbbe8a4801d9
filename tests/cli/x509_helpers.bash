# SPDX-License-Identifier: GPL-2.0
# Certificates for tests/cli/x509.bats and emu_verify.bats, generated with
# the openssl CLI (never checked in): edge cases for the decoder and an
# SPDM chain (root, intermediate, leaf) for verification.
#
#   gen_edge_certs DIR   DIR/NAME.pem for each edge case, names in DIR/list
#   gen_spdm_chain DIR   DIR/{root,inter,leaf}.{key,pem,der}, DIR/other.pem
#                        (an unrelated root), DIR/chain.bin (the SPDM
#                        chain: header, SHA-384 root hash, root, inter,
#                        leaf), DIR/bad.bin (the same, leaf signature
#                        corrupted), DIR/badhash.bin (root hash wrong)

_ossl() {
	openssl "$@" 2>/dev/null
}

# _self NAME KEYARGS... -- REQARGS...: a self-signed certificate NAME.pem
_self() {
	local name=$1
	shift
	local key=()
	while [ "$1" != -- ]; do
		key+=("$1")
		shift
	done
	shift
	_ossl req -x509 -nodes "${key[@]}" -keyout "$name.key" -days 30 \
		-out "$name.pem" "$@" || {
		echo "cannot generate $name" >&2
		return 1
	}
	echo "$name" >>list
}

# _forced NAME KEYFILE: a certificate for KEYFILE's public key, signed by
# the CA (keys that cannot sign their own request)
_forced() {
	_ossl pkey -in "$2" -pubout -out "$1.pub" &&
		_ossl x509 -req -in ca.csr -CA ca.pem -CAkey ca.key \
			-force_pubkey "$1.pub" -days 5 -set_serial 9 -out "$1.pem" || {
		echo "cannot generate $1" >&2
		return 1
	}
	echo "$1" >>list
}

gen_edge_certs() (
	cd "$1" || exit 1
	: >list
	_ossl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-384 \
		-keyout ca.key -subj /CN=ca -days 30 -out ca.pem || exit 1
	_ossl req -new -key ca.key -subj "/CN=forced key" -out ca.csr || exit 1
	# every key type OpenSSL makes
	_self rsa -newkey rsa:2048 -- -subj "/O=Example Org/CN=rsa.example" -set_serial 7 || exit 1
	_self rsapss_key -newkey rsa-pss -pkeyopt rsa_keygen_bits:2048 -- -subj /CN=pss-key || exit 1
	_self rsapss_sig -newkey rsa:2048 -- -sigopt rsa_padding_mode:pss -subj /CN=pss-sig || exit 1
	for c in P-256 P-384 P-521 secp256k1 brainpoolP256r1 brainpoolP384r1 brainpoolP512r1; do
		_self "ec_$c" -newkey ec -pkeyopt "ec_paramgen_curve:$c" -- -subj "/CN=$c" || exit 1
	done
	_self ed25519 -newkey ed25519 -- -subj /CN=ed25519 || exit 1
	_self ed448 -newkey ed448 -- -subj /CN=ed448 || exit 1
	_ossl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.param &&
		_self dsa -newkey param:dsa.param -- -sha256 -subj /CN=dsa || exit 1
	for k in X25519 X448 SM2; do
		_ossl genpkey -algorithm "$k" -out "$k.key" && _forced "$k" "$k.key" || exit 1
	done
	_ossl genpkey -algorithm DH -pkeyopt group:ffdhe2048 -out dh.key &&
		_forced dh dh.key || exit 1
	_ossl genpkey -algorithm DHX -pkeyopt dh_rfc5114:2 -out dhx.key &&
		_forced dhx dhx.key || exit 1
	# serials: negative, 20 bytes, 20 bytes with the sign byte, zero
	_self serial_neg -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -subj /CN=neg -set_serial -0x1234 || exit 1
	_self serial_20 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -subj /CN=s20 -set_serial 0x7f0102030405060708090a0b0c0d0e0f10111213 || exit 1
	_self serial_20b -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -subj /CN=s20b -set_serial 0x800102030405060708090a0b0c0d0e0f10111213 || exit 1
	_self serial_0 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -subj /CN=zero -set_serial 0 || exit 1
	# names: RFC 4514 escapes, multi-valued RDNs, rare and unknown types
	_self esc -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -subj '/CN= lead and trail /O=#hash, x;y/OU=a\+b=c<d>"q"\\e' || exit 1
	_self multi -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -multivalue-rdn -subj '/CN=a+OU=b+O=c/C=US+ST=CA/L=x' || exit 1
	_self rare -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -subj '/organizationIdentifier=VATDE-123/jurisdictionC=DE/businessCategory=Private Organization/postalCode=12345/street=Main St 1/title=Dr/GN=Ada/SN=Lovelace/DC=example/UID=u1/serialNumber=SN-0042/emailAddress=a@b.example/2.5.4.65=pseud' || exit 1
	printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=u\nx.1.3.6.1.4.1.99999.1=unknown value\n' >unknown.cnf
	_self unknown -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -config unknown.cnf || exit 1
	_self utf8 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -utf8 -subj $'/O=Acme, Inc./CN=ed25519 \xc3\xa9 \xe2\x82\xac' || exit 1
	printf '[req]\ndistinguished_name=dn\nstring_mask=pkix\n[dn]\n' >bmp.cnf
	_self bmp -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -config bmp.cnf -utf8 -subj $'/CN=bmp \xc3\xa9\xe2\x82\xac' || exit 1
	# validity past 2049 (GeneralizedTime)
	_self y2100 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -days 40000 -subj /CN=y2100 || exit 1
	# extensions, the DMTF SPDM OIDs among them
	cat >ext.cnf <<-'EOF'
		[req]
		distinguished_name = dn
		[dn]
		[ext]
		basicConstraints = critical, CA:TRUE, pathlen:2
		keyUsage = critical, digitalSignature, keyCertSign, cRLSign, decipherOnly
		extendedKeyUsage = serverAuth, clientAuth, 1.3.6.1.4.1.412.274.3, 1.3.6.1.4.1.412.274.4
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid:always
		subjectAltName = DNS:dev.example, IP:192.0.2.1, IP:2001:db8::1, email:a@b.example, URI:https://x.example/, RID:1.2.3.4, dirName:dir, otherName:1.3.6.1.4.1.412.274.1;UTF8:ACME:WIDGET:0123456789
		1.3.6.1.4.1.412.274.2 = ASN1:NULL
		1.3.6.1.4.1.412.274.5 = critical, ASN1:NULL
		1.3.6.1.4.1.412.274.6 = ASN1:SEQUENCE:spdm_oids
		1.2.3.4.5 = ASN1:UTF8String:opaque
		[spdm_oids]
		oid1 = SEQUENCE:hwid
		[hwid]
		id = OID:1.3.6.1.4.1.412.274.2
		[dir]
		CN = in dir
		O = d
	EOF
	_self ext -newkey ec -pkeyopt ec_paramgen_curve:P-256 -- -config ext.cnf -extensions ext -subj /CN=ext || exit 1
)

# _issue NAME SUBJ CAKEY CACERT EXT: NAME.key, NAME.pem signed by the CA
_issue() {
	_ossl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-keyout "$1.key" -subj "$2" -out "$1.csr" &&
		_ossl x509 -req -in "$1.csr" -CA "$4" -CAkey "$3" -days 30 \
			-set_serial 0x42 -extfile ext.cnf -extensions "$5" \
			-out "$1.pem"
}

# _spdm OUT ROOTHASH DER...: an SPDM chain {u16 length, u16 reserved 0,
# the root hash} then the certificates
_spdm() {
	local out=$1 hash=$2 len
	shift 2
	len=$((4 + ${#hash} / 2 + $(cat "$@" | wc -c)))
	{
		printf '%04x0000%s' $(((len & 0xff) << 8 | len >> 8)) "$hash" | xxd -r -p
		cat "$@"
	} >"$out"
}

gen_spdm_chain() (
	cd "$1" || exit 1
	cat >ext.cnf <<-'EOF'
		[ca]
		basicConstraints = critical, CA:TRUE
		keyUsage = critical, keyCertSign, cRLSign
		[leaf]
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature
		extendedKeyUsage = 1.3.6.1.4.1.412.274.3
		subjectAltName = otherName:1.3.6.1.4.1.412.274.1;UTF8:ACME:WIDGET:0042
	EOF
	_ossl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-384 \
		-keyout root.key -subj "/O=tsmctl test/CN=SPDM Root" -days 30 \
		-addext "basicConstraints=critical,CA:TRUE" -out root.pem || exit 1
	_ossl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-384 \
		-keyout other.key -subj "/O=tsmctl test/CN=SPDM Root" -days 30 \
		-addext "basicConstraints=critical,CA:TRUE" -out other.pem || exit 1
	_issue inter "/O=tsmctl test/CN=SPDM Intermediate" root.key root.pem ca || exit 1
	_issue leaf "/O=tsmctl test/CN=SPDM Device" inter.key inter.pem leaf || exit 1
	for c in root inter leaf; do
		_ossl x509 -in "$c.pem" -outform DER -out "$c.der" || exit 1
	done
	hash=$(openssl dgst -sha384 -r root.der | cut -d' ' -f1)
	_spdm chain.bin "$hash" root.der inter.der leaf.der
	# the leaf's last signature byte flipped
	cp leaf.der badleaf.der
	last=$(($(wc -c <leaf.der) - 1))
	printf '%02x' $((0x$(xxd -s $last -l 1 -p leaf.der) ^ 1)) | xxd -r -p |
		dd of=badleaf.der bs=1 seek=$last conv=notrunc 2>/dev/null
	_spdm bad.bin "$hash" root.der inter.der badleaf.der
	_spdm badhash.bin "$(printf '%096d' 0)" root.der inter.der leaf.der
)
