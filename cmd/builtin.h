/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands (ndctl's builtin.h): what main's table points at. Each
 * lives in its own file; what they share is in cmd/core/.
 */
#ifndef TSMCTL_BUILTIN_H
#define TSMCTL_BUILTIN_H

#include "core/ctx.h"
#include "core/opt.h"

int cmd_bind(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_unbind(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_req(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_set_run(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_batch(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_connect(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_disconnect(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_lock(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_unlock(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_accept(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_dump(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_list(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_replay(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_help(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_metadata(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_version(struct tsmctl_ctx *ctx);

/* Options and help of each command (its own file). */
extern const struct tsmctl_spec bind_spec;
extern const struct tsmctl_spec req_spec;
extern const struct tsmctl_spec set_run_spec;
extern const struct tsmctl_spec batch_spec;
extern const struct tsmctl_spec connect_spec;
extern const struct tsmctl_spec lock_spec;
extern const struct tsmctl_spec accept_spec;
extern const struct tsmctl_spec dump_spec;
extern const struct tsmctl_spec list_spec;
extern const struct tsmctl_spec replay_spec;

/* main's command table (tsmctl.c); commands read it as ctx->commands */
extern const struct tsmctl_cmd tsmctl_commands[];
extern const size_t tsmctl_ncommands;

#endif
