/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UTF-8 per RFC 3629 (no overlong forms, no surrogates, nothing above
 * U+10FFFF): checking input and keeping output valid.
 */
#ifndef TSMCTL_UTF8_H
#define TSMCTL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the valid sequence at @s (at most @n bytes), 0 if none */
size_t tsm_utf8_len(const char *s, size_t n);
/* @cp (a scalar value) as UTF-8 into @d (room for 4); returns its length */
size_t tsm_utf8_put(uint32_t cp, char *d);
/*
 * @s into @out (room for 3 * @n) with each byte that does not start a
 * valid sequence replaced by U+FFFD; returns the length written.
 */
size_t tsm_utf8_fix(const char *s, size_t n, char *out);
/* Whether all of @s is valid UTF-8 */
bool tsm_utf8_valid(const char *s, size_t n);
/*
 * @s for a message: valid UTF-8 copied, every other byte and every control
 * character written as \xNN, always NUL-terminated in @out (@cap > 0),
 * cut at a character boundary.
 */
void tsm_utf8_printable(const char *s, size_t n, char *out, size_t cap);

#endif
