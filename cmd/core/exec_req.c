// SPDX-License-Identifier: GPL-2.0
/*
 * One TSM_REQ on the wire (exec.h): the caller's buffers (payload,
 * response, and the nonce a regen-object payload points at), the ioctl
 * traced write-ahead, and whether what came back is a valid completion at
 * all (docs/kernel-abi.md, "Completion rules"): a residue larger than the
 * bytes offered, or a negative return other than -1, is invalid. A read
 * without --resp-len asks its sizing op first. A state change is never
 * retried.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "evidence.h"
#include "exec.h"
#include "opt.h"
#include "tracing.h"
#include "tsmcode.h"

/*
 * The zeroed response buffer. From RESP_MMAP_MIN up it comes from mmap:
 * zero pages, faulted in only where the response lands, where calloc
 * would clear all of it to receive a few dozen bytes. glibc does the same
 * from 128 KiB.
 */
#define RESP_MMAP_MIN (16u * 1024)

uint8_t *exec_resp_alloc(uint32_t len)
{
	void *p;

	if (len < RESP_MMAP_MIN)
		return calloc(1, len ? len : 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void exec_resp_free(uint8_t *b, uint32_t len)
{
	if (len < RESP_MMAP_MIN)
		free(b);
	else if (b)
		munmap(b, len);
}

static struct tsm_req_args req_args(const struct tsm_request *r)
{
	return (struct tsm_req_args){
		.vdevice_id = r->vdevice_id,
		.scope = r->scope,
		.op = r->op,
		.tvm_arch = r->arch,
		.req_len = r->req_len,
		.resp_len = r->resp_len,
	};
}

/* The TSM_REQ record of the trace for @r (struct and request) */
static void req_record(struct tsmctl_ctx *ctx, const struct tsm_request *r,
		       const struct tsm_image *img, struct tsm_trace_ioctl *rec)
{
	const struct tsm_profile *p = &ctx->profile;

	memset(rec, 0, sizeof(*rec));
	rec->name = TSM_NAME_REQ;
	rec->request = tsm_request_code(p->req.nr);
	rec->img = img;
	rec->layout = &p->req;
	rec->kind = p->req_kind;
	rec->p = p;
	rec->req = r;
}

/* The completion rules that apply to every profile. */
static void check_valid(const struct tsm_request *r, struct tsm_req_result *o)
{
	size_t offered = r->resp_len ? r->resp_len : r->req_len;

	if (o->call.rc < -1) {
		o->invalid = true;
		snprintf(
			o->why, sizeof(o->why),
			"the kernel returned %ld: neither a residue nor -1 with an errno",
			o->call.rc);
		return;
	}
	if (o->call.err)
		return;
	o->residue = o->call.rc;
	if ((size_t)o->residue > offered) {
		o->invalid = true;
		snprintf(
			o->why, sizeof(o->why),
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

/* The result record: the struct as the kernel left it */
static void req_result_record(struct tsmctl_ctx *ctx, unsigned int seq,
			      const struct tsm_request *r,
			      struct tsm_req_result *o, const uint8_t *resp)
{
	struct tsm_trace_ioctl rec;

	if (!tsmctl_tracing(ctx))
		return;
	req_record(ctx, r, &o->img, &rec);
	rec.call = &o->call;
	rec.req_result = true;
	rec.residue = o->residue;
	rec.resp = resp;
	rec.resp_len = o->got;
	tsmctl_trace_result(ctx, seq, &rec);
}

/*
 * Issue @r into @resp (r->resp_len bytes), traced write-ahead: -ENOMEM,
 * or -errno when the intent record could not be written (nothing sent).
 */
static int req_issue(struct tsmctl_ctx *ctx, const struct tsm_request *r,
		     uint8_t *resp, struct tsm_req_result *o)
{
	const struct tsm_profile *p = &ctx->profile;
	struct tsm_req_args a = req_args(r);
	uint8_t *req, nonce[TSM_CAT_NONCE_LEN];
	uint64_t np = (uint64_t)(uintptr_t)nonce;
	struct tsm_trace_ioctl rec;
	unsigned int b, seq;
	int rc;

	memset(o, 0, sizeof(*o));
	req = calloc(1, r->req_len ? r->req_len : 1);
	if (!req)
		return -ENOMEM;
	memcpy(req, r->payload, r->req_len);
	/* the nonce lives here for the call; the payload points at it */
	memcpy(nonce, r->nonce, sizeof(nonce));
	for (b = 0; r->have_nonce && b < 8; b++)
		req[r->nonce_off + b] = (uint8_t)(np >> (8 * b));
	a.req_uptr = r->req_len ? (uint64_t)(uintptr_t)req : 0;
	a.resp_uptr = r->resp_len ? (uint64_t)(uintptr_t)resp : 0;
	tsm_build_req(p, &a, &o->img);
	req_record(ctx, r, &o->img, &rec);
	rc = tsmctl_trace_intent(ctx, &rec, &seq);
	if (!rc)
		tsm_dev_ioctl(&ctx->dev, rec.request, o->img.b, &o->call);
	free(req);
	if (rc)
		return rc; /* unrecorded, so not sent */
	o->have_code =
		tsm_image_get(&p->req, &o->img, TSM_F_TSM_CODE, &o->code);
	check_valid(r, o);
	req_result_record(ctx, seq, r, o, resp);
	return 0;
}

/*
 * The sizing request (object-info) of a read without --resp-len: its
 * payload takes the read's values for the fields both have
 * (object_type), constants otherwise.
 */
static void req_size_request(const struct tsm_request *r, struct tsm_request *q)
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

static bool failed(const struct tsm_req_result *o)
{
	return o->call.err || o->invalid || (o->have_code && o->code);
}

/* done / not_started / uncertain, or invalid whatever the errno */
enum tsm_completion exec_req_completion(const struct tsm_request *r,
					const struct tsm_req_result *o)
{
	if (o->invalid)
		return TSM_INVALID;
	return tsm_classify(r->state_change ? TSM_CALL_REQ_STATE : TSM_CALL_REQ,
			    o->call.err);
}

/* An errno from the kernel, perhaps with the TSM's reason. */
static void report_errno(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			 const struct tsm_req_result *o, struct tsm_report *rep)
{
	enum tsm_call_kind kind = r->state_change ? TSM_CALL_REQ_STATE :
						    TSM_CALL_REQ;
	struct tsm_code_info ci = { 0 };
	bool refused = o->have_code && o->code; /* the TSM said why */
	char ename[16], why[300], more[160];

	rep->e.err = o->call.err;
	exec_explain(ctx, kind, o->call.err, r->vdevice_id, why, sizeof(why),
		     rep->e.field, sizeof(rep->e.field));
	snprintf(rep->e.msg, sizeof(rep->e.msg), "%s vdevice %u on %s: %s (%s)",
		 r->op_name, r->vdevice_id, ctx->dev.desc,
		 strerror(o->call.err),
		 tsm_errno_name(o->call.err, ename, sizeof(ename)));
	if (refused) { /* not a guess from errno */
		tsm_code_decode(r->arch, r->cca_table, o->code, &ci);
		snprintf(why, sizeof(why), "the TSM refused it: %s",
			 ci.meaning);
	}
	snprintf(
		rep->e.hint, sizeof(rep->e.hint), "%s%s", why,
		rep->completion == TSM_UNCERTAIN &&
				!strstr(why, "may have happened") ?
			"; the state change may have happened: inspect the TDI state before retrying" :
			"");
	rep->stage = "ioctl";
	rep->code = tsm_exit_for(rep->completion, o->call.err,
				 o->have_code ? o->code : 0);
	if (!refused)
		return;
	snprintf(more, sizeof(more), "; TSM error 0x%llx (%s)",
		 (unsigned long long)o->code, ci.name ? ci.name : "unknown");
	if (strlen(rep->e.msg) + strlen(more) < sizeof(rep->e.msg))
		strcat(rep->e.msg, more);
	rep->has_code = true;
	rep->tsm_code = o->code;
	rep->tsm_code_name = ci.name;
}

/* A return value that is no valid completion: exit 4 or 1. */
static void report_invalid(const struct tsm_request *r,
			   const struct tsm_req_result *o,
			   struct tsm_report *rep)
{
	snprintf(rep->e.msg, sizeof(rep->e.msg),
		 "%s vdevice %u: invalid completion: %s", r->op_name,
		 r->vdevice_id, o->why);
	snprintf(
		rep->e.hint, sizeof(rep->e.hint), "%s",
		r->state_change ?
			"a kernel or TSM driver bug; the state change may have happened: inspect the TDI state before retrying, and report it with --trace" :
			"a kernel or TSM driver bug: report it with --trace");
	rep->has_residue = true;
	rep->residue = o->call.rc;
	rep->stage = "result";
	rep->code = r->state_change ? TSM_EXIT_UNCERTAIN : TSM_EXIT_FAIL;
}

/* The TSM refused with the ioctl itself successful: exit 3. */
static void report_tsm(struct tsmctl_ctx *ctx, const struct tsm_request *r,
		       const struct tsm_req_result *o, struct tsm_report *rep)
{
	struct tsm_code_info ci = { 0 };

	tsm_code_decode(r->arch, r->cca_table, o->code, &ci);
	snprintf(rep->e.msg, sizeof(rep->e.msg),
		 "%s vdevice %u on %s: TSM error 0x%llx, %s", r->op_name,
		 r->vdevice_id, ctx->dev.desc, (unsigned long long)o->code,
		 ci.name ? ci.name : "unknown");
	snprintf(
		rep->e.hint, sizeof(rep->e.hint),
		"the TSM refused it, the ioctl itself succeeded: %s; %s tsmctl list --vdevice %u",
		ci.meaning,
		r->state_change ?
			"inspect the TDI's state before retrying with" :
			"the TDI's state is shown by",
		r->vdevice_id);
	rep->has_code = true;
	rep->tsm_code = o->code;
	rep->tsm_code_name = ci.name;
	rep->stage = "tsm";
	rep->code = TSM_EXIT_TSM;
}

static int report_failure(struct tsmctl_ctx *ctx, const struct tsm_request *r,
			  const struct tsm_req_result *o,
			  struct tsm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->has_completion = true;
	rep->completion = exec_req_completion(r, o);
	if (o->invalid)
		report_invalid(r, o, rep);
	else if (o->call.err)
		report_errno(ctx, r, o, rep);
	else
		report_tsm(ctx, r, o, rep);
	return rep->code;
}

/* -ENOMEM or a trace failure of req_issue() as the report */
static int issue_failed(struct tsmctl_ctx *ctx, int rc, struct tsm_report *rep)
{
	if (rc != -ENOMEM)
		return exec_trace_failed(ctx, rc, rep);
	memset(rep, 0, sizeof(*rep));
	tsm_err_set(&rep->e, ENOMEM, NULL, NULL,
		    "cannot allocate the request payload");
	rep->stage = "setup";
	rep->code = TSM_EXIT_FAIL;
	return rep->code;
}

/*
 * A read without --resp-len asks its sizing op first (S30's order): the
 * answer sizes the buffer exactly. Its outcome is result.size_query; a
 * failure there is the command's failure, and nothing else is sent.
 */
static int size_first(struct tsmctl_ctx *ctx, struct tsm_outcome *oc,
		      uint32_t *size)
{
	const struct tsm_request *r = oc->req;
	struct tsm_req_result o;
	int rc;

	oc->size_query = true;
	oc->sq_req = calloc(1, sizeof(*oc->sq_req));
	if (!oc->sq_req)
		return oc->rep.code = TSM_EXIT_FAIL;
	req_size_request(r, oc->sq_req);
	rc = req_issue(ctx, oc->sq_req, oc->sq_resp, &oc->sq);
	if (rc)
		return issue_failed(ctx, rc, &oc->rep);
	oc->sq_issued = true;
	o = oc->sq;
	*size = ev_le32(oc->sq_resp);
	if (!failed(&o) && *size > TSM_RESP_MAX) {
		o.invalid = true;
		snprintf(
			o.why, sizeof(o.why),
			"%s says %u bytes, more than an object can have (16 MiB)",
			oc->sq_req->op_name, *size);
	}
	return failed(&o) ? report_failure(ctx, oc->sq_req, &o, &oc->rep) : 0;
}

/*
 * --out is opened before anything is sent (a path that cannot be written
 * is bad input, exit 2) and truncated only when the response is written:
 * a failed request leaves an existing file as it was.
 */
static int open_out(struct tsmctl_ctx *ctx, struct exec_out *out,
		    struct tsm_report *rep)
{
	out->fd =
		open(out->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	out->created = out->fd >= 0;
	if (out->fd < 0 && errno == EEXIST)
		out->fd = open(out->path, O_WRONLY | O_CLOEXEC);
	if (out->fd >= 0)
		return 0;
	tsmctl_usage_error(
		ctx, "--out", out->path,
		"--out '%s': cannot open for writing: %s (nothing was sent)",
		out->path, strerror(errno));
	return exec_usage(ctx, rep);
}

/* --out not written: a file created for this request is removed */
static void close_out(struct exec_out *out)
{
	if (out->fd < 0)
		return;
	close(out->fd);
	out->fd = -1;
	if (out->created)
		unlink(out->path);
}

static int write_out(struct exec_out *out, const uint8_t *b, size_t len,
		     struct tsm_err *e)
{
	struct stat st;
	ssize_t n = -1;
	int err;

	errno = 0;
	/* a regular file is truncated; a pipe or /dev/null just written */
	if (fstat(out->fd, &st) || !S_ISREG(st.st_mode) ||
	    !ftruncate(out->fd, 0))
		n = write(out->fd, b, len);
	err = n != (ssize_t)len ? (errno ? errno : EIO) : 0;
	if (close(out->fd) && !err)
		err = errno;
	out->fd = -1;
	if (!err)
		return 0;
	tsm_err_set(e, err, "--out", out->path,
		    "--out '%s': cannot write the response: %s", out->path,
		    strerror(err));
	if (n != (ssize_t)len)
		snprintf(
			e->hint, sizeof(e->hint),
			"the request itself completed (see result); only the response file was not written");
	return -EIO;
}

int exec_out_write(struct tsmctl_ctx *ctx, struct exec_out *out,
		   struct tsm_outcome *oc)
{
	(void)ctx;
	if (!out || out->fd < 0)
		return oc->rep.code;
	if (oc->rep.code || !oc->issued) {
		close_out(out);
		return oc->rep.code;
	}
	memset(&oc->rep, 0, sizeof(oc->rep));
	if (write_out(out, oc->resp, oc->res.got, &oc->rep.e)) {
		oc->rep.stage = "output";
		oc->rep.code = TSM_EXIT_FAIL;
	}
	return oc->rep.code;
}

/* Bad input, the guards, the device: 0 to go on, else the exit status */
static int req_checks(struct tsmctl_ctx *ctx, const struct tsm_request *r,
		      struct exec_out *out, struct tsm_outcome *oc)
{
	/* bad input (selection, --trace, --out) before the kernel checks */
	if (exec_check_sel(ctx, &oc->rep) ||
	    (out && open_out(ctx, out, &oc->rep)) ||
	    exec_tsm_guard(ctx, r->state_change, &oc->rep) ||
	    exec_open_dev(ctx, &oc->rep))
		return oc->rep.code;
	return 0;
}

/* The request with the size the query answered, described anew */
static int resize(struct tsmctl_ctx *ctx, struct tsm_outcome *oc, uint32_t size)
{
	struct tsm_req_args a;

	oc->sized = malloc(sizeof(*oc->sized));
	if (!oc->sized)
		return oc->rep.code = TSM_EXIT_FAIL;
	*oc->sized = *oc->req;
	oc->sized->resp_len = size;
	a = req_args(oc->sized);
	tsm_build_req(&ctx->profile, &a, &oc->img); /* pointers zero */
	return 0;
}

/* Issue the request as sized into oc->resp: 0 or the exit status */
static int req_main(struct tsmctl_ctx *ctx, struct tsm_outcome *oc)
{
	const struct tsm_request *r = tsm_outcome_req(oc);
	int rc;

	oc->resp_cap = r->resp_len;
	oc->resp = exec_resp_alloc(r->resp_len);
	if (!oc->resp) {
		memset(&oc->rep, 0, sizeof(oc->rep));
		tsm_err_set(&oc->rep.e, ENOMEM, "--resp-len", NULL,
			    "cannot allocate %u response bytes", r->resp_len);
		oc->rep.stage = "setup";
		return oc->rep.code = TSM_EXIT_FAIL;
	}
	rc = req_issue(ctx, r, oc->resp, &oc->res);
	if (rc)
		return issue_failed(ctx, rc, &oc->rep);
	oc->issued = true;
	if (r->size_entry && !failed(&oc->res) && oc->res.got != r->resp_len) {
		oc->res.invalid = true;
		snprintf(oc->res.why, sizeof(oc->res.why),
			 "%s returned %zu bytes, %s said the object has %u",
			 r->op_name, oc->res.got, r->size_entry->name,
			 r->resp_len);
	}
	oc->completion = exec_req_completion(r, &oc->res);
	return failed(&oc->res) ? report_failure(ctx, r, &oc->res, &oc->rep) :
				  0;
}

int exec_req(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	     struct exec_out *out, struct tsm_outcome *oc)
{
	struct tsm_req_args a = req_args(r);
	uint32_t size;

	tsm_outcome_init(oc);
	oc->kind = TSM_OC_REQ;
	oc->req = r;
	oc->dry_run = ctx->dry_run;
	tsm_build_req(&ctx->profile, &a, &oc->img); /* pointers zero */
	oc->described = true;
	if (out)
		out->fd = -1;
	if (ctx->dry_run || req_checks(ctx, r, out, oc))
		return oc->rep.code;
	if (r->size_entry &&
	    (size_first(ctx, oc, &size) || resize(ctx, oc, size)))
		return oc->rep.code;
	return req_main(ctx, oc);
}
