// SPDX-License-Identifier: GPL-2.0
/*
 * BTF reader and ABI profile detection: blobs for each profile are built
 * in memory (writer shared with tests/tools/mkbtf.c), then detected; the
 * reader is fed truncated, corrupted and hostile blobs.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "tap.h"
#include "btf.h"
#include "detect.h"

#define MKBTF_NO_MAIN
#include "../tools/mkbtf.c"

#define BLOB_MAX (BW_TYPES_MAX + BW_STRS_MAX + 64)

static uint8_t blob[BLOB_MAX];

static size_t make(const char *profile, bool no_enum, bool alt)
{
	struct bw_opts o = { .no_enum = no_enum,
			     .alt_name = alt,
			     .no_tsm = !profile };

	return bw_profile_blob(profile ? tsm_profile_find(profile) : NULL, &o,
			       blob, sizeof(blob));
}

static bool has_evidence(const struct tsm_detect *d, const char *name,
			 const char *needle)
{
	const struct tsm_detect_profile *p = tsm_detect_find(d, name);
	unsigned int i;

	for (i = 0; p && i < p->n_evidence; i++)
		if (strstr(p->evidence[i], needle))
			return true;
	return false;
}

static void dump(const struct tsm_detect *d)
{
	size_t i;
	unsigned int k;

	printf("# reason: %s\n", d->reason);
	for (i = 0; i < d->n; i++) {
		printf("#   %s: %s\n", d->p[i].name,
		       tsm_detect_verdict_name(d->p[i].verdict));
		for (k = 0; k < d->p[i].n_evidence; k++)
			printf("#     %s\n", d->p[i].evidence[k]);
	}
}

/* @expect: one char per compiled-in profile, m/c/u. */
static void check_verdicts(struct tap *t, const struct tsm_detect *d,
			   const char *expect, const char *what)
{
	char got[TSM_DETECT_PROFILES_MAX + 1] = { 0 }, msg[160];
	size_t i;

	for (i = 0; i < d->n; i++)
		got[i] = "umc"[d->p[i].verdict];
	snprintf(msg, sizeof(msg), "%s: verdicts %s (want %s)", what, got,
		 expect);
	tap_ok(t, !strcmp(got, expect), msg);
	if (strcmp(got, expect))
		dump(d);
}

static void test_profiles(struct tap *t)
{
	/* profile order: v5 v5-op v6 v7 */
	static const struct {
		const char *profile;
		bool no_enum, alt;
		const char *expect;
	} cases[] = {
		{ "v5", false, false, "mccc" },
		{ "v5-op", false, false, "cmcc" },
		{ "v6", false, false, "ccmc" },
		{ "v7", false, false, "cccm" },
		{ "v7", false, true, "cccm" },
		/* without the enum v5-op, v6 and v7 share every layout */
		{ "v5", true, false, "mccc" },
		{ "v5-op", true, false, "cmmm" },
		{ "v6", true, false, "cmmm" },
		{ "v7", true, false, "cmmm" },
	};
	struct tsm_detect d;
	char what[96];
	size_t i, len;

	tap_ok(t, tsm_profile_count() == 4, "four compiled-in profiles");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = make(cases[i].profile, cases[i].no_enum, cases[i].alt);
		snprintf(what, sizeof(what), "%s blob%s%s", cases[i].profile,
			 cases[i].no_enum ? " without enum" : "",
			 cases[i].alt ? " (kvmtool name)" : "");
		tap_ok(t,
		       len && !tsm_detect_btf(blob, len, &d) && d.have_btf &&
			       d.have_tsm,
		       what);
		check_verdicts(t, &d, cases[i].expect, what);
	}

	len = make("v6", false, false);
	tsm_detect_btf(blob, len, &d);
	tap_ok(t,
	       has_evidence(
		       &d, "v5",
		       "struct iommu_vdevice_tsm_req is 48 bytes, profile v5 expects 40"),
	       "v6 blob: v5 evidence names the size");
	tap_ok(t, has_evidence(&d, "v5", "member scope absent"),
	       "v6 blob: v5 evidence names the missing scope");
	tap_ok(t,
	       has_evidence(&d, "v6", "enum IOMMUFD_CMD_VDEVICE_TSM_OP = 0x96"),
	       "v6 blob: v6 evidence names the TSM_OP enumerator");
	tap_ok(t,
	       has_evidence(&d, "v5-op",
			    "IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA = 0x95"),
	       "v6 blob: v5-op contradicted by NOIOMMU_GET_PA at 0x95");
	tap_ok(t, has_evidence(&d, "v7", "profile v7 has no TSM_OP"),
	       "v6 blob: v7 contradicted by the TSM_OP enumerator");
	tap_ok(t, strstr(d.reason, "matching: v6") != NULL, d.reason);

	len = make("v7", false, false);
	tsm_detect_btf(blob, len, &d);
	tap_ok(t, has_evidence(&d, "v5-op", "no IOMMUFD_CMD_VDEVICE_TSM_OP"),
	       "v7 blob: v5-op contradicted by the missing TSM_OP enumerator");
}

static void test_contradicts(struct tap *t)
{
	struct tsm_detect d;
	const char *m = "x";
	char why[512];
	size_t len = make("v6", false, false);

	tsm_detect_btf(blob, len, &d);
	tap_ok(t, tsm_detect_contradicts(&d, "v5", why, sizeof(why), &m),
	       "contradicts(v5) on v6 kernel");
	tap_ok(t, strstr(why, "48 bytes") && m && !strcmp(m, "v6"), why);
	tap_ok(t, !strstr(why, "with the expected"),
	       "why lists only disagreements");
	tap_ok(t,
	       !tsm_detect_contradicts(&d, "v6", why, sizeof(why), &m) &&
		       !why[0],
	       "no contradiction for v6");
	tap_ok(t, !tsm_detect_contradicts(&d, "kamalca", NULL, 0, NULL),
	       "alias kamalca resolves to v6");
	tap_ok(t,
	       !tsm_detect_contradicts(&d, "nonesuch", why, sizeof(why), NULL),
	       "unknown profile name: no contradiction");
	tap_ok(t, tsm_detect_contradicts(&d, "v5", why, 8, NULL) && !why[0],
	       "why: no partial line in a buffer too small for one");
	tap_ok(t,
	       tsm_detect_contradicts(&d, "v5", why, 120, NULL) &&
		       strlen(why) < 120 && strstr(why, "; and ") &&
		       !strcmp(why + strlen(why) - 5, " more"),
	       "why: whole lines, then how many did not fit");

	len = make(NULL, false, false);
	tsm_detect_btf(blob, len, &d);
	tap_ok(t, !tsm_detect_contradicts(&d, "v6", why, sizeof(why), &m) && !m,
	       "kernel without TSM: nothing contradicts, nothing matches");
}

static void test_no_tsm(struct tap *t)
{
	struct tsm_detect d;
	size_t len = make(NULL, false, false), i;
	bool all = true;

	tap_ok(t, len && !tsm_detect_btf(blob, len, &d), "no-TSM blob parses");
	check_verdicts(t, &d, "uuuu", "no-TSM blob");
	tap_ok(t, d.have_btf && !d.have_tsm, "have_btf, !have_tsm");
	tap_ok(t,
	       strstr(d.reason,
		      "no iommu_vdevice_tsm_* types in BTF: this kernel has no vdevice TSM ioctls") !=
		       NULL,
	       d.reason);
	for (i = 0; i < d.n; i++)
		all &= d.p[i].n_evidence == 1 &&
		       strstr(d.p[i].evidence[0], "no iommu_vdevice_tsm") !=
			       NULL;
	tap_ok(t, all, "every profile carries the reason");
}

static void test_btf_api(struct tap *t)
{
	struct tsm_btf b;
	struct tsm_btf_struct s;
	struct tsm_err err = { 0 };
	const struct tsm_btf_member *m;
	const char *en = NULL;
	int64_t v = 0;
	size_t len = make("v5", false, false);

	tap_ok(t, !tsm_btf_parse(blob, len, NULL, &b, &err), "parse v5 blob");
	tap_ok(t,
	       !tsm_btf_find_struct(&b, "iommu_vdevice_tsm_req", &s) &&
		       s.size == 40 && s.vlen == 8 && s.n == 8,
	       "req: 40 bytes, 8 members");
	m = tsm_btf_member(&s, "__reserved");
	tap_ok(t, m && m->off == 20 && m->size == 4,
	       "__reserved at 20, 4 bytes");
	m = tsm_btf_member(&s, "resp_uptr");
	tap_ok(t, m && m->off == 32 && m->size == 8,
	       "resp_uptr at 32, 8 bytes (through two typedefs)");
	tap_ok(t,
	       !tsm_btf_find_struct(&b, "list_head", &s) && s.n == 3 &&
		       s.m[2].bitfield == 3 && s.m[2].off == 16 &&
		       s.m[2].size == 0 && s.m[0].size == 8,
	       "kind_flag bitfield member decoded");
	tap_ok(t, tsm_btf_find_struct(&b, "fwd_thing", &s) == -ENOENT,
	       "a FWD is not a struct definition");
	tap_ok(t,
	       !tsm_btf_find_enumerator(&b, "IOMMUFD_CMD_VDEVICE_TSM_REQ", &v,
					&en) &&
		       v == 0x96 && en && !*en,
	       "enumerator in anonymous enum");
	tap_ok(t,
	       !tsm_btf_find_enumerator(&b, "BIG_ONE", &v, &en) &&
		       v == 0x200000001LL && !strcmp(en, "big_enum"),
	       "ENUM64 value");
	tap_ok(t,
	       !tsm_btf_find_enumerator(&b, "PIDTYPE_TGID", &v, NULL) && v == 1,
	       "named enum value");
	tap_ok(t, tsm_btf_find_enumerator(&b, "NOPE", &v, NULL) == -ENOENT,
	       "missing enumerator");
	tap_ok(t,
	       tsm_btf_type_size(&b, 0) == 0 &&
		       tsm_btf_type_size(&b, 9999) == 0,
	       "void and out-of-range ids have no size");
	tap_ok(t, tsm_btf_type_size(&b, 6) == 8, "pointer size");
	tap_ok(t, tsm_btf_type_size(&b, 7) == 64, "array of 16 u32");
	tap_ok(t,
	       tsm_btf_str(&b, 0) && !*tsm_btf_str(&b, 0) &&
		       !tsm_btf_str(&b, b.strs_len),
	       "string offsets bounded");
	tsm_btf_free(&b);
}

/* Split BTF: the module declares the TSM structs on top of a base. */
static void test_split(struct tap *t)
{
	static uint8_t base[4096], mod[4096];
	struct bw *w = calloc(1, sizeof(*w));
	const struct tsm_profile *p = tsm_profile_find("v7");
	struct tsm_detect d;
	size_t blen, mlen;
	uint32_t u32, u64, base_nr, base_str;

	bw_init(w);
	u32 = bw_int(w, "unsigned int", 4);
	u64 = bw_int(w, "long long unsigned int", 8);
	blen = bw_finish(w, base, sizeof(base));
	base_nr = w->nr;
	base_str = w->slen;

	/* module: ids continue at base_nr + 1, strings at base_str */
	bw_init(w);
	w->slen = 0;
	w->strs[w->slen++] = 0;
	bw_layout(w, "iommu_vdevice_tsm_req", &p->req, u32, u64);
	{
		/* rebase the name offsets written into the type records */
		uint32_t pos, v;

		for (pos = 0; pos < w->tlen; pos += 12) {
			memcpy(&v, w->types + pos, 4);
			v += base_str;
			memcpy(w->types + pos, &v, 4);
		}
	}
	mlen = bw_finish(w, mod, sizeof(mod));
	free(w);
	tap_ok(t, blen && mlen && base_nr == 2, "split blobs built");
	tap_ok(t, !tsm_detect_btf_split(base, blen, mod, mlen, &d),
	       "split detect");
	check_verdicts(t, &d, "cmmm", "module BTF with a 48-byte req");
	tap_ok(t, tsm_detect_btf(base, blen, &d) == 0 && !d.have_tsm,
	       "base alone has no TSM types");
}

/* A valid v6 blob edited by @fn must be rejected with a reason. */
static void expect_bad(struct tap *t, void (*fn)(uint8_t *b, size_t len),
		       const char *needle, const char *what)
{
	struct tsm_detect d;
	size_t len = make("v6", false, false);
	int ret;

	fn(blob, len);
	ret = tsm_detect_btf(blob, len, &d);
	tap_ok(t,
	       ret < 0 && strstr(d.reason, needle) &&
		       d.p[0].verdict == TSM_DETECT_UNKNOWN,
	       what);
	if (!(ret < 0 && strstr(d.reason, needle)))
		printf("#   ret %d reason: %s\n", ret, d.reason);
}

static void put32(uint8_t *b, uint32_t v)
{
	memcpy(b, &v, 4);
}

static uint32_t get32(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

static void bad_magic(uint8_t *b, size_t len)
{
	(void)len;
	b[0] = 0;
}

static void swapped_magic(uint8_t *b, size_t len)
{
	(void)len;
	b[0] = 0xeb;
	b[1] = 0x9f;
}

static void bad_version(uint8_t *b, size_t len)
{
	(void)len;
	b[2] = 2;
}

static void short_hdr(uint8_t *b, size_t len)
{
	(void)len;
	put32(b + 4, 16);
}

static void type_off_past_end(uint8_t *b, size_t len)
{
	put32(b + 8, (uint32_t)len);
}

static void type_len_huge(uint8_t *b, size_t len)
{
	(void)len;
	put32(b + 12, 0xfffffff0u);
}

static void str_unterminated(uint8_t *b, size_t len)
{
	b[len - 1] = 'x';
}

/* First struct member of the first STRUCT type after the ints. */
static uint8_t *first_struct(uint8_t *b)
{
	uint32_t tlen = get32(b + 12), pos = 0;
	uint8_t *ty = b + 24;

	while (pos < tlen) {
		uint32_t info = get32(ty + pos + 4), kind = info >> 24 & 0x1f;
		uint32_t vlen = info & 0xffff;

		if (kind == 4)
			return ty + pos;
		pos += 12 +
		       (kind == 1 || kind == 14 || kind == 17 ? 4 :
			kind == 3			      ? 12 :
			kind == 6 || kind == 13		      ? 8 * vlen :
			kind == 4 || kind == 5 || kind == 15 || kind == 19 ?
						  12 * vlen :
						  0);
	}
	return NULL;
}

static void member_name_past(uint8_t *b, size_t len)
{
	(void)len;
	put32(first_struct(b) + 12, get32(b + 20) + 5);
}

static void type_name_past(uint8_t *b, size_t len)
{
	(void)len;
	put32(first_struct(b), 0x7fffffff);
}

static void vlen_huge(uint8_t *b, size_t len)
{
	uint8_t *s = first_struct(b);

	(void)len;
	put32(s + 4, 4u << 24 | 0xffff);
}

static void kind_unknown(uint8_t *b, size_t len)
{
	(void)len;
	put32(first_struct(b) + 4, 25u << 24);
}

static void test_corrupt(struct tap *t)
{
	struct tsm_detect d;
	size_t len, i;
	bool ok = true;
	uint32_t seed = 12345;
	unsigned int n;

	expect_bad(t, bad_magic, "magic", "bad magic");
	expect_bad(t, swapped_magic, "byte order", "other byte order");
	expect_bad(t, bad_version, "version", "bad version");
	expect_bad(t, short_hdr, "hdr_len", "hdr_len below 24");
	expect_bad(t, type_off_past_end, "type section",
		   "type_off past the end");
	expect_bad(t, type_len_huge, "type section", "type_len huge");
	expect_bad(t, str_unterminated, "NUL-terminated",
		   "string table not terminated");
	expect_bad(t, member_name_past, "past the string table",
		   "member name_off past the string table");
	expect_bad(t, type_name_past, "past the string table",
		   "type name_off past the string table");
	expect_bad(t, vlen_huge, "vlen 65535", "struct with vlen 65535");
	expect_bad(t, kind_unknown, "unknown kind", "unknown kind");
	tap_ok(t, tsm_detect_btf(NULL, 0, &d) < 0 && d.reason[0], "NULL blob");

	/* every truncation of a valid blob: error, never a crash */
	len = make("v6", false, false);
	for (i = 0; i < len; i++) {
		uint8_t *cut = malloc(i ? i : 1); /* exact size for ASan */

		memcpy(cut, blob, i);
		if (tsm_detect_btf(cut, i, &d) >= 0 ||
		    d.p[3].verdict != TSM_DETECT_UNKNOWN || !d.reason[0])
			ok = false;
		free(cut);
	}
	tap_ok(t, ok, "every truncation is an error with a reason");

	/* random byte corruption: any result, no crash, valid verdicts */
	ok = true;
	for (n = 0; n < 3000; n++) {
		uint8_t *cp;
		unsigned int k;

		len = make(n % 2 ? "v5" : "v7", n % 3 == 0, false);
		cp = malloc(len);
		memcpy(cp, blob, len);
		for (k = 0; k < 1 + n % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			cp[(seed >> 8) % len] = (uint8_t)(seed >> 20);
		}
		tsm_detect_btf(cp, len, &d);
		for (i = 0; i < d.n; i++)
			if (d.p[i].verdict > TSM_DETECT_CONTRADICTS ||
			    d.p[i].n_evidence > TSM_DETECT_EVIDENCE_MAX)
				ok = false;
		free(cp);
	}
	tap_ok(t, ok, "3000 corrupted blobs: no crash, sane results");
}

/* A cyclic typedef chain must not hang the size resolver. */
static void test_cycle(struct tap *t)
{
	struct bw *w = calloc(1, sizeof(*w));
	struct tsm_btf b;
	struct tsm_btf_struct s;
	struct tsm_err err = { 0 };
	size_t len;

	bw_init(w);
	bw_type(w, "a", 8, 0, false, 2); /* 1 -> 2 */
	bw_type(w, "b", 8, 0, false, 1); /* 2 -> 1 */
	bw_type(w, "", 3, 0, false, 0); /* 3: array of itself */
	bw_u32(w, 3);
	bw_u32(w, 3);
	bw_u32(w, 4);
	bw_type(w, "iommu_vdevice_tsm_op", 4, 2, false, 16);
	bw_member(w, "size", 1, 0);
	bw_member(w, "type", 3, 32);
	len = bw_finish(w, blob, sizeof(blob));
	free(w);
	tap_ok(t, !tsm_btf_parse(blob, len, NULL, &b, &err),
	       "cyclic blob parses");
	tap_ok(t,
	       !tsm_btf_find_struct(&b, "iommu_vdevice_tsm_op", &s) &&
		       s.m[0].size == 0 && s.m[1].size == 0,
	       "cyclic typedef and array resolve to size 0");
	tsm_btf_free(&b);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_files(struct tap *t)
{
	struct tsm_detect d;
	const char *pre = getenv("LD_PRELOAD");
	double t0, ms, limit = 50;
	char msg[600];
	int ret;

	ret = tsm_detect_file("/nonexistent/btf/vmlinux", &d);
	tap_ok(t,
	       ret == 0 && !d.have_btf && strstr(d.reason, "absent") &&
		       d.p[0].verdict == TSM_DETECT_UNKNOWN,
	       "absent file: unknown, not an error");
	ret = tsm_detect_file("tests/unit/fixtures/btf/v7.btf", &d);
	if (ret == -ENOENT || !d.have_btf)
		printf("# skip fixture check (run from the source tree)\n");
	else
		check_verdicts(t, &d, "cccm", "fixture v7.btf");

	if (access(TSM_DETECT_VMLINUX, R_OK)) {
		printf("# skip: no readable %s\n", TSM_DETECT_VMLINUX);
		return;
	}
#if defined(__SANITIZE_ADDRESS__)
	limit = 500;
#endif
	if (pre && strstr(pre, "vgpreload"))
		limit = 60000; /* valgrind: only check it finishes */
	t0 = now_ms();
	ret = tsm_detect_file(NULL, &d);
	ms = now_ms() - t0;
	snprintf(msg, sizeof(msg), "running kernel: ret %d, %s (%s)", ret,
		 d.reason, d.source);
	tap_ok(t, ret == 0 && d.have_btf, msg);
	if (d.have_tsm) {
		printf("# this kernel declares TSM types; verdicts:\n");
		dump(&d);
	} else {
		tap_ok(t,
		       strstr(d.reason, "no iommu_vdevice_tsm_* types") &&
			       d.p[0].verdict == TSM_DETECT_UNKNOWN,
		       "running kernel without TSM: unknown");
	}
	snprintf(msg, sizeof(msg), "vmlinux detection took %.1f ms (< %.0f)",
		 ms, limit);
	tap_ok(t, ms < limit, msg);
}

int main(void)
{
	struct tap t = { 0 };

	test_profiles(&t);
	test_contradicts(&t);
	test_no_tsm(&t);
	test_btf_api(&t);
	test_split(&t);
	test_corrupt(&t);
	test_cycle(&t);
	test_files(&t);
	return tap_done(&t);
}
