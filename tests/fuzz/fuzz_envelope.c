// SPDX-License-Identifier: GPL-2.0
/*
 * An envelope (req --envelope, a batch line) parsed, then resolved
 * against every compiled-in profile with the compiled-in catalogue: what
 * resolves must fit the limits the request is sent with. The reader
 * without a tree (lib/envelope_fast.c) must give what the strict one
 * gives, refusals included.
 */
#include <string.h>

#include "envelope.h"
#include "fuzz.h"

static const char *const profiles[] = { "v5", "v5-op", "v6", "v7" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsm_catalog *cat;
	static struct tsm_envelope env, strict;
	struct tsm_err es;
	static struct tsm_request r;
	struct tsm_err e;
	size_t i;

	if (!cat) {
		cat = malloc(sizeof(*cat));
		FUZZ_CHECK(cat);
		tsm_catalog_init(cat);
	}
	memset(&env, 0, sizeof(env));
	memset(&strict, 0, sizeof(strict));
	memset(&e, 0, sizeof(e));
	memset(&es, 0, sizeof(es));
	FUZZ_CHECK(tsm_envelope_parse((const char *)data, size, "fuzz", &env,
				      &e) ==
		   tsm_envelope_parse_strict((const char *)data, size, "fuzz",
					     &strict, &es));
	FUZZ_CHECK(!memcmp(&env, &strict, sizeof(env)));
	FUZZ_CHECK(!memcmp(&e, &es, sizeof(e)));
	if (e.msg[0])
		return 0;
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		const struct tsm_profile *p = tsm_profile_find(profiles[i]);

		FUZZ_CHECK(p);
		memset(&r, 0, sizeof(r));
		if (tsm_envelope_resolve(&env, p, cat, false, &r, &e))
			continue;
		FUZZ_CHECK(r.req_len <= TSM_PAYLOAD_MAX);
		FUZZ_CHECK(r.resp_len <= TSM_RESP_MAX);
	}
	return 0;
}
