// SPDX-License-Identifier: GPL-2.0
/*
 * lib/sysfs.c on a tree built in a temporary directory: TSM class devices
 * with pci_mode and host-bridge links (pci_mode itself is not one), PCI
 * devices with tsm/ attributes (write-only ones present but not read),
 * devices without tsm/ skipped, sorted output, BDF syntax.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs.h"
#include "tap.h"

static int put(const char *root, const char *rel, const char *content,
	       mode_t mode)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = strchr(path + strlen(root) + 1, '/'); p;
	     p = strchr(p + 1, '/')) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	if (!content)
		return mkdir(path, 0755);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(content, f);
	fclose(f);
	return chmod(path, mode);
}

static const struct tsm_sysfs_attr *attr(const struct tsm_sysfs_dev *d,
					 const char *name)
{
	unsigned int i;

	for (i = 0; i < TSM_SYSFS_NATTRS && d->attr[i].name; i++)
		if (!strcmp(d->attr[i].name, name))
			return &d->attr[i];
	return NULL;
}

static void test_tree(struct tap *t, const char *root)
{
	struct tsm_sysfs *s = calloc(1, sizeof(*s));
	const struct tsm_sysfs_attr *a;
	char tgt[256], link[256];

	put(root, "sys/class/tsm/tsm1/pci_mode", "devsec\n", 0444);
	put(root, "sys/class/tsm/tsm0/pci_mode", "link\n", 0444);
	put(root, "sys/class/tsm/tsm0/uevent", "", 0644);
	put(root, "sys/devices/pci0000:00/x", "", 0644);
	snprintf(tgt, sizeof(tgt), "%s/sys/devices/pci0000:00", root);
	snprintf(link, sizeof(link), "%s/sys/class/tsm/tsm0/pci0000:00", root);
	tap_ok(t, symlink(tgt, link) == 0, "host-bridge symlink created");
	put(root, "sys/class/tsm/tsm0/pcifoo", "", 0644);
	put(root, "sys/bus/pci/devices/0000:02:00.0/tsm/connect", "\n", 0644);
	put(root, "sys/bus/pci/devices/0000:01:00.0/tsm/connect", "tsm0\n",
	    0644);
	put(root, "sys/bus/pci/devices/0000:01:00.0/tsm/bound", "tsm0\n", 0444);
	put(root, "sys/bus/pci/devices/0000:01:00.0/tsm/unlock", "", 0200);
	put(root, "sys/bus/pci/devices/0000:01:00.0/authenticated", "1\n",
	    0444);
	put(root, "sys/bus/pci/devices/0000:03:00.0/vendor", "0x1234\n", 0444);

	tsm_sysfs_scan(root, s);
	tap_ok(t, s->class_dir, "class/tsm found");
	tap_ok(t, s->nclasses == 2, "two TSM class devices");
	tap_ok(t,
	       !strcmp(s->classes[0].name, "tsm0") &&
		       !strcmp(s->classes[1].name, "tsm1"),
	       "class devices sorted by name");
	tap_ok(t,
	       !strcmp(s->classes[0].pci_mode, "link") &&
		       !strcmp(s->classes[1].pci_mode, "devsec"),
	       "pci_mode read without the newline");
	tap_ok(t,
	       s->classes[0].nstreams == 1 &&
		       !strcmp(s->classes[0].streams[0], "pci0000:00"),
	       "only the pciDDDD:BB link is a host bridge (not pci_mode, not pcifoo)");
	tap_ok(t, s->classes[1].nstreams == 0, "tsm1 has no host bridge");
	tap_ok(t, s->ndevs == 2, "devices with tsm/ only");
	tap_ok(t,
	       !strcmp(s->devs[0].bdf, "0000:01:00.0") &&
		       !strcmp(s->devs[1].bdf, "0000:02:00.0"),
	       "devices sorted by BDF");
	a = attr(&s->devs[0], "bound");
	tap_ok(t, a && a->present && a->readable && !strcmp(a->value, "tsm0"),
	       "bound read");
	a = attr(&s->devs[0], "unlock");
	tap_ok(t, a && a->present && !a->readable && !a->value[0],
	       "write-only unlock present, not read");
	a = attr(&s->devs[0], "lock");
	tap_ok(t, a && !a->present, "absent lock reported absent");
	tap_ok(t,
	       !strcmp(s->devs[0].authenticated, "1") &&
		       !s->devs[1].authenticated[0],
	       "authenticated alias");
	free(s);
}

static void test_empty(struct tap *t)
{
	struct tsm_sysfs *s = calloc(1, sizeof(*s));

	tsm_sysfs_scan("/nonexistent-tsmctl-root", s);
	tap_ok(t, !s->class_dir && !s->nclasses && !s->ndevs,
	       "absent root: empty, no failure");
	free(s);
}

static void test_bdf(struct tap *t)
{
	tap_ok(t, tsm_bdf_check("0000:01:00.0") == 0, "bdf 0000:01:00.0");
	tap_ok(t, tsm_bdf_check("abcd:ef:1f.7") == 0, "bdf hex digits");
	tap_ok(t, tsm_bdf_check("01:00.0") != 0, "bdf without domain rejected");
	tap_ok(t, tsm_bdf_check("0000:01:00.8") != 0, "function 8 rejected");
	tap_ok(t, tsm_bdf_check("0000:01:20.0") != 0, "device 0x20 rejected");
	tap_ok(t, tsm_bdf_check("0000:01:00.0x") != 0,
	       "trailing garbage rejected");
	tap_ok(t, tsm_bdf_check("../../x") != 0, "path rejected");
}

int main(void)
{
	struct tap t = { 0 };
	char dir[] = "/tmp/test_sysfs.XXXXXX", cmd[64];

	if (!mkdtemp(dir)) {
		tap_ok(&t, 0, "mkdtemp");
		return tap_done(&t);
	}
	test_tree(&t, dir);
	test_empty(&t);
	test_bdf(&t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		tap_ok(&t, 0, "cleanup");
	return tap_done(&t);
}
