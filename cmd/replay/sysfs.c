// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl replay: the recorded sysfs writes (connect, lock, a driver
 * unbind, ...; docs/cli-contract.md §4.8, §7). Each is written again
 * below the sysfs root in force (--sysfs, TSMCTL_SYSFS, or /) at the same
 * place below it as recorded, traced write-ahead with "replay_of", and
 * its errno and the device's state read back after it are compared with
 * the recorded ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/opt.h"
#include "core/tracing.h"
#include "link_emit.h"
#include "sysfs.h"
#include "replay.h"

static const char *const steps[] = { "connect", "disconnect", "lock", "unlock",
				     "accept" };

static int bad(struct tsm_err *e, const char *field, const char *why)
{
	tsm_err_set(e, EINVAL, field, NULL, "sysfs record: %s", why);
	return -EINVAL;
}

/* The recorded path below its root ("/sys/...", no "." or ".."), or NULL
 * with @e filled */
static const char *below_root(struct json_object *s, struct tsm_err *e)
{
	const char *root = tsm_trace_str(s, "root");
	const char *path = tsm_trace_str(s, "path");
	const char *why = NULL;
	size_t n = root ? strlen(root) : 0;

	if (!root || !path)
		why = "sysfs.root and sysfs.path are strings";
	else if (strncmp(path, root, n) || strncmp(path + n, "/sys/", 5))
		why = "sysfs.path is not below sysfs.root/sys/";
	else if (strstr(path + n, "/../") || strstr(path + n, "/./") ||
		 strchr(path + n, '\n'))
		why = "sysfs.path has a '..' or '.' component";
	if (why) {
		bad(e, "sysfs.path", why);
		return NULL;
	}
	return path + n;
}

int replay_sysfs_load(struct json_object *line, struct rec *r, unsigned int no,
		      struct tsm_err *e)
{
	struct json_object *s = tsm_trace_get(line, "sysfs");
	const char *step, *data, *bdf, *attr;
	int64_t seq;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->line = no;
	r->call = "sysfs";
	if (tsm_trace_int(line, "seq", "seq", no, &seq, e))
		return -EINVAL;
	r->seq = (unsigned int)seq;
	if (!json_object_is_type(s, json_type_object))
		return bad(e, "sysfs", "no \"sysfs\" object");
	step = tsm_trace_str(s, "step");
	for (i = 0; step && i < ARRAY_SIZE(steps); i++)
		if (!strcmp(step, steps[i]))
			break;
	if (!step || i == ARRAY_SIZE(steps))
		return bad(
			e, "sysfs.step",
			"sysfs.step is none of connect, disconnect, lock, unlock, accept");
	data = tsm_trace_str(s, "data");
	bdf = tsm_trace_str(s, "bdf");
	attr = tsm_trace_str(s, "attr");
	if (!data || !*data || strlen(data) >= TSM_LINK_DATA_MAX)
		return bad(e, "sysfs.data", "sysfs.data is 1 to 63 bytes");
	if (!bdf || tsm_bdf_check(bdf) || !attr)
		return bad(
			e, "sysfs.bdf",
			"sysfs.bdf is a PCI function name, sysfs.attr a string");
	if (!below_root(s, e))
		return -EINVAL;
	r->sys_op = (enum tsm_link_op)i;
	r->is_sysfs = true;
	r->orig = json_object_get(line);
	return 1;
}

/* an emulator without a sysfs fixture must not let a replayed trace
 * connect a real device: the root is named on purpose */
bool replay_sysfs_root_chosen(struct tsmctl_ctx *ctx, unsigned int nsys)
{
	const char *env = getenv("TSMCTL_SYSFS");

	if (!ctx->sysfs && (!env || !*env)) {
		tsmctl_usage_error(
			ctx, "--sysfs", NULL,
			"the trace has %u sysfs write(s) (connect, lock, ...): say where they go with --sysfs DIR (--sysfs / for this machine's sysfs)",
			nsys);
		tsm_err_hint(&ctx->err, "nothing was sent");
		return false;
	}
	return tsmctl_sysfs_root(ctx) != NULL;
}

/* @r's write at the same place below @root as recorded */
static void rebuild(const struct rec *r, const char *root,
		    struct tsm_link_write *w)
{
	struct json_object *s = tsm_trace_get(r->orig, "sysfs");
	const char *data = tsm_trace_str(s, "data");

	memset(w, 0, sizeof(*w));
	w->attr = tsm_trace_str(s, "attr");
	snprintf(w->path, sizeof(w->path), "%s%s", root,
		 below_root(s, &(struct tsm_err){ 0 }));
	w->len = (size_t)snprintf(w->data, sizeof(w->data), "%s", data);
}

/* the state now, as the trace records it */
static struct json_object *state_json(const struct tsm_link_state *st)
{
	struct json_object *o = json_object_new_object(), *v = NULL;
	struct tsm_emit em;

	tsm_emit_tree(&em, o);
	tsm_link_emit_state(&em, "readback", st);
	json_object_object_get_ex(o, "readback", &v);
	json_object_get(v);
	json_object_put(o);
	return v;
}

void replay_sysfs_one(struct tsmctl_ctx *ctx, const char *root, struct rec *r,
		      struct json_object *diffs, struct json_object *unknown)
{
	struct json_object *s = tsm_trace_get(r->orig, "sysfs");
	struct tsm_link_write w;
	struct tsm_link_state after;
	struct tsm_trace_sysfs tr = {
		.step = steps[r->sys_op],
		.root = root,
		.bdf = tsm_trace_str(s, "bdf"),
		.w = &w,
		.replay_of = r->seq,
	};
	unsigned int seq;
	int err;

	rebuild(r, root, &w);
	err = tsmctl_trace_sysfs_intent(ctx, &tr, &seq);
	if (err) /* unrecorded, so not written */
		err = -err;
	else
		err = tsm_link_write(&w);
	tsm_link_read_state(root, tr.bdf, NULL, &after);
	tr.err = err;
	/* replay does not judge: a failed write may have happened */
	tr.completion = err ? TSM_UNCERTAIN : TSM_DONE;
	tr.readback = &after;
	tsmctl_trace_sysfs_result(ctx, seq, &tr);
	if (r->unknown) {
		struct tsm_call now = { .rc = err ? -1 : 0, .err = err };

		replay_unknown_add(unknown, r, &now);
		return;
	}
	replay_cmp(diffs, r, "errno", json_object_new_int(err));
	replay_cmp(diffs, r, "readback", state_json(&after));
}
