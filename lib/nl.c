// SPDX-License-Identifier: GPL-2.0
/*
 * "pci-tsm" generic netlink client: family resolution and the
 * EVIDENCE_READ dump with reassembly of chunked objects
 * (kernel-interfaces.md §4, anchors.md §6.4 for extended ACK).
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

struct tsm_nl {
	struct nl_sock *sk;
	int family;
	tsm_nl_trace_fn trace;
	void *trace_arg;
	/* last kernel error seen by the error handlers */
	int kerr; /* positive errno, 0 = none */
	char kmsg[256]; /* its extack text */
};

static const char *const type_names[PCI_TSM_EVIDENCE_TYPES] = {
	"cert0", "cert1", "cert2", "cert3",	   "cert4",  "cert5",
	"cert6", "cert7", "vca",   "measurements", "report",
};

const char *tsm_evidence_type_name(uint32_t type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

/* libnl error codes back to errno, for calls that only return NLE_*. */
static int nlerr_to_errno(int nle)
{
	static const struct {
		int nle, err;
	} map[] = {
		{ NLE_INTR, EINTR },
		{ NLE_AGAIN, EAGAIN },
		{ NLE_NOMEM, ENOMEM },
		{ NLE_EXIST, EEXIST },
		{ NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },
		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },
		{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
		{ NLE_OBJ_NOTFOUND, ENOENT },
		{ NLE_NOACCESS, EACCES },
		{ NLE_PERM, EPERM },
		{ NLE_NODEV, ENODEV },
		{ NLE_BUSY, EBUSY },
		{ NLE_DUMP_INTR, EAGAIN }, /* NLM_F_DUMP_INTR: restart */
		{ NLE_SEQ_MISMATCH, EPROTO },
		{ NLE_MSG_TRUNC, EPROTO },
		{ NLE_MSG_TOOSHORT, EPROTO },
		{ NLE_MSG_OVERFLOW, EPROTO },
		{ NLE_MSGTYPE_NOSUPPORT, EPROTO },
		{ NLE_PARSE_ERR, EPROTO },
	};

	if (nle < 0)
		nle = -nle;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == nle)
			return map[i].err;
	return EIO;
}

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

int tsm_nl_open(struct tsm_nl **out, tsm_nl_trace_fn trace, void *trace_arg,
		struct tsm_err *e)
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
		err = nlerr_to_errno(rc);
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

	rc = genl_ctrl_resolve(nl->sk, PCI_TSM_FAMILY_NAME);
	/* dumps are never ACKed; keep NLM_F_ACK off the requests */
	nl_socket_disable_auto_ack(nl->sk);
	if (rc < 0) {
		err = nl->kerr ? nl->kerr : nlerr_to_errno(rc);
		tsm_nl_close(nl);
		if (err == ENOENT) {
			tsm_err_set(
				e, ENOENT, NULL, PCI_TSM_FAMILY_NAME,
				"generic netlink family %s not found (kernel without PCI/TSM evidence support)",
				PCI_TSM_FAMILY_NAME);
			tsm_err_hint(
				e,
				"needs a kernel with the PCI TSM evidence netlink interface (devsec tsm.git); check that the TSM driver is loaded");
		} else {
			tsm_err_set(
				e, err, NULL, PCI_TSM_FAMILY_NAME,
				"cannot resolve generic netlink family %s: %s",
				PCI_TSM_FAMILY_NAME, strerror(err));
		}
		return -err;
	}
	nl->family = rc;
	nl->kerr = 0;
	nl->kmsg[0] = 0;
	*out = nl;
	return 0;
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
		ev->obj[i].data = NULL;
		ev->obj[i].len = 0;
	}
	ev->n = 0;
}

int tsm_nl_dev_name_check(const char *dev, struct tsm_err *e)
{
	size_t n = dev ? strlen(dev) : 0;

	if (!n || n > PCI_TSM_DEV_NAME_MAX ||
	    strspn(dev, "0123456789abcdefABCDEF:.") != n) {
		tsm_err_set(
			e, EINVAL, "--bdf", dev ? dev : "",
			"invalid PCI device name '%.40s%s': expected 1..%d characters of [0-9a-fA-F:.] such as 0000:01:00.0",
			dev ? dev : "", n > 40 ? "..." : "",
			PCI_TSM_DEV_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

int tsm_evidence_mask_parse(const char *list, uint32_t *mask, struct tsm_err *e)
{
	char bad[200] = "";
	size_t blen = 0;
	uint32_t m = 0;
	const char *p = list;

	*mask = 0;
	if (!list || !*list) {
		tsm_err_set(
			e, EINVAL, "--evidence", "",
			"empty evidence type list: expected all, none, certs, cert0..cert7, vca, measurements, report, or a bit mask such as 0x600 (bit N = type N)");
		return -EINVAL;
	}
	if (list[0] >= '0' && list[0] <= '9') {
		uint32_t v;

		if (tsm_parse_u32(list, "--evidence", &v, e))
			return -EINVAL;
		if (!v || v & ~PCI_TSM_EVIDENCE_MASK_ALL) {
			tsm_err_set(
				e, EINVAL, "--evidence", list,
				"evidence type mask %s %s: expected 0x1..0x7ff (bit N = type N)",
				list,
				v ? "has unknown type bits" :
				    "selects nothing");
			return -EINVAL;
		}
		*mask = v;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t bit = 0;

		if (len == 3 && !strncmp(p, "all", 3)) {
			bit = PCI_TSM_EVIDENCE_MASK_ALL;
		} else if (len == 5 && !strncmp(p, "certs", 5)) {
			bit = PCI_TSM_EVIDENCE_MASK_CERTS;
		} else {
			for (uint32_t t = 0; t < ARRAY_SIZE(type_names); t++)
				if (strlen(type_names[t]) == len &&
				    !strncmp(p, type_names[t], len))
					bit = 1u << t;
		}
		if (!bit && blen < sizeof(bad) - 1) {
			int w = snprintf(bad + blen, sizeof(bad) - blen,
					 "%s'%.*s'", blen ? ", " : "",
					 (int)(len > 40 ? 40 : len), p);

			if (w > 0)
				blen += (size_t)w;
			if (blen >= sizeof(bad))
				blen = sizeof(bad) - 1;
		}
		m |= bit;
		p += len;
		if (!*p)
			break;
		p++; /* the comma; an empty name follows if none */
	}
	if (blen) {
		tsm_err_set(
			e, EINVAL, "--evidence", list,
			"unknown evidence type %s: expected all, none, certs, cert0..cert7, vca, measurements, report, or a bit mask such as 0x600 (bit N = type N)",
			bad);
		return -EINVAL;
	}
	*mask = m;
	return 0;
}

/* State of one dump while nl_recvmsgs runs. */
struct dump_ctx {
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

static int valid_cb(struct nl_msg *msg, void *arg)
{
	static const struct nla_policy pol[PCI_TSM_A_MAX + 1] = {
		[PCI_TSM_A_TYPE] = { .type = NLA_U32 },
		[PCI_TSM_A_VAL] = { .type = NLA_UNSPEC },
	};
	struct dump_ctx *c = arg;
	struct nlattr *tb[PCI_TSM_A_MAX + 1];
	struct tsm_evidence *ev = c->ev;
	int rc;

	if (c->err)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PCI_TSM_A_MAX, pol) < 0)
		return dump_fail(c, EPROTO, "malformed EVIDENCE_READ reply");
	if (tb[PCI_TSM_A_TYPE]) {
		uint32_t t = nla_get_u32(tb[PCI_TSM_A_TYPE]);
		char why[96];

		if (t > PCI_TSM_EVIDENCE_TYPE_MAX || !(c->mask & 1u << t)) {
			snprintf(
				why, sizeof(why),
				"reply carries evidence type %u that was not requested",
				t);
			return dump_fail(c, EPROTO, why);
		}
		if (ev->n && ev->obj[ev->n - 1].type >= t)
			return dump_fail(
				c, EPROTO,
				"evidence objects out of order or repeated");
		if (ev->n >= ARRAY_SIZE(ev->obj))
			return dump_fail(c, EPROTO,
					 "too many evidence objects");
		c->cur = (int)ev->n++;
		ev->obj[c->cur].type = t;
	}
	if (!tb[PCI_TSM_A_VAL])
		return NL_OK; /* tolerated: nothing to append */
	if (c->cur < 0)
		return dump_fail(
			c, EPROTO,
			"evidence data before the first TYPE attribute");
	rc = append(c, nla_data(tb[PCI_TSM_A_VAL]),
		    (size_t)nla_len(tb[PCI_TSM_A_VAL]));
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
	struct nl_msg *msg;
	struct nl_cb *cb, *scb;
	int rc;

	*nle = 0;
	msg = nlmsg_alloc();
	if (!msg)
		return ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_DUMP, PCI_TSM_CMD_EVIDENCE_READ,
			 PCI_TSM_FAMILY_VERSION) ||
	    nla_put_u32(msg, PCI_TSM_A_TYPE_MASK, mask) < 0 ||
	    (digest && nla_put_u32(msg, PCI_TSM_A_FLAGS,
				   PCI_TSM_EVIDENCE_FLAG_DIGEST) < 0) ||
	    nla_put_string(msg, PCI_TSM_A_DEV_NAME, dev) < 0) {
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
		return nlerr_to_errno(rc);
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
		return nlerr_to_errno(rc);
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

static void kernel_error(struct tsm_err *e, int err, const char *dev,
			 uint32_t mask, const char *kmsg, unsigned int restarts)
{
	char name[24];
	const char *en = tsm_errno_name(err, name, sizeof(name));
	const char *sep = *kmsg ? ": " : "";

	switch (err) {
	case ENODEV:
		tsm_err_set(
			e, err, "--bdf", dev,
			"pci-tsm evidence read: device %s not found (ENODEV)%s%s",
			dev, sep, kmsg);
		tsm_err_hint(e, "check the name with ls /sys/bus/pci/devices");
		break;
	case ENXIO:
		tsm_err_set(
			e, err, "--bdf", dev,
			"pci-tsm evidence read: device %s has no TSM context or no evidence yet (ENXIO)%s%s",
			dev, sep, kmsg);
		tsm_err_hint(
			e,
			"connect the device to its TSM first (echo TSM > /sys/bus/pci/devices/%s/tsm/connect)",
			dev);
		break;
	case EAGAIN:
		tsm_err_set(
			e, err, "--bdf", dev,
			"pci-tsm evidence read: evidence updated during read, gave up after %u restart%s (EAGAIN)%s%s",
			restarts, restarts == 1 ? "" : "s", sep, kmsg);
		tsm_err_hint(e, "retry when the device's TSM state is stable");
		break;
	case EPERM:
	case EACCES:
		tsm_err_set(e, err, NULL, NULL,
			    "pci-tsm evidence read: permission denied (%s)%s%s",
			    en, sep, kmsg);
		tsm_err_hint(e,
			     "EVIDENCE_READ needs CAP_NET_ADMIN; run as root");
		break;
	case EINVAL:
		tsm_err_set(
			e, err, "--evidence", NULL,
			"pci-tsm evidence read: kernel refused the request for %s, mask 0x%x (EINVAL)%s%s",
			dev, mask, sep, kmsg);
		break;
	default:
		tsm_err_set(e, err, NULL, NULL,
			    "pci-tsm evidence read of %s failed: %s (%s)%s%s",
			    dev, strerror(err), en, sep, kmsg);
		break;
	}
}

int tsm_nl_evidence_read(struct tsm_nl *nl, const char *dev, uint32_t mask,
			 bool digest, unsigned int max_restarts,
			 struct tsm_evidence *ev, struct tsm_err *e)
{
	struct dump_ctx c;
	int err, nle;
	uint32_t left;

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
	if (!nl || !nl->sk || nl->family < 0) {
		tsm_err_set(e, EBADF, NULL, NULL, "netlink socket not open");
		return -EBADF;
	}
	for (;;) {
		memset(&c, 0, sizeof(c));
		c.ev = ev;
		c.mask = mask;
		c.cur = -1;
		err = dump_once(nl, dev, mask, digest, &c, &nle);
		if (err != EAGAIN || ev->restarts >= max_restarts)
			break;
		tsm_evidence_free(ev);
		ev->restarts++;
	}
	if (!err) {
		left = mask;
		for (unsigned int i = 0; i < ev->n; i++)
			left &= ~(1u << ev->obj[i].type);
		if (left) {
			unsigned int t = (unsigned int)__builtin_ctz(left);

			tsm_evidence_free(ev);
			tsm_err_set(
				e, EPROTO, NULL, NULL,
				"pci-tsm evidence read of %s: the kernel did not return %s",
				dev, type_names[t]);
			return -EPROTO;
		}
		return 0;
	}
	tsm_evidence_free(ev);
	if (c.local) {
		/* local: the reply broke the rules or was too big */
		tsm_err_set(e, err, NULL, NULL,
			    "pci-tsm evidence read of %s: %s", dev, c.why);
		return -err;
	}
	if (nle) {
		tsm_err_set(e, err, NULL, NULL,
			    "pci-tsm evidence read of %s: netlink: %s", dev,
			    nl_geterror(nle));
		return -err;
	}
	snprintf(ev->kernel_message, sizeof(ev->kernel_message), "%s",
		 nl->kmsg);
	kernel_error(e, err, dev, mask, ev->kernel_message, ev->restarts);
	return -err;
}

int tsm_nl_evidence_parse(const void *buf, size_t len, uint32_t mask,
			  struct tsm_evidence *ev, struct tsm_err *e)
{
	struct dump_ctx c = { .ev = ev, .mask = mask, .cur = -1 };
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
