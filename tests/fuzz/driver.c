// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-alone driver for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput once per file named (directories are walked one
 * level), so corpora and crash files replay under gcc's ASan/UBSan.
 * Prints "N inputs" and exits 0; a crash or sanitizer report ends it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define INPUT_MAX (8u << 20)

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || (size_t)st.st_size > INPUT_MAX) {
		fprintf(stderr, "%s: cannot read (or over 8 MiB)\n", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		abort();
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = 0;
	char path[4096];
	struct stat st;

	for (int i = 1; i < argc; i++) {
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]))
				return 2;
			n++;
			continue;
		}
		d = opendir(argv[i]);
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
				 de->d_name);
			if (run_file(path))
				return 2;
			n++;
		}
		if (d)
			closedir(d);
	}
	printf("%u inputs\n", n);
	return 0;
}
