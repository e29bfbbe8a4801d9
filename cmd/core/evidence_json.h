/* SPDX-License-Identifier: GPL-2.0 */
/* Decoded evidence objects as JSON (evidence_json.c): dump and req. */
#ifndef TSMCTL_CORE_EVIDENCE_JSON_H
#define TSMCTL_CORE_EVIDENCE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;
struct out_bytes;

/* @src (NULL: copy the bytes): hex as nodes into kept bytes (out_bytes.h) */
struct json_object *tdisp_report_json(const uint8_t *b, size_t len,
				      const struct out_bytes *src);
struct json_object *measurements_json(const uint8_t *b, size_t len,
				      size_t *nonce_off, bool *has_nonce,
				      const struct out_bytes *src);

#endif
