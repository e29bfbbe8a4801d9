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
#define MAX_KEYS 64

/*
 * Duplicate keys, per object, for objects up to MAX_DEPTH deep and the
 * first MAX_KEYS keys of each (envelopes are far smaller). Keys are
 * compared as raw string tokens.
 */
static int find_duplicate(const char *s, size_t len, char *dup, size_t dlen)
{
	struct {
		bool is_obj;
		unsigned int nkeys;
		size_t key[MAX_KEYS];
		size_t klen[MAX_KEYS];
	} *st;
	int depth = -1, rc = 0;
	bool expect_key = false;
	size_t i = 0, j, k;

	st = calloc(MAX_DEPTH, sizeof(*st));
	if (!st)
		return -ENOMEM;
	while (i < len) {
		char c = s[i];

		if (c == '{' || c == '[') {
			if (++depth >= MAX_DEPTH)
				break;
			st[depth].is_obj = c == '{';
			st[depth].nkeys = 0;
			expect_key = c == '{';
			i++;
		} else if (c == '}' || c == ']') {
			depth--;
			expect_key = false;
			i++;
		} else if (c == ',') {
			expect_key = depth >= 0 && st[depth].is_obj;
			i++;
		} else if (c == '"') {
			j = skip_string(s, i, len);
			if (expect_key && depth >= 0) {
				for (k = 0; k < st[depth].nkeys; k++)
					if (st[depth].klen[k] == j - i &&
					    !memcmp(s + st[depth].key[k], s + i,
						    j - i)) {
						snprintf(dup, dlen, "%.*s",
							 (int)(j - i - 2), s + i + 1);
						rc = 1;
						goto out;
					}
				if (st[depth].nkeys < MAX_KEYS) {
					st[depth].key[st[depth].nkeys] = i;
					st[depth].klen[st[depth].nkeys++] = j - i;
				}
				expect_key = false;
			}
			i = j;
		} else {
			i++;
		}
	}
out:
	free(st);
	return rc;
}

int tsm_json_parse_strict(const char *buf, size_t len, const char *origin,
			  struct json_object **out, struct tsm_err *e)
{
	struct json_tokener *tok;
	struct json_object *root;
	size_t end, i = 0;
	char dup[64];

	*out = NULL;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	if (i == len) {
		tsm_err_set(e, EINVAL, origin, NULL, "%s: empty input", origin);
		return -EINVAL;
	}
	if (memchr(buf, 0, len)) {
		tsm_err_set(e, EINVAL, origin, NULL,
			    "%s: contains a NUL byte", origin);
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
		tsm_err_set(e, EINVAL, origin, NULL,
			    "%s: trailing data after the JSON value at byte %zu",
			    origin, end);
		json_object_put(root);
		return -EINVAL;
	}
	if (find_duplicate(buf, len, dup, sizeof(dup)) == 1) {
		tsm_err_set(e, EINVAL, dup, NULL,
			    "%s: duplicate key \"%s\"", origin, dup);
		json_object_put(root);
		return -EINVAL;
	}
	*out = root;
	return 0;
}

int tsm_json_check_keys(struct json_object *o, const char *const *allowed,
			const char *where, struct tsm_err *e)
{
	json_object_object_foreach(o, k, v)
	{
		const char *const *a;

		(void)v;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, k))
				break;
		if (!*a) {
			char list[256] = "";
			size_t off = 0;

			for (a = allowed; *a; a++)
				off += (size_t)snprintf(
					list + off,
					off < sizeof(list) ? sizeof(list) - off : 0,
					"%s%s", a == allowed ? "" : ", ", *a);
			tsm_err_set(e, EINVAL, k, NULL,
				    "%s: unknown key \"%s\" (accepted: %s)", where,
				    k, list);
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
			tsm_err_set(e, EINVAL, field, NULL,
				    "\"%s\": negative number %lld (accepted 0..%llu)",
				    field, (long long)json_object_get_int64(v),
				    (unsigned long long)max);
			return -EINVAL;
		}
		*out = json_object_get_uint64(v);
		if (*out > max) {
			tsm_err_set(e, EINVAL, field, NULL,
				    "\"%s\": %s out of range (accepted 0..%llu)",
				    field, json_object_to_json_string(v),
				    (unsigned long long)max);
			return -EINVAL;
		}
		return 0;
	case json_type_string:
		snprintf(buf, sizeof(buf), "\"%s\"", field);
		return tsm_parse_u64(json_object_get_string(v), max, buf, out, e);
	default:
		tsm_err_set(e, EINVAL, field, NULL,
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
