// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence bytes in the output document without copies (cmd/out_bytes.h):
 * an object read is kept once, in the context, until the document is
 * written; each place the document shows its bytes as hex is a node that
 * points into that copy, and the hex is written from it in one streaming
 * pass, a bounded piece at a time: into the JSON (compact or pretty, by
 * lib/jsonw.c through a flushed buffer), into the text (the first 256
 * bytes, the size and the SHA-256 of a larger object unless -v), or into
 * the bundle's dump.json with the nonces zeroed.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "crypto.h"
#include "out_bytes.h"

#define HEX_MAGIC 0x68657821u /* "hex!" */
#define HEX_CHUNK 16384 /* bytes converted per step */
#define TEXT_HEAD 256 /* text mode: bytes shown of a larger object */

/* json-c userdata of a hex node */
struct out_hex {
	uint32_t magic;
	const struct out_bytes *b;
	size_t off, len;
	unsigned int flags;
};

struct out_bytes *out_bytes_keep(struct out_bytes **list, uint8_t *p,
				 size_t len)
{
	struct out_bytes *b = calloc(1, sizeof(*b)), **pp;

	if (!b) {
		free(p);
		return NULL;
	}
	b->p = p;
	b->len = len;
	for (pp = list; *pp; pp = &(*pp)->next) /* in reading order */
		;
	*pp = b;
	return b;
}

void out_bytes_free_all(struct out_bytes **list)
{
	while (*list) {
		struct out_bytes *b = *list;

		*list = b->next;
		free(b->p);
		free(b);
	}
}

const struct out_hex *out_hex_of(struct json_object *o)
{
	const struct out_hex *h;

	if (!json_object_is_type(o, json_type_string))
		return NULL;
	h = json_object_get_userdata(o);
	return h && h->magic == HEX_MAGIC ? h : NULL;
}

/* Whether byte @i of @h is zeroed when redacting. */
static bool redacted(const struct out_hex *h, size_t i)
{
	const struct out_bytes *b = h->b;

	if (h->flags & OUT_HEX_NONCE || b->redact_all)
		return true;
	i += h->off;
	return b->has_nonce && i >= b->nonce_off && i < b->nonce_off + 32;
}

/* Hex of @h's bytes [at, at + n) into @dst, redacted when @redact. */
static void hex_piece(const struct out_hex *h, size_t at, size_t n, bool redact,
		      char *dst)
{
	tsm_hex(h->b->p + h->off + at, n, dst);
	for (size_t i = 0; redact && i < n; i++)
		if (redacted(h, at + i))
			memcpy(dst + 2 * i, "00", 2);
}

int out_hex_jsonw(struct tsm_strbuf *sb, struct json_object *o)
{
	const struct out_hex *h = out_hex_of(o);
	const struct out_sink *sink = sb->arg;
	bool redact = sink && sink->redact;
	int rc;

	if (!h)
		return -EINVAL;
	rc = tsm_strbuf_add(sb, "\"", 1);
	for (size_t at = 0; !rc && at < h->len; at += HEX_CHUNK) {
		size_t n = h->len - at < HEX_CHUNK ? h->len - at : HEX_CHUNK;
		char *d;

		rc = tsm_strbuf_reserve(sb, 2 * n);
		if (rc)
			break;
		d = sb->p + sb->len;
		hex_piece(h, at, n, redact, d);
		sb->len += 2 * n;
		rc = tsm_strbuf_maybe_flush(sb);
	}
	return rc ?: tsm_strbuf_add(sb, "\"", 1);
}

/* json-c's own serialisation of a hex node (json_object_to_json_string) */
static int hex_to_json(struct json_object *o, struct printbuf *pb, int level,
		       int flags)
{
	const struct out_hex *h = out_hex_of(o);
	char buf[2 * 4096];

	(void)level;
	(void)flags;
	printbuf_memappend(pb, "\"", 1);
	for (size_t at = 0; h && at < h->len; at += 4096) {
		size_t n = h->len - at < 4096 ? h->len - at : 4096;

		hex_piece(h, at, n, false, buf);
		printbuf_memappend(pb, buf, (int)(2 * n));
	}
	printbuf_memappend(pb, "\"", 1);
	return 0;
}

static void hex_free(struct json_object *o, void *u)
{
	(void)o;
	free(u);
}

struct json_object *out_hex_node(const struct out_bytes *b, size_t off,
				 size_t len, unsigned int flags)
{
	struct out_hex *h = malloc(sizeof(*h));
	struct json_object *o = json_object_new_string("");

	if (!h || !o) {
		free(h);
		json_object_put(o);
		return NULL;
	}
	*h = (struct out_hex){ HEX_MAGIC, b, off, len, flags };
	json_object_set_serializer(o, hex_to_json, h, hex_free);
	return o;
}

bool out_hex_empty(struct json_object *o)
{
	const struct out_hex *h = out_hex_of(o);

	return h && !h->len;
}

void out_hex_text(FILE *f, struct json_object *o)
{
	const struct out_hex *h = out_hex_of(o);
	char buf[2 * 4096 + 1], sum[65];
	uint8_t md[32];
	size_t show;

	if (!h)
		return;
	show = h->flags & OUT_HEX_ALL_TEXT || h->len <= TEXT_HEAD ? h->len :
								    TEXT_HEAD;
	for (size_t at = 0; at < show; at += 4096) {
		size_t n = show - at < 4096 ? show - at : 4096;

		hex_piece(h, at, n, false, buf);
		fwrite(buf, 1, 2 * n, f);
	}
	if (show == h->len)
		return;
	if (tsm_sha256(h->b->p + h->off, h->len, md, NULL)) {
		fprintf(f, "... (%zu bytes; all with -v)", h->len);
		return;
	}
	tsm_hex(md, sizeof(md), sum);
	fprintf(f, "... (%zu bytes, sha256 %s; all with -v)", h->len, sum);
}

bool out_hex_redacts_all(struct json_object *o)
{
	const struct out_hex *h = out_hex_of(o);

	return h && h->b->redact_all;
}

void out_bytes_redacted(const struct out_bytes *b, size_t at, size_t len,
			uint8_t *dst)
{
	const struct out_hex h = { HEX_MAGIC, b, 0, b->len, 0 };

	memcpy(dst, b->p + at, len);
	for (size_t i = 0; i < len; i++)
		if (redacted(&h, at + i))
			dst[i] = 0;
}
