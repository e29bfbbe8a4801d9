// SPDX-License-Identifier: GPL-2.0
/*
 * The decoded description of a TSM ioctl struct, shared by dry-run output,
 * results and traces: name, request code, bytes and fields by offset.
 */
#include <json-c/json.h>

#include "tsmctl.h"

static const char *const scope_names[] = { "info", "state-change", "debug-read",
					   "debug-write" };
static const char *const arch_names[] = { NULL, "cca", "sev", "tdx" };

struct json_object *ioctl_raw_json(const char *name, unsigned long request,
				   const void *st, size_t len,
				   struct json_object *fields)
{
	struct json_object *o = json_object_new_object();
	char buf[16], hex[2 * TSM_STRUCT_MAX + 1];

	json_add(o, "name", json_object_new_string(name));
	json_add(o, "request", json_u64(request));
	snprintf(buf, sizeof(buf), "0x%04lx", request);
	json_add(o, "request_hex", json_object_new_string(buf));
	json_add(o, "struct_len", json_object_new_int((int)len));
	if (len <= TSM_STRUCT_MAX) { /* every ioctl struct: no allocation */
		tsm_hex(st, len, hex);
		json_add(o, "struct_hex", json_object_new_string(hex));
	} else {
		json_add(o, "struct_hex", json_hex(st, len));
	}
	if (fields)
		json_add(o, "fields", fields);
	return o;
}

struct json_object *ioctl_json(const char *name, const struct tsm_layout *l,
			       const struct tsm_image *img,
			       enum tsm_req_kind kind, bool is_op)
{
	struct json_object *fields = json_object_new_object();
	unsigned int k, n = 0;
	int f, order[TSM_F_COUNT];

	/* fields in offset order (insertion sort of the few present) */
	for (f = 0; f < TSM_F_COUNT; f++) {
		if (!l->f[f].size || l->f[f].off >= img->len)
			continue;
		for (k = n; k && l->f[order[k - 1]].off > l->f[f].off; k--)
			order[k] = order[k - 1];
		order[k] = f;
		n++;
	}
	for (k = 0; k < n; k++) {
		uint64_t v;

		f = order[k];
		if (!tsm_image_get(l, img, (enum tsm_fid)f, &v))
			continue;
		/* field names are static strings (lib/abi.c) */
		json_object_object_add_ex(fields, tsm_field_name(f),
					  json_u64(v),
					  JSON_C_OBJECT_ADD_CONSTANT_KEY);
		if (f == TSM_F_TYPE && is_op && (v == 1 || v == 2))
			json_add(fields, "type_name",
				 json_object_new_string(v == 1 ? "bind" :
								 "unbind"));
		if (f == TSM_F_SCOPE && kind == TSM_REQ_SCOPE &&
		    v < ARRAY_SIZE(scope_names))
			json_add(fields, "scope_name",
				 json_object_new_string(scope_names[v]));
		if (f == TSM_F_TVM_ARCH && v && v < ARRAY_SIZE(arch_names))
			json_add(fields, "tvm_arch_name",
				 json_object_new_string(arch_names[v]));
	}
	return ioctl_raw_json(name, tsm_request_code(l->nr), img->b, img->len,
			      fields);
}
