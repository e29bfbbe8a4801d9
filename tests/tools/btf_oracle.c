// SPDX-License-Identifier: GPL-2.0
/*
 * btf_oracle: libbpf as the test oracle of tsmctl's BTF reader and ABI
 * detection (lib/btf.c, lib/detect.c), on BTF that pahole built from C
 * (tests/cli/btf_oracle.bats).
 *
 *   btf_oracle [--base VMLINUX.btf] BTF EXPECTED
 *
 * BTF is a raw blob: vmlinux-like, or with --base a module's split BTF on
 * top of VMLINUX. Checks, as TAP:
 *   - every fact detection reads (the TSM structs: size, members with
 *     their offsets and sizes; the IOMMUFD_CMD_* enumerators) is the same
 *     through tsmctl's reader and through libbpf's btf__parse /
 *     btf__parse_split, btf__find_by_name_kind and the enum types;
 *   - the profiles whose layouts and ioctl numbers equal those facts, as
 *     libbpf reports them, are exactly EXPECTED (a profile name, or
 *     "none"), and tsmctl's detection says "matches" for it and for no
 *     other profile.
 */
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "btf.h"
#include "detect.h"

static const char *const snames[] = { "iommu_vdevice_tsm_op",
				      "iommu_vdevice_tsm_req" };
static const char *const enames[] = { "IOMMUFD_CMD_VDEVICE_TSM_OP",
				      "IOMMUFD_CMD_VDEVICE_TSM_REQ" };

static int n_test, n_bad;

static void ok(int cond, const char *what, const char *detail)
{
	n_test++;
	n_bad += !cond;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", n_test, what,
	       detail ? ": " : "", detail ? detail : "");
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET) && (b = malloc((size_t)n)) &&
	    fread(b, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	fclose(f);
	return b;
}

/* "size=16 size@0/4 type@4/4 ..." of a struct as libbpf sees it */
static void bpf_struct(const struct btf *btf, const char *name, char *out,
		       size_t len)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *m;
	size_t at;

	if (id < 0) {
		snprintf(out, len, "absent");
		return;
	}
	t = btf__type_by_id(btf, (__u32)id);
	at = (size_t)snprintf(out, len, "size=%u", t->size);
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t) && at < len; i++, m++)
		at += (size_t)snprintf(out + at, len - at, " %s@%u/%lld",
				       btf__name_by_offset(btf, m->name_off),
				       btf_member_bit_offset(t, (__u32)i) / 8,
				       (long long)btf__resolve_size(btf,
								    m->type));
}

static void our_struct(const struct tsm_btf *b, const char *name, char *out,
		       size_t len)
{
	struct tsm_btf_struct s;
	size_t at;

	if (tsm_btf_find_struct(b, name, &s)) {
		snprintf(out, len, "absent");
		return;
	}
	at = (size_t)snprintf(out, len, "size=%u", s.size);
	for (uint32_t i = 0; i < s.n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, " %s@%u/%u",
				       s.m[i].name, s.m[i].off, s.m[i].size);
}

/* An enumerator's value through libbpf; 0 with *found false if none. */
static long long bpf_enum(const struct btf *btf, const char *name, bool *found)
{
	__u32 n = btf__type_cnt(btf);

	*found = false;
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (int i = 0; i < btf_vlen(t); i++, e++)
			if (!strcmp(btf__name_by_offset(btf, e->name_off),
				    name)) {
				*found = true;
				return e->val;
			}
	}
	return 0;
}

/* Whether layout @l equals the struct @name as libbpf reports it. */
static bool layout_equal(const struct btf *btf, const char *name,
			 const struct tsm_layout *l)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *m;
	int seen = 0;

	if (id < 0)
		return false;
	t = btf__type_by_id(btf, (__u32)id);
	if (t->size != l->size)
		return false;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		enum tsm_fid f;

		if (tsm_field_from_name(btf__name_by_offset(btf, m->name_off),
					&f) ||
		    !l->f[f].size ||
		    l->f[f].off != btf_member_bit_offset(t, (__u32)i) / 8 ||
		    l->f[f].size != btf__resolve_size(btf, m->type))
			return false;
		seen++;
	}
	for (int f = 0; f < TSM_F_COUNT; f++)
		seen -= l->f[f].size != 0;
	return seen == 0;
}

/* The oracle's verdict: the profile's layouts and numbers are the facts. */
static bool oracle_matches(const struct btf *btf, const struct tsm_profile *p)
{
	bool fop, freq;
	long long op = bpf_enum(btf, enames[0], &fop);
	long long req = bpf_enum(btf, enames[1], &freq);

	if (!freq || req != p->req.nr || !layout_equal(btf, snames[1], &p->req))
		return false;
	if (!p->op.nr) /* no TSM_OP: neither its struct nor its command */
		return !fop && btf__find_by_name_kind(btf, snames[0],
						      BTF_KIND_STRUCT) < 0;
	return fop && op == p->op.nr && layout_equal(btf, snames[0], &p->op);
}

int main(int argc, char **argv)
{
	const char *basep = NULL, *path, *expected;
	struct btf *bbase = NULL, *bb;
	struct tsm_btf base, mod, *ours;
	struct tsm_detect d;
	struct tsm_err e;
	uint8_t *rb, *rm = NULL;
	size_t lb = 0, lm = 0;
	char a[1024], b[1024];

	if (argc == 5 && !strcmp(argv[1], "--base"))
		basep = argv[2], argv += 2, argc -= 2;
	if (argc != 3) {
		fprintf(stderr,
			"usage: btf_oracle [--base BTF] BTF EXPECTED\n");
		return 2;
	}
	path = argv[1];
	expected = argv[2];
	rb = slurp(basep ? basep : path, &lb);
	if (basep)
		rm = slurp(path, &lm);
	if (basep) {
		bbase = btf__parse(basep, NULL);
		bb = bbase ? btf__parse_split(path, bbase) : NULL;
	} else {
		bb = btf__parse(path, NULL);
	}
	if (!rb || (basep && !rm) || !bb ||
	    tsm_btf_parse(rb, lb, NULL, &base, &e) ||
	    (rm && tsm_btf_parse(rm, lm, &base, &mod, &e))) {
		printf("not ok 1 - %s: both readers parse it\n1..1\n", path);
		return 1;
	}
	ours = rm ? &mod : &base;
	for (size_t i = 0; i < 2; i++) {
		bool found;
		long long v = bpf_enum(bb, enames[i], &found);
		int64_t ov = 0;
		int orc = tsm_btf_find_enumerator(ours, enames[i], &ov, NULL);

		bpf_struct(bb, snames[i], a, sizeof(a));
		our_struct(ours, snames[i], b, sizeof(b));
		ok(!strcmp(a, b), snames[i], a);
		snprintf(a, sizeof(a), "libbpf %s %lld, tsmctl %s %lld",
			 found ? "found" : "absent", found ? v : 0,
			 orc ? "absent" : "found", orc ? 0LL : (long long)ov);
		ok(found == !orc && (!found || v == ov), enames[i], a);
	}
	if (rm)
		tsm_detect_btf_split(rb, lb, rm, lm, &d);
	else
		tsm_detect_btf(rb, lb, &d);
	for (size_t i = 0; i < tsm_profile_count(); i++) {
		const struct tsm_profile *p = tsm_profile_at(i);
		const struct tsm_detect_profile *dp =
			tsm_detect_find(&d, p->name);
		bool om = oracle_matches(bb, p);
		bool tm = dp && dp->verdict == TSM_DETECT_MATCHES;

		snprintf(a, sizeof(a), "libbpf facts %s, tsmctl %s",
			 om ? "match" : "differ",
			 dp ? tsm_detect_verdict_name(dp->verdict) : "absent");
		ok(om == !strcmp(p->name, expected), p->name,
		   "the C file declares this profile (libbpf)");
		ok(om == tm, p->name, a);
	}
	if (rm)
		tsm_btf_free(&mod);
	tsm_btf_free(&base);
	btf__free(bb);
	btf__free(bbase);
	free(rb);
	free(rm);
	printf("1..%d\n", n_test);
	return n_bad ? 1 : 0;
}
