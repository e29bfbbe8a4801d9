// SPDX-License-Identifier: GPL-2.0
/*
 * dump.json and the evidence objects of a --bundle, streamed into the
 * archive from the one copy of each object (out_bytes.h): the document
 * is written twice by lib/jsonw.c, once to count its bytes (a tar header
 * holds the size first) and once into the archive, 64 KiB at a time.
 * Redacted: the nonce of every measurement (decoded "nonce_hex" and
 * inside the raw bytes) is zeroed, and a measurement the decoder could
 * not parse, whose nonce could be anywhere, is zeroed whole. Each object
 * redacted is marked "redacted": true, and its "sha256" is that of the
 * bytes in evidence/.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bundle.h"
#include "core/out.h"
#include "core/out_bytes.h"
#include "crypto.h"
#include "targz.h"
#include "util.h"

#define DOC_FLUSH (64 * 1024)
#define PIECE 65536

static int count_flush(struct tsm_strbuf *b)
{
	struct out_sink *s = b->arg;

	s->n += b->len;
	b->len = 0;
	return 0;
}

static int targz_flush(struct tsm_strbuf *b)
{
	struct out_sink *s = b->arg;
	int rc = tsm_targz_write(s->dst, b->p, b->len);

	s->n += b->len;
	b->len = 0;
	return rc;
}

/* The doc, pretty, through @flush; 0 or an error. */
static int write_doc(struct json_object *doc, struct out_sink *s,
		     int (*flush)(struct tsm_strbuf *))
{
	struct tsm_strbuf b = { .flush = flush,
				.limit = DOC_FLUSH,
				.special = out_hex_jsonw,
				.arg = s };
	int rc = tsm_json_write_pretty(&b, doc);

	if (!rc)
		rc = tsm_strbuf_add(&b, "\n", 1);
	if (!rc)
		rc = flush(&b);
	tsm_strbuf_free(&b);
	return rc;
}

/*
 * Each evidence object of @list whose bytes the bundle redacts:
 * "redacted": true and the SHA-256 of the bytes in evidence/ (@on), or
 * back as they were.
 */
static void mark_sums(const struct out_bytes *list, bool on)
{
	struct json_object *sum;
	uint8_t md[32], *p;
	char hex[65];

	for (const struct out_bytes *b = list; b; b = b->next) {
		if (!b->obj || !(b->has_nonce || b->redact_all))
			continue;
		if (on)
			json_add(b->obj, "redacted",
				 json_object_new_boolean(1));
		else
			json_object_object_del(b->obj, "redacted");
		if (!json_object_object_get_ex(b->obj, "sha256", &sum))
			continue;
		p = on ? malloc(b->len ? b->len : 1) : NULL;
		if (on && !p)
			continue;
		if (p)
			out_bytes_redacted(b, 0, b->len, p);
		if (!tsm_sha256(p ? p : b->p, b->len, md, NULL)) {
			tsm_hex(md, sizeof(md), hex);
			json_object_set_string(sum, hex);
		}
		free(p);
	}
}

/* "redacted": true on (@on) or off each object the bundle redacts */
static void mark(struct json_object *o, bool on)
{
	struct json_object *hex;

	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			mark(json_object_array_get_idx(o, i), on);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	if (json_object_object_get_ex(o, "hex", &hex) &&
	    out_hex_redacts_all(hex)) {
		if (on)
			json_add(o, "redacted", json_object_new_boolean(1));
		else
			json_object_object_del(o, "redacted");
	}
	json_object_object_foreach(o, k, v) {
		(void)k;
		mark(v, on);
	}
}

int bundle_add_doc(struct tsm_targz *t, struct json_object *doc,
		   const struct out_bytes *list, bool redact, time_t now)
{
	struct out_sink s = { .redact = redact, .dst = t };
	int rc;

	if (redact) {
		mark(doc, true);
		mark_sums(list, true);
	}
	rc = write_doc(doc, &s, count_flush);
	if (!rc)
		rc = tsm_targz_begin(t, "tsmctl-bundle/dump.json", s.n, now);
	s.n = 0;
	if (!rc)
		rc = write_doc(doc, &s, targz_flush);
	if (!rc)
		rc = tsm_targz_end(t);
	if (redact) {
		mark(doc, false);
		mark_sums(list, false);
	}
	return rc;
}

int bundle_add_evidence(struct tsm_targz *t, const struct out_bytes *list,
			bool redact, time_t now, unsigned int *n_added)
{
	uint8_t *piece = malloc(PIECE);
	char name[TSM_TARGZ_NAME_MAX + 1];
	int rc = piece ? 0 : -ENOMEM;

	for (const struct out_bytes *b = list; !rc && b; b = b->next) {
		if (!b->name[0])
			continue;
		snprintf(name, sizeof(name), "tsmctl-bundle/evidence/%s",
			 b->name);
		rc = tsm_targz_begin(t, name, b->len, now);
		for (size_t at = 0; !rc && at < b->len; at += PIECE) {
			size_t n = b->len - at < PIECE ? b->len - at : PIECE;

			if (redact)
				out_bytes_redacted(b, at, n, piece);
			rc = tsm_targz_write(t, redact ? piece : b->p + at, n);
		}
		if (!rc)
			rc = tsm_targz_end(t);
		if (!rc)
			++*n_added;
	}
	free(piece);
	return rc;
}
