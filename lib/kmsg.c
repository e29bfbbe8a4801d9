// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-message selection for dump --bundle (see kmsg.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kmsg.h"

static bool word_char(char c)
{
	return isalnum((unsigned char)c);
}

/* "6,339,5140900,-;" or "6,339,5140900,-,caller=T1;": digits first, then
 * only [A-Za-z0-9,=+-], with at least one comma. */
static bool kmsg_header(const char *p, const char *semi)
{
	bool comma = false;

	if (p == semi || !isdigit((unsigned char)*p))
		return false;
	for (; p < semi; p++) {
		if (*p == ',')
			comma = true;
		else if (!isalnum((unsigned char)*p) && !strchr("=+-", *p))
			return false;
	}
	return comma;
}

bool tsm_kmsg_match(const char *rec, size_t len)
{
	static const char *const words[] = { "tsm", "tdisp", "iommufd", "ide" };
	const char *end = rec + len, *msg = rec, *semi, *nl, *p;
	size_t i, wl;

	nl = memchr(rec, '\n', len);
	semi = memchr(rec, ';', (size_t)((nl ? nl : end) - rec));
	if (semi && kmsg_header(rec, semi))
		msg = semi + 1;
	if (nl)
		end = nl;
	for (p = msg; p < end; p++) {
		if (p > msg && word_char(p[-1]))
			continue;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			wl = strlen(words[i]);
			if ((size_t)(end - p) >= wl &&
			    !strncasecmp(p, words[i], wl) &&
			    (p + wl == end || !word_char(p[wl])))
				return true;
		}
	}
	return false;
}

int tsm_kmsg_tail_init(struct tsm_kmsg_tail *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	/* twice the budget: trimmed only when full, not on every line */
	t->buf = malloc(2 * max + 1);
	return t->buf ? 0 : -ENOMEM;
}

/* Drop the oldest whole lines until at most @limit bytes remain. */
static void tail_trim(struct tsm_kmsg_tail *t, size_t limit)
{
	size_t skip, i;

	if (t->len <= limit)
		return;
	skip = t->len - limit;
	/* the first line start at or after @skip */
	for (i = 0; i < skip; i++)
		if (t->buf[i] == '\n')
			t->dropped++;
	while (skip < t->len && t->buf[skip - 1] != '\n') {
		if (t->buf[skip] == '\n')
			t->dropped++;
		skip++;
	}
	memmove(t->buf, t->buf + skip, t->len - skip);
	t->len -= skip;
}

void tsm_kmsg_tail_add(struct tsm_kmsg_tail *t, const char *rec, size_t len)
{
	const char *nl = memchr(rec, '\n', len);
	size_t n = nl ? (size_t)(nl - rec) : len;

	if (!t->buf)
		return;
	if (n + 1 > t->max) {
		t->dropped++;
		return;
	}
	if (t->len + n + 1 > 2 * t->max)
		tail_trim(t, t->max - (n + 1));
	memcpy(t->buf + t->len, rec, n);
	t->len += n;
	t->buf[t->len++] = '\n';
}

void tsm_kmsg_tail_finish(struct tsm_kmsg_tail *t)
{
	if (t->buf)
		tail_trim(t, t->max);
}
