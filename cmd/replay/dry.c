// SPDX-License-Identifier: GPL-2.0
/*
 * replay -n: each call replay would re-issue, in trace order, with what
 * it is and whether it changes state (docs/cli-contract.md, "batch,
 * replay"), read from the recorded records; nothing is sent.
 */
#include <string.h>

#include <json-c/json.h>

#include "core/out.h"
#include "replay.h"

/* @key of @o's object @obj, or NULL */
static struct json_object *member(struct json_object *o, const char *obj,
				  const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, obj, &v) ||
	    !json_object_object_get_ex(v, key, &v))
		return NULL;
	return v;
}

/* bind/unbind (TSM_OP), a request the catalogue marks: a state change */
static bool state_change(const struct rec *r)
{
	struct json_object *v;
	const char *t;

	if (r->is_nl)
		return false;
	if (r->is_req)
		return json_object_get_boolean(
			member(r->orig, "request", "state_change"));
	v = json_object_object_get(r->orig, "ioctl");
	t = json_object_get_string(member(v, "fields", "type_name"));
	return t && (!strcmp(t, "bind") || !strcmp(t, "unbind"));
}

/* what the call does: the TSM_OP type or the request's op */
static const char *what(const struct rec *r)
{
	struct json_object *v;

	if (r->is_nl)
		return "evidence request";
	if (r->is_req && (v = member(r->orig, "request", "op")))
		return json_object_get_string(v);
	v = json_object_object_get(r->orig, "ioctl");
	v = member(v, "fields", "type_name");
	return v ? json_object_get_string(v) : "";
}

struct json_object *replay_dry_calls(const struct rec *recs, unsigned int n)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct rec *r = &recs[i];
		struct json_object *d = json_object_new_object(), *v;

		json_add(d, "seq", json_object_new_int64(r->seq));
		json_add(d, "line", json_object_new_int64(r->line));
		json_add(d, "call", json_object_new_string(r->call));
		json_add(d, "what", json_object_new_string(what(r)));
		v = member(json_object_object_get(r->orig, "ioctl"), "fields",
			   "vdevice_id");
		if (v)
			json_add(d, "vdevice_id", json_object_get(v));
		json_add(d, "state_change",
			 json_object_new_boolean(state_change(r)));
		if (r->unknown)
			json_add(d, "outcome_unknown",
				 json_object_new_boolean(1));
		json_object_array_add(arr, d);
	}
	return arr;
}
