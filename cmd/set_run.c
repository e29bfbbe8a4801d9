// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl set-run --vdevice ID --arch A [--state run|lock|unlock]: the
 * SET_TDI_STATE request with the arch's payload (docs/cli-contract.md §4.3).
 * Where no payload is published (SEV, TDX) --in supplies one. A failed
 * state change is reported, never retried.
 */
#include <errno.h>
#include <string.h>

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/render.h"

enum { OPT_STATE = OPT_REQ_NEXT };

static const struct tsmctl_opt set_run_opts[] = {
	{ "vdevice", OPT_REQ_VDEVICE, "ID", "iommufd vdevice object ID (u32)" },
	{ "arch", OPT_REQ_ARCH, "ARCH", "TVM architecture: cca, sev or tdx",
	  .values = tsmctl_values_arch },
	{ "state", OPT_STATE, "STATE",
	  "target TDI state, for cca only: run (default), lock or unlock",
	  .values = tsmctl_values_state },
	{ "in", OPT_REQ_IN, "HEX|@FILE|-",
	  "the request payload, where the arch publishes none (SEV, TDX)",
	  .complete = "file" },
	{ "force", OPT_REQ_FORCE, NULL,
	  "send a payload of an unexpected size" },
	{ "catalog", OPT_REQ_CATALOG, "FILE",
	  "add or override op catalogue entries from a JSON file",
	  .complete = "file" },
	{ "cca-codes", OPT_REQ_CCA_CODES, "TABLE",
	  "CCA tsm_code table: rmi-2.0 (default), rmi-1.0, rsi, rsi-da, rhi",
	  .values = tsmctl_values_cca_codes },
	{ 0 }
};

struct set_run_args {
	struct tsmctl_ctx *ctx;
	struct tsmctl_req_opts o;
};

static error_t set_run_parse(int key, char *arg, struct argp_state *state)
{
	struct set_run_args *a = state->input;
	error_t rc;

	if (key == OPT_STATE) { /* checked when resolved, as the envelope's */
		snprintf(a->o.env.state, sizeof(a->o.env.state), "%s", arg);
		a->o.env.have_state = true;
		return 0;
	}
	rc = tsmctl_parse_req_opt(a->ctx, key, arg, &a->o);
	if (rc == ARGP_ERR_UNKNOWN)
		rc = tsmctl_parse_default(a->ctx, key, arg, state);
	return rc;
}

const struct tsmctl_spec set_run_spec = {
	.opts = set_run_opts,
	.parser = set_run_parse,
	.args_doc = "--vdevice ID --arch ARCH [--state run|lock|unlock]",
	.doc = "Move a TDI to RUN (or LOCKED/UNLOCKED) with the SET_TDI_STATE "
	       "request (IOMMU_VDEVICE_TSM_REQ).\v"
	       "CCA sends the RHI state as a u32 (v5: the scope-era payload with "
	       "scope state-change). SEV and TDX publish no payload: give it "
	       "with --in. Quiet on success unless -v. A failed state change "
	       "may still have happened: exit status 4 (uncertain) says to "
	       "inspect the state before retrying; tsmctl never retries. This "
	       "is the host side (what the VMM forwards); inside a guest "
	       "(staging kernels) the guest's own steps are tsmctl lock, accept "
	       "and unlock.",
};

static int set_run_run(struct tsmctl_ctx *ctx, struct set_run_args *a,
		       struct tsm_request *r)
{
	struct tsm_outcome oc;
	int code;

	if ((a->o.in && tsmctl_read_payload(ctx, a->o.in, &a->o.env)) ||
	    tsmctl_resolve_abi(ctx) || tsmctl_load_catalog(ctx, a->o.catalog))
		return out_usage_error(ctx);
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_setrun_resolve(&a->o.env, &ctx->profile, ctx->catalog, true, r,
			       &ctx->err))
		return out_usage_error(ctx);
	out_doc(ctx);
	out_set_abi(ctx);
	ctx->quiet_text = true;
	exec_req(ctx, r, NULL, &oc);
	code = render_outcome(ctx, &oc);
	tsm_outcome_free(&oc);
	exec_close_dev(ctx);
	return code;
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
	a->o.env.cmd = TSM_ENV_SET_RUN;
	if (tsmctl_parse(ctx, &set_run_spec, argc, argv, a, NULL))
		code = out_usage_error(ctx);
	else if (!ctx->stop)
		code = set_run_run(ctx, a, r);
out:
	free(a);
	free(r);
	return code;
}
