/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an errno from a TSM ioctl means for the operator, whether a failed
 * call may have changed state, and the exit status it maps to.
 */
#ifndef TSMCTL_EXPLAIN_H
#define TSMCTL_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"

enum tsm_call_kind {
	TSM_CALL_BIND,
	TSM_CALL_UNBIND,
	TSM_CALL_REQ, /* read-only request */
	TSM_CALL_REQ_STATE, /* state-changing request (lock, run, ...) */
};

enum tsm_completion {
	TSM_DONE,
	TSM_NOT_STARTED,
	TSM_UNCERTAIN,
	TSM_INVALID, /* not a valid completion (docs/kernel-abi.md) */
};

/* Exit status (docs/cli-contract.md §5). */
enum tsm_exit {
	TSM_EXIT_OK = 0,
	TSM_EXIT_FAIL = 1,
	TSM_EXIT_USAGE = 2,
	TSM_EXIT_TSM = 3,
	TSM_EXIT_UNCERTAIN = 4,
	TSM_EXIT_UNSUPPORTED = 5,
};

const char *tsm_completion_name(enum tsm_completion c);
const char *tsm_call_kind_name(enum tsm_call_kind k);

/* done / not_started / uncertain for an errno of a call of this kind. */
enum tsm_completion tsm_classify(enum tsm_call_kind k, int err);

/* Exit status from completion, errno and tsm_code. */
enum tsm_exit tsm_exit_for(enum tsm_completion c, int err, uint64_t tsm_code);

/*
 * One-line explanation of @err for a call of kind @k on vdevice @vdev,
 * under profile @p, written to @buf. Always fills something.
 */
void tsm_explain(enum tsm_call_kind k, int err, uint32_t vdev,
		 const struct tsm_profile *p, char *buf, size_t len);

/*
 * What tsmctl knows about the running kernel when a TSM ioctl answered
 * ENOTTY on a node not known to be anything but iommufd: its BTF.
 */
struct tsm_enotty_facts {
	bool btf_read; /* the kernel's BTF was read and parsed */
	bool btf_has_tsm; /* it declares vdevice TSM types or enumerators */
	const char *matching; /* a compiled-in profile it matches, or NULL */
};

/*
 * ENOTTY of a call of kind @k under profile @p explained from @f (NULL:
 * nothing known), written to @buf. Returns true when the profile in force
 * is at fault (the BTF names another profile, or none of tsmctl's), false
 * when no profile would help or nothing can be told.
 */
bool tsm_explain_enotty(enum tsm_call_kind k, const struct tsm_profile *p,
			const struct tsm_enotty_facts *f, char *buf,
			size_t len);

#endif
