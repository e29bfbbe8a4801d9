/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the sysfs-step commands share (connect, disconnect: cmd/connect.c;
 * lock, unlock, accept: cmd/lock.c): their options and their run, from
 * the options to the exit status (docs/architecture.md).
 */
#ifndef TSMCTL_CORE_LINK_CMD_H
#define TSMCTL_CORE_LINK_CMD_H

#include "ctx.h"
#include "link.h"
#include "opt.h"

enum {
	OPT_LINK_BDF = 0x700,
	OPT_LINK_TSM,
	OPT_LINK_UNBIND_DRIVER,
};

/* --bdf: the PCI functions with a tsm/ directory complete */
/* clang-format off */
#define TSMCTL_OPT_LINK_BDF                                               \
	{ "bdf", OPT_LINK_BDF, "BDF",                                     \
	  "the PCI function, DDDD:BB:DD.F as in /sys/bus/pci/devices",    \
	  .complete = "tsm-bdf" }
#define TSMCTL_OPT_LINK_UNBIND                                            \
	{ "unbind-driver", OPT_LINK_UNBIND_DRIVER, NULL,                  \
	  "unbind a bound driver first instead of refusing (accept: and " \
	  "reprobe it after, through drivers_probe)" }
/* clang-format on */

/* Parse, plan, write (unless -n), render: the exit status. */
int tsmctl_link_command(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
			int argc, char **argv, enum tsm_link_op op);
/* The argp parser of every link command's spec. */
error_t tsmctl_link_parse(int key, char *arg, struct argp_state *state);

#endif
