// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/x509.c (x509_chain_decode, through libcrypto): how a
 * chain is split (SPDM header with a 32, 48 or 64-byte root hash, or DER
 * end to end), every malformed shape answered with a reason and the
 * certificates before it, the SPDM root hash check, and the fields of the
 * fixtures in tests/unit/fixtures (see its README). The comparison with
 * `openssl x509` over generated edge cases is tests/cli/x509.bats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "crypto.h"
#include "tap.h"
#include "x509.h"

#define FIXTURES "tests/unit/fixtures"

struct blob {
	uint8_t *p;
	size_t n;
};

static struct blob load(const char *dir, const char *name)
{
	struct blob b = { NULL, 0 };
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	b.p = malloc(8192);
	if (f && b.p)
		b.n = fread(b.p, 1, 8192, f);
	if (f)
		fclose(f);
	return b;
}

/* The decoded document of exactly @n bytes (a heap copy: ASan sees
 * any read past them). */
static struct json_object *dec(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);
	struct json_object *o;

	memcpy(p, src, n);
	o = x509_chain_decode(p, n, NULL);
	free(p);
	return o;
}

/* A member by path: "certificates.1.subject" */
static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); o && tok;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			o = NULL;
	}
	return o;
}

static const char *str(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v ? json_object_get_string(v) : "(absent)";
}

static int is(struct json_object *o, const char *path, const char *want)
{
	if (!strcmp(str(o, path), want))
		return 1;
	printf("# %s: \"%s\", want \"%s\"\n", path, str(o, path), want);
	return 0;
}

static int has(struct json_object *o, const char *path, const char *sub)
{
	if (strstr(str(o, path), sub))
		return 1;
	printf("# %s: \"%s\", want \"%s\" in it\n", path, str(o, path), sub);
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* SPDM chain: header, a root hash of @hlen bytes of @fill, then certs */
static size_t spdm(uint8_t *out, size_t hlen, uint8_t fill,
		   const struct blob *a, const struct blob *b)
{
	size_t n = 4 + hlen + a->n + (b ? b->n : 0);

	put16(out, (uint16_t)n);
	put16(out + 2, 0);
	memset(out + 4, fill, hlen);
	memcpy(out + 4 + hlen, a->p, a->n);
	if (b)
		memcpy(out + 4 + hlen + a->n, b->p, b->n);
	return n;
}

static void test_fields(struct tap *t, const struct blob *root,
			const struct blob *rsa, const struct blob *ed,
			const struct blob *pss)
{
	struct json_object *o = dec(root->p, root->n);

	tap_ok(t,
	       is(o, "valid", "true") && is(o, "count", "1") &&
		       is(o, "spdm_header", "false"),
	       "plain DER root");
	tap_ok(t,
	       is(o, "certificates.0.subject",
		  "CN=Test Root CA,O=tsmctl,C=US") &&
		       is(o, "certificates.0.issuer",
			  "CN=Test Root CA,O=tsmctl,C=US") &&
		       is(o, "certificates.0.self_signed", "true"),
	       "root names, self-signed");
	tap_ok(t,
	       is(o, "certificates.0.not_before", "2026-11-25T09:10:45Z") &&
		       is(o, "certificates.0.not_after",
			  "2126-11-01T09:10:45Z"),
	       "root validity: UTCTime and GeneralizedTime");
	tap_ok(t,
	       is(o, "certificates.0.key_algorithm", "id-ecPublicKey") &&
		       is(o, "certificates.0.key_curve", "secp384r1") &&
		       is(o, "certificates.0.key_curve_nist", "P-384") &&
		       is(o, "certificates.0.key_bits", "384") &&
		       is(o, "certificates.0.signature_algorithm",
			  "ecdsa-with-SHA384"),
	       "root key and signature");
	tap_ok(t,
	       is(o, "certificates.0.serial_hex", "1001") &&
		       is(o, "certificates.0.version", "3") &&
		       is(o, "certificates.0.der_len", "496") &&
		       is(o, "certificates.0.extensions.2.name",
			  "basicConstraints"),
	       "root serial, version, length, extension");
	tap_ok(t,
	       is(o, "verified", "false") &&
		       is(o, "verification",
			  "not verified: no trust anchor given"),
	       "no anchors: not verified, and said so");
	json_object_put(o);
	o = dec(rsa->p, rsa->n);
	tap_ok(t,
	       is(o, "certificates.0.key_algorithm", "rsaEncryption") &&
		       is(o, "certificates.0.key_bits", "2048") &&
		       !get(o, "certificates.0.key_curve") &&
		       is(o, "certificates.0.signature_algorithm",
			  "sha256WithRSAEncryption") &&
		       is(o, "certificates.0.serial_hex", "07") &&
		       is(o, "certificates.0.subject",
			  "CN=rsa.example,O=Example Org"),
	       "RSA-2048 certificate");
	json_object_put(o);
	o = dec(ed->p, ed->n);
	tap_ok(t,
	       is(o, "certificates.0.key_algorithm", "ED25519") &&
		       is(o, "certificates.0.signature_algorithm", "ED25519") &&
		       is(o, "certificates.0.subject",
			  "CN=ed25519 \xc3\xa9,O=Acme\\, Inc."),
	       "Ed25519, UTF-8 kept, comma escaped");
	json_object_put(o);
	o = dec(pss->p, pss->n);
	tap_ok(t,
	       is(o, "certificates.0.signature_algorithm", "rsassaPss") &&
		       is(o, "certificates.0.key_algorithm", "rsaEncryption"),
	       "RSASSA-PSS signature");
	json_object_put(o);
}

static void test_spdm(struct tap *t, const struct blob *root,
		      const struct blob *leaf)
{
	uint8_t buf[4096];
	char off[32];
	size_t n = spdm(buf, 48, 0xab, root, leaf);
	struct json_object *o = dec(buf, n);

	snprintf(off, sizeof(off), "%zu", 52 + root->n);
	tap_ok(t,
	       is(o, "valid", "true") && is(o, "spdm_header", "true") &&
		       is(o, "count", "2") &&
		       !strcmp(str(o, "root_hash_hex"),
			       "abababababababababababababababababababababababababababababababababababababababababababababababab") &&
		       is(o, "certificates.1.offset", off),
	       "SPDM chain, 48-byte root hash found");
	tap_ok(t,
	       is(o, "certificates.1.subject",
		  "serialNumber=SN-0042,CN=Test Device,OU=TDISP,O=tsmctl,L=San Jose,ST=CA,C=US") &&
		       is(o, "certificates.1.serial_hex", "a1b2c3d4e5f60718") &&
		       is(o, "certificates.1.version", "1") &&
		       is(o, "certificates.1.key_curve_nist", "P-256"),
	       "leaf: seven RDNs in RFC 4514 order, serial, v1");
	tap_ok(t, is(o, "root_hash_matches", "false"),
	       "a root hash that is not the root's hash is reported");
	json_object_put(o);

	/* a hash that looks like a SEQUENCE at offset 36 */
	memcpy(buf + 4 + 32, "\x30\x0f\x30\x0d", 4);
	o = dec(buf, n);
	tap_ok(t,
	       is(o, "valid", "true") && strlen(str(o, "root_hash_hex")) == 96,
	       "the hash size whose certificates tile the chain wins");
	json_object_put(o);
	for (size_t h = 32; h <= 64; h += 32) {
		n = spdm(buf, h, 0x11, root, h == 32 ? leaf : NULL);
		o = dec(buf, n);
		tap_ok(t,
		       is(o, "valid", "true") &&
			       strlen(str(o, "root_hash_hex")) == 2 * h,
		       h == 32 ? "32-byte root hash" : "64-byte root hash");
		json_object_put(o);
	}
	n = spdm(buf, 48, 0xab, root, leaf);
	memset(buf + n, 0, 7);
	o = dec(buf, n + 7);
	tap_ok(t, is(o, "valid", "true") && is(o, "trailing_bytes", "7"),
	       "bytes after the SPDM length are reported");
	json_object_put(o);
	o = dec(buf, n - 10);
	tap_ok(t,
	       is(o, "valid", "false") && has(o, "error", "certificate 1") &&
		       is(o, "count", "1"),
	       "SPDM length beyond the object: the certificate cut short named");
	json_object_put(o);
	put16(buf, (uint16_t)(n - 10));
	o = dec(buf, n - 10);
	snprintf(off, sizeof(off), "certificate 1 at offset %zu", 52 + root->n);
	tap_ok(t,
	       is(o, "valid", "false") && has(o, "error", off) &&
		       is(o, "count", "1"),
	       "truncated leaf with a consistent header: stops at it");
	json_object_put(o);
	put16(buf, 52);
	o = dec(buf, 52);
	tap_ok(t, is(o, "valid", "false") && is(o, "count", "0"),
	       "an SPDM header without certificates");
	json_object_put(o);
}

static void test_root_hash(struct tap *t, const struct blob *root,
			   const struct blob *leaf)
{
	uint8_t buf[4096];
	unsigned int len;
	size_t n = spdm(buf, 48, 0, root, leaf);
	struct json_object *o;

	if (tsm_crypto_load("tests", NULL)) {
		tap_ok(t, 0, "libcrypto");
		return;
	}
	cr_EVP_Digest(root->p, root->n, buf + 4, &len, cr_EVP_sha3_384(), NULL);
	o = dec(buf, n);
	tap_ok(t,
	       is(o, "root_hash_matches", "true") &&
		       is(o, "root_hash_algorithm", "SHA3-384"),
	       "SPDM root hash: SHA3-384 of the root recognised");
	json_object_put(o);
	cr_EVP_Digest(root->p, root->n, buf + 4, &len, cr_EVP_sha384(), NULL);
	o = dec(buf, n);
	tap_ok(t, is(o, "root_hash_algorithm", "SHA-384"),
	       "SPDM root hash: SHA-384");
	json_object_put(o);
}

static void test_plain(struct tap *t, const struct blob *root,
		       const struct blob *leaf)
{
	uint8_t buf[2048], *big;
	struct json_object *o;
	int bad = 0;

	memcpy(buf, root->p, root->n);
	memcpy(buf + root->n, leaf->p, leaf->n);
	o = dec(buf, root->n + leaf->n);
	tap_ok(t, is(o, "valid", "true") && is(o, "count", "2"),
	       "plain concatenation of two certificates");
	json_object_put(o);
	o = dec(buf, root->n + leaf->n - 1);
	tap_ok(t, is(o, "count", "1") && has(o, "error", "certificate 1"),
	       "truncated plain chain stops at certificate 1");
	json_object_put(o);
	buf[root->n + leaf->n] = 0;
	o = dec(buf, root->n + leaf->n + 1);
	tap_ok(t, is(o, "count", "2") && has(o, "error", "certificate 2"),
	       "a byte after the last certificate is an error");
	json_object_put(o);
	big = malloc(17 * root->n);
	for (size_t i = 0; big && i < 17; i++)
		memcpy(big + i * root->n, root->p, root->n);
	o = big ? dec(big, 17 * root->n) : NULL;
	tap_ok(t, has(o, "error", "more than 16 certificates"),
	       "more than 16 certificates is an error");
	json_object_put(o);
	free(big);
	for (size_t i = 1; i < root->n; i++) {
		o = dec(root->p, i);
		bad += !is(o, "valid", "false") || !*str(o, "error");
		json_object_put(o);
	}
	tap_ok(t, !bad,
	       "every truncation of a certificate fails with a reason");
}

static void test_malformed(struct tap *t, const struct blob *root,
			   const struct blob *leaf)
{
	uint8_t buf[4096];
	struct json_object *o;
	size_t i;

	for (i = 0; i < 200; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	buf[0] = 0x55;
	o = dec(buf, 200);
	tap_ok(t, has(o, "error", "neither DER certificates nor an SPDM"),
	       "garbage is rejected");
	json_object_put(o);
	buf[0] = 0x30;
	o = dec(buf, 200);
	tap_ok(t, has(o, "error", "certificate 0 at offset 0"),
	       "garbage starting with 0x30 is rejected");
	json_object_put(o);
	o = dec(buf, 0);
	tap_ok(t, is(o, "error", "empty certificate chain"), "empty chain");
	json_object_put(o);
	memcpy(buf, leaf->p, leaf->n);
	buf[1] = 0x80;
	o = dec(buf, leaf->n);
	tap_ok(t, has(o, "error", "indefinite length"),
	       "BER indefinite length is rejected");
	json_object_put(o);
	memcpy(buf, leaf->p, leaf->n);
	for (i = 0; i + 13 <= leaf->n; i++)
		if (!memcmp(buf + i, "261125091045Z", 13))
			break;
	buf[i + 2] = '1'; /* notBefore month 11 -> 13 */
	buf[i + 3] = '3';
	o = dec(buf, leaf->n);
	tap_ok(t, i + 13 <= leaf->n && has(o, "error", "notBefore"),
	       "month 13 is an invalid notBefore");
	json_object_put(o);
	memcpy(buf, leaf->p, leaf->n);
	/* outer signatureAlgorithm OID last byte: SHA384 -> SHA256 */
	for (i = leaf->n - 8; i > 0; i--)
		if (!memcmp(buf + i, "\x2a\x86\x48\xce\x3d\x04\x03\x03", 8))
			break;
	buf[i + 7] = 0x02;
	o = dec(buf, leaf->n);
	tap_ok(t, has(o, "error", "signature algorithm differs"),
	       "tbs/outer signature algorithm mismatch");
	json_object_put(o);
	(void)root;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : FIXTURES;
	struct blob root = load(dir, "root.der"), leaf = load(dir, "leaf.der");
	struct blob rsa = load(dir, "rsa.der"), ed = load(dir, "ed.der");
	struct blob pss = load(dir, "pss.der");
	struct tap t = { 0 };

	tap_ok(&t, root.n == 496 && leaf.n == 448 && rsa.n && ed.n && pss.n,
	       "fixtures loaded");
	if (root.n && leaf.n && rsa.n && ed.n && pss.n) {
		test_fields(&t, &root, &rsa, &ed, &pss);
		test_spdm(&t, &root, &leaf);
		test_root_hash(&t, &root, &leaf);
		test_plain(&t, &root, &leaf);
		test_malformed(&t, &root, &leaf);
	}
	free(root.p);
	free(leaf.p);
	free(rsa.p);
	free(ed.p);
	free(pss.p);
	return tap_done(&t);
}
