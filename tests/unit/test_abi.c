// SPDX-License-Identifier: GPL-2.0
/*
 * ABI profile unit tests: the bytes of every TSM struct in every profile
 * against hand-computed expectations (docs/kernel-abi.md), profile
 * lookup, and profile files (text and JSON, valid and malformed).
 */
#include <errno.h>
#include <string.h>

#include "abi.h"
#include "tap.h"
#include "uapi.h"

static const struct tsm_profile *P(const char *n)
{
	return tsm_profile_find(n);
}

static void test_op_bytes(struct tap *t)
{
	static const char *const names[] = { "v5", "v5-op", "v6" };
	static const uint32_t nrs[] = { 0x95, 0x95, 0x96 };
	struct tsm_image img;
	char what[96];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const struct tsm_profile *p = P(names[i]);

		snprintf(what, sizeof(what), "%s TSM_OP bind vdevice 3",
			 names[i]);
		tap_ok(t, tsm_build_op(p, TSM_OP_BIND, 3, &img) == 0, what);
		tap_hex_eq(t, img.b, img.len,
			   "10000000 01000000 00000000 03000000", what);
		snprintf(what, sizeof(what),
			 "%s TSM_OP unbind vdevice 0xfffffffe", names[i]);
		tsm_build_op(p, TSM_OP_UNBIND, 0xfffffffe, &img);
		tap_hex_eq(t, img.b, img.len,
			   "10000000 02000000 00000000 feffffff", what);
		snprintf(what, sizeof(what), "%s TSM_OP request 0x3b%02x",
			 names[i], nrs[i]);
		tap_ok(t, tsm_request_code(p->op.nr) == (0x3b00u | nrs[i]),
		       what);
		snprintf(what, sizeof(what), "%s TSM_OP min_size 16", names[i]);
		tap_ok(t, p->op.min_size == 16 && p->op.size == 16, what);
	}
	tap_ok(t, tsm_build_op(P("v7"), TSM_OP_BIND, 3, &img) == -ENOTSUP,
	       "v7 has no TSM_OP: build refuses");
	tap_ok(t, P("v7")->bind_absent_hint[0] != 0,
	       "v7 explains why bind is absent");
}

static void test_req_bytes(struct tap *t)
{
	struct tsm_req_args a = {
		.vdevice_id = 3,
		.scope = 1,
		.req_len = 8,
		.resp_len = 64,
		.req_uptr = 0x1122334455667788ull,
		.resp_uptr = 0xaabbccddull,
	};
	struct tsm_image img;
	uint64_t v;

	tap_ok(t, tsm_build_req(P("v5"), &a, &img) == 0, "v5 req builds");
	tap_hex_eq(t, img.b, img.len,
		   "28000000 03000000 01000000 08000000 40000000 00000000"
		   " 8877665544332211 ddccbbaa00000000",
		   "v5 TSM_REQ scope state-change, 40 bytes");
	tap_ok(t, tsm_request_code(P("v5")->req.nr) == 0x3b96,
	       "v5 TSM_REQ request 0x3b96");
	tap_ok(t, P("v5")->req_kind == TSM_REQ_SCOPE, "v5 uses scope");
	tap_ok(t, !tsm_image_get(&P("v5")->req, &img, TSM_F_TSM_CODE, &v),
	       "v5 has no tsm_code field");

	a.op = P("v6")->opnum[TSM_OPID_VALIDATE_MMIO];
	a.tvm_arch = 1;
	a.req_len = 24;
	a.resp_len = 0;
	a.req_uptr = 0;
	a.resp_uptr = 0;
	tap_ok(t, a.op == 1, "v6 validate-mmio is op 1");
	tsm_build_req(P("v6"), &a, &img);
	tap_hex_eq(t, img.b, img.len,
		   "30000000 03000000 01000000 01000000 18000000 00000000"
		   " 0000000000000000 0000000000000000 0000000000000000",
		   "v6 TSM_REQ validate-mmio cca, 48 bytes");
	tap_ok(t, tsm_request_code(P("v6")->req.nr) == 0x3b97,
	       "v6 TSM_REQ request 0x3b97");

	a.op = P("v5-op")->opnum[TSM_OPID_SET_TDI_STATE];
	a.tvm_arch = 2;
	a.req_len = 4;
	a.resp_len = 16;
	a.resp_uptr = 0x7fff00001000ull;
	tap_ok(t, a.op == 5, "v5-op set-tdi-state is op 5");
	tsm_build_req(P("v5-op"), &a, &img);
	tap_hex_eq(t, img.b, img.len,
		   "30000000 03000000 05000000 02000000 04000000 10000000"
		   " 0000000000000000 00100000ff7f0000 0000000000000000",
		   "v5-op TSM_REQ set-tdi-state sev (bytes)");
	tap_ok(t, tsm_request_code(P("v5-op")->req.nr) == 0x3b96,
	       "v5-op TSM_REQ request 0x3b96");

	a.op = P("v7")->opnum[TSM_OPID_OBJECT_INFO];
	a.tvm_arch = 3;
	a.req_len = 4;
	a.resp_len = 4;
	a.resp_uptr = 0;
	tap_ok(t, a.op == 7, "v7 object-info is op 7 (S30 numbering)");
	tsm_build_req(P("v7"), &a, &img);
	tap_hex_eq(t, img.b, img.len,
		   "30000000 03000000 07000000 03000000 04000000 04000000"
		   " 0000000000000000 0000000000000000 0000000000000000",
		   "v7 TSM_REQ object-info tdx, 48 bytes");
	tap_ok(t, tsm_request_code(P("v7")->req.nr) == 0x3b96,
	       "v7 TSM_REQ request 0x3b96");
	tap_ok(t,
	       P("v7")->opnum_confirmed &&
		       !tsm_opnum_confirmed(P("v7"), TSM_OPID_SEV_ENABLE_DMA),
	       "v7 op numbering is S30's; only SEV_* 3/4 unconfirmed");
	tap_ok(t, P("v6")->opnum[TSM_OPID_READ_OBJECT] == 0,
	       "v6 has no read-object op");
	tap_ok(t,
	       tsm_image_get(&P("v6")->req, &img, TSM_F_TSM_CODE, &v) && v == 0,
	       "tsm_code field readable at offset 40");
}

static void test_lookup(struct tap *t)
{
	size_t i;

	tap_ok(t, tsm_profile_count() == 4, "four compiled-in profiles");
	tap_ok(t, !strcmp(TSM_FALLBACK_PROFILE, "v7"),
	       "auto falls back to v7");
	tap_ok(t, P("post-v5") == P("v6"), "alias post-v5 is v6");
	tap_ok(t, P("v5op") == P("v5-op"), "alias v5op is v5-op");
	tap_ok(t, P("v8") == NULL && P("") == NULL, "unknown names rejected");
	for (i = 0; i < tsm_profile_count(); i++) {
		struct tsm_err e;
		char what[64];

		snprintf(what, sizeof(what), "compiled-in %s validates",
			 tsm_profile_at(i)->name);
		tap_ok(t, tsm_profile_validate(tsm_profile_at(i), &e) == 0,
		       what);
	}
}

static int parse(const char *s, struct tsm_profile *p, struct tsm_err *e)
{
	memset(e, 0, sizeof(*e));
	return tsm_profile_parse(s, strlen(s), "test", p, e);
}

static void test_files(struct tap *t)
{
	struct tsm_profile p;
	struct tsm_err e;
	struct tsm_image img;

	tap_ok(t,
	       parse("# new revision\nbase = v6\nname = v8\ntsm_op.nr = 0x98\n"
		     "tsm_req.nr = 0x99\nop.validate-mmio = 7\n",
		     &p, &e) == 0,
	       "text profile based on v6 parses");
	tap_ok(t,
	       !strcmp(p.name, "v8") && p.op.nr == 0x98 && p.req.nr == 0x99 &&
		       p.opnum[TSM_OPID_VALIDATE_MMIO] == 7,
	       "text profile values applied");
	tsm_build_op(&p, TSM_OP_BIND, 3, &img);
	tap_hex_eq(t, img.b, img.len, "10000000 01000000 00000000 03000000",
		   "file profile builds the same TSM_OP bytes");

	tap_ok(t,
	       parse("{\"base\": \"v5\", \"name\": \"v5x\", \"tsm_op\": "
		     "{\"nr\": \"0x9a\"}, \"tsm_req\": {\"fields\": "
		     "{\"scope\": [8, 4]}}}",
		     &p, &e) == 0,
	       "JSON profile parses");
	tap_ok(t, p.op.nr == 0x9a && p.req_kind == TSM_REQ_SCOPE,
	       "JSON profile values applied");

	tap_ok(t,
	       parse("{\"name\": \"v6b\", \"base\": \"v6\", \"tsm_op\": \"absent\"}",
		     &p, &e) == 0 &&
		       p.op.nr == 0,
	       "JSON: base applies first wherever it is, tsm_op absent");

	/* a full profile without base */
	tap_ok(t,
	       parse("name = full\ntsm_op.nr = 0x95\ntsm_op.size = 16\n"
		     "tsm_op.min_size = 16\ntsm_op.size = 0:4\n",
		     &p, &e) != 0,
	       "duplicate key rejected");
	tap_ok(t, strstr(e.msg, "duplicate") != NULL, "duplicate key named");
	tap_ok(t,
	       parse("name = full\ntsm_req.nr = 0x97\ntsm_req.size = 48\n"
		     "tsm_req.min_size = 48\ntsm_req.kind = op\n"
		     "tsm_req.size = 0:4\n",
		     &p, &e) != 0,
	       "duplicate tsm_req.size rejected");

	tap_ok(t,
	       parse("base = v6\ntsm_req.vdevice_id = 46:4\n", &p, &e) != 0 &&
		       strstr(e.msg, "vdevice_id"),
	       "field past the struct end rejected, named");
	tap_ok(t,
	       parse("base = v6\ntsm_req.op = 4:4\n", &p, &e) != 0 &&
		       strstr(e.msg, "overlaps"),
	       "overlapping fields rejected");
	tap_ok(t,
	       parse("base = v6\nfrobnicate = 1\n", &p, &e) != 0 &&
		       strstr(e.msg, "frobnicate"),
	       "unknown key rejected, named");
	tap_ok(t,
	       parse("base = v6\ntsm_op.nr = 0x1g\n", &p, &e) != 0 &&
		       strstr(e.msg, "tsm_op.nr"),
	       "bad number rejected, key named");
	tap_ok(t,
	       parse("base = v6\ntsm_op.nr = 0x40\n", &p, &e) != 0 &&
		       strstr(e.msg, "0x80..0xff"),
	       "nr outside the iommufd range rejected");
	tap_ok(t, parse("base = v9\n", &p, &e) != 0 && strstr(e.msg, "v9"),
	       "unknown base rejected");
	tap_ok(t,
	       parse("tsm_op.nr = 0x95\n", &p, &e) != 0 &&
		       strstr(e.msg, "name"),
	       "missing name rejected");
	tap_ok(t, parse("name = x\nbase = v6\n", &p, &e) != 0,
	       "base after other keys rejected");
	tap_ok(t,
	       parse("base = v6\njust words\n", &p, &e) != 0 &&
		       strstr(e.msg, ":2:"),
	       "line without '=' rejected with its line number");
	tap_ok(t,
	       parse("{\"base\": \"v6\"} x", &p, &e) != 0 &&
		       strstr(e.msg, "byte 15"),
	       "JSON trailing garbage rejected");
	tap_ok(t,
	       parse("{\"base\": \"v6\", \"tsm_op\": {\"nr\": -5}}", &p, &e) !=
			       0 &&
		       strstr(e.msg, "negative"),
	       "JSON negative number rejected");
	tap_ok(t, parse("{\"base\": \"v6\", \"name\": [1]}", &p, &e) != 0,
	       "JSON wrong type rejected");
	tap_ok(t,
	       parse("{\"base\": \"v6\",", &p, &e) != 0 &&
		       strstr(e.msg, "invalid JSON"),
	       "truncated JSON rejected");
	tap_ok(t, parse("base = v6\ntsm_req.kind = neither\n", &p, &e) != 0,
	       "bad kind rejected");
	tap_ok(t,
	       parse("base = v6\ntsm_req.nr = 0x96\n", &p, &e) != 0 &&
		       strstr(e.msg, "share"),
	       "tsm_op and tsm_req on one nr rejected");
	tap_ok(t, parse("base = v6\ntsm_req.size = 0:2\n", &p, &e) != 0,
	       "size field of the wrong width rejected");
	tap_ok(t,
	       tsm_profile_parse("base = v6\0x", 11, "nul", &p, &e) != 0 &&
		       strstr(e.msg, "NUL"),
	       "NUL byte rejected");
	tap_ok(t,
	       tsm_profile_load("/nonexistent/profile", &p, &e) != 0 &&
		       e.err == ENOENT,
	       "missing profile file reports ENOENT");
	tap_ok(t,
	       tsm_profile_load("/", &p, &e) != 0 &&
		       strstr(e.msg, "regular file"),
	       "a directory is not a profile file");
}

static void test_parse_numbers(struct tap *t)
{
	struct tsm_err e;
	uint32_t v32;
	uint64_t v64;
	uint8_t buf[8];

	tap_ok(t,
	       tsm_parse_u32("4294967295", "--x", &v32, &e) == 0 &&
		       v32 == 0xffffffffu,
	       "u32 max accepted");
	tap_ok(t,
	       tsm_parse_u32("4294967296", "--x", &v32, &e) != 0 &&
		       strstr(e.msg, "0..4294967295"),
	       "u32 max+1 rejected with range");
	tap_ok(t, tsm_parse_u32("0x10", "--x", &v32, &e) == 0 && v32 == 16,
	       "hex accepted");
	tap_ok(t, tsm_parse_u32("-1", "--x", &v32, &e) != 0,
	       "negative rejected");
	tap_ok(t, tsm_parse_u32("3 ", "--x", &v32, &e) != 0,
	       "trailing space rejected");
	tap_ok(t, tsm_parse_u32("0x", "--x", &v32, &e) != 0,
	       "bare 0x rejected");
	tap_ok(t, tsm_parse_u32("", "--x", &v32, &e) != 0, "empty rejected");
	tap_ok(t,
	       tsm_parse_u64("0xffffffffffffffff", UINT64_MAX, "--y", &v64,
			     &e) == 0 &&
		       v64 == UINT64_MAX,
	       "u64 max accepted");
	tap_ok(t,
	       tsm_parse_u64("18446744073709551616", UINT64_MAX, "--y", &v64,
			     &e) != 0,
	       "u64 overflow rejected");
	tap_ok(t,
	       tsm_parse_hex("de:ad be\nef", buf, sizeof(buf), "--in", &e) ==
			       4 &&
		       buf[0] == 0xde && buf[3] == 0xef,
	       "hex with colons, spaces, newline");
	tap_ok(t,
	       tsm_parse_hex("abc", buf, sizeof(buf), "--in", &e) < 0 &&
		       strstr(e.msg, "odd"),
	       "odd hex rejected");
	tap_ok(t, tsm_parse_hex("a b", buf, sizeof(buf), "--in", &e) < 0,
	       "split nibble rejected");
	tap_ok(t,
	       tsm_parse_hex("zz", buf, sizeof(buf), "--in", &e) < 0 &&
		       strstr(e.msg, "'z'"),
	       "bad hex char named");
	tap_ok(t,
	       tsm_parse_hex("000000000000000000", buf, sizeof(buf), "--in",
			     &e) < 0 &&
		       strstr(e.msg, "larger"),
	       "oversize hex rejected");
}

int main(void)
{
	struct tap t = { 0 };

	test_op_bytes(&t);
	test_req_bytes(&t);
	test_lookup(&t);
	test_files(&t);
	test_parse_numbers(&t);
	return tap_done(&t);
}
