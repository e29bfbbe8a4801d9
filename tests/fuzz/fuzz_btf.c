// SPDX-License-Identifier: GPL-2.0
/*
 * A BTF blob (dump --btf FILE, /sys/kernel/btf/vmlinux) through ABI
 * detection: the first byte chooses whether the rest is split in two (a
 * base and a module's split BTF on top of it).
 */
#include <string.h>

#include "detect.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsm_detect d;
	size_t cut;

	if (size < 1)
		return 0;
	if (!(data[0] & 1)) {
		tsm_detect_btf(data + 1, size - 1, &d);
		return 0;
	}
	cut = size > 3 ? (data[1] | (size_t)data[2] << 8) % (size - 3) : 0;
	tsm_detect_btf_split(data + 3, cut, data + 3 + cut, size - 3 - cut, &d);
	return 0;
}
