// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/tsmcode.c: tsm_code / firmware status decoding.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "tsmcode.h"

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle);
}

/* Decode and check that the call succeeded and the name matches. */
static struct tsm_code_info check_name(struct tap *t, enum tsm_arch arch,
				       enum tsm_cca_table tbl, uint64_t v,
				       const char *name)
{
	struct tsm_code_info ci;
	char what[160];
	int rc;

	rc = tsm_code_decode(arch, tbl, v, &ci);
	snprintf(what, sizeof(what), "%s 0x%llx decodes as %s",
		 tsm_arch_name(arch), (unsigned long long)v,
		 name ? name : "unknown");
	if (name)
		tap_ok(t,
		       rc == 0 && ci.known && str_eq(ci.name, name) &&
			       ci.meaning && ci.meaning[0] && ci.value == v,
		       what);
	else
		tap_ok(t,
		       rc == 0 && !ci.known && !ci.name && ci.meaning &&
			       ci.meaning[0] && ci.value == v,
		       what);
	if (name && !str_eq(ci.name, name))
		printf("#   got: %s\n", ci.name ? ci.name : "(null)");
	return ci;
}

static void test_sev(struct tap *t)
{
	static const struct {
		unsigned int code;
		const char *name;
	} tio[] = {
		{ 0x28, "SEV_RET_SHUTDOWN_INCOMPLETE" },
		{ 0x30, "SEV_RET_INCORRECT_BUFFER_LENGTH" },
		{ 0x31, "SEV_RET_EXPAND_BUFFER_LENGTH_REQUEST" },
		{ 0x32, "SEV_RET_SPDM_REQUEST" },
		{ 0x33, "SEV_RET_SPDM_ERROR" },
		{ 0x34, NULL }, /* not assigned in the doc's table */
		{ 0x35, "SEV_RET_SEV_STATUS_ERR_IN_DEV_CONN" },
		{ 0x36, "SEV_RET_SEV_STATUS_INVALID_DEV_CTX" },
		{ 0x37, "SEV_RET_SEV_STATUS_INVALID_TDI_CTX" },
		{ 0x38, "SEV_RET_SEV_STATUS_INVALID_TDI" },
		{ 0x39, "SEV_RET_SEV_STATUS_RECLAIM_REQUIRED" },
		{ 0x3A, "SEV_RET_IN_USE" },
		{ 0x3B, "SEV_RET_SEV_STATUS_INVALID_DEV_STATE" },
		{ 0x3C, "SEV_RET_SEV_STATUS_INVALID_TDI_STATE" },
		{ 0x3D, "SEV_RET_SEV_STATUS_DEV_CERT_CHANGED" },
		{ 0x3E, "SEV_RET_SEV_STATUS_RESYNC_REQ" },
		{ 0x3F, "SEV_RET_SEV_STATUS_RESPONSE_TOO_LARGE" },
	};
	struct tsm_code_info ci;
	unsigned int i, nknown = 0, nprefix = 0, nsuccess = 0, nbad = 0;

	for (i = 0; i < sizeof(tio) / sizeof(tio[0]); i++) {
		ci = check_name(t, TSM_ARCH_SEV, 0, tio[i].code, tio[i].name);
		if (tio[i].name && (ci.success || !str_eq(ci.table, "sev")))
			nbad++;
	}
	tap_ok(t, nbad == 0, "SEV TIO codes are errors in table sev");

	ci = check_name(t, TSM_ARCH_SEV, 0, 0, "SEV_RET_SUCCESS");
	tap_ok(t, ci.success && str_eq(ci.table, "sev"),
	       "SEV 0 is success, table sev");
	ci = check_name(t, TSM_ARCH_SEV, 0, 0x03, "SEV_RET_INAVLID_CONFIG");
	tap_ok(t, contains(ci.meaning, "INVALID_CONFIG") && !ci.success,
	       "SEV 0x03 meaning carries the INVALID_CONFIG alias");
	ci = check_name(t, TSM_ARCH_SEV, 0, 0x04, "SEV_RET_INVALID_LEN");
	ci = check_name(t, TSM_ARCH_SEV, 0, 0xFFFFFFFFull,
			"SEV_RET_NO_FW_CALL");
	tap_ok(t, !ci.success && contains(ci.meaning, "never called"),
	       "SEV NO_FW_CALL: firmware never called, not success");
	ci = check_name(t, TSM_ARCH_SEV, 0, 0x1E, NULL);
	tap_ok(t,
	       str_eq(ci.meaning, "unknown SEV firmware status") &&
		       !ci.success && str_eq(ci.table, "sev"),
	       "SEV 0x1E unknown gets the generic line");
	check_name(t, TSM_ARCH_SEV, 0, 0x1D, "SEV_RET_AEAD_OFLOW");
	check_name(t, TSM_ARCH_SEV, 0, 0x1F, "SEV_RET_EXIT_RING_BUFFER");
	check_name(t, TSM_ARCH_SEV, 0, 0x13, "SEV_RET_HWSEV_RET_PLATFORM");
	check_name(t, TSM_ARCH_SEV, 0, 0x29, NULL);
	check_name(t, TSM_ARCH_SEV, 0, 0x40, NULL);
	check_name(t, TSM_ARCH_SEV, 0, 0xFFFFFFFEull, NULL);
	/* wider than 32 bits: unknown, never an error return */
	check_name(t, TSM_ARCH_SEV, 0, 0x100000000ull, NULL);
	check_name(t, TSM_ARCH_SEV, 0, 0x100000004ull, NULL);
	check_name(t, TSM_ARCH_SEV, 0, ~0ull, NULL);

	for (i = 0; i <= 0xFFFF; i++) {
		tsm_code_decode(TSM_ARCH_SEV, 0, i, &ci);
		if (!ci.known)
			continue;
		nknown++;
		if (ci.name && !strncmp(ci.name, "SEV_RET_", 8) && ci.meaning &&
		    ci.meaning[0])
			nprefix++;
		if (ci.success)
			nsuccess++;
	}
	tap_ok(t, nknown == 55, "SEV has 55 firmware codes below 0x10000");
	tap_ok(t, nprefix == nknown,
	       "every SEV name is SEV_RET_* with a meaning");
	tap_ok(t, nsuccess == 1, "only SEV 0 is success");
}

static void test_tdx(struct tap *t)
{
	struct tsm_code_info ci, a, b;

	ci = check_name(t, TSM_ARCH_TDX, 0, 0, "TDX_SUCCESS");
	tap_ok(t, ci.success && !ci.tdx_error && str_eq(ci.table, "tdx"),
	       "TDX 0 is success, table tdx");

	ci = check_name(t, TSM_ARCH_TDX, 0, 0x8000020000000092ull,
			"TDX_OPERAND_BUSY");
	tap_ok(t, ci.tdx_detail == 0x92, "OPERAND_BUSY keeps detail 0x92");
	tap_ok(t, str_eq(ci.tdx_operand, "SEPT"),
	       "detail 0x92 is operand SEPT");
	tap_ok(t,
	       ci.tdx_error && !ci.tdx_non_recoverable && !ci.success &&
		       !ci.tdx_sw_error,
	       "OPERAND_BUSY is a recoverable error");
	tap_ok(t, ci.tdx_class == 0x02, "OPERAND_BUSY class is 0x02");

	ci = check_name(t, TSM_ARCH_TDX, 0, 0xC000010000000001ull,
			"TDX_OPERAND_INVALID");
	tap_ok(t, str_eq(ci.tdx_operand, "RCX") && ci.tdx_detail == 1,
	       "OPERAND_INVALID detail 0x01 is operand RCX");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x8000020000000077ull,
			"TDX_OPERAND_BUSY");
	tap_ok(t, !ci.tdx_operand && ci.tdx_detail == 0x77,
	       "unlisted operand id has no operand name");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0xC0000B0000000092ull,
			"TDX_EPT_WALK_FAILED");
	tap_ok(t, !ci.tdx_operand && ci.tdx_detail == 0x92,
	       "non-operand code: detail kept, no operand name");

	ci = check_name(t, TSM_ARCH_TDX, 0, 0x00000B0A00000000ull,
			"TDX_PAGE_ALREADY_ACCEPTED");
	tap_ok(t, ci.success && !ci.tdx_error && ci.tdx_class == 0x0B,
	       "PAGE_ALREADY_ACCEPTED is informational");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x0000081500000000ull,
			"TDX_KEY_CONFIGURED");
	tap_ok(t, ci.success, "KEY_CONFIGURED is informational");

	a = check_name(t, TSM_ARCH_TDX, 0, 0x4000000200000000ull,
		       "TDX_NON_RECOVERABLE_TD");
	b = check_name(t, TSM_ARCH_TDX, 0, 0x6000000200000000ull,
		       "TDX_NON_RECOVERABLE_TD");
	tap_ok(t, contains(a.meaning, "Linux") && contains(b.meaning, "module"),
	       "NON_RECOVERABLE_TD meanings name their source");
	tap_ok(t,
	       a.tdx_non_recoverable && b.tdx_non_recoverable && !a.success &&
		       !b.success && !a.tdx_error,
	       "NON_RECOVERABLE_TD: non-recoverable, not success");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x4000000100000000ull,
			"TDX_NON_RECOVERABLE_VCPU");
	tap_ok(t, !ci.success && ci.tdx_non_recoverable,
	       "NON_RECOVERABLE_VCPU (bit 63 clear) is not success");
	check_name(t, TSM_ARCH_TDX, 0, 0x6000000500000000ull,
		   "TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE");
	check_name(t, TSM_ARCH_TDX, 0, 0xE000060400000000ull, "TDX_TD_FATAL");
	check_name(t, TSM_ARCH_TDX, 0, 0x9000020500000000ull,
		   "TDX_HOST_PRIORITY_BUSY_TIMEOUT");
	check_name(t, TSM_ARCH_TDX, 0, 0xC0000C0300000000ull,
		   "TDX_METADATA_FIELD_VALUE_NOT_VALID");

	ci = check_name(t, TSM_ARCH_TDX, 0, 0x8000FF000000000Dull,
			"TDX_SEAMCALL_GP");
	tap_ok(t,
	       ci.tdx_sw_error && ci.tdx_error && ci.tdx_class == 0xFF &&
		       ci.tdx_detail == 13 && !ci.success,
	       "SEAMCALL_GP is a Linux software error, class 0xFF");
	tap_ok(t, contains(ci.meaning, "Linux"), "SW error meaning says Linux");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x8000FF0000000006ull,
			"TDX_SEAMCALL_UD");
	tap_ok(t, ci.tdx_sw_error, "SEAMCALL_UD is a software error");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x8000FF00FFFF0000ull,
			"TDX_SEAMCALL_VMFAILINVALID");
	tap_ok(t, ci.tdx_sw_error && ci.tdx_detail == 0xFFFF0000,
	       "VMFAILINVALID detail is 0xFFFF0000");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x8000FF0000000007ull, NULL);
	tap_ok(t, ci.tdx_sw_error && contains(ci.meaning, "software"),
	       "unlisted class-0xFF value is an unknown software error");

	ci = check_name(t, TSM_ARCH_TDX, 0, 0xC000AB0000001234ull, NULL);
	tap_ok(t,
	       ci.tdx_class == 0xAB && ci.tdx_error && ci.tdx_non_recoverable &&
		       !ci.tdx_sw_error && !ci.success &&
		       ci.tdx_detail == 0x1234 && str_eq(ci.table, "tdx") &&
		       contains(ci.meaning, "unknown TDX"),
	       "unknown class 0xAB: bits decoded, unknown TDX status");
	ci = check_name(t, TSM_ARCH_TDX, 0, 0x0000000000000005ull,
			"TDX_SUCCESS");
	tap_ok(t, ci.success && ci.tdx_detail == 5,
	       "status 0 with detail is TDX_SUCCESS");
}

static void test_cca(struct tap *t)
{
	struct tsm_code_info ci;
	int rc;

	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0, "RMI_SUCCESS");
	tap_ok(t, ci.success && str_eq(ci.table, "cca-rmi-2.0"),
	       "RMI 2.0 success, table cca-rmi-2.0");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 5,
		   "RMI_ERROR_NOT_SUPPORTED");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 6, "RMI_ERROR_DEVICE");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_1_0, 5,
			"RMI_ERROR_DEVICE");
	tap_ok(t, str_eq(ci.table, "cca-rmi-1.0") && !ci.success,
	       "RMI 1.0 table label");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_1_0, 6,
		   "RMI_ERROR_NOT_SUPPORTED");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 16, "RMI_ERROR_GRANULE");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 17, NULL);
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_1_0, 8, NULL);
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_1_0, 7, "RMI_ERROR_RTT_AUX");

	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0x50D,
			"RMI_INCOMPLETE");
	tap_ok(t,
	       str_eq(ci.cca_incomplete_mem_req, "donate") &&
		       ci.cca_can_cancel && ci.cca_status == 13,
	       "INCOMPLETE with donate and can-cancel");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0x20D,
			"RMI_INCOMPLETE");
	tap_ok(t,
	       str_eq(ci.cca_incomplete_mem_req, "reclaim") &&
		       !ci.cca_can_cancel,
	       "INCOMPLETE with reclaim, no cancel");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0x0D,
			"RMI_INCOMPLETE");
	tap_ok(t, str_eq(ci.cca_incomplete_mem_req, "none") && !ci.success,
	       "INCOMPLETE with no memory request is not success");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_1_0, 0x50D, NULL);
	tap_ok(t, !ci.cca_incomplete_mem_req && !ci.cca_can_cancel,
	       "status 13 is unknown in RMI 1.0, no INCOMPLETE fields");

	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0x304,
			"RMI_ERROR_RTT");
	tap_ok(t,
	       ci.cca_status == 4 && ci.cca_index == 3 &&
		       !ci.cca_incomplete_mem_req,
	       "ERROR_RTT at level 3");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_1_0, 0x304,
			"RMI_ERROR_RTT");
	tap_ok(t, ci.cca_index == 3, "RMI 1.0 ERROR_RTT index 3");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0x10306, NULL);
	tap_ok(t,
	       ci.cca_wide && !ci.cca_status && !ci.cca_index &&
		       strstr(ci.meaning, "bits above 15"),
	       "RMI 0x10306: not a status, no status/index");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RMI_2_0, 0x306,
			"RMI_ERROR_DEVICE");
	tap_ok(t, !ci.cca_wide, "RMI 0x306 fits the status width");

	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RSI, 4, "RSI_ERROR_UNKNOWN");
	tap_ok(t, str_eq(ci.table, "cca-rsi") && ci.cca_status == 0,
	       "RSI table label, no RMI fields");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RSI_DA, 4, "RSI_ERROR_UNKNOWN");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RSI, 5, NULL);
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RSI_DA, 5, "RSI_ERROR_DEVICE");
	tap_ok(t, str_eq(ci.table, "cca-rsi-da"), "RSI DA table label");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RSI, 3, "RSI_INCOMPLETE");
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RSI_DA, 0, "RSI_SUCCESS");
	tap_ok(t, ci.success, "RSI 0 is success");

	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RHI, 3,
			"RHI_DA_ERROR_INVALID_VDEV_ID");
	tap_ok(t, str_eq(ci.table, "cca-rhi") && !ci.success,
	       "RHI table label");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RHI, 9, "RHI_DA_ERROR_BUSY");
	check_name(t, TSM_ARCH_CCA, TSM_CCA_RHI, 10, NULL);
	ci = check_name(t, TSM_ARCH_CCA, TSM_CCA_RHI, 0, "RHI_DA_SUCCESS");
	tap_ok(t, ci.success, "RHI 0 is success");

	rc = tsm_code_decode(TSM_ARCH_CCA, (enum tsm_cca_table)99, 0, &ci);
	tap_ok(t, rc == -EINVAL, "bad CCA table -> -EINVAL");
}

static void test_names(struct tap *t)
{
	static const char *const arches[] = { "cca", "sev", "tdx" };
	static const char *const tables[] = {
		"rmi-2.0", "rmi-1.0", "rsi", "rsi-da", "rhi",
	};
	enum tsm_cca_table tbl;
	enum tsm_arch a;
	unsigned int i;
	char what[80];

	for (i = 0; i < 3; i++) {
		a = TSM_ARCH_NONE;
		snprintf(what, sizeof(what), "arch %s round trips", arches[i]);
		tap_ok(t,
		       tsm_arch_from_name(arches[i], &a) == 0 &&
			       str_eq(tsm_arch_name(a), arches[i]),
		       what);
	}
	tap_ok(t,
	       tsm_arch_from_name("cca", &a) == 0 && a == TSM_ARCH_CCA &&
		       tsm_arch_from_name("sev", &a) == 0 &&
		       a == TSM_ARCH_SEV &&
		       tsm_arch_from_name("tdx", &a) == 0 && a == TSM_ARCH_TDX,
	       "arch enum values");
	tap_ok(t,
	       tsm_arch_from_name("none", &a) == -EINVAL &&
		       tsm_arch_from_name("x86", &a) == -EINVAL &&
		       tsm_arch_from_name("", &a) == -EINVAL &&
		       tsm_arch_from_name(NULL, &a) == -EINVAL,
	       "bad arch names -> -EINVAL");
	tap_ok(t,
	       str_eq(tsm_arch_name(TSM_ARCH_NONE), "none") &&
		       str_eq(tsm_arch_name((enum tsm_arch)42), "unknown"),
	       "arch name of none / out of range");

	for (i = 0; i < 5; i++) {
		tbl = (enum tsm_cca_table)99;
		snprintf(what, sizeof(what), "cca table %s round trips",
			 tables[i]);
		tap_ok(t,
		       tsm_cca_table_from_name(tables[i], &tbl) == 0 &&
			       (unsigned int)tbl == i &&
			       str_eq(tsm_cca_table_name(tbl), tables[i]),
		       what);
	}
	tap_ok(t,
	       tsm_cca_table_from_name("rmi", &tbl) == -EINVAL &&
		       tsm_cca_table_from_name(NULL, &tbl) == -EINVAL &&
		       str_eq(tsm_cca_table_name((enum tsm_cca_table)7),
			      "unknown"),
	       "bad cca table names");
}

static void test_bad_arch(struct tap *t)
{
	struct tsm_code_info ci;

	memset(&ci, 0xAA, sizeof(ci));
	tap_ok(t,
	       tsm_code_decode(TSM_ARCH_NONE, 0, 4, &ci) == -EINVAL &&
		       !ci.known && !ci.name && ci.value == 4,
	       "arch none -> -EINVAL, out cleared");
	tap_ok(t, tsm_code_decode((enum tsm_arch)7, 0, 4, &ci) == -EINVAL,
	       "arch 7 -> -EINVAL");
	tap_ok(t, tsm_code_decode(TSM_ARCH_SEV, 0, 4, NULL) == -EINVAL,
	       "NULL out -> -EINVAL");
	tap_ok(t,
	       tsm_code_decode(TSM_ARCH_SEV, (enum tsm_cca_table)99, 4, &ci) ==
			       0 &&
		       ci.known,
	       "CCA table ignored for SEV");
}

int main(void)
{
	struct tap t = { 0 };

	test_sev(&t);
	test_tdx(&t);
	test_cca(&t);
	test_names(&t);
	test_bad_arch(&t);
	return tap_done(&t);
}
