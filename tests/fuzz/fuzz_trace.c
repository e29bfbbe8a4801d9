// SPDX-License-Identifier: GPL-2.0
/*
 * A --trace file through tsmctl replay's reader (cmd/replay.c, run as
 * "replay --dry-run": everything is read and checked, nothing is sent).
 * The input is a memfd named as the TRACE argument; the profile is the
 * first "abi" the input names, so traces of every profile get past the
 * profile check.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "tsmctl.h"

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
	struct tsmctl_ctx ctx = {
		.sel = { .fd = -1, .pid = -1 },
		.abi_origin = "default",
		.trace_fd = -1,
		.bundle_fd = -1,
		.json = true,
	};
	char path[64], abi[32], a0[] = "replay", a1[] = "--dry-run";
	char *argv[] = { a0, a1, path, NULL };
	int fd = memfd_create("trace", MFD_CLOEXEC);

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ctx.cmd = tsmctl_find_cmd("replay");
	pick_abi(&ctx, data, size, abi, sizeof(abi));
	cmd_replay(&ctx, 3, argv);
	json_object_put(ctx.doc);
	free(ctx.catalog);
	free(ctx.detect);
	tsm_strbuf_free(&ctx.jbuf);
	close(fd);
	return 0;
}
