// SPDX-License-Identifier: GPL-2.0
/*
 * PCI TSM sysfs scanning (read-only).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs.h"
#include "util.h"

static const struct {
	const char *name;
	bool readable;
	bool staging; /* not in mainline (7.0/7.1) */
} dev_attrs[TSM_SYSFS_NATTRS] = {
	{ "connect", true, false }, { "disconnect", false, false },
	{ "dsm", true, false },	    { "bound", true, false },
	{ "lock", true, true },	    { "unlock", false, true },
	{ "accept", true, true },   { NULL, false, false },
};

/* "pciDDDD:BB", the host-bridge link of a TSM class device (not pci_mode) */
static bool is_host_bridge_link(const char *n)
{
	size_t i;

	if (strncmp(n, "pci", 3) || strlen(n) != 10 || n[7] != ':')
		return false;
	for (i = 3; i < 10; i++)
		if (i != 7 && !isxdigit((unsigned char)n[i]))
			return false;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

void tsm_sysfs_read_line(const char *path, char *out, size_t len)
{
	ssize_t n;
	int fd;

	out[0] = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	n = read(fd, out, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
}

int tsm_bdf_check(const char *s)
{
	unsigned int d, b, dev, f;
	char end;

	if (strlen(s) != 12 ||
	    sscanf(s, "%4x:%2x:%2x.%1x%c", &d, &b, &dev, &f, &end) != 4 ||
	    s[4] != ':' || s[7] != ':' || s[10] != '.' || dev > 0x1f || f > 7)
		return -EINVAL;
	for (d = 0; d < 12; d++)
		if (d != 4 && d != 7 && d != 10 &&
		    !isxdigit((unsigned char)s[d]))
			return -EINVAL;
	return 0;
}

static void scan_classes(struct tsm_sysfs *s)
{
	char dir[192], path[512];
	struct dirent *de;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/sys/class/tsm", s->root);
	dp = opendir(dir);
	if (!dp)
		return;
	s->class_dir = true;
	while ((de = readdir(dp)) && s->nclasses < TSM_SYSFS_MAX_CLASSES) {
		struct tsm_sysfs_class *c;
		struct dirent *de2;
		DIR *dp2;

		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= sizeof(c->name))
			continue;
		c = &s->classes[s->nclasses++];
		memset(c, 0, sizeof(*c));
		tsm_strscpy(c->name, de->d_name, sizeof(c->name));
		snprintf(path, sizeof(path), "%s/%s/pci_mode", dir, de->d_name);
		c->has_pci_mode = !access(path, F_OK);
		tsm_sysfs_read_line(path, c->pci_mode, sizeof(c->pci_mode));
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		dp2 = opendir(path);
		while (dp2 && (de2 = readdir(dp2)) && c->nstreams < 8)
			if (is_host_bridge_link(de2->d_name) &&
			    strlen(de2->d_name) < sizeof(c->streams[0]))
				tsm_strscpy(c->streams[c->nstreams++],
					    de2->d_name, sizeof(c->streams[0]));
		if (dp2)
			closedir(dp2);
		qsort(c->streams, c->nstreams, sizeof(c->streams[0]), cmp_str);
	}
	closedir(dp);
	qsort(s->classes, s->nclasses, sizeof(s->classes[0]), cmp_str);
}

static int cmp_dev(const void *a, const void *b)
{
	const struct tsm_sysfs_dev *x = a, *y = b;

	return strcmp(x->bdf, y->bdf);
}

static void scan_devs(struct tsm_sysfs *s)
{
	char dir[192], path[512];
	struct dirent *de;
	struct stat st;
	DIR *dp;
	unsigned int i;

	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices", s->root);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((de = readdir(dp))) {
		struct tsm_sysfs_dev *d;

		/* a PCI device is named by its BDF; nothing else is one */
		if (tsm_bdf_check(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/tsm", dir, de->d_name);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (s->ndevs >= TSM_SYSFS_MAX_DEVS) {
			s->more_devs = true;
			continue;
		}
		d = &s->devs[s->ndevs++];
		memset(d, 0, sizeof(*d));
		tsm_strscpy(d->bdf, de->d_name, sizeof(d->bdf));
		for (i = 0; dev_attrs[i].name; i++) {
			struct tsm_sysfs_attr *a = &d->attr[i];

			a->name = dev_attrs[i].name;
			snprintf(path, sizeof(path), "%s/%s/tsm/%s", dir,
				 de->d_name, a->name);
			a->present = !stat(path, &st);
			a->readable = a->present && dev_attrs[i].readable;
			if (a->readable)
				tsm_sysfs_read_line(path, a->value,
						    sizeof(a->value));
		}
		snprintf(path, sizeof(path), "%s/%s/authenticated", dir,
			 de->d_name);
		tsm_sysfs_read_line(path, d->authenticated,
				    sizeof(d->authenticated));
	}
	closedir(dp);
	qsort(s->devs, s->ndevs, sizeof(s->devs[0]), cmp_dev);
}

/* The first staging-only attribute found, or NULL. */
static const char *staging_seen(const struct tsm_sysfs *s)
{
	unsigned int i, k;

	for (i = 0; i < s->nclasses; i++)
		if (s->classes[i].has_pci_mode)
			return "pci_mode";
		else if (s->classes[i].nstreams)
			return "a pciDDDD:BB host-bridge link";
	for (i = 0; i < s->ndevs; i++)
		for (k = 0; dev_attrs[k].name; k++)
			if (dev_attrs[k].staging && s->devs[i].attr[k].present)
				return dev_attrs[k].name;
	return NULL;
}

static void judge_shape(struct tsm_sysfs *s)
{
	const char *st = staging_seen(s);

	if (st) {
		s->shape = "staging";
		snprintf(s->shape_why, sizeof(s->shape_why),
			 "%s is present (staging trees only)", st);
	} else if (s->class_dir || s->ndevs) {
		s->shape = "mainline";
		snprintf(s->shape_why, sizeof(s->shape_why),
			 "no pci_mode, lock, unlock or accept");
	} else {
		s->shape = "none";
		snprintf(s->shape_why, sizeof(s->shape_why),
			 "no /sys/class/tsm and no device with tsm/");
	}
}

void tsm_sysfs_scan(const char *root, struct tsm_sysfs *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->root, sizeof(s->root), "%s", root ? root : "");
	if (!strcmp(s->root, "/"))
		s->root[0] = 0;
	scan_classes(s);
	scan_devs(s);
	judge_shape(s);
}

const char *tsm_sysfs_value(const struct tsm_sysfs_dev *d, const char *name)
{
	unsigned int i;

	for (i = 0; i < TSM_SYSFS_NATTRS && d->attr[i].name; i++)
		if (!strcmp(d->attr[i].name, name))
			return d->attr[i].readable ? d->attr[i].value : NULL;
	return NULL;
}

/* kstrtobool's true: what accept reads back once the TDI runs */
static bool sysfs_true(const char *v)
{
	return v && (v[0] == '1' || v[0] == 'y' || v[0] == 'Y' ||
		     !strncasecmp(v, "on", 2));
}

void tsm_sysfs_dev_state(const struct tsm_sysfs_dev *d,
			 struct tsm_sysfs_state *st)
{
	const char *conn = tsm_sysfs_value(d, "connect");
	const char *bound = tsm_sysfs_value(d, "bound");
	const char *lock = tsm_sysfs_value(d, "lock");
	const char *accept = tsm_sysfs_value(d, "accept");
	const char *dsm = tsm_sysfs_value(d, "dsm");

	/*
	 * connect is on the DSM (function 0) only; a managed function is
	 * connected through its DSM, which its dsm attribute names (empty
	 * when not connected: docs/kernel-abi.md, "sysfs")
	 */
	st->connected = conn ? conn[0] != 0 : dsm && dsm[0];
	st->bound = bound && bound[0];
	st->tsm = conn && conn[0] ? conn : st->bound ? bound : "";
	if (!lock && !accept) {
		st->tdi_state = "unknown";
		st->why = "this sysfs shape has no lock or accept attribute";
	} else if (sysfs_true(accept)) {
		st->tdi_state = "run";
		st->why = "tsm/accept";
	} else if (lock && lock[0]) {
		st->tdi_state = "locked";
		st->why = "tsm/lock";
	} else {
		st->tdi_state = "unlocked";
		st->why = "tsm/lock and tsm/accept";
	}
}
