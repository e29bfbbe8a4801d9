// SPDX-License-Identifier: GPL-2.0
/*
 * An ABI profile file (--abi-file, text or JSON): what loads must pass
 * the whole-profile check again.
 */
#include "abi.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsm_profile p;
	struct tsm_err e;

	if (tsm_profile_parse((const char *)data, size, "fuzz", &p, &e))
		return 0;
	FUZZ_CHECK(!tsm_profile_validate(&p, &e));
	return 0;
}
