/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by lib/x509.c, x509_ext.c and x509_verify.c. Internal to lib/. */
#ifndef TSMCTL_X509_INT_H
#define TSMCTL_X509_INT_H

#include <json-c/json.h>

#include "crypto.h"
#include "x509.h"

#define X509_MAX_CERTS 16 /* decoded per chain; more is an error */
#define X509_WHY_MAX 200

#define jadd(o, k, v)                                \
	json_object_object_add_ex((o), "" k "", (v), \
				  JSON_C_OBJECT_ADD_CONSTANT_KEY)

struct x509_item {
	X509 *x;
	size_t off; /* in the chain buffer */
	size_t len; /* DER length */
};

/* A chain split into certificates. */
struct x509_parsed {
	const uint8_t *buf;
	size_t len;
	bool spdm;
	uint16_t spdm_length;
	size_t hash_len; /* SPDM root hash, at offset 4 */
	size_t end; /* end of the certificates */
	size_t n;
	struct x509_item c[X509_MAX_CERTS];
	char why[X509_WHY_MAX]; /* "" when every byte was a certificate */
};

/* Lowercase hex as a JSON string. */
struct json_object *x509_hex_json(const uint8_t *b, size_t len);
/* An OID's name: the DMTF SPDM names, else OpenSSL's short name, else
 * the dotted form. @buf holds at least 96 bytes. */
const char *x509_oid_name(const ASN1_OBJECT *o, char *buf, size_t len);
/* {"oid", "name"} of an OID. */
struct json_object *x509_oid_json(const ASN1_OBJECT *o);
/* A name as `openssl x509 -nameopt RFC2253,-esc_msb` prints it. */
struct json_object *x509_name_json(const X509_NAME *n);

/* The "extensions" array of a certificate (x509_ext.c). */
struct json_object *x509_ext_json(X509 *x);

/*
 * Verification and the SPDM root hash check (x509_verify.c): adds
 * "root_hash_matches"/"root_hash_algorithm", "verified" and
 * "verification" to @chain and "verify_error" to the objects in @certs.
 */
void x509_verify_json(struct json_object *chain, struct json_object *certs,
		      const struct x509_parsed *p,
		      const struct x509_anchors *a);

#endif
