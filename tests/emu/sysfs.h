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
#define EMU_SYSFS_MAX_TSM 4
#define EMU_SYSFS_BTF_MODEL -1 /* BTF of the model's profile */
#define EMU_SYSFS_BTF_NONE -2 /* "btf": false */
/* COMMAND's descriptors of writable fixture attributes (write() trapped):
 * 64 numbers from a multiple of 64, one masked compare in the filter */
#define EMU_SYSFS_FD_LO 896
#define EMU_SYSFS_FD_HI (EMU_SYSFS_FD_LO + 64)

struct emu_sysfs_dev {
	struct emu_ctx *ctx; /* NULL: a device without a vdevice */
	uint32_t vdev_id;
	char bdf[16];
	bool tsm; /* has tsm/ (default true) */
	bool ide; /* connect sets up an IDE stream (default true) */
	char connected[16]; /* function 0: the TSM connected to, "" */
	char driver[32]; /* bound driver, "" */
	char probe_driver[32]; /* what drivers_probe binds */
	char lock_tsm[16]; /* the TSM a guest locked it to */
	int state; /* TDI state when there is no vdevice */
	int stream; /* IDE stream index, -1 = none */
	bool has_state; /* "state" given in "devices" */
};

struct emu_sysfs {
	bool enabled;
	char pci_mode[16]; /* /sys/class/tsm/TSM/pci_mode, default link */
	/* "shape": "mainline" (7.0/7.1: connect, disconnect, bound, dsm,
	 * authenticated; no pci_mode) or "staging" (default: also lock,
	 * unlock, accept, pci_mode) */
	bool mainline;
	char tsms[EMU_SYSFS_MAX_TSM][16]; /* "tsms", default tsm0 */
	int ntsms;
	int streams; /* IDE streams of each host bridge, default 4 */
	int btf_profile; /* enum emu_profile or EMU_SYSFS_BTF_* */
	int nextra;
	char *extra_path[EMU_SYSFS_MAX_EXTRA]; /* relative to /sys */
	char *extra_data[EMU_SYSFS_MAX_EXTRA];
	struct emu_sysfs_dev dev[EMU_SYSFS_MAX_DEV];
	int ndev;
	uint8_t *btf;
	size_t btf_len;
	int dirfd; /* supervisor: COMMAND's /sys, -1 = none */
	struct emu_model *model; /* fault rules and counters */
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

/* ---- sysfs_model.c: the attribute semantics, transport-free ---- */

/* replace @path (relative to @dirfd) atomically with @data */
int emu_sysfs_put(int dirfd, const char *path, const void *data, size_t len,
		  mode_t mode);
/* the scenario's "devices" object: add or amend devices */
int emu_sysfs_load_devices(struct emu_sysfs *fs, void *json, char *err,
			   size_t errlen);
/* implied function-0 devices, defaults; after the vdevice devices */
int emu_sysfs_finish_devices(struct emu_sysfs *fs, char *err, size_t errlen);
/* write every file (@all) or those that changed, under @dirfd */
int emu_sysfs_render(struct emu_sysfs *fs, int dirfd, bool all);
/* is @rel (relative to /sys) an attribute whose writes the model takes? */
bool emu_sysfs_writable(const char *rel);

/* helpers shared by sysfs_model.c and sysfs_store.c */
struct emu_sysfs_dev *emu_sysfs_find(struct emu_sysfs *fs, const char *bdf);
/* find or add a device with the defaults (NULL when full) */
struct emu_sysfs_dev *emu_sysfs_add(struct emu_sysfs *fs, const char *bdf);
/* function 0 of @d's slot: its DSM (NULL if absent) */
struct emu_sysfs_dev *emu_sysfs_dsm_of(struct emu_sysfs *fs,
				       const struct emu_sysfs_dev *d);
struct emu_vdev *emu_sysfs_vdev(const struct emu_sysfs_dev *d);
/*
 * Note on @d's vdevice whether its DSM is connected (bind needs it): at
 * start in the supervisor (the fixture is rendered in the command's
 * mount namespace) and at every render after a write.
 */
void emu_sysfs_note_dsm(struct emu_sysfs *fs, struct emu_sysfs_dev *d);
int emu_sysfs_tdi_state(const struct emu_sysfs_dev *d);
void emu_sysfs_set_state(struct emu_sysfs_dev *d, int st);
/* the lowest stream index free on @d's host bridge, -1 */
int emu_sysfs_free_stream(const struct emu_sysfs *fs,
			  const struct emu_sysfs_dev *d);

struct emu_sysfs_store {
	int kind; /* enum emu_kind of the attribute, -1 for driver files */
	struct emu_fault fault; /* merged fault rules applied */
	bool faulted;
	char bdf[16];
};

/*
 * COMMAND wrote @len bytes of @buf to @rel (relative to /sys): apply the
 * kernel's store semantics and fault rules. 0 (all bytes taken) or a
 * positive errno. The caller renders and sleeps fault.delay_ms.
 */
int emu_sysfs_store(struct emu_sysfs *fs, const char *rel, const char *buf,
		    size_t len, struct emu_sysfs_store *st);

#endif /* TSM_EMU_SYSFS_H */
