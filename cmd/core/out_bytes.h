/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence bytes kept once until the document is written, and the hex
 * nodes of the document that point into them (out_bytes.c).
 */
#ifndef TSMCTL_OUT_BYTES_H
#define TSMCTL_OUT_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonw.h"

struct json_object;

/* One object's bytes, owned; freed after the document is written. */
struct out_bytes {
	struct out_bytes *next;
	uint8_t *p;
	size_t len;
	bool has_nonce; /* 32 bytes at nonce_off are zeroed when redacting */
	size_t nonce_off;
	bool redact_all; /* all of it is zeroed when redacting */
	char name[48]; /* "BDF/TYPE.bin" in a bundle, or "" */
	struct json_object *obj; /* its evidence object in the document */
};

/* flags of out_hex_node() */
#define OUT_HEX_ALL_TEXT 0x1 /* text mode: every byte (-v) */
#define OUT_HEX_NONCE 0x2 /* the node is a nonce: zeroed when redacting */

/* Where a streamed document goes (lib/jsonw.h's arg). */
struct out_sink {
	bool redact; /* nonces zeroed (the bundle) */
	void *dst; /* for the flush callback */
	size_t n; /* bytes flushed */
};

/* Keep @p (malloc'd, taken even on failure) on @list (the run's,
 * ctx->bytes) until the document is out. */
struct out_bytes *out_bytes_keep(struct out_bytes **list, uint8_t *p,
				 size_t len);
void out_bytes_free_all(struct out_bytes **list);

/* A JSON string node showing @len bytes of @b from @off as hex. */
struct json_object *out_hex_node(const struct out_bytes *b, size_t off,
				 size_t len, unsigned int flags);
/* @o's hex node data, or NULL if @o is not one. */
const struct out_hex *out_hex_of(struct json_object *o);
/* Whether @o is a hex node of no bytes. */
bool out_hex_empty(struct json_object *o);
/* lib/jsonw.h special writer: the hex, streamed, redacted per the sink. */
int out_hex_jsonw(struct tsm_strbuf *sb, struct json_object *o);
/* Text mode: the hex, or its first 256 bytes, size and SHA-256. */
void out_hex_text(FILE *f, struct json_object *o);
/* Whether @o is a hex node whose bytes are zeroed whole when redacting. */
bool out_hex_redacts_all(struct json_object *o);
/* @len bytes of @b from @at, redacted, into @dst. */
void out_bytes_redacted(const struct out_bytes *b, size_t at, size_t len,
			uint8_t *dst);

#endif
