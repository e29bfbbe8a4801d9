/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One way to write a JSON document, two sinks (iproute2's print_*()
 * idea): compact JSON text straight into a tsm_strbuf, with no tree and no
 * allocation per value (batch result lines, trace records), or a json-c
 * tree (a command's document, which text mode renders and JSON mode
 * writes through lib/jsonw.c). The same calls give the same bytes in both
 * (tests/unit/test_emit.c), so a renderer is written once.
 *
 * Every call adds a member to the object being written (@key) or, inside
 * an array, an element (@key NULL). Errors (-ENOMEM) are sticky in ->err.
 */
#ifndef TSMCTL_EMIT_H
#define TSMCTL_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jsonw.h"

#define TSM_EMIT_DEPTH 16

struct json_object;

struct tsm_emit {
	struct tsm_strbuf *b; /* text sink; NULL: tree sink */
	struct json_object *stack[TSM_EMIT_DEPTH]; /* tree: open containers */
	bool more[TSM_EMIT_DEPTH]; /* text: a member is written at this depth */
	char close[TSM_EMIT_DEPTH]; /* text: '}' or ']' */
	int depth;
	int err;
};

/* Text into @b (appended); the first call opens the document. */
void tsm_emit_text(struct tsm_emit *em, struct tsm_strbuf *b);
/* Members added to the json-c object @root (not taken). */
void tsm_emit_tree(struct tsm_emit *em, struct json_object *root);

/* An object or array member; closed by tsm_emit_end(). */
void tsm_emit_obj(struct tsm_emit *em, const char *key);
void tsm_emit_arr(struct tsm_emit *em, const char *key);
void tsm_emit_end(struct tsm_emit *em);

/*
 * A member's key: a string literal is measured at compile time and known
 * to need no escaping (the hot path writes it with one memcpy); any other
 * key is measured and escaped as a string.
 */
struct tsm_key {
	const char *s;
	size_t n;
	bool lit;
};
#define TSM_KEY(k) \
	((struct tsm_key){ (k), __builtin_strlen(k), __builtin_constant_p(k) })

void tsm_emit_u64_k(struct tsm_emit *em, struct tsm_key k, uint64_t v);
void tsm_emit_i64_k(struct tsm_emit *em, struct tsm_key k, int64_t v);
void tsm_emit_bool_k(struct tsm_emit *em, struct tsm_key k, bool v);
void tsm_emit_null_k(struct tsm_emit *em, struct tsm_key k);
void tsm_emit_str_k(struct tsm_emit *em, struct tsm_key k, const char *s);
/* @len bytes as lower-case hex */
void tsm_emit_hex_k(struct tsm_emit *em, struct tsm_key k, const uint8_t *b,
		    size_t len);
/* JSON text written elsewhere, copied as a member (text sink only). */
void tsm_emit_raw(struct tsm_emit *em, const char *key, const char *json,
		  size_t n);
/* A json-c value built elsewhere (a decoded object): @o is taken. */
void tsm_emit_json_k(struct tsm_emit *em, struct tsm_key k,
		     struct json_object *o);

/*
 * The hot path of the text sink, inline: a literal key (its length known
 * at compile time) with its separator, when there is room; then the value
 * alone. Anything else goes through the functions above.
 */
#define TSM_EMIT_ROOM 80
static inline bool tsm_emit_lit_key(struct tsm_emit *em, struct tsm_key k)
{
	struct tsm_strbuf *b = em->b;
	char *d;

	if (!b || !k.lit || em->err || b->cap - b->len < k.n + TSM_EMIT_ROOM)
		return false;
	d = b->p + b->len;
	if (em->more[em->depth])
		*d++ = ',';
	em->more[em->depth] = true;
	*d++ = '"';
	memcpy(d, k.s, k.n);
	d += k.n;
	*d++ = '"';
	*d++ = ':';
	b->len = (size_t)(d - b->p);
	return true;
}

/* Values after a key written by tsm_emit_lit_key() */
void tsm_emit_u64_v(struct tsm_emit *em, uint64_t v, bool neg);
void tsm_emit_i64_v(struct tsm_emit *em, int64_t v);
void tsm_emit_str_v(struct tsm_emit *em, const char *s);
void tsm_emit_raw_v(struct tsm_emit *em, const char *s, size_t n);

#define TSM_EMIT_(em, k, fast, slow)            \
	do {                                    \
		struct tsm_emit *em_ = (em);    \
		struct tsm_key k_ = TSM_KEY(k); \
		if (tsm_emit_lit_key(em_, k_))  \
			fast;                   \
		else                            \
			slow;                   \
	} while (0)

#define tsm_emit_u64(em, k, v)                            \
	TSM_EMIT_(em, k, tsm_emit_u64_v(em_, (v), false), \
		  tsm_emit_u64_k(em_, k_, (v)))
#define tsm_emit_i64(em, k, v)                              \
	TSM_EMIT_(em, k, tsm_emit_i64_v(em_, (int64_t)(v)), \
		  tsm_emit_i64_k(em_, k_, (v)))
#define tsm_emit_bool(em, k, v)                                             \
	TSM_EMIT_(em, k,                                                    \
		  tsm_emit_raw_v(em_, (v) ? "true" : "false", (v) ? 4 : 5), \
		  tsm_emit_bool_k(em_, k_, (v)))
#define tsm_emit_null(em, k) tsm_emit_null_k((em), TSM_KEY(k))
#define tsm_emit_str(em, k, s) \
	TSM_EMIT_(em, k, tsm_emit_str_v(em_, (s)), tsm_emit_str_k(em_, k_, (s)))
#define tsm_emit_hex(em, k, b, n) tsm_emit_hex_k((em), TSM_KEY(k), (b), (n))
#define tsm_emit_json(em, k, o) tsm_emit_json_k((em), TSM_KEY(k), (o))

#endif
