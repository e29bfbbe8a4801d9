/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsm-emu --replay TRACE: answer iommufd ioctls from a tsmctl trace
 * (JSON Lines, "call":"ioctl" records) instead of the model, and, when the
 * trace holds "call":"netlink" records, the emulated NETLINK_GENERIC
 * sockets from them.
 */
#ifndef TSM_EMU_REPLAY_H
#define TSM_EMU_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emu_replay_rec {
	unsigned long seq; /* the record's "seq" (else its line) */
	unsigned int line;
	unsigned long request; /* 0x3bNN */
	uint8_t st[128]; /* struct_hex */
	size_t st_len;
	bool is_req; /* has a "request" object: TSM_REQ */
	long rc;
	int err;
	bool has_tsm_code;
	uint64_t tsm_code;
	uint8_t *resp; /* response_hex */
	size_t resp_len;
	/* "phase":"intent" without the "result" of its seq: tsmctl stopped
	 * during the call, the trace does not know its outcome */
	bool unknown;
	/* request.nonce_hex / nonce_off: the nonce behind a payload pointer,
	 * compared through the live pointer, never the pointer's value */
	bool has_nonce;
	uint8_t nonce[32];
	uint32_t nonce_off;
};

/* one "call":"netlink" record: a message tsmctl sent or received */
struct emu_replay_nlrec {
	unsigned long seq; /* the record's "seq" (else its line) */
	unsigned int line;
	bool send; /* "dir":"send" (else "recv") */
	bool redacted; /* "redacted":true or an all-zero "hex" */
	/* redacted by dump --bundle, netlink and genetlink headers intact:
	 * delivered as recorded, its zeroed payload included */
	bool headers_kept;
	uint8_t *msg; /* netlink.hex: the whole message */
	size_t len;
	char family[32]; /* netlink.family; "" in older traces (pci-tsm) */
};

struct emu_replay {
	const char *path;
	struct emu_replay_rec *rec;
	size_t nrec, next; /* next: the record the next call must match */
	struct emu_replay_nlrec *nl;
	size_t nnl, nl_next; /* nl_next: the next unused "send" record */
};

/* what one replayed call did, for the log */
struct emu_replay_hit {
	const struct emu_replay_rec *rec; /* matched or expected; NULL = none */
	bool mismatch;
	const char *why; /* mismatch reason */
	long ret;
	int err;
	size_t resp_written;
};

/* what one replayed netlink request did, for the log */
struct emu_replay_nlhit {
	const struct emu_replay_nlrec *rec; /* matched or expected */
	bool mismatch;
	const char *why; /* mismatch (or redaction) reason */
	const struct emu_replay_nlrec *redacted; /* matched, reply redacted */
	int replies; /* messages delivered */
	int err; /* positive errno reported in-band, 0 = none */
	bool err_in_done; /* ... in NLMSG_DONE (else NLMSG_ERROR) */
	const char *extack; /* NLMSGERR_ATTR_MSG text sent by tsm-emu */
};

/* load @path; 0, or -1 with a message in @err */
int emu_replay_load(struct emu_replay *r, const char *path, char *err,
		    size_t errlen);
void emu_replay_free(struct emu_replay *r);
/* is @request one the trace records? (else the model answers) */
bool emu_replay_covers(const struct emu_replay *r, unsigned long request);
/* does the trace hold netlink records? (then netlink is answered from it) */
static inline bool emu_replay_has_nl(const struct emu_replay *r)
{
	return r && r->nnl;
}

#endif /* TSM_EMU_REPLAY_H */
