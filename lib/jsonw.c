// SPDX-License-Identifier: GPL-2.0
/*
 * Compact JSON writer for json-c trees (see jsonw.h). Escaping follows
 * json-c's json_escape_str without slash escaping: '"' and '\\' and the
 * control characters below 0x20 are escaped (\b \t \n \f \r by name, the
 * rest as \u00xx in lower-case hex); valid UTF-8 is copied as is, and each
 * byte that does not start a valid sequence becomes U+FFFD, so the output
 * is always valid UTF-8 JSON whatever a string holds (json-c would copy
 * such bytes raw).
 * Doubles, the one type whose text json-c shapes by itself (precision,
 * per-object serializers), are written by json-c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonw.h"
#include "utf8.h"

static int grow(struct tsm_strbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 512;
	char *p;

	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static inline int reserve(struct tsm_strbuf *b, size_t n)
{
	return b->cap - b->len >= n ? 0 : grow(b, n);
}

static inline int put_c(struct tsm_strbuf *b, char c)
{
	if (reserve(b, 1))
		return -ENOMEM;
	b->p[b->len++] = c;
	return 0;
}

int tsm_strbuf_reserve(struct tsm_strbuf *b, size_t n)
{
	return reserve(b, n);
}

int tsm_strbuf_add(struct tsm_strbuf *b, const void *s, size_t n)
{
	if (reserve(b, n))
		return -ENOMEM;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

void tsm_strbuf_free(struct tsm_strbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int tsm_json_put_u64(struct tsm_strbuf *b, uint64_t v, bool neg)
{
	char tmp[21];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		tmp[--i] = '-';
	return tsm_strbuf_add(b, tmp + i, sizeof(tmp) - i);
}

static int put_int(struct tsm_strbuf *b, struct json_object *o)
{
	int64_t v = json_object_get_int64(o);

	/* a uint64 above INT64_MAX reads back as INT64_MAX */
	if (v == INT64_MAX)
		return tsm_json_put_u64(b, json_object_get_uint64(o), false);
	if (v < 0)
		return tsm_json_put_u64(b, (uint64_t)0 - (uint64_t)v, true);
	return tsm_json_put_u64(b, (uint64_t)v, false);
}

/* the bytes escaped: the control characters, '"' and '\\'; 2: non-ASCII,
 * checked as UTF-8 */
#define C8(c) c, c, c, c, c, c, c, c
static const unsigned char esc[256] = {
	C8(1),		C8(1), C8(1), C8(1), ['"'] = 1, ['\\'] = 1,
	[0x80] = C8(2), C8(2), C8(2), C8(2), C8(2),	C8(2),
	C8(2),		C8(2), C8(2), C8(2), C8(2),	C8(2),
	C8(2),		C8(2), C8(2), C8(2),
};

/* the longest escape is 6 bytes (\u00xx); reserve for the worst case */
int tsm_json_put_str(struct tsm_strbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;
	char *d;

	if (n > (SIZE_MAX - 2) / 6 || reserve(b, 6 * n + 2))
		return -ENOMEM;
	d = b->p + b->len;
	*d++ = '"';
	while (i < n) {
		for (run = i; run < n && !esc[u[run]]; run++)
			;
		memcpy(d, s + i, run - i);
		d += run - i;
		if (run == n)
			break;
		if (esc[u[run]] == 2) {
			size_t k = tsm_utf8_len(s + run, n - run);

			if (k) {
				memcpy(d, s + run, k);
				d += k;
			} else { /* U+FFFD */
				memcpy(d, "\xef\xbf\xbd", 3);
				d += 3;
				k = 1;
			}
			i = run + k;
			continue;
		}
		*d++ = '\\';
		switch (u[run]) {
		case '"':
		case '\\':
			*d++ = (char)u[run];
			break;
		case '\b':
			*d++ = 'b';
			break;
		case '\t':
			*d++ = 't';
			break;
		case '\n':
			*d++ = 'n';
			break;
		case '\f':
			*d++ = 'f';
			break;
		case '\r':
			*d++ = 'r';
			break;
		default:
			*d++ = 'u';
			*d++ = '0';
			*d++ = '0';
			*d++ = hex[u[run] >> 4];
			*d++ = hex[u[run] & 15];
		}
		i = run + 1;
	}
	*d++ = '"';
	b->len = (size_t)(d - b->p);
	return 0;
}

static inline int flush_due(struct tsm_strbuf *b)
{
	return b->flush && b->len >= b->limit ? b->flush(b) : 0;
}

int tsm_strbuf_maybe_flush(struct tsm_strbuf *b)
{
	return flush_due(b);
}

/* -1: compact; else the depth, for json-c's pretty layout */
static int write_any(struct tsm_strbuf *b, struct json_object *o, int level);

/* pretty: a newline, then two spaces per level */
static int indent(struct tsm_strbuf *b, int level)
{
	if (level < 0)
		return 0;
	if (reserve(b, 2 * (size_t)level + 1))
		return -ENOMEM;
	b->p[b->len++] = '\n';
	memset(b->p + b->len, ' ', 2 * (size_t)level);
	b->len += 2 * (size_t)level;
	return 0;
}

static int write_object(struct tsm_strbuf *b, struct json_object *o, int level)
{
	bool first = true;
	int rc, in = level < 0 ? -1 : level + 1;

	if (put_c(b, '{'))
		return -ENOMEM;
	json_object_object_foreach(o, k, v) {
		if ((!first && put_c(b, ',')) || indent(b, in) ||
		    tsm_json_put_str(b, k, strlen(k)) ||
		    (level < 0 ? put_c(b, ':') : tsm_strbuf_add(b, ": ", 2)))
			return -ENOMEM;
		rc = write_any(b, v, in);
		if (!rc)
			rc = flush_due(b);
		if (rc)
			return rc;
		first = false;
	}
	/* json-c writes "{\n" and the indent for none too: "{}" here */
	if (!first && indent(b, level))
		return -ENOMEM;
	return put_c(b, '}');
}

static int write_array(struct tsm_strbuf *b, struct json_object *o, int level)
{
	size_t i, n = json_object_array_length(o);
	int rc, in = level < 0 ? -1 : level + 1;

	if (put_c(b, '['))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if ((i && put_c(b, ',')) || indent(b, in))
			return -ENOMEM;
		rc = write_any(b, json_object_array_get_idx(o, i), in);
		if (!rc)
			rc = flush_due(b);
		if (rc)
			return rc;
	}
	/* json-c writes "[\n" and the indent for none too: "[]" here */
	if (n && indent(b, level))
		return -ENOMEM;
	return put_c(b, ']');
}

static int write_any(struct tsm_strbuf *b, struct json_object *o, int level)
{
	const char *s;

	switch (json_object_get_type(o)) {
	case json_type_null:
		return tsm_strbuf_add(b, "null", 4);
	case json_type_boolean:
		return json_object_get_boolean(o) ?
			       tsm_strbuf_add(b, "true", 4) :
			       tsm_strbuf_add(b, "false", 5);
	case json_type_int:
		return put_int(b, o);
	case json_type_string:
		if (b->special && json_object_get_userdata(o))
			return b->special(b, o);
		return tsm_json_put_str(b, json_object_get_string(o),
					(size_t)json_object_get_string_len(o));
	case json_type_object:
		return write_object(b, o, level);
	case json_type_array:
		return write_array(b, o, level);
	default:
		s = json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PLAIN |
				   JSON_C_TO_STRING_NOSLASHESCAPE);
		return tsm_strbuf_add(b, s, strlen(s));
	}
}

int tsm_json_write(struct tsm_strbuf *b, struct json_object *o)
{
	return write_any(b, o, -1);
}

int tsm_json_write_pretty(struct tsm_strbuf *b, struct json_object *o)
{
	return write_any(b, o, 0);
}
