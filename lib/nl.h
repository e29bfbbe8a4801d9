/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client of the device evidence generic netlink families (docs/kernel-abi.md,
 * "Evidence over netlink"): "device-evidence" (the newer, bus-neutral
 * design; PCI is subsystem "pci") and "pci-tsm" (the earlier one), tried
 * in that order. Each has one dump-only command, READ (EVIDENCE_READ),
 * that returns a device's TSM evidence objects (certificate chains, VCA
 * transcript, measurements, TDISP interface report) in NLM_F_MULTI
 * chunks; each numbers its attributes its own way (a table in nl.c).
 *
 * Built on libnl-3 / libnl-genl-3 with plain calls only (socket, genl
 * resolve, send, nl_recvmsgs with a cloned callback set), so it works the
 * same against the real kernel and against tests/emu's injected socket.
 * Extended ACK is enabled; the kernel's extack text is returned as
 * kernel_message. Nothing here prints or exits; errors are -errno plus a
 * filled struct tsm_err.
 */
#ifndef TSMCTL_NL_H
#define TSMCTL_NL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Family names, in the order tsm_nl_open() tries them. */
#define DEVICE_EVIDENCE_FAMILY_NAME "device-evidence"
#define PCI_TSM_FAMILY_NAME "pci-tsm"
#define DEVICE_EVIDENCE_SUBSYS_PCI "pci"
#define DEVICE_EVIDENCE_MAX_NONCE 32
#define PCI_TSM_MAX_NONCE 256

#define PCI_TSM_EVIDENCE_FLAG_DIGEST 1u

#define PCI_TSM_EVIDENCE_TYPE_CERT0 0 /* .. CERT7 = 7 */
#define PCI_TSM_EVIDENCE_TYPE_VCA 8
#define PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS 9
#define PCI_TSM_EVIDENCE_TYPE_REPORT 10
#define PCI_TSM_EVIDENCE_TYPE_MAX 10
#define PCI_TSM_EVIDENCE_TYPES (PCI_TSM_EVIDENCE_TYPE_MAX + 1)
#define PCI_TSM_EVIDENCE_MASK_ALL 0x7ffu
#define PCI_TSM_EVIDENCE_MASK_CERTS 0x0ffu

#define PCI_TSM_MAX_OBJECT_SIZE 0x01000000u /* 16 MiB */
#define PCI_TSM_DEV_NAME_MAX 31

/* Opaque: the libnl socket, the resolved family id and the trace hook. */
struct tsm_nl;

typedef void (*tsm_nl_trace_fn)(void *arg, const char *dir, const void *msg,
				size_t len);

/*
 * Allocate a socket, connect it to NETLINK_GENERIC, enable extended ACK
 * and resolve "device-evidence", else "pci-tsm". @trace (may be NULL)
 * sees every message from the family resolution on, as with
 * tsm_nl_set_trace(). Errors:
 *   -ENOENT        neither family is registered (kernel without device
 *                  evidence support); e->msg says so
 *   -EAFNOSUPPORT  no generic netlink at all (socket() refused)
 *   -ENOMEM, -EPERM, -EIO, ...
 */
int tsm_nl_open(struct tsm_nl **out, tsm_nl_trace_fn trace, void *trace_arg,
		struct tsm_err *e);
/* The same for one family by name (replay: the family a trace used). */
int tsm_nl_open_family(struct tsm_nl **out, const char *family,
		       tsm_nl_trace_fn trace, void *trace_arg,
		       struct tsm_err *e);
void tsm_nl_close(struct tsm_nl *nl);

/* The resolved family id (for traces and --version reports). */
int tsm_nl_family_id(const struct tsm_nl *nl);
/* Its name and the version tsmctl speaks to it. */
const char *tsm_nl_family_name(const struct tsm_nl *nl);
unsigned int tsm_nl_family_version(const struct tsm_nl *nl);
/* The longest nonce the family takes (32 or 256 bytes). */
size_t tsm_nl_nonce_max(const struct tsm_nl *nl);
/*
 * A nonce for the next reads (the kernel refreshes the evidence with it
 * first); @len 0 clears it. -EINVAL naming --nonce when longer than the
 * family takes: nothing is sent.
 */
int tsm_nl_set_nonce(struct tsm_nl *nl, const uint8_t *nonce, size_t len,
		     struct tsm_err *e);

/*
 * Call @fn(@arg, "send"|"recv", bytes, len) with the raw bytes of every
 * netlink message sent or received from now on (one call per message,
 * NLMSG_ERROR and NLMSG_DONE included). @fn NULL turns tracing off.
 */
void tsm_nl_set_trace(struct tsm_nl *nl, tsm_nl_trace_fn fn, void *arg);

/* The libnl socket (nl_resend.c). */
struct nl_sock *tsm_nl_sock(struct tsm_nl *nl);

/*
 * Send a recorded evidence request again (tsmctl replay): @msg is the whole
 * message as a trace holds it; its nlmsg_type becomes the family id
 * resolved now, seq and port id this socket's. @fn sees the message sent
 * and then each reply as received, until NLMSG_DONE or NLMSG_ERROR ends a
 * dump, or the first reply to a plain request. Returns the number of
 * replies, or -errno (EINVAL malformed message, EIO socket failure).
 */
int tsm_nl_resend(struct tsm_nl *nl, const void *msg, size_t len,
		  tsm_nl_trace_fn fn, void *arg, struct tsm_err *e);

struct tsm_evidence_obj {
	uint32_t type; /* PCI_TSM_EVIDENCE_TYPE_* */
	uint8_t *data; /* malloc'd, NULL when len == 0 */
	size_t len;
	bool have_length; /* device-evidence LENGTH, checked against len */
	uint32_t length;
};

struct tsm_evidence {
	struct tsm_evidence_obj obj[PCI_TSM_EVIDENCE_TYPES]; /* ascending type */
	unsigned int n;
	char kernel_message[256]; /* extack text of a kernel error, or "" */
	unsigned int restarts; /* EAGAIN restarts that happened */
	bool have_generation; /* device-evidence GENERATION of the dump */
	uint32_t generation;
};

/*
 * One EVIDENCE_READ dump of device @dev ("0000:01:00.0", 1..31 characters
 * of [0-9a-fA-F:.]) for the types in @mask (with FLAG_DIGEST if @digest).
 * @ev is zeroed first (free a previous result before reusing it); on
 * success it holds exactly one object per bit of @mask, in ascending type
 * order. When the kernel reports EAGAIN (evidence
 * updated during read), or device-evidence objects of one dump carry
 * different GENERATIONs, the dump is restarted up to @max_restarts
 * times, then -EAGAIN. A device-evidence object whose reassembled bytes
 * differ from its LENGTH is -EPROTO. Errors:
 *   -EINVAL   bad @dev or @mask (nothing sent), or the kernel refused
 *   -ENODEV   no such device;  -ENXIO  no TSM context / no evidence yet
 *   -EPERM    CAP_NET_ADMIN missing
 *   -EOPNOTSUPP  no refresh for a nonce, or subsystem unknown
 *   -EFBIG    an object larger than 16 MiB
 *   -EPROTO   a reply that breaks the framing rules
 * A kernel error's extack text is copied to ev->kernel_message. @ev must be
 * released with tsm_evidence_free() whatever the result.
 */
int tsm_nl_evidence_read(struct tsm_nl *nl, const char *dev, uint32_t mask,
			 bool digest, unsigned int max_restarts,
			 struct tsm_evidence *ev, struct tsm_err *e);
void tsm_evidence_free(struct tsm_evidence *ev);
/* The positive errno a reply's error field carries (the kernel sends
 * -1..-4095); EPROTO for anything else (INT_MIN cannot be negated). */
static inline int tsm_nl_errno(int v)
{
	return v < 0 && v >= -4095 ? -v : v > 0 && v <= 4095 ? v : EPROTO;
}
/*
 * The replies of one EVIDENCE_READ dump of evidence family @family
 * ("device-evidence" or "pci-tsm") as received, @len bytes of netlink
 * messages, through the same reply rules as tsm_nl_evidence_read (without
 * a socket: for recorded replies and the fuzz target). 0, or -errno with
 * @e; @ev as for tsm_nl_evidence_read.
 */
int tsm_nl_evidence_parse(const char *family, const void *buf, size_t len,
			  uint32_t mask, struct tsm_evidence *ev,
			  struct tsm_err *e);

/* "cert0".."cert7", "vca", "measurements", "report"; NULL if unknown. */
const char *tsm_evidence_type_name(uint32_t type);

/*
 * Comma-separated list of "all", "certs", "cert0".."cert7", "vca",
 * "measurements", "report", or one number (decimal or 0x-hex, non-zero,
 * within 0x7ff). -EINVAL naming the unknown entries.
 */
int tsm_evidence_mask_parse(const char *list, uint32_t *mask,
			    struct tsm_err *e);

/* 0 if @dev is a plausible PCI device name, else -EINVAL naming it. */
int tsm_nl_dev_name_check(const char *dev, struct tsm_err *e);

/* Internal to lib/nl*.c: libnl NLE_* as an errno; a kernel error of an
 * evidence READ of family @fam explained in @e. */
int tsm_nlerr_to_errno(int nle);
void tsm_nl_kernel_error(struct tsm_err *e, const char *fam, int err,
			 const char *dev, uint32_t mask, const char *kmsg,
			 unsigned int restarts);

#endif
