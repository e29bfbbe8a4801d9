// SPDX-License-Identifier: GPL-2.0
/*
 * --trace FILE: one JSON object per kernel interaction, appended with a
 * single write(2) each as the call completes, so a crash keeps every line
 * written before it (cli-contract.md §7). Never written to stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "tsmctl.h"

static int trace_open(struct tsmctl_ctx *ctx)
{
	const char *path = ctx->trace_path;

	if (ctx->trace_fd >= 0)
		return 0;
	if (!path) {
		path = getenv("TSMCTL_TRACE");
		if (!path || !*path)
			return -ENOENT;
		ctx->trace_path = path;
	}
	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return -EINVAL;
	ctx->trace_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			     0644);
	return ctx->trace_fd < 0 ? -errno : 0;
}

int trace_record(struct tsmctl_ctx *ctx, const char *call,
		 struct json_object *rec)
{
	struct json_object *line;
	struct timespec ts;
	const char *s;
	char tbuf[40];
	size_t len;
	int rc;

	rc = trace_open(ctx);
	if (rc) {
		json_object_put(rec);
		return rc == -ENOENT ? 0 : rc;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(tbuf, sizeof(tbuf), "%lld.%06ld", (long long)ts.tv_sec,
		 ts.tv_nsec / 1000);
	line = json_object_new_object();
	json_object_object_add(line, "seq",
			       json_object_new_int((int)++ctx->trace_seq));
	json_object_object_add(line, "ts", json_object_new_string(tbuf));
	json_object_object_add(line, "pid", json_object_new_int(getpid()));
	json_object_object_add(line, "command",
			       json_object_new_string(ctx->cmd ? ctx->cmd->name :
								 ""));
	json_object_object_add(line, "abi",
			       json_object_new_string(ctx->profile.name));
	json_object_object_add(line, "call", json_object_new_string(call));
	json_object_object_foreach(rec, k, v)
		json_object_object_add(line, k, json_object_get(v));
	json_object_put(rec);
	s = json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(s);
	{
		char *buf = malloc(len + 1);

		if (buf) {
			memcpy(buf, s, len);
			buf[len] = '\n';
			rc = write(ctx->trace_fd, buf, len + 1) ==
					     (ssize_t)(len + 1) ?
				     0 :
				     -EIO;
			free(buf);
		} else {
			rc = -ENOMEM;
		}
	}
	json_object_put(line);
	return rc;
}

void trace_close(struct tsmctl_ctx *ctx)
{
	if (ctx->trace_fd >= 0)
		close(ctx->trace_fd);
	ctx->trace_fd = -1;
}
