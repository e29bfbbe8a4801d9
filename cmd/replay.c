// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl replay TRACE: re-issue every ioctl of a --trace file on the
 * selected iommufd context (or under tsm-emu) and compare the outcomes
 * (rc, errno, residue, tsm_code, response bytes) with the recorded ones
 * (cli-contract.md §4.5, §7). Exit 0 when all match, 1 when any differs.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonstrict.h"
#include "replay.h"

struct replay_args {
	struct tsmctl_ctx *ctx;
	const char *trace;
};

static error_t replay_parse(int key, char *arg, struct argp_state *state)
{
	struct replay_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = a->ctx;
		return 0;
	case ARGP_KEY_ARG:
		if (a->trace)
			return tsmctl_usage_error(a->ctx, "TRACE", arg,
						  "replay takes one TRACE file, got '%s' too",
						  arg);
		a->trace = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp replay_argp = {
	.options = NULL,
	.parser = replay_parse,
	.args_doc = "TRACE",
	.doc = "Re-issue the ioctls and pci-tsm netlink requests recorded in a "
	       "--trace file and report which outcomes differ.\v"
	       "The iommufd context is the one selected now (-d, --fd, --pid), "
	       "so replay a trace in the context it was recorded against (the "
	       "same VMM, or tsm-emu with the same scenario). Exit status 0 when "
	       "every outcome matches, 1 when any differs, 2 for a malformed "
	       "trace (nothing is sent then).",
	.children = tsmctl_global_children,
};

#define REPLAY_MAX 4096

static int64_t jint(struct json_object *o, const char *k, int64_t def)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v) : def;
}

static const char *jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
			       json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) :
		       NULL;
}

static int load_rec(struct json_object *line, struct rec *r, unsigned int no,
		    struct tsm_err *e)
{
	struct json_object *io, *req;
	const char *hex;
	long n;

	memset(r, 0, sizeof(*r));
	r->seq = (unsigned int)jint(line, "seq", no);
	if (!json_object_object_get_ex(line, "ioctl", &io) ||
	    !(hex = jstr(io, "struct_hex"))) {
		tsm_err_set(e, EINVAL, "ioctl", NULL,
			    "ioctl record without ioctl.struct_hex");
		return -EINVAL;
	}
	r->request = (unsigned long)jint(io, "request", 0);
	if ((r->request & 0xff00) != 0x3b00) {
		tsm_err_set(e, EINVAL, "request", NULL,
			    "request 0x%lx is not an iommufd ioctl", r->request);
		return -EINVAL;
	}
	n = tsm_parse_hex(hex, r->img.b, sizeof(r->img.b), "struct_hex", e);
	if (n < 8)
		return n < 0 ? -EINVAL : (tsm_err_set(e, EINVAL, "struct_hex", NULL,
						      "struct too short (%ld bytes)", n),
					  -EINVAL);
	r->img.len = (uint32_t)n;
	if (json_object_object_get_ex(line, "request", &req)) {
		r->is_req = true;
		hex = jstr(req, "payload_hex");
		r->resp_len = (uint32_t)jint(req, "resp_len", 0);
		if (r->resp_len > TSM_RESP_MAX) {
			tsm_err_set(e, EINVAL, "resp_len", NULL,
				    "resp_len too large");
			return -EINVAL;
		}
		if (hex) {
			r->payload = malloc(strlen(hex) / 2 + 1);
			if (!r->payload)
				return -ENOMEM;
			n = tsm_parse_hex(hex, r->payload, strlen(hex) / 2 + 1,
					  "payload_hex", e);
			if (n < 0) {
				free(r->payload);
				r->payload = NULL;
				return -EINVAL;
			}
			r->payload_len = (uint32_t)n;
		}
	}
	r->orig = json_object_get(line);
	return 0;
}

/* The layout of the recorded struct: the one of the profile in force whose
 * TSM_REQ has this size, else the compiled-in one that does. */
static const struct tsm_layout *req_layout(struct tsmctl_ctx *ctx, uint32_t len)
{
	size_t i;

	if (ctx->profile.req.size == len)
		return &ctx->profile.req;
	for (i = 0; i < tsm_profile_count(); i++)
		if (tsm_profile_at(i)->req.size == len)
			return &tsm_profile_at(i)->req;
	return NULL;
}

void replay_diff(struct json_object *diffs, unsigned int seq, const char *field,
		 struct json_object *recorded, struct json_object *now)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "seq", json_object_new_int((int)seq));
	json_object_object_add(d, "field", json_object_new_string(field));
	json_object_object_add(d, "recorded", recorded);
	json_object_object_add(d, "now", now);
	json_object_array_add(diffs, d);
}

static void cmp(struct json_object *diffs, unsigned int seq, const char *what,
		struct json_object *rec, const char *key, struct json_object *now)
{
	struct json_object *old;

	if (!json_object_object_get_ex(rec, key, &old) ||
	    json_object_equal(old, now)) {
		json_object_put(now);
		return;
	}
	replay_diff(diffs, seq, what, json_object_get(old), now);
}

static void replay_one(struct tsmctl_ctx *ctx, struct rec *r,
		       struct json_object *diffs)
{
	const struct tsm_layout *l = r->is_req ? req_layout(ctx, r->img.len) : NULL;
	uint8_t *resp = calloc(1, r->resp_len ? r->resp_len : 1);
	struct tsm_call call;
	long residue;
	uint64_t code;

	if (l && l->f[TSM_F_REQ_UPTR].size) {
		tsm_image_set(l, &r->img, TSM_F_REQ_UPTR,
			      r->payload_len ? (uint64_t)(uintptr_t)r->payload : 0);
		tsm_image_set(l, &r->img, TSM_F_RESP_UPTR,
			      r->resp_len ? (uint64_t)(uintptr_t)resp : 0);
	}
	/*
	 * struct_hex is recorded after the call, with the kernel's tsm_code
	 * in it. tsmctl sends 0 there: a call that fails before the struct
	 * is copied back must read 0 now, not the recorded value (which
	 * would hide a difference).
	 */
	if (l && tsm_image_get(l, &r->img, TSM_F_TSM_CODE, &code))
		tsm_image_set(l, &r->img, TSM_F_TSM_CODE, 0);
	tsm_dev_ioctl(&ctx->dev, r->request, r->img.b, &call);
	residue = call.rc > 0 ? call.rc : 0;
	cmp(diffs, r->seq, "rc", r->orig, "rc", json_object_new_int64(call.rc));
	cmp(diffs, r->seq, "errno", r->orig, "errno", json_object_new_int(call.err));
	if (r->is_req) {
		cmp(diffs, r->seq, "residue", r->orig, "residue",
		    json_object_new_int64(residue));
		if (l && tsm_image_get(l, &r->img, TSM_F_TSM_CODE, &code))
			cmp(diffs, r->seq, "tsm_code", r->orig, "tsm_code", json_u64(code));
		if (!call.err && r->resp_len && (size_t)residue <= r->resp_len)
			cmp(diffs, r->seq, "response_hex", r->orig, "response_hex",
			    json_hex(resp, r->resp_len - (size_t)residue));
	}
	free(resp);
}

int cmd_replay(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct replay_args a = { .ctx = ctx };
	struct json_object *res, *diffs;
	struct replay_nl nls = { 0 };
	struct rec *recs = NULL;
	unsigned int n = 0, nnl = 0, no = 0, i;
	char where[256];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int code = 0;

	if (tsmctl_parse(ctx, &replay_argp, argc, argv, &a))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (!a.trace) {
		tsmctl_usage_error(ctx, "TRACE", NULL, "missing TRACE (a --trace file)");
		return out_usage_error(ctx);
	}
	if (tsmctl_resolve_abi(ctx))
		return out_usage_error(ctx);
	f = !strcmp(a.trace, "-") ? stdin : fopen(a.trace, "re");
	if (!f) {
		tsmctl_usage_error(ctx, "TRACE", a.trace, "cannot open trace '%s': %s",
				   a.trace, strerror(errno));
		return out_usage_error(ctx);
	}
	recs = calloc(REPLAY_MAX, sizeof(*recs));
	while (recs && (len = getline(&line, &cap, f)) >= 0) {
		struct json_object *o;
		const char *call;

		no++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		memset(&ctx->err, 0, sizeof(ctx->err));
		/* errors name the place as FILE:LINE */
		snprintf(where, sizeof(where), "%s:%u", a.trace, no);
		if (tsm_json_parse_strict(line, (size_t)len, "trace", &o, &ctx->err)) {
			tsm_err_prefix(&ctx->err, where);
			code = out_usage_error(ctx);
			goto out;
		}
		call = jstr(o, "call");
		if (call && (!strcmp(call, "netlink") || !strcmp(call, "ioctl"))) {
			int rc;

			if (n >= REPLAY_MAX) {
				tsmctl_usage_error(ctx, "TRACE", a.trace,
						   "more than %d ioctl and netlink records",
						   REPLAY_MAX);
				rc = -E2BIG;
			} else if (!strcmp(call, "ioctl")) {
				rc = load_rec(o, &recs[n], no, &ctx->err) ?: 1;
			} else {
				rc = replay_nl_load(&nls, o, &recs[n], no, &ctx->err);
				nnl += rc > 0 ? (unsigned int)rc : 0;
			}
			if (rc < 0) {
				json_object_put(o);
				tsm_err_prefix(&ctx->err, where);
				code = out_usage_error(ctx);
				goto out;
			}
			n += (unsigned int)rc;
		}
		json_object_put(o);
	}
	res = json_object_new_object();
	diffs = json_object_new_array();
	json_object_object_add(res, "trace", json_object_new_string(a.trace));
	json_object_object_add(res, "ioctls", json_object_new_int((int)(n - nnl)));
	json_object_object_add(res, "netlink_requests", json_object_new_int((int)nnl));
	out_set(ctx, "result", res);
	if (ctx->dry_run) {
		json_object_put(diffs);
		goto out;
	}
	if (n > nnl) {
		code = exec_open_dev(ctx);
		if (code) {
			json_object_put(diffs);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (recs[i].is_nl)
			replay_nl_one(&nls, &recs[i], diffs);
		else
			replay_one(ctx, &recs[i], diffs);
	}
	if (nnl)
		json_object_object_add(res, "netlink_redacted",
				       json_object_new_int((int)nls.redacted));
	json_object_object_add(res, "differences_count",
			       json_object_new_int((int)json_object_array_length(diffs)));
	json_object_object_add(res, "match",
			       json_object_new_boolean(!json_object_array_length(diffs)));
	if (json_object_array_length(diffs)) {
		struct tsm_err e = { 0 };

		snprintf(e.msg, sizeof(e.msg),
			 "%zu outcome(s) differ from the trace",
			 json_object_array_length(diffs));
		json_object_object_add(res, "differences", diffs);
		code = out_error(ctx, TSM_EXIT_FAIL, "replay", &e, NULL);
		if (!ctx->json)
			out_text_tree(stderr, diffs, 2);
	} else {
		json_object_object_add(res, "differences", diffs);
	}
out:
	for (i = 0; recs && i < n; i++) {
		free(recs[i].payload);
		free(recs[i].msg);
		json_object_put(recs[i].replies);
		json_object_put(recs[i].orig);
	}
	replay_nl_close(&nls);
	free(recs);
	free(line);
	if (f != stdin)
		fclose(f);
	exec_close_dev(ctx);
	return code;
}
