// SPDX-License-Identifier: GPL-2.0
/*
 * A TDISP interface report body (pci-tsm evidence "report"): what parses
 * has every range readable.
 */
#include "evidence.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdisp_report r;
	struct tdisp_mmio_range m;
	const char *why;
	const char *names[16];

	if (tdisp_report_parse(data, size, &r, &why))
		return 0;
	for (uint32_t i = 0; i < r.range_count && i < 4096; i++)
		tdisp_report_range(data, &r, i, &m);
	tdisp_interface_info_names(r.interface_info, names, 16);
	return 0;
}
