/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wire structures of the iommufd vdevice TSM ioctls, one per published
 * revision. No kernel header ships these (the ABI is not merged, and
 * Debian bookworm's linux-libc-dev is far older), so the project keeps its
 * own copies. Every field carries its byte offset and every offset and size
 * is asserted at compile time against docs/kernel-abi.md.
 *
 * These structs are the only source of the compiled-in layouts in abi.c:
 * the profile tables take offsetof()/sizeof() from here.
 */
#ifndef TSMCTL_UAPI_H
#define TSMCTL_UAPI_H

#include <stddef.h>
#include <stdint.h>

#define IOMMUFD_TYPE 0x3B /* ';' */
#define IOMMUFD_CMD_BASE 0x80
/* _IO(';', nr): no direction or size bits */
#define TSM_IOCTL_REQUEST(nr) ((unsigned long)((IOMMUFD_TYPE << 8) | (nr)))

#define IOMMUFD_CMD_OPTION 0x87

/* IOMMU_VDEVICE_TSM_OP: v5 nr 0x95, post-v5 tree (v6) nr 0x96, v7 absent */
struct tsm_uapi_op {
	uint32_t size; /* 0: sizeof = 16 */
	uint32_t type; /* 4: TSM_OP_BIND 1, TSM_OP_UNBIND 2 */
	uint32_t flags; /* 8: must be 0 */
	uint32_t vdevice_id; /* 12: iommufd object ID */
};

#define TSM_OP_BIND 1
#define TSM_OP_UNBIND 2

/* IOMMU_VDEVICE_TSM_REQ, v5 (S1): scope layout, 40 bytes, no copy-back */
struct tsm_uapi_req_scope {
	uint32_t size; /* 0: sizeof = 40 */
	uint32_t vdevice_id; /* 4 */
	uint32_t scope; /* 8: enum iommu_vdevice_tsm_req_scope */
	uint32_t req_len; /* 12 */
	uint32_t resp_len; /* 16 */
	uint32_t __reserved; /* 20: must be 0 */
	uint64_t req_uptr; /* 24 */
	uint64_t resp_uptr; /* 32 */
};

/* IOMMU_VDEVICE_TSM_REQ, post-v5 (S2, S4, S5): op + tvm_arch, 48 bytes */
struct tsm_uapi_req_op {
	uint32_t size; /* 0: sizeof = 48 */
	uint32_t vdevice_id; /* 4 */
	uint32_t op; /* 8: enum iommu_vdevice_tsm_guest_req_op */
	uint32_t tvm_arch; /* 12: CCA 1, SEV 2, TDX 3 */
	uint32_t req_len; /* 16 */
	uint32_t resp_len; /* 20 */
	uint64_t req_uptr; /* 24 */
	uint64_t resp_uptr; /* 32 */
	uint64_t tsm_code; /* 40: output */
};

/* IOMMU_OPTION (0x3B87): used as a side-effect-free probe */
struct tsm_uapi_option {
	uint32_t size; /* 0: sizeof = 24 */
	uint32_t option_id; /* 4: RLIMIT_MODE 0, HUGE_PAGES 1 */
	uint16_t op; /* 8: SET 0, GET 1 */
	uint16_t __reserved; /* 10 */
	uint32_t object_id; /* 12 */
	uint64_t val64; /* 16 */
};

/*
 * Arm CCA request payloads of the v7 integration ABI (docs/kernel-abi.md,
 * "v7 payloads"; OpenVMM's pinned bindings assert the same offsets).
 * Natural alignment, little endian.
 */
struct tsm_uapi_cca_validate_mmio {
	uint64_t gpa_base; /* 0 */
	uint64_t gpa_top; /* 8: exclusive */
	uint64_t pa_base; /* 16 */
};

struct tsm_uapi_cca_set_tdi_state {
	uint32_t state; /* 0: UNLOCKED 0, LOCKED 1, RUN 2 */
};

struct tsm_uapi_cca_read_object {
	uint32_t object_type; /* 0 */
	uint32_t reserved; /* 4: 0 */
	uint64_t offset; /* 8 */
};

struct tsm_uapi_cca_regen_object {
	uint32_t object_type; /* 0 */
	uint32_t reserved; /* 4: 0 */
	uint64_t flags; /* 8: measurements: 0 or 1 */
	uint64_t nonce; /* 16: user pointer to 32 bytes, 0 for the report */
};

struct tsm_uapi_cca_object_info {
	uint32_t object_type; /* 0; the response is a u32 size */
};

#define TSM_CCA_NONCE_LEN 32
#define TSM_CCA_MEAS_FLAGS_MAX 1

#define TSM_ASSERT_FIELD(type, field, off, sz)                    \
	_Static_assert(offsetof(struct type, field) == (off),     \
		       #type "." #field " offset");               \
	_Static_assert(sizeof(((struct type *)0)->field) == (sz), \
		       #type "." #field " size")

_Static_assert(sizeof(struct tsm_uapi_op) == 16, "tsm_uapi_op size");
TSM_ASSERT_FIELD(tsm_uapi_op, size, 0, 4);
TSM_ASSERT_FIELD(tsm_uapi_op, type, 4, 4);
TSM_ASSERT_FIELD(tsm_uapi_op, flags, 8, 4);
TSM_ASSERT_FIELD(tsm_uapi_op, vdevice_id, 12, 4);

_Static_assert(sizeof(struct tsm_uapi_req_scope) == 40, "req_scope size");
TSM_ASSERT_FIELD(tsm_uapi_req_scope, size, 0, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, vdevice_id, 4, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, scope, 8, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, req_len, 12, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, resp_len, 16, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, __reserved, 20, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, req_uptr, 24, 8);
TSM_ASSERT_FIELD(tsm_uapi_req_scope, resp_uptr, 32, 8);

_Static_assert(sizeof(struct tsm_uapi_req_op) == 48, "req_op size");
TSM_ASSERT_FIELD(tsm_uapi_req_op, size, 0, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_op, vdevice_id, 4, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_op, op, 8, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_op, tvm_arch, 12, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_op, req_len, 16, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_op, resp_len, 20, 4);
TSM_ASSERT_FIELD(tsm_uapi_req_op, req_uptr, 24, 8);
TSM_ASSERT_FIELD(tsm_uapi_req_op, resp_uptr, 32, 8);
TSM_ASSERT_FIELD(tsm_uapi_req_op, tsm_code, 40, 8);

_Static_assert(sizeof(struct tsm_uapi_option) == 24, "option size");
TSM_ASSERT_FIELD(tsm_uapi_option, option_id, 4, 4);
TSM_ASSERT_FIELD(tsm_uapi_option, op, 8, 2);
TSM_ASSERT_FIELD(tsm_uapi_option, object_id, 12, 4);
TSM_ASSERT_FIELD(tsm_uapi_option, val64, 16, 8);

_Static_assert(sizeof(struct tsm_uapi_cca_validate_mmio) == 24, "vmmio size");
TSM_ASSERT_FIELD(tsm_uapi_cca_validate_mmio, gpa_base, 0, 8);
TSM_ASSERT_FIELD(tsm_uapi_cca_validate_mmio, gpa_top, 8, 8);
TSM_ASSERT_FIELD(tsm_uapi_cca_validate_mmio, pa_base, 16, 8);

_Static_assert(sizeof(struct tsm_uapi_cca_set_tdi_state) == 4, "state size");
TSM_ASSERT_FIELD(tsm_uapi_cca_set_tdi_state, state, 0, 4);

_Static_assert(sizeof(struct tsm_uapi_cca_read_object) == 16, "read size");
TSM_ASSERT_FIELD(tsm_uapi_cca_read_object, object_type, 0, 4);
TSM_ASSERT_FIELD(tsm_uapi_cca_read_object, reserved, 4, 4);
TSM_ASSERT_FIELD(tsm_uapi_cca_read_object, offset, 8, 8);

_Static_assert(sizeof(struct tsm_uapi_cca_regen_object) == 24, "regen size");
TSM_ASSERT_FIELD(tsm_uapi_cca_regen_object, object_type, 0, 4);
TSM_ASSERT_FIELD(tsm_uapi_cca_regen_object, reserved, 4, 4);
TSM_ASSERT_FIELD(tsm_uapi_cca_regen_object, flags, 8, 8);
TSM_ASSERT_FIELD(tsm_uapi_cca_regen_object, nonce, 16, 8);

_Static_assert(sizeof(struct tsm_uapi_cca_object_info) == 4, "info size");
TSM_ASSERT_FIELD(tsm_uapi_cca_object_info, object_type, 0, 4);

#endif
