/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded line reader: lines of at most a given length from a
 * descriptor, in memory that never grows past that length (plus one read
 * chunk), however long a line or the input is. Batch stdin and replay
 * traces read through it; a line over the limit is reported and skipped
 * without being stored.
 */
#ifndef TSMCTL_LINES_H
#define TSMCTL_LINES_H

#include <stdbool.h>
#include <stddef.h>

struct tsm_lines {
	int fd;
	size_t max; /* longest line accepted, without its newline */
	char *buf;
	size_t cap, off, len, scan; /* unread: buf[off..len); scanned to */
	bool eof, skip; /* skip: drop input up to the next newline */
	bool cut; /* the line last returned had no newline (end of input) */
	unsigned int no; /* number of the line last returned (from 1) */
};

void tsm_lines_init(struct tsm_lines *l, int fd, size_t max);
/*
 * The next line, NUL-terminated, its newline (and a CR before it)
 * removed, in *@line (valid until the next call) and *@len. Returns 1 for
 * a line, 0 at the end of input, -E2BIG for a line (number l->no) longer
 * than l->max, which is skipped, or -errno when reading fails.
 */
int tsm_lines_next(struct tsm_lines *l, char **line, size_t *len);
void tsm_lines_free(struct tsm_lines *l);

#endif
