// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu supervisor: seccomp user notifications for open/openat/openat2,
 * ioctl type ';', readlink/readlinkat and (with a fault) pidfd_getfd.
 * Design and measured pitfalls: README.md (this folder).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <seccomp.h>

#include "sup.h"

#define IOMMU_PATH "/dev/iommu"

int sup_init(struct emu_sup *s, struct emu_model *m)
{
	memset(s, 0, sizeof(*s));
	s->model = m;
	s->listener = -1;
	s->tr = calloc(1, sizeof(*s->tr));
	if (!s->tr)
		return -1;
	for (int i = 0; i < m->nfaults; i++)
		if (m->faults[i].kind == EMU_K_PIDFD_GETFD)
			s->trap_pidfd_getfd = true;
	return 0;
}

void sup_free(struct emu_sup *s)
{
	for (int i = 0; i < s->nph; i++) {
		close(s->ph[i].fd);
		if (s->ph[i].ctx_owned) {
			emu_model_free_ctx(s->ph[i].ctx);
			free(s->ph[i].ctx);
		}
	}
	free(s->ph);
	sup_nl_free(s);
	free(s->prog.filter);
	free(s->req);
	free(s->resp);
	free(s->tr);
}

int sup_build_filter(struct emu_sup *s)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	int rc = 0, mfd = -1;
	struct stat st;

	if (!f)
		return -1;
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(open), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(openat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(openat2), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(readlink), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(readlinkat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(ioctl), 1,
			       SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff00, 0x3b00));
	if (s->trap_pidfd_getfd)
		rc |= seccomp_rule_add(f, SCMP_ACT_NOTIFY,
				       SCMP_SYS(pidfd_getfd), 0);
	if (sup_nl_on(s))
		rc |= sup_nl_rules(f);
	if (s->sysfs)
		rc |= sup_sysfs_rules(f);
	if (rc)
		goto out;
	rc = -1;
	mfd = memfd_create("tsm-emu-bpf", MFD_CLOEXEC);
	if (mfd < 0 || seccomp_export_bpf(f, mfd) || fstat(mfd, &st))
		goto out;
	s->prog.len = st.st_size / sizeof(struct sock_filter);
	s->prog.filter = malloc(st.st_size);
	if (!s->prog.filter ||
	    pread(mfd, s->prog.filter, st.st_size, 0) != st.st_size)
		goto out;
	rc = 0;
out:
	if (mfd >= 0)
		close(mfd);
	seccomp_release(f);
	return rc;
}

int sup_install_filter(const struct emu_sup *s)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	/* raw syscall: libseccomp 2.5 cannot set WAIT_KILLABLE_RECV */
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER |
				    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
			    &s->prog);
}

int sup_attach(struct emu_sup *s, int listener)
{
	struct seccomp_notif_sizes sz;

	s->listener = listener;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz))
		return -1;
	s->req = calloc(1, sz.seccomp_notif > sizeof(*s->req) ?
				   sz.seccomp_notif :
				   sizeof(*s->req));
	s->resp = calloc(1, sz.seccomp_notif_resp > sizeof(*s->resp) ?
				    sz.seccomp_notif_resp :
				    sizeof(*s->resp));
	if (!s->req || !s->resp)
		return -1;
	/* 6.6+: wake the target on our CPU; ~60 -> ~16 us per ioctl */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	      SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
	return 0;
}

int sup_add_placeholder(struct emu_sup *s, struct emu_ctx *ctx, int minfd)
{
	struct emu_ph *ph;
	struct stat st;
	int fd;

	if (s->nph == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct emu_ph *n = realloc(s->ph, cap * sizeof(*n));

		if (!n)
			return -1;
		s->ph = n;
		s->cap = cap;
	}
	fd = memfd_create("tsm-emu-iommufd", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (minfd > 0) {
		int hi = fcntl(fd, F_DUPFD_CLOEXEC, minfd);

		close(fd);
		if (hi < 0)
			return -1;
		fd = hi;
	}
	if (fstat(fd, &st))
		goto err;
	ph = &s->ph[s->nph];
	ph->fd = fd;
	ph->dev = st.st_dev;
	ph->ino = st.st_ino;
	ph->ctx_owned = !ctx;
	if (!ctx) {
		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			goto err;
		emu_ctx_init(ctx, s->model);
	}
	ph->ctx = ctx;
	s->nph++;
	return fd;
err:
	close(fd);
	return -1;
}

static struct emu_ph *ph_by_path(struct emu_sup *s, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return NULL;
	for (int i = 0; i < s->nph; i++)
		if (s->ph[i].dev == st.st_dev && s->ph[i].ino == st.st_ino)
			return &s->ph[i];
	return NULL;
}

static struct emu_ph *ph_by_fd(struct emu_sup *s, pid_t tid, int fd)
{
	char p[64];

	if (fd < 0)
		return NULL;
	snprintf(p, sizeof(p), "/proc/%d/fd/%d", tid, fd);
	return ph_by_path(s, p);
}

/* ---- target memory ---- */

int sup_mem_read(void *priv, uint64_t a, void *buf, size_t len)
{
	pid_t tid = *(pid_t *)priv;
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)a, len };

	if (!len)
		return 0;
	return process_vm_readv(tid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 :
									-EFAULT;
}

int sup_mem_write(void *priv, uint64_t a, const void *buf, size_t len)
{
	pid_t tid = *(pid_t *)priv;
	struct iovec l = { (void *)buf, len },
		     r = { (void *)(uintptr_t)a, len };

	if (!len)
		return 0;
	return process_vm_writev(tid, &l, 1, &r, 1, 0) == (ssize_t)len ?
		       0 :
		       -EFAULT;
}

/* read a NUL-terminated string page by page; 0 or -1 */
static int read_str(pid_t tid, uint64_t a, char *out, size_t outlen)
{
	size_t got = 0;

	while (got < outlen) {
		size_t chunk = 4096 - ((a + got) & 4095);

		if (chunk > outlen - got)
			chunk = outlen - got;
		if (sup_mem_read(&tid, a + got, out + got, chunk))
			return -1;
		if (memchr(out + got, 0, chunk))
			return 0;
		got += chunk;
	}
	return -1;
}

/* lexical normalisation of an absolute path, in place */
static void normalize(char *p)
{
	char *out = p, *s = p;

	while (*s) {
		char *e;
		size_t n;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchr(s, '/');
		n = e ? (size_t)(e - s) : strlen(s);
		if (n == 1 && s[0] == '.') {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, s, n);
			out += n;
		}
		s += n;
	}
	if (out == p)
		*out++ = '/';
	*out = 0;
}

/* resolve @path as the target sees it relative to @dirfd */
static int resolve(pid_t tid, int dirfd, const char *path, char *out,
		   size_t outlen)
{
	char link[64], base[PATH_MAX];
	ssize_t n;

	if (!*path)
		return -1;
	if (path[0] == '/') {
		base[0] = 0;
	} else {
		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid,
				 dirfd);
		n = readlink(link, base, sizeof(base) - 1);
		if (n <= 0 || base[0] != '/')
			return -1;
		base[n] = 0;
	}
	if (snprintf(out, outlen, "%s/%s", base, path) >= (int)outlen)
		return -1;
	normalize(out);
	return 0;
}

void sup_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

bool sup_notif_valid(struct emu_sup *s)
{
	return !ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &s->req->id);
}

/* 1: answered via ADDFD_SEND; 0: fill resp */
static int do_open(struct emu_sup *s, int dirfd, uint64_t upath, int flags)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	struct seccomp_notif_addfd add = { 0 };
	char path[PATH_MAX], abs[PATH_MAX];
	struct emu_fault f = { 0 };
	struct emu_ph *ph;
	int fd, rfd;

	if (read_str(req->pid, upath, path, sizeof(path)) ||
	    resolve(req->pid, dirfd, path, abs, sizeof(abs)))
		return 0; /* CONTINUE */
	if (strcmp(abs, IOMMU_PATH))
		return sup_sysfs_open(s, abs, flags);
	if (!sup_notif_valid(s))
		return 0;
	resp->flags = 0;
	if (emu_fault_take(s->model, EMU_K_OPEN, &f)) {
		if (f.delay_ms)
			sup_sleep_ms(f.delay_ms);
		if (f.err) {
			resp->error = -f.err;
			log_open_call(s, req->pid, "open", path, 0, -1, f.err,
				      &f);
			return 0;
		}
	}
	fd = sup_add_placeholder(s, NULL, 0);
	if (fd < 0) {
		resp->error = -ENOMEM;
		return 0;
	}
	ph = &s->ph[s->nph - 1];
	add.id = req->id;
	add.flags = SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = fd;
	add.newfd_flags = flags & O_CLOEXEC;
	rfd = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	if (rfd < 0) {
		if (errno == ENOENT) {
			s->lost++;
			return 1;
		}
		resp->error = -errno;
		log_open_call(s, req->pid, "open", path, ph->ctx->id, -1, errno,
			      NULL);
		return 0;
	}
	log_open_call(s, req->pid, "open", path, ph->ctx->id, rfd, 0,
		      f.has_residue || f.delay_ms ? &f : NULL);
	return 1;
}

static void do_ioctl(struct emu_sup *s)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	struct emu_mem mem = { &req->pid, sup_mem_read, sup_mem_write };
	int fd = (int)req->data.args[0];
	unsigned long cmd = (unsigned int)req->data.args[1];
	struct emu_ph *ph = ph_by_fd(s, req->pid, fd);
	long ret;

	if (!ph)
		return; /* CONTINUE: real kernel answers */
	if (s->replay && sup_replay_ioctl(s, fd, ph->ctx->id, cmd))
		return;
	resp->flags = 0;
	ret = emu_ioctl(ph->ctx, cmd, req->data.args[2], &mem, s->tr);
	if (s->after_ioctl)
		s->after_ioctl(s->after_priv);
	if (s->tr->delay_ms)
		sup_sleep_ms(s->tr->delay_ms);
	/* a return below -4095 is no errno: the caller sees it as it is
	 * (a "ret=" fault scripting an invalid completion) */
	if (ret < 0 && ret >= -4095)
		resp->error = (int)ret;
	else
		resp->val = ret;
	/*
	 * The caller died before its struct could be read (SIGKILL during
	 * the call): nothing was applied and no one sees an answer, so the
	 * log, which lists the calls the model ran, leaves it out.
	 */
	if (ret == -EFAULT && !s->tr->st_len && !sup_notif_valid(s))
		return;
	log_ioctl(s, req->pid, fd, ph->ctx->id, cmd, s->tr);
}

/* /proc/<pid|self|thread-self>/.../fd/N of a placeholder -> /dev/iommu */
static void do_readlink(struct emu_sup *s, int dirfd, uint64_t upath,
			uint64_t ubuf, uint64_t bufsiz)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	char path[PATH_MAX], abs[PATH_MAX], real[PATH_MAX + 32];
	const char *rest;
	struct emu_fault f = { 0 };
	size_t n = strlen(IOMMU_PATH);

	if (read_str(req->pid, upath, path, sizeof(path)) ||
	    resolve(req->pid, dirfd, path, abs, sizeof(abs)) ||
	    strncmp(abs, "/proc/", 6))
		return;
	rest = abs + 6;
	if (!strncmp(rest, "self/", 5))
		snprintf(real, sizeof(real), "/proc/%d/%s", req->pid, rest + 5);
	else if (!strncmp(rest, "thread-self/", 12))
		snprintf(real, sizeof(real), "/proc/%d/%s", req->pid,
			 rest + 12);
	else
		snprintf(real, sizeof(real), "%s", abs);
	if (!strstr(real, "/fd/") || !ph_by_path(s, real) ||
	    !sup_notif_valid(s))
		return;
	resp->flags = 0;
	if (emu_fault_take(s->model, EMU_K_READLINK, &f) && f.err) {
		resp->error = -f.err;
		log_open_call(s, req->pid, "readlink", path, 0, -1, f.err, &f);
		return;
	}
	if ((int)bufsiz <= 0) {
		resp->error = -EINVAL;
	} else {
		if (n > bufsiz)
			n = bufsiz;
		if (sup_mem_write(&req->pid, ubuf, IOMMU_PATH, n))
			resp->error = -EFAULT;
		else
			resp->val = (long)n;
	}
	log_open_call(s, req->pid, "readlink", path,
		      ph_by_path(s, real)->ctx->id,
		      resp->error ? -1 : resp->val, -resp->error, NULL);
}

static void do_pidfd_getfd(struct emu_sup *s)
{
	struct emu_fault f = { 0 };

	if (!emu_fault_take(s->model, EMU_K_PIDFD_GETFD, &f) || !f.err)
		return;
	s->resp->flags = 0;
	s->resp->error = -f.err;
	log_open_call(s, s->req->pid, "pidfd_getfd", NULL, 0, -1, f.err, &f);
}

int sup_serve_one(struct emu_sup *s)
{
	struct seccomp_notif *req = s->req;
	struct seccomp_notif_resp *resp = s->resp;
	const __u64 *a = req->data.args;
	int done = 0;

	memset(req, 0, sizeof(*req));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, req)) {
		if (errno == EINTR || errno == ENOENT)
			return 0;
		return -1;
	}
	memset(resp, 0, sizeof(*resp));
	resp->id = req->id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (sup_nl_on(s)) {
		done = sup_nl_dispatch(s);
		if (done >= 0)
			goto send;
		done = 0;
	}
	switch (req->data.nr) {
	case SYS_open:
		done = do_open(s, AT_FDCWD, a[0], (int)a[1]);
		break;
	case SYS_openat:
		done = do_open(s, (int)a[0], a[1], (int)a[2]);
		break;
	case SYS_openat2: {
		uint64_t how_flags = 0;

		if (!sup_mem_read(&req->pid, a[2], &how_flags, 8))
			done = do_open(s, (int)a[0], a[1], (int)how_flags);
		break;
	}
	case SYS_ioctl:
		do_ioctl(s);
		break;
	case SYS_readlink:
		do_readlink(s, AT_FDCWD, a[0], a[1], a[2]);
		break;
	case SYS_readlinkat:
		do_readlink(s, (int)a[0], a[1], a[2], a[3]);
		break;
	case SYS_pidfd_getfd:
		do_pidfd_getfd(s);
		break;
	case SYS_write:
		sup_sysfs_write(s);
		break;
	}
send:
	if (done)
		return 0;
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp) &&
	    errno == ENOENT)
		s->lost++;
	return 0;
}
