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
	  "iommufd vdevice object ID (u32) in the selected iommufd context", 0 },
	{ 0 }
};

const struct tsmctl_optmeta bind_meta[] = {
	{ "vdevice", NULL, "" },
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
	case ARGP_KEY_INIT:
		state->child_inputs[0] = a->ctx;
		break;
	case OPT_VDEVICE:
		if (tsmctl_opt_u32(a->ctx, "--vdevice", arg, &a->vdev))
			return EINVAL;
		a->have_vdev = true;
		break;
	case ARGP_KEY_ARG:
		return tsmctl_usage_error(a->ctx, "", arg,
					  "unexpected argument '%s' (the vdevice is given with --vdevice ID)",
					  arg);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child bind_children[] = {
	{ &tsmctl_global_argp, 0, "Global options:", 1 },
	{ 0 }
};

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
	.children = bind_children,
};

static int op_error(struct tsmctl_ctx *ctx, int code, const char *stage,
		    struct tsm_err *e, struct json_object *extra)
{
	return out_error(ctx, code, stage, e, extra);
}

int tsm_op_command(struct tsmctl_ctx *ctx, int argc, char **argv,
		   uint32_t type)
{
	enum tsm_call_kind kind = type == TSM_OP_BIND ? TSM_CALL_BIND :
							TSM_CALL_UNBIND;
	const char *opname = type == TSM_OP_BIND ? "bind" : "unbind";
	struct bind_args a = { .ctx = ctx };
	struct tsm_image img;
	struct tsm_dev dev = { .fd = -1 };
	struct tsm_call call;
	struct json_object *res, *extra;
	enum tsm_completion comp;
	char ename[16], why[400];
	int code;

	if (tsmctl_parse(ctx, &bind_argp, argc, argv, &a))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (!a.have_vdev) {
		tsmctl_usage_error(ctx, "--vdevice", NULL,
				   "missing --vdevice ID (the iommufd vdevice object ID)");
		snprintf(ctx->err.hint, sizeof(ctx->err.hint),
			 "see 'tsmctl %s --help'", opname);
		return out_usage_error(ctx);
	}
	if (tsmctl_resolve_abi(ctx))
		return out_usage_error(ctx);
	out_doc(ctx);
	json_object_object_add(ctx->doc, "abi",
			       json_object_new_string(ctx->profile.name));
	if (tsm_build_op(&ctx->profile, type, a.vdev, &img)) {
		tsmctl_usage_error(ctx, "--abi", ctx->profile.name,
				   "%s is not available under ABI profile %s: %s",
				   opname, ctx->profile.name,
				   ctx->profile.bind_absent_hint[0] ?
					   ctx->profile.bind_absent_hint :
					   "this profile has no IOMMU_VDEVICE_TSM_OP ioctl");
		snprintf(ctx->err.hint, sizeof(ctx->err.hint), "%s",
			 type == TSM_OP_BIND ?
				 "nothing to do: the VMM's IOMMU_VDEVICE_ALLOC binds" :
				 "destroy the vdevice (IOMMU_DESTROY) in the VMM to unbind");
		return out_usage_error(ctx);
	}
	out_set(ctx, "dry_run", json_object_new_boolean(ctx->dry_run));
	out_set(ctx, "ioctl",
		ioctl_json("IOMMU_VDEVICE_TSM_OP", &ctx->profile.op, &img, 0,
			   true));
	res = json_object_new_object();
	json_object_object_add(res, "operation",
			       json_object_new_string(opname));
	json_object_object_add(res, "vdevice_id", json_u64(a.vdev));
	out_set(ctx, "result", res);
	if (ctx->dry_run)
		return 0;

	if (tsm_dev_open(&ctx->sel, &dev, &ctx->err)) {
		int e = ctx->err.err;

		code = (e == EBADF || (e == EINVAL && ctx->sel.pid >= 0)) ?
			       TSM_EXIT_USAGE :
		       (e == ENOENT && !ctx->sel.path && ctx->sel.fd < 0 &&
			ctx->sel.pid < 0) ?
			       TSM_EXIT_UNSUPPORTED :
			       TSM_EXIT_FAIL;
		return op_error(ctx, code, code == TSM_EXIT_USAGE ? "usage" : "open",
				&ctx->err, NULL);
	}
	{
		struct json_object *t = json_object_new_object();

		json_object_object_add(t, "device",
				       json_object_new_string(dev.desc));
		json_object_object_add(t, "fd", json_object_new_int(dev.fd));
		trace_record(ctx, "open", t);
	}
	json_object_object_add(res, "device", json_object_new_string(dev.desc));
	tsm_dev_ioctl(&dev, tsm_request_code(ctx->profile.op.nr), img.b, &call);
	{
		struct json_object *t = json_object_new_object();

		json_object_object_add(
			t, "ioctl",
			ioctl_json("IOMMU_VDEVICE_TSM_OP", &ctx->profile.op,
				   &img, 0, true));
		json_object_object_add(t, "rc", json_object_new_int64(call.rc));
		json_object_object_add(t, "errno", json_object_new_int(call.err));
		json_object_object_add(t, "errno_name",
				       json_object_new_string(tsm_errno_name(
					       call.err, ename, sizeof(ename))));
		json_object_object_add(t, "duration_us",
				       json_u64(call.duration_us));
		trace_record(ctx, "ioctl", t);
	}
	comp = tsm_classify(kind, call.err);
	code = tsm_exit_for(comp, call.err, 0);
	json_object_object_add(res, "rc", json_object_new_int64(call.rc));
	json_object_object_add(res, "errno", json_object_new_int(call.err));
	json_object_object_add(res, "errno_name",
			       json_object_new_string(tsm_errno_name(
				       call.err, ename, sizeof(ename))));
	json_object_object_add(res, "completion",
			       json_object_new_string(tsm_completion_name(comp)));
	json_object_object_add(res, "duration_us", json_u64(call.duration_us));
	if (call.err) {
		struct tsm_err e = { .err = call.err };

		tsm_explain(kind, call.err, a.vdev, &ctx->profile, why,
			    sizeof(why));
		if (call.err == ENOTTY) {
			char ident[160];

			tsm_dev_identify(&dev, ident, sizeof(ident));
			if (ident[0])
				snprintf(why, sizeof(why),
					 "%s: it does not implement iommufd ioctls; use -d /dev/iommu",
					 ident);
		}
		snprintf(e.msg, sizeof(e.msg), "%s vdevice %u on %s: %s (%s)",
			 opname, a.vdev, dev.desc, strerror(call.err),
			 tsm_errno_name(call.err, ename, sizeof(ename)));
		snprintf(e.hint, sizeof(e.hint), "%s", why);
		snprintf(e.field, sizeof(e.field), "--vdevice");
		extra = json_object_new_object();
		json_object_object_add(extra, "completion",
				       json_object_new_string(
					       tsm_completion_name(comp)));
		tsm_dev_close(&dev);
		return op_error(ctx, code, "ioctl", &e, extra);
	}
	tsm_dev_close(&dev);
	return code;
}

int cmd_bind(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsm_op_command(ctx, argc, argv, TSM_OP_BIND);
}
