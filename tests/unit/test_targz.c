// SPDX-License-Identifier: GPL-2.0
/*
 * lib/targz.c: write archives, then check them with the real gzip(1) and
 * tar(1), compare the extracted files byte for byte, and check that a
 * compressible entry is compressed as gzip -6 compresses it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "targz.h"

#define BIG_LEN 70000 /* crosses the 64 KiB output buffer */
#define TEXT_LEN (1 << 20) /* compressible, written in pieces */
#define MTIME 1700000000

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*len = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(buf = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	n = read(fd, buf, (size_t)st.st_size + 1);
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return NULL;
	}
	*len = (size_t)n;
	return buf;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* system() on a formatted command line; 0 when it exited 0 */
static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void check_file(struct tap *t, const char *dir, const char *name,
		       const void *want, size_t want_len)
{
	char path[512], what[256];
	struct stat st;
	size_t len;
	char *got;

	snprintf(path, sizeof(path), "%s/x/%s", dir, name);
	got = slurp(path, &len);
	snprintf(what, sizeof(what), "%.24s extracted, %zu bytes, same content",
		 name, want_len);
	tap_ok(t,
	       got && len == want_len &&
		       (!want_len || !memcmp(got, want, want_len)),
	       what);
	free(got);
	snprintf(what, sizeof(what), "%.24s: mode 0644 and mtime kept", name);
	tap_ok(t,
	       !stat(path, &st) && (st.st_mode & 0777) == 0644 &&
		       st.st_mtime == MTIME,
	       what);
}

/* 1 MiB of text lines, through begin/write/end in 1000-byte pieces */
static void add_text(struct tap *t, struct tsm_targz *z, const char *dir)
{
	char *text = malloc(TEXT_LEN), path[512];
	size_t at = 0, n;
	FILE *f;
	int rc;

	for (unsigned int i = 0; text && at < TEXT_LEN; i++)
		at += (size_t)snprintf(text + at, TEXT_LEN - at,
				       "{\"seq\":%u,\"call\":\"ioctl\"}\n", i);
	rc = text ? tsm_targz_begin(z, "lines.txt", TEXT_LEN - 1, MTIME) : -1;
	for (at = 0; !rc && at < TEXT_LEN - 1; at += n) {
		n = TEXT_LEN - 1 - at < 1000 ? TEXT_LEN - 1 - at : 1000;
		rc = tsm_targz_write(z, text + at, n);
	}
	tap_ok(t, !rc && tsm_targz_end(z) == 0,
	       "an entry written in 1000-byte pieces");
	snprintf(path, sizeof(path), "%s/lines.txt", dir);
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, TEXT_LEN - 1, f);
		fclose(f);
	}
	free(text);
}

static void test_entry_misuse(struct tap *t)
{
	struct tsm_targz *z = NULL;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	tap_ok(t, fd >= 0 && tsm_targz_open(&z, fd, NULL) == 0, "open");
	tap_ok(t, tsm_targz_write(z, "x", 1) == -EINVAL,
	       "write outside an entry is refused");
	tap_ok(t,
	       tsm_targz_begin(z, "a", 2, 0) == 0 &&
		       tsm_targz_begin(z, "b", 1, 0) == -EINVAL,
	       "an entry cannot start inside another");
	tap_ok(t, tsm_targz_write(z, "xyz", 3) == -EINVAL,
	       "more bytes than announced fail");
	tap_ok(t, tsm_targz_end(z) == -EINVAL && tsm_targz_close(z) == -EINVAL,
	       "and the error is sticky");
	if (fd >= 0)
		close(fd);
}

static void test_archive(struct tap *t, const char *dir)
{
	static const char text[] = "tsmctl bug bundle\nline two\n";
	char archive[512], name[128];
	struct tsm_targz *z = NULL;
	uint8_t *big = malloc(BIG_LEN);
	uint32_t x = 0x12345678;
	int fd, rc;

	if (!big) {
		tap_ok(t, 0, "malloc");
		return;
	}
	for (size_t i = 0; i < BIG_LEN; i++) { /* xorshift32 */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (uint8_t)x;
	}
	snprintf(archive, sizeof(archive), "%s/test.tar.gz", dir);
	fd = open(archive, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	tap_ok(t, fd >= 0, "create the archive file");
	tap_ok(t, tsm_targz_open(&z, fd, NULL) == 0 && z, "tsm_targz_open");
	tap_ok(t, tsm_targz_add(z, "empty", NULL, 0, MTIME) == 0,
	       "add an empty file");
	tap_ok(t, tsm_targz_add(z, "random.bin", big, BIG_LEN, MTIME) == 0,
	       "add 70000 bytes of pseudo-random data");
	tap_ok(t, tsm_targz_add(z, "notes.txt", text, strlen(text), MTIME) == 0,
	       "add a text file");
	add_text(t, z, dir);

	memset(name, 'a', 100);
	name[100] = 0;
	tap_ok(t, tsm_targz_add(z, name, "x", 1, MTIME) == -ENAMETOOLONG,
	       "a 100-character name is refused with -ENAMETOOLONG");
	name[99] = 0;
	tap_ok(t, tsm_targz_add(z, name, "99", 2, MTIME) == 0,
	       "a 99-character name is accepted");
	tap_ok(t, tsm_targz_add(z, "", "x", 1, MTIME) == -EINVAL,
	       "an empty name is refused");
	tap_ok(t, tsm_targz_add(z, "/etc/passwd", "x", 1, MTIME) == -EINVAL,
	       "an absolute name is refused");
	tap_ok(t, tsm_targz_add(z, "neg", "x", 1, -1) == -EINVAL,
	       "a negative mtime is refused");
	rc = tsm_targz_close(z);
	tap_ok(t, rc == 0, "tsm_targz_close");
	close(fd);

	tap_ok(t, run("gzip -t '%s'", archive) == 0,
	       "gzip -t accepts the archive");
	tap_ok(t,
	       run("mkdir '%s/x' && tar -xzf '%s' -C '%s/x' --no-same-owner",
		   dir, archive, dir) == 0,
	       "tar -xzf extracts the archive without complaint");
	check_file(t, dir, "empty", "", 0);
	check_file(t, dir, "random.bin", big, BIG_LEN);
	check_file(t, dir, "notes.txt", text, strlen(text));
	check_file(t, dir, name, "99", 2);
	tap_ok(t, run("cmp -s '%s/x/lines.txt' '%s/lines.txt'", dir, dir) == 0,
	       "lines.txt (begin, write in pieces, end) extracted unchanged");
	tap_ok(t, run("test \"$(tar -tzf '%s' | wc -l)\" = 5", archive) == 0,
	       "the archive lists exactly 5 entries");
	tap_ok(t,
	       run("cd '%s/x' && tar -cf ../re.tar --format=ustar empty random.bin notes.txt lines.txt && "
		   "test $(stat -c %%s '%s') -le $(($(gzip -6 -c ../re.tar | wc -c) * 11 / 10))",
		   dir, archive) == 0,
	       "within 1.1x the size of gzip -6 of the same files");
	free(big);
}

static void test_empty_archive(struct tap *t, const char *dir)
{
	char archive[512];
	struct tsm_targz *z = NULL;
	int fd;

	snprintf(archive, sizeof(archive), "%s/empty.tar.gz", dir);
	fd = open(archive, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	tap_ok(t,
	       fd >= 0 && tsm_targz_open(&z, fd, NULL) == 0 &&
		       tsm_targz_close(z) == 0,
	       "an archive with no entries");
	if (fd >= 0)
		close(fd);
	tap_ok(t,
	       run("gzip -t '%s' && test -z \"$(tar -tzf '%s')\"", archive,
		   archive) == 0,
	       "gzip and tar accept the empty archive");
}

static void test_errors(struct tap *t)
{
	struct tsm_targz *z = NULL;
	uint8_t block[70000] = { 0 };
	int fd, rc;

	tap_ok(t, tsm_targz_open(&z, -1, NULL) == -EBADF && !z,
	       "open on fd -1 gives -EBADF");
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		tap_ok(t, 1, "# SKIP no /dev/full");
		return;
	}
	/* the gzip header goes out with the first entry: ENOSPC there */
	rc = tsm_targz_open(&z, fd, NULL);
	tap_ok(t,
	       rc == 0 && tsm_targz_add(z, "a", "x", 1, 0) == -ENOSPC &&
		       tsm_targz_close(z) == -ENOSPC,
	       "a full disk fails the first entry and close with -ENOSPC");
	close(fd);

	/* a pipe whose reader is gone: EPIPE on the first stored block */
	{
		int p[2];

		if (pipe(p)) {
			tap_ok(t, 0, "pipe");
			return;
		}
		rc = tsm_targz_open(&z, p[1], NULL);
		close(p[0]);
		signal(SIGPIPE, SIG_IGN);
		if (!rc)
			rc = tsm_targz_add(z, "a", block, sizeof(block), 0);
		tap_ok(t, rc == -EPIPE, "a broken pipe gives -EPIPE");
		tap_ok(t, tsm_targz_add(z, "b", "x", 1, 0) == -EPIPE,
		       "the error is sticky");
		tap_ok(t, tsm_targz_close(z) == -EPIPE,
		       "close reports the error and frees");
		close(p[1]);
	}
}

int main(void)
{
	struct tap t = { 0 };
	char dir[] = "/tmp/test_targz.XXXXXX";

	if (!mkdtemp(dir)) {
		tap_ok(&t, 0, "mkdtemp");
		return tap_done(&t);
	}
	test_archive(&t, dir);
	test_empty_archive(&t, dir);
	test_errors(&t);
	test_entry_misuse(&t);
	run("rm -rf '%s'", dir);
	return tap_done(&t);
}
