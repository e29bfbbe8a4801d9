// SPDX-License-Identifier: GPL-2.0
/*
 * JSON events into compact text or a json-c tree (emit.h). The text sink
 * writes what lib/jsonw.c writes for the tree the other sink builds:
 * tsm_json_put_str() for strings that need escaping, digits for
 * integers. It is the hot path of batch result lines and trace records:
 * literal keys are copied with their compile-time length, plain ASCII
 * values without escaping, one reserve per value.
 */
#include <errno.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "emit.h"
#include "util.h"

/* room for a separator, a literal key with its quotes and colon, and a
 * short value, reserved once per member */
#define ROOM TSM_EMIT_ROOM

void tsm_emit_text(struct tsm_emit *em, struct tsm_strbuf *b)
{
	em->b = b;
	em->depth = 0;
	em->more[0] = false;
	em->err = 0;
}

void tsm_emit_tree(struct tsm_emit *em, struct json_object *root)
{
	em->b = NULL;
	em->depth = 0;
	em->stack[0] = root;
	em->err = 0;
}

/* Room for @n more bytes of text; false after an error */
static inline bool room(struct tsm_emit *em, size_t n)
{
	struct tsm_strbuf *b = em->b;

	if (!em->err && b->cap - b->len < n)
		em->err = tsm_strbuf_reserve(b, n);
	return !em->err;
}

/* the bytes a string holds as they are: printable ASCII but '"', '\\' */
static const unsigned char quiet[256] = { [' ' ... '!'] = 1,
					  ['#' ... '['] = 1,
					  [']' ... '~'] = 1 };

/*
 * The common string, copied as it is: quiet bytes only, at most @max,
 * into @d. The bytes written, or -1 for any other string
 * (tsm_json_put_str() escapes it then).
 */
static inline long plain(char *d, const char *s, size_t max)
{
	size_t i;

	for (i = 0; quiet[(unsigned char)s[i]]; i++) {
		if (i == max)
			return -1;
		d[i] = s[i];
	}
	return s[i] ? -1 : (long)i;
}

#define PLAIN_MAX 48

/* @s quoted at the end of the text sink */
static void text_str(struct tsm_emit *em, const char *s)
{
	struct tsm_strbuf *b = em->b;
	long n;

	if (!room(em, PLAIN_MAX + 2))
		return;
	n = plain(b->p + b->len + 1, s, PLAIN_MAX);
	if (n < 0) {
		em->err = tsm_json_put_str(b, s, strlen(s));
		return;
	}
	b->p[b->len] = '"';
	b->p[b->len + 1 + n] = '"';
	b->len += (size_t)n + 2;
}

/* The separator and "key": before a value of the text sink */
static void text_key(struct tsm_emit *em, struct tsm_key k)
{
	struct tsm_strbuf *b = em->b;

	if (!room(em, k.n + ROOM))
		return;
	if (em->more[em->depth])
		b->p[b->len++] = ',';
	em->more[em->depth] = true;
	if (!k.s)
		return;
	if (k.lit) { /* a literal of this file's callers: no escaping */
		b->p[b->len++] = '"';
		memcpy(b->p + b->len, k.s, k.n);
		b->len += k.n;
		b->p[b->len++] = '"';
	} else {
		text_str(em, k.s);
		if (!room(em, 1))
			return;
	}
	b->p[b->len++] = ':';
}

static void text_raw(struct tsm_emit *em, const char *s, size_t n)
{
	if (room(em, n)) {
		memcpy(em->b->p + em->b->len, s, n);
		em->b->len += n;
	}
}

/* Add @v (taken) to the open container of the tree sink */
static void tree_add(struct tsm_emit *em, struct tsm_key k,
		     struct json_object *v)
{
	struct json_object *o = em->stack[em->depth];

	if (em->err) {
		json_object_put(v);
		return;
	}
	if (json_object_is_type(o, json_type_array))
		em->err = json_object_array_add(o, v) ? -ENOMEM : 0;
	else
		em->err = json_object_object_add(o, k.s, v) ? -ENOMEM : 0;
}

static void open_container(struct tsm_emit *em, const char *key, bool arr)
{
	struct tsm_key k = { key, key ? strlen(key) : 0, false };
	struct json_object *v;

	if (em->depth + 1 >= TSM_EMIT_DEPTH) {
		em->err = -E2BIG;
		return;
	}
	if (em->b) {
		text_key(em, k);
		text_raw(em, arr ? "[" : "{", 1);
		em->more[++em->depth] = false;
		em->close[em->depth] = arr ? ']' : '}';
		return;
	}
	v = arr ? json_object_new_array() : json_object_new_object();
	tree_add(em, k, json_object_get(v));
	em->stack[++em->depth] = v;
	json_object_put(v); /* the parent holds it */
}

void tsm_emit_obj(struct tsm_emit *em, const char *key)
{
	open_container(em, key, false);
}

void tsm_emit_arr(struct tsm_emit *em, const char *key)
{
	open_container(em, key, true);
}

void tsm_emit_end(struct tsm_emit *em)
{
	if (em->depth <= 0)
		return;
	if (em->b)
		text_raw(em, &em->close[em->depth], 1);
	em->depth--;
}

/* @v's digits (@neg: a minus first) into the text sink */
static void text_u64(struct tsm_emit *em, uint64_t v, bool neg)
{
	if (!em->err)
		em->err = tsm_json_put_u64(em->b, v, neg);
}

void tsm_emit_u64_k(struct tsm_emit *em, struct tsm_key k, uint64_t v)
{
	if (!em->b) {
		tree_add(em, k,
			 v > INT64_MAX ? json_object_new_uint64(v) :
					 json_object_new_int64((int64_t)v));
		return;
	}
	text_key(em, k);
	text_u64(em, v, false);
}

void tsm_emit_i64_k(struct tsm_emit *em, struct tsm_key k, int64_t v)
{
	if (!em->b) {
		tree_add(em, k, json_object_new_int64(v));
		return;
	}
	text_key(em, k);
	text_u64(em, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void tsm_emit_bool_k(struct tsm_emit *em, struct tsm_key k, bool v)
{
	if (!em->b) {
		tree_add(em, k, json_object_new_boolean(v));
		return;
	}
	text_key(em, k);
	text_raw(em, v ? "true" : "false", v ? 4 : 5);
}

void tsm_emit_null_k(struct tsm_emit *em, struct tsm_key k)
{
	if (!em->b) {
		tree_add(em, k, NULL);
		return;
	}
	text_key(em, k);
	text_raw(em, "null", 4);
}

void tsm_emit_str_k(struct tsm_emit *em, struct tsm_key k, const char *s)
{
	if (!em->b) {
		tree_add(em, k, json_object_new_string(s));
		return;
	}
	text_key(em, k);
	text_str(em, s);
}

void tsm_emit_hex_k(struct tsm_emit *em, struct tsm_key k, const uint8_t *b,
		    size_t len)
{
	char *s;

	if (!em->b) {
		s = malloc(2 * len + 1);
		if (!s) {
			em->err = -ENOMEM;
			return;
		}
		tsm_hex(b, len, s);
		tree_add(em, k, json_object_new_string_len(s, (int)(2 * len)));
		free(s);
		return;
	}
	text_key(em, k);
	if (!room(em, 2 * len + 3))
		return;
	s = em->b->p + em->b->len;
	s[0] = '"';
	tsm_hex(b, len, s + 1);
	s[2 * len + 1] = '"';
	em->b->len += 2 * len + 2;
}

void tsm_emit_json_k(struct tsm_emit *em, struct tsm_key k,
		     struct json_object *o)
{
	if (!em->b) {
		tree_add(em, k, o);
		return;
	}
	text_key(em, k);
	if (!em->err)
		em->err = tsm_json_write(em->b, o);
	json_object_put(o);
}

void tsm_emit_u64_v(struct tsm_emit *em, uint64_t v, bool neg)
{
	text_u64(em, v, neg);
}

void tsm_emit_str_v(struct tsm_emit *em, const char *s)
{
	text_str(em, s);
}

void tsm_emit_raw_v(struct tsm_emit *em, const char *s, size_t n)
{
	text_raw(em, s, n);
}

void tsm_emit_i64_v(struct tsm_emit *em, int64_t v)
{
	text_u64(em, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void tsm_emit_raw(struct tsm_emit *em, const char *key, const char *json,
		  size_t n)
{
	struct tsm_key k = { key, key ? strlen(key) : 0, false };

	if (!em->b) {
		em->err = -EINVAL;
		return;
	}
	text_key(em, k);
	text_raw(em, json, n);
}
