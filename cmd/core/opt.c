// SPDX-License-Identifier: GPL-2.0
/*
 * Option tables to argp, and the global options (docs/cli-contract.md,
 * "Global options"), accepted before the command and after it: the same
 * argp is the main parser and a child of every command's parser.
 * argp/getopt messages are caught and turned into the tool's own usage
 * errors, so that JSON mode still prints one document.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "opt.h"

enum {
	OPT_FD = 0x100,
	OPT_PID,
	OPT_ABI_FILE,
	OPT_TRACE,
	OPT_SYSFS,
	OPT_USAGE,
	OPT_SCHEMA,
};

const struct tsmctl_opt tsmctl_global_opts[] = {
	{ "device", 'd', "PATH",
	  "iommufd node (default /dev/iommu). A fresh open sees no vdevices: "
	  "object IDs belong to one open file",
	  .complete = "file" },
	{ "fd", OPT_FD, "N",
	  "use inherited descriptor N (with --pid: descriptor N of that process)" },
	{ "pid", OPT_PID, "PID",
	  "borrow the iommufd of process PID (pidfd_getfd; needs ptrace rights)",
	  .complete = "pid" },
	{ "abi", 'A', "NAME",
	  "kernel ABI profile: auto (default: the one the kernel's BTF matches, else v7), v5, v5-op, v6, v7; also TSMCTL_ABI (the BTF read: TSMCTL_BTF, else /sys/kernel/btf/vmlinux)",
	  .values = tsmctl_values_abi },
	{ "abi-file", OPT_ABI_FILE, "FILE",
	  "load the ABI profile from FILE (text or JSON)", .complete = "file" },
	{ "json", 'j', NULL, "one JSON document on stdout, errors included" },
	{ "pretty", 'p', NULL, "indent the JSON document (implies --json)" },
	{ "verbose", 'v', NULL,
	  "more detail: the ioctl struct, hexdumps, raw evidence" },
	{ "dry-run", 'n', NULL,
	  "build and validate, print the ioctl struct, issue nothing" },
	{ "trace", OPT_TRACE, "FILE",
	  "append a JSON Lines record of every kernel interaction to FILE; also TSMCTL_TRACE",
	  .complete = "file" },
	{ "sysfs", OPT_SYSFS, "DIR",
	  "read and write sysfs below DIR (a copy of a machine's sys/ tree, or a test fixture) instead of /; also TSMCTL_SYSFS",
	  .complete = "file" },
	{ "version", 'V', NULL,
	  "print the version, schema version and ABI profiles" },
	{ "schema", OPT_SCHEMA, NULL,
	  "print the JSON Schema of every document tsmctl writes (-j)" },
	{ "help", 'h', NULL, "give this help list", .group = -1 },
	{ "usage", OPT_USAGE, NULL, "give a short usage message", .group = -1 },
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

int tsmctl_opt_sysfs(struct tsmctl_ctx *ctx, const char *arg)
{
	if (!*arg)
		return tsmctl_usage_error(ctx, "--sysfs", arg,
					  "--sysfs: empty path");
	ctx->sysfs = arg;
	return 0;
}

const char *tsmctl_sysfs_root(struct tsmctl_ctx *ctx)
{
	const char *root = ctx->sysfs, *flag = "--sysfs";
	struct stat st;

	if (!root) {
		root = getenv("TSMCTL_SYSFS");
		flag = "TSMCTL_SYSFS";
	}
	if (!root || !*root || !strcmp(root, "/"))
		return "";
	if (stat(root, &st) || !S_ISDIR(st.st_mode)) {
		tsmctl_usage_error(
			ctx, flag, root,
			"%s '%s': not a directory (DIR holds a machine's sys/ tree, or a copy of it)",
			flag, root);
		return NULL;
	}
	return root;
}

/*
 * A global option that takes one value, given again: a usage error, as a
 * command's repeated --vdevice is (docs/cli-contract.md, "Options")
 */
static int twice(struct tsmctl_ctx *ctx, bool given, const char *flag,
		 const char *arg)
{
	if (!given)
		return 0;
	return tsmctl_usage_error(
		ctx, flag, arg, "%s '%s': %s given twice (it takes one value)",
		flag, arg, flag);
}

/* -d, --fd, --pid: which iommufd context; 1 when @key is none of them */
static int parse_sel(struct tsmctl_ctx *ctx, int key, char *arg)
{
	uint64_t v64;

	if ((key == 'd' && twice(ctx, ctx->sel.path, "--device", arg)) ||
	    (key == OPT_FD && twice(ctx, ctx->sel.fd >= 0, "--fd", arg)) ||
	    (key == OPT_PID && twice(ctx, ctx->sel.pid >= 0, "--pid", arg)))
		return EINVAL;
	switch (key) {
	case 'd':
		if (!*arg)
			return tsmctl_usage_error(ctx, "--device", arg,
						  "--device: empty path");
		ctx->sel.path = arg;
		return 0;
	case OPT_FD:
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_parse_u64(arg, INT32_MAX, "--fd", &v64, &ctx->err))
			return EINVAL;
		ctx->sel.fd = (int)v64;
		return 0;
	case OPT_PID:
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_parse_u64(arg, 4194304, "--pid", &v64, &ctx->err) ||
		    v64 == 0)
			return tsmctl_usage_error(
				ctx, "--pid", arg,
				"--pid '%s': not a process ID (accepted 1..4194304, decimal or 0x-hex)",
				arg);
		ctx->sel.pid = (long)v64;
		return 0;
	default:
		return 1;
	}
}

static error_t parse_abi(struct tsmctl_ctx *ctx, char *arg)
{
	char list[128];

	if (twice(ctx, ctx->abi_name && !strcmp(ctx->abi_origin, "--abi"),
		  "--abi", arg))
		return EINVAL;
	if (strcmp(arg, TSM_AUTO_PROFILE) && !tsm_profile_find(arg)) {
		tsmctl_values_join(tsmctl_values_abi, ", ", list, sizeof(list));
		ctx->abi_bad = "option";
		return tsmctl_usage_error(
			ctx, "--abi", arg,
			"--abi '%s': unknown ABI profile (accepted: %s; or --abi-file FILE)",
			arg, list);
	}
	ctx->abi_name = arg;
	ctx->abi_origin = "--abi";
	return 0;
}

/* --help, --usage, --version and the command name */
static error_t parse_stop(struct tsmctl_ctx *ctx, int key, char *arg,
			  struct argp_state *state)
{
	switch (key) {
	case 'V':
		ctx->want_version = true;
		break;
	case OPT_SCHEMA:
		ctx->want_schema = true;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case OPT_USAGE:
		argp_state_help(state, stdout,
				ARGP_HELP_USAGE | ARGP_HELP_EXIT_OK);
		break;
	case ARGP_KEY_ARG:
		if (ctx->in_command)
			return ARGP_ERR_UNKNOWN;
		/* the command: stop here, its parser takes the rest */
		ctx->cmd_name = arg;
		ctx->cmd_argi = state->next - 1;
		state->next = state->argc;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	ctx->stop = true;
	return 0;
}

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	struct tsmctl_ctx *ctx = state->input;
	int rc = parse_sel(ctx, key, arg);

	if (rc <= 0 || rc == EINVAL)
		return rc;
	switch (key) {
	case 'A':
		return parse_abi(ctx, arg);
	case OPT_ABI_FILE:
		if (twice(ctx, ctx->abi_file, "--abi-file", arg))
			return EINVAL;
		ctx->abi_file = arg;
		break;
	case 'j':
		ctx->json = true;
		break;
	case 'p':
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
		if (twice(ctx, ctx->trace_path, "--trace", arg))
			return EINVAL;
		ctx->trace_path = arg;
		break;
	case OPT_SYSFS:
		return tsmctl_opt_sysfs(ctx, arg);
	default:
		return parse_stop(ctx, key, arg, state);
	}
	return 0;
}

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

#define OPTS_MAX 32

/*
 * @t (NULL-name terminated) as argp options in @o (OPTS_MAX entries); NULL
 * when there are none (glibc's help leaks the table of an empty list).
 */
static struct argp_option *argp_options(const struct tsmctl_opt *t,
					struct argp_option *o)
{
	size_t i;

	memset(o, 0, OPTS_MAX * sizeof(*o));
	for (i = 0; t && t[i].name && i + 1 < OPTS_MAX; i++)
		o[i] = (struct argp_option){ t[i].name,	 t[i].key, t[i].arg,
					     t[i].flags, t[i].doc, t[i].group };
	return i ? o : NULL;
}

/* argp's messages on stderr go to a memfd instead: the saved stderr */
static int capture_stderr(int *cap)
{
	int saved;

	fflush(stderr);
	saved = dup(2);
	*cap = memfd_create("tsmctl-argp", MFD_CLOEXEC);
	if (saved < 0 || *cap < 0 || dup2(*cap, 2) < 0) {
		if (saved >= 0)
			close(saved);
		if (*cap >= 0)
			close(*cap);
		*cap = -1;
		return -1;
	}
	return saved;
}

/* stderr back, what argp wrote into @buf */
static void release_stderr(int saved, int cap, char *buf, size_t len)
{
	ssize_t n = 0;

	buf[0] = 0;
	if (cap < 0)
		return;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(cap, buf, len - 1, 0);
	close(cap);
	buf[n > 0 ? n : 0] = 0;
}

/*
 * A command's --help lists its own options and names the global ones in
 * one line (they are in 'tsmctl --help'): hidden from its list in @o,
 * named in @buf, the header of their group.
 */
static const char *globals_line(struct argp_option *o, char *buf, size_t len)
{
	size_t off;

	off = (size_t)snprintf(buf, len,
			       "Global options (see 'tsmctl --help'):");
	for (; o->name; o++) {
		if (o->group < 0)
			continue;
		o->flags |= OPTION_HIDDEN;
		if (off >= len)
			continue;
		if (o->key > 0 && o->key < 128)
			off += (size_t)snprintf(buf + off, len - off, " -%c",
						o->key);
		else
			off += (size_t)snprintf(buf + off, len - off, " --%s",
						o->name);
	}
	return buf;
}

int tsmctl_parse(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
		 int argc, char **argv, void *input,
		 char *(*help_filter)(int key, const char *text, void *input))
{
	struct argp_option gopts[OPTS_MAX], copts[OPTS_MAX];
	struct argp global = { .options = gopts, .parser = global_parse };
	struct argp_child children[] = { { &global, 0, "Global options:", 1 },
					 { 0 } };
	char gline[200];
	struct argp argp = { .options = copts,
			     .parser = spec->parser,
			     .args_doc = spec->args_doc,
			     .doc = spec->doc,
			     .children = children,
			     .help_filter = help_filter };
	char buf[512];
	int saved, cap, rc;

	global.options = argp_options(tsmctl_global_opts, gopts);
	argp.options = argp_options(spec->opts, copts);
	if (ctx->in_command)
		children[0].header = globals_line(gopts, gline, sizeof(gline));
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsmctl_check_options(ctx, spec, argc, argv))
		return -EINVAL;
	/* catch what getopt/argp print on stderr, so JSON mode stays clean */
	saved = capture_stderr(&cap);
	rc = argp_parse(&argp, argc, argv,
			ARGP_IN_ORDER | ARGP_NO_HELP | ARGP_NO_EXIT, NULL,
			input);
	release_stderr(saved, cap, buf, sizeof(buf));
	if (rc && !ctx->err.msg[0])
		adopt_argp_message(ctx, buf[0] ? buf : "invalid arguments");
	return rc ? -EINVAL : 0;
}

const struct tsmctl_cmd *tsmctl_find_cmd(const struct tsmctl_ctx *ctx,
					 const char *name)
{
	size_t i;

	for (i = 0; i < ctx->ncommands; i++)
		if (!strcmp(ctx->commands[i].name, name))
			return &ctx->commands[i];
	return NULL;
}

void tsmctl_command_list(const struct tsmctl_ctx *ctx, char *buf, size_t len,
			 bool with_help)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < ctx->ncommands && off < len; i++) {
		const struct tsmctl_cmd *c = &ctx->commands[i];

		if ((c->flags & CMD_HIDDEN) ||
		    (!with_help && !strcmp(c->name, "help")))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					off ? ", " : "", c->name);
	}
}
