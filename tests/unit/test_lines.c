// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded line reader (lib/lines.c): lines, CR LF, a last line
 * without a newline, an over-long line refused and skipped while the ones
 * after it are read, and memory that stays at the limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"
#include "tap.h"

/* @n bytes of @s in a temporary file, opened for reading */
static int feed(const char *s, size_t n)
{
	char path[] = "/tmp/tsmctl-lines.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, s, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET))
		return -1;
	return fd;
}

int main(void)
{
	static char big[100000];
	struct tap t = { 0 };
	struct tsm_lines l;
	char *line, buf[300];
	size_t n;
	int fd, rc;

	fd = feed("a\r\n\nbc\nlast", 11);
	tsm_lines_init(&l, fd, 16);
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == 1 && n == 1 && !strcmp(line, "a") && l.no == 1,
	       "CR LF line, CR dropped");
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == 1 && n == 0 && l.no == 2, "empty line");
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == 1 && !strcmp(line, "bc") && !l.cut, "third line");
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == 1 && !strcmp(line, "last") && l.cut && l.no == 4,
	       "last line without a newline is marked cut");
	tap_ok(&t, tsm_lines_next(&l, &line, &n) == 0, "then end of input");
	tsm_lines_free(&l);
	close(fd);

	/* 100000 bytes without a newline, then a short line */
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 3] = '\n';
	big[sizeof(big) - 2] = 'o';
	big[sizeof(big) - 1] = 'k';
	fd = feed(big, sizeof(big));
	tsm_lines_init(&l, fd, 1000);
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == -E2BIG && l.no == 1, "over-long line refused");
	tap_ok(&t, l.cap <= 1000 + 2 + 4096, "buffer stayed at the limit");
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == 1 && !strcmp(line, "ok") && l.no == 2,
	       "the line after it is read");
	tsm_lines_free(&l);
	close(fd);

	/* exactly the limit, and one more, both with their newline */
	memset(buf, 'y', sizeof(buf));
	buf[100] = '\n';
	buf[202] = '\n';
	fd = feed(buf, 203);
	tsm_lines_init(&l, fd, 100);
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == 1 && n == 100, "a line of exactly the limit");
	rc = tsm_lines_next(&l, &line, &n);
	tap_ok(&t, rc == -E2BIG && l.no == 2, "one byte over the limit");
	tap_ok(&t, tsm_lines_next(&l, &line, &n) == 0, "end of input");
	tsm_lines_free(&l);
	close(fd);

	tsm_lines_init(&l, -1, 10);
	tap_ok(&t, tsm_lines_next(&l, &line, &n) == -EBADF,
	       "a read error is returned");
	tsm_lines_free(&l);
	return tap_done(&t);
}
