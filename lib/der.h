/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict DER reader shared by the X.509 walker (lib/x509.c): one TLV at a
 * time, definite minimal lengths only, every read bounded by its cursor.
 * Helpers return 0 or -EINVAL; the first failure records its reason in
 * struct xerr, so call sequences chain with "||". Internal to lib/.
 */
#ifndef TSMCTL_DER_H
#define TSMCTL_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STR 0x04
#define DER_OID 0x06
#define DER_UTF8 0x0c
#define DER_NUMERIC 0x12
#define DER_PRINTABLE 0x13
#define DER_T61 0x14
#define DER_IA5 0x16
#define DER_UTCTIME 0x17
#define DER_GENTIME 0x18
#define DER_VISIBLE 0x1a
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_CTX0_C 0xa0 /* [0] EXPLICIT: version */
#define DER_CTX1_P 0x81 /* [1] IMPLICIT: issuerUniqueID */
#define DER_CTX2_P 0x82 /* [2] IMPLICIT: subjectUniqueID */
#define DER_CTX3_C 0xa3 /* [3] EXPLICIT: extensions */

struct der {
	uint8_t tag;
	const uint8_t *raw; /* start of the TLV */
	size_t rawlen; /* header + content */
	const uint8_t *val; /* content */
	size_t len; /* content length */
};

struct cur {
	const uint8_t *p;
	size_t n;
};

struct xerr {
	const uint8_t *base; /* offsets in messages are relative to this */
	char *why;
	size_t whylen;
	bool set;
};

/* Record "what: msg at offset N" (first failure only); returns -EINVAL. */
__attribute__((format(printf, 4, 5))) int der_fail(struct xerr *e,
						   const uint8_t *pos,
						   const char *what,
						   const char *fmt, ...);
/* Read one TLV from c (strict DER lengths) and advance past it. */
int der_next(struct cur *c, struct der *t, struct xerr *e, const char *what);
/* The same, and the tag must be @tag. */
int der_expect(struct cur *c, uint8_t tag, struct der *t, struct xerr *e,
	       const char *what);
/* Optional element: read it only if the next tag matches. */
int der_opt(struct cur *c, uint8_t tag, struct der *t, bool *found,
	    struct xerr *e, const char *what);
/* Nothing may follow in @c. */
int der_end(const struct cur *c, struct xerr *e, const char *what);

static inline struct cur der_inner(const struct der *t)
{
	struct cur c = { t->val, t->len };

	return c;
}

#endif
