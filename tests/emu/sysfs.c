// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu sysfs fixture (tests/emu/README.md): a private mount
 * namespace with a tmpfs over /sys, filled from the scenario, kept in
 * step with the model by the supervisor through /proc/PID/root/sys.
 * Attribute semantics: docs/kernel-abi.md, "sysfs".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "sysfs.h"

void emu_sysfs_init(struct emu_sysfs *fs)
{
	memset(fs, 0, sizeof(*fs));
	snprintf(fs->pci_mode, sizeof(fs->pci_mode), "link");
	fs->btf_profile = EMU_SYSFS_BTF_MODEL;
	fs->dirfd = -1;
}

void emu_sysfs_free(struct emu_sysfs *fs)
{
	for (int i = 0; i < fs->nextra; i++) {
		free(fs->extra_path[i]);
		free(fs->extra_data[i]);
	}
	fs->nextra = 0;
	free(fs->btf);
	fs->btf = NULL;
	if (fs->dirfd >= 0)
		close(fs->dirfd);
	fs->dirfd = -1;
}

bool emu_sysfs_bdf_ok(const char *b)
{
	static const char pat[] = "xxxx:xx:xx.x";

	if (strlen(b) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] != 'x' ? b[i] != pat[i] :
				    !((b[i] >= '0' && b[i] <= '9') ||
				      (b[i] >= 'a' && b[i] <= 'f')))
			return false;
	}
	return b[11] <= '7';
}

/* a relative path without "..", "." or empty components */
static bool rel_ok(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return false;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (!n || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	return true;
}

/* "tsms": ["tsm0", ...], "streams": N, "devices": {BDF: {...}} */
static int load_more(struct emu_sysfs *fs, const char *key, json_object *v,
		     char *err, size_t errlen)
{
	if (!strcmp(key, "devices"))
		return emu_sysfs_load_devices(fs, v, err, errlen);
	if (!strcmp(key, "streams")) {
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int(v) < 0 || json_object_get_int(v) > 16) {
			snprintf(err, errlen, "\"streams\": 0..16");
			return -1;
		}
		fs->streams = json_object_get_int(v);
		return 0;
	}
	if (!json_object_is_type(v, json_type_array) ||
	    !json_object_array_length(v) ||
	    json_object_array_length(v) > EMU_SYSFS_MAX_TSM)
		goto bad;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *n = json_object_array_get_idx(v, i);
		const char *s = json_object_get_string(n);
		int id, end = 0;

		if (!json_object_is_type(n, json_type_string) ||
		    sscanf(s, "tsm%d%n", &id, &end) != 1 || s[end] || id < 0)
			goto bad;
		snprintf(fs->tsms[fs->ntsms++], sizeof(fs->tsms[0]), "tsm%d",
			 id);
	}
	return 0;
bad:
	snprintf(err, errlen, "\"tsms\": 1..%d names like tsm0",
		 EMU_SYSFS_MAX_TSM);
	return -1;
}

int emu_sysfs_load(struct emu_sysfs *fs, void *json, char *err, size_t errlen)
{
	json_object *o = json, *v;

	if (json_object_is_type(o, json_type_boolean)) {
		fs->enabled = json_object_get_boolean(o);
		return 0;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "expected true, false or an object");
		return -1;
	}
	fs->enabled = true;
	json_object_object_foreach(o, key, val) {
		if (!strcmp(key, "comment") || !strcmp(key, "extra"))
			continue;
		if (!strcmp(key, "tsms") || !strcmp(key, "streams") ||
		    !strcmp(key, "devices")) {
			if (load_more(fs, key, val, err, errlen))
				return -1;
			continue;
		}
		if (!strcmp(key, "shape")) {
			const char *sh = json_object_is_type(
						 val, json_type_string) ?
						 json_object_get_string(val) :
						 "";

			if (strcmp(sh, "mainline") && strcmp(sh, "staging")) {
				snprintf(err, errlen,
					 "\"shape\": \"mainline\" or \"staging\"");
				return -1;
			}
			fs->mainline = !strcmp(sh, "mainline");
			continue;
		}
		if (strcmp(key, "pci_mode")) {
			snprintf(err, errlen, "unknown key \"%s\"", key);
			return -1;
		}
		if (!json_object_is_type(val, json_type_string) ||
		    strlen(json_object_get_string(val)) >=
			    sizeof(fs->pci_mode)) {
			snprintf(err, errlen,
				 "\"pci_mode\": expected a short "
				 "string (link, devsec)");
			return -1;
		}
		snprintf(fs->pci_mode, sizeof(fs->pci_mode), "%s",
			 json_object_get_string(val));
	}
	if (!json_object_object_get_ex(o, "extra", &v))
		return 0;
	if (!json_object_is_type(v, json_type_object)) {
		snprintf(err, errlen, "\"extra\": expected an object");
		return -1;
	}
	json_object_object_foreach(v, path, data) {
		const char *rel = !strncmp(path, "/sys/", 5) ? path + 5 : path;

		if (!rel_ok(rel) || strlen(rel) > 200) {
			snprintf(err, errlen,
				 "\"extra\": bad path \"%s\" (under "
				 "/sys, no . or ..)",
				 path);
			return -1;
		}
		if (!json_object_is_type(data, json_type_string)) {
			snprintf(err, errlen,
				 "\"extra\": \"%s\": expected a "
				 "string",
				 path);
			return -1;
		}
		if (fs->nextra == EMU_SYSFS_MAX_EXTRA) {
			snprintf(err, errlen, "\"extra\": at most %d files",
				 EMU_SYSFS_MAX_EXTRA);
			return -1;
		}
		fs->extra_path[fs->nextra] = strdup(rel);
		fs->extra_data[fs->nextra] =
			strdup(json_object_get_string(data));
		fs->nextra++;
	}
	return 0;
}

int emu_sysfs_load_btf(struct emu_sysfs *fs, void *json, char *err,
		       size_t errlen)
{
	json_object *o = json;

	if (json_object_is_type(o, json_type_boolean)) {
		fs->btf_profile = json_object_get_boolean(o) ?
					  EMU_SYSFS_BTF_MODEL :
					  EMU_SYSFS_BTF_NONE;
		return 0;
	}
	if (json_object_is_type(o, json_type_string)) {
		fs->btf_profile = emu_profile_parse(json_object_get_string(o));
		if (fs->btf_profile >= 0)
			return 0;
	}
	snprintf(err, errlen,
		 "\"btf\": expected v5, v5-op, v6, v7, true or "
		 "false");
	return -1;
}

/* run mkbtf PROFILE /proc/self/fd/N (a memfd) and read the blob */
static int gen_btf(struct emu_sysfs *fs, int profile)
{
	char exe[PATH_MAX], tool[PATH_MAX + 8], tmp[64];
	const char *env = getenv("TSM_EMU_MKBTF");
	struct stat st;
	ssize_t n;
	pid_t pid;
	int fd, status, rc = -1;

	if (env) {
		snprintf(tool, sizeof(tool), "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return -1;
		exe[n] = 0;
		*strrchr(exe, '/') = 0;
		snprintf(tool, sizeof(tool), "%s/mkbtf", exe);
	}
	fd = memfd_create("tsm-emu-btf", 0); /* inherited by mkbtf */
	if (fd < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "/proc/self/fd/%d", fd);
	pid = fork();
	if (!pid) {
		execl(tool, tool, emu_profile_name(profile), tmp, (char *)NULL);
		fprintf(stderr, "tsm-emu: %s: %s\n", tool, strerror(errno));
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    !WEXITSTATUS(status) && !fstat(fd, &st) && st.st_size > 0) {
		fs->btf = malloc(st.st_size);
		if (fs->btf &&
		    pread(fd, fs->btf, st.st_size, 0) == st.st_size) {
			fs->btf_len = st.st_size;
			rc = 0;
		}
	}
	close(fd);
	if (rc)
		fprintf(stderr,
			"tsm-emu: sysfs: cannot generate the BTF blob "
			"with %s (set TSM_EMU_MKBTF, or \"btf\": false)\n",
			tool);
	return rc;
}

int emu_sysfs_prepare(struct emu_sysfs *fs, struct emu_ctx **ctxs, int nctx,
		      int profile)
{
	char err[160];

	for (int c = 0; c < nctx; c++)
		for (int i = 0; i < EMU_MAX_VDEV; i++) {
			struct emu_vdev *v = &ctxs[c]->vdev[i];
			struct emu_sysfs_dev *d;

			if (!v->live || !v->bdf[0])
				continue;
			d = emu_sysfs_add(fs, v->bdf);
			if (!d)
				return -1;
			d->ctx = ctxs[c];
			d->vdev_id = v->id;
		}
	if (emu_sysfs_finish_devices(fs, err, sizeof(err))) {
		fprintf(stderr, "tsm-emu: sysfs: %s\n", err);
		return -1;
	}
	for (int i = 0; i < fs->ndev; i++)
		emu_sysfs_note_dsm(fs, &fs->dev[i]);
	if (fs->btf_profile == EMU_SYSFS_BTF_NONE)
		return 0;
	return gen_btf(fs, fs->btf_profile >= 0 ? fs->btf_profile : profile);
}

static int populate(struct emu_sysfs *fs, int dirfd)
{
	if (emu_sysfs_render(fs, dirfd, true))
		return -1;
	if (fs->btf && emu_sysfs_put(dirfd, "kernel/btf/vmlinux", fs->btf,
				     fs->btf_len, 0444))
		return -1;
	for (int i = 0; i < fs->nextra; i++)
		if (emu_sysfs_put(dirfd, fs->extra_path[i], fs->extra_data[i],
				  strlen(fs->extra_data[i]), 0644))
			return -1;
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return rc;
}

/* unprivileged: a user namespace mapping only our own ids */
static int enter_userns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return -1;
	snprintf(map, sizeof(map), "%u %u 1\n", uid, uid);
	if (write_file("/proc/self/uid_map", map))
		return -1;
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1\n", gid, gid);
	return write_file("/proc/self/gid_map", map);
}

int emu_sysfs_enter(struct emu_sysfs *fs)
{
	const char *what = "unshare(CLONE_NEWNS)";
	int dirfd;

	if (unshare(CLONE_NEWNS) && (errno != EPERM || enter_userns()))
		goto fail;
	what = "mount --make-rprivate /";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		goto fail;
	what = "mount tmpfs /sys";
	if (mount("tsm-emu-sysfs", "/sys", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755"))
		goto fail;
	what = "populate /sys";
	dirfd = open("/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		goto fail;
	if (populate(fs, dirfd)) {
		close(dirfd);
		goto fail;
	}
	close(dirfd);
	return 0;
fail:
	fprintf(stderr,
		"tsm-emu: sysfs fixture: %s: %s (needs root or "
		"unprivileged user namespaces)\n",
		what, strerror(errno));
	return -1;
}

int emu_sysfs_attach(struct emu_sysfs *fs, pid_t pid, int minfd)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/root/sys", pid);
	fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	fs->dirfd = fcntl(fd, F_DUPFD_CLOEXEC, minfd);
	close(fd);
	return fs->dirfd < 0 ? -1 : 0;
}

void emu_sysfs_sync(void *priv)
{
	struct emu_sysfs *fs = priv;

	if (fs->dirfd >= 0)
		emu_sysfs_render(fs, fs->dirfd, false);
}
