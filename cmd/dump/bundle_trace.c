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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

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

/* What README.txt says of the runs in the trace (bundle_runs()) */
struct runs {
	FILE *f;
	long pid[64]; /* runs started, their end not seen yet */
	unsigned int n;
	long ipid; /* the intent without its result yet: pid, seq */
	unsigned long iseq;
};

/* Member @key (a number) near the start of a record line, or -1 */
static long head_num(const char *p, size_t n, const char *key)
{
	const char *k = memmem(p, n < 512 ? n : 512, key, strlen(key));

	return k ? strtol(k + strlen(key), NULL, 10) : -1;
}

static bool head_has(const char *p, size_t n, const char *s)
{
	return memmem(p, n < 512 ? n : 512, s, strlen(s)) != NULL;
}

/* An intent not followed by its result: counted and named */
static void intent_lost(struct runs *r, struct bundle_notes *nb)
{
	if (!r->iseq)
		return;
	fprintf(r->f,
		"  OUTCOME UNKNOWN: pid %ld, seq %lu: an intent record without its result\n",
		r->ipid, r->iseq);
	nb->unknown++;
	r->iseq = 0;
}

/* A start record: its command line */
static void run_start(struct runs *r, const char *p, size_t n, long pid)
{
	struct json_object *o = NULL, *argv;
	struct tsm_err e;
	size_t i;

	if (tsm_trace_parse(p, n, "trace", &o, &e))
		return;
	fprintf(r->f, "  pid %ld:", pid);
	argv = tsm_trace_get(o, "argv");
	for (i = 0; argv && i < json_object_array_length(argv); i++) {
		const char *a = json_object_get_string(
			json_object_array_get_idx(argv, i));

		fputc(' ', r->f);
		for (; a && *a; a++)
			fputc((unsigned char)*a < ' ' ? '?' : *a, r->f);
	}
	fputs(argv ? "\n" : " (no command line: an older tsmctl)\n", r->f);
	json_object_put(o);
	if (r->n < ARRAY_SIZE(r->pid))
		r->pid[r->n++] = pid;
}

static void run_end(struct runs *r, long pid, long status)
{
	unsigned int i;

	fprintf(r->f, "  pid %ld: exit status %ld\n", pid, status);
	for (i = 0; i < r->n; i++)
		if (r->pid[i] == pid)
			r->pid[i] = r->pid[--r->n];
}

/*
 * The runs of the trace for README.txt (docs/cli-contract.md, "Traces"):
 * each start record's command line, each end record's exit status, runs
 * without an end, and intent records without their result.
 */
static void bundle_runs(const char *buf, size_t len, struct bundle_notes *nb)
{
	struct runs r = { .f = open_memstream(&nb->runs, &nb->runs_len) };
	const char *p = buf, *end = buf + len, *eol;
	unsigned int i;
	size_t n;
	long pid;

	if (!r.f)
		return;
	for (; p < end; p = eol ? eol + 1 : end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((eol ? eol : end) - p);
		pid = head_num(p, n, "\"pid\":");
		if (head_has(p, n, "\"call\":\"start\"")) {
			intent_lost(&r, nb);
			run_start(&r, p, n, pid);
		} else if (head_has(p, n, "\"call\":\"end\"")) {
			run_end(&r, pid, head_num(p, n, "\"exit_status\":"));
		} else if (head_has(p, n, "\"phase\":\"intent\"")) {
			intent_lost(&r, nb);
			r.ipid = pid;
			r.iseq = (unsigned long)head_num(p, n, "{\"seq\":");
		} else if (head_has(p, n, "\"phase\":\"result\"") &&
			   r.ipid == pid &&
			   (unsigned long)head_num(p, n, "{\"seq\":") ==
				   r.iseq) {
			r.iseq = 0;
		}
	}
	intent_lost(&r, nb);
	for (i = 0; i < r.n; i++)
		fprintf(r.f, "  pid %ld: no end record (%s)\n", r.pid[i],
			r.pid[i] == (long)getpid() ?
				"this dump, still running" :
				"killed or crashed, or still running");
	if (fclose(r.f)) {
		free(nb->runs);
		nb->runs = NULL;
	}
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
	bundle_runs(buf, len, nb);
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
