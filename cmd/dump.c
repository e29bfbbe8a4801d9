// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl dump: what a bug report needs (docs/cli-contract.md §4.4): kernel
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

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/tracing.h"
#include "detect.h"
#include "dump/dump.h"
#include "evidence.h"
#include "nl.h"
#include "sysfs.h"
#include "uapi.h"
#include "x509.h"

enum {
	OPT_BDF = 0x600,
	OPT_VDEVICE,
	OPT_EVIDENCE,
	OPT_DIGEST,
	OPT_BUNDLE,
	OPT_NO_REDACT,
	OPT_BTF,
	OPT_TRUST_ANCHOR,
	OPT_DECODE,
	OPT_EVIDENCE_OUT,
	OPT_NONCE,
	OPT_SECTION,
};

/* --section names, in the order of the result (DUMP_SEC_* bit i) */
static const char *const section_names[] = { "kernel", "abi", "iommufd",
					     "sysfs", "evidence" };

static size_t values_section(const char **out, size_t max,
			     const struct tsm_profile *p, enum tsm_arch arch)
{
	size_t i;

	(void)p;
	(void)arch;
	for (i = 0; i < ARRAY_SIZE(section_names) && i < max; i++)
		out[i] = section_names[i];
	return i;
}

static const struct tsmctl_opt dump_opts[] = {
	{ "bdf", OPT_BDF, "BDF",
	  "only this PCI device (DDDD:BB:DD.F); repeat for more" },
	{ "vdevice", OPT_VDEVICE, "ID",
	  "also probe this vdevice in the selected iommufd context (read-only); repeat" },
	{ "evidence", OPT_EVIDENCE, "TYPES",
	  "evidence to read: all (default), none, certs, cert0..cert7, vca, measurements, report; comma-separated",
	  .values = tsmctl_values_evidence },
	{ "digest", OPT_DIGEST, NULL,
	  "read the TSM's digests of the objects instead of the objects" },
	{ "bundle", OPT_BUNDLE, "FILE",
	  "write a tar.gz bug-report bundle to FILE", .complete = "file" },
	{ "no-redact", OPT_NO_REDACT, NULL,
	  "keep nonces in the bundle (redacted by default)" },
	{ "btf", OPT_BTF, "FILE",
	  "BTF to detect the ABI from (default /sys/kernel/btf/vmlinux)",
	  .complete = "file" },
	{ "trust-anchor", OPT_TRUST_ANCHOR, "FILE",
	  "verify certificate chains against the certificates in FILE (PEM or DER); repeat",
	  .complete = "file" },
	{ "decode", OPT_DECODE, "TYPE=FILE",
	  "decode a saved evidence object offline (TYPE: certs, cert0..cert7, vca, measurements, report); repeat" },
	{ "evidence-out", OPT_EVIDENCE_OUT, "DIR",
	  "write each evidence object read to DIR/BDF/TYPE.bin",
	  .complete = "file" },
	{ "section", OPT_SECTION, "NAMES",
	  "only these parts: kernel, abi, iommufd, sysfs, evidence; comma-separated (evidence implies sysfs)",
	  .values = values_section },
	{ "nonce", OPT_NONCE, "HEX",
	  "ask the kernel to refresh the evidence with this nonce first (device-evidence: at most 32 bytes, pci-tsm: 256)" },
	{ 0 }
};

static int opt_bdf(struct tsmctl_ctx *ctx, struct dump_args *a, char *arg)
{
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
}

static int opt_vdevice(struct tsmctl_ctx *ctx, struct dump_args *a, char *arg)
{
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
			"--vdevice %s: at most %d vdevices per dump", arg,
			DUMP_MAX_BDF);
	a->vdev[a->nvdev++] = id;
	return 0;
}

static int opt_evidence(struct tsmctl_ctx *ctx, struct dump_args *a, char *arg)
{
	char msg[sizeof(ctx->err.msg)];

	a->mask_given = true;
	if (!strcmp(arg, "none")) {
		a->mask = 0;
		return 0;
	}
	memset(&ctx->err, 0, sizeof(ctx->err));
	if (!tsm_evidence_mask_parse(arg, &a->mask, &ctx->err))
		return 0;
	memcpy(msg, ctx->err.msg, sizeof(msg));
	snprintf(ctx->err.msg, sizeof(ctx->err.msg), "--evidence: %.380s", msg);
	snprintf(ctx->err.field, sizeof(ctx->err.field), "--evidence");
	return EINVAL;
}

static int opt_nonce(struct tsmctl_ctx *ctx, struct dump_args *a, char *arg)
{
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

/* --section NAMES: the DUMP_SEC_* bits of the comma-separated names */
static int opt_section(struct tsmctl_ctx *ctx, struct dump_args *a,
		       const char *arg)
{
	const char *p = arg;
	size_t i, n;

	do {
		n = strcspn(p, ",");
		for (i = 0; i < ARRAY_SIZE(section_names); i++)
			if (strlen(section_names[i]) == n &&
			    !strncmp(p, section_names[i], n))
				break;
		if (i == ARRAY_SIZE(section_names))
			return tsmctl_usage_error(
				ctx, "--section", arg,
				"--section '%.*s': unknown part (accepted: kernel, abi, iommufd, sysfs, evidence; comma-separated)",
				(int)n, p);
		a->sections |= 1u << i;
		p += n;
	} while (*p++);
	return 0;
}

/* Options that take the argument as it is */
static int opt_plain(struct dump_args *a, int key, char *arg)
{
	switch (key) {
	case OPT_DIGEST:
		a->digest = true;
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
	case OPT_EVIDENCE_OUT:
		a->evidence_out = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static error_t dump_parse(int key, char *arg, struct argp_state *state)
{
	struct dump_args *a = state->input;
	struct tsmctl_ctx *ctx = a->ctx;

	switch (key) {
	case OPT_BDF:
		return opt_bdf(ctx, a, arg);
	case OPT_VDEVICE:
		return opt_vdevice(ctx, a, arg);
	case OPT_EVIDENCE:
		return opt_evidence(ctx, a, arg);
	case OPT_TRUST_ANCHOR:
		if (a->nanchor >= DUMP_MAX_FILES)
			return tsmctl_usage_error(
				ctx, "--trust-anchor", arg,
				"--trust-anchor '%s': at most %d files", arg,
				DUMP_MAX_FILES);
		a->anchor[a->nanchor++] = arg;
		return 0;
	case OPT_DECODE:
		return dump_decode_arg(a, arg) ? EINVAL : 0;
	case OPT_NONCE:
		return opt_nonce(ctx, a, arg);
	case OPT_SECTION:
		return opt_section(ctx, a, arg);
	default:
		if (opt_plain(a, key, arg) != ARGP_ERR_UNKNOWN)
			return 0;
		return tsmctl_parse_default(ctx, key, arg, state);
	}
}

const struct tsmctl_spec dump_spec = {
	.opts = dump_opts,
	.parser = dump_parse,
	.args_doc =
		"[--bdf BDF]... [--evidence TYPES] [--trust-anchor FILE]... [--bundle FILE]\n"
		"--decode TYPE=FILE... [--trust-anchor FILE]...",
	.doc = "Report what a bug report needs: kernel release, ABI detection, "
	       "/dev/iommu, /sys/class/tsm, PCI devices with tsm/ attributes and "
	       "their pci-tsm netlink evidence, decoded.\v"
	       "Read-only: dump never changes TSM state. Evidence needs "
	       "CAP_NET_ADMIN; errors reading it are reported per device and do "
	       "not stop the dump.",
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

static struct json_object *dump_sysfs(struct tsmctl_ctx *ctx,
				      const struct dump_args *a)
{
	struct json_object *o = json_object_new_object(), *cls, *devs;
	struct tsm_sysfs *s = malloc(sizeof(*s));
	unsigned int i, k;

	if (!s)
		return o;
	tsm_sysfs_scan(a->sysfs, s);
	json_add(o, "root",
		 json_object_new_string(a->sysfs && *a->sysfs ? a->sysfs : "/"));
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
		struct tsm_sysfs_state st;
		struct json_object *d;

		if (!want_bdf(a, s->devs[i].bdf))
			continue;
		d = json_object_new_object();
		json_add(d, "bdf", json_object_new_string(s->devs[i].bdf));
		json_add(d, "tsm", attr_json(&s->devs[i]));
		tsm_sysfs_dev_state(&s->devs[i], &st);
		json_add(d, "tdi_state", json_object_new_string(st.tdi_state));
		json_add(d, "tdi_state_from", json_object_new_string(st.why));
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
	rc = tsm_nl_open(&a->nl, tsmctl_nl_tracer(ctx), &ctx->trace, &e);
	json_add(o, "present", json_object_new_boolean(rc == 0));
	if (rc) {
		json_add(o, "name", NULL);
		json_add(o, "error", json_object_new_string(e.msg));
		return o;
	}
	ctx->trace.nl_family = tsm_nl_family_name(a->nl);
	json_add(o, "name", json_object_new_string(ctx->trace.nl_family));
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

/* --decode reads files only: the options that read the machine. */
static const char *decode_conflict(const struct dump_args *a)
{
	if (a->nbdf)
		return "--bdf";
	if (a->nvdev)
		return "--vdevice";
	if (a->mask_given)
		return "--evidence";
	if (a->digest)
		return "--digest";
	if (a->ctx->sysfs)
		return "--sysfs";
	if (a->btf)
		return "--btf";
	if (a->bundle)
		return "--bundle";
	if (a->evidence_out)
		return "--evidence-out";
	if (a->nonce_len)
		return "--nonce";
	if (a->sections)
		return "--section";
	return NULL;
}

/* Arguments that cannot work, found before anything is read or sent. */
static int dump_check_args(struct tsmctl_ctx *ctx, struct dump_args *a)
{
	const char *c = a->ndecode ? decode_conflict(a) : NULL;
	struct stat st;

	if (c)
		tsmctl_usage_error(
			ctx, c, NULL,
			"%s does not apply to --decode, which decodes saved files and reads nothing from this machine",
			c);
	else if (a->evidence_out &&
		 (stat(a->evidence_out, &st) || !S_ISDIR(st.st_mode) ||
		  access(a->evidence_out, W_OK)))
		tsmctl_usage_error(
			ctx, "--evidence-out", a->evidence_out,
			"--evidence-out '%s': not a writable directory",
			a->evidence_out);
	else if (a->digest && !a->mask)
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
	else if (!a->ndecode && !(a->sysfs = tsmctl_sysfs_root(ctx)))
		return -1; /* --sysfs or TSMCTL_SYSFS: not a directory */
	else
		return 0;
	return -1;
}

/*
 * A BTF file the user named must be BTF: one that is not (corrupt, cut
 * short, too large) is bad input, found before anything is sent. *@det is
 * the detection, to be used by the dump.
 */
static int dump_btf_check(struct tsmctl_ctx *ctx, const char *btf,
			  struct json_object **det)
{
	struct json_object *v, *why;

	*det = detect_json(ctx);
	if (!json_object_object_get_ex(*det, "errno", &v))
		return 0;
	json_object_object_get_ex(*det, "summary", &why);
	tsmctl_usage_error(ctx, "--btf", btf, "--btf '%s': not usable BTF: %s",
			   btf, json_object_get_string(why));
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

/* --trust-anchor files into a->anchors: 0, or the exit code */
static int load_anchors(struct tsmctl_ctx *ctx, struct dump_args *a)
{
	int rc;

	if (!a->nanchor)
		return 0;
	rc = x509_anchors_load(a->anchor, a->nanchor, "--trust-anchor",
			       &a->anchors, &ctx->err);
	if (rc == -ELIBACC)
		return out_error(ctx, TSM_EXIT_UNSUPPORTED, "usage", &ctx->err);
	return rc ? out_usage_error(ctx) : 0;
}

/* dump --decode: no kernel, no sysfs, no BTF; the files decoded. */
static int dump_offline(struct tsmctl_ctx *ctx, struct dump_args *a)
{
	struct json_object *r = dump_decode(ctx, a);

	if (!r)
		return out_usage_error(ctx);
	out_set(ctx, "result", r);
	return 0;
}

/* The parts --section asks for (all without it) into @r; @det taken */
static void dump_sections(struct tsmctl_ctx *ctx, struct dump_args *a,
			  struct json_object *r, struct json_object *det)
{
	unsigned int sec = a->sections ? a->sections : ~0u;
	struct json_object *names;
	size_t i;

	if (a->sections) {
		names = json_object_new_array();
		for (i = 0; i < ARRAY_SIZE(section_names); i++)
			if (sec & (1u << i))
				json_object_array_add(
					names, json_object_new_string(
						       section_names[i]));
		json_add(r, "sections", names);
	}
	if (sec & DUMP_SEC_KERNEL)
		json_add(r, "kernel", dump_kernel());
	if (sec & DUMP_SEC_ABI)
		json_add(r, "abi_detection", json_object_get(det));
	if (sec & DUMP_SEC_IOMMUFD)
		json_add(r, "iommufd",
			 dump_iommufd(ctx, a->vdev, a->nvdev,
				      contradicted(det, ctx)));
	json_object_put(det);
	if (sec & (DUMP_SEC_SYSFS | DUMP_SEC_EVIDENCE))
		json_add(r, "sysfs", dump_sysfs(ctx, a));
}

int cmd_dump(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct dump_args a = { .ctx = ctx, .mask = 0x7ff };
	struct json_object *r, *det = NULL, *fam;
	int code = 0;

	if (tsmctl_parse(ctx, &dump_spec, argc, argv, &a, NULL))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	ctx->btf = a.btf; /* --abi auto detects from it too */
	if (a.sections && !(a.sections & DUMP_SEC_EVIDENCE))
		a.mask = 0; /* no evidence read, as --evidence none */
	if (dump_check_args(ctx, &a) ||
	    (a.btf && dump_btf_check(ctx, a.btf, &det)) ||
	    tsmctl_resolve_abi(ctx)) {
		json_object_put(det);
		return out_usage_error(ctx);
	}
	code = load_anchors(ctx, &a);
	if (!code && a.ndecode)
		code = dump_offline(ctx, &a);
	if (code || a.ndecode)
		goto out;
	if ((a.bundle && dump_bundle_open(ctx, a.bundle, &ctx->bundle_fd)) ||
	    (!ctx->dry_run && tsmctl_trace_start(ctx))) {
		code = out_usage_error(ctx);
		goto out;
	}
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
	if (!fam) { /* a --nonce the family does not take */
		code = out_usage_error(ctx);
		goto out;
	}
	r = json_object_new_object();
	out_set(ctx, "result", r);
	/* the order of tsmctl-dump(8), JSON OUTPUT */
	json_add(r, "tool_version", json_object_new_string(TSMCTL_VERSION));
	json_add(r, "evidence_family", fam);
	if (!det)
		det = detect_json(ctx);
	dump_sections(ctx, &a, r, det);
	tsm_nl_close(a.nl);
	a.nl = NULL;
	exec_close_dev(ctx);
	if (a.bundle)
		code = dump_bundle(ctx, a.bundle, !a.no_redact);
	/* text mode: the bundle holds the dump; -v prints it too */
	if (a.bundle && !code && !ctx->json && !ctx->verbose) {
		r = json_object_new_object();
		json_add(r, "bundle", json_object_new_string(a.bundle));
		out_set(ctx, "result", r);
	}
out:
	x509_anchors_free(a.anchors);
	return code;
}
