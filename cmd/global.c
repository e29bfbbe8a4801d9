// SPDX-License-Identifier: GPL-2.0
/*
 * Global options (cli-contract.md §2), accepted before the command and
 * after it: the same argp is the main parser and a child of every
 * command's parser. argp/getopt messages are caught and turned into the
 * tool's own usage errors, so that JSON mode still prints one document.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "tsmctl.h"

enum {
	OPT_FD = 0x100,
	OPT_PID,
	OPT_ABI_FILE,
	OPT_PRETTY,
	OPT_TRACE,
	OPT_USAGE,
};

const struct argp_option tsmctl_global_options[] = {
	{ "device", 'd', "PATH", 0,
	  "iommufd node (default /dev/iommu). A fresh open sees no vdevices: "
	  "object IDs belong to one open file",
	  0 },
	{ "fd", OPT_FD, "N", 0,
	  "use inherited descriptor N (with --pid: descriptor N of that process)",
	  0 },
	{ "pid", OPT_PID, "PID", 0,
	  "borrow the iommufd of process PID (pidfd_getfd; needs ptrace rights)",
	  0 },
	{ "abi", 'A', "NAME", 0,
	  "kernel ABI profile: auto (default: the one the kernel's BTF matches, else v7), v5, v5-op, v6, v7; also TSMCTL_ABI",
	  0 },
	{ "abi-file", OPT_ABI_FILE, "FILE", 0,
	  "load the ABI profile from FILE (text or JSON)", 0 },
	{ "json", 'j', NULL, 0, "one JSON document on stdout, errors included",
	  0 },
	{ "pretty", OPT_PRETTY, NULL, 0,
	  "indent the JSON document (implies --json)", 0 },
	{ "verbose", 'v', NULL, 0,
	  "more detail: the ioctl struct, hexdumps, raw evidence", 0 },
	{ "dry-run", 'n', NULL, 0,
	  "build and validate, print the ioctl struct, issue nothing", 0 },
	{ "trace", OPT_TRACE, "FILE", 0,
	  "append a JSON Lines record of every kernel interaction to FILE; also TSMCTL_TRACE",
	  0 },
	{ "version", 'V', NULL, 0,
	  "print the version, schema version and ABI profiles", 0 },
	{ "help", '?', NULL, 0, "give this help list", -1 },
	{ "usage", OPT_USAGE, NULL, 0, "give a short usage message", -1 },
	{ 0 }
};

const struct tsmctl_optmeta tsmctl_global_meta[] = {
	{ "device", NULL, "file" },
	{ "fd", NULL, "" },
	{ "pid", NULL, "pid" },
	{ "abi", "auto v5 v5-op v6 v7", "" },
	{ "abi-file", NULL, "file" },
	{ "trace", NULL, "file" },
	{ 0 }
};

int tsmctl_usage_error(struct tsmctl_ctx *ctx, const char *field,
		       const char *value, const char *fmt, ...)
{
	va_list ap;

	memset(&ctx->err, 0, sizeof(ctx->err));
	ctx->err.err = EINVAL;
	snprintf(ctx->err.field, sizeof(ctx->err.field), "%s",
		 field ? field : "");
	snprintf(ctx->err.value, sizeof(ctx->err.value), "%s",
		 value ? value : "");
	va_start(ap, fmt);
	vsnprintf(ctx->err.msg, sizeof(ctx->err.msg), fmt, ap);
	va_end(ap);
	return EINVAL;
}

error_t tsmctl_parse_default(struct tsmctl_ctx *ctx, int key, char *arg,
			     struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = ctx; /* the global-options child */
		return 0;
	case ARGP_KEY_ARG:
		return tsmctl_usage_error(ctx, "", arg,
					  "unexpected argument '%s'", arg);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int tsmctl_opt_u32(struct tsmctl_ctx *ctx, const char *flag, const char *arg,
		   uint32_t *out)
{
	memset(&ctx->err, 0, sizeof(ctx->err));
	return tsm_parse_u32(arg, flag, out, &ctx->err) ? EINVAL : 0;
}

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	struct tsmctl_ctx *ctx = state->input;
	uint64_t v64;

	switch (key) {
	case 'd':
		if (!*arg)
			return tsmctl_usage_error(ctx, "--device", arg,
						  "--device: empty path");
		ctx->sel.path = arg;
		break;
	case OPT_FD:
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_parse_u64(arg, INT32_MAX, "--fd", &v64, &ctx->err))
			return EINVAL;
		ctx->sel.fd = (int)v64;
		break;
	case OPT_PID:
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_parse_u64(arg, 4194304, "--pid", &v64, &ctx->err) ||
		    v64 == 0)
			return tsmctl_usage_error(
				ctx, "--pid", arg,
				"--pid '%s': not a process ID (accepted 1..4194304, decimal or 0x-hex)",
				arg);
		ctx->sel.pid = (long)v64;
		break;
	case 'A':
		if (strcmp(arg, TSM_AUTO_PROFILE) && !tsm_profile_find(arg))
			return tsmctl_usage_error(
				ctx, "--abi", arg,
				"--abi '%s': unknown ABI profile (accepted: auto, v5, v5-op, v6, v7; or --abi-file FILE)",
				arg);
		ctx->abi_name = arg;
		ctx->abi_origin = "--abi";
		break;
	case OPT_ABI_FILE:
		ctx->abi_file = arg;
		break;
	case 'j':
		ctx->json = true;
		break;
	case OPT_PRETTY:
		ctx->json = true;
		ctx->pretty = true;
		break;
	case 'v':
		ctx->verbose++;
		break;
	case 'n':
		ctx->dry_run = true;
		break;
	case OPT_TRACE:
		if (!*arg)
			return tsmctl_usage_error(ctx, "--trace", arg,
						  "--trace: empty path");
		ctx->trace_path = arg;
		break;
	case 'V':
		ctx->want_version = true;
		ctx->stop = true;
		break;
	case '?':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		ctx->stop = true;
		break;
	case OPT_USAGE:
		argp_state_help(state, stdout,
				ARGP_HELP_USAGE | ARGP_HELP_EXIT_OK);
		ctx->stop = true;
		break;
	case ARGP_KEY_ARG:
		if (ctx->in_command)
			return ARGP_ERR_UNKNOWN;
		/* the command: stop here, its parser takes the rest */
		ctx->cmd_name = arg;
		ctx->cmd_argi = state->next - 1;
		state->next = state->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp tsmctl_global_argp = {
	.options = tsmctl_global_options,
	.parser = global_parse,
};

/* Every command's argp takes the global options as its child. */
const struct argp_child tsmctl_global_children[] = { { &tsmctl_global_argp, 0,
						       "Global options:", 1 },
						     { 0 } };

/*
 * Turn getopt's "tsmctl bind: unrecognized option '--x'" into our usage
 * error: keep the part after the program name.
 */
static void adopt_argp_message(struct tsmctl_ctx *ctx, const char *text)
{
	char line[320];
	const char *p = text;
	size_t n = strcspn(p, "\n"), plen = strlen(ctx->prog);

	snprintf(line, sizeof(line), "%.*s", (int)n, p);
	p = line;
	if (!strncmp(p, ctx->prog, plen) && p[plen] == ':')
		p += plen + 1;
	while (*p == ' ')
		p++;
	tsmctl_usage_error(ctx, "", NULL, "%s", *p ? p : "invalid arguments");
	snprintf(ctx->err.hint, sizeof(ctx->err.hint), "see '%s --help'",
		 ctx->prog);
	/* name the flag when getopt quoted it */
	{
		const char *q = strchr(p, '\'');
		const char *q2 = q ? strchr(q + 1, '\'') : NULL;

		if (q && q2 && q2 - q - 1 < (long)sizeof(ctx->err.field))
			snprintf(ctx->err.field, sizeof(ctx->err.field), "%.*s",
				 (int)(q2 - q - 1), q + 1);
		else if (!strncmp(p, "invalid option -- '", 19) ||
			 !strncmp(p, "option requires an argument -- '", 32))
			snprintf(ctx->err.field, sizeof(ctx->err.field), "-%c",
				 p[strlen(p) - 2]);
	}
}

int tsmctl_parse(struct tsmctl_ctx *ctx, const struct argp *argp, int argc,
		 char **argv, void *input)
{
	char buf[512];
	int saved, cap, rc;
	ssize_t n;

	memset(&ctx->err, 0, sizeof(ctx->err));
	/* catch what getopt/argp print on stderr, so JSON mode stays clean */
	fflush(stderr);
	saved = dup(2);
	cap = memfd_create("tsmctl-argp", MFD_CLOEXEC);
	if (saved < 0 || cap < 0 || dup2(cap, 2) < 0) {
		if (saved >= 0)
			close(saved);
		if (cap >= 0)
			close(cap);
		saved = cap = -1;
	}
	rc = argp_parse(argp, argc, argv,
			ARGP_IN_ORDER | ARGP_NO_HELP | ARGP_NO_EXIT, NULL,
			input);
	if (cap >= 0) {
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		n = pread(cap, buf, sizeof(buf) - 1, 0);
		close(cap);
		buf[n > 0 ? n : 0] = 0;
	} else {
		buf[0] = 0;
	}
	if (rc && !ctx->err.msg[0])
		adopt_argp_message(ctx, buf[0] ? buf : "invalid arguments");
	return rc ? -EINVAL : 0;
}

/* -v in text mode says which profile and why (cli-contract.md §3). */
static void say_abi(const struct tsmctl_ctx *ctx)
{
	if (!ctx->verbose || ctx->json)
		return;
	fprintf(stderr, "tsmctl: ABI profile %s (%s%s%s)\n", ctx->profile.name,
		ctx->abi_source, ctx->abi_reason[0] ? ": " : "",
		ctx->abi_reason);
}

static int resolve_named(struct tsmctl_ctx *ctx)
{
	const char *env;

	if (!ctx->abi_name) {
		env = getenv("TSMCTL_ABI");
		if (env && *env) {
			if (strcmp(env, TSM_AUTO_PROFILE) &&
			    !tsm_profile_find(env)) {
				tsmctl_usage_error(
					ctx, "TSMCTL_ABI", env,
					"TSMCTL_ABI '%s': unknown ABI profile (accepted: auto, v5, v5-op, v6, v7)",
					env);
				return -EINVAL;
			}
			ctx->abi_name = env;
			ctx->abi_origin = "TSMCTL_ABI";
		}
	}
	if (!ctx->abi_name || !strcmp(ctx->abi_name, TSM_AUTO_PROFILE)) {
		tsmctl_resolve_auto(ctx);
		return 0;
	}
	ctx->profile = *tsm_profile_find(ctx->abi_name);
	ctx->abi_source = ctx->abi_origin &&
					  !strcmp(ctx->abi_origin, "TSMCTL_ABI") ?
				  "env" :
				  "option";
	return 0;
}

int tsmctl_resolve_abi(struct tsmctl_ctx *ctx)
{
	if (ctx->have_profile)
		return 0;
	if (ctx->abi_file && ctx->abi_name) {
		tsmctl_usage_error(
			ctx, "--abi-file", ctx->abi_file,
			"--abi and --abi-file are mutually exclusive");
		return -EINVAL;
	}
	if (ctx->abi_file) {
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_profile_load(ctx->abi_file, &ctx->profile, &ctx->err)) {
			snprintf(ctx->err.field, sizeof(ctx->err.field),
				 "--abi-file");
			return -EINVAL;
		}
		ctx->abi_origin = "--abi-file";
		ctx->abi_source = "file";
	} else if (resolve_named(ctx)) {
		return -EINVAL;
	}
	ctx->have_profile = true;
	say_abi(ctx);
	return 0;
}
