/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An outcome rendered (docs/architecture.md, "render"): the document's
 * members (dry_run, ioctl, result) through either sink of lib/emit.h, the
 * error report through the error channel, a batch line streamed whole.
 */
#ifndef TSMCTL_CORE_RENDER_H
#define TSMCTL_CORE_RENDER_H

#include <stdint.h>

#include "ctx.h"
#include "emit.h"
#include "outcome.h"
#include "tsmcode.h"

/* "dry_run", "ioctl" and "result" of @oc. */
void render_members(struct tsm_emit *em, struct tsmctl_ctx *ctx,
		    const struct tsm_outcome *oc);
/* @oc into the run's document and its error channel: the exit status. */
int render_outcome(struct tsmctl_ctx *ctx, const struct tsm_outcome *oc);
/*
 * One batch result document, whole, into @b (compact, newline-ended):
 * the header for @command, "line", the members and the error.
 */
int render_line(struct tsmctl_ctx *ctx, struct tsm_strbuf *b,
		const char *command, unsigned int lineno,
		const struct tsm_outcome *oc);
/* A tsm_code decoded for @arch (--decode-tsm-code, results). */
void render_tsm_code(struct tsm_emit *em, const char *key, enum tsm_arch arch,
		     enum tsm_cca_table table, uint64_t code);

#endif
