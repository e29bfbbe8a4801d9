/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON writer for json-c trees: the same bytes as
 * json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE), or with JSON_C_TO_STRING_PRETTY |
 * JSON_C_TO_STRING_SPACED (tsm_json_write_pretty, empty containers kept on
 * one line), without json-c's
 * per-value snprintf and per-byte buffer calls. One JSON document per
 * batch line and per trace record goes through it
 * (tests/unit/test_jsonw.c checks it against json-c).
 *
 * Streaming: with a flush callback the buffer is emptied whenever it
 * holds @limit bytes or more, so a document of any size is written in
 * bounded memory; with a special callback, a string that carries json-c
 * userdata is written by it (dump's evidence bytes, cmd/core/out.c).
 */
#ifndef TSMCTL_JSONW_H
#define TSMCTL_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* A growable byte buffer, reused across documents. */
struct tsm_strbuf {
	char *p;
	size_t len, cap;
	/* optional: write out and empty the buffer (b->len = 0); 0 or -errno */
	int (*flush)(struct tsm_strbuf *b);
	size_t limit; /* flush when this much is held */
	/* optional: write a string node that has json-c userdata */
	int (*special)(struct tsm_strbuf *b, struct json_object *o);
	void *arg; /* for the callbacks */
};

/*
 * Append @o (NULL is "null") to @b; 0, -ENOMEM (@b then holds a prefix),
 * or a callback's error.
 */
int tsm_json_write(struct tsm_strbuf *b, struct json_object *o);
/*
 * The same, indented as json-c's JSON_C_TO_STRING_PRETTY does, but an
 * empty array or object is "[]" or "{}" (json-c breaks the line in it).
 */
int tsm_json_write_pretty(struct tsm_strbuf *b, struct json_object *o);
/* Flush @b if it has a flush callback and holds @limit bytes or more. */
int tsm_strbuf_maybe_flush(struct tsm_strbuf *b);
/* Room for @n more bytes at b->p + b->len; 0 or -ENOMEM. */
int tsm_strbuf_reserve(struct tsm_strbuf *b, size_t n);
/* Append @n bytes; 0 or -ENOMEM. */
int tsm_strbuf_add(struct tsm_strbuf *b, const void *s, size_t n);
void tsm_strbuf_free(struct tsm_strbuf *b);

/* Pieces of a document, for writers that stream without a tree
 * (lib/emit.c): an integer (@neg: minus @v), a string quoted and
 * escaped as above. 0 or -ENOMEM. */
int tsm_json_put_u64(struct tsm_strbuf *b, uint64_t v, bool neg);
int tsm_json_put_str(struct tsm_strbuf *b, const char *s, size_t n);

#endif
