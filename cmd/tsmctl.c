// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl: main, the static command table and dispatch (ndctl style).
 * Global options are parsed in order up to the command name; the command's
 * own argp parses the rest, with the global options as a child so they are
 * accepted after the command too.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "builtin.h"
#include "core/about.h"
#include "core/out.h"
#include "core/tracing.h"

const struct tsmctl_cmd tsmctl_commands[] = {
	{ "bind", "bind a vdevice's TDI to its confidential VM (TSM_OP BIND)",
	  cmd_bind, &bind_spec, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "unbind", "unbind a vdevice's TDI (TSM_OP UNBIND)", cmd_unbind,
	  &bind_spec, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "req", "send one TSM request envelope (TSM_REQ)", cmd_req, &req_spec,
	  CMD_MUTATES | CMD_NEEDS_ABI },
	{ "set-run", "move a TDI to RUN, LOCKED or UNLOCKED (TSM_REQ)",
	  cmd_set_run, &set_run_spec, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "connect", "connect a device's DSM to the TSM (host; tsm/connect)",
	  cmd_connect, &connect_spec, CMD_MUTATES },
	{ "disconnect", "disconnect a device's DSM (host; tsm/disconnect)",
	  cmd_disconnect, &connect_spec, CMD_MUTATES },
	{ "lock", "lock a TDI, in a guest (tsm/lock; host: set-run)", cmd_lock,
	  &lock_spec, CMD_MUTATES },
	{ "unlock", "unlock a TDI, in a guest (tsm/unlock)", cmd_unlock,
	  &lock_spec, CMD_MUTATES },
	{ "accept", "accept a locked TDI (RUN), in a guest (tsm/accept)",
	  cmd_accept, &accept_spec, CMD_MUTATES },
	{ "list",
	  "one line per TSM device and vdevice: connected, bound, TDI state",
	  cmd_list, &list_spec, CMD_NEEDS_ABI },
	{ "dump", "ABI detection, sysfs TSM state and evidence for bug reports",
	  cmd_dump, &dump_spec, CMD_NEEDS_ABI },
	{ "batch", "run JSON Lines envelopes from stdin on one iommufd",
	  cmd_batch, &batch_spec, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "replay", "re-issue a --trace file and compare outcomes", cmd_replay,
	  &replay_spec, CMD_MUTATES | CMD_NEEDS_ABI | CMD_ARG_FILE },
	{ "help", "open the man page of a command", cmd_help, NULL,
	  CMD_ARG_COMMAND },
	{ "__metadata", "print the command and option tree as JSON",
	  cmd_metadata, NULL, CMD_HIDDEN },
};
const size_t tsmctl_ncommands = ARRAY_SIZE(tsmctl_commands);

static char *main_help_filter(int key, const char *text, void *input)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fputs("Commands:\n", f);
	for (i = 0; i < tsmctl_ncommands; i++) {
		const struct tsmctl_cmd *c = &tsmctl_commands[i];

		if (c->flags & CMD_HIDDEN)
			continue;
		fprintf(f, "  %-11s %s\n", c->name, c->summary);
	}
	fprintf(f,
		"\nGlobal options are accepted before and after the command. "
		"The default ABI profile is %s: the one profile the running "
		"kernel's BTF matches, else %s. 'tsmctl COMMAND --help' lists a "
		"command's options; 'tsmctl help COMMAND' opens its man page.\n\n"
		"Exit status: 0 success, 1 the kernel refused or failed, 2 usage "
		"or bad input (nothing sent), 3 the TSM reported failure, 4 "
		"uncertain completion (inspect state before retrying), 5 not "
		"supported by this kernel.",
		TSM_AUTO_PROFILE, TSM_FALLBACK_PROFILE);
	fclose(f);
	return buf;
}

static const struct tsmctl_spec main_spec = {
	.args_doc = "COMMAND [OPTION...]",
	.doc = "tsmctl -- administration and debug tool for the Linux iommufd "
	       "vdevice TSM interfaces (PCIe TDISP device assignment to "
	       "confidential VMs).\v",
};

int cmd_version(struct tsmctl_ctx *ctx)
{
	struct tsm_emit em;

	if (!ctx->json) {
		about_text(ctx);
		return 0;
	}
	tsm_emit_tree(&em, out_doc(ctx));
	about_emit(&em, ctx);
	return 0;
}

/* -j anywhere before "--" selects JSON for errors found while parsing. */
static void prescan_json(int argc, char **argv, struct tsmctl_ctx *ctx)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "--json") || !strcmp(a, "--pretty"))
			ctx->json = true;
		else if (a[0] == '-' && a[1] != '-' && a[1] &&
			 strspn(a + 1, "jpvn") == strlen(a + 1) &&
			 strpbrk(a, "jp"))
			ctx->json = true;
	}
}

/* A global option before the command failed: still name the command in
 * the message ("tsmctl: dump: --abi ...") */
static void find_cmd_name(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	for (int i = 1; !ctx->cmd_name && i < argc; i++)
		if (argv[i][0] != '-' && tsmctl_find_cmd(ctx, argv[i]) &&
		    (i == 1 || argv[i - 1][0] != '-' ||
		     strchr(argv[i - 1], '=') ||
		     (argv[i - 1][1] && strchr("jpnv", argv[i - 1][1]) &&
		      !argv[i - 1][2])))
			ctx->cmd_name = argv[i];
}

/* No command, or one not in the table: a usage error naming them all */
static int bad_command(struct tsmctl_ctx *ctx)
{
	const char *name = ctx->cmd_name;
	const char *near = name ? tsmctl_nearest_cmd(ctx, name) : NULL;
	char list[160];

	tsmctl_command_list(ctx, list, sizeof(list), true);
	if (!name)
		tsmctl_usage_error(ctx, "COMMAND", NULL, "missing COMMAND (%s)",
				   list);
	else if (near)
		tsmctl_usage_error(ctx, "COMMAND", name,
				   "unknown command '%s': did you mean '%s'?",
				   name, near);
	else
		tsmctl_usage_error(ctx, "COMMAND", name,
				   "unknown command '%s' (accepted: %s)", name,
				   list);
	ctx->cmd_name = NULL;
	snprintf(ctx->err.hint, sizeof(ctx->err.hint),
		 "%s%s%ssee 'tsmctl --help'", near ? "commands: " : "",
		 near ? list : "", near ? "; " : "");
	return out_usage_error(ctx);
}

/* Global options up to the command, then the command: its exit status */
static int dispatch(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	const struct tsmctl_cmd *cmd;
	int code;

	if (tsmctl_parse(ctx, &main_spec, argc, argv, ctx, main_help_filter)) {
		find_cmd_name(ctx, argc, argv);
		return out_usage_error(ctx);
	}
	if (ctx->want_schema) {
		ctx->json = false; /* the schema is the whole output */
		fputs(tsmctl_schema_json, stdout);
		return 0;
	}
	if (ctx->want_version)
		return cmd_version(ctx);
	if (ctx->stop) {
		ctx->json = false; /* help text is the whole output */
		return 0;
	}
	cmd = ctx->cmd_name ? tsmctl_find_cmd(ctx, ctx->cmd_name) : NULL;
	if (!cmd)
		return bad_command(ctx);
	ctx->cmd = cmd;
	ctx->cmd_name = cmd->name;
	ctx->trace.command = cmd->name;
	snprintf(ctx->prog, sizeof(ctx->prog), "tsmctl %s", cmd->name);
	argv[ctx->cmd_argi] = ctx->prog;
	ctx->in_command = true;
	code = cmd->run(ctx, argc - ctx->cmd_argi, argv + ctx->cmd_argi);
	if (ctx->want_version && !ctx->error_emitted)
		code = cmd_version(ctx);
	else if (ctx->stop && !ctx->error_emitted)
		ctx->json = false; /* --help after the command */
	return code;
}

int main(int argc, char **argv)
{
	struct tsmctl_ctx ctx;
	int code;

	tsmctl_ctx_init(&ctx);
	/* a trace past RLIMIT_FSIZE is an error to report (EFBIG), not a
	 * reason to die between a call and its result record */
	signal(SIGXFSZ, SIG_IGN);
	ctx.commands = tsmctl_commands;
	ctx.ncommands = tsmctl_ncommands;
	argp_err_exit_status = TSM_EXIT_USAGE;
	prescan_json(argc, argv, &ctx);
	snprintf(ctx.prog, sizeof(ctx.prog), "tsmctl");
	if (argc > 0)
		argv[0] = ctx.prog; /* messages say "tsmctl", not the path */
	/* as given: argp permutes argv */
	ctx.argv = calloc((size_t)argc + 1, sizeof(*ctx.argv));
	if (ctx.argv && argc > 0) {
		memcpy(ctx.argv, argv, (size_t)argc * sizeof(*argv));
		ctx.argv[0] = (char *)"tsmctl"; /* ctx.prog changes */
	}
	code = dispatch(&ctx, argc, argv);
	code = out_finish(&ctx, code,
			  ctx.quiet_text && !ctx.verbose && !ctx.dry_run);
	if (ctx.dry_run && !ctx.json && !code && !ctx.stop && ctx.cmd &&
	    (ctx.cmd->flags & CMD_MUTATES)) {
		fflush(stdout); /* after the struct, also through a pipe */
		fprintf(stderr, "tsmctl: %s: dry run: nothing sent\n",
			ctx.cmd_name);
	}
	code = out_close_stdout(&ctx, code);
	tsmctl_trace_end(&ctx, code);
	free(ctx.argv);
	tsmctl_ctx_free(&ctx);
	return code;
}
