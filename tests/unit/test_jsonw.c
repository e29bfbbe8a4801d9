// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/jsonw.c: for every value type, every byte in strings
 * and keys, the integer extremes and random trees, tsm_json_write gives
 * the bytes json-c gives with JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE (what tsmctl printed before it), and
 * tsm_json_write_pretty those of JSON_C_TO_STRING_PRETTY |
 * JSON_C_TO_STRING_SPACED but for empty containers ("[]", "{}"); a flushed buffer writes the same bytes, except
 * that a byte which does not start valid UTF-8 is written as U+FFFD
 * (json-c copies it raw, which is not JSON).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonw.h"
#include "utf8.h"
#include "util.h"
#include "tap.h"

/* json-c's text of @o with @flags, each byte not starting valid UTF-8 as
 * U+FFFD */
static const char *jsonc_text(struct json_object *o, int flags)
{
	static char out[65536];
	const char *s = json_object_to_json_string_ext(
		o, flags | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s);

	if (3 * n >= sizeof(out))
		return "(too long for the test)";
	out[tsm_utf8_fix(s, n, out)] = 0;
	return out;
}

/* json-c's pretty text with its empty containers on one line ("[\n  ]"
 * -> "[]"): strings hold no raw newline, so each one is structural */
static const char *one_line_empty(const char *s)
{
	static char out[65536];
	size_t i = 0, o = 0, j;

	while (s[i] && o + 1 < sizeof(out)) {
		if ((s[i] == '[' || s[i] == '{') && s[i + 1] == '\n') {
			for (j = i + 2; s[j] == ' '; j++)
				;
			if (s[j] == (s[i] == '[' ? ']' : '}')) {
				out[o++] = s[i];
				i = j;
				continue;
			}
		}
		out[o++] = s[i++];
	}
	out[o] = 0;
	return out;
}

/* compact and pretty: the bytes json-c writes */
static int same(struct tap *t, struct json_object *o, const char *what)
{
	static const int flags[2] = {
		JSON_C_TO_STRING_PLAIN,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED,
	};
	struct tsm_strbuf b = { 0 };
	int ok = 1;

	for (int i = 0; i < 2; i++) {
		const char *want = i ? one_line_empty(jsonc_text(o, flags[i])) :
				       jsonc_text(o, flags[i]);
		int rc = i ? tsm_json_write_pretty(&b, o) :
			     tsm_json_write(&b, o);

		if (rc || b.len != strlen(want) || memcmp(b.p, want, b.len)) {
			printf("#   %s got:  %.*s\n#   want: %s\n",
			       i ? "pretty" : "compact", (int)b.len,
			       b.p ? b.p : "", want);
			ok = 0;
		}
		b.len = 0;
	}
	tap_ok(t, ok, what);
	tsm_strbuf_free(&b);
	return ok;
}

static void test_scalars(struct tap *t)
{
	static const int64_t ints[] = {
		0,	   1,	      -1,	 9,	    10,		  -10,
		INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, 1234567890123
	};
	static const uint64_t uints[] = { (uint64_t)INT64_MAX + 1, UINT64_MAX,
					  0x8000000000000001ull };
	static const double dbls[] = { 0.0, 1.5, -0.1, 1e300, 3.0 };
	struct json_object *o;
	char what[64];
	size_t i;

	same(t, NULL, "NULL is null");
	o = json_object_new_null();
	same(t, o, "null object");
	json_object_put(o);
	for (i = 0; i < 2; i++) {
		o = json_object_new_boolean((int)i);
		same(t, o, i ? "true" : "false");
		json_object_put(o);
	}
	for (i = 0; i < ARRAY_SIZE(ints); i++) {
		o = json_object_new_int64(ints[i]);
		snprintf(what, sizeof(what), "int64 %lld", (long long)ints[i]);
		same(t, o, what);
		json_object_put(o);
	}
	for (i = 0; i < ARRAY_SIZE(uints); i++) {
		o = json_object_new_uint64(uints[i]);
		snprintf(what, sizeof(what), "uint64 %llu",
			 (unsigned long long)uints[i]);
		same(t, o, what);
		json_object_put(o);
	}
	for (i = 0; i < ARRAY_SIZE(dbls); i++) {
		o = json_object_new_double(dbls[i]);
		snprintf(what, sizeof(what), "double %g", dbls[i]);
		same(t, o, what);
		json_object_put(o);
	}
}

static void test_bytes(struct tap *t)
{
	char s[257] = { 0 }, what[64]; /* s[256] ends the key below */
	struct json_object *o;
	int c;

	/* each byte alone, then all of them in one string and as a key */
	for (c = 0; c < 256; c++) {
		s[0] = (char)c;
		o = json_object_new_string_len(s, 1);
		snprintf(what, sizeof(what), "string of byte 0x%02x", c);
		same(t, o, what);
		json_object_put(o);
		s[c] = (char)c;
	}
	o = json_object_new_string_len(s, 256);
	same(t, o, "string of all 256 bytes, NUL included");
	json_object_put(o);
	o = json_object_new_object();
	json_object_object_add(o, s + 1, json_object_new_string("/a/b"));
	json_object_object_add(o, "", json_object_new_string(""));
	same(t, o, "keys with every non-NUL byte, empty key and value");
	json_object_put(o);
}

static void test_shapes(struct tap *t)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();

	same(t, o, "empty object");
	same(t, a, "empty array");
	json_object_array_add(a, NULL);
	json_object_array_add(a, json_object_new_object());
	json_object_array_add(a, json_object_new_array());
	json_object_object_add(o, "null", NULL);
	json_object_object_add(o, "list", a);
	json_object_object_add(o, "x", json_object_new_int(-7));
	same(t, o, "nested empty containers and null members");
	json_object_put(o);
	o = json_tokener_parse(
		"{\"schema_version\":1,\"command\":\"bind\",\"ok\":true,"
		"\"ioctl\":{\"name\":\"IOMMU_VDEVICE_TSM_OP\",\"request\":15254,"
		"\"fields\":{\"size\":16,\"type\":1}},\"result\":{\"rc\":-1,"
		"\"errno_name\":\"EIO\",\"tsm_code\":18446744073709551615,"
		"\"msg\":\"a \\\"quoted\\\"\\ttab\\n\"}}");
	same(t, o, "a result document");
	json_object_put(o);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct json_object *random_tree(uint64_t *s, int depth)
{
	struct json_object *o;
	char str[24];
	size_t i, n;

	switch (rnd(s) % (depth ? 8 : 5)) {
	case 0:
		return NULL;
	case 1:
		return json_object_new_boolean((int)(rnd(s) & 1));
	case 2:
		return json_object_new_int64((int64_t)rnd(s) >> (rnd(s) % 64));
	case 3:
		return json_object_new_uint64(rnd(s));
	case 4:
		n = rnd(s) % sizeof(str);
		for (i = 0; i < n; i++)
			str[i] = (char)rnd(s);
		return json_object_new_string_len(str, (int)n);
	case 5:
	case 6:
		o = json_object_new_object();
		n = rnd(s) % 6;
		for (i = 0; i < n; i++) {
			snprintf(str, sizeof(str), "k%zu\x01\"%c", i,
				 (char)(0x20 + rnd(s) % 0x60));
			json_object_object_add(o, str,
					       random_tree(s, depth - 1));
		}
		return o;
	default:
		o = json_object_new_array();
		n = rnd(s) % 6;
		for (i = 0; i < n; i++)
			json_object_array_add(o, random_tree(s, depth - 1));
		return o;
	}
}

static void test_random(struct tap *t)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct json_object *o;
	int i, bad = 0;
	char what[64];

	for (i = 0; i < 2000; i++) {
		struct tsm_strbuf b = { 0 };
		const char *want;

		o = random_tree(&seed, 4);
		want = jsonc_text(o, JSON_C_TO_STRING_PLAIN);
		if (tsm_json_write(&b, o) || b.len != strlen(want) ||
		    memcmp(b.p, want, b.len)) {
			if (!bad++)
				printf("#   tree %d: got %.*s\n#   want %s\n",
				       i, (int)b.len, b.p ? b.p : "", want);
		}
		tsm_strbuf_free(&b);
		json_object_put(o);
	}
	snprintf(what, sizeof(what), "2000 random trees (%d differ)", bad);
	tap_ok(t, !bad, what);
}

static void test_append(struct tap *t)
{
	struct tsm_strbuf b = { 0 };
	struct json_object *o = json_object_new_string("x");
	int i, ok = 1;

	/* the buffer is appended to and grows across documents */
	for (i = 0; i < 1000; i++)
		ok &= !tsm_json_write(&b, o) && !tsm_strbuf_add(&b, "\n", 1);
	ok &= b.len == 4000 && !memcmp(b.p + 3996, "\"x\"\n", 4);
	tap_ok(t, ok, "documents append to one buffer");
	tsm_strbuf_free(&b);
	json_object_put(o);
}

/* flush: the bytes go to @arg (another strbuf), a few at a time */
static int to_sink(struct tsm_strbuf *b)
{
	int rc = tsm_strbuf_add(b->arg, b->p, b->len);

	b->len = 0;
	return rc;
}

static int special_x(struct tsm_strbuf *b, struct json_object *o)
{
	(void)o;
	return tsm_strbuf_add(b, "\"X\"", 3);
}

static void noop(struct json_object *o, void *u)
{
	(void)o;
	(void)u;
}

static void test_stream(struct tap *t)
{
	struct json_object *o = json_object_new_object(), *a, *s;
	struct tsm_strbuf sink = { 0 }, whole = { 0 };
	struct tsm_strbuf b = { .flush = to_sink, .limit = 7, .arg = &sink };
	size_t peak = 0;

	a = json_object_new_array();
	for (int i = 0; i < 50; i++)
		json_object_array_add(a, json_object_new_int(i * 1000));
	json_object_object_add(o, "list", a);
	s = json_object_new_string("abc");
	json_object_set_userdata(s, &peak, noop);
	json_object_object_add(o, "blob", s);
	tap_ok(t,
	       !tsm_json_write(&whole, o) && !tsm_json_write(&b, o) &&
		       !to_sink(&b) && sink.len == whole.len &&
		       !memcmp(sink.p, whole.p, whole.len),
	       "flushed every 7 bytes: the same document");
	tap_ok(t, b.cap <= 512, "and the buffer stayed at its first size");
	b.len = sink.len = 0;
	b.special = special_x;
	tap_ok(t,
	       !tsm_json_write(&b, o) && !to_sink(&b) &&
		       strstr(sink.p, "\"blob\":\"X\"") != NULL,
	       "a string with userdata goes to the special writer");
	json_object_put(o);
	tsm_strbuf_free(&b);
	tsm_strbuf_free(&sink);
	tsm_strbuf_free(&whole);
}

int main(void)
{
	struct tap t = { 0 };

	test_scalars(&t);
	test_bytes(&t);
	test_shapes(&t);
	test_random(&t);
	test_append(&t);
	test_stream(&t);
	return tap_done(&t);
}
