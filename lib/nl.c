// SPDX-License-Identifier: GPL-2.0
/*
 * Device evidence generic netlink client: family resolution
 * ("device-evidence", else "pci-tsm") and the READ dump with reassembly
 * of chunked objects (docs/kernel-abi.md, "Evidence over netlink"). Each
 * family's attribute numbers are one row of the table below; nothing
 * else here depends on which family answered.
 *
 * Kernel errors arrive two ways and both are handled:
 *   - NLMSG_ERROR before the dump starts (policy, ENODEV, ENXIO, EPERM):
 *     struct nlmsgerr, then the echoed request (only its header when
 *     NLM_F_CAPPED), then extack TLVs when NLM_F_ACK_TLVS;
 *   - NLMSG_DONE carrying a negative errno mid-dump (EAGAIN when the
 *     evidence generation changed), extack TLVs after the int.
 * After a local error (oversized or malformed reply) the rest of the dump
 * is still read and dropped, so the socket stays usable for a restart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG 1
#endif

/*
 * One evidence family: its name, version, READ command and attribute
 * numbers (0: the family has no such attribute).
 */
struct nl_family {
	const char *name;
	uint8_t version;
	uint8_t cmd_read;
	uint16_t a_type, a_type_mask, a_flags, a_subsys, a_dev_name, a_nonce;
	uint16_t a_generation, a_count, a_length, a_val, a_max;
	size_t nonce_max;
};

#define NL_ATTR_SLOTS 16 /* > every family's a_max */

static const struct nl_family families[] = {
	{
		/* S31: linux/device-evidence.h, set "object" */
		.name = DEVICE_EVIDENCE_FAMILY_NAME,
		.version = 1,
		.cmd_read = 1,
		.a_type = 1,
		.a_type_mask = 2,
		.a_flags = 3,
		.a_subsys = 4,
		.a_dev_name = 5,
		.a_nonce = 6,
		.a_generation = 7,
		.a_count = 8,
		.a_length = 9,
		.a_val = 10,
		.a_max = 10,
		.nonce_max = DEVICE_EVIDENCE_MAX_NONCE,
	},
	{
		/* S11: linux/pci-tsm-netlink.h, set "evidence-object" */
		.name = PCI_TSM_FAMILY_NAME,
		.version = 1,
		.cmd_read = 1,
		.a_type = 1,
		.a_type_mask = 2,
		.a_flags = 3,
		.a_dev_name = 4,
		.a_nonce = 5,
		.a_val = 6,
		.a_max = 6,
		.nonce_max = PCI_TSM_MAX_NONCE,
	},
};

struct tsm_nl {
	struct nl_sock *sk;
	int family;
	const struct nl_family *fam;
	uint8_t nonce[PCI_TSM_MAX_NONCE];
	size_t nonce_len;
	tsm_nl_trace_fn trace;
	void *trace_arg;
	/* last kernel error seen by the error handlers */
	int kerr; /* positive errno, 0 = none */
	char kmsg[256]; /* its extack text */
};

/*
 * Copy NLMSGERR_ATTR_MSG from the TLVs in [p, end) into @out. Returns true
 * when a message was found.
 */
static bool extack_msg(const uint8_t *p, const uint8_t *end, char *out,
		       size_t outlen)
{
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || alen > (size_t)(end - p))
			return false;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    alen > NLA_HDRLEN) {
			const char *s = (const char *)p + NLA_HDRLEN;
			size_t n = strnlen(s, alen - NLA_HDRLEN);

			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, s, n);
			out[n] = 0;
			return true;
		}
		if (NLA_ALIGN(alen) >= (size_t)(end - p))
			break;
		p += NLA_ALIGN(alen);
	}
	return false;
}

/* extack of an NLMSG_ERROR or NLMSG_DONE message (iproute2 style) */
static void extack_from(const struct nlmsghdr *h, size_t hlen, char *out,
			size_t outlen)
{
	const uint8_t *base = (const uint8_t *)h;
	const uint8_t *end = base + h->nlmsg_len;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hlen);

	out[0] = 0;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len < off)
		return;
	extack_msg(base + off, end, out, outlen);
}

/* Socket-level error handler: keep errno and extack, stop the receive. */
static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct tsm_nl *nl = arg;
	/* libnl hands us nlmsg_data(); the header sits just before it */
	const struct nlmsghdr *h =
		(const struct nlmsghdr *)((const uint8_t *)err - NLMSG_HDRLEN);
	size_t hlen = sizeof(*err);

	(void)nla;
	nl->kerr = err->error ? tsm_nl_errno(err->error) : 0;
	if (!(h->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len >= NLMSG_HDRLEN)
		hlen += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (h->nlmsg_len >= NLMSG_HDRLEN + hlen)
		extack_from(h, hlen, nl->kmsg, sizeof(nl->kmsg));
	else
		nl->kmsg[0] = 0;
	return NL_STOP;
}

static int trace_in_cb(struct nl_msg *msg, void *arg)
{
	struct tsm_nl *nl = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (nl->trace)
		nl->trace(nl->trace_arg, "recv", h, h->nlmsg_len);
	return NL_OK;
}

static int trace_out_cb(struct nl_msg *msg, void *arg)
{
	struct tsm_nl *nl = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (nl->trace)
		nl->trace(nl->trace_arg, "send", h, h->nlmsg_len);
	return NL_OK;
}

void tsm_nl_close(struct tsm_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk); /* closes the fd */
	free(nl);
}

int tsm_nl_family_id(const struct tsm_nl *nl)
{
	return nl ? nl->family : -1;
}

const char *tsm_nl_family_name(const struct tsm_nl *nl)
{
	return nl && nl->fam ? nl->fam->name : NULL;
}

unsigned int tsm_nl_family_version(const struct tsm_nl *nl)
{
	return nl && nl->fam ? nl->fam->version : 0;
}

size_t tsm_nl_nonce_max(const struct tsm_nl *nl)
{
	return nl && nl->fam ? nl->fam->nonce_max : 0;
}

int tsm_nl_set_nonce(struct tsm_nl *nl, const uint8_t *nonce, size_t len,
		     struct tsm_err *e)
{
	if (len > tsm_nl_nonce_max(nl)) {
		tsm_err_set(
			e, EINVAL, "--nonce", NULL,
			"--nonce: %zu bytes, family %s takes at most %zu (nothing was sent)",
			len, tsm_nl_family_name(nl), tsm_nl_nonce_max(nl));
		return -EINVAL;
	}
	memcpy(nl->nonce, nonce, len);
	nl->nonce_len = len;
	return 0;
}

struct nl_sock *tsm_nl_sock(struct tsm_nl *nl)
{
	return nl->sk;
}

void tsm_nl_set_trace(struct tsm_nl *nl, tsm_nl_trace_fn fn, void *arg)
{
	if (!nl)
		return;
	nl->trace = fn;
	nl->trace_arg = arg;
}

/* A connected socket with the callbacks and extended ACK; -errno. */
static int sock_setup(struct tsm_nl **out, tsm_nl_trace_fn trace,
		      void *trace_arg, struct tsm_err *e)
{
	struct tsm_nl *nl;
	int one = 1, rc, err;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		tsm_err_set(e, ENOMEM, NULL, NULL, "out of memory");
		return -ENOMEM;
	}
	nl->family = -1;
	nl->trace = trace;
	nl->trace_arg = trace_arg;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		tsm_err_set(e, ENOMEM, NULL, NULL,
			    "cannot allocate a netlink socket: out of memory");
		return -ENOMEM;
	}
	/* every message in and out goes through the trace hook */
	if (nl_socket_modify_cb(nl->sk, NL_CB_MSG_IN, NL_CB_CUSTOM, trace_in_cb,
				nl) < 0 ||
	    nl_socket_modify_cb(nl->sk, NL_CB_MSG_OUT, NL_CB_CUSTOM,
				trace_out_cb, nl) < 0 ||
	    nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, err_cb, nl) < 0) {
		tsm_nl_close(nl);
		tsm_err_set(e, ENOMEM, NULL, NULL,
			    "cannot set up netlink callbacks");
		return -ENOMEM;
	}
	rc = genl_connect(nl->sk);
	if (rc < 0) {
		err = tsm_nlerr_to_errno(rc);
		if (err == EPROTONOSUPPORT)
			err = EAFNOSUPPORT;
		tsm_nl_close(nl);
		tsm_err_set(e, err, NULL, NULL,
			    "cannot open a generic netlink socket: %s",
			    nl_geterror(rc));
		if (err == EAFNOSUPPORT)
			tsm_err_hint(
				e, "the kernel has no generic netlink support");
		return -err;
	}
	/*
	 * Extended ACK: the kernel then explains its errors in text. Older
	 * kernels refuse the option; that only loses the explanation.
	 */
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	*out = nl;
	return 0;
}

/* Resolve @f on @nl: 0, -ENOENT when not registered, or -errno. */
static int resolve(struct tsm_nl *nl, const struct nl_family *f)
{
	int rc;

	nl->kerr = 0;
	rc = genl_ctrl_resolve(nl->sk, f->name);
	if (rc < 0)
		return -(nl->kerr ? nl->kerr : tsm_nlerr_to_errno(rc));
	nl->family = rc;
	nl->fam = f;
	nl->kerr = 0;
	nl->kmsg[0] = 0;
	return 0;
}

static int open_families(struct tsm_nl **out, const struct nl_family *only,
			 tsm_nl_trace_fn trace, void *trace_arg,
			 struct tsm_err *e)
{
	struct tsm_nl *nl;
	size_t i;
	int rc = -ENOENT;

	rc = sock_setup(&nl, trace, trace_arg, e);
	if (rc)
		return rc;
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		if (only && only != &families[i])
			continue;
		rc = resolve(nl, &families[i]);
		if (rc != -ENOENT)
			break;
	}
	if (!rc) {
		/* dumps are never ACKed; keep NLM_F_ACK off the requests */
		nl_socket_disable_auto_ack(nl->sk);
		*out = nl;
		return 0;
	}
	tsm_nl_close(nl);
	if (rc == -ENOENT) {
		tsm_err_set(
			e, ENOENT, NULL, only ? only->name : NULL,
			"generic netlink family %s not found (kernel without device evidence support)",
			only ? only->name :
			       DEVICE_EVIDENCE_FAMILY_NAME " or " PCI_TSM_FAMILY_NAME);
		tsm_err_hint(
			e,
			"needs a kernel with the device evidence netlink interface (staging trees); check that the TSM driver is loaded");
	} else {
		tsm_err_set(e, -rc, NULL, NULL,
			    "cannot resolve the device evidence netlink family: %s",
			    strerror(-rc));
	}
	return rc;
}

int tsm_nl_open(struct tsm_nl **out, tsm_nl_trace_fn trace, void *trace_arg,
		struct tsm_err *e)
{
	*out = NULL;
	return open_families(out, NULL, trace, trace_arg, e);
}

int tsm_nl_open_family(struct tsm_nl **out, const char *family,
		       tsm_nl_trace_fn trace, void *trace_arg,
		       struct tsm_err *e)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (!strcmp(family, families[i].name))
			return open_families(out, &families[i], trace,
					     trace_arg, e);
	tsm_err_set(e, EINVAL, "family", family,
		    "unknown evidence family '%s' (known: %s, %s)", family,
		    DEVICE_EVIDENCE_FAMILY_NAME, PCI_TSM_FAMILY_NAME);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Evidence                                                           */
/* ------------------------------------------------------------------ */

void tsm_evidence_free(struct tsm_evidence *ev)
{
	if (!ev)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(ev->obj); i++) {
		free(ev->obj[i].data);
		memset(&ev->obj[i], 0, sizeof(ev->obj[i]));
	}
	ev->n = 0;
	ev->have_generation = false;
	ev->generation = 0;
}

/* State of one dump while nl_recvmsgs runs. */
struct dump_ctx {
	const struct nl_family *f;
	struct tsm_evidence *ev;
	uint32_t mask;
	size_t cap[PCI_TSM_EVIDENCE_TYPES];
	int cur; /* index into ev->obj of the open object, -1 */
	int err; /* local error (positive errno), 0 = none */
	bool local; /* the round failed on c->err */
	char why[160];
	bool done; /* NLMSG_DONE seen */
	int done_err; /* positive errno carried by NLMSG_DONE */
	char done_msg[256];
};

static int dump_fail(struct dump_ctx *c, int err, const char *why)
{
	if (!c->err) {
		c->err = err;
		snprintf(c->why, sizeof(c->why), "%s", why);
	}
	return NL_SKIP; /* keep reading until NLMSG_DONE */
}

static int append(struct dump_ctx *c, const void *data, size_t len)
{
	struct tsm_evidence_obj *o = &c->ev->obj[c->cur];
	size_t need, ncap;
	uint8_t *p;

	if (!len)
		return 0;
	if (len > PCI_TSM_MAX_OBJECT_SIZE - o->len)
		return -EFBIG;
	need = o->len + len;
	if (need > c->cap[c->cur]) {
		ncap = c->cap[c->cur] ? c->cap[c->cur] : 4096;
		while (ncap < need)
			ncap *= 2;
		if (ncap > PCI_TSM_MAX_OBJECT_SIZE)
			ncap = PCI_TSM_MAX_OBJECT_SIZE;
		p = realloc(o->data, ncap);
		if (!p)
			return -ENOMEM;
		o->data = p;
		c->cap[c->cur] = ncap;
	}
	memcpy(o->data + o->len, data, len);
	o->len = need;
	return 0;
}

/*
 * A new object's first message: its TYPE, and in device-evidence its
 * GENERATION (the same for every object of one dump, else the evidence
 * changed: restart) and LENGTH (what its chunks must add up to).
 */
static int new_object(struct dump_ctx *c, struct nlattr **tb)
{
	const struct nl_family *f = c->f;
	struct tsm_evidence *ev = c->ev;
	uint32_t t = nla_get_u32(tb[f->a_type]);
	char why[96];

	if (t > PCI_TSM_EVIDENCE_TYPE_MAX || !(c->mask & 1u << t)) {
		snprintf(why, sizeof(why),
			 "reply carries evidence type %u that was not requested",
			 t);
		return dump_fail(c, EPROTO, why);
	}
	if (ev->n && ev->obj[ev->n - 1].type >= t)
		return dump_fail(c, EPROTO,
				 "evidence objects out of order or repeated");
	if (ev->n >= ARRAY_SIZE(ev->obj))
		return dump_fail(c, EPROTO, "too many evidence objects");
	c->cur = (int)ev->n++;
	ev->obj[c->cur].type = t;
	if (f->a_length && tb[f->a_length]) {
		ev->obj[c->cur].have_length = true;
		ev->obj[c->cur].length = nla_get_u32(tb[f->a_length]);
	}
	if (!f->a_generation || !tb[f->a_generation])
		return NL_OK;
	t = nla_get_u32(tb[f->a_generation]);
	if (ev->have_generation && ev->generation != t) {
		snprintf(why, sizeof(why),
			 "evidence generation changed during the dump (%u, then %u)",
			 ev->generation, t);
		return dump_fail(c, EAGAIN, why);
	}
	ev->have_generation = true;
	ev->generation = t;
	return NL_OK;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *c = arg;
	const struct nl_family *f = c->f;
	struct nla_policy pol[NL_ATTR_SLOTS] = { 0 };
	struct nlattr *tb[NL_ATTR_SLOTS];
	int rc;

	if (c->err)
		return NL_SKIP;
	pol[f->a_type].type = NLA_U32;
	if (f->a_generation)
		pol[f->a_generation].type = NLA_U32;
	if (f->a_length)
		pol[f->a_length].type = NLA_U32;
	pol[f->a_val].type = NLA_UNSPEC;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, f->a_max, pol) < 0)
		return dump_fail(c, EPROTO, "malformed evidence READ reply");
	if (tb[f->a_type] && new_object(c, tb) != NL_OK)
		return NL_SKIP;
	if (!tb[f->a_val])
		return NL_OK; /* tolerated: nothing to append */
	if (c->cur < 0)
		return dump_fail(
			c, EPROTO,
			"evidence data before the first TYPE attribute");
	rc = append(c, nla_data(tb[f->a_val]), (size_t)nla_len(tb[f->a_val]));
	if (rc == -EFBIG)
		return dump_fail(c, EFBIG,
				 "evidence object larger than 16 MiB");
	if (rc)
		return dump_fail(c, ENOMEM, "out of memory");
	return NL_OK;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *c = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int v;

	c->done = true;
	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&v, nlmsg_data(h), sizeof(v));
		if (v < 0) {
			c->done_err = tsm_nl_errno(v);
			extack_from(h, sizeof(int), c->done_msg,
				    sizeof(c->done_msg));
		}
	}
	return NL_STOP;
}

/*
 * One dump round: 0, or a positive errno. *@nle is set for libnl-level
 * failures, c->local for errors found here in the reply; otherwise the
 * errno came from the kernel.
 */
static int dump_once(struct tsm_nl *nl, const char *dev, uint32_t mask,
		     bool digest, struct dump_ctx *c, int *nle)
{
	const struct nl_family *f = nl->fam;
	struct nl_msg *msg;
	struct nl_cb *cb, *scb;
	int rc;

	*nle = 0;
	msg = nlmsg_alloc();
	if (!msg)
		return ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_DUMP, f->cmd_read, f->version) ||
	    nla_put_u32(msg, f->a_type_mask, mask) < 0 ||
	    (digest && nla_put_u32(msg, f->a_flags,
				   PCI_TSM_EVIDENCE_FLAG_DIGEST) < 0) ||
	    (f->a_subsys && nla_put_string(msg, f->a_subsys,
					   DEVICE_EVIDENCE_SUBSYS_PCI) < 0) ||
	    nla_put_string(msg, f->a_dev_name, dev) < 0 ||
	    (nl->nonce_len && nla_put(msg, f->a_nonce, (int)nl->nonce_len,
				      nl->nonce) < 0)) {
		nlmsg_free(msg);
		return ENOMEM;
	}
	scb = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(scb);
	nl_cb_put(scb);
	if (!cb) {
		nlmsg_free(msg);
		return ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, c);

	nl->kerr = 0;
	nl->kmsg[0] = 0;
	rc = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		nl_cb_put(cb);
		*nle = rc;
		return tsm_nlerr_to_errno(rc);
	}
	rc = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (nl->kerr)
		return nl->kerr;
	if (c->done_err) {
		snprintf(nl->kmsg, sizeof(nl->kmsg), "%s", c->done_msg);
		return c->done_err;
	}
	if (c->err) {
		c->local = true;
		return c->err;
	}
	if (rc < 0) {
		*nle = rc;
		return tsm_nlerr_to_errno(rc);
	}
	if (!c->done) {
		*nle = -NLE_MSG_TRUNC;
		snprintf(c->why, sizeof(c->why),
			 "dump ended without NLMSG_DONE");
		c->err = EPROTO;
		c->local = true;
		return EPROTO;
	}
	return 0;
}

/* After a complete dump: one object per requested type, each as long as
 * its LENGTH said. 0 or -EPROTO with @e set. */
static int check_objects(const struct tsm_nl *nl, const char *dev,
			 uint32_t mask, const struct tsm_evidence *ev,
			 struct tsm_err *e)
{
	uint32_t left = mask;
	unsigned int i;

	for (i = 0; i < ev->n; i++) {
		const struct tsm_evidence_obj *o = &ev->obj[i];

		left &= ~(1u << o->type);
		if (o->have_length && o->len != o->length) {
			tsm_err_set(
				e, EPROTO, NULL, NULL,
				"%s evidence read of %s: %s reassembled to %zu bytes, its LENGTH said %u",
				nl->fam->name, dev,
				tsm_evidence_type_name(o->type), o->len,
				o->length);
			return -EPROTO;
		}
	}
	if (!left)
		return 0;
	tsm_err_set(e, EPROTO, NULL, NULL,
		    "%s evidence read of %s: the kernel did not return %s",
		    nl->fam->name, dev,
		    tsm_evidence_type_name((uint32_t)__builtin_ctz(left)));
	return -EPROTO;
}

int tsm_nl_evidence_read(struct tsm_nl *nl, const char *dev, uint32_t mask,
			 bool digest, unsigned int max_restarts,
			 struct tsm_evidence *ev, struct tsm_err *e)
{
	struct dump_ctx c;
	int err, nle;

	memset(ev, 0, sizeof(*ev));
	if (tsm_nl_dev_name_check(dev, e))
		return -EINVAL;
	if (!mask || mask & ~PCI_TSM_EVIDENCE_MASK_ALL) {
		char v[16];

		snprintf(v, sizeof(v), "0x%x", mask);
		tsm_err_set(
			e, EINVAL, "--evidence", v,
			"invalid evidence type mask %s: expected 0x1..0x7ff",
			v);
		return -EINVAL;
	}
	if (!nl || !nl->sk || nl->family < 0 || !nl->fam) {
		tsm_err_set(e, EBADF, NULL, NULL, "netlink socket not open");
		return -EBADF;
	}
	for (;;) {
		memset(&c, 0, sizeof(c));
		c.f = nl->fam;
		c.ev = ev;
		c.mask = mask;
		c.cur = -1;
		err = dump_once(nl, dev, mask, digest, &c, &nle);
		/* the kernel's EAGAIN or a GENERATION change seen here */
		if (err != EAGAIN || ev->restarts >= max_restarts)
			break;
		tsm_evidence_free(ev);
		ev->restarts++;
	}
	if (!err) {
		err = check_objects(nl, dev, mask, ev, e);
		if (err)
			tsm_evidence_free(ev);
		return err;
	}
	tsm_evidence_free(ev);
	if (c.local && err == EAGAIN) {
		tsm_err_set(e, err, "--bdf", dev,
			    "%s evidence read of %s: %s; gave up after %u restart%s",
			    nl->fam->name, dev, c.why, ev->restarts,
			    ev->restarts == 1 ? "" : "s");
		tsm_err_hint(e, "retry when the device's TSM state is stable");
		return -err;
	}
	if (c.local) {
		/* local: the reply broke the rules or was too big */
		tsm_err_set(e, err, NULL, NULL, "%s evidence read of %s: %s",
			    nl->fam->name, dev, c.why);
		return -err;
	}
	if (nle) {
		tsm_err_set(e, err, NULL, NULL,
			    "%s evidence read of %s: netlink: %s",
			    nl->fam->name, dev, nl_geterror(nle));
		return -err;
	}
	snprintf(ev->kernel_message, sizeof(ev->kernel_message), "%s",
		 nl->kmsg);
	tsm_nl_kernel_error(e, nl->fam->name, err, dev, mask, ev->kernel_message,
		     ev->restarts);
	return -err;
}

int tsm_nl_evidence_parse(const char *family, const void *buf, size_t len,
			  uint32_t mask, struct tsm_evidence *ev,
			  struct tsm_err *e)
{
	struct dump_ctx c = { .ev = ev, .mask = mask, .cur = -1 };
	size_t fi;

	for (fi = 0; fi < sizeof(families) / sizeof(families[0]) &&
		     strcmp(families[fi].name, family);
	     fi++)
		;
	if (fi == sizeof(families) / sizeof(families[0])) {
		tsm_err_set(e, EINVAL, NULL, family, "no evidence family '%s'",
			    family);
		return -EINVAL;
	}
	c.f = &families[fi];
	const uint8_t *p = buf;
	struct nlmsghdr h;
	struct nl_msg *m;
	size_t off = 0;

	memset(ev, 0, sizeof(*ev));
	/* whole messages only, as NLMSG_OK/NLMSG_NEXT walk them; the
	 * buffer need not be aligned (each message is copied) */
	for (; !c.done && len - off >= NLMSG_HDRLEN;
	     off += NLMSG_ALIGN(h.nlmsg_len) < len - off ?
			    NLMSG_ALIGN(h.nlmsg_len) :
			    len - off) {
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			break;
		if (h.nlmsg_type == NLMSG_ERROR) {
			dump_fail(&c, EPROTO, "NLMSG_ERROR in the replies");
			break;
		}
		m = nlmsg_alloc_size(NLMSG_ALIGN(h.nlmsg_len));
		if (!m) {
			dump_fail(&c, ENOMEM, "out of memory");
			break;
		}
		memcpy(nlmsg_hdr(m), p + off, h.nlmsg_len);
		if (h.nlmsg_type == NLMSG_DONE)
			finish_cb(m, &c);
		else if (h.nlmsg_type >= NLMSG_MIN_TYPE)
			valid_cb(m, &c);
		nlmsg_free(m);
	}
	if (!c.err && c.done_err)
		dump_fail(&c, c.done_err, "NLMSG_DONE carries an error");
	if (!c.err && !c.done)
		dump_fail(&c, EPROTO, "dump ended without NLMSG_DONE");
	if (!c.err)
		return 0;
	tsm_evidence_free(ev);
	tsm_err_set(e, c.err, NULL, NULL, "pci-tsm evidence replies: %s",
		    c.why);
	return -c.err;
}
