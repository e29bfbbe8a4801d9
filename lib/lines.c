// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded line reader (lines.h). getline(3) reads a whole line before
 * its length can be checked: 1 GB from /dev/zero before a limit of 64 KiB
 * is known to be passed. Here the buffer grows (doubling) up to the limit
 * and no further.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

#define CHUNK 4096

void tsm_lines_init(struct tsm_lines *l, int fd, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->max = max;
}

void tsm_lines_free(struct tsm_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = l->len = l->off = l->scan = 0;
}

/* Room to read into: compact, grow up to max + 2 (a line, its newline and
 * a NUL). 0, or -ENOMEM. */
static int room(struct tsm_lines *l)
{
	size_t ncap;
	char *p;

	if (l->off) {
		memmove(l->buf, l->buf + l->off, l->len - l->off);
		l->len -= l->off;
		l->scan -= l->off;
		l->off = 0;
	}
	if (l->cap - l->len > 1)
		return 0;
	ncap = l->cap ? 2 * l->cap : CHUNK;
	if (ncap > l->max + 2)
		ncap = l->max + 2;
	if (ncap < CHUNK)
		ncap = CHUNK;
	p = realloc(l->buf, ncap);
	if (!p)
		return -ENOMEM;
	l->buf = p;
	l->cap = ncap;
	return 0;
}

static int fill(struct tsm_lines *l)
{
	ssize_t n;
	int rc = room(l);

	if (rc)
		return rc;
	do
		n = read(l->fd, l->buf + l->len, l->cap - l->len - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (!n)
		l->eof = true;
	l->len += (size_t)n;
	return 0;
}

static int take(struct tsm_lines *l, size_t end, size_t next, char **line,
		size_t *len)
{
	size_t n = end - l->off;

	*line = l->buf + l->off;
	l->off = l->scan = next;
	l->no++;
	if (n > l->max)
		return -E2BIG;
	if (n && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = 0;
	*len = n;
	return 1;
}

int tsm_lines_next(struct tsm_lines *l, char **line, size_t *len)
{
	char *nl;
	int rc;

	for (;;) {
		nl = l->len > l->scan ?
			     memchr(l->buf + l->scan, '\n', l->len - l->scan) :
			     NULL;
		if (nl && l->skip) {
			l->skip = false;
			l->off = l->scan = (size_t)(nl - l->buf) + 1;
			continue;
		}
		l->cut = false;
		if (nl)
			return take(l, (size_t)(nl - l->buf),
				    (size_t)(nl - l->buf) + 1, line, len);
		l->scan = l->len;
		if (l->skip) {
			l->off = l->scan = l->len = 0;
		} else if (l->len - l->off > l->max) {
			/* too long: counted now, the rest is dropped */
			l->no++;
			l->skip = true;
			l->off = l->scan = l->len = 0;
			return -E2BIG;
		} else if (l->eof) {
			if (l->len == l->off)
				return 0;
			l->cut = true;
			return take(l, l->len, l->len, line, len);
		}
		if (l->eof)
			return 0;
		rc = fill(l);
		if (rc)
			return rc;
	}
}
