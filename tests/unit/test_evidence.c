// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/tdisp.c and lib/spdm_meas.c, and a fuzz run of them
 * and of lib/x509.c (certificates have tests/unit/test_x509.c).
 *
 * Usage: test_evidence [FIXTURE_DIR]   (default: FIXTURES, i.e.
 * "tests/unit/fixtures" relative to the source tree root).
 *
 * Every decoder call is made on a heap buffer of exactly the object size
 * so that AddressSanitizer / valgrind catch any read past the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "evidence.h"
#include "x509.h"
#include "tap.h"

#ifndef FIXTURES
#define FIXTURES "tests/unit/fixtures"
#endif

#define FUZZ_ITERS 20000

struct blob {
	uint8_t *p;
	size_t n;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Exact-size heap copy (n may be 0: a 1-byte allocation, never read). */
static uint8_t *dup_exact(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	if (n)
		memcpy(p, src, n);
	return p;
}

static struct blob load(const char *dir, const char *name)
{
	struct blob b = { NULL, 0 };
	char path[512];
	uint8_t tmp[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		printf("# cannot open %s\n", path);
		return b;
	}
	n = fread(tmp, 1, sizeof(tmp), f);
	fclose(f);
	b.p = dup_exact(tmp, n);
	b.n = n;
	return b;
}

static int has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

/* ------------------------------------------------------------------ */
/* TDISP                                                               */
/* ------------------------------------------------------------------ */

/* 2 ranges, 5 bytes of device info, plus `extra` trailing bytes */
static size_t build_report(uint8_t *r, size_t extra)
{
	size_t i;

	memset(r, 0, 57 + extra);
	put16(r + 0, 0x0019); /* NO_UPDATE, ATS, PRS */
	put16(r + 4, 0x8003); /* MSI-X control */
	put16(r + 6, 0x0001);
	put32(r + 8, 0x00000102);
	put32(r + 12, 2);
	put64(r + 16, 0x0000004000000000ull);
	put32(r + 24, 4);
	put16(r + 28, 0x0001); /* MSI-X table */
	put16(r + 30, 0);
	put64(r + 32, 0x0000004000010000ull);
	put32(r + 40, 16);
	put16(r + 44, 0x000c); /* non-TEE, updatable */
	put16(r + 46, 1);
	put32(r + 48, 5);
	memcpy(r + 52, "\x11\x22\x33\x44\x55", 5);
	for (i = 0; i < extra; i++)
		r[57 + i] = 0xee;
	return 57 + extra;
}

static int tdisp_call(const uint8_t *src, size_t n, struct tdisp_report *r,
		      const char **why)
{
	uint8_t *b = dup_exact(src, n);
	int ret = tdisp_report_parse(n ? b : NULL, n, r, why);

	free(b);
	return ret;
}

static void test_tdisp(struct tap *t)
{
	struct tdisp_report r;
	struct tdisp_mmio_range m;
	const char *why = "x", *names[16];
	uint8_t rep[64];
	size_t n, i;
	int ret, bad;

	n = build_report(rep, 0);
	ret = tdisp_call(rep, n, &r, &why);
	tap_ok(t, ret == 0, "tdisp: valid report parses");
	tap_ok(t, why == NULL && r.why[0] == 0, "tdisp: no reason on success");
	tap_ok(t,
	       r.interface_info == 0x19 && r.msix_ctrl == 0x8003 &&
		       r.lnr_ctrl == 1 && r.tph_ctrl == 0x102,
	       "tdisp: fixed fields");
	tap_ok(t, r.range_count == 2 && r.ranges_off == 16,
	       "tdisp: range count/offset");
	tap_ok(t, r.dev_info_len == 5 && r.dev_info_off == 52,
	       "tdisp: device info len/offset");
	tap_hex_eq(t, rep + r.dev_info_off, r.dev_info_len, "1122334455",
		   "tdisp: device info bytes");
	tap_ok(t, r.trailing == 0, "tdisp: no trailing bytes");
	tdisp_report_range(rep, &r, 0, &m);
	tap_ok(t,
	       m.first_page == 0x4000000000ull && m.num_pages == 4 &&
		       m.attrs == 1 && m.range_id == 0,
	       "tdisp: range 0");
	tdisp_report_range(rep, &r, 1, &m);
	tap_ok(t,
	       m.first_page == 0x4000010000ull && m.num_pages == 16 &&
		       m.attrs == 0xc && m.range_id == 1,
	       "tdisp: range 1");
	tdisp_report_range(rep, &r, 2, &m);
	tap_ok(t, m.first_page == 0 && m.num_pages == 0 && m.attrs == 0,
	       "tdisp: out-of-range index gives a zero range");

	ret = tdisp_call(rep, 0, &r, &why);
	tap_ok(t, ret == -ENODATA && has(why, "empty"),
	       "tdisp: zero-length object is -ENODATA");
	ret = tdisp_report_parse(NULL, 10, &r, &why);
	tap_ok(t, ret == -EFAULT, "tdisp: NULL buffer is -EFAULT");

	ret = tdisp_call(rep, 15, &r, &why);
	tap_ok(t,
	       ret == -EINVAL && has(why, "15 bytes") &&
		       has(why, "16-byte fixed part"),
	       "tdisp: shorter than the fixed part");

	put32(rep + 12, 5);
	ret = tdisp_call(rep, 40, &r, &why);
	tap_ok(t,
	       ret == -EINVAL && why == r.why &&
		       !strcmp(why,
			       "mmio_range_count 5 needs 96 bytes but the object has 40"),
	       "tdisp: range count larger than the object");
	printf("# why: %s\n", why ? why : "(null)");

	put32(rep + 12, 0xffffffff);
	ret = tdisp_call(rep, 57, &r, &why);
	tap_ok(t, ret == -EOVERFLOW && has(why, "4294967295"),
	       "tdisp: range count 0xFFFFFFFF overflows 32-bit size");
	put32(rep + 12, 0x0fffffff);
	ret = tdisp_call(rep, 57, &r, &why);
	tap_ok(t, ret == -EINVAL && has(why, "needs 4294967296 bytes"),
	       "tdisp: range count 0x0FFFFFFF is a plain size mismatch");

	n = build_report(rep, 0);
	ret = tdisp_call(rep, 48, &r, &why);
	tap_ok(t,
	       ret == -EINVAL &&
		       has(why, "device_specific_info_len at offset 48"),
	       "tdisp: missing device_specific_info_len field");
	put32(rep + 48, 6);
	ret = tdisp_call(rep, n, &r, &why);
	tap_ok(t,
	       ret == -EINVAL && has(why, "device_specific_info_len 6") &&
		       has(why, "needs 58 bytes but the object has 57"),
	       "tdisp: device info runs past the end");
	put32(rep + 48, 0xffffffff);
	ret = tdisp_call(rep, n, &r, &why);
	tap_ok(t, ret == -EINVAL, "tdisp: device info len 0xFFFFFFFF");

	n = build_report(rep, 3);
	ret = tdisp_call(rep, n, &r, &why);
	tap_ok(t, ret == 0 && r.trailing == 3,
	       "tdisp: trailing bytes reported");

	n = build_report(rep, 0);
	for (i = 0, bad = 0; i < n; i++)
		if (tdisp_call(rep, i, &r, &why) == 0 || !why || !why[0])
			bad++;
	tap_ok(t, bad == 0,
	       "tdisp: every truncation of the report fails with a reason");

	put32(rep + 12, 0);
	put32(rep + 16, 0);
	ret = tdisp_call(rep, 20, &r, &why);
	tap_ok(t,
	       ret == 0 && r.range_count == 0 && r.dev_info_len == 0 &&
		       r.dev_info_off == 20,
	       "tdisp: minimal 20-byte report");

	n = tdisp_interface_info_names(0x0019, names, 16);
	tap_ok(t,
	       n == 3 && !strcmp(names[0], "NO_UPDATE_AFTER_LOCK") &&
		       !strcmp(names[1], "ATS_SUPPORTED") &&
		       !strcmp(names[2], "PRS_SUPPORTED"),
	       "tdisp: interface_info names");
	n = tdisp_interface_info_names(0x8026, names, 16);
	tap_ok(t,
	       n == 4 && !strcmp(names[0], "DMA_WITHOUT_PASID") &&
		       !strcmp(names[1], "DMA_WITH_PASID") &&
		       !strcmp(names[2], "XT_MODE_SUPPORTED") &&
		       !strcmp(names[3], "bit15"),
	       "tdisp: interface_info names incl. unknown bit");
	n = tdisp_interface_info_names(0xffff, names, 2);
	tap_ok(t, n == 2, "tdisp: names limited to n");
	tap_ok(t, tdisp_interface_info_names(0, names, 16) == 0,
	       "tdisp: no bits, no names");
	n = tdisp_range_attr_names(0x0005, names, 16);
	tap_ok(t,
	       n == 2 && !strcmp(names[0], "MSIX_TABLE") &&
		       !strcmp(names[1], "IS_NON_TEE_MEM"),
	       "tdisp: range attribute names");
	n = tdisp_range_attr_names(0x001a, names, 16);
	tap_ok(t,
	       n == 3 && !strcmp(names[0], "MSIX_PBA") &&
		       !strcmp(names[1], "IS_MEM_ATTR_UPDATABLE") &&
		       !strcmp(names[2], "bit4"),
	       "tdisp: range attribute names incl. unknown bit");
}

/* An SPDM chain for the fuzz seeds: header, a hash of hlen bytes, certs */
static size_t build_chain(uint8_t *out, size_t hlen, uint8_t fill,
			  const struct blob *a, const struct blob *b)
{
	size_t n = 4 + hlen + a->n + (b ? b->n : 0);

	put16(out, (uint16_t)n);
	put16(out + 2, 0);
	memset(out + 4, fill, hlen);
	memcpy(out + 4 + hlen, a->p, a->n);
	if (b)
		memcpy(out + 4 + hlen + a->n, b->p, b->n);
	return n;
}

/* ------------------------------------------------------------------ */
/* SPDM measurements                                                   */
/* ------------------------------------------------------------------ */

#define MEAS_RECORD_LEN (4 + 35 + 4 + 8)
#define MEAS_NONCE_OFF (8 + MEAS_RECORD_LEN)

/* version 0x12, two blocks, nonce, 4 bytes opaque, 96-byte signature */
static size_t build_meas(uint8_t *m, uint8_t version)
{
	size_t o = 0, i;

	m[o++] = version;
	m[o++] = 0x60;
	m[o++] = 0;
	m[o++] = 0x01;
	m[o++] = 2;
	m[o++] = MEAS_RECORD_LEN;
	m[o++] = 0;
	m[o++] = 0;
	/* block 1: mutable firmware digest, SHA-256 */
	m[o++] = 1;
	m[o++] = 1;
	put16(m + o, 35);
	o += 2;
	m[o++] = 0x01;
	put16(m + o, 32);
	o += 2;
	for (i = 0; i < 32; i++)
		m[o++] = (uint8_t)(0xa0 + i);
	/* block 2: device mode, raw bit stream */
	m[o++] = 0xfe;
	m[o++] = 1;
	put16(m + o, 8);
	o += 2;
	m[o++] = 0x85;
	put16(m + o, 5);
	o += 2;
	memcpy(m + o, "\x01\x02\x03\x04\x05", 5);
	o += 5;
	for (i = 0; i < 32; i++)
		m[o++] = 0xcc; /* nonce */
	put16(m + o, 4);
	o += 2;
	memcpy(m + o, "OPAQ", 4);
	o += 4;
	if (version >= 0x13) {
		memset(m + o, 0xdd, 8);
		o += 8;
	}
	for (i = 0; i < 96; i++)
		m[o++] = 0x5e; /* signature */
	return o;
}

static int meas_call(const uint8_t *src, size_t n, unsigned int flags,
		     struct spdm_meas_block *b, size_t max, struct spdm_meas *m,
		     const char **why)
{
	uint8_t *p = dup_exact(src, n);
	int ret = spdm_meas_parse(n ? p : NULL, n, flags, b, max, m, why);

	free(p);
	return ret;
}

static void test_meas(struct tap *t)
{
	struct spdm_meas_block b[4];
	struct spdm_meas m;
	const char *why;
	uint8_t buf[512];
	size_t n, i;
	int ret, bad;

	n = build_meas(buf, 0x12);
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t, ret == 0 && why == NULL, "meas: valid response parses");
	tap_ok(t,
	       m.has_header && m.version == 0x12 && m.param2 == 1 &&
		       m.number_of_blocks == 2 &&
		       m.record_len == MEAS_RECORD_LEN && m.record_off == 8 &&
		       m.count == 2,
	       "meas: header fields");
	tap_ok(t,
	       b[0].index == 1 && b[0].spec == 1 && b[0].size == 35 &&
		       b[0].off == 8 && b[0].dmtf && !b[0].raw &&
		       b[0].value_type == 1 && b[0].value_size == 32 &&
		       b[0].value_off == 15 && b[0].value_len == 32,
	       "meas: block 0 (digest)");
	tap_ok(t,
	       buf[b[0].value_off] == 0xa0 && buf[b[0].value_off + 31] == 0xbf,
	       "meas: block 0 value bytes");
	tap_ok(t,
	       b[1].index == 0xfe && b[1].raw && b[1].value_len == 5 &&
		       (b[1].value_type & 0x7f) == 5 && b[1].off == 47,
	       "meas: block 1 (raw device mode)");
	tap_hex_eq(t, buf + b[1].value_off, b[1].value_len, "0102030405",
		   "meas: block 1 value bytes");
	tap_ok(t,
	       m.has_nonce && m.nonce_off == MEAS_NONCE_OFF &&
		       buf[m.nonce_off] == 0xcc &&
		       buf[m.nonce_off + 31] == 0xcc,
	       "meas: nonce offset");
	tap_ok(t,
	       m.opaque_len == 4 && m.opaque_off == MEAS_NONCE_OFF + 34 &&
		       !memcmp(buf + m.opaque_off, "OPAQ", 4),
	       "meas: opaque data");
	tap_ok(t,
	       !m.has_req_context && m.sig_off == MEAS_NONCE_OFF + 38 &&
		       m.sig_len == 96,
	       "meas: signature is the rest");

	n = build_meas(buf, 0x13);
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t,
	       ret == 0 && m.has_req_context &&
		       m.req_context_off == MEAS_NONCE_OFF + 38 &&
		       m.sig_off == MEAS_NONCE_OFF + 46 && m.sig_len == 96,
	       "meas: SPDM 1.3 requester context");

	/* bare record */
	n = build_meas(buf, 0x12);
	ret = meas_call(buf + 8, MEAS_RECORD_LEN, SPDM_MEAS_F_RECORD_ONLY, b, 4,
			&m, &why);
	tap_ok(t,
	       ret == 0 && !m.has_header && m.count == 2 && !m.has_nonce &&
		       b[1].off == 39 && b[1].value_off == 46,
	       "meas: bare record via flag");

	/* block size past the end of the record */
	put16(buf + 47 + 2, 9);
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t,
	       ret == -EINVAL && m.count == 1 &&
		       has(why, "block 1 (index 254)") &&
		       has(why, "runs past the record end"),
	       "meas: block size past the end");
	printf("# why: %s\n", why ? why : "(null)");
	put16(buf + 47 + 2, 0xffff);
	ret = meas_call(buf + 8, MEAS_RECORD_LEN, SPDM_MEAS_F_RECORD_ONLY, b, 4,
			&m, &why);
	tap_ok(t, ret == -EINVAL && m.count == 1,
	       "meas: bare record block size 0xFFFF");

	n = build_meas(buf, 0x12);
	put16(buf + 8 + 5, 33);
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t, ret == -EINVAL && has(why, "value_size 33"),
	       "meas: DMTF value_size inconsistent with measurement_size");

	n = build_meas(buf, 0x12);
	buf[5] = 0xff;
	buf[6] = 0xff;
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t, ret == -EINVAL && has(why, "measurement_record_length"),
	       "meas: record length past the end");

	n = build_meas(buf, 0x12);
	buf[4] = 3;
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t, ret == -EINVAL && has(why, "number_of_blocks is 3"),
	       "meas: number_of_blocks mismatch");

	n = build_meas(buf, 0x12);
	buf[1] = 0x61;
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t, ret == -EINVAL && has(why, "0x61"),
	       "meas: wrong response code");

	n = build_meas(buf, 0x12);
	put16(buf + MEAS_NONCE_OFF + 32, 200);
	ret = meas_call(buf, n, 0, b, 4, &m, &why);
	tap_ok(t, ret == -EINVAL && has(why, "opaque_length 200"),
	       "meas: opaque length past the end");

	n = build_meas(buf, 0x12);
	ret = meas_call(buf, MEAS_NONCE_OFF + 10, 0, b, 4, &m, &why);
	tap_ok(t, ret == -EINVAL && has(why, "nonce"), "meas: truncated nonce");
	ret = meas_call(buf, MEAS_NONCE_OFF, 0, b, 4, &m, &why);
	tap_ok(t, ret == 0 && !m.has_nonce && m.count == 2,
	       "meas: response ending after the record has no nonce");
	ret = meas_call(buf, 0, 0, b, 4, &m, &why);
	tap_ok(t, ret == -ENODATA && why, "meas: empty object is -ENODATA");

	for (i = 0, bad = 0; i < n; i++) {
		int ok = i == MEAS_NONCE_OFF || i >= MEAS_NONCE_OFF + 38;

		ret = meas_call(buf, i, 0, b, 4, &m, &why);
		if ((ret == 0) != ok || (ret && (!why || !why[0])))
			bad++;
	}
	tap_ok(t, bad == 0,
	       "meas: every prefix fails unless it ends on a field boundary");

	ret = meas_call(buf, n, 0, b, 1, &m, &why);
	tap_ok(t, ret == 0 && m.count == 2, "meas: counts past a short array");

	tap_ok(t,
	       !strcmp(spdm_meas_type_name(0), "immutable-rom") &&
		       !strcmp(spdm_meas_type_name(0x81), "mutable-firmware") &&
		       !strcmp(spdm_meas_type_name(7),
			       "mutable-firmware-security-version") &&
		       !strcmp(spdm_meas_type_name(0x8a),
			       "structured-manifest"),
	       "meas: value type names");
	tap_ok(t,
	       !strcmp(spdm_meas_type_name(11), "reserved") &&
		       !strcmp(spdm_meas_type_name(0xff), "reserved"),
	       "meas: reserved value types");
}

/* ------------------------------------------------------------------ */
/* Fuzz smoke: mutated and random buffers through all parsers          */
/* ------------------------------------------------------------------ */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct fuzz_stats {
	long ok[3];
	long bad;
};

static void fuzz_one(const uint8_t *p, size_t n, uint64_t *seed,
		     struct fuzz_stats *st)
{
	struct tdisp_report r;
	struct tdisp_mmio_range m;
	struct json_object *ch, *v, *certs = NULL;
	struct spdm_meas_block b[4];
	struct spdm_meas sm;
	const char *why;
	size_t i, k;

	if (tdisp_report_parse(p, n, &r, &why) == 0) {
		st->ok[0]++;
		if (16 + 16ull * r.range_count + 4 + r.dev_info_len +
				    r.trailing !=
			    n ||
		    why)
			st->bad++;
		for (i = 0; i < r.range_count && i < 64; i++)
			tdisp_report_range(p, &r, (uint32_t)i, &m);
	} else if (!why || !why[0]) {
		st->bad++;
	}

	/* the public decode entry point: a document for every input */
	ch = x509_chain_decode(p, n, NULL);
	if (!ch || !json_object_object_get_ex(ch, "valid", &v) ||
	    !json_object_object_get_ex(ch, "certificates", &certs))
		st->bad++;
	else if (json_object_get_boolean(v))
		st->ok[1]++;
	else if (!json_object_object_get_ex(ch, "error", &v) ||
		 !json_object_get_string_len(v))
		st->bad++;
	for (i = 0; ch && certs && i < json_object_array_length(certs); i++) {
		struct json_object *c = json_object_array_get_idx(certs, i);

		if (!json_object_object_get_ex(c, "offset", &v) ||
		    (size_t)json_object_get_int64(v) >= n)
			st->bad++;
	}
	json_object_put(ch);

	if (spdm_meas_parse(p, n, rnd(seed) & 1, b, 4, &sm, &why) == 0) {
		st->ok[2]++;
		if ((sm.has_nonce && sm.nonce_off + SPDM_NONCE_LEN > n) ||
		    (sm.has_nonce && sm.sig_off + sm.sig_len != n))
			st->bad++;
	} else if (!why || !why[0]) {
		st->bad++;
	}
	for (k = 0; k < sm.count && k < 4; k++)
		if (b[k].value_off + b[k].value_len > n)
			st->bad++;
}

static void test_fuzz(struct tap *t, const char *dir)
{
	struct blob root = load(dir, "root.der"), leaf = load(dir, "leaf.der");
	uint8_t seeds[4][2048], tmp[2200];
	size_t seed_len[4], i, n, k, nm;
	struct fuzz_stats st = { { 0, 0, 0 }, 0 };
	uint64_t s = 0x9e3779b97f4a7c15ull;
	uint8_t *p;

	seed_len[0] = build_report(seeds[0], 0);
	seed_len[1] = build_meas(seeds[1], 0x13);
	seed_len[2] = 0;
	if (root.n && leaf.n)
		seed_len[2] = build_chain(seeds[2], 48, 0xab, &root, &leaf);
	seed_len[3] = root.n;
	if (root.n)
		memcpy(seeds[3], root.p, root.n);

	for (i = 0; i < FUZZ_ITERS; i++) {
		unsigned int which = (unsigned int)(rnd(&s) % 5);

		if (which == 4 || !seed_len[which]) {
			n = rnd(&s) % 300;
			for (k = 0; k < n; k++)
				tmp[k] = (uint8_t)rnd(&s);
		} else {
			n = seed_len[which];
			memcpy(tmp, seeds[which], n);
			if (rnd(&s) % 3 == 0)
				n = rnd(&s) % (n + 1);
			else if (rnd(&s) % 5 == 0)
				for (k = rnd(&s) % 64; k > 0; k--)
					tmp[n++] = (uint8_t)rnd(&s);
			nm = rnd(&s) % 6;
			for (k = 0; k < nm && n; k++) {
				static const uint8_t vals[] = {
					0x00, 0xff, 0x80, 0x81,
					0x82, 0x30, 0x7f, 0x01,
				};
				size_t at = rnd(&s) % n;

				tmp[at] = rnd(&s) & 1 ?
						  (uint8_t)rnd(&s) :
						  vals[rnd(&s) % sizeof(vals)];
			}
		}
		p = dup_exact(tmp, n);
		fuzz_one(n ? p : NULL, n, &s, &st);
		free(p);
	}
	printf("# fuzz: %d buffers, accepted tdisp %ld, x509 %ld, meas %ld\n",
	       FUZZ_ITERS, st.ok[0], st.ok[1], st.ok[2]);
	tap_ok(t, st.bad == 0, "fuzz: invariants held for all buffers");
	tap_ok(t, st.ok[0] > 100 && st.ok[1] > 100 && st.ok[2] > 100,
	       "fuzz: each parser accepted some mutated inputs");
	free(root.p);
	free(leaf.p);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : FIXTURES;
	struct tap t = { 0 };

	test_tdisp(&t);
	test_meas(&t);
	test_fuzz(&t, dir);
	return tap_done(&t);
}
