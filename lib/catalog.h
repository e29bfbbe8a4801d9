/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The op catalogue: per TSM request its name, the arch it belongs to, how
 * a profile numbers it (through the generic op id, or the v5 scope), its
 * payload fields (name, offset, size, accepted values), its natural
 * response size and how the response is decoded. Compiled-in entries come
 * from docs/kernel-abi.md; --catalog FILE adds or overrides.
 */
#ifndef TSMCTL_CATALOG_H
#define TSMCTL_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "abi.h"
#include "tsmcode.h"
#include "util.h"

#define TSM_CAT_MAX_FIELDS 8
#define TSM_CAT_MAX_VALUES 6
#define TSM_CAT_MAX_ENTRIES 64
#define TSM_PAYLOAD_MAX 4096
#define TSM_RESP_MAX (16u << 20) /* objects are at most 16 MiB */

enum tsm_decoder {
	TSM_DEC_NONE,
	TSM_DEC_U32_SIZE, /* 4-byte object size */
	TSM_DEC_OBJECT, /* by the object_type field */
	TSM_DEC_TDI_STATE, /* u32 TDI state */
};

struct tsm_cat_value {
	char name[20];
	uint64_t v;
};

/* How a field's value is given and encoded. */
enum tsm_cat_fkind {
	TSM_FK_NUMBER, /* a number or one of the field's value names */
	TSM_FK_OBJTYPE, /* a CCA object type: names and numbers per profile */
	TSM_FK_NONCE, /* a u64 user pointer to TSM_CAT_NONCE_LEN bytes of
			 tsmctl's own memory; the user gives the bytes (hex) */
};

#define TSM_CAT_NONCE_LEN 32

struct tsm_cat_field {
	char name[24];
	uint16_t off;
	uint8_t size; /* 1, 2, 4 or 8 */
	uint8_t kind; /* enum tsm_cat_fkind */
	bool fixed; /* a constant (v5 req_type): not settable */
	bool required; /* must be given (no default) */
	uint64_t def; /* default or the constant */
	unsigned int nvalues;
	struct tsm_cat_value values[TSM_CAT_MAX_VALUES];
	const char *doc;
};

enum tsm_cat_era {
	TSM_ERA_OP = 1, /* op + tvm_arch profiles */
	TSM_ERA_SCOPE = 2, /* v5 scope profiles */
};

struct tsm_cat_entry {
	char name[32];
	enum tsm_arch arch; /* TSM_ARCH_NONE: any arch */
	enum tsm_cat_era era;
	int opid; /* enum tsm_req_opid (op era); -1: numbered */
	uint32_t number; /* explicit op number when opid < 0 */
	uint32_t scope; /* scope era */
	bool state_change; /* a failure may have committed */
	bool payload_published; /* false: --in required */
	uint32_t req_len; /* payload size when published */
	uint32_t resp_len; /* natural response size */
	bool resp_exact; /* a response of another length is an error */
	char sized_by[32]; /* without --resp-len, this op sizes the buffer */
	enum tsm_decoder decoder;
	unsigned int nfields;
	struct tsm_cat_field fields[TSM_CAT_MAX_FIELDS];
	char doc[120];
	bool from_file;
};

struct tsm_catalog {
	unsigned int n;
	struct tsm_cat_entry e[TSM_CAT_MAX_ENTRIES];
};

/* The compiled-in entries. */
void tsm_catalog_init(struct tsm_catalog *c);
/* Add or override entries from a JSON file (see lib/catalog.c). */
int tsm_catalog_load(struct tsm_catalog *c, const char *path,
		     struct tsm_err *e);
int tsm_catalog_parse(struct tsm_catalog *c, const char *buf, size_t len,
		      const char *origin, struct tsm_err *e);

/*
 * Find the entry named @name for @arch in the era of profile @p; an entry
 * for any arch matches too. NULL when none. An entry whose op the profile
 * does not number is still returned: check tsm_cat_opnum().
 */
const struct tsm_cat_entry *tsm_catalog_find(const struct tsm_catalog *c,
					     const struct tsm_profile *p,
					     const char *name,
					     enum tsm_arch arch);
/* Find an entry by op number in profile @p (op era). */
const struct tsm_cat_entry *tsm_catalog_by_number(const struct tsm_catalog *c,
						  const struct tsm_profile *p,
						  uint32_t number,
						  enum tsm_arch arch);
/* @e can be sent under profile @p (its era, and numbered there). */
bool tsm_cat_in_profile(const struct tsm_cat_entry *e,
			const struct tsm_profile *p);
/* The op number of @e in profile @p, 0 if the profile lacks it. */
uint32_t tsm_cat_opnum(const struct tsm_cat_entry *e,
		       const struct tsm_profile *p);
/* Any entry of this name in any arch/era (for error messages). */
bool tsm_catalog_has_name(const struct tsm_catalog *c, const char *name);

/*
 * The names of the compiled-in ops, each once, in catalogue order; only
 * those profile @p numbers (NULL: every profile) for @arch (TSM_ARCH_NONE:
 * every arch). The count written to @out (at most @max).
 */
size_t tsm_catalog_op_names(const char **out, size_t max,
			    const struct tsm_profile *p, enum tsm_arch arch);

const struct tsm_cat_field *tsm_cat_field_find(const struct tsm_cat_entry *e,
					       const char *name);

/*
 * Parse a field value: a number (decimal or 0x-hex) or one of the field's
 * value names. Checks the field width.
 */
int tsm_cat_field_value(const struct tsm_cat_field *f, const char *s,
			const char *origin, uint64_t *out, struct tsm_err *e);
/* The name of value @v of field @f, or NULL. */
const char *tsm_cat_value_name(const struct tsm_cat_field *f, uint64_t v);

/*
 * Field @f as profile @p sees it: an object-type field gets the
 * profile's object-type names and numbers in @tmp (returned), any other
 * field is returned as it is.
 */
const struct tsm_cat_field *tsm_cat_field_in(const struct tsm_cat_field *f,
					     const struct tsm_profile *p,
					     struct tsm_cat_field *tmp);
/* The first field of @e of kind @kind, or NULL. */
const struct tsm_cat_field *tsm_cat_field_kind(const struct tsm_cat_entry *e,
					       enum tsm_cat_fkind kind);
/* Little-endian value of field @f in @payload (0 past @len). */
uint64_t tsm_cat_field_get(const struct tsm_cat_field *f,
			   const uint8_t *payload, uint32_t len);

const char *tsm_scope_name(uint32_t scope);
int tsm_scope_from_name(const char *s, uint32_t *out);

#define TSM_SCOPE_INFO 0
#define TSM_SCOPE_STATE_CHANGE 1
#define TSM_SCOPE_DEBUG_READ 2
#define TSM_SCOPE_DEBUG_WRITE 3

#endif
