// SPDX-License-Identifier: GPL-2.0
/*
 * --trace FILE: one JSON object per kernel interaction, appended with a
 * single write(2) each, so a crash keeps every line written before it
 * (cli-contract.md §7). Never written to stdout. Write-ahead: each ioctl
 * has an intent record written before it is issued and a result record
 * with the same seq after, so a kill between the two leaves "outcome
 * unknown", never a state change missing from the trace. A netlink
 * request is written before it is sent (libnl's NL_CB_MSG_OUT runs
 * before sendmsg); tsmctl writes no sysfs attribute.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "tsmctl.h"

/* 1: no trace asked for; 0: open; -errno: asked for but not writable */
static int trace_open(struct tsmctl_ctx *ctx)
{
	const char *path = ctx->trace_path;

	if (ctx->trace_fd >= 0)
		return 0;
	if (!path) {
		path = getenv("TSMCTL_TRACE");
		if (!path || !*path)
			return 1;
		ctx->trace_path = path;
	}
	if (!*path || !strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return -EINVAL;
	ctx->trace_fd =
		open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	return ctx->trace_fd < 0 ? -errno : 0;
}

/* One record: @seq 0 takes the next one; @phase "intent", "result" or
 * NULL (a call without the pair). */
static int trace_write(struct tsmctl_ctx *ctx, const char *call,
		       unsigned int seq, const char *phase,
		       struct json_object *rec)
{
	struct json_object *line;
	struct timespec ts;
	char tbuf[40];
	int rc;

	rc = trace_open(ctx);
	if (rc) {
		json_object_put(rec);
		return rc > 0 ? 0 : rc;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(tbuf, sizeof(tbuf), "%lld.%06ld", (long long)ts.tv_sec,
		 ts.tv_nsec / 1000);
	line = json_object_new_object();
	json_add(line, "seq",
		 json_object_new_int((int)(seq ? seq : ++ctx->trace_seq)));
	json_add(line, "ts", json_object_new_string(tbuf));
	json_add(line, "pid", json_object_new_int(getpid()));
	json_add(line, "command",
		 json_object_new_string(ctx->cmd ? ctx->cmd->name : ""));
	json_add(line, "abi", json_object_new_string(ctx->profile.name));
	json_add(line, "call", json_object_new_string(call));
	if (phase)
		json_add(line, "phase", json_object_new_string(phase));
	json_object_object_foreach(rec, k, v)
		json_object_object_add(line, k, json_object_get(v));
	json_object_put(rec);
	/* one record, one write(2): O_APPEND keeps lines whole */
	ctx->jbuf.len = 0;
	rc = tsm_json_write(&ctx->jbuf, line);
	if (!rc)
		rc = tsm_strbuf_add(&ctx->jbuf, "\n", 1);
	if (!rc && write(ctx->trace_fd, ctx->jbuf.p, ctx->jbuf.len) !=
			   (ssize_t)ctx->jbuf.len)
		rc = -EIO;
	json_object_put(line);
	return rc;
}

int trace_record(struct tsmctl_ctx *ctx, const char *call,
		 struct json_object *rec)
{
	return trace_write(ctx, call, 0, NULL, rec);
}

int trace_result(struct tsmctl_ctx *ctx, unsigned int seq,
		 struct json_object *rec)
{
	return trace_write(ctx, "ioctl", seq, seq ? "result" : NULL, rec);
}

int traced_ioctl(struct tsmctl_ctx *ctx, unsigned long request, void *st,
		 struct json_object *io, struct json_object *extra,
		 struct tsm_call *call, unsigned int *seq)
{
	struct json_object *t;
	int rc;

	*seq = 0;
	if (ctx->trace_fd >= 0 && io) {
		t = extra ? extra : json_object_new_object();
		json_object_object_add(t, "ioctl", io);
		io = NULL;
		*seq = ++ctx->trace_seq;
		rc = trace_write(ctx, "ioctl", *seq, "intent", t);
		if (rc) {
			/* unrecorded, so not sent */
			call->rc = -1;
			call->err = -rc;
			call->duration_us = 0;
			return rc;
		}
	} else {
		json_object_put(extra);
	}
	json_object_put(io);
	tsm_dev_ioctl(&ctx->dev, request, st, call);
	return 0;
}

int trace_start(struct tsmctl_ctx *ctx)
{
	struct json_object *t;
	int e;

	if (ctx->trace_started || (!ctx->trace_path && !getenv("TSMCTL_TRACE")))
		return 0;
	t = json_object_new_object();
	json_add(t, "event", json_object_new_string("start"));
	json_add(t, "version", json_object_new_string(TSMCTL_VERSION));
	e = trace_record(ctx, "start", t);
	if (e == -EINVAL)
		tsmctl_usage_error(
			ctx, "--trace", ctx->trace_path,
			"--trace '%s': a trace goes to a file, never to standard output",
			ctx->trace_path);
	else if (e)
		tsmctl_usage_error(ctx, "--trace", ctx->trace_path,
				   "--trace '%s': cannot write: %s",
				   ctx->trace_path, strerror(-e));
	ctx->trace_started = !e;
	return e;
}

/*
 * One netlink message, as sent or received, with its header decoded:
 * enough for a reader to follow the pci-tsm exchange and for the bytes to
 * be fed back (cli-contract.md §7, call "netlink").
 */
void trace_netlink(void *arg, const char *dir, const void *msg, size_t len)
{
	struct tsmctl_ctx *ctx = arg;
	const struct nlmsghdr *h = msg;
	struct json_object *t, *n;

	if (ctx->trace_fd < 0 || len < sizeof(*h))
		return;
	n = json_object_new_object();
	json_add(n, "dir", json_object_new_string(dir));
	json_add(n, "nlmsg_len", json_u64(h->nlmsg_len));
	json_add(n, "nlmsg_type", json_object_new_int(h->nlmsg_type));
	json_add(n, "nlmsg_flags", json_object_new_int(h->nlmsg_flags));
	json_add(n, "nlmsg_seq", json_u64(h->nlmsg_seq));
	if (h->nlmsg_type == NLMSG_ERROR &&
	    len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		int err = e->error ? tsm_nl_errno(e->error) : 0;
		char en[16];

		json_add(n, "error", json_object_new_int(err));
		json_add(n, "error_name",
			 json_object_new_string(
				 tsm_errno_name(err, en, sizeof(en))));
	} else if (h->nlmsg_type >= NLMSG_MIN_TYPE &&
		   len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		const struct genlmsghdr *g = NLMSG_DATA(h);

		json_add(n, "genl_cmd", json_object_new_int(g->cmd));
		if (ctx->nl_family && h->nlmsg_type != GENL_ID_CTRL)
			json_add(n, "family",
				 json_object_new_string(ctx->nl_family));
	}
	json_add(n, "hex", json_hex(msg, len));
	t = json_object_new_object();
	json_add(t, "netlink", n);
	trace_record(ctx, "netlink", t);
}

void trace_ioctl_raw(struct tsmctl_ctx *ctx, unsigned int seq, const char *name,
		     unsigned long request, const void *st, size_t len,
		     struct json_object *fields, const struct tsm_call *call)
{
	struct json_object *t;

	if (ctx->trace_fd < 0) {
		json_object_put(fields);
		return;
	}
	t = json_object_new_object();
	json_add(t, "ioctl", ioctl_raw_json(name, request, st, len, fields));
	call_json_add(t, call);
	json_add(t, "duration_us", json_u64(call->duration_us));
	trace_result(ctx, seq, t);
}

void trace_close(struct tsmctl_ctx *ctx)
{
	if (ctx->trace_fd >= 0)
		close(ctx->trace_fd);
	ctx->trace_fd = -1;
}
