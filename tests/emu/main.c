// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu: run COMMAND with /dev/iommu (iommufd vdevice TSM ioctls)
 * emulated by a seccomp user-notification supervisor. Test-only.
 *
 * tsm-emu [--scenario FILE.json] [--profile NAME] [--faults SPEC]
 *         [--log FILE] -- COMMAND [ARGS...]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "scenario.h"
#include "sup.h"

#define HIGH_FD 100 /* supervisor fds live above scenario fds */
#define LISTENER_FD 200

struct emu_main {
	const char *scenario;
	const char *faults;
	const char *log_path;
	const char *replay_path;
	struct emu_replay replay;
	bool netlink;
	bool sysfs;
	int profile;
	char **argv;
	struct emu_model model;
	struct emu_scenario scn;
	struct emu_sup sup;
	int ph_fd[EMU_SCN_MAX_CTX];
	sigset_t oldmask;
	int sigfd;
	pid_t self, cmd_pid, vmm_pid;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tsm-emu [--scenario FILE.json] [--profile v5|v5-op|v6|v7]\n"
		"               [--faults SPEC] [--log FILE] [--netlink] [--sysfs]\n"
		"               [--replay TRACE.jsonl]\n"
		"               -- COMMAND [ARGS...]\n"
		"Runs COMMAND with /dev/iommu TSM ioctls emulated (test only).\n"
		"SPEC: KIND[:NTH|*]:ACTION[+ACTION],...  KIND: open tsm_op tsm_req\n"
		"  option destroy ioctl readlink pidfd_getfd nl; ACTION: ERRNO,\n"
		"  ret=N, delay=MS, tsm_code=X, efault_after_commit, eagain\n");
}

static int move_high(int fd, int min)
{
	int hi;

	if (fd < 0 || fd >= min)
		return fd;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, min);
	close(fd);
	return hi;
}

static int parse_args(struct emu_main *em, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "profile", required_argument, NULL, 'p' },
		{ "faults", required_argument, NULL, 'f' },
		{ "log", required_argument, NULL, 'l' },
		{ "netlink", no_argument, NULL, 'n' },
		{ "sysfs", no_argument, NULL, 'S' },
		{ "replay", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	em->profile = -1;
	while ((c = getopt_long(argc, argv, "+s:p:f:l:nh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			em->scenario = optarg;
			break;
		case 'p':
			em->profile = emu_profile_parse(optarg);
			if (em->profile < 0) {
				fprintf(stderr,
					"tsm-emu: --profile: unknown "
					"profile \"%s\" (v5, v5-op, v6, v7)\n",
					optarg);
				return -1;
			}
			break;
		case 'f':
			em->faults = optarg;
			break;
		case 'l':
			em->log_path = optarg;
			break;
		case 'n':
			em->netlink = true;
			break;
		case 'S':
			em->sysfs = true;
			break;
		case 'r':
			em->replay_path = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tsm-emu: no COMMAND given\n");
		usage(stderr);
		return -1;
	}
	em->argv = argv + optind;
	return 0;
}

static int setup(struct emu_main *em)
{
	char err[EMU_ERRLEN];
	struct rlimit rl;

	if (emu_scenario_load(em->scenario, em->profile, &em->model, &em->scn,
			      err, sizeof(err))) {
		fprintf(stderr, "tsm-emu: %s\n", err);
		return -1;
	}
	if (em->faults &&
	    emu_faults_parse(&em->model, em->faults, err, sizeof(err))) {
		fprintf(stderr, "tsm-emu: %s\n", err);
		return -1;
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (sup_init(&em->sup, &em->model))
		return -1;
	if (em->replay_path) {
		if (emu_replay_load(&em->replay, em->replay_path, err,
				    sizeof(err))) {
			fprintf(stderr, "tsm-emu: %s\n", err);
			return -1;
		}
		em->sup.replay = &em->replay;
	}
	if (em->scn.has_nl || em->netlink) {
		em->scn.nl.enabled = true;
		em->sup.nl = &em->scn.nl;
	}
	if (em->sysfs)
		em->scn.sysfs.enabled = true;
	if (em->scn.sysfs.enabled) {
		struct emu_ctx *ctxs[EMU_SCN_MAX_CTX];

		for (int i = 0; i < em->scn.nctx; i++)
			ctxs[i] = &em->scn.c[i].ctx;
		em->scn.sysfs.model = &em->model;
		em->sup.sysfs = &em->scn.sysfs;
		if (emu_sysfs_prepare(&em->scn.sysfs, ctxs, em->scn.nctx,
				      em->model.profile))
			return -1;
	}
	if (sup_build_filter(&em->sup)) {
		fprintf(stderr, "tsm-emu: cannot build the seccomp filter\n");
		return -1;
	}
	if (em->log_path) {
		int fd = open(em->log_path,
			      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		fd = move_high(fd, HIGH_FD);
		em->sup.log = fd < 0 ? NULL : fdopen(fd, "a");
		if (!em->sup.log) {
			fprintf(stderr, "tsm-emu: --log %s: %s\n", em->log_path,
				strerror(errno));
			return -1;
		}
	}
	for (int i = 0; i < em->scn.nctx; i++) {
		em->ph_fd[i] = sup_add_placeholder(&em->sup, &em->scn.c[i].ctx,
						   HIGH_FD);
		if (em->ph_fd[i] < 0) {
			perror("tsm-emu: memfd");
			return -1;
		}
	}
	return 0;
}

/* stand-in VMM: holds its contexts' placeholders and sleeps */
static pid_t start_vmm(struct emu_main *em)
{
	bool keep[HIGH_FD] = { false };
	bool any = false;
	int rdy[2];
	char c = 0;
	pid_t pid;

	for (int i = 0; i < em->scn.nctx; i++)
		any |= em->scn.c[i].vmm_process;
	if (!any)
		return 0;
	if (pipe2(rdy, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid) {
		/*
		 * The command starts only once the VMM holds exactly its
		 * descriptors: before that it still has the supervisor's
		 * (a --pid command saw two "iommufds" at fd 100, 101).
		 */
		close(rdy[1]);
		while (pid > 0 && read(rdy[0], &c, 1) < 0 && errno == EINTR)
			;
		close(rdy[0]);
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != em->self)
		_exit(1);
	prctl(PR_SET_NAME, "tsm-emu-vmm");
	/* tests: a slow VMM start must still hold the command back */
	if (getenv("TSM_EMU_TEST_VMM_DELAY_MS"))
		usleep(1000 * (useconds_t)atoi(
				      getenv("TSM_EMU_TEST_VMM_DELAY_MS")));
	/* the ready signal, where neither loop below closes it */
	if (dup2(rdy[1], HIGH_FD - 1) < 0)
		_exit(1);
	keep[HIGH_FD - 1] = true;
	for (int i = 0; i < em->scn.nctx; i++) {
		if (!em->scn.c[i].vmm_process)
			continue;
		dup2(em->ph_fd[i], em->scn.c[i].vmm_fd);
		keep[em->scn.c[i].vmm_fd] = true;
	}
	for (int fd = 3; fd < HIGH_FD; fd++)
		if (!keep[fd])
			close(fd);
	close_range(HIGH_FD, ~0U, 0);
	/* a decoy fd that is not an iommufd */
	if (open("/dev/null", O_RDONLY) < 0)
		_exit(1);
	if (write(HIGH_FD - 1, &c, 1) != 1)
		_exit(1);
	close(HIGH_FD - 1);
	sigprocmask(SIG_SETMASK, &em->oldmask, NULL);
	for (;;)
		pause();
}

static void set_env(struct emu_main *em)
{
	char buf[64], fds[256] = "";
	size_t n = 0;

	setenv("TSM_EMU", "1", 1);
	setenv("TSM_EMU_PROFILE", emu_profile_name(em->model.profile), 1);
	if (!em->vmm_pid)
		return;
	snprintf(buf, sizeof(buf), "%d", em->vmm_pid);
	setenv("TSM_EMU_VMM_PID", buf, 1);
	for (int i = 0; i < em->scn.nctx; i++) {
		if (!em->scn.c[i].vmm_process)
			continue;
		if (!n) {
			snprintf(buf, sizeof(buf), "%d", em->scn.c[i].vmm_fd);
			setenv("TSM_EMU_VMM_FD", buf, 1);
		}
		n += snprintf(fds + n, sizeof(fds) - n, "%s%d", n ? "," : "",
			      em->scn.c[i].vmm_fd);
	}
	setenv("TSM_EMU_VMM_FDS", fds, 1);
}

/*
 * Child of clone(CLONE_FILES): the fd table is shared with the
 * supervisor until execve(), so the listener the filter creates here is
 * directly usable by the parent. No fd may be created after the report.
 */
static void child(struct emu_main *em, int pipe_w)
{
	int lfd, hi = -1;

	sigprocmask(SIG_SETMASK, &em->oldmask, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != em->self)
		_exit(127);
	set_env(em);
	if (em->scn.sysfs.enabled) {
		setenv("TSM_EMU_SYSFS", "1", 1);
		if (emu_sysfs_enter(&em->scn.sysfs))
			_exit(127);
	}
	lfd = sup_install_filter(&em->sup);
	if (lfd >= 0) {
		hi = fcntl(lfd, F_DUPFD_CLOEXEC, LISTENER_FD);
		close(lfd);
	}
	for (int i = 0; hi >= 0 && i < em->scn.nctx; i++)
		if (em->scn.c[i].inherit_fd >= 0)
			dup2(em->ph_fd[i], em->scn.c[i].inherit_fd);
	if (write(pipe_w, &hi, sizeof(hi)) != sizeof(hi) || hi < 0)
		_exit(127);
	execvp(em->argv[0], em->argv);
	fprintf(stderr, "tsm-emu: %s: %s\n", em->argv[0], strerror(errno));
	_exit(127);
}

static int read_listener(struct emu_main *em, int pipe_r)
{
	struct pollfd p[2] = { { pipe_r, POLLIN, 0 },
			       { em->sigfd, POLLIN, 0 } };
	int lfd = -1;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return -1;
		if (p[0].revents & POLLIN)
			return read(pipe_r, &lfd, sizeof(lfd)) == sizeof(lfd) ?
				       lfd :
				       -1;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			int st;

			/* the child died before reporting */
			if (waitpid(em->cmd_pid, &st, WNOHANG) == em->cmd_pid)
				return -1;

			if (read(em->sigfd, &si, sizeof(si)) < 0)
				return -1;
		}
	}
}

static void kill_descendants(struct emu_main *em)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (em->vmm_pid > 0)
		kill(em->vmm_pid, SIGKILL);
	/* orphans are reparented to us (PR_SET_CHILD_SUBREAPER) */
	for (int round = 0; round < 300; round++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		int st;

		while (d && (e = readdir(d))) {
			char p[300], buf[512], *rp;
			int pid = atoi(e->d_name), ppid;
			FILE *f;

			if (pid <= 0)
				continue;
			snprintf(p, sizeof(p), "/proc/%d/stat", pid);
			f = fopen(p, "re");
			if (!f)
				continue;
			buf[0] = 0;
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = 0;
			fclose(f);
			rp = strrchr(buf, ')');
			if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 &&
			    ppid == em->self)
				kill(pid, SIGKILL);
		}
		if (d)
			closedir(d);
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
		if (waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD)
			return;
		nanosleep(&ts, NULL);
	}
}

static int serve(struct emu_main *em)
{
	struct pollfd p[2] = {
		{ em->sup.listener, POLLIN, 0 },
		{ em->sigfd, POLLIN, 0 },
	};
	struct timespec now, deadline = { 0, 0 };
	int status = 0;

	for (;;) {
		int timeout = -1;

		if (deadline.tv_sec) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec >= deadline.tv_sec) {
				kill(em->cmd_pid, SIGKILL);
				deadline.tv_sec = 0;
			} else {
				timeout = 200;
			}
		}
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			if (sup_serve_one(&em->sup))
				p[0].fd = -1;
		} else if (p[0].revents & (POLLHUP | POLLERR)) {
			p[0].fd = -1; /* no task uses the filter any more */
		}
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(em->sigfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo != SIGCHLD) {
				/* forward, then insist after 2 s */
				kill(em->cmd_pid, (int)si.ssi_signo);
				clock_gettime(CLOCK_MONOTONIC, &deadline);
				deadline.tv_sec += 2;
				continue;
			}
			for (;;) {
				int st;
				pid_t w = waitpid(-1, &st, WNOHANG);

				if (w <= 0)
					break;
				if (w == em->cmd_pid)
					return WIFEXITED(st) ?
						       WEXITSTATUS(st) :
						       128 + WTERMSIG(st);
				if (w == em->vmm_pid)
					em->vmm_pid = 0;
			}
		}
	}
	waitpid(em->cmd_pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void cleanup(struct emu_main *em)
{
	if (em->sup.log)
		fclose(em->sup.log);
	em->sup.log = NULL;
	sup_free(&em->sup);
	emu_replay_free(&em->replay);
	emu_scenario_free(&em->scn);
}

int main(int argc, char **argv)
{
	struct emu_main em;
	sigset_t mask;
	int pipefd[2], lfd, rc = 2;

	memset(&em, 0, sizeof(em));
	if (parse_args(&em, argc, argv))
		return 2;
	if (setup(&em))
		goto out;
	em.self = getpid();
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigprocmask(SIG_BLOCK, &mask, &em.oldmask);
	em.sigfd = move_high(signalfd(-1, &mask, SFD_CLOEXEC), HIGH_FD);
	if (em.sigfd < 0 || pipe2(pipefd, O_CLOEXEC)) {
		perror("tsm-emu: setup");
		goto out;
	}
	pipefd[0] = move_high(pipefd[0], HIGH_FD);
	pipefd[1] = move_high(pipefd[1], HIGH_FD);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	em.vmm_pid = start_vmm(&em);
	if (em.vmm_pid < 0) {
		perror("tsm-emu: fork");
		goto out;
	}
	em.cmd_pid =
		(pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (em.cmd_pid < 0) {
		perror("tsm-emu: clone");
		kill_descendants(&em);
		goto out;
	}
	if (!em.cmd_pid)
		child(&em, pipefd[1]);
	lfd = read_listener(&em, pipefd[0]);
	if (lfd < 0 || sup_attach(&em.sup, lfd)) {
		fprintf(stderr,
			"tsm-emu: cannot set up the seccomp listener\n");
		kill(em.cmd_pid, SIGKILL);
		kill_descendants(&em);
		goto out;
	}
	if (em.scn.sysfs.enabled) {
		if (emu_sysfs_attach(&em.scn.sysfs, em.cmd_pid, HIGH_FD))
			perror("tsm-emu: warning: sysfs fixture not kept in "
			       "step: /proc/PID/root/sys");
		em.sup.after_ioctl = emu_sysfs_sync;
		em.sup.after_priv = &em.scn.sysfs;
	}
	rc = serve(&em);
	kill_descendants(&em);
	if (em.sup.lost)
		fprintf(stderr,
			"tsm-emu: warning: %lu notification(s) lost "
			"(target gone before the answer)\n",
			em.sup.lost);
out:
	cleanup(&em);
	return rc;
}
