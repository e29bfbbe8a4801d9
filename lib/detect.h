/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ABI profile detection from kernel BTF (docs/cli-contract.md §3): compare the
 * running kernel's struct iommu_vdevice_tsm_op / _req layouts and the
 * IOMMUFD_CMD_* enumerators with every compiled-in profile. Pure: no
 * printing, no globals; the result is plain data for the CLI to show.
 */
#ifndef TSMCTL_DETECT_H
#define TSMCTL_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"

#define TSM_DETECT_PROFILES_MAX 8
#define TSM_DETECT_EVIDENCE_MAX 8
#define TSM_DETECT_LINE 160

#define TSM_DETECT_VMLINUX "/sys/kernel/btf/vmlinux"
/* Split BTF of iommufd when it is a loaded module. */
#define TSM_DETECT_MODULE "/sys/kernel/btf/iommufd"
/* the largest BTF file read (a vmlinux BTF is 5 to 10 MiB); tsmctl-dump(8) */
#define TSM_DETECT_BTF_MAX (32u << 20)

enum tsm_detect_verdict {
	TSM_DETECT_UNKNOWN, /* no evidence either way */
	TSM_DETECT_MATCHES, /* all available evidence agrees */
	TSM_DETECT_CONTRADICTS, /* some positive evidence disagrees */
};

struct tsm_detect_profile {
	char name[TSM_PROFILE_NAME_MAX];
	enum tsm_detect_verdict verdict;
	unsigned int n_evidence;
	unsigned int n_against; /* the first n_against lines disagree */
	/* Disagreements first, then agreements and weak notes. */
	char evidence[TSM_DETECT_EVIDENCE_MAX][TSM_DETECT_LINE];
};

struct tsm_detect {
	bool have_btf; /* a BTF blob was read and parsed */
	bool have_tsm; /* it declares vdevice TSM types or enumerators */
	char source[TSM_DETECT_LINE]; /* what was read */
	char reason[TSM_DETECT_LINE * 2]; /* summary, always set */
	size_t n; /* entries in @p (compiled-in profiles) */
	struct tsm_detect_profile p[TSM_DETECT_PROFILES_MAX];
};

/*
 * Detect from a BTF blob (vmlinux, or any self-contained BTF). Returns 0,
 * or a negative errno when the blob is unusable (truncated, corrupt): then
 * every profile is "unknown" and @out->reason says why.
 */
int tsm_detect_btf(const uint8_t *btf, size_t len, struct tsm_detect *out);
/* Same, with @mod (may be NULL) a module's split BTF on top of @base. */
int tsm_detect_btf_split(const uint8_t *base, size_t blen, const uint8_t *mod,
			 size_t mlen, struct tsm_detect *out);

/*
 * Read and detect. @path NULL: /sys/kernel/btf/vmlinux plus the iommufd
 * module's split BTF if present. A missing file is not an error: 0 with
 * every profile "unknown" and the reason. Other read errors and corrupt
 * blobs return a negative errno (results "unknown", reason set).
 */
int tsm_detect_file(const char *path, struct tsm_detect *out);

const char *tsm_detect_verdict_name(enum tsm_detect_verdict v);
const struct tsm_detect_profile *tsm_detect_find(const struct tsm_detect *d,
						 const char *profile_name);

/*
 * True when detection positively contradicts @profile_name (state-changing
 * requests are refused then). @why gets the evidence ("; "-joined);
 * @matching (may be NULL) the name of a profile that matches, or NULL.
 */
bool tsm_detect_contradicts(const struct tsm_detect *d,
			    const char *profile_name, char *why, size_t len,
			    const char **matching);

#endif
