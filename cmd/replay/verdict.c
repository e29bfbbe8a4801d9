// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl replay's verdict (replay.h): each difference, the differences
 * counted, the calls of unknown outcome noted, and the exit status
 * (tsmctl-replay(8)).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/out.h"
#include "replay/replay.h"

struct json_object *replay_diff(struct json_object *diffs, const struct rec *r,
				const char *field, struct json_object *recorded,
				struct json_object *now)
{
	struct json_object *d = json_object_new_object();

	json_add(d, "seq", json_object_new_int64(r->seq));
	json_add(d, "line", json_object_new_int64(r->line));
	json_add(d, "call", json_object_new_string(r->call));
	json_add(d, "field", json_object_new_string(field));
	json_add(d, "recorded", recorded);
	json_add(d, "now", now);
	json_object_array_add(diffs, d);
	return d;
}

/* "ENOENT" beside an errno, "0x…" beside a tsm_code */
static void name_value(struct json_object *d, const char *key,
		       struct json_object *v, bool is_errno)
{
	char buf[24];
	const char *s = buf;

	if (!json_object_is_type(v, json_type_int))
		return;
	if (is_errno)
		s = tsm_errno_name(json_object_get_int(v), buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "0x%llx",
			 (unsigned long long)json_object_get_uint64(v));
	json_object_object_add(d, key, json_object_new_string(s));
}

void replay_cmp(struct json_object *diffs, const struct rec *r, const char *key,
		struct json_object *now)
{
	struct json_object *old, *d;
	bool en = !strcmp(key, "errno"), tc = !strcmp(key, "tsm_code");

	if (!json_object_object_get_ex(r->orig, key, &old) ||
	    json_object_equal(old, now)) {
		json_object_put(now);
		return;
	}
	d = replay_diff(diffs, r, key, json_object_get(old), now);
	if (en || tc) {
		name_value(d, en ? "recorded_name" : "recorded_hex", old, en);
		name_value(d, en ? "now_name" : "now_hex", now, en);
	}
}

/* An intent without a result: no recorded outcome to compare with; what
 * happens now is listed under "unknown" */
void replay_unknown_add(struct json_object *unknown, const struct rec *r,
			const struct tsm_call *call)
{
	struct json_object *u = json_object_new_object(), *now;
	char ename[16];

	json_add(u, "seq", json_object_new_int64(r->seq));
	json_add(u, "line", json_object_new_int64(r->line));
	json_add(u, "call", json_object_new_string(r->call));
	now = json_object_new_object();
	json_add(now, "rc", json_object_new_int64(call->rc));
	json_add(now, "errno", json_object_new_int(call->err));
	json_add(now, "errno_name",
		 json_object_new_string(
			 tsm_errno_name(call->err, ename, sizeof(ename))));
	json_add(u, "now", now);
	json_object_array_add(unknown, u);
}

/*
 * Calls whose outcome the trace does not know (an intent record without a
 * result: tsmctl was killed or crashed during the call): re-issued, shown,
 * not compared.
 */
void replay_unknown_note(struct json_object *res, struct json_object *unknown)
{
	size_t nu = json_object_array_length(unknown);
	char note[220];

	if (!nu) {
		json_object_put(unknown);
		return;
	}
	snprintf(
		note, sizeof(note),
		"outcome unknown: %zu call(s) have an intent record and no result in the trace (tsmctl stopped during the call); re-issued, not compared",
		nu);
	json_add(res, "unknown_outcome", unknown);
	json_add(res, "unknown_note", json_object_new_string(note));
}

/*
 * No difference, but calls whose recorded outcome is unknown: the trace
 * cannot confirm them, exit 4 (tsmctl-replay(8)); the summary stays on
 * stdout in text mode.
 */
static int replay_unknown_verdict(struct tsmctl_ctx *ctx,
				  struct json_object *res)
{
	struct json_object *u = json_object_object_get(res, "unknown_outcome");
	struct tsm_err e = { 0 };

	if (!u)
		return 0;
	if (!ctx->json)
		out_text_tree(stdout, res, 0);
	snprintf(
		e.msg, sizeof(e.msg),
		"%zu call(s) of the trace have an intent record and no result: their recorded outcome is unknown",
		json_object_array_length(u));
	snprintf(
		e.hint, sizeof(e.hint),
		"tsmctl stopped during the call when it was recorded; re-issued now, not compared: see unknown_outcome");
	return out_error(ctx, TSM_EXIT_UNCERTAIN, "replay", &e);
}

/* The summary of the differences; exit 1 when there are any */
int replay_verdict(struct tsmctl_ctx *ctx, struct json_object *res,
		   struct json_object *diffs, const struct replay_sum *ld)
{
	size_t nd = json_object_array_length(diffs);
	struct tsm_err e = { 0 };
	char note[200];
	int code = 0;

	if (ld->nnl)
		json_add(res, "netlink_redacted",
			 json_object_new_int((int)ld->redacted));
	if (ld->redacted) {
		snprintf(
			note, sizeof(note),
			"partial match: %u netlink request(s) had replies redacted by dump --bundle, compared by count, kind, length and genetlink header only",
			ld->redacted);
		json_add(res, "note", json_object_new_string(note));
	}
	json_add(res, "differences_count", json_object_new_int((int)nd));
	json_add(res, "match", json_object_new_boolean(!nd));
	if (nd) {
		/* text: the summary on stdout as for a match, the rest on stderr */
		if (!ctx->json)
			out_text_tree(stdout, res, 0);
		snprintf(e.msg, sizeof(e.msg),
			 "%zu outcome(s) differ from the trace", nd);
		if (ld->vmm[0] && ctx->sel.fd < 0 && ctx->sel.pid < 0)
			snprintf(
				e.hint, sizeof(e.hint),
				"the trace was recorded on the VMM's context %s, replayed on a fresh open of the iommufd node (no vdevices): give --pid or --fd for the VMM's context",
				ld->vmm);
		code = out_error(ctx, TSM_EXIT_FAIL, "replay", &e);
		if (!ctx->json) {
			fputs("differences:\n", stderr);
			out_text_tree(stderr, diffs, 2);
		}
	}
	json_add(res, "differences", diffs);
	return code ? code : replay_unknown_verdict(ctx, res);
}
