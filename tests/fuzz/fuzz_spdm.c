// SPDX-License-Identifier: GPL-2.0
/*
 * An SPDM MEASUREMENTS response (pci-tsm evidence "measurements"), or a
 * bare measurement record when the first byte is odd.
 */
#include "evidence.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct spdm_meas_block blocks[8];
	struct spdm_meas m;
	const char *why;

	if (size < 1)
		return 0;
	if (!spdm_meas_parse(data + 1, size - 1,
			     data[0] & 1 ? SPDM_MEAS_F_RECORD_ONLY : 0, blocks,
			     8, &m, &why))
		for (size_t i = 0; i < m.count && i < 8; i++)
			spdm_meas_type_name(blocks[i].value_type);
	return 0;
}
