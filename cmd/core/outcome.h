/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What executing one request gave (docs/architecture.md): the request as
 * described and as sent, the three result channels (errno, residue,
 * tsm_code), the completion, the response, and the verdict (exit status
 * and the error report). exec.c fills it and renders nothing; render.c
 * turns it into a document (either sink of lib/emit.h), text, a trace
 * result, --out, an exit status and hints.
 */
#ifndef TSMCTL_CORE_OUTCOME_H
#define TSMCTL_CORE_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "abi.h"
#include "dev.h"
#include "envelope.h"
#include "explain.h"
#include "util.h"

/* An error as the error channel shows it (out.h): exit status, stage,
 * message and hint, and the outcome's fields that explain it. */
struct tsm_report {
	int code; /* exit status; 0: no error */
	const char *stage; /* usage, open, ioctl, ...; NULL: nothing shown */
	bool unsent; /* found before sending, after the description: the
		      * document shows no "ioctl" (nothing was sent) */
	bool has_completion;
	enum tsm_completion completion;
	bool has_residue; /* an invalid completion's return value */
	long residue;
	bool has_code; /* the TSM's refusal */
	uint64_t tsm_code;
	const char *tsm_code_name;
	struct tsm_err e; /* last: written whole with the stage */
};

/* One TSM_REQ as the kernel answered it. */
struct tsm_req_result {
	struct tsm_image img; /* as the kernel left it */
	struct tsm_call call;
	bool have_code;
	uint64_t code;
	long residue; /* 0 unless a valid non-negative return */
	size_t got; /* response bytes */
	bool invalid; /* not a valid completion: why says what */
	char why[160];
};

enum tsm_oc_kind {
	TSM_OC_OP, /* IOMMU_VDEVICE_TSM_OP: bind, unbind */
	TSM_OC_REQ, /* IOMMU_VDEVICE_TSM_REQ */
	TSM_OC_SYSFS, /* sysfs writes: connect, lock, ... (exec_link.h) */
};

struct tsm_link_run;

struct tsm_outcome {
	enum tsm_oc_kind kind;
	bool dry_run;
	bool described; /* the request was built: "ioctl" and "result" */
	bool unsent; /* bad input found after that: no "ioctl" shown */
	bool issued; /* the call was made (its channels below are real) */
	const char *device; /* the iommufd context, once open */

	/* TSM_OC_SYSFS: the plan, the states and each write's outcome */
	struct tsm_link_run *link;

	/* TSM_OP */
	uint32_t op_type;
	uint32_t vdevice_id;
	const char *op_name; /* "bind", "unbind" */
	struct tsm_call call;
	bool op_invalid; /* a return other than 0 or -1 with an errno */
	char op_why[80]; /* why it is invalid */

	/* TSM_REQ: as asked, and as sent (resp_len from the size query) */
	const struct tsm_request *req;
	struct tsm_request *sized; /* NULL: no size query, or it failed */
	bool size_query; /* result.size_query: the object-info first */
	bool sq_issued;
	struct tsm_request *sq_req;
	uint8_t sq_resp[4];
	uint8_t *resp; /* res.got bytes of response (resp_cap allocated) */
	uint32_t resp_cap;

	struct tsm_image img; /* the struct described, user pointers zero */
	enum tsm_completion completion;
	/*
	 * The rest is large and written whole before it is read: the report
	 * with its stage, the results when issued (tsm_outcome_init()).
	 */
	struct tsm_report rep; /* rep.code: the exit status */
	struct tsm_req_result sq; /* as answered (before the size check) */
	struct tsm_req_result res;
};

/* An empty outcome: all but the parts written before they are read */
static inline void tsm_outcome_init(struct tsm_outcome *oc)
{
	memset(oc, 0,
	       offsetof(struct tsm_outcome, rep) +
		       offsetof(struct tsm_report, e));
}

/* The request the outcome's struct describes: as sent when sized. */
static inline const struct tsm_request *
tsm_outcome_req(const struct tsm_outcome *oc)
{
	return oc->sized ? oc->sized : oc->req;
}

#endif
