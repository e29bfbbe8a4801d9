/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsm-emu kernel model: a transport-free model of the iommufd vdevice TSM
 * ioctls (docs/kernel-abi.md sections 1, 2, 3.3, 5.3). No printing, no
 * exit, no sleeping: the transport reads and writes the caller's memory
 * through struct emu_mem and acts on what struct emu_trace reports.
 *
 * The ABI tables here are written independently of tsmctl's lib/ on
 * purpose, so that the emulator does not share the tool's bugs.
 */
#ifndef TSM_EMU_MODEL_H
#define TSM_EMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EMU_IOMMUFD_TYPE 0x3b
#define EMU_CMD_BASE 0x80
#define EMU_NR_DESTROY 0x80
#define EMU_NR_OPTION 0x87

#define EMU_MAX_VDEV 16
#define EMU_MAX_MMIO 16
#define EMU_MAX_FAULTS 32
#define EMU_MAX_FIELDS 12
#define EMU_TRACE_MAX 4096 /* payload bytes kept in a trace */
#define EMU_MAX_REQ_LEN 65536 /* model choice: larger req_len -> EINVAL */
#define EMU_MAX_RESP_LEN (16u << 20)
#define EMU_PAGE_SIZE 4096ull

enum emu_profile {
	EMU_PROFILE_V5,
	EMU_PROFILE_V5_OP,
	EMU_PROFILE_V6,
	EMU_PROFILE_V7,
	EMU_PROFILE_COUNT,
};

/* tvm_arch values (also the vdevice's architecture) */
enum emu_arch {
	EMU_ARCH_NONE = 0,
	EMU_ARCH_CCA = 1,
	EMU_ARCH_SEV = 2,
	EMU_ARCH_TDX = 3,
};

/* Arm RHI TDI state encoding; ERROR is model-only */
enum emu_tdi_state {
	EMU_TDI_UNLOCKED = 0,
	EMU_TDI_LOCKED = 1,
	EMU_TDI_RUN = 2,
	EMU_TDI_ERROR = 3,
};

/*
 * Objects of a vdevice, indexed by their RHI object type (the numbers of
 * v5-op and the scope era). v7 numbers them VCA 0, CERTIFICATE 1,
 * MEASUREMENT 2, INTERFACE_REPORT 3 on the wire (emu_obj_from_wire).
 */
enum emu_obj_type {
	EMU_OBJ_CERTIFICATE = 1,
	EMU_OBJ_MEASUREMENT = 2,
	EMU_OBJ_INTERFACE_REPORT = 3,
	EMU_OBJ_VCA = 4,
	EMU_OBJ_MAX = 4,
};

/* Model-internal, profile-independent op identities */
enum emu_op {
	EMU_OP_NONE = 0,
	EMU_OP_READ_OBJECT,
	EMU_OP_REGEN_OBJECT,
	EMU_OP_OBJECT_INFO,
	EMU_OP_VALIDATE_MMIO,
	EMU_OP_SET_TDI_STATE,
	EMU_OP_SEV_ENABLE_DMA,
	EMU_OP_SEV_DISABLE_DMA,
};

/* Call kinds that fault rules and counters refer to */
enum emu_kind {
	EMU_K_OPEN,
	EMU_K_IOCTL, /* any emulated ioctl */
	EMU_K_TSM_OP,
	EMU_K_TSM_REQ,
	EMU_K_OPTION,
	EMU_K_DESTROY,
	EMU_K_READLINK,
	EMU_K_PIDFD_GETFD,
	EMU_K_NL,
	/* sysfs writes (the fixture's tsm/ attributes) */
	EMU_K_CONNECT,
	EMU_K_DISCONNECT,
	EMU_K_LOCK,
	EMU_K_UNLOCK,
	EMU_K_ACCEPT,
	EMU_K_COUNT,
};

struct emu_fault {
	int kind; /* enum emu_kind */
	unsigned int nth; /* 1-based; 0 = every call */
	int err; /* positive errno, 0 = none */
	bool has_tsm_code;
	uint64_t tsm_code;
	bool has_residue;
	long residue;
	bool efault_after_commit;
	bool after_commit; /* sysfs: the change happens, then errno */
	unsigned int delay_ms;
	bool eagain_dump;
	char extack[96]; /* nl: NLMSGERR_ATTR_MSG text ("" = default) */
};

struct emu_mem {
	void *priv;
	/* both return 0 or -EFAULT (whole transfer or nothing) */
	int (*read)(void *priv, uint64_t uaddr, void *buf, size_t len);
	int (*write)(void *priv, uint64_t uaddr, const void *buf, size_t len);
};

struct emu_blob {
	uint8_t *data;
	size_t len;
	bool present;
};

struct emu_mmio {
	uint64_t gpa_base, gpa_top, pa_base;
};

struct emu_vdev {
	bool live;
	uint32_t id;
	int arch; /* enum emu_arch */
	bool kvm; /* vIOMMU has a KVM file */
	uint32_t bound_to; /* VM id; 0 = not bound */
	int state; /* enum emu_tdi_state */
	bool has_bad_tsm_code; /* tsm_code on an illegal transition */
	uint64_t bad_tsm_code;
	bool dma_enabled; /* SEV */
	unsigned int regen_count;
	uint8_t last_nonce[32]; /* read through REGEN's pointer */
	bool have_nonce;
	struct emu_blob obj[EMU_OBJ_MAX + 1];
	struct emu_mmio mmio[EMU_MAX_MMIO];
	int nmmio;
	char bdf[16]; /* scenario "bdf": PCI device for sysfs, "" = none */
	bool dsm_unconnected; /* sysfs fixture: its DSM is not connected */
};

/* Global model state shared by all contexts (profile, faults, counters) */
struct emu_model {
	int profile; /* enum emu_profile */
	struct emu_fault faults[EMU_MAX_FAULTS];
	int nfaults;
	unsigned long counts[EMU_K_COUNT];
	int next_ctx_id;
};

/* One open file description of /dev/iommu */
struct emu_ctx {
	struct emu_model *model;
	int id;
	uint32_t vm; /* the VM (KVM file) of this context's vIOMMU */
	uint64_t rlimit_mode;
	struct emu_vdev vdev[EMU_MAX_VDEV];
};

struct emu_field {
	const char *name;
	uint64_t val;
};

/* What one emu_ioctl call did; filled for the transport's log */
struct emu_trace {
	const char *name; /* "TSM_OP", "TSM_REQ", "OPTION", ... */
	int kind; /* enum emu_kind, -1 if none */
	unsigned int nr;
	bool have_size;
	uint32_t size;
	uint8_t st[128]; /* struct bytes read from the caller */
	size_t st_len;
	struct emu_field fields[EMU_MAX_FIELDS];
	int nfields;
	uint8_t req[EMU_TRACE_MAX];
	size_t req_len; /* bytes kept in req[] */
	bool have_req;
	uint8_t resp[EMU_TRACE_MAX];
	size_t resp_len;
	bool have_resp;
	bool have_tsm_code;
	uint64_t tsm_code;
	bool have_nonce; /* REGEN read these bytes through its pointer */
	uint8_t nonce[32];
	bool faulted;
	struct emu_fault fault; /* merged fault rules applied */
	unsigned int delay_ms; /* transport should sleep this long */
	long ret;
};

void emu_model_init(struct emu_model *m, int profile);
void emu_model_free_ctx(struct emu_ctx *ctx);
void emu_ctx_init(struct emu_ctx *ctx, struct emu_model *m);
/* add a vdevice; returns it or NULL when full or the id exists */
struct emu_vdev *emu_ctx_add_vdev(struct emu_ctx *ctx, uint32_t id, int arch);
struct emu_vdev *emu_ctx_find(struct emu_ctx *ctx, uint32_t id);
int emu_blob_set(struct emu_blob *b, const void *data, size_t len);

int emu_add_fault(struct emu_model *m, const struct emu_fault *f);
/* count one call of @kind and return the merged matching rules */
bool emu_fault_take(struct emu_model *m, int kind, struct emu_fault *out);

/*
 * Emulate ioctl(fd_of_ctx, cmd, uaddr). Returns >= 0 (value for the
 * caller) or -errno. @tr may be NULL.
 */
long emu_ioctl(struct emu_ctx *ctx, unsigned long cmd, uint64_t uaddr,
	       const struct emu_mem *mem, struct emu_trace *tr);

/* name tables */
const char *emu_profile_name(int profile);
int emu_profile_parse(const char *s); /* -1 if unknown */
const char *emu_kind_name(int kind);
int emu_kind_parse(const char *s);
const char *emu_arch_name(int arch);
int emu_arch_parse(const char *s);
const char *emu_state_name(int st);
int emu_state_parse(const char *s);
const char *emu_errno_name(int err);
int emu_errno_parse(const char *s); /* 0 if unknown */

/* nr of TSM_OP / TSM_REQ in @profile, 0 if absent */
unsigned int emu_nr_tsm_op(int profile);
unsigned int emu_nr_tsm_req(int profile);
/* profile-specific op number <-> enum emu_op (0 if none) */
int emu_op_from_num(int profile, uint32_t num);
uint32_t emu_op_to_num(int profile, int op);
/* the object (enum emu_obj_type) a profile's wire number names; 0 if none */
int emu_obj_from_wire(int profile, uint32_t type);

#endif /* TSM_EMU_MODEL_H */
