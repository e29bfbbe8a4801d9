// SPDX-License-Identifier: GPL-2.0
/*
 * dump --bundle FILE: one tar.gz a bug reporter attaches: dump.json (the
 * dump document), version.json (what tsmctl -j --version prints),
 * trace.jsonl (the --trace file, if any), kmsg.txt (the newest kernel
 * messages about tsm, tdisp, PCIe IDE or iommufd, in dmesg form, when
 * readable) and
 * README.txt. Nonces are redacted unless --no-redact (docs/cli-contract.md
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

#include "bundle.h"
#include "kmsg.h"
#include "targz.h"
#include "core/about.h"
#include "core/opt.h"
#include "core/out.h"
#include "dump.h"

/* kmsg.txt keeps the newest matching messages up to this. */
#define BUNDLE_KMSG_MAX ((size_t)64 << 10)
/* A /dev/kmsg read needs room for a whole record (CONSOLE_EXT_LOG_MAX). */
#define KMSG_REC_MAX 8192

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
	struct tsm_emit em;
	char *s = NULL;

	if (!v)
		return NULL;
	tsmctl_ctx_init(v);
	v->json = true;
	/* the dump's profile and where it came from (not "option") */
	v->abi_name = ctx->profile.name;
	if (ctx->have_profile) {
		v->profile = ctx->profile;
		v->have_profile = true;
		v->abi_source = ctx->abi_source;
	}
	tsm_emit_tree(&em, out_doc(v));
	about_emit(&em, v);
	if (asprintf(&s, "%s\n",
		     json_object_to_json_string_ext(
			     out_doc(v),
			     JSON_C_TO_STRING_PLAIN |
				     JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		s = NULL;
	tsmctl_ctx_free(v);
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
	fputs("tsmctl bug-report bundle: dump.json (tsmctl -j dump), evidence/\n"
	      "(each evidence object read, as BDF/TYPE.bin: tsmctl dump --decode\n"
	      "TYPE=FILE decodes one), version.json (tsmctl -j --version),\n"
	      "trace.jsonl (the --trace file given with dump, if any), kmsg.txt\n"
	      "(the newest 64 KiB of kernel messages about tsm/tdisp/PCIe IDE/\n"
	      "iommufd, as dmesg prints them). Nonces are zeroed unless the bundle\n"
	      "was made with --no-redact: in dump.json and evidence/, and in\n"
	      "trace.jsonl the evidence messages received are zeroed after their\n"
	      "headers, the NONCE attribute of the evidence requests sent, the\n"
	      "nonce_hex of TSM_REQ requests and the nonce values of the command\n"
	      "lines.\n",
	      f);
	fprintf(f, "\nThis bundle: nonces %s.\n",
		redacted ? "redacted" : "NOT redacted (--no-redact)");
	if (!nb->evidence)
		fputs("evidence/: none, no evidence object was read (dump.json's\n"
		      "evidence section says why).\n",
		      f);
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
	if (nb->runs && nb->runs_len)
		fprintf(f,
			"\nRuns in trace.jsonl (command line from each start record, exit\n"
			"status from each end record):\n%s",
			nb->runs);
	if (nb->unknown)
		fprintf(f,
			"trace.jsonl: %lu call(s) with an intent record and no result: tsmctl\n"
			"stopped during the call, whose outcome is unknown (the change may\n"
			"have happened); replay re-issues them and exits 4.\n",
			nb->unknown);
	if (nb->kmsg_dropped)
		fprintf(f,
			"kmsg.txt: %lu older matching message(s) left out.\n",
			nb->kmsg_dropped);
	if (nb->kmsg_none)
		fprintf(f,
			"kmsg.txt: empty: no kernel message mentions tsm, tdisp, PCIe IDE or iommufd.\n");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int bundle_write(struct tsmctl_ctx *ctx, int fd, bool redact_nonces)
{
	struct bundle_notes nb = { 0 };
	struct tsm_targz *t = NULL;
	time_t now = time(NULL);
	struct stat st;
	char *buf;
	size_t len;
	int rc;

	/* truncated only now: a failed run keeps an older bundle */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET)))
		return -errno;
	rc = tsm_targz_open(&t, fd, &ctx->err);
	if (rc)
		return rc;
	rc = bundle_add_doc(t, out_doc(ctx), ctx->bytes, redact_nonces, now);
	if (!rc)
		rc = bundle_add_evidence(t, ctx->bytes, redact_nonces, now,
					 &nb.evidence);
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
		rc = bundle_add_trace(t, ctx->trace_path, redact_nonces, &nb,
				      now);
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

	free(nb.runs);
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
	if (rc == -ELIBACC) {
		tsm_err_prefix(&ctx->err, "--bundle");
		return out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err);
	}
	if (rc) {
		tsm_err_set(&ctx->err, -rc, "--bundle", path,
			    "--bundle '%s': cannot write: %s", path,
			    strerror(-rc));
		return out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err);
	}
	json_object_object_add(json_object_object_get(ctx->doc, "result"),
			       "bundle", json_object_new_string(path));
	return 0;
}
