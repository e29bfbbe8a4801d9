// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence READ replies as received (netlink messages back to back)
 * through tsm_nl_evidence_parse, the reply rules of the dump; the first
 * two bytes are the type mask asked for, bit 15 of them picks the family
 * (device-evidence, with SUBSYS/GENERATION/LENGTH, or pci-tsm).
 */
#include "fuzz.h"
#include "nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsm_evidence ev;
	struct tsm_err e;
	uint32_t mask;

	if (size < 2)
		return 0;
	mask = (data[0] | (uint32_t)data[1] << 8) & PCI_TSM_EVIDENCE_MASK_ALL;
	if (!tsm_nl_evidence_parse(data[1] & 0x80 ? PCI_TSM_FAMILY_NAME :
						    DEVICE_EVIDENCE_FAMILY_NAME,
				   data + 2, size - 2, mask ? mask : 1, &ev,
				   &e)) {
		for (unsigned int i = 0; i < ev.n; i++)
			FUZZ_CHECK(ev.obj[i].len <= PCI_TSM_MAX_OBJECT_SIZE);
		tsm_evidence_free(&ev);
	}
	return 0;
}
