// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl: main, the static command table and dispatch (ndctl style).
 * Global options are parsed in order up to the command name; the command's
 * own argp parses the rest, with the global options as a child so they are
 * accepted after the command too.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "tsmctl.h"

const struct tsmctl_cmd tsmctl_commands[] = {
	{ "bind", "bind a vdevice's TDI to its confidential VM (TSM_OP BIND)",
	  cmd_bind, &bind_argp, bind_meta, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "unbind", "unbind a vdevice's TDI (TSM_OP UNBIND)", cmd_unbind,
	  &bind_argp, bind_meta, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "req", "send one TSM request envelope (TSM_REQ)", cmd_req, &req_argp,
	  req_meta, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "set-run", "move a TDI to RUN, LOCKED or UNLOCKED (TSM_REQ)",
	  cmd_set_run, &set_run_argp, set_run_meta,
	  CMD_MUTATES | CMD_NEEDS_ABI },
	{ "dump", "ABI detection, sysfs TSM state and evidence for bug reports",
	  cmd_dump, &dump_argp, dump_meta, CMD_NEEDS_ABI },
	{ "batch", "run JSON Lines envelopes from stdin on one iommufd",
	  cmd_batch, &batch_argp, batch_meta, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "replay", "re-issue a --trace file and compare outcomes", cmd_replay,
	  &replay_argp, NULL, CMD_MUTATES | CMD_NEEDS_ABI },
	{ "help", "open the man page of a command", cmd_help, NULL, NULL, 0 },
	{ "__metadata", "print the command and option tree as JSON",
	  cmd_metadata, NULL, NULL, CMD_HIDDEN },
};
const size_t tsmctl_ncommands = ARRAY_SIZE(tsmctl_commands);

const struct tsmctl_cmd *tsmctl_find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < tsmctl_ncommands; i++)
		if (!strcmp(tsmctl_commands[i].name, name))
			return &tsmctl_commands[i];
	return NULL;
}

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
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
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

static const struct argp main_argp = {
	.options = NULL,
	.parser = NULL,
	.args_doc = "COMMAND [OPTION...]",
	.doc = "tsmctl -- administration and debug tool for the Linux iommufd "
	       "vdevice TSM interfaces (PCIe TDISP device assignment to "
	       "confidential VMs).\v",
	.children = tsmctl_global_children,
	.help_filter = main_help_filter,
};

static struct json_object *profile_json(const struct tsm_profile *p)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "name", json_object_new_string(p->name));
	json_add(o, "tsm_op_nr", json_object_new_int((int)p->op.nr));
	json_add(o, "tsm_req_nr", json_object_new_int((int)p->req.nr));
	json_add(o, "tsm_req_size", json_object_new_int((int)p->req.size));
	json_add(o, "tsm_req_kind",
		 json_object_new_string(p->req_kind == TSM_REQ_SCOPE ? "scope" :
								       "op"));
	json_add(o, "source", json_object_new_string(p->source));
	return o;
}

int cmd_version(struct tsmctl_ctx *ctx)
{
	struct json_object *r, *arr, *au;
	const struct tsm_profile *ap;
	const char *src;
	char why[200];
	bool no_tsm;
	size_t i;

	ap = tsmctl_auto_profile(ctx, &src, why, sizeof(why), &no_tsm);
	if (!ctx->json) {
		printf("tsmctl %s\nschema_version: %d\ndefault_abi: %s (here: %s, %s: %s)\nprofiles:",
		       TSMCTL_VERSION, TSMCTL_SCHEMA_VERSION, TSM_AUTO_PROFILE,
		       ap->name, src, why);
		for (i = 0; i < tsm_profile_count(); i++)
			printf(" %s", tsm_profile_at(i)->name);
		putchar('\n');
		return 0;
	}
	r = json_object_new_object();
	json_add(r, "version", json_object_new_string(TSMCTL_VERSION));
	json_add(r, "schema_version",
		 json_object_new_int(TSMCTL_SCHEMA_VERSION));
	json_add(r, "default_abi", json_object_new_string(TSM_AUTO_PROFILE));
	au = json_object_new_object();
	json_add(au, "profile", json_object_new_string(ap->name));
	json_add(au, "source", json_object_new_string(src));
	json_add(au, "reason", json_object_new_string(why));
	json_add(au, "btf_without_tsm_types",
		 json_object_new_boolean(no_tsm));
	json_add(r, "auto", au);
	arr = json_object_new_array();
	for (i = 0; i < tsm_profile_count(); i++)
		json_object_array_add(arr, profile_json(tsm_profile_at(i)));
	json_add(r, "profiles", arr);
	out_set(ctx, "result", r);
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
			 strspn(a + 1, "jvn") == strlen(a + 1) &&
			 strchr(a, 'j'))
			ctx->json = true;
	}
}

int main(int argc, char **argv)
{
	struct tsmctl_ctx ctx = {
		.sel = { .fd = -1, .pid = -1 },
		.abi_origin = "default",
		.trace_fd = -1,
		.bundle_fd = -1,
	};
	const struct tsmctl_cmd *cmd;
	int code = 0;

	argp_err_exit_status = TSM_EXIT_USAGE;
	prescan_json(argc, argv, &ctx);
	snprintf(ctx.prog, sizeof(ctx.prog), "tsmctl");
	if (argc > 0)
		argv[0] = ctx.prog; /* messages say "tsmctl", not the path */
	if (tsmctl_parse(&ctx, &main_argp, argc, argv, &ctx)) {
		/* a global option before the command failed: still name the
		 * command in the message ("tsmctl: dump: --abi ...") */
		for (int i = 1; !ctx.cmd_name && i < argc; i++)
			if (argv[i][0] != '-' && tsmctl_find_cmd(argv[i]) &&
			    (i == 1 || argv[i - 1][0] != '-' ||
			     strchr(argv[i - 1], '=') ||
			     !strcmp(argv[i - 1], "-j") ||
			     !strcmp(argv[i - 1], "-n") ||
			     !strcmp(argv[i - 1], "-v")))
				ctx.cmd_name = argv[i];
		code = out_usage_error(&ctx);
		goto out;
	}
	if (ctx.want_version) {
		code = cmd_version(&ctx);
		goto out;
	}
	if (ctx.stop) {
		ctx.json = false; /* help text is the whole output */
		goto out;
	}
	if (!ctx.cmd_name) {
		tsmctl_usage_error(
			&ctx, "COMMAND", NULL,
			"missing COMMAND (bind, unbind, req, set-run, dump, batch, replay, help)");
		snprintf(ctx.err.hint, sizeof(ctx.err.hint),
			 "see 'tsmctl --help'");
		code = out_usage_error(&ctx);
		goto out;
	}
	cmd = tsmctl_find_cmd(ctx.cmd_name);
	if (!cmd) {
		const char *name = ctx.cmd_name;

		tsmctl_usage_error(
			&ctx, "COMMAND", name,
			"unknown command '%s' (accepted: bind, unbind, req, set-run, dump, batch, replay, help)",
			name);
		ctx.cmd_name = NULL;
		snprintf(ctx.err.hint, sizeof(ctx.err.hint),
			 "see 'tsmctl --help'");
		code = out_usage_error(&ctx);
		goto out;
	}
	ctx.cmd = cmd;
	snprintf(ctx.prog, sizeof(ctx.prog), "tsmctl %s", cmd->name);
	argv[ctx.cmd_argi] = ctx.prog;
	ctx.in_command = true;
	code = cmd->run(&ctx, argc - ctx.cmd_argi, argv + ctx.cmd_argi);
	if (ctx.want_version && !ctx.error_emitted)
		code = cmd_version(&ctx);
	else if (ctx.stop && !ctx.error_emitted)
		ctx.json = false; /* --help after the command */
out:
	code = out_finish(&ctx, code,
			  ctx.quiet_text && !ctx.verbose && !ctx.dry_run);
	trace_close(&ctx);
	free(ctx.catalog);
	free(ctx.detect);
	tsm_strbuf_free(&ctx.jbuf);
	return out_close_stdout(&ctx, code);
}
