// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptions of ioctl structs and TSM requests (describe.h): the one
 * place that decides how a struct sent to the kernel reads in JSON.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "catalog.h"
#include "describe.h"
#include "tsmcode.h"

static const char *const scope_names[] = { "info", "state-change", "debug-read",
					   "debug-write" };
static const char *const arch_names[] = { NULL, "cca", "sev", "tdx" };

/* The name, code and bytes of a struct, before its fields */
static void describe_head(struct tsm_emit *em, const char *name,
			  unsigned long request, const void *st, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char buf[24] = "0x";
	int i = 2, d;

	tsm_emit_str(em, "name", name);
	tsm_emit_u64(em, "request", request);
	/* "0x%04lx", without printf on the hot path */
	for (d = 60; d >= 0; d -= 4)
		if (d < 16 || request >> d)
			buf[i++] = hex[(request >> d) & 15];
	buf[i] = 0;
	tsm_emit_str(em, "request_hex", buf);
	tsm_emit_i64(em, "struct_len", (int64_t)len);
	tsm_emit_hex(em, "struct_hex", st, len);
}

void tsm_describe_raw(struct tsm_emit *em, const char *key, const char *name,
		      unsigned long request, const void *st, size_t len,
		      tsm_fields_fn fields, struct json_object *fields_json)
{
	tsm_emit_obj(em, key);
	describe_head(em, name, request, st, len);
	if (fields_json) {
		tsm_emit_json(em, "fields", json_object_get(fields_json));
	} else if (fields) {
		tsm_emit_obj(em, "fields");
		fields(em, st);
		tsm_emit_end(em);
	}
	tsm_emit_end(em);
}

/* The fields of @l present in @img, in offset order */
static unsigned int field_order(const struct tsm_layout *l,
				const struct tsm_image *img, int *order)
{
	unsigned int k, n = 0;
	int f;

	for (f = 0; f < TSM_F_COUNT; f++) {
		if (!l->f[f].size || l->f[f].off >= img->len)
			continue;
		for (k = n; k && l->f[order[k - 1]].off > l->f[f].off; k--)
			order[k] = order[k - 1];
		order[k] = f;
		n++;
	}
	return n;
}

void tsm_describe_ioctl(struct tsm_emit *em, const char *key, const char *name,
			const struct tsm_layout *l, const struct tsm_image *img,
			enum tsm_req_kind kind, bool is_op)
{
	int order[TSM_F_COUNT];
	unsigned int k, n = field_order(l, img, order);

	tsm_emit_obj(em, key);
	describe_head(em, name, tsm_request_code(l->nr), img->b, img->len);
	tsm_emit_obj(em, "fields");
	for (k = 0; k < n; k++) {
		int f = order[k];
		const char *fname;
		uint64_t v;

		if (!tsm_image_get(l, img, (enum tsm_fid)f, &v))
			continue;
		/* lib/abi.c's field names: plain identifiers */
		fname = tsm_field_name(f);
		tsm_emit_u64_k(
			em, (struct tsm_key){ fname, strlen(fname), true }, v);
		if (f == TSM_F_TYPE && is_op && (v == 1 || v == 2))
			tsm_emit_str(em, "type_name",
				     v == 1 ? "bind" : "unbind");
		if (f == TSM_F_SCOPE && kind == TSM_REQ_SCOPE &&
		    v < ARRAY_SIZE(scope_names))
			tsm_emit_str(em, "scope_name", scope_names[v]);
		if (f == TSM_F_TVM_ARCH && v && v < ARRAY_SIZE(arch_names))
			tsm_emit_str(em, "tvm_arch_name", arch_names[v]);
	}
	tsm_emit_end(em);
	tsm_emit_end(em);
}

static bool cache_hit(const struct tsm_desc_cache *c, const char *name,
		      const struct tsm_layout *l, const struct tsm_image *img,
		      enum tsm_req_kind kind, bool is_op)
{
	return c->text.len && !strcmp(c->name, name) &&
	       !memcmp(&c->l, l, sizeof(*l)) && c->kind == kind &&
	       c->is_op == is_op && c->img.len == img->len &&
	       !memcmp(c->img.b, img->b, img->len);
}

void tsm_describe_ioctl_cached(struct tsm_emit *em, struct tsm_desc_cache *c,
			       const char *key, const char *name,
			       const struct tsm_layout *l,
			       const struct tsm_image *img,
			       enum tsm_req_kind kind, bool is_op)
{
	struct tsm_emit one;

	if (!em->b) { /* a tree: nothing to copy */
		tsm_describe_ioctl(em, key, name, l, img, kind, is_op);
		return;
	}
	if (!cache_hit(c, name, l, img, kind, is_op)) {
		c->text.len = 0;
		tsm_emit_text(&one, &c->text);
		tsm_describe_ioctl(&one, NULL, name, l, img, kind, is_op);
		if (one.err) {
			c->text.len = 0;
			tsm_describe_ioctl(em, key, name, l, img, kind, is_op);
			return;
		}
		c->name = name;
		c->l = *l;
		c->kind = kind;
		c->is_op = is_op;
		c->img = *img;
	}
	tsm_emit_raw(em, key, c->text.p, c->text.len);
}

void tsm_desc_cache_free(struct tsm_desc_cache *c)
{
	tsm_strbuf_free(&c->text);
	c->text.len = 0;
}

/* The payload fields as numbers, with their value names. */
static void describe_fields(struct tsm_emit *em, const struct tsm_profile *p,
			    const struct tsm_request *r)
{
	unsigned int i;

	tsm_emit_obj(em, "fields");
	for (i = 0; i < r->entry->nfields; i++) {
		struct tsm_cat_field tmp;
		const struct tsm_cat_field *cf =
			tsm_cat_field_in(&r->entry->fields[i], p, &tmp);
		uint64_t v = tsm_cat_field_get(cf, r->payload, r->req_len);
		const char *vn;
		char key[40];

		if (cf->off + cf->size > r->req_len)
			continue;
		tsm_emit_u64(em, cf->name, v);
		vn = tsm_cat_value_name(cf, v);
		if (vn) {
			snprintf(key, sizeof(key), "%s_name", cf->name);
			tsm_emit_str(em, key, vn);
		}
	}
	tsm_emit_end(em);
}

/* vdevice, scope or arch, op and its number */
static void describe_op(struct tsm_emit *em, const struct tsm_profile *p,
			const struct tsm_request *r)
{
	tsm_emit_u64(em, "vdevice_id", r->vdevice_id);
	if (r->scope_era) {
		tsm_emit_i64(em, "scope", (int)r->scope);
		tsm_emit_str(em, "scope_name", tsm_scope_name(r->scope));
	}
	if (r->arch)
		tsm_emit_str(em, "arch", tsm_arch_name(r->arch));
	tsm_emit_str(em, "op", r->op_name);
	if (!r->scope_era)
		tsm_emit_u64(em, "op_number", r->op);
	if (r->entry && r->entry->opid >= 0 && !r->scope_era &&
	    !tsm_opnum_confirmed(p, (enum tsm_req_opid)r->entry->opid))
		tsm_emit_bool(em, "op_number_confirmed", false);
}

void tsm_describe_request(struct tsm_emit *em, const char *key,
			  const struct tsm_profile *p,
			  const struct tsm_request *r)
{
	tsm_emit_obj(em, key);
	describe_op(em, p, r);
	tsm_emit_bool(em, "state_change", r->state_change);
	tsm_emit_bool(em, "forced", r->forced);
	tsm_emit_u64(em, "payload_len", r->req_len);
	/* a nonce pointer reads 0 here, as struct pointers do */
	tsm_emit_hex(em, "payload_hex", r->payload, r->req_len);
	if (r->have_nonce) {
		tsm_emit_u64(em, "nonce_off", r->nonce_off);
		tsm_emit_hex(em, "nonce_hex", r->nonce, sizeof(r->nonce));
	}
	if (r->entry && r->entry->payload_published)
		describe_fields(em, p, r);
	tsm_emit_u64(em, "resp_len", r->resp_len);
	if (r->size_entry)
		tsm_emit_str(em, "resp_len_from", r->size_entry->name);
	tsm_emit_end(em);
}
