/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsm-emu sysfs fixture: COMMAND runs in a private mount namespace with
 * a tmpfs over /sys holding /sys/class/tsm/tsm0, the scenario vdevices'
 * /sys/bus/pci/devices/<bdf>/tsm/ attributes and /sys/kernel/btf/vmlinux.
 */
#ifndef TSM_EMU_SYSFS_H
#define TSM_EMU_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"

#define EMU_SYSFS_MAX_EXTRA 32
#define EMU_SYSFS_MAX_DEV 32
#define EMU_SYSFS_BTF_MODEL -1 /* BTF of the model's profile */
#define EMU_SYSFS_BTF_NONE -2 /* "btf": false */

struct emu_sysfs_dev {
	struct emu_ctx *ctx;
	uint32_t vdev_id;
	char bdf[16];
	char last[3][8]; /* bound, lock, accept as last written */
};

struct emu_sysfs {
	bool enabled;
	char pci_mode[16]; /* /sys/class/tsm/tsm0/pci_mode, default link */
	/* "shape": "mainline" (7.0/7.1: connect, disconnect, bound, dsm,
	 * authenticated; no pci_mode) or "staging" (default: also lock,
	 * unlock, accept, pci_mode) */
	bool mainline;
	int btf_profile; /* enum emu_profile or EMU_SYSFS_BTF_* */
	int nextra;
	char *extra_path[EMU_SYSFS_MAX_EXTRA]; /* relative to /sys */
	char *extra_data[EMU_SYSFS_MAX_EXTRA];
	struct emu_sysfs_dev dev[EMU_SYSFS_MAX_DEV];
	int ndev;
	uint8_t *btf;
	size_t btf_len;
	int dirfd; /* supervisor: COMMAND's /sys, -1 = none */
};

void emu_sysfs_init(struct emu_sysfs *fs);
void emu_sysfs_free(struct emu_sysfs *fs);
/* a JSON "sysfs" value: true/false or {"shape","pci_mode","extra","comment"} */
int emu_sysfs_load(struct emu_sysfs *fs, void *json, char *err, size_t errlen);
/* a JSON "btf" value: a profile name or false */
int emu_sysfs_load_btf(struct emu_sysfs *fs, void *json, char *err,
		       size_t errlen);
/* "0000:01:00.0" syntax check */
bool emu_sysfs_bdf_ok(const char *bdf);
/* parent, before clone: device table from @ctxs, BTF blob via mkbtf */
int emu_sysfs_prepare(struct emu_sysfs *fs, struct emu_ctx **ctxs, int nctx,
		      int profile);
/* child, before the filter: unshare, mount, populate; 0 or -1 (printed) */
int emu_sysfs_enter(struct emu_sysfs *fs);
/* parent, after the child reported: open /proc/PID/root/sys */
int emu_sysfs_attach(struct emu_sysfs *fs, pid_t pid, int minfd);
/* after each emulated ioctl: rewrite bound/lock/accept that changed */
void emu_sysfs_sync(void *fs);

#endif /* TSM_EMU_SYSFS_H */
