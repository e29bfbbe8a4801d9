// SPDX-License-Identifier: GPL-2.0
/*
 * Strict DER reader (see der.h): definite minimal lengths, single-byte
 * tags, every read bounded; the first failure's reason is kept.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "der.h"
#include "evidence.h"

/* Record "what: msg at offset N" (first failure only); returns -EINVAL. */
__attribute__((format(printf, 4, 5))) int der_fail(struct xerr *e,
						   const uint8_t *pos,
						   const char *what,
						   const char *fmt, ...)
{
	char msg[EVIDENCE_WHY_MAX];
	va_list ap;

	if (e->set || !e->why || !e->whylen)
		return -EINVAL;
	e->set = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pos)
		snprintf(e->why, e->whylen, "%s: %s at offset %zu", what, msg,
			 (size_t)(pos - e->base));
	else
		snprintf(e->why, e->whylen, "%s: %s", what, msg);
	return -EINVAL;
}

/* Read one TLV from c (strict DER lengths) and advance past it. */
int der_next(struct cur *c, struct der *t, struct xerr *e, const char *what)
{
	size_t hdr = 2, len, k, i;

	if (c->n < 2)
		return der_fail(e, c->p, what,
				"truncated DER header (%zu bytes left)", c->n);
	t->tag = c->p[0];
	if ((t->tag & 0x1f) == 0x1f)
		return der_fail(e, c->p, what,
				"high-tag-number form not supported");
	len = c->p[1];
	if (len == 0x80)
		return der_fail(e, c->p, what, "indefinite length is not DER");
	if (len > 0x80) {
		k = len & 0x7f;
		if (k > 4 || c->n < 2 + k)
			return der_fail(e, c->p, what, "bad %zu-byte length",
					k);
		for (i = 0, len = 0; i < k; i++)
			len = (len << 8) | c->p[2 + i];
		if (c->p[2] == 0 || len < 0x80)
			return der_fail(e, c->p, what, "non-minimal length");
		hdr += k;
	}
	if (len > c->n - hdr)
		return der_fail(e, c->p, what,
				"length %zu exceeds the %zu bytes available",
				len, c->n - hdr);
	t->raw = c->p;
	t->rawlen = hdr + len;
	t->val = c->p + hdr;
	t->len = len;
	c->p += t->rawlen;
	c->n -= t->rawlen;
	return 0;
}

int der_expect(struct cur *c, uint8_t tag, struct der *t, struct xerr *e,
	       const char *what)
{
	if (der_next(c, t, e, what))
		return -EINVAL;
	if (t->tag != tag)
		return der_fail(e, t->raw, what,
				"expected tag 0x%02x, found 0x%02x", tag,
				t->tag);
	return 0;
}

/* Optional element: read it only if the next tag matches. */
int der_opt(struct cur *c, uint8_t tag, struct der *t, bool *found,
	    struct xerr *e, const char *what)
{
	*found = c->n && c->p[0] == tag;
	return *found ? der_expect(c, tag, t, e, what) : 0;
}

int der_end(const struct cur *c, struct xerr *e, const char *what)
{
	if (c->n)
		return der_fail(e, c->p, what, "%zu unexpected bytes", c->n);
	return 0;
}
