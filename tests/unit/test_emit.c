// SPDX-License-Identifier: GPL-2.0
/*
 * lib/emit.c: the same calls through the text sink and through the json-c
 * tree sink (written by lib/jsonw.c) give the same bytes, for literal and
 * computed keys, strings that need escaping or are not UTF-8, integers at
 * their limits, nesting, spliced trees; lib/describe.c's cached
 * description is the uncached one; and the fast envelope reader
 * (lib/envelope_fast.c) accepts only what the strict one accepts, with
 * the same result.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "describe.h"
#include "emit.h"
#include "envelope.h"
#include "envelope_int.h"
#include "jsonw.h"
#include "tap.h"

static void members(struct tsm_emit *em, const char *key, const char *s)
{
	static const uint8_t bytes[] = { 0x00, 0x7f, 0x80, 0xff };
	char computed[32];

	snprintf(computed, sizeof(computed), "%s_name", key);
	tsm_emit_u64(em, "zero", 0);
	tsm_emit_u64(em, "max", UINT64_MAX);
	tsm_emit_u64(em, "over", (uint64_t)INT64_MAX + 1);
	tsm_emit_i64(em, "min", INT64_MIN);
	tsm_emit_i64(em, "neg", -42);
	tsm_emit_bool(em, "t", true);
	tsm_emit_bool(em, "f", false);
	tsm_emit_null(em, "n");
	tsm_emit_str(em, "s", s);
	tsm_emit_str(em, key, s);
	tsm_emit_u64(em, computed, 7);
	tsm_emit_hex(em, "hex", bytes, sizeof(bytes));
	tsm_emit_hex(em, "empty", bytes, 0);
	tsm_emit_obj(em, "obj");
	tsm_emit_arr(em, "arr");
	tsm_emit_obj(em, NULL);
	tsm_emit_end(em);
	tsm_emit_obj(em, NULL);
	tsm_emit_str(em, "in", "array");
	tsm_emit_end(em);
	tsm_emit_end(em);
	tsm_emit_json(em, "tree", json_tokener_parse("{\"a\":[1,\"x\"]}"));
	tsm_emit_end(em);
}

/* The text sink's bytes against the tree sink's written by jsonw */
static void same(struct tap *t, const char *key, const char *s,
		 const char *what)
{
	struct tsm_strbuf text = { 0 }, tree = { 0 };
	struct json_object *root = json_object_new_object();
	struct tsm_emit em;

	tsm_emit_text(&em, &text);
	tsm_emit_obj(&em, NULL);
	members(&em, key, s);
	tsm_emit_end(&em);
	tsm_emit_tree(&em, root);
	members(&em, key, s);
	tsm_json_write(&tree, root);
	tap_ok(t, text.len == tree.len && !memcmp(text.p, tree.p, text.len),
	       what);
	if (text.len != tree.len || memcmp(text.p, tree.p, text.len))
		printf("#   text: %.*s\n#   tree: %.*s\n", (int)text.len,
		       text.p, (int)tree.len, tree.p);
	json_object_put(root);
	tsm_strbuf_free(&text);
	tsm_strbuf_free(&tree);
}

static void cached(struct tap *t)
{
	const struct tsm_profile *p = tsm_profile_find("v6");
	struct tsm_strbuf a = { 0 }, b = { 0 };
	struct tsm_desc_cache c = { 0 };
	struct tsm_emit ea, eb;
	struct tsm_image img;
	int i;

	tsm_emit_text(&ea, &a);
	tsm_emit_text(&eb, &b);
	tsm_emit_obj(&ea, NULL);
	tsm_emit_obj(&eb, NULL);
	for (i = 0; i < 3; i++) { /* miss, hit, miss on other bytes */
		tsm_build_op(p, 1, i == 2 ? 9 : 3, &img);
		tsm_describe_ioctl(&ea, "ioctl", TSM_NAME_OP, &p->op, &img, 0,
				   true);
		tsm_describe_ioctl_cached(&eb, &c, "ioctl", TSM_NAME_OP, &p->op,
					  &img, 0, true);
	}
	tsm_emit_end(&ea);
	tsm_emit_end(&eb);
	tap_ok(t, a.len && a.len == b.len && !memcmp(a.p, b.p, a.len),
	       "a cached description is the description");
	tsm_desc_cache_free(&c);
	tsm_strbuf_free(&a);
	tsm_strbuf_free(&b);
}

#define FAST_OK 6 /* the first ones: the fast reader's own */
static const char *const envelopes[] = {
	"{\"command\":\"bind\",\"vdevice_id\":3}",
	" { \"vdevice_id\" : 4294967295 , \"command\" : \"unbind\" } ",
	"{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"cca\",\"op\":\"validate-mmio\",\"fields\":{\"gpa_base\":\"0x80000000\",\"gpa_top\":\"0x80010000\",\"pa_base\":4096}}",
	"{\"command\":\"req\",\"vdevice_id\":4,\"arch\":\"sev\",\"op\":3,\"payload_hex\":\"00 11:22\",\"resp_len\":16,\"force\":true,\"cca_codes\":\"rsi\"}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"scope\":\"info\",\"fields\":{}}",
	"{\"command\":\"set-run\",\"vdevice_id\":3,\"arch\":\"cca\",\"state\":\"lock\",\"force\":false}",
	/* each refused, or left to the strict reader */
	"{\"command\":\"bind\",\"vdevice_id\":3,\"arch\":\"cca\"}",
	"{\"command\":\"bind\",\"vdevice_id\":3,\"vdevice_id\":4}",
	"{\"command\":\"bind\",\"vdevice_id\":\"3\"}",
	"{\"command\":\"bind\",\"vdevice_id\":4294967296}",
	"{\"command\":\"bind\",\"vdevice_id\":03}",
	"{\"command\":\"bind\",\"vdevice_id\":3.0}",
	"{\"command\":\"bind\",\"vdevice_id\":-3}",
	"{\"command\":\"bind\",\"vdevice_id\":3} x",
	"{\"command\":\"bind\",\"vdevice_id\":3",
	"{\"command\":\"b\\u0069nd\",\"vdevice_id\":3}",
	"{\"command\":\"set-run\",\"vdevice_id\":3,\"op\":\"x\"}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"CCA\",\"op\":\"x\"}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"op\":\"\"}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"fields\":{\"a\":1,\"a\":2}}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"fields\":{\"a=b\":1}}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"payload_hex\":\"zz\"}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"resp_len\":16777217}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"cca_codes\":\"x\"}",
	"{\"command\":\"req\",\"vdevice_id\":3,\"force\":1}",
	"{\"vdevice_id\":3}",
	"{}",
	"[]",
	"",
};

/* tsm_envelope_parse() (fast first) against the strict reader alone */
static void fast_is_strict(struct tap *t)
{
	static struct tsm_envelope a, b;
	struct tsm_err ea, eb;
	size_t i;
	int ra, rb;
	char what[64];

	for (i = 0; i < sizeof(envelopes) / sizeof(envelopes[0]); i++) {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		memset(&ea, 0, sizeof(ea));
		memset(&eb, 0, sizeof(eb));
		ra = tsm_envelope_parse(envelopes[i], strlen(envelopes[i]), "t",
					&a, &ea);
		rb = tsm_envelope_parse_strict(
			envelopes[i], strlen(envelopes[i]), "t", &b, &eb);
		snprintf(what, sizeof(what), "envelope %zu: as strictly read",
			 i);
		tap_ok(t,
		       ra == rb && !memcmp(&a, &b, sizeof(a)) &&
			       !memcmp(&ea, &eb, sizeof(ea)),
		       what);
		if (i >= FAST_OK)
			continue;
		memset(&a, 0, sizeof(a));
		snprintf(what, sizeof(what),
			 "envelope %zu: read without a tree", i);
		tap_ok(t,
		       !tsm_envelope_parse_fast(envelopes[i],
						strlen(envelopes[i]), &a),
		       what);
	}
}

int main(void)
{
	struct tap t = { 0 };

	same(&t, "plain", "fd 7", "plain key and value: same bytes");
	same(&t, "q\"uote", "a\"b\\c\n\t\x01", "escapes: same bytes");
	same(&t, "k", "caf\xc3\xa9 \xff\xfe", "UTF-8 and invalid bytes");
	same(&t, "k",
	     "a string longer than the plain copy of the text sink takes, "
	     "which goes through the escaping writer",
	     "long string: same bytes");
	cached(&t);
	fast_is_strict(&t);
	printf("1..%d\n", t.n);
	return t.failed ? 1 : 0;
}
