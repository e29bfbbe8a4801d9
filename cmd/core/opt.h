/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options: one table per command (struct tsmctl_opt) from which the argp
 * options, `tsmctl __metadata` (completions, man-page drift checks) and
 * the accepted values are generated; value lists come from lib's own
 * tables (profiles, catalogue, code tables). The global options are a
 * table too, accepted before and after the command. Shared parsing of the
 * options several commands take lives here, and usage errors are filled
 * into ctx->err (docs/architecture.md).
 */
#ifndef TSMCTL_CORE_OPT_H
#define TSMCTL_CORE_OPT_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "envelope.h"

enum {
	CMD_MUTATES = 1 << 0, /* changes kernel state */
	CMD_NEEDS_ABI = 1 << 1, /* resolves the ABI profile */
	CMD_HIDDEN = 1 << 2, /* not listed in --help */
	CMD_ARG_COMMAND = 1 << 3, /* its argument is a command name (help) */
	CMD_ARG_FILE = 1 << 4, /* its argument is a file (replay TRACE) */
};

/*
 * The values an option accepts, from lib's tables, written to @out (at
 * most @max); the count. @p and @arch narrow them where they depend on
 * the profile and arch (ops; NULL and TSM_ARCH_NONE: every one), so a
 * completion can follow --abi and --arch.
 */
typedef size_t (*tsmctl_values_fn)(const char **out, size_t max,
				   const struct tsm_profile *p,
				   enum tsm_arch arch);

#define TSMCTL_VALUES_MAX 64

struct tsmctl_opt {
	const char *name; /* long name */
	int key; /* argp key: a short option character or an OPT_ number */
	const char *arg; /* argument name; NULL: a flag */
	const char *doc;
	int flags; /* argp OPTION_* */
	int group; /* argp group: -1 for --help and --usage */
	const char *complete; /* "file", "pid", "fd" or NULL */
	tsmctl_values_fn values; /* NULL: any value */
};

/* What a command parses and how it is documented. */
struct tsmctl_spec {
	const struct tsmctl_opt *opts; /* NULL-name terminated, or NULL */
	argp_parser_t parser;
	const char *args_doc;
	const char *doc;
};

struct tsmctl_cmd {
	const char *name;
	const char *summary;
	int (*run)(struct tsmctl_ctx *ctx, int argc, char **argv);
	const struct tsmctl_spec *spec; /* NULL: no options of its own */
	unsigned int flags;
};

extern const struct tsmctl_opt tsmctl_global_opts[];

/* The command named @name in ctx->commands (exactly), or NULL. */
const struct tsmctl_cmd *tsmctl_find_cmd(const struct tsmctl_ctx *ctx,
					 const char *name);
/* The visible commands, ", "-separated (help itself only if @with_help). */
void tsmctl_command_list(const struct tsmctl_ctx *ctx, char *buf, size_t len,
			 bool with_help);

/*
 * Parse @argv with @spec's options and the global ones (in order, argp's
 * own messages caught as a usage error in ctx->err). @help_filter: main's.
 */
int tsmctl_parse(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
		 int argc, char **argv, void *input,
		 char *(*help_filter)(int key, const char *text, void *input));

/*
 * Before argp (opt_check.c): long options matched exactly, a command's
 * option before the command named as such, "did you mean" for an
 * unknown one; a usage error in ctx->err and EINVAL, else 0.
 */
int tsmctl_check_options(struct tsmctl_ctx *ctx, const struct tsmctl_spec *spec,
			 int argc, char **argv);
/* The visible command nearest to @name (a prefix or a typo), or NULL. */
const char *tsmctl_nearest_cmd(const struct tsmctl_ctx *ctx, const char *name);

/*
 * The end of every command's argp parser: ARGP_KEY_INIT hands @ctx to the
 * global-options child, a positional argument is a usage error, anything
 * else is ARGP_ERR_UNKNOWN.
 */
error_t tsmctl_parse_default(struct tsmctl_ctx *ctx, int key, char *arg,
			     struct argp_state *state);
int tsmctl_usage_error(struct tsmctl_ctx *ctx, const char *field,
		       const char *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tsmctl_opt_u32(struct tsmctl_ctx *ctx, const char *flag, const char *arg,
		   uint32_t *out);
/* --sysfs DIR (the global option, and dump's alias of it) */
int tsmctl_opt_sysfs(struct tsmctl_ctx *ctx, const char *arg);
/*
 * The sysfs root every read and write is below: --sysfs, else
 * TSMCTL_SYSFS, else "" (the real /). NULL with a usage error in
 * ctx->err when it is not a directory.
 */
const char *tsmctl_sysfs_root(struct tsmctl_ctx *ctx);

/* Values of @fn joined by @sep into @buf ("" for NULL: any value). */
void tsmctl_values_join(tsmctl_values_fn fn, const char *sep, char *buf,
			size_t len);

/* Value lists from lib's tables (tsmctl_values_fn). */
size_t tsmctl_values_abi(const char **out, size_t max,
			 const struct tsm_profile *p, enum tsm_arch arch);
size_t tsmctl_values_arch(const char **out, size_t max,
			  const struct tsm_profile *p, enum tsm_arch arch);
size_t tsmctl_values_cca_codes(const char **out, size_t max,
			       const struct tsm_profile *p, enum tsm_arch arch);
size_t tsmctl_values_ops(const char **out, size_t max,
			 const struct tsm_profile *p, enum tsm_arch arch);
size_t tsmctl_values_scope(const char **out, size_t max,
			   const struct tsm_profile *p, enum tsm_arch arch);
size_t tsmctl_values_state(const char **out, size_t max,
			   const struct tsm_profile *p, enum tsm_arch arch);
size_t tsmctl_values_evidence(const char **out, size_t max,
			      const struct tsm_profile *p, enum tsm_arch arch);

/*
 * The request options req and set-run share (--vdevice, --arch, --in,
 * --force, --catalog, --cca-codes), into @env, @in and @catalog.
 * ARGP_ERR_UNKNOWN for any other key.
 */
struct tsmctl_req_opts {
	struct tsm_envelope env;
	const char *in; /* --in, read by tsmctl_read_payload() */
	const char *catalog;
};
enum {
	OPT_REQ_VDEVICE = 0x300,
	OPT_REQ_ARCH,
	OPT_REQ_IN,
	OPT_REQ_FORCE,
	OPT_REQ_CATALOG,
	OPT_REQ_CCA_CODES,
	OPT_REQ_NEXT, /* a command's own options from here */
};
error_t tsmctl_parse_req_opt(struct tsmctl_ctx *ctx, int key, char *arg,
			     struct tsmctl_req_opts *o);
/* --vdevice ID once: @twice is the message when given again. */
int tsmctl_opt_vdevice(struct tsmctl_ctx *ctx, const char *arg,
		       const char *twice, bool *have, uint32_t *id);
/* --in HEX|@FILE|- into env's payload. */
int tsmctl_read_payload(struct tsmctl_ctx *ctx, const char *arg,
			struct tsm_envelope *env);
/* The built-in catalogue, plus --catalog FILE when given. */
int tsmctl_load_catalog(struct tsmctl_ctx *ctx, const char *path);

#endif
