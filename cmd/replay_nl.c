// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl replay, netlink part: each pci-tsm request of a trace (dump's
 * EVIDENCE_READ) is sent again on a socket resolved now, and its replies
 * are compared with the ones recorded after it: how many, and per reply
 * its kind (data, DONE, ERROR with errno) and payload bytes. The header's
 * seq and port id, and the family id, are the socket's now, not compared.
 * A request whose replies dump --bundle redacted is sent again (so a
 * replaying tsm-emu stays in step) but not compared: it is counted.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "replay.h"

#define SIG_HEX_MAX 96 /* payload hex shown in a difference */

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
		free(m);
		if (s->cur) {
			json_object_array_add(s->cur->replies,
					      json_object_get(nl));
			if (json_object_get_boolean(jget(nl, "redacted")))
				s->cur->redacted = true;
		}
		return 0;
	}
	s->cur = NULL;
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
	r->replies = json_object_new_array();
	r->orig = json_object_get(line);
	s->cur = r;
	return 1;
}

/* One reply as a comparable string: kind, errno or payload hex. */
static void sig(char *buf, size_t len, uint16_t type, const uint8_t *m,
		size_t mlen)
{
	char en[16], hex[2 * SIG_HEX_MAX + 1];
	size_t plen = mlen > NLMSG_HDRLEN ? mlen - NLMSG_HDRLEN : 0;
	int err;

	if (type == NLMSG_ERROR && mlen >= NLMSG_HDRLEN + 4) {
		memcpy(&err, m + NLMSG_HDRLEN, sizeof(err));
		snprintf(buf, len, "error %s",
			 tsm_errno_name(err < 0 ? -err : err, en, sizeof(en)));
		return;
	}
	tsm_hex(m + NLMSG_HDRLEN, plen < SIG_HEX_MAX ? plen : SIG_HEX_MAX, hex);
	snprintf(buf, len, "%s, %zu bytes: %s%s",
		 type == NLMSG_DONE ? "done" : "pci-tsm", mlen, hex,
		 plen > SIG_HEX_MAX ? "..." : "");
}

struct now {
	struct json_object *sigs; /* strings */
};

static void collect(void *arg, const char *dir, const void *msg, size_t len)
{
	struct now *n = arg;
	const struct nlmsghdr *h = msg;
	char buf[64 + 2 * SIG_HEX_MAX];

	if (strcmp(dir, "recv") || len < NLMSG_HDRLEN)
		return;
	sig(buf, sizeof(buf), h->nlmsg_type, msg, len);
	json_object_array_add(n->sigs, json_object_new_string(buf));
}

void replay_nl_one(struct replay_nl *s, struct rec *r,
		   struct json_object *diffs)
{
	struct now now = { json_object_new_array() };
	struct tsm_err e = { 0 };
	size_t i, nrec = json_object_array_length(r->replies), nnow;
	char buf[64 + 2 * SIG_HEX_MAX], *b;
	int rc;

	if (!s->nl && !s->open_err) {
		s->open_err = tsm_nl_open(&s->nl, NULL, NULL, &e);
		snprintf(s->open_msg, sizeof(s->open_msg), "%.150s", e.msg);
	}
	if (s->open_err) {
		snprintf(buf, sizeof(buf), "%zu replies", nrec);
		replay_diff(diffs, r, "netlink", json_object_new_string(buf),
			    json_object_new_string(s->open_msg));
		json_object_put(now.sigs);
		return;
	}
	if (r->redacted) {
		/* sent again (tsm-emu --replay consumes it in order), but a
		 * zeroed recording is nothing to compare with */
		tsm_nl_resend(s->nl, r->msg, r->msg_len, NULL, NULL, &e);
		s->redacted++;
		json_object_put(now.sigs);
		return;
	}
	rc = tsm_nl_resend(s->nl, r->msg, r->msg_len, collect, &now, &e);
	if (rc < 0) {
		snprintf(buf, sizeof(buf), "%zu replies", nrec);
		replay_diff(diffs, r, "netlink", json_object_new_string(buf),
			    json_object_new_string(e.msg));
		json_object_put(now.sigs);
		return;
	}
	nnow = json_object_array_length(now.sigs);
	for (i = 0; i < nrec && i < nnow; i++) {
		struct json_object *o =
			json_object_array_get_idx(r->replies, i);
		const char *h = json_object_get_string(jget(o, "hex"));
		size_t hl = h ? strlen(h) / 2 : 0;
		uint8_t *m = malloc(hl + 1);

		if (!m || tsm_parse_hex(h ? h : "", m, hl + 1, "hex", &e) < 0)
			hl = 0;
		b = buf;
		sig(b, sizeof(buf),
		    (uint16_t)json_object_get_int(jget(o, "nlmsg_type")),
		    m ? m : (uint8_t *)"", hl);
		free(m);
		if (strcmp(buf,
			   json_object_get_string(
				   json_object_array_get_idx(now.sigs, i)))) {
			replay_diff(diffs, r, "netlink",
				    json_object_new_string(buf),
				    json_object_get(json_object_array_get_idx(
					    now.sigs, i)));
			json_object_put(now.sigs);
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
	json_object_put(now.sigs);
}

void replay_nl_close(struct replay_nl *s)
{
	tsm_nl_close(s->nl);
	s->nl = NULL;
}
