/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ABI profiles: each published revision of the vdevice TSM ioctls as data
 * (ioctl numbers, struct layouts, op numbering). The compiled-in profiles
 * are the only place that knows layouts; a profile file (--abi-file) can
 * declare a new revision with the same content, without a rebuild.
 */
#ifndef TSMCTL_ABI_H
#define TSMCTL_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Fields that may appear in a TSM struct layout. */
enum tsm_fid {
	TSM_F_SIZE,
	TSM_F_TYPE,
	TSM_F_FLAGS,
	TSM_F_VDEVICE_ID,
	TSM_F_SCOPE,
	TSM_F_OP,
	TSM_F_TVM_ARCH,
	TSM_F_REQ_LEN,
	TSM_F_RESP_LEN,
	TSM_F_RESERVED,
	TSM_F_REQ_UPTR,
	TSM_F_RESP_UPTR,
	TSM_F_TSM_CODE,
	TSM_F_COUNT,
};

struct tsm_field_loc {
	uint16_t off;
	uint8_t size; /* 0: field absent from this layout */
};

#define TSM_STRUCT_MAX 256

struct tsm_layout {
	uint32_t nr; /* ioctl nr (0x80..0xff); 0: ioctl absent */
	uint32_t size; /* struct size userspace passes */
	uint32_t min_size; /* offsetofend(last) in the kernel */
	struct tsm_field_loc f[TSM_F_COUNT];
};

enum tsm_req_kind {
	TSM_REQ_SCOPE = 1, /* v5: scope, no tsm_code, no copy-back */
	TSM_REQ_OP = 2, /* post-v5: op + tvm_arch + tsm_code */
};

/* The generic op names: written here only (tests/tools/structure.py) */
#define TSM_OPNAME_READ_OBJECT "read-object"
#define TSM_OPNAME_REGEN_OBJECT "regen-object"
#define TSM_OPNAME_OBJECT_INFO "object-info"
#define TSM_OPNAME_VALIDATE_MMIO "validate-mmio"
#define TSM_OPNAME_SET_TDI_STATE "set-tdi-state"
#define TSM_OPNAME_SEV_ENABLE_DMA "sev-enable-dma"
#define TSM_OPNAME_SEV_DISABLE_DMA "sev-disable-dma"

/* Generic op names used by the op numbering of a profile. */
enum tsm_req_opid {
	TSM_OPID_READ_OBJECT,
	TSM_OPID_REGEN_OBJECT,
	TSM_OPID_OBJECT_INFO,
	TSM_OPID_VALIDATE_MMIO,
	TSM_OPID_SET_TDI_STATE,
	TSM_OPID_SEV_ENABLE_DMA,
	TSM_OPID_SEV_DISABLE_DMA,
	TSM_OPID_COUNT,
};

/*
 * CCA device objects the object ops name. Their numbers differ between
 * profiles (docs/kernel-abi.md, "Object types"): the RHI guest numbering
 * (certificate 1 .. vca 4) and the v7 integration's (vca 0 ..
 * interface_report 3). Names resolve through the profile, never a table.
 */
enum tsm_objtype {
	TSM_OBJ_CERTIFICATE,
	TSM_OBJ_MEASUREMENT,
	TSM_OBJ_INTERFACE_REPORT,
	TSM_OBJ_VCA,
	TSM_OBJ_COUNT,
};

#define TSM_PROFILE_NAME_MAX 32

struct tsm_profile {
	char name[TSM_PROFILE_NAME_MAX];
	char source[160]; /* where the layout comes from */
	char bind_absent_hint[200]; /* why bind/unbind are absent */
	struct tsm_layout op; /* TSM_OP (bind/unbind) */
	struct tsm_layout req; /* TSM_REQ */
	enum tsm_req_kind req_kind;
	uint32_t opnum[TSM_OPID_COUNT]; /* 0: op absent in this profile */
	bool opnum_confirmed; /* false: the whole numbering is inferred */
	uint32_t opnum_unconfirmed; /* bit per tsm_req_opid: not in a source */
	uint32_t objnum[TSM_OBJ_COUNT]; /* CCA object-type numbers */
};

/* The fallback of --abi auto: the newest posted revision. */
#define TSM_FALLBACK_PROFILE "v7"
/* The name that selects detection (docs/cli-contract.md §3). */
#define TSM_AUTO_PROFILE "auto"

/* Compiled-in profiles, in the order they were published. */
size_t tsm_profile_count(void);
const struct tsm_profile *tsm_profile_at(size_t i);
/* By name or alias; NULL if unknown. */
const struct tsm_profile *tsm_profile_find(const char *name);

const char *tsm_field_name(enum tsm_fid f);
int tsm_field_from_name(const char *s, enum tsm_fid *out);
const char *tsm_opid_name(enum tsm_req_opid id);
int tsm_opid_from_name(const char *s, enum tsm_req_opid *out);
/* Whether profile @p's number for op @id comes from a source. */
bool tsm_opnum_confirmed(const struct tsm_profile *p, enum tsm_req_opid id);
const char *tsm_objtype_name(enum tsm_objtype t);
int tsm_objtype_from_name(const char *s, enum tsm_objtype *out);
/* The object type numbered @num in profile @p; -1 if none. */
int tsm_objtype_by_num(const struct tsm_profile *p, uint32_t num);
/* The RHI guest numbering, the default of profiles and profile files. */
void tsm_objnum_rhi(struct tsm_profile *p);

/*
 * Check a layout for consistency (size field first, fields inside the
 * struct, no overlaps, required fields present). Returns 0 or -EINVAL with
 * the reason in @err.
 */
int tsm_profile_validate(const struct tsm_profile *p, struct tsm_err *err);

/*
 * Load a profile from a text ("key = value" lines) or JSON file. The file
 * may start from a compiled-in profile ("base = v6" / "base": "v6").
 */
int tsm_profile_load(const char *path, struct tsm_profile *out,
		     struct tsm_err *err);
/* Same, from a buffer (for unit tests); @origin names it in messages. */
int tsm_profile_parse(const char *buf, size_t len, const char *origin,
		      struct tsm_profile *out, struct tsm_err *err);

/* A struct image: bytes as they are passed to the kernel. */
struct tsm_image {
	uint32_t len;
	uint8_t b[TSM_STRUCT_MAX];
};

/* Pure builders: no I/O. Return 0, or -ENOTSUP if the profile lacks the
 * ioctl (TSM_OP under v7). User pointers are filled by the caller. */
int tsm_build_op(const struct tsm_profile *p, uint32_t type,
		 uint32_t vdevice_id, struct tsm_image *img);

struct tsm_req_args {
	uint32_t vdevice_id;
	uint32_t scope; /* TSM_REQ_SCOPE */
	uint32_t op; /* TSM_REQ_OP: number in this profile */
	uint32_t tvm_arch;
	uint32_t req_len;
	uint32_t resp_len;
	uint64_t req_uptr;
	uint64_t resp_uptr;
};
int tsm_build_req(const struct tsm_profile *p, const struct tsm_req_args *a,
		  struct tsm_image *img);

/* Field access on an image by layout. get returns false if absent. */
bool tsm_image_get(const struct tsm_layout *l, const struct tsm_image *img,
		   enum tsm_fid f, uint64_t *v);
void tsm_image_set(const struct tsm_layout *l, struct tsm_image *img,
		   enum tsm_fid f, uint64_t v);

static inline unsigned long tsm_request_code(uint32_t nr)
{
	return (unsigned long)((0x3B << 8) | nr);
}

#endif
