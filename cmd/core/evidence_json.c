// SPDX-License-Identifier: GPL-2.0
/*
 * JSON for decoded evidence objects (TDISP interface report, certificate
 * chain, SPDM measurements), used by req responses and dump. A malformed
 * object yields {"valid": false, "error": reason} and never a read past it.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "evidence.h"
#include "evidence_json.h"
#include "out.h"
#include "out_bytes.h"

#define MAX_BLOCKS 64

static struct json_object *names_json(const char **names, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(names[i]));
	return a;
}

/* @len bytes at @off as hex: a node into @src when given (dump), else a
 * copy (req) */
static struct json_object *hex_at(const uint8_t *b, size_t off, size_t len,
				  const struct out_bytes *src,
				  unsigned int flags)
{
	return src ? out_hex_node(src, off, len, flags) :
		     json_hex(b + off, len);
}

static struct json_object *invalid(struct json_object *o, const char *why)
{
	json_add(o, "valid", json_object_new_boolean(0));
	json_add(o, "error", json_object_new_string(why ? why : "malformed"));
	return o;
}

struct json_object *tdisp_report_json(const uint8_t *b, size_t len,
				      const struct out_bytes *src)
{
	struct json_object *o = json_object_new_object(), *ranges;
	struct tdisp_report r;
	const char *names[16], *why = NULL;
	size_t n;
	uint32_t i;

	json_add(o, "kind", json_object_new_string("tdisp_interface_report"));
	json_add(o, "length", json_u64(len));
	if (tdisp_report_parse(b, len, &r, &why))
		return invalid(o, why);
	json_add(o, "valid", json_object_new_boolean(1));
	json_add(o, "interface_info", json_object_new_int(r.interface_info));
	n = tdisp_interface_info_names(r.interface_info, names,
				       ARRAY_SIZE(names));
	json_add(o, "interface_info_names", names_json(names, n));
	json_add(o, "msix_message_control", json_object_new_int(r.msix_ctrl));
	json_add(o, "lnr_control", json_object_new_int(r.lnr_ctrl));
	json_add(o, "tph_control", json_u64(r.tph_ctrl));
	json_add(o, "mmio_range_count", json_u64(r.range_count));
	ranges = json_object_new_array();
	for (i = 0; i < r.range_count && i < TDISP_MAX_RANGES_DECODED; i++) {
		struct json_object *j = json_object_new_object();
		struct tdisp_mmio_range m;
		char hex[24];

		tdisp_report_range(b, &r, i, &m);
		json_add(j, "range_id", json_object_new_int(m.range_id));
		json_add(j, "first_page", json_u64(m.first_page));
		snprintf(hex, sizeof(hex), "0x%llx",
			 (unsigned long long)m.first_page);
		json_add(j, "first_page_hex", json_object_new_string(hex));
		json_add(j, "number_of_pages", json_u64(m.num_pages));
		json_add(j, "attributes", json_object_new_int(m.attrs));
		n = tdisp_range_attr_names(m.attrs, names, ARRAY_SIZE(names));
		json_add(j, "attribute_names", names_json(names, n));
		json_object_array_add(ranges, j);
	}
	json_add(o, "mmio_ranges", ranges);
	json_add(o, "device_specific_info_len", json_u64(r.dev_info_len));
	json_add(o, "device_specific_info_hex",
		 hex_at(b, r.dev_info_off, r.dev_info_len, src, 0));
	json_add(o, "trailing_bytes", json_u64(r.trailing));
	return o;
}

struct json_object *measurements_json(const uint8_t *b, size_t len,
				      size_t *nonce_off, bool *has_nonce,
				      const struct out_bytes *src)
{
	struct json_object *o = json_object_new_object(), *arr;
	struct spdm_meas_block *blocks;
	struct spdm_meas m;
	const char *why = NULL;
	size_t i;
	int rc;

	*has_nonce = false;
	json_add(o, "kind", json_object_new_string("spdm_measurements"));
	json_add(o, "length", json_u64(len));
	blocks = calloc(MAX_BLOCKS, sizeof(*blocks));
	if (!blocks)
		return invalid(o, "out of memory");
	rc = spdm_meas_parse(b, len, 0, blocks, MAX_BLOCKS, &m, &why);
	if (rc) {
		free(blocks);
		return invalid(o, why);
	}
	json_add(o, "valid", json_object_new_boolean(1));
	json_add(o, "spdm_version", json_object_new_int(m.version));
	{
		char v[8];

		snprintf(v, sizeof(v), "%u.%u", m.version >> 4,
			 m.version & 0xf);
		json_add(o, "spdm_version_name", json_object_new_string(v));
	}
	json_add(o, "number_of_blocks",
		 json_object_new_int(m.number_of_blocks));
	arr = json_object_new_array();
	for (i = 0; i < m.count && i < MAX_BLOCKS; i++) {
		struct json_object *j = json_object_new_object();
		const struct spdm_meas_block *k = &blocks[i];

		json_add(j, "index", json_object_new_int(k->index));
		json_add(j, "specification", json_object_new_int(k->spec));
		json_add(j, "size", json_object_new_int(k->size));
		if (k->dmtf) {
			json_add(j, "value_type",
				 json_object_new_string(
					 spdm_meas_type_name(k->value_type)));
			json_add(j, "raw_bitstream",
				 json_object_new_boolean(k->raw));
		}
		json_add(j, "value_hex",
			 hex_at(b, k->value_off, k->value_len, src, 0));
		json_object_array_add(arr, j);
	}
	json_add(o, "blocks", arr);
	if (m.has_nonce) {
		*has_nonce = true;
		*nonce_off = m.nonce_off;
		json_add(o, "nonce_offset", json_u64(m.nonce_off));
		json_add(o, "nonce_hex",
			 hex_at(b, m.nonce_off, SPDM_NONCE_LEN, src,
				OUT_HEX_NONCE));
	}
	json_add(o, "signature_len", json_u64(m.sig_len));
	free(blocks);
	return o;
}
