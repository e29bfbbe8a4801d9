/* SPDX-License-Identifier: GPL-2.0 */
/* dump --bundle internals shared by bundle.c and bundle_trace.c. */
#ifndef TSMCTL_BUNDLE_H
#define TSMCTL_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct tsm_targz;

/* What README.txt says about how the bundle was cut. */
struct bundle_notes {
	bool trace_read_failed;
	int trace_errno;
	size_t trace_size; /* bytes in the trace file */
	size_t trace_skipped; /* oldest bytes left out (over the limit) */
	unsigned long trace_unparsed; /* lines dropped: not JSON objects */
	unsigned long kmsg_dropped; /* older matching messages left out */
	bool kmsg_none; /* /dev/kmsg read, no message matched */
	char *runs; /* the runs in the trace: command lines, exit statuses */
	size_t runs_len;
	unsigned long unknown; /* intent records without their result */
	unsigned int evidence; /* objects in evidence/ */
};

/* The newest BUNDLE_TRACE_MAX bytes of the trace, in whole lines. */
#define BUNDLE_TRACE_MAX ((size_t)256 << 20)

/*
 * Add trace.jsonl from the trace file @path, its received evidence
 * messages zeroed after their headers when @redact. A trace that cannot
 * be read is noted in @nb, not an error; archive errors are returned.
 */
int bundle_add_trace(struct tsm_targz *t, const char *path, bool redact,
		     struct bundle_notes *nb, time_t now);

struct json_object;
struct out_bytes;

/* dump.json: @doc indented, its nonces zeroed when @redact, each object
 * of @list redacted marked, with the SHA-256 of the bytes in evidence/. */
int bundle_add_doc(struct tsm_targz *t, struct json_object *doc,
		   const struct out_bytes *list, bool redact, time_t now);
/* evidence/BDF/TYPE.bin for each named object of @list (redacted),
 * counted in *@n_added. */
int bundle_add_evidence(struct tsm_targz *t, const struct out_bytes *list,
			bool redact, time_t now, unsigned int *n_added);

#endif
