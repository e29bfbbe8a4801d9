/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs steps around bind executed (docs/kernel-abi.md, "sysfs
 * writes"; docs/architecture.md): lib/link.c plans them, each write here
 * is a state change traced write-ahead like an ioctl ("call": "sysfs"),
 * its errno judged with the state read back after it, into a struct
 * tsm_outcome of kind TSM_OC_SYSFS that render_link() shows.
 */
#ifndef TSMCTL_CORE_EXEC_LINK_H
#define TSMCTL_CORE_EXEC_LINK_H

#include "ctx.h"
#include "emit.h"
#include "link.h"
#include "outcome.h"

struct tsm_link_run {
	struct tsm_link_plan plan;
	bool planned; /* the preconditions held: plan and before are real */
	struct tsm_link_state before, after;
	bool have_after;
	struct tsm_link_outcome res[TSM_LINK_MAX_WRITES];
	uint64_t duration_us[TSM_LINK_MAX_WRITES];
	unsigned int nres; /* writes made */
};

/*
 * Plan @rq (its root from --sysfs/TSMCTL_SYSFS) and, unless -n or nothing
 * is to be done, make the writes in order, stopping at the first that is
 * not done. @oc (kind TSM_OC_SYSFS) points at @run; the exit status.
 */
int exec_link(struct tsmctl_ctx *ctx, struct tsm_link_req *rq,
	      struct tsm_link_run *run, struct tsm_outcome *oc);

/* "dry_run" and "result" of a TSM_OC_SYSFS outcome (render.c calls it). */
void render_link(struct tsm_emit *em, const struct tsm_outcome *oc);

#endif
