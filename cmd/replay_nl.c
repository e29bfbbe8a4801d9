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
#include <string.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "replay.h"

#define SIG_HEX_MAX 96 /* payload bytes shown in a difference */

static struct json_object *jget(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

/*
 * Parse netlink.hex of a record into a malloc'd buffer: at least a header,
 * and the header's nlmsg_len (and the record's, when given) equal to the
 * length of the hex. Returns the length, or -EINVAL/-ENOMEM.
 */
static long nl_hex(struct json_object *nl, uint8_t **out, struct tsm_err *e)
{
	struct json_object *lenv = jget(nl, "nlmsg_len");
	const char *h = json_object_get_string(jget(nl, "hex"));
	uint8_t *m = malloc(strlen(h) / 2 + 1);
	uint32_t hl;
	long n;

	if (!m)
		return -ENOMEM;
	n = tsm_parse_hex(h, m, strlen(h) / 2 + 1, "netlink.hex", e);
	if (n < 0)
		goto bad;
	if (n < (long)NLMSG_HDRLEN) {
		tsm_err_set(
			e, EINVAL, "netlink.hex", NULL,
			"netlink message shorter than its header (%ld bytes)",
			n);
		goto bad;
	}
	memcpy(&hl, m, sizeof(hl));
	if (hl != (uint32_t)n) {
		tsm_err_set(
			e, EINVAL, "netlink.hex", NULL,
			"netlink message of %ld bytes with nlmsg_len %u in its header",
			n, hl);
		goto bad;
	}
	if (lenv && (!json_object_is_type(lenv, json_type_int) ||
		     json_object_get_int64(lenv) != n)) {
		tsm_err_set(
			e, EINVAL, "netlink.nlmsg_len", NULL,
			"netlink.nlmsg_len %s differs from the %ld bytes of netlink.hex",
			json_object_to_json_string(lenv), n);
		goto bad;
	}
	*out = m;
	return n;
bad:
	free(m);
	return -EINVAL;
}

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

int replay_nl_load(struct replay_nl *s, struct json_object *line, struct rec *r,
		   unsigned int no, struct tsm_err *e)
{
	struct json_object *nl = jget(line, "netlink"), *dir, *hex;
	const char *d;
	uint8_t *m;
	long n;

	dir = jget(nl, "dir");
	hex = jget(nl, "hex");
	if (!json_object_is_type(nl, json_type_object) || !dir || !hex ||
	    !json_object_is_type(hex, json_type_string)) {
		tsm_err_set(
			e, EINVAL, "netlink", NULL,
			"netlink record without netlink.dir and netlink.hex");
		return -EINVAL;
	}
	d = json_object_is_type(dir, json_type_string) ?
		    json_object_get_string(dir) :
		    "";
	if (strcmp(d, "send") && strcmp(d, "recv")) {
		tsm_err_set(e, EINVAL, "netlink.dir", d,
			    "netlink.dir must be \"send\" or \"recv\", got %s",
			    json_object_to_json_string(dir));
		return -EINVAL;
	}
	n = nl_hex(nl, &m, e);
	if (n < 0)
		return (int)n;
	if (!strcmp(d, "recv")) {
		struct nl_reply x = { ((struct nlmsghdr *)m)->nlmsg_type,
				      json_object_get_boolean(
					      jget(nl, "redacted")),
				      (size_t)n, m };

		if (!s->cur) { /* the family lookup's: not compared */
			free(m);
			return 0;
		}
		if (replies_push(&s->cur->replies, x)) {
			free(m);
			tsm_err_set(e, ENOMEM, NULL, NULL, "out of memory");
			return -ENOMEM;
		}
		s->cur->redacted |= x.redacted;
		return 0;
	}
	/* a send record: the replies that follow are this request's */
	s->cur = NULL;
	dir = jget(nl, "family");
	if (json_object_is_type(dir, json_type_string) && !s->family[0])
		snprintf(s->family, sizeof(s->family), "%s",
			 json_object_get_string(dir));
	if (((struct nlmsghdr *)m)->nlmsg_type == GENL_ID_CTRL) {
		free(m); /* tsm_nl_open resolves the family itself */
		return 0;
	}
	memset(r, 0, sizeof(*r));
	r->msg = m;
	r->is_nl = true;
	r->msg_len = (size_t)n;
	r->line = no;
	r->call = "netlink";
	r->seq = (unsigned int)json_object_get_int64(jget(line, "seq"));
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

	if (n->ctx->trace_fd >= 0)
		trace_netlink(n->ctx, dir, msg, len);
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
			s->ctx->trace_fd >= 0 ? trace_netlink : NULL, s->ctx,
			&e);
		if (!s->open_err)
			s->ctx->nl_family = tsm_nl_family_name(s->nl);
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
