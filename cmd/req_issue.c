// SPDX-License-Identifier: GPL-2.0
/*
 * One TSM_REQ on the wire: the caller's buffers (payload, response, and
 * the nonce a regen-object payload points at), the ioctl, its trace
 * record, and whether what came back is a valid completion at all
 * (docs/kernel-abi.md, "Completion rules"): a residue larger than the
 * bytes offered, or a negative return other than -1, is invalid.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <json-c/json.h>

#include "evidence.h"
#include "tsmctl.h"

/* The payload fields as numbers, with their value names. */
static struct json_object *fields_json(const struct tsm_profile *p,
				       const struct tsm_request *r)
{
	struct json_object *f = json_object_new_object();
	unsigned int i;

	for (i = 0; i < r->entry->nfields; i++) {
		struct tsm_cat_field tmp;
		const struct tsm_cat_field *cf =
			tsm_cat_field_in(&r->entry->fields[i], p, &tmp);
		uint64_t v = tsm_cat_field_get(cf, r->payload, r->req_len);
		const char *vn;
		char key[40];

		if (cf->off + cf->size > r->req_len)
			continue;
		json_object_object_add(f, cf->name, json_u64(v));
		vn = tsm_cat_value_name(cf, v);
		if (vn) {
			snprintf(key, sizeof(key), "%s_name", cf->name);
			json_object_object_add(f, key,
					       json_object_new_string(vn));
		}
	}
	return f;
}

struct json_object *req_request_json(const struct tsm_profile *p,
				     const struct tsm_request *r)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "vdevice_id", json_u64(r->vdevice_id));
	if (r->scope_era) {
		json_add(o, "scope", json_object_new_int((int)r->scope));
		json_add(o, "scope_name",
			 json_object_new_string(tsm_scope_name(r->scope)));
	}
	if (r->arch)
		json_add(o, "arch",
			 json_object_new_string(tsm_arch_name(r->arch)));
	json_add(o, "op", json_object_new_string(r->op_name));
	if (!r->scope_era)
		json_add(o, "op_number", json_u64(r->op));
	if (r->entry && r->entry->opid >= 0 && !r->scope_era &&
	    !tsm_opnum_confirmed(p, (enum tsm_req_opid)r->entry->opid))
		json_add(o, "op_number_confirmed",
			 json_object_new_boolean(0));
	json_add(o, "state_change", json_object_new_boolean(r->state_change));
	json_add(o, "forced", json_object_new_boolean(r->forced));
	json_add(o, "payload_len", json_u64(r->req_len));
	/* a nonce pointer reads 0 here, as struct pointers do */
	json_add(o, "payload_hex", json_hex(r->payload, r->req_len));
	if (r->have_nonce) {
		json_add(o, "nonce_off", json_u64(r->nonce_off));
		json_add(o, "nonce_hex", json_hex(r->nonce, sizeof(r->nonce)));
	}
	if (r->entry && r->entry->payload_published)
		json_add(o, "fields", fields_json(p, r));
	json_add(o, "resp_len", json_u64(r->resp_len));
	if (r->size_entry)
		json_add(o, "resp_len_from",
			 json_object_new_string(r->size_entry->name));
	return o;
}

/*
 * The zeroed response buffer. From RESP_MMAP_MIN up it comes from mmap:
 * zero pages, faulted in only where the response lands, where calloc
 * would clear all of it to receive a few dozen bytes. glibc does the same
 * from 128 KiB.
 */
#define RESP_MMAP_MIN (16u * 1024)

uint8_t *req_resp_alloc(uint32_t len)
{
	void *p;

	if (len < RESP_MMAP_MIN)
		return calloc(1, len ? len : 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void req_resp_free(uint8_t *b, uint32_t len)
{
	if (len < RESP_MMAP_MIN)
		free(b);
	else if (b)
		munmap(b, len);
}

/*
 * The trace record of one TSM_REQ: struct with pointers zeroed, payloads
 * as hex, a nonce's bytes apart from its pointer. Built only when a trace
 * is open: a batch line would otherwise pay for a second description.
 */
void trace_req(struct tsmctl_ctx *ctx, unsigned int seq,
	       const struct tsm_request *r, struct tsm_image *img,
	       const struct tsm_call *call, long residue, const uint8_t *resp,
	       size_t got)
{
	const struct tsm_profile *p = &ctx->profile;
	struct json_object *t;
	uint64_t code;

	if (ctx->trace_fd < 0)
		return;
	t = json_object_new_object();
	tsm_image_set(&p->req, img, TSM_F_REQ_UPTR, 0);
	tsm_image_set(&p->req, img, TSM_F_RESP_UPTR, 0);
	json_add(t, "ioctl",
		 ioctl_json("IOMMU_VDEVICE_TSM_REQ", &p->req, img, p->req_kind,
			    false));
	json_add(t, "request", req_request_json(p, r));
	call_json_add(t, call);
	json_add(t, "residue", json_object_new_int64(residue));
	if (tsm_image_get(&p->req, img, TSM_F_TSM_CODE, &code))
		json_add(t, "tsm_code", json_u64(code));
	json_add(t, "response_hex", json_hex(resp, got));
	json_add(t, "duration_us", json_u64(call->duration_us));
	trace_result(ctx, seq, t);
}

struct json_object *trace_req_extra(struct tsmctl_ctx *ctx,
				    const struct tsm_request *r)
{
	struct json_object *t;

	if (ctx->trace_fd < 0)
		return NULL;
	t = json_object_new_object();
	json_add(t, "request", req_request_json(&ctx->profile, r));
	return t;
}

/* The intent's "ioctl": the struct as built, user pointers still zero. */
static struct json_object *intent_io(struct tsmctl_ctx *ctx,
				     const struct tsm_req_args *a)
{
	const struct tsm_profile *p = &ctx->profile;
	struct tsm_image img;

	if (ctx->trace_fd < 0)
		return NULL;
	tsm_build_req(p, a, &img);
	return ioctl_json("IOMMU_VDEVICE_TSM_REQ", &p->req, &img, p->req_kind,
			  false);
}

/* The completion rules that apply to every profile. */
static void check_valid(const struct tsm_request *r, struct req_out *o)
{
	size_t offered = r->resp_len ? r->resp_len : r->req_len;

	if (o->call.rc < -1) {
		o->invalid = true;
		snprintf(o->why, sizeof(o->why),
			 "the kernel returned %ld: neither a residue nor -1 with an errno",
			 o->call.rc);
		return;
	}
	if (o->call.err)
		return;
	o->residue = o->call.rc;
	if ((size_t)o->residue > offered) {
		o->invalid = true;
		snprintf(o->why, sizeof(o->why),
			 "the kernel returned residue %ld, larger than the %zu bytes offered",
			 o->residue, offered);
		return;
	}
	if (r->resp_len)
		o->got = r->resp_len - (size_t)o->residue;
	if (r->entry && r->entry->resp_exact && o->got != r->resp_len) {
		o->invalid = true;
		snprintf(o->why, sizeof(o->why),
			 "%s answered %zu bytes, not exactly %u", r->op_name,
			 o->got, r->resp_len);
	}
}

int req_issue(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	      uint8_t *resp, struct req_out *o)
{
	const struct tsm_profile *p = &ctx->profile;
	struct tsm_req_args a = {
		.vdevice_id = r->vdevice_id, .scope = r->scope, .op = r->op,
		.tvm_arch = r->arch,	     .req_len = r->req_len,
		.resp_len = r->resp_len,
	};
	uint8_t *req, nonce[TSM_CAT_NONCE_LEN];
	uint64_t np = (uint64_t)(uintptr_t)nonce;
	struct json_object *io = intent_io(ctx, &a);
	unsigned int b, seq;
	int rc;

	memset(o, 0, sizeof(*o));
	req = calloc(1, r->req_len ? r->req_len : 1);
	if (!req) {
		json_object_put(io);
		return -ENOMEM;
	}
	memcpy(req, r->payload, r->req_len);
	/* the nonce lives here for the call; the payload points at it */
	memcpy(nonce, r->nonce, sizeof(nonce));
	for (b = 0; r->have_nonce && b < 8; b++)
		req[r->nonce_off + b] = (uint8_t)(np >> (8 * b));
	a.req_uptr = r->req_len ? (uint64_t)(uintptr_t)req : 0;
	a.resp_uptr = r->resp_len ? (uint64_t)(uintptr_t)resp : 0;
	tsm_build_req(p, &a, &o->img);
	/* write-ahead: the intent record goes out before the ioctl */
	rc = traced_ioctl(ctx, tsm_request_code(p->req.nr), o->img.b, io,
			  trace_req_extra(ctx, r), &o->call, &seq);
	free(req);
	if (rc)
		return rc; /* unrecorded, so not sent */
	o->have_code = tsm_image_get(&p->req, &o->img, TSM_F_TSM_CODE,
				     &o->code);
	check_valid(r, o);
	trace_req(ctx, seq, r, &o->img, &o->call, o->residue, resp, o->got);
	return 0;
}

/*
 * Before a read without --resp-len: the sizing op (object-info) of the
 * same object, its own ioctl in the trace. Its payload takes the read's
 * values for the fields both have (object_type), constants otherwise.
 */
void req_size_request(const struct tsm_request *r, struct tsm_request *q)
{
	const struct tsm_cat_entry *se = r->size_entry;
	unsigned int i, b;

	memset(q, 0, sizeof(*q));
	q->entry = se;
	snprintf(q->op_name, sizeof(q->op_name), "%s", se->name);
	q->vdevice_id = r->vdevice_id;
	q->arch = r->arch;
	q->op = r->size_op;
	q->scope = se->scope;
	q->scope_era = r->scope_era;
	q->req_len = se->req_len;
	q->resp_len = se->resp_len;
	q->cca_table = r->cca_table;
	q->objtype = r->objtype;
	for (i = 0; i < se->nfields; i++) {
		const struct tsm_cat_field *f = &se->fields[i];
		const struct tsm_cat_field *rf =
			tsm_cat_field_find(r->entry, f->name);
		uint64_t v = f->fixed || !rf ? f->def :
					       tsm_cat_field_get(rf, r->payload,
								 r->req_len);

		for (b = 0; b < f->size && f->off + b < q->req_len; b++)
			q->payload[f->off + b] = (uint8_t)(v >> (8 * b));
	}
}
