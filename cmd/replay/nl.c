// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl replay, netlink part: each evidence request of a trace (dump's
 * READ, of the family the trace names) is sent again on a socket
 * resolved now, and its replies
 * are compared with the ones recorded after it: how many, and per reply
 * its kind (data, DONE, ERROR with errno), its length and every payload
 * byte. The header's seq and port id, and the family id, are the socket's
 * now, not compared. A reply that dump --bundle redacted (zeroed after
 * its netlink and genetlink headers) is compared by kind, length and
 * genetlink header only; its request is counted as redacted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "core/tracing.h"
#include "nl.h"
#include "replay.h"

#define SIG_HEX_MAX 96 /* payload bytes shown in a difference */

/* Append @x, taking its bytes; -ENOMEM leaves them to the caller. */
static int replies_push(struct nl_replies *v, struct nl_reply x)
{
	struct nl_reply *r = v->r;

	if (v->n == v->cap) {
		r = realloc(v->r, (v->cap ? 2 * v->cap : 16) * sizeof(*r));
		if (!r)
			return -ENOMEM;
		v->r = r;
		v->cap = v->cap ? 2 * v->cap : 16;
	}
	v->r[v->n++] = x;
	return 0;
}

static void replies_free(struct nl_replies *v)
{
	while (v->n)
		free(v->r[--v->n].m);
	free(v->r);
	v->r = NULL;
	v->cap = 0;
}

void replay_nl_free(struct rec *r)
{
	replies_free(&r->replies);
}

/* A received message: a reply of the request before it */
static int nl_reply(struct replay_nl *s, struct tsm_trace_nl *nl,
		    struct tsm_err *e)
{
	struct nl_reply x = { ((struct nlmsghdr *)nl->msg)->nlmsg_type,
			      nl->redacted, nl->len, nl->msg };

	if (!s->cur) { /* the family lookup's: not compared */
		free(nl->msg);
		return 0;
	}
	if (replies_push(&s->cur->replies, x)) {
		free(nl->msg);
		tsm_err_set(e, ENOMEM, NULL, NULL, "out of memory");
		return -ENOMEM;
	}
	s->cur->redacted |= x.redacted;
	return 0;
}

int replay_nl_load(struct replay_nl *s, struct json_object *line, struct rec *r,
		   unsigned int no, struct tsm_err *e)
{
	struct tsm_trace_nl nl;
	int rc = tsm_trace_nl_read(line, &nl, e);

	if (rc)
		return rc;
	if (!nl.send)
		return nl_reply(s, &nl, e);
	/* a send record: the replies that follow are this request's */
	s->cur = NULL;
	if (nl.family && !s->family[0])
		snprintf(s->family, sizeof(s->family), "%s", nl.family);
	if (((struct nlmsghdr *)nl.msg)->nlmsg_type == GENL_ID_CTRL) {
		free(nl.msg); /* tsm_nl_open resolves the family itself */
		return 0;
	}
	memset(r, 0, sizeof(*r));
	r->msg = nl.msg;
	r->is_nl = true;
	r->msg_len = nl.len;
	r->line = no;
	r->call = "netlink";
	r->seq =
		(unsigned int)json_object_get_int64(tsm_trace_get(line, "seq"));
	r->orig = json_object_get(line);
	s->cur = r;
	return 1;
}

/* A reply's kind: ERROR, DONE or data; a data message's type is the
 * family id, which the kernel allocates at run time: not compared. */
static uint16_t kind(uint16_t type)
{
	return type < NLMSG_MIN_TYPE ? type : NLMSG_MIN_TYPE;
}

/*
 * What is compared of a reply's payload: all of it; when redacted only
 * the genetlink header that redaction keeps; of an ERROR only the errno
 * (the request header it echoes holds this socket's seq and port id).
 */
static size_t cmp_len(const struct nl_reply *r, bool redacted)
{
	size_t plen = r->len > NLMSG_HDRLEN ? r->len - NLMSG_HDRLEN : 0;

	if (r->type == NLMSG_ERROR)
		return plen < sizeof(int) ? plen : sizeof(int);
	return redacted && plen > GENL_HDRLEN ? GENL_HDRLEN : plen;
}

/*
 * A reply as shown in a difference: kind and errno, or kind, length and
 * up to SIG_HEX_MAX payload bytes from @from (the first byte that differs).
 */
static struct json_object *show(const struct nl_reply *r, size_t from,
				bool redacted)
{
	char buf[96 + 2 * SIG_HEX_MAX], en[16], hex[2 * SIG_HEX_MAX + 1];
	char pre[40] = "";
	size_t plen = r->len > NLMSG_HDRLEN ? r->len - NLMSG_HDRLEN : 0;
	size_t n;
	int err;

	if (r->type == NLMSG_ERROR && plen >= 4) {
		memcpy(&err, r->m + NLMSG_HDRLEN, sizeof(err));
		snprintf(buf, sizeof(buf), "error %s",
			 tsm_errno_name(err ? tsm_nl_errno(err) : 0, en,
					sizeof(en)));
		return json_object_new_string(buf);
	}
	if (from > plen)
		from = plen;
	n = plen - from < SIG_HEX_MAX ? plen - from : SIG_HEX_MAX;
	if (redacted)
		n = from < cmp_len(r, true) ? cmp_len(r, true) - from : 0;
	tsm_hex(r->m + NLMSG_HDRLEN + from, n, hex);
	if (from)
		snprintf(pre, sizeof(pre), "from byte %zu: ", from);
	snprintf(buf, sizeof(buf), "%s, %zu bytes%s: %s%s%s",
		 r->type == NLMSG_DONE		 ? "done" :
		 kind(r->type) == NLMSG_MIN_TYPE ? "evidence" :
						   "netlink control",
		 r->len, redacted ? " (redacted)" : "", pre, hex,
		 from + n < plen ? "..." : "");
	return json_object_new_string(buf);
}

/*
 * Whether two replies match: same kind, same length and the same compared
 * payload bytes (an ERROR by its errno). *@at is the first payload byte
 * that differs.
 */
static bool same(const struct nl_reply *a, const struct nl_reply *b,
		 bool redacted, size_t *at)
{
	size_t i, n = cmp_len(a, redacted);

	*at = 0;
	if (kind(a->type) != kind(b->type) ||
	    (a->type != NLMSG_ERROR && a->len != b->len))
		return false;
	if (n > cmp_len(b, redacted))
		return false;
	for (i = 0; i < n; i++)
		if (a->m[NLMSG_HDRLEN + i] != b->m[NLMSG_HDRLEN + i]) {
			*at = i;
			return false;
		}
	return true;
}

/* the replies received now */
struct now {
	struct tsmctl_ctx *ctx; /* --trace: every message, as dump traces */
	struct nl_replies got;
	size_t lost; /* counted, not kept (no memory) */
};

static void collect(void *arg, const char *dir, const void *msg, size_t len)
{
	struct now *n = arg;
	struct nl_reply x = { ((const struct nlmsghdr *)msg)->nlmsg_type, false,
			      len, NULL };

	tsm_trace_netlink(&n->ctx->trace, dir, msg, len);
	if (strcmp(dir, "recv") || len < NLMSG_HDRLEN)
		return;
	x.m = malloc(len);
	if (!x.m || replies_push(&n->got, x)) {
		free(x.m);
		n->lost++;
		return;
	}
	memcpy(x.m, msg, len);
}

static void now_free(struct now *n)
{
	replies_free(&n->got);
	free(n);
}

void replay_nl_one(struct replay_nl *s, struct rec *r,
		   struct json_object *diffs)
{
	struct now *now = calloc(1, sizeof(*now));
	struct tsm_err e = { 0 };
	size_t i, nrec = r->replies.n, nnow, at = 0;
	char buf[64];
	int rc;

	if (!now)
		return;
	now->ctx = s->ctx;

	if (!s->nl && !s->open_err) {
		s->open_err = tsm_nl_open_family(
			&s->nl, s->family[0] ? s->family : PCI_TSM_FAMILY_NAME,
			tsmctl_nl_tracer(s->ctx), &s->ctx->trace, &e);
		if (!s->open_err)
			s->ctx->trace.nl_family = tsm_nl_family_name(s->nl);
		snprintf(s->open_msg, sizeof(s->open_msg), "%.150s", e.msg);
	}
	if (s->open_err) {
		snprintf(buf, sizeof(buf), "%zu replies", nrec);
		replay_diff(diffs, r, "netlink", json_object_new_string(buf),
			    json_object_new_string(s->open_msg));
		now_free(now);
		return;
	}
	if (r->redacted)
		s->redacted++;
	rc = tsm_nl_resend(s->nl, r->msg, r->msg_len, collect, now, &e);
	if (rc < 0) {
		snprintf(buf, sizeof(buf), "%zu replies", nrec);
		replay_diff(diffs, r, "netlink", json_object_new_string(buf),
			    json_object_new_string(e.msg));
		now_free(now);
		return;
	}
	nnow = now->got.n + now->lost;
	for (i = 0; i < nrec && i < now->got.n; i++) {
		const struct nl_reply *rec = &r->replies.r[i];

		if (!same(rec, &now->got.r[i], rec->redacted, &at)) {
			replay_diff(diffs, r, "netlink",
				    show(rec, at, rec->redacted),
				    show(&now->got.r[i], at, rec->redacted));
			now_free(now);
			return;
		}
	}
	if (nrec != nnow) {
		char now_s[32];

		snprintf(buf, sizeof(buf), "%zu replies", nrec);
		snprintf(now_s, sizeof(now_s), "%zu replies", nnow);
		replay_diff(diffs, r, "netlink", json_object_new_string(buf),
			    json_object_new_string(now_s));
	}
	now_free(now);
}

void replay_nl_close(struct replay_nl *s)
{
	tsm_nl_close(s->nl);
	s->nl = NULL;
}
