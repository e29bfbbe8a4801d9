// SPDX-License-Identifier: GPL-2.0
/*
 * A --catalog file on top of the compiled-in catalogue: what loads must
 * have every value and default within its field's width and every field
 * inside the payload.
 */
#include <string.h>

#include "catalog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsm_catalog *c;
	struct tsm_err e;
	unsigned int i, j, k;

	if (!c) {
		c = malloc(sizeof(*c));
		FUZZ_CHECK(c);
	}
	tsm_catalog_init(c);
	if (tsm_catalog_parse(c, (const char *)data, size, "fuzz", &e))
		return 0;
	for (i = 0; i < c->n; i++) {
		const struct tsm_cat_entry *en = &c->e[i];

		for (j = 0; j < en->nfields; j++) {
			const struct tsm_cat_field *f = &en->fields[j];
			uint64_t max = f->size == 8 ?
					       UINT64_MAX :
					       (1ull << (8 * f->size)) - 1;

			FUZZ_CHECK(!en->from_file ||
				   (uint32_t)f->off + f->size <= en->req_len);
			FUZZ_CHECK(f->def <= max);
			for (k = 0; k < f->nvalues; k++)
				FUZZ_CHECK(f->values[k].v <= max);
		}
	}
	return 0;
}
