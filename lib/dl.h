/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Optional libraries opened at first use (dlopen of the versioned soname,
 * as systemd does for its optional dependencies), so a command that never
 * needs them never pays for loading them: linking libcrypto costs every
 * start of tsmctl about 2.95M instructions of relocation and constructors,
 * linking libz 22k (`make bench`, docs/performance.md), against a start-up
 * budget of 300k for `tsmctl --version`.
 *
 * A library that cannot be loaded is an error report naming the soname,
 * the dynamic loader's reason and the package to install; nothing prints.
 */
#ifndef TSMCTL_DL_H
#define TSMCTL_DL_H

#include <stddef.h>

#include "util.h"

struct tsm_dl_sym {
	const char *name;
	void **ptr; /* where the address goes */
};

struct tsm_dl {
	const char *soname; /* "libz.so.1" */
	const char *package; /* what provides it, for the message */
	const char *purpose; /* "writing --bundle", for the message */
	const struct tsm_dl_sym *syms;
	size_t nsyms;
	/* state: filled by tsm_dl_load() */
	void *handle;
	int state; /* 0 not tried, 1 loaded, -errno failed */
	char why[200]; /* dlerror() of the failure */
};

/*
 * Open @lib once per process and resolve all its symbols (a missing symbol
 * fails the whole library). 0, or -ELIBACC with @e naming the soname,
 * the purpose and the package. Later calls return the first outcome.
 */
int tsm_dl_load(struct tsm_dl *lib, struct tsm_err *e);

#endif
