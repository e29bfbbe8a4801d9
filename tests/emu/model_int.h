/* SPDX-License-Identifier: GPL-2.0 */
/* tsm-emu kernel model: internals shared by model.c and model_req.c */
#ifndef TSM_EMU_MODEL_INT_H
#define TSM_EMU_MODEL_INT_H

#include "model.h"

struct emu_fdesc {
	const char *name;
	unsigned int off;
	unsigned int size; /* 2, 4 or 8 */
};

struct emu_call;

struct emu_ioctl_def {
	const char *name;
	int kind; /* enum emu_kind */
	unsigned int size; /* kernel struct size */
	unsigned int min_size; /* offsetofend(last) */
	const struct emu_fdesc *fields;
	long (*exec)(struct emu_call *c);
};

struct emu_call {
	struct emu_ctx *ctx;
	const struct emu_mem *mem;
	uint64_t uaddr;
	uint32_t size; /* caller's size field */
	uint8_t k[64]; /* kernel copy, zero-filled to def->size */
	const struct emu_ioctl_def *def;
	struct emu_trace *tr;
	bool faulted;
	struct emu_fault f;
};

static inline uint16_t emu_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t emu_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t emu_get64(const uint8_t *p)
{
	return (uint64_t)emu_get32(p) | (uint64_t)emu_get32(p + 4) << 32;
}

static inline void emu_put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void emu_put64(uint8_t *p, uint64_t v)
{
	emu_put32(p, (uint32_t)v);
	emu_put32(p + 4, (uint32_t)(v >> 32));
}

/* copy back min(size, len) bytes of c->k; 0 or -EFAULT */
int emu_respond(struct emu_call *c, unsigned int len);
void emu_vdev_reset_tdi(struct emu_vdev *v);

long emu_exec_tsm_req_v5(struct emu_call *c);
long emu_exec_tsm_req_op(struct emu_call *c);

#endif /* TSM_EMU_MODEL_INT_H */
