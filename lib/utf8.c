// SPDX-License-Identifier: GPL-2.0
/*
 * UTF-8 checks (RFC 3629, section 4 syntax): the strict JSON reader uses
 * them on input, the JSON writer and the message writer on what they echo.
 */
#include <stdio.h>
#include <string.h>

#include "utf8.h"

size_t tsm_utf8_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (!n)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		need = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		need = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		need = 4;
	else
		return 0; /* continuation byte, C0/C1 overlong lead, > F4 */
	if (n < need)
		return 0;
	/* the second byte's range excludes overlongs and surrogates */
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < need; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

size_t tsm_utf8_put(uint32_t cp, char *d)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t tsm_utf8_fix(const char *s, size_t n, char *out)
{
	size_t i = 0, d = 0, k;

	while (i < n) {
		k = tsm_utf8_len(s + i, n - i);
		if (k) {
			memcpy(out + d, s + i, k);
			d += k;
			i += k;
		} else {
			memcpy(out + d, "\xef\xbf\xbd", 3);
			d += 3;
			i++;
		}
	}
	return d;
}

bool tsm_utf8_valid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = tsm_utf8_len(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

void tsm_utf8_printable(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0, k;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		k = c >= 0x20 && c != 0x7f ? tsm_utf8_len(s + i, n - i) : 0;
		if (k && o + k < cap) {
			for (size_t j = 0; j < k; j++)
				out[o++] = s[i + j];
			i += k;
			continue;
		}
		if (k || o + 4 >= cap)
			break;
		snprintf(out + o, cap - o, "\\x%02x", c);
		o += 4;
		i++;
	}
	out[o] = 0;
}
