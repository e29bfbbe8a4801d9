/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict JSON parsing and typed field access for user-supplied JSON
 * (envelopes, batch lines, catalogue and profile files, traces). Errors
 * name the field.
 */
#ifndef TSMCTL_JSONSTRICT_H
#define TSMCTL_JSONSTRICT_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "util.h"

/* Nesting limit of every JSON input */
#define TSM_JSON_MAX_DEPTH 32

/*
 * The one reader of JSON input: one RFC 8259 value, nothing but white
 * space after it, no NUL (raw or \u0000), no duplicate keys, integers in
 * the 64-bit range, valid UTF-8, nesting at most TSM_JSON_MAX_DEPTH.
 * Errors say "@origin: ..." with the byte offset.
 */
int tsm_json_parse_strict(const char *buf, size_t len, const char *origin,
			  struct json_object **out, struct tsm_err *e);
/* Every key of @o must be in the NULL-terminated @allowed list. */
int tsm_json_check_keys(struct json_object *o, const char *const *allowed,
			const char *where, struct tsm_err *e);
/* Integer, or decimal/0x-hex string, in 0..@max. */
int tsm_json_u64(struct json_object *v, const char *field, uint64_t max,
		 uint64_t *out, struct tsm_err *e);
int tsm_json_str(struct json_object *v, const char *field, const char **out,
		 struct tsm_err *e);
int tsm_json_bool(struct json_object *v, const char *field, bool *out,
		  struct tsm_err *e);

#endif
