// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM GET_MEASUREMENTS response decoder (docs/kernel-abi.md).
 *
 * Response (SPDM 1.x, little-endian):
 *   u8 spdm_version, u8 response_code (0x60), u8 param1, u8 param2,
 *   u8 number_of_blocks, u24 measurement_record_length,
 *   record: blocks { u8 index, u8 measurement_specification,
 *                    u16 measurement_size, measurement[size] },
 *   nonce[32], u16 opaque_length, opaque[opaque_length],
 *   (SPDM >= 1.3) requester_context[8], signature (rest of the object).
 *
 * A DMTF measurement (specification bit 0) is
 *   { u8 value_type, u16 value_size, value[value_size] }.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evidence.h"

/*
 * Decode one block at buf[off], which lies inside a record ending at end.
 * Returns 0 and the block's total length in *blen, or -EINVAL.
 */
static int meas_block(const uint8_t *buf, size_t off, size_t end,
		      struct spdm_meas_block *b, size_t nblk,
		      struct spdm_meas *out, const char **why)
{
	size_t avail = end - off;

	memset(b, 0, sizeof(*b));
	b->off = off;
	if (avail < SPDM_MEAS_BLOCK_HDR_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"block %zu at offset %zu: header needs %d bytes but only %zu remain in the record",
			nblk, off, SPDM_MEAS_BLOCK_HDR_LEN, avail);
	b->index = buf[off];
	b->spec = buf[off + 1];
	b->size = ev_le16(buf + off + 2);
	if ((size_t)b->size > avail - SPDM_MEAS_BLOCK_HDR_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"block %zu (index %u) at offset %zu: measurement_size %u runs past the record end (%zu bytes remain)",
			nblk, b->index, off, b->size,
			avail - SPDM_MEAS_BLOCK_HDR_LEN);
	b->value_off = off + SPDM_MEAS_BLOCK_HDR_LEN;
	b->value_len = b->size;
	if (!(b->spec & SPDM_MEAS_SPEC_DMTF))
		return 0;

	if (b->size < SPDM_DMTF_HDR_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"block %zu (index %u) at offset %zu: DMTF measurement_size %u is shorter than the %d-byte DMTF header",
			nblk, b->index, off, b->size, SPDM_DMTF_HDR_LEN);
	b->dmtf = true;
	b->value_type = buf[b->value_off];
	b->raw = !!(b->value_type & SPDM_DMTF_RAW_BIT);
	b->value_size = ev_le16(buf + b->value_off + 1);
	if ((size_t)b->value_size + SPDM_DMTF_HDR_LEN != b->size)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"block %zu (index %u) at offset %zu: DMTF value_size %u + %d does not match measurement_size %u",
			nblk, b->index, off, b->value_size, SPDM_DMTF_HDR_LEN,
			b->size);
	b->value_off += SPDM_DMTF_HDR_LEN;
	b->value_len = b->value_size;
	return 0;
}

static int meas_record(const uint8_t *buf, size_t start, size_t end,
		       struct spdm_meas_block *blocks, size_t max,
		       struct spdm_meas *out, const char **why)
{
	struct spdm_meas_block tmp;
	size_t off = start;
	int ret;

	while (off < end) {
		struct spdm_meas_block *b =
			out->count < max ? &blocks[out->count] : &tmp;

		ret = meas_block(buf, off, end, b, out->count, out, why);
		if (ret)
			return ret;
		off += SPDM_MEAS_BLOCK_HDR_LEN + (size_t)b->size;
		out->count++;
	}
	return 0;
}

/* A bare measurement record (SPDM_MEAS_F_RECORD_ONLY) */
static int meas_bare(const uint8_t *buf, size_t len,
		     struct spdm_meas_block *blocks, size_t max,
		     struct spdm_meas *out, const char **why)
{
	int ret;

	out->record_off = 0;
	if (len > 0xffffff)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EOVERFLOW,
			"bare measurement record of %zu bytes exceeds the 24-bit record length",
			len);
	out->record_len = (uint32_t)len;
	ret = meas_record(buf, 0, len, blocks, max, out, why);
	if (!ret && out->count > 255)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"bare record holds %zu blocks, more than 255",
			out->count);
	out->number_of_blocks = (uint8_t)out->count;
	return ret;
}

/* The MEASUREMENTS header: code, version, record length */
static int meas_header(const uint8_t *buf, size_t len, struct spdm_meas *out,
		       const char **why)
{
	if (len < SPDM_MEAS_HDR_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"measurements response is %zu bytes, shorter than the %d-byte header",
			len, SPDM_MEAS_HDR_LEN);
	out->has_header = true;
	out->version = buf[0];
	out->response_code = buf[1];
	out->param1 = buf[2];
	out->param2 = buf[3];
	out->number_of_blocks = buf[4];
	out->record_len = (uint32_t)buf[5] | ((uint32_t)buf[6] << 8) |
			  ((uint32_t)buf[7] << 16);
	out->record_off = SPDM_MEAS_HDR_LEN;
	if (out->response_code != SPDM_MEASUREMENTS_CODE)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"response code 0x%02x is not MEASUREMENTS (0x%02x)",
			out->response_code, SPDM_MEASUREMENTS_CODE);
	if ((out->version >> 4) != 1)
		return evidence_fail(out->why, sizeof(out->why), why, -EINVAL,
				     "SPDM version 0x%02x is not 1.x",
				     out->version);
	if (out->record_len > len - SPDM_MEAS_HDR_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"measurement_record_length %u needs %llu bytes but the object has %zu",
			out->record_len,
			(unsigned long long)out->record_len + SPDM_MEAS_HDR_LEN,
			len);
	return 0;
}

/* After the record: nonce, opaque data, 1.3 requester context, signature */
static int meas_tail(const uint8_t *buf, size_t len, struct spdm_meas *out,
		     const char **why)
{
	size_t off = SPDM_MEAS_HDR_LEN + (size_t)out->record_len;
	size_t rest = len - off;

	if (rest == 0)
		return 0; /* no nonce: e.g. an unsigned SPDM 1.0 response */
	if (rest < SPDM_NONCE_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"nonce at offset %zu needs %d bytes but only %zu remain",
			off, SPDM_NONCE_LEN, rest);
	out->has_nonce = true;
	out->nonce_off = off;
	off += SPDM_NONCE_LEN;
	rest -= SPDM_NONCE_LEN;
	if (rest < 2)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"opaque_length at offset %zu needs 2 bytes but only %zu remain",
			off, rest);
	out->opaque_len = ev_le16(buf + off);
	off += 2;
	rest -= 2;
	if (out->opaque_len > rest)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"opaque_length %u at offset %zu runs past the end (%zu bytes remain)",
			out->opaque_len, off - 2, rest);
	out->opaque_off = off;
	off += out->opaque_len;
	rest -= out->opaque_len;
	if (out->version >= 0x13) {
		if (rest < SPDM_REQ_CONTEXT_LEN)
			return evidence_fail(
				out->why, sizeof(out->why), why, -EINVAL,
				"SPDM 1.3 requester_context at offset %zu needs %d bytes but only %zu remain",
				off, SPDM_REQ_CONTEXT_LEN, rest);
		out->has_req_context = true;
		out->req_context_off = off;
		off += SPDM_REQ_CONTEXT_LEN;
		rest -= SPDM_REQ_CONTEXT_LEN;
	}
	out->sig_off = off;
	out->sig_len = rest;
	return 0;
}

int spdm_meas_parse(const uint8_t *buf, size_t len, unsigned int flags,
		    struct spdm_meas_block *blocks, size_t max,
		    struct spdm_meas *out, const char **why)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (!blocks)
		max = 0;
	if (len == 0)
		return evidence_fail(out->why, sizeof(out->why), why, -ENODATA,
				     "empty measurements object (0 bytes)");
	if (!buf)
		return evidence_fail(out->why, sizeof(out->why), why, -EFAULT,
				     "NULL buffer with length %zu", len);
	if (flags & SPDM_MEAS_F_RECORD_ONLY)
		return meas_bare(buf, len, blocks, max, out, why);
	ret = meas_header(buf, len, out, why);
	if (ret)
		return ret;
	ret = meas_record(buf, SPDM_MEAS_HDR_LEN,
			  SPDM_MEAS_HDR_LEN + (size_t)out->record_len, blocks,
			  max, out, why);
	if (ret)
		return ret;
	if (out->count != out->number_of_blocks)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"number_of_blocks is %u but the %u-byte record holds %zu blocks",
			out->number_of_blocks, out->record_len, out->count);
	return meas_tail(buf, len, out, why);
}

static const char *const meas_type_names[] = {
	"immutable-rom",
	"mutable-firmware",
	"hardware-config",
	"firmware-config",
	"freeform-manifest",
	"device-mode",
	"mutable-firmware-version",
	"mutable-firmware-security-version",
	"hash-extend-measurement",
	"informational",
	"structured-manifest",
};

const char *spdm_meas_type_name(uint8_t value_type)
{
	unsigned int t = value_type & SPDM_DMTF_TYPE_MASK;

	if (t < sizeof(meas_type_names) / sizeof(meas_type_names[0]))
		return meas_type_names[t];
	return "reserved";
}
