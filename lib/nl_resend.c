// SPDX-License-Identifier: GPL-2.0
/*
 * Re-sending recorded pci-tsm messages for tsmctl replay: the bytes of a
 * request as a trace holds them, sent again on a resolved socket, and the
 * replies handed back raw for comparison with the recorded ones.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"

int tsm_nl_resend(struct tsm_nl *nl, const void *msg, size_t len,
		  tsm_nl_trace_fn fn, void *arg, struct tsm_err *e)
{
	struct nl_sock *sk = tsm_nl_sock(nl);
	struct sockaddr_nl peer;
	struct nlmsghdr *h;
	unsigned char *rbuf = NULL;
	uint8_t *buf;
	int n, replies = 0, rc;
	bool done = false;

	if (len < NLMSG_HDRLEN || len > PCI_TSM_MAX_OBJECT_SIZE ||
	    ((const struct nlmsghdr *)msg)->nlmsg_len != len) {
		tsm_err_set(
			e, EINVAL, "hex", NULL,
			"recorded netlink message: %zu bytes, header says otherwise",
			len);
		return -EINVAL;
	}
	buf = malloc(len);
	if (!buf) {
		tsm_err_set(e, ENOMEM, NULL, NULL, "out of memory");
		return -ENOMEM;
	}
	memcpy(buf, msg, len);
	h = (struct nlmsghdr *)buf;
	h->nlmsg_type = (uint16_t)tsm_nl_family_id(nl);
	h->nlmsg_seq = nl_socket_use_seq(sk);
	h->nlmsg_pid = nl_socket_get_local_port(sk);
	if (fn)
		fn(arg, "send", buf, len);
	rc = nl_sendto(sk, buf, len);
	free(buf);
	if (rc < 0) {
		tsm_err_set(e, EIO, NULL, NULL, "netlink send: %s",
			    nl_geterror(rc));
		return -EIO;
	}
	while (!done) {
		n = nl_recv(sk, &peer, &rbuf, NULL);
		if (n <= 0) {
			free(rbuf);
			tsm_err_set(e, EIO, NULL, NULL, "netlink receive: %s",
				    n ? nl_geterror(n) : "connection closed");
			return -EIO;
		}
		for (h = (struct nlmsghdr *)rbuf; nlmsg_ok(h, n);
		     h = nlmsg_next(h, &n)) {
			replies++;
			if (fn)
				fn(arg, "recv", h, h->nlmsg_len);
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR ||
			    !(h->nlmsg_flags & NLM_F_MULTI))
				done = true;
		}
		free(rbuf);
		rbuf = NULL;
	}
	return replies;
}
