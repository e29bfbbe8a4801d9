// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu: AF_NETLINK/NETLINK_GENERIC sockets through the supervisor
 * (tests/emu/README.md). socket() injects one end of an AF_UNIX
 * SOCK_SEQPACKET pair; every reply is one datagram written to the other
 * end, so poll() readiness is native. bind, connect, getsockname,
 * getpeername, setsockopt/getsockopt(SOL_NETLINK), sendmsg, sendto,
 * recvmsg and recvfrom are emulated on those fds; other fds CONTINUE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/netlink.h>
#include <seccomp.h>

#include "sup.h"

#define MAX_SEND (1u << 20)
#define MAX_IOV 1024

/* struct msghdr on x86_64 */
#define MH_NAME 0
#define MH_NAMELEN 8
#define MH_IOV 16
#define MH_IOVLEN 24
#define MH_CONTROLLEN 40
#define MH_FLAGS 48
#define MH_SIZE 56

int sup_nl_rules(void *filter_ctx)
{
	scmp_filter_ctx f = filter_ctx;
	static const int all[] = {
		SCMP_SYS(bind),	       SCMP_SYS(connect),
		SCMP_SYS(getsockname), SCMP_SYS(getpeername),
		SCMP_SYS(sendmsg),     SCMP_SYS(sendto),
		SCMP_SYS(recvmsg),     SCMP_SYS(recvfrom),
	};
	int rc = 0;

	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(socket), 1,
			       SCMP_A0(SCMP_CMP_EQ, AF_NETLINK));
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, all[i], 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(setsockopt), 1,
			       SCMP_A1(SCMP_CMP_EQ, SOL_NETLINK));
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(getsockopt), 1,
			       SCMP_A1(SCMP_CMP_EQ, SOL_NETLINK));
	return rc;
}

void sup_nl_free(struct emu_sup *s)
{
	for (int i = 0; i < s->nnls; i++) {
		close(s->nls[i].tfd);
		close(s->nls[i].sfd);
	}
	free(s->nls);
	s->nls = NULL;
	s->nnls = 0;
}

static struct emu_nlsock *nls_by_fd(struct emu_sup *s, pid_t tid, int fd)
{
	char p[64];
	struct stat st;

	if (fd < 0 || !s->nnls)
		return NULL;
	snprintf(p, sizeof(p), "/proc/%d/fd/%d", tid, fd);
	if (stat(p, &st))
		return NULL;
	for (int i = 0; i < s->nnls; i++)
		if (s->nls[i].dev == st.st_dev && s->nls[i].ino == st.st_ino)
			return &s->nls[i];
	return NULL;
}

static int do_socket(struct emu_sup *s)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	struct seccomp_notif_addfd add = { 0 };
	int type = (int)req->data.args[1], proto = (int)req->data.args[2];
	int base = type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK), sv[2],
	    big = 64 << 20;
	struct emu_nlsock *n;
	struct stat st;
	int rfd;

	if (proto != NETLINK_GENERIC ||
	    (base != SOCK_RAW && base != SOCK_DGRAM))
		return 0; /* CONTINUE: a real netlink socket */
	if (s->nnls == s->nlcap) {
		int cap = s->nlcap ? s->nlcap * 2 : 8;
		struct emu_nlsock *p = realloc(s->nls, cap * sizeof(*p));

		if (!p)
			return 0;
		s->nls = p;
		s->nlcap = cap;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return 0;
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	if (type & SOCK_NONBLOCK)
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fstat(sv[0], &st);
	n = &s->nls[s->nnls++];
	memset(n, 0, sizeof(*n));
	n->tfd = sv[0];
	n->sfd = sv[1];
	n->dev = st.st_dev;
	n->ino = st.st_ino;
	resp->flags = 0;
	add.id = req->id;
	add.flags = SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = sv[0];
	add.newfd_flags = type & SOCK_CLOEXEC ? O_CLOEXEC : 0;
	rfd = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	if (rfd < 0) {
		if (errno == ENOENT) {
			s->lost++;
			return 1;
		}
		resp->error = -errno;
		return 0;
	}
	log_simple(s, req->pid, "socket", rfd, rfd, 0);
	return 1;
}

static uint32_t port_of(struct emu_nlsock *n, pid_t tid)
{
	if (!n->port)
		n->port = (uint32_t)tid; /* autobind */
	return n->port;
}

static int write_addr(pid_t tid, uint64_t uaddr, uint64_t ulen, uint32_t port,
		      uint32_t groups)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK,
				 .nl_pid = port,
				 .nl_groups = groups };
	int32_t len, full = sizeof(a);

	if (!uaddr)
		return 0;
	if (sup_mem_read(&tid, ulen, &len, 4))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (sup_mem_write(&tid, uaddr, &a,
			  (size_t)len < sizeof(a) ? (size_t)len : sizeof(a)) ||
	    sup_mem_write(&tid, ulen, &full, 4))
		return -EFAULT;
	return 0;
}

static int emit(void *priv, const void *msg, size_t len)
{
	struct emu_nlsock *n = priv;

	return send(n->sfd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) ==
			       (ssize_t)len ?
		       0 :
		       -1;
}

static long handle_send(struct emu_sup *s, struct emu_nlsock *n, int fd,
			uint8_t *buf, size_t len)
{
	struct emu_nl_trace tr;
	size_t off = 0;
	uint32_t port = port_of(n, s->req->pid);

	if (emu_replay_has_nl(s->replay))
		return sup_replay_nl_send(s, n, fd, port, buf, len);
	while (off < len) {
		long used = emu_nl_handle_ext(s->nl, buf + off, len - off, port,
					      n->ext_ack, emit, n, &tr);

		if (used < 0)
			return -ENOBUFS;
		if (!used)
			break;
		if (tr.type >= NLMSG_MIN_TYPE)
			log_nl(s, s->req->pid, fd, &tr, buf + off,
			       (size_t)used);
		if (tr.faulted && tr.fault.delay_ms)
			sup_sleep_ms(tr.fault.delay_ms);
		off += (size_t)used;
	}
	return (long)len;
}

/* gather (or scatter, @out) the target's iovecs */
static long iov_xfer(pid_t tid, uint64_t uiov, uint64_t iovlen, uint8_t **buf,
		     size_t out_len)
{
	struct iovec *iov;
	size_t total = 0, done = 0;
	long rc = -EFAULT;

	if (iovlen > MAX_IOV)
		return -EMSGSIZE;
	iov = calloc(iovlen ? iovlen : 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (iovlen && sup_mem_read(&tid, uiov, iov, iovlen * sizeof(*iov)))
		goto out;
	for (size_t i = 0; i < iovlen; i++)
		total += iov[i].iov_len;
	if (!*buf) { /* gather for send */
		if (total > MAX_SEND) {
			rc = -EMSGSIZE;
			goto out;
		}
		*buf = malloc(total ? total : 1);
		if (!*buf) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < iovlen; i++) {
		size_t n = iov[i].iov_len;
		uint64_t a = (uintptr_t)iov[i].iov_base;

		if (out_len) {
			n = n < out_len - done ? n : out_len - done;
			if (n && sup_mem_write(&tid, a, *buf + done, n))
				goto out;
		} else if (n && sup_mem_read(&tid, a, *buf + done, n)) {
			goto out;
		}
		done += n;
		if (out_len && done == out_len)
			break;
	}
	rc = out_len ? (long)done : (long)total;
out:
	free(iov);
	return rc;
}

/* 0: data in *buf (*len, *full); 1: CONTINUE (block in the kernel) */
static int take(struct emu_nlsock *n, int flags, uint8_t **buf, size_t *full,
		long *err)
{
	ssize_t r = recv(n->tfd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);

	if (r < 0) {
		if (errno == EAGAIN && !(flags & MSG_DONTWAIT) &&
		    !(fcntl(n->tfd, F_GETFL) & O_NONBLOCK))
			return 1;
		*err = -errno;
		return 0;
	}
	*buf = malloc(r ? (size_t)r : 1);
	if (!*buf) {
		*err = -ENOMEM;
		return 0;
	}
	r = recv(n->tfd, *buf, (size_t)r, MSG_DONTWAIT | (flags & MSG_PEEK));
	if (r < 0)
		*err = -errno;
	*full = r < 0 ? 0 : (size_t)r;
	return 0;
}

static long do_recvmsg(struct emu_sup *s, struct emu_nlsock *n, int *cont)
{
	pid_t tid = s->req->pid;
	uint64_t umh = s->req->data.args[1];
	int flags = (int)s->req->data.args[2];
	uint8_t mh[MH_SIZE], *buf = NULL;
	size_t full = 0;
	long err = 0, got;
	uint64_t name, iov, iovlen, zero = 0;
	int32_t mflags;

	if (sup_mem_read(&tid, umh, mh, MH_SIZE))
		return -EFAULT;
	memcpy(&name, mh + MH_NAME, 8);
	memcpy(&iov, mh + MH_IOV, 8);
	memcpy(&iovlen, mh + MH_IOVLEN, 8);
	*cont = take(n, flags, &buf, &full, &err);
	if (*cont || err) {
		free(buf);
		return err;
	}
	got = full ? iov_xfer(tid, iov, iovlen, &buf, full) : 0;
	free(buf);
	if (got < 0)
		return got;
	mflags = (size_t)got < full ? MSG_TRUNC : 0;
	if (write_addr(tid, name, umh + MH_NAMELEN, 0, 0) ||
	    sup_mem_write(&tid, umh + MH_CONTROLLEN, &zero, 8) ||
	    sup_mem_write(&tid, umh + MH_FLAGS, &mflags, 4))
		return -EFAULT;
	return flags & MSG_TRUNC ? (long)full : got;
}

static long do_recvfrom(struct emu_sup *s, struct emu_nlsock *n, int *cont)
{
	const __u64 *a = s->req->data.args;
	pid_t tid = s->req->pid;
	int flags = (int)a[3];
	uint8_t *buf = NULL;
	size_t full = 0, copy;
	long err = 0;

	*cont = take(n, flags, &buf, &full, &err);
	if (*cont || err) {
		free(buf);
		return err;
	}
	copy = full < a[2] ? full : a[2];
	if (copy && sup_mem_write(&tid, a[1], buf, copy))
		err = -EFAULT;
	free(buf);
	if (!err && write_addr(tid, a[4], a[5], 0, 0))
		err = -EFAULT;
	if (err)
		return err;
	return flags & MSG_TRUNC ? (long)full : (long)copy;
}

static long do_sendmsg(struct emu_sup *s, struct emu_nlsock *n, int fd)
{
	pid_t tid = s->req->pid;
	uint8_t mh[MH_SIZE], *buf = NULL;
	uint64_t iov, iovlen;
	long len, rc;

	if (sup_mem_read(&tid, s->req->data.args[1], mh, MH_SIZE))
		return -EFAULT;
	memcpy(&iov, mh + MH_IOV, 8);
	memcpy(&iovlen, mh + MH_IOVLEN, 8);
	len = iov_xfer(tid, iov, iovlen, &buf, 0);
	if (len < 0)
		return len;
	rc = handle_send(s, n, fd, buf, (size_t)len);
	free(buf);
	return rc;
}

static long do_sendto(struct emu_sup *s, struct emu_nlsock *n, int fd)
{
	const __u64 *a = s->req->data.args;
	pid_t tid = s->req->pid;
	uint8_t *buf;
	long rc;

	if (a[2] > MAX_SEND)
		return -EMSGSIZE;
	buf = malloc(a[2] ? a[2] : 1);
	if (!buf)
		return -ENOMEM;
	rc = sup_mem_read(&tid, a[1], buf, a[2]) ?
		     -EFAULT :
		     handle_send(s, n, fd, buf, a[2]);
	free(buf);
	return rc;
}

static long do_bind(struct emu_sup *s, struct emu_nlsock *n)
{
	const __u64 *a = s->req->data.args;
	struct sockaddr_nl sa;
	pid_t tid = s->req->pid;

	if (a[2] < sizeof(sa))
		return -EINVAL;
	if (sup_mem_read(&tid, a[1], &sa, sizeof(sa)))
		return -EFAULT;
	if (sa.nl_family != AF_NETLINK)
		return -EINVAL;
	if (s->req->data.nr == SYS_bind) {
		if (sa.nl_pid)
			n->port = sa.nl_pid;
		n->groups = sa.nl_groups;
	}
	port_of(n, tid);
	return 0;
}

/* options are accepted; NETLINK_EXT_ACK is remembered */
static long do_setsockopt(pid_t tid, struct emu_nlsock *n, const __u64 *a)
{
	int32_t val = 0;

	if (a[4] >= sizeof(val) && sup_mem_read(&tid, a[3], &val, 4))
		return -EFAULT;
	if ((int)a[2] == NETLINK_EXT_ACK)
		n->ext_ack = val != 0;
	return 0;
}

int sup_nl_dispatch(struct emu_sup *s)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	const __u64 *a = req->data.args;
	int nr = req->data.nr, fd = (int)a[0], cont = 0;
	struct emu_nlsock *n;
	const char *call;
	long rc;

	switch (nr) {
	case SYS_socket:
		return do_socket(s);
	case SYS_bind:
		call = "bind";
		break;
	case SYS_connect:
		call = "connect";
		break;
	case SYS_getsockname:
		call = "getsockname";
		break;
	case SYS_getpeername:
		call = "getpeername";
		break;
	case SYS_sendmsg:
		call = "sendmsg";
		break;
	case SYS_sendto:
		call = "sendto";
		break;
	case SYS_recvmsg:
		call = "recvmsg";
		break;
	case SYS_recvfrom:
		call = "recvfrom";
		break;
	case SYS_setsockopt:
		call = "setsockopt";
		break;
	case SYS_getsockopt:
		call = "getsockopt";
		break;
	default:
		return -1;
	}
	n = nls_by_fd(s, req->pid, fd);
	if (!n)
		return 0; /* CONTINUE */
	switch (nr) {
	case SYS_bind:
	case SYS_connect:
		rc = do_bind(s, n);
		break;
	case SYS_getsockname:
		rc = write_addr(req->pid, a[1], a[2], port_of(n, req->pid),
				n->groups);
		break;
	case SYS_getpeername:
		rc = write_addr(req->pid, a[1], a[2], 0, 0);
		break;
	case SYS_sendmsg:
		rc = do_sendmsg(s, n, fd);
		break;
	case SYS_sendto:
		rc = do_sendto(s, n, fd);
		break;
	case SYS_recvmsg:
		rc = do_recvmsg(s, n, &cont);
		break;
	case SYS_recvfrom:
		rc = do_recvfrom(s, n, &cont);
		break;
	case SYS_getsockopt: {
		int32_t val = (int)a[2] == NETLINK_EXT_ACK ? n->ext_ack : 0;
		int32_t four = 4;

		rc = sup_mem_write(&req->pid, a[3], &val, 4) ||
				     sup_mem_write(&req->pid, a[4], &four, 4) ?
			     -EFAULT :
			     0;
		break;
	}
	default: /* setsockopt(SOL_NETLINK, ...): accepted */
		rc = do_setsockopt(req->pid, n, a);
		break;
	}
	if (cont)
		return 0;
	resp->flags = 0;
	if (rc < 0)
		resp->error = (int)rc;
	else
		resp->val = rc;
	if (nr != SYS_sendmsg && nr != SYS_sendto)
		log_simple(s, req->pid, call, fd, rc < 0 ? -1 : rc,
			   rc < 0 ? (int)-rc : 0);
	return 0;
}
