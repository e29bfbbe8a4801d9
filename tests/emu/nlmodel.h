/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsm-emu generic netlink model: nlctrl GETFAMILY and the evidence READ
 * dump of one of two families (docs/kernel-abi.md, "Evidence over netlink"): the
 * newer "device-evidence" (default) or the earlier "pci-tsm", each with
 * its own attribute numbers.
 * Transport-free: replies are handed to an emit callback, one netlink
 * message per call (one datagram each).
 */
#ifndef TSM_EMU_NLMODEL_H
#define TSM_EMU_NLMODEL_H

#include "model.h"

#define EMU_NL_MAX_DEV 8
#define EMU_NL_EV_TYPES 11 /* CERT0..7, VCA, MEASUREMENTS, REPORT */
#define EMU_NL_EV_MASK 0x7ffu
#define EMU_NL_GENL_ID_CTRL 0x10
#define EMU_NL_FAMILY_NAME "pci-tsm"
#define EMU_DE_FAMILY_NAME "device-evidence"

enum emu_nl_fam {
	EMU_NL_FAM_DEVICE_EVIDENCE,
	EMU_NL_FAM_PCI_TSM,
};

/* device-evidence uapi (S31: linux/device-evidence.h) */
enum {
	EMU_DE_A_TYPE = 1,
	EMU_DE_A_TYPE_MASK = 2,
	EMU_DE_A_FLAGS = 3,
	EMU_DE_A_SUBSYS = 4,
	EMU_DE_A_DEV_NAME = 5,
	EMU_DE_A_NONCE = 6,
	EMU_DE_A_GENERATION = 7,
	EMU_DE_A_COUNT = 8,
	EMU_DE_A_LENGTH = 9,
	EMU_DE_A_VAL = 10,
};

/* pci-tsm uapi (devsec tsm.git staging) */
enum {
	EMU_NL_CMD_EVIDENCE_READ = 1,
	EMU_NL_A_TYPE = 1,
	EMU_NL_A_TYPE_MASK = 2,
	EMU_NL_A_FLAGS = 3,
	EMU_NL_A_DEV_NAME = 4,
	EMU_NL_A_NONCE = 5,
	EMU_NL_A_VAL = 6,
};

struct emu_nl_dev {
	char name[32];
	bool tsm; /* has a TSM context; false -> ENXIO */
	uint32_t generation; /* 0 -> ENXIO (no evidence) */
	/* scripted "generation_change": the next @gc_dumps dumps see the
	 * generation move on after @gc_after objects; eagain: the kernel
	 * ends the dump with EAGAIN, else later objects carry the new one */
	unsigned int gc_after, gc_dumps;
	bool gc_eagain;
	bool bad_length; /* LENGTH one more than the object (a kernel bug) */
	struct emu_blob ev[EMU_NL_EV_TYPES];
	struct emu_blob digest[EMU_NL_EV_TYPES];
};

struct emu_nl {
	struct emu_model *model; /* fault rules of kind "nl" */
	bool enabled; /* trap AF_NETLINK/NETLINK_GENERIC sockets */
	bool family; /* the evidence family is registered */
	int fam; /* enum emu_nl_fam */
	bool refresh; /* the kernel refreshes with a nonce (else EOPNOTSUPP) */
	bool deny_admin; /* GENL_ADMIN_PERM fails: EPERM */
	uint16_t family_id;
	uint32_t chunk; /* max VAL bytes per message */
	struct emu_nl_dev dev[EMU_NL_MAX_DEV];
	int ndev;
};

struct emu_nl_trace {
	const char *family; /* "nlctrl", "pci-tsm", "unknown" */
	uint16_t type, flags;
	uint8_t cmd;
	uint32_t seq;
	char dev_name[32];
	bool has_mask;
	uint32_t type_mask, ev_flags;
	uint8_t nonce[256]; /* NONCE sent, if any */
	size_t nonce_len;
	int err; /* positive errno reported, 0 = none */
	bool err_in_done; /* reported in NLMSG_DONE (mid-dump) */
	const char *extack; /* NLMSGERR_ATTR_MSG sent, NULL = none */
	int nreplies;
	bool faulted;
	struct emu_fault fault;
};

typedef int (*emu_nl_emit_fn)(void *priv, const void *msg, size_t len);

void emu_nl_init(struct emu_nl *nl, struct emu_model *m);
void emu_nl_free(struct emu_nl *nl);

/*
 * Handle the netlink message at @msg (at most @len bytes) sent from
 * port @port. Returns the bytes consumed (NLMSG_ALIGN'ed length), 0 when
 * no complete message is left, or -1 if @emit failed. @tr may be NULL.
 */
long emu_nl_handle(struct emu_nl *nl, const uint8_t *msg, size_t len,
		   uint32_t port, emu_nl_emit_fn emit, void *priv,
		   struct emu_nl_trace *tr);
/*
 * The same, for a socket that set NETLINK_EXT_ACK when @ext_ack: errors
 * with a known text carry NLM_F_ACK_TLVS and an NLMSGERR_ATTR_MSG TLV.
 */
long emu_nl_handle_ext(struct emu_nl *nl, const uint8_t *msg, size_t len,
		       uint32_t port, bool ext_ack, emu_nl_emit_fn emit,
		       void *priv, struct emu_nl_trace *tr);

/* its name: "device-evidence" or "pci-tsm" */
const char *emu_nl_family_name(const struct emu_nl *nl);

/* kernel text of the evidence errors that have one (docs/kernel-abi.md) */
#define EMU_NL_MSG_NO_MASK "missing object request mask"
#define EMU_NL_MSG_NO_SUBSYS "missing subsys name"
#define EMU_NL_MSG_EAGAIN "evidence updated during read"

#endif /* TSM_EMU_NLMODEL_H */
