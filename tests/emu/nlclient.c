// SPDX-License-Identifier: GPL-2.0
/*
 * Unmodified libnl-genl client used by emu.bats to test tsm-emu's
 * netlink emulation:
 *   nlclient resolve NAME
 *   nlclient families
 *   nlclient dump DEV MASK|- [FLAGS] [NONCEHEX]
 * With -x first, the socket sets NETLINK_EXT_ACK and the client prints
 * "extack: TEXT" for an NLMSGERR_ATTR_MSG in NLMSG_ERROR or NLMSG_DONE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct dump {
	int nobj;
	int done_err;
	int newline;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[7];
	struct dump *d = arg;

	(void)d;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, 6, NULL))
		return NL_SKIP;
	if (tb[1]) {
		printf("%stype %u:", d->nobj++ ? "\n" : "", nla_get_u32(tb[1]));
	}
	if (tb[6]) {
		const unsigned char *p = nla_data(tb[6]);

		printf(" chunk %d ", nla_len(tb[6]));
		for (int i = 0; i < nla_len(tb[6]) && i < 64; i++)
			printf("%02x", p[i]);
	}
	return NL_OK;
}

/* print NLMSGERR_ATTR_MSG among the TLVs at @p */
static void print_extack(const struct nlmsghdr *h, size_t off)
{
	const unsigned char *p = (const unsigned char *)h + off;
	size_t len = h->nlmsg_len > off ? h->nlmsg_len - off : 0;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			printf("extack: %.*s\n",
			       (int)(a->nla_len - NLA_HDRLEN - 1),
			       (const char *)(a + 1));
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			return;
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *h =
		(const void *)((const unsigned char *)e - NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)who;
	(void)arg;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN((size_t)e->msg.nlmsg_len) - NLMSG_HDRLEN;
	printf("error %d flags 0x%x\n", e->error, h->nlmsg_flags);
	print_extack(h, off);
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct dump *d = arg;

	if (h->nlmsg_len >= NLMSG_HDRLEN + 4)
		memcpy(&d->done_err, nlmsg_data(h), 4);
	if (d->nobj && !d->newline++)
		printf("\n");
	print_extack(h, NLMSG_HDRLEN + 4);
	return NL_STOP;
}

static int dump(struct nl_sock *sk, int argc, char **argv)
{
	int id = genl_ctrl_resolve(sk, "pci-tsm"), rc;
	struct dump d = { 0 };
	struct nl_msg *msg;

	if (id < 0) {
		printf("resolve: %s\n", nl_geterror(id));
		return 5;
	}
	msg = nlmsg_alloc();
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, id, 0, NLM_F_DUMP, 1, 1);
	nla_put_string(msg, 4, argv[2]);
	if (strcmp(argv[3], "-")) /* "-": no TYPE_MASK */
		nla_put_u32(msg, 2, (uint32_t)strtoul(argv[3], NULL, 0));
	if (argc > 4)
		nla_put_u32(msg, 3, (uint32_t)strtoul(argv[4], NULL, 0));
	if (argc > 5)
		nla_put(msg, 5, (int)strlen(argv[5]) / 2, argv[5]);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &d);
	nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &d);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, &d);
	rc = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		printf("send: %s\n", nl_geterror(rc));
		return 1;
	}
	rc = nl_recvmsgs_default(sk);
	if (d.nobj && !d.newline++)
		printf("\n");
	if (rc < 0) {
		printf("dump: %s\n", nl_geterror(rc));
		return 1;
	}
	printf("done err=%d objects=%d\n", d.done_err, d.nobj);
	return d.done_err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk = nl_socket_alloc();
	int rc;

	if (argc < 2 || !sk)
		return 2;
	rc = genl_connect(sk);
	if (rc) {
		printf("connect: %s\n", nl_geterror(rc));
		return 1;
	}
	if (!strcmp(argv[1], "-x")) {
		int one = 1;

		if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK,
			       NETLINK_EXT_ACK, &one, sizeof(one)))
			perror("setsockopt NETLINK_EXT_ACK");
		argc--;
		argv++;
	}
	if (!strcmp(argv[1], "resolve") && argc > 2) {
		rc = genl_ctrl_resolve(sk, argv[2]);
		printf("resolve %s: %d%s%s\n", argv[2], rc, rc < 0 ? " " : "",
		       rc < 0 ? nl_geterror(rc) : "");
		rc = rc < 0;
	} else if (!strcmp(argv[1], "families")) {
		struct nl_cache *c;

		rc = genl_ctrl_alloc_cache(sk, &c);
		printf("families rc=%d count=%d pci-tsm=%s\n", rc,
		       rc ? -1 : nl_cache_nitems(c),
		       !rc && genl_ctrl_search_by_name(c, "pci-tsm") ? "yes" :
								       "no");
	} else if (!strcmp(argv[1], "dump") && argc > 3) {
		rc = dump(sk, argc, argv);
	} else {
		rc = 2;
	}
	nl_socket_free(sk);
	return rc;
}
