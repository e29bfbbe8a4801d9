// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs-step commands' shared options and run (link_cmd.h). Bad
 * input (a malformed --bdf, --tsm given twice) is refused before sysfs
 * is read; everything else lib/link.c decides from what sysfs shows.
 */
#include <string.h>

#include "exec_link.h"
#include "link_cmd.h"
#include "out.h"
#include "render.h"
#include "sysfs.h"

struct link_args {
	struct tsmctl_ctx *ctx;
	struct tsm_link_req rq;
};

static error_t once(struct tsmctl_ctx *ctx, const char **slot, const char *flag,
		    char *arg)
{
	if (*slot)
		return tsmctl_usage_error(
			ctx, flag, arg, "%s given twice (one per call)", flag);
	*slot = arg;
	return 0;
}

error_t tsmctl_link_parse(int key, char *arg, struct argp_state *state)
{
	struct link_args *a = state->input;

	switch (key) {
	case OPT_LINK_BDF:
		if (tsm_bdf_check(arg))
			return tsmctl_usage_error(
				a->ctx, "--bdf", arg,
				"--bdf '%s': not a PCI function name like 0000:01:00.0 (domain:bus:device.function, hexadecimal)",
				arg);
		return once(a->ctx, &a->rq.bdf, "--bdf", arg);
	case OPT_LINK_TSM:
		if (!*arg || strchr(arg, '/') || strlen(arg) >= 32)
			return tsmctl_usage_error(
				a->ctx, "--tsm", arg,
				"--tsm '%s': not a TSM name as in /sys/class/tsm (tsm0)",
				arg);
		return once(a->ctx, &a->rq.tsm, "--tsm", arg);
	case OPT_LINK_UNBIND_DRIVER:
		a->rq.unbind_driver = true;
		return 0;
	default:
		return tsmctl_parse_default(a->ctx, key, arg, state);
	}
}

int tsmctl_link_command(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
			int argc, char **argv, enum tsm_link_op op)
{
	struct link_args a = { .ctx = ctx, .rq = { .op = op } };
	struct tsm_outcome oc;
	struct tsm_link_run *run;
	int code;

	if (tsmctl_parse(ctx, spec, argc, argv, &a, NULL))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (!a.rq.bdf) {
		tsmctl_usage_error(ctx, "--bdf", NULL,
				   "missing --bdf BDF (the PCI function)");
		snprintf(ctx->err.hint, sizeof(ctx->err.hint),
			 "see 'tsmctl %s --help'", ctx->cmd_name);
		return out_usage_error(ctx);
	}
	run = malloc(sizeof(*run));
	if (!run)
		return TSM_EXIT_FAIL;
	out_doc(ctx);
	exec_link(ctx, &a.rq, run, &oc);
	code = render_outcome(ctx, &oc);
	free(run);
	return code;
}
