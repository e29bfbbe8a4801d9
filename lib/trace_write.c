// SPDX-License-Identifier: GPL-2.0
/*
 * The trace writer (trace.h): each record built as one line of compact
 * JSON by lib/emit.c (no tree) and appended with a single write(2), so a
 * crash keeps every line written before it and O_APPEND keeps lines
 * whole. Never written to standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "link_emit.h"
#include "nl.h"
#include "trace.h"

int tsm_trace_open(struct tsm_trace_w *w, const char *path)
{
	if (w->fd >= 0)
		return 0;
	if (!*path || !strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return -EINVAL;
	/* read too: the seqs other processes appended (take_seq()) */
	w->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (w->fd < 0 && errno == EACCES)
		w->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			     0644);
	w->pid = getpid();
	w->end = 0;
	return w->fd < 0 ? -errno : 0;
}

void tsm_trace_close(struct tsm_trace_w *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	tsm_strbuf_free(&w->buf);
	tsm_strbuf_free(&w->tail);
	tsm_desc_cache_free(&w->desc);
}

/* ",\"pid\":P,\"command\":C,\"abi\":A,\"call\":": the same in
 * every record of a run but for a profile switch (replay), kept */
static const char *begin_tail(struct tsm_trace_w *w, size_t *n)
{
	const char *cmd = w->command ? w->command : "";
	const char *abi = w->abi ? w->abi : "";
	struct tsm_emit em;

	if (w->tail.len && w->tail_cmd == cmd && !strcmp(w->tail_abi, abi)) {
		*n = w->tail.len;
		return w->tail.p;
	}
	w->tail.len = 0;
	tsm_emit_text(&em, &w->tail);
	em.more[0] = true;
	tsm_emit_i64(&em, "pid", w->pid);
	tsm_emit_str(&em, "command", cmd);
	tsm_emit_str(&em, "abi", abi);
	w->tail_cmd = cmd;
	snprintf(w->tail_abi, sizeof(w->tail_abi), "%s", abi);
	*n = em.err ? 0 : w->tail.len;
	return w->tail.p;
}

/* "%lld.%06ld" of the time now into @buf (24 bytes), without printf */
static const char *timestamp(char *buf)
{
	struct timespec ts;
	long us;
	int i = 23;

	clock_gettime(CLOCK_REALTIME, &ts);
	buf[i] = 0;
	for (us = ts.tv_nsec / 1000; i > 17; us /= 10)
		buf[--i] = (char)('0' + us % 10);
	buf[--i] = '.';
	do {
		buf[--i] = (char)('0' + ts.tv_sec % 10);
		ts.tv_sec /= 10;
	} while (ts.tv_sec && i > 0);
	return buf + i;
}

/*
 * The "seq" at the start of each line of @p[0..@n) into w->seq; *@at_start:
 * @p starts a line. Returns the bytes consumed: a line start too near
 * the end of @p to hold its seq is left for the next read, unless @last.
 */
static size_t note_seqs(struct tsm_trace_w *w, const char *p, size_t n,
			bool *at_start, bool last)
{
	static const char key[] = "{\"seq\":";
	const char *s = p, *e = p + n;

	while (s < e) {
		const char *nl;

		if (*at_start && !last && e - s < 32)
			break;
		nl = memchr(s, '\n', (size_t)(e - s));
		if (*at_start && (size_t)(e - s) > sizeof(key) &&
		    !memcmp(s, key, sizeof(key) - 1)) {
			unsigned long v =
				strtoul(s + sizeof(key) - 1, NULL, 10);

			if (v > w->seq && v < 0xffffffffUL)
				w->seq = (unsigned int)v;
		}
		*at_start = nl != NULL;
		s = nl ? nl + 1 : e;
	}
	return (size_t)(s - p);
}

/*
 * Under an exclusive flock of the file, held until finish(): the seqs
 * appended by other processes since our last write are read, so that the
 * next seq is unique in the file (docs/cli-contract.md, "Traces"). Their
 * result records are not needed: each repeats the seq of an intent
 * written before it, under the lock. A file that cannot be locked or
 * read (a FIFO) keeps our own count.
 */
static void take_seq(struct tsm_trace_w *w)
{
	struct stat st;
	char chunk[4096];
	long long off;
	bool at_start = true;
	ssize_t r;
	size_t used;

	w->locked = !flock(w->fd, LOCK_EX);
	if (!w->locked || fstat(w->fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size == w->end)
		return;
	for (off = w->end; off < st.st_size; off += (long long)used) {
		r = pread(w->fd, chunk, sizeof(chunk), off);
		if (r <= 0)
			break;
		used = note_seqs(w, chunk, (size_t)r, &at_start,
				 off + r >= st.st_size);
		if (!used)
			break;
	}
	w->end = st.st_size;
}

/* The members every record starts with; @seq 0 takes the next one. */
static void begin(struct tsm_trace_w *w, struct tsm_emit *em, const char *call,
		  unsigned int seq, enum tsm_trace_phase phase)
{
	const char *tail;
	char tbuf[24];
	size_t n;

	w->buf.len = 0;
	tsm_emit_text(em, &w->buf);
	tsm_emit_obj(em, NULL);
	if (!seq) {
		take_seq(w);
		seq = ++w->seq;
	}
	tsm_emit_u64(em, "seq", seq);
	tsm_emit_str(em, "ts", timestamp(tbuf));
	tail = begin_tail(w, &n);
	if (!em->err)
		em->err = tsm_strbuf_add(&w->buf, tail, n);
	tsm_emit_str(em, "call", call);
	if (w->batch_line)
		tsm_emit_u64(em, "batch_line", w->batch_line);
	if (phase != TSM_TRACE_ONCE)
		tsm_emit_str(em, "phase",
			     phase == TSM_TRACE_INTENT ? "intent" : "result");
}

/*
 * @n bytes at @p: 0 or -errno. A write cut short (a file size limit, a
 * full disk) goes on with the rest, so the error is the real one (EFBIG,
 * ENOSPC), never a guess.
 */
static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* @rc, the first failure kept in w->err (trace.h) */
static int keep_err(struct tsm_trace_w *w, int rc)
{
	if (rc && !w->err)
		w->err = rc;
	return rc;
}

/* Close the record and write it: one line, one write(2). */
static int finish(struct tsm_trace_w *w, struct tsm_emit *em)
{
	struct stat st;
	int rc = 0;

	tsm_emit_end(em);
	if (!em->err)
		em->err = tsm_strbuf_add(&w->buf, "\n", 1);
	if (em->err)
		rc = em->err;
	else
		rc = write_all(w->fd, w->buf.p, w->buf.len);
	if (w->locked) {
		/* what we wrote holds no seq above w->seq: skip it */
		if (!rc && !fstat(w->fd, &st))
			w->end = st.st_size;
		flock(w->fd, LOCK_UN);
		w->locked = false;
	}
	return keep_err(w, rc);
}

int tsm_trace_start(struct tsm_trace_w *w, const char *version,
		    char *const *argv, const char *abi_source)
{
	struct tsm_emit em;

	if (w->fd < 0)
		return 0;
	begin(w, &em, "start", 0, TSM_TRACE_ONCE);
	tsm_emit_str(&em, "event", "start");
	tsm_emit_str(&em, "version", version);
	if (argv) {
		tsm_emit_arr(&em, "argv");
		for (; *argv; argv++)
			tsm_emit_str_k(&em, (struct tsm_key){ 0 }, *argv);
		tsm_emit_end(&em);
	}
	if (abi_source)
		tsm_emit_str(&em, "abi_source", abi_source);
	return finish(w, &em);
}

int tsm_trace_end(struct tsm_trace_w *w, int status)
{
	struct tsm_emit em;

	if (w->fd < 0)
		return 0;
	begin(w, &em, "end", 0, TSM_TRACE_ONCE);
	tsm_emit_i64(&em, "exit_status", status);
	return finish(w, &em);
}

int tsm_trace_open_rec(struct tsm_trace_w *w, const char *device, int fd,
		       int err)
{
	struct tsm_emit em;

	if (w->fd < 0)
		return 0;
	begin(w, &em, "open", 0, TSM_TRACE_ONCE);
	tsm_emit_str(&em, "device", device);
	if (err)
		tsm_emit_i64(&em, "errno", err);
	else
		tsm_emit_i64(&em, "fd", fd);
	return finish(w, &em);
}

static void ioctl_desc(struct tsm_trace_w *w, struct tsm_emit *em,
		       const struct tsm_trace_ioctl *r)
{
	struct tsm_image img;

	if (r->layout) { /* never a pointer of this process in a trace */
		img = *r->img;
		tsm_image_set(r->layout, &img, TSM_F_REQ_UPTR, 0);
		tsm_image_set(r->layout, &img, TSM_F_RESP_UPTR, 0);
		tsm_describe_ioctl_cached(em, &w->desc, "ioctl", r->name,
					  r->layout, &img, r->kind, r->is_op);
	} else
		tsm_describe_raw(em, "ioctl", r->name, r->request, r->img->b,
				 r->img->len, r->fields, r->fields_json);
}

static void request_desc(struct tsm_emit *em, const struct tsm_trace_ioctl *r)
{
	if (r->request_json)
		tsm_emit_json(em, "request", json_object_get(r->request_json));
	else if (r->req)
		tsm_describe_request(em, "request", r->p, r->req);
}

static void call_result(struct tsm_emit *em, const struct tsm_trace_ioctl *r)
{
	char ename[16];
	uint64_t code;

	tsm_emit_i64(em, "rc", r->call->rc);
	tsm_emit_i64(em, "errno", r->call->err);
	tsm_emit_str(em, "errno_name",
		     tsm_errno_name(r->call->err, ename, sizeof(ename)));
	if (r->req_result) {
		tsm_emit_i64(em, "residue", r->residue);
		if (r->layout &&
		    tsm_image_get(r->layout, r->img, TSM_F_TSM_CODE, &code))
			tsm_emit_u64(em, "tsm_code", code);
		tsm_emit_hex(em, "response_hex", r->resp, r->resp_len);
	}
	tsm_emit_u64(em, "duration_us", r->call->duration_us);
}

/*
 * Key order, as tsmctl has always written them: a replayed call names the
 * recorded one first; an intent holds the request before the struct, a
 * result the struct first.
 */
int tsm_trace_ioctl(struct tsm_trace_w *w, enum tsm_trace_phase phase,
		    unsigned int seq, const struct tsm_trace_ioctl *r)
{
	bool first = r->replay_of || phase == TSM_TRACE_INTENT;
	struct tsm_emit em;

	if (w->fd < 0)
		return 0;
	begin(w, &em, "ioctl", seq, phase);
	if (r->replay_of)
		tsm_emit_i64(&em, "replay_of", r->replay_of);
	if (first)
		request_desc(&em, r);
	ioctl_desc(w, &em, r);
	if (!first)
		request_desc(&em, r);
	if (phase != TSM_TRACE_INTENT)
		call_result(&em, r);
	return finish(w, &em);
}

int tsm_trace_sysfs(struct tsm_trace_w *w, enum tsm_trace_phase phase,
		    unsigned int seq, const struct tsm_trace_sysfs *r)
{
	struct tsm_emit em;
	char ename[16];

	if (w->fd < 0)
		return 0;
	begin(w, &em, "sysfs", seq, phase);
	if (r->replay_of)
		tsm_emit_i64(&em, "replay_of", r->replay_of);
	tsm_emit_obj(&em, "sysfs");
	tsm_emit_str(&em, "step", r->step);
	tsm_link_emit_write(&em, r->w);
	tsm_emit_str(&em, "root", r->root);
	tsm_emit_str(&em, "bdf", r->bdf);
	tsm_emit_end(&em);
	if (phase != TSM_TRACE_INTENT) {
		tsm_emit_i64(&em, "errno", r->err);
		tsm_emit_str(&em, "errno_name",
			     tsm_errno_name(r->err, ename, sizeof(ename)));
		tsm_emit_str(&em, "completion",
			     tsm_completion_name(r->completion));
		if (r->readback)
			tsm_link_emit_state(&em, "readback", r->readback);
		tsm_emit_u64(&em, "duration_us", r->duration_us);
	}
	return finish(w, &em);
}

/* The header of one netlink message, decoded */
static void nl_header(struct tsm_trace_w *w, struct tsm_emit *em,
		      const struct nlmsghdr *h, size_t len)
{
	tsm_emit_u64(em, "nlmsg_len", h->nlmsg_len);
	tsm_emit_i64(em, "nlmsg_type", h->nlmsg_type);
	tsm_emit_i64(em, "nlmsg_flags", h->nlmsg_flags);
	tsm_emit_u64(em, "nlmsg_seq", h->nlmsg_seq);
	if (h->nlmsg_type == NLMSG_ERROR &&
	    len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		int err = e->error ? tsm_nl_errno(e->error) : 0;
		char en[16];

		tsm_emit_i64(em, "error", err);
		tsm_emit_str(em, "error_name",
			     tsm_errno_name(err, en, sizeof(en)));
	} else if (h->nlmsg_type >= NLMSG_MIN_TYPE &&
		   len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		const struct genlmsghdr *g = NLMSG_DATA(h);

		tsm_emit_i64(em, "genl_cmd", g->cmd);
		if (w->nl_family && h->nlmsg_type != GENL_ID_CTRL)
			tsm_emit_str(em, "family", w->nl_family);
	}
}

/*
 * One netlink message, as sent or received: enough for a reader to follow
 * the exchange and for the bytes to be fed back.
 */
void tsm_trace_netlink(void *arg, const char *dir, const void *msg, size_t len)
{
	struct tsm_trace_w *w = arg;
	struct tsm_emit em;

	if (w->fd < 0 || len < sizeof(struct nlmsghdr))
		return;
	begin(w, &em, "netlink", 0, TSM_TRACE_ONCE);
	tsm_emit_obj(&em, "netlink");
	tsm_emit_str(&em, "dir", dir);
	nl_header(w, &em, msg, len);
	tsm_emit_hex(&em, "hex", msg, len);
	tsm_emit_end(&em);
	finish(w, &em);
}
