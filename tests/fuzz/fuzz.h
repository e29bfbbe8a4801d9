/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer targets (tests/fuzz/README.md). Each fuzz_NAME.c defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer for `make
 * fuzz`, and with gcc against driver.c for the regression run of `make
 * check`. FUZZ_CHECK aborts on a broken invariant, so both report it.
 */
#ifndef TSMCTL_FUZZ_H
#define TSMCTL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                 \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/* @data as a NUL-terminated copy (the caller frees it) */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	for (size_t i = 0; i < size; i++)
		s[i] = (char)data[i];
	s[size] = 0;
	return s;
}

#endif
