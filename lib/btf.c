// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal BTF reader. Every offset and length is checked against the
 * buffer while the index is built, so the lookups that follow only need
 * to check type ids and string offsets, which they do too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"

#define BTF_HDR_LEN 24
#define BTF_TYPE_LEN 12
#define BTF_RESOLVE_DEPTH 32

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static unsigned int info_kind(uint32_t info)
{
	return (info >> 24) & 0x1f;
}

static unsigned int info_vlen(uint32_t info)
{
	return info & 0xffff;
}

static bool info_kflag(uint32_t info)
{
	return info >> 31;
}

/* Bytes that follow struct btf_type for a kind; -1 for an unknown kind. */
static long extra_len(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case TSM_BTF_KIND_INT:
	case TSM_BTF_KIND_VAR:
	case TSM_BTF_KIND_DECL_TAG:
		return 4;
	case TSM_BTF_KIND_ARRAY:
		return 12;
	case TSM_BTF_KIND_STRUCT:
	case TSM_BTF_KIND_UNION:
	case TSM_BTF_KIND_DATASEC:
	case TSM_BTF_KIND_ENUM64:
		return 12L * vlen;
	case TSM_BTF_KIND_ENUM:
	case TSM_BTF_KIND_FUNC_PROTO:
		return 8L * vlen;
	case TSM_BTF_KIND_PTR:
	case TSM_BTF_KIND_FWD:
	case TSM_BTF_KIND_TYPEDEF:
	case TSM_BTF_KIND_VOLATILE:
	case TSM_BTF_KIND_CONST:
	case TSM_BTF_KIND_RESTRICT:
	case TSM_BTF_KIND_FUNC:
	case TSM_BTF_KIND_FLOAT:
	case TSM_BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

const char *tsm_btf_str(const struct tsm_btf *btf, uint32_t off)
{
	while (btf && off < btf->start_str)
		btf = btf->base;
	if (!btf || off - btf->start_str >= btf->strs_len)
		return NULL;
	return btf->strs + (off - btf->start_str);
}

/* Names inside a record of kind @kind with @vlen entries at @p. */
static int check_names(const struct tsm_btf *btf, uint32_t id,
		       unsigned int kind, unsigned int vlen, const uint8_t *p,
		       struct tsm_err *err)
{
	unsigned int i, stride;

	switch (kind) {
	case TSM_BTF_KIND_STRUCT:
	case TSM_BTF_KIND_UNION:
	case TSM_BTF_KIND_ENUM64:
		stride = 12;
		break;
	case TSM_BTF_KIND_ENUM:
	case TSM_BTF_KIND_FUNC_PROTO:
		stride = 8;
		break;
	default:
		return 0;
	}
	for (i = 0; i < vlen; i++, p += stride)
		if (!tsm_btf_str(btf, rd32(p))) {
			tsm_err_set(
				err, EINVAL, "btf", NULL,
				"BTF type %u: member %u name offset %u is past the string table",
				id, i, rd32(p));
			return -EINVAL;
		}
	return 0;
}

static int parse_header(const uint8_t *buf, size_t len, struct tsm_btf *btf,
			struct tsm_err *err)
{
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint64_t base_off;

	if (!buf || len < BTF_HDR_LEN) {
		tsm_err_set(
			err, EINVAL, "btf", NULL,
			"BTF blob is %zu bytes, shorter than its %d-byte header",
			buf ? len : 0, BTF_HDR_LEN);
		return -EINVAL;
	}
	if (rd16(buf) == 0x9FeB) {
		tsm_err_set(err, ENOTSUP, "btf", NULL,
			    "BTF blob has the other byte order (magic 0x9feb)");
		return -ENOTSUP;
	}
	if (rd16(buf) != TSM_BTF_MAGIC) {
		tsm_err_set(err, EINVAL, "btf", NULL,
			    "not BTF: magic 0x%04x, expected 0xeb9f",
			    rd16(buf));
		return -EINVAL;
	}
	if (buf[2] != 1) {
		tsm_err_set(err, ENOTSUP, "btf", NULL,
			    "BTF version %u not supported (expected 1)",
			    buf[2]);
		return -ENOTSUP;
	}
	hdr_len = rd32(buf + 4);
	type_off = rd32(buf + 8);
	type_len = rd32(buf + 12);
	str_off = rd32(buf + 16);
	str_len = rd32(buf + 20);
	if (hdr_len < BTF_HDR_LEN || hdr_len > len) {
		tsm_err_set(err, EINVAL, "btf", NULL,
			    "BTF hdr_len %u outside %d..%zu", hdr_len,
			    BTF_HDR_LEN, len);
		return -EINVAL;
	}
	base_off = hdr_len;
	if (base_off + type_off + type_len > len) {
		tsm_err_set(
			err, EINVAL, "btf", NULL,
			"BTF type section (offset %u, %u bytes) ends past the blob (%zu bytes)",
			type_off, type_len, len);
		return -EINVAL;
	}
	if (base_off + str_off + str_len > len) {
		tsm_err_set(
			err, EINVAL, "btf", NULL,
			"BTF string section (offset %u, %u bytes) ends past the blob (%zu bytes)",
			str_off, str_len, len);
		return -EINVAL;
	}
	if (type_off & 3) {
		tsm_err_set(err, EINVAL, "btf", NULL,
			    "BTF type section offset %u is not 4-byte aligned",
			    type_off);
		return -EINVAL;
	}
	btf->types = buf + hdr_len + type_off;
	btf->types_len = type_len;
	btf->strs = (const char *)buf + hdr_len + str_off;
	btf->strs_len = str_len;
	return 0;
}

static int parse_strings(const struct tsm_btf *btf, struct tsm_err *err)
{
	if (btf->base && !btf->strs_len)
		return 0;
	if (!btf->strs_len || btf->strs[btf->strs_len - 1]) {
		tsm_err_set(
			err, EINVAL, "btf", NULL,
			"BTF string section (%u bytes) is empty or not NUL-terminated",
			btf->strs_len);
		return -EINVAL;
	}
	if (!btf->base && btf->strs[0]) {
		tsm_err_set(
			err, EINVAL, "btf", NULL,
			"BTF string section does not start with an empty string");
		return -EINVAL;
	}
	return 0;
}

bool tsm_btf_strings(const uint8_t *buf, size_t len, const char **strs,
		     size_t *strs_len)
{
	struct tsm_err err = { 0 };
	struct tsm_btf btf;

	memset(&btf, 0, sizeof(btf));
	if (parse_header(buf, len, &btf, &err) || parse_strings(&btf, &err))
		return false;
	*strs = btf.strs;
	*strs_len = btf.strs_len;
	return true;
}

int tsm_btf_parse(const uint8_t *buf, size_t len, const struct tsm_btf *base,
		  struct tsm_btf *btf, struct tsm_err *err)
{
	uint32_t pos = 0, n = 0;
	int ret;

	memset(btf, 0, sizeof(*btf));
	btf->base = base;
	btf->start_id = base ? base->start_id + base->nr_types : 1;
	btf->start_str = base ? base->start_str + base->strs_len : 0;
	ret = parse_header(buf, len, btf, err);
	if (!ret)
		ret = parse_strings(btf, err);
	if (ret)
		return ret;

	btf->index =
		malloc(sizeof(uint32_t) * (btf->types_len / BTF_TYPE_LEN + 1));
	if (!btf->index) {
		tsm_err_set(err, ENOMEM, "btf", NULL, "out of memory");
		return -ENOMEM;
	}
	while (pos < btf->types_len) {
		const uint8_t *t = btf->types + pos;
		uint32_t id = btf->start_id + n, info;
		long extra;

		if (btf->types_len - pos < BTF_TYPE_LEN) {
			tsm_err_set(
				err, EINVAL, "btf", NULL,
				"BTF type %u truncated: %u bytes left, a type is %d",
				id, btf->types_len - pos, BTF_TYPE_LEN);
			goto bad;
		}
		info = rd32(t + 4);
		extra = extra_len(info_kind(info), info_vlen(info));
		if (extra < 0) {
			tsm_err_set(err, EINVAL, "btf", NULL,
				    "BTF type %u has unknown kind %u", id,
				    info_kind(info));
			goto bad;
		}
		if ((uint64_t)btf->types_len - pos - BTF_TYPE_LEN <
		    (uint64_t)extra) {
			tsm_err_set(
				err, EINVAL, "btf", NULL,
				"BTF type %u (kind %u, vlen %u) needs %ld bytes past its header; %u left",
				id, info_kind(info), info_vlen(info), extra,
				btf->types_len - pos - BTF_TYPE_LEN);
			goto bad;
		}
		if (!tsm_btf_str(btf, rd32(t))) {
			tsm_err_set(
				err, EINVAL, "btf", NULL,
				"BTF type %u name offset %u is past the string table",
				id, rd32(t));
			goto bad;
		}
		if (check_names(btf, id, info_kind(info), info_vlen(info),
				t + BTF_TYPE_LEN, err))
			goto bad;
		btf->index[n++] = pos;
		pos += BTF_TYPE_LEN + (uint32_t)extra;
	}
	btf->nr_types = n;
	return 0;
bad:
	free(btf->index);
	btf->index = NULL;
	return -EINVAL;
}

void tsm_btf_free(struct tsm_btf *btf)
{
	free(btf->index);
	btf->index = NULL;
	btf->nr_types = 0;
}

/* The record of type @id, searching the base chain; NULL if no such id. */
static const uint8_t *type_by_id(const struct tsm_btf *btf, uint32_t id)
{
	while (btf && id < btf->start_id)
		btf = btf->base;
	if (!btf || !btf->index || id - btf->start_id >= btf->nr_types)
		return NULL;
	return btf->types + btf->index[id - btf->start_id];
}

static uint32_t type_size(const struct tsm_btf *btf, uint32_t id, int depth)
{
	for (; depth < BTF_RESOLVE_DEPTH; depth++) {
		const uint8_t *t = type_by_id(btf, id);
		uint32_t info;

		if (!t)
			return 0;
		info = rd32(t + 4);
		switch (info_kind(info)) {
		case TSM_BTF_KIND_INT:
		case TSM_BTF_KIND_STRUCT:
		case TSM_BTF_KIND_UNION:
		case TSM_BTF_KIND_ENUM:
		case TSM_BTF_KIND_ENUM64:
		case TSM_BTF_KIND_FLOAT:
			return rd32(t + 8);
		case TSM_BTF_KIND_PTR:
			return sizeof(void *);
		case TSM_BTF_KIND_TYPEDEF:
		case TSM_BTF_KIND_VOLATILE:
		case TSM_BTF_KIND_CONST:
		case TSM_BTF_KIND_RESTRICT:
		case TSM_BTF_KIND_TYPE_TAG:
			id = rd32(t + 8);
			break;
		case TSM_BTF_KIND_ARRAY: {
			uint64_t sz = type_size(btf, rd32(t + 12), depth + 1);
			uint64_t total = sz * rd32(t + 20);

			return total > UINT32_MAX ? 0 : (uint32_t)total;
		}
		default:
			return 0;
		}
	}
	return 0;
}

uint32_t tsm_btf_type_size(const struct tsm_btf *btf, uint32_t id)
{
	return type_size(btf, id, 0);
}

static void fill_struct(const struct tsm_btf *btf, uint32_t id,
			const uint8_t *t, struct tsm_btf_struct *out)
{
	uint32_t info = rd32(t + 4);
	const uint8_t *m = t + BTF_TYPE_LEN;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->name = tsm_btf_str(btf, rd32(t));
	out->id = id;
	out->size = rd32(t + 8);
	out->vlen = info_vlen(info);
	out->is_union = info_kind(info) == TSM_BTF_KIND_UNION;
	for (i = 0; i < out->vlen && i < TSM_BTF_MEMBERS_MAX; i++, m += 12) {
		struct tsm_btf_member *mb = &out->m[i];
		uint32_t off = rd32(m + 8);
		const char *nm = tsm_btf_str(btf, rd32(m));

		mb->name = nm ? nm : "";
		if (info_kflag(info)) {
			mb->bitfield = off >> 24;
			off &= 0xffffff;
		}
		mb->bit_off = off;
		mb->off = off / 8;
		mb->size = mb->bitfield ? 0 :
					  tsm_btf_type_size(btf, rd32(m + 4));
		out->n++;
	}
}

/* Cheap pre-check: the first byte, then strcmp. */
static int name_index(const char *nm, const char *const *names, size_t n)
{
	size_t k;

	if (!nm)
		return -1;
	for (k = 0; k < n; k++)
		if (nm[0] == names[k][0] && !strcmp(nm, names[k]))
			return (int)k;
	return -1;
}

static void find_structs_one(const struct tsm_btf *btf,
			     const char *const *names, size_t n,
			     struct tsm_btf_struct *out, bool *found)
{
	uint32_t i;

	for (i = 0; i < btf->nr_types; i++) {
		const uint8_t *t = btf->types + btf->index[i];
		unsigned int kind = info_kind(rd32(t + 4));
		int k;

		if (kind != TSM_BTF_KIND_STRUCT && kind != TSM_BTF_KIND_UNION)
			continue;
		k = name_index(tsm_btf_str(btf, rd32(t)), names, n);
		if (k < 0 || found[k])
			continue;
		fill_struct(btf, btf->start_id + i, t, &out[k]);
		found[k] = true;
	}
}

void tsm_btf_find_structs(const struct tsm_btf *btf, const char *const *names,
			  size_t n, struct tsm_btf_struct *out, bool *found)
{
	memset(found, 0, n * sizeof(*found));
	for (; btf; btf = btf->base)
		if (btf->index)
			find_structs_one(btf, names, n, out, found);
}

int tsm_btf_find_struct(const struct tsm_btf *btf, const char *name,
			struct tsm_btf_struct *out)
{
	bool found;

	tsm_btf_find_structs(btf, &name, 1, out, &found);
	return found ? 0 : -ENOENT;
}

const struct tsm_btf_member *tsm_btf_member(const struct tsm_btf_struct *s,
					    const char *name)
{
	uint32_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name))
			return &s->m[i];
	return NULL;
}

static void find_enums_one(const struct tsm_btf *btf, const char *const *names,
			   size_t n, int64_t *val, bool *found)
{
	uint32_t i;

	for (i = 0; i < btf->nr_types; i++) {
		const uint8_t *t = btf->types + btf->index[i];
		uint32_t info = rd32(t + 4);
		unsigned int kind = info_kind(info), e, stride;
		const uint8_t *p = t + BTF_TYPE_LEN;

		if (kind == TSM_BTF_KIND_ENUM)
			stride = 8;
		else if (kind == TSM_BTF_KIND_ENUM64)
			stride = 12;
		else
			continue;
		for (e = 0; e < info_vlen(info); e++, p += stride) {
			int k = name_index(tsm_btf_str(btf, rd32(p)), names, n);

			if (k < 0 || found[k])
				continue;
			if (kind == TSM_BTF_KIND_ENUM)
				val[k] = info_kflag(info) ?
						 (int64_t)(int32_t)rd32(p + 4) :
						 (int64_t)rd32(p + 4);
			else
				val[k] = (int64_t)(((uint64_t)rd32(p + 8)
						    << 32) |
						   rd32(p + 4));
			found[k] = true;
		}
	}
}

void tsm_btf_find_enumerators(const struct tsm_btf *btf,
			      const char *const *names, size_t n, int64_t *val,
			      bool *found)
{
	memset(found, 0, n * sizeof(*found));
	for (; btf; btf = btf->base)
		if (btf->index)
			find_enums_one(btf, names, n, val, found);
}

/* The name of the enum declaring enumerator @name. */
static const char *enum_of(const struct tsm_btf *btf, const char *name)
{
	for (; btf; btf = btf->base) {
		uint32_t i;

		for (i = 0; btf->index && i < btf->nr_types; i++) {
			const uint8_t *t = btf->types + btf->index[i];
			uint32_t info = rd32(t + 4);
			unsigned int kind = info_kind(info), e;
			unsigned int stride = kind == TSM_BTF_KIND_ENUM ? 8 :
									  12;
			const uint8_t *p = t + BTF_TYPE_LEN;

			if (kind != TSM_BTF_KIND_ENUM &&
			    kind != TSM_BTF_KIND_ENUM64)
				continue;
			for (e = 0; e < info_vlen(info); e++, p += stride) {
				const char *nm = tsm_btf_str(btf, rd32(p));

				if (nm && !strcmp(nm, name)) {
					nm = tsm_btf_str(btf, rd32(t));
					return nm ? nm : "";
				}
			}
		}
	}
	return "";
}

int tsm_btf_find_enumerator(const struct tsm_btf *btf, const char *name,
			    int64_t *val, const char **enum_name)
{
	bool found;

	tsm_btf_find_enumerators(btf, &name, 1, val, &found);
	if (!found)
		return -ENOENT;
	if (enum_name)
		*enum_name = enum_of(btf, name);
	return 0;
}
