// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs values: the input, cut at 0xff bytes, becomes the contents of a
 * TSM class's pci_mode and a PCI device's tsm/ attributes in a private
 * tree read by tsm_sysfs_scan. Every value read must be a string that
 * the JSON writer turns into valid UTF-8 JSON.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "jsonw.h"
#include "sysfs.h"
#include "utf8.h"

static const char *const files[] = {
	"sys/class/tsm/tsm0/pci_mode",
	"sys/bus/pci/devices/0000:01:00.0/tsm/connect",
	"sys/bus/pci/devices/0000:01:00.0/tsm/dsm",
	"sys/bus/pci/devices/0000:01:00.0/tsm/bound",
	"sys/bus/pci/devices/0000:01:00.0/authenticated",
};

static char root[64];

static void mkdirs(const char *rel)
{
	char p[256], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(p, 0700);
		*s = '/';
	}
}

/* the tree goes at exit: the files, then each directory up to root */
static void cleanup(void)
{
	char p[256], *s;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		unlink(p);
		while ((s = strrchr(p, '/')) && s > p + strlen(root)) {
			*s = 0;
			rmdir(p);
		}
	}
	rmdir(root);
}

static void put(const char *rel, const uint8_t *d, size_t n)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write(fd, d, n) == (ssize_t)n);
	close(fd);
}

static void check_value(const char *v)
{
	struct json_object *o = json_object_new_string(v);
	struct tsm_strbuf b = { 0 };

	FUZZ_CHECK(strlen(v) < 96);
	FUZZ_CHECK(!tsm_json_write(&b, o));
	FUZZ_CHECK(tsm_utf8_valid(b.p, b.len));
	tsm_strbuf_free(&b);
	json_object_put(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsm_sysfs s;
	size_t i, off = 0, end;

	if (!root[0]) {
		snprintf(root, sizeof(root), "/tmp/tsmctl-fuzz-sysfs.%d",
			 (int)getpid());
		mkdir(root, 0700);
		atexit(cleanup);
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			mkdirs(files[i]);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		for (end = off; end < size && data[end] != 0xff; end++)
			;
		put(files[i], data + off, end - off);
		off = end < size ? end + 1 : end;
	}
	tsm_sysfs_scan(root, &s);
	for (i = 0; i < s.nclasses; i++)
		check_value(s.classes[i].pci_mode);
	for (i = 0; i < s.ndevs; i++) {
		for (size_t k = 0; k < TSM_SYSFS_NATTRS; k++)
			check_value(s.devs[i].attr[k].value);
		check_value(s.devs[i].authenticated);
	}
	return 0;
}
