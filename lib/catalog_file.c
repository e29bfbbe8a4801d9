// SPDX-License-Identifier: GPL-2.0
/*
 * --catalog FILE: add or override op catalogue entries without a rebuild.
 *
 * {"ops": [{"name": "set-tdi-state", "arch": "sev", "era": "op",
 *           "op": "set-tdi-state" | "number": 9, "scope": "info",
 *           "state_change": true, "req_len": 4, "resp_len": 0,
 *           "decoder": "none|object-size|object|tdi-state",
 *           "fields": [{"name": "state", "offset": 0, "size": 4,
 *                       "required": true, "default": 0, "fixed": false,
 *                       "values": {"run": 2}}],
 *           "doc": "..."}]}
 *
 * An entry with the same name, arch and era as an existing one replaces
 * it. Unknown keys, overlapping fields and fields past req_len are errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "jsonstrict.h"

#define CATALOG_FILE_MAX (256 * 1024)

static const char *const op_keys[] = {
	"name",	  "arch",	  "era",     "op",	 "number",
	"scope",  "state_change", "req_len", "resp_len", "decoder",
	"fields", "doc",	  NULL
};
static const char *const field_keys[] = { "name",     "offset",	 "size",
					  "required", "default", "fixed",
					  "values",   "doc",	 NULL };

static int bad(struct tsm_err *e, const char *where, const char *what)
{
	tsm_err_set(e, EINVAL, where, NULL, "%s: %s", where, what);
	return -EINVAL;
}

static int parse_field(struct json_object *o, struct tsm_cat_field *f,
		       const char *where, uint32_t req_len, struct tsm_err *e)
{
	struct json_object *v;
	const char *s;
	uint64_t n, max;

	if (!json_object_is_type(o, json_type_object))
		return bad(e, where, "expected an object");
	if (tsm_json_check_keys(o, field_keys, where, e))
		return -EINVAL;
	if (!json_object_object_get_ex(o, "name", &v) ||
	    tsm_json_str(v, "name", &s, e) || !*s ||
	    strlen(s) >= sizeof(f->name))
		return bad(e, where,
			   "\"name\" must be a string of 1..23 characters");
	snprintf(f->name, sizeof(f->name), "%s", s);
	if (!json_object_object_get_ex(o, "offset", &v) ||
	    tsm_json_u64(v, "offset", TSM_PAYLOAD_MAX, &n, e))
		return bad(e, where, "\"offset\" is required (0..4096)");
	f->off = (uint16_t)n;
	if (!json_object_object_get_ex(o, "size", &v) ||
	    tsm_json_u64(v, "size", 8, &n, e) ||
	    (n != 1 && n != 2 && n != 4 && n != 8))
		return bad(e, where, "\"size\" must be 1, 2, 4 or 8");
	f->size = (uint8_t)n;
	/* every value must fit the field: it is sent in f->size bytes */
	max = f->size == 8 ? UINT64_MAX : (1ull << (8 * f->size)) - 1;
	if ((uint32_t)f->off + f->size > req_len)
		return bad(e, where, "field ends past \"req_len\"");
	if (json_object_object_get_ex(o, "required", &v) &&
	    tsm_json_bool(v, "required", &f->required, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "fixed", &v) &&
	    tsm_json_bool(v, "fixed", &f->fixed, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "default", &v) &&
	    tsm_json_u64(v, "default", max, &f->def, e)) {
		tsm_err_prefix(e, where);
		return -EINVAL;
	}
	if (json_object_object_get_ex(o, "values", &v)) {
		if (!json_object_is_type(v, json_type_object))
			return bad(e, where,
				   "\"values\" must map names to numbers");
		json_object_object_foreach(v, k, vv) {
			if (f->nvalues >= TSM_CAT_MAX_VALUES ||
			    strlen(k) >= sizeof(f->values[0].name))
				return bad(e, where,
					   "too many or too long value names");
			snprintf(f->values[f->nvalues].name,
				 sizeof(f->values[0].name), "%s", k);
			if (tsm_json_u64(vv, k, max, &f->values[f->nvalues].v,
					 e)) {
				tsm_err_prefix(e, where);
				return -EINVAL;
			}
			f->nvalues++;
		}
	}
	f->doc = NULL;
	return 0;
}

/* "op": a generic op of lib/abi.c, named */
static int entry_op(struct json_object *v, struct tsm_cat_entry *en,
		    const char *where, struct tsm_err *e)
{
	char list[200];
	enum tsm_req_opid id;
	size_t off = 0;
	const char *s;
	int i;

	if (!tsm_json_str(v, "op", &s, e) && !tsm_opid_from_name(s, &id)) {
		en->opid = (int)id;
		return 0;
	}
	for (i = 0; i < TSM_OPID_COUNT && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? ", " : "",
					tsm_opid_name((enum tsm_req_opid)i));
	tsm_err_set(e, EINVAL, where, NULL,
		    "%s: \"op\" must name a generic op (%s)", where, list);
	return -EINVAL;
}

/* name, arch, era, op or number, scope */
static int entry_ident(struct json_object *o, struct tsm_cat_entry *en,
		       const char *where, struct tsm_err *e)
{
	struct json_object *v;
	const char *s;
	uint64_t n;

	if (!json_object_object_get_ex(o, "name", &v) ||
	    tsm_json_str(v, "name", &s, e) || !*s ||
	    strlen(s) >= sizeof(en->name))
		return bad(e, where,
			   "\"name\" must be a string of 1..31 characters");
	snprintf(en->name, sizeof(en->name), "%s", s);
	if (json_object_object_get_ex(o, "arch", &v) &&
	    (tsm_json_str(v, "arch", &s, e) ||
	     tsm_arch_from_name(s, &en->arch)))
		return bad(e, where, "\"arch\" must be cca, sev or tdx");
	if (json_object_object_get_ex(o, "era", &v)) {
		if (tsm_json_str(v, "era", &s, e))
			return -EINVAL;
		if (!strcmp(s, "scope"))
			en->era = TSM_ERA_SCOPE;
		else if (strcmp(s, "op"))
			return bad(e, where, "\"era\" must be op or scope");
	}
	if (json_object_object_get_ex(o, "op", &v) && entry_op(v, en, where, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "number", &v)) {
		if (tsm_json_u64(v, "number", UINT32_MAX, &n, e) || !n)
			return bad(e, where,
				   "\"number\" must be 1..4294967295");
		en->number = (uint32_t)n;
	}
	if (en->era == TSM_ERA_OP && en->opid < 0 && !en->number)
		return bad(e, where, "an op entry needs \"op\" or \"number\"");
	if (json_object_object_get_ex(o, "scope", &v) &&
	    (tsm_json_str(v, "scope", &s, e) ||
	     tsm_scope_from_name(s, &en->scope)))
		return bad(
			e, where,
			"\"scope\" must be info, state-change, debug-read or debug-write");
	return 0;
}

/* "decoder" by name */
static int entry_decoder(struct json_object *v, struct tsm_cat_entry *en,
			 const char *where, struct tsm_err *e)
{
	const char *s;

	if (tsm_json_str(v, "decoder", &s, e))
		return -EINVAL;
	if (!strcmp(s, "object-size"))
		en->decoder = TSM_DEC_U32_SIZE;
	else if (!strcmp(s, "object"))
		en->decoder = TSM_DEC_OBJECT;
	else if (!strcmp(s, "tdi-state"))
		en->decoder = TSM_DEC_TDI_STATE;
	else if (strcmp(s, "none"))
		return bad(
			e, where,
			"\"decoder\" must be none, object-size, object or tdi-state");
	return 0;
}

/* state_change, req_len, resp_len, decoder, doc */
static int entry_shape(struct json_object *o, struct tsm_cat_entry *en,
		       const char *where, struct tsm_err *e)
{
	struct json_object *v;
	const char *s;
	uint64_t n;

	if (json_object_object_get_ex(o, "state_change", &v) &&
	    tsm_json_bool(v, "state_change", &en->state_change, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "req_len", &v)) {
		if (tsm_json_u64(v, "req_len", TSM_PAYLOAD_MAX, &n, e))
			return -EINVAL;
		en->req_len = (uint32_t)n;
		en->payload_published = true;
	}
	if (json_object_object_get_ex(o, "resp_len", &v)) {
		if (tsm_json_u64(v, "resp_len", TSM_RESP_MAX, &n, e))
			return -EINVAL;
		en->resp_len = (uint32_t)n;
	}
	if (json_object_object_get_ex(o, "decoder", &v) &&
	    entry_decoder(v, en, where, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "doc", &v)) {
		if (tsm_json_str(v, "doc", &s, e))
			return -EINVAL;
		snprintf(en->doc, sizeof(en->doc), "%s", s);
	}
	return 0;
}

/* "fields": at most 8, inside req_len, none overlapping */
static int entry_fields(struct json_object *v, struct tsm_cat_entry *en,
			const char *where, struct tsm_err *e)
{
	unsigned int i, j;
	char fw[128];

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) > TSM_CAT_MAX_FIELDS)
		return bad(e, where,
			   "\"fields\" must be an array of at most 8 fields");
	if (!en->payload_published)
		return bad(e, where, "\"fields\" needs \"req_len\"");
	for (i = 0; i < json_object_array_length(v); i++) {
		snprintf(fw, sizeof(fw), "%s.fields[%u]", where, i);
		if (parse_field(json_object_array_get_idx(v, i), &en->fields[i],
				fw, en->req_len, e))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (en->fields[j].off <
				    en->fields[i].off + en->fields[i].size &&
			    en->fields[i].off <
				    en->fields[j].off + en->fields[j].size)
				return bad(e, fw, "overlaps an earlier field");
		en->nfields++;
	}
	return 0;
}

static int parse_entry(struct json_object *o, struct tsm_cat_entry *en,
		       const char *where, struct tsm_err *e)
{
	struct json_object *v;

	memset(en, 0, sizeof(*en));
	en->from_file = true;
	en->era = TSM_ERA_OP;
	en->opid = -1;
	if (!json_object_is_type(o, json_type_object))
		return bad(e, where, "expected an object");
	if (tsm_json_check_keys(o, op_keys, where, e) ||
	    entry_ident(o, en, where, e) || entry_shape(o, en, where, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "fields", &v))
		return entry_fields(v, en, where, e);
	return 0;
}

int tsm_catalog_parse(struct tsm_catalog *dst, const char *buf, size_t len,
		      const char *origin, struct tsm_err *e)
{
	static const char *const top_keys[] = { "ops", NULL };
	struct json_object *root, *ops;
	struct tsm_catalog *c = malloc(sizeof(*c));
	struct tsm_cat_entry en;
	char where[96];
	unsigned int i, k;
	int rc = -EINVAL;

	memset(e, 0, sizeof(*e));
	if (!c)
		return -ENOMEM;
	*c = *dst; /* all or nothing: work on a copy */
	if (tsm_json_parse_strict(buf, len, origin, &root, e)) {
		free(c);
		return -EINVAL;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    tsm_json_check_keys(root, top_keys, origin, e) ||
	    !json_object_object_get_ex(root, "ops", &ops) ||
	    !json_object_is_type(ops, json_type_array)) {
		if (!e->msg[0])
			bad(e, origin, "expected {\"ops\": [ ... ]}");
		goto out;
	}
	for (i = 0; i < json_object_array_length(ops); i++) {
		snprintf(where, sizeof(where), "%s: ops[%u]", origin, i);
		if (parse_entry(json_object_array_get_idx(ops, i), &en, where,
				e))
			goto out;
		for (k = 0; k < c->n; k++)
			if (!strcmp(c->e[k].name, en.name) &&
			    c->e[k].arch == en.arch && c->e[k].era == en.era)
				break;
		if (k == c->n && c->n >= TSM_CAT_MAX_ENTRIES) {
			bad(e, where, "catalogue full");
			goto out;
		}
		c->e[k] = en;
		if (k == c->n)
			c->n++;
	}
	if (!json_object_array_length(ops)) {
		bad(e, origin, "\"ops\" is empty");
		goto out;
	}
	*dst = *c;
	rc = 0;
out:
	json_object_put(root);
	free(c);
	return rc;
}

int tsm_catalog_load(struct tsm_catalog *c, const char *path, struct tsm_err *e)
{
	__cleanup_free char *buf = NULL;
	size_t len;

	if (tsm_load_file(path, "--catalog", CATALOG_FILE_MAX, &buf, &len, e))
		return -EINVAL;
	return tsm_catalog_parse(c, buf, len, path, e);
}
