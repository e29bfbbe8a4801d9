// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of tsm-emu's sysfs model (sysfs_model.c, sysfs_store.c)
 * without the supervisor: devices from JSON, the files rendered into a
 * temporary directory, and the store semantics of every attribute with
 * fault rules. Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "model_int.h"
#include "sysfs.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	failed += !cond;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
}

static char dir[64];
static int dirfd_;

/* the first line of /sys/@rel in the rendered tree; "-" when absent */
static const char *rd(const char *rel)
{
	static char buf[64];
	int fd = openat(dirfd_, rel, O_RDONLY);
	ssize_t k;

	if (fd < 0)
		return "-";
	k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[k < 0 ? 0 : k] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static const char *lnk(const char *rel)
{
	static char buf[128];
	ssize_t k = readlinkat(dirfd_, rel, buf, sizeof(buf) - 1);

	buf[k < 0 ? 0 : k] = 0;
	return k < 0 ? "-" : buf;
}

static int wr(struct emu_sysfs *fs, const char *rel, const char *data)
{
	struct emu_sysfs_store st;
	int err = emu_sysfs_store(fs, rel, data, strlen(data), &st);

	emu_sysfs_render(fs, dirfd_, false);
	return err;
}

static void setup(struct emu_sysfs *fs, struct emu_model *m, const char *cfg)
{
	char err[160] = "";
	json_object *o = json_tokener_parse(cfg);

	emu_sysfs_init(fs);
	fs->model = m;
	if (!o || emu_sysfs_load(fs, o, err, sizeof(err)))
		printf("# load: %s\n", err);
	json_object_put(o);
}

#define DEV "bus/pci/devices/0000:01:00.0/"

static void test_host(void)
{
	struct emu_model m;
	struct emu_ctx c;
	struct emu_sysfs fs;
	struct emu_vdev *v;
	struct emu_fault f = { .kind = EMU_K_CONNECT, .nth = 2, .err = EIO };
	char err[160];

	emu_model_init(&m, EMU_PROFILE_V6);
	emu_ctx_init(&c, &m);
	v = emu_ctx_add_vdev(&c, 3, EMU_ARCH_CCA);
	setup(&fs, &m,
	      "{\"shape\":\"mainline\",\"streams\":1,\"devices\":"
	      "{\"0000:01:00.0\":{\"connected\":null},"
	      "\"0000:01:00.1\":{},\"0000:02:00.0\":{}}}");
	v->bdf[0] = 0;
	emu_sysfs_add(&fs, "0000:01:00.0")->ctx = &c;
	emu_sysfs_find(&fs, "0000:01:00.0")->vdev_id = 3;
	ok(!emu_sysfs_finish_devices(&fs, err, sizeof(err)), "finish");
	ok(!emu_sysfs_render(&fs, dirfd_, true), "render all");
	ok(!strcmp(rd(DEV "tsm/connect"), "") &&
		   !strcmp(rd("bus/pci/devices/0000:02:00.0/tsm/connect"),
			   "tsm0") &&
		   !strcmp(rd("bus/pci/devices/0000:01:00.1/tsm/dsm"), "-") &&
		   !strcmp(rd(DEV "tsm/lock"), "-") &&
		   !strcmp(rd("class/tsm/tsm0/pci_mode"), "-"),
	   "mainline: 01:00.0 unconnected, 02:00.0 connected, no staging files");
	ok(!strcmp(rd("devices/pci0000:00/available_secure_streams"), "0") &&
		   !strcmp(lnk("devices/pci0000:00/stream0.0.0"),
			   "0000:02:00.0"),
	   "the connected DSM holds the only stream");
	ok(v->dsm_unconnected,
	   "the vdevice's DSM is not connected (bind EINVAL)");
	ok(wr(&fs, DEV "tsm/connect", "tsm0x") == 0 &&
		   !strcmp(rd(DEV "tsm/connect"), "tsm0"),
	   "connect takes sscanf(tsm%d): tsm0x is tsm0");
	ok(!strcmp(lnk("devices/pci0000:00/stream0.0.0"), "0000:02:00.0") &&
		   !v->dsm_unconnected,
	   "no free stream: connected without IDE; bind allowed");
	emu_add_fault(&m, &f);
	ok(wr(&fs, DEV "tsm/disconnect", "tsm0\n") == 0,
	   "disconnect (a connect fault does not apply)");
	ok(wr(&fs, DEV "tsm/connect", "tsm0\n") == EIO &&
		   !strcmp(rd(DEV "tsm/connect"), ""),
	   "second connect: the fault's EIO, not connected");
	f.nth = 3;
	f.after_commit = true;
	emu_add_fault(&m, &f);
	ok(wr(&fs, DEV "tsm/connect", "tsm0\n") == EIO &&
		   !strcmp(rd(DEV "tsm/connect"), "tsm0") &&
		   !strcmp(rd(DEV "authenticated"), "tsm0") &&
		   !strcmp(rd("bus/pci/devices/0000:01:00.1/tsm/dsm"),
			   "0000:01:00.0"),
	   "after_commit: EIO and connected; function 1 managed");
	ok(wr(&fs, DEV "tsm/connect", "tsm0\n") == EBUSY,
	   "connect again: EBUSY");
	v->bound_to = 1;
	v->state = EMU_TDI_LOCKED;
	emu_sysfs_render(&fs, dirfd_, false);
	ok(!strcmp(rd(DEV "tsm/bound"), "tsm0"), "bound shows the TSM");
	ok(wr(&fs, DEV "tsm/disconnect", "tsm1\n") == EINVAL,
	   "disconnect tsm1: EINVAL");
	ok(wr(&fs, DEV "tsm/disconnect", "tsm0") == 0 && !v->bound_to &&
		   v->state == EMU_TDI_UNLOCKED &&
		   !strcmp(rd(DEV "tsm/bound"), "") && v->dsm_unconnected,
	   "disconnect unbinds the TDI");
	ok(wr(&fs, DEV "tsm/disconnect", "tsm0") == ENXIO,
	   "disconnect when not connected: ENXIO");
	ok(wr(&fs, DEV "tsm/connect", "tsm1") == ENXIO, "unknown TSM: ENXIO");
	ok(wr(&fs, DEV "tsm/connect", "1") == EINVAL, "not tsmN: EINVAL");
	ok(wr(&fs, DEV "tsm/lock", "tsm0") == ENXIO,
	   "lock on a link TSM: ENXIO");
	emu_sysfs_free(&fs);
	emu_model_free_ctx(&c);
}

#define GDEV "bus/pci/devices/0000:00:03.0/"

static void test_guest(void)
{
	struct emu_model m;
	struct emu_sysfs fs;
	char err[160];

	emu_model_init(&m, EMU_PROFILE_V6);
	setup(&fs, &m,
	      "{\"pci_mode\":\"devsec\",\"tsms\":[\"tsm0\",\"tsm1\"],"
	      "\"devices\":{\"0000:00:03.0\":{\"driver\":\"virtio-pci\"}}}");
	ok(!emu_sysfs_finish_devices(&fs, err, sizeof(err)), "finish");
	ok(!emu_sysfs_render(&fs, dirfd_, true), "render all");
	ok(!strcmp(rd(GDEV "tsm/connect"), "-") &&
		   !strcmp(rd(GDEV "tsm/lock"), "") &&
		   !strcmp(rd("class/tsm/tsm1/pci_mode"), "devsec") &&
		   !strcmp(lnk(GDEV "driver"),
			   "../../../bus/pci/drivers/virtio-pci") &&
		   !strcmp(rd("bus/pci/drivers/virtio-pci/unbind"), ""),
	   "devsec: lock/accept only, driver link and driver files");
	ok(wr(&fs, GDEV "tsm/lock", "tsm1") == EBUSY,
	   "lock, driver bound: EBUSY");
	ok(wr(&fs, "bus/pci/drivers/virtio-pci/unbind", "0000:00:03.1") ==
		   ENODEV,
	   "unbind of another device: ENODEV");
	ok(wr(&fs, "bus/pci/drivers/virtio-pci/unbind", "0000:00:03.0\n") ==
			   0 &&
		   !strcmp(lnk(GDEV "driver"), "-"),
	   "unbind removes the driver link");
	ok(wr(&fs, GDEV "tsm/accept", "y") == EINVAL,
	   "accept when unlocked: EINVAL");
	ok(wr(&fs, GDEV "tsm/lock", "tsm1") == 0 &&
		   !strcmp(rd(GDEV "tsm/lock"), "tsm1"),
	   "lock to tsm1");
	ok(wr(&fs, GDEV "tsm/lock", "tsm1") == EBUSY, "lock again: EBUSY");
	ok(wr(&fs, GDEV "tsm/accept", "off") == EINVAL, "accept off: EINVAL");
	ok(wr(&fs, GDEV "tsm/accept", "on") == 0 &&
		   !strcmp(rd(GDEV "tsm/accept"), "1"),
	   "accept on (kstrtobool): RUN");
	ok(wr(&fs, GDEV "tsm/accept", "1") == EINVAL,
	   "accept in RUN: EINVAL (model choice)");
	ok(wr(&fs, "bus/pci/drivers_probe", "0000:00:03.0") == 0 &&
		   !strcmp(lnk(GDEV "driver"),
			   "../../../bus/pci/drivers/virtio-pci"),
	   "drivers_probe binds the driver again");
	ok(wr(&fs, GDEV "tsm/unlock", "tsm1") == EBUSY,
	   "unlock, driver bound: EBUSY");
	wr(&fs, "bus/pci/drivers/virtio-pci/unbind", "0000:00:03.0");
	ok(wr(&fs, GDEV "tsm/unlock", "tsm0") == EINVAL,
	   "unlock with another TSM's name: EINVAL");
	ok(wr(&fs, GDEV "tsm/unlock", "tsm1\n") == 0 &&
		   !strcmp(rd(GDEV "tsm/lock"), "") &&
		   !strcmp(rd(GDEV "tsm/accept"), "0"),
	   "unlock: back to UNLOCKED");
	ok(wr(&fs, GDEV "tsm/unlock", "tsm1") == EINVAL,
	   "unlock when unlocked: EINVAL");
	ok(wr(&fs, "bus/pci/drivers/virtio-pci/bind", "0000:00:03.0") == 0 &&
		   wr(&fs, "bus/pci/drivers/virtio-pci/bind", "0000:00:03.0") ==
			   EBUSY,
	   "bind, then bind again: EBUSY");
	ok(emu_sysfs_writable(GDEV "tsm/lock") &&
		   emu_sysfs_writable(
			   "devices/pci0000:00/0000:00:03.0/tsm/accept") &&
		   emu_sysfs_writable("bus/pci/drivers_probe") &&
		   !emu_sysfs_writable(GDEV "tsm/bound") &&
		   !emu_sysfs_writable("bus/pci/drivers/x/new_id"),
	   "writable paths: attributes, driver files, not read-only ones");
	emu_sysfs_free(&fs);
}

int main(void)
{
	char cmd[96];

	snprintf(dir, sizeof(dir), "/tmp/tsm-emu-sysfs-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	dirfd_ = open(dir, O_PATH | O_DIRECTORY);
	test_host();
	snprintf(cmd, sizeof(cmd), "rm -rf %s/*", dir);
	if (system(cmd))
		return 1;
	test_guest();
	close(dirfd_);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
