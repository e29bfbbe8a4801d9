// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/explain.c's ENOTTY wording (tsm_explain_enotty): it
 * says only what tsmctl knows from the running kernel's BTF, and blames
 * the profile only when the BTF names another one or none of tsmctl's.
 * A real 6.12 kernel (no TSM types in its BTF) once got "select the
 * profile of the running kernel with --abi, or the node is not iommufd".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "explain.h"
#include "tap.h"

static void said(struct tap *t, const char *buf, const char *want, bool present,
		 const char *what)
{
	char name[256];

	snprintf(name, sizeof(name), "%s: %s '%s'", what,
		 present ? "says" : "does not say", want);
	tap_ok(t, (strstr(buf, want) != NULL) == present, name);
	if ((strstr(buf, want) != NULL) != present)
		printf("# got: %s\n", buf);
}

int main(void)
{
	const struct tsm_profile *v6 = tsm_profile_find("v6");
	struct tsm_enotty_facts f = { 0 };
	struct tap t = { 0 };
	char buf[400];
	bool abi;

	if (!v6) {
		tap_ok(&t, false, "profile v6 is compiled in");
		return tap_done(&t);
	}

	/* BTF read, no TSM types: the kernel, not the profile */
	f.btf_read = true;
	abi = tsm_explain_enotty(TSM_CALL_REQ, v6, &f, buf, sizeof(buf));
	tap_ok(&t, !abi, "no TSM types: no profile at fault");
	said(&t, buf, "this kernel has no vdevice TSM ioctls", true,
	     "no TSM types");
	said(&t, buf, "IOMMU_VDEVICE_TSM_REQ of profile v6 is ioctl nr 0x97",
	     true, "no TSM types");
	said(&t, buf, "--abi", false, "no TSM types");
	said(&t, buf, "iommufd", false, "no TSM types");

	/* BTF with TSM types matching another profile: name it */
	f.btf_has_tsm = true;
	f.matching = "v5";
	abi = tsm_explain_enotty(TSM_CALL_BIND, v6, &f, buf, sizeof(buf));
	tap_ok(&t, abi, "BTF of v5: the profile is at fault");
	said(&t, buf,
	     "this kernel has no IOMMU_VDEVICE_TSM_OP at ioctl nr 0x96 (profile v6): its BTF matches profile v5; run with --abi v5",
	     true, "BTF of v5");

	/* TSM types, no compiled-in profile matches */
	f.matching = NULL;
	abi = tsm_explain_enotty(TSM_CALL_REQ_STATE, v6, &f, buf, sizeof(buf));
	tap_ok(&t, abi, "no profile matches: the profile is at fault");
	said(&t, buf, "matches no compiled-in profile", true, "no match");
	said(&t, buf, "--abi-file", true, "no match");

	/* BTF matching the profile in force, yet ENOTTY: no guess */
	f.matching = "v6";
	abi = tsm_explain_enotty(TSM_CALL_UNBIND, v6, &f, buf, sizeof(buf));
	tap_ok(&t, !abi, "BTF of v6 under v6: no profile blamed");
	said(&t, buf, "although this kernel's BTF matches profile v6", true,
	     "BTF of v6");
	said(&t, buf, "not iommufd", false, "BTF of v6");

	/* no BTF: both left open, nothing blamed */
	abi = tsm_explain_enotty(TSM_CALL_REQ, v6, NULL, buf, sizeof(buf));
	tap_ok(&t, !abi, "no BTF: no profile at fault");
	said(&t, buf, "without its BTF tsmctl cannot tell", true, "no BTF");
	f = (struct tsm_enotty_facts){ 0 };
	tsm_explain_enotty(TSM_CALL_REQ, v6, &f, buf, sizeof(buf));
	said(&t, buf, "without its BTF tsmctl cannot tell", true,
	     "BTF not read");

	/* tsm_explain() without facts: the no-BTF wording, never the old one */
	tsm_explain(TSM_CALL_BIND, ENOTTY, 3, v6, buf, sizeof(buf));
	said(&t, buf, "select the profile of the running kernel", false,
	     "tsm_explain ENOTTY");
	said(&t, buf, "or the node is not iommufd", false,
	     "tsm_explain ENOTTY");
	return tap_done(&t);
}
