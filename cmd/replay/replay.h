/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsmctl replay's parts: one record per re-issued call (cmd/replay.c for
 * ioctls, cmd/replay/nl.c for evidence netlink requests).
 */
#ifndef TSMCTL_REPLAY_H
#define TSMCTL_REPLAY_H

#include "core/ctx.h"
#include "link.h"

struct tsm_nl;

/* One netlink reply: the whole message, header included. */
struct nl_reply {
	uint16_t type;
	bool redacted; /* zeroed by dump --bundle after its genetlink header */
	size_t len;
	uint8_t *m;
};

struct nl_replies {
	struct nl_reply *r;
	size_t n, cap;
};

struct rec {
	unsigned int seq;
	unsigned int line; /* in the trace file (older traces repeat seq) */
	const char *call; /* ioctl name, or "netlink" */
	/* ioctl */
	unsigned long request;
	struct tsm_image img;
	uint8_t *payload;
	uint32_t payload_len;
	uint32_t resp_len;
	bool is_req;
	/* an intent record without its result: the call was issued (or was
	 * about to be) when tsmctl stopped; its outcome is unknown */
	bool unknown;
	/* regen-object: the nonce bytes its payload points at, re-pointed at
	 * this copy when replayed (request.nonce_hex, request.nonce_off) */
	bool have_nonce;
	uint32_t nonce_off;
	uint8_t nonce[TSM_CAT_NONCE_LEN];
	/* netlink request: the message as sent, the replies recorded after it */
	bool is_nl;
	uint8_t *msg;
	size_t msg_len;
	struct nl_replies replies; /* recorded after it, parsed at load */
	bool redacted; /* a reply was zeroed by dump --bundle */
	/* a sysfs write (cmd/replay/sysfs.c): its step; the rest in orig */
	bool is_sysfs;
	enum tsm_link_op sys_op;
	struct json_object *orig;
};

/* Netlink state of one replay: the socket, opened at the first request. */
struct replay_nl {
	struct tsmctl_ctx *ctx; /* for --trace */
	struct tsm_nl *nl;
	int open_err; /* -errno once opening failed */
	char open_msg[160];
	struct rec *cur; /* request the next "recv" lines belong to */
	unsigned int redacted; /* requests whose replies were redacted */
	/* netlink.family of the recorded requests (the evidence family the
	 * trace used); traces without one were pci-tsm's */
	char family[32];
};

/* Add one difference of @r to @diffs (takes @recorded and @now); returns it. */
struct json_object *replay_diff(struct json_object *diffs, const struct rec *r,
				const char *field, struct json_object *recorded,
				struct json_object *now);
/*
 * The recorded @key of @r against @now (taken): a difference when they
 * differ, with errno names or tsm_code hex beside the values.
 */
void replay_cmp(struct json_object *diffs, const struct rec *r, const char *key,
		struct json_object *now);
/*
 * A call of @r that has an intent record and no result, re-issued with
 * @call as its outcome now: listed in @unknown, not compared.
 */
void replay_unknown_add(struct json_object *unknown, const struct rec *r,
			const struct tsm_call *call);

/*
 * A "netlink" trace line. A pci-tsm request fills @r and returns 1; a
 * reply is attached to the request before it and the family lookup
 * (GENL_ID_CTRL, done again by tsm_nl_open) is skipped: both return 0.
 * -EINVAL with @e filled for a malformed line (the caller adds FILE:LINE).
 */
int replay_nl_load(struct replay_nl *s, struct json_object *line, struct rec *r,
		   unsigned int no, struct tsm_err *e);
/* Send @r again and compare the replies with the recorded ones. */
void replay_nl_one(struct replay_nl *s, struct rec *r,
		   struct json_object *diffs);
void replay_nl_close(struct replay_nl *s);

/* What the verdict says besides the differences (verdict.c) */
struct replay_sum {
	unsigned int nnl; /* netlink requests replayed */
	unsigned int redacted; /* of them, with replies redacted */
	const char *vmm; /* the VMM context the trace names, or "" */
};
/* Calls of unknown outcome (@unknown, taken) noted in @res */
void replay_unknown_note(struct json_object *res,
			 struct json_object *unknown);
/* The summary: exit 1 with differences, 4 with only unknown outcomes */
int replay_verdict(struct tsmctl_ctx *ctx, struct json_object *res,
		   struct json_object *diffs, const struct replay_sum *ld);
/* Free what replay_nl_load attached to @r (nothing for an ioctl record). */
void replay_nl_free(struct rec *r);

/*
 * A "sysfs" trace line (a write of connect, lock, ...) into @r: 1, or
 * -EINVAL with @e filled for a malformed one.
 */
int replay_sysfs_load(struct json_object *line, struct rec *r,
		      unsigned int no, struct tsm_err *e);
/*
 * Recorded sysfs writes go below a root named on purpose (--sysfs DIR,
 * TSMCTL_SYSFS; "/" for this machine's): false with a usage error in
 * ctx->err when none is, or when it is not a directory.
 */
bool replay_sysfs_root_chosen(struct tsmctl_ctx *ctx, unsigned int nsys);
/* Write @r again below @root and compare errno and readback. */
void replay_sysfs_one(struct tsmctl_ctx *ctx, const char *root, struct rec *r,
		      struct json_object *diffs, struct json_object *unknown);
/*
 * replay -n (cmd/replay/dry.c): per record of @recs, its seq, line, call,
 * what it does, vdevice_id and whether it changes state.
 */
struct json_object *replay_dry_calls(const struct rec *recs, unsigned int n);

#endif
