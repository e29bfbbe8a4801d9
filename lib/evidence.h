/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoders for PCI TSM evidence objects (docs/kernel-abi.md):
 *
 *   - TDISP DEVICE_INTERFACE_REPORT          (lib/tdisp.c)
 *   - SPDM certificate chains / DER X.509    (lib/x509.h: through
 *                                              libcrypto, rules of its own)
 *   - SPDM GET_MEASUREMENTS responses        (lib/spdm_meas.c)
 *
 * Rules shared by all decoders:
 *   - They never print, never exit, never allocate and keep no mutable
 *     global state.  Output goes to caller-supplied structs and arrays.
 *   - They never read outside [buf, buf + len).  Every count and length
 *     is checked against the object size before it is used; a truncated
 *     or inconsistent object is an error, never decoded past.
 *   - They return 0 on success or a negative errno:
 *       -ENODATA   empty object (0 bytes) or nothing to decode
 *       -EINVAL    malformed / truncated / inconsistent object
 *       -EOVERFLOW a count or length that cannot describe any valid object
 *                  (e.g. mmio_range_count * 16 does not fit in 32 bits)
 *       -EFAULT    NULL buffer with a non-zero length
 *     On error a human-readable reason (one line, no trailing newline) is
 *     written to the result struct's why[] field, and, when the optional
 *     "why" argument is non-NULL, *why points at that field.  On success
 *     why[] is "" and *why is set to NULL.
 *   - Offsets ("_off") are byte offsets into the caller's buffer, so a
 *     renderer can hex-dump or redact the original bytes.
 */
#ifndef TSMCTL_EVIDENCE_H
#define TSMCTL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVIDENCE_WHY_MAX 160

/* ------------------------------------------------------------------ */
/* TDISP DEVICE_INTERFACE_REPORT (§6)                                  */
/* ------------------------------------------------------------------ */

/*
 * Suggested cap for renderers that print ranges one by one.  The parser
 * itself does not cap: range_count is bounded by the object size.
 */
#define TDISP_MAX_RANGES_DECODED 4096

#define TDISP_REPORT_FIXED_LEN 16 /* up to and including mmio_range_count */
#define TDISP_MMIO_RANGE_LEN 16
#define TDISP_DEV_INFO_LEN_LEN 4 /* device_specific_info_len field */

/* interface_info bits */
#define TDISP_IFINFO_NO_UPDATE_AFTER_LOCK (1u << 0)
#define TDISP_IFINFO_DMA_WITHOUT_PASID (1u << 1)
#define TDISP_IFINFO_DMA_WITH_PASID (1u << 2)
#define TDISP_IFINFO_ATS_SUPPORTED (1u << 3)
#define TDISP_IFINFO_PRS_SUPPORTED (1u << 4)
#define TDISP_IFINFO_XT_MODE_SUPPORTED (1u << 5)

/* mmio range attribute bits */
#define TDISP_RANGE_MSIX_TABLE (1u << 0)
#define TDISP_RANGE_MSIX_PBA (1u << 1)
#define TDISP_RANGE_IS_NON_TEE_MEM (1u << 2)
#define TDISP_RANGE_IS_MEM_ATTR_UPDATABLE (1u << 3)

struct tdisp_mmio_range {
	uint64_t first_page; /* raw field: includes MMIO_REPORTING_OFFSET */
	uint32_t num_pages; /* 4 KiB pages */
	uint16_t attrs;
	uint16_t range_id;
};

struct tdisp_report {
	uint16_t interface_info;
	uint16_t reserved; /* bytes 2..3, reported as-is */
	uint16_t msix_ctrl;
	uint16_t lnr_ctrl;
	uint32_t tph_ctrl;
	uint32_t range_count;
	size_t ranges_off; /* byte offset of the range array (16) */
	uint32_t dev_info_len;
	size_t dev_info_off; /* byte offset of device_specific_info */
	size_t trailing; /* bytes after device_specific_info (not an error) */
	char why[EVIDENCE_WHY_MAX];
};

/*
 * Decode the report body (the bytes starting at interface_info; no TDISP
 * message header, no portion/remainder length prefix).  The range array is
 * not copied: read entries with tdisp_report_range().
 */
int tdisp_report_parse(const uint8_t *buf, size_t len, struct tdisp_report *out,
		       const char **why);

/*
 * Read range i out of buf after a successful tdisp_report_parse() of the
 * same buffer.  An index >= range_count yields an all-zero range.
 */
void tdisp_report_range(const uint8_t *buf, const struct tdisp_report *r,
			uint32_t i, struct tdisp_mmio_range *out);

/*
 * Names of the set bits of interface_info / range attributes, lowest bit
 * first ("NO_UPDATE_AFTER_LOCK", ..., unknown bits as "bit6" ...).  Fills
 * at most n entries and returns how many were filled; 16 always suffices.
 * The strings are static and constant.
 */
size_t tdisp_interface_info_names(uint16_t v, const char **names, size_t n);
size_t tdisp_range_attr_names(uint16_t v, const char **names, size_t n);

/* ------------------------------------------------------------------ */
/* SPDM GET_MEASUREMENTS response (§4 MEASUREMENTS)                    */
/* ------------------------------------------------------------------ */

#define SPDM_MEASUREMENTS_CODE 0x60
#define SPDM_MEAS_HDR_LEN 8 /* 4 hdr + u8 blocks + u24 len */
#define SPDM_MEAS_BLOCK_HDR_LEN 4
#define SPDM_DMTF_HDR_LEN 3
#define SPDM_NONCE_LEN 32
#define SPDM_REQ_CONTEXT_LEN 8 /* SPDM >= 1.3 */
#define SPDM_MEAS_SPEC_DMTF 0x01

/* flags for spdm_meas_parse() */
#define SPDM_MEAS_F_RECORD_ONLY 0x1 /* buf is a bare measurement record */

#define SPDM_DMTF_RAW_BIT 0x80 /* value is a raw bit stream, else digest */
#define SPDM_DMTF_TYPE_MASK 0x7f

struct spdm_meas_block {
	uint8_t index;
	uint8_t spec; /* measurement_specification bitmask */
	uint16_t size; /* measurement_size */
	size_t off; /* offset of the 4-byte block header */
	bool dmtf; /* spec has the DMTF bit and a DMTF header decoded */
	uint8_t value_type; /* raw byte: bit 7 raw, low 7 bits type */
	bool raw; /* value_type bit 7 */
	uint16_t value_size; /* DMTF value_size (0 if !dmtf) */
	size_t value_off; /* value bytes (whole measurement if !dmtf) */
	size_t value_len;
};

struct spdm_meas {
	bool has_header; /* false with SPDM_MEAS_F_RECORD_ONLY */
	uint8_t version; /* 0x10, 0x11, 0x12, 0x13 ... */
	uint8_t response_code;
	uint8_t param1; /* total number of indices when requested */
	uint8_t param2; /* slot (low nibble) and content-changed bits */
	uint8_t number_of_blocks;
	uint32_t record_len;
	size_t record_off;
	size_t count; /* blocks decoded (may exceed the array size) */
	bool has_nonce; /* false if the response ends after the record */
	size_t nonce_off; /* SPDM_NONCE_LEN bytes, for redaction */
	uint16_t opaque_len;
	size_t opaque_off;
	bool has_req_context; /* SPDM >= 1.3 RequesterContext */
	size_t req_context_off;
	size_t sig_off; /* signature: the rest of the object */
	size_t sig_len;
	char why[EVIDENCE_WHY_MAX];
};

/*
 * Decode a MEASUREMENTS response (or a bare record with
 * SPDM_MEAS_F_RECORD_ONLY).  The first min(count, max) blocks are stored
 * in blocks[] (may be NULL when max is 0).
 */
int spdm_meas_parse(const uint8_t *buf, size_t len, unsigned int flags,
		    struct spdm_meas_block *blocks, size_t max,
		    struct spdm_meas *out, const char **why);

/*
 * Name of a DMTF measurement value type (bit 7 ignored), e.g.
 * "immutable-rom", "mutable-firmware", ...; "reserved" for unknown types.
 */
const char *spdm_meas_type_name(uint8_t value_type);

/* Little-endian reads: TDISP and SPDM are little-endian on the wire. */
static inline uint16_t ev_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ev_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t ev_le64(const uint8_t *p)
{
	return (uint64_t)ev_le32(p) | ((uint64_t)ev_le32(p + 4) << 32);
}

/*
 * A decoder's failure: the reason into @dst (a result's why[] field),
 * *@why pointed at it when @why is not NULL; returns @err.
 */
__attribute__((format(printf, 5, 6))) int evidence_fail(char *dst, size_t len,
							const char **why,
							int err,
							const char *fmt, ...);

#endif
