// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate chains through libcrypto (lib/x509.h): the chain split into
 * certificates with d2i_X509 (each call says how many bytes it took),
 * then each certificate's fields as OpenSSL reads them.
 *
 * No DER is walked by hand: the one check of our own is that a
 * certificate's outer SEQUENCE has a definite length (d2i_X509 accepts
 * BER's indefinite form, which DER and SPDM forbid).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "evidence.h"
#include "x509_int.h"

#define SPDM_HDR_LEN 4 /* u16 length, u16 reserved */

static const struct {
	const char *oid, *name;
} dmtf_oids[] = {
	/* DSP0274 (SPDM) §10.8: id-DMTF-spdm = 1.3.6.1.4.1.412.274 */
	{ "1.3.6.1.4.1.412.274.1", "id-DMTF-device-info" },
	{ "1.3.6.1.4.1.412.274.2", "id-DMTF-hardware-identity" },
	{ "1.3.6.1.4.1.412.274.3", "id-DMTF-eku-responder-auth" },
	{ "1.3.6.1.4.1.412.274.4", "id-DMTF-eku-requester-auth" },
	{ "1.3.6.1.4.1.412.274.5", "id-DMTF-mutable-certificate" },
	{ "1.3.6.1.4.1.412.274.6", "id-DMTF-SPDM-extension" },
};

struct json_object *x509_hex_json(const uint8_t *b, size_t len)
{
	char *s = malloc(2 * len + 1);
	struct json_object *o;

	if (!s)
		return NULL;
	tsm_hex(b, len, s);
	o = json_object_new_string_len(s, (int)(2 * len));
	free(s);
	return o;
}

const char *x509_oid_name(const ASN1_OBJECT *o, char *buf, size_t len)
{
	int nid = cr_OBJ_obj2nid(o);
	const char *sn;

	if (cr_OBJ_obj2txt(buf, (int)len, o, 1) <= 0)
		snprintf(buf, len, "?");
	for (size_t i = 0; i < ARRAY_SIZE(dmtf_oids); i++)
		if (!strcmp(buf, dmtf_oids[i].oid))
			return dmtf_oids[i].name;
	sn = nid != NID_undef ? cr_OBJ_nid2sn(nid) : NULL;
	return sn ? sn : buf;
}

struct json_object *x509_oid_json(const ASN1_OBJECT *o)
{
	struct json_object *j = json_object_new_object();
	char buf[128];
	const char *name = x509_oid_name(o, buf, sizeof(buf));

	jadd(j, "name", json_object_new_string(name));
	if (name != buf)
		cr_OBJ_obj2txt(buf, sizeof(buf), o, 1);
	jadd(j, "oid", json_object_new_string(buf));
	return j;
}

/* Whether @s (NUL-terminated) is well-formed UTF-8 (RFC 3629). */
static bool utf8_ok(const unsigned char *s)
{
	while (*s) {
		unsigned int c = *s++, n, v;

		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, v = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, v = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, v = c & 0x07;
		else
			return false;
		while (n--) {
			if ((*s & 0xc0) != 0x80)
				return false;
			v = v << 6 | (*s++ & 0x3f);
		}
		if ((c >= 0xe0 && c <= 0xef && v < 0x800) ||
		    (v >= 0xd800 && v <= 0xdfff) ||
		    (c >= 0xf0 && (v < 0x10000 || v > 0x10ffff)))
			return false;
	}
	return true;
}

/* X509_NAME_print_ex into a string; NULL on failure. */
static char *name_text(const X509_NAME *n, unsigned long flags)
{
	BIO *b = cr_BIO_new(cr_BIO_s_mem());
	char *data = NULL, *s = NULL;
	long len;

	if (!b)
		return NULL;
	if (cr_X509_NAME_print_ex(b, n, 0, flags) >= 0) {
		len = cr_BIO_ctrl(b, BIO_CTRL_INFO, 0, &data);
		if (len >= 0 && (s = malloc((size_t)len + 1))) {
			memcpy(s, data, (size_t)len);
			s[len] = 0;
		}
	}
	cr_BIO_free(b);
	return s;
}

struct json_object *x509_name_json(const X509_NAME *n)
{
	/* -nameopt RFC2253,-esc_msb: UTF-8 as it is */
	char *s = name_text(n, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	struct json_object *o;

	if (s && !utf8_ok((unsigned char *)s)) {
		/* a string that is not UTF-8: its high bytes escaped (\XX) */
		free(s);
		s = name_text(n, XN_FLAG_RFC2253);
	}
	o = json_object_new_string(s ? s : "");
	free(s);
	return o;
}

/* "YYYY-MM-DDTHH:MM:SSZ"; false when the time does not parse */
static bool time_text(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	if (!t || !cr_ASN1_TIME_to_tm(t, &tm))
		return false;
	return strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* The serial as `openssl x509 -serial` prints it, lowercase. */
static struct json_object *serial_json(const ASN1_INTEGER *s)
{
	const unsigned char *d = cr_ASN1_STRING_get0_data(s);
	int n = cr_ASN1_STRING_length(s), neg;
	char *hex = malloc(2 * (size_t)(n > 0 ? n : 1) + 2);
	struct json_object *o;

	if (!hex)
		return NULL;
	neg = cr_ASN1_STRING_type(s) == V_ASN1_NEG_INTEGER;
	hex[0] = '-';
	if (n > 0)
		tsm_hex(d, (size_t)n, hex + neg);
	else
		strcpy(hex + neg, "00");
	o = json_object_new_string(hex);
	free(hex);
	return o;
}

/* Key algorithm, curve (by the name in "ASN1 OID:" and the NIST name) and
 * size, as `openssl x509 -text` shows them. */
static void key_json(struct json_object *j, X509 *x)
{
	const ASN1_OBJECT *alg = NULL, *curve;
	X509_ALGOR *pa = NULL;
	EVP_PKEY *pk;
	const void *pv = NULL;
	const char *nist;
	char buf[128];
	int ptype = 0, bits;

	cr_X509_PUBKEY_get0_param((ASN1_OBJECT **)&alg, NULL, NULL, &pa,
				  cr_X509_get_X509_PUBKEY(x));
	if (alg && cr_OBJ_obj2txt(buf, sizeof(buf), alg, 0) > 0)
		jadd(j, "key_algorithm", json_object_new_string(buf));
	else
		jadd(j, "key_algorithm", json_object_new_string("unknown"));
	if (pa)
		cr_X509_ALGOR_get0(NULL, &ptype, &pv, pa);
	if (ptype == V_ASN1_OBJECT && pv) {
		curve = pv;
		jadd(j, "key_curve",
		     json_object_new_string(
			     x509_oid_name(curve, buf, sizeof(buf))));
		nist = cr_EC_curve_nid2nist(cr_OBJ_obj2nid(curve));
		if (nist)
			jadd(j, "key_curve_nist", json_object_new_string(nist));
	}
	pk = cr_X509_get0_pubkey(x);
	bits = pk ? cr_EVP_PKEY_get_bits(pk) : 0;
	if (bits > 0)
		jadd(j, "key_bits", json_object_new_int(bits));
	cr_ERR_clear_error();
}

/* The fields of one certificate; a reason in @why when one is invalid. */
static struct json_object *cert_json(const struct x509_item *it, size_t idx,
				     char *why, size_t wlen)
{
	struct json_object *j = json_object_new_object();
	const X509_ALGOR *sig = NULL;
	const ASN1_OBJECT *so = NULL;
	X509 *x = it->x;
	char buf[128];

	jadd(j, "index", json_object_new_int((int)idx));
	jadd(j, "offset", json_object_new_int64((int64_t)it->off));
	jadd(j, "der_len", json_object_new_int64((int64_t)it->len));
	jadd(j, "version",
	     json_object_new_int((int)cr_X509_get_version(x) + 1));
	jadd(j, "subject", x509_name_json(cr_X509_get_subject_name(x)));
	jadd(j, "issuer", x509_name_json(cr_X509_get_issuer_name(x)));
	jadd(j, "serial_hex", serial_json(cr_X509_get0_serialNumber(x)));
	if (time_text(cr_X509_get0_notBefore(x), buf, sizeof(buf)))
		jadd(j, "not_before", json_object_new_string(buf));
	else
		snprintf(why, wlen, "invalid notBefore");
	if (time_text(cr_X509_get0_notAfter(x), buf, sizeof(buf)))
		jadd(j, "not_after", json_object_new_string(buf));
	else
		snprintf(why, wlen, "invalid notAfter");
	key_json(j, x);
	cr_X509_get0_signature(NULL, &sig, x);
	if (sig)
		cr_X509_ALGOR_get0(&so, NULL, NULL, sig);
	if (!so || cr_OBJ_obj2txt(buf, sizeof(buf), so, 0) <= 0)
		snprintf(buf, sizeof(buf), "unknown");
	jadd(j, "signature_algorithm", json_object_new_string(buf));
	if (sig && cr_X509_ALGOR_cmp(sig, cr_X509_get0_tbs_sigalg(x)))
		snprintf(
			why, wlen,
			"signature algorithm differs from the one in tbsCertificate");
	jadd(j, "self_signed",
	     json_object_new_boolean(cr_X509_self_signed(x, 0) == 1));
	jadd(j, "extensions", x509_ext_json(x));
	cr_ERR_clear_error();
	return j;
}

static void free_items(struct x509_parsed *p)
{
	for (size_t i = 0; i < p->n; i++)
		cr_X509_free(p->c[i].x);
	p->n = 0;
}

/* Certificates end to end over [off, end); false with p->why on error. */
static bool tile(struct x509_parsed *p, size_t off, size_t end)
{
	char err[80];

	free_items(p);
	p->why[0] = 0;
	if (off >= end) {
		snprintf(p->why, sizeof(p->why),
			 "no certificate after the SPDM chain header");
		return false;
	}
	while (off < end) {
		const uint8_t *q = p->buf + off;
		X509 *x;

		if (p->n == X509_MAX_CERTS) {
			snprintf(p->why, sizeof(p->why),
				 "more than %d certificates", X509_MAX_CERTS);
			return false;
		}
		if (end - off >= 2 && q[0] == 0x30 && q[1] == 0x80) {
			snprintf(
				p->why, sizeof(p->why),
				"certificate %zu at offset %zu: indefinite length (BER, not DER)",
				p->n, off);
			return false;
		}
		x = cr_d2i_X509(NULL, &q, (long)(end - off));
		if (!x) {
			tsm_crypto_error(err, sizeof(err));
			snprintf(
				p->why, sizeof(p->why),
				"certificate %zu at offset %zu: not a DER X.509 certificate (%s)",
				p->n, off, err[0] ? err : "malformed");
			return false;
		}
		p->c[p->n].x = x;
		p->c[p->n].off = off;
		p->c[p->n].len = (size_t)(q - (p->buf + off));
		off += p->c[p->n++].len;
	}
	p->end = end;
	return true;
}

/*
 * The SPDM header with a @hash-byte root hash, if its certificates tile
 * up to its length; a length beyond the object is an error after the
 * certificates that are there.
 */
static bool split_spdm(struct x509_parsed *p, size_t hash)
{
	uint16_t l = ev_le16(p->buf);
	size_t at = SPDM_HDR_LEN + hash;

	if (!tile(p, at, l < p->len ? l : p->len))
		return false;
	p->spdm = true;
	p->spdm_length = l;
	p->hash_len = hash;
	if (l <= p->len)
		return true;
	snprintf(
		p->why, sizeof(p->why),
		"SPDM chain length %u beyond the end of the object (%zu bytes)",
		l, p->len);
	return false;
}

/*
 * An SPDM header (root hash of 48, 32 or 64 bytes: the size whose
 * certificates tile the chain) or plain DER certificates. On failure
 * p->why says why and p->c holds what parsed before it, of the SPDM
 * reading when the header is plausible, else of the plain one.
 */
static bool split(struct x509_parsed *p)
{
	static const size_t hashes[] = { 48, 32, 64 };
	uint16_t l = p->len >= SPDM_HDR_LEN ? ev_le16(p->buf) : 0;
	size_t cand = 0;

	for (size_t i = 0; i < ARRAY_SIZE(hashes); i++) {
		size_t at = SPDM_HDR_LEN + hashes[i];

		if (l < at || at >= p->len || p->buf[at] != 0x30)
			continue;
		if (split_spdm(p, hashes[i]))
			return true;
		cand = cand ? cand : hashes[i];
	}
	if (p->buf[0] == 0x30 && tile(p, 0, p->len))
		return true;
	if (cand) {
		char why[X509_WHY_MAX];

		if (!split_spdm(p, cand) && !p->spdm) {
			snprintf(why, sizeof(why), "%s", p->why);
			snprintf(p->why, sizeof(p->why),
				 "SPDM chain with a %zu-byte root hash: %.140s",
				 cand, why);
		}
	} else if (p->buf[0] != 0x30) {
		snprintf(
			p->why, sizeof(p->why),
			"neither DER certificates nor an SPDM certificate chain (first bytes %02x%02x)",
			p->buf[0], p->len > 1 ? p->buf[1] : 0);
	}
	return false;
}

static struct json_object *chain_head(size_t len)
{
	struct json_object *o = json_object_new_object();

	jadd(o, "kind", json_object_new_string("certificate_chain"));
	jadd(o, "length", json_object_new_int64((int64_t)len));
	return o;
}

/* A chain that could not be read at all: the whole shape, nothing in it */
static struct json_object *chain_fail(struct json_object *o, const char *why)
{
	jadd(o, "valid", json_object_new_boolean(0));
	jadd(o, "error", json_object_new_string(why));
	jadd(o, "spdm_header", json_object_new_boolean(0));
	jadd(o, "count", json_object_new_int(0));
	jadd(o, "certificates", json_object_new_array());
	jadd(o, "verified", json_object_new_boolean(0));
	jadd(o, "verification",
	     json_object_new_string("not verified: nothing decoded"));
	return o;
}

struct json_object *x509_chain_decode(const uint8_t *buf, size_t len,
				      const struct x509_anchors *anchors)
{
	struct json_object *o = chain_head(len), *arr;
	struct x509_parsed *p;
	struct tsm_err e;
	char why[X509_WHY_MAX] = "";
	bool ok;

	if (!len)
		return chain_fail(o, "empty certificate chain");
	if (tsm_crypto_load("decoding certificates", &e))
		return chain_fail(o, e.msg);
	p = calloc(1, sizeof(*p));
	if (!p)
		return chain_fail(o, "out of memory");
	p->buf = buf;
	p->len = len;
	ok = split(p);
	arr = json_object_new_array();
	for (size_t i = 0; i < p->n; i++) {
		char cwhy[120] = "";

		json_object_array_add(arr, cert_json(&p->c[i], i, cwhy,
						     sizeof(cwhy)));
		if (cwhy[0] && !why[0])
			snprintf(why, sizeof(why),
				 "certificate %zu at offset %zu: %s", i,
				 p->c[i].off, cwhy);
	}
	if (!ok)
		snprintf(why, sizeof(why), "%s", p->why);
	jadd(o, "valid", json_object_new_boolean(!why[0]));
	if (why[0])
		jadd(o, "error", json_object_new_string(why));
	jadd(o, "spdm_header", json_object_new_boolean(p->spdm));
	if (p->spdm) {
		jadd(o, "spdm_length", json_object_new_int(p->spdm_length));
		jadd(o, "root_hash_hex",
		     x509_hex_json(buf + SPDM_HDR_LEN, p->hash_len));
	}
	if (ok && p->spdm && len > p->spdm_length)
		jadd(o, "trailing_bytes",
		     json_object_new_int64((int64_t)(len - p->spdm_length)));
	jadd(o, "count", json_object_new_int((int)p->n));
	jadd(o, "certificates", arr);
	x509_verify_json(o, arr, ok ? p : NULL, anchors);
	free_items(p);
	free(p);
	return o;
}

bool x509_is_pem(const uint8_t *buf, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", buf[i]) && buf[i])
		i++;
	return len - i >= 10 && !memcmp(buf + i, "-----BEGIN", 10);
}

int x509_pem_to_der(const uint8_t *buf, size_t len, const char *what,
		    uint8_t **der, size_t *dlen, struct tsm_err *e)
{
	BIO *b;
	X509 *x;
	uint8_t *out = NULL, *g;
	size_t n = 0;
	int k = 0, rc = 0;

	*der = NULL;
	*dlen = 0;
	if (tsm_crypto_load("reading PEM certificates", e))
		return -ELIBACC;
	b = cr_BIO_new_mem_buf(buf, (int)len);
	if (!b)
		return -ENOMEM;
	while (!rc && (x = cr_PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		int l = cr_i2d_X509(x, NULL);
		unsigned char *q;

		g = l > 0 ? realloc(out, n + (size_t)l) : NULL;
		if (!g) {
			rc = -ENOMEM;
		} else {
			out = g;
			q = out + n;
			cr_i2d_X509(x, &q);
			n += (size_t)l;
			k++;
		}
		cr_X509_free(x);
	}
	cr_BIO_free(b);
	/* the end of the text ends the loop: PEM_R_NO_START_LINE */
	if (!rc && (!k || ERR_GET_REASON(cr_ERR_peek_last_error()) !=
				  PEM_R_NO_START_LINE)) {
		tsm_err_set(e, EINVAL, NULL, what, "%s: %s", what,
			    k ? "a PEM block that is not a certificate" :
				"no PEM CERTIFICATE block");
		rc = -EINVAL;
	}
	cr_ERR_clear_error();
	if (rc) {
		free(out);
		return rc;
	}
	*der = out;
	*dlen = n;
	return 0;
}
