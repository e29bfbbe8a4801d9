/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs steps around bind (docs/kernel-abi.md, "sysfs writes"): a
 * host connects a device's DSM to a platform TSM (tsm/connect,
 * tsm/disconnect); a guest locks, accepts and unlocks a TDI (tsm/lock,
 * tsm/accept, tsm/unlock; staging kernels only). This module chooses the
 * TSM, checks the preconditions, plans the writes (path and bytes, with
 * the driver unbind and drivers_probe reprobe of the guest flow), performs
 * one write, reads the state back and judges the outcome. It never prints
 * and never exits; every path is below one sysfs root.
 */
#ifndef TSMCTL_LINK_H
#define TSMCTL_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "explain.h"
#include "util.h"

enum tsm_link_op {
	TSM_LINK_CONNECT,
	TSM_LINK_DISCONNECT,
	TSM_LINK_LOCK,
	TSM_LINK_UNLOCK,
	TSM_LINK_ACCEPT,
};

/* the attributes read back, in this order (tsm_link_attr_names) */
enum tsm_link_attr {
	TSM_LA_CONNECT,
	TSM_LA_DISCONNECT,
	TSM_LA_DSM,
	TSM_LA_BOUND,
	TSM_LA_LOCK,
	TSM_LA_UNLOCK,
	TSM_LA_ACCEPT,
	TSM_LA_AUTHENTICATED, /* next to tsm/, not in it */
	TSM_LA_COUNT,
};

#define TSM_LINK_MAX_TSMS 8
#define TSM_LINK_MAX_STREAMS 8
#define TSM_LINK_MAX_WRITES 3
#define TSM_LINK_DATA_MAX 64

struct tsm_link_val {
	bool present;
	bool readable; /* false for write-only attributes */
	char value[64]; /* first line, without the newline */
};

/* One device's state as sysfs shows it, before or after a write. */
struct tsm_link_state {
	char bdf[16];
	bool exists; /* bus/pci/devices/BDF */
	bool has_tsm; /* its tsm/ directory */
	struct tsm_link_val attr[TSM_LA_COUNT];
	char driver[64]; /* the bound driver, "" for none */
	char bridge[16]; /* host bridge pciDDDD:BB, "" when not found */
	long avail_streams; /* available_secure_streams, -1 if absent */
	char streams[TSM_LINK_MAX_STREAMS][24]; /* streamH.R.E to this BDF */
	unsigned int nstreams;
	bool class_link; /* class/tsm/TSM/pciDDDD:BB (staging) */
	char class_link_tsm[32]; /* the TSM that link was looked for under */
};

/* /sys/class/tsm as it is */
struct tsm_link_tsms {
	unsigned int n;
	char name[TSM_LINK_MAX_TSMS][32];
	char pci_mode[TSM_LINK_MAX_TSMS][16]; /* "" when absent (mainline) */
	bool more; /* more than TSM_LINK_MAX_TSMS */
};

struct tsm_link_req {
	enum tsm_link_op op;
	const char *root; /* holds sys/; NULL or "" for / */
	const char *bdf;
	const char *tsm; /* --tsm, NULL for the only one */
	bool unbind_driver; /* guest ops: unbind first (accept: reprobe) */
};

enum tsm_link_write_kind {
	TSM_LW_ATTR, /* the operation's own attribute */
	TSM_LW_UNBIND, /* bus/pci/drivers/DRV/unbind */
	TSM_LW_PROBE, /* bus/pci/drivers_probe */
};

struct tsm_link_write {
	enum tsm_link_write_kind kind;
	const char *attr; /* "connect", "lock", ..., "unbind", "drivers_probe" */
	char path[320]; /* absolute, the root included */
	char data[TSM_LINK_DATA_MAX]; /* bytes written (with the newline) */
	size_t len;
};

struct tsm_link_plan {
	enum tsm_link_op op;
	char root[192]; /* "" for / */
	char bdf[16];
	char tsm[32]; /* the TSM named or chosen; "" for accept */
	const char *tsm_source; /* "option", "only", "connected", "locked" */
	bool nothing_to_do; /* already in the requested state */
	char note[192]; /* why nothing is to be done */
	char driver[64]; /* the driver unbound first ("" = none) */
	struct tsm_link_write w[TSM_LINK_MAX_WRITES];
	unsigned int nw;
};

/* The outcome of one write, judged from its errno and the readback. */
struct tsm_link_outcome {
	int err; /* errno of open or write, 0 */
	bool changed; /* the readback shows the change */
	enum tsm_completion completion;
};

const char *tsm_link_op_name(enum tsm_link_op op);
/* enum tsm_link_attr -> "connect", ..., "authenticated" */
const char *tsm_link_attr_name(unsigned int a);
/* a guest-side (devsec) operation: lock, unlock, accept */
bool tsm_link_op_guest(enum tsm_link_op op);

/* /sys/class/tsm below @root */
void tsm_link_list_tsms(const char *root, struct tsm_link_tsms *t);

/*
 * Read @bdf's state below @root; @tsm names the TSM whose class link to
 * the host bridge is looked for ("" or NULL: the first that has one).
 */
void tsm_link_read_state(const char *root, const char *bdf, const char *tsm,
			 struct tsm_link_state *s);

/*
 * Choose the TSM, check the preconditions on @before (read here) and plan
 * the writes. 0, or -1 with @e filled (e->err: 0 for a refusal tsmctl
 * makes itself) and *@exit set: TSM_EXIT_USAGE (bad --bdf/--tsm, not the
 * DSM, several TSMs), TSM_EXIT_FAIL (the state forbids it: connected
 * elsewhere, a driver bound, locked by another TSM, not locked),
 * TSM_EXIT_UNSUPPORTED (no TSM, mainline shape for a guest step, the
 * wrong side: pci_mode link for a guest step, devsec for connect).
 */
int tsm_link_plan(const struct tsm_link_req *rq, struct tsm_link_plan *p,
		  struct tsm_link_state *before, enum tsm_exit *exit,
		  struct tsm_err *e);

/* One write: open O_WRONLY, one write(2) of all bytes. 0 or errno. */
int tsm_link_write(const struct tsm_link_write *w);

/* Judge write @w of @p from its errno @err and the state @after it. */
void tsm_link_judge(const struct tsm_link_plan *p,
		    const struct tsm_link_write *w, int err,
		    const struct tsm_link_state *after,
		    struct tsm_link_outcome *o);

/* Exit status of a judged write (cli-contract.md §5). */
enum tsm_exit tsm_link_exit(const struct tsm_link_outcome *o);

/*
 * One line on what errno @err of write @w means, with @after (may be
 * NULL) to tell the causes of an ambiguous EBUSY apart.
 */
void tsm_link_explain(const struct tsm_link_plan *p,
		      const struct tsm_link_write *w, int err,
		      const struct tsm_link_state *after, char *buf,
		      size_t len);

#endif
