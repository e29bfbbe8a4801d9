/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsm-emu --replay TRACE: answer iommufd ioctls from a tsmctl trace
 * (JSON Lines, "call":"ioctl" records) instead of the model.
 */
#ifndef TSM_EMU_REPLAY_H
#define TSM_EMU_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emu_replay_rec {
	unsigned long seq;	/* the record's "seq" (else its line) */
	unsigned int line;
	unsigned long request;	/* 0x3bNN */
	uint8_t st[128];	/* struct_hex */
	size_t st_len;
	bool is_req;		/* has a "request" object: TSM_REQ */
	long rc;
	int err;
	bool has_tsm_code;
	uint64_t tsm_code;
	uint8_t *resp;		/* response_hex */
	size_t resp_len;
};

struct emu_replay {
	const char *path;
	struct emu_replay_rec *rec;
	size_t nrec, next;	/* next: the record the next call must match */
};

/* what one replayed call did, for the log */
struct emu_replay_hit {
	const struct emu_replay_rec *rec;	/* matched or expected; NULL = none */
	bool mismatch;
	const char *why;	/* mismatch reason */
	long ret;
	int err;
	size_t resp_written;
};

/* load @path; 0, or -1 with a message in @err */
int emu_replay_load(struct emu_replay *r, const char *path, char *err,
		    size_t errlen);
void emu_replay_free(struct emu_replay *r);
/* is @request one the trace records? (else the model answers) */
bool emu_replay_covers(const struct emu_replay *r, unsigned long request);

#endif /* TSM_EMU_REPLAY_H */
