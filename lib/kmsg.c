// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-message selection for dump --bundle (see kmsg.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
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

static bool word_is(const char *w, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == n && !strncasecmp(w, *set, n))
			return true;
	return false;
}

/*
 * "IDE" is PCIe Integrity and Data Encryption only next to words that say
 * so: "PCIe IDE", "PCI/IDE", "pci_ide", "Selective IDE", "IDE stream",
 * "ide_km"; ATA's "legacy IDE quirk" or "ata_piix ... IDE" are not.
 * @pw/@pn: the word before (NULL if none) and @sep the bytes between;
 * @nw/@nn: the word after.
 */
static bool pcie_ide(const char *pw, size_t pn, const char *sep, size_t sn,
		     const char *nw, size_t nn)
{
	static const char *const before[] = { "pcie", "link", "selective",
					      NULL };
	static const char *const after[] = { "stream", "streams", "km",
					     "key",    "keys",	  NULL };

	if (pw && word_is(pw, pn, before))
		return true;
	if (pw && pn == 3 && !strncasecmp(pw, "pci", 3) && sn == 1 &&
	    (*sep == '/' || *sep == '_'))
		return true;
	return nw && word_is(nw, nn, after);
}

/* The next word at or after @p before @end: its start, length in @n. */
static const char *next_word(const char *p, const char *end, size_t *n)
{
	const char *w;

	while (p < end && !word_char(*p))
		p++;
	for (w = p; p < end && word_char(*p); p++)
		;
	*n = (size_t)(p - w);
	return *n ? w : NULL;
}

bool tsm_kmsg_match(const char *rec, size_t len)
{
	/* "tsmctl": its own segfault and trap lines ("tsmctl[123]: segfault") */
	static const char *const topics[] = { "tsm", "tdisp", "iommufd",
					      "tsmctl", NULL };
	const char *end = rec + len, *msg = rec, *semi, *nl, *p, *w;
	const char *pw = NULL, *nw;
	size_t n, pn = 0, nn;

	nl = memchr(rec, '\n', len);
	semi = memchr(rec, ';', (size_t)((nl ? nl : end) - rec));
	if (semi && kmsg_header(rec, semi))
		msg = semi + 1;
	if (nl)
		end = nl;
	for (p = msg; (w = next_word(p, end, &n)); p = w + n) {
		if (word_is(w, n, topics))
			return true;
		if (n == 3 && !strncasecmp(w, "ide", 3)) {
			nw = next_word(w + n, end, &nn);
			if (pcie_ide(pw, pn, pw ? pw + pn : NULL,
				     pw ? (size_t)(w - (pw + pn)) : 0, nw, nn))
				return true;
		}
		pw = w;
		pn = n;
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

/*
 * "[    1.234567] " for the record header "6,97,1234567,-;" (its third
 * field is the time since boot in microseconds), as dmesg writes it; 0
 * and nothing written when @rec has no such header. Returns the length of
 * the header in @hlen.
 */
static size_t dmesg_prefix(const char *rec, size_t n, char *pre, size_t len,
			   size_t *hlen)
{
	const char *semi = memchr(rec, ';', n), *p = rec;
	unsigned long long us = 0;
	int i, w;

	if (!semi || !kmsg_header(rec, semi))
		return 0;
	/* priority, sequence number, time: decimal numbers */
	for (i = 0; i < 3; i++) {
		if (p >= semi || !isdigit((unsigned char)*p))
			return 0;
		for (us = 0; p < semi && isdigit((unsigned char)*p); p++)
			us = us * 10 + (unsigned long long)(*p - '0');
		if (*p != ',' && (i < 2 || *p != ';'))
			return 0;
		p++;
	}
	w = snprintf(pre, len, "[%5llu.%06llu] ", us / 1000000, us % 1000000);
	if (w < 0 || (size_t)w >= len)
		return 0;
	*hlen = (size_t)(semi + 1 - rec);
	return (size_t)w;
}

void tsm_kmsg_tail_add(struct tsm_kmsg_tail *t, const char *rec, size_t len)
{
	const char *nl = memchr(rec, '\n', len);
	size_t n = nl ? (size_t)(nl - rec) : len, hlen = 0, pn;
	char pre[48];

	if (!t->buf)
		return;
	pn = dmesg_prefix(rec, n, pre, sizeof(pre), &hlen);
	rec += hlen;
	n -= hlen;
	if (pn + n + 1 > t->max) {
		t->dropped++;
		return;
	}
	if (t->len + pn + n + 1 > 2 * t->max)
		tail_trim(t, t->max - (pn + n + 1));
	memcpy(t->buf + t->len, pre, pn);
	memcpy(t->buf + t->len + pn, rec, n);
	t->len += pn + n;
	t->buf[t->len++] = '\n';
}

void tsm_kmsg_tail_finish(struct tsm_kmsg_tail *t)
{
	if (t->buf)
		tail_trim(t, t->max);
}
