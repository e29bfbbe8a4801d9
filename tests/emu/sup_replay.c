// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu supervisor side of --replay: match a trapped ioctl (or a netlink
 * message sent on an emulated NETLINK_GENERIC socket) against the next
 * recorded one and answer it from the trace (README.md "Replay").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "sup.h"

#define PTR_OFF 24 /* req_uptr@24, resp_uptr@32 (40 and 48 B) */
#define PTR_END 40
#define CODE_OFF 40 /* tsm_code@40 (48 B) */
#define CODE_END 48

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

static const char *compare(const struct emu_replay_rec *rec, unsigned long cmd,
			   const uint8_t *st, size_t len)
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

/*
 * A recorded nonce: the 32 bytes behind the pointer at nonce_off of the
 * live payload must be the recorded ones (the pointer itself differs
 * from run to run). req_uptr@24 in both TSM_REQ layouts.
 */
static const char *compare_nonce(struct emu_sup *s,
				 const struct emu_replay_rec *rec,
				 const uint8_t *st, size_t len)
{
	void *tid = &s->req->pid;
	uint64_t req_uptr, np;
	uint8_t nonce[32];

	if (!rec->has_nonce)
		return NULL;
	if (len < PTR_END)
		return "nonce recorded, struct too short";
	memcpy(&req_uptr, st + PTR_OFF, 8);
	if (sup_mem_read(tid, req_uptr + rec->nonce_off, &np, 8) ||
	    sup_mem_read(tid, np, nonce, sizeof(nonce)))
		return "nonce unreadable through the payload's pointer";
	return memcmp(nonce, rec->nonce, sizeof(nonce)) ? "nonce bytes differ" :
							  NULL;
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
		return 0; /* the model answers */
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
		if (!h.why && h.rec)
			h.why = compare_nonce(s, h.rec, st, len);
	}
	if (!h.why && h.rec->unknown) {
		/* the record is used, but there is no outcome to give */
		r->next++;
		h.mismatch = true;
		h.why = "intent without a result in the trace: outcome unknown";
		h.err = EIO;
		h.ret = -1;
	} else if (h.why) {
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

/*
 * Netlink (README.md "Replay"): each message the target sends is compared
 * with the next unused "send" record; on a match the "recv" records that
 * follow it are delivered, one datagram each, with the live seq and port.
 */
#define NL_SEQ_OFF 8 /* nlmsghdr.nlmsg_seq */
#define NL_PID_OFF 12 /* nlmsghdr.nlmsg_pid */
#define NL_ECHO_OFF (NLMSG_HDRLEN + 4) /* NLMSG_ERROR: echoed header */
#define NL_F_CAPPED 0x100
#define NL_F_ACK_TLVS 0x200
#define NL_ATTR_MSG 1 /* NLMSGERR_ATTR_MSG */
#define NL_LOG_HEX 4096

static const char *nl_compare(const struct emu_replay_nlrec *rec,
			      const uint8_t *m, size_t len)
{
	if (rec->redacted)
		return "request redacted in the trace";
	if (rec->len != len)
		return "message length differs";
	if (memcmp(m, rec->msg, NL_SEQ_OFF) ||
	    memcmp(m + NLMSG_HDRLEN, rec->msg + NLMSG_HDRLEN,
		   len - NLMSG_HDRLEN))
		return "message bytes differ";
	return NULL;
}

static int nl_emit(struct emu_nlsock *n, const void *msg, size_t len)
{
	return send(n->sfd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) ==
			       (ssize_t)len ?
		       0 :
		       -1;
}

/* the in-band error of a reply, for the log */
static void nl_note_err(const uint8_t *m, size_t len,
			struct emu_replay_nlhit *h)
{
	struct nlmsghdr hdr;
	int32_t e;

	if (len < NLMSG_HDRLEN + 4)
		return;
	memcpy(&hdr, m, sizeof(hdr));
	if (hdr.nlmsg_type != NLMSG_ERROR && hdr.nlmsg_type != NLMSG_DONE)
		return;
	memcpy(&e, m + NLMSG_HDRLEN, 4);
	if (!e)
		return;
	h->err = e < 0 ? -e : e;
	h->err_in_done = hdr.nlmsg_type == NLMSG_DONE;
}

/* NLMSG_ERROR -EIO for @req (capped), with the reason as extack */
static int nl_fail(struct emu_nlsock *n, const struct nlmsghdr *req,
		   uint32_t port, struct emu_replay_nlhit *h)
{
	static char text[96];
	uint8_t b[NLMSG_HDRLEN + 4 + NLMSG_HDRLEN + NLA_HDRLEN + 100] = { 0 };
	struct nlmsghdr hdr = {
		.nlmsg_type = NLMSG_ERROR,
		.nlmsg_flags = NL_F_CAPPED,
		.nlmsg_seq = req->nlmsg_seq,
		.nlmsg_pid = port,
	};
	int32_t e = -EIO;
	size_t len = NL_ECHO_OFF + NLMSG_HDRLEN;

	memcpy(b + NLMSG_HDRLEN, &e, 4);
	memcpy(b + NL_ECHO_OFF, req, NLMSG_HDRLEN);
	if (n->ext_ack) {
		struct nlattr a = { .nla_type = NL_ATTR_MSG };

		snprintf(text, sizeof(text), "tsm-emu replay: %s", h->why);
		a.nla_len = (uint16_t)(NLA_HDRLEN + strlen(text) + 1);
		memcpy(b + len, &a, sizeof(a));
		memcpy(b + len + NLA_HDRLEN, text, strlen(text) + 1);
		len += NLA_ALIGN(a.nla_len);
		hdr.nlmsg_flags |= NL_F_ACK_TLVS;
		h->extack = text;
	}
	hdr.nlmsg_len = (uint32_t)len;
	memcpy(b, &hdr, sizeof(hdr));
	h->err = EIO;
	h->replies = 1;
	return nl_emit(n, b, len);
}

/* deliver the replies recorded after the matched request @i */
static int nl_answer(struct emu_replay *r, size_t i, struct emu_nlsock *n,
		     const struct nlmsghdr *req, uint32_t port,
		     struct emu_replay_nlhit *h)
{
	size_t end = i + 1;

	while (end < r->nnl && !r->nl[end].send)
		end++;
	r->nl_next = end; /* consumed, whatever the replies hold */
	for (size_t j = i + 1; j < end; j++)
		if (r->nl[j].redacted && !r->nl[j].headers_kept) {
			h->mismatch = true;
			h->why = "reply redacted in the trace";
			h->redacted = &r->nl[j];
			return nl_fail(n, req, port, h);
		}
	for (size_t j = i + 1; j < end; j++) {
		const struct emu_replay_nlrec *rec = &r->nl[j];
		uint8_t *m = malloc(rec->len);
		struct nlmsghdr hdr;
		int rc;

		if (!m)
			return -1;
		memcpy(m, rec->msg, rec->len);
		memcpy(m + NL_SEQ_OFF, &req->nlmsg_seq, 4);
		memcpy(m + NL_PID_OFF, &port, 4);
		memcpy(&hdr, m, sizeof(hdr));
		if (hdr.nlmsg_type == NLMSG_ERROR &&
		    rec->len >= NL_ECHO_OFF + NLMSG_HDRLEN) {
			memcpy(m + NL_ECHO_OFF + NL_SEQ_OFF, &req->nlmsg_seq,
			       4);
			memcpy(m + NL_ECHO_OFF + NL_PID_OFF, &req->nlmsg_pid,
			       4);
		}
		nl_note_err(m, rec->len, h);
		rc = nl_emit(n, m, rec->len);
		free(m);
		if (rc)
			return -1;
		h->replies++;
	}
	return 0;
}

static void log_str(FILE *f, const char *key, const char *s, size_t max)
{
	fprintf(f, ",\"%s\":", key);
	emu_log_strn(f, s, max);
}

static void log_hex(FILE *f, const char *key, const uint8_t *p, size_t n)
{
	emu_log_hex(f, key, p, n < NL_LOG_HEX ? n : NL_LOG_HEX);
}

/* name (DEV_NAME, or nlctrl's FAMILY_NAME) and TYPE_MASK, when present */
/* the request's name and mask: CTRL_ATTR_FAMILY_NAME 2, or DEV_NAME (5 in
 * device-evidence, 4 in pci-tsm) and TYPE_MASK 2 */
static void log_attrs(FILE *f, const uint8_t *m, size_t len, bool ctrl,
		      bool de)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	uint16_t want_name = ctrl ? 2 : de ? 5 : 4;

	while (off + NLA_HDRLEN <= len) {
		struct nlattr a;

		memcpy(&a, m + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > len)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == want_name)
			log_str(f, "name", (const char *)m + off + NLA_HDRLEN,
				a.nla_len - NLA_HDRLEN);
		else if (!ctrl && (a.nla_type & NLA_TYPE_MASK) == 2 &&
			 a.nla_len == NLA_HDRLEN + 4) {
			uint32_t v;

			memcpy(&v, m + off + NLA_HDRLEN, 4);
			fprintf(f, ",\"type_mask\":%u", v);
		}
		off += NLA_ALIGN(a.nla_len);
	}
}

static void log_nl_replay(struct emu_sup *s, int fd, const uint8_t *m,
			  size_t len, const struct emu_replay_nlhit *h)
{
	const struct nlmsghdr *req = (const void *)m;
	bool ctrl = req->nlmsg_type == GENL_ID_CTRL;
	const char *name = emu_errno_name(h->err);
	const char *fam = h->rec && h->rec->family[0] ? h->rec->family :
							EMU_NL_FAMILY_NAME;
	FILE *f = s->log;

	if (!f)
		return;
	fprintf(f,
		"{\"seq\":%lu,\"pid\":%d,\"call\":\"netlink\","
		"\"profile\":\"%s\",\"fd\":%d,\"replay\":true,"
		"\"family\":\"%s\",\"nlmsg_type\":%u,\"nlmsg_flags\":\"0x%x\","
		"\"nlmsg_seq\":%u",
		++s->seq, (int)s->req->pid, emu_profile_name(s->model->profile),
		fd, ctrl ? "nlctrl" : fam, req->nlmsg_type,
		req->nlmsg_flags, req->nlmsg_seq);
	if (len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		fprintf(f, ",\"genl_cmd\":%u", m[NLMSG_HDRLEN]);
		log_attrs(f, m, len, ctrl, !strcmp(fam, EMU_DE_FAMILY_NAME));
	}
	log_hex(f, "request_hex", m, len);
	if (h->rec)
		fprintf(f, ",\"%s\":%lu",
			h->mismatch && !h->redacted ? "expected_seq" :
						      "replay_seq",
			h->rec->seq);
	if (h->mismatch) {
		fprintf(f, ",\"replay_mismatch\":true");
		log_str(f, "why", h->why, 128);
		if (h->redacted)
			fprintf(f, ",\"redacted_seq\":%lu", h->redacted->seq);
		else if (h->rec && !h->rec->redacted)
			log_hex(f, "expected_hex", h->rec->msg, h->rec->len);
	}
	fprintf(f, ",\"replies\":%d,\"errno\":%d", h->replies, h->err);
	if (h->err)
		fprintf(f, ",\"errno_name\":\"%s\",\"error_in\":\"%s\"",
			name ? name : "?", h->err_in_done ? "done" : "error");
	if (h->extack)
		log_str(f, "extack", h->extack, 128);
	fprintf(f, "}\n");
	fflush(f);
}

/*
 * A family lookup that is not the next recorded message: the recording
 * client may have looked up another family first (device-evidence before
 * pci-tsm). Skip recorded lookups (and their replies) up to one that
 * matches; nothing else is skipped.
 */
static void skip_lookups(struct emu_replay *r, const uint8_t *m, size_t len)
{
	size_t i = r->nl_next;

	if (((const struct nlmsghdr *)m)->nlmsg_type != GENL_ID_CTRL)
		return;
	while (i < r->nnl) {
		const struct emu_replay_nlrec *rec = &r->nl[i];

		if (rec->send && rec->len >= NLMSG_HDRLEN &&
		    ((const struct nlmsghdr *)rec->msg)->nlmsg_type !=
			    GENL_ID_CTRL)
			return;
		if (rec->send && !nl_compare(rec, m, len)) {
			r->nl_next = i;
			return;
		}
		i++;
	}
}

/* one message: 0, or -1 when the reply could not be queued */
static int nl_one(struct emu_sup *s, struct emu_nlsock *n, int fd,
		  uint32_t port, const uint8_t *m, size_t len)
{
	struct emu_replay *r = s->replay;
	struct emu_replay_nlhit h = { 0 };
	struct nlmsghdr req;
	int rc;

	memcpy(&req, m, sizeof(req));
	skip_lookups(r, m, len);
	if (r->nl_next < r->nnl) {
		h.rec = &r->nl[r->nl_next];
		h.why = nl_compare(h.rec, m, len);
	} else {
		h.why = "trace exhausted";
	}
	if (h.why) {
		h.mismatch = true;
		rc = nl_fail(n, &req, port, &h);
	} else {
		rc = nl_answer(r, r->nl_next, n, &req, port, &h);
	}
	log_nl_replay(s, fd, m, len, &h);
	return rc;
}

long sup_replay_nl_send(struct emu_sup *s, struct emu_nlsock *n, int fd,
			uint32_t port, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off + NLMSG_HDRLEN <= len) {
		struct nlmsghdr h;

		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			break;
		if (nl_one(s, n, fd, port, buf + off, h.nlmsg_len))
			return -ENOBUFS;
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return (long)len;
}
