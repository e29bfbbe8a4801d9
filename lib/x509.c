// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal strict DER / X.509 walker for SPDM certificate chains
 * (kernel-interfaces.md §4, CERT0..CERT7).  It extracts what a human needs
 * to identify each certificate; it verifies nothing cryptographically.
 *
 * SPDM chain format: u16 length (whole chain, LE), u16 reserved,
 * root_hash[H], then concatenated DER certificates (root first).
 *
 * Internal helpers return 0 or -EINVAL; the first failure records its
 * reason in struct xerr, so call sequences are chained with "||".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "der.h"
#include "evidence.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- bounded string builder: tokens are appended whole or not at all */

struct sb {
	char *s;
	size_t cap;
	size_t len;
	bool trunc;
};

static void sb_putn(struct sb *b, const char *s, size_t n)
{
	if (b->trunc || b->len + n + 4 > b->cap) { /* room for "...\0" */
		b->trunc = true;
		return;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_finish(struct sb *b)
{
	if (b->trunc)
		memcpy(b->s + b->len, "...", 4);
}

static void sb_hexbyte(struct sb *b, const char *prefix, uint8_t v)
{
	char tmp[8];

	snprintf(tmp, sizeof(tmp), "%s%02x", prefix, v);
	sb_puts(b, tmp);
}

/* ---- OIDs */

struct oid_name {
	const char *der;
	size_t len;
	const char *name;
	uint32_t bits;
};

#define OID(bytes, nm, b)                       \
	{                                       \
		bytes, sizeof(bytes) - 1, nm, b \
	}
#define OID_RSA "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
#define OID_RSA_PSS "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"
#define OID_EC_PUBKEY "\x2a\x86\x48\xce\x3d\x02\x01"
#define OID_PKCS1(x) "\x2a\x86\x48\x86\xf7\x0d\x01\x01" x
#define OID_ECDSA(x) "\x2a\x86\x48\xce\x3d\x04\x03" x
#define OID_NIST_SIG(x) "\x60\x86\x48\x01\x65\x03\x04\x03" x

static const struct oid_name oid_attrs[] = {
	OID("\x55\x04\x03", "CN", 0),
	OID("\x55\x04\x04", "SN", 0),
	OID("\x55\x04\x05", "serialNumber", 0),
	OID("\x55\x04\x06", "C", 0),
	OID("\x55\x04\x07", "L", 0),
	OID("\x55\x04\x08", "ST", 0),
	OID("\x55\x04\x09", "street", 0),
	OID("\x55\x04\x0a", "O", 0),
	OID("\x55\x04\x0b", "OU", 0),
	OID("\x55\x04\x0c", "title", 0),
	OID("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "emailAddress", 0),
	OID("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", "DC", 0),
	OID("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", "UID", 0),
};

static const struct oid_name oid_pubkey[] = {
	OID(OID_RSA, "rsaEncryption", 0),
	OID(OID_RSA_PSS, "RSASSA-PSS", 0),
	OID(OID_EC_PUBKEY, "id-ecPublicKey", 0),
	OID("\x2b\x65\x70", "Ed25519", 256),
	OID("\x2b\x65\x71", "Ed448", 456),
	OID(OID_NIST_SIG("\x11"), "ML-DSA-44", 0),
	OID(OID_NIST_SIG("\x12"), "ML-DSA-65", 0),
	OID(OID_NIST_SIG("\x13"), "ML-DSA-87", 0),
};

static const struct oid_name oid_curves[] = {
	OID("\x2a\x86\x48\xce\x3d\x03\x01\x07", "P-256", 256),
	OID("\x2b\x81\x04\x00\x22", "P-384", 384),
	OID("\x2b\x81\x04\x00\x23", "P-521", 521),
	OID("\x2b\x81\x04\x00\x0a", "secp256k1", 256),
};

static const struct oid_name oid_sigalgs[] = {
	OID(OID_PKCS1("\x05"), "sha1WithRSAEncryption", 0),
	OID(OID_PKCS1("\x0b"), "sha256WithRSAEncryption", 0),
	OID(OID_PKCS1("\x0c"), "sha384WithRSAEncryption", 0),
	OID(OID_PKCS1("\x0d"), "sha512WithRSAEncryption", 0),
	OID(OID_PKCS1("\x0e"), "sha224WithRSAEncryption", 0),
	OID(OID_RSA_PSS, "RSASSA-PSS", 0),
	OID(OID_ECDSA("\x01"), "ecdsa-with-SHA224", 0),
	OID(OID_ECDSA("\x02"), "ecdsa-with-SHA256", 0),
	OID(OID_ECDSA("\x03"), "ecdsa-with-SHA384", 0),
	OID(OID_ECDSA("\x04"), "ecdsa-with-SHA512", 0),
	OID("\x2b\x65\x70", "Ed25519", 0),
	OID("\x2b\x65\x71", "Ed448", 0),
	OID(OID_NIST_SIG("\x11"), "ML-DSA-44", 0),
	OID(OID_NIST_SIG("\x12"), "ML-DSA-65", 0),
	OID(OID_NIST_SIG("\x13"), "ML-DSA-87", 0),
};

static bool oid_is(const struct der *t, const char *der, size_t len)
{
	return t->len == len && !memcmp(t->val, der, len);
}

static const struct oid_name *oid_find(const struct oid_name *tab, size_t n,
				       const struct der *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (oid_is(t, tab[i].der, tab[i].len))
			return &tab[i];
	return NULL;
}

/* Append the table name of OID t, or its dotted form (validated). */
static int oid_put(const struct oid_name *tab, size_t n, const struct der *t,
		   struct sb *b, uint32_t *bits, struct xerr *e,
		   const char *what)
{
	const struct oid_name *o = oid_find(tab, n, t);
	bool first = true, in_arc = false;
	uint64_t v = 0;
	char tmp[32];
	size_t i;

	if (o) {
		sb_puts(b, o->name);
		if (bits)
			*bits = o->bits;
		return 0;
	}
	if (t->len == 0)
		return der_fail(e, t->raw, what, "empty OID");
	for (i = 0; i < t->len; i++) {
		uint8_t c = t->val[i];

		if ((!in_arc && c == 0x80) || v > (UINT64_MAX >> 7))
			return der_fail(e, t->raw, what, "malformed OID");
		v = (v << 7) | (c & 0x7f);
		in_arc = c & 0x80;
		if (in_arc)
			continue;
		if (first) {
			unsigned int a = v < 40 ? 0 : v < 80 ? 1 : 2;

			snprintf(tmp, sizeof(tmp), "%u.%llu", a,
				 (unsigned long long)(v - 40 * a));
			first = false;
		} else {
			snprintf(tmp, sizeof(tmp), ".%llu",
				 (unsigned long long)v);
		}
		sb_puts(b, tmp);
		v = 0;
	}
	if (in_arc)
		return der_fail(e, t->raw, what, "truncated OID");
	return 0;
}

static int oid_render(const struct oid_name *tab, size_t n, const struct der *t,
		      char *out, size_t outlen, uint32_t *bits, struct xerr *e,
		      const char *what)
{
	struct sb b = { out, outlen, 0, false };
	int ret;

	out[0] = 0;
	ret = oid_put(tab, n, t, &b, bits, e, what);
	sb_finish(&b);
	return ret;
}

/* ---- Names */

/* Length of a valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_seq(const uint8_t *p, size_t n)
{
	size_t k, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	cp = p[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* Append one ASCII byte with RFC 4514 escaping; others as \xNN. */
static void put_ascii(struct sb *b, uint8_t c)
{
	char tmp[2] = { '\\', (char)c };

	if (c < 0x20 || c >= 0x7f)
		sb_hexbyte(b, "\\x", c);
	else if (strchr(",+\"\\<>;", c))
		sb_putn(b, tmp, 2);
	else
		sb_putn(b, tmp + 1, 1);
}

static void name_value(const struct der *v, struct sb *b)
{
	size_t i, k;

	switch (v->tag) {
	case DER_UTF8:
		for (i = 0; i < v->len; i += k) {
			k = utf8_seq(v->val + i, v->len - i);
			if (k > 1)
				sb_putn(b, (const char *)v->val + i, k);
			else
				put_ascii(b, v->val[i]);
			k = k ? k : 1;
		}
		break;
	case DER_NUMERIC:
	case DER_PRINTABLE:
	case DER_T61:
	case DER_IA5:
	case DER_VISIBLE:
		for (i = 0; i < v->len; i++)
			put_ascii(b, v->val[i]);
		break;
	default:
		/* BMPString, UniversalString, ...: RFC 4514 '#' + DER hex */
		sb_puts(b, "#");
		for (i = 0; i < v->rawlen; i++)
			sb_hexbyte(b, "", v->raw[i]);
	}
}

/* RelativeDistinguishedName ::= SET OF { type OID, value ANY } */
static int name_rdn(const struct der *set, struct sb *b, struct xerr *e,
		    const char *what)
{
	struct cur c = der_inner(set), a;
	struct der atv, oid, val;

	if (!c.n)
		return der_fail(e, set->raw, what, "empty RDN");
	while (c.n) {
		if (der_expect(&c, DER_SEQUENCE, &atv, e, what))
			return -EINVAL;
		a = der_inner(&atv);
		if (der_expect(&a, DER_OID, &oid, e, what) ||
		    der_next(&a, &val, e, what) || der_end(&a, e, what))
			return -EINVAL;
		if (atv.raw != set->val) /* multi-valued RDN */
			sb_puts(b, "+");
		if (oid_put(oid_attrs, ARRAY_LEN(oid_attrs), &oid, b, NULL, e,
			    what))
			return -EINVAL;
		sb_puts(b, "=");
		name_value(&val, b);
	}
	return 0;
}

/* Render a Name (SEQUENCE OF RDN) in RFC 4514 order: last RDN first. */
static int name_render(const struct der *name, char *out, size_t outlen,
		       bool *trunc, struct xerr *e, const char *what)
{
	struct der rdns[X509_MAX_RDNS];
	struct cur c = der_inner(name);
	size_t n = 0, i;
	struct sb b = { out, outlen, 0, false };

	out[0] = 0;
	for (; c.n; n++)
		if (n == X509_MAX_RDNS)
			return der_fail(e, name->raw, what, "more than %d RDNs",
					X509_MAX_RDNS);
		else if (der_expect(&c, DER_SET, &rdns[n], e, what))
			return -EINVAL;
	for (i = n; i-- > 0;) {
		if (name_rdn(&rdns[i], &b, e, what))
			return -EINVAL;
		if (i)
			sb_puts(&b, ",");
	}
	sb_finish(&b);
	*trunc |= b.trunc;
	return 0;
}

/* ---- Time: UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ */

static int time_render(const struct der *t, char *out, size_t outlen,
		       struct xerr *e, const char *what)
{
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30,
						 31, 31, 30, 31, 30, 31 };
	unsigned int f[7], year, i, nf;
	const uint8_t *p = t->val;
	bool leap;

	if (t->tag == DER_UTCTIME && t->len == 13 && p[12] == 'Z')
		nf = 6;
	else if (t->tag == DER_GENTIME && t->len == 15 && p[14] == 'Z')
		nf = 7;
	else
		return der_fail(
			e, t->raw, what,
			"tag 0x%02x length %zu is not UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ",
			t->tag, t->len);
	for (i = 0; i < nf; i++) {
		if (p[2 * i] < '0' || p[2 * i] > '9' || p[2 * i + 1] < '0' ||
		    p[2 * i + 1] > '9')
			return der_fail(e, t->raw, what, "non-digit in time");
		f[i] = (p[2 * i] - '0') * 10 + (p[2 * i + 1] - '0');
	}
	if (nf == 6) {
		year = f[0] < 50 ? 2000 + f[0] : 1900 + f[0];
	} else {
		year = f[0] * 100 + f[1];
		memmove(f, f + 1, 6 * sizeof(f[0]));
	}
	/* f[1..5] = month, day, hour, minute, second */
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > mdays[f[1] - 1] ||
	    (f[1] == 2 && f[2] == 29 && !leap) || f[3] > 23 || f[4] > 59 ||
	    f[5] > 60)
		return der_fail(e, t->raw, what, "invalid date/time");
	snprintf(out, outlen, "%04u-%02u-%02uT%02u:%02u:%02uZ", year, f[1],
		 f[2], f[3], f[4], f[5]);
	return 0;
}

/* ---- Algorithms and keys */

/* AlgorithmIdentifier ::= SEQUENCE { OID, parameters ANY OPTIONAL } */
static int alg_id(const struct der *seq, struct der *oid, struct der *params,
		  bool *has_params, struct xerr *e, const char *what)
{
	struct cur c = der_inner(seq);

	if (der_expect(&c, DER_OID, oid, e, what))
		return -EINVAL;
	*has_params = c.n != 0;
	if (*has_params && der_next(&c, params, e, what))
		return -EINVAL;
	return der_end(&c, e, what);
}

static int bit_string(const struct der *t, struct cur *bits, struct xerr *e,
		      const char *what)
{
	if (t->len < 1 || t->val[0] > 7 || (t->len == 1 && t->val[0]))
		return der_fail(e, t->raw, what, "malformed BIT STRING");
	bits->p = t->val + 1;
	bits->n = t->len - 1;
	return 0;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static int rsa_bits(const struct der *bs, uint32_t *bits, struct xerr *e)
{
	const char *what = "subjectPublicKeyInfo.RSAPublicKey";
	struct der seq, n, ex;
	struct cur c, k;
	uint8_t top;
	size_t i;

	if (bit_string(bs, &c, e, what) ||
	    der_expect(&c, DER_SEQUENCE, &seq, e, what) || der_end(&c, e, what))
		return -EINVAL;
	k = der_inner(&seq);
	if (der_expect(&k, DER_INTEGER, &n, e, what) ||
	    der_expect(&k, DER_INTEGER, &ex, e, what) || der_end(&k, e, what))
		return -EINVAL;
	for (i = 0; i < n.len && n.val[i] == 0; i++)
		;
	if (i == n.len || n.len - i > UINT32_MAX / 8)
		return der_fail(e, n.raw, what, "bad modulus");
	*bits = (uint32_t)(n.len - i) * 8;
	for (top = n.val[i]; !(top & 0x80); top <<= 1)
		(*bits)--;
	return 0;
}

static int spki_parse(const struct der *spki, struct x509_cert_info *ci,
		      struct xerr *e)
{
	const char *what = "subjectPublicKeyInfo";
	struct der alg, oid, params, key;
	struct cur c = der_inner(spki), bits;
	bool has_params;

	if (der_expect(&c, DER_SEQUENCE, &alg, e, what) ||
	    der_expect(&c, DER_BIT_STRING, &key, e, what) ||
	    der_end(&c, e, what) ||
	    alg_id(&alg, &oid, &params, &has_params, e, what) ||
	    bit_string(&key, &bits, e, what) ||
	    oid_render(oid_pubkey, ARRAY_LEN(oid_pubkey), &oid, ci->pubkey_alg,
		       sizeof(ci->pubkey_alg), &ci->pubkey_bits, e, what))
		return -EINVAL;

	if (oid_is(&oid, OID_EC_PUBKEY, sizeof(OID_EC_PUBKEY) - 1)) {
		if (!has_params)
			return der_fail(e, oid.raw, what,
					"EC key without parameters");
		if (params.tag != DER_OID) {
			snprintf(ci->pubkey_curve, sizeof(ci->pubkey_curve),
				 "explicit");
			return 0;
		}
		return oid_render(oid_curves, ARRAY_LEN(oid_curves), &params,
				  ci->pubkey_curve, sizeof(ci->pubkey_curve),
				  &ci->pubkey_bits, e, what);
	}
	if (oid_is(&oid, OID_RSA, sizeof(OID_RSA) - 1) ||
	    oid_is(&oid, OID_RSA_PSS, sizeof(OID_RSA_PSS) - 1))
		return rsa_bits(&key, &ci->pubkey_bits, e);
	return 0;
}

/* Extensions ::= SEQUENCE OF { OID, critical BOOLEAN DEFAULT FALSE, OCTET STRING } */
static int extensions_check(const struct der *ctx3, struct xerr *e)
{
	const char *what = "extensions";
	struct cur c = der_inner(ctx3), l, x;
	struct der seq, ext, t;
	bool crit;

	if (der_expect(&c, DER_SEQUENCE, &seq, e, what) || der_end(&c, e, what))
		return -EINVAL;
	for (l = der_inner(&seq); l.n;) {
		if (der_expect(&l, DER_SEQUENCE, &ext, e, what))
			return -EINVAL;
		x = der_inner(&ext);
		if (der_expect(&x, DER_OID, &t, e, what) ||
		    der_opt(&x, DER_BOOLEAN, &t, &crit, e, what))
			return -EINVAL;
		if (crit && t.len != 1)
			return der_fail(e, t.raw, what, "bad critical flag");
		if (der_expect(&x, DER_OCTET_STR, &t, e, what) ||
		    der_end(&x, e, what))
			return -EINVAL;
	}
	return 0;
}

/* ---- Certificate */

static int tbs_parse(const struct der *tbs, const struct der *outer_alg,
		     struct x509_cert_info *ci, struct xerr *e)
{
	struct der t, ver, serial, sig, issuer, validity, subject, spki, nb, na;
	struct cur c = der_inner(tbs), v;
	size_t strip, i;
	bool found;

	ci->version = 1;
	if (der_opt(&c, DER_CTX0_C, &t, &found, e, "version"))
		return -EINVAL;
	if (found) {
		v = der_inner(&t);
		if (der_expect(&v, DER_INTEGER, &ver, e, "version") ||
		    der_end(&v, e, "version"))
			return -EINVAL;
		if (ver.len != 1 || ver.val[0] > 2)
			return der_fail(e, ver.raw, "version",
					"unsupported value");
		ci->version = ver.val[0] + 1;
	}
	if (der_expect(&c, DER_INTEGER, &serial, e, "serialNumber") ||
	    der_expect(&c, DER_SEQUENCE, &sig, e, "tbsCertificate.signature") ||
	    der_expect(&c, DER_SEQUENCE, &issuer, e, "issuer") ||
	    der_expect(&c, DER_SEQUENCE, &validity, e, "validity") ||
	    der_expect(&c, DER_SEQUENCE, &subject, e, "subject") ||
	    der_expect(&c, DER_SEQUENCE, &spki, e, "subjectPublicKeyInfo"))
		return -EINVAL;

	/* serial: hex of the content bytes without the DER sign byte */
	strip = serial.len > 1 && serial.val[0] == 0 && (serial.val[1] & 0x80);
	if (serial.len == 0 || serial.len - strip > X509_SERIAL_MAX_BYTES)
		return der_fail(e, serial.raw, "serialNumber",
				"length %zu not in 1..%d", serial.len,
				X509_SERIAL_MAX_BYTES);
	for (i = strip; i < serial.len; i++)
		snprintf(ci->serial_hex + 2 * (i - strip), 3, "%02x",
			 serial.val[i]);

	if (sig.rawlen != outer_alg->rawlen ||
	    memcmp(sig.raw, outer_alg->raw, sig.rawlen))
		return der_fail(e, sig.raw, "tbsCertificate.signature",
				"differs from signatureAlgorithm");

	v = der_inner(&validity);
	if (der_next(&v, &nb, e, "validity.notBefore") ||
	    der_next(&v, &na, e, "validity.notAfter") ||
	    der_end(&v, e, "validity") ||
	    time_render(&nb, ci->not_before, sizeof(ci->not_before), e,
			"validity.notBefore") ||
	    time_render(&na, ci->not_after, sizeof(ci->not_after), e,
			"validity.notAfter") ||
	    name_render(&issuer, ci->issuer, sizeof(ci->issuer),
			&ci->names_truncated, e, "issuer") ||
	    name_render(&subject, ci->subject, sizeof(ci->subject),
			&ci->names_truncated, e, "subject") ||
	    spki_parse(&spki, ci, e))
		return -EINVAL;
	ci->self_issued = issuer.rawlen == subject.rawlen &&
			  !memcmp(issuer.raw, subject.raw, issuer.rawlen);

	/* optional [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions */
	if (der_opt(&c, DER_CTX1_P, &t, &found, e, "issuerUniqueID") ||
	    der_opt(&c, DER_CTX2_P, &t, &found, e, "subjectUniqueID") ||
	    der_opt(&c, DER_CTX3_C, &t, &found, e, "extensions") ||
	    (found && extensions_check(&t, e)))
		return -EINVAL;
	return der_end(&c, e, "tbsCertificate");
}

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
static int cert_parse(const uint8_t *buf, size_t len, struct x509_cert_info *ci,
		      struct xerr *e)
{
	struct cur c = { buf, len }, in, bits;
	struct der cert, tbs, alg, sigval, oid, params;
	bool has_params;

	memset(ci, 0, sizeof(*ci));
	if (der_expect(&c, DER_SEQUENCE, &cert, e, "Certificate") ||
	    der_end(&c, e, "Certificate"))
		return -EINVAL;
	ci->der_len = cert.rawlen;
	in = der_inner(&cert);
	if (der_expect(&in, DER_SEQUENCE, &tbs, e, "tbsCertificate") ||
	    der_expect(&in, DER_SEQUENCE, &alg, e, "signatureAlgorithm") ||
	    der_expect(&in, DER_BIT_STRING, &sigval, e, "signatureValue") ||
	    der_end(&in, e, "Certificate") ||
	    bit_string(&sigval, &bits, e, "signatureValue") ||
	    alg_id(&alg, &oid, &params, &has_params, e, "signatureAlgorithm") ||
	    oid_render(oid_sigalgs, ARRAY_LEN(oid_sigalgs), &oid, ci->sig_alg,
		       sizeof(ci->sig_alg), NULL, e, "signatureAlgorithm"))
		return -EINVAL;
	return tbs_parse(&tbs, &alg, ci, e);
}

int x509_cert_parse(const uint8_t *buf, size_t len, struct x509_cert_info *ci,
		    char *why, size_t whylen)
{
	struct xerr e = { buf, why, whylen, false };

	if (why && whylen)
		why[0] = 0;
	if (!buf || !len) {
		memset(ci, 0, sizeof(*ci));
		return der_fail(&e, NULL, "Certificate", "empty");
	}
	return cert_parse(buf, len, ci, &e);
}

/* ---- Chains: a SEQUENCE whose content starts with a SEQUENCE, all inside n bytes. */
static bool looks_like_cert(const uint8_t *p, size_t n, size_t *tlvlen)
{
	struct xerr e = { p, NULL, 0, false };
	struct cur c = { p, n }, in;
	struct der t, tbs;

	if (der_expect(&c, DER_SEQUENCE, &t, &e, ""))
		return false;
	in = der_inner(&t);
	if (der_expect(&in, DER_SEQUENCE, &tbs, &e, ""))
		return false;
	*tlvlen = t.rawlen;
	return true;
}

/* Do such SEQUENCEs tile [p, p + n) exactly? */
static bool tiles(const uint8_t *p, size_t n)
{
	size_t l;

	for (; n; p += l, n -= l)
		if (!looks_like_cert(p, n, &l))
			return false;
	return true;
}

__attribute__((format(printf, 3, 4))) static int
chain_fail(struct x509_chain *out, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->why, sizeof(out->why), fmt, ap);
	va_end(ap);
	return err;
}

/* Pick the SPDM root hash size: the first of 32/48/64 whose certificates
 * tile the chain, else the first where a certificate starts; 0 if none.
 */
static size_t auto_hash(const uint8_t *buf, size_t slen)
{
	static const size_t sizes[] = { 32, 48, 64 };
	size_t i, h, l, pick = 0;

	for (i = 0; i < ARRAY_LEN(sizes); i++) {
		h = sizes[i];
		if (4 + h >= slen ||
		    !looks_like_cert(buf + 4 + h, slen - 4 - h, &l))
			continue;
		if (tiles(buf + 4 + h, slen - 4 - h))
			return h;
		if (!pick)
			pick = h;
	}
	return pick;
}

static int chain_header(const uint8_t *buf, size_t len, int hash_len,
			struct x509_chain *out)
{
	size_t slen, h;

	out->end = len;
	if (hash_len == X509_CHAIN_PLAIN)
		return 0;
	if (hash_len < X509_CHAIN_AUTO)
		return chain_fail(out, -EINVAL, "invalid hash length %d",
				  hash_len);
	slen = len >= 4 ? ev_le16(buf) : 0;
	if (hash_len == X509_CHAIN_AUTO) {
		h = len >= 4 && slen <= len ? auto_hash(buf, slen) : 0;
		if (!h && buf[0] == DER_SEQUENCE)
			return 0; /* plain DER */
		if (!h)
			return chain_fail(
				out, -EINVAL,
				"neither an SPDM chain (no certificate after a 32/48/64-byte root hash) nor DER (first byte 0x%02x)",
				buf[0]);
	} else {
		h = (size_t)hash_len;
		if (len < 4)
			return chain_fail(
				out, -EINVAL,
				"SPDM chain header needs 4 bytes but the object has %zu",
				len);
		if (slen > len)
			return chain_fail(
				out, -EINVAL,
				"SPDM chain length %zu exceeds the %zu-byte object",
				slen, len);
		if (slen < 4 + h)
			return chain_fail(
				out, -EINVAL,
				"SPDM chain length %zu is shorter than the header and %zu-byte root hash",
				slen, h);
	}
	out->spdm = true;
	out->spdm_length = (uint16_t)slen;
	out->spdm_reserved = (uint16_t)(buf[2] | buf[3] << 8);
	out->root_hash_off = 4;
	out->root_hash_len = h;
	out->certs_off = 4 + h;
	out->end = slen;
	out->trailing = len - slen;
	return 0;
}

int x509_chain_parse(const uint8_t *buf, size_t len, int hash_len,
		     struct x509_cert_info *certs, size_t max,
		     struct x509_chain *out, const char **why)
{
	struct x509_cert_info tmp, *ci;
	char inner[EVIDENCE_WHY_MAX];
	size_t off;
	int ret;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (!certs)
		max = 0;
	if (len == 0)
		ret = chain_fail(out, -ENODATA,
				 "empty certificate chain (0 bytes)");
	else if (!buf)
		ret = chain_fail(out, -EFAULT, "NULL buffer with length %zu",
				 len);
	else
		ret = chain_header(buf, len, hash_len, out);
	if (!ret && out->certs_off == out->end)
		ret = chain_fail(out, -ENODATA,
				 "certificate chain holds no certificates");

	for (off = out->certs_off; !ret && off < out->end;) {
		struct xerr e = { buf, inner, sizeof(inner), false };
		struct cur c = { buf + off, out->end - off };
		struct der t;

		ci = out->count < max ? &certs[out->count] : &tmp;
		inner[0] = 0;
		ret = der_expect(&c, DER_SEQUENCE, &t, &e, "Certificate");
		if (!ret)
			ret = cert_parse(t.raw, t.rawlen, ci, &e);
		if (ret) {
			out->bad_off = off;
			chain_fail(out, ret, "cert %zu at offset %zu: %s",
				   out->count, off, inner);
			break;
		}
		ci->index = (uint32_t)out->count;
		ci->off = off;
		off += t.rawlen;
		out->count++;
	}
	if (ret && why)
		*why = out->why;
	return ret;
}
