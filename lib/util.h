/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small shared helpers of the library: error reports, strict number and
 * hex parsing, errno names. Nothing here prints or exits.
 */
#ifndef TSMCTL_UTIL_H
#define TSMCTL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Cleanup helpers (nvme-cli style). */
static inline void tsm_freep(void *p)
{
	free(*(void **)p);
}

static inline void tsm_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

/* Bounded copy that always terminates (truncates silently). */
static inline void tsm_strscpy(char *d, const char *s, size_t n)
{
	size_t l = strnlen(s, n - 1);

	memcpy(d, s, l);
	d[l] = 0;
}

#define __cleanup_free __attribute__((cleanup(tsm_freep)))
#define __cleanup_fd __attribute__((cleanup(tsm_closep)))

/*
 * An error report: what failed, the field or flag it concerns and a hint.
 * The CLI turns it into text or JSON; the library only fills it.
 */
struct tsm_err {
	int err; /* positive errno, or 0 */
	char field[64]; /* flag or JSON field, e.g. "--vdevice", "vdevice_id" */
	char value[96]; /* the offending value, if any */
	char msg[400]; /* what failed and why */
	char hint[400]; /* what to do */
};

void tsm_err_set(struct tsm_err *e, int err, const char *field,
		 const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void tsm_err_hint(struct tsm_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefix the message with "@prefix: " (bounded, truncates the tail). */
void tsm_err_prefix(struct tsm_err *e, const char *prefix);

/*
 * Strict unsigned parsing: decimal or 0x-hex, no sign, no spaces, no
 * trailing characters, no overflow past @max. -EINVAL with a message naming
 * @field and the accepted range on any violation.
 */
int tsm_parse_u64(const char *s, uint64_t max, const char *field, uint64_t *out,
		  struct tsm_err *e);
int tsm_parse_u32(const char *s, const char *field, uint32_t *out,
		  struct tsm_err *e);

/*
 * Hex bytes: pairs of hex digits; spaces, tabs, newlines and colons between
 * bytes are allowed, an optional 0x prefix too. Returns the byte count or
 * -EINVAL (odd digit count, bad character, more than @max bytes).
 */
long tsm_parse_hex(const char *s, uint8_t *out, size_t max, const char *field,
		   struct tsm_err *e);
/* Lowercase hex of @len bytes into @out (2*len+1 bytes). */
void tsm_hex(const uint8_t *b, size_t len, char *out);

/*
 * Read all of @fd into @buf (at most @max bytes). Returns the byte count,
 * -E2BIG if there is more than @max, or -errno.
 */
long tsm_read_fd(int fd, uint8_t *buf, size_t max);
/*
 * Read a small regular file whole (NUL-terminated in *@buf, which the
 * caller frees). Errors name @flag and @path: "FLAG 'PATH': cannot open:
 * ..." or "FLAG 'PATH': not a regular file of at most N bytes".
 */
int tsm_load_file(const char *path, const char *flag, size_t max, char **buf,
		  size_t *len, struct tsm_err *e);

/* "ENOENT" style names; "E%d" for unknown values. */
const char *tsm_errno_name(int err, char *buf, size_t len);

#endif
