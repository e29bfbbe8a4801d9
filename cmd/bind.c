// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl bind / unbind --vdevice ID: IOMMU_VDEVICE_TSM_OP
 * (docs/cli-contract.md, "bind, unbind"). The kernel's unbind always
 * succeeds once the vdevice is found (pci_tsm_unbind is void).
 */
#include <errno.h>
#include <string.h>

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/render.h"
#include "uapi.h"

enum { OPT_VDEVICE = 0x200 };

static const struct tsmctl_opt bind_opts[] = {
	{ "vdevice", OPT_VDEVICE, "ID",
	  "iommufd vdevice object ID (u32) in the selected iommufd context" },
	{ 0 }
};

struct bind_args {
	struct tsmctl_ctx *ctx;
	bool have_vdev;
	uint32_t vdev;
};

static error_t bind_parse(int key, char *arg, struct argp_state *state)
{
	struct bind_args *a = state->input;

	switch (key) {
	case OPT_VDEVICE:
		return tsmctl_opt_vdevice(
			a->ctx, arg,
			"--vdevice given twice (one vdevice per call; use batch for several)",
			&a->have_vdev, &a->vdev);
	case ARGP_KEY_ARG:
		return tsmctl_usage_error(
			a->ctx, "", arg,
			"unexpected argument '%s' (the vdevice is given with --vdevice ID)",
			arg);
	default:
		return tsmctl_parse_default(a->ctx, key, arg, state);
	}
}

const struct tsmctl_spec bind_spec = {
	.opts = bind_opts,
	.parser = bind_parse,
	.args_doc = "--vdevice ID",
	.doc = "Bind (or unbind) the TDI of an iommufd vdevice to its "
	       "confidential VM through IOMMU_VDEVICE_TSM_OP.\v"
	       "The vdevice ID is an iommufd object ID: it exists only in the "
	       "iommufd context (open file of /dev/iommu) that created it, so "
	       "use the VMM's descriptor with --fd or --pid. Under ABI profile "
	       "v7 there is no TSM_OP: the TSM binds when the VMM allocates "
	       "the vdevice, so bind and unbind exit 2 and send nothing. Quiet "
	       "on success unless -v. Exit status: 0 done, 1 refused by the kernel, 2 bad "
	       "input (nothing sent), 4 uncertain, 5 not supported.",
};

static int tsm_op_command(struct tsmctl_ctx *ctx, int argc, char **argv,
			  uint32_t type)
{
	struct bind_args a = { .ctx = ctx };
	struct tsm_outcome oc;
	int code;

	if (tsmctl_parse(ctx, &bind_spec, argc, argv, &a, NULL))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (!a.have_vdev) {
		tsmctl_usage_error(
			ctx, "--vdevice", NULL,
			"missing --vdevice ID (the iommufd vdevice object ID)");
		snprintf(ctx->err.hint, sizeof(ctx->err.hint),
			 "see 'tsmctl %s --help'", ctx->cmd_name);
		return out_usage_error(ctx);
	}
	if (tsmctl_resolve_abi(ctx))
		return out_usage_error(ctx);
	out_doc(ctx);
	out_set_abi(ctx);
	ctx->quiet_text = true;
	exec_op(ctx, type, a.vdev, &oc);
	code = render_outcome(ctx, &oc);
	exec_close_dev(ctx);
	return code;
}

int cmd_bind(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsm_op_command(ctx, argc, argv, TSM_OP_BIND);
}

int cmd_unbind(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsm_op_command(ctx, argc, argv, TSM_OP_UNBIND);
}
