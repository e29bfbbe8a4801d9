// SPDX-License-Identifier: GPL-2.0
/*
 * A run's trace (tracing.h): opened by the "start" record, which a
 * command writes before anything is sent, so a trace that cannot be
 * written is bad input found first (exit 2).
 */
#include <errno.h>
#include <string.h>

#include "opt.h"
#include "tracing.h"

const char *tsmctl_trace_path(struct tsmctl_ctx *ctx)
{
	const char *env;

	if (!ctx->trace_path) {
		env = getenv("TSMCTL_TRACE");
		if (env && *env)
			ctx->trace_path = env;
	}
	return ctx->trace_path;
}

int tsmctl_trace_start(struct tsmctl_ctx *ctx)
{
	const char *path;
	int e;

	if (ctx->trace_started || ctx->trace_none ||
	    !(path = tsmctl_trace_path(ctx))) {
		ctx->trace_none = !ctx->trace_started; /* looked once */
		return 0;
	}
	e = tsm_trace_open(&ctx->trace, path);
	if (!e)
		e = tsm_trace_start(&ctx->trace, TSMCTL_VERSION, ctx->argv,
				    ctx->have_profile ? ctx->abi_source : NULL);
	if (e == -EINVAL)
		tsmctl_usage_error(
			ctx, "--trace", path,
			"--trace '%s': a trace goes to a file, never to standard output",
			path);
	else if (e)
		tsmctl_usage_error(ctx, "--trace", path,
				   "--trace '%s': cannot write: %s", path,
				   strerror(-e));
	ctx->trace_started = !e;
	ctx->trace_err_said = e != 0; /* the usage error says it */
	return e;
}

int tsmctl_trace_intent(struct tsmctl_ctx *ctx,
			const struct tsm_trace_ioctl *rec, unsigned int *seq)
{
	int rc;

	*seq = 0;
	if (ctx->trace.fd < 0)
		return 0;
	rc = tsm_trace_ioctl(&ctx->trace, TSM_TRACE_INTENT, 0, rec);
	*seq = ctx->trace.seq; /* the one it took */
	return rc;
}

void tsmctl_trace_result(struct tsmctl_ctx *ctx, unsigned int seq,
			 const struct tsm_trace_ioctl *rec)
{
	if (ctx->trace.fd >= 0)
		tsm_trace_ioctl(&ctx->trace,
				seq ? TSM_TRACE_RESULT : TSM_TRACE_ONCE, seq,
				rec);
}

int tsmctl_trace_sysfs_intent(struct tsmctl_ctx *ctx,
			      const struct tsm_trace_sysfs *rec,
			      unsigned int *seq)
{
	int rc;

	*seq = 0;
	if (ctx->trace.fd < 0)
		return 0;
	rc = tsm_trace_sysfs(&ctx->trace, TSM_TRACE_INTENT, 0, rec);
	*seq = ctx->trace.seq; /* the one it took */
	return rc;
}

void tsmctl_trace_sysfs_result(struct tsmctl_ctx *ctx, unsigned int seq,
			       const struct tsm_trace_sysfs *rec)
{
	if (ctx->trace.fd >= 0)
		tsm_trace_sysfs(&ctx->trace,
				seq ? TSM_TRACE_RESULT : TSM_TRACE_ONCE, seq,
				rec);
}

void (*tsmctl_nl_tracer(struct tsmctl_ctx *ctx))(void *, const char *,
						 const void *, size_t)
{
	return ctx->trace.fd >= 0 ? tsm_trace_netlink : NULL;
}

void tsmctl_trace_end(struct tsmctl_ctx *ctx, int status)
{
	if (ctx->trace_started)
		tsm_trace_end(&ctx->trace, status);
}
