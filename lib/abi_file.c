// SPDX-License-Identifier: GPL-2.0
/*
 * ABI profile files (--abi-file): the same data as a compiled-in profile,
 * as "key = value" text or as JSON. Both forms go through one key setter,
 * so they accept exactly the same content:
 *
 *   base = v6                      start from a compiled-in profile
 *   name = v8                      required (or inherited from base)
 *   source = free text
 *   tsm_op = absent                no bind/unbind ioctl
 *   tsm_op.nr = 0x98               also .size .min_size
 *   tsm_op.vdevice_id = 12:4       field at offset 12, 4 bytes ("absent")
 *   tsm_req.kind = op | scope
 *   tsm_req.nr / .size / .min_size / .<field> = OFF:SIZE
 *   op.validate-mmio = 1           op numbering (0 = absent)
 *   op_numbers_confirmed = false
 *   object_type.vca = 0            CCA object-type numbering (default RHI)
 *   bind_absent_hint = free text
 *
 * JSON: {"base": "v6", "name": "v8", "tsm_op": {"nr": "0x98", "fields":
 * {"vdevice_id": [12, 4]}}, "tsm_req": {...}, "ops": {"validate-mmio": 1},
 * "object_types": {"vca": 0}}
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "abi.h"
#include "jsonstrict.h"
#include "utf8.h"

#define PROFILE_FILE_MAX (64 * 1024)

struct pf_state {
	struct tsm_profile *p;
	const char *origin;
	struct tsm_err *err;
	bool have_base;
	bool have_other;
};

static int pf_bad(struct pf_state *st, const char *key, const char *val,
		  const char *why)
{
	tsm_err_set(st->err, EINVAL, key, val, "%s: %s '%s': %s", st->origin,
		    key, val ? val : "", why);
	return -EINVAL;
}

static int pf_u32(struct pf_state *st, const char *key, const char *val,
		  uint32_t *out)
{
	struct tsm_err e;

	if (tsm_parse_u32(val, key, out, &e))
		return pf_bad(
			st, key, val,
			"expected an unsigned 32-bit integer (decimal or 0x-hex)");
	return 0;
}

static int pf_loc(struct pf_state *st, const char *key, const char *val,
		  struct tsm_field_loc *loc)
{
	char buf[64];
	char *colon;
	uint32_t off, size;

	if (!strcmp(val, "absent")) {
		loc->off = 0;
		loc->size = 0;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", val);
	colon = strchr(buf, ':');
	if (!colon)
		return pf_bad(st, key, val, "expected OFFSET:SIZE or 'absent'");
	*colon = 0;
	if (pf_u32(st, key, buf, &off) || pf_u32(st, key, colon + 1, &size))
		return -EINVAL;
	if (off >= TSM_STRUCT_MAX || size > 8)
		return pf_bad(st, key, val,
			      "offset must be < 256 and size <= 8");
	loc->off = (uint16_t)off;
	loc->size = (uint8_t)size;
	return 0;
}

static int pf_layout_key(struct pf_state *st, struct tsm_layout *l, bool is_req,
			 const char *key, const char *sub, const char *val)
{
	enum tsm_fid f;

	if (!strcmp(sub, "nr"))
		return pf_u32(st, key, val, &l->nr);
	if (!strcmp(sub, "size"))
		return pf_u32(st, key, val, &l->size);
	if (!strcmp(sub, "min_size"))
		return pf_u32(st, key, val, &l->min_size);
	if (is_req && !strcmp(sub, "kind")) {
		if (!strcmp(val, "op"))
			st->p->req_kind = TSM_REQ_OP;
		else if (!strcmp(val, "scope"))
			st->p->req_kind = TSM_REQ_SCOPE;
		else
			return pf_bad(st, key, val, "accepted: op, scope");
		return 0;
	}
	if (!tsm_field_from_name(sub, &f))
		return pf_loc(st, key, val, &l->f[f]);
	return pf_bad(
		st, key, val,
		"unknown key (accepted: nr, size, min_size, kind, or a field name such as vdevice_id)");
}

static int pf_set(struct pf_state *st, const char *key, const char *val)
{
	struct tsm_profile *p = st->p;
	enum tsm_req_opid id;

	if (!strcmp(key, "base")) {
		const struct tsm_profile *b = tsm_profile_find(val);

		if (!b)
			return pf_bad(
				st, key, val,
				"unknown base profile (accepted: v5, v5-op, v6, v7)");
		if (st->have_base || st->have_other)
			return pf_bad(st, key, val,
				      "'base' must come first and only once");
		*p = *b;
		st->have_base = true;
		return 0;
	}
	st->have_other = true;
	if (!strcmp(key, "name")) {
		if (!*val || strlen(val) >= sizeof(p->name) ||
		    strspn(val, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
			    strlen(val))
			return pf_bad(st, key, val,
				      "1..31 characters from [a-z0-9-_.]");
		snprintf(p->name, sizeof(p->name), "%s", val);
		return 0;
	}
	if (!strcmp(key, "source")) {
		snprintf(p->source, sizeof(p->source), "%s", val);
		return 0;
	}
	if (!strcmp(key, "bind_absent_hint")) {
		snprintf(p->bind_absent_hint, sizeof(p->bind_absent_hint), "%s",
			 val);
		return 0;
	}
	if (!strcmp(key, "op_numbers_confirmed")) {
		if (strcmp(val, "true") && strcmp(val, "false"))
			return pf_bad(st, key, val, "accepted: true, false");
		p->opnum_confirmed = !strcmp(val, "true");
		return 0;
	}
	if (!strcmp(key, "tsm_op")) {
		if (strcmp(val, "absent"))
			return pf_bad(
				st, key, val,
				"only 'absent' (set fields with tsm_op.FIELD)");
		memset(&p->op, 0, sizeof(p->op));
		return 0;
	}
	if (!strncmp(key, "tsm_op.", 7))
		return pf_layout_key(st, &p->op, false, key, key + 7, val);
	if (!strncmp(key, "tsm_req.", 8))
		return pf_layout_key(st, &p->req, true, key, key + 8, val);
	if (!strncmp(key, "op.", 3)) {
		if (tsm_opid_from_name(key + 3, &id))
			return pf_bad(
				st, key, val,
				"unknown op (accepted: read-object, regen-object, object-info, validate-mmio, set-tdi-state, sev-enable-dma, sev-disable-dma)");
		return pf_u32(st, key, val, &p->opnum[id]);
	}
	if (!strncmp(key, "object_type.", 12)) {
		enum tsm_objtype ot;

		if (tsm_objtype_from_name(key + 12, &ot))
			return pf_bad(
				st, key, val,
				"unknown object type (accepted: certificate, measurement, interface_report, vca)");
		return pf_u32(st, key, val, &p->objnum[ot]);
	}
	return pf_bad(st, key, val, "unknown key");
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

static int parse_text(struct pf_state *st, char *buf)
{
	char *line, *save = NULL;
	unsigned int lineno = 0;
	char keys[64][48];
	unsigned int nkeys = 0, i;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq, *key, *val;

		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			tsm_err_set(st->err, EINVAL, "line", line,
				    "%s:%u: expected 'key = value', got '%s'",
				    st->origin, lineno, line);
			return -EINVAL;
		}
		*eq = 0;
		key = trim(line);
		val = trim(eq + 1);
		if (strlen(val) >= 2 && val[0] == '"' &&
		    val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = 0;
			val++;
		}
		for (i = 0; i < nkeys; i++)
			if (!strcmp(keys[i], key)) {
				tsm_err_set(st->err, EINVAL, key, NULL,
					    "%s:%u: duplicate key '%s'",
					    st->origin, lineno, key);
				return -EINVAL;
			}
		if (nkeys < ARRAY_SIZE(keys))
			snprintf(keys[nkeys++], sizeof(keys[0]), "%s", key);
		if (pf_set(st, key, val)) {
			char pre[24];

			snprintf(pre, sizeof(pre), "line %u", lineno);
			tsm_err_prefix(st->err, pre);
			return -EINVAL;
		}
	}
	return 0;
}

static int json_scalar(struct pf_state *st, const char *key,
		       struct json_object *v, char *out, size_t len)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		snprintf(out, len, "%s", json_object_get_string(v));
		return 0;
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			return pf_bad(st, key, json_object_get_string(v),
				      "negative number");
		snprintf(out, len, "%llu",
			 (unsigned long long)json_object_get_uint64(v));
		return 0;
	case json_type_boolean:
		snprintf(out, len, "%s",
			 json_object_get_boolean(v) ? "true" : "false");
		return 0;
	default:
		return pf_bad(st, key, json_object_to_json_string(v),
			      "expected a string, integer or boolean");
	}
}

static int parse_json_layout(struct pf_state *st, const char *prefix,
			     struct json_object *o)
{
	char key[96], val[160];

	if (json_object_is_type(o, json_type_string))
		return json_scalar(st, prefix, o, val, sizeof(val)) ?:
			       pf_set(st, prefix, val);
	if (!json_object_is_type(o, json_type_object))
		return pf_bad(st, prefix, json_object_to_json_string(o),
			      "expected an object or \"absent\"");
	json_object_object_foreach(o, k, v) {
		if (!strcmp(k, "fields")) {
			if (!json_object_is_type(v, json_type_object))
				return pf_bad(
					st, "fields", NULL,
					"expected an object of [offset, size] pairs");
			json_object_object_foreach(v, fk, fv) {
				snprintf(key, sizeof(key), "%s.%s", prefix, fk);
				if (json_object_is_type(fv, json_type_array) &&
				    json_object_array_length(fv) == 2 &&
				    json_object_is_type(
					    json_object_array_get_idx(fv, 0),
					    json_type_int) &&
				    json_object_is_type(
					    json_object_array_get_idx(fv, 1),
					    json_type_int)) {
					snprintf(
						val, sizeof(val), "%d:%d",
						json_object_get_int(
							json_object_array_get_idx(
								fv, 0)),
						json_object_get_int(
							json_object_array_get_idx(
								fv, 1)));
				} else if (json_scalar(st, key, fv, val,
						       sizeof(val))) {
					return -EINVAL;
				}
				if (pf_set(st, key, val))
					return -EINVAL;
			}
			continue;
		}
		snprintf(key, sizeof(key), "%s.%s", prefix, k);
		if (json_scalar(st, key, v, val, sizeof(val)) ||
		    pf_set(st, key, val))
			return -EINVAL;
	}
	return 0;
}

static int parse_json(struct pf_state *st, const char *buf, size_t len)
{
	struct json_object *root;
	char key[96], val[200];
	int rc = 0;

	/* the one strict reader: duplicate keys, UTF-8, depth (jsonstrict.h) */
	rc = tsm_json_parse_strict(buf, len, st->origin, &root, st->err);
	if (rc) {
		snprintf(st->err->field, sizeof(st->err->field), "json");
		return rc;
	}
	if (!json_object_is_type(root, json_type_object)) {
		rc = pf_bad(st, "json", NULL, "top level must be an object");
		goto out;
	}
	/* "base" first, whatever its position in the object */
	{
		struct json_object *b;

		if (json_object_object_get_ex(root, "base", &b)) {
			rc = json_scalar(st, "base", b, val, sizeof(val)) ?:
				     pf_set(st, "base", val);
			if (rc)
				goto out;
		}
	}
	json_object_object_foreach(root, k, v) {
		if (!strcmp(k, "base"))
			continue;
		if (!strcmp(k, "tsm_op") || !strcmp(k, "tsm_req")) {
			rc = parse_json_layout(st, k, v);
		} else if (!strcmp(k, "ops") || !strcmp(k, "object_types")) {
			if (!json_object_is_type(v, json_type_object)) {
				rc = pf_bad(
					st, k, NULL,
					"expected an object of name: number");
				goto out;
			}
			json_object_object_foreach(v, ok, ov) {
				snprintf(key, sizeof(key), "%s.%s",
					 k[0] == 'o' && k[1] == 'p' ? "op" :
								      "object_type",
					 ok);
				rc = json_scalar(st, key, ov, val, sizeof(val)) ?:
					     pf_set(st, key, val);
				if (rc)
					goto out;
			}
		} else {
			rc = json_scalar(st, k, v, val, sizeof(val)) ?:
				     pf_set(st, k, val);
		}
		if (rc)
			goto out;
	}
out:
	json_object_put(root);
	return rc;
}

/*
 * What the layout checks do not cover: every op number must fit the
 * TSM_REQ op field it is sent in, also for ops a command may never use.
 */
static int check_widths(const struct tsm_profile *p, const char *origin,
			struct tsm_err *err)
{
	const struct tsm_field_loc *op = &p->req.f[TSM_F_OP];
	uint64_t max = op->size >= 8 ? UINT64_MAX :
				       (1ull << (8 * op->size)) - 1;
	unsigned int i;

	for (i = 0; i < TSM_OPID_COUNT && p->req_kind == TSM_REQ_OP; i++)
		if (p->opnum[i] > max) {
			tsm_err_set(
				err, EINVAL, "op", NULL,
				"%s: op.%s = %u does not fit the %u-byte op field (0..%llu)",
				origin, tsm_opid_name((enum tsm_req_opid)i),
				p->opnum[i], op->size, (unsigned long long)max);
			return -EINVAL;
		}
	return 0;
}

int tsm_profile_parse(const char *buf, size_t len, const char *origin,
		      struct tsm_profile *out, struct tsm_err *err)
{
	struct pf_state st = { .p = out, .origin = origin, .err = err };
	__cleanup_free char *copy = NULL;
	size_t i = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->req_kind = TSM_REQ_OP;
	out->opnum_confirmed = true;
	tsm_objnum_rhi(out);
	if (memchr(buf, 0, len)) {
		tsm_err_set(err, EINVAL, "file", origin,
			    "%s: contains a NUL byte: not a profile file",
			    origin);
		return -EINVAL;
	}
	if (!tsm_utf8_valid(buf, len)) {
		tsm_err_set(err, EINVAL, "file", origin,
			    "%s: not UTF-8 text: not a profile file", origin);
		return -EINVAL;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t'))
		i++;
	if (i < len && buf[i] == '{') {
		rc = parse_json(&st, buf, len);
	} else {
		copy = strndup(buf, len);
		if (!copy)
			return -ENOMEM;
		rc = parse_text(&st, copy);
	}
	if (rc)
		return rc;
	if (!out->name[0]) {
		tsm_err_set(err, EINVAL, "name", NULL,
			    "%s: no 'name' (and no 'base' to inherit one from)",
			    origin);
		return -EINVAL;
	}
	rc = tsm_profile_validate(out, err);
	if (rc)
		tsm_err_prefix(err, origin);
	return rc ? rc : check_widths(out, origin, err);
}

int tsm_profile_load(const char *path, struct tsm_profile *out,
		     struct tsm_err *err)
{
	__cleanup_free char *buf = NULL;
	size_t len;
	int rc;

	rc = tsm_load_file(path, "--abi-file", PROFILE_FILE_MAX, &buf, &len,
			   err);
	return rc ? rc : tsm_profile_parse(buf, len, path, out, err);
}
