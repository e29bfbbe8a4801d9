// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl bind / unbind --vdevice ID: IOMMU_VDEVICE_TSM_OP (cli-contract.md
 * §4.1). Both commands share this file's option table and flow; unbind.c
 * only names the operation.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "tsmctl.h"
#include "uapi.h"

enum { OPT_VDEVICE = 0x200 };

static const struct argp_option bind_options[] = {
	{ "vdevice", OPT_VDEVICE, "ID", 0,
	  "iommufd vdevice object ID (u32) in the selected iommufd context",
	  0 },
	{ 0 }
};

const struct tsmctl_optmeta bind_meta[] = { { "vdevice", NULL, "" }, { 0 } };

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
		if (a->have_vdev)
			return tsmctl_usage_error(
				a->ctx, "--vdevice", arg,
				"--vdevice given twice (one vdevice per call; use batch for several)");
		if (tsmctl_opt_u32(a->ctx, "--vdevice", arg, &a->vdev))
			return EINVAL;
		a->have_vdev = true;
		break;
	case ARGP_KEY_ARG:
		return tsmctl_usage_error(
			a->ctx, "", arg,
			"unexpected argument '%s' (the vdevice is given with --vdevice ID)",
			arg);
	default:
		return tsmctl_parse_default(a->ctx, key, arg, state);
	}
	return 0;
}

const struct argp bind_argp = {
	.options = bind_options,
	.parser = bind_parse,
	.args_doc = "--vdevice ID",
	.doc = "Bind (or unbind) the TDI of an iommufd vdevice to its "
	       "confidential VM through IOMMU_VDEVICE_TSM_OP.\v"
	       "The vdevice ID is an iommufd object ID: it exists only in the "
	       "iommufd context (open file of /dev/iommu) that created it, so "
	       "use the VMM's descriptor with --fd or --pid. Quiet on success "
	       "unless -v. Exit status: 0 done, 1 refused by the kernel, 2 bad "
	       "input (nothing sent), 4 uncertain, 5 not supported.",
	.children = tsmctl_global_children,
};

int tsm_op_command(struct tsmctl_ctx *ctx, int argc, char **argv, uint32_t type)
{
	const char *opname = type == TSM_OP_BIND ? "bind" : "unbind";
	struct bind_args a = { .ctx = ctx };
	int code;

	if (tsmctl_parse(ctx, &bind_argp, argc, argv, &a))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (!a.have_vdev) {
		tsmctl_usage_error(
			ctx, "--vdevice", NULL,
			"missing --vdevice ID (the iommufd vdevice object ID)");
		snprintf(ctx->err.hint, sizeof(ctx->err.hint),
			 "see 'tsmctl %s --help'", opname);
		return out_usage_error(ctx);
	}
	if (tsmctl_resolve_abi(ctx))
		return out_usage_error(ctx);
	out_doc(ctx);
	out_set_abi(ctx);
	ctx->quiet_text = true;
	code = exec_tsm_op(ctx, type, a.vdev);
	exec_close_dev(ctx);
	return code;
}

int cmd_bind(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsm_op_command(ctx, argc, argv, TSM_OP_BIND);
}
