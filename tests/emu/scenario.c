// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu scenario loader. Strict: unknown keys and wrong types are
 * errors that name the JSON path. Format: tests/emu/README.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonstrict.h"
#include "scenario.h"

struct ld {
	const char *file;
	char *err;
	size_t errlen;
	char path[128]; /* JSON path of the current object */
};

__attribute__((format(printf, 2, 3))) static int fail(struct ld *l,
						      const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errlen, "%s: %s: %s", l->file, l->path, msg);
	return -1;
}

/* every key of @o must be in @keys (NULL terminated) */
static int check_keys(struct ld *l, json_object *o, const char *const *keys)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(l, "expected an object");
	json_object_object_foreach(o, key, val) {
		const char *const *k;

		(void)val;
		for (k = keys; *k; k++)
			if (!strcmp(*k, key))
				break;
		if (!*k)
			return fail(l, "unknown key \"%s\"", key);
	}
	return 0;
}

/* integer: JSON int, or string in decimal / 0x-hex */
static int get_u64(struct ld *l, json_object *v, const char *key, uint64_t max,
		   uint64_t *out)
{
	char *end;

	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		if (i < 0 || (uint64_t)i > max)
			return fail(l, "\"%s\": %lld out of range 0..%llu", key,
				    (long long)i, (unsigned long long)max);
		*out = (uint64_t)i;
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);

		errno = 0;
		*out = strtoull(s, &end, 0);
		if (!*s || *end || errno || *s == '-' || *out > max)
			return fail(l, "\"%s\": bad number \"%s\" (0..%llu)",
				    key, s, (unsigned long long)max);
		return 0;
	}
	return fail(l, "\"%s\": expected an integer or a numeric string", key);
}

static int get_bool(struct ld *l, json_object *v, const char *key, bool *out)
{
	if (!json_object_is_type(v, json_type_boolean))
		return fail(l, "\"%s\": expected true or false", key);
	*out = json_object_get_boolean(v);
	return 0;
}

static const char *get_str(struct ld *l, json_object *v, const char *key)
{
	if (!json_object_is_type(v, json_type_string)) {
		fail(l, "\"%s\": expected a string", key);
		return NULL;
	}
	return json_object_get_string(v);
}

long emu_hex_decode(const char *hex, uint8_t **out)
{
	size_t n = strlen(hex), len = 0;
	uint8_t *p = malloc(n / 2 + 1);
	int hi = -1;

	if (!p)
		return -1;
	for (const char *s = hex; *s; s++) {
		int d;

		if (*s == ' ' || *s == ':' || *s == '\n' || *s == '\t')
			continue;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			goto bad;
		if (hi < 0) {
			hi = d;
		} else {
			p[len++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0)
		goto bad;
	*out = p;
	return (long)len;
bad:
	free(p);
	return -1;
}

static const char *const obj_keys[] = { "certificate", "measurement",
					"interface_report", "vca", NULL };

static int load_objects(struct ld *l, json_object *o, struct emu_vdev *v)
{
	if (check_keys(l, o, obj_keys))
		return -1;
	for (int t = 0; obj_keys[t]; t++) {
		json_object *h;
		const char *s;
		uint8_t *data;
		long n;

		if (!json_object_object_get_ex(o, obj_keys[t], &h))
			continue;
		s = get_str(l, h, obj_keys[t]);
		if (!s)
			return -1;
		n = emu_hex_decode(s, &data);
		if (n < 0)
			return fail(l, "\"%s\": bad hex", obj_keys[t]);
		/* obj_keys order == RHI object type - 1 */
		n = emu_blob_set(&v->obj[t + 1], data, (size_t)n);
		free(data);
		if (n)
			return fail(l, "out of memory");
	}
	return 0;
}

static const char *const vdev_keys[] = { "id",
					 "arch",
					 "kvm",
					 "state",
					 "bound_to",
					 "objects",
					 "illegal_transition_tsm_code",
					 "bdf",
					 "comment",
					 NULL };

static int load_vdev(struct ld *l, json_object *o, struct emu_ctx *ctx)
{
	json_object *v;
	struct emu_vdev *vd;
	uint64_t id, n;
	int arch = EMU_ARCH_CCA;

	if (check_keys(l, o, vdev_keys))
		return -1;
	if (!json_object_object_get_ex(o, "id", &v))
		return fail(l, "missing \"id\"");
	if (get_u64(l, v, "id", UINT32_MAX, &id))
		return -1;
	if (json_object_object_get_ex(o, "arch", &v)) {
		const char *s = get_str(l, v, "arch");

		if (!s)
			return -1;
		arch = emu_arch_parse(s);
		if (arch < 0)
			return fail(l,
				    "\"arch\": \"%s\" is not cca, sev or tdx",
				    s);
	}
	vd = emu_ctx_add_vdev(ctx, (uint32_t)id, arch);
	if (!vd)
		return fail(l, "vdevice id %llu duplicated or too many",
			    (unsigned long long)id);
	if (json_object_object_get_ex(o, "kvm", &v) &&
	    get_bool(l, v, "kvm", &vd->kvm))
		return -1;
	if (json_object_object_get_ex(o, "state", &v)) {
		const char *s = get_str(l, v, "state");

		if (!s)
			return -1;
		vd->state = emu_state_parse(s);
		if (vd->state < 0)
			return fail(l,
				    "\"state\": \"%s\" is not UNLOCKED, "
				    "LOCKED, RUN or ERROR",
				    s);
	}
	if (json_object_object_get_ex(o, "bound_to", &v)) {
		const char *s = NULL;

		if (v && json_object_is_type(v, json_type_string))
			s = json_object_get_string(v);
		if (!v) {
			vd->bound_to = 0;
		} else if (s && !strcmp(s, "self")) {
			vd->bound_to = ctx->vm;
		} else if (s && !strcmp(s, "other")) {
			vd->bound_to = ctx->vm + 1000;
		} else {
			if (get_u64(l, v, "bound_to", UINT32_MAX, &n))
				return -1;
			vd->bound_to = (uint32_t)n;
		}
	}
	if (json_object_object_get_ex(o, "illegal_transition_tsm_code", &v)) {
		if (get_u64(l, v, "illegal_transition_tsm_code", UINT64_MAX,
			    &vd->bad_tsm_code))
			return -1;
		vd->has_bad_tsm_code = true;
	}
	if (json_object_object_get_ex(o, "bdf", &v)) {
		const char *s = get_str(l, v, "bdf");

		if (!s)
			return -1;
		if (!emu_sysfs_bdf_ok(s))
			return fail(l,
				    "\"bdf\": \"%s\" is not like "
				    "0000:01:00.0",
				    s);
		snprintf(vd->bdf, sizeof(vd->bdf), "%s", s);
	}
	if (json_object_object_get_ex(o, "objects", &v)) {
		size_t plen = strlen(l->path);
		int rc;

		snprintf(l->path + plen, sizeof(l->path) - plen, ".objects");
		rc = load_objects(l, v, vd);
		l->path[plen] = 0;
		if (rc)
			return -1;
	}
	return 0;
}

static const char *const ctx_keys[] = { "name",	   "inherit_fd", "vmm_process",
					"vmm_fd",  "vm",	 "vdevices",
					"comment", NULL };

static int load_ctx(struct ld *l, json_object *o, struct emu_model *m,
		    struct emu_scn_ctx *c)
{
	json_object *v;
	uint64_t n;
	size_t plen;

	if (check_keys(l, o, ctx_keys))
		return -1;
	emu_ctx_init(&c->ctx, m);
	c->inherit_fd = -1;
	c->vmm_fd = 5;
	snprintf(c->name, sizeof(c->name), "ctx%d", c->ctx.id);
	if (json_object_object_get_ex(o, "name", &v)) {
		const char *s = get_str(l, v, "name");

		if (!s)
			return -1;
		snprintf(c->name, sizeof(c->name), "%s", s);
	}
	if (json_object_object_get_ex(o, "inherit_fd", &v)) {
		if (get_u64(l, v, "inherit_fd", 99, &n))
			return -1;
		if (n < 3)
			return fail(l, "\"inherit_fd\": use 3..99");
		c->inherit_fd = (int)n;
	}
	if (json_object_object_get_ex(o, "vmm_process", &v) &&
	    get_bool(l, v, "vmm_process", &c->vmm_process))
		return -1;
	if (json_object_object_get_ex(o, "vmm_fd", &v)) {
		if (get_u64(l, v, "vmm_fd", 99, &n))
			return -1;
		if (n < 3)
			return fail(l, "\"vmm_fd\": use 3..99");
		c->vmm_fd = (int)n;
	}
	if (json_object_object_get_ex(o, "vm", &v)) {
		if (get_u64(l, v, "vm", UINT32_MAX, &n))
			return -1;
		if (!n)
			return fail(l, "\"vm\": must be non-zero");
		c->ctx.vm = (uint32_t)n;
	}
	if (c->inherit_fd < 0 && !c->vmm_process)
		return fail(l, "a context needs \"inherit_fd\" and/or "
			       "\"vmm_process\": true");
	if (!json_object_object_get_ex(o, "vdevices", &v))
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return fail(l, "\"vdevices\": expected an array");
	plen = strlen(l->path);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		snprintf(l->path + plen, sizeof(l->path) - plen,
			 ".vdevices[%zu]", i);
		if (load_vdev(l, json_object_array_get_idx(v, i), &c->ctx))
			return -1;
	}
	l->path[plen] = 0;
	return 0;
}

static const char *const fault_keys[] = { "call",	  "nth",
					  "errno",	  "tsm_code",
					  "residue",	  "efault_after_commit",
					  "delay_ms",	  "eagain",
					  "extack",	  "comment",
					  "after_commit", NULL };

static int load_fault(struct ld *l, json_object *o, struct emu_model *m)
{
	struct emu_fault f = { 0 };
	json_object *v;
	const char *s;
	uint64_t n;

	if (check_keys(l, o, fault_keys))
		return -1;
	if (!json_object_object_get_ex(o, "call", &v))
		return fail(l, "missing \"call\"");
	s = get_str(l, v, "call");
	if (!s)
		return -1;
	f.kind = emu_kind_parse(s);
	if (f.kind < 0)
		return fail(l, "\"call\": unknown call kind \"%s\"", s);
	if (json_object_object_get_ex(o, "nth", &v)) {
		if (json_object_is_type(v, json_type_string) &&
		    !strcmp(json_object_get_string(v), "*"))
			n = 0;
		else if (get_u64(l, v, "nth", UINT32_MAX, &n))
			return -1;
		f.nth = (unsigned int)n;
	}
	if (json_object_object_get_ex(o, "errno", &v)) {
		if (json_object_is_type(v, json_type_string)) {
			f.err = emu_errno_parse(json_object_get_string(v));
		} else if (!get_u64(l, v, "errno", 4095, &n)) {
			f.err = (int)n;
		} else {
			return -1;
		}
		if (f.err <= 0)
			return fail(l, "\"errno\": unknown errno");
	}
	if (json_object_object_get_ex(o, "tsm_code", &v)) {
		if (get_u64(l, v, "tsm_code", UINT64_MAX, &f.tsm_code))
			return -1;
		f.has_tsm_code = true;
	}
	if (json_object_object_get_ex(o, "residue", &v)) {
		if (get_u64(l, v, "residue", INT32_MAX, &n))
			return -1;
		f.has_residue = true;
		f.residue = (long)n;
	}
	if (json_object_object_get_ex(o, "efault_after_commit", &v) &&
	    get_bool(l, v, "efault_after_commit", &f.efault_after_commit))
		return -1;
	if (json_object_object_get_ex(o, "after_commit", &v) &&
	    get_bool(l, v, "after_commit", &f.after_commit))
		return -1;
	if (json_object_object_get_ex(o, "eagain", &v) &&
	    get_bool(l, v, "eagain", &f.eagain_dump))
		return -1;
	if (json_object_object_get_ex(o, "extack", &v)) {
		s = get_str(l, v, "extack");
		if (!s)
			return -1;
		if (!*s || strlen(s) >= sizeof(f.extack))
			return fail(l, "\"extack\": 1..%zu characters",
				    sizeof(f.extack) - 1);
		snprintf(f.extack, sizeof(f.extack), "%s", s);
	}
	if (json_object_object_get_ex(o, "delay_ms", &v)) {
		if (get_u64(l, v, "delay_ms", 600000, &n))
			return -1;
		f.delay_ms = (unsigned int)n;
	}
	if (emu_add_fault(m, &f))
		return fail(l, "too many fault rules");
	return 0;
}

static const char *const ev_keys[EMU_NL_EV_TYPES + 1] = {
	"cert0", "cert1", "cert2", "cert3",	   "cert4",  "cert5",
	"cert6", "cert7", "vca",   "measurements", "report", NULL
};

static int load_evidence(struct ld *l, json_object *o, struct emu_blob *ev)
{
	if (check_keys(l, o, ev_keys))
		return -1;
	for (int t = 0; ev_keys[t]; t++) {
		json_object *h;
		const char *str;
		uint8_t *data;
		long n;

		if (!json_object_object_get_ex(o, ev_keys[t], &h))
			continue;
		str = get_str(l, h, ev_keys[t]);
		if (!str)
			return -1;
		n = emu_hex_decode(str, &data);
		if (n < 0)
			return fail(l, "\"%s\": bad hex", ev_keys[t]);
		n = emu_blob_set(&ev[t], data, (size_t)n);
		free(data);
		if (n)
			return fail(l, "out of memory");
	}
	return 0;
}

static const char *const nldev_keys[] = {
	"name",		     "tsm",	   "generation", "evidence", "digests",
	"generation_change", "bad_length", "comment",	 NULL
};

static const char *const gc_keys[] = { "after", "dumps", "report", "comment",
				       NULL };

/* "generation_change": {"after": K, "dumps": N, "report": "eagain"|"silent"} */
static int load_gc(struct ld *l, json_object *o, struct emu_nl_dev *d)
{
	json_object *v;
	const char *str;
	uint64_t n;

	if (!json_object_is_type(o, json_type_object))
		return fail(l, "\"generation_change\": expected an object");
	if (check_keys(l, o, gc_keys))
		return -1;
	d->gc_after = 1;
	d->gc_dumps = 1;
	d->gc_eagain = true;
	if (json_object_object_get_ex(o, "after", &v)) {
		if (get_u64(l, v, "after", 10, &n))
			return -1;
		d->gc_after = (unsigned int)n;
	}
	if (json_object_object_get_ex(o, "dumps", &v)) {
		if (get_u64(l, v, "dumps", 100, &n))
			return -1;
		d->gc_dumps = (unsigned int)n;
	}
	if (json_object_object_get_ex(o, "report", &v)) {
		str = get_str(l, v, "report");
		if (!str)
			return -1;
		if (strcmp(str, "eagain") && strcmp(str, "silent"))
			return fail(l, "\"report\": \"eagain\" or \"silent\"");
		d->gc_eagain = !strcmp(str, "eagain");
	}
	return 0;
}

static int load_nldev(struct ld *l, json_object *o, struct emu_nl_dev *d)
{
	json_object *v;
	const char *str;
	uint64_t n;

	if (check_keys(l, o, nldev_keys))
		return -1;
	d->tsm = true;
	d->generation = 1;
	if (!json_object_object_get_ex(o, "name", &v))
		return fail(l, "missing \"name\"");
	str = get_str(l, v, "name");
	if (!str)
		return -1;
	if (strlen(str) >= sizeof(d->name))
		return fail(l, "\"name\": at most 31 characters");
	snprintf(d->name, sizeof(d->name), "%s", str);
	if (json_object_object_get_ex(o, "tsm", &v) &&
	    get_bool(l, v, "tsm", &d->tsm))
		return -1;
	if (json_object_object_get_ex(o, "generation", &v)) {
		if (get_u64(l, v, "generation", UINT32_MAX, &n))
			return -1;
		d->generation = (uint32_t)n;
	}
	if (json_object_object_get_ex(o, "evidence", &v) &&
	    load_evidence(l, v, d->ev))
		return -1;
	if (json_object_object_get_ex(o, "digests", &v) &&
	    load_evidence(l, v, d->digest))
		return -1;
	if (json_object_object_get_ex(o, "generation_change", &v) &&
	    load_gc(l, v, d))
		return -1;
	if (json_object_object_get_ex(o, "bad_length", &v) &&
	    get_bool(l, v, "bad_length", &d->bad_length))
		return -1;
	return 0;
}

static const char *const nl_keys[] = { "family",  "family_id", "chunk",
				       "deny_admin", "refresh", "devices",
				       "comment", NULL };

/* "family": "device-evidence" (default), "pci-tsm", or false (none) */
static int load_family(struct ld *l, json_object *v, struct emu_nl *nl)
{
	const char *str;

	if (json_object_is_type(v, json_type_boolean))
		return get_bool(l, v, "family", &nl->family);
	str = get_str(l, v, "family");
	if (!str)
		return -1;
	if (!strcmp(str, EMU_DE_FAMILY_NAME))
		nl->fam = EMU_NL_FAM_DEVICE_EVIDENCE;
	else if (!strcmp(str, EMU_NL_FAMILY_NAME))
		nl->fam = EMU_NL_FAM_PCI_TSM;
	else
		return fail(l,
			    "\"family\": \"%s\" is not \"device-evidence\", \"pci-tsm\" or false",
			    str);
	return 0;
}

static int load_netlink(struct ld *l, json_object *o, struct emu_nl *nl)
{
	json_object *v;
	uint64_t n;

	snprintf(l->path, sizeof(l->path), "$.netlink");
	if (check_keys(l, o, nl_keys))
		return -1;
	nl->enabled = true;
	nl->family = true;
	if (json_object_object_get_ex(o, "family", &v) &&
	    load_family(l, v, nl))
		return -1;
	if (json_object_object_get_ex(o, "refresh", &v) &&
	    get_bool(l, v, "refresh", &nl->refresh))
		return -1;
	if (json_object_object_get_ex(o, "deny_admin", &v) &&
	    get_bool(l, v, "deny_admin", &nl->deny_admin))
		return -1;
	if (json_object_object_get_ex(o, "family_id", &v)) {
		if (get_u64(l, v, "family_id", 0xffff, &n))
			return -1;
		if (n <= EMU_NL_GENL_ID_CTRL)
			return fail(l, "\"family_id\": use 0x11..0xffff");
		nl->family_id = (uint16_t)n;
	}
	if (json_object_object_get_ex(o, "chunk", &v)) {
		if (get_u64(l, v, "chunk", 60000, &n))
			return -1;
		if (!n)
			return fail(l, "\"chunk\": must be non-zero");
		nl->chunk = (uint32_t)n;
	}
	if (!json_object_object_get_ex(o, "devices", &v))
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return fail(l, "\"devices\": expected an array");
	if (json_object_array_length(v) > EMU_NL_MAX_DEV)
		return fail(l, "\"devices\": at most %d", EMU_NL_MAX_DEV);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		snprintf(l->path, sizeof(l->path), "$.netlink.devices[%zu]", i);
		if (load_nldev(l, json_object_array_get_idx(v, i),
			       &nl->dev[nl->ndev++]))
			return -1;
	}
	return 0;
}

static const char *const top_keys[] = { "profile", "contexts", "faults",
					"netlink", "sysfs",    "btf",
					"comment", NULL };

static int load_root(struct ld *l, json_object *root, int profile_override,
		     struct emu_model *m, struct emu_scenario *s)
{
	json_object *v;
	int profile = EMU_PROFILE_V6;

	snprintf(l->path, sizeof(l->path), "$");
	if (check_keys(l, root, top_keys))
		return -1;
	if (json_object_object_get_ex(root, "profile", &v)) {
		const char *p = get_str(l, v, "profile");

		if (!p)
			return -1;
		profile = emu_profile_parse(p);
		if (profile < 0)
			return fail(l,
				    "\"profile\": unknown profile \"%s\" "
				    "(v5, v5-op, v6, v7)",
				    p);
	}
	if (profile_override >= 0)
		profile = profile_override;
	emu_model_init(m, profile);
	emu_nl_init(&s->nl, m);
	if (json_object_object_get_ex(root, "sysfs", &v)) {
		char msg[160];

		snprintf(l->path, sizeof(l->path), "$.sysfs");
		if (emu_sysfs_load(&s->sysfs, v, msg, sizeof(msg)))
			return fail(l, "%s", msg);
	}
	if (json_object_object_get_ex(root, "btf", &v)) {
		char msg[160];

		snprintf(l->path, sizeof(l->path), "$");
		if (emu_sysfs_load_btf(&s->sysfs, v, msg, sizeof(msg)))
			return fail(l, "%s", msg);
	}
	if (json_object_object_get_ex(root, "netlink", &v)) {
		s->has_nl = true;
		if (load_netlink(l, v, &s->nl))
			return -1;
	}
	if (json_object_object_get_ex(root, "contexts", &v)) {
		if (!json_object_is_type(v, json_type_array))
			return fail(l, "\"contexts\": expected an array");
		if (json_object_array_length(v) > EMU_SCN_MAX_CTX)
			return fail(l, "\"contexts\": at most %d",
				    EMU_SCN_MAX_CTX);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			snprintf(l->path, sizeof(l->path), "$.contexts[%zu]",
				 i);
			if (load_ctx(l, json_object_array_get_idx(v, i), m,
				     &s->c[s->nctx++]))
				return -1;
		}
	}
	if (json_object_object_get_ex(root, "faults", &v)) {
		if (!json_object_is_type(v, json_type_array))
			return fail(l, "\"faults\": expected an array");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			snprintf(l->path, sizeof(l->path), "$.faults[%zu]", i);
			if (load_fault(l, json_object_array_get_idx(v, i), m))
				return -1;
		}
	}
	/* fd numbers must be unique per process */
	for (int i = 0; i < s->nctx; i++)
		for (int j = 0; j < i; j++) {
			snprintf(l->path, sizeof(l->path), "$.contexts[%d]", i);
			if (s->c[i].inherit_fd >= 0 &&
			    s->c[i].inherit_fd == s->c[j].inherit_fd)
				return fail(l, "\"inherit_fd\" %d used twice",
					    s->c[i].inherit_fd);
			if (s->c[i].vmm_process && s->c[j].vmm_process &&
			    s->c[i].vmm_fd == s->c[j].vmm_fd)
				return fail(l, "\"vmm_fd\" %d used twice",
					    s->c[i].vmm_fd);
		}
	return 0;
}

int emu_scenario_load(const char *path, int profile_override,
		      struct emu_model *m, struct emu_scenario *s, char *err,
		      size_t errlen)
{
	struct ld l = { .file = path, .err = err, .errlen = errlen };
	json_object *root = NULL;
	struct tsm_err je = { 0 };
	char *buf = NULL;
	size_t len;
	int rc;

	memset(s, 0, sizeof(*s));
	emu_sysfs_init(&s->sysfs);
	if (!path) {
		emu_model_init(m, profile_override >= 0 ? profile_override :
							  EMU_PROFILE_V6);
		emu_nl_init(&s->nl, m);
		return 0;
	}
	/* tsmctl's own strict reader (lib/jsonstrict.c), bounded */
	if (tsm_load_file(path, "--scenario", 1 << 20, &buf, &len, &je) ||
	    tsm_json_parse_strict(buf, len, path, &root, &je)) {
		free(buf);
		snprintf(err, errlen, "%s: cannot parse JSON: %s", path,
			 je.msg);
		return -1;
	}
	free(buf);
	rc = load_root(&l, root, profile_override, m, s);
	json_object_put(root);
	return rc;
}

void emu_scenario_free(struct emu_scenario *s)
{
	emu_nl_free(&s->nl);
	emu_sysfs_free(&s->sysfs);
	for (int i = 0; i < s->nctx; i++)
		emu_model_free_ctx(&s->c[i].ctx);
	s->nctx = 0;
}

static int parse_action(struct emu_fault *f, char *a, char *err, size_t errlen)
{
	char *end;

	if (!strncmp(a, "ret=", 4) || !strncmp(a, "residue=", 8)) {
		f->has_residue = true;
		f->residue = strtol(strchr(a, '=') + 1, &end, 0);
	} else if (!strncmp(a, "delay=", 6)) {
		f->delay_ms = (unsigned int)strtoul(a + 6, &end, 0);
	} else if (!strncmp(a, "tsm_code=", 9)) {
		f->has_tsm_code = true;
		f->tsm_code = strtoull(a + 9, &end, 0);
	} else if (!strcmp(a, "efault_after_commit") || !strcmp(a, "efault")) {
		f->efault_after_commit = true;
		return 0;
	} else if (!strcmp(a, "after_commit")) {
		f->after_commit = true;
		return 0;
	} else if (!strncmp(a, "extack=", 7)) {
		if (!a[7] || strlen(a + 7) >= sizeof(f->extack)) {
			snprintf(err, errlen, "--faults: bad \"%s\"", a);
			return -1;
		}
		snprintf(f->extack, sizeof(f->extack), "%s", a + 7);
		return 0;
	} else if (!strcmp(a, "eagain")) {
		f->eagain_dump = true;
		return 0;
	} else {
		f->err = emu_errno_parse(a);
		if (f->err > 0)
			return 0;
		snprintf(err, errlen, "--faults: unknown action \"%s\"", a);
		return -1;
	}
	if (*end || end == strchr(a, '=') + 1) {
		snprintf(err, errlen, "--faults: bad number in \"%s\"", a);
		return -1;
	}
	return 0;
}

/* RULE = KIND[:NTH|*]:ACTION[+ACTION...], rules separated by commas */
static int parse_rule(struct emu_model *m, char *rule, char *err, size_t errlen)
{
	struct emu_fault f = { 0 };
	char *parts[3], *sp, *a, *end;
	int n = 0;

	for (char *p = strtok_r(rule, ":", &sp); p;
	     p = strtok_r(NULL, ":", &sp)) {
		if (n == 3)
			goto bad;
		parts[n++] = p;
	}
	if (n < 2)
		goto bad;
	f.kind = emu_kind_parse(parts[0]);
	if (f.kind < 0) {
		snprintf(err, errlen, "--faults: unknown call kind \"%s\"",
			 parts[0]);
		return -1;
	}
	if (n == 3 && strcmp(parts[1], "*")) {
		f.nth = (unsigned int)strtoul(parts[1], &end, 10);
		if (*end || !f.nth)
			goto bad;
	}
	for (a = strtok_r(parts[n - 1], "+", &sp); a;
	     a = strtok_r(NULL, "+", &sp))
		if (parse_action(&f, a, err, errlen))
			return -1;
	if (emu_add_fault(m, &f)) {
		snprintf(err, errlen, "--faults: too many rules");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "--faults: bad rule \"%s\" (KIND[:NTH|*]:ACTION)",
		 rule);
	return -1;
}

int emu_faults_parse(struct emu_model *m, const char *spec, char *err,
		     size_t errlen)
{
	char *copy = strdup(spec), *sp, *r;
	int rc = 0;

	if (!copy)
		return -1;
	for (r = strtok_r(copy, ",", &sp); r && !rc;
	     r = strtok_r(NULL, ",", &sp))
		rc = parse_rule(m, r, err, errlen);
	free(copy);
	return rc;
}
