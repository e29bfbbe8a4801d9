// SPDX-License-Identifier: GPL-2.0
/*
 * TDISP DEVICE_INTERFACE_REPORT decoder (docs/kernel-abi.md).
 *
 * Layout (packed, little-endian):
 *   0  u16 interface_info      2  u16 reserved
 *   4  u16 msi_x_message_control
 *   6  u16 lnr_control         8  u32 tph_control
 *  12  u32 mmio_range_count   16  mmio_range[N] (16 bytes each)
 *  16+16N u32 device_specific_info_len, then L bytes of device info.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evidence.h"

int tdisp_report_parse(const uint8_t *buf, size_t len, struct tdisp_report *out,
		       const char **why)
{
	uint64_t need, ranges_len;
	size_t info_field;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (len == 0)
		return evidence_fail(out->why, sizeof(out->why), why, -ENODATA,
				     "empty interface report (0 bytes)");
	if (!buf)
		return evidence_fail(out->why, sizeof(out->why), why, -EFAULT,
				     "NULL buffer with length %zu", len);
	if (len < TDISP_REPORT_FIXED_LEN)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"interface report is %zu bytes, shorter than the %d-byte fixed part",
			len, TDISP_REPORT_FIXED_LEN);

	out->interface_info = ev_le16(buf + 0);
	out->reserved = ev_le16(buf + 2);
	out->msix_ctrl = ev_le16(buf + 4);
	out->lnr_ctrl = ev_le16(buf + 6);
	out->tph_ctrl = ev_le32(buf + 8);
	out->range_count = ev_le32(buf + 12);
	out->ranges_off = TDISP_REPORT_FIXED_LEN;

	/* 64-bit arithmetic: count <= 2^32-1, so 16 * count + 20 < 2^37 */
	ranges_len = (uint64_t)out->range_count * TDISP_MMIO_RANGE_LEN;
	if (ranges_len > UINT32_MAX)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EOVERFLOW,
			"mmio_range_count %u overflows: %u * %d bytes does not fit in 32 bits (object has %zu)",
			out->range_count, out->range_count,
			TDISP_MMIO_RANGE_LEN, len);
	need = TDISP_REPORT_FIXED_LEN + ranges_len;
	if (need > len)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"mmio_range_count %u needs %llu bytes but the object has %zu",
			out->range_count, (unsigned long long)need, len);
	info_field = (size_t)need;
	need += TDISP_DEV_INFO_LEN_LEN;
	if (need > len)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"device_specific_info_len at offset %zu needs %llu bytes but the object has %zu",
			info_field, (unsigned long long)need, len);

	out->dev_info_len = ev_le32(buf + info_field);
	out->dev_info_off = info_field + TDISP_DEV_INFO_LEN_LEN;
	need += out->dev_info_len;
	if (need > len)
		return evidence_fail(
			out->why, sizeof(out->why), why, -EINVAL,
			"device_specific_info_len %u at offset %zu needs %llu bytes but the object has %zu",
			out->dev_info_len, info_field, (unsigned long long)need,
			len);
	out->trailing = len - (size_t)need;
	return 0;
}

void tdisp_report_range(const uint8_t *buf, const struct tdisp_report *r,
			uint32_t i, struct tdisp_mmio_range *out)
{
	const uint8_t *p;

	memset(out, 0, sizeof(*out));
	if (!buf || i >= r->range_count)
		return;
	p = buf + r->ranges_off + (size_t)i * TDISP_MMIO_RANGE_LEN;
	out->first_page = ev_le64(p);
	out->num_pages = ev_le32(p + 8);
	out->attrs = ev_le16(p + 12);
	out->range_id = ev_le16(p + 14);
}

static const char *const tdisp_bit_names[16] = {
	"bit0", "bit1", "bit2",	 "bit3",  "bit4",  "bit5",  "bit6",  "bit7",
	"bit8", "bit9", "bit10", "bit11", "bit12", "bit13", "bit14", "bit15",
};

static const char *const tdisp_ifinfo_names[] = {
	"NO_UPDATE_AFTER_LOCK", "DMA_WITHOUT_PASID", "DMA_WITH_PASID",
	"ATS_SUPPORTED",	"PRS_SUPPORTED",     "XT_MODE_SUPPORTED",
};

static const char *const tdisp_attr_names[] = {
	"MSIX_TABLE",
	"MSIX_PBA",
	"IS_NON_TEE_MEM",
	"IS_MEM_ATTR_UPDATABLE",
};

static size_t tdisp_bits(uint16_t v, const char *const *known, size_t nknown,
			 const char **names, size_t n)
{
	size_t bit, k = 0;

	for (bit = 0; bit < 16 && k < n; bit++) {
		if (!(v & (1u << bit)))
			continue;
		names[k++] = bit < nknown ? known[bit] : tdisp_bit_names[bit];
	}
	return k;
}

size_t tdisp_interface_info_names(uint16_t v, const char **names, size_t n)
{
	return tdisp_bits(v, tdisp_ifinfo_names,
			  sizeof(tdisp_ifinfo_names) /
				  sizeof(tdisp_ifinfo_names[0]),
			  names, n);
}

size_t tdisp_range_attr_names(uint16_t v, const char **names, size_t n)
{
	return tdisp_bits(v, tdisp_attr_names,
			  sizeof(tdisp_attr_names) /
				  sizeof(tdisp_attr_names[0]),
			  names, n);
}
