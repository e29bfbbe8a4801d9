// SPDX-License-Identifier: GPL-2.0
/*
 * The strict JSON reader (lib/jsonstrict.c): any bytes. What it accepts
 * must write back (lib/jsonw.c) as valid UTF-8 JSON that it accepts
 * again and that writes back the same.
 */
#include <string.h>

#include "fuzz.h"
#include "jsonstrict.h"
#include "jsonw.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o = NULL, *o2 = NULL;
	struct tsm_strbuf a = { 0 }, b = { 0 };
	struct tsm_err e;

	if (tsm_json_parse_strict((const char *)data, size, "fuzz", &o, &e))
		return 0;
	FUZZ_CHECK(!tsm_json_write(&a, o));
	FUZZ_CHECK(tsm_utf8_valid(a.p, a.len));
	FUZZ_CHECK(!tsm_json_parse_strict(a.p, a.len, "again", &o2, &e));
	FUZZ_CHECK(!tsm_json_write(&b, o2));
	FUZZ_CHECK(a.len == b.len && !memcmp(a.p, b.p, a.len));
	json_object_put(o);
	json_object_put(o2);
	tsm_strbuf_free(&a);
	tsm_strbuf_free(&b);
	return 0;
}
