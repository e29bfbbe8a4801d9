/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A compact JSON writer for json-c trees: the same bytes as
 * json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE), without json-c's per-value snprintf and
 * per-byte buffer calls. One JSON document per batch line and per trace
 * record goes through it (tests/unit/test_jsonw.c checks it against json-c).
 */
#ifndef TSMCTL_JSONW_H
#define TSMCTL_JSONW_H

#include <stddef.h>

struct json_object;

/* A growable byte buffer, reused across documents. */
struct tsm_strbuf {
	char *p;
	size_t len, cap;
};

/* Append @o (NULL is "null") to @b; 0 or -ENOMEM (@b then holds a prefix). */
int tsm_json_write(struct tsm_strbuf *b, struct json_object *o);
/* Append @n bytes; 0 or -ENOMEM. */
int tsm_strbuf_add(struct tsm_strbuf *b, const void *s, size_t n);
void tsm_strbuf_free(struct tsm_strbuf *b);
/*
 * Make every string value in @o valid UTF-8 (each byte that does not start
 * a valid sequence becomes U+FFFD), for writers other than
 * tsm_json_write (json-c's pretty printer). 0 or -ENOMEM.
 */
int tsm_json_fix_utf8(struct json_object *o);

#endif
