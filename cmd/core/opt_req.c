// SPDX-License-Identifier: GPL-2.0
/*
 * The request options req and set-run share (opt.h): vdevice, arch,
 * payload, force, catalogue, CCA code table. One parser, one message per
 * mistake, whichever command it was given to.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "opt.h"

int tsmctl_opt_vdevice(struct tsmctl_ctx *ctx, const char *arg,
		       const char *twice, bool *have, uint32_t *id)
{
	if (*have)
		return tsmctl_usage_error(ctx, "--vdevice", arg, "%s", twice);
	if (tsmctl_opt_u32(ctx, "--vdevice", arg, id))
		return EINVAL;
	*have = true;
	return 0;
}

static int opt_arch(struct tsmctl_ctx *ctx, const char *arg,
		    struct tsm_envelope *env)
{
	char list[64];

	if (tsm_arch_from_name(arg, &env->arch) ||
	    strcmp(arg, tsm_arch_name(env->arch))) {
		tsmctl_values_join(tsmctl_values_arch, ", ", list,
				   sizeof(list));
		return tsmctl_usage_error(
			ctx, "--arch", arg,
			"--arch '%s': unknown arch (accepted: %s)", arg, list);
	}
	env->have_arch = true;
	return 0;
}

static int opt_cca_codes(struct tsmctl_ctx *ctx, const char *arg,
			 struct tsm_envelope *env)
{
	char list[96];

	if (!tsm_cca_table_from_name(arg, &env->cca_table))
		return 0;
	tsmctl_values_join(tsmctl_values_cca_codes, ", ", list, sizeof(list));
	return tsmctl_usage_error(
		ctx, "--cca-codes", arg,
		"--cca-codes '%s': unknown table (accepted: %s)", arg, list);
}

error_t tsmctl_parse_req_opt(struct tsmctl_ctx *ctx, int key, char *arg,
			     struct tsmctl_req_opts *o)
{
	switch (key) {
	case OPT_REQ_VDEVICE:
		return tsmctl_opt_vdevice(ctx, arg, "--vdevice given twice",
					  &o->env.have_vdev,
					  &o->env.vdevice_id);
	case OPT_REQ_ARCH:
		return opt_arch(ctx, arg, &o->env);
	case OPT_REQ_IN:
		o->in = arg;
		return 0;
	case OPT_REQ_FORCE:
		o->env.force = true;
		return 0;
	case OPT_REQ_CATALOG:
		o->catalog = arg;
		return 0;
	case OPT_REQ_CCA_CODES:
		return opt_cca_codes(ctx, arg, &o->env);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* --in @FILE or -: raw bytes */
static int payload_file(struct tsmctl_ctx *ctx, const char *arg,
			struct tsm_envelope *env, long *n)
{
	int fd = !strcmp(arg, "-") ? 0 : open(arg + 1, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return tsmctl_usage_error(ctx, "--in", arg,
					  "--in '%s': cannot open: %s", arg,
					  strerror(errno));
	*n = tsm_read_fd(fd, env->payload, sizeof(env->payload));
	if (fd)
		close(fd);
	if (*n == -E2BIG)
		return tsmctl_usage_error(
			ctx, "--in", arg,
			"--in '%s': payload larger than %zu bytes", arg,
			sizeof(env->payload));
	if (*n < 0)
		return tsmctl_usage_error(ctx, "--in", arg,
					  "--in '%s': cannot read: %s", arg,
					  strerror((int)-*n));
	return 0;
}

int tsmctl_read_payload(struct tsmctl_ctx *ctx, const char *arg,
			struct tsm_envelope *env)
{
	long n = 0;

	if (arg[0] == '@' || !strcmp(arg, "-")) {
		if (payload_file(ctx, arg, env, &n))
			return EINVAL;
	} else {
		memset(&ctx->err, 0, sizeof(ctx->err));
		n = tsm_parse_hex(arg, env->payload, sizeof(env->payload),
				  "--in", &ctx->err);
		if (n < 0)
			return EINVAL;
	}
	env->payload_len = (uint32_t)n;
	env->have_payload = true;
	return 0;
}

int tsmctl_load_catalog(struct tsmctl_ctx *ctx, const char *path)
{
	if (!ctx->catalog) {
		ctx->catalog = malloc(sizeof(*ctx->catalog));
		if (!ctx->catalog)
			return -ENOMEM;
		tsm_catalog_init(ctx->catalog);
	}
	if (!path)
		return 0;
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_catalog_load(ctx->catalog, path, &ctx->err)) {
		snprintf(ctx->err.field, sizeof(ctx->err.field), "--catalog");
		return -EINVAL;
	}
	return 0;
}
