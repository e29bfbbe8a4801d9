/* SPDX-License-Identifier: GPL-2.0 */
/* tsm-emu seccomp user-notification supervisor */
#ifndef TSM_EMU_SUP_H
#define TSM_EMU_SUP_H

#include <stdio.h>
#include <sys/types.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "model.h"
#include "nlmodel.h"
#include "replay.h"

struct emu_sysfs;

/* 6.6 additions missing from bookworm's 6.1 headers */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* a placeholder memfd standing for one open of /dev/iommu */
struct emu_ph {
	int fd;
	dev_t dev;
	ino_t ino;
	struct emu_ctx *ctx;
	bool ctx_owned; /* allocated by the supervisor */
};

/* an emulated AF_NETLINK socket: one end of an AF_UNIX socketpair */
struct emu_nlsock {
	int tfd; /* our reference to the target's end */
	int sfd; /* supervisor end: replies are written here */
	dev_t dev;
	ino_t ino;
	uint32_t port;
	uint32_t groups;
	bool ext_ack; /* setsockopt(SOL_NETLINK, NETLINK_EXT_ACK) */
};

struct emu_sup {
	struct emu_model *model;
	struct emu_nl *nl; /* NULL: netlink not trapped */
	struct emu_nlsock *nls;
	int nnls, nlcap;
	int listener;
	FILE *log;
	unsigned long seq;
	struct emu_ph *ph;
	int nph, cap;
	bool trap_pidfd_getfd;
	unsigned long lost; /* NOTIF_SEND/ADDFD for a vanished task */
	struct sock_fprog prog;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct emu_trace *tr;
	void (*after_ioctl)(void *priv); /* e.g. the sysfs fixture sync */
	void *after_priv;
	struct emu_replay *replay; /* --replay: answers from a trace */
	struct emu_sysfs *sysfs; /* the sysfs fixture, NULL: none */
	struct { /* fixture files COMMAND opened for writing */
		dev_t dev;
		ino_t ino;
		char rel[160]; /* relative to /sys */
	} wfile[64];
	unsigned int nwfile; /* ring: the next slot is nwfile % 64 */
};

int sup_init(struct emu_sup *s, struct emu_model *m);
void sup_free(struct emu_sup *s);
/* build the BPF program (before clone: it uses files) */
int sup_build_filter(struct emu_sup *s);
/* in the child: install the filter, return the listener fd or -1 */
int sup_install_filter(const struct emu_sup *s);
/* after the listener is known: allocate buffers, set SYNC_WAKE_UP */
int sup_attach(struct emu_sup *s, int listener);
/* placeholder for @ctx (NULL: a fresh context); returns its fd or -1 */
int sup_add_placeholder(struct emu_sup *s, struct emu_ctx *ctx, int minfd);
/* receive and answer one notification; -1 on a fatal listener error */
int sup_serve_one(struct emu_sup *s);

/* shared with nlsock.c */
int sup_mem_read(void *priv, uint64_t a, void *buf, size_t len);
int sup_mem_write(void *priv, uint64_t a, const void *buf, size_t len);
bool sup_notif_valid(struct emu_sup *s);
void sup_sleep_ms(unsigned int ms);

/* nlsock.c */
int sup_nl_rules(void *filter_ctx);
/* 1: answered (ADDFD_SEND); 0: s->resp filled; -1: not a netlink call */
int sup_nl_dispatch(struct emu_sup *s);
void sup_nl_free(struct emu_sup *s);

/* sup_replay.c: 1 if answered from the trace, 0: the model answers */
int sup_replay_ioctl(struct emu_sup *s, int fd, int ctx, unsigned long cmd);
/*
 * With emu_replay_has_nl(): the netlink messages in @buf sent on @n (port
 * @port) answered from the trace; returns @len or -ENOBUFS.
 */
long sup_replay_nl_send(struct emu_sup *s, struct emu_nlsock *n, int fd,
			uint32_t port, const uint8_t *buf, size_t len);

/* trap netlink sockets: --netlink, a scenario "netlink", or a trace's */
static inline bool sup_nl_on(const struct emu_sup *s)
{
	return s->nl || emu_replay_has_nl(s->replay);
}

/* log.c */
void log_simple(struct emu_sup *s, pid_t pid, const char *call, int fd,
		long ret, int err);
/* Call-log pieces: a JSON string of at most @max bytes of @s, quoted and
 * escaped; ,"KEY":"hex" of @n bytes. */
void emu_log_strn(FILE *f, const char *s, size_t max);
void emu_log_hex(FILE *f, const char *key, const uint8_t *p, size_t n);
void log_nl(struct emu_sup *s, pid_t pid, int fd, const struct emu_nl_trace *tr,
	    const uint8_t *msg, size_t len);
void log_open_call(struct emu_sup *s, pid_t pid, const char *call,
		   const char *path, int ctx, long ret, int err,
		   const struct emu_fault *f);
void log_replay(struct emu_sup *s, pid_t pid, int fd, int ctx,
		unsigned long cmd, const uint8_t *st, size_t len,
		const struct emu_replay_hit *h);
void log_sysfs(struct emu_sup *s, pid_t pid, int fd, const char *path,
	       const char *data, size_t len, long ret, int err,
	       const struct emu_fault *f);
/* sup_sysfs.c: writes to the sysfs fixture's attributes */
int sup_sysfs_rules(void *filter_ctx);
/* 1: answered (a trapped descriptor installed), 0: not ours */
int sup_sysfs_open(struct emu_sup *s, const char *abs, int flags);
void sup_sysfs_write(struct emu_sup *s);
void log_ioctl(struct emu_sup *s, pid_t pid, int fd, int ctx, unsigned long cmd,
	       const struct emu_trace *tr);

#endif /* TSM_EMU_SUP_H */
