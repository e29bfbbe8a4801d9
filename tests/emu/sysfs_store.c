// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu sysfs model: what a write by COMMAND does (transport-free).
 * The checks and their order follow the kernel's store functions for
 * tsm/connect, disconnect (mainline), lock, unlock, accept (staging), a
 * driver's bind/unbind and drivers_probe; fault rules ("call": "connect",
 * ...) act once those checks passed, like the TSM or the SPDM exchange
 * failing. The project's docs/kernel-abi.md, "sysfs writes".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model_int.h"
#include "sysfs.h"

enum target { T_NONE, T_ATTR, T_UNBIND, T_BIND, T_PROBE };

struct path {
	enum target t;
	int kind; /* enum emu_kind for T_ATTR */
	char bdf[16]; /* T_ATTR */
	char driver[32]; /* T_UNBIND, T_BIND */
};

static const struct {
	const char *name;
	int kind;
} attrs[] = {
	{ "connect", EMU_K_CONNECT }, { "disconnect", EMU_K_DISCONNECT },
	{ "lock", EMU_K_LOCK },	      { "unlock", EMU_K_UNLOCK },
	{ "accept", EMU_K_ACCEPT },
};

static void parse_path(const char *rel, struct path *p)
{
	const char *t = strstr(rel, "/tsm/"), *b;
	int n = 0;

	memset(p, 0, sizeof(*p));
	if (!strcmp(rel, "bus/pci/drivers_probe")) {
		p->t = T_PROBE;
		return;
	}
	if (sscanf(rel, "bus/pci/drivers/%31[^/]/%n", p->driver, &n) == 1 &&
	    n) {
		if (!strcmp(rel + n, "unbind"))
			p->t = T_UNBIND;
		else if (!strcmp(rel + n, "bind"))
			p->t = T_BIND;
		return;
	}
	if (!t || t - rel < 12)
		return;
	b = t - 12;
	if (b != rel && b[-1] != '/')
		return;
	snprintf(p->bdf, sizeof(p->bdf), "%.12s", b);
	if (!emu_sysfs_bdf_ok(p->bdf))
		return;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (!strcmp(t + 5, attrs[i].name)) {
			p->t = T_ATTR;
			p->kind = attrs[i].kind;
		}
}

bool emu_sysfs_writable(const char *rel)
{
	struct path p;

	parse_path(rel, &p);
	return p.t != T_NONE;
}

/* sysfs_streq(): equal but for one trailing newline on either side */
static bool streq(const char *a, const char *b)
{
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

	return la == lb && !strncmp(a, b, la) && !a[la + (a[la] == '\n')] &&
	       !b[lb + (b[lb] == '\n')];
}

/* kstrtobool(): 1 true, 0 false, -1 invalid */
static int strtobool(const char *s)
{
	switch (s[0]) {
	case 'y':
	case 'Y':
	case 't':
	case 'T':
	case '1':
		return 1;
	case 'n':
	case 'N':
	case 'f':
	case 'F':
	case '0':
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N')
			return 1;
		if (s[1] == 'f' || s[1] == 'F')
			return 0;
	}
	return -1;
}

/* "tsmN" as the kernel's sscanf("tsm%d\n") takes it, into @name */
static bool tsm_name(const char *buf, char name[16])
{
	int id;

	if (sscanf(buf, "tsm%d", &id) != 1)
		return false;
	snprintf(name, 16, "tsm%d", id);
	return true;
}

static bool has_tsm(const struct emu_sysfs *fs, const char *name)
{
	for (int i = 0; i < fs->ntsms; i++)
		if (!strcmp(fs->tsms[i], name))
			return true;
	return false;
}

static bool devsec(const struct emu_sysfs *fs)
{
	return !fs->mainline && !strcmp(fs->pci_mode, "devsec");
}

/* the fault's errno before the change (not after_commit), or 0 */
static int fault_before(const struct emu_sysfs_store *st)
{
	return st->faulted && !st->fault.after_commit ? st->fault.err : 0;
}

static int fault_after(const struct emu_sysfs_store *st)
{
	return st->faulted ? st->fault.err : 0;
}

static int do_connect(struct emu_sysfs *fs, struct emu_sysfs_dev *d,
		      const char *buf, struct emu_sysfs_store *st)
{
	char name[16];
	int err;

	if (!tsm_name(buf, name))
		return EINVAL;
	if (d->connected[0])
		return EBUSY;
	if (!has_tsm(fs, name) || devsec(fs))
		return ENXIO;
	err = fault_before(st);
	if (err)
		return err;
	snprintf(d->connected, sizeof(d->connected), "%s", name);
	if (d->ide)
		d->stream = emu_sysfs_free_stream(fs, d);
	return fault_after(st);
}

/* pci_tsm_unbind_all(): every TDI of the DSM's functions */
static void unbind_slot(struct emu_sysfs *fs, const struct emu_sysfs_dev *dsm)
{
	for (int i = 0; i < fs->ndev; i++) {
		struct emu_vdev *v = emu_sysfs_vdev(&fs->dev[i]);

		if (v && v->bound_to &&
		    !strncmp(fs->dev[i].bdf, dsm->bdf, 11)) {
			v->bound_to = 0;
			emu_vdev_reset_tdi(v);
		}
	}
}

static int do_disconnect(struct emu_sysfs *fs, struct emu_sysfs_dev *d,
			 const char *buf, struct emu_sysfs_store *st)
{
	int err;

	if (!d->connected[0])
		return ENXIO;
	if (!streq(buf, d->connected))
		return EINVAL;
	err = fault_before(st);
	if (err)
		return err;
	unbind_slot(fs, d);
	d->connected[0] = 0;
	d->stream = -1;
	return fault_after(st);
}

static int do_lock(struct emu_sysfs *fs, struct emu_sysfs_dev *d,
		   const char *buf, struct emu_sysfs_store *st)
{
	char name[16];
	int err;

	if (!tsm_name(buf, name))
		return EINVAL;
	if (emu_sysfs_tdi_state(d) != EMU_TDI_UNLOCKED)
		return EBUSY;
	if (!has_tsm(fs, name) || !devsec(fs))
		return ENXIO;
	if (d->driver[0])
		return EBUSY;
	err = fault_before(st);
	if (err)
		return err;
	emu_sysfs_set_state(d, EMU_TDI_LOCKED);
	snprintf(d->lock_tsm, sizeof(d->lock_tsm), "%s", name);
	return fault_after(st);
}

static int do_unlock(struct emu_sysfs *fs, struct emu_sysfs_dev *d,
		     const char *buf, struct emu_sysfs_store *st)
{
	const char *holder = d->lock_tsm[0] ? d->lock_tsm : fs->tsms[0];
	int err;

	if (emu_sysfs_tdi_state(d) == EMU_TDI_UNLOCKED)
		return EINVAL;
	if (!streq(buf, holder))
		return EINVAL;
	if (d->driver[0])
		return EBUSY;
	err = fault_before(st);
	if (err)
		return err;
	emu_sysfs_set_state(d, EMU_TDI_UNLOCKED);
	d->lock_tsm[0] = 0;
	return fault_after(st);
}

static int do_accept(struct emu_sysfs_dev *d, const char *buf,
		     struct emu_sysfs_store *st)
{
	int st0 = emu_sysfs_tdi_state(d), err;

	if (strtobool(buf) != 1) /* no "unaccept" verb */
		return EINVAL;
	if (st0 == EMU_TDI_UNLOCKED)
		return EINVAL;
	if (d->driver[0])
		return EBUSY;
	if (st0 != EMU_TDI_LOCKED) /* RUN or ERROR: *model choice* */
		return EINVAL;
	err = fault_before(st);
	if (err)
		return err;
	emu_sysfs_set_state(d, EMU_TDI_RUN);
	return fault_after(st);
}

static int do_driver(struct emu_sysfs *fs, const struct path *p,
		     const char *buf)
{
	char bdf[16];
	struct emu_sysfs_dev *d;

	snprintf(bdf, sizeof(bdf), "%.*s", (int)strcspn(buf, "\n"), buf);
	d = emu_sysfs_find(fs, bdf);
	if (!d)
		return ENODEV;
	switch (p->t) {
	case T_UNBIND:
		if (strcmp(d->driver, p->driver))
			return ENODEV;
		snprintf(d->probe_driver, sizeof(d->probe_driver), "%s",
			 d->driver);
		d->driver[0] = 0;
		return 0;
	case T_BIND:
		if (d->driver[0])
			return EBUSY;
		snprintf(d->driver, sizeof(d->driver), "%s", p->driver);
		return 0;
	default: /* drivers_probe: binds what matches, if nothing is */
		if (!d->driver[0] && d->probe_driver[0])
			snprintf(d->driver, sizeof(d->driver), "%s",
				 d->probe_driver);
		return 0;
	}
}

int emu_sysfs_store(struct emu_sysfs *fs, const char *rel, const char *buf,
		    size_t len, struct emu_sysfs_store *st)
{
	struct emu_sysfs_dev *d;
	struct path p;
	char b[128];

	memset(st, 0, sizeof(*st));
	st->kind = -1;
	snprintf(b, sizeof(b), "%.*s", (int)(len < sizeof(b) ? len : 0), buf);
	if (len >= sizeof(b) || strlen(b) != len)
		return EINVAL;
	parse_path(rel, &p);
	if (p.t == T_NONE)
		return EIO;
	if (p.t != T_ATTR)
		return do_driver(fs, &p, b);
	snprintf(st->bdf, sizeof(st->bdf), "%s", p.bdf);
	st->kind = p.kind;
	st->faulted = fs->model &&
		      emu_fault_take(fs->model, p.kind, &st->fault);
	d = emu_sysfs_find(fs, p.bdf);
	if (!d)
		return ENOENT;
	switch (p.kind) {
	case EMU_K_CONNECT:
		return do_connect(fs, d, b, st);
	case EMU_K_DISCONNECT:
		return do_disconnect(fs, d, b, st);
	case EMU_K_LOCK:
		return do_lock(fs, d, b, st);
	case EMU_K_UNLOCK:
		return do_unlock(fs, d, b, st);
	default:
		return do_accept(d, b, st);
	}
}
