/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output document and the error channel (docs/architecture.md,
 * "render"): one JSON document per run (per line in batch), rendered as
 * JSON (-j) or as aligned "key: value" text from the same tree (text.c).
 * Errors become the document's "error" object in JSON mode and one stderr
 * line in text mode. stdout carries the document only.
 */
#ifndef TSMCTL_CORE_OUT_H
#define TSMCTL_CORE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "ctx.h"
#include "emit.h"
#include "outcome.h"

/* The document, created with its header members on first use. */
struct json_object *out_doc(struct tsmctl_ctx *ctx);
/* The header members (schema_version, command, abi, abi_source, ok) for
 * @command; either sink. */
void out_header(struct tsm_emit *em, struct tsmctl_ctx *ctx,
		const char *command, bool ok);
/* "abi" and "abi_source" of the document, resolving the profile if the
 * command has not (docs/cli-contract.md, "ABI profiles"). */
void out_set_abi(struct tsmctl_ctx *ctx);
/* Set @key (a string literal: json-c keeps the pointer) of the document. */
void out_set(struct tsmctl_ctx *ctx, const char *key, struct json_object *v);
/* Report an error: the JSON error object or a stderr line. Returns @code. */
int out_error(struct tsmctl_ctx *ctx, int code, const char *stage,
	      const struct tsm_err *e);
/* The same for a report (rep->stage NULL: no error shown). */
int out_report(struct tsmctl_ctx *ctx, const struct tsm_report *rep);
/* The "error" member of a report, either sink. */
void out_error_emit(struct tsm_emit *em, const struct tsm_report *rep);
/* ctx->err as a usage error (exit 2). */
int out_usage_error(struct tsmctl_ctx *ctx);
/* Render the document (JSON, or text unless @quiet_text). */
int out_finish(struct tsmctl_ctx *ctx, int code, bool quiet_text);
/* stdout write-error check at exit (ndctl run_builtin style). */
int out_close_stdout(struct tsmctl_ctx *ctx, int code);
/* The text renderer of a document part (text.c). */
void out_text_tree(FILE *f, struct json_object *o, int indent);

struct json_object *json_u64(uint64_t v);
struct json_object *json_hex(const uint8_t *b, size_t len);
/*
 * Add @v under @k, a string literal: json-c keeps the pointer instead of
 * copying the key.
 */
#define json_add(o, k, v)                            \
	json_object_object_add_ex((o), "" k "", (v), \
				  JSON_C_OBJECT_ADD_CONSTANT_KEY)

#endif
