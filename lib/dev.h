/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reaching an iommufd context: open a node, use an inherited descriptor, or
 * borrow a running VMM's descriptor with pidfd_getfd. Object IDs belong to
 * one open file of /dev/iommu, so which of these is used decides which
 * vdevices exist.
 */
#ifndef TSMCTL_DEV_H
#define TSMCTL_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

#define TSM_DEFAULT_DEVICE "/dev/iommu"

struct tsm_dev_sel {
	const char *path; /* -d; NULL: /dev/iommu */
	int fd; /* --fd; -1: none */
	long pid; /* --pid; -1: none */
};

/* Whether @sel opens the default node (no -d, or -d naming it): a
 * missing one means no iommufd in this kernel (exit 5), not a bad path */
static inline bool tsm_dev_sel_default(const struct tsm_dev_sel *sel)
{
	return sel->fd < 0 && sel->pid < 0 &&
	       (!sel->path || !strcmp(sel->path, TSM_DEFAULT_DEVICE));
}

struct tsm_dev {
	int fd;
	bool owned; /* close on tsm_dev_close */
	char desc[96]; /* "/dev/iommu", "fd 7", "pid 1234 fd 5" */
	char path[64]; /* the node, for diagnostics */
};

/*
 * Whether @sel can name a context at all, before anything is sent: an
 * --fd that is not open or a --pid with no process is bad input (-EBADF,
 * -ESRCH with @e filled), the same errors tsm_dev_open() gives.
 */
int tsm_dev_sel_check(const struct tsm_dev_sel *sel, struct tsm_err *e);
int tsm_dev_open(const struct tsm_dev_sel *sel, struct tsm_dev *d,
		 struct tsm_err *e);
void tsm_dev_close(struct tsm_dev *d);

/* One ioctl. @rc is the return value, @err the errno (0 on success). */
struct tsm_call {
	long rc;
	int err;
	uint64_t duration_us;
};
void tsm_dev_ioctl(struct tsm_dev *d, unsigned long request, void *arg,
		   struct tsm_call *c);

/*
 * When an ioctl answered ENOTTY: say whether the descriptor is a character
 * device other than iommufd (e.g. -d /dev/null). Fills @buf with a short
 * phrase ("/dev/null is character device 1:3 'null', not iommufd") or an
 * empty string when nothing certain can be said.
 */
void tsm_dev_identify(const struct tsm_dev *d, char *buf, size_t len);

#endif
