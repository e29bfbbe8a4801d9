// SPDX-License-Identifier: GPL-2.0
/*
 * tsm_code / firmware status decoding tables (docs/kernel-abi.md
 * section 7). Only the values listed there are in the tables; anything else
 * decodes as unknown. The meanings are short plain-English summaries.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "tsmcode.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Entry flags */
#define TC_OK 0x1 /* success / informational (non-TDX tables) */
#define TC_OPERAND 0x2 /* TDX: detail (bits 31:0) is an operand id */

struct tc_entry {
	uint64_t value;
	const char *name;
	const char *meaning;
	unsigned int flags;
};

struct tc_table {
	const char *label; /* tsm_code_info.table */
	const struct tc_entry *ent;
	size_t n;
	const char *unknown; /* meaning for unmatched values */
};

/* ------------------------------------------------------------------ */
/* AMD SEV firmware status (psp-sev.h sev_ret_code), section 7.3      */
/* ------------------------------------------------------------------ */

#define SEV_NO_FW_CALL 0xFFFFFFFFull /* -1 as u32, Linux software code */
#define SEV(v, n, m)                   \
	{                              \
		v, "SEV_RET_" #n, m, 0 \
	}

static const struct tc_entry sev_codes[] = {
	{ 0x00, "SEV_RET_SUCCESS", "the command completed successfully",
	  TC_OK },
	SEV(0x01, INVALID_PLATFORM_STATE,
	    "the platform is in the wrong state for the command"),
	SEV(0x02, INVALID_GUEST_STATE,
	    "the guest is in the wrong state for the command"),
	SEV(0x03, INAVLID_CONFIG,
	    "the configuration is invalid (alias SEV_RET_INVALID_CONFIG)"),
	SEV(0x04, INVALID_LEN, "a buffer length was wrong for the command"),
	SEV(0x05, ALREADY_OWNED, "the platform is already owned"),
	SEV(0x06, INVALID_CERTIFICATE, "a certificate is invalid"),
	SEV(0x07, POLICY_FAILURE,
	    "the guest policy does not allow the command"),
	SEV(0x08, INACTIVE, "the guest is not active"),
	SEV(0x09, INVALID_ADDRESS,
	    "an address passed to the firmware is invalid"),
	SEV(0x0A, BAD_SIGNATURE, "a signature did not verify"),
	SEV(0x0B, BAD_MEASUREMENT, "a measurement did not match"),
	SEV(0x0C, ASID_OWNED, "the ASID is already in use by another guest"),
	SEV(0x0D, INVALID_ASID, "the ASID is invalid"),
	SEV(0x0E, WBINVD_REQUIRED, "a WBINVD must be done before this command"),
	SEV(0x0F, DFFLUSH_REQUIRED,
	    "a DF_FLUSH must be done before this command"),
	SEV(0x10, INVALID_GUEST, "the guest handle is invalid"),
	SEV(0x11, INVALID_COMMAND, "the command is not valid"),
	SEV(0x12, ACTIVE, "the guest is still active"),
	SEV(0x13, HWSEV_RET_PLATFORM, "a hardware platform error occurred"),
	SEV(0x14, HWSEV_RET_UNSAFE,
	    "the hardware is in an unsafe state for the command"),
	SEV(0x15, UNSUPPORTED, "the command or feature is not supported"),
	SEV(0x16, INVALID_PARAM, "a command parameter is invalid"),
	SEV(0x17, RESOURCE_LIMIT, "the firmware ran out of a resource"),
	SEV(0x18, SECURE_DATA_INVALID,
	    "protected data failed its integrity check"),
	SEV(0x19, INVALID_PAGE_SIZE, "the page size is invalid"),
	SEV(0x1A, INVALID_PAGE_STATE, "a page is in the wrong RMP state"),
	SEV(0x1B, INVALID_MDATA_ENTRY, "a page metadata entry is invalid"),
	SEV(0x1C, INVALID_PAGE_OWNER,
	    "a page is not owned by the expected party"),
	SEV(0x1D, AEAD_OFLOW, "the AEAD message counter would overflow"),
	SEV(0x1F, EXIT_RING_BUFFER, "the firmware left ring-buffer mode"),
	SEV(0x20, RMP_INIT_REQUIRED, "the RMP must be initialised first"),
	SEV(0x21, BAD_SVN, "a security version number is not acceptable"),
	SEV(0x22, BAD_VERSION, "a version is not acceptable"),
	SEV(0x23, SHUTDOWN_REQUIRED, "the firmware must be shut down first"),
	SEV(0x24, UPDATE_FAILED, "the update failed"),
	SEV(0x25, RESTORE_REQUIRED, "a restore is required first"),
	SEV(0x26, RMP_INITIALIZATION_FAILED, "initialising the RMP failed"),
	SEV(0x27, INVALID_KEY, "a key is invalid"),
	SEV(0x28, SHUTDOWN_INCOMPLETE,
	    "shutdown did not complete (SEV-TIO state still present)"),
	SEV(0x30, INCORRECT_BUFFER_LENGTH, "a buffer has the wrong length"),
	SEV(0x31, EXPAND_BUFFER_LENGTH_REQUEST,
	    "the firmware wants a larger buffer (kernel handles it)"),
	SEV(0x32, SPDM_REQUEST,
	    "the firmware wants an SPDM message relayed (kernel handles it)"),
	SEV(0x33, SPDM_ERROR, "the SPDM exchange with the device failed"),
	SEV(0x35, SEV_STATUS_ERR_IN_DEV_CONN,
	    "an error occurred in the device connection"),
	SEV(0x36, SEV_STATUS_INVALID_DEV_CTX, "the device context is invalid"),
	SEV(0x37, SEV_STATUS_INVALID_TDI_CTX, "the TDI context is invalid"),
	SEV(0x38, SEV_STATUS_INVALID_TDI, "the TDI is invalid"),
	SEV(0x39, SEV_STATUS_RECLAIM_REQUIRED,
	    "resources must be reclaimed before continuing"),
	SEV(0x3A, IN_USE, "the resource is in use"),
	SEV(0x3B, SEV_STATUS_INVALID_DEV_STATE,
	    "the device is in the wrong state for the command"),
	SEV(0x3C, SEV_STATUS_INVALID_TDI_STATE,
	    "the TDI is in the wrong state for the command"),
	SEV(0x3D, SEV_STATUS_DEV_CERT_CHANGED,
	    "the device certificate changed"),
	SEV(0x3E, SEV_STATUS_RESYNC_REQ,
	    "the device state must be resynchronised"),
	SEV(0x3F, SEV_STATUS_RESPONSE_TOO_LARGE,
	    "the device response is too large"),
	SEV(0xFFFFFFFF, NO_FW_CALL,
	    "the firmware was never called (Linux software code)"),
};

static const struct tc_table sev_table = {
	"sev",
	sev_codes,
	ARRAY_LEN(sev_codes),
	"unknown SEV firmware status",
};

/* ------------------------------------------------------------------ */
/* Intel TDX module status (64-bit RAX), section 7.2                   */
/* ------------------------------------------------------------------ */

#define TDX_STATUS_MASK 0xFFFFFFFF00000000ull
#define TDX_DETAIL_MASK 0x00000000FFFFFFFFull
#define TDX_ERROR_BIT (1ull << 63)
#define TDX_NON_RECOV_BIT (1ull << 62)
#define TDX_CLASS_SHIFT 40
#define TDX_CLASS_MASK 0xFFull
#define TDX_TOP_BYTE_MASK 0xFF00000000000000ull
#define TDX_SW_ERROR (TDX_ERROR_BIT | (TDX_CLASS_MASK << TDX_CLASS_SHIFT))

#define TDX(v, n, m)               \
	{                          \
		v, "TDX_" #n, m, 0 \
	}
#define TDXOP(v, n, m)                      \
	{                                   \
		v, "TDX_" #n, m, TC_OPERAND \
	}

static const struct tc_entry tdx_codes[] = {
	TDX(0x0000000000000000ull, SUCCESS, "the SEAMCALL succeeded"),
	TDX(0x4000000100000000ull, NON_RECOVERABLE_VCPU,
	    "the vCPU hit an error it cannot recover from"),
	TDX(0x4000000200000000ull, NON_RECOVERABLE_TD,
	    "the TD hit an unrecoverable error (Linux tdx_errno.h value)"),
	TDX(0x6000000200000000ull, NON_RECOVERABLE_TD,
	    "the TD hit an unrecoverable error (TDX module error list value)"),
	TDX(0x8000000300000000ull, INTERRUPTED_RESUMABLE,
	    "the operation was interrupted and can be resumed"),
	TDX(0x8000000400000000ull, INTERRUPTED_RESTARTABLE,
	    "the operation was interrupted and must be restarted"),
	TDX(0x6000000500000000ull, NON_RECOVERABLE_TD_NON_ACCESSIBLE,
	    "the TD is non-recoverable and its memory is inaccessible"),
	TDX(0xC000000600000000ull, INVALID_RESUMPTION,
	    "an interrupted operation was resumed incorrectly"),
	TDXOP(0xC000010000000000ull, OPERAND_INVALID, "an operand is invalid"),
	TDXOP(0xC000010100000000ull, OPERAND_ADDR_RANGE_ERROR,
	      "an operand address is out of range"),
	TDXOP(0x8000020000000000ull, OPERAND_BUSY,
	      "an operand is in use by another operation; retry"),
	TDX(0x8000020100000000ull, PREVIOUS_TLB_EPOCH_BUSY,
	    "the previous TLB epoch is still in use; retry"),
	TDX(0x8000020200000000ull, SYS_BUSY, "the TDX module is busy; retry"),
	TDX(0x8000020300000000ull, RND_NO_ENTROPY,
	    "the random number generator had no entropy; retry"),
	TDXOP(0x8000020400000000ull, OPERAND_BUSY_HOST_PRIORITY,
	      "an operand is busy because the host has priority; retry"),
	TDX(0x9000020500000000ull, HOST_PRIORITY_BUSY_TIMEOUT,
	    "waiting for a host-priority lock timed out"),
	TDX(0xC000030000000000ull, PAGE_METADATA_INCORRECT,
	    "the page metadata (PAMT) is not as expected"),
	TDX(0x0000030100000000ull, PAGE_ALREADY_FREE,
	    "the page is already free (informational)"),
	TDX(0xC000030200000000ull, PAGE_NOT_OWNED_BY_TD,
	    "the page is not owned by this TD"),
	TDX(0xC000030300000000ull, PAGE_NOT_FREE, "the page is not free"),
	TDX(0xC000040000000000ull, TD_ASSOCIATED_PAGES_EXIST,
	    "the TD still has pages associated with it"),
	TDX(0xC000050500000000ull, SYS_NOT_READY,
	    "the TDX module is not initialised yet"),
	TDX(0xC000050600000000ull, SYS_SHUTDOWN,
	    "the TDX module has been shut down"),
	TDX(0xE000060400000000ull, TD_FATAL, "the TD is in a fatal state"),
	TDX(0xC000060500000000ull, TD_NON_DEBUG,
	    "the operation needs a debug TD"),
	TDX(0xC000060700000000ull, LIFECYCLE_STATE_INCORRECT,
	    "the TD is in the wrong lifecycle state"),
	TDX(0xC000060800000000ull, OP_STATE_INCORRECT,
	    "the TD is in the wrong operation state"),
	TDX(0xC000070000000000ull, VCPU_STATE_INCORRECT,
	    "the vCPU is in the wrong state"),
	TDX(0x8000070100000000ull, VCPU_ASSOCIATED,
	    "the vCPU is associated with another logical CPU"),
	TDX(0x8000070200000000ull, VCPU_NOT_ASSOCIATED,
	    "the vCPU is not associated with this logical CPU"),
	TDX(0x8000080000000000ull, KEY_GENERATION_FAILED,
	    "generating the TD key failed; retry"),
	TDX(0x8000081000000000ull, TD_KEYS_NOT_CONFIGURED,
	    "the TD keys are not configured on this package"),
	TDX(0xC000081100000000ull, KEY_STATE_INCORRECT,
	    "the TD key is in the wrong state"),
	TDX(0x0000081500000000ull, KEY_CONFIGURED,
	    "the key is already configured (informational)"),
	TDX(0x8000081700000000ull, WBCACHE_NOT_COMPLETE,
	    "the cache write-back has not completed"),
	TDX(0xC000082000000000ull, HKID_NOT_FREE,
	    "the host key id is not free"),
	TDX(0x0000082100000000ull, NO_HKID_READY_TO_WBCACHE,
	    "no host key id is waiting for cache write-back (informational)"),
	TDX(0x8000082400000000ull, FLUSHVP_NOT_DONE,
	    "the vCPUs have not been flushed yet"),
	TDX(0xC0000B0000000000ull, EPT_WALK_FAILED,
	    "walking the secure EPT failed"),
	TDX(0xC0000B0100000000ull, EPT_ENTRY_FREE,
	    "the secure EPT entry is free"),
	TDX(0xC0000B0200000000ull, EPT_ENTRY_NOT_FREE,
	    "the secure EPT entry is not free"),
	TDX(0xC0000B0300000000ull, EPT_ENTRY_NOT_PRESENT,
	    "the secure EPT entry is not present"),
	TDX(0xC0000B0600000000ull, GPA_RANGE_NOT_BLOCKED,
	    "the GPA range has not been blocked"),
	TDX(0x00000B0700000000ull, GPA_RANGE_ALREADY_BLOCKED,
	    "the GPA range is already blocked (informational)"),
	TDX(0xC0000B0800000000ull, TLB_TRACKING_NOT_DONE,
	    "TLB tracking has not completed"),
	TDX(0x00000B0A00000000ull, PAGE_ALREADY_ACCEPTED,
	    "the page was already accepted (informational)"),
	TDX(0xC0000B0B00000000ull, PAGE_SIZE_MISMATCH,
	    "the page size does not match the mapping"),
	TDX(0xC0000B0C00000000ull, GPA_RANGE_BLOCKED,
	    "the GPA range is blocked"),
	TDX(0xC0000B0D00000000ull, EPT_ENTRY_STATE_INCORRECT,
	    "the secure EPT entry is in the wrong state"),
	TDX(0xC0000C0000000000ull, METADATA_FIELD_ID_INCORRECT,
	    "the metadata field id is not valid"),
	TDX(0xC0000C0100000000ull, METADATA_FIELD_NOT_WRITABLE,
	    "the metadata field cannot be written"),
	TDX(0xC0000C0200000000ull, METADATA_FIELD_NOT_READABLE,
	    "the metadata field cannot be read"),
	TDX(0xC0000C0300000000ull, METADATA_FIELD_VALUE_NOT_VALID,
	    "the value for the metadata field is not valid"),
};

/* Linux software codes: matched on the whole 64-bit value */
static const struct tc_entry tdx_sw_codes[] = {
	TDX(TDX_SW_ERROR | 0xFFFF0000ull, SEAMCALL_VMFAILINVALID,
	    "SEAMCALL got VMFailInvalid: no TDX module (Linux software code)"),
	TDX(TDX_SW_ERROR | 13, SEAMCALL_GP,
	    "SEAMCALL raised #GP: TDX not enabled (Linux software code)"),
	TDX(TDX_SW_ERROR | 6, SEAMCALL_UD,
	    "SEAMCALL raised #UD: not in VMX operation (Linux software code)"),
};

static const struct tc_table tdx_table = {
	"tdx",
	tdx_codes,
	ARRAY_LEN(tdx_codes),
	"unknown TDX module status",
};

static const struct tc_table tdx_sw_table = {
	"tdx",
	tdx_sw_codes,
	ARRAY_LEN(tdx_sw_codes),
	"unknown Linux TDX software error",
};

static const struct {
	uint32_t id;
	const char *name;
} tdx_operands[] = {
	{ 0x01, "RCX" },
	{ 0x92, "SEPT" },
};

/* ------------------------------------------------------------------ */
/* Arm CCA RMI / RSI / RHI-DA status, section 7.4                      */
/* ------------------------------------------------------------------ */

#define RMI_WIDTH_MASK 0xFFFFull /* status 7:0 + index 15:8 */
#define RMI_STATUS(v) ((unsigned int)((v)&0xFF))
#define RMI_INDEX(v) ((unsigned int)(((v) >> 8) & 0xFF))
#define RMI_MEM_REQ(v) ((unsigned int)(((v) >> 8) & 0x3))
#define RMI_CAN_CANCEL(v) (((v) >> 10) & 0x1)
#define RMI_INCOMPLETE_2_0 13

#define RMI(v, n, m)               \
	{                          \
		v, "RMI_" #n, m, 0 \
	}

static const struct tc_entry rmi_2_0_codes[] = {
	{ 0, "RMI_SUCCESS", "the command succeeded", TC_OK },
	RMI(1, ERROR_INPUT, "a command input is invalid"),
	RMI(2, ERROR_REALM,
	    "a Realm attribute or state is wrong for the command"),
	RMI(3, ERROR_REC, "a REC attribute or state is wrong for the command"),
	RMI(4, ERROR_RTT, "an RTT walk stopped early; index is the RTT level"),
	RMI(5, ERROR_NOT_SUPPORTED, "the command or feature is not supported"),
	RMI(6, ERROR_DEVICE,
	    "a device or vdevice failed or is in the wrong state"),
	RMI(7, ERROR_RTT_AUX, "an auxiliary RTT walk stopped early"),
	RMI(8, ERROR_PSMMU_ST, "a protected SMMU stream table entry is wrong"),
	RMI(9, ERROR_DPT, "a device permission table entry is wrong"),
	RMI(10, BUSY, "the resource is busy; retry"),
	RMI(11, ERROR_GLOBAL, "a global RMM state is wrong for the command"),
	RMI(12, ERROR_TRACKING, "a granule tracking state is wrong"),
	RMI(13, INCOMPLETE,
	    "not finished; serve the memory request and call again"),
	RMI(14, BLOCKED, "the command is blocked by another operation"),
	RMI(15, ERROR_GPT, "a granule protection table entry is wrong"),
	RMI(16, ERROR_GRANULE, "a granule is in the wrong state"),
};

static const struct tc_entry rmi_1_0_codes[] = {
	{ 0, "RMI_SUCCESS", "the command succeeded", TC_OK },
	RMI(1, ERROR_INPUT, "a command input is invalid"),
	RMI(2, ERROR_REALM,
	    "a Realm attribute or state is wrong for the command"),
	RMI(3, ERROR_REC, "a REC attribute or state is wrong for the command"),
	RMI(4, ERROR_RTT, "an RTT walk stopped early; index is the RTT level"),
	RMI(5, ERROR_DEVICE,
	    "a device failed or is in the wrong state (tf-rmm 1.0 number)"),
	RMI(6, ERROR_NOT_SUPPORTED, "the command or feature is not supported"),
	RMI(7, ERROR_RTT_AUX, "an auxiliary RTT walk stopped early"),
};

#define RSI(v, n, m)               \
	{                          \
		v, "RSI_" #n, m, 0 \
	}

static const struct tc_entry rsi_codes[] = {
	{ 0, "RSI_SUCCESS", "the command succeeded", TC_OK },
	RSI(1, ERROR_INPUT, "a command input is invalid"),
	RSI(2, ERROR_STATE, "the Realm or object is in the wrong state"),
	RSI(3, INCOMPLETE, "the command is not finished; call again"),
	RSI(4, ERROR_UNKNOWN,
	    "unspecified error (an older tf-rmm draft used 4 = ERROR_DEVICE)"),
};

static const struct tc_entry rsi_da_codes[] = {
	{ 0, "RSI_SUCCESS", "the command succeeded", TC_OK },
	RSI(1, ERROR_INPUT, "a command input is invalid"),
	RSI(2, ERROR_STATE, "the Realm or object is in the wrong state"),
	RSI(3, INCOMPLETE, "the command is not finished; call again"),
	RSI(4, ERROR_UNKNOWN,
	    "unspecified error (an older tf-rmm draft used 4 = ERROR_DEVICE)"),
	RSI(5, ERROR_DEVICE,
	    "the device reported an error or is in the wrong state"),
};

#define RHI(v, n, m)                  \
	{                             \
		v, "RHI_DA_" #n, m, 0 \
	}

static const struct tc_entry rhi_codes[] = {
	{ 0, "RHI_DA_SUCCESS", "the host call succeeded", TC_OK },
	RHI(1, INCOMPLETE, "the host call is not finished; call again"),
	RHI(2, ERROR_DATA_NOT_AVAILABLE, "the requested data is not available"),
	RHI(3, ERROR_INVALID_VDEV_ID,
	    "the vdevice id is not known to the host"),
	RHI(4, ERROR_INVALID_OBJECT, "the object type or state is invalid"),
	RHI(5, ERROR_INPUT, "a host-call input is invalid"),
	RHI(6, ERROR_DEVICE, "the device reported an error"),
	RHI(7, ERROR_INVALID_OFFSET, "the offset is beyond the object"),
	RHI(8, ERROR_ACCESS_FAILED,
	    "the host could not access the guest buffer"),
	RHI(9, ERROR_BUSY, "the host or device is busy; retry"),
};

/* Indexed by enum tsm_cca_table */
static const struct tc_table cca_tables[TSM_CCA_TABLE_COUNT] = {
	[TSM_CCA_RMI_2_0] = { "cca-rmi-2.0", rmi_2_0_codes,
			      ARRAY_LEN(rmi_2_0_codes),
			      "unknown CCA RMI status (ABI 2.0)" },
	[TSM_CCA_RMI_1_0] = { "cca-rmi-1.0", rmi_1_0_codes,
			      ARRAY_LEN(rmi_1_0_codes),
			      "unknown CCA RMI status (RMM 1.0)" },
	[TSM_CCA_RSI] = { "cca-rsi", rsi_codes, ARRAY_LEN(rsi_codes),
			  "unknown CCA RSI status" },
	[TSM_CCA_RSI_DA] = { "cca-rsi-da", rsi_da_codes,
			     ARRAY_LEN(rsi_da_codes),
			     "unknown CCA RSI status (DA revision)" },
	[TSM_CCA_RHI] = { "cca-rhi", rhi_codes, ARRAY_LEN(rhi_codes),
			  "unknown CCA RHI-DA status" },
};

static const char *const cca_table_names[TSM_CCA_TABLE_COUNT] = {
	[TSM_CCA_RMI_2_0] = "rmi-2.0", [TSM_CCA_RMI_1_0] = "rmi-1.0",
	[TSM_CCA_RSI] = "rsi",	       [TSM_CCA_RSI_DA] = "rsi-da",
	[TSM_CCA_RHI] = "rhi",
};

static const char *const rmi_mem_req_names[4] = {
	"none",
	"donate",
	"reclaim",
	"reserved",
};

static const char *const arch_names[] = {
	[TSM_ARCH_NONE] = "none",
	[TSM_ARCH_CCA] = "cca",
	[TSM_ARCH_SEV] = "sev",
	[TSM_ARCH_TDX] = "tdx",
};

/* ------------------------------------------------------------------ */

static const struct tc_entry *tc_find(const struct tc_table *t, uint64_t v)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->ent[i].value == v)
			return &t->ent[i];
	return NULL;
}

/* Fill name/meaning/known from @e, or the table's unknown line */
static void tc_fill(struct tsm_code_info *out, const struct tc_table *t,
		    const struct tc_entry *e)
{
	out->table = t->label;
	if (e) {
		out->known = true;
		out->name = e->name;
		out->meaning = e->meaning;
		out->success = (e->flags & TC_OK) != 0;
	} else {
		out->known = false;
		out->name = NULL;
		out->meaning = t->unknown;
		out->success = false;
	}
}

static void decode_sev(uint64_t value, struct tsm_code_info *out)
{
	const struct tc_entry *e = NULL;

	/* 32-bit status; wider values cannot be SEV_RET_* codes */
	if (value <= SEV_NO_FW_CALL)
		e = tc_find(&sev_table, value);
	tc_fill(out, &sev_table, e);
}

static const char *tdx_operand_name(uint32_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(tdx_operands); i++)
		if (tdx_operands[i].id == id)
			return tdx_operands[i].name;
	return NULL;
}

static void decode_tdx(uint64_t value, struct tsm_code_info *out)
{
	const struct tc_entry *e;

	out->tdx_error = (value & TDX_ERROR_BIT) != 0;
	out->tdx_non_recoverable = (value & TDX_NON_RECOV_BIT) != 0;
	out->tdx_sw_error = (value & TDX_SW_ERROR) == TDX_SW_ERROR;
	out->tdx_class =
		(unsigned int)((value >> TDX_CLASS_SHIFT) & TDX_CLASS_MASK);
	out->tdx_detail = (uint32_t)(value & TDX_DETAIL_MASK);

	if (out->tdx_sw_error) {
		tc_fill(out, &tdx_sw_table, tc_find(&tdx_sw_table, value));
	} else {
		e = tc_find(&tdx_table, value & TDX_STATUS_MASK);
		tc_fill(out, &tdx_table, e);
		if (e && (e->flags & TC_OPERAND))
			out->tdx_operand = tdx_operand_name(out->tdx_detail);
	}
	/* Success (0) and informational codes: no bits set in 63:56 */
	out->success = (value & TDX_TOP_BYTE_MASK) == 0;
}

static void decode_cca(enum tsm_cca_table tbl, uint64_t value,
		       struct tsm_code_info *out)
{
	const struct tc_table *t = &cca_tables[tbl];
	const struct tc_entry *e;

	if (tbl != TSM_CCA_RMI_2_0 && tbl != TSM_CCA_RMI_1_0) {
		/* RSI / RHI: no documented sub-fields, match whole value */
		tc_fill(out, t, tc_find(t, value));
		return;
	}

	if (value & ~RMI_WIDTH_MASK) {
		tc_fill(out, t, NULL);
		out->cca_wide = true;
		out->meaning =
			"not an RMI status: bits above 15 are set (status is bits 7:0, index bits 15:8)";
		return;
	}
	out->cca_status = RMI_STATUS(value);
	out->cca_index = RMI_INDEX(value);
	e = tc_find(t, out->cca_status);
	tc_fill(out, t, e);
	if (tbl == TSM_CCA_RMI_2_0 && out->cca_status == RMI_INCOMPLETE_2_0) {
		out->cca_incomplete_mem_req =
			rmi_mem_req_names[RMI_MEM_REQ(value)];
		out->cca_can_cancel = RMI_CAN_CANCEL(value) != 0;
	}
}

int tsm_code_decode(enum tsm_arch arch, enum tsm_cca_table cca_table,
		    uint64_t value, struct tsm_code_info *out)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->value = value;

	if (arch == TSM_ARCH_SEV) {
		decode_sev(value, out);
		return 0;
	}
	if (arch == TSM_ARCH_TDX) {
		decode_tdx(value, out);
		return 0;
	}
	if (arch == TSM_ARCH_CCA &&
	    (unsigned int)cca_table < TSM_CCA_TABLE_COUNT) {
		decode_cca(cca_table, value, out);
		return 0;
	}
	out->meaning = "unsupported architecture or status table";
	return -EINVAL;
}

int tsm_arch_from_name(const char *s, enum tsm_arch *out)
{
	static const enum tsm_arch archs[] = {
		TSM_ARCH_CCA,
		TSM_ARCH_SEV,
		TSM_ARCH_TDX,
	};
	size_t i;

	if (!s || !out)
		return -EINVAL;
	for (i = 0; i < ARRAY_LEN(archs); i++) {
		if (!strcasecmp(s, arch_names[archs[i]])) {
			*out = archs[i];
			return 0;
		}
	}
	return -EINVAL;
}

const char *tsm_arch_name(enum tsm_arch a)
{
	if ((unsigned int)a >= ARRAY_LEN(arch_names))
		return "unknown";
	return arch_names[a];
}

int tsm_cca_table_from_name(const char *s, enum tsm_cca_table *out)
{
	unsigned int i;

	if (!s || !out)
		return -EINVAL;
	for (i = 0; i < TSM_CCA_TABLE_COUNT; i++) {
		if (!strcasecmp(s, cca_table_names[i])) {
			*out = (enum tsm_cca_table)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *tsm_cca_table_name(enum tsm_cca_table t)
{
	if ((unsigned int)t >= TSM_CCA_TABLE_COUNT)
		return "unknown";
	return cca_table_names[t];
}
