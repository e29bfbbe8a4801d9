// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu generic netlink model: nlctrl (GETFAMILY, plain and dump) and
 * the evidence READ dump of "device-evidence" or "pci-tsm". Rules:
 * docs/kernel-abi.md, "Evidence over netlink".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlmodel.h"

#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif

struct nlb {
	uint8_t *buf;
	size_t cap, len;
	emu_nl_emit_fn emit;
	void *priv;
	uint32_t seq, port;
	int n; /* messages emitted */
	int failed;
	bool ext_ack; /* the socket set NETLINK_EXT_ACK */
	const char *msg; /* extack text for the error, NULL = none */
	const char *sent_msg; /* the text actually sent */
};

/* one family's attribute numbers (0: absent) */
struct fam_def {
	const char *name;
	uint16_t type, mask, flags, subsys, dev, nonce, gen, length, val, max;
	size_t nonce_max;
};

static const struct fam_def fams[] = {
	[EMU_NL_FAM_DEVICE_EVIDENCE] = { EMU_DE_FAMILY_NAME, EMU_DE_A_TYPE,
					 EMU_DE_A_TYPE_MASK, EMU_DE_A_FLAGS,
					 EMU_DE_A_SUBSYS, EMU_DE_A_DEV_NAME,
					 EMU_DE_A_NONCE, EMU_DE_A_GENERATION,
					 EMU_DE_A_LENGTH, EMU_DE_A_VAL,
					 EMU_DE_A_VAL, 32 },
	[EMU_NL_FAM_PCI_TSM] = { EMU_NL_FAMILY_NAME, EMU_NL_A_TYPE,
				 EMU_NL_A_TYPE_MASK, EMU_NL_A_FLAGS, 0,
				 EMU_NL_A_DEV_NAME, EMU_NL_A_NONCE, 0, 0,
				 EMU_NL_A_VAL, EMU_NL_A_VAL, 256 },
};

const char *emu_nl_family_name(const struct emu_nl *nl)
{
	return fams[nl->fam].name;
}

void emu_nl_init(struct emu_nl *nl, struct emu_model *m)
{
	memset(nl, 0, sizeof(*nl));
	nl->model = m;
	nl->family_id = 0x1d;
	nl->chunk = 3968;
}

void emu_nl_free(struct emu_nl *nl)
{
	for (int d = 0; d < nl->ndev; d++)
		for (int t = 0; t < EMU_NL_EV_TYPES; t++) {
			free(nl->dev[d].ev[t].data);
			free(nl->dev[d].digest[t].data);
		}
	nl->ndev = 0;
}

static void put(struct nlb *b, const void *p, size_t n)
{
	size_t pad = NLMSG_ALIGN(n) - n;

	if (b->len + n + pad > b->cap) {
		b->failed = 1;
		return;
	}
	if (n)
		memcpy(b->buf + b->len, p, n);
	memset(b->buf + b->len + n, 0, pad);
	b->len += n + pad;
}

static void msg_start(struct nlb *b, uint16_t type, uint16_t flags)
{
	struct nlmsghdr h = {
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = b->seq,
		.nlmsg_pid = b->port,
	};

	b->len = 0;
	put(b, &h, sizeof(h));
}

static void genl_hdr(struct nlb *b, uint8_t cmd, uint8_t version)
{
	struct genlmsghdr g = { .cmd = cmd, .version = version };

	put(b, &g, sizeof(g));
}

static void attr(struct nlb *b, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	if (n > 0xffff - NLA_HDRLEN) {
		b->failed = 1;
		return;
	}
	put(b, &a, sizeof(a));
	put(b, p, n);
}

static void attr_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	attr(b, type, &v, 4);
}

static size_t nest_start(struct nlb *b, uint16_t type)
{
	size_t off = b->len;

	attr(b, type | NLA_F_NESTED, NULL, 0);
	return off;
}

static void nest_end(struct nlb *b, size_t off)
{
	struct nlattr *a = (struct nlattr *)(b->buf + off);

	if (!b->failed)
		a->nla_len = (uint16_t)(b->len - off);
}

static void msg_end(struct nlb *b)
{
	struct nlmsghdr *h = (struct nlmsghdr *)b->buf;

	if (b->failed)
		return;
	h->nlmsg_len = (uint32_t)b->len;
	if (b->emit(b->priv, b->buf, b->len))
		b->failed = 1;
	b->n++;
}

static void attr(struct nlb *b, uint16_t type, const void *p, size_t n);

/* extack: only for errors, only when the socket asked for it */
static bool want_tlv(const struct nlb *b, int err)
{
	return err && b->ext_ack && b->msg && b->msg[0];
}

static void put_tlv(struct nlb *b)
{
	attr(b, NLMSGERR_ATTR_MSG, b->msg, strlen(b->msg) + 1);
	b->sent_msg = b->msg;
}

/*
 * NLMSG_ERROR with the request header (capped); err 0 = ACK. With
 * NETLINK_EXT_ACK, NLM_F_ACK_TLVS and NLMSGERR_ATTR_MSG follow.
 */
static void send_err(struct nlb *b, const struct nlmsghdr *req, int err)
{
	bool tlv = want_tlv(b, err);
	int e = -err;

	msg_start(b, NLMSG_ERROR, NLM_F_CAPPED | (tlv ? NLM_F_ACK_TLVS : 0));
	put(b, &e, sizeof(e));
	put(b, req, sizeof(*req));
	if (tlv)
		put_tlv(b);
	msg_end(b);
}

/* NLMSG_DONE; a mid-dump error's text follows as in netlink_dump_done() */
static void send_done(struct nlb *b, int err)
{
	bool tlv = want_tlv(b, err);
	int e = -err;

	msg_start(b, NLMSG_DONE, NLM_F_MULTI | (tlv ? NLM_F_ACK_TLVS : 0));
	put(b, &e, sizeof(e));
	if (tlv)
		put_tlv(b);
	msg_end(b);
}

static void family_msg(struct nlb *b, uint16_t flags, uint16_t id,
		       const char *name, uint32_t version, uint32_t maxattr,
		       uint32_t op, uint32_t op_flags)
{
	size_t ops, one;

	msg_start(b, EMU_NL_GENL_ID_CTRL, flags);
	genl_hdr(b, CTRL_CMD_NEWFAMILY, 2);
	attr(b, CTRL_ATTR_FAMILY_ID, &id, 2);
	attr(b, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	attr_u32(b, CTRL_ATTR_VERSION, version);
	attr_u32(b, CTRL_ATTR_HDRSIZE, 0);
	attr_u32(b, CTRL_ATTR_MAXATTR, maxattr);
	ops = nest_start(b, CTRL_ATTR_OPS);
	one = nest_start(b, 1);
	attr_u32(b, CTRL_ATTR_OP_ID, op);
	attr_u32(b, CTRL_ATTR_OP_FLAGS, op_flags);
	nest_end(b, one);
	nest_end(b, ops);
	msg_end(b);
}

static void nlctrl_family(struct nlb *b, uint16_t flags)
{
	family_msg(b, flags, EMU_NL_GENL_ID_CTRL, "nlctrl", 2, CTRL_ATTR_MAX,
		   CTRL_CMD_GETFAMILY, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP);
}

static void pcitsm_family(struct emu_nl *nl, struct nlb *b, uint16_t flags)
{
	family_msg(b, flags, nl->family_id, fams[nl->fam].name, 1,
		   fams[nl->fam].max, EMU_NL_CMD_EVIDENCE_READ,
		   GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP);
}

struct attrs {
	const struct nlattr *a[16];
};

static int parse_attrs(const uint8_t *p, size_t len, struct attrs *at)
{
	memset(at, 0, sizeof(*at));
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		size_t step;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -EINVAL;
		if (type < 16)
			at->a[type] = a;
		step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

static const void *adata(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t alen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (alen(a) != 4)
		return -EINVAL;
	memcpy(v, adata(a), 4);
	return 0;
}

/* NUL-terminated string of at most max-1 characters */
static int get_str(const struct nlattr *a, char *out, size_t max)
{
	const char *s = adata(a);
	size_t n = strnlen(s, alen(a));

	if (n == alen(a) || n >= max)
		return -EINVAL;
	memcpy(out, s, n + 1);
	return 0;
}

static int ctrl(struct emu_nl *nl, struct nlb *b, const struct nlmsghdr *h,
		const struct attrs *at, struct emu_nl_trace *tr)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	char name[GENL_NAMSIZ];
	uint16_t id = 0;

	tr->family = "nlctrl";
	if (g->cmd != CTRL_CMD_GETFAMILY)
		return -EOPNOTSUPP;
	if ((h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		nlctrl_family(b, NLM_F_MULTI);
		if (nl->family)
			pcitsm_family(nl, b, NLM_F_MULTI);
		send_done(b, 0);
		return 1;
	}
	if (at->a[CTRL_ATTR_FAMILY_NAME]) {
		if (get_str(at->a[CTRL_ATTR_FAMILY_NAME], name, sizeof(name)))
			return -EINVAL;
		snprintf(tr->dev_name, sizeof(tr->dev_name), "%s", name);
		if (!strcmp(name, "nlctrl"))
			id = EMU_NL_GENL_ID_CTRL;
		else if (nl->family && !strcmp(name, fams[nl->fam].name))
			id = nl->family_id;
	} else if (at->a[CTRL_ATTR_FAMILY_ID] &&
		   alen(at->a[CTRL_ATTR_FAMILY_ID]) == 2) {
		memcpy(&id, adata(at->a[CTRL_ATTR_FAMILY_ID]), 2);
		if (id != EMU_NL_GENL_ID_CTRL &&
		    !(nl->family && id == nl->family_id))
			id = 0;
	} else {
		return -EINVAL;
	}
	if (!id)
		return -ENOENT;
	if (id == EMU_NL_GENL_ID_CTRL)
		nlctrl_family(b, 0);
	else
		pcitsm_family(nl, b, 0);
	return 0;
}

static struct emu_nl_dev *find_dev(struct emu_nl *nl, const char *name)
{
	for (int i = 0; i < nl->ndev; i++)
		if (!strcmp(nl->dev[i].name, name))
			return &nl->dev[i];
	return NULL;
}

/* one object: TYPE (and GENERATION, LENGTH) first, then VAL chunks */
static void dump_object(struct emu_nl *nl, struct nlb *b, int type,
			const struct emu_blob *o, const struct emu_nl_dev *d)
{
	const struct fam_def *fd = &fams[nl->fam];
	size_t off = 0, len = o->present ? o->len : 0;
	bool first = true;

	do {
		size_t n = len - off < nl->chunk ? len - off : nl->chunk;

		msg_start(b, nl->family_id, NLM_F_MULTI);
		genl_hdr(b, EMU_NL_CMD_EVIDENCE_READ, 1);
		if (first)
			attr_u32(b, fd->type, (uint32_t)type);
		if (first && fd->gen)
			attr_u32(b, fd->gen, d->generation);
		if (first && fd->length)
			attr_u32(b, fd->length,
				 (uint32_t)len + (d->bad_length ? 1 : 0));
		attr(b, fd->val, n ? o->data + off : NULL, n);
		msg_end(b);
		off += n;
		first = false;
	} while (off < len && !b->failed);
}

/* device-evidence: SUBSYS must name "pci" (S31's errors) */
static int check_subsys(struct nlb *b, const struct fam_def *fd,
			const struct attrs *at)
{
	char sub[32];

	if (!fd->subsys)
		return 0;
	if (!at->a[fd->subsys]) {
		if (!b->msg)
			b->msg = EMU_NL_MSG_NO_SUBSYS;
		return -EINVAL;
	}
	if (get_str(at->a[fd->subsys], sub, sizeof(sub)))
		return -EINVAL;
	return strcmp(sub, "pci") ? -EOPNOTSUPP : 0;
}

/* the request's attributes, checked in the kernel's order */
static int read_request(struct emu_nl *nl, struct nlb *b,
			const struct attrs *at, struct emu_nl_trace *tr,
			uint32_t *mask, uint32_t *flags)
{
	const struct fam_def *fd = &fams[nl->fam];
	const struct nlattr *nonce = at->a[fd->nonce];
	int rc;

	if (!at->a[fd->mask]) {
		if (!b->msg)
			b->msg = EMU_NL_MSG_NO_MASK;
		return -EINVAL;
	}
	if (get_u32(at->a[fd->mask], mask))
		return -EINVAL;
	tr->has_mask = true;
	tr->type_mask = *mask;
	if (*mask & ~EMU_NL_EV_MASK)
		return -EINVAL;
	if (at->a[fd->flags] &&
	    (get_u32(at->a[fd->flags], flags) || *flags & ~1u))
		return -EINVAL;
	tr->ev_flags = *flags;
	rc = check_subsys(b, fd, at);
	if (rc)
		return rc;
	if (!at->a[fd->dev] ||
	    get_str(at->a[fd->dev], tr->dev_name, sizeof(tr->dev_name)))
		return -EINVAL;
	if (!*mask)
		return -EINVAL;
	if (nonce && alen(nonce) > fd->nonce_max)
		return -EINVAL;
	if (nonce) {
		tr->nonce_len = alen(nonce);
		memcpy(tr->nonce, adata(nonce), tr->nonce_len);
	}
	return 0;
}

/* a scripted generation change after @i objects of this dump */
static bool generation_moves(struct emu_nl_dev *d, int i)
{
	if (!d->gc_dumps || i != (int)d->gc_after)
		return false;
	d->gc_dumps--;
	d->generation++;
	return true;
}

static int pcitsm(struct emu_nl *nl, struct nlb *b, const struct nlmsghdr *h,
		  const struct attrs *at, struct emu_nl_trace *tr,
		  const struct emu_fault *f)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	struct emu_nl_dev *d;
	uint32_t mask = 0, flags = 0;
	int rc, done = 0;

	tr->family = fams[nl->fam].name;
	if (g->cmd != EMU_NL_CMD_EVIDENCE_READ ||
	    (h->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		return -EOPNOTSUPP; /* dump-only command */
	if (nl->deny_admin)
		return -EPERM;
	rc = read_request(nl, b, at, tr, &mask, &flags);
	if (rc)
		return rc;
	d = find_dev(nl, tr->dev_name);
	if (!d)
		return -ENODEV;
	if (!d->tsm || !d->generation)
		return -ENXIO;
	/* staging: no refresh op unless the scenario gives one */
	if (tr->nonce_len && !nl->refresh)
		return -EOPNOTSUPP;
	if (tr->nonce_len)
		d->generation++; /* refreshed */
	for (int t = 0; t < EMU_NL_EV_TYPES && !b->failed; t++) {
		bool moved;

		if (!(mask & 1u << t))
			continue;
		moved = generation_moves(d, done);
		if ((moved && d->gc_eagain) || (done && f && f->eagain_dump)) {
			tr->err = EAGAIN;
			tr->err_in_done = true;
			if (!b->msg)
				b->msg = EMU_NL_MSG_EAGAIN;
			send_done(b, EAGAIN);
			return 1;
		}
		dump_object(nl, b, t, flags ? &d->digest[t] : &d->ev[t], d);
		done++;
	}
	send_done(b, 0);
	return 1;
}

long emu_nl_handle(struct emu_nl *nl, const uint8_t *msg, size_t len,
		   uint32_t port, emu_nl_emit_fn emit, void *priv,
		   struct emu_nl_trace *tr)
{
	return emu_nl_handle_ext(nl, msg, len, port, false, emit, priv, tr);
}

long emu_nl_handle_ext(struct emu_nl *nl, const uint8_t *msg, size_t len,
		       uint32_t port, bool ext_ack, emu_nl_emit_fn emit,
		       void *priv, struct emu_nl_trace *tr)
{
	struct emu_nl_trace scratch;
	const struct nlmsghdr *h = (const void *)msg;
	struct emu_fault f = { 0 };
	struct nlb b = {
		.emit = emit, .priv = priv, .port = port, .ext_ack = ext_ack
	};
	struct attrs at;
	size_t used;
	int rc;

	if (!tr)
		tr = &scratch;
	memset(tr, 0, sizeof(*tr));
	tr->family = "unknown";
	if (len < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
	    h->nlmsg_len > len)
		return 0;
	used = NLMSG_ALIGN(h->nlmsg_len) < len ? NLMSG_ALIGN(h->nlmsg_len) :
						 len;
	tr->type = h->nlmsg_type;
	tr->flags = h->nlmsg_flags;
	tr->seq = h->nlmsg_seq;
	b.seq = h->nlmsg_seq;
	if (!(h->nlmsg_flags & NLM_F_REQUEST) || h->nlmsg_type < NLMSG_MIN_TYPE)
		return (long)used;
	b.cap = nl->chunk + 512;
	b.buf = malloc(b.cap);
	if (!b.buf)
		return -1;
	if (emu_fault_take(nl->model, EMU_K_NL, &f)) {
		tr->faulted = true;
		tr->fault = f;
		if (f.extack[0])
			b.msg = tr->fault.extack; /* overrides the default */
	}
	if (h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
		tr->cmd = ((const struct genlmsghdr *)NLMSG_DATA(h))->cmd;
	if (f.err) {
		rc = -f.err;
	} else if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
		   parse_attrs(msg + NLMSG_HDRLEN + GENL_HDRLEN,
			       h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			       &at)) {
		rc = -EINVAL;
	} else if (h->nlmsg_type == EMU_NL_GENL_ID_CTRL) {
		rc = ctrl(nl, &b, h, &at, tr);
	} else if (nl->family && h->nlmsg_type == nl->family_id) {
		rc = pcitsm(nl, &b, h, &at, tr, &f);
	} else {
		rc = -ENOENT;
	}
	if (rc < 0) {
		tr->err = -rc;
		send_err(&b, h, -rc);
	} else if (rc == 0 && h->nlmsg_flags & NLM_F_ACK) {
		send_err(&b, h, 0); /* ACK; dumps never ACK */
	}
	tr->nreplies = b.n;
	tr->extack = b.sent_msg;
	free(b.buf);
	return b.failed ? -1 : (long)used;
}
