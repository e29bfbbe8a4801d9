// SPDX-License-Identifier: GPL-2.0
/*
 * mkbtf: write a small BTF blob that declares the vdevice TSM uapi of one
 * compiled-in ABI profile, for detection tests (an emulator can serve it
 * as /sys/kernel/btf/vmlinux).
 *
 *   mkbtf PROFILE|none OUTFILE [--no-enum] [--alt-name]
 *
 * Build: gcc -Ilib tests/tools/mkbtf.c lib/abi.c lib/util.c -o mkbtf
 *
 * tests/unit/test_detect.c includes this file with MKBTF_NO_MAIN to share
 * the writer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

#define BW_TYPES_MAX 16384
#define BW_STRS_MAX 8192

/* A tiny BTF writer: types and a string table, little error checking. */
struct bw {
	uint8_t types[BW_TYPES_MAX];
	uint32_t tlen;
	char strs[BW_STRS_MAX];
	uint32_t slen;
	uint32_t nr; /* last type id */
	bool overflow;
};

static void bw_init(struct bw *w)
{
	memset(w, 0, sizeof(*w));
	w->slen = 1; /* "" at offset 0 */
}

static uint32_t bw_str(struct bw *w, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = w->slen;

	if (!*s)
		return 0;
	if (w->slen + n > BW_STRS_MAX) {
		w->overflow = true;
		return 0;
	}
	memcpy(w->strs + w->slen, s, n);
	w->slen += (uint32_t)n;
	return off;
}

static void bw_u32(struct bw *w, uint32_t v)
{
	if (w->tlen + 4 > BW_TYPES_MAX) {
		w->overflow = true;
		return;
	}
	memcpy(w->types + w->tlen, &v, 4);
	w->tlen += 4;
}

/* struct btf_type; returns the new type id. */
static uint32_t bw_type(struct bw *w, const char *name, unsigned int kind,
			unsigned int vlen, bool kflag, uint32_t size_or_type)
{
	bw_u32(w, bw_str(w, name));
	bw_u32(w,
	       (vlen & 0xffff) | (kind & 0x1f) << 24 | (uint32_t)kflag << 31);
	bw_u32(w, size_or_type);
	return ++w->nr;
}

static uint32_t bw_int(struct bw *w, const char *name, uint32_t bytes)
{
	uint32_t id = bw_type(w, name, 1, 0, false, bytes);

	bw_u32(w, bytes * 8); /* encoding 0, offset 0, bits */
	return id;
}

static void bw_member(struct bw *w, const char *name, uint32_t type,
		      uint32_t bit_off)
{
	bw_u32(w, bw_str(w, name));
	bw_u32(w, type);
	bw_u32(w, bit_off);
}

static void bw_enumerator(struct bw *w, const char *name, int32_t val)
{
	bw_u32(w, bw_str(w, name));
	bw_u32(w, (uint32_t)val);
}

/* Header + types + strings into @out; returns the length or 0. */
static size_t bw_finish(const struct bw *w, uint8_t *out, size_t cap)
{
	uint32_t hdr[6] = { 0 };
	size_t len = 24 + w->tlen + w->slen;

	if (w->overflow || len > cap)
		return 0;
	hdr[0] = 0xeB9F | 1 << 16; /* magic, version 1, flags 0 */
	hdr[1] = 24;
	hdr[2] = 0;
	hdr[3] = w->tlen;
	hdr[4] = w->tlen;
	hdr[5] = w->slen;
	memcpy(out, hdr, 24);
	memcpy(out + 24, w->types, w->tlen);
	memcpy(out + 24 + w->tlen, w->strs, w->slen);
	return len;
}

struct bw_opts {
	bool no_enum; /* leave out the IOMMUFD_CMD_* enum */
	bool alt_name; /* kvmtool's iommu_vdevice_tsm_guest_request */
	bool no_tsm; /* a kernel without TSM ioctls */
};

/* Unrelated types of every kind, as in a real vmlinux. */
static void bw_noise(struct bw *w, uint32_t u32, uint32_t u64)
{
	uint32_t ptr, arr, proto, fn;

	ptr = bw_type(w, "", 2, 0, false, u64);
	bw_type(w, "", 3, 0, false, 0);
	bw_u32(w, u32);
	bw_u32(w, u32);
	bw_u32(w, 16);
	arr = w->nr;
	bw_type(w, "list_head", 4, 3, true, 24);
	bw_member(w, "next", ptr, 0);
	bw_member(w, "prev", ptr, 64);
	bw_member(w, "bits", u32, 3u << 24 | 128);
	bw_type(w, "pid_type", 6, 2, false, 4);
	bw_enumerator(w, "PIDTYPE_PID", 0);
	bw_enumerator(w, "PIDTYPE_TGID", 1);
	bw_type(w, "fwd_thing", 7, 0, false, 0);
	bw_type(w, "", 9, 0, false, u32);
	bw_type(w, "", 10, 0, false, arr);
	bw_type(w, "", 11, 0, false, ptr);
	proto = bw_type(w, "", 13, 2, false, u32);
	bw_u32(w, bw_str(w, "a"));
	bw_u32(w, u32);
	bw_u32(w, bw_str(w, "b"));
	bw_u32(w, ptr);
	fn = bw_type(w, "do_thing", 12, 0, false, proto);
	bw_type(w, "some_var", 14, 0, false, u32);
	bw_u32(w, 1);
	bw_type(w, ".data", 15, 1, false, 64);
	bw_u32(w, w->nr - 1);
	bw_u32(w, 0);
	bw_u32(w, 4);
	bw_type(w, "double", 16, 0, false, 8);
	bw_type(w, "tag", 17, 0, false, fn);
	bw_u32(w, (uint32_t)-1);
	bw_type(w, "user", 18, 0, false, ptr);
	bw_type(w, "big_enum", 19, 1, false, 8);
	bw_u32(w, bw_str(w, "BIG_ONE"));
	bw_u32(w, 0x1);
	bw_u32(w, 0x2);
}

static void bw_layout(struct bw *w, const char *name,
		      const struct tsm_layout *l, uint32_t u32, uint32_t u64)
{
	int order[TSM_F_COUNT], n = 0, f, k;

	/* members in offset order, as the compiler emits them */
	for (f = 0; f < TSM_F_COUNT; f++) {
		if (!l->f[f].size)
			continue;
		for (k = n; k > 0 && l->f[order[k - 1]].off > l->f[f].off; k--)
			order[k] = order[k - 1];
		order[k] = f;
		n++;
	}
	bw_type(w, name, 4, (unsigned int)n, false, l->size);
	for (k = 0; k < n; k++)
		bw_member(w, tsm_field_name((enum tsm_fid)order[k]),
			  l->f[order[k]].size == 8 ? u64 : u32,
			  (uint32_t)l->f[order[k]].off * 8);
}

/* A BTF blob for profile @p (NULL with opts->no_tsm). Returns length. */
static size_t bw_profile_blob(const struct tsm_profile *p,
			      const struct bw_opts *o, uint8_t *out, size_t cap)
{
	static const char *const cmds[] = {
		"DESTROY",
		"IOAS_ALLOC",
		"IOAS_ALLOW_IOVAS",
		"IOAS_COPY",
		"IOAS_IOVA_RANGES",
		"IOAS_MAP",
		"IOAS_UNMAP",
		"OPTION",
		"VFIO_IOAS",
		"HWPT_ALLOC",
		"GET_HW_INFO",
		"HWPT_SET_DIRTY_TRACKING",
		"HWPT_GET_DIRTY_BITMAP",
		"HWPT_INVALIDATE",
		"FAULT_QUEUE_ALLOC",
		"IOAS_MAP_FILE",
		"VIOMMU_ALLOC",
		"VDEVICE_ALLOC",
		"IOAS_CHANGE_PROCESS",
		"VEVENTQ_ALLOC",
		"HW_QUEUE_ALLOC",
	};
	struct bw *w = calloc(1, sizeof(*w));
	uint32_t uint, u32, ull, u64, i, n;
	char nm[64];
	size_t len;

	if (!w)
		return 0;
	bw_init(w);
	uint = bw_int(w, "unsigned int", 4);
	u32 = bw_type(w, "__u32", 8, 0, false, uint);
	ull = bw_int(w, "long long unsigned int", 8);
	u64 = bw_type(w, "__u64", 8, 0, false, ull);
	u64 = bw_type(w, "__aligned_u64", 8, 0, false, u64);
	bw_noise(w, u32, u64);
	if (!o->no_tsm && p) {
		if (p->op.nr)
			bw_layout(w, "iommu_vdevice_tsm_op", &p->op, u32, u64);
		bw_layout(w,
			  o->alt_name ? "iommu_vdevice_tsm_guest_request" :
					"iommu_vdevice_tsm_req",
			  &p->req, u32, u64);
	}
	if (!o->no_enum) {
		bool noiommu = !o->no_tsm && p && p->op.nr != 0x95 &&
			       p->req.nr != 0x95;

		n = ARRAY_SIZE(cmds) + 1 + noiommu;
		if (!o->no_tsm && p)
			n += 1 + (p->op.nr != 0);
		bw_type(w, "", 6, n, false, 4);
		bw_enumerator(w, "IOMMUFD_CMD_BASE", 0x80);
		for (i = 0; i < ARRAY_SIZE(cmds); i++) {
			snprintf(nm, sizeof(nm), "IOMMUFD_CMD_%s", cmds[i]);
			bw_enumerator(w, nm, (int32_t)(0x80 + i));
		}
		if (noiommu)
			bw_enumerator(w, "IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA",
				      0x95);
		if (!o->no_tsm && p && p->op.nr)
			bw_enumerator(w, "IOMMUFD_CMD_VDEVICE_TSM_OP",
				      (int32_t)p->op.nr);
		if (!o->no_tsm && p)
			bw_enumerator(w, "IOMMUFD_CMD_VDEVICE_TSM_REQ",
				      (int32_t)p->req.nr);
	}
	len = bw_finish(w, out, cap);
	free(w);
	return len;
}

#ifndef MKBTF_NO_MAIN
int main(int argc, char **argv)
{
	static uint8_t buf[BW_TYPES_MAX + BW_STRS_MAX + 64];
	const struct tsm_profile *p = NULL;
	struct bw_opts o = { 0 };
	size_t len;
	FILE *f;
	int i;

	if (argc < 3) {
		fprintf(stderr,
			"usage: mkbtf PROFILE|none OUTFILE [--no-enum] [--alt-name]\n");
		return 2;
	}
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--no-enum")) {
			o.no_enum = true;
		} else if (!strcmp(argv[i], "--alt-name")) {
			o.alt_name = true;
		} else {
			fprintf(stderr, "mkbtf: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!strcmp(argv[1], "none")) {
		o.no_tsm = true;
	} else {
		p = tsm_profile_find(argv[1]);
		if (!p) {
			fprintf(stderr, "mkbtf: unknown profile %s\n", argv[1]);
			return 2;
		}
	}
	len = bw_profile_blob(p, &o, buf, sizeof(buf));
	if (!len) {
		fprintf(stderr, "mkbtf: blob too large\n");
		return 1;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
#endif
