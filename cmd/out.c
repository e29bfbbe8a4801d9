// SPDX-License-Identifier: GPL-2.0
/*
 * Output: one JSON tree per invocation, rendered as JSON (-j) or as
 * aligned "key: value" text from the same tree. Errors become the "error"
 * object in JSON mode and one stderr line in text mode.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "out_bytes.h"
#include "tsmctl.h"
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

/*
 * "abi" and "abi_source" of every document. A document started before
 * the command resolved its profile (a usage error) resolves it here,
 * keeping the error being reported; a profile that cannot be resolved is
 * named as given.
 */
void out_set_abi(struct tsmctl_ctx *ctx)
{
	struct tsm_err keep = ctx->err;
	const char *name, *src;

	if (!ctx->have_profile) {
		tsmctl_resolve_abi(ctx);
		ctx->err = keep;
	}
	/* a profile file that did not load has no name yet */
	name = ctx->have_profile ? ctx->profile.name :
	       ctx->abi_file	 ? "unknown" :
	       ctx->abi_name	 ? ctx->abi_name :
				   TSM_AUTO_PROFILE;
	src = ctx->have_profile ? ctx->abi_source :
	      ctx->abi_file	? "file" :
	      !ctx->abi_name	? "env" :
	      ctx->abi_origin && !strcmp(ctx->abi_origin, "TSMCTL_ABI") ?
				  "env" :
				  "option";
	json_add(ctx->doc, "abi", json_object_new_string(name));
	json_add(ctx->doc, "abi_source", json_object_new_string(src));
}

struct json_object *out_doc(struct tsmctl_ctx *ctx)
{
	if (!ctx->doc) {
		ctx->doc = json_object_new_object();
		json_add(ctx->doc, "schema_version",
			 json_object_new_int(TSMCTL_SCHEMA_VERSION));
		json_add(ctx->doc, "command",
			 json_object_new_string(ctx->cmd      ? ctx->cmd->name :
						ctx->cmd_name ? ctx->cmd_name :
								""));
		out_set_abi(ctx);
		json_add(ctx->doc, "ok", json_object_new_boolean(1));
	}
	return ctx->doc;
}

void out_set(struct tsmctl_ctx *ctx, const char *key, struct json_object *v)
{
	/* @key is static: every caller passes a literal */
	json_object_object_add_ex(out_doc(ctx), key, v,
				  JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

int out_error(struct tsmctl_ctx *ctx, int code, const char *stage,
	      const struct tsm_err *e, struct json_object *extra)
{
	struct json_object *err;
	char nbuf[16];

	ctx->error_emitted = true;
	if (!ctx->json) {
		const char *cmd = ctx->cmd ? ctx->cmd->name : ctx->cmd_name;
		/* echoed input may hold anything: one line, valid UTF-8 */
		char msg[4 * sizeof(e->msg)], hint[4 * sizeof(e->hint)];

		tsm_utf8_printable(e->msg, strlen(e->msg), msg, sizeof(msg));
		tsm_utf8_printable(e->hint, strlen(e->hint), hint,
				   sizeof(hint));
		fprintf(stderr, "tsmctl: %s%s%s%s%s%s\n", cmd ? cmd : "",
			cmd ? ": " : "", msg, hint[0] ? " (" : "", hint,
			hint[0] ? ")" : "");
		json_object_put(extra);
		return code;
	}
	err = json_object_new_object();
	json_add(err, "stage", json_object_new_string(stage));
	json_add(err, "message", json_object_new_string(e->msg));
	if (e->hint[0])
		json_add(err, "hint", json_object_new_string(e->hint));
	if (e->field[0])
		json_add(err, "field", json_object_new_string(e->field));
	if (e->value[0])
		json_add(err, "value", json_object_new_string(e->value));
	if (e->err && strcmp(stage, "usage")) {
		json_add(err, "errno", json_object_new_int(e->err));
		json_add(err, "errno_name",
			 json_object_new_string(
				 tsm_errno_name(e->err, nbuf, sizeof(nbuf))));
	}
	if (extra) {
		json_object_object_foreach(extra, k, v)
			json_object_object_add(err, k, json_object_get(v));
		json_object_put(extra);
	}
	json_add(out_doc(ctx), "ok", json_object_new_boolean(0));
	json_add(out_doc(ctx), "error", err);
	return code;
}

int out_usage_error(struct tsmctl_ctx *ctx)
{
	return out_error(ctx, TSM_EXIT_USAGE, "usage", &ctx->err, NULL);
}

int out_unsent_error(struct tsmctl_ctx *ctx)
{
	/* nothing is sent: no ioctl in the usage-error document */
	json_object_object_del(out_doc(ctx), "ioctl");
	json_object_object_del(out_doc(ctx), "dry_run");
	return out_usage_error(ctx);
}

static bool is_scalar(struct json_object *v)
{
	return !json_object_is_type(v, json_type_object) &&
	       !json_object_is_type(v, json_type_array);
}

/*
 * A scalar as text. In a "fields" object (struct and payload fields:
 * addresses, lengths, pointers) a number from 0x10000 up is followed by
 * its hex, as an operator reads addresses; JSON keeps plain integers.
 */
static void text_scalar(FILE *f, struct json_object *v, bool hex)
{
	if (out_hex_of(v)) {
		out_hex_text(f, v);
	} else if (json_object_is_type(v, json_type_string)) {
		size_t n = (size_t)json_object_get_string_len(v);
		char *p = malloc(4 * n + 1);

		/* device and user strings: no raw control or invalid bytes */
		if (p)
			tsm_utf8_printable(json_object_get_string(v), n, p,
					   4 * n + 1);
		fputs(p ? p : "", f);
		free(p);
	} else
		fputs(json_object_to_json_string(v), f);
	if (hex && json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0x10000)
		fprintf(f, " (0x%llx)",
			(unsigned long long)json_object_get_uint64(v));
}

static bool empty_string(struct json_object *v)
{
	return json_object_is_type(v, json_type_string) &&
	       !json_object_get_string_len(v) && !out_hex_of(v);
}

/*
 * Lines of a text rendering. A list item that is an object or a list is
 * YAML style: its first line follows the "- ", the rest below it; @lead
 * is set while that first line is still to come.
 */
struct text_out {
	FILE *f;
	bool lead; /* a "- " is due at column lead_at */
	int lead_at;
	int col; /* columns already written on this line */
};

/* The start of a line at @indent, after the "- " that is due. */
static void pad(struct text_out *t, int indent)
{
	if (t->lead) {
		fprintf(t->f, "%*s- ", t->lead_at - t->col, "");
		t->col = t->lead_at + 2;
		t->lead = false;
	}
	fprintf(t->f, "%*s", indent - t->col, "");
	t->col = 0; /* the next call starts a new line */
}

static void text_tree(struct text_out *t, struct json_object *o, int indent,
		      bool hex);

static void text_item(struct text_out *t, struct json_object *v, int indent)
{
	if (t->lead) { /* the first item of an item: both dashes on a line */
		fprintf(t->f, "%*s- ", t->lead_at - t->col, "");
		t->col = t->lead_at + 2;
	}
	t->lead = true;
	t->lead_at = indent;
	text_tree(t, v, indent + 2, false);
	if (t->lead) { /* nothing in it */
		fprintf(t->f, "%*s-\n", indent - t->col, "");
		t->lead = false;
		t->col = 0;
	}
}

void out_text_tree(FILE *f, struct json_object *o, int indent)
{
	struct text_out t = { f, false, 0, 0 };

	text_tree(&t, o, indent, false);
}

static void text_array(struct text_out *t, struct json_object *o, int indent)
{
	size_t i, n = json_object_array_length(o);

	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(o, i);

		if (!is_scalar(v)) {
			text_item(t, v, indent);
			continue;
		}
		pad(t, indent);
		fprintf(t->f, "-%s", empty_string(v) ? "" : " ");
		text_scalar(t->f, v, false);
		fputc('\n', t->f);
	}
}

static void text_tree(struct text_out *t, struct json_object *o, int indent,
		      bool hex)
{
	FILE *f = t->f;
	int width = 0;

	if (json_object_is_type(o, json_type_array))
		return text_array(t, o, indent);
	json_object_object_foreach(o, k0, v0) {
		(void)v0;
		if ((int)strlen(k0) > width)
			width = (int)strlen(k0);
	}
	json_object_object_foreach(o, k, v) {
		pad(t, indent);
		if (is_scalar(v) && empty_string(v)) {
			fprintf(f, "%s:\n", k);
		} else if (is_scalar(v)) {
			fprintf(f, "%s:%*s ", k, width - (int)strlen(k), "");
			text_scalar(f, v, hex);
			fputc('\n', f);
		} else if (json_object_is_type(v, json_type_array) &&
			   json_object_array_length(v) == 0) {
			fprintf(f, "%s:%*s (none)\n", k, width - (int)strlen(k),
				"");
		} else {
			fprintf(f, "%s:\n", k);
			text_tree(t, v, indent + 2, !strcmp(k, "fields"));
		}
	}
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
	out_bytes_free_all(ctx);
	return code;
}
