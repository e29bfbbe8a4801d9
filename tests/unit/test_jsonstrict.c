// SPDX-License-Identifier: GPL-2.0
/*
 * The strict JSON reader (lib/jsonstrict.c) against RFC 8259 and its own
 * limits, and the UTF-8 helpers (lib/utf8.c): every rule has a case that
 * must be refused and one close to it that must be accepted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonstrict.h"
#include "tap.h"
#include "utf8.h"

static int parse_n(const char *s, size_t n, struct json_object **o,
		   struct tsm_err *e)
{
	memset(e, 0, sizeof(*e));
	return tsm_json_parse_strict(s, n, "t", o, e);
}

/* @s must be refused with @needle in the message */
static void bad(struct tap *t, const char *s, const char *needle, size_t n,
		const char *what)
{
	struct json_object *o = NULL;
	struct tsm_err e;
	int rc = parse_n(s, n ? n : strlen(s), &o, &e);

	tap_ok(t, rc == -EINVAL && !o && strstr(e.msg, needle), what);
	if (rc != -EINVAL || !strstr(e.msg, needle))
		printf("#   rc %d msg: %s\n", rc, e.msg);
	json_object_put(o);
}

/* @s must be accepted and write back (json-c, plain) as @want */
static void good(struct tap *t, const char *s, const char *want,
		 const char *what)
{
	struct json_object *o = NULL;
	struct tsm_err e;
	int rc = parse_n(s, strlen(s), &o, &e);
	const char *got =
		rc ? e.msg :
		     json_object_to_json_string_ext(
			     o, JSON_C_TO_STRING_PLAIN |
					JSON_C_TO_STRING_NOSLASHESCAPE);

	tap_ok(t, !rc && !strcmp(got, want), what);
	if (rc || strcmp(got, want))
		printf("#   got: %s\n#   want: %s\n", got, want);
	json_object_put(o);
}

static void test_grammar(struct tap *t)
{
	good(t, " {\"a\" : [1, -2, 0, true, false, null, \"x\"]}\n",
	     "{\"a\":[1,-2,0,true,false,null,\"x\"]}", "all value kinds");
	good(t, "1.5e3", "1.5e3", "a double keeps its text");
	good(t, "-0", "0", "minus zero");
	good(t, "18446744073709551615", "18446744073709551615", "u64 max");
	good(t, "-9223372036854775808", "-9223372036854775808", "i64 min");
	good(t, "{}", "{}", "empty object");
	good(t, "[[]]", "[[]]", "nested empty array");
	bad(t, "{'a':1}", "single quotes", 0, "single-quoted key");
	bad(t, "{\"a\":'x'}", "single quotes", 0, "single-quoted value");
	/* the red-team reproducer: '}' inside a single-quoted key */
	bad(t,
	    "{\"command\":\"bind\",'x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}"
	    "}{':1,\"vdevice_id\":3}",
	    "single quotes", 0, "reproducer 1: braces in single quotes");
	bad(t, "01", "leading zero", 0, "leading zero");
	bad(t, "{\"a\":-01}", "leading zero", 0, "negative leading zero");
	bad(t, "1.", "digits must follow", 0, "bare decimal point");
	bad(t, ".5", "unexpected character", 0, "no integer part");
	bad(t, "1e", "exponent", 0, "empty exponent");
	bad(t, "+1", "unexpected character", 0, "plus sign");
	bad(t, "[1,]", "unexpected character", 0, "trailing comma in array");
	bad(t, "{\"a\":1,}", "expected a key", 0, "trailing comma in object");
	bad(t, "[1 2]", "expected ','", 0, "missing comma");
	bad(t, "{\"a\" 1}", "expected ':'", 0, "missing colon");
	bad(t, "// c\n1", "unexpected character", 0, "comment");
	bad(t, "/* c */ 1", "unexpected character", 0, "block comment");
	bad(t, "tru", "end of input", 0, "cut literal");
	bad(t, "True", "unexpected character", 0, "literal case");
	bad(t, "NaN", "unexpected character", 0, "NaN");
	bad(t, "[1", "end of input", 0, "unclosed array");
	bad(t, "{\"a\":1} 2", "trailing data", 0, "two values");
	bad(t, "", "empty input", 0, "empty");
	bad(t, "\"a", "end of input", 0, "unterminated string");
	bad(t, "\"a\\", "end of input", 0, "escape at end");
	bad(t, "\"\t\"", "control character", 0, "raw tab in a string");
	bad(t, "\"\\x41\"", "invalid escape", 0, "\\x escape");
	bad(t, "\"\\u12\"", "four hex digits", 0, "short \\u");
	bad(t, "{\"a\":1,\"a\":2}", "duplicate key \"a\"", 0, "duplicate key");
	bad(t, "{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\"", 0,
	    "duplicate key spelt with an escape");
	bad(t, "{\"a\":{\"b\":1,\"b\":1}}", "duplicate key \"b\"", 0,
	    "duplicate key nested");
	good(t, "[{\"a\":1},{\"a\":2}]", "[{\"a\":1},{\"a\":2}]",
	     "same key in sibling objects");
	bad(t, "18446744073709551616", "64-bit range", 0, "u64 max + 1");
	bad(t, "{\"x\":-9223372036854775809}", "\"x\": number", 0,
	    "i64 min - 1 names the key");
	bad(t, "\"a\\u0000b\"", "escaped NUL", 0, "escaped NUL");
	bad(t, "{\"a\":1}\0", "NUL byte", 8, "raw NUL");
}

static void test_depth(struct tap *t)
{
	char s[200];
	int i;

	for (i = 0; i < TSM_JSON_MAX_DEPTH; i++)
		s[i] = '[';
	for (i = 0; i < TSM_JSON_MAX_DEPTH; i++)
		s[TSM_JSON_MAX_DEPTH + i] = ']';
	s[2 * TSM_JSON_MAX_DEPTH] = 0;
	good(t, s, s, "32 levels");
	memmove(s + 1, s, strlen(s) + 1);
	s[0] = '[';
	strcat(s, "]");
	bad(t, s, "deeper than 32", 0, "33 levels");
}

static void test_utf8(struct tap *t)
{
	good(t, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "2, 3, 4 byte forms");
	good(t, "\"\\u00e9\\ud83d\\ude00\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"",
	     "\\u escapes and a surrogate pair become UTF-8");
	bad(t, "{\"command\":\"\xc3(\"}", "invalid UTF-8", 0,
	    "reproducer 3: bad continuation");
	bad(t, "\"\xc0\xaf\"", "invalid UTF-8", 0, "overlong 2-byte");
	bad(t, "\"\xe0\x80\xaf\"", "invalid UTF-8", 0, "overlong 3-byte");
	bad(t, "\"\xf0\x80\x80\xaf\"", "invalid UTF-8", 0, "overlong 4-byte");
	bad(t, "\"\xed\xa0\x80\"", "invalid UTF-8", 0, "encoded surrogate");
	bad(t, "\"\xf4\x90\x80\x80\"", "invalid UTF-8", 0, "above U+10FFFF");
	bad(t, "\"\xf5\x80\x80\x80\"", "invalid UTF-8", 0, "lead byte F5");
	bad(t, "\"\x80\"", "invalid UTF-8", 0, "lone continuation");
	bad(t, "\"\xe2\x82\"", "invalid UTF-8", 0, "cut sequence");
	bad(t, "\"\\ud800\"", "unpaired high", 0, "lone high surrogate");
	bad(t, "\"\\udc00\"", "unpaired low", 0, "lone low surrogate");
	bad(t, "\"\\ud800\\u0041\"", "unpaired high", 0,
	    "high surrogate before a non-surrogate");
	bad(t, "\xef\xbb\xbf{}", "unexpected character", 0, "BOM");
}

static void test_printable(struct tap *t)
{
	char out[32];

	tsm_utf8_printable("a\xc3(b\n\xc3\xa9", 7, out, sizeof(out));
	tap_ok(t, !strcmp(out, "a\\xc3(b\\x0a\xc3\xa9"),
	       "printable: bad byte and control as \\xNN, UTF-8 kept");
	tsm_utf8_printable("\xe2\x82\xac\xe2\x82\xac", 6, out, 5);
	tap_ok(t, !strcmp(out, "\xe2\x82\xac"),
	       "printable: cut at a character boundary");
	tap_ok(t, tsm_utf8_valid("\xc3\xa9", 2) && !tsm_utf8_valid("\xc3", 1),
	       "valid: whole and cut");
}

int main(void)
{
	struct tap t = { 0 };

	test_grammar(&t);
	test_depth(&t);
	test_utf8(&t);
	test_printable(&t);
	return tap_done(&t);
}
