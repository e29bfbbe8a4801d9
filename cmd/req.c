// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl req: one TSM_REQ from flags or a JSON envelope (cli-contract.md
 * §4.2), and the offline tsm_code decoder (--decode-tsm-code).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonstrict.h"
#include "tsmctl.h"

enum {
	OPT_VDEVICE = 0x300,
	OPT_ARCH,
	OPT_OP,
	OPT_SCOPE,
	OPT_IN,
	OPT_FIELD,
	OPT_RESP_LEN,
	OPT_OUT,
	OPT_ENVELOPE,
	OPT_FORCE,
	OPT_CATALOG,
	OPT_CCA_CODES,
	OPT_DECODE,
};

static const struct argp_option req_options[] = {
	{ "vdevice", OPT_VDEVICE, "ID", 0, "iommufd vdevice object ID (u32)",
	  0 },
	{ "arch", OPT_ARCH, "ARCH", 0, "TVM architecture: cca, sev or tdx", 0 },
	{ "op", OPT_OP, "NAME|NUMBER", 0,
	  "request op from the catalogue (e.g. validate-mmio), or a number",
	  0 },
	{ "scope", OPT_SCOPE, "SCOPE", 0,
	  "v5 only: info, state-change, debug-read or debug-write (needs --force)",
	  0 },
	{ "in", OPT_IN, "HEX|@FILE|-", 0,
	  "request payload: hex bytes (spaces and colons allowed), or raw bytes from FILE or stdin",
	  0 },
	{ "field", OPT_FIELD, "NAME=VALUE", 0,
	  "set a payload field of the op (repeat); VALUE is a number or a value name",
	  0 },
	{ "resp-len", OPT_RESP_LEN, "N", 0,
	  "response buffer size (default: the op's natural response size)", 0 },
	{ "out", OPT_OUT, "FILE", 0, "write the raw response bytes to FILE",
	  0 },
	{ "envelope", OPT_ENVELOPE, "FILE|-", 0,
	  "read the request as one JSON envelope from FILE or stdin", 0 },
	{ "force", OPT_FORCE, NULL, 0,
	  "send unknown op numbers, the debug-write scope or odd payload sizes",
	  0 },
	{ "catalog", OPT_CATALOG, "FILE", 0,
	  "add or override op catalogue entries from a JSON file", 0 },
	{ "cca-codes", OPT_CCA_CODES, "TABLE", 0,
	  "CCA tsm_code table: rmi-2.0 (default), rmi-1.0, rsi, rsi-da, rhi",
	  0 },
	{ "decode-tsm-code", OPT_DECODE, "CODE", 0,
	  "decode a tsm_code value for --arch offline (no kernel call)", 0 },
	{ 0 }
};

const struct tsmctl_optmeta req_meta[] = {
	{ "arch", "cca sev tdx", "" },
	{ "op",
	  "validate-mmio set-tdi-state object-info read-object regen-object sev-enable-dma sev-disable-dma object-size object-read",
	  "" },
	{ "scope", "info state-change debug-read debug-write", "" },
	{ "in", NULL, "file" },
	{ "out", NULL, "file" },
	{ "envelope", NULL, "file" },
	{ "catalog", NULL, "file" },
	{ "cca-codes", "rmi-2.0 rmi-1.0 rsi rsi-da rhi", "" },
	{ 0 }
};

struct req_args {
	struct tsmctl_ctx *ctx;
	struct tsm_envelope env;
	const char *in;
	const char *out;
	const char *envelope;
	const char *catalog;
	const char *decode;
	bool flags_used; /* request flags besides --envelope */
};

int tsmctl_read_payload(struct tsmctl_ctx *ctx, const char *arg,
			struct tsm_envelope *env)
{
	long n;

	if (arg[0] == '@' || !strcmp(arg, "-")) {
		int fd = !strcmp(arg, "-") ?
				 0 :
				 open(arg + 1, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return tsmctl_usage_error(ctx, "--in", arg,
						  "--in '%s': cannot open: %s",
						  arg, strerror(errno));
		n = tsm_read_fd(fd, env->payload, sizeof(env->payload));
		if (fd)
			close(fd);
		if (n == -E2BIG)
			return tsmctl_usage_error(
				ctx, "--in", arg,
				"--in '%s': payload larger than %zu bytes", arg,
				sizeof(env->payload));
		if (n < 0)
			return tsmctl_usage_error(ctx, "--in", arg,
						  "--in '%s': cannot read: %s",
						  arg, strerror((int)-n));
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

int tsmctl_opt_arch(struct tsmctl_ctx *ctx, const char *arg,
		    struct tsm_envelope *env)
{
	if (tsm_arch_from_name(arg, &env->arch) ||
	    strcmp(arg, tsm_arch_name(env->arch)))
		return tsmctl_usage_error(
			ctx, "--arch", arg,
			"--arch '%s': unknown arch (accepted: cca, sev, tdx)",
			arg);
	env->have_arch = true;
	return 0;
}

int tsmctl_opt_cca_codes(struct tsmctl_ctx *ctx, const char *arg,
			 struct tsm_envelope *env)
{
	if (tsm_cca_table_from_name(arg, &env->cca_table))
		return tsmctl_usage_error(
			ctx, "--cca-codes", arg,
			"--cca-codes '%s': unknown table (accepted: rmi-2.0, rmi-1.0, rsi, rsi-da, rhi)",
			arg);
	return 0;
}

static error_t req_parse(int key, char *arg, struct argp_state *state)
{
	struct req_args *a = state->input;
	struct tsm_envelope *env = &a->env;
	struct tsmctl_ctx *ctx = a->ctx;

	switch (key) {
	case OPT_ENVELOPE:
		a->envelope = arg;
		return 0;
	case OPT_CATALOG:
		a->catalog = arg;
		return 0;
	case OPT_DECODE:
		a->decode = arg;
		return 0;
	case OPT_OUT:
		a->out = arg;
		return 0;
	case OPT_CCA_CODES:
		return tsmctl_opt_cca_codes(ctx, arg, env);
	case OPT_FORCE:
		env->force = true;
		return 0;
	default:
		break;
	}
	switch (key) {
	case OPT_VDEVICE:
	case OPT_ARCH:
	case OPT_OP:
	case OPT_SCOPE:
	case OPT_IN:
	case OPT_FIELD:
	case OPT_RESP_LEN:
		a->flags_used = true;
		break;
	default:
		return tsmctl_parse_default(ctx, key, arg, state);
	}
	switch (key) {
	case OPT_VDEVICE:
		if (env->have_vdev)
			return tsmctl_usage_error(ctx, "--vdevice", arg,
						  "--vdevice given twice");
		if (tsmctl_opt_u32(ctx, "--vdevice", arg, &env->vdevice_id))
			return EINVAL;
		env->have_vdev = true;
		return 0;
	case OPT_ARCH:
		return tsmctl_opt_arch(ctx, arg, env);
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
	case OPT_IN:
		if (a->in)
			return tsmctl_usage_error(ctx, "--in", arg,
						  "--in given twice");
		a->in = arg;
		return 0;
	case OPT_FIELD:
		memset(&ctx->err, 0, sizeof(ctx->err));
		return tsm_envelope_add_field(env, arg, "--field", &ctx->err) ?
			       EINVAL :
			       0;
	case OPT_RESP_LEN: {
		uint64_t v;

		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_parse_u64(arg, TSM_RESP_MAX, "--resp-len", &v,
				  &ctx->err))
			return EINVAL;
		env->resp_len = (uint32_t)v;
		env->have_resp_len = true;
		return 0;
	}
	default:
		return tsmctl_parse_default(ctx, key, arg, state);
	}
}

const struct argp req_argp = {
	.options = req_options,
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
	.children = tsmctl_global_children,
};

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

static int decode_offline(struct tsmctl_ctx *ctx, struct req_args *a)
{
	uint64_t code;

	if (!a->env.have_arch) {
		tsmctl_usage_error(
			ctx, "--arch", NULL,
			"--decode-tsm-code needs --arch cca|sev|tdx");
		return out_usage_error(ctx);
	}
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_parse_u64(a->decode, UINT64_MAX, "--decode-tsm-code", &code,
			  &ctx->err))
		return out_usage_error(ctx);
	out_set(ctx, "result",
		tsm_code_json(a->env.arch, a->env.cca_table, code));
	return 0;
}

int cmd_req(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct req_args *a = calloc(1, sizeof(*a));
	struct tsm_request *r = NULL;
	int code;

	if (!a)
		return TSM_EXIT_FAIL;
	a->ctx = ctx;
	a->env.cmd = TSM_ENV_REQ;
	if (tsmctl_parse(ctx, &req_argp, argc, argv, a)) {
		code = out_usage_error(ctx);
		goto out;
	}
	code = 0;
	if (ctx->stop)
		goto out;
	if (a->decode) {
		if (a->envelope || a->in || a->out || a->env.have_vdev ||
		    a->env.have_op || a->env.have_scope || a->env.nfields ||
		    a->env.have_resp_len) {
			tsmctl_usage_error(
				ctx, "--decode-tsm-code", a->decode,
				"--decode-tsm-code decodes offline: it takes only --arch and --cca-codes");
			code = out_usage_error(ctx);
			goto out;
		}
		code = decode_offline(ctx, a);
		goto out;
	}
	if (a->envelope) {
		char buf[64 * 1024 + 1];
		long n;
		int fd;

		if (a->flags_used || a->in) {
			tsmctl_usage_error(
				ctx, "--envelope", a->envelope,
				"--envelope replaces the request flags (--vdevice, --arch, --op, --scope, --in, --field, --resp-len)");
			code = out_usage_error(ctx);
			goto out;
		}
		fd = !strcmp(a->envelope, "-") ?
			     0 :
			     open(a->envelope, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -errno :
			     tsm_read_fd(fd, (uint8_t *)buf, sizeof(buf) - 1);
		if (fd > 0)
			close(fd);
		if (n < 0) {
			tsmctl_usage_error(ctx, "--envelope", a->envelope,
					   "--envelope '%s': %s", a->envelope,
					   n == -E2BIG ? "larger than 64 KiB" :
							 strerror((int)-n));
			code = out_usage_error(ctx);
			goto out;
		}
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_envelope_parse(buf, (size_t)n, "envelope", &a->env,
				       &ctx->err)) {
			code = out_usage_error(ctx);
			goto out;
		}
		if (a->env.cmd != TSM_ENV_REQ) {
			tsmctl_usage_error(
				ctx, "command", tsm_env_cmd_name(a->env.cmd),
				"\"command\": req --envelope takes \"req\" envelopes (use batch for %s)",
				tsm_env_cmd_name(a->env.cmd));
			code = out_usage_error(ctx);
			goto out;
		}
	} else if (a->in && tsmctl_read_payload(ctx, a->in, &a->env)) {
		code = out_usage_error(ctx);
		goto out;
	}
	if (tsmctl_resolve_abi(ctx) || tsmctl_load_catalog(ctx, a->catalog)) {
		code = out_usage_error(ctx);
		goto out;
	}
	out_doc(ctx);
	out_set_abi(ctx);
	r = calloc(1, sizeof(*r));
	if (!r) {
		code = TSM_EXIT_FAIL;
		goto out;
	}
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (tsm_envelope_resolve(&a->env, &ctx->profile, ctx->catalog,
				 !a->envelope, r, &ctx->err)) {
		code = out_usage_error(ctx);
		goto out;
	}
	/* a state change is quiet on success in text mode unless -v
	 * (cli-contract.md §6), as set-run; an info op prints its result */
	ctx->quiet_text = r->state_change;
	code = exec_req(ctx, r, a->out);
	exec_close_dev(ctx);
out:
	free(r);
	free(a);
	return code;
}
