// SPDX-License-Identifier: GPL-2.0
/*
 * dump --bundle FILE: one tar.gz a bug reporter attaches: dump.json (the
 * dump document), version.json (what tsmctl -j --version prints),
 * trace.jsonl (the --trace file, if any), kmsg.txt (the newest kernel
 * messages mentioning tsm, tdisp, ide or iommufd, when readable) and
 * README.txt. Nonces are redacted unless --no-redact (cli-contract.md
 * §4.4): zeroed in the decoded evidence, and the received evidence
 * messages of the trace are zeroed.
 *
 * FILE is opened by dump_bundle_open() before anything is sent, so a bad
 * path is a usage error (exit 2) and never loses a dump, and the --trace
 * file is never overwritten by its own bundle.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>
#include <linux/genetlink.h>

#include "jsonstrict.h"
#include "kmsg.h"
#include "targz.h"
#include "tsmctl.h"

/* The trace is read whole up to this; over it, its newest whole lines. */
#define BUNDLE_TRACE_MAX ((size_t)256 << 20)
/* kmsg.txt keeps the newest matching messages up to this. */
#define BUNDLE_KMSG_MAX ((size_t)64 << 10)
/* A /dev/kmsg read needs room for a whole record (CONSOLE_EXT_LOG_MAX). */
#define KMSG_REC_MAX 8192

/* What README.txt says about how the bundle was cut. */
struct bundle_notes {
	bool trace_read_failed;
	int trace_errno;
	size_t trace_size; /* bytes in the trace file */
	size_t trace_skipped; /* oldest bytes left out (over the limit) */
	unsigned long trace_unparsed; /* lines dropped: not JSON objects */
	unsigned long kmsg_dropped; /* older matching messages left out */
	bool kmsg_none; /* /dev/kmsg read, no message matched */
};

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int same_as_trace(struct tsmctl_ctx *ctx, const char *path,
			 const char *trace)
{
	tsmctl_usage_error(
		ctx, "--bundle", path,
		"--bundle '%s' is the --trace file '%s': the bundle would overwrite the trace it includes",
		path, trace);
	snprintf(ctx->err.hint, sizeof(ctx->err.hint),
		 "write the bundle to another file");
	return EINVAL;
}

int dump_bundle_open(struct tsmctl_ctx *ctx, const char *path, int *fdp)
{
	const char *trace = ctx->trace_path;
	struct stat ts, bs;
	bool had_trace;
	int fd, e;

	*fdp = -1;
	if (!*path)
		return tsmctl_usage_error(ctx, "--bundle", path,
					  "--bundle: empty path");
	if (!trace)
		trace = getenv("TSMCTL_TRACE");
	if (trace && !*trace)
		trace = NULL;
	had_trace = trace && !stat(trace, &ts);
	if (had_trace && !stat(path, &bs) && same_file(&ts, &bs))
		return same_as_trace(ctx, path, trace);
	/* no O_TRUNC: an existing file is kept until the bundle is written */
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = errno;
		tsmctl_usage_error(ctx, "--bundle", path,
				   "--bundle '%s': cannot create: %s", path,
				   strerror(e));
		return e;
	}
	/* a trace not created yet: the same name under another spelling */
	if (trace && !had_trace && !stat(trace, &ts) && !fstat(fd, &bs) &&
	    same_file(&ts, &bs)) {
		unlink(path);
		close(fd);
		return same_as_trace(ctx, path, trace);
	}
	*fdp = fd;
	return 0;
}

static void zero_string(struct json_object *v, size_t at, size_t n)
{
	const char *s = json_object_get_string(v);
	size_t len = strlen(s);
	char *z;

	if (at >= len || !(z = strdup(s)))
		return;
	memset(z + at, '0', len - at < n ? len - at : n);
	json_object_set_string(v, z);
	free(z);
}

/*
 * An evidence object's raw "hex" holds the nonce its "decoded" locates.
 * Measurements the decoder could not parse have no "nonce_offset": their
 * nonce could be anywhere, so the whole "hex" is zeroed and marked.
 */
static void redact_raw(struct json_object *o)
{
	struct json_object *hex, *dec, *off, *tn;

	if (!json_object_object_get_ex(o, "hex", &hex) ||
	    !json_object_is_type(hex, json_type_string))
		return;
	if (json_object_object_get_ex(o, "decoded", &dec) &&
	    json_object_object_get_ex(dec, "nonce_offset", &off)) {
		zero_string(hex, 2 * (size_t)json_object_get_int64(off),
			    2 * 32);
		return;
	}
	if (json_object_object_get_ex(o, "type_name", &tn) &&
	    !strcmp(json_object_get_string(tn), "measurements")) {
		zero_string(hex, 0, SIZE_MAX);
		json_add(o, "redacted", json_object_new_boolean(1));
	}
}

/* Replace the value of every "nonce_hex" key by zeros of the same length,
 * and the nonce inside raw evidence bytes. */
static void redact(struct json_object *o)
{
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			redact(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	redact_raw(o);
	json_object_object_foreach(o, k, v) {
		if (!strcmp(k, "nonce_hex") &&
		    json_object_is_type(v, json_type_string))
			zero_string(v, 0, SIZE_MAX);
		else
			redact(v);
	}
}

/*
 * In a trace line, zero the payload of a received pci-tsm message after
 * its netlink and genetlink headers (evidence objects carry nonces inside
 * SPDM measurement blocks; dump.json keeps them decoded with only the
 * nonce zeroed). Family resolution (GENL_ID_CTRL) and acknowledgements
 * stay. Returns whether @line was changed.
 */
static bool redact_netlink_line(struct json_object *line)
{
	struct json_object *nl, *v;

	if (!json_object_object_get_ex(line, "netlink", &nl) ||
	    !json_object_object_get_ex(nl, "dir", &v) ||
	    strcmp(json_object_get_string(v), "recv") ||
	    !json_object_object_get_ex(nl, "genl_cmd", &v) ||
	    !json_object_object_get_ex(nl, "nlmsg_type", &v) ||
	    json_object_get_int(v) == GENL_ID_CTRL ||
	    !json_object_object_get_ex(nl, "hex", &v) ||
	    !json_object_is_type(v, json_type_string))
		return false;
	/* keep the netlink and genetlink headers: the message stays a
	 * message of its length and kind, for replay */
	zero_string(v, 2 * (NLMSG_HDRLEN + GENL_HDRLEN), SIZE_MAX);
	json_add(nl, "redacted", json_object_new_boolean(1));
	return true;
}

static bool blank(const char *p, size_t n)
{
	while (n && strchr(" \t\r", *p)) {
		p++;
		n--;
	}
	return !n;
}

/*
 * The trace with received evidence messages zeroed. A line that is not a
 * JSON object (cut short, corrupted) could hold anything: it is left out
 * and counted, never copied. Lines left unchanged are copied as they are.
 */
static char *redact_trace(const char *in, size_t len, size_t *outlen,
			  unsigned long *unparsed)
{
	size_t cap = len + 4096, at = 0, n, ln;
	const char *p = in, *end = in + len, *eol, *s;
	struct json_object *line;
	struct tsm_err e;
	char *out = malloc(cap), *grown;

	while (out && p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		ln = (size_t)((eol ? eol : end) - p);
		s = p;
		n = ln;
		line = NULL;
		if (blank(p, ln)) {
			n = 0; /* blank */
		} else if (tsm_json_parse_strict(p, ln, "trace", &line, &e) ||
			   !json_object_is_type(line, json_type_object)) {
			(*unparsed)++;
			n = 0;
		} else if (redact_netlink_line(line)) {
			s = json_object_to_json_string_ext(
				line, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
			n = strlen(s);
		}
		if (n && at + n + 1 > cap) {
			cap = (at + n + 1) * 2;
			grown = realloc(out, cap);
			if (!grown) {
				free(out);
				out = NULL;
				json_object_put(line);
				break;
			}
			out = grown;
		}
		if (n) {
			memcpy(out + at, s, n);
			at += n;
			out[at++] = '\n';
		}
		json_object_put(line);
		p += ln + (eol ? 1 : 0);
	}
	*outlen = at;
	return out;
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

/* The newest messages of /dev/kmsg (non-blocking) that mention TSM
 * topics (tsm_kmsg_match()), at most BUNDLE_KMSG_MAX bytes. */
static char *kmsg_lines(size_t *len, struct bundle_notes *nb)
{
	struct tsm_kmsg_tail t;
	char *rec, *out;
	ssize_t n;
	int fd, e;

	*len = 0;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (asprintf(&out, "/dev/kmsg not readable: %s\n",
			     strerror(e)) < 0)
			return NULL;
		*len = strlen(out);
		return out;
	}
	rec = malloc(KMSG_REC_MAX);
	if (!rec || tsm_kmsg_tail_init(&t, BUNDLE_KMSG_MAX)) {
		free(rec);
		close(fd);
		return NULL;
	}
	for (;;) {
		n = read(fd, rec, KMSG_REC_MAX);
		/* EPIPE: records overwritten since the last read; go on */
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		if (tsm_kmsg_match(rec, (size_t)n))
			tsm_kmsg_tail_add(&t, rec, (size_t)n);
	}
	close(fd);
	free(rec);
	tsm_kmsg_tail_finish(&t);
	nb->kmsg_dropped = t.dropped;
	nb->kmsg_none = !t.len;
	*len = t.len;
	return t.buf;
}

/* Exactly what "tsmctl -j --version" prints with the ABI of this run. */
static char *version_doc(struct tsmctl_ctx *ctx)
{
	struct tsmctl_ctx *v = calloc(1, sizeof(*v));
	char *s = NULL;

	if (!v)
		return NULL;
	v->json = true;
	v->trace_fd = -1;
	v->bundle_fd = -1;
	v->abi_name = ctx->profile.name;
	cmd_version(v);
	if (asprintf(&s, "%s\n",
		     json_object_to_json_string_ext(
			     out_doc(v),
			     JSON_C_TO_STRING_PLAIN |
				     JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		s = NULL;
	json_object_put(v->doc);
	free(v->detect);
	free(v);
	return s;
}

static char *readme(bool redacted, bool traced, const struct bundle_notes *nb,
		    size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fputs("tsmctl bug-report bundle: dump.json (tsmctl -j dump), version.json\n"
	      "(tsmctl -j --version), trace.jsonl (the --trace file given with dump,\n"
	      "if any), kmsg.txt (the newest 64 KiB of kernel messages mentioning\n"
	      "tsm/tdisp/ide/iommufd). Nonces are zeroed unless the bundle was made\n"
	      "with --no-redact: in dump.json, and in trace.jsonl the evidence\n"
	      "messages received are zeroed after their headers.\n",
	      f);
	fprintf(f, "\nThis bundle: nonces %s.\n",
		redacted ? "redacted" : "NOT redacted (--no-redact)");
	if (traced && nb->trace_read_failed)
		fprintf(f,
			"trace.jsonl: the trace file could not be read: %s\n",
			strerror(nb->trace_errno));
	if (nb->trace_skipped && nb->trace_size)
		fprintf(f,
			"trace.jsonl: TRUNCATED: the trace file has %zu bytes; its oldest %zu\n"
			"bytes were left out (the bundle keeps the newest %zu MiB, whole lines).\n",
			nb->trace_size, nb->trace_skipped,
			BUNDLE_TRACE_MAX >> 20);
	else if (nb->trace_skipped)
		fprintf(f,
			"trace.jsonl: TRUNCATED: %zu bytes of the trace were left out (the bundle\n"
			"keeps at most %zu MiB, whole lines).\n",
			nb->trace_skipped, BUNDLE_TRACE_MAX >> 20);
	if (nb->trace_unparsed)
		fprintf(f,
			"trace.jsonl: %lu line(s) of the trace file that are not JSON objects\n"
			"(cut short or corrupted) were left out: they could not be redacted.\n",
			nb->trace_unparsed);
	if (nb->kmsg_dropped)
		fprintf(f,
			"kmsg.txt: %lu older matching message(s) left out.\n",
			nb->kmsg_dropped);
	if (nb->kmsg_none)
		fprintf(f,
			"kmsg.txt: empty: no kernel message mentions tsm, tdisp, ide or iommufd.\n");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int bundle_write(struct tsmctl_ctx *ctx, int fd, bool redact_nonces)
{
	struct json_object *doc = out_doc(ctx), *copy = NULL;
	struct bundle_notes nb = { 0 };
	struct tsm_targz *t = NULL;
	time_t now = time(NULL);
	const char *s;
	struct stat st;
	char *buf;
	size_t len;
	int rc;

	/* truncated only now: a failed run keeps an older bundle */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET)))
		return -errno;
	rc = tsm_targz_open(&t, fd);
	if (rc)
		return rc;
	json_object_deep_copy(doc, &copy, NULL);
	if (!copy) {
		rc = -ENOMEM;
		goto out;
	}
	if (redact_nonces)
		redact(copy);
	s = json_object_to_json_string_ext(
		copy, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = tsm_targz_add(t, "tsmctl-bundle/dump.json", s, strlen(s), now);
	json_object_put(copy);
	if (rc)
		goto out;
	buf = version_doc(ctx);
	rc = buf ? tsm_targz_add(t, "tsmctl-bundle/version.json", buf,
				 strlen(buf), now) :
		   -ENOMEM;
	free(buf);
	if (rc)
		goto out;
	if (ctx->trace_path) {
		buf = read_trace(ctx->trace_path, BUNDLE_TRACE_MAX, &len, &nb);
		if (buf && redact_nonces) {
			char *r = redact_trace(buf, len, &len,
					       &nb.trace_unparsed);

			free(buf);
			if (!r) {
				rc = -ENOMEM;
				goto out;
			}
			buf = r;
		}
		if (buf)
			rc = tsm_targz_add(t, "tsmctl-bundle/trace.jsonl", buf,
					   len, now);
		else
			nb.trace_read_failed = true;
		free(buf);
		if (rc)
			goto out;
	}
	buf = kmsg_lines(&len, &nb);
	if (buf)
		rc = tsm_targz_add(t, "tsmctl-bundle/kmsg.txt", buf, len, now);
	free(buf);
	if (rc)
		goto out;
	buf = readme(redact_nonces, ctx->trace_path, &nb, &len);
	rc = buf ? tsm_targz_add(t, "tsmctl-bundle/README.txt", buf, len, now) :
		   -ENOMEM;
	free(buf);
out : {
	int rc2 = tsm_targz_close(t);

	return rc ? rc : rc2;
}
}

int dump_bundle(struct tsmctl_ctx *ctx, const char *path, bool redact_nonces)
{
	int rc;

	if (ctx->bundle_fd < 0 && dump_bundle_open(ctx, path, &ctx->bundle_fd))
		return out_usage_error(ctx);
	rc = bundle_write(ctx, ctx->bundle_fd, redact_nonces);
	if (close(ctx->bundle_fd) && !rc)
		rc = -errno;
	ctx->bundle_fd = -1;
	if (rc) {
		tsm_err_set(&ctx->err, -rc, "--bundle", path,
			    "--bundle '%s': cannot write: %s", path,
			    strerror(-rc));
		return out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err, NULL);
	}
	json_object_object_add(json_object_object_get(ctx->doc, "result"),
			       "bundle", json_object_new_string(path));
	return 0;
}
