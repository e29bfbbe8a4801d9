// SPDX-License-Identifier: GPL-2.0
/* The run's context (ctx.h): initial state and release. */
#include <string.h>

#include <json-c/json.h>

#include "ctx.h"
#include "out_bytes.h"

void tsmctl_ctx_init(struct tsmctl_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->sel.fd = -1;
	ctx->sel.pid = -1;
	ctx->abi_origin = "default";
	ctx->trace.fd = -1;
	ctx->trace.abi = ctx->profile.name;
	ctx->bundle_fd = -1;
}

void tsmctl_ctx_free(struct tsmctl_ctx *ctx)
{
	tsm_trace_close(&ctx->trace);
	json_object_put(ctx->doc);
	ctx->doc = NULL;
	out_bytes_free_all(&ctx->bytes);
	free(ctx->catalog);
	free(ctx->detect);
	ctx->catalog = NULL;
	ctx->detect = NULL;
	tsm_strbuf_free(&ctx->jbuf);
}
