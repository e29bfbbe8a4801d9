/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming .tar.gz writer without zlib, for bug bundles:
 * regular-file entries from memory in ustar format, wrapped in one gzip
 * member whose deflate stream uses only "stored" (uncompressed) blocks.
 * Readable by gzip(1), tar(1), Python's tarfile and anything zlib-based.
 *
 * Errors are negative errno values and are sticky: after a failed write
 * every later call returns the same error. Nothing prints or exits.
 */
#ifndef TSMCTL_TARGZ_H
#define TSMCTL_TARGZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TSM_TARGZ_NAME_MAX 99 /* ustar name field minus its NUL */

struct tsm_targz;

/*
 * Start an archive written to @fd (which stays the caller's: it is never
 * closed). Writes the gzip header. -ENOMEM, -EINVAL, or a write error.
 */
int tsm_targz_open(struct tsm_targz **t, int fd);

/*
 * Append a regular file @name (1..99 characters, relative, mode 0644,
 * owner 0:0) with @len bytes of @data and modification time @mtime.
 * -ENAMETOOLONG for a longer name, -EINVAL for an empty or absolute name,
 * a negative @mtime or a size ustar cannot express (>= 8 GiB); nothing
 * is written then and the archive stays usable.
 */
int tsm_targz_add(struct tsm_targz *t, const char *name, const void *data,
		  size_t len, time_t mtime);

/*
 * Write the end-of-archive blocks, the final deflate block and the gzip
 * trailer (CRC-32, ISIZE), and free @t. Returns 0 or the first error.
 */
int tsm_targz_close(struct tsm_targz *t);

/* CRC-32 (IEEE 802.3, as in gzip) of @len bytes, continuing from @crc. */
uint32_t tsm_crc32(uint32_t crc, const void *data, size_t len);

#endif
