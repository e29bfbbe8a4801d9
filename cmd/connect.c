// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl connect / disconnect --bdf BDF [--tsm NAME]: the host's steps
 * before bind and after unbind, through tsm/connect and tsm/disconnect
 * (docs/cli-contract.md, "connect, disconnect"; docs/kernel-abi.md,
 * "sysfs writes").
 */
#include "builtin.h"
#include "core/link_cmd.h"

static const struct tsmctl_opt connect_opts[] = {
	TSMCTL_OPT_LINK_BDF,
	{ "tsm", OPT_LINK_TSM, "NAME",
	  "the TSM (as in /sys/class/tsm); needed when several are registered" },
	{ 0 }
};

const struct tsmctl_spec connect_spec = {
	.opts = connect_opts,
	.parser = tsmctl_link_parse,
	.args_doc = "--bdf BDF",
	.doc = "Connect (or disconnect) a PCI device's DSM to the platform TSM: "
	       "an SPDM session, then IDE, set up by the kernel when the TSM's "
	       "name is written to tsm/connect (tsm/disconnect tears it down "
	       "and unbinds the device's TDIs).\v"
	       "Host side, before the VMM binds a TDI (bind) and after it "
	       "unbinds. The function must be its own DSM (function 0); "
	       "already connected to the TSM is exit 0, connected to another "
	       "is refused. The state is read back and printed; -n prints the "
	       "write and makes none. Exit status: 0 done, 1 refused, 2 bad "
	       "input (nothing written), 4 uncertain, 5 not supported (no "
	       "TSM, or a guest).",
};

int cmd_connect(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsmctl_link_command(ctx, &connect_spec, argc, argv,
				   TSM_LINK_CONNECT);
}

int cmd_disconnect(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsmctl_link_command(ctx, &connect_spec, argc, argv,
				   TSM_LINK_DISCONNECT);
}
