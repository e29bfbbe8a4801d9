// SPDX-License-Identifier: GPL-2.0
/*
 * The output document and the error channel (out.h). JSON is written by
 * lib/jsonw.c in bounded pieces; text mode renders the same tree
 * (text.c).
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "out.h"
#include "out_bytes.h"
#include "profile.h"
#include "utf8.h"

#define OUT_FLUSH (64 * 1024) /* JSON goes out in pieces of this size */

struct json_object *json_u64(uint64_t v)
{
	if (v > INT64_MAX)
		return json_object_new_uint64(v);
	return json_object_new_int64((int64_t)v);
}

struct json_object *json_hex(const uint8_t *b, size_t len)
{
	char *s = malloc(2 * len + 1);
	struct json_object *o;

	if (!s)
		return NULL;
	tsm_hex(b, len, s);
	o = json_object_new_string(s);
	free(s);
	return o;
}

/* "abi" and "abi_source": a profile that cannot be resolved is named as
 * given, a profile file that did not load has no name yet */
static void abi_names(const struct tsmctl_ctx *ctx, const char **name,
		      const char **src)
{
	*name = ctx->have_profile ? ctx->profile.name :
		ctx->abi_file	  ? "unknown" :
		ctx->abi_name	  ? ctx->abi_name :
				    TSM_AUTO_PROFILE;
	*src = ctx->have_profile ? ctx->abi_source :
	       ctx->abi_file	 ? "file" :
	       !ctx->abi_name	 ? "env" :
	       ctx->abi_origin && !strcmp(ctx->abi_origin, "TSMCTL_ABI") ?
				"env" :
				"option";
}

void out_header(struct tsm_emit *em, struct tsmctl_ctx *ctx,
		const char *command, bool ok)
{
	const char *name, *src;

	abi_names(ctx, &name, &src);
	tsm_emit_i64(em, "schema_version", TSMCTL_SCHEMA_VERSION);
	tsm_emit_str(em, "command", command);
	tsm_emit_str(em, "abi", name);
	tsm_emit_str(em, "abi_source", src);
	tsm_emit_bool(em, "ok", ok);
}

/* The profile, resolved now if the command has not (a usage error),
 * keeping the error being reported */
static void resolve_quietly(struct tsmctl_ctx *ctx)
{
	struct tsm_err keep = ctx->err;

	if (!ctx->have_profile) {
		tsmctl_resolve_abi(ctx);
		ctx->err = keep;
	}
}

struct json_object *out_doc(struct tsmctl_ctx *ctx)
{
	struct tsm_emit em;

	if (!ctx->doc) {
		ctx->doc = json_object_new_object();
		resolve_quietly(ctx);
		tsm_emit_tree(&em, ctx->doc);
		out_header(&em, ctx, ctx->cmd_name ? ctx->cmd_name : "", true);
	}
	return ctx->doc;
}

/*
 * "abi" and "abi_source" of every document, again: a document started
 * before the command resolved its profile names the one now resolved.
 */
void out_set_abi(struct tsmctl_ctx *ctx)
{
	struct json_object *doc = out_doc(ctx);
	const char *name, *src;

	resolve_quietly(ctx);
	abi_names(ctx, &name, &src);
	json_add(doc, "abi", json_object_new_string(name));
	json_add(doc, "abi_source", json_object_new_string(src));
}

void out_set(struct tsmctl_ctx *ctx, const char *key, struct json_object *v)
{
	/* @key is static: every caller passes a literal */
	json_object_object_add_ex(out_doc(ctx), key, v,
				  JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

void out_error_emit(struct tsm_emit *em, const struct tsm_report *rep)
{
	const struct tsm_err *e = &rep->e;
	char nbuf[16];

	tsm_emit_obj(em, "error");
	tsm_emit_str(em, "stage", rep->stage);
	tsm_emit_str(em, "message", e->msg);
	if (e->hint[0])
		tsm_emit_str(em, "hint", e->hint);
	if (e->field[0])
		tsm_emit_str(em, "field", e->field);
	if (e->value[0])
		tsm_emit_str(em, "value", e->value);
	if (e->err && strcmp(rep->stage, "usage")) {
		tsm_emit_i64(em, "errno", e->err);
		tsm_emit_str(em, "errno_name",
			     tsm_errno_name(e->err, nbuf, sizeof(nbuf)));
	}
	if (rep->has_completion)
		tsm_emit_str(em, "completion",
			     tsm_completion_name(rep->completion));
	if (rep->has_residue)
		tsm_emit_i64(em, "residue", rep->residue);
	if (rep->has_code) {
		tsm_emit_u64(em, "tsm_code", rep->tsm_code);
		if (rep->tsm_code_name)
			tsm_emit_str(em, "tsm_code_name", rep->tsm_code_name);
	}
	tsm_emit_end(em);
}

/* Text mode: one stderr line, echoed input made printable */
static void error_line(struct tsmctl_ctx *ctx, const struct tsm_err *e)
{
	const char *cmd = ctx->cmd_name;
	char msg[4 * sizeof(e->msg)], hint[4 * sizeof(e->hint)];

	tsm_utf8_printable(e->msg, strlen(e->msg), msg, sizeof(msg));
	tsm_utf8_printable(e->hint, strlen(e->hint), hint, sizeof(hint));
	fprintf(stderr, "tsmctl: %s%s%s%s%s%s\n", cmd ? cmd : "",
		cmd ? ": " : "", msg, hint[0] ? " (" : "", hint,
		hint[0] ? ")" : "");
}

int out_report(struct tsmctl_ctx *ctx, const struct tsm_report *rep)
{
	struct json_object *doc, *tmp;
	struct tsm_emit em;

	if (!rep->stage)
		return rep->code;
	ctx->error_emitted = true;
	if (!ctx->json) {
		error_line(ctx, &rep->e);
		return rep->code;
	}
	doc = out_doc(ctx);
	tmp = json_object_new_object();
	tsm_emit_tree(&em, tmp);
	out_error_emit(&em, rep);
	json_add(doc, "ok", json_object_new_boolean(0));
	/* a second error replaces the first where it stands */
	json_add(doc, "error",
		 json_object_get(json_object_object_get(tmp, "error")));
	json_object_put(tmp);
	return rep->code;
}

int out_error(struct tsmctl_ctx *ctx, int code, const char *stage,
	      const struct tsm_err *e)
{
	struct tsm_report rep = { .code = code, .stage = stage, .e = *e };

	return out_report(ctx, &rep);
}

int out_usage_error(struct tsmctl_ctx *ctx)
{
	return out_error(ctx, TSM_EXIT_USAGE, "usage", &ctx->err);
}

int out_close_stdout(struct tsmctl_ctx *ctx, int code)
{
	int err = 0;

	(void)ctx;
	if (fflush(stdout) || ferror(stdout))
		err = errno ? errno : EIO;
	if (fclose(stdout) && !err)
		err = errno ? errno : EIO;
	if (err && err != EPIPE) {
		fprintf(stderr, "tsmctl: write error on stdout: %s\n",
			strerror(err));
		return code ? code : TSM_EXIT_FAIL;
	}
	return code;
}

static int flush_stdout(struct tsm_strbuf *b)
{
	size_t n = fwrite(b->p, 1, b->len, stdout);

	b->len = 0;
	return ferror(stdout) ? -EIO : (int)(n - n);
}

/*
 * The JSON document, compact (one line, one write when it is small) or
 * pretty, written in pieces of at most OUT_FLUSH bytes: evidence hex
 * goes out from its one copy (out_bytes.h).
 */
static void json_out(struct tsmctl_ctx *ctx)
{
	struct tsm_strbuf *b = &ctx->jbuf;

	b->len = 0;
	b->flush = flush_stdout;
	b->limit = OUT_FLUSH;
	b->special = out_hex_jsonw;
	b->arg = NULL;
	if (!(ctx->pretty ? tsm_json_write_pretty(b, out_doc(ctx)) :
			    tsm_json_write(b, out_doc(ctx))) &&
	    !tsm_strbuf_add(b, "\n", 1))
		flush_stdout(b);
	/* the buffer serves traces next: never to stdout */
	b->len = 0;
	b->flush = NULL;
	b->special = NULL;
}

int out_finish(struct tsmctl_ctx *ctx, int code, bool quiet_text)
{
	if (ctx->json) {
		json_out(ctx);
	} else if (ctx->doc &&
		   (ctx->error_emitted ? ctx->verbose : !quiet_text)) {
		/* after an error (on stderr), -v still shows what was sent
		 * and what came back */
		struct json_object *r;

		if ((ctx->dry_run || ctx->verbose) &&
		    json_object_object_get_ex(ctx->doc, "ioctl", &r)) {
			fputs("ioctl:\n", stdout);
			out_text_tree(stdout, r, 2);
		}
		if (json_object_object_get_ex(ctx->doc, "result", &r))
			out_text_tree(stdout, r, 0);
	}
	json_object_put(ctx->doc);
	ctx->doc = NULL;
	out_bytes_free_all(&ctx->bytes);
	return code;
}
