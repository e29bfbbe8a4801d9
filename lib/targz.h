/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming .tar.gz writer for bug bundles: regular-file entries in
 * ustar format, compressed by zlib (deflate level 6, zlib's gzip header
 * and CRC-32), written to a file descriptor as the output buffer fills.
 * zlib is opened at the first archive (lib/dl.h): libz.so.1.
 *
 * ustar rather than libarchive: every entry is a regular file whose size
 * is known before its bytes, which ustar covers in 60 lines, while
 * libarchive would load 16 shared libraries for the same archive.
 *
 * Errors are negative errno values and are sticky: after a failed write
 * every later call returns the same error. Nothing prints or exits.
 */
#ifndef TSMCTL_TARGZ_H
#define TSMCTL_TARGZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

#define TSM_TARGZ_NAME_MAX 99 /* ustar name field minus its NUL */

struct tsm_targz;

/*
 * Start an archive written to @fd (which stays the caller's: it is never
 * closed). -ENOMEM, -EBADF, or -ELIBACC when zlib cannot be loaded (@e
 * then says so; @e may be NULL).
 */
int tsm_targz_open(struct tsm_targz **t, int fd, struct tsm_err *e);

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
 * The same entry in pieces: begin() with its final size, write() its bytes
 * in any number of calls, end() (-EINVAL, sticky, when the bytes written
 * differ from @len). No other entry may start in between.
 */
int tsm_targz_begin(struct tsm_targz *t, const char *name, size_t len,
		    time_t mtime);
int tsm_targz_write(struct tsm_targz *t, const void *data, size_t len);
int tsm_targz_end(struct tsm_targz *t);

/*
 * Write the end-of-archive blocks, finish the gzip member (CRC-32,
 * ISIZE) and free @t. Returns 0 or the first error.
 */
int tsm_targz_close(struct tsm_targz *t);

#endif
