/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executing requests on the selected iommufd context (docs/architecture.md,
 * "execute"): the checks before anything is sent, the device opened once
 * and held, each ioctl traced write-ahead, the result channels classified
 * into a struct tsm_outcome. Nothing here writes the document.
 */
#ifndef TSMCTL_CORE_EXEC_H
#define TSMCTL_CORE_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "ctx.h"
#include "describe.h"
#include "outcome.h"

/* --out FILE of a request: opened before anything is sent. */
struct exec_out {
	const char *path;
	int fd;
	bool created; /* removed again when nothing is written */
};

/*
 * Bad input before any check of the kernel: -d with --fd/--pid, a --trace
 * that cannot be written. 0, or the exit status with @rep filled.
 */
int exec_check_sel(struct tsmctl_ctx *ctx, struct tsm_report *rep);
/* The context, opened once (traced): 0 or the exit status with @rep. */
int exec_open_dev(struct tsmctl_ctx *ctx, struct tsm_report *rep);
/* The open alone, traced: -errno with ctx->err filled. */
int exec_open_traced(struct tsmctl_ctx *ctx);
void exec_close_dev(struct tsmctl_ctx *ctx);
/*
 * Before a TSM ioctl: exit 5 when auto found no TSM types in the kernel's
 * BTF; for a state change also the refusal of a profile the BTF
 * contradicts (once per run, then every time). @rep->code, or 0.
 */
int exec_tsm_guard(struct tsmctl_ctx *ctx, bool state_change,
		   struct tsm_report *rep);

/*
 * tsm_explain(), with ENOTTY told from what tsmctl knows: a node that is
 * not iommufd (-d /dev/null), else the running kernel's BTF. @field gets
 * the flag at fault, or "" when no flag is (a kernel without the ioctls).
 */
void exec_explain(struct tsmctl_ctx *ctx, enum tsm_call_kind kind, int err,
		  uint32_t vdev, char *why, size_t len, char *field,
		  size_t flen);
void exec_enotty(struct tsmctl_ctx *ctx, enum tsm_call_kind kind, char *why,
		 size_t len, char *field, size_t flen);

/* TSM_OP @type on @vdev (dry-run: built only). The exit status. */
int exec_op(struct tsmctl_ctx *ctx, uint32_t type, uint32_t vdev,
	    struct tsm_outcome *oc);
/*
 * One resolved TSM_REQ, sized first when its op says so. @out: --out or
 * NULL (opened here before anything is sent, written by exec_out_write).
 */
int exec_req(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	     struct exec_out *out, struct tsm_outcome *oc);
/* The response of a successful request to --out; the exit status. */
int exec_out_write(struct tsmctl_ctx *ctx, struct exec_out *out,
		   struct tsm_outcome *oc);
void tsm_outcome_free(struct tsm_outcome *oc);
/* done / not_started / uncertain, or invalid whatever the errno */
enum tsm_completion exec_req_completion(const struct tsm_request *r,
					const struct tsm_req_result *o);

/* A request that was not valid to send: ctx->err as a usage error. */
int exec_usage(struct tsmctl_ctx *ctx, struct tsm_report *rep);
/* The intent record could not be written (-errno @rc): nothing sent. */
int exec_trace_failed(struct tsmctl_ctx *ctx, int rc, struct tsm_report *rep);
/* A zeroed response buffer of @len bytes (zero pages from 16 KiB). */
uint8_t *exec_resp_alloc(uint32_t len);
void exec_resp_free(uint8_t *b, uint32_t len);

/*
 * A read-only probe (dump), traced write-ahead like every ioctl: the
 * intent of @rec, then the call on @st, its outcome in @call and *@seq
 * for exec_probe_result(). -errno when the intent could not be written
 * (nothing sent).
 */
int exec_probe(struct tsmctl_ctx *ctx, const struct tsm_trace_ioctl *rec,
	       void *st, struct tsm_call *call, unsigned int *seq);
void exec_probe_result(struct tsmctl_ctx *ctx, unsigned int seq,
		       struct tsm_trace_ioctl *rec,
		       const struct tsm_call *call);

#endif
