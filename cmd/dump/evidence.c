// SPDX-License-Identifier: GPL-2.0
/*
 * dump's evidence objects: read through pci-tsm netlink per device, or
 * from saved files with --decode TYPE=FILE (no kernel access, the same
 * object shape), each decoded where a decoder exists, certificate chains
 * verified against the --trust-anchor files.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "dump.h"
#include "evidence.h"
#include "crypto.h"
#include "nl.h"
#include "core/evidence_json.h"
#include "core/opt.h"
#include "core/out.h"
#include "core/out_bytes.h"
#include "x509.h"

/* A decoder's verdict: false when it found the object malformed. */
static bool decoded_ok(struct json_object *dec)
{
	struct json_object *ok;

	return !json_object_object_get_ex(dec, "valid", &ok) ||
	       json_object_get_boolean(ok);
}

/* The decoded form of an object, if a decoder exists; the nonce noted. */
static struct json_object *decode(uint32_t type, struct out_bytes *kb,
				  const struct dump_args *a)
{
	struct json_object *dec;

	if (type <= 7)
		return x509_chain_decode(kb->p, kb->len, a->anchors);
	if (type == PCI_TSM_EVIDENCE_TYPE_REPORT)
		return tdisp_report_json(kb->p, kb->len, kb);
	if (type != PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS)
		return NULL;
	dec = measurements_json(kb->p, kb->len, &kb->nonce_off, &kb->has_nonce,
				kb);
	/* unparsed: the nonce could be anywhere */
	kb->redact_all = !decoded_ok(dec);
	return dec;
}

/*
 * One evidence object, kept once until the document is written
 * (out_bytes.h): decoded where a decoder exists; its SHA-256; the raw
 * bytes as hex with -v, for digests, for objects without a decoder (VCA)
 * and for objects the decoder found truncated or inconsistent (what a
 * maintainer needs to look at). Takes @ob's data; @bdf names its file
 * in a bundle (NULL: none).
 */
static struct json_object *evidence_obj_json(struct tsm_evidence_obj *ob,
					     const char *bdf,
					     const struct dump_args *a)
{
	struct json_object *o = json_object_new_object(), *dec = NULL;
	struct out_bytes *kb =
		out_bytes_keep(&a->ctx->bytes, ob->data, ob->len);
	uint8_t md[32];
	char sum[65];

	ob->data = NULL;
	json_add(o, "type", json_object_new_int((int)ob->type));
	json_add(o, "type_name",
		 json_object_new_string(tsm_evidence_type_name(ob->type)));
	json_add(o, "len", json_u64(ob->len));
	if (!kb)
		return o;
	if (bdf) /* its file in a bundle */
		snprintf(kb->name, sizeof(kb->name), "%s/%s.%s", bdf,
			 tsm_evidence_type_name(ob->type),
			 a->digest ? "digest" : "bin");
	kb->obj = o; /* a bundle marks it and hashes what it holds */
	if (!tsm_sha256(kb->p, kb->len, md, NULL)) {
		tsm_hex(md, sizeof(md), sum);
		json_add(o, "sha256", json_object_new_string(sum));
	}
	if (!a->digest && kb->len)
		dec = decode(ob->type, kb, a);
	if (a->digest || a->ctx->verbose || !dec || !decoded_ok(dec))
		json_object_object_add(
			o, a->digest ? "digest_hex" : "hex",
			out_hex_node(kb, 0, kb->len,
				     a->ctx->verbose ? OUT_HEX_ALL_TEXT : 0));
	if (dec)
		json_add(o, "decoded", dec);
	return o;
}

/* @len bytes to a new file @path; 0 or -errno */
static int write_file(const char *path, const uint8_t *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = 0;

	if (fd < 0)
		return -errno;
	while (len && !rc) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = n < 0 ? -errno : -EIO;
		else
			p += n, len -= (size_t)n;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/*
 * --evidence-out: the object as received to DIR/BDF/TYPE.bin (.digest),
 * its path in @path; 0 or -errno.
 */
static int save_obj(const struct tsm_evidence_obj *ob, const char *bdf,
		    const struct dump_args *a, char *path, size_t plen)
{
	snprintf(path, plen, "%s/%s", a->evidence_out, bdf);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, plen, "%s/%s/%s.%s", a->evidence_out, bdf,
		 tsm_evidence_type_name(ob->type),
		 a->digest ? "digest" : "bin");
	return write_file(path, ob->data, ob->len);
}

/* One object of a device's evidence, written out first with -o DIR. */
static struct json_object *device_obj(struct tsm_evidence_obj *ob,
				      const char *bdf,
				      const struct dump_args *a)
{
	char path[4096];
	int rc = a->evidence_out ? save_obj(ob, bdf, a, path, sizeof(path)) : 0;
	struct json_object *o = evidence_obj_json(ob, bdf, a);

	if (a->evidence_out)
		json_add(o, "file", json_object_new_string(path));
	if (rc)
		json_add(o, "file_error",
			 json_object_new_string(strerror(-rc)));
	return o;
}

struct json_object *dump_evidence(struct tsmctl_ctx *ctx, struct tsm_nl *nl,
				  const char *bdf, const struct dump_args *a)
{
	struct json_object *o = json_object_new_object(), *arr;
	struct tsm_evidence ev;
	struct tsm_err e = { 0 };
	char en[16];
	unsigned int i;
	int rc;

	(void)ctx;
	memset(&ev, 0, sizeof(ev));
	rc = tsm_nl_evidence_read(nl, bdf, a->mask, a->digest, 3, &ev, &e);
	json_add(o, "ok", json_object_new_boolean(rc == 0));
	json_add(o, "restarts", json_object_new_int((int)ev.restarts));
	if (ev.have_generation)
		json_add(o, "generation", json_u64(ev.generation));
	if (rc) {
		json_add(o, "errno", json_object_new_int(-rc));
		json_add(o, "errno_name",
			 json_object_new_string(
				 tsm_errno_name(-rc, en, sizeof(en))));
		json_add(o, "message", json_object_new_string(e.msg));
		if (ev.kernel_message[0])
			json_add(o, "kernel_message",
				 json_object_new_string(ev.kernel_message));
		tsm_evidence_free(&ev);
		return o;
	}
	if (ev.kernel_message[0])
		json_add(o, "kernel_message",
			 json_object_new_string(ev.kernel_message));
	arr = json_object_new_array();
	for (i = 0; i < ev.n; i++)
		json_object_array_add(arr, device_obj(&ev.obj[i], bdf, a));
	json_add(o, "objects", arr);
	tsm_evidence_free(&ev);
	return o;
}

int dump_decode_arg(struct dump_args *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;
	uint32_t t;

	if (a->ndecode >= DUMP_MAX_FILES)
		return tsmctl_usage_error(a->ctx, "--decode", arg,
					  "--decode '%s': at most %d files",
					  arg, DUMP_MAX_FILES);
	for (t = 0; eq && t <= PCI_TSM_EVIDENCE_TYPE_MAX; t++)
		if (strlen(tsm_evidence_type_name(t)) == n &&
		    !strncmp(arg, tsm_evidence_type_name(t), n))
			break;
	if (eq && n == 5 && !strncmp(arg, "certs", 5))
		t = 0;
	if (!eq || t > PCI_TSM_EVIDENCE_TYPE_MAX || !eq[1])
		return tsmctl_usage_error(
			a->ctx, "--decode", arg,
			"--decode '%s': expected TYPE=FILE, TYPE one of certs, cert0..cert7, vca, measurements, report",
			arg);
	a->decode[a->ndecode].type = t;
	a->decode[a->ndecode++].path = eq + 1;
	return 0;
}

/* One --decode file as an evidence object; certs in PEM become DER. */
static int decode_file(struct tsmctl_ctx *ctx, const struct dump_decode *d,
		       struct tsm_evidence_obj *ob)
{
	char *buf = NULL;
	size_t len = 0;
	uint8_t *der;
	int rc;

	rc = tsm_load_file(d->path, "--decode", PCI_TSM_MAX_OBJECT_SIZE, &buf,
			   &len, &ctx->err);
	if (rc)
		return rc;
	ob->type = d->type;
	ob->data = (uint8_t *)buf;
	ob->len = len;
	if (d->type > 7 || !x509_is_pem(ob->data, len))
		return 0;
	rc = x509_pem_to_der(ob->data, len, d->path, &der, &ob->len, &ctx->err);
	free(buf);
	ob->data = rc ? NULL : der;
	if (rc)
		tsm_err_prefix(&ctx->err, "--decode");
	return rc;
}

struct json_object *dump_decode(struct tsmctl_ctx *ctx,
				const struct dump_args *a)
{
	struct json_object *r, *ev, *arr = json_object_new_array();
	struct tsm_evidence_obj ob;

	for (unsigned int i = 0; i < a->ndecode; i++) {
		struct json_object *o;

		memset(&ob, 0, sizeof(ob));
		if (decode_file(ctx, &a->decode[i], &ob)) {
			json_object_put(arr);
			return NULL;
		}
		o = evidence_obj_json(&ob, NULL, a);
		json_add(o, "file", json_object_new_string(a->decode[i].path));
		json_object_array_add(arr, o);
	}
	r = json_object_new_object();
	json_add(r, "tool_version", json_object_new_string(TSMCTL_VERSION));
	json_add(r, "offline", json_object_new_boolean(1));
	/* no "ok" or "restarts": those are of a live read (B12) */
	ev = json_object_new_object();
	json_add(ev, "objects", arr);
	json_add(r, "evidence", ev);
	return r;
}
