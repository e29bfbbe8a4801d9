// SPDX-License-Identifier: GPL-2.0
/*
 * dump's iommufd section: the node, the context opened, and ioctls that
 * cannot change anything, each written to --trace:
 *   - IOMMU_OPTION GET RLIMIT_MODE: is this iommufd at all;
 *   - TSM_OP with type 0 and flags = 1: rejected with EOPNOTSUPP before any lookup
 *     when the TSM ioctls exist at the profile's number;
 *   - without TSM_OP (v7): TSM_REQ with op 0 (no profile numbers an op
 *     0), rejected with EINVAL before the vdevice lookup when TSM_REQ
 *     exists at the profile's number (ENOTTY when nothing is there);
 *   - none of them when --abi auto found no TSM type in the kernel's BTF;
 *   - none of the TSM ones when BTF contradicts the profile in force: its
 *     request codes may belong to other ioctls on this kernel;
 *   - per --vdevice ID, a request that is refused after the vdevice lookup
 *     or only reads (docs/kernel-abi.md, "IOMMU_VDEVICE_TSM_OP" and
 *     "IOMMU_VDEVICE_TSM_REQ"):
 *       TSM_OP with type 0 (not BIND, not UNBIND): ENOENT = no such
 *       vdevice, ENODEV = vdevice without a KVM file, EINVAL = vdevice
 *       found and bindable;
 *       without TSM_OP (v7): TSM_REQ OBJECT_INFO of the CCA interface
 *       report, which only reads; ENOENT = no such vdevice.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "catalog.h"
#include "core/exec.h"
#include "core/opt.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/tracing.h"
#include "describe.h"
#include "detect.h"
#include "dump.h"
#include "uapi.h"

#define PROBE_TYPE_NONE 0 /* neither BIND (1) nor UNBIND (2) */

static void probe_errno(struct json_object *o, const char *key,
			const struct tsm_call *c)
{
	char en[16];

	json_object_object_add(
		o, key,
		json_object_new_string(tsm_errno_name(c->err, en, sizeof(en))));
}

/* A TSM_OP probe, traced write-ahead like every ioctl */
static void op_probe(struct tsmctl_ctx *ctx, struct tsm_image *img,
		     struct tsm_call *call)
{
	struct tsm_trace_ioctl rec = {
		.name = TSM_NAME_OP,
		.request = tsm_request_code(ctx->profile.op.nr),
		.img = img,
		.layout = &ctx->profile.op,
		.is_op = true,
	};
	unsigned int seq;

	if (!exec_probe(ctx, &rec, img->b, call, &seq))
		exec_probe_result(ctx, seq, &rec, call);
}

static void option_fields(struct tsm_emit *em, const void *st)
{
	struct tsm_uapi_option opt;

	memcpy(&opt, st, sizeof(opt)); /* st: image bytes, not aligned */
	tsm_emit_i64(em, "size", (int)opt.size);
	tsm_emit_i64(em, "option_id", (int)opt.option_id);
	tsm_emit_i64(em, "op", opt.op);
	tsm_emit_u64(em, "object_id", opt.object_id);
	tsm_emit_u64(em, "val64", opt.val64);
}

static void probe_option(struct tsmctl_ctx *ctx, struct json_object *o)
{
	struct tsm_uapi_option opt = { .size = sizeof(opt), .op = 1 };
	struct tsm_image img = { .len = sizeof(opt) };
	struct tsm_trace_ioctl rec = {
		.name = "IOMMU_OPTION",
		.request = TSM_IOCTL_REQUEST(IOMMUFD_CMD_OPTION),
		.img = &img,
		.fields = option_fields,
	};
	struct tsm_call call;
	unsigned int seq;

	memcpy(img.b, &opt, sizeof(opt));
	if (!exec_probe(ctx, &rec, img.b, &call, &seq))
		exec_probe_result(ctx, seq, &rec, &call);
	json_add(o, "iommufd", json_object_new_boolean(call.err != ENOTTY));
	json_add(o, "option_probe_errno", json_object_new_int(call.err));
}

static void probe_tsm_op(struct tsmctl_ctx *ctx, struct json_object *o)
{
	struct tsm_image img;
	struct tsm_call call;

	if (tsm_build_op(&ctx->profile, PROBE_TYPE_NONE, UINT32_MAX, &img))
		return;
	tsm_image_set(&ctx->profile.op, &img, TSM_F_FLAGS, 1);
	op_probe(ctx, &img, &call);
	probe_errno(o, "tsm_op_probe", &call);
	json_add(o, "tsm_op_present",
		 json_object_new_boolean(call.err == EOPNOTSUPP));
}

/* The record of a TSM_REQ probe of @r (request and result) */
static struct tsm_trace_ioctl req_rec(struct tsmctl_ctx *ctx,
				      const struct tsm_request *r,
				      struct tsm_image *img)
{
	return (struct tsm_trace_ioctl){
		.name = TSM_NAME_REQ,
		.request = tsm_request_code(ctx->profile.req.nr),
		.img = img,
		.layout = &ctx->profile.req,
		.kind = ctx->profile.req_kind,
		.p = &ctx->profile,
		.req = r,
		.req_result = true,
	};
}

/*
 * v7 has no TSM_OP: a TSM_REQ with op 0 is refused (EINVAL) before the
 * vdevice lookup, so nothing runs; ENOTTY says no TSM_REQ there.
 */
static void probe_tsm_req(struct tsmctl_ctx *ctx, struct json_object *o)
{
	const struct tsm_profile *p = &ctx->profile;
	struct tsm_req_args a = { .vdevice_id = UINT32_MAX,
				  .tvm_arch = TSM_ARCH_CCA };
	struct tsm_request r = { .vdevice_id = UINT32_MAX,
				 .arch = TSM_ARCH_CCA,
				 .objtype = -1 };
	struct tsm_trace_ioctl rec;
	struct tsm_image img;
	struct tsm_call call;
	unsigned int seq;

	snprintf(r.op_name, sizeof(r.op_name), "probe");
	tsm_build_req(p, &a, &img);
	rec = req_rec(ctx, &r, &img);
	if (exec_probe(ctx, &rec, img.b, &call, &seq))
		return;
	exec_probe_result(ctx, seq, &rec, &call);
	probe_errno(o, "tsm_req_probe", &call);
	json_add(o, "tsm_req_present",
		 json_object_new_boolean(call.err == EINVAL));
}

/* TSM_OP type 0 on @id: refused by the type check after the lookup. */
static const char *vdev_by_op(struct tsmctl_ctx *ctx, uint32_t id,
			      struct json_object *v, const char **why)
{
	struct tsm_image img;
	struct tsm_call call;

	tsm_build_op(&ctx->profile, PROBE_TYPE_NONE, id, &img);
	op_probe(ctx, &img, &call);
	json_add(v, "probe", json_object_new_string("tsm_op_type_0"));
	json_add(v, "errno", json_object_new_int(call.err));
	probe_errno(v, "errno_name", &call);
	switch (call.err) {
	case ENOENT:
		*why = "no vdevice with this ID in this iommufd context";
		return "absent";
	case ENODEV:
		*why = "the vdevice's vIOMMU has no KVM file: bind would fail with ENODEV";
		return "present";
	case EINVAL:
		*why = "found; its vIOMMU has a KVM file, so TSM_OP can proceed";
		return "present";
	case EOPNOTSUPP:
		*why = "TSM_OP is not supported here (kernel without CONFIG_TSM?)";
		return "unknown";
	case ENOTTY:
		*why = NULL; /* exec_enotty() tells why */
		return "unknown";
	default:
		*why = "unexpected answer to a request type the kernel rejects";
		return "unknown";
	}
}

/* v7: OBJECT_INFO of the interface report (CCA), a read. */
static const char *vdev_by_info(struct tsmctl_ctx *ctx, uint32_t id,
				struct json_object *v, const char **why)
{
	const struct tsm_profile *p = &ctx->profile;
	const struct tsm_cat_entry *ce = NULL;
	struct tsm_request r = { .vdevice_id = id, .arch = TSM_ARCH_CCA };
	struct tsm_req_args a = { .vdevice_id = id, .tvm_arch = TSM_ARCH_CCA };
	struct tsm_trace_ioctl rec;
	uint32_t size = 0;
	struct tsm_image img;
	struct tsm_call call;
	unsigned int seq;

	if (p->req_kind == TSM_REQ_OP && !tsmctl_load_catalog(ctx, NULL))
		ce = tsm_catalog_find(ctx->catalog, p,
				      tsm_opid_name(TSM_OPID_OBJECT_INFO),
				      TSM_ARCH_CCA);
	if (!ce || !tsm_cat_opnum(ce, p)) {
		*why = "this profile has neither TSM_OP nor a read-only request to probe with";
		return "not_probed";
	}
	r.entry = ce;
	snprintf(r.op_name, sizeof(r.op_name), "%s", ce->name);
	r.op = a.op = tsm_cat_opnum(ce, p);
	r.req_len = a.req_len = sizeof(uint32_t);
	r.payload[0] = (uint8_t)p->objnum[TSM_OBJ_INTERFACE_REPORT];
	r.objtype = TSM_OBJ_INTERFACE_REPORT;
	r.resp_len = a.resp_len = sizeof(size);
	tsm_build_req(p, &a, &img);
	tsm_image_set(&p->req, &img, TSM_F_REQ_UPTR,
		      (uint64_t)(uintptr_t)r.payload);
	tsm_image_set(&p->req, &img, TSM_F_RESP_UPTR,
		      (uint64_t)(uintptr_t)&size);
	rec = req_rec(ctx, &r, &img);
	if (!exec_probe(ctx, &rec, img.b, &call, &seq)) {
		rec.residue = call.rc > 0 ? call.rc : 0;
		rec.resp = (uint8_t *)&size;
		rec.resp_len = !call.err && call.rc >= 0 &&
					       call.rc <= (long)sizeof(size) ?
				       sizeof(size) - (size_t)call.rc :
				       0;
		exec_probe_result(ctx, seq, &rec, &call);
	}
	json_add(v, "probe", json_object_new_string("object_info"));
	json_add(v, "errno", json_object_new_int(call.err));
	probe_errno(v, "errno_name", &call);
	switch (call.err) {
	case 0:
		if (call.rc == 0)
			json_add(v, "interface_report_size", json_u64(size));
		*why = "found; the TSM answered OBJECT_INFO";
		return "present";
	case ENOENT:
		*why = "no vdevice with this ID in this iommufd context";
		return "absent";
	case ENOTTY:
		*why = NULL; /* exec_enotty() tells why */
		return "unknown";
	case ENXIO:
		*why = "found, but no TDI is bound to it";
		return "present";
	default:
		*why = "found; its TSM refused OBJECT_INFO of a CCA interface report";
		return "present";
	}
}

static struct json_object *probe_vdevices(struct tsmctl_ctx *ctx,
					  const uint32_t *ids, unsigned int n)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_new_object();
		const char *state, *why = "";
		char enotty[400], field[64];

		json_add(v, "vdevice_id", json_u64(ids[i]));
		state = ctx->profile.op.nr ? vdev_by_op(ctx, ids[i], v, &why) :
					     vdev_by_info(ctx, ids[i], v, &why);
		if (!why) {
			exec_enotty(ctx,
				    ctx->profile.op.nr ? TSM_CALL_UNBIND :
							 TSM_CALL_REQ,
				    enotty, sizeof(enotty), field,
				    sizeof(field));
			why = enotty;
		}
		json_add(v, "state", json_object_new_string(state));
		json_add(v, "meaning", json_object_new_string(why));
		json_object_array_add(arr, v);
	}
	return arr;
}

/*
 * Why no TSM probe is sent (tsmctl-dump(8)), NULL: they are. A profile
 * the BTF contradicts, or auto's guess without any BTF read: its request
 * codes may be other ioctls here.
 */
static const char *probes_skipped(struct tsmctl_ctx *ctx, bool contradicted,
				  char *why, size_t len)
{
	const struct tsm_detect *d;

	if (contradicted) {
		snprintf(
			why, len,
			"BTF contradicts profile %s: no TSM ioctl sent with its request codes (see abi_detection)",
			ctx->profile.name);
		return why;
	}
	if (ctx->abi_no_tsm && !strcmp(ctx->abi_source, "trace")) {
		/* the trace's profile names the records, it selects nothing */
		snprintf(
			why, len,
			"this kernel's BTF has no iommu_vdevice_tsm types: no TSM ioctl sent; the trace's records use profile %s: give --abi %s as its command did, to probe",
			ctx->profile.name, ctx->profile.name);
		return why;
	}
	if (ctx->abi_no_tsm)
		return "this kernel has no vdevice TSM ioctls (its BTF has no iommu_vdevice_tsm types): no TSM ioctl sent";
	if (strcmp(ctx->abi_source, "fallback"))
		return NULL;
	d = tsmctl_detect(ctx);
	if (!d || d->have_btf)
		return NULL;
	snprintf(
		why, len,
		"no BTF tells this kernel's ABI: profile %s is auto's guess, its request codes may be other ioctls here: no TSM ioctl sent (select the profile with --abi to probe)",
		ctx->profile.name);
	return why;
}

/* Each vdevice asked for, "not_probed" and why: none is dropped */
static void not_probed(struct json_object *o, const uint32_t *ids,
		       unsigned int n, const char *why)
{
	struct json_object *arr;
	unsigned int i;

	if (!n)
		return;
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_new_object();

		json_add(v, "vdevice_id", json_u64(ids[i]));
		json_add(v, "state", json_object_new_string("not_probed"));
		json_add(v, "meaning", json_object_new_string(why));
		json_object_array_add(arr, v);
	}
	json_add(o, "vdevices", arr);
}

struct json_object *dump_iommufd(struct tsmctl_ctx *ctx, const uint32_t *vdev,
				 unsigned int nvdev, bool contradicted)
{
	struct json_object *o = json_object_new_object();
	const char *path = ctx->sel.path ? ctx->sel.path : TSM_DEFAULT_DEVICE;
	bool fresh = ctx->sel.fd < 0 && ctx->sel.pid < 0;
	const char *skipped;
	char why[256];
	struct stat st;

	json_add(o, "node", json_object_new_string(path));
	json_add(o, "node_present", json_object_new_boolean(!stat(path, &st)));
	if (ctx->dry_run) {
		json_add(o, "not_opened",
			 json_object_new_string(
				 "dry run: nothing opened or sent"));
		return o;
	}
	if (exec_open_traced(ctx)) {
		json_add(o, "open_errno", json_object_new_int(ctx->err.err));
		json_add(o, "open_error", json_object_new_string(ctx->err.msg));
		not_probed(o, vdev, nvdev, ctx->err.msg);
		return o;
	}
	json_add(o, "context", json_object_new_string(ctx->dev.desc));
	probe_option(ctx, o);
	skipped = probes_skipped(ctx, contradicted, why, sizeof(why));
	if (skipped) {
		json_add(o, "tsm_probes_skipped",
			 json_object_new_string(skipped));
		not_probed(o, vdev, nvdev, skipped);
		return o;
	}
	if (ctx->profile.op.nr)
		probe_tsm_op(ctx, o);
	else
		probe_tsm_req(ctx, o);
	if (!nvdev)
		return o;
	if (fresh)
		json_add(
			o, "vdevice_note",
			json_object_new_string(
				"a fresh open of the iommufd node holds no vdevices: give --fd or --pid for the VMM's context"));
	json_add(o, "vdevices", probe_vdevices(ctx, vdev, nvdev));
	return o;
}
