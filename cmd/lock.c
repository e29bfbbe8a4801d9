// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl lock / unlock / accept --bdf BDF: a confidential guest's TDISP
 * steps through tsm/lock, tsm/unlock and tsm/accept (staging kernels;
 * docs/cli-contract.md, "lock, unlock, accept"). The host's forwarding
 * of the same transitions is set-run; each refuses the other's place.
 */
#include "builtin.h"
#include "core/link_cmd.h"

static const struct tsmctl_opt lock_opts[] = {
	TSMCTL_OPT_LINK_BDF,
	{ "tsm", OPT_LINK_TSM, "NAME",
	  "the guest's TSM (as in /sys/class/tsm); needed when several are registered" },
	TSMCTL_OPT_LINK_UNBIND,
	{ 0 }
};

/* clang-format off */
static const struct tsmctl_opt accept_opts[] = {
	TSMCTL_OPT_LINK_BDF,
	TSMCTL_OPT_LINK_UNBIND,
	{ 0 }
};
/* clang-format on */

#define GUEST_DOC                                                             \
	"Inside a confidential guest (staging kernels, pci_mode devsec). On " \
	"the host the VMM forwards these transitions with set-run --state "   \
	"lock|run|unlock; run there, this exits 5 and says so. A bound "      \
	"driver is refused naming it (the kernel answers EBUSY) unless "      \
	"--unbind-driver. The state is read back and printed; -n prints the " \
	"writes and makes none. Exit status: 0 done, 1 refused, 2 bad input " \
	"(nothing written), 4 uncertain, 5 not supported here."

const struct tsmctl_spec lock_spec = {
	.opts = lock_opts,
	.parser = tsmctl_link_parse,
	.args_doc = "--bdf BDF",
	.doc = "Lock a TDI (TDISP CONFIG_LOCKED) through tsm/lock, or unlock it "
	       "(CONFIG_UNLOCKED) through tsm/unlock.\v" GUEST_DOC,
};

const struct tsmctl_spec accept_spec = {
	.opts = accept_opts,
	.parser = tsmctl_link_parse,
	.args_doc = "--bdf BDF",
	.doc = "Accept a locked TDI (TDISP RUN) through tsm/accept; with "
	       "--unbind-driver the driver is reprobed after (drivers_probe)."
	       "\v" GUEST_DOC,
};

int cmd_lock(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsmctl_link_command(ctx, &lock_spec, argc, argv, TSM_LINK_LOCK);
}

int cmd_unlock(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsmctl_link_command(ctx, &lock_spec, argc, argv,
				   TSM_LINK_UNLOCK);
}

int cmd_accept(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsmctl_link_command(ctx, &accept_spec, argc, argv,
				   TSM_LINK_ACCEPT);
}
