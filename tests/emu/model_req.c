// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu kernel model: IOMMU_VDEVICE_TSM_REQ, v5 (scope, 40 bytes) and
 * op/tvm_arch (48 bytes) forms, and the per-vdevice TDI state machine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

struct req_run {
	struct emu_call *c;
	struct emu_vdev *v;
	int arch; /* requested tvm_arch (v5: vdevice arch) */
	uint8_t *req;
	uint32_t req_len;
	uint64_t resp_uptr;
	uint32_t resp_len;
	uint32_t out_len; /* response bytes written */
	uint32_t consumed; /* request bytes consumed */
	uint64_t tsm_code;
};

static int load_req(struct req_run *r, uint64_t req_uptr)
{
	struct emu_call *c = r->c;
	struct emu_trace *tr = c->tr;

	if (r->req_len > EMU_MAX_REQ_LEN || r->resp_len > EMU_MAX_RESP_LEN)
		return -EINVAL;
	r->req = calloc(1, r->req_len ? r->req_len : 1);
	if (!r->req)
		return -ENOMEM;
	if (r->req_len &&
	    c->mem->read(c->mem->priv, req_uptr, r->req, r->req_len))
		return -EFAULT;
	tr->have_req = true;
	tr->req_len = r->req_len < EMU_TRACE_MAX ? r->req_len : EMU_TRACE_MAX;
	memcpy(tr->req, r->req, tr->req_len);
	return 0;
}

static int resp_write(struct req_run *r, const void *data, uint32_t len)
{
	struct emu_call *c = r->c;
	struct emu_trace *tr = c->tr;
	size_t keep;

	if (len > r->resp_len)
		return -ENOSPC;
	if (len && c->mem->write(c->mem->priv, r->resp_uptr, data, len))
		return -EFAULT;
	r->out_len = len;
	tr->have_resp = true;
	keep = len < EMU_TRACE_MAX ? len : EMU_TRACE_MAX;
	memcpy(tr->resp, data, keep);
	tr->resp_len = keep;
	return 0;
}

static long residue(const struct req_run *r)
{
	if (r->resp_len)
		return (long)r->resp_len - r->out_len;
	return r->req_len > r->consumed ? (long)(r->req_len - r->consumed) : 0;
}

static bool is_v7(const struct req_run *r)
{
	return r->c->ctx->model->profile == EMU_PROFILE_V7;
}

/* @type as the caller's profile numbers it; *@obj the object it names */
static struct emu_blob *get_obj(struct req_run *r, uint32_t type, int *err,
				int *obj)
{
	int o = emu_obj_from_wire(r->c->ctx->model->profile, type);

	if (obj)
		*obj = o;
	if (!o) {
		*err = -EINVAL;
		return NULL;
	}
	if (!r->v->obj[o].present) {
		*err = -ENODATA;
		return NULL;
	}
	return &r->v->obj[o];
}

static int op_object_info(struct req_run *r, uint32_t type)
{
	struct emu_blob *b;
	uint8_t out[4];
	int err;

	b = get_obj(r, type, &err, NULL);
	if (!b)
		return err;
	emu_put32(out, (uint32_t)b->len);
	return resp_write(r, out, 4);
}

static int op_read_object(struct req_run *r, uint32_t type, uint64_t offset)
{
	struct emu_blob *b;
	uint64_t n;
	int err;

	b = get_obj(r, type, &err, NULL);
	if (!b)
		return err;
	if (offset > b->len)
		return -EINVAL;
	/* v7's cca_vdev_read_cached_object needs room for the whole object
	 * (model choice: ENOSPC, as for any short buffer here) */
	if (is_v7(r) && r->resp_len < b->len)
		return -ENOSPC;
	n = b->len - offset;
	if (n > r->resp_len)
		n = r->resp_len;
	return resp_write(r, b->data + offset, (uint32_t)n);
}

static bool legal_transition(int from, int to)
{
	if (to == EMU_TDI_UNLOCKED)
		return true;
	return (from == EMU_TDI_UNLOCKED && to == EMU_TDI_LOCKED) ||
	       (from == EMU_TDI_LOCKED && to == EMU_TDI_RUN);
}

static int op_set_state(struct req_run *r, uint32_t st)
{
	struct emu_vdev *v = r->v;

	if (v->arch != EMU_ARCH_CCA) {
		/* SEV/TDX payloads unpublished: accept any u32 */
		if (st <= EMU_TDI_RUN)
			v->state = (int)st;
		return 0;
	}
	if (st > EMU_TDI_RUN)
		return -EINVAL;
	if (!legal_transition(v->state, (int)st)) {
		if (v->has_bad_tsm_code)
			r->tsm_code = v->bad_tsm_code;
		return -EINVAL;
	}
	if (st == EMU_TDI_UNLOCKED)
		emu_vdev_reset_tdi(v);
	v->state = (int)st;
	return 0;
}

static int op_validate_mmio(struct req_run *r)
{
	struct emu_vdev *v = r->v;
	uint64_t base, top, pa;

	if (v->arch != EMU_ARCH_CCA || r->req_len != 24)
		return -EINVAL;
	base = emu_get64(r->req);
	top = emu_get64(r->req + 8);
	pa = emu_get64(r->req + 16);
	r->consumed = 24;
	if (base >= top || (base | top | pa) & (EMU_PAGE_SIZE - 1))
		return -EINVAL;
	if (v->nmmio >= EMU_MAX_MMIO)
		return -ENOSPC;
	v->mmio[v->nmmio].gpa_base = base;
	v->mmio[v->nmmio].gpa_top = top;
	v->mmio[v->nmmio].pa_base = pa;
	v->nmmio++;
	return 0;
}

/*
 * REGEN_OBJECT {object_type, reserved, flags, nonce pointer} (24 B): the
 * 32 nonce bytes are read from the caller's memory through the pointer,
 * which is 0 for the interface report; measurements take flags 0 or 1.
 */
static int op_regen(struct req_run *r)
{
	struct emu_call *c = r->c;
	uint64_t nonce_uptr, flags;
	int err, obj;

	if (r->req_len != 24)
		return -EINVAL;
	r->consumed = 24;
	if (emu_get32(r->req + 4))
		return -EINVAL;
	if (!get_obj(r, emu_get32(r->req), &err, &obj))
		return err;
	flags = emu_get64(r->req + 8);
	nonce_uptr = emu_get64(r->req + 16);
	if (obj == EMU_OBJ_MEASUREMENT && flags > 1)
		return -EINVAL;
	if ((obj == EMU_OBJ_INTERFACE_REPORT) != !nonce_uptr)
		return -EINVAL; /* model choice: the pointer rule, enforced */
	if (nonce_uptr) {
		if (c->mem->read(c->mem->priv, nonce_uptr, c->tr->nonce, 32))
			return -EFAULT;
		c->tr->have_nonce = true;
		memcpy(r->v->last_nonce, c->tr->nonce, 32);
		r->v->have_nonce = true;
	}
	r->v->regen_count++;
	return 0;
}

static int run_op(struct req_run *r, int op)
{
	switch (op) {
	case EMU_OP_OBJECT_INFO:
		if (r->req_len < 4 || (is_v7(r) && r->req_len != 4))
			return -EINVAL;
		r->consumed = 4;
		return op_object_info(r, emu_get32(r->req));
	case EMU_OP_READ_OBJECT:
		if (r->req_len < 16 || (is_v7(r) && emu_get32(r->req + 4)))
			return -EINVAL;
		r->consumed = 16;
		return op_read_object(r, emu_get32(r->req),
				      emu_get64(r->req + 8));
	case EMU_OP_REGEN_OBJECT:
		return op_regen(r);
	case EMU_OP_VALIDATE_MMIO:
		return op_validate_mmio(r);
	case EMU_OP_SET_TDI_STATE:
		if (r->req_len != 4)
			return -EINVAL;
		r->consumed = 4;
		return op_set_state(r, emu_get32(r->req));
	case EMU_OP_SEV_ENABLE_DMA:
	case EMU_OP_SEV_DISABLE_DMA:
		r->consumed = r->req_len;
		r->v->dma_enabled = op == EMU_OP_SEV_ENABLE_DMA;
		return 0;
	}
	return -EINVAL;
}

/* v5 scope-era CCA payloads: first u32 is req_type */
static int run_scope(struct req_run *r, uint32_t scope)
{
	uint32_t type;

	if (r->req_len < 4)
		return -EINVAL;
	type = emu_get32(r->req);
	if (scope == 0 && type == 1) { /* OBJECT_SIZE */
		if (r->req_len < 8)
			return -EINVAL;
		r->consumed = 8;
		return op_object_info(r, emu_get32(r->req + 4));
	}
	if (scope == 0 && type == 2) { /* OBJECT_READ */
		if (r->req_len < 16)
			return -EINVAL;
		r->consumed = 16;
		return op_read_object(r, emu_get32(r->req + 4),
				      emu_get64(r->req + 8));
	}
	if (scope == 1 && type == 7) { /* SET_TDI_STATE */
		if (r->req_len < 8)
			return -EINVAL;
		r->consumed = 8;
		return op_set_state(r, emu_get32(r->req + 4));
	}
	return -EINVAL;
}

static bool bound_here(const struct emu_ctx *ctx, const struct emu_vdev *v)
{
	return v->bound_to && v->bound_to == ctx->vm;
}

long emu_exec_tsm_req_v5(struct emu_call *c)
{
	struct req_run r = { .c = c };
	const uint8_t *k = c->k;
	uint32_t scope = emu_get32(k + 8);
	long ret;

	if (emu_get32(k + 20))
		return -EOPNOTSUPP;
	if (scope > 3)
		return -EINVAL;
	r.v = emu_ctx_find(c->ctx, emu_get32(k + 4));
	if (!r.v)
		return -ENOENT;
	/* pci_tsm_guest_req(): debug scopes are refused */
	if (scope > 1)
		return -EINVAL;
	if (!bound_here(c->ctx, r.v))
		return -ENXIO;
	r.arch = r.v->arch;
	r.req_len = emu_get32(k + 12);
	r.resp_len = emu_get32(k + 16);
	r.resp_uptr = emu_get64(k + 32);
	ret = load_req(&r, emu_get64(k + 24));
	if (!ret)
		ret = run_scope(&r, scope);
	if (!ret)
		ret = residue(&r);
	free(r.req);
	/* v5 has no copy-back; "after commit" means after the op ran */
	if (ret >= 0 && c->faulted && c->f.efault_after_commit)
		ret = -EFAULT;
	return ret;
}

static bool is_sev_op(int op)
{
	return op == EMU_OP_SEV_ENABLE_DMA || op == EMU_OP_SEV_DISABLE_DMA;
}

static long finish_op(struct emu_call *c, struct req_run *r, long ret)
{
	if (c->faulted && c->f.has_tsm_code)
		r->tsm_code = c->f.tsm_code;
	emu_put64(c->k + 40, r->tsm_code);
	c->tr->have_tsm_code = true;
	c->tr->tsm_code = r->tsm_code;
	if (c->faulted && c->f.efault_after_commit)
		return -EFAULT;
	if (emu_respond(c, 48))
		return -EFAULT;
	return ret;
}

long emu_exec_tsm_req_op(struct emu_call *c)
{
	struct req_run r = { .c = c };
	const uint8_t *k = c->k;
	uint32_t arch = emu_get32(k + 12);
	int op = emu_op_from_num(c->ctx->model->profile, emu_get32(k + 8));
	long ret;

	if (arch < EMU_ARCH_CCA || arch > EMU_ARCH_TDX || !op)
		return -EINVAL;
	if (is_sev_op(op) && arch != EMU_ARCH_SEV)
		return -EINVAL;
	emu_put64(c->k + 40, 0);
	/* injected TSM failure: errno plus tsm_code, nothing executed */
	if (c->faulted && c->f.err && c->f.has_tsm_code)
		return finish_op(c, &r, -c->f.err);
	r.v = emu_ctx_find(c->ctx, emu_get32(k + 4));
	if (!r.v)
		return -ENOENT;
	if (!bound_here(c->ctx, r.v))
		return -ENXIO;
	if (r.v->arch != (int)arch)
		return -EINVAL;
	r.arch = (int)arch;
	r.req_len = emu_get32(k + 16);
	r.resp_len = emu_get32(k + 20);
	r.resp_uptr = emu_get64(k + 32);
	ret = load_req(&r, emu_get64(k + 24));
	if (ret) {
		free(r.req);
		return ret;
	}
	ret = run_op(&r, op);
	if (!ret)
		ret = residue(&r);
	free(r.req);
	return finish_op(c, &r, ret);
}
