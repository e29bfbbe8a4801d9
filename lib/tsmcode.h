/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of the iommufd vdevice TSM_REQ "tsm_code" and related firmware
 * status values for Arm CCA (RMI/RSI/RHI-DA), AMD SEV(-TIO) and Intel TDX.
 *
 * Tables follow docs/kernel-abi.md The convention for
 * what tsm_code carries is only settled for SEV (PSP firmware status); for
 * CCA and TDX the caller picks the status space (section 10, items 7-9).
 *
 * The library never prints or exits; all returned strings are static.
 */
#ifndef TSMCTL_TSMCODE_H
#define TSMCTL_TSMCODE_H

#include <stdbool.h>
#include <stdint.h>

enum tsm_arch {
	TSM_ARCH_NONE = 0,
	TSM_ARCH_CCA = 1,
	TSM_ARCH_SEV = 2,
	TSM_ARCH_TDX = 3,
};

/* CCA tables: which status space and spec revision the value belongs to */
enum tsm_cca_table {
	TSM_CCA_RMI_2_0 = 0, /* default: RMI ABI 2.0, current Linux host */
	TSM_CCA_RMI_1_0, /* RMM 1.0 / early tf-rmm (codes 5/6 swapped) */
	TSM_CCA_RSI, /* RSI, Linux mainline / RMM 1.0 */
	TSM_CCA_RSI_DA, /* RSI, DA revisions (adds ERROR_DEVICE = 5) */
	TSM_CCA_RHI, /* RHI-DA host-call status, codes 0..9 */
};

#define TSM_CCA_TABLE_COUNT 5

struct tsm_code_info {
	uint64_t value;
	bool known; /* a table entry matched */
	bool success; /* value means success / informational */
	const char *name; /* e.g. "SEV_RET_INVALID_LEN"; NULL: unknown */
	const char *meaning; /* one line; generic line for unknown values */
	const char *table; /* "sev", "tdx", "cca-rmi-2.0", "cca-rmi-1.0",
				 * "cca-rsi", "cca-rsi-da", "cca-rhi" */
	/* TDX fields (arch TDX only) */
	bool tdx_error; /* bit 63 */
	bool tdx_non_recoverable; /* bit 62 */
	bool tdx_sw_error; /* Linux software error (class 0xFF) */
	unsigned int tdx_class; /* bits 47:40 */
	uint32_t tdx_detail; /* bits 31:0; may be an operand id */
	const char *tdx_operand; /* "RCX", "SEPT" ... or NULL */
	/* CCA RMI fields (RMI tables only) */
	unsigned int cca_status; /* bits 7:0 */
	unsigned int cca_index; /* bits 15:8 */
	bool cca_wide; /* RMI table, bits above 15 set: no status/index */
	const char *cca_incomplete_mem_req; /* INCOMPLETE: "none"/"donate"/
					     * "reclaim" ("reserved" for 3) */
	bool cca_can_cancel; /* INCOMPLETE: bit 10 */
};

/* "cca", "sev", "tdx" (case-insensitive) -> 0; anything else -> -EINVAL */
int tsm_arch_from_name(const char *s, enum tsm_arch *out);
/* "none", "cca", "sev", "tdx"; "unknown" for out-of-range values */
const char *tsm_arch_name(enum tsm_arch a);

/* "rmi-2.0", "rmi-1.0", "rsi", "rsi-da", "rhi" -> 0; else -EINVAL */
int tsm_cca_table_from_name(const char *s, enum tsm_cca_table *out);
/* The names above; "unknown" for out-of-range values */
const char *tsm_cca_table_name(enum tsm_cca_table t);

/*
 * Decode @value for @arch. @cca_table is only used for TSM_ARCH_CCA.
 * Returns 0, or -EINVAL for a bad arch (including TSM_ARCH_NONE), a bad
 * CCA table or a NULL @out. Values that are not in the table, or do not
 * fit the status width (SEV: 32 bits, including the 0xFFFFFFFF NO_FW_CALL
 * software code; RMI: 16 bits) decode with known == false but never fail.
 * RSI and RHI values are matched as whole 64-bit values.
 */
int tsm_code_decode(enum tsm_arch arch, enum tsm_cca_table cca_table,
		    uint64_t value, struct tsm_code_info *out);

#endif
