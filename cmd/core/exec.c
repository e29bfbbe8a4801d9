// SPDX-License-Identifier: GPL-2.0
/*
 * Executing on the selected iommufd context (exec.h): the checks before
 * anything is sent, the device, the guards against a kernel the profile
 * does not fit, errno explanations, and TSM_OP (bind, unbind).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "exec.h"
#include "opt.h"
#include "profile.h"
#include "tracing.h"
#include "uapi.h"

/* @rep from ctx->err: a usage error, exit 2, nothing sent (no "ioctl") */
int exec_usage(struct tsmctl_ctx *ctx, struct tsm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->code = TSM_EXIT_USAGE;
	rep->stage = "usage";
	rep->unsent = true;
	rep->e = ctx->err;
	return rep->code;
}

int exec_check_sel(struct tsmctl_ctx *ctx, struct tsm_report *rep)
{
	if (ctx->sel.path && (ctx->sel.fd >= 0 || ctx->sel.pid >= 0)) {
		tsmctl_usage_error(
			ctx, "--device", ctx->sel.path,
			"-d/--device and %s select different iommufd contexts: give one",
			ctx->sel.pid >= 0 ? "--pid" : "--fd");
		return exec_usage(ctx, rep);
	}
	/* an --fd not open, a --pid with no process: bad input, here (once:
	 * an open device was selected well) */
	if (!ctx->dev_open && tsm_dev_sel_check(&ctx->sel, &ctx->err))
		return exec_usage(ctx, rep);
	/* a trace that cannot be written is bad input: stop here */
	if (tsmctl_trace_start(ctx))
		return exec_usage(ctx, rep);
	return 0;
}

int exec_open_traced(struct tsmctl_ctx *ctx)
{
	int e;

	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_dev_open(&ctx->sel, &ctx->dev, &ctx->err)) {
		e = ctx->err.err;
		tsm_trace_open_rec(&ctx->trace,
				   ctx->sel.path ? ctx->sel.path :
						   TSM_DEFAULT_DEVICE,
				   -1, e);
		return -e;
	}
	tsm_trace_open_rec(&ctx->trace, ctx->dev.desc, ctx->dev.fd, 0);
	ctx->dev_open = true;
	return 0;
}

int exec_open_dev(struct tsmctl_ctx *ctx, struct tsm_report *rep)
{
	int e, code;

	if (ctx->dev_open)
		return 0;
	code = exec_check_sel(ctx, rep);
	if (code)
		return code;
	e = exec_open_traced(ctx);
	if (!e)
		return 0;
	e = -e;
	code = (e == EBADF || (ctx->sel.pid >= 0 &&
			       (e == EINVAL || e == ESRCH || e == ENOENT))) ?
		       TSM_EXIT_USAGE :
	       (e == ENOENT && tsm_dev_sel_default(&ctx->sel)) ?
		       TSM_EXIT_UNSUPPORTED :
		       TSM_EXIT_FAIL;
	memset(rep, 0, sizeof(*rep));
	rep->code = code;
	rep->stage = code == TSM_EXIT_USAGE ? "usage" : "open";
	rep->unsent = code == TSM_EXIT_USAGE;
	rep->e = ctx->err;
	return code;
}

void exec_close_dev(struct tsmctl_ctx *ctx)
{
	if (ctx->dev_open)
		tsm_dev_close(&ctx->dev);
	ctx->dev_open = false;
}

/*
 * --abi auto fell back on a kernel whose BTF positively has no TSM type:
 * no profile fact applies to it, and nothing is sent (exit 5).
 */
static int no_tsm_refusal(struct tsmctl_ctx *ctx, struct tsm_report *rep)
{
	/* no errno: nothing was sent, so the kernel answered nothing */
	memset(rep, 0, sizeof(*rep));
	snprintf(
		rep->e.msg, sizeof(rep->e.msg),
		"this kernel has no vdevice TSM ioctls (its BTF has no iommu_vdevice_tsm types)");
	snprintf(
		rep->e.hint, sizeof(rep->e.hint),
		"nothing was sent: --abi auto found no profile for this kernel; to send the bytes of a profile such as %s anyway, select it with --abi",
		ctx->profile.name);
	rep->code = TSM_EXIT_UNSUPPORTED;
	rep->stage = "abi";
	rep->unsent = true;
	return rep->code;
}

/* The way out of a contradiction, in ctx->err.hint */
static void contradiction_hint(struct tsmctl_ctx *ctx, const char *matching)
{
	if (ctx->cmd_name && !strcmp(ctx->cmd_name, "replay"))
		/* --abi must be the trace's: another is no way out */
		snprintf(
			ctx->err.hint, sizeof(ctx->err.hint),
			"a trace replays only on a kernel of the profile it was recorded with (%s); this kernel matches %s: replay it on such a kernel or under tsm-emu; nothing was sent",
			ctx->profile.name,
			matching ? matching : "no compiled-in profile");
	else if (matching)
		snprintf(
			ctx->err.hint, sizeof(ctx->err.hint),
			"the kernel matches profile %s: run with --abi %s%s%s; nothing was sent",
			matching, matching,
			tsm_profile_find(matching)->op.nr ?
				"" :
				", where bind and unbind have nothing to send: ",
			tsm_profile_find(matching)->bind_absent_hint);
	else
		snprintf(
			ctx->err.hint, sizeof(ctx->err.hint),
			"no compiled-in profile matches: describe the kernel's layout with --abi-file; nothing was sent");
}

/* A state change under a profile the kernel's BTF contradicts: refused */
static int detect_guard(struct tsmctl_ctx *ctx, struct tsm_report *rep)
{
	const struct tsm_detect *d;
	const char *matching = NULL;
	char why[280]; /* leaves room in ctx->err.msg for the rest */
	bool bad;

	if (ctx->detect_checked && !ctx->detect_refused)
		return 0;
	ctx->detect_checked = true;
	d = tsmctl_detect(ctx);
	if (!d)
		return 0;
	bad = tsm_detect_contradicts(d, ctx->profile.name, why, sizeof(why),
				     &matching);
	ctx->detect_refused = bad;
	if (!bad)
		return 0;
	tsmctl_usage_error(
		ctx, "--abi", ctx->profile.name,
		"ABI profile %s contradicts the running kernel (%s): %s",
		ctx->profile.name, d->source, why);
	contradiction_hint(ctx, matching);
	return exec_usage(ctx, rep);
}

int exec_tsm_guard(struct tsmctl_ctx *ctx, bool state_change,
		   struct tsm_report *rep)
{
	if (ctx->abi_no_tsm)
		return no_tsm_refusal(ctx, rep);
	return state_change ? detect_guard(ctx, rep) : 0;
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

int exec_probe(struct tsmctl_ctx *ctx, const struct tsm_trace_ioctl *rec,
	       void *st, struct tsm_call *call, unsigned int *seq)
{
	int rc = tsmctl_trace_intent(ctx, rec, seq);

	if (rc) {
		call->rc = -1; /* unrecorded, so not sent */
		call->err = -rc;
		call->duration_us = 0;
		return rc;
	}
	tsm_dev_ioctl(&ctx->dev, rec->request, st, call);
	return 0;
}

void exec_probe_result(struct tsmctl_ctx *ctx, unsigned int seq,
		       struct tsm_trace_ioctl *rec, const struct tsm_call *call)
{
	rec->call = call;
	tsmctl_trace_result(ctx, seq, rec);
}

void tsm_outcome_free(struct tsm_outcome *oc)
{
	free(oc->sized);
	free(oc->sq_req);
	exec_resp_free(oc->resp, oc->resp_cap);
	oc->sized = oc->sq_req = NULL;
	oc->resp = NULL;
}

/* The intent record could not be written (-errno @rc): nothing sent. */
int exec_trace_failed(struct tsmctl_ctx *ctx, int rc, struct tsm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	tsm_err_set(
		&rep->e, -rc, "--trace", ctx->trace_path,
		"cannot write the --trace record of the call: %s; nothing was sent",
		strerror(-rc));
	ctx->trace_err_said = true; /* the error says it */
	rep->code = TSM_EXIT_FAIL;
	rep->stage = "trace";
	rep->has_completion = true;
	rep->completion = TSM_NOT_STARTED;
	return rep->code;
}

/*
 * TSM_OP returns 0 or -1 with an errno (docs/kernel-abi.md, "Completion
 * rules"): any other value is an invalid completion, and a bind or unbind
 * that returned it may have happened (exit 4).
 */
static int op_invalid(struct tsmctl_ctx *ctx, struct tsm_outcome *oc)
{
	struct tsm_report *rep = &oc->rep;

	oc->op_invalid = true;
	oc->completion = TSM_INVALID;
	memset(rep, 0, sizeof(*rep));
	snprintf(oc->op_why, sizeof(oc->op_why),
		 "the kernel returned %ld: neither 0 nor -1 with an errno",
		 oc->call.rc);
	snprintf(rep->e.msg, sizeof(rep->e.msg),
		 "%s vdevice %u on %s: invalid completion: %s", oc->op_name,
		 oc->vdevice_id, ctx->dev.desc, oc->op_why);
	snprintf(
		rep->e.hint, sizeof(rep->e.hint),
		"a kernel or TSM driver bug; the %s may have happened: inspect the TDI state before retrying, and report it with --trace",
		oc->op_name);
	rep->has_residue = true;
	rep->residue = oc->call.rc;
	rep->has_completion = true;
	rep->completion = TSM_INVALID;
	rep->stage = "result";
	return rep->code = TSM_EXIT_UNCERTAIN;
}

/* The compiled-in profiles that have TSM_OP, ", "-separated */
static void op_profiles(char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < tsm_profile_count() && off < len; i++)
		if (tsm_profile_at(i)->op.nr)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? ", " : "",
						tsm_profile_at(i)->name);
}

/*
 * TSM_OP @type not in this profile: a usage error naming --abi. Another
 * profile is suggested only when the kernel's BTF did not choose this one.
 */
static int op_absent(struct tsmctl_ctx *ctx, struct tsm_outcome *oc)
{
	bool btf = !strcmp(ctx->abi_source, "btf");
	char list[64];

	tsmctl_usage_error(ctx, "--abi", ctx->profile.name,
			   "%s is not available under ABI profile %s: %s",
			   oc->op_name, ctx->profile.name,
			   ctx->profile.bind_absent_hint[0] ?
				   ctx->profile.bind_absent_hint :
				   "it has no IOMMU_VDEVICE_TSM_OP ioctl");
	op_profiles(list, sizeof(list));
	snprintf(
		ctx->err.hint, sizeof(ctx->err.hint), "%s; %s%s%s",
		oc->op_type == TSM_OP_BIND ?
			"tsmctl has nothing to send" :
			"destroy the vdevice in the VMM (IOMMU_DESTROY) to unbind",
		btf ? "the running kernel's BTF matches this profile" :
		      "if the kernel has a TSM_OP ioctl, select its profile with --abi (",
		btf ? "" : list, btf ? "" : ")");
	return exec_usage(ctx, &oc->rep);
}

/* The failed call explained: errno, the flag at fault, what to do */
static int op_failed(struct tsmctl_ctx *ctx, struct tsm_outcome *oc,
		     enum tsm_call_kind kind)
{
	struct tsm_report *rep = &oc->rep;
	char ename[16], why[400];
	int err = oc->call.err;

	memset(rep, 0, sizeof(*rep));
	rep->e.err = err;
	exec_explain(ctx, kind, err, oc->vdevice_id, why, sizeof(why),
		     rep->e.field, sizeof(rep->e.field));
	snprintf(rep->e.msg, sizeof(rep->e.msg), "%s vdevice %u on %s: %s (%s)",
		 oc->op_name, oc->vdevice_id, ctx->dev.desc, strerror(err),
		 tsm_errno_name(err, ename, sizeof(ename)));
	snprintf(rep->e.hint, sizeof(rep->e.hint), "%s", why);
	if (err == ENOENT) /* the batch line's key, or the flag */
		snprintf(rep->e.field, sizeof(rep->e.field), "%s",
			 ctx->cmd_name && !strcmp(ctx->cmd_name, "batch") ?
				 "vdevice_id" :
				 "--vdevice");
	rep->stage = "ioctl";
	rep->has_completion = true;
	rep->completion = oc->completion;
	rep->code = tsm_exit_for(oc->completion, err, 0);
	return rep->code;
}

/* The TSM_OP record of the trace: the struct as sent */
static void op_record(struct tsmctl_ctx *ctx, const struct tsm_outcome *oc,
		      struct tsm_trace_ioctl *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->name = TSM_NAME_OP;
	rec->request = tsm_request_code(ctx->profile.op.nr);
	rec->img = &oc->img;
	rec->layout = &ctx->profile.op;
	rec->is_op = true;
	rec->call = &oc->call;
}

/* Checks, then the call: 0 or the exit status in oc->rep */
static int op_issue(struct tsmctl_ctx *ctx, struct tsm_outcome *oc)
{
	struct tsm_trace_ioctl rec;
	struct tsm_image img = oc->img;
	unsigned int seq;
	int rc;

	if (exec_check_sel(ctx, &oc->rep) ||
	    exec_tsm_guard(ctx, true, &oc->rep) || exec_open_dev(ctx, &oc->rep))
		return oc->rep.code;
	oc->device = ctx->dev.desc;
	op_record(ctx, oc, &rec);
	rec.img = &img; /* the result record: as the kernel left it */
	rc = tsmctl_trace_intent(ctx, &rec, &seq);
	if (rc)
		return exec_trace_failed(ctx, rc, &oc->rep);
	tsm_dev_ioctl(&ctx->dev, rec.request, img.b, &oc->call);
	oc->issued = true;
	tsmctl_trace_result(ctx, seq, &rec);
	return 0;
}

int exec_op(struct tsmctl_ctx *ctx, uint32_t type, uint32_t vdev,
	    struct tsm_outcome *oc)
{
	enum tsm_call_kind kind = type == TSM_OP_BIND ? TSM_CALL_BIND :
							TSM_CALL_UNBIND;

	tsm_outcome_init(oc);
	oc->kind = TSM_OC_OP;
	oc->op_type = type;
	oc->vdevice_id = vdev;
	oc->op_name = type == TSM_OP_BIND ? "bind" : "unbind";
	oc->dry_run = ctx->dry_run;
	/* a kernel without TSM types: no profile fact applies (exit 5) */
	if (!ctx->dry_run && ctx->abi_no_tsm) {
		if (!exec_check_sel(ctx, &oc->rep))
			exec_tsm_guard(ctx, false, &oc->rep);
		return oc->rep.code;
	}
	if (tsm_build_op(&ctx->profile, type, vdev, &oc->img))
		return op_absent(ctx, oc);
	oc->described = true;
	if (ctx->dry_run || op_issue(ctx, oc))
		return oc->rep.code;
	if (oc->call.rc != 0 && oc->call.rc != -1)
		return op_invalid(ctx, oc);
	oc->completion = tsm_classify(kind, oc->call.err);
	if (oc->call.err)
		return op_failed(ctx, oc, kind);
	return tsm_exit_for(oc->completion, 0, 0);
}
