// SPDX-License-Identifier: GPL-2.0
/*
 * What getopt would let through or explain badly, checked before argp
 * runs (docs/cli-contract.md, "Options"): long options are matched
 * exactly (getopt accepts any unambiguous prefix, so --stat would set
 * --state); a command's option given before the command names the
 * command it belongs to; an unknown option or command suggests the
 * nearest name ("did you mean"). Every list is read from the option
 * tables and ctx->commands, so a command added later needs nothing here.
 */
#include <string.h>

#include "opt.h"

/* Optimal string alignment distance of @a and @b (short names only) */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[33][33];

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t c = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j - 1] + c;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/*
 * How near @cand is to @name: 0 when @name is a prefix of it (an
 * abbreviation), else the edit distance plus one; a large value when too
 * far to suggest (more than a third of the name, at least one edit).
 */
static size_t nearness(const char *name, const char *cand)
{
	size_t n = strlen(name), d, max;

	if (n && !strncmp(cand, name, n))
		return 0;
	d = edit_distance(name, cand);
	max = n / 3 ? n / 3 : 1;
	return d <= max ? d + 1 : (size_t)-1;
}

const char *tsmctl_nearest_cmd(const struct tsmctl_ctx *ctx, const char *name)
{
	const char *best = NULL;
	size_t i, bd = (size_t)-1;

	for (i = 0; i < ctx->ncommands; i++) {
		const struct tsmctl_cmd *c = &ctx->commands[i];
		size_t d;

		if (c->flags & CMD_HIDDEN)
			continue;
		d = nearness(name, c->name);
		if (d < bd) {
			bd = d;
			best = c->name;
		}
	}
	return best;
}

/* The option of @t named @name (exactly), or NULL */
static const struct tsmctl_opt *opt_named(const struct tsmctl_opt *t,
					  const char *name, size_t len)
{
	for (; t && t->name; t++)
		if (strlen(t->name) == len && !strncmp(t->name, name, len))
			return t;
	return NULL;
}

static const struct tsmctl_opt *opt_key(const struct tsmctl_opt *t, int key)
{
	for (; t && t->name; t++)
		if (t->key == key)
			return t;
	return NULL;
}

static void nearest_in(const struct tsmctl_opt *t, const char *name,
		       const char **best, size_t *bd)
{
	for (; t && t->name; t++) {
		size_t d = nearness(name, t->name);

		if (!(t->flags & OPTION_HIDDEN) && d < *bd) {
			*bd = d;
			*best = t->name;
		}
	}
}

/* The commands that have option --@name, ", "-separated into @buf */
static size_t commands_with(const struct tsmctl_ctx *ctx, const char *name,
			    size_t len, char *buf, size_t size)
{
	size_t i, n = 0, off = 0;

	buf[0] = 0;
	for (i = 0; i < ctx->ncommands; i++) {
		const struct tsmctl_cmd *c = &ctx->commands[i];

		if (!c->spec || !opt_named(c->spec->opts, name, len))
			continue;
		if (off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
						n ? ", " : "", c->name);
		n++;
	}
	return n;
}

/* The command named later in @argv (from @i on), or NULL */
static const char *command_after(const struct tsmctl_ctx *ctx, int argc,
				 char **argv, int i)
{
	for (; i < argc && strcmp(argv[i], "--"); i++)
		if (argv[i][0] != '-' && tsmctl_find_cmd(ctx, argv[i]))
			return argv[i];
	return NULL;
}

/* --@name is no option here: a usage error saying where it belongs */
static int unknown_long(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
			int argc, char **argv, int i, size_t len)
{
	const char *name = argv[i] + 2, *best = NULL;
	const char *later = command_after(ctx, argc, argv, i + 1);
	char cmds[160], nm[64], fld[68];
	size_t bd = (size_t)-1;

	snprintf(nm, sizeof(nm), "%.*s", (int)len, name);
	snprintf(fld, sizeof(fld), "--%s", nm);
	if (!ctx->in_command &&
	    commands_with(ctx, name, len, cmds, sizeof(cmds))) {
		tsmctl_usage_error(
			ctx, fld, NULL,
			"--%s is an option of %s, not a global one: give it after the command",
			nm, later && strstr(cmds, later) ? later : cmds);
		if (later)
			snprintf(ctx->err.hint, sizeof(ctx->err.hint),
				 "tsmctl %s --%s ...; see 'tsmctl %s --help'",
				 later, nm, later);
		else
			snprintf(
				ctx->err.hint, sizeof(ctx->err.hint),
				"tsmctl COMMAND --%s ...; see 'tsmctl COMMAND --help'",
				nm);
		return EINVAL;
	}
	nearest_in(tsmctl_global_opts, nm, &best, &bd);
	if (ctx->in_command)
		nearest_in(spec->opts, nm, &best, &bd);
	tsmctl_usage_error(ctx, fld, NULL, "unrecognized option '--%s'", nm);
	if (best)
		snprintf(ctx->err.hint, sizeof(ctx->err.hint),
			 "did you mean '--%s'? see '%s --help'", best,
			 ctx->prog);
	else
		snprintf(ctx->err.hint, sizeof(ctx->err.hint),
			 "see '%s --help'", ctx->prog);
	return EINVAL;
}

/* A known option taking an argument and given without "=": one more */
static int takes_next(const struct tsmctl_opt *o, const char *arg)
{
	return o && o->arg && !strchr(arg, '=') &&
	       !(o->flags & OPTION_ARG_OPTIONAL);
}

/* -abc: the arguments it consumes after itself (0 or 1) */
static int short_cluster(const struct tsmctl_spec *spec, const char *a)
{
	for (a++; *a; a++) {
		const struct tsmctl_opt *o = opt_key(tsmctl_global_opts, *a);

		if (!o)
			o = opt_key(spec->opts, *a);
		if (o && o->arg)
			return a[1] ? 0 : 1;
	}
	return 0;
}

int tsmctl_check_options(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
			 int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct tsmctl_opt *o;
		size_t len;

		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || !a[1]) {
			if (!ctx->in_command)
				break; /* the command: its parser checks on */
			continue;
		}
		if (a[1] != '-') {
			i += short_cluster(spec, a);
			continue;
		}
		len = strcspn(a + 2, "=");
		o = opt_named(tsmctl_global_opts, a + 2, len);
		if (!o && ctx->in_command)
			o = opt_named(spec->opts, a + 2, len);
		if (!o)
			return unknown_long(ctx, spec, argc, argv, i, len);
		i += takes_next(o, a);
	}
	return 0;
}
