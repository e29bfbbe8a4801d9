// SPDX-License-Identifier: GPL-2.0
/*
 * Strict JSON input for envelopes and catalogue files: exactly one value,
 * nothing but white space after it, no NUL bytes, and no duplicate keys
 * (json-c silently keeps the last one, which hides typos in harness
 * input). Plus typed getters that name the field in their errors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonstrict.h"

/* Skip a JSON string starting at s[i] == '"'; returns index after it. */
static size_t skip_string(const char *s, size_t i, size_t len)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

#define MAX_DEPTH 32
#define MAX_KEYS 512

/*
 * Checks on the raw text that json-c does not make: duplicate keys (per
 * object, up to MAX_DEPTH deep and the first MAX_KEYS keys of the objects
 * open at once), keys
 * written with escapes (which could hide a duplicate), escaped NULs in
 * strings (json-c would cut the value short), and integers outside the
 * 64-bit range (json-c would clamp them). Returns 0, or 1 with @why.
 */
static bool int_fits(const char *s, size_t n)
{
	static const char u64max[] = "18446744073709551615";
	static const char i64min[] = "9223372036854775808";
	bool neg = s[0] == '-';

	if (neg) {
		s++;
		n--;
	}
	while (n > 1 && s[0] == '0') {
		s++;
		n--;
	}
	if (neg)
		return n < sizeof(i64min) - 1 ||
		       (n == sizeof(i64min) - 1 && memcmp(s, i64min, n) <= 0);
	return n < sizeof(u64max) - 1 ||
	       (n == sizeof(u64max) - 1 && memcmp(s, u64max, n) <= 0);
}

static int scan_raw(const char *s, size_t len, char *why, size_t wlen)
{
	/*
	 * On the stack, no allocation per document: one stack of the keys
	 * of the objects open at once, each level's keys from its first.
	 * Each level is set when it opens: no need to clear any of it.
	 */
	struct {
		bool is_obj;
		unsigned int first; /* its keys: key[first .. nkeys) */
		size_t last, lastlen; /* the latest key, for messages */
	} st[MAX_DEPTH];
	struct {
		size_t off, len;
	} key[MAX_KEYS];
	unsigned int nkeys = 0;
	int depth = -1, rc = 0;
	bool expect_key = false;
	size_t i = 0, j, k;

	while (i < len) {
		char c = s[i];

		if (c == '{' || c == '[') {
			if (++depth >= MAX_DEPTH)
				break;
			st[depth].is_obj = c == '{';
			st[depth].first = nkeys;
			st[depth].last = 0;
			st[depth].lastlen = 0;
			expect_key = c == '{';
			i++;
		} else if (c == '}' || c == ']') {
			if (depth >= 0)
				nkeys = st[depth].first;
			depth--;
			expect_key = false;
			i++;
		} else if (c == ',') {
			expect_key = depth >= 0 && st[depth].is_obj;
			i++;
		} else if (c == '"') {
			j = skip_string(s, i, len);
			if (memmem(s + i, j - i, "\\u0000", 6)) {
				snprintf(
					why, wlen,
					"escaped NUL (\\u0000) in a string at byte %zu",
					i);
				rc = 1;
				goto out;
			}
			if (expect_key && depth >= 0) {
				if (memchr(s + i + 1, '\\', j - i - 1)) {
					snprintf(
						why, wlen,
						"key at byte %zu uses an escape: write keys as plain text",
						i);
					rc = 1;
					goto out;
				}
				for (k = st[depth].first; k < nkeys; k++)
					if (key[k].len == j - i &&
					    !memcmp(s + key[k].off, s + i,
						    j - i)) {
						snprintf(
							why, wlen,
							"duplicate key \"%.*s\"",
							(int)(j - i - 2),
							s + i + 1);
						rc = 1;
						goto out;
					}
				if (nkeys < MAX_KEYS) {
					key[nkeys].off = i;
					key[nkeys++].len = j - i;
				}
				st[depth].last = i + 1;
				st[depth].lastlen = j - i - 2;
				expect_key = false;
			}
			i = j;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			j = i + 1;
			while (j < len && s[j] >= '0' && s[j] <= '9')
				j++;
			if ((j >= len || !strchr(".eE", s[j])) &&
			    !int_fits(s + i, j - i)) {
				bool named = depth >= 0 && st[depth].is_obj &&
					     st[depth].lastlen;

				snprintf(
					why, wlen,
					"%s%.*s%snumber %.*s%s at byte %zu is outside the 64-bit range",
					named ? "\"" : "",
					named ? (int)st[depth].lastlen : 0,
					named ? s + st[depth].last : "",
					named ? "\": " : "",
					(int)(j - i > 24 ? 24 : j - i), s + i,
					j - i > 24 ? "..." : "", i);
				rc = 1;
				goto out;
			}
			i = j;
		} else {
			i++;
		}
	}
out:
	return rc;
}

int tsm_json_parse_strict(const char *buf, size_t len, const char *origin,
			  struct json_object **out, struct tsm_err *e)
{
	struct json_tokener *tok;
	struct json_object *root;
	size_t end, i = 0;
	char why[160];

	*out = NULL;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	if (i == len) {
		tsm_err_set(e, EINVAL, origin, NULL, "%s: empty input", origin);
		return -EINVAL;
	}
	if (memchr(buf, 0, len)) {
		tsm_err_set(e, EINVAL, origin, NULL, "%s: contains a NUL byte",
			    origin);
		return -EINVAL;
	}
	tok = json_tokener_new_ex(MAX_DEPTH);
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!root) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		tsm_err_set(e, EINVAL, origin, NULL,
			    "%s: invalid JSON at byte %zu: %s", origin, end,
			    je == json_tokener_continue ?
				    "unexpected end of input" :
				    json_tokener_error_desc(je));
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	while (end < len && strchr(" \t\r\n", buf[end]))
		end++;
	if (end < len) {
		tsm_err_set(
			e, EINVAL, origin, NULL,
			"%s: trailing data after the JSON value at byte %zu",
			origin, end);
		json_object_put(root);
		return -EINVAL;
	}
	if (scan_raw(buf, len, why, sizeof(why)) == 1) {
		const char *q = strchr(why, '"');

		tsm_err_set(e, EINVAL, origin, NULL, "%s: %s", origin, why);
		if (q)
			snprintf(e->field, sizeof(e->field), "%.*s",
				 (int)strcspn(q + 1, "\""), q + 1);
		json_object_put(root);
		return -EINVAL;
	}
	*out = root;
	return 0;
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
