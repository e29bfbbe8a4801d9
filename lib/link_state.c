// SPDX-License-Identifier: GPL-2.0
/*
 * Reading back what the sysfs steps around bind change
 * (docs/kernel-abi.md, "sysfs writes"): a device's tsm/ attributes and
 * authenticated, its bound driver, its host bridge's IDE stream links and
 * available_secure_streams, and the TSM class's link to that bridge.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link.h"
#include "sysfs.h"

static const struct {
	const char *name;
	bool readable;
} attrs[TSM_LA_COUNT] = {
	[TSM_LA_CONNECT] = { "connect", true },
	[TSM_LA_DISCONNECT] = { "disconnect", false },
	[TSM_LA_DSM] = { "dsm", true },
	[TSM_LA_BOUND] = { "bound", true },
	[TSM_LA_LOCK] = { "lock", true },
	[TSM_LA_UNLOCK] = { "unlock", false },
	[TSM_LA_ACCEPT] = { "accept", true },
	[TSM_LA_AUTHENTICATED] = { "authenticated", true },
};

const char *tsm_link_attr_name(unsigned int a)
{
	return a < TSM_LA_COUNT ? attrs[a].name : "?";
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

void tsm_link_list_tsms(const char *root, struct tsm_link_tsms *t)
{
	char dir[256], path[512];
	struct dirent *de;
	DIR *dp;

	memset(t, 0, sizeof(*t));
	snprintf(dir, sizeof(dir), "%s/sys/class/tsm", root ? root : "");
	dp = opendir(dir);
	if (!dp)
		return;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 32)
			continue;
		if (t->n == TSM_LINK_MAX_TSMS) {
			t->more = true;
			continue;
		}
		tsm_strscpy(t->name[t->n++], de->d_name, sizeof(t->name[0]));
	}
	closedir(dp);
	qsort(t->name, t->n, sizeof(t->name[0]), cmp_name);
	for (unsigned int i = 0; i < t->n; i++) {
		snprintf(path, sizeof(path), "%s/%s/pci_mode", dir, t->name[i]);
		tsm_sysfs_read_line(path, t->pci_mode[i],
				    sizeof(t->pci_mode[i]));
	}
}

/* "pciDDDD:BB": the component of @real right below ROOT/sys/devices */
static void find_bridge(const char *root, const char *real, char *out,
			size_t len)
{
	char path[256], base[PATH_MAX];
	const char *p;
	size_t n;

	out[0] = 0;
	snprintf(path, sizeof(path), "%s/sys/devices", root);
	if (!realpath(path, base))
		return;
	n = strlen(base);
	if (strncmp(real, base, n) || real[n] != '/')
		return;
	p = real + n + 1;
	if (!strncmp(p, "pci", 3) && strcspn(p, "/") == 10 && p[7] == ':')
		snprintf(out, len, "%.10s", p);
}

static void read_streams(const char *root, struct tsm_link_state *s)
{
	char dir[256], path[600], tgt[PATH_MAX];
	struct dirent *de;
	DIR *dp;
	ssize_t n;

	snprintf(dir, sizeof(dir), "%s/sys/devices/%s", root, s->bridge);
	snprintf(path, sizeof(path), "%s/available_secure_streams", dir);
	tgt[0] = 0;
	tsm_sysfs_read_line(path, tgt, sizeof(tgt));
	s->avail_streams = tgt[0] ? strtol(tgt, NULL, 10) : -1;
	dp = opendir(dir);
	if (!dp)
		return;
	while ((de = readdir(dp)) && s->nstreams < TSM_LINK_MAX_STREAMS) {
		const char *base;

		if (strncmp(de->d_name, "stream", 6) ||
		    strlen(de->d_name) >= sizeof(s->streams[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, tgt, sizeof(tgt) - 1);
		if (n <= 0)
			continue;
		tgt[n] = 0;
		base = strrchr(tgt, '/') ? strrchr(tgt, '/') + 1 : tgt;
		if (!strcmp(base, s->bdf))
			tsm_strscpy(s->streams[s->nstreams++], de->d_name,
				    sizeof(s->streams[0]));
	}
	closedir(dp);
	qsort(s->streams, s->nstreams, sizeof(s->streams[0]), cmp_name);
}

/* the class link of @tsm (or of the first TSM that has one) */
static void read_class_link(const char *root, const char *tsm,
			    struct tsm_link_state *s)
{
	struct tsm_link_tsms t;
	char path[512];
	struct stat st;

	tsm_link_list_tsms(root, &t);
	for (unsigned int i = 0; i < t.n; i++) {
		if (tsm && *tsm && strcmp(tsm, t.name[i]))
			continue;
		snprintf(path, sizeof(path), "%s/sys/class/tsm/%s/%s", root,
			 t.name[i], s->bridge);
		if (!lstat(path, &st)) {
			s->class_link = true;
			tsm_strscpy(s->class_link_tsm, t.name[i],
				    sizeof(s->class_link_tsm));
			return;
		}
	}
}

static void read_attrs(const char *dev, struct tsm_link_state *s)
{
	char path[600];
	struct stat st;

	for (unsigned int a = 0; a < TSM_LA_COUNT; a++) {
		struct tsm_link_val *v = &s->attr[a];

		snprintf(path, sizeof(path), "%s/%s%s", dev,
			 a == TSM_LA_AUTHENTICATED ? "" : "tsm/",
			 attrs[a].name);
		v->present = !stat(path, &st);
		v->readable = v->present && attrs[a].readable;
		if (v->readable)
			tsm_sysfs_read_line(path, v->value, sizeof(v->value));
	}
}

void tsm_link_read_state(const char *root, const char *bdf, const char *tsm,
			 struct tsm_link_state *s)
{
	char dev[256], path[600], real[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (!root)
		root = "";
	memset(s, 0, sizeof(*s));
	s->avail_streams = -1;
	tsm_strscpy(s->bdf, bdf, sizeof(s->bdf));
	snprintf(dev, sizeof(dev), "%s/sys/bus/pci/devices/%s", root, bdf);
	s->exists = !stat(dev, &st) && S_ISDIR(st.st_mode);
	if (!s->exists)
		return;
	snprintf(path, sizeof(path), "%s/tsm", dev);
	s->has_tsm = !stat(path, &st) && S_ISDIR(st.st_mode);
	read_attrs(dev, s);
	snprintf(path, sizeof(path), "%s/driver", dev);
	n = readlink(path, real, sizeof(real) - 1);
	if (n > 0) {
		real[n] = 0;
		tsm_strscpy(s->driver,
			    strrchr(real, '/') ? strrchr(real, '/') + 1 : real,
			    sizeof(s->driver));
	}
	if (!realpath(dev, real))
		return;
	find_bridge(root, real, s->bridge, sizeof(s->bridge));
	if (!s->bridge[0])
		return;
	read_streams(root, s);
	read_class_link(root, tsm, s);
}
