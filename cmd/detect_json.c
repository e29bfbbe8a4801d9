// SPDX-License-Identifier: GPL-2.0
/*
 * ABI detection from BTF (lib/detect.c) as JSON for dump, and the guard
 * that refuses a state change when the running kernel's BTF positively
 * contradicts the selected profile (cli-contract.md §3). --abi stays
 * explicit: detection never picks a profile, it only refuses.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "detect.h"
#include "tsmctl.h"

static const char *btf_path(const char *given)
{
	const char *env = getenv("TSMCTL_BTF");

	if (given)
		return given;
	return env && *env ? env : NULL;
}

struct json_object *detect_json(struct tsmctl_ctx *ctx, const char *path)
{
	struct json_object *o = json_object_new_object(), *arr;
	struct tsm_detect *d = calloc(1, sizeof(*d));
	size_t i, k;
	int rc;

	if (!d)
		return o;
	rc = tsm_detect_file(btf_path(path), d);
	json_add(o, "source", json_object_new_string(d->source));
	json_add(o, "btf", json_object_new_boolean(d->have_btf));
	json_add(o, "tsm_types", json_object_new_boolean(d->have_tsm));
	json_add(o, "summary", json_object_new_string(d->reason));
	if (rc)
		json_add(o, "errno", json_object_new_int(-rc));
	json_add(o, "selected", json_object_new_string(ctx->profile.name));
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
	free(d);
	return o;
}

int detect_guard(struct tsmctl_ctx *ctx)
{
	struct tsm_detect *d;
	const char *matching = NULL;
	char why[280]; /* leaves room in ctx->err.msg for the rest */
	bool bad;

	if (ctx->detect_checked && !ctx->detect_refused)
		return 0;
	ctx->detect_checked = true;
	d = calloc(1, sizeof(*d));
	if (!d)
		return 0;
	tsm_detect_file(btf_path(NULL), d);
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
	free(d);
	ctx->detect_refused = bad;
	return bad ? out_unsent_error(ctx) : 0;
}
