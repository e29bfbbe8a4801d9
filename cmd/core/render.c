// SPDX-License-Identifier: GPL-2.0
/*
 * Outcomes rendered (render.h): what was sent and what came back, the
 * three result channels (errno, residue, tsm_code) and the completion
 * (docs/cli-contract.md, "Results"), the decoded response. One set of
 * functions for both sinks: a command's json-c document (text mode
 * renders it) and a batch line written straight from the outcome.
 */
#include <string.h>

#include <json-c/json.h>

#include "describe.h"
#include "evidence.h"
#include "evidence_json.h"
#include "exec.h"
#include "exec_link.h"
#include "out.h"
#include "render.h"
#include "x509.h"

/* TDX and CCA parts of a decoded code */
static void tsm_code_arch(struct tsm_emit *em, enum tsm_arch arch,
			  const struct tsm_code_info *ci)
{
	if (arch == TSM_ARCH_TDX) {
		tsm_emit_bool(em, "error_bit", ci->tdx_error);
		tsm_emit_bool(em, "non_recoverable", ci->tdx_non_recoverable);
		tsm_emit_i64(em, "class", (int)ci->tdx_class);
		tsm_emit_u64(em, "detail", ci->tdx_detail);
		if (ci->tdx_operand)
			tsm_emit_str(em, "operand", ci->tdx_operand);
	}
	if (arch != TSM_ARCH_CCA || strncmp(ci->table, "cca-rmi", 7) ||
	    ci->cca_wide)
		return;
	tsm_emit_i64(em, "status", (int)ci->cca_status);
	tsm_emit_i64(em, "index", (int)ci->cca_index);
	if (ci->cca_incomplete_mem_req) {
		tsm_emit_str(em, "memory_request", ci->cca_incomplete_mem_req);
		tsm_emit_bool(em, "can_cancel", ci->cca_can_cancel);
	}
}

void render_tsm_code(struct tsm_emit *em, const char *key, enum tsm_arch arch,
		     enum tsm_cca_table table, uint64_t code)
{
	struct tsm_code_info ci;
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)code);
	tsm_emit_obj(em, key);
	tsm_emit_u64(em, "value", code);
	tsm_emit_str(em, "hex", hex);
	if (tsm_code_decode(arch, table, code, &ci)) {
		tsm_emit_bool(em, "known", false);
		tsm_emit_end(em);
		return;
	}
	tsm_emit_str(em, "table", ci.table);
	tsm_emit_bool(em, "known", ci.known);
	tsm_emit_bool(em, "success", ci.success);
	if (ci.name)
		tsm_emit_str(em, "name", ci.name);
	tsm_emit_str(em, "meaning", ci.meaning);
	tsm_code_arch(em, arch, &ci);
	tsm_emit_end(em);
}

/* An evidence object of the response, decoded (a json-c tree) */
static struct json_object *object_json(const struct tsm_request *r,
				       const uint8_t *b, size_t len)
{
	size_t noff;
	bool has;

	switch (r->objtype) {
	case TSM_OBJ_CERTIFICATE:
		return x509_chain_decode(b, len, NULL);
	case TSM_OBJ_MEASUREMENT:
		return measurements_json(b, len, &noff, &has, NULL);
	case TSM_OBJ_INTERFACE_REPORT:
		return tdisp_report_json(b, len, NULL);
	default:
		return NULL;
	}
}

/* "decoded": the response as its op's decoder reads it */
static void decoded(struct tsm_emit *em, const struct tsm_request *r,
		    const uint8_t *b, size_t len)
{
	struct json_object *o;

	if (!r->entry)
		return;
	if (r->entry->decoder == TSM_DEC_U32_SIZE) {
		tsm_emit_obj(em, "decoded");
		tsm_emit_str(em, "kind", "object_size");
		tsm_emit_bool(em, "valid", len == 4);
		if (len != 4)
			tsm_emit_str(em, "error",
				     "the size is exactly 4 bytes");
		else
			tsm_emit_u64(em, "object_size", ev_le32(b));
		tsm_emit_end(em);
	} else if (r->entry->decoder == TSM_DEC_OBJECT &&
		   (o = object_json(r, b, len))) {
		tsm_emit_json(em, "decoded", o);
	}
}

/* The three result channels and the completion of one TSM_REQ. */
static void req_channels(struct tsm_emit *em, struct tsmctl_ctx *ctx,
			 const struct tsm_request *r,
			 const struct tsm_req_result *o, const uint8_t *resp)
{
	char ename[16];

	tsm_emit_i64(em, "rc", o->call.rc);
	tsm_emit_i64(em, "errno", o->call.err);
	tsm_emit_str(em, "errno_name",
		     tsm_errno_name(o->call.err, ename, sizeof(ename)));
	tsm_emit_i64(em, "residue", o->residue);
	/* A zero code beside an errno is tsmctl's own zero, or one the TSM
	 * left: no word from the TSM, so nothing to decode (never "success") */
	if (o->have_code && (o->code || !o->call.err)) {
		tsm_emit_u64(em, "tsm_code", o->code);
		/* text mode: a zero code is not spelt out unless -v */
		if (o->code || ctx->json || ctx->verbose)
			render_tsm_code(em, "tsm_code_decoded", r->arch,
					r->cca_table, o->code);
	}
	tsm_emit_str(em, "completion",
		     tsm_completion_name(exec_req_completion(r, o)));
	if (o->invalid)
		tsm_emit_str(em, "invalid", o->why);
	tsm_emit_u64(em, "response_len", o->got);
	if (o->got <= 4096 || ctx->verbose)
		tsm_emit_hex(em, "response_hex", resp, o->got);
	if (o->got && !o->invalid)
		decoded(em, r, resp, o->got);
	tsm_emit_u64(em, "duration_us", o->call.duration_us);
}

static void op_result(struct tsm_emit *em, const struct tsm_outcome *oc)
{
	char ename[16];

	tsm_emit_obj(em, "result");
	tsm_emit_str(em, "operation", oc->op_name);
	tsm_emit_u64(em, "vdevice_id", oc->vdevice_id);
	if (oc->device)
		tsm_emit_str(em, "device", oc->device);
	if (oc->issued) {
		tsm_emit_i64(em, "rc", oc->call.rc);
		tsm_emit_i64(em, "errno", oc->call.err);
		tsm_emit_str(em, "errno_name",
			     tsm_errno_name(oc->call.err, ename,
					    sizeof(ename)));
		tsm_emit_str(em, "completion",
			     tsm_completion_name(oc->completion));
		if (oc->op_invalid)
			tsm_emit_str(em, "invalid", oc->op_why);
		tsm_emit_u64(em, "duration_us", oc->call.duration_us);
	}
	tsm_emit_end(em);
}

static void req_result(struct tsm_emit *em, struct tsmctl_ctx *ctx,
		       const struct tsm_outcome *oc)
{
	const struct tsm_profile *p = &ctx->profile;

	tsm_emit_obj(em, "result");
	/* as sent: a size query's answer in resp_len (oc->sized) */
	tsm_describe_request(em, "request", p, tsm_outcome_req(oc));
	if (oc->size_query) {
		tsm_emit_obj(em, "size_query");
		if (oc->sq_issued && !ctx->json && !ctx->verbose &&
		    !oc->sq.call.err && oc->sq.got == 4 && !oc->sq.invalid) {
			/* text mode: the size it gave; -v shows the exchange */
			tsm_emit_str(em, "op", oc->sq_req->op_name);
			tsm_emit_u64(em, "object_size", ev_le32(oc->sq_resp));
		} else if (oc->sq_issued) {
			tsm_describe_request(em, "request", p, oc->sq_req);
			req_channels(em, ctx, oc->sq_req, &oc->sq, oc->sq_resp);
		}
		tsm_emit_end(em);
	}
	if (oc->issued)
		req_channels(em, ctx, tsm_outcome_req(oc), &oc->res, oc->resp);
	tsm_emit_end(em);
}

void render_members(struct tsm_emit *em, struct tsmctl_ctx *ctx,
		    const struct tsm_outcome *oc)
{
	const struct tsm_profile *p = &ctx->profile;
	bool op = oc->kind == TSM_OC_OP;

	if (oc->kind == TSM_OC_SYSFS)
		return render_link(em, oc);
	if (!oc->described)
		return;
	if (!oc->rep.unsent) {
		tsm_emit_bool(em, "dry_run", oc->dry_run);
		tsm_describe_ioctl_cached(em, &ctx->trace.desc, "ioctl",
					  op ? TSM_NAME_OP : TSM_NAME_REQ,
					  op ? &p->op : &p->req, &oc->img,
					  op ? 0 : p->req_kind, op);
	}
	if (op)
		op_result(em, oc);
	else
		req_result(em, ctx, oc);
}

int render_outcome(struct tsmctl_ctx *ctx, const struct tsm_outcome *oc)
{
	struct json_object *doc = out_doc(ctx);
	struct tsm_emit em;

	tsm_emit_tree(&em, doc);
	render_members(&em, ctx, oc);
	return out_report(ctx, &oc->rep);
}

int render_line(struct tsmctl_ctx *ctx, struct tsm_strbuf *b,
		const char *command, unsigned int lineno,
		const struct tsm_outcome *oc)
{
	struct tsm_emit em;

	tsm_emit_text(&em, b);
	tsm_emit_obj(&em, NULL);
	out_header(&em, ctx, command, !oc->rep.stage);
	tsm_emit_i64(&em, "line", lineno);
	render_members(&em, ctx, oc);
	if (oc->rep.stage)
		out_error_emit(&em, &oc->rep);
	out_trace_error(ctx, &em);
	tsm_emit_end(&em);
	if (!em.err)
		em.err = tsm_strbuf_add(b, "\n", 1);
	return em.err;
}
