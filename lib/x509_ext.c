// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate extensions as JSON (lib/x509.h): the ones a device
 * certificate carries decoded by OpenSSL's own extension methods
 * (X509V3_EXT_d2i), the DMTF SPDM ones and any other by their ASN.1
 * value (d2i_ASN1_TYPE, recursively), with OIDs by name.
 *
 * Each: {"oid", "name", "critical", "value"}; "value" is
 *   subjectAltName, issuerAltName  [{"type", "value"}, ...]
 *   basicConstraints               {"ca", "path_len"}
 *   keyUsage                       ["digitalSignature", ...]
 *   extendedKeyUsage               [{"name", "oid"}, ...]
 *   subjectKeyIdentifier           "hex"
 *   authorityKeyIdentifier         {"key_id", "issuer", "serial_hex"}
 *   anything else                  its ASN.1 value (see asn1_json)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "x509_int.h"

#define ASN1_DEPTH 8

static struct json_object *type_json(const ASN1_TYPE *t, int depth);

static const char *const key_usages[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment",
	"dataEncipherment", "keyAgreement",   "keyCertSign",
	"cRLSign",	    "encipherOnly",   "decipherOnly",
};

static int stk_num(const void *sk)
{
	return sk ? cr_OPENSSL_sk_num(sk) : 0;
}

static void *stk_value(const void *sk, int i)
{
	return cr_OPENSSL_sk_value(sk, i);
}

/* An ASN.1 string as UTF-8 text, or its bytes as hex. */
static struct json_object *string_json(const ASN1_STRING *s)
{
	unsigned char *u = NULL;
	int n = cr_ASN1_STRING_to_UTF8(&u, s);
	struct json_object *o;

	if (n < 0)
		return x509_hex_json(cr_ASN1_STRING_get0_data(s),
				     (size_t)cr_ASN1_STRING_length(s));
	o = json_object_new_string_len((const char *)u, n);
	cr_CRYPTO_free(u, __FILE__, __LINE__);
	return o;
}

/* {"hex": ...}: bytes that are not text */
static struct json_object *bytes_json(const char *key, const ASN1_STRING *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, key,
			       x509_hex_json(cr_ASN1_STRING_get0_data(s),
					     (size_t)cr_ASN1_STRING_length(s)));
	return o;
}

/* INTEGER / ENUMERATED: a number when it fits, else {"integer_hex"} */
static struct json_object *int_json(const ASN1_STRING *s)
{
	const unsigned char *d = cr_ASN1_STRING_get0_data(s);
	int n = cr_ASN1_STRING_length(s),
	    neg = cr_ASN1_STRING_type(s) & V_ASN1_NEG;
	int64_t v = 0;

	if (n > 7)
		return bytes_json(neg ? "negative_integer_hex" : "integer_hex",
				  s);
	for (int i = 0; i < n; i++)
		v = v << 8 | d[i];
	return json_object_new_int64(neg ? -v : v);
}

/* SEQUENCE or SET: each element (the DER of the whole in @s) */
static struct json_object *seq_json(const ASN1_STRING *s, bool set, int depth)
{
	const unsigned char *p = cr_ASN1_STRING_get0_data(s);
	long n = cr_ASN1_STRING_length(s);
	STACK_OF(ASN1_TYPE) * sk;
	struct json_object *a;

	sk = set ? cr_d2i_ASN1_SET_ANY(NULL, &p, n) :
		   cr_d2i_ASN1_SEQUENCE_ANY(NULL, &p, n);
	if (!sk)
		return bytes_json("der_hex", s);
	a = json_object_new_array();
	for (int i = 0; i < stk_num(sk); i++)
		json_object_array_add(a,
				      type_json(stk_value(sk, i), depth + 1));
	cr_OPENSSL_sk_pop_free((OPENSSL_STACK *)sk,
			       (void (*)(void *))cr_ASN1_TYPE_free);
	return a;
}

static struct json_object *type_json(const ASN1_TYPE *t, int depth)
{
	switch (t->type) {
	case V_ASN1_BOOLEAN:
		return json_object_new_boolean(t->value.boolean);
	case V_ASN1_NULL:
		return NULL;
	case V_ASN1_OBJECT:
		return x509_oid_json(t->value.object);
	case V_ASN1_INTEGER:
	case V_ASN1_ENUMERATED:
	case V_ASN1_NEG_INTEGER:
	case V_ASN1_NEG_ENUMERATED:
		return int_json(t->value.integer);
	case V_ASN1_OCTET_STRING:
		return bytes_json("hex", t->value.octet_string);
	case V_ASN1_BIT_STRING:
		return bytes_json("bits_hex", t->value.bit_string);
	case V_ASN1_SEQUENCE:
	case V_ASN1_SET:
		if (depth < ASN1_DEPTH)
			return seq_json(t->value.sequence,
					t->type == V_ASN1_SET, depth);
		return bytes_json("der_hex", t->value.sequence);
	case V_ASN1_UTF8STRING:
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_T61STRING:
	case V_ASN1_BMPSTRING:
	case V_ASN1_UNIVERSALSTRING:
	case V_ASN1_VISIBLESTRING:
	case V_ASN1_NUMERICSTRING:
	case V_ASN1_UTCTIME:
	case V_ASN1_GENERALIZEDTIME:
		return string_json(t->value.asn1_string);
	default: /* context-specific tags and the rest: the TLV as it is */
		return bytes_json("der_hex", t->value.asn1_string);
	}
}

/*
 * One DER value as JSON: true/false, null, numbers, strings, OIDs as
 * {"name", "oid"}, SEQUENCE/SET as arrays, bytes as {"hex"},
 * {"bits_hex"} or, for what does not decode, {"der_hex"}.
 */
static struct json_object *asn1_json(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	ASN1_TYPE *t = cr_d2i_ASN1_TYPE(NULL, &p, (long)len);
	struct json_object *o, *h;

	if (!t || p != der + len) {
		cr_ASN1_TYPE_free(t);
		cr_ERR_clear_error();
		o = json_object_new_object();
		h = x509_hex_json(der, len);
		json_object_object_add(o, "der_hex", h);
		return o;
	}
	o = type_json(t, 0);
	cr_ASN1_TYPE_free(t);
	return o;
}

static struct json_object *gn_json(const GENERAL_NAME *g);

static struct json_object *gns_json(const GENERAL_NAMES *gs)
{
	struct json_object *a = json_object_new_array();

	for (int i = 0; i < stk_num(gs); i++)
		json_object_array_add(a, gn_json(stk_value(gs, i)));
	return a;
}

static struct json_object *ip_json(const ASN1_OCTET_STRING *s)
{
	const unsigned char *d = cr_ASN1_STRING_get0_data(s);
	int n = cr_ASN1_STRING_length(s);
	char buf[INET6_ADDRSTRLEN];

	if ((n == 4 && inet_ntop(AF_INET, d, buf, sizeof(buf))) ||
	    (n == 16 && inet_ntop(AF_INET6, d, buf, sizeof(buf))))
		return json_object_new_string(buf);
	return x509_hex_json(d, (size_t)(n > 0 ? n : 0));
}

/* One GeneralName: {"type", "value"}; otherName also {"oid", "name"}. */
static struct json_object *gn_json(const GENERAL_NAME *g)
{
	struct json_object *o = json_object_new_object(), *v = NULL;
	const char *type = "other";
	char buf[128];

	switch (g->type) {
	case GEN_EMAIL:
		type = "email";
		v = string_json(g->d.rfc822Name);
		break;
	case GEN_DNS:
		type = "DNS";
		v = string_json(g->d.dNSName);
		break;
	case GEN_URI:
		type = "URI";
		v = string_json(g->d.uniformResourceIdentifier);
		break;
	case GEN_IPADD:
		type = "IP";
		v = ip_json(g->d.iPAddress);
		break;
	case GEN_DIRNAME:
		type = "dirName";
		v = x509_name_json(g->d.directoryName);
		break;
	case GEN_RID:
		type = "RID";
		v = json_object_new_string(
			x509_oid_name(g->d.registeredID, buf, sizeof(buf)));
		break;
	case GEN_OTHERNAME:
		type = "otherName";
		jadd(o, "name",
		     json_object_new_string(x509_oid_name(
			     g->d.otherName->type_id, buf, sizeof(buf))));
		cr_OBJ_obj2txt(buf, sizeof(buf), g->d.otherName->type_id, 1);
		jadd(o, "oid", json_object_new_string(buf));
		v = type_json(g->d.otherName->value, 0);
		break;
	default: /* x400Address, ediPartyName */
		break;
	}
	jadd(o, "type", json_object_new_string(type));
	jadd(o, "value", v);
	return o;
}

static struct json_object *bc_json(const BASIC_CONSTRAINTS *bc)
{
	struct json_object *o = json_object_new_object();

	jadd(o, "ca", json_object_new_boolean(bc->ca != 0));
	if (bc->pathlen)
		jadd(o, "path_len", int_json(bc->pathlen));
	return o;
}

static struct json_object *ku_json(const ASN1_BIT_STRING *b)
{
	const unsigned char *d = cr_ASN1_STRING_get0_data(b);
	int n = cr_ASN1_STRING_length(b);
	struct json_object *a = json_object_new_array();

	for (int i = 0; i < n * 8; i++) {
		char name[16];

		if (!(d[i / 8] & (0x80 >> (i % 8))))
			continue;
		if ((size_t)i < ARRAY_SIZE(key_usages))
			json_object_array_add(
				a, json_object_new_string(key_usages[i]));
		else {
			snprintf(name, sizeof(name), "bit%d", i);
			json_object_array_add(a, json_object_new_string(name));
		}
	}
	return a;
}

static struct json_object *eku_json(const EXTENDED_KEY_USAGE *e)
{
	struct json_object *a = json_object_new_array();

	for (int i = 0; i < stk_num(e); i++)
		json_object_array_add(a, x509_oid_json(stk_value(e, i)));
	return a;
}

static struct json_object *aki_json(const AUTHORITY_KEYID *k)
{
	struct json_object *o = json_object_new_object();

	if (k->keyid)
		jadd(o, "key_id",
		     x509_hex_json(cr_ASN1_STRING_get0_data(k->keyid),
				   (size_t)cr_ASN1_STRING_length(k->keyid)));
	if (k->issuer)
		jadd(o, "issuer", gns_json(k->issuer));
	if (k->serial)
		jadd(o, "serial_hex",
		     x509_hex_json(cr_ASN1_STRING_get0_data(k->serial),
				   (size_t)cr_ASN1_STRING_length(k->serial)));
	return o;
}

/* A value OpenSSL's extension method decoded, or NULL if not ours. */
static struct json_object *known_json(int nid, const void *v)
{
	switch (nid) {
	case NID_subject_alt_name:
	case NID_issuer_alt_name:
		return gns_json(v);
	case NID_basic_constraints:
		return bc_json(v);
	case NID_key_usage:
		return ku_json(v);
	case NID_ext_key_usage:
		return eku_json(v);
	case NID_subject_key_identifier:
		return x509_hex_json(cr_ASN1_STRING_get0_data(v),
				     (size_t)cr_ASN1_STRING_length(v));
	case NID_authority_key_identifier:
		return aki_json(v);
	default:
		return NULL;
	}
}

static bool known_nid(int nid)
{
	return nid == NID_subject_alt_name || nid == NID_issuer_alt_name ||
	       nid == NID_basic_constraints || nid == NID_key_usage ||
	       nid == NID_ext_key_usage || nid == NID_subject_key_identifier ||
	       nid == NID_authority_key_identifier;
}

static struct json_object *ext_value(X509_EXTENSION *ex, int nid)
{
	const ASN1_OCTET_STRING *d = cr_X509_EXTENSION_get_data(ex);
	const X509V3_EXT_METHOD *m;
	struct json_object *o = NULL;
	void *v;

	if (known_nid(nid) && (m = cr_X509V3_EXT_get(ex)) && m->it &&
	    (v = cr_X509V3_EXT_d2i(ex))) {
		o = known_json(nid, v);
		cr_ASN1_item_free(v, ASN1_ITEM_ptr(m->it));
		return o;
	}
	cr_ERR_clear_error();
	return asn1_json(cr_ASN1_STRING_get0_data(d),
			 (size_t)cr_ASN1_STRING_length(d));
}

struct json_object *x509_ext_json(X509 *x)
{
	struct json_object *a = json_object_new_array();
	int n = cr_X509_get_ext_count(x);

	for (int i = 0; i < n; i++) {
		X509_EXTENSION *ex = cr_X509_get_ext(x, i);
		ASN1_OBJECT *obj = cr_X509_EXTENSION_get_object(ex);
		struct json_object *o = x509_oid_json(obj);

		jadd(o, "critical",
		     json_object_new_boolean(
			     cr_X509_EXTENSION_get_critical(ex) > 0));
		jadd(o, "value", ext_value(ex, cr_OBJ_obj2nid(obj)));
		json_object_array_add(a, o);
	}
	return a;
}
