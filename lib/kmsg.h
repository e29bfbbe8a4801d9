/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-message selection for dump --bundle's kmsg.txt: which records
 * mention TSM topics, and the newest of them within a byte budget. Pure:
 * no I/O, never prints.
 */
#ifndef TSMCTL_KMSG_H
#define TSMCTL_KMSG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether one /dev/kmsg record ("prio,seq,ts,flags;message\n" followed by
 * " KEY=value" dictionary lines) is about the TSM stack: it names tsm,
 * tdisp, iommufd or tsmctl (its own segfault lines) as a whole word, in
 * any case (not inside a longer
 * alphanumeric word: "pci_tsm" and "TSM:" match, "atsm" does not), or
 * PCIe IDE: "IDE" next to a word that makes it PCIe's ("PCIe IDE",
 * "PCI/IDE", "pci_ide", "Link IDE", "Selective IDE", "IDE stream",
 * "ide_km"), never ATA's ("legacy IDE quirk"). Only the message is
 * searched, not the header or the dictionary. A line without a kmsg
 * header is searched whole.
 */
bool tsm_kmsg_match(const char *rec, size_t len);

/* The newest lines added, at most @max bytes in all, whole lines only. */
struct tsm_kmsg_tail {
	char *buf;
	size_t len;
	size_t max;
	unsigned long dropped; /* lines left out: older, or longer than @max */
};

int tsm_kmsg_tail_init(struct tsm_kmsg_tail *t, size_t max);
/* Add the first line of @rec (newline-terminated in the buffer), a kmsg
 * record in dmesg form: "[    1.234567] message". */
void tsm_kmsg_tail_add(struct tsm_kmsg_tail *t, const char *rec, size_t len);
/* Trim to the budget; t->buf/t->len are then the result (caller frees). */
void tsm_kmsg_tail_finish(struct tsm_kmsg_tail *t);

#endif
