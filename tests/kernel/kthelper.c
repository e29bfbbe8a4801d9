// SPDX-License-Identifier: GPL-2.0
/*
 * Helper for the in-guest tests of the real-kernel tier (tests/kernel):
 *
 *   kthelper hold N [PATH]   open PATH (default /dev/iommu) N times, print
 *                            the descriptor numbers on one line, then sleep
 *                            until killed: a process for --pid and --fd
 *   kthelper time-us N CMD...  run CMD N times (stdout and stderr to
 *                            /dev/null) and print the mean wall-clock time
 *                            in microseconds; exit 1 if a run exited 2 or
 *                            more than 5, or was killed
 *
 * Statically linked: the guest has no loader search path of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: kthelper hold N [PATH] | time-us N CMD...\n");
	return 2;
}

static int hold(int n, const char *path)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = open(path, O_RDWR);
		if (fd < 0) {
			fprintf(stderr, "kthelper: open %s: %s\n", path,
				strerror(errno));
			return 1;
		}
		printf("%s%d", i ? " " : "", fd);
	}
	printf("\n");
	fflush(stdout);
	for (;;)
		pause();
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One run of @argv; 0 when it exited 0, 1, 3, 4 or 5 (a tsmctl verdict). */
static int run_once(char **argv)
{
	int st, code;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	code = WEXITSTATUS(st);
	return code == 2 || code > 5 ? -1 : 0;
}

static int time_us(int n, char **argv)
{
	long long t0 = now_us();
	int i;

	for (i = 0; i < n; i++)
		if (run_once(argv)) {
			fprintf(stderr, "kthelper: %s failed\n", argv[0]);
			return 1;
		}
	printf("%lld\n", (now_us() - t0) / n);
	return 0;
}

int main(int argc, char **argv)
{
	int n;

	if (argc < 3)
		return usage();
	n = atoi(argv[2]);
	if (n <= 0)
		return usage();
	if (!strcmp(argv[1], "hold"))
		return hold(n, argc > 3 ? argv[3] : "/dev/iommu");
	if (!strcmp(argv[1], "time-us") && argc > 3)
		return time_us(n, argv + 3);
	return usage();
}
