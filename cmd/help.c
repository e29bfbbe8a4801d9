// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl help [COMMAND]: open the man page (ndctl help_show_man_page).
 * A page next to the binary (the build tree, or PREFIX/share/man when
 * installed) is preferred, so the page always matches the binary.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "builtin.h"
#include "core/out.h"

static bool local_page(const char *page, char *out, size_t len)
{
	static const char *const rel[] = { "man", "../man",
					   "../share/man/man8" };
	char exe[PATH_MAX - 64];
	struct stat st;
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = 0;
	dirname(exe);
	for (i = 0; i < ARRAY_SIZE(rel); i++) {
		if (snprintf(out, len, "%s/%s/%s.8", exe, rel[i], page) >=
		    (int)len)
			continue;
		if (!stat(out, &st) && S_ISREG(st.st_mode))
			return true;
	}
	return false;
}

int cmd_help(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	const struct tsmctl_cmd *c = NULL;
	char page[64], path[PATH_MAX + 128];
	bool local;

	if (argc > 2) {
		tsmctl_usage_error(ctx, "COMMAND", argv[2],
				   "help takes one COMMAND, got '%s' too",
				   argv[2]);
		return out_usage_error(ctx);
	}
	if (argc == 2 && strcmp(argv[1], "tsmctl")) {
		c = tsmctl_find_cmd(ctx, argv[1]);
		if (!c || (c->flags & CMD_HIDDEN)) {
			char list[160];

			const char *near = tsmctl_nearest_cmd(ctx, argv[1]);

			tsmctl_command_list(ctx, list, sizeof(list), false);
			tsmctl_usage_error(
				ctx, "COMMAND", argv[1],
				"no help for unknown command '%s' (accepted: %s)",
				argv[1], list);
			if (near)
				snprintf(ctx->err.hint, sizeof(ctx->err.hint),
					 "did you mean 'tsmctl help %s'?",
					 near);
			return out_usage_error(ctx);
		}
	}
	snprintf(page, sizeof(page), "tsmctl%s%s", c ? "-" : "",
		 c ? c->name : "");
	local = local_page(page, path, sizeof(path));
	if (ctx->json) {
		struct json_object *r = json_object_new_object();

		json_add(r, "man_page", json_object_new_string(page));
		json_add(r, "section", json_object_new_int(8));
		if (local)
			json_add(r, "path", json_object_new_string(path));
		out_set(ctx, "result", r);
		return 0;
	}
	fflush(stdout);
	if (local)
		execlp("man", "man", "-l", path, (char *)NULL);
	else
		execlp("man", "man", "8", page, (char *)NULL);
	{
		struct tsm_err e = { .err = errno };

		snprintf(e.msg, sizeof(e.msg),
			 "cannot run man(1) for %s(8): %s", page,
			 strerror(errno));
		snprintf(e.hint, sizeof(e.hint),
			 "install man-db, or read 'tsmctl %s--help'",
			 c ? c->name : "");
		if (c)
			snprintf(e.hint, sizeof(e.hint),
				 "install man-db, or read 'tsmctl %s --help'",
				 c->name);
		return out_error(ctx, TSM_EXIT_FAIL, "help", &e);
	}
}
