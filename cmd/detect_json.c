// SPDX-License-Identifier: GPL-2.0
/*
 * ABI detection from BTF (lib/detect.c): --abi auto (the one profile the
 * kernel's BTF positively matches, else the fallback), dump's JSON, and
 * the guards before a TSM ioctl: exit 5 when auto found a kernel without
 * TSM types, and the refusal of a state change whose profile the BTF
 * positively contradicts (cli-contract.md §3; tsmctl(8), ABI PROFILES).
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "detect.h"
#include "tsmctl.h"

const struct tsm_detect *tsmctl_detect(struct tsmctl_ctx *ctx)
{
	const char *env = getenv("TSMCTL_BTF");
	const char *path = ctx->btf ? ctx->btf : env && *env ? env : NULL;

	if (ctx->detect)
		return ctx->detect;
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
		snprintf(why, len,
			 "the kernel's BTF matches %u profiles: the newest posted revision, %s",
			 n, TSM_FALLBACK_PROFILE);
	else
		snprintf(why, len, "%.140s: the newest posted revision, %s",
			 d ? d->reason : "no BTF read", TSM_FALLBACK_PROFILE);
	return tsm_profile_find(TSM_FALLBACK_PROFILE);
}

void tsmctl_resolve_auto(struct tsmctl_ctx *ctx)
{
	ctx->profile = *tsmctl_auto_profile(ctx, &ctx->abi_source,
					    ctx->abi_reason,
					    sizeof(ctx->abi_reason),
					    &ctx->abi_no_tsm);
}

struct json_object *detect_json(struct tsmctl_ctx *ctx)
{
	struct json_object *o = json_object_new_object(), *arr;
	const struct tsm_detect *d = tsmctl_detect(ctx);
	size_t i, k;

	if (!d)
		return o;
	json_add(o, "source", json_object_new_string(d->source));
	json_add(o, "btf", json_object_new_boolean(d->have_btf));
	json_add(o, "tsm_types", json_object_new_boolean(d->have_tsm));
	json_add(o, "summary", json_object_new_string(d->reason));
	if (ctx->detect_rc)
		json_add(o, "errno", json_object_new_int(-ctx->detect_rc));
	if (ctx->abi_source) { /* not yet when dump checks a --btf FILE */
		json_add(o, "selected",
			 json_object_new_string(ctx->profile.name));
		json_add(o, "selected_by",
			 json_object_new_string(ctx->abi_source));
	}
	arr = json_object_new_array();
	for (i = 0; i < d->n; i++) {
		struct json_object *p = json_object_new_object(), *ev;

		json_add(p, "profile", json_object_new_string(d->p[i].name));
		json_add(p, "verdict",
			 json_object_new_string(
				 tsm_detect_verdict_name(d->p[i].verdict)));
		ev = json_object_new_array();
		for (k = 0;
		     k < d->p[i].n_evidence && k < TSM_DETECT_EVIDENCE_MAX; k++)
			json_object_array_add(ev, json_object_new_string(
							  d->p[i].evidence[k]));
		json_add(p, "evidence", ev);
		json_object_array_add(arr, p);
	}
	json_add(o, "profiles", arr);
	return o;
}

/*
 * --abi auto fell back on a kernel whose BTF positively has no TSM type:
 * no profile fact applies to it, and nothing is sent (exit 5).
 */
static int no_tsm_refusal(struct tsmctl_ctx *ctx)
{
	struct tsm_err e = { .err = ENOTTY };

	snprintf(e.msg, sizeof(e.msg),
		 "this kernel has no vdevice TSM ioctls (its BTF has no iommu_vdevice_tsm types)");
	snprintf(e.hint, sizeof(e.hint),
		 "nothing was sent; --abi auto found no profile to use (%s); to send a profile's bytes anyway select it with --abi",
		 ctx->profile.name);
	json_object_object_del(out_doc(ctx), "ioctl");
	json_object_object_del(out_doc(ctx), "dry_run");
	return out_error(ctx, TSM_EXIT_UNSUPPORTED, "abi", &e, NULL);
}

int exec_tsm_guard(struct tsmctl_ctx *ctx, bool state_change)
{
	if (ctx->abi_no_tsm)
		return no_tsm_refusal(ctx);
	return state_change ? detect_guard(ctx) : 0;
}

int detect_guard(struct tsmctl_ctx *ctx)
{
	const struct tsm_detect *d;
	const char *matching = NULL;
	char why[280]; /* leaves room in ctx->err.msg for the rest */
	bool bad;

	if (ctx->detect_checked && !ctx->detect_refused)
		return 0;
	ctx->detect_checked = true;
	d = tsmctl_detect(ctx);
	if (!d)
		return 0;
	bad = tsm_detect_contradicts(d, ctx->profile.name, why, sizeof(why),
				     &matching);
	if (bad) {
		tsmctl_usage_error(
			ctx, "--abi", ctx->profile.name,
			"ABI profile %s contradicts the running kernel (%s): %s",
			ctx->profile.name, d->source, why);
		if (ctx->cmd && !strcmp(ctx->cmd->name, "replay"))
			/* --abi must be the trace's: another is no way out */
			snprintf(
				ctx->err.hint, sizeof(ctx->err.hint),
				"a trace replays only on a kernel of the profile it was recorded with (%s); this kernel matches %s: replay it on such a kernel or under tsm-emu; nothing was sent",
				ctx->profile.name,
				matching ? matching : "no compiled-in profile");
		else if (matching)
			snprintf(
				ctx->err.hint, sizeof(ctx->err.hint),
				"the kernel matches profile %s: run with --abi %s; nothing was sent",
				matching, matching);
		else
			snprintf(
				ctx->err.hint, sizeof(ctx->err.hint),
				"no compiled-in profile matches: describe the kernel's layout with --abi-file; nothing was sent");
	}
	ctx->detect_refused = bad;
	return bad ? out_unsent_error(ctx) : 0;
}
