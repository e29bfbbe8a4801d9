/* SPDX-License-Identifier: GPL-2.0 */
/* The ABI profile of a run and the BTF detection behind auto (profile.c). */
#ifndef TSMCTL_CORE_PROFILE_H
#define TSMCTL_CORE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"

struct tsm_detect;

/* Resolve --abi/--abi-file/TSMCTL_ABI into ctx->profile (once); a usage
 * error in ctx->err. */
int tsmctl_resolve_abi(struct tsmctl_ctx *ctx);
/* The BTF detection of this run (ctx->btf, TSMCTL_BTF or the kernel's),
 * read once; NULL when out of memory. */
const struct tsm_detect *tsmctl_detect(struct tsmctl_ctx *ctx);
/* What --abi auto resolves to here: the one profile the BTF matches,
 * else the fallback; @source "btf" or "fallback", @why in words. */
const struct tsm_profile *tsmctl_auto_profile(struct tsmctl_ctx *ctx,
					      const char **source, char *why,
					      size_t len, bool *no_tsm);
void tsmctl_resolve_auto(struct tsmctl_ctx *ctx);

#endif
