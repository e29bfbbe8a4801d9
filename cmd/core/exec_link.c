// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs steps around bind executed (exec_link.h): plan, then each
 * write traced write-ahead, made, read back and judged; progress on a
 * terminal's stderr while a write (an SPDM exchange) takes its time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "exec_link.h"
#include "opt.h"
#include "tracing.h"

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

/* tsmctl's own refusal before anything is written */
static int refused(struct tsm_outcome *oc, enum tsm_exit code,
		   const struct tsm_err *e)
{
	oc->rep.code = code;
	oc->rep.stage = code == TSM_EXIT_USAGE ? "usage" : "sysfs";
	oc->rep.e = *e;
	oc->rep.has_completion = code != TSM_EXIT_USAGE;
	oc->rep.completion = TSM_NOT_STARTED;
	return code;
}

/* Progress only where a person watches: text mode, stderr a terminal. */
static bool progress(const struct tsmctl_ctx *ctx)
{
	return !ctx->json && isatty(STDERR_FILENO);
}

/* The report of a write that is not done */
static int write_failed(struct tsm_outcome *oc, const struct tsm_link_run *r,
			const struct tsm_link_write *w,
			const struct tsm_link_outcome *o)
{
	char why[320], data[64];

	snprintf(data, sizeof(data), "%.*s", (int)strcspn(w->data, "\n"),
		 w->data);
	if (o->err)
		tsm_link_explain(&r->plan, w, o->err, &r->after, why,
				 sizeof(why));
	else
		snprintf(
			why, sizeof(why),
			"the kernel took the write but the state read back does not show it");
	tsm_err_set(&oc->rep.e, o->err, "", NULL, "writing '%s' to %s: %s",
		    data, w->path, why);
	if (o->completion == TSM_UNCERTAIN)
		tsm_err_hint(
			&oc->rep.e,
			"it may have happened: check the state shown before retrying");
	else if (r->plan.driver[0] && w->kind != TSM_LW_UNBIND)
		tsm_err_hint(
			&oc->rep.e,
			"%s was unbound before and stays unbound: to bind it again, echo %s > /sys/bus/pci/drivers_probe",
			r->plan.driver, r->plan.bdf);
	oc->rep.code = tsm_link_exit(o);
	oc->rep.stage = "sysfs";
	oc->rep.has_completion = true;
	oc->rep.completion = o->completion;
	return oc->rep.code;
}

/* One write: intent, write, readback, result. -errno: no intent record. */
static int one_write(struct tsmctl_ctx *ctx, struct tsm_link_run *r,
		     unsigned int i)
{
	const struct tsm_link_write *w = &r->plan.w[i];
	struct tsm_trace_sysfs tr = { tsm_link_op_name(r->plan.op),
				      r->plan.root, r->plan.bdf, w };
	unsigned int seq;
	uint64_t t0;
	int rc, err;

	rc = tsmctl_trace_sysfs_intent(ctx, &tr, &seq);
	if (rc)
		return rc;
	if (progress(ctx))
		fprintf(stderr, "tsmctl: %s: %s: writing %.*s to %s ...",
			ctx->cmd_name, r->plan.bdf, (int)strcspn(w->data, "\n"),
			w->data, w->path);
	t0 = mono_us();
	err = tsm_link_write(w);
	r->duration_us[i] = mono_us() - t0;
	tsm_link_read_state(r->plan.root, r->plan.bdf, r->plan.tsm, &r->after);
	r->have_after = true;
	tsm_link_judge(&r->plan, w, err, &r->after, &r->res[i]);
	r->nres = i + 1;
	if (progress(ctx))
		fprintf(stderr, " %s (%.1f s)\n",
			tsm_completion_name(r->res[i].completion),
			(double)r->duration_us[i] / 1e6);
	tr.err = err;
	tr.completion = r->res[i].completion;
	tr.readback = &r->after;
	tr.duration_us = r->duration_us[i];
	tsmctl_trace_sysfs_result(ctx, seq, &tr);
	return 0;
}

static int make_writes(struct tsmctl_ctx *ctx, struct tsm_link_run *r,
		       struct tsm_outcome *oc)
{
	int rc;

	if (tsmctl_trace_start(ctx)) {
		refused(oc, TSM_EXIT_USAGE, &ctx->err);
		return oc->rep.code;
	}
	for (unsigned int i = 0; i < r->plan.nw; i++) {
		rc = one_write(ctx, r, i);
		if (rc)
			return exec_trace_failed(ctx, rc, &oc->rep);
		oc->issued = true;
		if (r->res[i].completion != TSM_DONE)
			return write_failed(oc, r, &r->plan.w[i], &r->res[i]);
	}
	return 0;
}

int exec_link(struct tsmctl_ctx *ctx, struct tsm_link_req *rq,
	      struct tsm_link_run *run, struct tsm_outcome *oc)
{
	enum tsm_exit code;
	struct tsm_err e = { 0 };

	tsm_outcome_init(oc);
	memset(run, 0, sizeof(*run));
	oc->kind = TSM_OC_SYSFS;
	oc->link = run;
	oc->dry_run = ctx->dry_run;
	oc->completion = TSM_NOT_STARTED;
	rq->root = tsmctl_sysfs_root(ctx);
	if (!rq->root)
		return refused(oc, TSM_EXIT_USAGE, &ctx->err);
	if (tsm_link_plan(rq, &run->plan, &run->before, &code, &e)) {
		/* refused for the device's state: show that state, no writes */
		run->planned = code == TSM_EXIT_FAIL && run->before.exists;
		run->plan.nw = 0;
		return refused(oc, code, &e);
	}
	run->planned = true;
	oc->described = true;
	if (ctx->dry_run || run->plan.nothing_to_do) {
		oc->completion = TSM_DONE;
		return 0;
	}
	if (make_writes(ctx, run, oc))
		return oc->rep.code;
	oc->completion = TSM_DONE;
	return 0;
}
