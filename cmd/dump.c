// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl dump: what a bug report needs (cli-contract.md §4.4): kernel
 * release, ABI detection (BTF + side-effect-free probes), /dev/iommu,
 * /sys/class/tsm, PCI devices with tsm/ attributes and their pci-tsm
 * netlink evidence, decoded. Read-only: no state-changing call is made.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "detect.h"
#include "evidence.h"
#include "nl.h"
#include "sysfs.h"
#include "tsmctl.h"
#include "uapi.h"

enum {
	OPT_BDF = 0x600,
	OPT_VDEVICE,
	OPT_EVIDENCE,
	OPT_DIGEST,
	OPT_SYSFS,
	OPT_BUNDLE,
	OPT_NO_REDACT,
	OPT_BTF,
	OPT_NONCE,
};

#define DUMP_MAX_BDF 16

static const struct argp_option dump_options[] = {
	{ "bdf", OPT_BDF, "BDF", 0,
	  "only this PCI device (DDDD:BB:DD.F); repeat for more", 0 },
	{ "vdevice", OPT_VDEVICE, "ID", 0,
	  "also probe this vdevice in the selected iommufd context (read-only); repeat",
	  0 },
	{ "evidence", OPT_EVIDENCE, "TYPES", 0,
	  "evidence to read: all (default), none, certs, cert0..cert7, vca, measurements, report; comma-separated",
	  0 },
	{ "digest", OPT_DIGEST, NULL, 0,
	  "read the TSM's digests of the objects instead of the objects", 0 },
	{ "sysfs", OPT_SYSFS, "ROOT", 0,
	  "read sysfs below ROOT instead of / (a copy)", 0 },
	{ "bundle", OPT_BUNDLE, "FILE", 0,
	  "write a tar.gz bug-report bundle to FILE", 0 },
	{ "no-redact", OPT_NO_REDACT, NULL, 0,
	  "keep nonces in the bundle (redacted by default)", 0 },
	{ "btf", OPT_BTF, "FILE", 0,
	  "BTF to detect the ABI from (default /sys/kernel/btf/vmlinux)", 0 },
	{ "nonce", OPT_NONCE, "HEX", 0,
	  "ask the kernel to refresh the evidence with this nonce first (device-evidence: at most 32 bytes, pci-tsm: 256)",
	  0 },
	{ 0 }
};

const struct tsmctl_optmeta dump_meta[] = {
	{ "evidence",
	  "all none certs cert0 cert1 cert2 cert3 cert4 cert5 cert6 cert7 vca measurements report",
	  "" },
	{ "sysfs", NULL, "file" },
	{ "bundle", NULL, "file" },
	{ "btf", NULL, "file" },
	{ 0 }
};

struct dump_args {
	struct tsmctl_ctx *ctx;
	const char *bdf[DUMP_MAX_BDF];
	unsigned int nbdf;
	uint32_t vdev[DUMP_MAX_BDF];
	unsigned int nvdev;
	uint32_t mask;
	bool digest;
	const char *sysfs;
	const char *bundle;
	bool no_redact;
	const char *btf;
	uint8_t nonce[PCI_TSM_MAX_NONCE];
	size_t nonce_len;
	struct tsm_nl *nl; /* the evidence family, opened before any probe */
};

static error_t dump_parse(int key, char *arg, struct argp_state *state)
{
	struct dump_args *a = state->input;
	struct tsmctl_ctx *ctx = a->ctx;

	switch (key) {
	case OPT_BDF:
		if (tsm_bdf_check(arg))
			return tsmctl_usage_error(
				ctx, "--bdf", arg,
				"--bdf '%s': expected a PCI device name DDDD:BB:DD.F (e.g. 0000:01:00.0)",
				arg);
		if (a->nbdf >= DUMP_MAX_BDF)
			return tsmctl_usage_error(
				ctx, "--bdf", arg,
				"--bdf '%s': at most %d devices per dump; run dump again for the rest (or without --bdf for all)",
				arg, DUMP_MAX_BDF);
		a->bdf[a->nbdf++] = arg;
		return 0;
	case OPT_VDEVICE: {
		unsigned int i;
		uint32_t id;

		if (tsmctl_opt_u32(ctx, "--vdevice", arg, &id))
			return EINVAL;
		for (i = 0; i < a->nvdev; i++)
			if (a->vdev[i] == id)
				return 0; /* probed once */
		if (a->nvdev >= DUMP_MAX_BDF)
			return tsmctl_usage_error(
				ctx, "--vdevice", arg,
				"--vdevice %s: at most %d vdevices per dump",
				arg, DUMP_MAX_BDF);
		a->vdev[a->nvdev++] = id;
		return 0;
	}
	case OPT_EVIDENCE:
		if (!strcmp(arg, "none")) {
			a->mask = 0;
			return 0;
		}
		memset(&ctx->err, 0, sizeof(ctx->err));
		if (tsm_evidence_mask_parse(arg, &a->mask, &ctx->err)) {
			char msg[sizeof(ctx->err.msg)];

			memcpy(msg, ctx->err.msg, sizeof(msg));
			snprintf(ctx->err.msg, sizeof(ctx->err.msg),
				 "--evidence: %.380s", msg);
			snprintf(ctx->err.field, sizeof(ctx->err.field),
				 "--evidence");
			return EINVAL;
		}
		return 0;
	case OPT_DIGEST:
		a->digest = true;
		return 0;
	case OPT_SYSFS:
		a->sysfs = arg;
		return 0;
	case OPT_BUNDLE:
		a->bundle = arg;
		return 0;
	case OPT_NO_REDACT:
		a->no_redact = true;
		return 0;
	case OPT_BTF:
		a->btf = arg;
		return 0;
	case OPT_NONCE: {
		long n;

		memset(&ctx->err, 0, sizeof(ctx->err));
		n = tsm_parse_hex(arg, a->nonce, sizeof(a->nonce), "--nonce",
				  &ctx->err);
		if (n <= 0)
			return n ? EINVAL :
				   tsmctl_usage_error(ctx, "--nonce", arg,
						      "--nonce: empty");
		a->nonce_len = (size_t)n;
		return 0;
	}
	default:
		return tsmctl_parse_default(ctx, key, arg, state);
	}
}

const struct argp dump_argp = {
	.options = dump_options,
	.parser = dump_parse,
	.args_doc =
		"[--bdf BDF]... [--vdevice ID]... [--evidence TYPES] [--digest] [--sysfs ROOT] [--btf FILE] [--bundle FILE [--no-redact]]",
	.doc = "Report what a bug report needs: kernel release, ABI detection, "
	       "/dev/iommu, /sys/class/tsm, PCI devices with tsm/ attributes and "
	       "their pci-tsm netlink evidence, decoded.\v"
	       "Read-only: dump never changes TSM state. Evidence needs "
	       "CAP_NET_ADMIN; errors reading it are reported per device and do "
	       "not stop the dump.",
	.children = tsmctl_global_children,
};

static struct json_object *dump_kernel(void)
{
	struct json_object *o = json_object_new_object();
	struct utsname u;

	if (!uname(&u)) {
		json_add(o, "release", json_object_new_string(u.release));
		json_add(o, "version", json_object_new_string(u.version));
		json_add(o, "machine", json_object_new_string(u.machine));
	}
	return o;
}

static struct json_object *attr_json(const struct tsm_sysfs_dev *d)
{
	struct json_object *o = json_object_new_object();
	unsigned int i;

	for (i = 0; i < TSM_SYSFS_NATTRS && d->attr[i].name; i++) {
		const struct tsm_sysfs_attr *a = &d->attr[i];

		if (!a->present)
			continue;
		json_object_object_add(
			o, a->name,
			json_object_new_string(a->readable ? a->value :
							     "(write-only)"));
	}
	return o;
}

static bool want_bdf(const struct dump_args *a, const char *bdf)
{
	unsigned int i;

	if (!a->nbdf)
		return true;
	for (i = 0; i < a->nbdf; i++)
		if (!strcmp(a->bdf[i], bdf))
			return true;
	return false;
}

/*
 * One evidence object: decoded where a decoder exists; the raw bytes as
 * hex with -v, for digests, for objects without a decoder (VCA) and for
 * objects the decoder found truncated or inconsistent (what a maintainer
 * needs to look at).
 */
static struct json_object *evidence_obj_json(const struct tsm_evidence_obj *ob,
					     bool digest, bool verbose)
{
	struct json_object *o = json_object_new_object(), *dec = NULL, *ok;
	size_t noff;
	bool has;

	json_add(o, "type", json_object_new_int((int)ob->type));
	json_add(o, "type_name",
		 json_object_new_string(tsm_evidence_type_name(ob->type)));
	json_add(o, "len", json_u64(ob->len));
	if (!digest && ob->len) {
		if (ob->type <= 7)
			dec = cert_chain_json(ob->data, ob->len);
		else if (ob->type == 9)
			dec = measurements_json(ob->data, ob->len, &noff, &has);
		else if (ob->type == 10)
			dec = tdisp_report_json(ob->data, ob->len);
	}
	if (digest || verbose || !dec ||
	    (json_object_object_get_ex(dec, "valid", &ok) &&
	     !json_object_get_boolean(ok)))
		json_object_object_add(o, digest ? "digest_hex" : "hex",
				       json_hex(ob->data, ob->len));
	if (dec)
		json_add(o, "decoded", dec);
	return o;
}

static struct json_object *dump_evidence(struct tsmctl_ctx *ctx,
					 struct tsm_nl *nl, const char *bdf,
					 const struct dump_args *a)
{
	struct json_object *o = json_object_new_object(), *arr;
	struct tsm_evidence ev;
	struct tsm_err e = { 0 };
	char en[16];
	unsigned int i;
	int rc;

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
		json_object_array_add(arr,
				      evidence_obj_json(&ev.obj[i], a->digest,
							ctx->verbose));
	json_add(o, "objects", arr);
	tsm_evidence_free(&ev);
	return o;
}

static struct json_object *dump_sysfs(struct tsmctl_ctx *ctx,
				      const struct dump_args *a)
{
	struct json_object *o = json_object_new_object(), *cls, *devs;
	struct tsm_sysfs *s = malloc(sizeof(*s));
	unsigned int i, k;

	if (!s)
		return o;
	tsm_sysfs_scan(a->sysfs, s);
	json_add(o, "root", json_object_new_string(a->sysfs ? a->sysfs : "/"));
	json_add(o, "class_tsm", json_object_new_boolean(s->class_dir));
	json_add(o, "shape", json_object_new_string(s->shape));
	json_add(o, "shape_evidence", json_object_new_string(s->shape_why));
	cls = json_object_new_array();
	for (i = 0; i < s->nclasses; i++) {
		struct json_object *c = json_object_new_object(), *st;

		json_add(c, "name", json_object_new_string(s->classes[i].name));
		if (s->classes[i].has_pci_mode) /* staging only */
			json_add(c, "pci_mode",
				 json_object_new_string(
					 s->classes[i].pci_mode));
		st = json_object_new_array();
		for (k = 0; k < s->classes[i].nstreams; k++)
			json_object_array_add(
				st, json_object_new_string(
					    s->classes[i].streams[k]));
		json_add(c, "host_bridges", st);
		json_object_array_add(cls, c);
	}
	json_add(o, "tsm_devices", cls);
	devs = json_object_new_array();
	for (i = 0; i < s->ndevs; i++) {
		struct json_object *d;

		if (!want_bdf(a, s->devs[i].bdf))
			continue;
		d = json_object_new_object();
		json_add(d, "bdf", json_object_new_string(s->devs[i].bdf));
		json_add(d, "tsm", attr_json(&s->devs[i]));
		if (s->devs[i].authenticated[0])
			json_add(d, "authenticated",
				 json_object_new_string(
					 s->devs[i].authenticated));
		if (a->nl)
			json_add(d, "evidence",
				 dump_evidence(ctx, a->nl, s->devs[i].bdf, a));
		json_object_array_add(devs, d);
	}
	json_add(o, "pci_devices", devs);
	for (i = 0; i < a->nbdf; i++) {
		struct json_object *nf;

		for (k = 0; k < s->ndevs && strcmp(s->devs[k].bdf, a->bdf[i]);
		     k++)
			;
		if (k < s->ndevs)
			continue;
		if (!json_object_object_get_ex(o, "bdf_not_found", &nf)) {
			nf = json_object_new_array();
			json_add(o, "bdf_not_found", nf);
		}
		json_object_array_add(nf, json_object_new_string(a->bdf[i]));
	}
	free(s);
	return o;
}

/*
 * The evidence family, resolved before any other probe: dump always says
 * which one it uses (name and version) or that none is there. A --nonce
 * longer than that family takes is bad input: exit 2, no evidence read
 * (only the family lookup went out).
 */
static struct json_object *evidence_family(struct tsmctl_ctx *ctx,
					   struct dump_args *a)
{
	struct json_object *o = json_object_new_object();
	struct tsm_err e = { 0 };
	int rc;

	if (ctx->dry_run || !a->mask) {
		json_add(o, "present", NULL);
		json_add(o, "not_probed",
			 json_object_new_string(ctx->dry_run ?
							"dry run: no netlink message sent" :
							"--evidence none"));
		return o;
	}
	rc = tsm_nl_open(&a->nl, ctx->trace_fd >= 0 ? trace_netlink : NULL,
			 ctx, &e);
	json_add(o, "present", json_object_new_boolean(rc == 0));
	if (rc) {
		json_add(o, "name", NULL);
		json_add(o, "error", json_object_new_string(e.msg));
		return o;
	}
	ctx->nl_family = tsm_nl_family_name(a->nl);
	json_add(o, "name", json_object_new_string(ctx->nl_family));
	json_add(o, "version",
		 json_object_new_int((int)tsm_nl_family_version(a->nl)));
	json_add(o, "family_id",
		 json_object_new_int(tsm_nl_family_id(a->nl)));
	json_add(o, "nonce_max",
		 json_object_new_int((int)tsm_nl_nonce_max(a->nl)));
	if (a->nonce_len &&
	    tsm_nl_set_nonce(a->nl, a->nonce, a->nonce_len, &ctx->err)) {
		json_object_put(o);
		tsm_nl_close(a->nl);
		a->nl = NULL;
		return NULL;
	}
	return o;
}

/* Arguments that cannot work, found before anything is read or sent. */
static int dump_check_args(struct tsmctl_ctx *ctx, const struct dump_args *a)
{
	struct stat st;

	if (a->digest && !a->mask)
		tsmctl_usage_error(
			ctx, "--digest", NULL,
			"--digest reads the digests of evidence objects, but --evidence none reads none");
	else if (a->nonce_len && !a->mask)
		tsmctl_usage_error(
			ctx, "--nonce", NULL,
			"--nonce refreshes evidence before it is read, but --evidence none reads none");
	else if (a->no_redact && !a->bundle)
		tsmctl_usage_error(
			ctx, "--no-redact", NULL,
			"--no-redact applies to --bundle only: the dump itself and the trace are never redacted");
	else if (a->btf && access(a->btf, R_OK))
		tsmctl_usage_error(ctx, "--btf", a->btf,
				   "--btf '%s': cannot read: %s", a->btf,
				   strerror(errno));
	else if (a->sysfs && (stat(a->sysfs, &st) || !S_ISDIR(st.st_mode)))
		tsmctl_usage_error(
			ctx, "--sysfs", a->sysfs,
			"--sysfs '%s': not a directory (ROOT holds a copy of a machine's sys/ tree)",
			a->sysfs);
	else
		return 0;
	return -1;
}

/* Whether the BTF verdict on the profile in force is "contradicts". */
static bool contradicted(struct json_object *det, const struct tsmctl_ctx *ctx)
{
	struct json_object *ps, *p, *v;
	size_t i;

	if (!json_object_object_get_ex(det, "profiles", &ps))
		return false;
	for (i = 0; i < json_object_array_length(ps); i++) {
		p = json_object_array_get_idx(ps, i);
		if (json_object_object_get_ex(p, "profile", &v) &&
		    !strcmp(json_object_get_string(v), ctx->profile.name))
			return json_object_object_get_ex(p, "verdict", &v) &&
			       !strcmp(json_object_get_string(v),
				       "contradicts");
	}
	return false;
}

int cmd_dump(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct dump_args a = { .ctx = ctx, .mask = 0x7ff };
	struct json_object *r, *det, *fam;
	int code = 0;

	if (tsmctl_parse(ctx, &dump_argp, argc, argv, &a))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	ctx->btf = a.btf; /* --abi auto detects from it too */
	if (dump_check_args(ctx, &a) || tsmctl_resolve_abi(ctx) ||
	    (a.bundle && dump_bundle_open(ctx, a.bundle, &ctx->bundle_fd)) ||
	    (!ctx->dry_run && trace_start(ctx)))
		return out_usage_error(ctx);
	out_doc(ctx);
	out_set_abi(ctx);
	if (ctx->dry_run) {
		/*
		 * reads only: sysfs and BTF; no iommufd, ioctl or netlink
		 * (iommufd.not_opened says so; no "dry_run" key, which would
		 * promise the struct of an ioctl)
		 */
		a.mask = 0;
		a.nvdev = 0;
	}
	fam = evidence_family(ctx, &a);
	if (!fam) /* a --nonce the family does not take */
		return out_usage_error(ctx);
	r = json_object_new_object();
	out_set(ctx, "result", r);
	json_add(r, "evidence_family", fam);
	json_add(r, "tool_version", json_object_new_string(TSMCTL_VERSION));
	json_add(r, "kernel", dump_kernel());
	det = detect_json(ctx);
	json_add(r, "abi_detection", det);
	json_add(r, "iommufd",
		 dump_iommufd(ctx, a.vdev, a.nvdev, contradicted(det, ctx)));
	json_add(r, "sysfs", dump_sysfs(ctx, &a));
	tsm_nl_close(a.nl);
	exec_close_dev(ctx);
	if (a.bundle)
		code = dump_bundle(ctx, a.bundle, !a.no_redact);
	return code;
}
