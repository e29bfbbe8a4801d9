// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu sysfs model, transport-free: the PCI TSM attributes each device
 * shows (mainline or staging shape, pci_mode link or devsec), and what a
 * write to tsm/connect, disconnect, lock, unlock, accept, a driver's
 * unbind/bind or drivers_probe does, with the kernel's errnos (the
 * project's docs/kernel-abi.md, "sysfs writes"; README.md here).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "model_int.h"
#include "sysfs.h"

#define ABSENT "\x01"

/* ---- files ---- */

/* mkdir -p the parents of @path under @dirfd */
static int mkparents(int dirfd, const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = strchr(buf, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (mkdirat(dirfd, buf, 0755) && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

int emu_sysfs_put(int dirfd, const char *path, const void *data, size_t len,
		  mode_t mode)
{
	char tmp[PATH_MAX];
	int fd, rc = -1;

	if (mkparents(dirfd, path))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tsm-emu-new", path);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if ((!len || write(fd, data, len) == (ssize_t)len) && !fchmod(fd, mode))
		rc = renameat(dirfd, tmp, dirfd, path);
	close(fd);
	if (rc)
		unlinkat(dirfd, tmp, 0);
	return rc;
}

/* @path holds @s with @mode already? */
static bool same_file(int dirfd, const char *path, const char *s, mode_t mode)
{
	char buf[64];
	struct stat st;
	ssize_t n;
	int fd;

	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) ||
	    !S_ISREG(st.st_mode) || (st.st_mode & 07777) != mode ||
	    st.st_size != (off_t)strlen(s) || st.st_size >= (off_t)sizeof(buf))
		return false;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == st.st_size && !memcmp(buf, s, n);
}

/* @path holds @s (@s ABSENT: it does not exist), written only on change */
static int sync_file(int dirfd, const char *path, const char *s, mode_t mode)
{
	if (!strcmp(s, ABSENT)) {
		if (unlinkat(dirfd, path, 0) && errno != ENOENT)
			return -1;
		return 0;
	}
	if (same_file(dirfd, path, s, mode))
		return 0;
	return emu_sysfs_put(dirfd, path, s, strlen(s), mode);
}

/* @path is a symlink to @target (NULL: absent) */
static int sync_link(int dirfd, const char *path, const char *target)
{
	char cur[PATH_MAX], tmp[PATH_MAX];
	ssize_t n = readlinkat(dirfd, path, cur, sizeof(cur) - 1);

	if (n >= 0)
		cur[n] = 0;
	if (!target) {
		if (n >= 0 && unlinkat(dirfd, path, 0))
			return -1;
		return 0;
	}
	if (n >= 0 && !strcmp(cur, target))
		return 0;
	if (mkparents(dirfd, path))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tsm-emu-new", path);
	unlinkat(dirfd, tmp, 0);
	if (symlinkat(target, dirfd, tmp))
		return -1;
	return renameat(dirfd, tmp, dirfd, path);
}

/* ---- devices ---- */

struct emu_sysfs_dev *emu_sysfs_find(struct emu_sysfs *fs, const char *bdf)
{
	for (int i = 0; i < fs->ndev; i++)
		if (!strcmp(fs->dev[i].bdf, bdf))
			return &fs->dev[i];
	return NULL;
}

struct emu_sysfs_dev *emu_sysfs_add(struct emu_sysfs *fs, const char *bdf)
{
	struct emu_sysfs_dev *d = emu_sysfs_find(fs, bdf);

	if (d || fs->ndev == EMU_SYSFS_MAX_DEV)
		return d;
	d = &fs->dev[fs->ndev++];
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->tsm = d->ide = true;
	snprintf(d->connected, sizeof(d->connected), ABSENT); /* default */
	d->stream = -1;
	return d;
}

static bool is_fn0(const struct emu_sysfs_dev *d)
{
	return d->bdf[11] == '0';
}

/* function 0 of @d's slot: its DSM */
struct emu_sysfs_dev *emu_sysfs_dsm_of(struct emu_sysfs *fs,
				       const struct emu_sysfs_dev *d)
{
	char b[16];

	snprintf(b, sizeof(b), "%.11s0", d->bdf);
	return emu_sysfs_find(fs, b);
}

struct emu_vdev *emu_sysfs_vdev(const struct emu_sysfs_dev *d)
{
	return d->ctx ? emu_ctx_find(d->ctx, d->vdev_id) : NULL;
}

int emu_sysfs_tdi_state(const struct emu_sysfs_dev *d)
{
	struct emu_vdev *v = emu_sysfs_vdev(d);

	return v ? v->state : d->state;
}

void emu_sysfs_set_state(struct emu_sysfs_dev *d, int st)
{
	struct emu_vdev *v = emu_sysfs_vdev(d);

	if (!v) {
		d->state = st;
	} else if (st == EMU_TDI_UNLOCKED) {
		v->state = st;
		v->nmmio = 0; /* as SET_TDI_STATE to UNLOCKED */
	} else {
		v->state = st;
	}
}

static int get_string(json_object *v, const char *key, char *out, size_t len,
		      char *err, size_t errlen)
{
	const char *s;

	if (json_object_is_type(v, json_type_null)) {
		out[0] = 0;
		return 0;
	}
	s = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) :
		    NULL;
	if (!s || strlen(s) >= len || strchr(s, '/') || !strcmp(s, ".") ||
	    !strcmp(s, "..")) {
		snprintf(err, errlen, "\"%s\": expected null or a name", key);
		return -1;
	}
	snprintf(out, len, "%s", s);
	return 0;
}

static int load_dev(struct emu_sysfs_dev *d, json_object *o, char *err,
		    size_t errlen)
{
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "\"devices\": \"%s\": expected an object",
			 d->bdf);
		return -1;
	}
	json_object_object_foreach(o, key, v) {
		int st;

		if (!strcmp(key, "comment"))
			continue;
		if (!strcmp(key, "tsm") || !strcmp(key, "ide")) {
			if (!json_object_is_type(v, json_type_boolean)) {
				snprintf(err, errlen,
					 "\"%s\": expected a boolean", key);
				return -1;
			}
			*(!strcmp(key, "tsm") ? &d->tsm : &d->ide) =
				json_object_get_boolean(v);
		} else if (!strcmp(key, "connected")) {
			if (!is_fn0(d)) {
				snprintf(
					err, errlen,
					"\"connected\": only function 0 (the DSM) of %s connects",
					d->bdf);
				return -1;
			}
			if (get_string(v, key, d->connected,
				       sizeof(d->connected), err, errlen))
				return -1;
		} else if (!strcmp(key, "driver") ||
			   !strcmp(key, "probe_driver")) {
			if (get_string(v, key,
				       !strcmp(key, "driver") ? d->driver :
								d->probe_driver,
				       sizeof(d->driver), err, errlen))
				return -1;
		} else if (!strcmp(key, "state")) {
			st = json_object_is_type(v, json_type_string) ?
				     emu_state_parse(
					     json_object_get_string(v)) :
				     -1;
			if (st < 0 || st > EMU_TDI_RUN) {
				snprintf(err, errlen,
					 "\"state\": UNLOCKED, LOCKED or RUN");
				return -1;
			}
			d->state = st;
			d->has_state = true;
		} else {
			snprintf(err, errlen, "\"devices\": unknown key \"%s\"",
				 key);
			return -1;
		}
	}
	return 0;
}

int emu_sysfs_load_devices(struct emu_sysfs *fs, void *json, char *err,
			   size_t errlen)
{
	json_object *o = json;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "\"devices\": expected an object");
		return -1;
	}
	json_object_object_foreach(o, bdf, v) {
		struct emu_sysfs_dev *d;

		if (!emu_sysfs_bdf_ok(bdf)) {
			snprintf(err, errlen,
				 "\"devices\": \"%s\" is not like 0000:01:00.0",
				 bdf);
			return -1;
		}
		d = emu_sysfs_add(fs, bdf);
		if (!d) {
			snprintf(err, errlen, "\"devices\": at most %d",
				 EMU_SYSFS_MAX_DEV);
			return -1;
		}
		if (load_dev(d, v, err, errlen))
			return -1;
	}
	return 0;
}

int emu_sysfs_finish_devices(struct emu_sysfs *fs, char *err, size_t errlen)
{
	bool guest = !fs->mainline && !strcmp(fs->pci_mode, "devsec");
	char b[16];

	if (!fs->ntsms)
		snprintf(fs->tsms[fs->ntsms++], sizeof(fs->tsms[0]), "tsm0");
	if (!fs->streams)
		fs->streams = 4;
	for (int i = 0, n = fs->ndev; i < n; i++) {
		snprintf(b, sizeof(b), "%.11s0", fs->dev[i].bdf);
		if (!emu_sysfs_add(fs, b)) {
			snprintf(err, errlen, "more than %d PCI devices",
				 EMU_SYSFS_MAX_DEV);
			return -1;
		}
	}
	for (int i = 0; i < fs->ndev; i++) {
		struct emu_sysfs_dev *d = &fs->dev[i];
		struct emu_vdev *v = emu_sysfs_vdev(d);

		/* fn0 starts connected, as before the fixture modeled
		 * connect; a devsec guest has no link */
		if (!strcmp(d->connected, ABSENT) || guest)
			snprintf(d->connected, sizeof(d->connected), "%s",
				 is_fn0(d) && !guest && d->tsm ? fs->tsms[0] :
								 "");
		if (v && d->has_state)
			v->state = d->state;
	}
	/* a connected DSM with IDE holds a stream from the start */
	for (int i = 0; i < fs->ndev; i++)
		if (fs->dev[i].connected[0] && fs->dev[i].ide)
			fs->dev[i].stream =
				-2; /* allocated by the first render */
	return 0;
}

/* ---- rendering ---- */

static bool same_bridge(const struct emu_sysfs_dev *a,
			const struct emu_sysfs_dev *b)
{
	return !strncmp(a->bdf, b->bdf, 4);
}

int emu_sysfs_free_stream(const struct emu_sysfs *fs,
			  const struct emu_sysfs_dev *d)
{
	for (int s = 0; s < fs->streams; s++) {
		bool used = false;

		for (int i = 0; i < fs->ndev; i++)
			used |= same_bridge(&fs->dev[i], d) &&
				fs->dev[i].stream == s;
		if (!used)
			return s;
	}
	return -1;
}

/* the content of each attribute of @d ("" empty, ABSENT not there) */
static void dev_values(struct emu_sysfs *fs, struct emu_sysfs_dev *d,
		       char val[8][40])
{
	struct emu_sysfs_dev *dsm = emu_sysfs_dsm_of(fs, d);
	const char *conn = dsm ? dsm->connected : "";
	struct emu_vdev *v = emu_sysfs_vdev(d);
	bool devsec = !fs->mainline && !strcmp(fs->pci_mode, "devsec");
	bool managed = is_fn0(d) || conn[0];
	int st = emu_sysfs_tdi_state(d);

	for (int i = 0; i < 8; i++)
		snprintf(val[i], 40, ABSENT);
	if (!d->tsm)
		return;
	if (!devsec) {
		if (is_fn0(d)) {
			snprintf(val[0], 40, "%s%s", conn, conn[0] ? "\n" : "");
			snprintf(val[1], 40, "%s", "");
		}
		if (managed) {
			snprintf(val[2], 40, "%s%s", conn[0] ? dsm->bdf : "",
				 conn[0] ? "\n" : "");
			snprintf(val[3], 40, "%s",
				 v && v->bound_to ? conn[0] ? conn : "tsm0" :
						    "");
			if (val[3][0])
				strcat(val[3], "\n");
			snprintf(val[7], 40, "%s%s", conn, conn[0] ? "\n" : "");
		}
	}
	if (fs->mainline)
		return;
	if (st == EMU_TDI_LOCKED || st == EMU_TDI_RUN)
		snprintf(val[4], 40, "%s\n",
			 d->lock_tsm[0] ? d->lock_tsm : fs->tsms[0]);
	else
		snprintf(val[4], 40, "%s", "");
	snprintf(val[5], 40, "%s", "");
	snprintf(val[6], 40, "%s\n", st == EMU_TDI_RUN ? "1" : "0");
}

static const struct {
	const char *name;
	mode_t mode;
} dev_files[8] = {
	{ "tsm/connect", 0644 }, { "tsm/disconnect", 0200 },
	{ "tsm/dsm", 0444 },	 { "tsm/bound", 0444 },
	{ "tsm/lock", 0644 },	 { "tsm/unlock", 0200 },
	{ "tsm/accept", 0644 },	 { "authenticated", 0444 },
};

void emu_sysfs_note_dsm(struct emu_sysfs *fs, struct emu_sysfs_dev *d)
{
	struct emu_sysfs_dev *dsm = emu_sysfs_dsm_of(fs, d);
	struct emu_vdev *v = emu_sysfs_vdev(d);

	if (v) /* pci_tsm_bind() needs the DSM connected */
		v->dsm_unconnected = !dsm || !dsm->connected[0];
}

static int render_dev(struct emu_sysfs *fs, int dirfd, struct emu_sysfs_dev *d)
{
	char val[8][40], dir[80], p[200], t[200];
	emu_sysfs_note_dsm(fs, d);
	snprintf(dir, sizeof(dir), "devices/pci%.4s:00/%s", d->bdf, d->bdf);
	snprintf(p, sizeof(p), "bus/pci/devices/%s", d->bdf);
	snprintf(t, sizeof(t), "../../../%s", dir);
	if (sync_link(dirfd, p, t))
		return -1;
	snprintf(p, sizeof(p), "%s/%s", dir, d->tsm ? "tsm/" : "");
	if (mkparents(dirfd, p))
		return -1;
	dev_values(fs, d, val);
	for (int i = 0; i < 8; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, dev_files[i].name);
		if (sync_file(dirfd, p, val[i], dev_files[i].mode))
			return -1;
	}
	snprintf(p, sizeof(p), "%s/driver", dir);
	snprintf(t, sizeof(t), "../../../bus/pci/drivers/%s", d->driver);
	return sync_link(dirfd, p, d->driver[0] ? t : NULL);
}

/* driver directories, drivers_probe, and per host bridge: streams */
static int render_bus(struct emu_sysfs *fs, int dirfd)
{
	char p[200], t[80];

	if (sync_file(dirfd, "bus/pci/drivers_probe", "", 0200))
		return -1;
	for (int i = 0; i < fs->ndev; i++) {
		struct emu_sysfs_dev *d = &fs->dev[i];
		const char *drv[2] = { d->driver, d->probe_driver };
		int avail = fs->streams;

		for (int k = 0; k < 2; k++) {
			static const char *const f[2] = { "bind", "unbind" };

			for (int j = 0; drv[k][0] && j < 2; j++) {
				snprintf(p, sizeof(p), "bus/pci/drivers/%s/%s",
					 drv[k], f[j]);
				if (sync_file(dirfd, p, "", 0200))
					return -1;
			}
		}
		for (int s = 0; s < fs->streams; s++) {
			struct emu_sysfs_dev *o = NULL;

			for (int j = 0; j < fs->ndev; j++)
				if (same_bridge(&fs->dev[j], d) &&
				    fs->dev[j].stream == s)
					o = &fs->dev[j];
			snprintf(p, sizeof(p),
				 "devices/pci%.4s:00/stream%d.0.0", d->bdf, s);
			if (sync_link(dirfd, p, o ? o->bdf : NULL))
				return -1;
			avail -= !!o;
		}
		snprintf(p, sizeof(p),
			 "devices/pci%.4s:00/available_secure_streams", d->bdf);
		snprintf(t, sizeof(t), "%d\n", avail);
		if (sync_file(dirfd, p, t, 0444))
			return -1;
		for (int k = 0; k < fs->ntsms; k++) {
			snprintf(p, sizeof(p), "class/tsm/%s/pci%.4s:00",
				 fs->tsms[k], d->bdf);
			snprintf(t, sizeof(t), "../../../devices/pci%.4s:00",
				 d->bdf);
			if (sync_link(dirfd, p,
				      !fs->mainline && avail < fs->streams ?
					      t :
					      NULL))
				return -1;
		}
	}
	return 0;
}

int emu_sysfs_render(struct emu_sysfs *fs, int dirfd, bool all)
{
	char p[80], mode[24];

	if (all) {
		snprintf(mode, sizeof(mode), "%s\n", fs->pci_mode);
		for (int k = 0; k < fs->ntsms; k++) {
			snprintf(p, sizeof(p), "class/tsm/%s/", fs->tsms[k]);
			if (mkparents(dirfd, p))
				return -1;
			snprintf(p, sizeof(p), "class/tsm/%s/pci_mode",
				 fs->tsms[k]);
			if (!fs->mainline && sync_file(dirfd, p, mode, 0444))
				return -1;
		}
	}
	for (int i = 0; i < fs->ndev; i++) {
		struct emu_sysfs_dev *d = &fs->dev[i];

		if (d->stream == -2)
			d->stream = emu_sysfs_free_stream(fs, d);
		if (render_dev(fs, dirfd, d))
			return -1;
	}
	return render_bus(fs, dirfd);
}
