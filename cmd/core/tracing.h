/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --trace FILE (or TSMCTL_TRACE) for a run: the writer of lib/trace.h
 * opened by the "start" record, and the write-ahead pair around each
 * ioctl (docs/cli-contract.md, "Traces").
 */
#ifndef TSMCTL_CORE_TRACING_H
#define TSMCTL_CORE_TRACING_H

#include <stdbool.h>

#include "ctx.h"

/* The trace asked for: --trace, else TSMCTL_TRACE; NULL: none */
const char *tsmctl_trace_path(struct tsmctl_ctx *ctx);
/* The "start" record, first in a run; a usage error in ctx->err if the
 * file cannot be written (0 without a trace). */
int tsmctl_trace_start(struct tsmctl_ctx *ctx);
static inline bool tsmctl_tracing(const struct tsmctl_ctx *ctx)
{
	return ctx->trace.fd >= 0;
}
/*
 * Write-ahead: the intent record of @rec before the call, *@seq for its
 * result (0 without a trace). -errno when it cannot be written: the call
 * is then not to be made (an unrecorded state change).
 */
int tsmctl_trace_intent(struct tsmctl_ctx *ctx,
			const struct tsm_trace_ioctl *rec, unsigned int *seq);
/* The result record of the call whose intent had @seq. */
void tsmctl_trace_result(struct tsmctl_ctx *ctx, unsigned int seq,
			 const struct tsm_trace_ioctl *rec);
/* The "end" record with the exit @status, once a run has a trace. */
void tsmctl_trace_end(struct tsmctl_ctx *ctx, int status);
/* The same pair for a sysfs write ("call": "sysfs"). */
int tsmctl_trace_sysfs_intent(struct tsmctl_ctx *ctx,
			      const struct tsm_trace_sysfs *rec,
			      unsigned int *seq);
void tsmctl_trace_sysfs_result(struct tsmctl_ctx *ctx, unsigned int seq,
			       const struct tsm_trace_sysfs *rec);
/* The netlink tracer to hand to tsm_nl_open() (NULL without a trace). */
void (*tsmctl_nl_tracer(struct tsmctl_ctx *ctx))(void *, const char *,
						 const void *, size_t);

#endif
