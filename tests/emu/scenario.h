/* SPDX-License-Identifier: GPL-2.0 */
/* tsm-emu scenario loader (JSON, strict) and --faults SPEC parser */
#ifndef TSM_EMU_SCENARIO_H
#define TSM_EMU_SCENARIO_H

#include "model.h"
#include "nlmodel.h"
#include "sysfs.h"

#define EMU_SCN_MAX_CTX 8
#define EMU_ERRLEN 256

struct emu_scn_ctx {
	char name[64];
	int inherit_fd; /* fd number in COMMAND, -1 = none */
	bool vmm_process; /* held by the stand-in VMM process */
	int vmm_fd; /* fd number in the stand-in */
	struct emu_ctx ctx;
};

struct emu_scenario {
	bool has_nl; /* a "netlink" section was given */
	struct emu_nl nl;
	struct emu_sysfs sysfs; /* "sysfs" and "btf" keys */
	int nctx;
	struct emu_scn_ctx c[EMU_SCN_MAX_CTX];
};

/*
 * Load @path (NULL: no file) into @m and @s. @profile_override >= 0 wins
 * over the file's "profile"; the default is v6. Returns 0, or -1 with a
 * message in @err.
 */
int emu_scenario_load(const char *path, int profile_override,
		      struct emu_model *m, struct emu_scenario *s, char *err,
		      size_t errlen);
void emu_scenario_free(struct emu_scenario *s);

/* "tsm_req:1:EIO,tsm_op:*:EBUSY,pidfd_getfd:EPERM,..." */
int emu_faults_parse(struct emu_model *m, const char *spec, char *err,
		     size_t errlen);

/* parse hex (spaces and colons allowed); returns length or -1 */
long emu_hex_decode(const char *hex, uint8_t **out);

#endif /* TSM_EMU_SCENARIO_H */
