// SPDX-License-Identifier: GPL-2.0
/*
 * lib/link.c on sysfs trees built in a temporary directory: the mainline
 * host shape (connect/disconnect on the DSM, host bridge streams), the
 * staging host (pci_mode link) and a devsec guest (lock/unlock/accept, a
 * bound driver). TSM choice, every refusal, the planned writes, one
 * write, the readback and the judgement of an outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link.h"
#include "tap.h"

static char root[256];

static void mkdirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
}

/* ROOT/REL with CONTENT (NULL: a directory) */
static void put(const char *rel, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdirs(path);
	if (!content) {
		mkdir(path, 0755);
		return;
	}
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void link_(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdirs(path);
	unlink(path);
	if (symlink(target, path))
		perror("symlink");
}

static void rm(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (unlink(path))
		rmdir(path);
}

static char *slurp(const char *rel)
{
	static char buf[256];
	char path[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	buf[0] = 0;
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}

#define DEV0 "sys/devices/pci0000:00/0000:01:00.0"
#define DEV1 "sys/devices/pci0000:00/0000:01:00.1"

/* mainline host: tsm0 without pci_mode, DSM 01:00.0, function 01:00.1 */
static void host_tree(void)
{
	put("sys/class/tsm/tsm0", NULL);
	put("sys/devices/pci0000:00/available_secure_streams", "4\n");
	put(DEV0 "/tsm/connect", "\n");
	put(DEV0 "/tsm/disconnect", "");
	put(DEV0 "/tsm/dsm", "\n");
	put(DEV0 "/tsm/bound", "\n");
	put(DEV0 "/authenticated", "\n");
	put(DEV1 "/tsm", NULL);
	put("sys/devices/pci0000:00/0000:02:00.0/vendor", "0x1234\n");
	link_("../../../devices/pci0000:00/0000:01:00.0",
	      "sys/bus/pci/devices/0000:01:00.0");
	link_("../../../devices/pci0000:00/0000:01:00.1",
	      "sys/bus/pci/devices/0000:01:00.1");
	link_("../../../devices/pci0000:00/0000:02:00.0",
	      "sys/bus/pci/devices/0000:02:00.0");
}

struct run {
	struct tsm_link_plan p;
	struct tsm_link_state s;
	struct tsm_err e;
	enum tsm_exit exit;
	int rc;
};

static struct run *plan(enum tsm_link_op op, const char *bdf, const char *tsm,
			bool unbind)
{
	static struct run r;
	struct tsm_link_req rq = { op, root, bdf, tsm, unbind };

	memset(&r, 0, sizeof(r));
	r.rc = tsm_link_plan(&rq, &r.p, &r.s, &r.exit, &r.e);
	if (r.rc)
		printf("#   refused (exit %d): %s\n", r.exit, r.e.msg);
	return &r;
}

static void refused(struct tap *t, struct run *r, enum tsm_exit exit,
		    const char *needle, const char *what)
{
	tap_ok(t, r->rc == -1 && r->exit == exit && strstr(r->e.msg, needle),
	       what);
}

static void test_host_plan(struct tap *t)
{
	struct run *r;
	char want[512];

	r = plan(TSM_LINK_CONNECT, "0000:01:00.0", NULL, false);
	snprintf(want, sizeof(want),
		 "%s/sys/bus/pci/devices/0000:01:00.0/tsm/connect", root);
	tap_ok(t,
	       !r->rc && r->p.nw == 1 && !strcmp(r->p.w[0].path, want) &&
		       !strcmp(r->p.w[0].data, "tsm0\n") &&
		       r->p.w[0].len == 5 && !strcmp(r->p.tsm, "tsm0") &&
		       !strcmp(r->p.tsm_source, "only"),
	       "connect: the only TSM, one write of tsm0\\n to tsm/connect");
	tap_ok(t,
	       r->s.exists && r->s.has_tsm && !r->s.driver[0] &&
		       !strcmp(r->s.bridge, "pci0000:00") &&
		       r->s.avail_streams == 4 && !r->s.nstreams &&
		       r->s.attr[TSM_LA_CONNECT].present &&
		       !r->s.attr[TSM_LA_DISCONNECT].readable &&
		       !r->s.attr[TSM_LA_LOCK].present,
	       "state before: bridge, 4 streams free, mainline attributes");
	r = plan(TSM_LINK_CONNECT, "0000:01:00.1", NULL, false);
	refused(t, r, TSM_EXIT_USAGE, "its DSM is 0000:01:00.0",
		"connect on function 1: exit 2 naming the DSM (function 0)");
	put(DEV1 "/tsm/dsm", "0000:01:00.0\n");
	r = plan(TSM_LINK_DISCONNECT, "0000:01:00.1", NULL, false);
	refused(t, r, TSM_EXIT_USAGE, "tsmctl disconnect --bdf 0000:01:00.0",
		"disconnect on a managed function: names the DSM from tsm/dsm");
	rm(DEV1 "/tsm/dsm");
	refused(t, plan(TSM_LINK_CONNECT, "0000:02:00.0", NULL, false),
		TSM_EXIT_USAGE, "has no tsm/", "no tsm/: exit 2");
	refused(t, plan(TSM_LINK_CONNECT, "0000:05:00.0", NULL, false),
		TSM_EXIT_USAGE, "no such PCI device", "no device: exit 2");
	r = plan(TSM_LINK_CONNECT, "01:00.0", NULL, false);
	refused(t, r, TSM_EXIT_USAGE, "not a PCI device name", "bad --bdf");
	tap_ok(t, !strcmp(r->e.field, "--bdf"), "the refusal names --bdf");
}

static void test_tsm_choice(struct tap *t)
{
	struct run *r;

	put("sys/class/tsm/tsm1", NULL);
	r = plan(TSM_LINK_CONNECT, "0000:01:00.0", NULL, false);
	refused(t, r, TSM_EXIT_USAGE, "2 TSMs are registered (tsm0, tsm1)",
		"several TSMs: exit 2 listing them");
	tap_ok(t, !strcmp(r->e.field, "--tsm"), "... naming --tsm");
	r = plan(TSM_LINK_CONNECT, "0000:01:00.0", "tsm1", false);
	tap_ok(t,
	       !r->rc && !strcmp(r->p.w[0].data, "tsm1\n") &&
		       !strcmp(r->p.tsm_source, "option"),
	       "--tsm tsm1 is written");
	refused(t, plan(TSM_LINK_CONNECT, "0000:01:00.0", "tsm9", false),
		TSM_EXIT_USAGE, "no such TSM", "--tsm tsm9: exit 2");
	put(DEV0 "/tsm/connect", "tsm1\n");
	refused(t, plan(TSM_LINK_CONNECT, "0000:01:00.0", "tsm0", false),
		TSM_EXIT_FAIL, "connected to tsm1, not tsm0",
		"connected elsewhere: refused, exit 1");
	r = plan(TSM_LINK_CONNECT, "0000:01:00.0", "tsm1", false);
	tap_ok(t,
	       !r->rc && r->p.nothing_to_do && !r->p.nw &&
		       strstr(r->p.note, "already connected to tsm1"),
	       "connected to the same TSM: nothing to do");
	r = plan(TSM_LINK_DISCONNECT, "0000:01:00.0", NULL, false);
	tap_ok(t,
	       !r->rc && r->p.nw == 1 &&
		       strstr(r->p.w[0].path, "/tsm/disconnect") &&
		       !strcmp(r->p.w[0].data, "tsm1\n") &&
		       !strcmp(r->p.tsm_source, "connected"),
	       "disconnect writes the TSM it is connected to");
	refused(t, plan(TSM_LINK_DISCONNECT, "0000:01:00.0", "tsm0", false),
		TSM_EXIT_USAGE, "connected to tsm1, not to tsm0",
		"disconnect --tsm of another TSM: exit 2");
	put(DEV0 "/tsm/connect", "\n");
	r = plan(TSM_LINK_DISCONNECT, "0000:01:00.0", NULL, false);
	tap_ok(t, !r->rc && r->p.nothing_to_do && strstr(r->p.note, "not"),
	       "disconnect when not connected: nothing to do");
	rm("sys/class/tsm/tsm1");
}

static void test_readback(struct tap *t)
{
	struct tsm_link_outcome o;
	struct tsm_link_state a;
	struct run *r;

	r = plan(TSM_LINK_CONNECT, "0000:01:00.0", NULL, false);
	tap_ok(t,
	       tsm_link_write(&r->p.w[0]) == 0 &&
		       !strcmp(slurp(DEV0 "/tsm/connect"), "tsm0\n"),
	       "tsm_link_write writes the planned bytes");
	/* what the kernel shows after connect with IDE */
	put(DEV0 "/tsm/dsm", "0000:01:00.0\n");
	put(DEV0 "/authenticated", "tsm0\n");
	put("sys/devices/pci0000:00/available_secure_streams", "3\n");
	link_("0000:01:00.0", "sys/devices/pci0000:00/stream0.0.0");
	link_("0000:01:00.1", "sys/devices/pci0000:00/stream1.0.0");
	link_("../../../devices/pci0000:00", "sys/class/tsm/tsm0/pci0000:00");
	tsm_link_read_state(root, "0000:01:00.0", "tsm0", &a);
	tap_ok(t,
	       !strcmp(a.attr[TSM_LA_CONNECT].value, "tsm0") &&
		       !strcmp(a.attr[TSM_LA_DSM].value, "0000:01:00.0") &&
		       !strcmp(a.attr[TSM_LA_AUTHENTICATED].value, "tsm0") &&
		       a.avail_streams == 3 && a.nstreams == 1 &&
		       !strcmp(a.streams[0], "stream0.0.0") && a.class_link &&
		       !strcmp(a.class_link_tsm, "tsm0"),
	       "readback: connect, dsm, authenticated, this BDF's stream, class link");
	tsm_link_judge(&r->p, &r->p.w[0], 0, &a, &o);
	tap_ok(t,
	       o.changed && o.completion == TSM_DONE &&
		       tsm_link_exit(&o) == TSM_EXIT_OK,
	       "no error, change shown: done, exit 0");
	tsm_link_judge(&r->p, &r->p.w[0], EIO, &a, &o);
	tap_ok(t,
	       o.completion == TSM_UNCERTAIN &&
		       tsm_link_exit(&o) == TSM_EXIT_UNCERTAIN,
	       "EIO but connected anyway: uncertain, exit 4");
	put(DEV0 "/tsm/connect", "\n");
	tsm_link_read_state(root, "0000:01:00.0", NULL, &a);
	tsm_link_judge(&r->p, &r->p.w[0], EIO, &a, &o);
	tap_ok(t,
	       !o.changed && o.completion == TSM_NOT_STARTED &&
		       tsm_link_exit(&o) == TSM_EXIT_FAIL,
	       "EIO and not connected: not started, exit 1");
	tsm_link_judge(&r->p, &r->p.w[0], 0, &a, &o);
	tap_ok(t, o.completion == TSM_UNCERTAIN,
	       "success the readback does not show: uncertain");
	put(DEV0 "/tsm/dsm", "\n");
	rm("sys/devices/pci0000:00/stream0.0.0");
	rm("sys/devices/pci0000:00/stream1.0.0");
	rm("sys/class/tsm/tsm0/pci0000:00");
}

static void test_wrong_place(struct tap *t)
{
	struct run *r;

	r = plan(TSM_LINK_LOCK, "0000:01:00.0", NULL, false);
	refused(t, r, TSM_EXIT_UNSUPPORTED, "mainline",
		"lock on the mainline shape: exit 5");
	tap_ok(t, strstr(r->e.msg, "set-run") != NULL,
	       "... naming set-run for the host side");
	refused(t, plan(TSM_LINK_ACCEPT, "0000:01:00.0", NULL, false),
		TSM_EXIT_UNSUPPORTED, "mainline", "accept on mainline: exit 5");
	put("sys/class/tsm/tsm0/pci_mode", "link\n");
	put(DEV0 "/tsm/lock", "\n");
	put(DEV0 "/tsm/unlock", "");
	put(DEV0 "/tsm/accept", "0\n");
	r = plan(TSM_LINK_UNLOCK, "0000:01:00.0", NULL, false);
	refused(t, r, TSM_EXIT_UNSUPPORTED, "pci_mode link: this is the host",
		"unlock on a staging host (pci_mode link): exit 5");
	tap_ok(t, strstr(r->e.msg, "set-run --vdevice ID --state") != NULL,
	       "... naming the host-side command");
	r = plan(TSM_LINK_CONNECT, "0000:01:00.0", NULL, false);
	tap_ok(t, !r->rc && r->p.nw == 1, "connect on a staging host: planned");
	put("sys/class/tsm/tsm0/pci_mode", "devsec\n");
	refused(t, plan(TSM_LINK_CONNECT, "0000:01:00.0", NULL, false),
		TSM_EXIT_UNSUPPORTED, "this is a guest",
		"connect in a guest (pci_mode devsec): exit 5");
	rm("sys/class/tsm/tsm0/pci_mode");
	rm(DEV0 "/tsm/lock");
	rm(DEV0 "/tsm/unlock");
	rm(DEV0 "/tsm/accept");
}

#define GDEV "sys/devices/pci0000:00/0000:00:03.0"

/* a devsec guest: tsm0 pci_mode devsec, 00:03.0 bound to virtio-pci */
static void guest_tree(void)
{
	put("sys/class/tsm/tsm0/pci_mode", "devsec\n");
	put(GDEV "/tsm/lock", "\n");
	put(GDEV "/tsm/unlock", "");
	put(GDEV "/tsm/accept", "0\n");
	put("sys/bus/pci/drivers/virtio-pci/unbind", "");
	put("sys/bus/pci/drivers_probe", "");
	link_("../../../../bus/pci/drivers/virtio-pci", GDEV "/driver");
	link_("../../../devices/pci0000:00/0000:00:03.0",
	      "sys/bus/pci/devices/0000:00:03.0");
}

static void test_guest(struct tap *t)
{
	const char *b = "0000:00:03.0";
	struct run *r;
	char want[512];

	r = plan(TSM_LINK_LOCK, b, NULL, false);
	refused(t, r, TSM_EXIT_FAIL, "driver virtio-pci is bound",
		"lock with a driver bound: refused naming it, exit 1");
	tap_ok(t, strstr(r->e.msg, "--unbind-driver") != NULL,
	       "... and offering --unbind-driver");
	r = plan(TSM_LINK_LOCK, b, NULL, true);
	snprintf(want, sizeof(want), "%s/sys/bus/pci/drivers/virtio-pci/unbind",
		 root);
	tap_ok(t,
	       !r->rc && r->p.nw == 2 && r->p.w[0].kind == TSM_LW_UNBIND &&
		       !strcmp(r->p.w[0].path, want) &&
		       !strcmp(r->p.w[0].data, "0000:00:03.0\n") &&
		       !strcmp(r->p.w[1].data, "tsm0\n") &&
		       strstr(r->p.w[1].path, "03.0/tsm/lock") &&
		       !strcmp(r->p.driver, "virtio-pci"),
	       "lock --unbind-driver: unbind, then tsm0 to tsm/lock");
	refused(t, plan(TSM_LINK_ACCEPT, b, NULL, true), TSM_EXIT_FAIL,
		"is not locked", "accept when not locked: refused, exit 1");
	r = plan(TSM_LINK_UNLOCK, b, NULL, false);
	tap_ok(t, !r->rc && r->p.nothing_to_do,
	       "unlock when unlocked: nothing");
	rm(GDEV "/driver");
	put(GDEV "/tsm/lock", "tsm0\n");
	r = plan(TSM_LINK_LOCK, b, NULL, false);
	tap_ok(t,
	       !r->rc && r->p.nothing_to_do &&
		       strstr(r->p.note, "already locked to tsm0"),
	       "lock when locked to the same TSM: nothing to do");
	r = plan(TSM_LINK_ACCEPT, b, NULL, true);
	tap_ok(t,
	       !r->rc && r->p.nw == 2 && !strcmp(r->p.w[0].data, "1\n") &&
		       r->p.w[1].kind == TSM_LW_PROBE &&
		       strstr(r->p.w[1].path, "/sys/bus/pci/drivers_probe") &&
		       !strcmp(r->p.w[1].data, "0000:00:03.0\n"),
	       "accept --unbind-driver (no driver): 1 to accept, then drivers_probe");
	r = plan(TSM_LINK_ACCEPT, b, NULL, false);
	tap_ok(t, !r->rc && r->p.nw == 1, "accept alone: one write");
	r = plan(TSM_LINK_UNLOCK, b, NULL, false);
	tap_ok(t,
	       !r->rc && r->p.nw == 1 && !strcmp(r->p.w[0].data, "tsm0\n") &&
		       !strcmp(r->p.tsm_source, "locked"),
	       "unlock writes the lock holder");
	put(GDEV "/tsm/accept", "1\n");
	r = plan(TSM_LINK_ACCEPT, b, NULL, false);
	tap_ok(t, !r->rc && r->p.nothing_to_do, "accept in RUN: nothing to do");
	put(GDEV "/tsm/lock", "\n");
	put(GDEV "/tsm/accept", "0\n");
}

static void test_explain(struct tap *t)
{
	struct tsm_link_state a;
	char buf[400];
	struct run *r;

	r = plan(TSM_LINK_LOCK, "0000:00:03.0", NULL, true);
	memset(&a, 0, sizeof(a));
	snprintf(a.driver, sizeof(a.driver), "virtio-pci");
	tsm_link_explain(&r->p, &r->p.w[0], EBUSY, &a, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "driver virtio-pci is bound") != NULL,
	       "lock EBUSY with a driver: names the driver");
	a.driver[0] = 0;
	snprintf(a.attr[TSM_LA_LOCK].value, 64, "tsm1");
	tsm_link_explain(&r->p, &r->p.w[0], EBUSY, &a, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "already locked to tsm1") != NULL,
	       "lock EBUSY without a driver: already locked");
	tsm_link_explain(&r->p, &r->p.w[0], ENXIO, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "not a devsec TSM") != NULL, "lock ENXIO");
	tsm_link_explain(&r->p, &r->p.w[0], ENOENT, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "does not exist") != NULL, "ENOENT: the path");
	/* a connect plan as on the host (this tree is a guest now) */
	memset(&r->p, 0, sizeof(r->p));
	r->p.op = TSM_LINK_CONNECT;
	snprintf(r->p.bdf, sizeof(r->p.bdf), "0000:01:00.0");
	snprintf(r->p.tsm, sizeof(r->p.tsm), "tsm0");
	r->p.w[0].attr = "connect";
	tsm_link_explain(&r->p, &r->p.w[0], EIO, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "SPDM session") != NULL, "connect EIO: SPDM");
	tsm_link_explain(&r->p, &r->p.w[0], EBUSY, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "already has a TSM context") != NULL,
	       "connect EBUSY: already connected");
	tsm_link_explain(&r->p, &r->p.w[0], ENXIO, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "not a link TSM") != NULL, "connect ENXIO");
	tsm_link_explain(&r->p, &r->p.w[0], EINVAL, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "as a TSM name") != NULL, "connect EINVAL");
	tsm_link_explain(&r->p, &r->p.w[0], EACCES, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "needs root") != NULL, "EACCES: needs root");
	tsm_link_explain(&r->p, &r->p.w[0], E2BIG, NULL, buf, sizeof(buf));
	tap_ok(t, strstr(buf, "failed: ") != NULL, "other errno: strerror");
}

static void test_write(struct tap *t)
{
	struct tsm_link_write w = { TSM_LW_ATTR, "connect", "", "x\n", 2 };

	snprintf(w.path, sizeof(w.path), "%s/sys/nonexistent", root);
	tap_ok(t, tsm_link_write(&w) == ENOENT,
	       "a missing attribute is ENOENT, never created");
	tap_ok(t, access(w.path, F_OK) != 0, "... and nothing was created");
}

int main(void)
{
	struct tap t = { 0 };
	char cmd[300];

	snprintf(root, sizeof(root), "/tmp/tsmctl-link-XXXXXX");
	if (!mkdtemp(root))
		return 1;
	host_tree();
	test_host_plan(&t);
	test_tsm_choice(&t);
	test_readback(&t);
	test_wrong_place(&t);
	guest_tree();
	test_guest(&t);
	test_explain(&t);
	test_write(&t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		return 1;
	return tap_done(&t);
}
