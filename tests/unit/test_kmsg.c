// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/kmsg.c: which kernel messages dump --bundle keeps in
 * kmsg.txt (whole words tsm, tdisp, iommufd, and PCIe IDE but not ATA's
 * IDE, in the message part), that they are written in dmesg form, and
 * that the newest of them are kept within the byte budget.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "tap.h"

static void match(struct tap *t, const char *rec, bool want)
{
	char what[200];

	snprintf(what, sizeof(what), "%s: \"%.140s\"",
		 want ? "kept" : "left out", rec);
	for (char *p = what; *p; p++)
		if (*p == '\n')
			*p = '|';
	tap_ok(t, tsm_kmsg_match(rec, strlen(rec)) == want, what);
}

static void test_match(struct tap *t)
{
	/* substrings of longer words are not the topic */
	match(t, "6,12,3456,-;BIOS-provided physical RAM map:\n", false);
	match(t, "6,13,3457,-;put aside 64 MiB for crash kernel\n", false);
	match(t,
	      "6,14,3458,-;see Documentation/admin-guide/kernel-parameters.txt\n",
	      false);
	match(t, "6,15,3459,-;ideal_nops: using P6 nops\n", false);
	match(t, "6,16,3460,-;bitsmask tsm0 iommufds atsm\n", false);
	match(t, "6,17,3461,-;nothing to see here\n", false);
	/* whole words, any case, separated by punctuation or '_' */
	match(t, "6,20,3500,-;pci 0000:01:00.0: TSM: connect\n", true);
	match(t, "6,21,3501,-;tsm_dev: registered\n", true);
	match(t, "6,22,3502,-;pci 0000:01:00.0: pci_ide: stream 0 enabled\n",
	      true);
	match(t, "6,23,3503,-;PCI/IDE: no free stream\n", true);
	match(t, "6,24,3504,-;pcieport 0000:00:01.0: PCIe IDE enabled\n", true);
	match(t, "6,25,3505,-;Selective IDE Stream 1 set up\n", true);
	match(t, "6,26,3505,-;link ide established\n", true);
	match(t, "6,27,3505,-;programming IDE keys for stream 2\n", true);
	match(t, "6,28,3505,-;ide_km: KEY_PROG done\n", true);
	/* ATA's IDE, as a real 6.12 kernel logs it under QEMU, is not PCIe's */
	match(t,
	      "6,96,364411,-;pci 0000:00:01.1: BAR 0 [io  0x01f0-0x01f7]: legacy IDE quirk\n SUBSYSTEM=pci\n",
	      false);
	match(t, "6,97,3506,-;scsi host0: ata_piix IDE\n", false);
	match(t, "6,98,3506,-;ata1: PATA max MWDMA2 IDE mode\n", false);
	match(t, "6,99,3506,-;IDE\n", false);
	match(t, "6,24,3504,-;pci 0000:00:1f.1: IDE controller\n", false);
	match(t, "4,26,3506,-;iommufd: vdevice 3 gone\n", true);
	/* tsmctl's own crash */
	match(t,
	      "6,29,3509,-;tsmctl[4242]: segfault at 0 ip 000055d0 sp 00007ffd error 4 in tsmctl[55d0,1000+2000]\n",
	      true);
	match(t, "6,30,3510,-;tsmctlx[1]: segfault at 0\n", false);
	match(t, "4,27,3507,-;TDISP state ERROR\n", true);
	match(t, "4,28,3508,-,caller=T1;Tdisp lock\n", true);
	match(t, "4,29,3509,-;last word tsm", true);
	/* the header and the dictionary are not the message */
	match(t,
	      "6,30,3510,-;pci 0000:01:00.0: enabled\n SUBSYSTEM=tsm\n DEVICE=+pci:ide\n",
	      false);
	match(t, "6,31,3511,-;a; tsm after a semicolon\n", true);
	/* no kmsg header: the whole line */
	match(t, "tsm: plain line\n", true);
	match(t, "x; pcie ide\n", true);
	match(t, "x; ide\n", false);
	match(t, "", false);
}

static void test_tail(struct tap *t)
{
	struct tsm_kmsg_tail k;
	char line[32];
	int i;

	tap_ok(t, tsm_kmsg_tail_init(&k, 100) == 0, "tail: init");
	/* 50 lines of 10 bytes ("line NNNN\n"): the newest 10 fit */
	for (i = 0; i < 50; i++) {
		snprintf(line, sizeof(line), "line %04d\n SUBSYSTEM=x\n", i);
		tsm_kmsg_tail_add(&k, line, strlen(line));
	}
	tsm_kmsg_tail_finish(&k);
	tap_ok(t, k.len == 100, "tail: exactly the budget of whole lines");
	tap_ok(t, k.len >= 10 && !memcmp(k.buf, "line 0040\n", 10),
	       "tail: the oldest kept is line 40");
	tap_ok(t, k.len >= 10 && !memcmp(k.buf + k.len - 10, "line 0049\n", 10),
	       "tail: the newest is last");
	tap_ok(t, k.dropped == 40, "tail: 40 older lines counted as dropped");
	free(k.buf);

	tap_ok(t, tsm_kmsg_tail_init(&k, 16) == 0, "tail: init small");
	tsm_kmsg_tail_add(&k, "0123456789abcdef0123", 20);
	tsm_kmsg_tail_add(&k, "short", 5);
	tsm_kmsg_tail_add(&k, "tiny", 4);
	tsm_kmsg_tail_add(&k, "more", 4);
	tsm_kmsg_tail_finish(&k);
	tap_ok(t, k.len == 16 && !memcmp(k.buf, "short\ntiny\nmore\n", 16),
	       "tail: a line over the budget is left out, whole lines kept");
	tap_ok(t, k.dropped == 1, "tail: the long line counted");
	free(k.buf);

	tap_ok(t, tsm_kmsg_tail_init(&k, 16) == 0, "tail: init for odd sizes");
	tsm_kmsg_tail_add(&k, "aaaaaaaaaa", 10);
	tsm_kmsg_tail_add(&k, "bbbbbbbbbb", 10);
	tsm_kmsg_tail_add(&k, "cc", 2);
	tsm_kmsg_tail_finish(&k);
	tap_ok(t, k.len == 14 && !memcmp(k.buf, "bbbbbbbbbb\ncc\n", 14),
	       "tail: never a cut line");
	free(k.buf);
}

static void dmesg(struct tap *t, const char *rec, const char *want)
{
	struct tsm_kmsg_tail k;
	char what[160];

	snprintf(what, sizeof(what), "dmesg form: \"%.60s\" -> \"%.60s\"", rec,
		 want);
	for (char *p = what; *p; p++)
		if (*p == '\n')
			*p = '|';
	if (tsm_kmsg_tail_init(&k, 4096)) {
		tap_ok(t, false, what);
		return;
	}
	tsm_kmsg_tail_add(&k, rec, strlen(rec));
	tsm_kmsg_tail_finish(&k);
	tap_ok(t, k.len == strlen(want) && !memcmp(k.buf, want, k.len), what);
	free(k.buf);
}

static void test_dmesg(struct tap *t)
{
	dmesg(t,
	      "6,97,480395,-;pci 0000:00:01.0: TSM: connect\n SUBSYSTEM=pci\n",
	      "[    0.480395] pci 0000:00:01.0: TSM: connect\n");
	dmesg(t, "4,28,3508,-,caller=T1;Tdisp lock\n",
	      "[    0.003508] Tdisp lock\n");
	dmesg(t, "12,150,185959240,-;iommufd: x\n",
	      "[  185.959240] iommufd: x\n");
	dmesg(t, "6,1,123456789012,-;tsm\n", "[123456.789012] tsm\n");
	dmesg(t, "6,1,0,-;tsm", "[    0.000000] tsm\n");
	/* not a kmsg header: the line as it is */
	dmesg(t, "tsm: plain line\n", "tsm: plain line\n");
	dmesg(t, "6,x,1;tsm\n", "6,x,1;tsm\n");
	dmesg(t, "6,1;tsm\n", "6,1;tsm\n");
}

int main(void)
{
	struct tap t = { 0 };

	test_match(&t);
	test_dmesg(&t);
	test_tail(&t);
	return tap_done(&t);
}
