/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace format (--trace FILE; docs/cli-contract.md "Traces"): one JSON
 * object per line and per kernel interaction, owned here whole: the record
 * types, the writer (trace_write.c), the reader (trace_read.c: replay,
 * tsm-emu --replay) and the redaction of a bundle's copy (trace_redact.c).
 *
 * Every record: "seq", "ts", "pid", "command", "abi", "call", and
 * "phase" for a call traced write-ahead. A state change is written before
 * it is made ("intent") and after ("result", the same seq), so a kill
 * between the two leaves "outcome unknown", never a change missing from
 * the trace. Calls:
 *   start    the first record of a run ("event", "version", "argv",
 *            "abi_source")
 *   end      the last, at exit ("exit_status"; absent when killed)
 *   open     the iommufd context ("device", "fd" or "errno")
 *   ioctl    struct tsm_trace_ioctl: intent, then result
 *   netlink  one message as sent or received ("netlink": dir, header
 *            decoded, hex); a request is written before it is sent
 *   sysfs    struct tsm_trace_sysfs: a write to a sysfs attribute (a
 *            state change: connect, lock, a driver unbind, ...), intent
 *            (path and bytes) then result (errno, completion, the state
 *            read back)
 */
#ifndef TSMCTL_TRACE_H
#define TSMCTL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "describe.h"
#include "dev.h"
#include "envelope.h"
#include "jsonw.h"
#include "link.h"
#include "util.h"

struct json_object;

enum tsm_trace_phase {
	TSM_TRACE_ONCE, /* a record without the pair: no "phase" */
	TSM_TRACE_INTENT,
	TSM_TRACE_RESULT,
};

/*
 * One "ioctl" record: what was sent (both phases) and what came back
 * (result). @img is the struct as sent (intent) or as the kernel left it
 * (result); the record shows its user pointers as 0 and, for a TSM_REQ
 * result, the tsm_code it holds.
 */
struct tsm_trace_ioctl {
	const char *name; /* IOMMU_VDEVICE_TSM_REQ, IOMMU_OPTION, ... */
	unsigned long request;
	const struct tsm_image *img;
	/* the fields: decoded by a TSM layout, or by @fields (raw structs) */
	const struct tsm_layout *layout; /* NULL: raw */
	enum tsm_req_kind kind;
	bool is_op;
	tsm_fields_fn fields;
	struct json_object *fields_json; /* or as recorded: not taken */
	/* "request" of a TSM_REQ: described from @req, or as recorded */
	const struct tsm_profile *p;
	const struct tsm_request *req;
	struct json_object *request_json; /* replayed: not taken */
	unsigned int replay_of; /* seq of the recorded call; 0: none */
	/* result */
	const struct tsm_call *call;
	bool req_result; /* residue, tsm_code, response_hex */
	long residue;
	const uint8_t *resp;
	size_t resp_len;
};

/*
 * One "sysfs" record ("sysfs": step, attr, root, path, data, bdf): what is
 * written (both phases), and for the result its errno, completion and the
 * device's state read back after it.
 */
struct tsm_trace_sysfs {
	const char *step; /* the command's step: "connect", "lock", ... */
	const char *root; /* the sysfs root, "" for / */
	const char *bdf; /* the device whose state is read back */
	const struct tsm_link_write *w;
	unsigned int replay_of; /* seq of the recorded write; 0: none */
	/* result */
	int err;
	enum tsm_completion completion;
	const struct tsm_link_state *readback;
	uint64_t duration_us;
};

/* --- writer (trace_write.c) --- */

struct tsm_trace_w {
	int fd; /* -1: no trace */
	int err; /* -errno of the first record not written whole; 0: none */
	int pid; /* "pid" of each record */
	unsigned int seq; /* the highest seq in the file, as last seen */
	long long end; /* the file's size after our last write (trace_write.c) */
	bool locked; /* flock held from begin() to finish() */
	const char *command; /* "command" of each record */
	unsigned int batch_line; /* "batch_line": batch's input line; 0: none */
	const char *abi; /* "abi": the profile name */
	const char *nl_family; /* "family" of evidence netlink messages */
	struct tsm_strbuf buf;
	struct tsm_desc_cache desc; /* the struct described last */
	/* the members after "ts", as written last (trace_write.c) */
	struct tsm_strbuf tail;
	const char *tail_cmd;
	char tail_abi[TSM_PROFILE_NAME_MAX];
};

/* Open @path for appending: 0 or -errno; stdout is refused (-EINVAL). */
int tsm_trace_open(struct tsm_trace_w *w, const char *path);
void tsm_trace_close(struct tsm_trace_w *w);
/* "start" with the tool's @version, the command line @argv (NULL-ended)
 * and @abi_source (why the profile: docs/cli-contract.md §3). 0 or
 * -errno. */
int tsm_trace_start(struct tsm_trace_w *w, const char *version,
		    char *const *argv, const char *abi_source);
/* "end" with the run's exit @status (best effort, at exit). */
int tsm_trace_end(struct tsm_trace_w *w, int status);
/* "open" of @device: "fd" when @err is 0, else "errno". */
int tsm_trace_open_rec(struct tsm_trace_w *w, const char *device, int fd,
		       int err);
/*
 * An "ioctl" record of @phase; @seq 0 takes the next one (then w->seq).
 * A new seq is unique in the file even when other processes append to
 * it: it is taken under flock(2) after the seqs they wrote.
 */
int tsm_trace_ioctl(struct tsm_trace_w *w, enum tsm_trace_phase phase,
		    unsigned int seq, const struct tsm_trace_ioctl *r);
/* A "sysfs" record of @phase (@seq as for tsm_trace_ioctl). */
int tsm_trace_sysfs(struct tsm_trace_w *w, enum tsm_trace_phase phase,
		    unsigned int seq, const struct tsm_trace_sysfs *r);
/* A tsm_nl_trace_fn (lib/nl.h): @w is the struct tsm_trace_w. */
void tsm_trace_netlink(void *w, const char *dir, const void *msg, size_t len);

/* --- reader (trace_read.c) --- */

/* Longest record: a 16 MiB response as hex, and the rest (tsmctl(8)). */
#define TSM_TRACE_LINE_MAX (2 * TSM_RESP_MAX + (1u << 20))

/*
 * The "abi" of the last record of the trace at @path (a regular file), as
 * the writer puts it in the first 1 KiB of a line: 0, or -errno (-ENOENT
 * when there is none).
 */
int tsm_trace_last_abi(const char *path, char *abi, size_t len);
/* One line, strictly parsed: 0 for an object; -EINVAL (not JSON) or
 * -ENOMSG (another value) with @e filled. */
int tsm_trace_parse(const char *line, size_t len, const char *origin,
		    struct json_object **o, struct tsm_err *e);
/* Member @k of @o, or NULL (the one "jget"). */
struct json_object *tsm_trace_get(struct json_object *o, const char *k);
/* Member @k as a string, or NULL when absent or not a string. */
const char *tsm_trace_str(struct json_object *o, const char *k);
/* Member @k as an integer (@def when absent): -EINVAL naming @field. */
int tsm_trace_int(struct json_object *o, const char *k, const char *field,
		  int64_t def, int64_t *out, struct tsm_err *e);
/* Member @k as an integer or a number in a string (tsm-emu's traces):
 * 0, 1 when absent, -1 when neither. */
int tsm_trace_num(struct json_object *o, const char *k, bool sign,
		  uint64_t *out);
enum tsm_trace_phase tsm_trace_phase_of(struct json_object *o);
/*
 * Write-ahead pairs: whether @o is the result of the intent with seq
 * @intent_seq just before it (the result then replaces the intent).
 */
bool tsm_trace_completes(struct json_object *o, uint64_t intent_seq);

/* "netlink" of a record: direction, the message bytes (malloc'd) */
struct tsm_trace_nl {
	bool send;
	bool redacted; /* "redacted": true (dump --bundle zeroed it) */
	const char *family; /* "family", or NULL */
	uint8_t *msg;
	size_t len;
};
/* The netlink part: one whole message, header lengths checked. */
int tsm_trace_nl_read(struct json_object *line, struct tsm_trace_nl *nl,
		      struct tsm_err *e);

/* --- a bundle's copy (trace_redact.c) --- */

/*
 * Whether @line (@n bytes, no newline) is a JSON object, scanned without a
 * tree. The payload of a received evidence message is zeroed in place
 * after its netlink and genetlink headers, and *@mark is where
 * TSM_TRACE_REDACTED_MARK goes in (NULL: nothing to add); the NONCE
 * attribute of an evidence request sent, a TSM_REQ request's
 * "nonce_hex", and the nonce values in a start record's "argv" (--nonce,
 * nonce=HEX) are zeroed in place.
 */
bool tsm_trace_redact_line(char *line, size_t n, const char **mark);
#define TSM_TRACE_REDACTED_MARK ",\"redacted\":true"

#endif
