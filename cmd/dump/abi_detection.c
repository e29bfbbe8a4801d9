// SPDX-License-Identifier: GPL-2.0
/*
 * dump's "abi_detection": what lib/detect.c found in the BTF, per
 * profile with its evidence, and which profile the run uses and why
 * (docs/cli-contract.md, "ABI profiles").
 */
#include <json-c/json.h>

#include "core/out.h"
#include "core/profile.h"
#include "detect.h"
#include "dump.h"

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
