// SPDX-License-Identifier: GPL-2.0
/*
 * Issuing one resolved TSM_REQ: the three result channels (errno, residue,
 * tsm_code) and the completion state (cli-contract.md §5), the decoded
 * response, --out, the trace record. A state change is never retried.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "evidence.h"
#include "tsmctl.h"
#include "x509.h"

struct json_object *tsm_code_json(enum tsm_arch arch, enum tsm_cca_table table,
				  uint64_t code)
{
	struct json_object *o = json_object_new_object();
	struct tsm_code_info ci;
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)code);
	json_add(o, "value", json_u64(code));
	json_add(o, "hex", json_object_new_string(hex));
	if (tsm_code_decode(arch, table, code, &ci)) {
		json_add(o, "known", json_object_new_boolean(0));
		return o;
	}
	json_add(o, "table", json_object_new_string(ci.table));
	json_add(o, "known", json_object_new_boolean(ci.known));
	json_add(o, "success", json_object_new_boolean(ci.success));
	if (ci.name)
		json_add(o, "name", json_object_new_string(ci.name));
	json_add(o, "meaning", json_object_new_string(ci.meaning));
	if (arch == TSM_ARCH_TDX) {
		json_add(o, "error_bit", json_object_new_boolean(ci.tdx_error));
		json_add(o, "non_recoverable",
			 json_object_new_boolean(ci.tdx_non_recoverable));
		json_add(o, "class", json_object_new_int((int)ci.tdx_class));
		json_add(o, "detail", json_u64(ci.tdx_detail));
		if (ci.tdx_operand)
			json_add(o, "operand",
				 json_object_new_string(ci.tdx_operand));
	}
	if (arch == TSM_ARCH_CCA && !strncmp(ci.table, "cca-rmi", 7) &&
	    !ci.cca_wide) {
		json_add(o, "status", json_object_new_int((int)ci.cca_status));
		json_add(o, "index", json_object_new_int((int)ci.cca_index));
		if (ci.cca_incomplete_mem_req) {
			json_add(o, "memory_request",
				 json_object_new_string(
					 ci.cca_incomplete_mem_req));
			json_add(o, "can_cancel",
				 json_object_new_boolean(ci.cca_can_cancel));
		}
	}
	return o;
}

struct json_object *resp_decode_json(const struct tsm_request *r,
				     const uint8_t *b, size_t len)
{
	struct json_object *o;
	size_t noff;
	bool has;

	if (!r->entry)
		return NULL;
	switch (r->entry->decoder) {
	case TSM_DEC_U32_SIZE:
		o = json_object_new_object();
		json_add(o, "kind", json_object_new_string("object_size"));
		if (len != 4) {
			json_add(o, "valid", json_object_new_boolean(0));
			json_add(o, "error",
				 json_object_new_string(
					 "the size is exactly 4 bytes"));
			return o;
		}
		json_add(o, "valid", json_object_new_boolean(1));
		json_add(o, "object_size", json_u64(ev_le32(b)));
		return o;
	case TSM_DEC_OBJECT:
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
	default:
		return NULL;
	}
}

/*
 * --out is opened before anything is sent (a path that cannot be written
 * is bad input, exit 2) and truncated only when the response is written:
 * a failed request leaves an existing file as it was.
 */
static int open_out(struct tsmctl_ctx *ctx, const char *path, bool *created)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		tsmctl_usage_error(
			ctx, "--out", path,
			"--out '%s': cannot open for writing: %s (nothing was sent)",
			path, strerror(errno));
	return fd;
}

/* --out not written: a file created for this request is removed */
static void close_out(int fd, const char *path, bool created)
{
	if (fd < 0)
		return;
	close(fd);
	if (created)
		unlink(path);
}

static int write_out(int fd, const char *path, const uint8_t *b, size_t len,
		     struct tsm_err *e)
{
	struct stat st;
	ssize_t n = -1;

	errno = 0;
	/* a regular file is truncated; a pipe or /dev/null just written */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !ftruncate(fd, 0))
		n = write(fd, b, len);
	if (n != (ssize_t)len) {
		tsm_err_set(e, errno ? errno : EIO, "--out", path,
			    "--out '%s': cannot write the response: %s", path,
			    strerror(errno ? errno : EIO));
		snprintf(
			e->hint, sizeof(e->hint),
			"the request itself completed (see result); only the response file was not written");
		return -EIO;
	}
	return 0;
}

/* done / not_started / uncertain, or invalid whatever the errno */
static enum tsm_completion completion_of(const struct tsm_request *r,
					 const struct req_out *o)
{
	if (o->invalid)
		return TSM_INVALID;
	return tsm_classify(r->state_change ? TSM_CALL_REQ_STATE : TSM_CALL_REQ,
			    o->call.err);
}

/* The three result channels and the completion, into @res. */
static void result_json(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			struct json_object *res, const struct req_out *o,
			const uint8_t *resp)
{
	call_json_add(res, &o->call);
	json_add(res, "residue", json_object_new_int64(o->residue));
	/* A zero code beside an errno is tsmctl's own zero, or one the TSM
	 * left: no word from the TSM, so nothing to decode (never "success") */
	if (o->have_code && (o->code || !o->call.err)) {
		json_add(res, "tsm_code", json_u64(o->code));
		json_add(res, "tsm_code_decoded",
			 tsm_code_json(r->arch, r->cca_table, o->code));
	}
	json_add(res, "completion",
		 json_object_new_string(
			 tsm_completion_name(completion_of(r, o))));
	if (o->invalid)
		json_add(res, "invalid", json_object_new_string(o->why));
	json_add(res, "response_len", json_u64(o->got));
	if (o->got <= 4096 || ctx->verbose)
		json_add(res, "response_hex", json_hex(resp, o->got));
	if (o->got && !o->invalid) {
		struct json_object *d = resp_decode_json(r, resp, o->got);

		if (d)
			json_add(res, "decoded", d);
	}
	json_add(res, "duration_us", json_u64(o->call.duration_us));
}

static bool failed(const struct req_out *o)
{
	return o->call.err || o->invalid || (o->have_code && o->code);
}

/* An errno from the kernel, perhaps with the TSM's reason. */
static int report_errno(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			const struct req_out *o, enum tsm_completion comp,
			struct json_object *extra)
{
	enum tsm_call_kind kind = r->state_change ? TSM_CALL_REQ_STATE :
						    TSM_CALL_REQ;
	struct tsm_err e = { .err = o->call.err };
	struct tsm_code_info ci = { 0 };
	bool refused = o->have_code && o->code; /* the TSM said why */
	char ename[16], why[300];

	exec_explain(ctx, kind, o->call.err, r->vdevice_id, why, sizeof(why),
		     e.field, sizeof(e.field));
	snprintf(e.msg, sizeof(e.msg), "%s vdevice %u on %s: %s (%s)",
		 r->op_name, r->vdevice_id, ctx->dev.desc,
		 strerror(o->call.err),
		 tsm_errno_name(o->call.err, ename, sizeof(ename)));
	if (refused) { /* not a guess from errno */
		tsm_code_decode(r->arch, r->cca_table, o->code, &ci);
		snprintf(why, sizeof(why), "the TSM refused it: %s",
			 ci.meaning);
	}
	snprintf(e.hint, sizeof(e.hint), "%s%s", why,
		 comp == TSM_UNCERTAIN && !strstr(why, "may have happened") ?
			 "; the state change may have happened: inspect the TDI state before retrying" :
			 "");
	if (refused) {
		char more[160];

		snprintf(more, sizeof(more), "; TSM error 0x%llx (%s)",
			 (unsigned long long)o->code,
			 ci.name ? ci.name : "unknown");
		if (strlen(e.msg) + strlen(more) < sizeof(e.msg))
			strcat(e.msg, more);
		json_add(extra, "tsm_code", json_u64(o->code));
		if (ci.name)
			json_add(extra, "tsm_code_name",
				 json_object_new_string(ci.name));
	}
	return out_error(ctx,
			 tsm_exit_for(comp, o->call.err,
				      o->have_code ? o->code : 0),
			 "ioctl", &e, extra);
}

/* A return value that is no valid completion: exit 4 or 1. */
static int report_invalid(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			  const struct req_out *o, struct json_object *extra)
{
	struct tsm_err e = { 0 };

	snprintf(e.msg, sizeof(e.msg), "%s vdevice %u: invalid completion: %s",
		 r->op_name, r->vdevice_id, o->why);
	snprintf(e.hint, sizeof(e.hint), "%s",
		 r->state_change ?
			 "a kernel or TSM driver bug; the state change may have happened: inspect the TDI state before retrying, and report it with --trace" :
			 "a kernel or TSM driver bug: report it with --trace");
	json_add(extra, "residue", json_object_new_int64(o->call.rc));
	return out_error(ctx,
			 r->state_change ? TSM_EXIT_UNCERTAIN : TSM_EXIT_FAIL,
			 "result", &e, extra);
}

/* The TSM refused with the ioctl itself successful: exit 3. */
static int report_tsm(struct tsmctl_ctx *ctx, const struct tsm_request *r,
		      const struct req_out *o, struct json_object *extra)
{
	struct tsm_err e = { 0 };
	struct tsm_code_info ci = { 0 };

	tsm_code_decode(r->arch, r->cca_table, o->code, &ci);
	snprintf(e.msg, sizeof(e.msg),
		 "%s vdevice %u on %s: TSM error 0x%llx, %s", r->op_name,
		 r->vdevice_id, ctx->dev.desc, (unsigned long long)o->code,
		 ci.name ? ci.name : "unknown");
	snprintf(
		e.hint, sizeof(e.hint),
		"the TSM refused it, the ioctl itself succeeded: %s; %s tsmctl dump --vdevice %u",
		ci.meaning,
		r->state_change ?
			"inspect the TDI's state before retrying with" :
			"the TDI's state is shown by",
		r->vdevice_id);
	json_add(extra, "tsm_code", json_u64(o->code));
	if (ci.name)
		json_add(extra, "tsm_code_name",
			 json_object_new_string(ci.name));
	return out_error(ctx, TSM_EXIT_TSM, "tsm", &e, extra);
}

static int report_failure(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			  const struct req_out *o)
{
	enum tsm_completion comp = completion_of(r, o);
	struct json_object *extra = json_object_new_object();

	json_add(extra, "completion",
		 json_object_new_string(tsm_completion_name(comp)));
	if (o->invalid)
		return report_invalid(ctx, r, o, extra);
	if (o->call.err)
		return report_errno(ctx, r, o, comp, extra);
	return report_tsm(ctx, r, o, extra);
}

/*
 * A read without --resp-len asks its sizing op first (S30's order): the
 * answer sizes the buffer exactly. Its outcome is result.size_query; a
 * failure there is the command's failure, and nothing else is sent.
 */
static int size_first(struct tsmctl_ctx *ctx, const struct tsm_request *r,
		      struct json_object *res, uint32_t *size)
{
	struct tsm_request *q = calloc(1, sizeof(*q));
	struct json_object *sq = json_object_new_object();
	uint8_t buf[4] = { 0 };
	struct req_out o;
	int rc = 0;

	json_add(res, "size_query", sq);
	if (!q)
		return TSM_EXIT_FAIL;
	req_size_request(r, q);
	rc = req_issue(ctx, q, buf, &o);
	if (rc) {
		free(q);
		return rc == -ENOMEM ? TSM_EXIT_FAIL :
				       exec_trace_failed(ctx, rc);
	}
	json_add(sq, "request", req_request_json(&ctx->profile, q));
	result_json(ctx, q, sq, &o, buf);
	*size = ev_le32(buf);
	if (!failed(&o) && *size > TSM_RESP_MAX) {
		o.invalid = true;
		snprintf(o.why, sizeof(o.why),
			 "%s says %u bytes, more than an object can have (16 MiB)",
			 q->op_name, *size);
	}
	if (failed(&o))
		rc = report_failure(ctx, q, &o);
	free(q);
	return rc;
}

static void write_response(struct tsmctl_ctx *ctx, int *rc, int *out_fd,
			   const char *out_path, const uint8_t *resp,
			   size_t got)
{
	int w = write_out(*out_fd, out_path, resp, got, &ctx->err);

	if (close(*out_fd) && !w) {
		tsm_err_set(&ctx->err, errno, "--out", out_path,
			    "--out '%s': cannot write the response: %s",
			    out_path, strerror(errno));
		w = -EIO;
	}
	if (w)
		*rc = out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err, NULL);
	*out_fd = -1;
}

/* The ioctl description of the document: the struct as (to be) sent. */
static void describe(struct tsmctl_ctx *ctx, const struct tsm_request *r)
{
	const struct tsm_profile *p = &ctx->profile;
	struct tsm_req_args a = {
		.vdevice_id = r->vdevice_id, .scope = r->scope, .op = r->op,
		.tvm_arch = r->arch,	     .req_len = r->req_len,
		.resp_len = r->resp_len,
	};
	struct tsm_image img;

	tsm_build_req(p, &a, &img); /* pointers zero: reproducible */
	out_set(ctx, "ioctl",
		ioctl_json("IOMMU_VDEVICE_TSM_REQ", &p->req, &img, p->req_kind,
			   false));
}

/* Issue @r (resp_len final) and report it in @res; an exit status. */
static int issue_and_report(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			    struct json_object *res, int out_fd,
			    const char *out_path, bool out_created)
{
	uint8_t *resp = req_resp_alloc(r->resp_len);
	struct req_out o;
	int rc = 0;

	if (!resp) {
		close_out(out_fd, out_path, out_created);
		tsm_err_set(&ctx->err, ENOMEM, "--resp-len", NULL,
			    "cannot allocate %u response bytes", r->resp_len);
		return out_error(ctx, TSM_EXIT_FAIL, "setup", &ctx->err, NULL);
	}
	rc = req_issue(ctx, r, resp, &o);
	if (rc) {
		close_out(out_fd, out_path, out_created);
		req_resp_free(resp, r->resp_len);
		if (rc != -ENOMEM)
			return exec_trace_failed(ctx, rc);
		tsm_err_set(&ctx->err, ENOMEM, NULL, NULL,
			    "cannot allocate the request payload");
		return out_error(ctx, TSM_EXIT_FAIL, "setup", &ctx->err, NULL);
	}
	if (r->size_entry && !failed(&o) && o.got != r->resp_len) {
		o.invalid = true;
		snprintf(o.why, sizeof(o.why),
			 "%s returned %zu bytes, %s said the object has %u",
			 r->op_name, o.got, r->size_entry->name, r->resp_len);
	}
	result_json(ctx, r, res, &o, resp);
	if (out_fd >= 0 && !failed(&o))
		write_response(ctx, &rc, &out_fd, out_path, resp, o.got);
	close_out(out_fd, out_path, out_created);
	req_resp_free(resp, r->resp_len);
	if (!rc && failed(&o))
		rc = report_failure(ctx, r, &o);
	return rc;
}

int exec_req(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	     const char *out_path)
{
	struct tsm_request *sized = NULL;
	struct json_object *res;
	bool out_created = false;
	int rc, out_fd = -1;
	uint32_t size;

	out_set(ctx, "dry_run", json_object_new_boolean(ctx->dry_run));
	describe(ctx, r);
	res = json_object_new_object();
	json_add(res, "request", req_request_json(&ctx->profile, r));
	out_set(ctx, "result", res);
	if (ctx->dry_run)
		return 0;
	/* bad input (selection, --trace, --out) before the kernel checks */
	rc = exec_check_sel(ctx);
	if (!rc && out_path) {
		out_fd = open_out(ctx, out_path, &out_created);
		if (out_fd < 0)
			rc = out_unsent_error(ctx);
	}
	if (!rc)
		rc = exec_tsm_guard(ctx, r->state_change);
	if (!rc)
		rc = exec_open_dev(ctx);
	if (!rc && r->size_entry) {
		rc = size_first(ctx, r, res, &size);
		sized = rc ? NULL : malloc(sizeof(*sized));
		if (!rc && !sized)
			rc = TSM_EXIT_FAIL;
	}
	if (rc) {
		close_out(out_fd, out_path, out_created);
		return rc;
	}
	if (sized) {
		*sized = *r;
		sized->resp_len = size;
		describe(ctx, sized);
		r = sized;
	}
	rc = issue_and_report(ctx, r, res, out_fd, out_path, out_created);
	free(sized);
	return rc;
}
