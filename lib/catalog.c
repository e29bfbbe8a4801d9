// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled-in op catalogue (docs/kernel-abi.md, "Payloads") and the
 * lookups. Payload layouts (the asserted structs of uapi.h):
 *   CCA validate-mmio  24 B: gpa_base u64 @0, gpa_top u64 @8, pa_base @16
 *   CCA set-tdi-state   4 B: tdi_state u32 @0 (RHI: unlocked 0, locked 1,
 *                            run 2; "lock" and "unlock" accepted too)
 *   CCA object-info     4 B: object_type u32 @0; response: a u32 size
 *   CCA read-object    16 B: object_type u32 @0, reserved @4, offset @8
 *   CCA regen-object   24 B: object_type u32 @0, reserved @4, flags u64 @8,
 *                            nonce u64 @16 (pointer to 32 bytes)
 * Object-type numbers are the profile's (tsm_profile.objnum).
 *   v5 scope-era CCA payloads start with u32 req_type (OBJECT_SIZE 1,
 *   OBJECT_READ 2, SET_TDI_STATE 7).
 * SEV and TDX publish no payloads: their entries need --in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "uapi.h"

#define TDI_STATE_VALUES \
	.nvalues = 3,    \
	.values = { { "unlocked", 0 }, { "locked", 1 }, { "run", 2 } }
#define OBJ_TYPE(off)                                                 \
	{ "object_type", off, 4, .kind = TSM_FK_OBJTYPE, .required = true, \
	  .doc = "certificate, measurement, interface_report or vca" }
#define RESERVED(off) { "reserved", off, 4, .fixed = true, .def = 0 }
#define OFF(t, f) offsetof(struct t, f)

static const struct tsm_cat_entry builtin[] = {
	/* op era: v5-op, v6, v7 */
	{ .name = TSM_OPNAME_VALIDATE_MMIO, .arch = TSM_ARCH_CCA, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_VALIDATE_MMIO, .state_change = true,
	  .payload_published = true, .req_len = 24,
	  .nfields = 3,
	  .fields = {
		  { "gpa_base", 0, 8, .required = true,
		    .doc = "first guest physical address (page aligned)" },
		  { "gpa_top", 8, 8, .required = true,
		    .doc = "end guest physical address, exclusive" },
		  { "pa_base", 16, 8, .required = true,
		    .doc = "host physical address of gpa_base" },
	  },
	  .doc = "validate an MMIO mapping of the TDI (RMI_EXIT_VDEV_VALIDATE_MAPPING)" },
	{ .name = TSM_OPNAME_SET_TDI_STATE, .arch = TSM_ARCH_CCA, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_SET_TDI_STATE, .state_change = true,
	  .payload_published = true, .req_len = 4,
	  .nfields = 1,
	  .fields = { { "tdi_state", 0, 4, .required = true, TDI_STATE_VALUES,
			.doc = "RHI TDI state" } },
	  .doc = "move the TDI to UNLOCKED, LOCKED or RUN" },
	{ .name = TSM_OPNAME_OBJECT_INFO, .arch = TSM_ARCH_CCA, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_OBJECT_INFO, .payload_published = true,
	  .req_len = sizeof(struct tsm_uapi_cca_object_info), .resp_len = 4,
	  .resp_exact = true, .decoder = TSM_DEC_U32_SIZE,
	  .nfields = 1,
	  .fields = { OBJ_TYPE(0) },
	  .doc = "size of a device evidence object (a 4-byte answer)" },
	{ .name = TSM_OPNAME_READ_OBJECT, .arch = TSM_ARCH_CCA, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_READ_OBJECT, .payload_published = true,
	  .req_len = sizeof(struct tsm_uapi_cca_read_object),
	  .sized_by = TSM_OPNAME_OBJECT_INFO, .decoder = TSM_DEC_OBJECT,
	  .nfields = 3,
	  .fields = { OBJ_TYPE(OFF(tsm_uapi_cca_read_object, object_type)),
		      RESERVED(OFF(tsm_uapi_cca_read_object, reserved)),
		      { "offset", OFF(tsm_uapi_cca_read_object, offset), 8,
			.doc = "byte offset in the object" } },
	  .doc = "read a device evidence object (sized by object-info first)" },
	{ .name = TSM_OPNAME_REGEN_OBJECT, .arch = TSM_ARCH_CCA, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_REGEN_OBJECT, .state_change = true,
	  .payload_published = true,
	  .req_len = sizeof(struct tsm_uapi_cca_regen_object),
	  .nfields = 4,
	  .fields = { OBJ_TYPE(OFF(tsm_uapi_cca_regen_object, object_type)),
		      RESERVED(OFF(tsm_uapi_cca_regen_object, reserved)),
		      { "flags", OFF(tsm_uapi_cca_regen_object, flags), 8,
			.doc = "measurement format: 0 or 1" },
		      { "nonce", OFF(tsm_uapi_cca_regen_object, nonce), 8,
			.kind = TSM_FK_NONCE,
			.doc = "32 bytes as hex; none for interface_report" } },
	  .doc = "regenerate an object with a fresh nonce" },
	{ .name = TSM_OPNAME_VALIDATE_MMIO, .arch = TSM_ARCH_SEV, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_VALIDATE_MMIO, .state_change = true,
	  .doc = "SEV payload not published: give it with --in" },
	{ .name = TSM_OPNAME_VALIDATE_MMIO, .arch = TSM_ARCH_TDX, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_VALIDATE_MMIO, .state_change = true,
	  .doc = "TDX payload not published: give it with --in" },
	{ .name = TSM_OPNAME_SET_TDI_STATE, .arch = TSM_ARCH_SEV, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_SET_TDI_STATE, .state_change = true,
	  .doc = "SEV payload not published: give it with --in" },
	{ .name = TSM_OPNAME_SET_TDI_STATE, .arch = TSM_ARCH_TDX, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_SET_TDI_STATE, .state_change = true,
	  .doc = "TDX payload not published: give it with --in" },
	{ .name = TSM_OPNAME_SEV_ENABLE_DMA, .arch = TSM_ARCH_SEV, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_SEV_ENABLE_DMA, .state_change = true,
	  .doc = "enable DMA for the TDI (payload not published: --in)" },
	{ .name = TSM_OPNAME_SEV_DISABLE_DMA, .arch = TSM_ARCH_SEV, .era = TSM_ERA_OP,
	  .opid = TSM_OPID_SEV_DISABLE_DMA, .state_change = true,
	  .doc = "disable DMA for the TDI (payload not published: --in)" },
	/* scope era: v5 */
	{ .name = "object-size", .arch = TSM_ARCH_CCA, .era = TSM_ERA_SCOPE,
	  .opid = -1, .scope = TSM_SCOPE_INFO, .payload_published = true,
	  .req_len = 8, .resp_len = 4, .decoder = TSM_DEC_U32_SIZE,
	  .resp_exact = true, .nfields = 2,
	  .fields = { { "req_type", 0, 4, .fixed = true, .def = 1 },
		      OBJ_TYPE(4) },
	  .doc = "__RHI_DA_OBJECT_SIZE through scope info" },
	{ .name = "object-read", .arch = TSM_ARCH_CCA, .era = TSM_ERA_SCOPE,
	  .opid = -1, .scope = TSM_SCOPE_INFO, .payload_published = true,
	  .req_len = 16, .sized_by = "object-size", .decoder = TSM_DEC_OBJECT,
	  .nfields = 3,
	  .fields = { { "req_type", 0, 4, .fixed = true, .def = 2 },
		      OBJ_TYPE(4),
		      { "offset", 8, 8 } },
	  .doc = "__RHI_DA_OBJECT_READ through scope info" },
	{ .name = TSM_OPNAME_SET_TDI_STATE, .arch = TSM_ARCH_CCA, .era = TSM_ERA_SCOPE,
	  .opid = -1, .scope = TSM_SCOPE_STATE_CHANGE, .state_change = true,
	  .payload_published = true, .req_len = 8,
	  .nfields = 2,
	  .fields = { { "req_type", 0, 4, .fixed = true, .def = 7 },
		      { "tdi_state", 4, 4, .required = true,
			TDI_STATE_VALUES } },
	  .doc = "__RHI_DA_VDEV_SET_TDI_STATE through scope state-change" },
};

void tsm_catalog_init(struct tsm_catalog *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ARRAY_SIZE(builtin); i++)
		c->e[c->n++] = builtin[i];
}

static enum tsm_cat_era era_of(const struct tsm_profile *p)
{
	return p->req_kind == TSM_REQ_SCOPE ? TSM_ERA_SCOPE : TSM_ERA_OP;
}

bool tsm_cat_in_profile(const struct tsm_cat_entry *e,
			const struct tsm_profile *p)
{
	return e->era == era_of(p) &&
	       (e->era != TSM_ERA_OP || tsm_cat_opnum(e, p));
}

const struct tsm_cat_entry *tsm_catalog_find(const struct tsm_catalog *c,
					     const struct tsm_profile *p,
					     const char *name,
					     enum tsm_arch arch)
{
	const struct tsm_cat_entry *any = NULL;
	unsigned int i;

	/* later entries (from --catalog) override earlier ones */
	for (i = c->n; i-- > 0;) {
		const struct tsm_cat_entry *e = &c->e[i];

		if (e->era != era_of(p) || strcmp(e->name, name))
			continue;
		if (e->arch == arch)
			return e;
		if (e->arch == TSM_ARCH_NONE && !any)
			any = e;
	}
	return any;
}

uint32_t tsm_cat_opnum(const struct tsm_cat_entry *e,
		       const struct tsm_profile *p)
{
	if (e->era != TSM_ERA_OP)
		return 0;
	if (e->opid < 0)
		return e->number;
	if (e->opid >= TSM_OPID_COUNT)
		return 0;
	return p->opnum[e->opid];
}

const struct tsm_cat_entry *tsm_catalog_by_number(const struct tsm_catalog *c,
						  const struct tsm_profile *p,
						  uint32_t number,
						  enum tsm_arch arch)
{
	unsigned int i;

	if (!number)
		return NULL;
	for (i = c->n; i-- > 0;) {
		const struct tsm_cat_entry *e = &c->e[i];

		if (e->era == TSM_ERA_OP && tsm_cat_opnum(e, p) == number &&
		    (e->arch == arch || e->arch == TSM_ARCH_NONE))
			return e;
	}
	return NULL;
}

bool tsm_catalog_has_name(const struct tsm_catalog *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, name))
			return true;
	return false;
}

/* Whether built-in entry @i is the first of its name among those kept */
static bool first_of_name(size_t i, const char **out, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!strcmp(out[k], builtin[i].name))
			return false;
	return true;
}

size_t tsm_catalog_op_names(const char **out, size_t max,
			    const struct tsm_profile *p, enum tsm_arch arch)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(builtin) && n < max; i++) {
		const struct tsm_cat_entry *e = &builtin[i];

		if (p && !tsm_cat_in_profile(e, p))
			continue;
		if (arch != TSM_ARCH_NONE && e->arch != arch &&
		    e->arch != TSM_ARCH_NONE)
			continue;
		if (first_of_name(i, out, n))
			out[n++] = e->name;
	}
	return n;
}

const struct tsm_cat_field *tsm_cat_field_find(const struct tsm_cat_entry *e,
					       const char *name)
{
	unsigned int i;

	for (i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i].name, name))
			return &e->fields[i];
	return NULL;
}

const char *tsm_cat_value_name(const struct tsm_cat_field *f, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < f->nvalues; i++)
		if (f->values[i].v == v)
			return f->values[i].name;
	return NULL;
}

int tsm_cat_field_value(const struct tsm_cat_field *f, const char *s,
			const char *origin, uint64_t *out, struct tsm_err *e)
{
	uint64_t max = f->size >= 8 ? UINT64_MAX : (1ull << (8 * f->size)) - 1;
	char what[64], names[160] = "";
	unsigned int i;
	size_t off = 0;

	for (i = 0; i < f->nvalues; i++) {
		const char *n = f->values[i].name;
		size_t sl = strlen(s);

		/* "locked" is also accepted as "lock", as set-run --state */
		if (!strcmp(s, n) ||
		    (sl && strlen(n) == sl + 2 && !strncmp(n, s, sl) &&
		     !strcmp(n + sl, "ed"))) {
			*out = f->values[i].v;
			return 0;
		}
		off += (size_t)snprintf(
			names + off,
			off < sizeof(names) ? sizeof(names) - off : 0, "%s%s",
			i ? ", " : "", f->values[i].name);
	}
	snprintf(what, sizeof(what), "%s %s", origin, f->name);
	if (tsm_parse_u64(s, max, what, out, e)) {
		if (f->nvalues) {
			char more[sizeof(names) + 40];

			snprintf(more, sizeof(more), "; or one of: %s", names);
			snprintf(e->hint, sizeof(e->hint), "%s", more + 2);
		}
		snprintf(e->field, sizeof(e->field), "%s", f->name);
		return -EINVAL;
	}
	return 0;
}

const struct tsm_cat_field *tsm_cat_field_in(const struct tsm_cat_field *f,
					     const struct tsm_profile *p,
					     struct tsm_cat_field *tmp)
{
	unsigned int i;

	if (!f || f->kind != TSM_FK_OBJTYPE)
		return f;
	*tmp = *f;
	tmp->nvalues = TSM_OBJ_COUNT;
	for (i = 0; i < TSM_OBJ_COUNT; i++) {
		snprintf(tmp->values[i].name, sizeof(tmp->values[i].name), "%s",
			 tsm_objtype_name((enum tsm_objtype)i));
		tmp->values[i].v = p->objnum[i];
	}
	return tmp;
}

const struct tsm_cat_field *tsm_cat_field_kind(const struct tsm_cat_entry *e,
					       enum tsm_cat_fkind kind)
{
	unsigned int i;

	for (i = 0; e && i < e->nfields; i++)
		if (e->fields[i].kind == kind)
			return &e->fields[i];
	return NULL;
}

uint64_t tsm_cat_field_get(const struct tsm_cat_field *f,
			   const uint8_t *payload, uint32_t len)
{
	uint64_t v = 0;
	unsigned int b;

	if (!f || f->off + f->size > len)
		return 0;
	for (b = 0; b < f->size; b++)
		v |= (uint64_t)payload[f->off + b] << (8 * b);
	return v;
}

static const char *const scope_names[] = { "info", "state-change", "debug-read",
					   "debug-write" };

const char *tsm_scope_name(uint32_t scope)
{
	return scope < ARRAY_SIZE(scope_names) ? scope_names[scope] : "unknown";
}

int tsm_scope_from_name(const char *s, uint32_t *out)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(scope_names); i++)
		if (!strcmp(s, scope_names[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}
