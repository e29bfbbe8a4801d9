// SPDX-License-Identifier: GPL-2.0
/*
 * rawloop: the reference for tests/bench/batch.sh. Issues COUNT identical
 * iommufd ioctls on an inherited descriptor with no parsing and no output
 * per call: copy the struct bytes (the kernel writes tsm_code back into
 * TSM_REQ), patch the payload pointers, ioctl, check. The bytes are those
 * tsmctl sends for the same envelope (batch.sh takes them from
 * "tsmctl -j ... --dry-run").
 *
 *   rawloop FD REQUEST COUNT STRUCT_HEX [PAYLOAD_HEX RESP_LEN]
 *
 * REQUEST is the ioctl number (0x3b96). With PAYLOAD_HEX (may be "") the
 * struct is a TSM_REQ layout: req_uptr and resp_uptr (offsets 24 and 32
 * in both the 40- and the 48-byte layout) are pointed at the payload and
 * at a RESP_LEN-byte response buffer, or left 0 for a zero length, as
 * tsmctl does. Exit 0 if every call returned >= 0, 1 otherwise.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi.h"

#define MAX_STRUCT 256

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Returns the byte count, or -1 for bad hex or more than @cap bytes. */
static long unhex(const char *s, uint8_t *b, size_t cap)
{
	size_t n = strlen(s), i;

	if (n % 2 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static unsigned long number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "rawloop: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void put64(uint8_t *b, uint64_t v)
{
	memcpy(b, &v, sizeof(v)); /* x86_64: little-endian, as the ABI */
}

int main(int argc, char **argv)
{
	uint8_t tmpl[MAX_STRUCT], buf[MAX_STRUCT];
	uint8_t *req = NULL, *resp = NULL;
	unsigned long request, count, i, fails = 0;
	unsigned long resp_len = 0;
	long slen, req_len = 0;
	int fd;

	if (argc != 5 && argc != 7) {
		fprintf(stderr,
			"usage: rawloop FD REQUEST COUNT STRUCT_HEX [PAYLOAD_HEX RESP_LEN]\n");
		return 2;
	}
	fd = (int)number(argv[1], "FD");
	request = number(argv[2], "REQUEST");
	count = number(argv[3], "COUNT");
	slen = unhex(argv[4], tmpl, sizeof(tmpl));
	if (slen < 0) {
		fprintf(stderr, "rawloop: bad STRUCT_HEX\n");
		return 2;
	}
	if (argc == 7) {
		if (slen < (long)offsetof(struct tsm_uapi_req_op, tsm_code)) {
			fprintf(stderr,
				"rawloop: STRUCT_HEX too short for TSM_REQ\n");
			return 2;
		}
		req = malloc(strlen(argv[5]) / 2 + 1);
		resp_len = number(argv[6], "RESP_LEN");
		resp = calloc(1, resp_len ? resp_len : 1);
		if (!req || !resp)
			return 2;
		req_len = unhex(argv[5], req, strlen(argv[5]) / 2);
		if (req_len < 0) {
			fprintf(stderr, "rawloop: bad PAYLOAD_HEX\n");
			return 2;
		}
		put64(tmpl + offsetof(struct tsm_uapi_req_op, req_uptr),
		      req_len ? (uint64_t)(uintptr_t)req : 0);
		put64(tmpl + offsetof(struct tsm_uapi_req_op, resp_uptr),
		      resp_len ? (uint64_t)(uintptr_t)resp : 0);
	}
	for (i = 0; i < count; i++) {
		memcpy(buf, tmpl, (size_t)slen);
		if (ioctl(fd, request, buf) < 0)
			fails++;
	}
	free(req);
	free(resp);
	if (fails) {
		fprintf(stderr, "rawloop: %lu of %lu calls failed\n", fails,
			count);
		return 1;
	}
	return 0;
}
