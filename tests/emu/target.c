// SPDX-License-Identifier: GPL-2.0
/*
 * Test target for tsm-emu: plain libc, stands in for tsmctl. Runs a
 * sequence of commands, each printing one line:
 *   open PATH            open (O_RDWR|O_CLOEXEC) -> current fd
 *   fd N                 use inherited fd N
 *   getfd PID FD         pidfd_open + pidfd_getfd -> current fd
 *   dup                  dup the current fd
 *   close                close the current fd
 *   ioctl NR HEX [req=HEX] [resp=N] [arg=null|bad|ro] [reqp=bad]
 *                        [respp=bad|ro]
 *                        raw ioctl(fd, 0x3b00|NR, struct); req/resp
 *                        patch req_uptr@24 / resp_uptr@32
 *   readlink PATH        print the link target
 *   bench N NR HEX       N ioctls, prints microseconds per call
 *   threads T N NR HEX   T threads x N ioctls; prints the failures
 *   signals N NR HEX1 REQ1 HEX2 REQ2
 *                        N pairs of ioctls (req_uptr patched to REQ)
 *                        under a 50 us SA_RESTART itimer; prints failures
 *   write PATH TEXT      open O_WRONLY, one write(2) of TEXT and a
 *                        newline: "write ok N" or "write ERRNO_NAME"
 *   segv | sleep SEC | pid
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define BAD_PTR ((void *)0xdead000000000000ull)

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "?";
}

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (s[0] && s[1] && n < max) {
		unsigned int b;

		if (sscanf(s, "%2x", &b) != 1)
			break;
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

static void phex(const char *key, const uint8_t *p, size_t n)
{
	printf(" %s=", key);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* a page that is mapped read-only */
static void *ro_page(const void *init, size_t n)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(3);
	memcpy(p, init, n);
	mprotect(p, 4096, PROT_READ);
	return p;
}

static int do_ioctl(int fd, int argc, char **argv, int i)
{
	unsigned long nr = strtoul(argv[i], NULL, 0);
	uint8_t st[512] = { 0 }, req[4096] = { 0 }, *resp = NULL;
	size_t n = unhex(argv[i + 1], st, sizeof(st)), resp_len = 0;
	void *arg = st, *reqp = NULL, *respp = NULL;
	const char *arg_mode = "";
	uint64_t v;
	int rc, err;

	i += 2;
	for (; i < argc && strchr(argv[i], '='); i++) {
		char *a = argv[i];

		if (!strncmp(a, "req=", 4)) {
			unhex(a + 4, req, sizeof(req));
			reqp = req;
		} else if (!strncmp(a, "resp=", 5)) {
			resp_len = strtoul(a + 5, NULL, 0);
			resp = malloc(resp_len + 16);
			memset(resp, 0xee, resp_len + 16);
			respp = resp;
		} else if (!strcmp(a, "reqp=bad")) {
			reqp = BAD_PTR;
		} else if (!strcmp(a, "respp=bad")) {
			respp = BAD_PTR;
		} else if (!strcmp(a, "respp=ro")) {
			respp = ro_page("", 0);
		} else if (!strncmp(a, "arg=", 4)) {
			arg_mode = a + 4;
		}
	}
	if (reqp) {
		v = (uintptr_t)reqp;
		memcpy(st + 24, &v, 8);
	}
	if (respp) {
		v = (uintptr_t)respp;
		memcpy(st + 32, &v, 8);
	}
	if (!strcmp(arg_mode, "null"))
		arg = NULL;
	else if (!strcmp(arg_mode, "bad"))
		arg = BAD_PTR;
	else if (!strcmp(arg_mode, "ro"))
		arg = ro_page(st, n);
	errno = 0;
	rc = ioctl(fd, 0x3b00 | nr, arg);
	err = rc < 0 ? errno : 0;
	printf("ioctl 0x%lx rc=%d errno=%s", 0x3b00 | nr, rc, ename(err));
	if (arg == st) {
		/* user pointers zeroed so the output is reproducible */
		if (n > 32)
			memset(st + 24, 0, 16);
		phex("struct", st, n);
	}
	if (resp && rc >= 0)
		phex("resp", resp,
		     resp_len - (rc > 0 && (size_t)rc <= resp_len ? rc : 0));
	if (resp)
		printf(" guard=%02x", resp[resp_len]);
	printf("\n");
	free(resp);
	return i;
}

static void bench(int fd, long iters, unsigned long nr, const char *hex)
{
	uint8_t st[512] = { 0 };
	struct timespec a, b;

	unhex(hex, st, sizeof(st));
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long k = 0; k < iters; k++)
		ioctl(fd, 0x3b00 | nr, st);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("bench %ld calls %.2f us/call\n", iters,
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 /
		       (double)iters);
}

struct thr {
	int fd;
	long iters;
	unsigned long nr;
	uint8_t st[512];
	long bad;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;

	for (long k = 0; k < t->iters; k++) {
		uint8_t st[512];

		memcpy(st, t->st, sizeof(st));
		if (ioctl(t->fd, 0x3b00 | t->nr, st) < 0)
			t->bad++;
	}
	return NULL;
}

static void threads(int fd, int n, long iters, unsigned long nr,
		    const char *hex)
{
	struct thr t[16];
	pthread_t id[16];
	long bad = 0;

	if (n > 16)
		n = 16;
	for (int i = 0; i < n; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].fd = fd;
		t[i].iters = iters;
		t[i].nr = nr;
		unhex(hex, t[i].st, sizeof(t[i].st));
		pthread_create(&id[i], NULL, thr_main, &t[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(id[i], NULL);
		bad += t[i].bad;
	}
	printf("threads %d x %ld failures=%ld\n", n, iters, bad);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void signals(int fd, long pairs, unsigned long nr, char **argv)
{
	uint8_t st[2][512] = { { 0 } }, req[2][64] = { { 0 } };
	struct sigaction sa = { .sa_handler = on_alarm,
				.sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	long bad = 0;

	for (int k = 0; k < 2; k++) {
		uint64_t p = (uintptr_t)req[k];

		unhex(argv[2 * k], st[k], sizeof(st[k]));
		unhex(argv[2 * k + 1], req[k], sizeof(req[k]));
		memcpy(st[k] + 24, &p, 8);
	}
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (long i = 0; i < pairs; i++)
		for (int k = 0; k < 2; k++) {
			uint8_t s[512];

			memcpy(s, st[k], sizeof(s));
			if (ioctl(fd, 0x3b00 | nr, s) != 0)
				bad++;
		}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("signals %ld pairs failures=%ld\n", pairs, bad);
}

/* what tsmctl does to a sysfs attribute */
static void sysfs_write(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n;
	ssize_t w;

	n = snprintf(buf, sizeof(buf), "%s\n", text);
	if (fd < 0) {
		printf("write %s\n", ename(errno));
		return;
	}
	w = write(fd, buf, (size_t)n);
	if (w < 0)
		printf("write %s\n", ename(errno));
	else
		printf("write ok %zd\n", w);
	close(fd);
}

int main(int argc, char **argv)
{
	int fd = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *c = argv[i];

		if (!strcmp(c, "open") && i + 1 < argc) {
			fd = open(argv[++i], O_RDWR | O_CLOEXEC);
			if (fd < 0) {
				printf("open: %s\n", ename(errno));
				return 1;
			}
			printf("open fd=%d\n", fd);
		} else if (!strcmp(c, "fd") && i + 1 < argc) {
			fd = atoi(argv[++i]);
			printf("fd %d\n", fd);
		} else if (!strcmp(c, "getfd") && i + 2 < argc) {
			int pfd = (int)syscall(SYS_pidfd_open,
					       atoi(argv[i + 1]), 0);

			fd = pfd < 0 ? -1 :
				       (int)syscall(SYS_pidfd_getfd, pfd,
						    atoi(argv[i + 2]), 0);
			i += 2;
			if (fd < 0) {
				printf("getfd: %s\n", ename(errno));
				return 1;
			}
			printf("getfd fd=%d\n", fd);
		} else if (!strcmp(c, "dup")) {
			fd = dup(fd);
			printf("dup fd=%d\n", fd);
		} else if (!strcmp(c, "close")) {
			printf("close rc=%d\n", close(fd));
		} else if (!strcmp(c, "ioctl") && i + 2 < argc) {
			i = do_ioctl(fd, argc, argv, i + 1) - 1;
		} else if (!strcmp(c, "readlink") && i + 1 < argc) {
			char buf[256];
			ssize_t n = readlink(argv[++i], buf, sizeof(buf) - 1);

			if (n < 0) {
				printf("readlink: %s\n", ename(errno));
			} else {
				buf[n] = 0;
				printf("readlink %s\n", buf);
			}
		} else if (!strcmp(c, "bench") && i + 3 < argc) {
			bench(fd, atol(argv[i + 1]),
			      strtoul(argv[i + 2], NULL, 0), argv[i + 3]);
			i += 3;
		} else if (!strcmp(c, "threads") && i + 4 < argc) {
			threads(fd, atoi(argv[i + 1]), atol(argv[i + 2]),
				strtoul(argv[i + 3], NULL, 0), argv[i + 4]);
			i += 4;
		} else if (!strcmp(c, "signals") && i + 6 < argc) {
			signals(fd, atol(argv[i + 1]),
				strtoul(argv[i + 2], NULL, 0), argv + i + 3);
			i += 6;
		} else if (!strcmp(c, "write") && i + 2 < argc) {
			sysfs_write(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (!strcmp(c, "segv")) {
			raise(SIGSEGV);
		} else if (!strcmp(c, "sleep") && i + 1 < argc) {
			sleep((unsigned int)atoi(argv[++i]));
		} else if (!strcmp(c, "pid")) {
			printf("pid %d\n", getpid());
		} else {
			fprintf(stderr, "target: bad command \"%s\"\n", c);
			return 2;
		}
	}
	return 0;
}
