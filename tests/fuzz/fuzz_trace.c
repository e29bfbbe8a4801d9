// SPDX-License-Identifier: GPL-2.0
/*
 * A --trace file through tsmctl replay's reader (cmd/replay.c over the
 * trace module lib/trace_read.c, run as "replay --dry-run": everything is
 * read and checked, nothing is sent).
 * The input is a memfd named as the TRACE argument; the profile is the
 * first "abi" the input names, so traces of every profile get past the
 * profile check.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "builtin.h"

static void pick_abi(struct tsmctl_ctx *ctx, const uint8_t *data, size_t size,
		     char *name, size_t cap)
{
	static const char key[] = "\"abi\":\"";
	const uint8_t *p = memmem(data, size, key, sizeof(key) - 1);
	size_t n = 0;

	if (!p)
		return;
	p += sizeof(key) - 1;
	while (p + n < data + size && n + 1 < cap && p[n] != '"')
		n++;
	memcpy(name, p, n);
	name[n] = 0;
	if (tsm_profile_find(name))
		ctx->abi_name = name;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsmctl_ctx ctx;
	char path[64], abi[32], a0[] = "replay", a1[] = "--dry-run";
	char *argv[] = { a0, a1, path, NULL };
	int fd = memfd_create("trace", MFD_CLOEXEC);

	tsmctl_ctx_init(&ctx);
	ctx.json = true;
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ctx.commands = tsmctl_commands;
	ctx.ncommands = tsmctl_ncommands;
	ctx.cmd = tsmctl_find_cmd(&ctx, "replay");
	ctx.cmd_name = ctx.cmd->name;
	pick_abi(&ctx, data, size, abi, sizeof(abi));
	cmd_replay(&ctx, 3, argv);
	tsmctl_ctx_free(&ctx);
	close(fd);
	return 0;
}
