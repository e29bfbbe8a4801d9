// SPDX-License-Identifier: GPL-2.0
/*
 * tsm_errno_name (lib/util.c): one table for every errno value, checked
 * against the C library's own names (evidence over 16 MiB once printed
 * EFBIG as "E27").
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "util.h"

int main(void)
{
	struct tap t = { 0 };
	char buf[16], what[64];
	const char *name, *libc;
	int err, bad = 0, named = 0;

	tap_ok(&t, !strcmp(tsm_errno_name(EFBIG, buf, sizeof(buf)), "EFBIG"),
	       "EFBIG by name (reproducer 7)");
	tap_ok(&t, !strcmp(tsm_errno_name(0, buf, sizeof(buf)), "OK"), "0");
	tap_ok(&t, !strcmp(tsm_errno_name(4095, buf, sizeof(buf)), "E4095"),
	       "an unknown value as E<number>");
	tap_ok(&t, !strcmp(tsm_errno_name(-1, buf, sizeof(buf)), "E-1"),
	       "a negative value as E<number>");
	for (err = 1; err < 200; err++) {
		libc = strerrorname_np(err);
		name = tsm_errno_name(err, buf, sizeof(buf));
		if (libc) {
			named++;
			if (strcmp(name, libc)) {
				printf("#   %d: %s, libc %s\n", err, name,
				       libc);
				bad++;
			}
		}
	}
	snprintf(what, sizeof(what),
		 "all %d errno values the C library names, by its names",
		 named);
	tap_ok(&t, !bad && named > 120, what);
	return tap_done(&t);
}
