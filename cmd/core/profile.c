// SPDX-License-Identifier: GPL-2.0
/*
 * The ABI profile of a run (docs/cli-contract.md, "ABI profiles"): --abi,
 * --abi-file or TSMCTL_ABI, else auto: the one profile the running
 * kernel's BTF positively matches (lib/detect.c), else the fallback. The
 * detection is read once per run. Nothing here prints but -v's line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "detect.h"
#include "opt.h"
#include "profile.h"
#include "trace.h"
#include "tracing.h"

/*
 * The kernel BTF below --sysfs DIR (or TSMCTL_SYSFS) when that tree has
 * one, so a copied tree is detected as the machine it came from; NULL:
 * the running kernel's.
 */
static const char *sysfs_btf(const struct tsmctl_ctx *ctx, char *buf,
			     size_t len)
{
	const char *root = ctx->sysfs ? ctx->sysfs : getenv("TSMCTL_SYSFS");

	if (!root || !*root || !strcmp(root, "/"))
		return NULL;
	snprintf(buf, len, "%s%s", root, TSM_DETECT_VMLINUX);
	return access(buf, R_OK) ? NULL : buf;
}

const struct tsm_detect *tsmctl_detect(struct tsmctl_ctx *ctx)
{
	const char *env = getenv("TSMCTL_BTF");
	const char *path = ctx->btf ? ctx->btf : env && *env ? env : NULL;
	char buf[PATH_MAX];

	if (ctx->detect)
		return ctx->detect;
	if (!path)
		path = sysfs_btf(ctx, buf, sizeof(buf));
	/* tsm_detect_file() clears it: no calloc (11 KB cleared twice) */
	ctx->detect = malloc(sizeof(*ctx->detect));
	if (ctx->detect)
		ctx->detect_rc = tsm_detect_file(path, ctx->detect);
	return ctx->detect;
}

const struct tsm_profile *tsmctl_auto_profile(struct tsmctl_ctx *ctx,
					      const char **source, char *why,
					      size_t len, bool *no_tsm)
{
	const struct tsm_detect *d = tsmctl_detect(ctx);
	const char *match = NULL;
	unsigned int n = 0;
	size_t i;

	for (i = 0; d && i < d->n; i++)
		if (d->p[i].verdict == TSM_DETECT_MATCHES) {
			match = d->p[i].name;
			n++;
		}
	*no_tsm = false;
	if (n == 1) {
		*source = "btf";
		snprintf(why, len, "the kernel's BTF matches profile %s only",
			 match);
		return tsm_profile_find(match);
	}
	*source = "fallback";
	*no_tsm = d && d->have_btf && !d->have_tsm;
	if (n > 1)
		snprintf(
			why, len,
			"the kernel's BTF matches %u profiles: the newest posted revision, %s",
			n, TSM_FALLBACK_PROFILE);
	else
		snprintf(why, len, "%.140s: the newest posted revision, %s",
			 d ? d->reason : "no BTF read", TSM_FALLBACK_PROFILE);
	return tsm_profile_find(TSM_FALLBACK_PROFILE);
}

/*
 * Under the fallback, a --trace that already holds records keeps their
 * profile (docs/cli-contract.md, "ABI profiles"): the calls a bug report
 * appends to the failing command's trace (dump's probes) are then sent
 * and recorded as that command's were, and the trace replays as one.
 */
static void adopt_trace_abi(struct tsmctl_ctx *ctx)
{
	const char *path = tsmctl_trace_path(ctx);
	const struct tsm_profile *p;
	char abi[TSM_PROFILE_NAME_MAX];

	if (ctx->abi_by_replay || !path ||
	    tsm_trace_last_abi(path, abi, sizeof(abi)) ||
	    !(p = tsm_profile_find(abi)))
		return;
	ctx->profile = *p;
	ctx->abi_source = "trace";
	snprintf(
		ctx->abi_reason, sizeof(ctx->abi_reason),
		"auto: no profile in the kernel's BTF; the last record of --trace %.80s was made with %.16s",
		path, p->name);
}

void tsmctl_resolve_auto(struct tsmctl_ctx *ctx)
{
	ctx->profile =
		*tsmctl_auto_profile(ctx, &ctx->abi_source, ctx->abi_reason,
				     sizeof(ctx->abi_reason), &ctx->abi_no_tsm);
	if (!strcmp(ctx->abi_source, "fallback"))
		adopt_trace_abi(ctx);
}

void tsmctl_say_abi(const struct tsmctl_ctx *ctx)
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
				char list[128];

				tsmctl_values_join(tsmctl_values_abi, ", ",
						   list, sizeof(list));
				ctx->abi_bad = "env";
				tsmctl_usage_error(
					ctx, "TSMCTL_ABI", env,
					"TSMCTL_ABI '%s': unknown ABI profile (accepted: %s)",
					env, list);
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
	ctx->abi_source =
		ctx->abi_origin && !strcmp(ctx->abi_origin, "TSMCTL_ABI") ?
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
		ctx->abi_bad = "option";
		return -EINVAL;
	}
	if (ctx->abi_file) {
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_profile_load(ctx->abi_file, &ctx->profile, &ctx->err)) {
			snprintf(ctx->err.field, sizeof(ctx->err.field),
				 "--abi-file");
			ctx->abi_bad = "file";
			return -EINVAL;
		}
		ctx->abi_origin = "--abi-file";
		ctx->abi_source = "file";
	} else if (resolve_named(ctx)) {
		return -EINVAL;
	}
	ctx->have_profile = true;
	if (!ctx->abi_by_replay)
		tsmctl_say_abi(ctx);
	return 0;
}
