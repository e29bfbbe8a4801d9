// SPDX-License-Identifier: GPL-2.0
/*
 * Issuing TSM_OP (bind/unbind) on the selected iommufd context, shared by
 * the bind/unbind commands and batch: device opened once and held,
 * dry-run, trace records, result channels, errno explanations.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "detect.h"
#include "tsmctl.h"
#include "uapi.h"

int exec_check_sel(struct tsmctl_ctx *ctx)
{
	if (ctx->sel.path && (ctx->sel.fd >= 0 || ctx->sel.pid >= 0)) {
		tsmctl_usage_error(
			ctx, "--device", ctx->sel.path,
			"-d/--device and %s select different iommufd contexts: give one",
			ctx->sel.pid >= 0 ? "--pid" : "--fd");
		return out_usage_error(ctx);
	}
	/* a trace that cannot be written is bad input: stop here */
	if (trace_start(ctx))
		return out_usage_error(ctx);
	return 0;
}

int exec_open_dev(struct tsmctl_ctx *ctx)
{
	int e, code;

	if (ctx->dev_open)
		return 0;
	code = exec_check_sel(ctx);
	if (code)
		return code;
	e = exec_open_traced(ctx);
	if (!e)
		return 0;
	e = -e;
	code = (e == EBADF || (ctx->sel.pid >= 0 &&
			       (e == EINVAL || e == ESRCH || e == ENOENT))) ?
		       TSM_EXIT_USAGE :
	       (e == ENOENT && !ctx->sel.path && ctx->sel.fd < 0 &&
		ctx->sel.pid < 0) ?
		       TSM_EXIT_UNSUPPORTED :
		       TSM_EXIT_FAIL;
	return out_error(ctx, code, code == TSM_EXIT_USAGE ? "usage" : "open",
			 &ctx->err, NULL);
}

int exec_open_traced(struct tsmctl_ctx *ctx)
{
	struct json_object *t = json_object_new_object();
	int e;

	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_dev_open(&ctx->sel, &ctx->dev, &ctx->err)) {
		e = ctx->err.err;
		json_add(t, "device",
			 json_object_new_string(ctx->sel.path ?
							ctx->sel.path :
							TSM_DEFAULT_DEVICE));
		json_add(t, "errno", json_object_new_int(e));
		trace_record(ctx, "open", t);
		return -e;
	}
	json_add(t, "device", json_object_new_string(ctx->dev.desc));
	json_add(t, "fd", json_object_new_int(ctx->dev.fd));
	trace_record(ctx, "open", t);
	ctx->dev_open = true;
	return 0;
}

void exec_close_dev(struct tsmctl_ctx *ctx)
{
	if (ctx->dev_open)
		tsm_dev_close(&ctx->dev);
	ctx->dev_open = false;
}

void call_json_add(struct json_object *o, const struct tsm_call *c)
{
	char ename[16];

	json_add(o, "rc", json_object_new_int64(c->rc));
	json_add(o, "errno", json_object_new_int(c->err));
	json_add(o, "errno_name",
		 json_object_new_string(
			 tsm_errno_name(c->err, ename, sizeof(ename))));
}

/* ENOTTY told from the running kernel's BTF; true: the profile is at fault */
static bool enotty_btf(struct tsmctl_ctx *ctx, enum tsm_call_kind kind,
		       char *why, size_t len)
{
	const struct tsm_detect *d = tsmctl_detect(ctx);
	struct tsm_enotty_facts f = { 0 };
	size_t i;

	if (!d)
		return tsm_explain_enotty(kind, &ctx->profile, NULL, why, len);
	f.btf_read = d->have_btf;
	f.btf_has_tsm = d->have_tsm;
	for (i = 0; i < d->n; i++)
		if (d->p[i].verdict == TSM_DETECT_MATCHES &&
		    (!f.matching || !strcmp(d->p[i].name, ctx->profile.name)))
			f.matching = d->p[i].name;
	return tsm_explain_enotty(kind, &ctx->profile, &f, why, len);
}

void exec_enotty(struct tsmctl_ctx *ctx, enum tsm_call_kind kind, char *why,
		 size_t len, char *field, size_t flen)
{
	char ident[160];

	field[0] = 0;
	/* a node that is not iommufd at all (-d /dev/null) */
	tsm_dev_identify(&ctx->dev, ident, sizeof(ident));
	if (!ident[0]) {
		if (enotty_btf(ctx, kind, why, len))
			snprintf(field, flen, "%s",
				 ctx->abi_file ? "--abi-file" : "--abi");
		return;
	}
	/* the flag that selected the node, if one did */
	snprintf(field, flen, "%s",
		 ctx->sel.fd >= 0  ? "--fd" :
		 ctx->sel.pid >= 0 ? "--pid" :
		 ctx->sel.path	   ? "--device" :
				     "");
	snprintf(
		why, len, "%s: it does not implement iommufd ioctls; %s", ident,
		ctx->sel.fd >= 0 ?
			"give the number of the VMM's iommufd descriptor with --fd N, or use --pid" :
		ctx->sel.pid >= 0 ?
			"give the VMM's iommufd descriptor number with --fd N along with --pid" :
			"use -d /dev/iommu, or reach the VMM's context with --fd or --pid");
}

void exec_explain(struct tsmctl_ctx *ctx, enum tsm_call_kind kind, int err,
		  uint32_t vdev, char *why, size_t len, char *field,
		  size_t flen)
{
	field[0] = 0;
	if (err == ENOTTY) {
		exec_enotty(ctx, kind, why, len, field, flen);
		return;
	}
	tsm_explain(kind, err, vdev, &ctx->profile, why, len);
	if (err == E2BIG)
		snprintf(field, flen, "--abi");
}

int exec_trace_failed(struct tsmctl_ctx *ctx, int rc)
{
	struct json_object *extra = json_object_new_object();

	tsm_err_set(
		&ctx->err, -rc, "--trace", ctx->trace_path,
		"cannot write the --trace record of the call: %s; nothing was sent",
		strerror(-rc));
	json_add(extra, "completion",
		 json_object_new_string(tsm_completion_name(TSM_NOT_STARTED)));
	return out_error(ctx, TSM_EXIT_FAIL, "trace", &ctx->err, extra);
}

int exec_tsm_op(struct tsmctl_ctx *ctx, uint32_t type, uint32_t vdev)
{
	enum tsm_call_kind kind = type == TSM_OP_BIND ? TSM_CALL_BIND :
							TSM_CALL_UNBIND;
	const char *opname = type == TSM_OP_BIND ? "bind" : "unbind";
	struct json_object *res, *t, *extra;
	enum tsm_completion comp;
	struct tsm_image img;
	struct tsm_call call;
	char ename[16], why[400];
	unsigned int seq;
	int code;

	/* a kernel without TSM types: no profile fact applies (exit 5) */
	if (!ctx->dry_run && ctx->abi_no_tsm) {
		code = exec_check_sel(ctx); /* bad input first: exit 2 */
		return code ? code : exec_tsm_guard(ctx, false);
	}
	if (tsm_build_op(&ctx->profile, type, vdev, &img)) {
		tsmctl_usage_error(
			ctx, "--abi", ctx->profile.name,
			"%s is not available under ABI profile %s: %s", opname,
			ctx->profile.name,
			ctx->profile.bind_absent_hint[0] ?
				ctx->profile.bind_absent_hint :
				"this profile has no IOMMU_VDEVICE_TSM_OP ioctl");
		snprintf(
			ctx->err.hint, sizeof(ctx->err.hint),
			"%s; if the kernel has a TSM_OP ioctl, select its profile with --abi (v5, v5-op, v6)",
			type == TSM_OP_BIND ?
				"under this profile the VMM binds by allocating the vdevice, so tsmctl has nothing to send" :
				"under this profile, destroy the vdevice in the VMM (IOMMU_DESTROY) to unbind");
		return out_usage_error(ctx);
	}
	out_set(ctx, "dry_run", json_object_new_boolean(ctx->dry_run));
	out_set(ctx, "ioctl",
		ioctl_json("IOMMU_VDEVICE_TSM_OP", &ctx->profile.op, &img, 0,
			   true));
	res = json_object_new_object();
	json_add(res, "operation", json_object_new_string(opname));
	json_add(res, "vdevice_id", json_u64(vdev));
	out_set(ctx, "result", res);
	if (ctx->dry_run)
		return 0;
	code = exec_check_sel(ctx);
	if (!code)
		code = exec_tsm_guard(ctx, true);
	if (!code)
		code = exec_open_dev(ctx);
	if (code)
		return code;
	json_add(res, "device", json_object_new_string(ctx->dev.desc));
	/* the trace is open (exec_open_dev) if one was asked for */
	code = traced_ioctl(ctx, tsm_request_code(ctx->profile.op.nr), img.b,
			    ctx->trace_fd < 0 ?
				    NULL :
				    ioctl_json("IOMMU_VDEVICE_TSM_OP",
					       &ctx->profile.op, &img, 0, true),
			    NULL, &call, &seq);
	if (code)
		return exec_trace_failed(ctx, code);
	if (ctx->trace_fd >= 0) {
		t = json_object_new_object();
		json_add(t, "ioctl",
			 ioctl_json("IOMMU_VDEVICE_TSM_OP", &ctx->profile.op,
				    &img, 0, true));
		call_json_add(t, &call);
		json_add(t, "duration_us", json_u64(call.duration_us));
		trace_result(ctx, seq, t);
	}

	comp = tsm_classify(kind, call.err);
	code = tsm_exit_for(comp, call.err, 0);
	call_json_add(res, &call);
	json_add(res, "completion",
		 json_object_new_string(tsm_completion_name(comp)));
	json_add(res, "duration_us", json_u64(call.duration_us));
	if (!call.err)
		return code;
	{
		struct tsm_err e = { .err = call.err };

		exec_explain(ctx, kind, call.err, vdev, why, sizeof(why),
			     e.field, sizeof(e.field));
		snprintf(e.msg, sizeof(e.msg), "%s vdevice %u on %s: %s (%s)",
			 opname, vdev, ctx->dev.desc, strerror(call.err),
			 tsm_errno_name(call.err, ename, sizeof(ename)));
		snprintf(e.hint, sizeof(e.hint), "%s", why);
		if (call.err == ENOENT) /* the batch line's key, or the flag */
			snprintf(e.field, sizeof(e.field), "%s",
				 ctx->cmd && !strcmp(ctx->cmd->name, "batch") ?
					 "vdevice_id" :
					 "--vdevice");
		extra = json_object_new_object();
		json_add(extra, "completion",
			 json_object_new_string(tsm_completion_name(comp)));
		return out_error(ctx, code, "ioctl", &e, extra);
	}
}
