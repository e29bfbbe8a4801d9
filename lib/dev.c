// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd context transport: open, inherit (--fd) or borrow (--pid), and
 * issue ioctls with timing. No printing; errors come back as tsm_err.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "dev.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

#define PTRACE_HINT                                                            \
	"borrowing a descriptor needs ptrace rights over the process: run as " \
	"its user with kernel.yama.ptrace_scope <= 1, or as root "             \
	"(CAP_SYS_PTRACE); or have the VMM pass the descriptor (--fd)"

static int open_path(const struct tsm_dev_sel *sel, struct tsm_dev *d,
		     struct tsm_err *e)
{
	const char *path = sel->path ? sel->path : TSM_DEFAULT_DEVICE;
	int err;

	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd >= 0) {
		d->owned = true;
		snprintf(d->desc, sizeof(d->desc), "%s", path);
		snprintf(d->path, sizeof(d->path), "%s", path);
		return 0;
	}
	err = errno;
	tsm_err_set(e, err, "--device", path, "cannot open %s: %s", path,
		    strerror(err));
	if (err == ENOENT && tsm_dev_sel_default(sel))
		tsm_err_hint(
			e,
			"this kernel has no iommufd: build it with CONFIG_IOMMUFD or load the iommufd module; --dry-run shows the request without a kernel");
	else if (err == ENOENT)
		tsm_err_hint(e, "check the path given to -d/--device");
	else if (err == EACCES || err == EPERM)
		tsm_err_hint(
			e,
			"opening %s needs root or a udev rule granting access",
			path);
	return -err;
}

/* --fd names no open descriptor: -EBADF with @e filled */
static int fd_closed(const struct tsm_dev_sel *sel, struct tsm_err *e)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", sel->fd);
	tsm_err_set(e, EBADF, "--fd", num,
		    "--fd %d: not an open descriptor in this process", sel->fd);
	tsm_err_hint(
		e,
		"the harness or VMM must pass the iommufd descriptor to tsmctl (inherit it across exec without O_CLOEXEC), or use --pid");
	return -EBADF;
}

static int use_fd(const struct tsm_dev_sel *sel, struct tsm_dev *d,
		  struct tsm_err *e)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", sel->fd);
	if (fcntl(sel->fd, F_GETFD) < 0)
		return fd_closed(sel, e);
	d->fd = sel->fd;
	d->owned = false;
	snprintf(d->desc, sizeof(d->desc), "fd %d", sel->fd);
	snprintf(d->path, sizeof(d->path), "/proc/self/fd/%d", sel->fd);
	return 0;
}

/* iommufd descriptors of @pid, by the link target of /proc/PID/fd/N. */
static int scan_pid_fds(long pid, int *fds, int max, struct tsm_err *e)
{
	char dir[64], link[64 + 256 + 2], target[128];
	struct dirent *de;
	DIR *dp;
	int n = 0;
	ssize_t len;

	snprintf(dir, sizeof(dir), "/proc/%ld/fd", pid);
	dp = opendir(dir);
	if (!dp) {
		int err = errno;

		tsm_err_set(e, err, "--pid", NULL,
			    "cannot list the descriptors of process %ld: %s",
			    pid, strerror(err));
		if (err == EACCES || err == EPERM)
			tsm_err_hint(e, PTRACE_HINT);
		return -err;
	}
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = 0;
		if (strcmp(target, TSM_DEFAULT_DEVICE))
			continue;
		if (n < max)
			fds[n] = atoi(de->d_name);
		n++;
	}
	closedir(dp);
	return n;
}

/* The VMM is named for the machine tsmctl runs on (qemu-system-x86_64 on
 * x86, qemu-system-aarch64 on Arm). */
static void no_such_pid_hint(struct tsm_err *e)
{
	struct utsname u;

	if (uname(&u))
		snprintf(u.machine, sizeof(u.machine), "$(uname -m)");
	tsm_err_hint(
		e,
		"give the PID of the running VMM that created the vdevices, e.g. from pidof qemu-system-%s",
		u.machine);
}

/* --pid names no process: -ESRCH with @e filled */
static int pid_missing(const struct tsm_dev_sel *sel, struct tsm_err *e)
{
	char num[24];

	snprintf(num, sizeof(num), "%ld", sel->pid);
	tsm_err_set(e, ESRCH, "--pid", num, "--pid %ld: no such process",
		    sel->pid);
	no_such_pid_hint(e);
	return -ESRCH;
}

int tsm_dev_sel_check(const struct tsm_dev_sel *sel, struct tsm_err *e)
{
	/* with --pid, --fd numbers a descriptor of that process */
	if (sel->pid < 0 && sel->fd >= 0 && fcntl(sel->fd, F_GETFD) < 0)
		return fd_closed(sel, e);
	if (sel->pid >= 0 && kill((pid_t)sel->pid, 0) < 0 && errno == ESRCH)
		return pid_missing(sel, e);
	return 0;
}

static int use_pid(const struct tsm_dev_sel *sel, struct tsm_dev *d,
		   struct tsm_err *e)
{
	__cleanup_fd int pidfd = -1;
	char num[24];
	int fds[16];
	int target, n, i, err;

	snprintf(num, sizeof(num), "%ld", sel->pid);
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)sel->pid, 0);
	if (pidfd < 0) {
		err = errno;
		if (err == ESRCH)
			return pid_missing(sel, e);
		tsm_err_set(e, err, "--pid", num, "--pid %ld: %s", sel->pid,
			    strerror(err));
		if (err == ENOSYS)
			tsm_err_hint(e, "pidfd_open needs Linux 5.3 or later");
		return -err;
	}
	target = sel->fd;
	if (target < 0) {
		n = scan_pid_fds(sel->pid, fds, (int)ARRAY_SIZE(fds), e);
		if (n < 0)
			return n;
		if (n == 0) {
			tsm_err_set(e, ENOENT, "--pid", num,
				    "process %ld holds no %s descriptor",
				    sel->pid, TSM_DEFAULT_DEVICE);
			tsm_err_hint(
				e,
				"check the PID of the VMM that created the vdevices");
			return -ENOENT;
		}
		if (n > 1) {
			size_t off = 0;

			for (i = 0; i < n && i < (int)ARRAY_SIZE(fds); i++)
				off += (size_t)snprintf(
					e->value + off,
					off < sizeof(e->value) ?
						sizeof(e->value) - off :
						0,
					"%s%d", i ? "," : "", fds[i]);
			e->err = EINVAL;
			snprintf(e->field, sizeof(e->field), "--fd");
			snprintf(
				e->msg, sizeof(e->msg),
				"process %ld holds %d iommufd descriptors (fd %s): choose one with --fd N (N is the descriptor number in process %ld)",
				sel->pid, n, e->value, sel->pid);
			e->hint[0] = 0;
			return -EINVAL;
		}
		target = fds[0];
	}
	d->fd = (int)syscall(SYS_pidfd_getfd, pidfd, target, 0);
	if (d->fd < 0) {
		err = errno;
		tsm_err_set(
			e, err, "--pid", num,
			"cannot borrow fd %d of process %ld (pidfd_getfd): %s",
			target, sel->pid, strerror(err));
		if (err == EPERM || err == EACCES)
			tsm_err_hint(e, PTRACE_HINT);
		else if (err == EBADF)
			tsm_err_hint(e, "process %ld has no fd %d", sel->pid,
				     target);
		else if (err == ENOSYS)
			tsm_err_hint(e, "pidfd_getfd needs Linux 5.6 or later");
		return -err;
	}
	d->owned = true;
	snprintf(d->desc, sizeof(d->desc), "pid %ld fd %d", sel->pid, target);
	snprintf(d->path, sizeof(d->path), "/proc/%ld/fd/%d", sel->pid, target);
	return 0;
}

int tsm_dev_open(const struct tsm_dev_sel *sel, struct tsm_dev *d,
		 struct tsm_err *e)
{
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (sel->pid >= 0)
		return use_pid(sel, d, e);
	if (sel->fd >= 0)
		return use_fd(sel, d, e);
	return open_path(sel, d, e);
}

void tsm_dev_close(struct tsm_dev *d)
{
	if (d->owned && d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void tsm_dev_ioctl(struct tsm_dev *d, unsigned long request, void *arg,
		   struct tsm_call *c)
{
	uint64_t t0 = now_us();

	c->rc = ioctl(d->fd, request, arg);
	/* only -1 carries an errno; another negative value is the kernel's
	 * own (an invalid completion, docs/kernel-abi.md) */
	c->err = c->rc == -1 ? errno : 0;
	c->duration_us = now_us() - t0;
}

void tsm_dev_identify(const struct tsm_dev *d, char *buf, size_t len)
{
	char sys[64], name[64] = "", line[128];
	struct stat st;
	FILE *f;

	buf[0] = 0;
	if (fstat(d->fd, &st))
		return;
	if (!S_ISCHR(st.st_mode)) {
		/*
		 * A pipe, socket, file or anonymous inode is never iommufd;
		 * its /proc link names it (tsm-emu's placeholders read as
		 * /dev/iommu there, as a real iommufd does).
		 */
		char lnk[64], path[160];
		ssize_t n;

		snprintf(lnk, sizeof(lnk), "/proc/self/fd/%d", d->fd);
		n = readlink(lnk, path, sizeof(path) - 1);
		if (n <= 0)
			return;
		path[n] = 0;
		if (!strcmp(path, "/dev/iommu"))
			return;
		if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
			snprintf(path, sizeof(path), "%s",
				 S_ISFIFO(st.st_mode) ? "a pipe" : "a socket");
		snprintf(buf, len, "%s is %s%s, not iommufd", d->desc,
			 S_ISREG(st.st_mode) ? "the file " :
			 S_ISDIR(st.st_mode) ? "the directory " :
					       "",
			 path);
		return;
	}
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u/uevent",
		 major(st.st_rdev), minor(st.st_rdev));
	f = fopen(sys, "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "DEVNAME=", 8)) {
				line[strcspn(line, "\n")] = 0;
				line[8 + sizeof(name) - 1] = 0;
				memcpy(name, line + 8, strlen(line + 8) + 1);
			}
		fclose(f);
	}
	if (!strcmp(name, "iommu"))
		return;
	snprintf(buf, len, "%s is character device %u:%u%s%s%s, not iommufd",
		 d->desc, major(st.st_rdev), minor(st.st_rdev),
		 name[0] ? " '" : "", name, name[0] ? "'" : "");
}
