// SPDX-License-Identifier: GPL-2.0
/*
 * Wire bytes of every catalogued op of every profile (docs/kernel-abi.md):
 * an envelope is resolved against the profile and built into its TSM_REQ
 * struct; the struct (pointers zero, as tsmctl shows it) and the payload
 * must be exactly the hand-computed bytes. Object types are checked in
 * both numberings (v7's vca 0 .. interface_report 3, and RHI's), and a
 * nonce's bytes apart from its pointer slot.
 */
#include <string.h>

#include "catalog.h"
#include "envelope.h"
#include "tap.h"
#include "uapi.h"

#define ENV(op, rest)                                                \
	"{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"cca\",\"op\":\"" op \
	"\"" rest "}"
#define NONCE_HEX                                                     \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define VMMIO                                                           \
	",\"fields\":{\"gpa_base\":\"0x80000000\",\"gpa_top\":\"0x80010000\"," \
	"\"pa_base\":\"0x4000000000\"}"
#define VMMIO_HEX "0000008000000000 0000018000000000 0000000040000000"
/* the op layout: size 48, vdevice 3, op, arch, req_len, resp_len, zeroes */
#define OPST(op, arch, rl, sl)                                       \
	"30000000 03000000 " op " " arch " " rl " " sl " 0000000000000000" \
	" 0000000000000000 0000000000000000"
/* the v5 scope layout: size 40, vdevice 3, scope, lens, reserved, zeroes */
#define SCST(scope, rl, sl) \
	"28000000 03000000 " scope " " rl " " sl " 00000000 0000000000000000 0000000000000000"
#define CCA "01000000"
#define SEV "02000000"
#define TDX "03000000"

struct wire_case {
	const char *profile;
	const char *json;
	const char *st; /* struct hex */
	const char *payload; /* payload hex */
	int objtype; /* enum tsm_objtype, -1: none */
};

static const struct wire_case cases[] = {
	/* v7: the CCA integration numbering (S30) */
	{ "v7", ENV("validate-mmio", VMMIO),
	  OPST("01000000", CCA, "18000000", "00000000"), VMMIO_HEX, -1 },
	{ "v7", ENV("set-tdi-state", ",\"fields\":{\"tdi_state\":\"run\"}"),
	  OPST("02000000", CCA, "04000000", "00000000"), "02000000", -1 },
	{ "v7", ENV("set-tdi-state", ",\"fields\":{\"tdi_state\":\"locked\"}"),
	  OPST("02000000", CCA, "04000000", "00000000"), "01000000", -1 },
	{ "v7", ENV("object-info", ",\"fields\":{\"object_type\":\"vca\"}"),
	  OPST("07000000", CCA, "04000000", "04000000"), "00000000",
	  TSM_OBJ_VCA },
	{ "v7",
	  ENV("object-info", ",\"fields\":{\"object_type\":\"certificate\"}"),
	  OPST("07000000", CCA, "04000000", "04000000"), "01000000",
	  TSM_OBJ_CERTIFICATE },
	{ "v7",
	  ENV("object-info", ",\"fields\":{\"object_type\":\"measurement\"}"),
	  OPST("07000000", CCA, "04000000", "04000000"), "02000000",
	  TSM_OBJ_MEASUREMENT },
	{ "v7",
	  ENV("object-info",
	      ",\"fields\":{\"object_type\":\"interface_report\"}"),
	  OPST("07000000", CCA, "04000000", "04000000"), "03000000",
	  TSM_OBJ_INTERFACE_REPORT },
	/* read-object sized by object-info: resp_len 0 until run time */
	{ "v7", ENV("read-object", ",\"fields\":{\"object_type\":\"vca\"}"),
	  OPST("05000000", CCA, "10000000", "00000000"),
	  "00000000 00000000 0000000000000000", TSM_OBJ_VCA },
	{ "v7",
	  ENV("read-object", ",\"fields\":{\"object_type\":\"interface_report\"},"
			     "\"resp_len\":36"),
	  OPST("05000000", CCA, "10000000", "24000000"),
	  "03000000 00000000 0000000000000000", TSM_OBJ_INTERFACE_REPORT },
	{ "v7",
	  ENV("read-object", ",\"fields\":{\"object_type\":\"measurement\","
			     "\"offset\":\"0x10\"},\"resp_len\":64"),
	  OPST("05000000", CCA, "10000000", "40000000"),
	  "02000000 00000000 1000000000000000", TSM_OBJ_MEASUREMENT },
	{ "v7",
	  ENV("regen-object", ",\"fields\":{\"object_type\":\"measurement\","
			      "\"flags\":1,\"nonce\":\"" NONCE_HEX "\"}"),
	  OPST("06000000", CCA, "18000000", "00000000"),
	  "02000000 00000000 0100000000000000 0000000000000000",
	  TSM_OBJ_MEASUREMENT },
	{ "v7",
	  ENV("regen-object", ",\"fields\":{\"object_type\":\"vca\","
			      "\"nonce\":\"" NONCE_HEX "\"}"),
	  OPST("06000000", CCA, "18000000", "00000000"),
	  "00000000 00000000 0000000000000000 0000000000000000", TSM_OBJ_VCA },
	{ "v7",
	  ENV("regen-object",
	      ",\"fields\":{\"object_type\":\"interface_report\"}"),
	  OPST("06000000", CCA, "18000000", "00000000"),
	  "03000000 00000000 0000000000000000 0000000000000000",
	  TSM_OBJ_INTERFACE_REPORT },
	{ "v7",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"sev\","
	  "\"op\":\"sev-enable-dma\",\"payload_hex\":\"aabb\"}",
	  OPST("03000000", SEV, "02000000", "00000000"), "aabb", -1 },
	{ "v7",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"sev\","
	  "\"op\":\"sev-disable-dma\",\"payload_hex\":\"\"}",
	  OPST("04000000", SEV, "00000000", "00000000"), "", -1 },
	{ "v7",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"tdx\","
	  "\"op\":\"set-tdi-state\",\"payload_hex\":\"02000000\"}",
	  OPST("02000000", TDX, "04000000", "00000000"), "02000000", -1 },
	/* v5-op: the 2026-06-02 proposal, RHI object types */
	{ "v5-op", ENV("validate-mmio", VMMIO),
	  OPST("04000000", CCA, "18000000", "00000000"), VMMIO_HEX, -1 },
	{ "v5-op",
	  ENV("set-tdi-state", ",\"fields\":{\"tdi_state\":\"unlocked\"}"),
	  OPST("05000000", CCA, "04000000", "00000000"), "00000000", -1 },
	{ "v5-op", ENV("object-info", ",\"fields\":{\"object_type\":\"vca\"}"),
	  OPST("03000000", CCA, "04000000", "04000000"), "04000000",
	  TSM_OBJ_VCA },
	{ "v5-op",
	  ENV("object-info",
	      ",\"fields\":{\"object_type\":\"interface_report\"}"),
	  OPST("03000000", CCA, "04000000", "04000000"), "03000000",
	  TSM_OBJ_INTERFACE_REPORT },
	{ "v5-op",
	  ENV("read-object", ",\"fields\":{\"object_type\":\"certificate\"}"),
	  OPST("01000000", CCA, "10000000", "00000000"),
	  "01000000 00000000 0000000000000000", TSM_OBJ_CERTIFICATE },
	{ "v5-op",
	  ENV("regen-object", ",\"fields\":{\"object_type\":\"vca\","
			      "\"nonce\":\"" NONCE_HEX "\"}"),
	  OPST("02000000", CCA, "18000000", "00000000"),
	  "04000000 00000000 0000000000000000 0000000000000000", TSM_OBJ_VCA },
	{ "v5-op",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"sev\","
	  "\"op\":\"sev-enable-dma\",\"payload_hex\":\"\"}",
	  OPST("06000000", SEV, "00000000", "00000000"), "", -1 },
	{ "v5-op",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"sev\","
	  "\"op\":\"sev-disable-dma\",\"payload_hex\":\"\"}",
	  OPST("07000000", SEV, "00000000", "00000000"), "", -1 },
	/* v6: the post-v5 tree, no object ops */
	{ "v6", ENV("validate-mmio", VMMIO),
	  OPST("01000000", CCA, "18000000", "00000000"), VMMIO_HEX, -1 },
	{ "v6", ENV("set-tdi-state", ",\"fields\":{\"tdi_state\":\"locked\"}"),
	  OPST("02000000", CCA, "04000000", "00000000"), "01000000", -1 },
	{ "v6",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"sev\","
	  "\"op\":\"sev-enable-dma\",\"payload_hex\":\"01\"}",
	  OPST("03000000", SEV, "01000000", "00000000"), "01", -1 },
	{ "v6",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"arch\":\"sev\","
	  "\"op\":\"sev-disable-dma\",\"payload_hex\":\"\"}",
	  OPST("04000000", SEV, "00000000", "00000000"), "", -1 },
	/* v5: scope layout, scope-era CCA payloads, RHI object types */
	{ "v5", ENV("object-size", ",\"fields\":{\"object_type\":\"vca\"}"),
	  SCST("00000000", "08000000", "04000000"), "01000000 04000000",
	  TSM_OBJ_VCA },
	{ "v5",
	  ENV("object-size", ",\"fields\":{\"object_type\":\"certificate\"}"),
	  SCST("00000000", "08000000", "04000000"), "01000000 01000000",
	  TSM_OBJ_CERTIFICATE },
	{ "v5",
	  ENV("object-read", ",\"fields\":{\"object_type\":\"measurement\"},"
			     "\"resp_len\":4096"),
	  SCST("00000000", "10000000", "00100000"),
	  "02000000 02000000 0000000000000000", TSM_OBJ_MEASUREMENT },
	{ "v5",
	  ENV("object-read",
	      ",\"fields\":{\"object_type\":\"interface_report\"}"),
	  SCST("00000000", "10000000", "00000000"),
	  "02000000 03000000 0000000000000000", TSM_OBJ_INTERFACE_REPORT },
	{ "v5", ENV("set-tdi-state", ",\"fields\":{\"tdi_state\":\"run\"}"),
	  SCST("01000000", "08000000", "00000000"), "07000000 02000000", -1 },
	{ "v5",
	  "{\"command\":\"req\",\"vdevice_id\":3,\"scope\":\"info\","
	  "\"payload_hex\":\"0102\",\"resp_len\":8}",
	  SCST("00000000", "02000000", "08000000"), "0102", -1 },
};

static void check_case(struct tap *t, const struct tsm_catalog *c,
		       const struct wire_case *w)
{
	const struct tsm_profile *p = tsm_profile_find(w->profile);
	struct tsm_envelope env;
	struct tsm_request r;
	struct tsm_req_args a = { 0 };
	struct tsm_image img;
	struct tsm_err e = { 0 };
	char what[160];

	snprintf(what, sizeof(what), "%s: %.100s", w->profile, w->json);
	memset(&env, 0, sizeof(env));
	if (tsm_envelope_parse(w->json, strlen(w->json), "test", &env, &e) ||
	    tsm_envelope_resolve(&env, p, c, false, &r, &e)) {
		tap_ok(t, 0, what);
		printf("#   %s\n", e.msg);
		return;
	}
	a.vdevice_id = r.vdevice_id;
	a.scope = r.scope;
	a.op = r.op;
	a.tvm_arch = r.arch;
	a.req_len = r.req_len;
	a.resp_len = r.resp_len;
	tsm_build_req(p, &a, &img);
	tap_hex_eq(t, img.b, img.len, w->st, what);
	tap_hex_eq(t, r.payload, r.req_len, w->payload, what);
	tap_ok(t, r.objtype == w->objtype, "... object type as the profile numbers it");
}

static void test_nonce(struct tap *t, const struct tsm_catalog *c)
{
	static const char json[] =
		ENV("regen-object", ",\"fields\":{\"object_type\":\"measurement\","
				    "\"nonce\":\"" NONCE_HEX "\"}");
	struct tsm_envelope env;
	struct tsm_request r;
	struct tsm_err e = { 0 };
	uint8_t want[32];
	unsigned int i;

	for (i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)i;
	memset(&env, 0, sizeof(env));
	tap_ok(t,
	       !tsm_envelope_parse(json, strlen(json), "test", &env, &e) &&
		       !tsm_envelope_resolve(&env, tsm_profile_find("v7"), c,
					     false, &r, &e),
	       "v7 regen-object with a nonce resolves");
	tap_ok(t, r.have_nonce && r.nonce_off == 16,
	       "the nonce's pointer goes at payload offset 16");
	tap_ok(t, !memcmp(r.nonce, want, sizeof(want)),
	       "the 32 nonce bytes are kept apart from the payload");
	tap_ok(t, offsetof(struct tsm_uapi_cca_regen_object, nonce) == 16 &&
			  sizeof(struct tsm_uapi_cca_regen_object) == 24,
	       "uapi: regen payload 24 bytes, nonce pointer at 16");
}

/* bad input for the object ops: refused with the field named */
static void test_refusals(struct tap *t, const struct tsm_catalog *c)
{
	static const struct {
		const char *json, *field, *needle, *what;
	} bad[] = {
		{ ENV("regen-object", ",\"fields\":{\"object_type\":\"vca\","
				      "\"nonce\":\"0102\"}"),
		  "--field", "exactly 32", "a 2-byte nonce" },
		{ ENV("regen-object", ",\"fields\":{\"object_type\":\"vca\","
				      "\"nonce\":\"" NONCE_HEX "00\"}"),
		  "--field", "more than 32", "a 33-byte nonce" },
		{ ENV("regen-object", ",\"fields\":{\"object_type\":\"vca\"}"),
		  "--field", "nonce=HEX", "vca without a nonce" },
		{ ENV("regen-object",
		      ",\"fields\":{\"object_type\":\"interface_report\","
		      "\"nonce\":\"" NONCE_HEX "\"}"),
		  "--field", "without a nonce",
		  "the interface report with a nonce" },
		{ ENV("regen-object",
		      ",\"fields\":{\"object_type\":\"measurement\","
		      "\"flags\":2,\"nonce\":\"" NONCE_HEX "\"}"),
		  "--field", "flags 0 or 1", "measurement flags 2" },
		{ ENV("regen-object", ",\"payload_hex\":\"" NONCE_HEX "\""),
		  "--in", "pointer", "raw bytes without force" },
		{ ENV("object-info", ",\"fields\":{\"object_type\":\"rom\"}"),
		  "object_type", "vca", "an unknown object type name" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tsm_envelope env;
		struct tsm_request r;
		struct tsm_err e = { 0 };
		char what[120];
		int rc;

		memset(&env, 0, sizeof(env));
		rc = tsm_envelope_parse(bad[i].json, strlen(bad[i].json),
					"test", &env, &e);
		if (!rc)
			rc = tsm_envelope_resolve(&env,
						  tsm_profile_find("v7"), c,
						  true, &r, &e);
		snprintf(what, sizeof(what), "v7 refuses %s", bad[i].what);
		tap_ok(t,
		       rc && !strcmp(e.field, bad[i].field) &&
			       (strstr(e.msg, bad[i].needle) ||
				strstr(e.hint, bad[i].needle)),
		       what);
		if (!rc || strcmp(e.field, bad[i].field))
			printf("#   rc %d field '%s' msg %s\n", rc, e.field,
			       e.msg);
	}
}

static void test_numbers(struct tap *t)
{
	const struct tsm_profile *v7 = tsm_profile_find("v7");
	const struct tsm_profile *v6 = tsm_profile_find("v6");

	tap_ok(t, v7->opnum[TSM_OPID_VALIDATE_MMIO] == 1 &&
			  v7->opnum[TSM_OPID_SET_TDI_STATE] == 2 &&
			  v7->opnum[TSM_OPID_READ_OBJECT] == 5 &&
			  v7->opnum[TSM_OPID_REGEN_OBJECT] == 6 &&
			  v7->opnum[TSM_OPID_OBJECT_INFO] == 7,
	       "v7 op numbers are S30's");
	tap_ok(t, !tsm_opnum_confirmed(v7, TSM_OPID_SEV_ENABLE_DMA) &&
			  !tsm_opnum_confirmed(v7, TSM_OPID_SEV_DISABLE_DMA) &&
			  tsm_opnum_confirmed(v7, TSM_OPID_READ_OBJECT),
	       "v7 SEV_* 3/4 unconfirmed, object ops confirmed");
	tap_ok(t, tsm_opnum_confirmed(v6, TSM_OPID_SEV_ENABLE_DMA),
	       "v6 SEV_ENABLE_DMA confirmed");
	tap_ok(t, v7->objnum[TSM_OBJ_VCA] == 0 &&
			  v6->objnum[TSM_OBJ_VCA] == 4 &&
			  tsm_objtype_by_num(v7, 0) == TSM_OBJ_VCA &&
			  tsm_objtype_by_num(v6, 4) == TSM_OBJ_VCA &&
			  tsm_objtype_by_num(v6, 0) == -1,
	       "object type numbers per profile");
}

int main(void)
{
	struct tsm_catalog *c = malloc(sizeof(*c));
	struct tap t = { 0 };
	size_t i;

	if (!c)
		return 1;
	tsm_catalog_init(c);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&t, c, &cases[i]);
	test_nonce(&t, c);
	test_refusals(&t, c);
	test_numbers(&t);
	free(c);
	return tap_done(&t);
}
