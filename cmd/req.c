// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl req: one TSM_REQ from flags or a JSON envelope (docs/cli-contract.md
 * §4.2), and the offline tsm_code decoder (--decode-tsm-code).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/render.h"

enum {
	OPT_OP = OPT_REQ_NEXT,
	OPT_SCOPE,
	OPT_FIELD,
	OPT_RESP_LEN,
	OPT_OUT,
	OPT_ENVELOPE,
	OPT_DECODE,
};

static const struct tsmctl_opt req_opts[] = {
	{ "vdevice", OPT_REQ_VDEVICE, "ID", "iommufd vdevice object ID (u32)" },
	{ "arch", OPT_REQ_ARCH, "ARCH", "TVM architecture: cca, sev or tdx",
	  .values = tsmctl_values_arch },
	{ "op", OPT_OP, "NAME|NUMBER",
	  "request op from the catalogue (e.g. validate-mmio), or a number",
	  .values = tsmctl_values_ops },
	{ "scope", OPT_SCOPE, "SCOPE",
	  "v5 only: info, state-change, debug-read or debug-write (needs --force)",
	  .values = tsmctl_values_scope },
	{ "in", OPT_REQ_IN, "HEX|@FILE|-",
	  "request payload: hex bytes (spaces and colons allowed), or raw bytes from FILE or stdin",
	  .complete = "file" },
	{ "field", OPT_FIELD, "NAME=VALUE",
	  "set a payload field of the op (repeat); VALUE is a number or a value name" },
	{ "resp-len", OPT_RESP_LEN, "N",
	  "response buffer size (default: the op's natural response size)" },
	{ "out", OPT_OUT, "FILE", "write the raw response bytes to FILE",
	  .complete = "file" },
	{ "envelope", OPT_ENVELOPE, "FILE|-",
	  "read the request as one JSON envelope from FILE or stdin",
	  .complete = "file" },
	{ "force", OPT_REQ_FORCE, NULL,
	  "send unknown op numbers, the debug-write scope or odd payload sizes" },
	{ "catalog", OPT_REQ_CATALOG, "FILE",
	  "add or override op catalogue entries from a JSON file",
	  .complete = "file" },
	{ "cca-codes", OPT_REQ_CCA_CODES, "TABLE",
	  "CCA tsm_code table: rmi-2.0 (default), rmi-1.0, rsi, rsi-da, rhi",
	  .values = tsmctl_values_cca_codes },
	{ "decode-tsm-code", OPT_DECODE, "CODE",
	  "decode a tsm_code value for --arch offline (no kernel call)" },
	{ 0 }
};

struct req_args {
	struct tsmctl_ctx *ctx;
	struct tsmctl_req_opts o;
	const char *out;
	const char *envelope;
	const char *decode;
	bool flags_used; /* request flags besides --envelope */
};

/* The request's own options: op, scope, field, resp-len */
static error_t req_own(struct tsmctl_ctx *ctx, int key, char *arg,
		       struct tsm_envelope *env)
{
	uint64_t v;

	switch (key) {
	case OPT_OP:
		if (!*arg || strlen(arg) >= sizeof(env->op))
			return tsmctl_usage_error(
				ctx, "--op", arg,
				"--op '%s': expected an op name or number",
				arg);
		snprintf(env->op, sizeof(env->op), "%s", arg);
		env->have_op = true;
		return 0;
	case OPT_SCOPE:
		snprintf(env->scope, sizeof(env->scope), "%s", arg);
		env->have_scope = true;
		return 0;
	case OPT_FIELD:
		memset(&ctx->err, 0, sizeof(ctx->err));
		return tsm_envelope_add_field(env, arg, "--field", &ctx->err) ?
			       EINVAL :
			       0;
	case OPT_RESP_LEN:
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_parse_u64(arg, TSM_RESP_MAX, "--resp-len", &v,
				  &ctx->err))
			return EINVAL;
		env->resp_len = (uint32_t)v;
		env->have_resp_len = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static error_t req_parse(int key, char *arg, struct argp_state *state)
{
	struct req_args *a = state->input;
	struct tsmctl_ctx *ctx = a->ctx;
	error_t rc;

	switch (key) {
	case OPT_ENVELOPE:
		a->envelope = arg;
		return 0;
	case OPT_DECODE:
		a->decode = arg;
		return 0;
	case OPT_OUT:
		a->out = arg;
		return 0;
	case OPT_REQ_IN:
		if (a->o.in)
			return tsmctl_usage_error(ctx, "--in", arg,
						  "--in given twice");
		/* fall through */
	case OPT_REQ_VDEVICE:
	case OPT_REQ_ARCH:
	case OPT_OP:
	case OPT_SCOPE:
	case OPT_FIELD:
	case OPT_RESP_LEN:
		a->flags_used = true;
		break;
	default:
		break;
	}
	rc = tsmctl_parse_req_opt(ctx, key, arg, &a->o);
	if (rc == ARGP_ERR_UNKNOWN)
		rc = req_own(ctx, key, arg, &a->o.env);
	if (rc == ARGP_ERR_UNKNOWN)
		rc = tsmctl_parse_default(ctx, key, arg, state);
	return rc;
}

const struct tsmctl_spec req_spec = {
	.opts = req_opts,
	.parser = req_parse,
	.args_doc = "--vdevice ID --arch ARCH --op OP [PAYLOAD]\n"
		    "--vdevice ID --scope SCOPE [PAYLOAD]  (v5)\n"
		    "--envelope FILE|-\n--arch ARCH --decode-tsm-code CODE",
	.doc = "Send one TSM request (IOMMU_VDEVICE_TSM_REQ) and print its three "
	       "result channels (errno, residue, tsm_code), the completion state "
	       "and the decoded response.\v"
	       "PAYLOAD is --in HEX|@FILE|- or --field NAME=VALUE repeated. "
	       "Exit status: 0 done, 1 refused by the kernel, 2 bad input "
	       "(nothing sent), 3 the TSM reported failure, 4 uncertain "
	       "completion (inspect state before retrying), 5 not supported.",
};

static int decode_offline(struct tsmctl_ctx *ctx, struct req_args *a)
{
	struct tsm_envelope *env = &a->o.env;
	struct tsm_emit em;
	uint64_t code;

	if (a->envelope || a->o.in || a->out || env->have_vdev ||
	    env->have_op || env->have_scope || env->nfields ||
	    env->have_resp_len) {
		tsmctl_usage_error(
			ctx, "--decode-tsm-code", a->decode,
			"--decode-tsm-code decodes offline: it takes only --arch and --cca-codes");
		return out_usage_error(ctx);
	}
	if (!env->have_arch) {
		tsmctl_usage_error(
			ctx, "--arch", NULL,
			"--decode-tsm-code needs --arch cca|sev|tdx");
		return out_usage_error(ctx);
	}
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_parse_u64(a->decode, UINT64_MAX, "--decode-tsm-code", &code,
			  &ctx->err))
		return out_usage_error(ctx);
	tsm_emit_tree(&em, out_doc(ctx));
	render_tsm_code(&em, "result", env->arch, env->cca_table, code);
	return 0;
}

/* --envelope FILE|-: one "req" envelope, in place of the flags */
static int read_envelope(struct tsmctl_ctx *ctx, struct req_args *a)
{
	char buf[64 * 1024 + 1];
	long n;
	int fd;

	if (a->flags_used || a->o.in)
		return tsmctl_usage_error(
			ctx, "--envelope", a->envelope,
			"--envelope replaces the request flags (--vdevice, --arch, --op, --scope, --in, --field, --resp-len)");
	fd = !strcmp(a->envelope, "-") ?
		     0 :
		     open(a->envelope, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -errno : tsm_read_fd(fd, (uint8_t *)buf, sizeof(buf) - 1);
	if (fd > 0)
		close(fd);
	if (n < 0)
		return tsmctl_usage_error(ctx, "--envelope", a->envelope,
					  "--envelope '%s': %s", a->envelope,
					  n == -E2BIG ? "larger than 64 KiB" :
							strerror((int)-n));
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_envelope_parse(buf, (size_t)n, "envelope", &a->o.env,
			       &ctx->err))
		return EINVAL;
	if (a->o.env.cmd == TSM_ENV_REQ)
		return 0;
	return tsmctl_usage_error(
		ctx, "command", tsm_env_cmd_name(a->o.env.cmd),
		"\"command\": req --envelope takes \"req\" envelopes (use batch for %s)",
		tsm_env_cmd_name(a->o.env.cmd));
}

/* The request from the flags or the envelope, resolved: 0 or -EINVAL */
static int req_resolve(struct tsmctl_ctx *ctx, struct req_args *a,
		       struct tsm_request *r)
{
	if (a->envelope ?
		    read_envelope(ctx, a) :
		    a->o.in && tsmctl_read_payload(ctx, a->o.in, &a->o.env))
		return -EINVAL;
	if (tsmctl_resolve_abi(ctx) || tsmctl_load_catalog(ctx, a->o.catalog))
		return -EINVAL;
	out_doc(ctx);
	out_set_abi(ctx);
	memset(&ctx->err, 0, sizeof(ctx->err));
	return tsm_envelope_resolve(&a->o.env, &ctx->profile, ctx->catalog,
				    !a->envelope, r, &ctx->err);
}

static int req_run(struct tsmctl_ctx *ctx, struct req_args *a,
		   struct tsm_request *r)
{
	struct exec_out out = { .path = a->out, .fd = -1 };
	struct tsm_outcome oc;
	int code;

	if (req_resolve(ctx, a, r))
		return out_usage_error(ctx);
	/* a state change is quiet on success in text mode unless -v
	 * (docs/cli-contract.md, "Output"), as set-run; an info op prints
	 * its result */
	ctx->quiet_text = r->state_change;
	exec_req(ctx, r, a->out ? &out : NULL, &oc);
	exec_out_write(ctx, a->out ? &out : NULL, &oc);
	code = render_outcome(ctx, &oc);
	tsm_outcome_free(&oc);
	exec_close_dev(ctx);
	return code;
}

int cmd_req(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct req_args *a = calloc(1, sizeof(*a));
	struct tsm_request *r = calloc(1, sizeof(*r));
	int code = 0;

	if (!a || !r) {
		code = TSM_EXIT_FAIL;
		goto out;
	}
	a->ctx = ctx;
	a->o.env.cmd = TSM_ENV_REQ;
	if (tsmctl_parse(ctx, &req_spec, argc, argv, a, NULL))
		code = out_usage_error(ctx);
	else if (!ctx->stop)
		code = a->decode ? decode_offline(ctx, a) : req_run(ctx, a, r);
out:
	free(r);
	free(a);
	return code;
}
