/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the C unit tests. Each test binary prints
 * "ok N - name" / "not ok N - name" lines and a plan at the end, and exits
 * non-zero when any check failed, so prove(1) and make both see failures.
 */
#ifndef TSMCTL_TAP_H
#define TSMCTL_TAP_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stddef.h>

struct tap {
	int n;
	int failed;
};

static inline void tap_ok(struct tap *t, int cond, const char *what)
{
	t->n++;
	if (!cond)
		t->failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", t->n, what);
}

/* Compare a byte buffer with an expected hex string (spaces ignored). */
static inline int tap_hex_eq(struct tap *t, const void *buf, size_t len,
			     const char *hex, const char *what)
{
	const unsigned char *b = buf;
	char got[4096], want[4096];
	size_t i, j = 0;

	for (i = 0; hex[i] && j + 1 < sizeof(want); i++)
		if (hex[i] != ' ' && hex[i] != ':')
			want[j++] = hex[i];
	want[j] = 0;
	for (i = 0; i < len && 2 * i + 2 < sizeof(got); i++)
		snprintf(got + 2 * i, 3, "%02x", b[i]);
	got[2 * (len < sizeof(got) / 2 ? len : 0)] = 0;
	if (len >= sizeof(got) / 2)
		got[0] = 0;
	tap_ok(t, strcmp(got, want) == 0, what);
	if (strcmp(got, want) != 0)
		printf("#   got:  %s\n#   want: %s\n", got, want);
	return strcmp(got, want) == 0;
}

static inline int tap_done(struct tap *t)
{
	printf("1..%d\n", t->n);
	if (t->failed)
		printf("# %d of %d checks failed\n", t->failed, t->n);
	return t->failed ? 1 : 0;
}

#endif
