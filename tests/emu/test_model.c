// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the tsm-emu kernel model; prints TAP. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "model.h"
#include "nlmodel.h"

struct t {
	int n, failed;
};

#define CHECK(T, cond, ...)                                         \
	do {                                                        \
		(T)->n++;                                           \
		if (!(cond))                                        \
			(T)->failed++;                              \
		printf("%sok %d - ", (cond) ? "" : "not ", (T)->n); \
		printf(__VA_ARGS__);                                \
		printf("\n");                                       \
	} while (0)

#define EQ(T, got, want, what)                                              \
	do {                                                                \
		long _g = (long)(got), _w = (long)(want);                   \
		CHECK(T, _g == _w, "%s (got %ld, want %ld)", what, _g, _w); \
	} while (0)

/* Test address space: real pointers; bad and read-only ranges fault. */
#define BAD_ADDR 0xdead000000000000ull

struct tmem {
	const void *ro; /* writes into [ro, ro+ro_len) fault */
	size_t ro_len;
};

static int tm_read(void *priv, uint64_t a, void *buf, size_t len)
{
	(void)priv;
	if (a < 0x10000 || a >= BAD_ADDR)
		return -EFAULT;
	memcpy(buf, (const void *)(uintptr_t)a, len);
	return 0;
}

static int tm_write(void *priv, uint64_t a, const void *buf, size_t len)
{
	struct tmem *m = priv;
	uint64_t ro = (uintptr_t)m->ro;

	if (a < 0x10000 || a >= BAD_ADDR)
		return -EFAULT;
	if (m->ro && a < ro + m->ro_len && a + len > ro)
		return -EFAULT;
	memcpy((void *)(uintptr_t)a, buf, len);
	return 0;
}

struct env {
	struct emu_model m;
	struct emu_ctx c;
	struct tmem tm;
	struct emu_mem mem;
	struct emu_trace tr;
	int v5_changed;
};

static void env_init(struct env *e, int profile)
{
	struct emu_vdev *v;

	memset(e, 0, sizeof(*e));
	emu_model_init(&e->m, profile);
	emu_ctx_init(&e->c, &e->m);
	e->mem.priv = &e->tm;
	e->mem.read = tm_read;
	e->mem.write = tm_write;
	v = emu_ctx_add_vdev(&e->c, 3, EMU_ARCH_CCA);
	emu_blob_set(&v->obj[EMU_OBJ_INTERFACE_REPORT], "REPORT0123", 10);
	v->has_bad_tsm_code = true;
	v->bad_tsm_code = 0x601;
	emu_ctx_add_vdev(&e->c, 4, EMU_ARCH_SEV);
	v = emu_ctx_add_vdev(&e->c, 5, EMU_ARCH_CCA);
	v->kvm = false;
	v = emu_ctx_add_vdev(&e->c, 6, EMU_ARCH_CCA);
	v->bound_to = 999;
	emu_ctx_add_vdev(&e->c, 7, EMU_ARCH_TDX);
}

static void env_free(struct env *e)
{
	emu_model_free_ctx(&e->c);
}

static void p32(uint8_t *b, unsigned int off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static void p64(uint8_t *b, unsigned int off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

static long ioc(struct env *e, unsigned int nr, void *arg)
{
	return emu_ioctl(&e->c, 0x3b00 | nr, (uintptr_t)arg, &e->mem, &e->tr);
}

static long tsm_op(struct env *e, unsigned int nr, uint32_t type,
		   uint32_t flags, uint32_t id)
{
	uint8_t b[16];

	p32(b, 0, 16);
	p32(b, 4, type);
	p32(b, 8, flags);
	p32(b, 12, id);
	return ioc(e, nr, b);
}

/* 48-byte TSM_REQ; *code receives tsm_code */
static long req48(struct env *e, unsigned int nr, uint32_t id, uint32_t op,
		  uint32_t arch, const void *req, uint32_t req_len, void *resp,
		  uint32_t resp_len, uint64_t *code)
{
	uint8_t b[48] = { 0 };
	long r;

	p32(b, 0, 48);
	p32(b, 4, id);
	p32(b, 8, op);
	p32(b, 12, arch);
	p32(b, 16, req_len);
	p32(b, 20, resp_len);
	p64(b, 24, (uintptr_t)req);
	p64(b, 32, (uintptr_t)resp);
	p64(b, 40, 0x5a5a5a5a5a5a5a5aull);
	r = ioc(e, nr, b);
	if (code)
		memcpy(code, b + 40, 8);
	return r;
}

static long req40(struct env *e, uint32_t id, uint32_t scope, uint32_t rsv,
		  const void *req, uint32_t req_len, void *resp,
		  uint32_t resp_len, uint8_t *copy)
{
	uint8_t b[40] = { 0 };
	long r;

	p32(b, 0, 40);
	p32(b, 4, id);
	p32(b, 8, scope);
	p32(b, 12, req_len);
	p32(b, 16, resp_len);
	p32(b, 20, rsv);
	p64(b, 24, (uintptr_t)req);
	p64(b, 32, (uintptr_t)resp);
	memcpy(copy, b, 40);
	r = ioc(e, 0x96, b);
	e->v5_changed |= memcmp(copy, b, 40) != 0;
	return r;
}

static void test_dispatcher(struct t *t)
{
	struct env e;
	uint8_t b[64] = { 0 };

	env_init(&e, EMU_PROFILE_V6);
	EQ(t, tsm_op(&e, 0x7f, 1, 0, 3), -ENOTTY, "nr < 0x80 -> ENOTTY");
	EQ(t, tsm_op(&e, 0x98, 1, 0, 3), -ENOTTY, "v6: nr 0x98 -> ENOTTY");
	p32(b, 0, 16);
	EQ(t, emu_ioctl(&e.c, 0xc0103b96, (uintptr_t)b, &e.mem, &e.tr), -ENOTTY,
	   "size/dir bits in cmd -> ENOTTY");
	EQ(t, emu_ioctl(&e.c, 0x3b96, 0, &e.mem, &e.tr), -EFAULT,
	   "NULL arg -> EFAULT");
	EQ(t, emu_ioctl(&e.c, 0x3b96, BAD_ADDR, &e.mem, &e.tr), -EFAULT,
	   "bad arg -> EFAULT");
	p32(b, 0, 12);
	EQ(t, ioc(&e, 0x96, b), -EINVAL, "size 12 < min 16 -> EINVAL");
	p32(b, 0, 24);
	p32(b, 4, 1);
	p32(b, 12, 3);
	EQ(t, ioc(&e, 0x96, b), 0, "size 24, zero tail -> 0");
	b[20] = 1;
	EQ(t, ioc(&e, 0x96, b), -E2BIG, "size 24, non-zero tail -> E2BIG");
	CHECK(t, e.tr.st_len == 24 && e.tr.st[20] == 1,
	      "trace keeps the tail bytes read");
	b[20] = 0;
	EQ(t, tsm_op(&e, 0x95, 1, 0, 3), -EINVAL,
	   "v6: 16-byte TSM_OP at 0x95 (NOIOMMU_GET_PA) -> EINVAL");
	memset(b, 0, sizeof(b));
	p32(b, 0, 32);
	EQ(t, ioc(&e, 0x95, b), -ENOENT, "v6: NOIOMMU_GET_PA 32 B -> ENOENT");
	p32(b, 0, 8);
	EQ(t, ioc(&e, 0x81, b), -EOPNOTSUPP, "unmodeled 0x81 -> EOPNOTSUPP");
	EQ(t, tsm_op(&e, 0x97, 1, 0, 3), -EINVAL,
	   "v6: 16 B at TSM_REQ 0x97 -> EINVAL");
	env_free(&e);

	env_init(&e, EMU_PROFILE_V5);
	EQ(t, tsm_op(&e, 0x97, 1, 0, 3), -ENOTTY, "v5: 0x97 -> ENOTTY");
	EQ(t, tsm_op(&e, 0x95, 1, 0, 3), 0, "v5: bind at 0x95 -> 0");
	env_free(&e);
	env_init(&e, EMU_PROFILE_V7);
	EQ(t, tsm_op(&e, 0x97, 1, 0, 3), -ENOTTY, "v7: 0x97 -> ENOTTY");
	EQ(t, tsm_op(&e, 0x95, 1, 0, 3), -EINVAL, "v7: 0x95 16 B -> EINVAL");
	env_free(&e);
}

static void test_tsm_op(struct t *t)
{
	struct env e;
	uint8_t b[16];
	long r;

	env_init(&e, EMU_PROFILE_V6);
	EQ(t, tsm_op(&e, 0x96, 1, 1, 3), -EOPNOTSUPP, "flags -> EOPNOTSUPP");
	EQ(t, tsm_op(&e, 0x96, 1, 1, 99), -EOPNOTSUPP,
	   "flags checked before lookup");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 99), -ENOENT, "unknown vdevice -> ENOENT");
	EQ(t, tsm_op(&e, 0x96, 3, 0, 3), -EINVAL, "type 3 -> EINVAL");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 5), -ENODEV, "no KVM -> ENODEV");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 6), -EBUSY, "bound to other VM -> EBUSY");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), 0, "bind -> 0");
	EQ(t, e.c.vdev[0].bound_to, e.c.vm, "bound to this VM");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), 0, "bind again, same VM -> 0");
	EQ(t, tsm_op(&e, 0x96, 2, 0, 3), 0, "unbind -> 0");
	EQ(t, e.c.vdev[0].bound_to, 0, "unbound");
	EQ(t, tsm_op(&e, 0x96, 2, 0, 3), 0, "unbind again -> 0");
	p32(b, 0, 16);
	p32(b, 4, 1);
	p32(b, 8, 0);
	p32(b, 12, 3);
	e.tm.ro = b;
	e.tm.ro_len = 16;
	r = ioc(&e, 0x96, b);
	EQ(t, r, -EFAULT, "copy-back to read-only struct -> EFAULT");
	EQ(t, e.c.vdev[0].bound_to, e.c.vm, "...but the bind happened");
	e.tm.ro = NULL;
	CHECK(t,
	      !strcmp(e.tr.name, "TSM_OP") && e.tr.nfields == 4 &&
		      e.tr.fields[3].val == 3,
	      "trace decodes TSM_OP fields");
	env_free(&e);
}

static void test_req_v5(struct t *t)
{
	struct env e;
	uint8_t copy[40], req[16] = { 0 }, resp[32];
	long r;

	env_init(&e, EMU_PROFILE_V5);
	p32(req, 0, 1);
	p32(req, 4, EMU_OBJ_INTERFACE_REPORT);
	EQ(t, req40(&e, 3, 0, 1, req, 8, resp, 32, copy), -EOPNOTSUPP,
	   "v5: reserved -> EOPNOTSUPP");
	EQ(t, req40(&e, 3, 4, 0, req, 8, resp, 32, copy), -EINVAL,
	   "v5: scope 4 -> EINVAL");
	EQ(t, req40(&e, 99, 0, 0, req, 8, resp, 32, copy), -ENOENT,
	   "v5: unknown vdevice -> ENOENT");
	EQ(t, req40(&e, 3, 0, 0, req, 8, resp, 32, copy), -ENXIO,
	   "v5: not bound -> ENXIO");
	EQ(t, tsm_op(&e, 0x95, 1, 0, 3), 0, "v5: bind");
	EQ(t, req40(&e, 3, 3, 0, req, 8, resp, 32, copy), -EINVAL,
	   "v5: debug-write scope -> EINVAL");
	memset(resp, 0xee, sizeof(resp));
	r = req40(&e, 3, 0, 0, req, 8, resp, 32, copy);
	EQ(t, r, 28, "v5: OBJECT_SIZE residue = 32 - 4");
	EQ(t, resp[0] | resp[1] << 8, 10, "v5: OBJECT_SIZE = 10");
	EQ(t, resp[4], 0xee, "v5: byte after response untouched");
	p32(req, 0, 2);
	p64(req, 8, 6);
	r = req40(&e, 3, 0, 0, req, 16, resp, 32, copy);
	EQ(t, r, 28, "v5: OBJECT_READ offset 6 residue 28");
	CHECK(t, !memcmp(resp, "0123", 4), "v5: OBJECT_READ bytes");
	EQ(t, req40(&e, 3, 0, 0, req, 16, (void *)BAD_ADDR, 32, copy), -EFAULT,
	   "v5: bad resp_uptr -> EFAULT");
	EQ(t, req40(&e, 3, 0, 0, (void *)BAD_ADDR, 16, resp, 32, copy), -EFAULT,
	   "v5: bad req_uptr -> EFAULT");
	p32(req, 0, 7);
	p32(req, 4, EMU_TDI_LOCKED);
	EQ(t, req40(&e, 3, 1, 0, req, 12, NULL, 0, copy), 4,
	   "v5: SET_TDI_STATE, resp_len 0: residue = unconsumed req bytes");
	EQ(t, e.c.vdev[0].state, EMU_TDI_LOCKED, "v5: state LOCKED");
	EQ(t, req40(&e, 3, 0, 0, req, 8, NULL, 0, copy), -EINVAL,
	   "v5: state change in info scope -> EINVAL");
	EQ(t, req40(&e, 3, 1, 0, req, 2, NULL, 0, copy), -EINVAL,
	   "v5: req_len 2 -> EINVAL");
	EQ(t, e.v5_changed, 0, "v5: struct never copied back");
	env_free(&e);
}

/*
 * v7 object ops (S30): OBJECT_INFO 7 answers 4 bytes, READ_OBJECT 5 needs
 * room for the whole object, REGEN_OBJECT 6 reads the 32 nonce bytes
 * through the payload's pointer (0 for the interface report); the VCA is
 * object type 0.
 */
static void test_v7_objects(struct t *t, struct env *e, uint8_t *req,
			    uint8_t *resp)
{
	uint8_t nonce[32], regen[24] = { 0 };
	struct emu_vdev *v = emu_ctx_find(&e->c, 3);

	for (int i = 0; i < 32; i++)
		nonce[i] = (uint8_t)(0xa0 + i);
	emu_blob_set(&v->obj[EMU_OBJ_VCA], "VCA", 3);
	p32(req, 0, 0);
	EQ(t, req48(e, 0x96, 3, 7, 1, req, 4, resp, 4, NULL), 0,
	   "v7: OBJECT_INFO (7) of type 0 (VCA): residue 0");
	EQ(t, resp[0], 3, "v7: the VCA is 3 bytes");
	p32(req, 0, 3);
	p32(req, 4, 0);
	p64(req, 8, 0);
	EQ(t, req48(e, 0x96, 3, 5, 1, req, 16, resp, 9, NULL), -ENOSPC,
	   "v7: READ_OBJECT (5) into a buffer smaller than the object");
	EQ(t, req48(e, 0x96, 3, 5, 1, req, 16, resp, 10, NULL), 0,
	   "v7: READ_OBJECT of exactly the object's size: residue 0");
	p32(req, 4, 1);
	EQ(t, req48(e, 0x96, 3, 5, 1, req, 16, resp, 10, NULL), -EINVAL,
	   "v7: READ_OBJECT reserved != 0 -> EINVAL");
	p32(req, 0, 4);
	p32(req, 4, 0);
	EQ(t, req48(e, 0x96, 3, 7, 1, req, 4, resp, 4, NULL), -EINVAL,
	   "v7: object type 4 does not exist");
	p32(regen, 0, 2);
	p64(regen, 8, 1);
	p64(regen, 16, (uintptr_t)nonce);
	emu_blob_set(&v->obj[EMU_OBJ_MEASUREMENT], "M", 1);
	emu_blob_set(&v->obj[EMU_OBJ_CERTIFICATE], "C", 1);
	EQ(t, req48(e, 0x96, 3, 6, 1, regen, 24, NULL, 0, NULL), 0,
	   "v7: REGEN_OBJECT (6) of measurements with a nonce");
	CHECK(t, e->tr.have_nonce && !memcmp(e->tr.nonce, nonce, 32) &&
			 v->have_nonce && !memcmp(v->last_nonce, nonce, 32),
	      "v7: the nonce bytes were read through the pointer");
	p64(regen, 8, 2);
	EQ(t, req48(e, 0x96, 3, 6, 1, regen, 24, NULL, 0, NULL), -EINVAL,
	   "v7: measurement flags 2 -> EINVAL");
	p32(regen, 0, 3);
	p64(regen, 8, 0);
	EQ(t, req48(e, 0x96, 3, 6, 1, regen, 24, NULL, 0, NULL), -EINVAL,
	   "v7: the interface report with a nonce pointer -> EINVAL");
	p64(regen, 16, 0);
	EQ(t, req48(e, 0x96, 3, 6, 1, regen, 24, NULL, 0, NULL), 0,
	   "v7: the interface report with pointer 0");
	p32(regen, 0, 1);
	EQ(t, req48(e, 0x96, 3, 6, 1, regen, 24, NULL, 0, NULL), -EINVAL,
	   "v7: a certificate without a nonce pointer -> EINVAL");
	p64(regen, 16, 8);
	EQ(t, req48(e, 0x96, 3, 6, 1, regen, 24, NULL, 0, NULL), -EFAULT,
	   "v7: a nonce pointer the kernel cannot read -> EFAULT");
}

static void test_req_op(struct t *t)
{
	struct env e;
	uint8_t req[24], resp[32];
	uint64_t code;
	long r;

	env_init(&e, EMU_PROFILE_V6);
	p32(req, 0, EMU_TDI_LOCKED);
	EQ(t, req48(&e, 0x97, 99, 2, 0, req, 4, NULL, 0, NULL), -EINVAL,
	   "arch 0 -> EINVAL before lookup");
	EQ(t, req48(&e, 0x97, 99, 2, 4, req, 4, NULL, 0, NULL), -EINVAL,
	   "arch 4 -> EINVAL");
	EQ(t, req48(&e, 0x97, 99, 5, 1, req, 4, NULL, 0, NULL), -EINVAL,
	   "v6: op 5 -> EINVAL");
	EQ(t, req48(&e, 0x97, 99, 3, 1, req, 4, NULL, 0, NULL), -EINVAL,
	   "SEV op with CCA arch -> EINVAL before lookup");
	EQ(t, req48(&e, 0x97, 99, 2, 1, req, 4, NULL, 0, NULL), -ENOENT,
	   "unknown vdevice -> ENOENT");
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, NULL), -ENXIO,
	   "not bound -> ENXIO");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), 0, "bind 3");
	EQ(t, req48(&e, 0x97, 3, 2, 2, req, 4, NULL, 0, NULL), -EINVAL,
	   "arch mismatch with vdevice -> EINVAL");
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 5, NULL, 0, NULL), -EINVAL,
	   "SET_TDI_STATE req_len 5 -> EINVAL");
	p32(req, 0, EMU_TDI_RUN);
	r = req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, &code);
	EQ(t, r, -EINVAL, "UNLOCKED -> RUN illegal -> EINVAL");
	EQ(t, code, 0x601, "illegal transition: scenario tsm_code copied back");
	p32(req, 0, EMU_TDI_LOCKED);
	r = req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, &code);
	EQ(t, r, 0, "UNLOCKED -> LOCKED");
	EQ(t, code, 0, "tsm_code zeroed on success");
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, NULL), -EINVAL,
	   "LOCKED -> LOCKED illegal");
	p64(req, 0, 0x80000000);
	p64(req, 8, 0x80010000);
	p64(req, 16, 0x4000000000);
	EQ(t, req48(&e, 0x97, 3, 1, 1, req, 24, NULL, 0, NULL), 0,
	   "VALIDATE_MMIO -> 0");
	EQ(t, e.c.vdev[0].nmmio, 1, "mapping recorded");
	EQ(t, req48(&e, 0x97, 3, 1, 1, req, 23, NULL, 0, NULL), -EINVAL,
	   "VALIDATE_MMIO req_len 23 -> EINVAL");
	p64(req, 8, 0x80000000);
	EQ(t, req48(&e, 0x97, 3, 1, 1, req, 24, NULL, 0, NULL), -EINVAL,
	   "VALIDATE_MMIO base >= top -> EINVAL");
	p64(req, 8, 0x80010010);
	EQ(t, req48(&e, 0x97, 3, 1, 1, req, 24, NULL, 0, NULL), -EINVAL,
	   "VALIDATE_MMIO unaligned -> EINVAL");
	EQ(t, req48(&e, 0x97, 3, 1, 1, (void *)BAD_ADDR, 24, NULL, 0, NULL),
	   -EFAULT, "bad req_uptr -> EFAULT");
	p32(req, 0, EMU_TDI_RUN);
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, resp, 16, NULL), 16,
	   "LOCKED -> RUN, residue = unused resp 16");
	EQ(t, e.c.vdev[0].state, EMU_TDI_RUN, "state RUN");
	p32(req, 0, EMU_TDI_UNLOCKED);
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, NULL), 0,
	   "RUN -> UNLOCKED");
	EQ(t, e.c.vdev[0].nmmio, 0, "unlock clears mappings");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 4), 0, "bind SEV vdevice");
	p32(req, 0, 77);
	EQ(t, req48(&e, 0x97, 4, 2, 2, req, 4, NULL, 0, NULL), 0,
	   "SEV SET_TDI_STATE any u32 -> 0");
	EQ(t, req48(&e, 0x97, 4, 3, 2, req, 8, NULL, 0, NULL), 0,
	   "SEV_ENABLE_DMA -> 0");
	CHECK(t, e.c.vdev[1].dma_enabled, "DMA enabled");
	EQ(t, req48(&e, 0x97, 4, 1, 2, req, 24, NULL, 0, NULL), -EINVAL,
	   "VALIDATE_MMIO on SEV -> EINVAL");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 7), 0, "bind TDX vdevice");
	p32(req, 0, EMU_TDI_LOCKED);
	EQ(t, req48(&e, 0x97, 7, 2, 3, req, 4, NULL, 0, NULL), 0,
	   "TDX SET_TDI_STATE -> 0");
	/* struct copy-back fails: op happened, EFAULT */
	{
		uint8_t b[48] = { 0 };

		p32(req, 0, EMU_TDI_LOCKED);
		p32(b, 0, 48);
		p32(b, 4, 3);
		p32(b, 8, 2);
		p32(b, 12, 1);
		p32(b, 16, 4);
		p64(b, 24, (uintptr_t)req);
		e.tm.ro = b;
		e.tm.ro_len = 48;
		EQ(t, ioc(&e, 0x97, b), -EFAULT, "copy-back fault -> EFAULT");
		EQ(t, e.c.vdev[0].state, EMU_TDI_LOCKED, "...state changed");
		e.tm.ro = NULL;
	}
	env_free(&e);

	env_init(&e, EMU_PROFILE_V5_OP);
	EQ(t, tsm_op(&e, 0x95, 1, 0, 3), 0, "v5-op: bind");
	p32(req, 0, EMU_OBJ_INTERFACE_REPORT);
	memset(resp, 0, sizeof(resp));
	EQ(t, req48(&e, 0x96, 3, 3, 1, req, 4, resp, 8, NULL), 4,
	   "v5-op: OBJECT_INFO residue 4");
	EQ(t, resp[0], 10, "v5-op: OBJECT_INFO size 10");
	EQ(t, req48(&e, 0x96, 3, 3, 1, req, 4, resp, 2, NULL), -ENOSPC,
	   "v5-op: OBJECT_INFO resp_len 2 -> ENOSPC");
	p32(req, 0, EMU_OBJ_VCA);
	EQ(t, req48(&e, 0x96, 3, 3, 1, req, 4, resp, 8, NULL), -ENODATA,
	   "v5-op: absent object -> ENODATA");
	p32(req, 0, 9);
	EQ(t, req48(&e, 0x96, 3, 3, 1, req, 4, resp, 8, NULL), -EINVAL,
	   "v5-op: object type 9 -> EINVAL");
	p32(req, 0, EMU_OBJ_INTERFACE_REPORT);
	p32(req, 4, 0);
	p64(req, 8, 0);
	EQ(t, req48(&e, 0x96, 3, 1, 1, req, 16, resp, 32, NULL), 22,
	   "v5-op: READ_OBJECT residue 22");
	CHECK(t, !memcmp(resp, "REPORT0123", 10), "v5-op: object bytes");
	CHECK(t, e.tr.have_resp && e.tr.resp_len == 10,
	      "trace holds the response payload");
	p64(req, 8, 11);
	EQ(t, req48(&e, 0x96, 3, 1, 1, req, 16, resp, 32, NULL), -EINVAL,
	   "v5-op: READ_OBJECT offset past end -> EINVAL");
	EQ(t, req48(&e, 0x96, 3, 6, 1, req, 4, NULL, 0, NULL), -EINVAL,
	   "v5-op: SEV_ENABLE_DMA (6) with CCA -> EINVAL");
	p32(req, 0, EMU_TDI_LOCKED);
	EQ(t, req48(&e, 0x96, 3, 5, 1, req, 4, NULL, 0, NULL), 0,
	   "v5-op: SET_TDI_STATE is op 5");
	env_free(&e);

	env_init(&e, EMU_PROFILE_V7);
	p32(req, 0, EMU_TDI_LOCKED);
	EQ(t, req48(&e, 0x96, 3, 2, 1, req, 4, NULL, 0, NULL), 0,
	   "v7: bound at vdevice creation; SET_TDI_STATE (2) at 0x96 -> 0");
	test_v7_objects(t, &e, req, resp);
	env_free(&e);
}

static void test_option_destroy(struct t *t)
{
	struct env e, e2;
	uint8_t b[24] = { 0 };
	uint64_t v;

	env_init(&e, EMU_PROFILE_V6);
	p32(b, 0, 24);
	b[8] = 1; /* GET */
	p64(b, 16, 0x1234);
	EQ(t, ioc(&e, 0x87, b), 0, "OPTION RLIMIT_MODE GET -> 0");
	memcpy(&v, b + 16, 8);
	EQ(t, v, 0, "OPTION GET val64 = 0");
	b[10] = 1;
	EQ(t, ioc(&e, 0x87, b), -EOPNOTSUPP, "OPTION __reserved -> EOPNOTSUPP");
	b[10] = 0;
	p32(b, 4, 9);
	EQ(t, ioc(&e, 0x87, b), -EOPNOTSUPP, "OPTION id 9 -> EOPNOTSUPP");
	p32(b, 0, 8);
	p32(b, 4, 3);
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), 0, "bind 3");
	EQ(t, ioc(&e, 0x80, b), 0, "DESTROY vdevice 3 -> 0");
	EQ(t, ioc(&e, 0x80, b), -ENOENT, "DESTROY again -> ENOENT");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), -ENOENT, "bind destroyed -> ENOENT");

	memset(&e2, 0, sizeof(e2));
	emu_ctx_init(&e2.c, &e.m);
	e2.mem = e.mem;
	EQ(t, tsm_op(&e2, 0x96, 1, 0, 4), -ENOENT,
	   "second context sees no vdevices -> ENOENT");
	CHECK(t, e2.c.id != e.c.id, "contexts have distinct ids");
	env_free(&e);
}

static void test_faults(struct t *t)
{
	struct env e;
	struct emu_fault f;
	uint8_t req[4];
	uint64_t code;

	env_init(&e, EMU_PROFILE_V6);
	memset(&f, 0, sizeof(f));
	f.kind = EMU_K_TSM_OP;
	f.nth = 2;
	f.err = EIO;
	emu_add_fault(&e.m, &f);
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), 0, "fault nth=2: call 1 ok");
	EQ(t, tsm_op(&e, 0x96, 2, 0, 3), -EIO, "fault nth=2: call 2 EIO");
	CHECK(t, e.tr.faulted && e.tr.fault.err == EIO, "trace marks fault");
	EQ(t, e.c.vdev[0].bound_to, e.c.vm, "EIO fault: unbind not executed");
	EQ(t, tsm_op(&e, 0x96, 2, 0, 3), 0, "fault nth=2: call 3 ok");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), 0, "rebind");

	memset(&f, 0, sizeof(f));
	f.kind = EMU_K_TSM_REQ;
	f.has_tsm_code = true;
	f.tsm_code = 0xC000060800000000ull;
	f.nth = 1;
	emu_add_fault(&e.m, &f);
	memset(&f, 0, sizeof(f));
	f.kind = EMU_K_TSM_REQ;
	f.nth = 2;
	f.has_residue = true;
	f.residue = 5;
	f.delay_ms = 30;
	emu_add_fault(&e.m, &f);
	memset(&f, 0, sizeof(f));
	f.kind = EMU_K_TSM_REQ;
	f.nth = 3;
	f.efault_after_commit = true;
	emu_add_fault(&e.m, &f);
	memset(&f, 0, sizeof(f));
	f.kind = EMU_K_TSM_REQ;
	f.nth = 4;
	f.err = EIO;
	f.has_tsm_code = true;
	f.tsm_code = 0x3c;
	emu_add_fault(&e.m, &f);
	p32(req, 0, EMU_TDI_LOCKED);
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, &code), 0,
	   "forced tsm_code: op succeeds");
	EQ(t, code, 0xC000060800000000ull, "forced tsm_code copied back");
	p32(req, 0, EMU_TDI_UNLOCKED);
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, NULL), 5,
	   "forced residue 5");
	EQ(t, e.tr.delay_ms, 30, "delay reported to transport");
	p32(req, 0, EMU_TDI_LOCKED);
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, NULL), -EFAULT,
	   "efault_after_commit -> EFAULT");
	EQ(t, e.c.vdev[0].state, EMU_TDI_LOCKED, "...state change happened");
	p32(req, 0, EMU_TDI_RUN);
	EQ(t, req48(&e, 0x97, 3, 2, 1, req, 4, NULL, 0, &code), -EIO,
	   "errno + tsm_code -> EIO");
	EQ(t, code, 0x3c, "errno + tsm_code: tsm_code copied back");
	EQ(t, e.c.vdev[0].state, EMU_TDI_LOCKED, "...nothing executed");

	memset(&f, 0, sizeof(f));
	f.kind = EMU_K_IOCTL;
	f.err = ETIMEDOUT;
	emu_add_fault(&e.m, &f);
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), -ETIMEDOUT, "ioctl:*: every call 1");
	EQ(t, tsm_op(&e, 0x96, 1, 0, 3), -ETIMEDOUT, "ioctl:*: every call 2");
	EQ(t, e.m.counts[EMU_K_TSM_OP], 6, "tsm_op counter");
	env_free(&e);
}

struct coll {
	int n;
	uint8_t msg[16][256];
	size_t len[16];
	int fail_at; /* 1-based; 0 = never */
};

static int collect(void *priv, const void *msg, size_t len)
{
	struct coll *c = priv;

	if (c->fail_at && c->n + 1 == c->fail_at)
		return -1;
	if (c->n < 16) {
		memcpy(c->msg[c->n], msg, len < 256 ? len : 256);
		c->len[c->n] = len;
	}
	c->n++;
	return 0;
}

struct nlreq {
	uint8_t b[256];
	size_t len;
};

static void nl_start(struct nlreq *r, uint16_t type, uint16_t flags,
		     uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_type = type,
			      .nlmsg_flags = flags,
			      .nlmsg_seq = 77 };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	memset(r, 0, sizeof(*r));
	memcpy(r->b, &h, sizeof(h));
	memcpy(r->b + NLMSG_HDRLEN, &g, sizeof(g));
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void nl_attr(struct nlreq *r, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	memcpy(r->b + r->len, &a, sizeof(a));
	memcpy(r->b + r->len + NLA_HDRLEN, p, n);
	r->len += NLA_ALIGN(NLA_HDRLEN + n);
	((struct nlmsghdr *)r->b)->nlmsg_len = (uint32_t)r->len;
}

static int nl_errno(const struct coll *c, int i)
{
	const struct nlmsghdr *h = (const void *)c->msg[i];
	int e;

	if (h->nlmsg_type != NLMSG_ERROR && h->nlmsg_type != NLMSG_DONE)
		return 9999;
	memcpy(&e, c->msg[i] + NLMSG_HDRLEN, 4);
	return e;
}

static long nl_run(struct emu_nl *nl, struct nlreq *r, struct coll *c,
		   struct emu_nl_trace *tr)
{
	memset(c, 0, sizeof(*c));
	((struct nlmsghdr *)r->b)->nlmsg_len = (uint32_t)r->len;
	return emu_nl_handle(nl, r->b, r->len, 4242, collect, c, tr);
}

static void pci_req(struct nlreq *r, const char *dev, uint32_t mask)
{
	nl_start(r, 0x1d, NLM_F_REQUEST | NLM_F_DUMP, 1);
	if (dev)
		nl_attr(r, EMU_NL_A_DEV_NAME, dev, strlen(dev) + 1);
	nl_attr(r, EMU_NL_A_TYPE_MASK, &mask, 4);
}

static void test_netlink(struct t *t)
{
	struct emu_model m;
	struct emu_nl nl;
	struct emu_nl_trace tr;
	struct emu_fault f = { 0 };
	struct nlreq r;
	struct coll c;
	uint16_t id;
	uint32_t bad = 2;

	emu_model_init(&m, EMU_PROFILE_V6);
	emu_nl_init(&nl, &m);
	nl.family = true;
	nl.fam = EMU_NL_FAM_PCI_TSM; /* these tests use its numbering */
	nl.chunk = 4;
	snprintf(nl.dev[0].name, sizeof(nl.dev[0].name), "0000:01:00.0");
	nl.dev[0].tsm = true;
	nl.dev[0].generation = 1;
	emu_blob_set(&nl.dev[0].ev[10], "REPORT0123", 10);
	snprintf(nl.dev[1].name, sizeof(nl.dev[1].name), "0000:02:00.0");
	nl.dev[1].tsm = true;
	nl.ndev = 2;

	nl_start(&r, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		 CTRL_CMD_GETFAMILY);
	nl_attr(&r, CTRL_ATTR_FAMILY_NAME, "pci-tsm", 8);
	EQ(t, nl_run(&nl, &r, &c, &tr), (long)r.len, "nl: consumed length");
	EQ(t, c.n, 2, "nl: GETFAMILY pci-tsm -> NEWFAMILY + ACK");
	memcpy(&id, c.msg[0] + NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN, 2);
	EQ(t, id, 0x1d, "nl: FAMILY_ID attr first");
	EQ(t, ((struct nlmsghdr *)c.msg[0])->nlmsg_pid, 4242, "nl: port");
	EQ(t, ((struct nlmsghdr *)c.msg[0])->nlmsg_seq, 77, "nl: seq");
	EQ(t, nl_errno(&c, 1), 0, "nl: ACK error 0");
	nl_start(&r, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		 CTRL_CMD_GETFAMILY);
	nl_attr(&r, CTRL_ATTR_FAMILY_NAME, "nosuch", 7);
	nl_run(&nl, &r, &c, &tr);
	CHECK(t, c.n == 1 && nl_errno(&c, 0) == -ENOENT,
	      "nl: unknown family -> NLMSG_ERROR ENOENT");
	nl.family = false;
	nl_start(&r, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY);
	nl_attr(&r, CTRL_ATTR_FAMILY_NAME, "pci-tsm", 8);
	nl_run(&nl, &r, &c, &tr);
	CHECK(t, c.n == 1 && nl_errno(&c, 0) == -ENOENT,
	      "nl: family absent -> ENOENT");
	nl.family = true;

	pci_req(&r, "0000:01:00.0", 1u << 10);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, c.n, 4, "nl: 10-byte object in 4-byte chunks: 3 msgs + DONE");
	CHECK(t, ((struct nlmsghdr *)c.msg[0])->nlmsg_flags & NLM_F_MULTI,
	      "nl: NLM_F_MULTI");
	EQ(t, c.len[0], NLMSG_HDRLEN + GENL_HDRLEN + 8 + 8,
	   "nl: first message carries TYPE and VAL");
	EQ(t, c.len[1], NLMSG_HDRLEN + GENL_HDRLEN + 8,
	   "nl: next messages carry VAL only");
	EQ(t, nl_errno(&c, 3), 0, "nl: DONE 0");
	pci_req(&r, "0000:01:00.0", 1u << 8);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, c.n, 2, "nl: absent object -> one empty VAL + DONE");

	nl_start(&r, 0x1d, NLM_F_REQUEST, 1);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EOPNOTSUPP, "nl: not a dump -> EOPNOTSUPP");
	nl_start(&r, 0x1d, NLM_F_REQUEST | NLM_F_DUMP, 1);
	nl_attr(&r, EMU_NL_A_DEV_NAME, "0000:01:00.0", 13);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EINVAL, "nl: missing type-mask -> EINVAL");
	CHECK(t, !(((struct nlmsghdr *)c.msg[0])->nlmsg_flags & NLM_F_ACK_TLVS),
	      "nl: no extack TLV without NETLINK_EXT_ACK");
	memset(&c, 0, sizeof(c));
	emu_nl_handle_ext(&nl, r.b, r.len, 4242, true, collect, &c, &tr);
	CHECK(t,
	      ((struct nlmsghdr *)c.msg[0])->nlmsg_flags & NLM_F_ACK_TLVS &&
		      c.len[0] >= NLMSG_HDRLEN + 20 + NLA_HDRLEN + 28 &&
		      !strcmp((char *)c.msg[0] + NLMSG_HDRLEN + 20 + NLA_HDRLEN,
			      EMU_NL_MSG_NO_MASK) &&
		      tr.extack,
	      "nl: EXT_ACK -> NLM_F_ACK_TLVS + NLMSGERR_ATTR_MSG text");
	pci_req(&r, "0000:01:00.0", 1u << 11);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EINVAL, "nl: unknown mask bit -> EINVAL");
	pci_req(&r, "0000:01:00.0", 0);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EINVAL, "nl: empty mask -> EINVAL");
	pci_req(&r, NULL, 1);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EINVAL, "nl: missing dev-name -> EINVAL");
	pci_req(&r, "0000:01:00.0", 1);
	nl_attr(&r, EMU_NL_A_FLAGS, &bad, 4);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EINVAL, "nl: unknown flag -> EINVAL");
	pci_req(&r, "0000:09:00.0", 1);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -ENODEV, "nl: unknown device -> ENODEV");
	pci_req(&r, "0000:02:00.0", 1);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -ENXIO, "nl: generation 0 -> ENXIO");
	pci_req(&r, "0000:01:00.0", 1);
	nl_attr(&r, EMU_NL_A_NONCE, "nonce", 5);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EOPNOTSUPP, "nl: nonce -> EOPNOTSUPP");
	nl.deny_admin = true;
	pci_req(&r, "0000:01:00.0", 1);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EPERM, "nl: no CAP_NET_ADMIN -> EPERM");
	nl.deny_admin = false;

	f.kind = EMU_K_NL;
	f.eagain_dump = true;
	emu_add_fault(&m, &f);
	pci_req(&r, "0000:01:00.0", 1u << 8 | 1u << 10);
	nl_run(&nl, &r, &c, &tr);
	CHECK(t, c.n == 2 && nl_errno(&c, 1) == -EAGAIN && tr.err_in_done,
	      "nl: eagain fault -> DONE -EAGAIN after the first object");
	m.nfaults = 0;
	f.eagain_dump = false;
	f.err = EBUSY;
	emu_add_fault(&m, &f);
	pci_req(&r, "0000:01:00.0", 1);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, nl_errno(&c, 0), -EBUSY, "nl: errno fault -> NLMSG_ERROR");
	m.nfaults = 0;

	nl_start(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	nl_run(&nl, &r, &c, &tr);
	EQ(t, c.n, 0, "nl: no NLM_F_REQUEST -> ignored");
	pci_req(&r, "0000:01:00.0", 1u << 10);
	memset(&c, 0, sizeof(c));
	c.fail_at = 2;
	EQ(t, emu_nl_handle(&nl, r.b, r.len, 1, collect, &c, &tr), -1,
	   "nl: emit failure -> -1");
	EQ(t, emu_nl_handle(&nl, r.b, 8, 1, collect, &c, &tr), 0,
	   "nl: short buffer -> 0");
	emu_nl_free(&nl);
}

static void test_names(struct t *t)
{
	EQ(t, emu_profile_parse("v5-op"), EMU_PROFILE_V5_OP, "profile names");
	EQ(t, emu_profile_parse("v8"), -1, "unknown profile");
	EQ(t, emu_errno_parse("EOPNOTSUPP"), EOPNOTSUPP, "errno parse");
	EQ(t, emu_errno_parse("5"), 5, "numeric errno");
	EQ(t, emu_errno_parse("EFOO"), 0, "unknown errno");
	CHECK(t, !strcmp(emu_errno_name(ENXIO), "ENXIO"), "errno name");
	EQ(t, emu_kind_parse("req"), EMU_K_TSM_REQ, "kind alias req");
	EQ(t, emu_op_to_num(EMU_PROFILE_V6, EMU_OP_SET_TDI_STATE), 2,
	   "v6 SET_TDI_STATE = 2");
	EQ(t, emu_op_to_num(EMU_PROFILE_V7, EMU_OP_SET_TDI_STATE), 2,
	   "v7 SET_TDI_STATE = 2 (S30)");
	EQ(t, emu_op_to_num(EMU_PROFILE_V7, EMU_OP_READ_OBJECT), 5,
	   "v7 READ_OBJECT = 5");
	EQ(t, emu_op_to_num(EMU_PROFILE_V7, EMU_OP_REGEN_OBJECT), 6,
	   "v7 REGEN_OBJECT = 6");
	EQ(t, emu_op_to_num(EMU_PROFILE_V7, EMU_OP_OBJECT_INFO), 7,
	   "v7 OBJECT_INFO = 7");
	EQ(t, emu_obj_from_wire(EMU_PROFILE_V7, 0), EMU_OBJ_VCA,
	   "v7 object type 0 is the VCA");
	EQ(t, emu_obj_from_wire(EMU_PROFILE_V5_OP, 4), EMU_OBJ_VCA,
	   "v5-op object type 4 is the VCA");
	EQ(t, emu_obj_from_wire(EMU_PROFILE_V7, 4), 0,
	   "v7 object type 4 does not exist");
	EQ(t, emu_nr_tsm_op(EMU_PROFILE_V7), 0, "v7 has no TSM_OP");
}

int main(void)
{
	struct t t = { 0 };

	test_dispatcher(&t);
	test_tsm_op(&t);
	test_req_v5(&t);
	test_req_op(&t);
	test_option_destroy(&t);
	test_faults(&t);
	test_netlink(&t);
	test_names(&t);
	printf("1..%d\n", t.n);
	if (t.failed)
		printf("# %d of %d failed\n", t.failed, t.n);
	return t.failed ? 1 : 0;
}
