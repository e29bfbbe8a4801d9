// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming tar.gz writer: ustar (POSIX.1-1988) entries through one zlib
 * deflate stream with a gzip wrapper (windowBits 15 + 16), level 6 as
 * gzip(1) uses by default. Compressed bytes go to the descriptor each
 * time the 64 KiB output buffer fills, so memory stays bounded whatever
 * the size of the entries.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "dl.h"
#include "targz.h"

#define TAR_BLOCK 512
#define OUT_BUF 65536
#define USTAR_SIZE_MAX 077777777777ULL /* 11 octal digits */
#define GZIP_LEVEL 6
#define GZIP_WBITS (15 + 16) /* 32 KiB window, gzip header and trailer */

/* zlib, opened at the first archive */
static struct {
	typeof(deflateInit2_) *init;
	typeof(deflate) *deflate;
	typeof(deflateEnd) *end;
} z;

static const struct tsm_dl_sym z_syms[] = {
	{ "deflateInit2_", (void **)&z.init },
	{ "deflate", (void **)&z.deflate },
	{ "deflateEnd", (void **)&z.end },
};

static struct tsm_dl z_lib = {
	.soname = "libz.so.1",
	.package = "zlib (Debian: zlib1g)",
	.purpose = "writing a .tar.gz bundle",
	.syms = z_syms,
	.nsyms = ARRAY_SIZE(z_syms),
};

struct tsm_targz {
	int fd;
	int err; /* sticky negative errno */
	bool in_entry; /* between begin() and end() */
	size_t entry_left; /* bytes begin() announced, not yet written */
	size_t entry_len;
	z_stream zs;
	uint8_t out[OUT_BUF];
};

static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Run deflate over the pending input, writing each full output buffer. */
static int pump(struct tsm_targz *t, int flush)
{
	int zr, rc;

	do {
		t->zs.next_out = t->out;
		t->zs.avail_out = sizeof(t->out);
		zr = z.deflate(&t->zs, flush);
		if (zr == Z_STREAM_ERROR)
			return t->err = -EIO;
		rc = write_all(t->fd, t->out, sizeof(t->out) - t->zs.avail_out);
		if (rc)
			return t->err = rc;
	} while (t->zs.avail_out == 0 ||
		 (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

/* Feed uncompressed tar bytes into the deflate stream. */
static int tar_write(struct tsm_targz *t, const void *data, size_t len)
{
	const uint8_t *p = data;

	if (t->err)
		return t->err;
	while (len) {
		uInt n = len > (1u << 30) ? 1u << 30 : (uInt)len;

		t->zs.next_in = (Bytef *)p;
		t->zs.avail_in = n;
		if (pump(t, Z_NO_FLUSH))
			return t->err;
		p += n;
		len -= n;
	}
	return 0;
}

static int tar_zeros(struct tsm_targz *t, size_t len)
{
	static const uint8_t zero[TAR_BLOCK];
	int rc = 0;

	while (len && !rc) {
		size_t n = len < sizeof(zero) ? len : sizeof(zero);

		rc = tar_write(t, zero, n);
		len -= n;
	}
	return rc;
}

int tsm_targz_open(struct tsm_targz **out, int fd, struct tsm_err *e)
{
	struct tsm_err ign;
	struct tsm_targz *t;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (fd < 0)
		return -EBADF;
	if (tsm_dl_load(&z_lib, e ? e : &ign))
		return -ELIBACC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fd = fd;
	if (z.init(&t->zs, GZIP_LEVEL, Z_DEFLATED, GZIP_WBITS, 8,
		   Z_DEFAULT_STRATEGY, ZLIB_VERSION, (int)sizeof(z_stream))) {
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

/* Octal, zero-padded to @width - 1 digits, NUL-terminated. */
static void octal(char *field, size_t width, unsigned long long v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), v);
	memcpy(field, tmp, width - 1);
	field[width - 1] = 0;
}

/* ustar header, offsets per POSIX.1-1988 */
struct ustar {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155];
	char pad[12];
};

_Static_assert(sizeof(struct ustar) == TAR_BLOCK, "ustar header is 512 bytes");

static void ustar_header(struct ustar *h, const char *name, size_t nlen,
			 size_t len, time_t mtime)
{
	const uint8_t *b = (const uint8_t *)h;
	unsigned int sum = 0;

	memset(h, 0, sizeof(*h));
	memcpy(h->name, name, nlen);
	octal(h->mode, sizeof(h->mode), 0644);
	octal(h->uid, sizeof(h->uid), 0);
	octal(h->gid, sizeof(h->gid), 0);
	octal(h->size, sizeof(h->size), len);
	octal(h->mtime, sizeof(h->mtime), (unsigned long long)mtime);
	h->typeflag = '0';
	memcpy(h->magic, "ustar", 6); /* with its NUL */
	memcpy(h->version, "00", 2);
	memcpy(h->uname, "root", 4);
	memcpy(h->gname, "root", 4);
	octal(h->devmajor, sizeof(h->devmajor), 0);
	octal(h->devminor, sizeof(h->devminor), 0);
	/* checksum: bytes summed with the field as spaces; "%06o\0 " */
	memset(h->chksum, ' ', sizeof(h->chksum));
	for (size_t i = 0; i < sizeof(*h); i++)
		sum += b[i];
	octal(h->chksum, 7, sum);
	h->chksum[7] = ' ';
}

int tsm_targz_begin(struct tsm_targz *t, const char *name, size_t len,
		    time_t mtime)
{
	struct ustar h;
	size_t nlen;

	if (!t || !name || t->in_entry)
		return -EINVAL;
	if (t->err)
		return t->err;
	nlen = strlen(name);
	if (nlen > TSM_TARGZ_NAME_MAX)
		return -ENAMETOOLONG;
	if (!nlen || name[0] == '/' || mtime < 0 ||
	    (unsigned long long)mtime > USTAR_SIZE_MAX ||
	    (unsigned long long)len > USTAR_SIZE_MAX)
		return -EINVAL;
	ustar_header(&h, name, nlen, len, mtime);
	if (tar_write(t, &h, sizeof(h)))
		return t->err;
	t->in_entry = true;
	t->entry_len = len;
	t->entry_left = len;
	return 0;
}

int tsm_targz_write(struct tsm_targz *t, const void *data, size_t len)
{
	if (!t || !t->in_entry || (len && !data))
		return -EINVAL;
	if (t->err)
		return t->err;
	if (len > t->entry_left)
		return t->err = -EINVAL;
	t->entry_left -= len;
	return tar_write(t, data, len);
}

int tsm_targz_end(struct tsm_targz *t)
{
	if (!t || !t->in_entry)
		return -EINVAL;
	t->in_entry = false;
	if (t->err)
		return t->err;
	if (t->entry_left)
		return t->err = -EINVAL;
	if (t->entry_len % TAR_BLOCK)
		return tar_zeros(t, TAR_BLOCK - t->entry_len % TAR_BLOCK);
	return 0;
}

int tsm_targz_add(struct tsm_targz *t, const char *name, const void *data,
		  size_t len, time_t mtime)
{
	int rc;

	if (!t || (len && !data))
		return -EINVAL;
	rc = tsm_targz_begin(t, name, len, mtime);
	if (!rc)
		rc = tsm_targz_write(t, data, len);
	if (!rc)
		rc = tsm_targz_end(t);
	return rc;
}

int tsm_targz_close(struct tsm_targz *t)
{
	int rc;

	if (!t)
		return -EINVAL;
	rc = t->in_entry ? -EINVAL : t->err;
	if (!rc)
		rc = tar_zeros(t, 2 * TAR_BLOCK); /* end of archive */
	if (!rc)
		rc = pump(t, Z_FINISH);
	z.end(&t->zs);
	free(t);
	return rc;
}
