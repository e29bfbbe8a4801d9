// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming tar.gz writer: ustar (POSIX.1-1988) entries, RFC 1952 gzip
 * member, RFC 1951 deflate with stored blocks only.
 *
 * Uncompressed tar bytes collect in a 65535-byte buffer; each full buffer
 * goes out as one non-final stored block (header byte 0x00, LEN, NLEN,
 * data). close() emits the rest as the final block (header byte 0x01;
 * it may be empty) and the trailer: CRC-32 and ISIZE, little-endian.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "targz.h"

#define TAR_BLOCK 512
#define STORED_MAX 65535
#define USTAR_SIZE_MAX 077777777777ULL /* 11 octal digits */

struct tsm_targz {
	int fd;
	int err; /* sticky negative errno */
	uint32_t crc; /* running CRC-32 of the tar stream */
	uint32_t isize; /* its length modulo 2^32 */
	size_t blen;
	uint8_t buf[STORED_MAX];
};

uint32_t tsm_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

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

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

/* Emit the buffered bytes as one stored block. */
static int flush_block(struct tsm_targz *t, bool final)
{
	uint8_t hdr[5];
	int rc;

	hdr[0] = final ? 0x01 : 0x00; /* BFINAL, BTYPE=00, pad to byte */
	put_le16(hdr + 1, (uint16_t)t->blen);
	put_le16(hdr + 3, (uint16_t)~t->blen);
	rc = write_all(t->fd, hdr, sizeof(hdr));
	if (!rc)
		rc = write_all(t->fd, t->buf, t->blen);
	t->blen = 0;
	if (rc)
		t->err = rc;
	return rc;
}

/* Feed uncompressed tar bytes into the deflate stream. */
static int tar_write(struct tsm_targz *t, const void *data, size_t len)
{
	const uint8_t *p = data;

	if (t->err)
		return t->err;
	t->crc = tsm_crc32(t->crc, data, len);
	t->isize += (uint32_t)len;
	while (len) {
		size_t n = sizeof(t->buf) - t->blen;

		if (n > len)
			n = len;
		memcpy(t->buf + t->blen, p, n);
		t->blen += n;
		p += n;
		len -= n;
		if (t->blen == sizeof(t->buf) && flush_block(t, false))
			return t->err;
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

int tsm_targz_open(struct tsm_targz **out, int fd)
{
	/* ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=3 (Unix) */
	static const uint8_t gz_hdr[10] = {
		0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03,
	};
	struct tsm_targz *t;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (fd < 0)
		return -EBADF;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fd = fd;
	rc = write_all(fd, gz_hdr, sizeof(gz_hdr));
	if (rc) {
		free(t);
		return rc;
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

int tsm_targz_add(struct tsm_targz *t, const char *name, const void *data,
		  size_t len, time_t mtime)
{
	struct ustar h;
	const uint8_t *b;
	unsigned int sum = 0;
	size_t nlen;
	int rc;

	if (!t || !name || (len && !data))
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

	memset(&h, 0, sizeof(h));
	memcpy(h.name, name, nlen);
	octal(h.mode, sizeof(h.mode), 0644);
	octal(h.uid, sizeof(h.uid), 0);
	octal(h.gid, sizeof(h.gid), 0);
	octal(h.size, sizeof(h.size), len);
	octal(h.mtime, sizeof(h.mtime), (unsigned long long)mtime);
	h.typeflag = '0';
	memcpy(h.magic, "ustar", 6); /* with its NUL */
	memcpy(h.version, "00", 2);
	memcpy(h.uname, "root", 4);
	memcpy(h.gname, "root", 4);
	octal(h.devmajor, sizeof(h.devmajor), 0);
	octal(h.devminor, sizeof(h.devminor), 0);
	/* checksum: bytes summed with the field as spaces; "%06o\0 " */
	memset(h.chksum, ' ', sizeof(h.chksum));
	b = (const uint8_t *)&h;
	for (size_t i = 0; i < sizeof(h); i++)
		sum += b[i];
	octal(h.chksum, 7, sum);
	h.chksum[7] = ' ';

	rc = tar_write(t, &h, sizeof(h));
	if (!rc && len)
		rc = tar_write(t, data, len);
	if (!rc && len % TAR_BLOCK)
		rc = tar_zeros(t, TAR_BLOCK - len % TAR_BLOCK);
	return rc;
}

int tsm_targz_close(struct tsm_targz *t)
{
	uint8_t trailer[8];
	int rc;

	if (!t)
		return -EINVAL;
	rc = tar_zeros(t, 2 * TAR_BLOCK); /* end of archive */
	if (!rc)
		rc = flush_block(t, true);
	if (!rc) {
		put_le32(trailer, t->crc);
		put_le32(trailer + 4, t->isize);
		rc = write_all(t->fd, trailer, sizeof(trailer));
	}
	if (!rc)
		rc = t->err;
	free(t);
	return rc;
}
