// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl batch: JSON Lines envelopes (bind, unbind, req, set-run) on stdin,
 * one JSON result document per line on stdout, all on one iommufd context
 * held across the lines (docs/cli-contract.md §4.5). A malformed line gives an
 * error line and sends nothing. Stops at the first failure unless
 * --keep-going; the exit status is the most serious of the lines'
 * (batch_worse()).
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/tracing.h"
#include "lines.h"
#include "uapi.h"

enum { OPT_KEEP_GOING = 0x500, OPT_CATALOG };

#define BATCH_LINE_MAX (64 * 1024) /* tsmctl-batch(8) */

static const struct tsmctl_opt batch_opts[] = {
	{ "keep-going", OPT_KEEP_GOING, NULL,
	  "go on after a failed line (the exit status is the most serious of any line: 4, 3, 1, 5, then 2)" },
	{ "catalog", OPT_CATALOG, "FILE",
	  "add or override op catalogue entries from a JSON file",
	  .complete = "file" },
	{ 0 }
};

struct batch_args {
	struct tsmctl_ctx *ctx;
	bool keep_going;
	const char *catalog;
};

static error_t batch_parse(int key, char *arg, struct argp_state *state)
{
	struct batch_args *a = state->input;

	switch (key) {
	case ARGP_KEY_ARG:
		return tsmctl_usage_error(
			a->ctx, "", arg,
			"unexpected argument '%s' (envelopes come on stdin)",
			arg);
	case OPT_KEEP_GOING:
		a->keep_going = true;
		return 0;
	case OPT_CATALOG:
		a->catalog = arg;
		return 0;
	default:
		return tsmctl_parse_default(a->ctx, key, arg, state);
	}
}

const struct tsmctl_spec batch_spec = {
	.opts = batch_opts,
	.parser = batch_parse,
	.args_doc = "< ENVELOPES.jsonl",
	.doc = "Run JSON Lines request envelopes from stdin on one iommufd "
	       "context, one JSON result document per line on stdout.\v"
	       "Each line is an envelope as for 'req --envelope', with \"command\" "
	       "one of bind, unbind, req, set-run (keys: tsmctl-batch(8)), at "
	       "most 64 KiB. Output is JSON Lines whatever the output mode "
	       "(--pretty is ignored); each document carries \"line\". Blank "
	       "lines are skipped. Without --keep-going the lines after the "
	       "first failure are not run, each reported with \"skipped\": "
	       "true. Exit status: the most serious of any line (4, 3, 1, 5, "
	       "then 2), 0 if all succeeded.",
};

/*
 * The more serious of two exit statuses (tsmctl-batch(8)): a change that
 * may have happened (4), a TSM refusal (3), a failure (1), unsupported
 * (5), bad input (2: nothing sent), success.
 */
static int batch_worse(int a, int b)
{
	static const int rank[] = {
		[0] = 0, [2] = 1, [5] = 2, [1] = 3, [3] = 4, [4] = 5
	};

	if (a < 0 || a > 5 || b < 0 || b > 5)
		return a ? a : b;
	return rank[b] > rank[a] ? b : a;
}

/* A fresh result document, for input line @lineno (0: none). */
static void batch_doc(struct tsmctl_ctx *ctx, unsigned int lineno)
{
	ctx->error_emitted = false;
	json_object_put(ctx->doc);
	ctx->doc = NULL;
	out_doc(ctx); /* "abi" is ctx->profile's from here on */
	if (lineno)
		json_add(ctx->doc, "line", json_object_new_int((int)lineno));
}

/* A line refused before anything was built: its document, written */
static int line_error(struct tsmctl_ctx *ctx, unsigned int lineno,
		      const struct tsm_envelope *env)
{
	struct tsm_err keep = ctx->err;
	int code;

	batch_doc(ctx, lineno);
	ctx->err = keep;
	/* the line's own command as soon as it is known, even when a later
	 * key is bad; "batch" only when "command" itself is */
	if (env->cmd != TSM_ENV_NONE)
		json_add(ctx->doc, "command",
			 json_object_new_string(tsm_env_cmd_name(env->cmd)));
	code = out_usage_error(ctx);
	out_finish(ctx, code, false);
	return code;
}

/* The envelope as a request, executed: -1 when refused before */
static int line_exec(struct tsmctl_ctx *ctx, struct tsm_envelope *env,
		     struct tsm_request *r, struct tsm_outcome *oc)
{
	switch (env->cmd) {
	case TSM_ENV_BIND:
	case TSM_ENV_UNBIND:
		if (!env->have_vdev) {
			tsmctl_usage_error(ctx, "vdevice_id", NULL,
					   "missing \"vdevice_id\"");
			return -1;
		}
		return exec_op(ctx,
			       env->cmd == TSM_ENV_BIND ? TSM_OP_BIND :
							  TSM_OP_UNBIND,
			       env->vdevice_id, oc);
	case TSM_ENV_SET_RUN:
		if (tsm_setrun_resolve(env, &ctx->profile, ctx->catalog, false,
				       r, &ctx->err))
			return -1;
		return exec_req(ctx, r, NULL, oc);
	default:
		if (tsm_envelope_resolve(env, &ctx->profile, ctx->catalog,
					 false, r, &ctx->err))
			return -1;
		return exec_req(ctx, r, NULL, oc);
	}
}

/* One line: its result document written and flushed; its exit status */
static int run_line(struct tsmctl_ctx *ctx, const char *line, size_t len,
		    unsigned int lineno, struct tsm_envelope *env,
		    struct tsm_request *r)
{
	struct tsm_outcome oc;
	int code;

	tsm_envelope_clear(env);
	memset(&ctx->err, 0, sizeof(ctx->err));
	ctx->trace.batch_line = lineno; /* its records say which line */
	if (tsm_envelope_parse(line, len, "envelope", env, &ctx->err) ||
	    line_exec(ctx, env, r, &oc) < 0)
		return line_error(ctx, lineno, env);
	ctx->jbuf.len = 0;
	code = oc.rep.code;
	if (!render_line(ctx, &ctx->jbuf, tsm_env_cmd_name(env->cmd), lineno,
			 &oc))
		fwrite(ctx->jbuf.p, 1, ctx->jbuf.len, stdout);
	ctx->jbuf.len = 0;
	tsm_outcome_free(&oc);
	return code;
}

/*
 * Without --keep-going, a line after the first failure is not run: its
 * record says so, so that a harness accounts for every input line.
 */
static void line_skipped(struct tsmctl_ctx *ctx, unsigned int lineno,
			 unsigned int failed)
{
	batch_doc(ctx, lineno);
	json_add(ctx->doc, "skipped", json_object_new_boolean(1));
	tsm_err_set(&ctx->err, 0, NULL, NULL, "line %u not run: line %u failed",
		    lineno, failed);
	snprintf(
		ctx->err.hint, sizeof(ctx->err.hint),
		"batch stops at the first failing line; --keep-going runs every line");
	out_error(ctx, 0, "skipped", &ctx->err);
	out_finish(ctx, 0, false);
}

/*
 * stdin could not be read (a directory, a closed descriptor, an I/O
 * error): an error document of its own. Before any line ran it is bad
 * input (exit 2); after, the lines before it stand and it is an I/O
 * failure (exit 1), or the more serious status of a line before.
 */
static int batch_read_error(struct tsmctl_ctx *ctx, unsigned int lineno,
			    int first, int e)
{
	int code;

	batch_doc(ctx, lineno ? lineno + 1 : 0);
	tsm_err_set(&ctx->err, e, "stdin", NULL,
		    "cannot read envelopes from standard input: %s",
		    strerror(e));
	snprintf(
		ctx->err.hint, sizeof(ctx->err.hint),
		"batch reads JSON Lines from stdin: redirect a file or a pipe to it");
	code = out_error(ctx, lineno ? TSM_EXIT_FAIL : TSM_EXIT_USAGE,
			 lineno ? "io" : "usage", &ctx->err);
	out_finish(ctx, code, false);
	fflush(stdout);
	return batch_worse(first, code);
}

int cmd_batch(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct batch_args a = { .ctx = ctx };
	struct tsm_envelope *env = NULL;
	struct tsm_request *r = NULL;
	struct tsm_lines in;
	char *line;
	size_t n;
	int first = 0, code, rc;
	unsigned int failed = 0; /* the line that stopped the batch */

	if (tsmctl_parse(ctx, &batch_spec, argc, argv, &a, NULL))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (tsmctl_resolve_abi(ctx) || tsmctl_load_catalog(ctx, a.catalog))
		return out_usage_error(ctx);
	env = malloc(sizeof(*env));
	r = malloc(sizeof(*r));
	if (!env || !r) {
		free(env);
		free(r);
		return TSM_EXIT_FAIL;
	}
	ctx->json = true; /* JSON Lines whatever the mode */
	ctx->pretty = false; /* one document per line, --pretty or not */
	/* a trace that cannot be written stops the batch before any line */
	if (!ctx->dry_run && tsmctl_trace_start(ctx)) {
		first = out_finish(ctx, out_usage_error(ctx), false);
		goto out;
	}
	/* read as it comes, never more than a line's limit at once */
	tsm_lines_init(&in, STDIN_FILENO, BATCH_LINE_MAX);
	while ((rc = tsm_lines_next(&in, &line, &n)) != 0) {
		if (rc < 0 && rc != -E2BIG)
			break;
		if (rc > 0 && strspn(line, " \t") == n)
			continue;
		if (failed) {
			line_skipped(ctx, in.no, failed);
			fflush(stdout);
			continue;
		}
		if (rc < 0) {
			tsmctl_usage_error(ctx, "envelope", NULL,
					   "line %u: longer than 64 KiB",
					   in.no);
			tsm_envelope_clear(env);
			code = line_error(ctx, in.no, env);
		} else {
			code = run_line(ctx, line, n, in.no, env, r);
		}
		fflush(stdout);
		first = batch_worse(first, code);
		/* an over-long failing line ends the batch: its end may
		 * never come (stdin of /dev/zero), so nothing after it is read */
		if (code && !a.keep_going && rc < 0)
			break;
		if (code && !a.keep_going)
			failed = in.no;
	}
	if (rc < 0 && rc != -E2BIG)
		first = batch_read_error(ctx, in.no, first, -rc);
	tsm_lines_free(&in);
out:
	ctx->trace.batch_line = 0;
	free(env);
	free(r);
	exec_close_dev(ctx);
	ctx->quiet_text = true;
	ctx->json = false; /* every line is already out */
	return first;
}
