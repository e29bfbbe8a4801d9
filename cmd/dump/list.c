// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl list: dump's short view (docs/cli-contract.md, "list"), one line
 * per TSM-capable PCI function (its tsm/ attributes: TSM, connected,
 * bound, the TDI state where the sysfs shape shows one) and per vdevice
 * asked for with --vdevice (dump's read-only probes), as `ip -br` and
 * `cxl list` do. Read-only.
 */
#include <string.h>

#include <json-c/json.h>

#include "builtin.h"
#include "core/exec.h"
#include "core/out.h"
#include "core/profile.h"
#include "core/tracing.h"
#include "detect.h"
#include "dump.h"
#include "sysfs.h"

enum { OPT_LIST_BDF = 0x700, OPT_LIST_VDEVICE };

static const struct tsmctl_opt list_opts[] = {
	{ "bdf", OPT_LIST_BDF, "BDF",
	  "only this PCI device (DDDD:BB:DD.F); repeat for more" },
	{ "vdevice", OPT_LIST_VDEVICE, "ID",
	  "also probe this vdevice in the selected iommufd context (read-only); repeat" },
	{ 0 }
};

struct list_args {
	struct tsmctl_ctx *ctx;
	const char *bdf[DUMP_MAX_BDF];
	unsigned int nbdf;
	uint32_t vdev[DUMP_MAX_BDF];
	unsigned int nvdev;
};

static error_t list_parse(int key, char *arg, struct argp_state *state)
{
	struct list_args *a = state->input;

	switch (key) {
	case OPT_LIST_BDF:
		if (tsm_bdf_check(arg))
			return tsmctl_usage_error(
				a->ctx, "--bdf", arg,
				"--bdf '%s': expected a PCI device name DDDD:BB:DD.F (e.g. 0000:01:00.0)",
				arg);
		if (a->nbdf >= DUMP_MAX_BDF)
			return tsmctl_usage_error(a->ctx, "--bdf", arg,
						  "--bdf: at most %d devices",
						  DUMP_MAX_BDF);
		a->bdf[a->nbdf++] = arg;
		return 0;
	case OPT_LIST_VDEVICE:
		if (a->nvdev >= DUMP_MAX_BDF)
			return tsmctl_usage_error(
				a->ctx, "--vdevice", arg,
				"--vdevice: at most %d vdevices", DUMP_MAX_BDF);
		return tsmctl_opt_u32(a->ctx, "--vdevice", arg,
				      &a->vdev[a->nvdev++]);
	default:
		return tsmctl_parse_default(a->ctx, key, arg, state);
	}
}

const struct tsmctl_spec list_spec = {
	.opts = list_opts,
	.parser = list_parse,
	.args_doc = "[--bdf BDF]... [--vdevice ID]...",
	.doc = "One line per TSM-capable PCI device (BDF, TSM, connected, bound, "
	       "TDI state) and per vdevice asked for with --vdevice.\v"
	       "The TDI state is read from tsm/lock and tsm/accept (staging "
	       "sysfs: unlocked, locked or run); the mainline shape has neither, "
	       "so it is 'unknown' there. A vdevice is probed read-only in the "
	       "selected iommufd context (--fd or --pid: a fresh open of "
	       "/dev/iommu holds none). Read-only; -j gives the same as arrays; "
	       "'tsmctl dump' has the details.",
};

static bool want(const struct list_args *a, const char *bdf)
{
	unsigned int i;

	for (i = 0; i < a->nbdf; i++)
		if (!strcmp(a->bdf[i], bdf))
			return true;
	return !a->nbdf;
}

static struct json_object *device_json(const struct tsm_sysfs *s,
				       const struct tsm_sysfs_dev *d)
{
	struct json_object *o = json_object_new_object();
	struct tsm_sysfs_state st;

	tsm_sysfs_dev_state(d, &st);
	json_add(o, "bdf", json_object_new_string(d->bdf));
	json_add(o, "tsm", json_object_new_string(st.tsm));
	json_add(o, "connected", json_object_new_boolean(st.connected));
	json_add(o, "bound", json_object_new_boolean(st.bound));
	json_add(o, "tdi_state", json_object_new_string(st.tdi_state));
	json_add(o, "tdi_state_from", json_object_new_string(st.why));
	json_add(o, "sysfs_shape", json_object_new_string(s->shape));
	return o;
}

static struct json_object *list_devices(const struct list_args *a,
					const struct tsm_sysfs *s)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i;

	for (i = 0; i < s->ndevs; i++)
		if (want(a, s->devs[i].bdf))
			json_object_array_add(arr, device_json(s, &s->devs[i]));
	return arr;
}

/* dump's vdevice probes; @why says why there are none */
static struct json_object *list_vdevices(struct tsmctl_ctx *ctx,
					 const struct list_args *a,
					 const char **why, const char **note)
{
	struct json_object *io, *v, *r = NULL;
	char buf[280];
	const char *match;
	bool bad = false;

	*why = NULL;
	*note = NULL;
	if (!a->nvdev)
		return json_object_new_array();
	if (tsmctl_detect(ctx))
		bad = tsm_detect_contradicts(tsmctl_detect(ctx),
					     ctx->profile.name, buf,
					     sizeof(buf), &match);
	io = dump_iommufd(ctx, a->vdev, a->nvdev, bad);
	if (json_object_object_get_ex(io, "vdevice_note", &v))
		*note = strdup(json_object_get_string(v));
	if (json_object_object_get_ex(io, "vdevices", &v))
		r = json_object_get(v);
	else if (json_object_object_get_ex(io, "open_error", &v) ||
		 json_object_object_get_ex(io, "tsm_probes_skipped", &v) ||
		 json_object_object_get_ex(io, "not_opened", &v))
		*why = strdup(json_object_get_string(v));
	json_object_put(io);
	return r ? r : json_object_new_array();
}

static void text_device(struct json_object *d)
{
	struct json_object *v;
	const char *tsm;

	json_object_object_get_ex(d, "tsm", &v);
	tsm = json_object_get_string(v);
	printf("%-14s %-6s",
	       json_object_get_string(json_object_object_get(d, "bdf")),
	       tsm[0] ? tsm : "-");
	json_object_object_get_ex(d, "connected", &v);
	printf(" %-12s",
	       json_object_get_boolean(v) ? "connected" : "disconnected");
	json_object_object_get_ex(d, "bound", &v);
	printf(" %-7s", json_object_get_boolean(v) ? "bound" : "unbound");
	json_object_object_get_ex(d, "tdi_state", &v);
	printf(" %s\n", json_object_get_string(v));
}

static void list_text(struct json_object *r)
{
	struct json_object *devs, *vds, *v;
	size_t i;

	json_object_object_get_ex(r, "devices", &devs);
	json_object_object_get_ex(r, "vdevices", &vds);
	for (i = 0; i < json_object_array_length(devs); i++)
		text_device(json_object_array_get_idx(devs, i));
	for (i = 0; i < json_object_array_length(vds); i++) {
		struct json_object *d = json_object_array_get_idx(vds, i);

		json_object_object_get_ex(d, "vdevice_id", &v);
		printf("vdevice %-6s %s", json_object_get_string(v),
		       json_object_get_string(
			       json_object_object_get(d, "state")));
		json_object_object_get_ex(d, "meaning", &v);
		printf(": %s\n", json_object_get_string(v));
	}
	if (json_object_object_get_ex(r, "vdevice_note", &v))
		fprintf(stderr, "tsmctl: list: %s\n",
			json_object_get_string(v));
	if (json_object_object_get_ex(r, "vdevices_not_probed", &v))
		fprintf(stderr, "tsmctl: list: vdevices not probed: %s\n",
			json_object_get_string(v));
	if (!json_object_array_length(devs) && !json_object_array_length(vds))
		fprintf(stderr, "tsmctl: list: %s\n",
			json_object_get_string(json_object_object_get(
				r, "sysfs_shape_evidence")));
}

int cmd_list(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct list_args a = { .ctx = ctx };
	struct json_object *r;
	struct tsm_sysfs *s;
	const char *why, *note;

	if (tsmctl_parse(ctx, &list_spec, argc, argv, &a, NULL))
		return out_usage_error(ctx);
	if (ctx->stop)
		return 0;
	if (tsmctl_resolve_abi(ctx))
		return out_usage_error(ctx);
	if (a.nvdev && !ctx->dry_run && tsmctl_trace_start(ctx))
		return out_usage_error(ctx);
	s = malloc(sizeof(*s));
	if (!s)
		return TSM_EXIT_FAIL;
	tsm_sysfs_scan(NULL, s);
	r = json_object_new_object();
	json_add(r, "sysfs_shape", json_object_new_string(s->shape));
	json_add(r, "sysfs_shape_evidence",
		 json_object_new_string(s->shape_why));
	json_add(r, "devices", list_devices(&a, s));
	free(s);
	json_add(r, "vdevices", list_vdevices(ctx, &a, &why, &note));
	if (why)
		json_add(r, "vdevices_not_probed", json_object_new_string(why));
	if (note)
		json_add(r, "vdevice_note", json_object_new_string(note));
	free((char *)why);
	free((char *)note);
	exec_close_dev(ctx);
	out_doc(ctx);
	out_set_abi(ctx);
	if (ctx->json) {
		out_set(ctx, "result", r);
		return 0;
	}
	list_text(r); /* its own shape: one line each */
	json_object_put(r);
	return 0;
}
