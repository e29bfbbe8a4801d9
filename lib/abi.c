// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled-in ABI profiles and the pure struct builders. This is the
 * only file that knows which revision puts which field where; the layouts
 * are taken from the asserted structs of uapi.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "uapi.h"

#define LOC(type, field)                                  \
	{                                                 \
		offsetof(struct type, field),             \
			sizeof(((struct type *)0)->field) \
	}

#define OP_LAYOUT(nr_)                                                     \
	{                                                                  \
		.nr = (nr_), .size = sizeof(struct tsm_uapi_op),           \
		.min_size = offsetof(struct tsm_uapi_op, vdevice_id) + 4,  \
		.f = {                                                     \
			[TSM_F_SIZE] = LOC(tsm_uapi_op, size),             \
			[TSM_F_TYPE] = LOC(tsm_uapi_op, type),             \
			[TSM_F_FLAGS] = LOC(tsm_uapi_op, flags),           \
			[TSM_F_VDEVICE_ID] = LOC(tsm_uapi_op, vdevice_id), \
		},                                                         \
	}

#define REQ_OP_LAYOUT(nr_)                                                     \
	{                                                                      \
		.nr = (nr_), .size = sizeof(struct tsm_uapi_req_op),           \
		.min_size = sizeof(struct tsm_uapi_req_op),                    \
		.f = {                                                         \
			[TSM_F_SIZE] = LOC(tsm_uapi_req_op, size),             \
			[TSM_F_VDEVICE_ID] = LOC(tsm_uapi_req_op, vdevice_id), \
			[TSM_F_OP] = LOC(tsm_uapi_req_op, op),                 \
			[TSM_F_TVM_ARCH] = LOC(tsm_uapi_req_op, tvm_arch),     \
			[TSM_F_REQ_LEN] = LOC(tsm_uapi_req_op, req_len),       \
			[TSM_F_RESP_LEN] = LOC(tsm_uapi_req_op, resp_len),     \
			[TSM_F_REQ_UPTR] = LOC(tsm_uapi_req_op, req_uptr),     \
			[TSM_F_RESP_UPTR] = LOC(tsm_uapi_req_op, resp_uptr),   \
			[TSM_F_TSM_CODE] = LOC(tsm_uapi_req_op, tsm_code),     \
		},                                                             \
	}

/* The 2026-06-02 proposal's numbering (docs/kernel-abi.md, v5-op). */
#define OPNUM_S2                                                             \
	{                                                                    \
		[TSM_OPID_READ_OBJECT] = 1, [TSM_OPID_REGEN_OBJECT] = 2,     \
		[TSM_OPID_OBJECT_INFO] = 3, [TSM_OPID_VALIDATE_MMIO] = 4,    \
		[TSM_OPID_SET_TDI_STATE] = 5, [TSM_OPID_SEV_ENABLE_DMA] = 6, \
		[TSM_OPID_SEV_DISABLE_DMA] = 7,                              \
	}

/* Arm RHI guest object types: certificate 1 .. vca 4 */
#define OBJNUM_RHI                                                       \
	{                                                                \
		[TSM_OBJ_CERTIFICATE] = 1, [TSM_OBJ_MEASUREMENT] = 2,    \
		[TSM_OBJ_INTERFACE_REPORT] = 3, [TSM_OBJ_VCA] = 4,       \
	}

static const struct tsm_profile profiles[] = {
	{
		.name = "v5",
		.source = "[PATCH v5 0/5] iommufd TSM ioctls, 2026-05-25 (TSM_OP 0x95, TSM_REQ 0x96 with scope, 40 bytes)",
		.op = OP_LAYOUT(0x95),
		.req = {
			.nr = 0x96, .size = sizeof(struct tsm_uapi_req_scope),
			.min_size = sizeof(struct tsm_uapi_req_scope),
			.f = {
				[TSM_F_SIZE] = LOC(tsm_uapi_req_scope, size),
				[TSM_F_VDEVICE_ID] =
					LOC(tsm_uapi_req_scope, vdevice_id),
				[TSM_F_SCOPE] = LOC(tsm_uapi_req_scope, scope),
				[TSM_F_REQ_LEN] =
					LOC(tsm_uapi_req_scope, req_len),
				[TSM_F_RESP_LEN] =
					LOC(tsm_uapi_req_scope, resp_len),
				[TSM_F_RESERVED] =
					LOC(tsm_uapi_req_scope, __reserved),
				[TSM_F_REQ_UPTR] =
					LOC(tsm_uapi_req_scope, req_uptr),
				[TSM_F_RESP_UPTR] =
					LOC(tsm_uapi_req_scope, resp_uptr),
			},
		},
		.req_kind = TSM_REQ_SCOPE,
		.opnum_confirmed = true,
		.objnum = OBJNUM_RHI,
	},
	{
		.name = "v5-op",
		.source = "2026-06-02 proposal on v5 (TSM_OP 0x95, TSM_REQ 0x96, op + tvm_arch + tsm_code, 48 bytes)",
		.op = OP_LAYOUT(0x95),
		.req = REQ_OP_LAYOUT(0x96),
		.req_kind = TSM_REQ_OP,
		.opnum = OPNUM_S2,
		.opnum_confirmed = true,
		.objnum = OBJNUM_RHI,
	},
	{
		.name = "v6",
		.source = "post-v5 tree kamalca/linux@58252340 (TSM_OP 0x96, TSM_REQ 0x97, 48 bytes, 4 ops)",
		.op = OP_LAYOUT(0x96),
		.req = REQ_OP_LAYOUT(0x97),
		.req_kind = TSM_REQ_OP,
		.opnum = {
			[TSM_OPID_VALIDATE_MMIO] = 1,
			[TSM_OPID_SET_TDI_STATE] = 2,
			[TSM_OPID_SEV_ENABLE_DMA] = 3,
			[TSM_OPID_SEV_DISABLE_DMA] = 4,
		},
		.opnum_confirmed = true,
		.objnum = OBJNUM_RHI,
	},
	{
		/*
		 * The CCA v7 integration tree as OpenVMM's pinned bindings
		 * assert it: object ops appended after the v6 numbers, v7
		 * object types. SEV_* keep v6's numbers, unconfirmed.
		 */
		.name = "v7",
		.source = "[PATCH v7 00/16] posted 2026-10-08; bytes from the CCA v7 integration tree 2b68f486 as pinned by OpenVMM's tsm.rs (no TSM_OP; TSM_REQ 0x96, 48 bytes)",
		.bind_absent_hint = "under v7 the TSM binds the TDI when the VMM allocates the vdevice (IOMMU_VDEVICE_ALLOC) and unbinds it when the vdevice is destroyed",
		.op = { .nr = 0 },
		.req = REQ_OP_LAYOUT(0x96),
		.req_kind = TSM_REQ_OP,
		.opnum = {
			[TSM_OPID_VALIDATE_MMIO] = 1,
			[TSM_OPID_SET_TDI_STATE] = 2,
			[TSM_OPID_SEV_ENABLE_DMA] = 3,
			[TSM_OPID_SEV_DISABLE_DMA] = 4,
			[TSM_OPID_READ_OBJECT] = 5,
			[TSM_OPID_REGEN_OBJECT] = 6,
			[TSM_OPID_OBJECT_INFO] = 7,
		},
		.opnum_confirmed = true,
		.opnum_unconfirmed = 1u << TSM_OPID_SEV_ENABLE_DMA |
				     1u << TSM_OPID_SEV_DISABLE_DMA,
		.objnum = {
			[TSM_OBJ_VCA] = 0,
			[TSM_OBJ_CERTIFICATE] = 1,
			[TSM_OBJ_MEASUREMENT] = 2,
			[TSM_OBJ_INTERFACE_REPORT] = 3,
		},
	},
};

/* Older or alternative names that keep working (docs/cli-contract.md §3). */
static const struct {
	const char *alias;
	const char *name;
} aliases[] = {
	{ "v5op", "v5-op" },
	{ "post-v5", "v6" },
	{ "kamalca", "v6" },
};

static const char *const field_names[TSM_F_COUNT] = {
	[TSM_F_SIZE] = "size",	       [TSM_F_TYPE] = "type",
	[TSM_F_FLAGS] = "flags",       [TSM_F_VDEVICE_ID] = "vdevice_id",
	[TSM_F_SCOPE] = "scope",       [TSM_F_OP] = "op",
	[TSM_F_TVM_ARCH] = "tvm_arch", [TSM_F_REQ_LEN] = "req_len",
	[TSM_F_RESP_LEN] = "resp_len", [TSM_F_RESERVED] = "__reserved",
	[TSM_F_REQ_UPTR] = "req_uptr", [TSM_F_RESP_UPTR] = "resp_uptr",
	[TSM_F_TSM_CODE] = "tsm_code",
};

static const char *const opid_names[TSM_OPID_COUNT] = {
	[TSM_OPID_READ_OBJECT] = TSM_OPNAME_READ_OBJECT,
	[TSM_OPID_REGEN_OBJECT] = TSM_OPNAME_REGEN_OBJECT,
	[TSM_OPID_OBJECT_INFO] = TSM_OPNAME_OBJECT_INFO,
	[TSM_OPID_VALIDATE_MMIO] = TSM_OPNAME_VALIDATE_MMIO,
	[TSM_OPID_SET_TDI_STATE] = TSM_OPNAME_SET_TDI_STATE,
	[TSM_OPID_SEV_ENABLE_DMA] = TSM_OPNAME_SEV_ENABLE_DMA,
	[TSM_OPID_SEV_DISABLE_DMA] = TSM_OPNAME_SEV_DISABLE_DMA,
};

static const char *const objtype_names[TSM_OBJ_COUNT] = {
	[TSM_OBJ_CERTIFICATE] = "certificate",
	[TSM_OBJ_MEASUREMENT] = "measurement",
	[TSM_OBJ_INTERFACE_REPORT] = "interface_report",
	[TSM_OBJ_VCA] = "vca",
};

bool tsm_opnum_confirmed(const struct tsm_profile *p, enum tsm_req_opid id)
{
	return p->opnum_confirmed && !(p->opnum_unconfirmed & 1u << id);
}

const char *tsm_objtype_name(enum tsm_objtype t)
{
	return t < TSM_OBJ_COUNT ? objtype_names[t] : "?";
}

int tsm_objtype_from_name(const char *s, enum tsm_objtype *out)
{
	int i;

	for (i = 0; i < TSM_OBJ_COUNT; i++)
		if (!strcmp(s, objtype_names[i])) {
			*out = (enum tsm_objtype)i;
			return 0;
		}
	return -EINVAL;
}

int tsm_objtype_by_num(const struct tsm_profile *p, uint32_t num)
{
	int i;

	for (i = 0; i < TSM_OBJ_COUNT; i++)
		if (p->objnum[i] == num)
			return i;
	return -1;
}

void tsm_objnum_rhi(struct tsm_profile *p)
{
	static const uint32_t rhi[TSM_OBJ_COUNT] = OBJNUM_RHI;

	memcpy(p->objnum, rhi, sizeof(rhi));
}

size_t tsm_profile_count(void)
{
	return ARRAY_SIZE(profiles);
}

const struct tsm_profile *tsm_profile_at(size_t i)
{
	return i < ARRAY_SIZE(profiles) ? &profiles[i] : NULL;
}

const struct tsm_profile *tsm_profile_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].name;
	for (i = 0; i < ARRAY_SIZE(profiles); i++)
		if (!strcmp(name, profiles[i].name))
			return &profiles[i];
	return NULL;
}

const char *tsm_field_name(enum tsm_fid f)
{
	return f < TSM_F_COUNT ? field_names[f] : "?";
}

int tsm_field_from_name(const char *s, enum tsm_fid *out)
{
	int i;

	for (i = 0; i < TSM_F_COUNT; i++)
		if (!strcmp(s, field_names[i])) {
			*out = (enum tsm_fid)i;
			return 0;
		}
	return -EINVAL;
}

const char *tsm_opid_name(enum tsm_req_opid id)
{
	return id < TSM_OPID_COUNT ? opid_names[id] : "?";
}

int tsm_opid_from_name(const char *s, enum tsm_req_opid *out)
{
	int i;

	for (i = 0; i < TSM_OPID_COUNT; i++)
		if (!strcmp(s, opid_names[i])) {
			*out = (enum tsm_req_opid)i;
			return 0;
		}
	return -EINVAL;
}

static int check_layout(const char *pname, const char *what,
			const struct tsm_layout *l, const enum tsm_fid *req,
			size_t nreq, struct tsm_err *err)
{
	uint8_t used[TSM_STRUCT_MAX] = { 0 };
	int i;
	size_t k;

	if (!l->nr)
		return 0;
	if (l->nr < 0x80 || l->nr > 0xff) {
		tsm_err_set(
			err, EINVAL, "nr", NULL,
			"profile %s: %s.nr 0x%x outside the iommufd range 0x80..0xff",
			pname, what, l->nr);
		return -EINVAL;
	}
	if (l->size < 8 || l->size > TSM_STRUCT_MAX) {
		tsm_err_set(err, EINVAL, "size", NULL,
			    "profile %s: %s.size %u outside 8..%d", pname, what,
			    l->size, TSM_STRUCT_MAX);
		return -EINVAL;
	}
	if (l->min_size < 4 || l->min_size > l->size) {
		tsm_err_set(err, EINVAL, "min_size", NULL,
			    "profile %s: %s.min_size %u must be 4..size (%u)",
			    pname, what, l->min_size, l->size);
		return -EINVAL;
	}
	if (l->f[TSM_F_SIZE].off != 0 || l->f[TSM_F_SIZE].size != 4) {
		tsm_err_set(
			err, EINVAL, "size", NULL,
			"profile %s: %s field 'size' must be a u32 at offset 0",
			pname, what);
		return -EINVAL;
	}
	for (k = 0; k < nreq; k++)
		if (!l->f[req[k]].size) {
			tsm_err_set(err, EINVAL, tsm_field_name(req[k]), NULL,
				    "profile %s: %s lacks field '%s'", pname,
				    what, tsm_field_name(req[k]));
			return -EINVAL;
		}
	for (i = 0; i < TSM_F_COUNT; i++) {
		const struct tsm_field_loc *f = &l->f[i];
		unsigned int b;

		if (!f->size)
			continue;
		if (f->size != 2 && f->size != 4 && f->size != 8) {
			tsm_err_set(
				err, EINVAL, field_names[i], NULL,
				"profile %s: %s field '%s' has size %u (2, 4 or 8 accepted)",
				pname, what, field_names[i], f->size);
			return -EINVAL;
		}
		if ((unsigned int)f->off + f->size > l->size) {
			tsm_err_set(
				err, EINVAL, field_names[i], NULL,
				"profile %s: %s field '%s' at %u+%u ends past the struct (%u bytes)",
				pname, what, field_names[i], f->off, f->size,
				l->size);
			return -EINVAL;
		}
		for (b = f->off; b < (unsigned int)f->off + f->size; b++) {
			if (used[b]) {
				tsm_err_set(
					err, EINVAL, field_names[i], NULL,
					"profile %s: %s field '%s' overlaps field '%s' at byte %u",
					pname, what, field_names[i],
					field_names[used[b] - 1], b);
				return -EINVAL;
			}
			used[b] = (uint8_t)(i + 1);
		}
	}
	return 0;
}

int tsm_profile_validate(const struct tsm_profile *p, struct tsm_err *err)
{
	static const enum tsm_fid op_req[] = { TSM_F_TYPE, TSM_F_FLAGS,
					       TSM_F_VDEVICE_ID };
	static const enum tsm_fid scope_req[] = {
		TSM_F_VDEVICE_ID, TSM_F_SCOPE,	  TSM_F_REQ_LEN,
		TSM_F_RESP_LEN,	  TSM_F_REQ_UPTR, TSM_F_RESP_UPTR
	};
	static const enum tsm_fid opk_req[] = {
		TSM_F_VDEVICE_ID, TSM_F_OP,	  TSM_F_TVM_ARCH, TSM_F_REQ_LEN,
		TSM_F_RESP_LEN,	  TSM_F_REQ_UPTR, TSM_F_RESP_UPTR
	};
	int rc, i, k;

	if (!p->name[0]) {
		tsm_err_set(err, EINVAL, "name", NULL, "profile has no name");
		return -EINVAL;
	}
	rc = check_layout(p->name, "tsm_op", &p->op, op_req, ARRAY_SIZE(op_req),
			  err);
	if (rc)
		return rc;
	if (!p->req.nr) {
		tsm_err_set(err, EINVAL, "tsm_req.nr", NULL,
			    "profile %s: tsm_req.nr is missing", p->name);
		return -EINVAL;
	}
	if (p->req_kind == TSM_REQ_SCOPE)
		rc = check_layout(p->name, "tsm_req", &p->req, scope_req,
				  ARRAY_SIZE(scope_req), err);
	else if (p->req_kind == TSM_REQ_OP)
		rc = check_layout(p->name, "tsm_req", &p->req, opk_req,
				  ARRAY_SIZE(opk_req), err);
	else {
		tsm_err_set(err, EINVAL, "tsm_req.kind", NULL,
			    "profile %s: tsm_req.kind must be 'scope' or 'op'",
			    p->name);
		return -EINVAL;
	}
	if (rc)
		return rc;
	for (i = 0; i < TSM_OBJ_COUNT; i++)
		for (k = i + 1; k < TSM_OBJ_COUNT; k++)
			if (p->objnum[i] == p->objnum[k]) {
				tsm_err_set(
					err, EINVAL, "object_type", NULL,
					"profile %s: object types %s and %s share number %u",
					p->name, objtype_names[i],
					objtype_names[k], p->objnum[i]);
				return -EINVAL;
			}
	if (p->op.nr && p->op.nr == p->req.nr) {
		tsm_err_set(err, EINVAL, "nr", NULL,
			    "profile %s: tsm_op and tsm_req share nr 0x%x",
			    p->name, p->op.nr);
		return -EINVAL;
	}
	return 0;
}

void tsm_image_set(const struct tsm_layout *l, struct tsm_image *img,
		   enum tsm_fid f, uint64_t v)
{
	const struct tsm_field_loc *loc = &l->f[f];
	unsigned int i;

	for (i = 0; i < loc->size; i++)
		img->b[loc->off + i] = (uint8_t)(v >> (8 * i));
}

bool tsm_image_get(const struct tsm_layout *l, const struct tsm_image *img,
		   enum tsm_fid f, uint64_t *v)
{
	const struct tsm_field_loc *loc = &l->f[f];
	unsigned int i;

	if (!loc->size || loc->off + loc->size > img->len)
		return false;
	*v = 0;
	for (i = 0; i < loc->size; i++)
		*v |= (uint64_t)img->b[loc->off + i] << (8 * i);
	return true;
}

static void image_init(const struct tsm_layout *l, struct tsm_image *img)
{
	memset(img, 0, sizeof(*img));
	img->len = l->size;
	tsm_image_set(l, img, TSM_F_SIZE, l->size);
}

int tsm_build_op(const struct tsm_profile *p, uint32_t type,
		 uint32_t vdevice_id, struct tsm_image *img)
{
	if (!p->op.nr)
		return -ENOTSUP;
	image_init(&p->op, img);
	tsm_image_set(&p->op, img, TSM_F_TYPE, type);
	tsm_image_set(&p->op, img, TSM_F_FLAGS, 0);
	tsm_image_set(&p->op, img, TSM_F_VDEVICE_ID, vdevice_id);
	return 0;
}

int tsm_build_req(const struct tsm_profile *p, const struct tsm_req_args *a,
		  struct tsm_image *img)
{
	const struct tsm_layout *l = &p->req;

	if (!l->nr)
		return -ENOTSUP;
	image_init(l, img);
	tsm_image_set(l, img, TSM_F_VDEVICE_ID, a->vdevice_id);
	if (p->req_kind == TSM_REQ_SCOPE) {
		tsm_image_set(l, img, TSM_F_SCOPE, a->scope);
	} else {
		tsm_image_set(l, img, TSM_F_OP, a->op);
		tsm_image_set(l, img, TSM_F_TVM_ARCH, a->tvm_arch);
	}
	tsm_image_set(l, img, TSM_F_REQ_LEN, a->req_len);
	tsm_image_set(l, img, TSM_F_RESP_LEN, a->resp_len);
	tsm_image_set(l, img, TSM_F_REQ_UPTR, a->req_uptr);
	tsm_image_set(l, img, TSM_F_RESP_UPTR, a->resp_uptr);
	return 0;
}
