// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl set-run --vdevice ID --arch A [--state run|lock|unlock]: the
 * SET_TDI_STATE request with the arch's payload (cli-contract.md §4.3).
 * Where no payload is published (SEV, TDX) --in supplies one. A failed
 * state change is reported, never retried.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "tsmctl.h"

enum {
	OPT_VDEVICE = 0x400,
	OPT_ARCH,
	OPT_STATE,
	OPT_IN,
	OPT_FORCE,
	OPT_CATALOG,
	OPT_CCA_CODES,
};

static const struct argp_option set_run_options[] = {
	{ "vdevice", OPT_VDEVICE, "ID", 0, "iommufd vdevice object ID (u32)",
	  0 },
	{ "arch", OPT_ARCH, "ARCH", 0, "TVM architecture: cca, sev or tdx", 0 },
	{ "state", OPT_STATE, "STATE", 0,
	  "target TDI state, for cca only: run (default), lock or unlock", 0 },
	{ "in", OPT_IN, "HEX|@FILE|-", 0,
	  "the request payload, where the arch publishes none (SEV, TDX)", 0 },
	{ "force", OPT_FORCE, NULL, 0, "send a payload of an unexpected size",
	  0 },
	{ "catalog", OPT_CATALOG, "FILE", 0,
	  "add or override op catalogue entries from a JSON file", 0 },
	{ "cca-codes", OPT_CCA_CODES, "TABLE", 0,
	  "CCA tsm_code table: rmi-2.0 (default), rmi-1.0, rsi, rsi-da, rhi",
	  0 },
	{ 0 }
};

const struct tsmctl_optmeta set_run_meta[] = {
	{ "arch", "cca sev tdx", "" },
	{ "state", "run lock unlock", "" },
	{ "in", NULL, "file" },
	{ "catalog", NULL, "file" },
	{ "cca-codes", "rmi-2.0 rmi-1.0 rsi rsi-da rhi", "" },
	{ 0 }
};

struct set_run_args {
	struct tsmctl_ctx *ctx;
	struct tsm_envelope env;
	const char *in;
	const char *catalog;
};

static error_t set_run_parse(int key, char *arg, struct argp_state *state)
{
	struct set_run_args *a = state->input;
	struct tsmctl_ctx *ctx = a->ctx;

	switch (key) {
	case OPT_VDEVICE:
		if (a->env.have_vdev)
			return tsmctl_usage_error(ctx, "--vdevice", arg,
						  "--vdevice given twice");
		if (tsmctl_opt_u32(ctx, "--vdevice", arg, &a->env.vdevice_id))
			return EINVAL;
		a->env.have_vdev = true;
		return 0;
	case OPT_ARCH:
		return tsmctl_opt_arch(ctx, arg, &a->env);
	case OPT_STATE: /* checked by set_run_resolve, as the envelope's */
		snprintf(a->env.state, sizeof(a->env.state), "%s", arg);
		a->env.have_state = true;
		return 0;
	case OPT_IN:
		a->in = arg;
		return 0;
	case OPT_FORCE:
		a->env.force = true;
		return 0;
	case OPT_CATALOG:
		a->catalog = arg;
		return 0;
	case OPT_CCA_CODES:
		return tsmctl_opt_cca_codes(ctx, arg, &a->env);
	default:
		return tsmctl_parse_default(ctx, key, arg, state);
	}
}

const struct argp set_run_argp = {
	.options = set_run_options,
	.parser = set_run_parse,
	.args_doc = "--vdevice ID --arch ARCH [--state run|lock|unlock]",
	.doc = "Move a TDI to RUN (or LOCKED/UNLOCKED) with the SET_TDI_STATE "
	       "request (IOMMU_VDEVICE_TSM_REQ).\v"
	       "CCA sends the RHI state as a u32 (v5: the scope-era payload with "
	       "scope state-change). SEV and TDX publish no payload: give it "
	       "with --in. Quiet on success unless -v. A failed state change "
	       "may still have happened: exit status 4 (uncertain) says to "
	       "inspect the state before retrying; tsmctl never retries.",
	.children = tsmctl_global_children,
};

/* The envelope of set-run as a request: op set-tdi-state. */
int set_run_resolve(struct tsmctl_ctx *ctx, struct tsm_envelope *env,
		    bool flags, struct tsm_request *r)
{
	static const char *const map[][2] = { { "run", "run" },
					      { "lock", "locked" },
					      { "unlock", "unlocked" } };
	char field[48];
	size_t i;

	if (!env->have_arch) {
		tsmctl_usage_error(ctx, flags ? "--arch" : "arch", NULL,
				   "missing %s cca|sev|tdx",
				   flags ? "--arch" : "\"arch\"");
		return -EINVAL;
	}
	if (!env->have_state)
		snprintf(env->state, sizeof(env->state), "run");
	/* the verbs, or the state names as dump and the catalogue spell them */
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(env->state, map[i][0]) ||
		    !strcmp(env->state, map[i][1]))
			break;
	if (i == ARRAY_SIZE(map)) {
		tsmctl_usage_error(
			ctx, flags ? "--state" : "state", env->state,
			"%s '%s': accepted: run, lock (or locked), unlock (or unlocked)",
			flags ? "--state" : "\"state\"", env->state);
		return -EINVAL;
	}
	snprintf(env->op, sizeof(env->op), "set-tdi-state");
	env->have_op = true;
	env->have_scope = false;
	if (env->have_payload && env->have_state && env->arch == TSM_ARCH_CCA) {
		tsmctl_usage_error(ctx, flags ? "--in" : "payload_hex", NULL,
				   "give %s or %s for cca, not both",
				   flags ? "--state" : "\"state\"",
				   flags ? "--in" : "\"payload_hex\"");
		return -EINVAL;
	}
	if (env->have_state && env->arch != TSM_ARCH_CCA) {
		tsmctl_usage_error(
			ctx, flags ? "--state" : "state", env->state,
			"%s '%s': no SET_TDI_STATE payload is published for %s, so tsmctl cannot encode a state; give the payload with %s",
			flags ? "--state" : "\"state\"", env->state,
			tsm_arch_name(env->arch),
			flags ? "--in" : "\"payload_hex\"");
		return -EINVAL;
	}
	if (!env->have_payload && env->arch == TSM_ARCH_CCA) {
		snprintf(field, sizeof(field), "tdi_state=%s", map[i][1]);
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_envelope_add_field(env, field, "--state", &ctx->err))
			return -EINVAL;
	}
	memset(&ctx->err, 0, sizeof(ctx->err));
	return tsm_envelope_resolve(env, &ctx->profile, ctx->catalog, flags, r,
				    &ctx->err);
}

int cmd_set_run(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct set_run_args *a = calloc(1, sizeof(*a));
	struct tsm_request *r = calloc(1, sizeof(*r));
	int code = 0;

	if (!a || !r) {
		code = TSM_EXIT_FAIL;
		goto out;
	}
	a->ctx = ctx;
	a->env.cmd = TSM_ENV_SET_RUN;
	if (tsmctl_parse(ctx, &set_run_argp, argc, argv, a)) {
		code = out_usage_error(ctx);
		goto out;
	}
	if (ctx->stop)
		goto out;
	if ((a->in && tsmctl_read_payload(ctx, a->in, &a->env)) ||
	    tsmctl_resolve_abi(ctx) || tsmctl_load_catalog(ctx, a->catalog) ||
	    set_run_resolve(ctx, &a->env, true, r)) {
		code = out_usage_error(ctx);
		goto out;
	}
	out_doc(ctx);
	out_set_abi(ctx);
	ctx->quiet_text = true;
	code = exec_req(ctx, r, NULL);
	exec_close_dev(ctx);
out:
	free(a);
	free(r);
	return code;
}
