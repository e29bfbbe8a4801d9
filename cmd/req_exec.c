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

static uint32_t field_value(const struct tsm_request *r, const char *name)
{
	const struct tsm_cat_field *f;
	uint32_t v = 0;
	unsigned int i;

	if (!r->entry)
		return 0;
	f = tsm_cat_field_find(r->entry, name);
	if (!f || f->off + f->size > r->req_len)
		return 0;
	for (i = 0; i < f->size && i < 4; i++)
		v |= (uint32_t)r->payload[f->off + i] << (8 * i);
	return v;
}

struct json_object *resp_decode_json(const struct tsm_request *r,
				     const uint8_t *b, size_t len)
{
	struct json_object *o;
	size_t noff;
	bool has;
	uint32_t v;

	if (!r->entry)
		return NULL;
	switch (r->entry->decoder) {
	case TSM_DEC_U32_SIZE:
		o = json_object_new_object();
		json_add(o, "kind", json_object_new_string("object_size"));
		if (len < 4) {
			json_add(o, "valid", json_object_new_boolean(0));
			json_add(
				o, "error",
				json_object_new_string(
					"response shorter than the 4-byte size"));
			return o;
		}
		v = ev_le32(b);
		json_add(o, "valid", json_object_new_boolean(1));
		json_add(o, "object_size", json_u64(v));
		return o;
	case TSM_DEC_OBJECT:
		switch (field_value(r, "object_type")) {
		case 1:
			return x509_chain_decode(b, len, NULL);
		case 2:
			return measurements_json(b, len, &noff, &has, NULL);
		case 3:
			return tdisp_report_json(b, len, NULL);
		default:
			return NULL;
		}
	default:
		return NULL;
	}
}

static struct json_object *request_json(const struct tsm_request *r)
{
	struct json_object *o = json_object_new_object();
	unsigned int i, b;

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
	json_add(o, "state_change", json_object_new_boolean(r->state_change));
	json_add(o, "forced", json_object_new_boolean(r->forced));
	json_add(o, "payload_len", json_u64(r->req_len));
	json_add(o, "payload_hex", json_hex(r->payload, r->req_len));
	if (r->entry && r->entry->payload_published) {
		struct json_object *f = json_object_new_object();

		for (i = 0; i < r->entry->nfields; i++) {
			const struct tsm_cat_field *cf = &r->entry->fields[i];
			uint64_t v = 0;
			const char *vn;
			char key[40];

			if (cf->off + cf->size > r->req_len)
				continue;
			for (b = 0; b < cf->size; b++)
				v |= (uint64_t)r->payload[cf->off + b]
				     << (8 * b);
			json_object_object_add(f, cf->name, json_u64(v));
			vn = tsm_cat_value_name(cf, v);
			if (vn) {
				snprintf(key, sizeof(key), "%s_name", cf->name);
				json_object_object_add(
					f, key, json_object_new_string(vn));
			}
		}
		json_add(o, "fields", f);
	}
	json_add(o, "resp_len", json_u64(r->resp_len));
	return o;
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

/*
 * The zeroed response buffer. From RESP_MMAP_MIN up it comes from mmap:
 * zero pages, faulted in only where the response lands, where calloc
 * would clear all of it (read-object's natural 64 KiB, on every batch
 * line) to receive a few dozen bytes. glibc does the same from 128 KiB.
 */
#define RESP_MMAP_MIN (16u * 1024)

static uint8_t *resp_alloc(uint32_t len)
{
	void *p;

	if (len < RESP_MMAP_MIN)
		return calloc(1, len ? len : 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void resp_free(uint8_t *b, uint32_t len)
{
	if (len < RESP_MMAP_MIN)
		free(b);
	else if (b)
		munmap(b, len);
}

/*
 * The trace record of one TSM_REQ: struct with pointers zeroed, payloads
 * as hex. Built only when a trace is open (exec_open_dev opened it): a
 * batch line would otherwise pay for a second description of the call.
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
	json_add(t, "request", request_json(r));
	call_json_add(t, call);
	json_add(t, "residue", json_object_new_int64(residue));
	if (tsm_image_get(&p->req, img, TSM_F_TSM_CODE, &code))
		json_add(t, "tsm_code", json_u64(code));
	json_add(t, "response_hex", json_hex(resp, got));
	json_add(t, "duration_us", json_u64(call->duration_us));
	trace_result(ctx, seq, t);
}

/* The intent record's "request" (payload, response length), for
 * traced_ioctl(); NULL without a trace. */
struct json_object *trace_req_extra(struct tsmctl_ctx *ctx,
				    const struct tsm_request *r)
{
	struct json_object *t;

	if (ctx->trace_fd < 0)
		return NULL;
	t = json_object_new_object();
	json_add(t, "request", request_json(r));
	return t;
}

int exec_req(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	     const char *out_path)
{
	const struct tsm_profile *p = &ctx->profile;
	enum tsm_call_kind kind = r->state_change ? TSM_CALL_REQ_STATE :
						    TSM_CALL_REQ;
	struct tsm_req_args a = { 0 };
	struct json_object *res, *extra, *io;
	enum tsm_completion comp;
	struct tsm_image img;
	struct tsm_call call;
	unsigned int seq;
	uint8_t *resp = NULL, *req = NULL;
	uint64_t code = 0;
	bool have_code, bad_residue = false;
	size_t got = 0;
	long residue = 0;
	char ename[16], why[300];
	int rc, out_fd = -1;
	bool out_created = false;

	a.vdevice_id = r->vdevice_id;
	a.scope = r->scope;
	a.op = r->op;
	a.tvm_arch = r->arch;
	a.req_len = r->req_len;
	a.resp_len = r->resp_len;
	tsm_build_req(p, &a, &img); /* pointers zero: reproducible */
	out_set(ctx, "dry_run", json_object_new_boolean(ctx->dry_run));
	io = ioctl_json("IOMMU_VDEVICE_TSM_REQ", &p->req, &img, p->req_kind,
			false);
	out_set(ctx, "ioctl", io);
	res = json_object_new_object();
	json_add(res, "request", request_json(r));
	out_set(ctx, "result", res);
	if (ctx->dry_run)
		return 0;
	rc = r->state_change ? detect_guard(ctx) : 0;
	if (!rc && out_path) {
		out_fd = open_out(ctx, out_path, &out_created);
		if (out_fd < 0)
			rc = out_unsent_error(ctx);
	}
	if (!rc)
		rc = exec_open_dev(ctx);
	if (rc) {
		close_out(out_fd, out_path, out_created);
		return rc;
	}
	req = calloc(1, r->req_len ? r->req_len : 1);
	resp = resp_alloc(r->resp_len);
	if (!req || !resp) {
		free(req);
		resp_free(resp, r->resp_len);
		close_out(out_fd, out_path, out_created);
		tsm_err_set(&ctx->err, ENOMEM, "--resp-len", NULL,
			    "cannot allocate %u response bytes", r->resp_len);
		return out_error(ctx, TSM_EXIT_FAIL, "setup", &ctx->err, NULL);
	}
	memcpy(req, r->payload, r->req_len);
	tsm_image_set(&p->req, &img, TSM_F_REQ_UPTR,
		      r->req_len ? (uint64_t)(uintptr_t)req : 0);
	tsm_image_set(&p->req, &img, TSM_F_RESP_UPTR,
		      r->resp_len ? (uint64_t)(uintptr_t)resp : 0);
	/* the intent: the struct as built, pointers still zero */
	rc = traced_ioctl(ctx, tsm_request_code(p->req.nr), img.b,
			  ctx->trace_fd < 0 ? NULL : json_object_get(io),
			  trace_req_extra(ctx, r), &call, &seq);
	if (rc) {
		free(req);
		resp_free(resp, r->resp_len);
		close_out(out_fd, out_path, out_created);
		return exec_trace_failed(ctx, rc);
	}
	have_code = tsm_image_get(&p->req, &img, TSM_F_TSM_CODE, &code);
	if (call.rc > 0)
		residue = call.rc;
	if (!call.err) {
		size_t offered = r->resp_len ? r->resp_len : r->req_len;

		if ((size_t)residue > offered)
			bad_residue = true;
		else if (r->resp_len)
			got = r->resp_len - (size_t)residue;
	}
	trace_req(ctx, seq, r, &img, &call, residue, resp, got);

	comp = tsm_classify(kind, call.err);
	if (bad_residue && r->state_change)
		comp = TSM_UNCERTAIN;
	call_json_add(res, &call);
	json_add(res, "residue", json_object_new_int64(residue));
	if (have_code) {
		json_add(res, "tsm_code", json_u64(code));
		json_add(res, "tsm_code_decoded",
			 tsm_code_json(r->arch, r->cca_table, code));
	}
	json_add(res, "completion",
		 json_object_new_string(tsm_completion_name(comp)));
	json_add(res, "response_len", json_u64(got));
	if (got <= 4096 || ctx->verbose)
		json_add(res, "response_hex", json_hex(resp, got));
	if (got) {
		struct json_object *d = resp_decode_json(r, resp, got);

		if (d)
			json_add(res, "decoded", d);
	}
	json_add(res, "duration_us", json_u64(call.duration_us));
	rc = 0;
	if (out_fd >= 0 && !call.err && !bad_residue) {
		int w = write_out(out_fd, out_path, resp, got, &ctx->err);

		if (close(out_fd) && !w) {
			tsm_err_set(&ctx->err, errno, "--out", out_path,
				    "--out '%s': cannot write the response: %s",
				    out_path, strerror(errno));
			w = -EIO;
		}
		if (w)
			rc = out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err,
				       NULL);
		out_fd = -1;
	}
	close_out(out_fd, out_path, out_created);
	free(req);
	resp_free(resp, r->resp_len);
	if (rc)
		return rc;

	if (call.err || bad_residue || (have_code && code)) {
		struct tsm_err e = { .err = call.err };
		struct tsm_code_info ci = { 0 };
		bool refused = have_code && code; /* the TSM said why */
		int exit_code;

		if (refused)
			tsm_code_decode(r->arch, r->cca_table, code, &ci);
		extra = json_object_new_object();
		json_add(extra, "completion",
			 json_object_new_string(tsm_completion_name(comp)));
		if (call.err) {
			exec_explain(ctx, kind, call.err, r->vdevice_id, why,
				     sizeof(why));
			snprintf(e.msg, sizeof(e.msg),
				 "%s vdevice %u on %s: %s (%s)", r->op_name,
				 r->vdevice_id, ctx->dev.desc,
				 strerror(call.err),
				 tsm_errno_name(call.err, ename,
						sizeof(ename)));
			if (refused) /* not a guess from errno */
				snprintf(why, sizeof(why),
					 "the TSM refused it: %s", ci.meaning);
			snprintf(
				e.hint, sizeof(e.hint), "%s%s", why,
				comp == TSM_UNCERTAIN &&
						!strstr(why,
							"may have happened") ?
					"; the state change may have happened: inspect the TDI state before retrying" :
					"");
			if (refused) {
				char more[160];

				snprintf(more, sizeof(more),
					 "; TSM error 0x%llx (%s)",
					 (unsigned long long)code,
					 ci.name ? ci.name : "unknown");
				if (strlen(e.msg) + strlen(more) <
				    sizeof(e.msg))
					strcat(e.msg, more);
				json_add(extra, "tsm_code", json_u64(code));
				if (ci.name)
					json_add(extra, "tsm_code_name",
						 json_object_new_string(
							 ci.name));
			}
			exit_code = tsm_exit_for(comp, call.err,
						 have_code ? code : 0);
			return out_error(ctx, exit_code, "ioctl", &e, extra);
		}
		if (bad_residue) {
			snprintf(
				e.msg, sizeof(e.msg),
				"%s vdevice %u: kernel returned residue %ld, larger than the %u bytes offered",
				r->op_name, r->vdevice_id, residue,
				r->resp_len ? r->resp_len : r->req_len);
			snprintf(
				e.hint, sizeof(e.hint),
				"a kernel or TSM driver bug: report it with --trace");
			json_add(extra, "residue",
				 json_object_new_int64(residue));
			return out_error(ctx,
					 comp == TSM_UNCERTAIN ?
						 TSM_EXIT_UNCERTAIN :
						 TSM_EXIT_FAIL,
					 "result", &e, extra);
		}
		snprintf(e.msg, sizeof(e.msg),
			 "%s vdevice %u on %s: TSM error 0x%llx, %s",
			 r->op_name, r->vdevice_id, ctx->dev.desc,
			 (unsigned long long)code,
			 ci.name ? ci.name : "unknown");
		snprintf(
			e.hint, sizeof(e.hint),
			"the TSM refused it, the ioctl itself succeeded: %s; %s tsmctl dump --vdevice %u",
			ci.meaning,
			r->state_change ?
				"inspect the TDI's state before retrying with" :
				"the TDI's state is shown by",
			r->vdevice_id);
		json_add(extra, "tsm_code", json_u64(code));
		if (ci.name)
			json_add(extra, "tsm_code_name",
				 json_object_new_string(ci.name));
		return out_error(ctx, TSM_EXIT_TSM, "tsm", &e, extra);
	}
	return 0;
}
