/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decoded description of what tsmctl sends, written through lib/emit.h
 * and shared by dry-run output, result documents and trace records (the
 * trace format, docs/cli-contract.md "Traces"): an ioctl struct (name,
 * request code, bytes, fields by offset) and a TSM request (op, payload
 * and its fields, lengths).
 */
#ifndef TSMCTL_DESCRIBE_H
#define TSMCTL_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>

#include "abi.h"
#include "emit.h"
#include "envelope.h"

struct json_object;

/* The ioctls' names in documents and traces */
#define TSM_NAME_OP "IOMMU_VDEVICE_TSM_OP"
#define TSM_NAME_REQ "IOMMU_VDEVICE_TSM_REQ"

/* Fields of an ioctl outside the TSM layouts (IOMMU_OPTION), or NULL. */
typedef void (*tsm_fields_fn)(struct tsm_emit *em, const void *st);

/* "ioctl" of a struct whose "fields" @fields writes, or are
 * @fields_json (not taken); neither: no "fields". */
void tsm_describe_raw(struct tsm_emit *em, const char *key, const char *name,
		      unsigned long request, const void *st, size_t len,
		      tsm_fields_fn fields, struct json_object *fields_json);
/* "ioctl" of a TSM struct, its fields decoded with layout @l. */
void tsm_describe_ioctl(struct tsm_emit *em, const char *key, const char *name,
			const struct tsm_layout *l, const struct tsm_image *img,
			enum tsm_req_kind kind, bool is_op);
/*
 * The last TSM struct described into text, kept: a batch line describes
 * the same struct three times (its document, the trace's intent and
 * result), so the text is copied when the struct and its layout are the
 * same. Zero-initialised; tsm_desc_cache_free() releases it.
 */
struct tsm_desc_cache {
	const char *name;
	struct tsm_layout l; /* a copy: a profile can change in place */
	enum tsm_req_kind kind;
	bool is_op;
	struct tsm_image img;
	struct tsm_strbuf text; /* "{...}": the object, without its key */
};
void tsm_describe_ioctl_cached(struct tsm_emit *em, struct tsm_desc_cache *c,
			       const char *key, const char *name,
			       const struct tsm_layout *l,
			       const struct tsm_image *img,
			       enum tsm_req_kind kind, bool is_op);
void tsm_desc_cache_free(struct tsm_desc_cache *c);

/* "request" of a TSM_REQ: fields, nonce bytes apart from the pointer. */
void tsm_describe_request(struct tsm_emit *em, const char *key,
			  const struct tsm_profile *p,
			  const struct tsm_request *r);

#endif
