// SPDX-License-Identifier: GPL-2.0
/*
 * trace.jsonl in a --bundle: the --trace file read once into memory (its
 * newest BUNDLE_TRACE_MAX bytes, whole lines), each line redacted by the
 * trace module (lib/trace_redact.c: received evidence payloads zeroed,
 * "redacted":true added to their netlink object), and the result streamed
 * into the archive. A line that is not a JSON object (cut short,
 * corrupted) could hold anything: it is left out and counted, never
 * copied. Deflate (zlib, level 6) costs about 57 instructions a byte
 * (docs/performance.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "targz.h"
#include "trace.h"

#define MARK TSM_TRACE_REDACTED_MARK
#define TRACE_NAME "tsmctl-bundle/trace.jsonl"

/* One kept line of the output: bytes, and where the mark goes (or NULL). */
struct piece {
	const char *p;
	size_t n;
	const char *mark;
};

static bool blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		n--;
	}
	return !n;
}

/* Plan the redacted output: the lines kept, redacted in place. */
static struct piece *plan(char *buf, size_t len, size_t *np, size_t *total,
			  unsigned long *unparsed)
{
	struct piece *v = NULL, *g;
	size_t cap = 0, n = 0, ln;
	char *p = buf, *end = buf + len, *eol;
	const char *mark;

	*total = 0;
	for (; p < end; p += ln + (eol ? 1 : 0)) {
		eol = memchr(p, '\n', (size_t)(end - p));
		ln = (size_t)((eol ? eol : end) - p);
		if (blank(p, ln))
			continue;
		if (!tsm_trace_redact_line(p, ln, &mark)) {
			(*unparsed)++;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			g = realloc(v, cap * sizeof(*v));
			if (!g) {
				free(v);
				return NULL;
			}
			v = g;
		}
		v[n] = (struct piece){ p, ln, mark };
		*total += ln + 1 + (v[n].mark ? strlen(MARK) : 0);
		n++;
	}
	*np = n;
	return v ? v : calloc(1, sizeof(*v));
}

static int emit(struct tsm_targz *t, const struct piece *v, size_t n,
		size_t total, time_t now)
{
	int rc = tsm_targz_begin(t, TRACE_NAME, total, now);

	for (size_t i = 0; !rc && i < n; i++) {
		const char *m = v[i].mark ? v[i].mark : v[i].p + v[i].n;

		rc = tsm_targz_write(t, v[i].p, (size_t)(m - v[i].p));
		if (!rc && v[i].mark)
			rc = tsm_targz_write(t, MARK, strlen(MARK));
		if (!rc)
			rc = tsm_targz_write(t, m,
					     (size_t)(v[i].p + v[i].n - m));
		if (!rc)
			rc = tsm_targz_write(t, "\n", 1);
	}
	return rc ? rc : tsm_targz_end(t);
}

/*
 * The trace file whole, or when it is over @max bytes its newest whole
 * lines within @max (the reproduction is at the end of an appended
 * trace). NULL with nb->trace_errno on failure.
 */
static char *read_trace(const char *path, size_t max, size_t *len,
			struct bundle_notes *nb)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap, off = 0;
	struct stat st;
	char *buf, *nl;
	ssize_t n;

	*len = 0;
	if (fd < 0 || fstat(fd, &st)) {
		nb->trace_errno = errno;
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	cap = max;
	if (S_ISREG(st.st_mode)) {
		nb->trace_size = (size_t)st.st_size;
		if ((size_t)st.st_size > max)
			off = (size_t)st.st_size - max;
		else
			cap = (size_t)st.st_size;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		nb->trace_errno = ENOMEM;
		close(fd);
		return NULL;
	}
	while (*len < cap) {
		n = pread(fd, buf + *len, cap - *len, (off_t)(off + *len));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	/* more than @cap bytes now (growing, or not a regular file): stop
	 * at the last whole line read */
	if (*len == cap &&
	    pread(fd, &(char){ 0 }, 1, (off_t)(off + *len)) == 1) {
		nl = memrchr(buf, '\n', *len);
		nb->trace_skipped += *len - (nl ? (size_t)(nl + 1 - buf) : 0);
		*len = nl ? (size_t)(nl + 1 - buf) : 0;
	}
	close(fd);
	if (off) {
		/* the line cut by the start of the window is left out */
		nl = memchr(buf, '\n', *len);
		n = nl ? nl + 1 - buf : (ssize_t)*len;
		memmove(buf, buf + n, *len - (size_t)n);
		*len -= (size_t)n;
		nb->trace_skipped += off + (size_t)n;
	}
	return buf;
}

int bundle_add_trace(struct tsm_targz *t, const char *path, bool redact,
		     struct bundle_notes *nb, time_t now)
{
	size_t len, n = 0, total = 0;
	struct piece *v;
	char *buf;
	int rc;

	buf = read_trace(path, BUNDLE_TRACE_MAX, &len, nb);
	if (!buf) {
		nb->trace_read_failed = true;
		return 0;
	}
	if (!redact) { /* the trace as it is */
		rc = tsm_targz_add(t, TRACE_NAME, buf, len, now);
		free(buf);
		return rc;
	}
	v = plan(buf, len, &n, &total, &nb->trace_unparsed);
	rc = v ? emit(t, v, n, total, now) : -ENOMEM;
	free(v);
	free(buf);
	return rc;
}
