/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-only view of the PCI TSM sysfs ABI (docs/kernel-abi.md, "sysfs"):
 * /sys/class/tsm/tsmN and /sys/bus/pci/devices/BDF/tsm/ attributes, in
 * either shape: mainline (connect, disconnect, bound, dsm, authenticated;
 * no pci_mode) or staging (also lock, unlock, accept, pci_mode and the
 * pciDDDD:BB links). Every attribute beyond the mainline set is optional.
 * Only reads: write-only attributes are reported as present, never
 * touched. A ROOT prefix lets tests and offline analysis use a copy.
 */
#ifndef TSMCTL_SYSFS_H
#define TSMCTL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#define TSM_SYSFS_MAX_CLASSES 8
#define TSM_SYSFS_MAX_DEVS 64
#define TSM_SYSFS_NATTRS 8

struct tsm_sysfs_attr {
	const char *name; /* "connect", "dsm", ... */
	bool present;
	bool readable; /* false for write-only attributes */
	char value[96]; /* first line, without the newline */
};

struct tsm_sysfs_class {
	char name[32]; /* tsm0 */
	bool has_pci_mode; /* staging only */
	char pci_mode[32]; /* link | devsec | "" when absent */
	char streams[8][40]; /* pciDDDD:BB host-bridge links */
	unsigned int nstreams;
};

struct tsm_sysfs_dev {
	char bdf[32];
	struct tsm_sysfs_attr attr[TSM_SYSFS_NATTRS];
	char authenticated[16]; /* the 'authenticated' alias, if present */
};

struct tsm_sysfs {
	char root[128]; /* "" for the real / */
	unsigned int nclasses;
	struct tsm_sysfs_class classes[TSM_SYSFS_MAX_CLASSES];
	unsigned int ndevs;
	struct tsm_sysfs_dev devs[TSM_SYSFS_MAX_DEVS];
	bool more_devs; /* more than TSM_SYSFS_MAX_DEVS */
	bool class_dir; /* /sys/class/tsm exists */
	const char *shape; /* "mainline", "staging" or "none" */
	char shape_why[96]; /* the staging attribute seen, or what is absent */
};

/*
 * A device's state as its attributes show it (docs/kernel-abi.md, "sysfs"):
 * the TSM it is connected to (connect) or bound to (bound), and the TDI
 * state where the shape shows one: accept true = "run", a lock holder =
 * "locked", else "unlocked". The mainline shape has no lock or accept:
 * "unknown", @why saying so.
 */
struct tsm_sysfs_state {
	const char *tsm; /* connect's TSM name, else bound's, else "" */
	bool connected;
	bool bound;
	const char *tdi_state; /* unlocked, locked, run or unknown */
	const char *why; /* what tdi_state was read from */
};
void tsm_sysfs_dev_state(const struct tsm_sysfs_dev *d,
			 struct tsm_sysfs_state *st);
/* Attribute @name of @d when present and readable, else NULL. */
const char *tsm_sysfs_value(const struct tsm_sysfs_dev *d, const char *name);

/* Scan @root (NULL or "" for /). Never fails: absent parts stay empty. */
void tsm_sysfs_scan(const char *root, struct tsm_sysfs *s);

/* The first line of @path without its newline into @out; "" if unreadable. */
void tsm_sysfs_read_line(const char *path, char *out, size_t len);

/* A PCI device name "DDDD:BB:DD.F": 0 or -EINVAL. */
int tsm_bdf_check(const char *s);

#endif
