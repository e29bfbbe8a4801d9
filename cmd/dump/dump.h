/* SPDX-License-Identifier: GPL-2.0 */
/* tsmctl dump's parts (cmd/dump/): the command is cmd/dump.c. */
#ifndef TSMCTL_DUMP_H
#define TSMCTL_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"

#define DUMP_MAX_BDF 16
#define DUMP_MAX_FILES 16 /* --trust-anchor, --decode */

struct json_object;
struct tsm_nl;
struct tsmctl_ctx;
struct x509_anchors;

struct dump_decode {
	uint32_t type; /* evidence type the file holds */
	const char *path;
};

struct dump_args {
	struct tsmctl_ctx *ctx;
	const char *bdf[DUMP_MAX_BDF];
	unsigned int nbdf;
	uint32_t vdev[DUMP_MAX_BDF];
	unsigned int nvdev;
	uint32_t mask;
	bool mask_given;
	bool digest;
	const char *sysfs;
	const char *bundle;
	bool no_redact;
	const char *btf;
	const char *anchor[DUMP_MAX_FILES];
	unsigned int nanchor;
	struct dump_decode decode[DUMP_MAX_FILES];
	unsigned int ndecode;
	const char *evidence_out; /* --evidence-out DIR */
	struct x509_anchors *anchors; /* loaded from anchor[] */
	uint8_t nonce[PCI_TSM_MAX_NONCE]; /* --nonce */
	size_t nonce_len;
	struct tsm_nl *nl; /* the evidence family, opened before any probe */
	unsigned int sections; /* --section: DUMP_SEC_* bits; 0: all */
};

/* dump --section NAMES: the parts of the result to gather (dump.c) */
enum {
	DUMP_SEC_KERNEL = 1 << 0,
	DUMP_SEC_ABI = 1 << 1,
	DUMP_SEC_IOMMUFD = 1 << 2,
	DUMP_SEC_SYSFS = 1 << 3,
	DUMP_SEC_EVIDENCE = 1 << 4,
};

/* "abi_detection": the BTF detection and the profile in force. */
struct json_object *detect_json(struct tsmctl_ctx *ctx);
/* The iommufd section and its read-only probes (probe.c). */
struct json_object *dump_iommufd(struct tsmctl_ctx *ctx, const uint32_t *vdev,
				 unsigned int nvdev, bool contradicted);
/*
 * --bundle (bundle.c). dump_bundle_open() checks and opens FILE before
 * anything is sent (empty path, the --trace file itself, or a file that
 * cannot be created: a usage error in ctx->err, nonzero returned); an
 * existing FILE is truncated only when the bundle is written.
 * dump_bundle() writes it to ctx->bundle_fd (opened by it when -1) and
 * closes that.
 */
int dump_bundle_open(struct tsmctl_ctx *ctx, const char *path, int *fd);
int dump_bundle(struct tsmctl_ctx *ctx, const char *path, bool redact);

/* The evidence of one device, read through pci-tsm netlink. */
struct json_object *dump_evidence(struct tsmctl_ctx *ctx, struct tsm_nl *nl,
				  const char *bdf, const struct dump_args *a);
/* --decode: the result of an offline dump; NULL after a usage error. */
struct json_object *dump_decode(struct tsmctl_ctx *ctx,
				const struct dump_args *a);
/* --decode TYPE=FILE into a->decode[]; a usage error when malformed. */
int dump_decode_arg(struct dump_args *a, const char *arg);

#endif
