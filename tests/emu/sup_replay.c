// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu supervisor side of --replay: match a trapped ioctl against the
 * next recorded one and answer it from the trace (README.md "Replay").
 */
#include <errno.h>
#include <string.h>

#include "sup.h"

#define PTR_OFF		24	/* req_uptr@24, resp_uptr@32 (40 and 48 B) */
#define PTR_END		40
#define CODE_OFF	40	/* tsm_code@40 (48 B) */
#define CODE_END	48

/* the bytes that must match: pointers and the tsm_code output ignored */
static void mask(const struct emu_replay_rec *rec, uint8_t *st, size_t len)
{
	if (!rec->is_req)
		return;
	if (len >= PTR_END)
		memset(st + PTR_OFF, 0, PTR_END - PTR_OFF);
	if (len >= CODE_END)
		memset(st + CODE_OFF, 0, CODE_END - CODE_OFF);
}

static const char *compare(const struct emu_replay_rec *rec,
			   unsigned long cmd, const uint8_t *st, size_t len)
{
	uint8_t a[128], b[128];

	if (rec->request != cmd)
		return "request code differs";
	if (rec->st_len != len)
		return "struct length differs";
	memcpy(a, st, len);
	memcpy(b, rec->st, len);
	mask(rec, a, len);
	mask(rec, b, len);
	return memcmp(a, b, len) ? "struct bytes differ" : NULL;
}

static void answer(struct emu_sup *s, const struct emu_replay_rec *rec,
		   uint64_t ua, const uint8_t *st, size_t len,
		   struct emu_replay_hit *h)
{
	void *tid = &s->req->pid;
	uint64_t resp_uptr;

	h->err = rec->err;
	h->ret = rec->err ? -1 : rec->rc;
	if (rec->is_req && rec->resp_len && len >= PTR_END) {
		memcpy(&resp_uptr, st + 32, 8);
		if (sup_mem_write(tid, resp_uptr, rec->resp, rec->resp_len)) {
			h->err = EFAULT;
			h->ret = -1;
			return;
		}
		h->resp_written = rec->resp_len;
	}
	if (rec->is_req && rec->has_tsm_code && len >= CODE_END &&
	    sup_mem_write(tid, ua + CODE_OFF, &rec->tsm_code, 8)) {
		h->err = EFAULT;
		h->ret = -1;
	}
}

int sup_replay_ioctl(struct emu_sup *s, int fd, int ctx, unsigned long cmd)
{
	struct emu_replay *r = s->replay;
	struct emu_replay_hit h = { 0 };
	uint64_t ua = s->req->data.args[2];
	void *tid = &s->req->pid;
	uint8_t st[128] = { 0 };
	uint32_t size = 0;
	size_t len = 0;

	if (!emu_replay_covers(r, cmd))
		return 0;	/* the model answers */
	s->resp->flags = 0;
	if (r->next < r->nrec)
		h.rec = &r->rec[r->next];
	if (sup_mem_read(tid, ua, &size, 4)) {
		h.why = "struct unreadable";
	} else {
		len = size < sizeof(st) ? size : sizeof(st);
		if (len < 4 || sup_mem_read(tid, ua, st, len))
			h.why = "struct unreadable";
		else if (!h.rec)
			h.why = "trace exhausted";
		else
			h.why = compare(h.rec, cmd, st, len);
	}
	if (h.why) {
		h.mismatch = true;
		h.err = EIO;
		h.ret = -1;
	} else {
		r->next++;
		answer(s, h.rec, ua, st, len, &h);
	}
	if (h.err)
		s->resp->error = -h.err;
	else
		s->resp->val = h.ret;
	log_replay(s, (pid_t)s->req->pid, fd, ctx, cmd, st, len, &h);
	return 1;
}
