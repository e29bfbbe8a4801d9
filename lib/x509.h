/* SPDX-License-Identifier: GPL-2.0 */
/*
 * X.509 certificates and SPDM certificate chains (evidence objects
 * cert0..cert7, docs/evidence.md), decoded and verified by OpenSSL's
 * libcrypto (opened at first use, lib/crypto.h).
 *
 * A chain is either an SPDM chain as the kernel returns it ({u16 length,
 * u16 reserved, root hash of 32, 48 or 64 bytes} then DER certificates,
 * root first) or DER certificates end to end. Each certificate shows
 * what `openssl x509` shows: names in RFC 4514 form exactly as
 * `openssl x509 -nameopt RFC2253,-esc_msb` prints them, the serial with
 * its sign, validity, key and signature algorithms and curves by the
 * names OpenSSL gives them, and the extensions decoded (subject alt
 * names, basic constraints, key usage, extended key usage, key
 * identifiers, and the DMTF SPDM OIDs 1.3.6.1.4.1.412.274.1 to .6 by
 * name with their values; others as decoded ASN.1).
 *
 * Nothing prints or exits. Allocation failures yield NULL documents.
 */
#ifndef TSMCTL_X509_H
#define TSMCTL_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct json_object;

/* Trust anchors for chain verification (dump --trust-anchor). */
struct x509_anchors;

/*
 * Load every certificate of the files @paths (PEM, one or more
 * certificates each, or one DER certificate). A file that cannot be read
 * or holds no certificate is an error naming @flag and the file.
 */
int x509_anchors_load(const char *const *paths, size_t n, const char *flag,
		      struct x509_anchors **out, struct tsm_err *e);
void x509_anchors_free(struct x509_anchors *a);

/*
 * The decode entry point: @len bytes of a certificate chain in, a
 * "certificate_chain" JSON object out (tests/schema/req.json, $defs
 * decoded), never NULL except when out of memory. Malformed input gives
 * "valid": false, an "error" naming the certificate and its offset, and
 * the certificates decoded before it. With @anchors (may be NULL) the
 * chain is verified with X509_verify_cert: "verified", "verification" and
 * per certificate "verify_error"; an SPDM chain's root hash is checked
 * against the hash of its root certificate either way.
 */
struct json_object *x509_chain_decode(const uint8_t *buf, size_t len,
				      const struct x509_anchors *anchors);

/* Whether @buf starts like PEM text ("-----BEGIN", after blanks). */
bool x509_is_pem(const uint8_t *buf, size_t len);

/*
 * The CERTIFICATE blocks of PEM text as DER certificates end to end
 * (malloc'd in *@der). -EINVAL naming @what when there is none or one is
 * malformed; -ELIBACC without libcrypto.
 */
int x509_pem_to_der(const uint8_t *buf, size_t len, const char *what,
		    uint8_t **der, size_t *dlen, struct tsm_err *e);

#endif
