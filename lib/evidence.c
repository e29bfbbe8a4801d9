// SPDX-License-Identifier: GPL-2.0
/* What the evidence decoders (tdisp.c, spdm_meas.c) share. */
#include <stdarg.h>
#include <stdio.h>

#include "evidence.h"

int evidence_fail(char *dst, size_t len, const char **why, int err,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
	if (why)
		*why = dst;
	return err;
}
