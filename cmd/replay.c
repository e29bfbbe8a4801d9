// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl replay TRACE: re-issue every ioctl of a --trace file on the
 * selected iommufd context (or under tsm-emu) and compare the outcomes
 * (rc, errno, residue, tsm_code, response bytes) with the recorded ones
 * (docs/cli-contract.md §4.5, §7). Exit 0 when all match, 1 when any differs.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <json-c/json.h>

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/tracing.h"
#include "lines.h"
#include "replay/replay.h"

struct replay_args {
	struct tsmctl_ctx *ctx;
	const char *trace;
};

static error_t replay_parse(int key, char *arg, struct argp_state *state)
{
	struct replay_args *a = state->input;

	switch (key) {
	case ARGP_KEY_ARG:
		if (a->trace)
			return tsmctl_usage_error(
				a->ctx, "TRACE", arg,
				"replay takes one TRACE file, got '%s' too",
				arg);
		a->trace = arg;
		return 0;
	default:
		return tsmctl_parse_default(a->ctx, key, arg, state);
	}
}

const struct tsmctl_spec replay_spec = {
	.opts = NULL,
	.parser = replay_parse,
	.args_doc = "TRACE",
	.doc = "Re-issue the ioctls, sysfs writes and pci-tsm netlink requests "
	       "recorded in a --trace file and report which outcomes differ.\v"
	       "The iommufd context is the one selected now (-d, --fd, --pid), "
	       "so replay a trace in the context it was recorded against (the "
	       "same VMM, or tsm-emu with the same scenario); sysfs writes go "
	       "below --sysfs DIR. Exit status 0 when "
	       "every outcome matches, 1 when any differs, 2 for a malformed "
	       "trace (nothing is sent then).",
};

#define REPLAY_MAX 4096
#define IOMMU_OPTION_CODE 0x3b87UL /* dump's RLIMIT_MODE probe */
#define IOMMU_OPTION_SIZE 24

/*
 * What replay re-issues, by request code: TSM_OP and TSM_REQ of the
 * selected profile and IOMMU_OPTION. Anything else could hand the kernel
 * pointers from the trace, or do something replay knows nothing about.
 */
static int classify(struct tsmctl_ctx *ctx, struct rec *r, uint32_t len,
		    struct tsm_err *e)
{
	const struct tsm_profile *p = &ctx->profile;
	uint32_t size;

	if (p->op.nr && r->request == tsm_request_code(p->op.nr)) {
		r->call = TSM_NAME_OP;
		if (len < 8 || len > 16) {
			tsm_err_set(
				e, EINVAL, "ioctl.struct_hex", NULL,
				"TSM_OP struct of %u bytes: 8 to 16 are replayed",
				len);
			return -EINVAL;
		}
	} else if (p->req.nr && r->request == tsm_request_code(p->req.nr)) {
		r->call = TSM_NAME_REQ;
		r->is_req = true;
		if (len != p->req.size) {
			tsm_err_set(
				e, EINVAL, "ioctl.struct_hex", NULL,
				"TSM_REQ struct of %u bytes, profile %s has %u: no layout to put replay's buffers in",
				len, p->name, p->req.size);
			return -EINVAL;
		}
	} else if (r->request == IOMMU_OPTION_CODE) {
		r->call = "IOMMU_OPTION";
		if (len != IOMMU_OPTION_SIZE) {
			tsm_err_set(
				e, EINVAL, "ioctl.struct_hex", NULL,
				"IOMMU_OPTION struct of %u bytes, expected %d",
				len, IOMMU_OPTION_SIZE);
			return -EINVAL;
		}
	} else {
		char ops[24] = "none in this profile";

		if (p->op.nr)
			snprintf(ops, sizeof(ops), "0x%lx",
				 tsm_request_code(p->op.nr));
		tsm_err_set(
			e, EINVAL, "ioctl.request", NULL,
			"request 0x%lx is not replayed: only TSM_OP (%s) and TSM_REQ (0x%lx) of profile %s and IOMMU_OPTION (0x%lx) are",
			r->request, ops, tsm_request_code(p->req.nr), p->name,
			IOMMU_OPTION_CODE);
		return -EINVAL;
	}
	memcpy(&size, r->img.b, sizeof(size));
	if (size != len) {
		tsm_err_set(
			e, EINVAL, "ioctl.struct_hex", NULL,
			"the struct's size field says %u bytes, struct_hex has %u",
			size, len);
		return -EINVAL;
	}
	return 0;
}

/* request.nonce_hex (32 bytes) and request.nonce_off (a u64 pointer slot
 * inside the payload), when the request carried a nonce. */
static int load_nonce(struct json_object *req, struct rec *r, struct tsm_err *e)
{
	const char *hex = tsm_trace_str(req, "nonce_hex");
	int64_t off;

	if (!tsm_trace_get(req, "nonce_hex"))
		return 0;
	if (!hex || tsm_parse_hex(hex, r->nonce, sizeof(r->nonce),
				  "request.nonce_hex", e) != TSM_CAT_NONCE_LEN) {
		tsm_err_set(e, EINVAL, "request.nonce_hex", NULL,
			    "request.nonce_hex must be %u bytes of hex",
			    TSM_CAT_NONCE_LEN);
		return -EINVAL;
	}
	if (tsm_trace_int(req, "nonce_off", "request.nonce_off", 0, &off, e))
		return -EINVAL;
	if (off < 0 || (uint64_t)off + 8 > r->payload_len) {
		tsm_err_set(e, EINVAL, "request.nonce_off", NULL,
			    "request.nonce_off %lld: the pointer must lie inside the %u-byte payload",
			    (long long)off, r->payload_len);
		return -EINVAL;
	}
	r->have_nonce = true;
	r->nonce_off = (uint32_t)off;
	return 0;
}

/* A TSM_REQ record's "request": the payload and response length, which
 * must be the ones in the struct (the kernel reads and writes that much). */
static int load_req(struct tsmctl_ctx *ctx, struct json_object *line,
		    struct rec *r, struct tsm_err *e)
{
	const struct tsm_layout *l = &ctx->profile.req;
	struct json_object *req = tsm_trace_get(line, "request");
	uint64_t slen = 0;
	const char *hex;
	int64_t v;
	long n;

	if (!json_object_is_type(req, json_type_object)) {
		tsm_err_set(
			e, EINVAL, "request", NULL,
			"TSM_REQ record without a \"request\" object (payload and response length): replay cannot rebuild its buffers (an older tsmctl dump wrote such a probe line; remove it or record the trace again)");
		return -EINVAL;
	}
	if (tsm_trace_int(req, "resp_len", "request.resp_len", 0, &v, e))
		return -EINVAL;
	if (v < 0 || v > TSM_RESP_MAX) {
		tsm_err_set(e, EINVAL, "request.resp_len", NULL,
			    "request.resp_len %lld out of range (0..%u)",
			    (long long)v, TSM_RESP_MAX);
		return -EINVAL;
	}
	r->resp_len = (uint32_t)v;
	hex = tsm_trace_str(req, "payload_hex");
	if (tsm_trace_get(req, "payload_hex") && !hex) {
		tsm_err_set(e, EINVAL, "request.payload_hex", NULL,
			    "request.payload_hex must be a string");
		return -EINVAL;
	}
	if (hex) {
		r->payload = malloc(strlen(hex) / 2 + 1);
		if (!r->payload)
			return -ENOMEM;
		n = tsm_parse_hex(hex, r->payload, strlen(hex) / 2 + 1,
				  "request.payload_hex", e);
		if (n < 0)
			return -EINVAL;
		r->payload_len = (uint32_t)n;
	}
	if (load_nonce(req, r, e))
		return -EINVAL;
	if (tsm_image_get(l, &r->img, TSM_F_REQ_LEN, &slen) &&
	    slen != r->payload_len) {
		tsm_err_set(
			e, EINVAL, "ioctl.struct_hex", NULL,
			"req_len %llu in the struct, request.payload_hex has %u bytes",
			(unsigned long long)slen, r->payload_len);
		return -EINVAL;
	}
	if (tsm_image_get(l, &r->img, TSM_F_RESP_LEN, &slen) &&
	    slen != r->resp_len) {
		tsm_err_set(
			e, EINVAL, "ioctl.struct_hex", NULL,
			"resp_len %llu in the struct, request.resp_len is %u",
			(unsigned long long)slen, r->resp_len);
		return -EINVAL;
	}
	return 0;
}

static int load_rec(struct tsmctl_ctx *ctx, struct json_object *line,
		    struct rec *r, unsigned int no, struct tsm_err *e)
{
	struct json_object *io;
	const char *hex;
	int64_t v;
	long n;

	memset(r, 0, sizeof(*r));
	r->line = no;
	if (tsm_trace_int(line, "seq", "seq", no, &v, e))
		return -EINVAL;
	r->seq = (unsigned int)v;
	io = tsm_trace_get(line, "ioctl");
	if (!json_object_is_type(io, json_type_object) ||
	    !(hex = tsm_trace_str(io, "struct_hex"))) {
		tsm_err_set(e, EINVAL, "ioctl", NULL,
			    "ioctl record without ioctl.struct_hex");
		return -EINVAL;
	}
	if (!tsm_trace_get(io, "request")) {
		tsm_err_set(e, EINVAL, "ioctl.request", NULL,
			    "ioctl record without ioctl.request");
		return -EINVAL;
	}
	if (tsm_trace_int(io, "request", "ioctl.request", 0, &v, e))
		return -EINVAL;
	r->request = (unsigned long)v;
	n = tsm_parse_hex(hex, r->img.b, sizeof(r->img.b), "ioctl.struct_hex",
			  e);
	if (n < 0)
		return -EINVAL;
	r->img.len = (uint32_t)n;
	if (classify(ctx, r, r->img.len, e) ||
	    (r->is_req && load_req(ctx, line, r, e)))
		return -EINVAL;
	r->orig = json_object_get(line);
	return 0;
}

/*
 * A re-issued call as the trace records it (so the new trace replays in
 * turn), with "replay_of" the recorded call's seq; IOMMU_OPTION keeps its
 * recorded field names.
 */
static struct tsm_trace_ioctl replay_rec(struct tsmctl_ctx *ctx,
					 const struct rec *r)
{
	const struct tsm_profile *p = &ctx->profile;
	struct tsm_trace_ioctl t = {
		.name = r->call,
		.request = r->request,
		.img = &r->img,
		.kind = p->req_kind,
		.is_op = !r->is_req,
		.replay_of = r->seq,
	};

	if (r->is_req) {
		t.layout = &p->req;
		t.request_json = tsm_trace_get(r->orig, "request");
		t.req_result = true;
	} else if (!strcmp(r->call, "IOMMU_VDEVICE_TSM_OP")) {
		t.layout = &p->op;
	} else {
		t.fields_json = tsm_trace_get(tsm_trace_get(r->orig, "ioctl"),
					      "fields");
	}
	return t;
}

/* Our buffers in the struct, never a pointer from the trace; a nonce
 * pointer in the payload is re-pointed at our copy of its bytes */
static void own_buffers(const struct tsm_layout *l, struct rec *r,
			uint8_t *resp)
{
	uint64_t code;

	for (unsigned int b = 0; r->have_nonce && b < 8; b++)
		r->payload[r->nonce_off + b] =
			(uint8_t)((uint64_t)(uintptr_t)r->nonce >> (8 * b));
	tsm_image_set(l, &r->img, TSM_F_REQ_UPTR,
		      r->payload_len ? (uint64_t)(uintptr_t)r->payload : 0);
	tsm_image_set(l, &r->img, TSM_F_RESP_UPTR,
		      r->resp_len ? (uint64_t)(uintptr_t)resp : 0);
	/*
	 * struct_hex is recorded after the call, with the kernel's tsm_code
	 * in it. tsmctl sends 0 there: a call that fails before the struct
	 * is copied back must read 0 now, not the recorded value (which
	 * would hide a difference).
	 */
	if (tsm_image_get(l, &r->img, TSM_F_TSM_CODE, &code))
		tsm_image_set(l, &r->img, TSM_F_TSM_CODE, 0);
}

/* The outcome now against the recorded one */
static void compare(struct tsmctl_ctx *ctx, struct rec *r,
		    const struct tsm_call *call, long residue,
		    const uint8_t *resp, struct json_object *diffs)
{
	const struct tsm_layout *l = &ctx->profile.req;
	uint64_t code;

	replay_cmp(diffs, r, "rc", json_object_new_int64(call->rc));
	replay_cmp(diffs, r, "errno", json_object_new_int(call->err));
	if (!r->is_req)
		return;
	replay_cmp(diffs, r, "residue", json_object_new_int64(residue));
	if (tsm_image_get(l, &r->img, TSM_F_TSM_CODE, &code))
		replay_cmp(diffs, r, "tsm_code", json_u64(code));
	if (!call->err && r->resp_len && (size_t)residue <= r->resp_len)
		replay_cmp(diffs, r, "response_hex",
		    json_hex(resp, r->resp_len - (size_t)residue));
}

static void replay_one(struct tsmctl_ctx *ctx, struct rec *r,
		       struct json_object *diffs, struct json_object *unknown)
{
	uint8_t *resp = calloc(1, r->resp_len ? r->resp_len : 1);
	struct tsm_trace_ioctl t = replay_rec(ctx, r);
	struct tsm_call call;
	unsigned int seq;
	long residue;
	int rc;

	if (!resp)
		return;
	if (r->is_req)
		own_buffers(&ctx->profile.req, r, resp);
	rc = tsmctl_trace_intent(ctx, &t, &seq);
	if (rc) /* unrecorded, so not sent */
		call = (struct tsm_call){ .rc = -1, .err = -rc };
	else
		tsm_dev_ioctl(&ctx->dev, r->request, r->img.b, &call);
	residue = call.rc > 0 ? call.rc : 0;
	t.call = &call;
	t.residue = residue;
	t.resp = resp;
	t.resp_len = !call.err && (size_t)residue <= r->resp_len ?
			     r->resp_len - (size_t)residue :
			     0;
	tsmctl_trace_result(ctx, seq, &t);
	if (r->unknown)
		replay_unknown_add(unknown, r, &call);
	else
		compare(ctx, r, &call, residue, resp, diffs);
	free(resp);
}

/*
 * "abi" of a trace line: the profile it was recorded with must be the
 * selected one (the structs are re-sent as they are), and one trace one
 * profile. @first keeps the first one seen and its line.
 */
static int check_abi(struct tsmctl_ctx *ctx, struct json_object *o, bool needed,
		     char *first, size_t flen, unsigned int *first_no,
		     unsigned int no)
{
	struct json_object *v = tsm_trace_get(o, "abi");
	const struct tsm_profile *p;
	const char *abi;

	if (!v) {
		if (!needed)
			return 0;
		tsmctl_usage_error(
			ctx, "abi", NULL,
			"record without \"abi\" (the ABI profile it was recorded with)");
		return -EINVAL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		tsmctl_usage_error(ctx, "abi", json_object_to_json_string(v),
				   "\"abi\" must be a profile name, got %s",
				   json_object_to_json_string(v));
		return -EINVAL;
	}
	p = tsm_profile_find(json_object_get_string(v));
	abi = p ? p->name : json_object_get_string(v);
	if (!*first_no) {
		snprintf(first, flen, "%s", abi);
		*first_no = no;
	} else if (strcmp(first, abi)) {
		tsmctl_usage_error(
			ctx, "abi", abi,
			"the trace mixes ABI profiles: this line was recorded with %s, line %u with %s",
			abi, *first_no, first);
		tsm_err_hint(
			&ctx->err,
			"replay the lines of each profile separately; nothing was sent");
		return -EINVAL;
	}
	if (p && !strcmp(ctx->abi_source, "fallback")) {
		/*
		 * auto found no profile in the kernel's BTF: the trace says
		 * which ABI the kernel it was recorded on speaks, also when
		 * it is the fallback's, and no-TSM does not refuse it.
		 * Re-sent on a kernel without it, the calls come back ENOTTY
		 * and the differences say so (tsmctl-replay(8)).
		 */
		ctx->profile = *p;
		ctx->abi_source = "trace";
		ctx->abi_no_tsm = false;
		snprintf(ctx->abi_reason, sizeof(ctx->abi_reason),
			 "auto: no profile in the kernel's BTF; the trace was recorded with %s",
			 p->name);
	}
	if (strcmp(abi, ctx->profile.name)) {
		tsmctl_usage_error(
			ctx, "--abi", ctx->profile.name,
			"the trace was recorded with ABI profile %s, the selected profile is %s (%s%s): run with --abi %s",
			abi, ctx->profile.name,
			ctx->abi_source[0] == 'b' || ctx->abi_source[0] == 'f' ?
				"auto: " :
				"",
			ctx->abi_source[0] == 'b' || ctx->abi_source[0] == 'f' ?
				ctx->abi_source :
				ctx->abi_origin,
			abi);
		tsm_err_hint(
			&ctx->err,
			"replay re-sends the recorded structs as they are; nothing was sent");
		return -EINVAL;
	}
	return 0;
}

/*
 * A line that does not parse: FILE:LINE and the parser's reason; when it
 * is the last line and cut short, say so (a crash while writing leaves one).
 */
static void parse_error(struct tsmctl_ctx *ctx, struct tsm_lines *in)
{
	bool last = true, cut = in->cut;
	char *l;
	size_t n;
	int rc;

	while (!cut && (rc = tsm_lines_next(in, &l, &n)) != 0)
		if (rc < 0 || strspn(l, " \t\r") != n) {
			last = false;
			break;
		}
	snprintf(ctx->err.field, sizeof(ctx->err.field), "TRACE");
	if (last && (cut || strstr(ctx->err.msg, "end of input")))
		tsm_err_hint(
			&ctx->err,
			"the last line is incomplete, as a crash while writing the trace leaves it: remove it to replay the lines before it");
}

/* One ioctl, sysfs or netlink record into recs[*n]: 0, or -errno with
 * ctx->err. */
static int load_one(struct tsmctl_ctx *ctx, struct json_object *o,
		    const char *call, struct rec *recs, unsigned int *n,
		    unsigned int *nnl, struct replay_nl *nls, unsigned int no)
{
	bool sys = !strcmp(call, "sysfs");
	struct rec *r = &recs[*n];
	int rc;

	if (*n >= REPLAY_MAX) {
		tsmctl_usage_error(
			ctx, "TRACE", NULL,
			"more than %d ioctl, sysfs and netlink records",
			REPLAY_MAX);
		return -E2BIG;
	}
	if (sys || !strcmp(call, "ioctl")) {
		enum tsm_trace_phase phase = tsm_trace_phase_of(o);

		/* a result replaces the intent of its seq just before it */
		if (*n && recs[*n - 1].unknown &&
		    tsm_trace_completes(o, recs[*n - 1].seq)) {
			r = &recs[--*n];
			free(r->payload);
			json_object_put(r->orig);
		}
		if (sys)
			rc = replay_sysfs_load(o, r, no, &ctx->err);
		else
			rc = load_rec(ctx, o, r, no, &ctx->err) ? -EINVAL : 1;
		r->unknown = phase == TSM_TRACE_INTENT;
	} else {
		rc = replay_nl_load(nls, o, r, no, &ctx->err);
		*nnl += rc > 0 ? (unsigned int)rc : 0;
	}
	if (rc > 0)
		*n += (unsigned int)rc;
	else if (rc < 0 && r->payload)
		(*n)++; /* freed with the others */
	return rc < 0 ? rc : 0;
}

/* What load_trace() has read so far */
struct load {
	struct rec *recs;
	unsigned int n, nnl, nsys; /* records, of them netlink, sysfs */
	struct replay_nl *nls;
	char abi[TSM_PROFILE_NAME_MAX]; /* of the first record, at line abi_no */
	unsigned int abi_no;
	char vmm[64]; /* the last "open" of a VMM's context ("pid N fd M") */
};

/* An "open" of a VMM's iommufd ("pid N fd M"): kept for the hint */
static void note_vmm(struct json_object *o, struct load *ld)
{
	const char *dev = tsm_trace_str(o, "device");

	if (dev && !strncmp(dev, "pid ", 4))
		snprintf(ld->vmm, sizeof(ld->vmm), "%s", dev);
}

/* One non-blank line: 0, or -errno with ctx->err (its place prefixed) */
static int load_line(struct tsmctl_ctx *ctx, struct tsm_lines *in,
		     const char *line, size_t len, const char *where,
		     struct load *ld)
{
	struct json_object *o = NULL;
	const char *call;
	bool rec;
	int rc;

	memset(&ctx->err, 0, sizeof(ctx->err));
	rc = tsm_trace_parse(line, len, where, &o, &ctx->err);
	if (rc == -EINVAL) {
		parse_error(ctx, in);
		return rc;
	}
	if (!rc && !(call = tsm_trace_str(o, "call"))) {
		tsmctl_usage_error(ctx, "call", NULL,
				   "trace record without \"call\" (a string)");
		rc = -EINVAL;
	} else if (!rc) {
		rec = !strcmp(call, "ioctl") || !strcmp(call, "netlink");
		if (!strcmp(call, "open"))
			note_vmm(o, ld);
		/* a sysfs write is the same under every ABI profile */
		if (strcmp(call, "sysfs"))
			rc = check_abi(ctx, o, rec, ld->abi, sizeof(ld->abi),
				       &ld->abi_no, in->no);
		if (!rc && (rec || !strcmp(call, "sysfs")))
			rc = load_one(ctx, o, call, ld->recs, &ld->n, &ld->nnl,
				      ld->nls, in->no);
	}
	json_object_put(o);
	if (rc < 0)
		tsm_err_prefix(&ctx->err, where);
	return rc < 0 ? rc : 0;
}

/* Read and check the whole trace into ld->recs; nothing is sent. */
static int load_trace(struct tsmctl_ctx *ctx, const char *trace, int fd,
		      struct load *ld)
{
	char where[256];
	struct tsm_lines in;
	char *line;
	size_t len;
	int rc = 0, got;

	tsm_lines_init(&in, fd, TSM_TRACE_LINE_MAX);
	while (!rc && ((got = tsm_lines_next(&in, &line, &len)) > 0 ||
		       got == -E2BIG)) {
		/* errors name the place as FILE:LINE, once */
		snprintf(where, sizeof(where), "%s:%u", trace, in.no);
		if (got < 0) {
			tsmctl_usage_error(ctx, "TRACE", NULL,
					   "%s: longer than %u MiB", where,
					   TSM_TRACE_LINE_MAX >> 20);
			rc = -EINVAL;
		} else if (strspn(line, " \t\r") != len) {
			rc = load_line(ctx, &in, line, len, where, ld);
		}
	}
	if (!rc && got < 0) {
		tsmctl_usage_error(ctx, "TRACE", trace,
				   "cannot read trace '%s': %s", trace,
				   strerror(-got));
		rc = -EIO;
	}
	for (unsigned int i = 0; !rc && i < ld->n; i++)
		ld->nsys += ld->recs[i].is_sysfs;
	if (!rc && !ld->n) {
		tsmctl_usage_error(
			ctx, "TRACE", trace,
			"nothing to replay: '%s' has no ioctl, sysfs or pci-tsm netlink record",
			trace);
		rc = -ENODATA;
	}
	tsm_lines_free(&in);
	return rc;
}

/* Every record re-issued and compared */
static int replay_all(struct tsmctl_ctx *ctx, struct json_object *res,
		      struct load *ld)
{
	struct json_object *diffs = json_object_new_array();
	struct json_object *unknown = json_object_new_array();
	struct replay_sum sum = { .nnl = ld->nnl, .vmm = ld->vmm };
	const char *root = tsmctl_sysfs_root(ctx);
	unsigned int i;

	for (i = 0; i < ld->n; i++) {
		if (ld->recs[i].is_sysfs)
			replay_sysfs_one(ctx, root, &ld->recs[i], diffs,
					 unknown);
		else if (ld->recs[i].is_nl)
			replay_nl_one(ld->nls, &ld->recs[i], diffs);
		else
			replay_one(ctx, &ld->recs[i], diffs, unknown);
	}
	sum.redacted = ld->nls->redacted; /* counted as replayed */
	replay_unknown_note(res, unknown);
	return replay_verdict(ctx, res, diffs, &sum);
}

/* Before anything is sent: the trace writable, the kernel not against
 * the profile (docs/cli-contract.md, "ABI profiles"), the context open */
static int replay_checks(struct tsmctl_ctx *ctx, const struct load *ld,
			 bool open)
{
	struct tsm_report rep;

	/* a --trace that cannot be written stops before anything is sent,
	 * also when only netlink requests (no open) are replayed */
	unsigned int nio = ld->n - ld->nnl - ld->nsys;

	if (!ctx->dry_run && tsmctl_trace_start(ctx))
		return out_usage_error(ctx);
	if (ld->nsys && !ctx->dry_run && !replay_sysfs_root_chosen(ctx, ld->nsys))
		return out_usage_error(ctx);
	if (!ctx->dry_run && nio && exec_tsm_guard(ctx, true, &rep))
		return out_report(ctx, &rep);
	if (open && nio && exec_open_dev(ctx, &rep))
		return out_report(ctx, &rep);
	return 0;
}

static int replay_run(struct tsmctl_ctx *ctx, const char *trace, int fd,
		      struct load *ld)
{
	struct json_object *res;
	int code, rc;

	rc = load_trace(ctx, trace, fd, ld);
	tsmctl_say_abi(ctx); /* the profile used: the trace's under auto */
	if (rc) {
		/* a record-level field names its key; the file is the value */
		if (!strcmp(ctx->err.field, "TRACE") && !ctx->err.value[0])
			snprintf(ctx->err.value, sizeof(ctx->err.value), "%s",
				 trace);
		return out_usage_error(ctx);
	}
	code = replay_checks(ctx, ld, false);
	if (code)
		return code;
	res = json_object_new_object();
	json_add(res, "trace", json_object_new_string(trace));
	json_add(res, "ioctls",
		 json_object_new_int((int)(ld->n - ld->nnl - ld->nsys)));
	json_add(res, "sysfs_writes", json_object_new_int((int)ld->nsys));
	json_add(res, "netlink_requests", json_object_new_int((int)ld->nnl));
	out_set(ctx, "dry_run", json_object_new_boolean(ctx->dry_run));
	out_set(ctx, "result", res);
	if (ctx->dry_run) {
		json_add(res, "calls", replay_dry_calls(ld->recs, ld->n));
		return 0;
	}
	code = replay_checks(ctx, ld, true);
	return code ? code : replay_all(ctx, res, ld);
}

/* The TRACE argument opened: a descriptor, or -1 after a usage error */
static int open_trace(struct tsmctl_ctx *ctx, const char *trace)
{
	int fd;

	if (!trace) {
		tsmctl_usage_error(ctx, "TRACE", NULL,
				   "missing TRACE (a --trace file)");
		return -1;
	}
	ctx->abi_by_replay = true; /* the TRACE names it (check_abi()) */
	if (tsmctl_resolve_abi(ctx))
		return -1;
	fd = !strcmp(trace, "-") ? STDIN_FILENO :
				   open(trace, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tsmctl_usage_error(ctx, "TRACE", trace,
				   "cannot open trace '%s': %s", trace,
				   strerror(errno));
	return fd;
}

int cmd_replay(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct replay_args a = { .ctx = ctx };
	struct replay_nl nls = { .ctx = ctx };
	struct load ld = { .nls = &nls };
	unsigned int i;
	int fd, code;

	if (tsmctl_parse(ctx, &replay_spec, argc, argv, &a, NULL))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	fd = open_trace(ctx, a.trace);
	if (fd < 0)
		return out_usage_error(ctx);
	ld.recs = calloc(REPLAY_MAX, sizeof(*ld.recs));
	code = ld.recs ? replay_run(ctx, a.trace, fd, &ld) :
			 out_error(ctx, TSM_EXIT_FAIL, "replay",
				   &(struct tsm_err){ .msg = "out of memory" });
	for (i = 0; ld.recs && i < ld.n; i++) {
		free(ld.recs[i].payload);
		free(ld.recs[i].msg);
		replay_nl_free(&ld.recs[i]);
		json_object_put(ld.recs[i].orig);
	}
	replay_nl_close(&nls);
	free(ld.recs);
	if (fd != STDIN_FILENO)
		close(fd);
	exec_close_dev(ctx);
	return code;
}
