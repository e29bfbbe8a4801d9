// SPDX-License-Identifier: GPL-2.0
/*
 * The one reader of user-supplied JSON (envelopes, batch lines, catalogue
 * and profile files, traces): RFC 8259 exactly, with the limits tsmctl
 * needs, building the json-c tree itself. json-c's tokener is lenient
 * even in strict mode (single-quoted strings, leading zeros, duplicate
 * keys kept silently, invalid UTF-8 copied through), so it never sees
 * user input. Rules beyond the RFC: no NUL byte, raw or escaped (\u0000
 * would cut a C string short); integers in the 64-bit range (json-c
 * would clamp them); nesting at most TSM_JSON_MAX_DEPTH; strings valid
 * UTF-8 per RFC 3629 (no overlong forms, no surrogates, also none
 * unpaired in \u escapes). One pass, no allocation but the tree's and a
 * scratch buffer for keys and escaped strings. Plus typed getters that
 * name the field in their errors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonstrict.h"
#include "utf8.h"

struct jp {
	const char *s;
	size_t len, i;
	unsigned int depth;
	const char *origin;
	struct tsm_err *e;
	char *tmp; /* scratch: unescaped strings, numbers with a fraction */
	size_t tmpcap;
	char stack[256];
	const char *key; /* the latest key, for number messages */
	size_t keylen;
};

/* byte classes in a string: 0 plain ASCII, 1 '"', 2 '\\', 3 control,
 * 4 non-ASCII (UTF-8 to check) */
#define C16(c) c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c
static const unsigned char str_class[256] = {
	C16(3), C16(3), ['"'] = 1, ['\\'] = 2, [0x80] = C16(4), C16(4),
	C16(4), C16(4), C16(4),	   C16(4),     C16(4),		C16(4),
};

static int jp_fail(struct jp *p, size_t at, const char *why)
{
	tsm_err_set(p->e, EINVAL, p->origin, NULL,
		    "%s: invalid JSON at byte %zu: %s", p->origin, at, why);
	return -EINVAL;
}

static void skip_ws(struct jp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
				 p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static int tmp_reserve(struct jp *p, size_t n)
{
	char *t;

	if (n <= p->tmpcap)
		return 0;
	t = malloc(n);
	if (!t)
		return -ENOMEM;
	if (p->tmp != p->stack)
		free(p->tmp);
	p->tmp = t;
	p->tmpcap = n;
	return 0;
}

static int hex4(const char *s, unsigned int *v)
{
	unsigned int i, c;

	*v = 0;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | c;
	}
	return 0;
}

/* One \uXXXX (or a surrogate pair) at s[p->i] == 'u', as UTF-8 into @d */
static int unicode_escape(struct jp *p, char **d)
{
	size_t at = p->i - 1;
	unsigned int cp, lo;

	if (p->len - p->i < 5 || hex4(p->s + p->i + 1, &cp))
		return jp_fail(p, at, "\\u needs four hex digits");
	p->i += 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return jp_fail(p, at, "unpaired low surrogate in a \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->len - p->i < 6 || p->s[p->i] != '\\' ||
		    p->s[p->i + 1] != 'u' || hex4(p->s + p->i + 2, &lo) ||
		    lo < 0xdc00 || lo > 0xdfff)
			return jp_fail(
				p, at,
				"unpaired high surrogate in a \\u escape");
		p->i += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!cp)
		return jp_fail(p, at, "escaped NUL (\\u0000) in a string");
	*d += tsm_utf8_put(cp, *d);
	return 0;
}

/* The escaped string of *@n bytes from @start decoded into p->tmp */
static int unescape(struct jp *p, size_t start, size_t *n)
{
	char *d = p->tmp;
	size_t k;
	int rc;

	for (k = start; k < start + *n;) {
		if (p->s[k] != '\\') {
			*d++ = p->s[k++];
			continue;
		}
		switch (p->s[k + 1]) {
		case '"':
		case '\\':
		case '/':
			*d++ = p->s[k + 1];
			break;
		case 'b':
			*d++ = '\b';
			break;
		case 'f':
			*d++ = '\f';
			break;
		case 'n':
			*d++ = '\n';
			break;
		case 'r':
			*d++ = '\r';
			break;
		case 't':
			*d++ = '\t';
			break;
		case 'u': {
			size_t save = p->i;

			p->i = k + 1;
			rc = unicode_escape(p, &d);
			k = p->i;
			p->i = save;
			if (rc)
				return rc;
			if (k > start + *n) /* a pair across the quote */
				return jp_fail(p, k, "bad \\u escape");
			continue;
		}
		default:
			return jp_fail(p, k, "invalid escape in a string");
		}
		k += 2;
	}
	*n = (size_t)(d - p->tmp);
	*d = 0;
	return 0;
}

/*
 * The string at s[p->i] == '"'. Without escapes it is left in place
 * (*@out into the input, not terminated); with them it is decoded into
 * p->tmp. *@n is its length.
 */
static int parse_string(struct jp *p, const char **out, size_t *n)
{
	size_t start = ++p->i, k;
	bool esc = false;
	int rc;

	for (;;) {
		unsigned char c;

		while (p->i < p->len && !str_class[(unsigned char)p->s[p->i]])
			p->i++;
		if (p->i >= p->len)
			return jp_fail(p, p->len, "unexpected end of input");
		c = (unsigned char)p->s[p->i];
		if (c == '"')
			break;
		if (c == '\\') {
			esc = true;
			p->i += 2; /* checked when decoded */
			continue;
		}
		if (c < 0x20)
			return jp_fail(
				p, p->i,
				"control character in a string (escape it)");
		k = tsm_utf8_len(p->s + p->i, p->len - p->i);
		if (!k)
			return jp_fail(p, p->i, "invalid UTF-8 in a string");
		p->i += k;
	}
	*n = p->i - start;
	p->i++;
	if (!esc) {
		*out = p->s + start;
		return 0;
	}
	/* decoded, never longer than the text */
	if (tmp_reserve(p, *n + 1))
		return -ENOMEM;
	rc = unescape(p, start, n);
	if (!rc)
		*out = p->tmp;
	return rc;
}

/* @neg and the digits of an integer: its json-c object, or NULL */
static struct json_object *make_int(const char *s, size_t n, bool neg)
{
	uint64_t v = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		unsigned int d = (unsigned int)(s[k] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return NULL;
		return json_object_new_int64(v ? (int64_t)(0 - (v - 1)) - 1 :
						 0);
	}
	if (v > INT64_MAX)
		return json_object_new_uint64(v);
	return json_object_new_int64((int64_t)v);
}

static int digits(struct jp *p)
{
	size_t from = p->i;

	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > from ? 0 : -1;
}

static int parse_number(struct jp *p, struct json_object **out)
{
	size_t start = p->i, int_start;
	bool neg = p->s[p->i] == '-', frac = false;

	if (neg)
		p->i++;
	int_start = p->i;
	if (digits(p))
		return jp_fail(p, p->i, "a number needs digits");
	if (p->s[int_start] == '0' && p->i - int_start > 1)
		return jp_fail(p, int_start, "leading zero in a number");
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		frac = true;
		if (digits(p))
			return jp_fail(p, p->i, "digits must follow '.'");
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		frac = true;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (digits(p))
			return jp_fail(p, p->i,
				       "digits must follow the exponent");
	}
	if (!frac) {
		size_t n = p->i - start;

		*out = make_int(p->s + int_start, p->i - int_start, neg);
		if (*out)
			return 0;
		tsm_err_set(
			p->e, EINVAL, p->origin, NULL,
			"%s: %s%.*s%snumber %.*s%s at byte %zu is outside the 64-bit range",
			p->origin, p->key ? "\"" : "",
			p->key ? (int)p->keylen : 0, p->key ? p->key : "",
			p->key ? "\": " : "", (int)(n > 24 ? 24 : n),
			p->s + start, n > 24 ? "..." : "", start);
		if (p->key)
			snprintf(p->e->field, sizeof(p->e->field), "%.*s",
				 (int)p->keylen, p->key);
		return -EINVAL;
	}
	if (tmp_reserve(p, p->i - start + 1))
		return -ENOMEM;
	memcpy(p->tmp, p->s + start, p->i - start);
	p->tmp[p->i - start] = 0;
	*out = json_object_new_double_s(strtod(p->tmp, NULL), p->tmp);
	return *out ? 0 : -ENOMEM;
}

static int parse_value(struct jp *p, struct json_object **out);

/* A key NUL-terminated in @buf (or a malloc'ed copy in *@heap) */
static const char *key_copy(const char *k, size_t n, char *buf, size_t cap,
			    char **heap)
{
	char *d = buf;

	if (n >= cap) {
		d = *heap = malloc(n + 1);
		if (!d)
			return NULL;
	}
	memcpy(d, k, n);
	d[n] = 0;
	return d;
}

static int object_member(struct jp *p, struct json_object *o)
{
	char buf[64], *heap = NULL;
	struct json_object *v;
	const char *k, *raw = p->s + p->i + 1;
	size_t n, at = p->i;
	int rc;

	rc = parse_string(p, &k, &n);
	if (rc)
		return rc;
	k = key_copy(k, n, buf, sizeof(buf), &heap);
	if (!k)
		return -ENOMEM;
	if (json_object_object_get_ex(o, k, NULL)) {
		tsm_err_set(p->e, EINVAL, p->origin, NULL,
			    "%s: duplicate key \"%s\" at byte %zu", p->origin,
			    k, at);
		snprintf(p->e->field, sizeof(p->e->field), "%s", k);
		rc = -EINVAL;
		goto out;
	}
	skip_ws(p);
	if (p->i >= p->len || p->s[p->i] != ':') {
		rc = jp_fail(p, p->i,
			     p->i >= p->len ? "unexpected end of input" :
					      "expected ':' after a key");
		goto out;
	}
	p->i++;
	p->key = raw;
	p->keylen = p->i - 1 - at - 2;
	rc = parse_value(p, &v);
	if (!rc &&
	    json_object_object_add_ex(o, k, v, JSON_C_OBJECT_ADD_KEY_IS_NEW)) {
		json_object_put(v);
		rc = -ENOMEM;
	}
out:
	free(heap);
	return rc;
}

static int parse_object(struct jp *p, struct json_object *o)
{
	int rc;

	skip_ws(p);
	if (p->i < p->len && p->s[p->i] == '}') {
		p->i++;
		return 0;
	}
	for (;;) {
		if (p->i >= p->len)
			return jp_fail(p, p->i, "unexpected end of input");
		if (p->s[p->i] != '"')
			return jp_fail(
				p, p->i,
				p->s[p->i] == '\'' ?
					"single quotes are not JSON (use \")" :
					"expected a key in double quotes");
		rc = object_member(p, o);
		if (rc)
			return rc;
		skip_ws(p);
		if (p->i >= p->len)
			return jp_fail(p, p->i, "unexpected end of input");
		if (p->s[p->i++] == '}')
			return 0;
		if (p->s[p->i - 1] != ',')
			return jp_fail(p, p->i - 1, "expected ',' or '}'");
		skip_ws(p);
	}
}

static int parse_array(struct jp *p, struct json_object *a)
{
	struct json_object *v;
	int rc;

	skip_ws(p);
	if (p->i < p->len && p->s[p->i] == ']') {
		p->i++;
		return 0;
	}
	for (;;) {
		p->key = NULL;
		rc = parse_value(p, &v);
		if (rc)
			return rc;
		if (json_object_array_add(a, v)) {
			json_object_put(v);
			return -ENOMEM;
		}
		skip_ws(p);
		if (p->i >= p->len)
			return jp_fail(p, p->i, "unexpected end of input");
		if (p->s[p->i++] == ']')
			return 0;
		if (p->s[p->i - 1] != ',')
			return jp_fail(p, p->i - 1, "expected ',' or ']'");
	}
}

static int parse_container(struct jp *p, bool obj, struct json_object **out)
{
	int rc;

	if (p->depth >= TSM_JSON_MAX_DEPTH)
		return jp_fail(p, p->i, "nested deeper than 32 levels");
	p->depth++;
	p->i++;
	*out = obj ? json_object_new_object() : json_object_new_array();
	if (!*out)
		return -ENOMEM;
	rc = obj ? parse_object(p, *out) : parse_array(p, *out);
	p->depth--;
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

static int literal(struct jp *p, const char *word, struct json_object *v,
		   struct json_object **out)
{
	size_t n = strlen(word);

	if (p->len - p->i < n || memcmp(p->s + p->i, word, n)) {
		json_object_put(v);
		return jp_fail(p, p->i,
			       p->len - p->i < n && !memcmp(p->s + p->i, word,
							    p->len - p->i) ?
				       "unexpected end of input" :
				       "unexpected character");
	}
	p->i += n;
	*out = v;
	return 0;
}

static int parse_value(struct jp *p, struct json_object **out)
{
	const char *s;
	size_t n;
	int rc;

	*out = NULL;
	skip_ws(p);
	if (p->i >= p->len)
		return jp_fail(p, p->i, "unexpected end of input");
	switch (p->s[p->i]) {
	case '{':
	case '[':
		return parse_container(p, p->s[p->i] == '{', out);
	case '"':
		rc = parse_string(p, &s, &n);
		if (rc)
			return rc;
		*out = json_object_new_string_len(s, (int)n);
		return *out ? 0 : -ENOMEM;
	case 't':
		return literal(p, "true", json_object_new_boolean(1), out);
	case 'f':
		return literal(p, "false", json_object_new_boolean(0), out);
	case 'n':
		return literal(p, "null", NULL, out);
	default:
		if (p->s[p->i] == '-' ||
		    (p->s[p->i] >= '0' && p->s[p->i] <= '9'))
			return parse_number(p, out);
		return jp_fail(p, p->i,
			       p->s[p->i] == '\'' ?
				       "single quotes are not JSON (use \")" :
				       "unexpected character");
	}
}

int tsm_json_parse_strict(const char *buf, size_t len, const char *origin,
			  struct json_object **out, struct tsm_err *e)
{
	struct jp p = { .s = buf, .len = len, .origin = origin, .e = e };
	int rc;

	*out = NULL;
	p.tmp = p.stack;
	p.tmpcap = sizeof(p.stack);
	skip_ws(&p);
	if (p.i == len) {
		tsm_err_set(e, EINVAL, origin, NULL, "%s: empty input", origin);
		return -EINVAL;
	}
	if (memchr(buf, 0, len)) {
		tsm_err_set(e, EINVAL, origin, NULL, "%s: contains a NUL byte",
			    origin);
		return -EINVAL;
	}
	rc = parse_value(&p, out);
	if (!rc) {
		skip_ws(&p);
		if (p.i < len) {
			tsm_err_set(
				e, EINVAL, origin, NULL,
				"%s: trailing data after the JSON value at byte %zu",
				origin, p.i);
			rc = -EINVAL;
		}
	}
	if (rc == -ENOMEM)
		tsm_err_set(e, ENOMEM, origin, NULL, "%s: out of memory",
			    origin);
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	if (p.tmp != p.stack)
		free(p.tmp);
	return rc;
}

int tsm_json_check_keys(struct json_object *o, const char *const *allowed,
			const char *where, struct tsm_err *e)
{
	json_object_object_foreach(o, k, v) {
		const char *const *a;

		for (a = allowed; *a; a++)
			if (!strcmp(*a, k))
				break;
		if (!*a) {
			char list[256] = "";
			size_t off = 0;

			for (a = allowed; *a; a++)
				off += (size_t)snprintf(
					list + off,
					off < sizeof(list) ?
						sizeof(list) - off :
						0,
					"%s%s", a == allowed ? "" : ", ", *a);
			tsm_err_set(e, EINVAL, k,
				    json_object_to_json_string_ext(
					    v, JSON_C_TO_STRING_PLAIN),
				    "%s: unknown key \"%s\" (accepted: %s)",
				    where, k, list);
			return -EINVAL;
		}
	}
	return 0;
}

int tsm_json_u64(struct json_object *v, const char *field, uint64_t max,
		 uint64_t *out, struct tsm_err *e)
{
	char buf[32];

	switch (json_object_get_type(v)) {
	case json_type_int:
		if (json_object_get_int64(v) < 0) {
			tsm_err_set(
				e, EINVAL, field, json_object_to_json_string(v),
				"\"%s\": negative number %lld (accepted 0..%llu)",
				field, (long long)json_object_get_int64(v),
				(unsigned long long)max);
			return -EINVAL;
		}
		*out = json_object_get_uint64(v);
		if (*out > max) {
			tsm_err_set(
				e, EINVAL, field, json_object_to_json_string(v),
				"\"%s\": %s out of range (accepted 0..%llu)",
				field, json_object_to_json_string(v),
				(unsigned long long)max);
			return -EINVAL;
		}
		return 0;
	case json_type_string:
		snprintf(buf, sizeof(buf), "\"%s\"", field);
		if (tsm_parse_u64(json_object_get_string(v), max, buf, out,
				  e)) {
			snprintf(e->field, sizeof(e->field), "%s", field);
			return -EINVAL;
		}
		return 0;
	default:
		tsm_err_set(
			e, EINVAL, field, NULL,
			"\"%s\": expected an integer or a decimal/0x-hex string, got %s",
			field, json_type_to_name(json_object_get_type(v)));
		return -EINVAL;
	}
}

int tsm_json_str(struct json_object *v, const char *field, const char **out,
		 struct tsm_err *e)
{
	if (!json_object_is_type(v, json_type_string)) {
		tsm_err_set(e, EINVAL, field, NULL,
			    "\"%s\": expected a string, got %s", field,
			    json_type_to_name(json_object_get_type(v)));
		return -EINVAL;
	}
	*out = json_object_get_string(v);
	return 0;
}

int tsm_json_bool(struct json_object *v, const char *field, bool *out,
		  struct tsm_err *e)
{
	if (!json_object_is_type(v, json_type_boolean)) {
		tsm_err_set(e, EINVAL, field, NULL,
			    "\"%s\": expected true or false, got %s", field,
			    json_type_to_name(json_object_get_type(v)));
		return -EINVAL;
	}
	*out = json_object_get_boolean(v);
	return 0;
}
