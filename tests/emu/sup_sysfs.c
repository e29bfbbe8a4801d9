// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu supervisor: writes to the sysfs fixture's attributes. An open
 * for writing of tsm/connect, disconnect, lock, unlock, accept, a driver's
 * bind/unbind or drivers_probe gets a placeholder descriptor (a read-only
 * memfd, identified by its inode) at EMU_SYSFS_FD_LO or above, where
 * write(2) is trapped; the model
 * (sysfs_store.c) answers it, the fixture is re-rendered, and a fault's
 * delay is slept before the answer, as a slow SPDM exchange would be.
 * A write through a copy of that descriptor at another number (a shell's
 * "echo tsm0 > connect" dup2s it to 1) fails with EBADF: loud, never a
 * silent file write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <seccomp.h>

#include "sup.h"
#include "sysfs.h"

int sup_sysfs_rules(void *filter_ctx)
{
	return seccomp_rule_add(filter_ctx, SCMP_ACT_NOTIFY, SCMP_SYS(write), 1,
				SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffc0,
					EMU_SYSFS_FD_LO));
}

/* the lowest descriptor number >= EMU_SYSFS_FD_LO free in @pid, or -1 */
static int free_fd(pid_t pid)
{
	char p[64];
	struct stat st;

	for (int fd = EMU_SYSFS_FD_LO; fd < EMU_SYSFS_FD_HI; fd++) {
		snprintf(p, sizeof(p), "/proc/%d/fd/%d", pid, fd);
		if (lstat(p, &st) && errno == ENOENT)
			return fd;
	}
	return -1;
}

/* a read-only memfd named after @rel: writes through a copy fail */
static int placeholder(const char *rel)
{
	char p[64];
	int m = memfd_create(rel, MFD_CLOEXEC), fd;

	if (m < 0)
		return -1;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", m);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	close(m);
	return fd;
}

int sup_sysfs_open(struct emu_sup *s, const char *abs, int flags)
{
	struct seccomp_notif_addfd add = { 0 };
	struct emu_sysfs *fs = s->sysfs;
	const char *rel = abs + 5;
	struct stat st;
	int fd, tfd, rfd;

	if (!fs || fs->dirfd < 0 || strncmp(abs, "/sys/", 5) ||
	    (flags & O_ACCMODE) == O_RDONLY || !emu_sysfs_writable(rel))
		return 0;
	if (fstatat(fs->dirfd, rel, &st, 0)) /* the real open fails too */
		return 0;
	fd = placeholder(rel);
	if (fd < 0)
		return 0;
	tfd = free_fd(s->req->pid);
	if (tfd < 0 || fstat(fd, &st) || !sup_notif_valid(s)) {
		close(fd);
		return 0;
	}
	add.id = s->req->id;
	add.flags = SECCOMP_ADDFD_FLAG_SETFD | SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = fd;
	add.newfd = tfd;
	add.newfd_flags = flags & O_CLOEXEC;
	rfd = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	close(fd);
	if (rfd < 0) {
		if (errno == ENOENT) {
			s->lost++;
			return 1;
		}
		return 0;
	}
	s->wfile[s->nwfile % 64].dev = st.st_dev;
	s->wfile[s->nwfile % 64].ino = st.st_ino;
	snprintf(s->wfile[s->nwfile % 64].rel, sizeof(s->wfile[0].rel), "%s",
		 rel);
	s->nwfile++;
	log_open_call(s, s->req->pid, "sysfs_open", abs, 0, rfd, 0, NULL);
	return 1;
}

static const char *wfile_rel(struct emu_sup *s, pid_t pid, int fd)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/fd/%d", pid, fd);
	if (stat(p, &st))
		return NULL;
	for (unsigned int i = 0; i < 64 && i < s->nwfile; i++)
		if (s->wfile[i].dev == st.st_dev &&
		    s->wfile[i].ino == st.st_ino)
			return s->wfile[i].rel;
	return NULL;
}

void sup_sysfs_write(struct emu_sup *s)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	int fd = (int)req->data.args[0];
	size_t len = req->data.args[2];
	struct emu_sysfs_store st;
	char buf[128], path[200];
	const char *rel;
	int err;

	if (!s->sysfs || s->sysfs->dirfd < 0)
		return;
	rel = wfile_rel(s, req->pid, fd);
	if (!rel)
		return; /* CONTINUE: the real kernel answers (EBADF) */
	resp->flags = 0;
	if (len > sizeof(buf))
		len = sizeof(buf); /* the model refuses a long one */
	if (sup_mem_read(&req->pid, req->data.args[1], buf, len)) {
		resp->error = -EFAULT;
		return;
	}
	err = emu_sysfs_store(
		s->sysfs, rel, buf,
		req->data.args[2] > sizeof(buf) ? sizeof(buf) : len, &st);
	if (req->data.args[2] > sizeof(buf))
		err = EINVAL;
	emu_sysfs_render(s->sysfs, s->sysfs->dirfd, false);
	if (st.faulted && st.fault.delay_ms)
		sup_sleep_ms(st.fault.delay_ms);
	if (err)
		resp->error = -err;
	else
		resp->val = (long)len;
	snprintf(path, sizeof(path), "/sys/%s", rel);
	log_sysfs(s, req->pid, fd, path, buf, len, err ? -1 : (long)len, err,
		  st.faulted ? &st.fault : NULL);
}
