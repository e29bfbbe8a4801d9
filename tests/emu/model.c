// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu kernel model: iommufd dispatcher, TSM_OP, IOMMU_OPTION,
 * IOMMU_DESTROY, fault rules and name tables. TSM_REQ is in model_req.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_int.h"

/* ---- struct layouts (offsets in bytes, little endian) ---- */

static const struct emu_fdesc f_tsm_op[] = {
	{ "size", 0, 4 },	 { "type", 4, 4 }, { "flags", 8, 4 },
	{ "vdevice_id", 12, 4 }, { NULL, 0, 0 },
};

static const struct emu_fdesc f_tsm_req_v5[] = {
	{ "size", 0, 4 },      { "vdevice_id", 4, 4 }, { "scope", 8, 4 },
	{ "req_len", 12, 4 },  { "resp_len", 16, 4 },  { "__reserved", 20, 4 },
	{ "req_uptr", 24, 8 }, { "resp_uptr", 32, 8 }, { NULL, 0, 0 },
};

static const struct emu_fdesc f_tsm_req_op[] = {
	{ "size", 0, 4 },      { "vdevice_id", 4, 4 }, { "op", 8, 4 },
	{ "tvm_arch", 12, 4 }, { "req_len", 16, 4 },   { "resp_len", 20, 4 },
	{ "req_uptr", 24, 8 }, { "resp_uptr", 32, 8 }, { "tsm_code", 40, 8 },
	{ NULL, 0, 0 },
};

static const struct emu_fdesc f_option[] = {
	{ "size", 0, 4 },	 { "option_id", 4, 4 },	 { "op", 8, 2 },
	{ "__reserved", 10, 2 }, { "object_id", 12, 4 }, { "val64", 16, 8 },
	{ NULL, 0, 0 },
};

static const struct emu_fdesc f_destroy[] = {
	{ "size", 0, 4 },
	{ "id", 4, 4 },
	{ NULL, 0, 0 },
};

static const struct emu_fdesc f_size_only[] = {
	{ "size", 0, 4 },
	{ NULL, 0, 0 },
};

static long exec_tsm_op(struct emu_call *c);
static long exec_option(struct emu_call *c);
static long exec_destroy(struct emu_call *c);
static long exec_unmodeled(struct emu_call *c);

static const struct emu_ioctl_def d_destroy = { "DESTROY", EMU_K_DESTROY, 8, 8,
						f_destroy, exec_destroy };
static const struct emu_ioctl_def d_option = { "OPTION", EMU_K_OPTION, 24, 24,
					       f_option, exec_option };
static const struct emu_ioctl_def d_tsm_op = { "TSM_OP", EMU_K_TSM_OP, 16, 16,
					       f_tsm_op, exec_tsm_op };
static const struct emu_ioctl_def d_tsm_req_v5 = {
	"TSM_REQ", EMU_K_TSM_REQ, 40, 40, f_tsm_req_v5, emu_exec_tsm_req_v5
};
static const struct emu_ioctl_def d_tsm_req_op = {
	"TSM_REQ", EMU_K_TSM_REQ, 48, 48, f_tsm_req_op, emu_exec_tsm_req_op
};
/* IOAS_NOIOMMU_GET_PA: modeled only through its min_size */
static const struct emu_ioctl_def d_noiommu = {
	"NOIOMMU_GET_PA", EMU_K_IOCTL, 32, 32, f_size_only, exec_unmodeled
};
/* 0x81..0x94 other than OPTION: present in the kernel, not modeled */
static const struct emu_ioctl_def d_unmodeled = { "unmodeled", EMU_K_IOCTL,
						  8,	       8,
						  f_size_only, exec_unmodeled };

struct emu_profile_def {
	const char *name;
	unsigned int last_nr;
	unsigned int nr_op; /* 0 = absent */
	unsigned int nr_req;
	const struct emu_ioctl_def *req;
	const struct emu_ioctl_def *nr95;
};

static const struct emu_profile_def profiles[EMU_PROFILE_COUNT] = {
	[EMU_PROFILE_V5] = { "v5", 0x96, 0x95, 0x96, &d_tsm_req_v5, &d_tsm_op },
	[EMU_PROFILE_V5_OP] = { "v5-op", 0x96, 0x95, 0x96, &d_tsm_req_op,
				&d_tsm_op },
	[EMU_PROFILE_V6] = { "v6", 0x97, 0x96, 0x97, &d_tsm_req_op,
			     &d_noiommu },
	[EMU_PROFILE_V7] = { "v7", 0x96, 0, 0x96, &d_tsm_req_op, &d_noiommu },
};

static const struct emu_ioctl_def *lookup_def(int profile, unsigned int nr)
{
	const struct emu_profile_def *p = &profiles[profile];

	if (nr < EMU_CMD_BASE || nr > p->last_nr)
		return NULL;
	if (nr == EMU_NR_DESTROY)
		return &d_destroy;
	if (nr == EMU_NR_OPTION)
		return &d_option;
	if (p->nr_op && nr == p->nr_op)
		return &d_tsm_op;
	if (nr == p->nr_req)
		return p->req;
	if (nr == 0x95)
		return p->nr95;
	return &d_unmodeled;
}

unsigned int emu_nr_tsm_op(int profile)
{
	return profiles[profile].nr_op;
}

unsigned int emu_nr_tsm_req(int profile)
{
	return profiles[profile].nr_req;
}

const char *emu_profile_name(int profile)
{
	if (profile < 0 || profile >= EMU_PROFILE_COUNT)
		return "?";
	return profiles[profile].name;
}

int emu_profile_parse(const char *s)
{
	for (int i = 0; i < EMU_PROFILE_COUNT; i++)
		if (!strcmp(s, profiles[i].name))
			return i;
	return -1;
}

/* ---- op numbering ---- */

static const int ops_7[] = {
	EMU_OP_NONE,	       EMU_OP_READ_OBJECT,     EMU_OP_REGEN_OBJECT,
	EMU_OP_OBJECT_INFO,    EMU_OP_VALIDATE_MMIO,   EMU_OP_SET_TDI_STATE,
	EMU_OP_SEV_ENABLE_DMA, EMU_OP_SEV_DISABLE_DMA,
};

static const int ops_4[] = {
	EMU_OP_NONE,	       EMU_OP_VALIDATE_MMIO,   EMU_OP_SET_TDI_STATE,
	EMU_OP_SEV_ENABLE_DMA, EMU_OP_SEV_DISABLE_DMA,
};

/* the CCA v7 integration (OpenVMM's pinned tsm.rs): the object ops
 * appended after the four of v6 */
static const int ops_v7[] = {
	EMU_OP_NONE,	       EMU_OP_VALIDATE_MMIO,   EMU_OP_SET_TDI_STATE,
	EMU_OP_SEV_ENABLE_DMA, EMU_OP_SEV_DISABLE_DMA, EMU_OP_READ_OBJECT,
	EMU_OP_REGEN_OBJECT,   EMU_OP_OBJECT_INFO,
};

int emu_obj_from_wire(int profile, uint32_t type)
{
	static const int v7[] = { EMU_OBJ_VCA, EMU_OBJ_CERTIFICATE,
				  EMU_OBJ_MEASUREMENT,
				  EMU_OBJ_INTERFACE_REPORT };

	if (profile == EMU_PROFILE_V7)
		return type < 4 ? v7[type] : 0;
	return type >= 1 && type <= EMU_OBJ_MAX ? (int)type : 0;
}

int emu_op_from_num(int profile, uint32_t num)
{
	switch (profile) {
	case EMU_PROFILE_V5_OP:
		return num < 8 ? ops_7[num] : EMU_OP_NONE;
	case EMU_PROFILE_V7:
		return num < 8 ? ops_v7[num] : EMU_OP_NONE;
	case EMU_PROFILE_V6:
		return num < 5 ? ops_4[num] : EMU_OP_NONE;
	default:
		return EMU_OP_NONE;
	}
}

uint32_t emu_op_to_num(int profile, int op)
{
	for (uint32_t i = 1; i < 8; i++)
		if (emu_op_from_num(profile, i) == op && op != EMU_OP_NONE)
			return i;
	return 0;
}

/* ---- model and context ---- */

void emu_model_init(struct emu_model *m, int profile)
{
	memset(m, 0, sizeof(*m));
	m->profile = profile;
	m->next_ctx_id = 1;
}

void emu_ctx_init(struct emu_ctx *ctx, struct emu_model *m)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->model = m;
	ctx->id = m->next_ctx_id++;
	ctx->vm = ctx->id;
}

static void vdev_free(struct emu_vdev *v)
{
	for (int i = 0; i <= EMU_OBJ_MAX; i++)
		free(v->obj[i].data);
	memset(v, 0, sizeof(*v));
}

void emu_model_free_ctx(struct emu_ctx *ctx)
{
	for (int i = 0; i < EMU_MAX_VDEV; i++)
		if (ctx->vdev[i].live)
			vdev_free(&ctx->vdev[i]);
}

struct emu_vdev *emu_ctx_find(struct emu_ctx *ctx, uint32_t id)
{
	for (int i = 0; i < EMU_MAX_VDEV; i++)
		if (ctx->vdev[i].live && ctx->vdev[i].id == id)
			return &ctx->vdev[i];
	return NULL;
}

struct emu_vdev *emu_ctx_add_vdev(struct emu_ctx *ctx, uint32_t id, int arch)
{
	if (emu_ctx_find(ctx, id))
		return NULL;
	for (int i = 0; i < EMU_MAX_VDEV; i++) {
		struct emu_vdev *v = &ctx->vdev[i];

		if (v->live)
			continue;
		memset(v, 0, sizeof(*v));
		v->live = true;
		v->id = id;
		v->arch = arch;
		v->kvm = true;
		v->state = EMU_TDI_UNLOCKED;
		/* v7: the TSM binds when the VMM allocates the vdevice */
		if (ctx->model->profile == EMU_PROFILE_V7)
			v->bound_to = ctx->vm;
		return v;
	}
	return NULL;
}

int emu_blob_set(struct emu_blob *b, const void *data, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (!p)
		return -ENOMEM;
	if (len)
		memcpy(p, data, len);
	free(b->data);
	b->data = p;
	b->len = len;
	b->present = true;
	return 0;
}

void emu_vdev_reset_tdi(struct emu_vdev *v)
{
	v->state = EMU_TDI_UNLOCKED;
	v->nmmio = 0;
	v->dma_enabled = false;
}

/* ---- faults ---- */

int emu_add_fault(struct emu_model *m, const struct emu_fault *f)
{
	if (m->nfaults >= EMU_MAX_FAULTS)
		return -ENOSPC;
	if (f->kind < 0 || f->kind >= EMU_K_COUNT)
		return -EINVAL;
	m->faults[m->nfaults++] = *f;
	return 0;
}

static void fault_merge(struct emu_fault *dst, const struct emu_fault *s)
{
	if (s->err)
		dst->err = s->err;
	if (s->has_tsm_code) {
		dst->has_tsm_code = true;
		dst->tsm_code = s->tsm_code;
	}
	if (s->has_residue) {
		dst->has_residue = true;
		dst->residue = s->residue;
	}
	dst->efault_after_commit |= s->efault_after_commit;
	dst->after_commit |= s->after_commit;
	dst->eagain_dump |= s->eagain_dump;
	if (s->extack[0])
		memcpy(dst->extack, s->extack, sizeof(dst->extack));
	if (s->delay_ms > dst->delay_ms)
		dst->delay_ms = s->delay_ms;
}

bool emu_fault_take(struct emu_model *m, int kind, struct emu_fault *out)
{
	unsigned long n;
	bool hit = false;

	if (kind < 0 || kind >= EMU_K_COUNT)
		return false;
	n = ++m->counts[kind];
	for (int i = 0; i < m->nfaults; i++) {
		const struct emu_fault *f = &m->faults[i];

		if (f->kind != kind || (f->nth && f->nth != n))
			continue;
		fault_merge(out, f);
		hit = true;
	}
	return hit;
}

/* ---- dispatcher ---- */

int emu_respond(struct emu_call *c, unsigned int len)
{
	unsigned int n = c->size < len ? c->size : len;

	return c->mem->write(c->mem->priv, c->uaddr, c->k, n);
}

static void trace_fields(struct emu_call *c)
{
	struct emu_trace *tr = c->tr;

	tr->nfields = 0;
	for (const struct emu_fdesc *f = c->def->fields; f->name; f++) {
		uint64_t v;

		if (tr->nfields >= EMU_MAX_FIELDS)
			break;
		if (f->size == 2)
			v = emu_get16(c->k + f->off);
		else if (f->size == 4)
			v = emu_get32(c->k + f->off);
		else
			v = emu_get64(c->k + f->off);
		tr->fields[tr->nfields].name = f->name;
		tr->fields[tr->nfields].val = v;
		tr->nfields++;
	}
}

/* copy_struct_from_user(): zero-fill short, E2BIG for a non-zero tail */
static int copy_struct(struct emu_call *c)
{
	const struct emu_mem *m = c->mem;
	struct emu_trace *tr = c->tr;
	unsigned int ksize = c->def->size;
	uint32_t n = c->size < ksize ? c->size : ksize;
	uint64_t off = ksize, end = c->size;
	uint8_t buf[256];

	memset(c->k, 0, sizeof(c->k));
	if (m->read(m->priv, c->uaddr, c->k, n))
		return -EFAULT;
	memcpy(tr->st, c->k, n);
	tr->st_len = n;
	while (off < end) {
		size_t chunk = end - off > sizeof(buf) ? sizeof(buf) :
							 end - off;

		if (m->read(m->priv, c->uaddr + off, buf, chunk))
			return -EFAULT;
		if (tr->st_len < sizeof(tr->st)) {
			size_t room = sizeof(tr->st) - tr->st_len;
			size_t k = chunk < room ? chunk : room;

			memcpy(tr->st + tr->st_len, buf, k);
			tr->st_len += k;
		}
		for (size_t i = 0; i < chunk; i++)
			if (buf[i])
				return -E2BIG;
		off += chunk;
	}
	return 0;
}

long emu_ioctl(struct emu_ctx *ctx, unsigned long cmd, uint64_t uaddr,
	       const struct emu_mem *mem, struct emu_trace *tr)
{
	struct emu_trace scratch; /* only when tr == NULL */
	struct emu_call c;
	uint32_t cmd32 = (uint32_t)cmd;
	unsigned int nr = cmd32 & 0xff;
	uint8_t sz[4];
	long ret;

	if (!tr)
		tr = &scratch;
	memset(tr, 0, sizeof(*tr));
	tr->kind = -1;
	tr->nr = nr;
	tr->name = "unknown";

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.mem = mem;
	c.uaddr = uaddr;
	c.tr = tr;
	c.def = lookup_def(ctx->model->profile, nr);
	if (((cmd32 >> 8) & 0xff) != EMU_IOMMUFD_TYPE || !c.def) {
		ret = -ENOTTY;
		goto out;
	}
	tr->name = c.def->name;
	tr->kind = c.def->kind;
	/* direction/size bits set: ioctl_num mismatch -> ENOIOCTLCMD */
	if (cmd != (unsigned long)(0x3b00u | nr)) {
		ret = -ENOTTY;
		goto out;
	}
	if (mem->read(mem->priv, uaddr, sz, 4)) {
		ret = -EFAULT;
		goto out;
	}
	c.size = emu_get32(sz);
	tr->have_size = true;
	tr->size = c.size;
	if (c.size < c.def->min_size) {
		ret = -EINVAL;
		goto out;
	}
	ret = copy_struct(&c);
	trace_fields(&c);
	if (ret)
		goto out;

	c.faulted = emu_fault_take(ctx->model, EMU_K_IOCTL, &c.f);
	if (c.def->kind != EMU_K_IOCTL)
		c.faulted |= emu_fault_take(ctx->model, c.def->kind, &c.f);
	if (c.faulted) {
		tr->faulted = true;
		tr->fault = c.f;
		tr->delay_ms = c.f.delay_ms;
	}
	if (c.faulted && c.f.err && !c.f.efault_after_commit &&
	    !(c.f.has_tsm_code && c.def == &d_tsm_req_op)) {
		ret = -c.f.err;
		goto out;
	}
	ret = c.def->exec(&c);
	if (c.faulted && c.f.has_residue && ret >= 0)
		ret = c.f.residue;
out:
	tr->ret = ret;
	return ret;
}

/* ---- handlers ---- */

static long exec_unmodeled(struct emu_call *c)
{
	/* no IOAS/HWPT/... objects exist in the model */
	return c->def == &d_noiommu ? -ENOENT : -EOPNOTSUPP;
}

static long exec_tsm_op(struct emu_call *c)
{
	struct emu_ctx *ctx = c->ctx;
	uint32_t type = emu_get32(c->k + 4);
	uint32_t flags = emu_get32(c->k + 8);
	uint32_t id = emu_get32(c->k + 12);
	struct emu_vdev *v;

	if (flags)
		return -EOPNOTSUPP;
	v = emu_ctx_find(ctx, id);
	if (!v)
		return -ENOENT;
	if (!v->kvm)
		return -ENODEV;
	if (type == 1) {
		/* pci_tsm_bind(): no TSM context (DSM not connected) first */
		if (v->dsm_unconnected)
			return -EINVAL;
		if (v->bound_to && v->bound_to != ctx->vm)
			return -EBUSY;
		if (!v->bound_to) {
			v->bound_to = ctx->vm;
			emu_vdev_reset_tdi(v);
		}
	} else if (type == 2) {
		if (v->bound_to == ctx->vm) {
			v->bound_to = 0;
			emu_vdev_reset_tdi(v);
		}
	} else {
		return -EINVAL;
	}
	if (c->faulted && c->f.efault_after_commit)
		return -EFAULT;
	if (emu_respond(c, 16))
		return -EFAULT;
	return 0;
}

static long exec_option(struct emu_call *c)
{
	struct emu_ctx *ctx = c->ctx;
	uint32_t option_id = emu_get32(c->k + 4);
	uint16_t op = emu_get16(c->k + 8);
	uint16_t rsv = emu_get16(c->k + 10);
	uint32_t object_id = emu_get32(c->k + 12);
	uint64_t val = emu_get64(c->k + 16);
	uint8_t out[8];

	if (rsv)
		return -EOPNOTSUPP;
	switch (option_id) {
	case 0: /* IOMMU_OPTION_RLIMIT_MODE */
		if (object_id)
			return -EOPNOTSUPP;
		if (op == 1) { /* GET */
			val = ctx->rlimit_mode;
		} else if (op == 0) { /* SET */
			if (val > 1)
				return -EINVAL;
			ctx->rlimit_mode = val;
		} else {
			return -EOPNOTSUPP;
		}
		break;
	case 1: /* IOMMU_OPTION_HUGE_PAGES: needs an IOAS; none modeled */
		return -ENOENT;
	default:
		return -EOPNOTSUPP;
	}
	if (c->faulted && c->f.efault_after_commit)
		return -EFAULT;
	emu_put64(out, val);
	if (c->mem->write(c->mem->priv, c->uaddr + 16, out, 8))
		return -EFAULT;
	return 0;
}

static long exec_destroy(struct emu_call *c)
{
	struct emu_vdev *v = emu_ctx_find(c->ctx, emu_get32(c->k + 4));

	if (!v)
		return -ENOENT;
	/* iommufd_vdevice_abort() implicitly calls tsm_unbind() */
	vdev_free(v);
	if (c->faulted && c->f.efault_after_commit)
		return -EFAULT;
	return 0;
}

/* ---- name tables ---- */

static const char *const kind_names[EMU_K_COUNT] = {
	[EMU_K_OPEN] = "open",
	[EMU_K_IOCTL] = "ioctl",
	[EMU_K_TSM_OP] = "tsm_op",
	[EMU_K_TSM_REQ] = "tsm_req",
	[EMU_K_OPTION] = "option",
	[EMU_K_DESTROY] = "destroy",
	[EMU_K_READLINK] = "readlink",
	[EMU_K_PIDFD_GETFD] = "pidfd_getfd",
	[EMU_K_NL] = "nl",
	[EMU_K_CONNECT] = "connect",
	[EMU_K_DISCONNECT] = "disconnect",
	[EMU_K_LOCK] = "lock",
	[EMU_K_UNLOCK] = "unlock",
	[EMU_K_ACCEPT] = "accept",
};

const char *emu_kind_name(int kind)
{
	if (kind < 0 || kind >= EMU_K_COUNT)
		return "?";
	return kind_names[kind];
}

int emu_kind_parse(const char *s)
{
	if (!strcmp(s, "op"))
		return EMU_K_TSM_OP;
	if (!strcmp(s, "req"))
		return EMU_K_TSM_REQ;
	for (int i = 0; i < EMU_K_COUNT; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

static const char *const arch_names[] = { "none", "cca", "sev", "tdx" };

const char *emu_arch_name(int arch)
{
	if (arch < 0 || arch > EMU_ARCH_TDX)
		return "?";
	return arch_names[arch];
}

int emu_arch_parse(const char *s)
{
	for (int i = EMU_ARCH_CCA; i <= EMU_ARCH_TDX; i++)
		if (!strcasecmp(s, arch_names[i]))
			return i;
	return -1;
}

static const char *const state_names[] = { "UNLOCKED", "LOCKED", "RUN",
					   "ERROR" };

const char *emu_state_name(int st)
{
	if (st < 0 || st > EMU_TDI_ERROR)
		return "?";
	return state_names[st];
}

int emu_state_parse(const char *s)
{
	for (int i = 0; i <= EMU_TDI_ERROR; i++)
		if (!strcasecmp(s, state_names[i]))
			return i;
	return -1;
}

#define E(x)          \
	{             \
		x, #x \
	}
static const struct {
	int err;
	const char *name;
} errnames[] = {
	E(EPERM),	E(ENOENT),	 E(ESRCH),     E(EINTR),
	E(EIO),		E(ENXIO),	 E(E2BIG),     E(EBADF),
	E(EAGAIN),	E(ENOMEM),	 E(EACCES),    E(EFAULT),
	E(EBUSY),	E(EEXIST),	 E(ENODEV),    E(EINVAL),
	E(EMFILE),	E(ENOTTY),	 E(ENOSPC),    E(ERANGE),
	E(ENOSYS),	E(ENODATA),	 E(ETIME),     E(EPROTO),
	E(EMSGSIZE),	E(EOPNOTSUPP),	 E(EOVERFLOW), E(ECONNREFUSED),
	E(ETIMEDOUT),	E(ECANCELED),	 E(EHWPOISON), E(ENOTSUP),
	E(EWOULDBLOCK), E(ENOMSG),	 E(ENOLINK),   E(EBADMSG),
	E(ENOBUFS),	E(EKEYREJECTED),
};
#undef E

const char *emu_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return NULL;
}

int emu_errno_parse(const char *s)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(s, errnames[i].name))
			return errnames[i].err;
	v = strtol(s, &end, 0);
	if (*s && !*end && v > 0 && v < 4096)
		return (int)v;
	return 0;
}
