// SPDX-License-Identifier: GPL-2.0
/*
 * Envelopes: strict JSON parsing (docs/cli-contract.md §4.2, §4.3, §8),
 * resolution against the ABI profiles and the op catalogue
 * (docs/kernel-abi.md), --catalog files and the jsonstrict
 * getters. Every refusal must name the key, field or flag concerned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "envelope.h"
#include "jsonstrict.h"
#include "tap.h"

#define VMMIO_FIELDS                                               \
	"\"fields\": {\"gpa_base\": \"0x80000000\", \"gpa_top\": " \
	"\"0x80010000\", \"pa_base\": \"0x4000000000\"}"
#define REQ3 "{\"command\":\"req\",\"vdevice_id\":3,"
#define CCA3 REQ3 "\"arch\":\"cca\","
#define VMMIO_HEX "0000008000000000 0000018000000000 0000000040000000"

static int penv_n(const char *buf, size_t len, struct tsm_envelope *env,
		  struct tsm_err *e)
{
	memset(env, 0, sizeof(*env));
	memset(e, 0, sizeof(*e));
	return tsm_envelope_parse(buf, len, "test", env, e);
}

static int penv(const char *json, struct tsm_envelope *env, struct tsm_err *e)
{
	return penv_n(json, strlen(json), env, e);
}

static void diag(const struct tsm_err *e)
{
	printf("#   msg: %s (field '%s')\n", e->msg, e->field);
}

/* A refused envelope: rc != 0 and the message names @needle. */
static void bad_env_n(struct tap *t, const char *buf, size_t len,
		      const char *needle, const char *what)
{
	struct tsm_envelope env;
	struct tsm_err e;
	int rc = penv_n(buf, len, &env, &e);
	int ok = rc != 0 && strstr(e.msg, needle) != NULL;

	tap_ok(t, ok, what);
	if (!ok) {
		printf("#   rc %d, want msg naming '%s'\n", rc, needle);
		diag(&e);
	}
}

static void bad_env(struct tap *t, const char *json, const char *needle,
		    const char *what)
{
	bad_env_n(t, json, strlen(json), needle, what);
}

/* Parse (must succeed) then resolve; returns the resolve rc. */
static int res(const char *json, const char *profile,
	       const struct tsm_catalog *c, bool flags, struct tsm_request *r,
	       struct tsm_err *e)
{
	const struct tsm_profile *p = tsm_profile_find(profile);
	struct tsm_envelope env;

	if (!p || penv(json, &env, e)) {
		printf("#   setup failed: %s\n", e->msg);
		return -1000;
	}
	memset(e, 0, sizeof(*e));
	return tsm_envelope_resolve(&env, p, c, flags, r, e);
}

static void bad_res(struct tap *t, const char *json, const char *profile,
		    const struct tsm_catalog *c, bool flags, const char *needle,
		    const char *what)
{
	struct tsm_request r;
	struct tsm_err e;
	int rc = res(json, profile, c, flags, &r, &e);
	int ok = rc == -EINVAL && strstr(e.msg, needle) != NULL;

	tap_ok(t, ok, what);
	if (!ok) {
		printf("#   rc %d, want msg naming '%s'\n", rc, needle);
		diag(&e);
	}
}

static void test_parse_ok(struct tap *t)
{
	struct tsm_envelope env;
	struct tsm_err e;
	int rc;

	rc = penv(
		"{\"command\": \"req\", \"vdevice_id\": 3, \"arch\": \"cca\", "
		"\"op\": \"validate-mmio\", " VMMIO_FIELDS ", \"resp_len\": 0}",
		&env, &e);
	tap_ok(t, rc == 0, "contract example envelope parses");
	tap_ok(t,
	       env.cmd == TSM_ENV_REQ && env.have_vdev && env.vdevice_id == 3,
	       "example: command req, vdevice_id 3");
	tap_ok(t, env.have_arch && env.arch == TSM_ARCH_CCA,
	       "example: arch cca");
	tap_ok(t, env.have_op && !strcmp(env.op, "validate-mmio"),
	       "example: op validate-mmio");
	tap_ok(t,
	       env.nfields == 3 && !strcmp(env.fields[0].name, "gpa_base") &&
		       !strcmp(env.fields[0].value, "0x80000000") &&
		       !strcmp(env.fields[2].value, "0x4000000000"),
	       "example: three fields kept as given, in order");
	tap_ok(t,
	       env.have_resp_len && env.resp_len == 0 && !env.have_payload &&
		       !env.force,
	       "example: resp_len 0 given, no payload, no force");

	rc = penv("{\"command\":\"req\",\"vdevice_id\":\"0x10\"}", &env, &e);
	tap_ok(t, rc == 0 && env.vdevice_id == 16, "vdevice_id as 0x string");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":\"4294967295\"}", &env,
		  &e);
	tap_ok(t, rc == 0 && env.vdevice_id == UINT32_MAX,
	       "vdevice_id decimal string at the u32 maximum");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":0}", &env, &e);
	tap_ok(t, rc == 0 && env.have_vdev && env.vdevice_id == 0,
	       "vdevice_id 0 is a valid object ID");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":1,\"op\":5}", &env, &e);
	tap_ok(t, rc == 0 && env.have_op && !strcmp(env.op, "5"),
	       "op as a JSON integer kept as its number");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":1,\"fields\":"
		  "{\"gpa_base\":2147483648,\"gpa_top\":\"12\"}}",
		  &env, &e);
	tap_ok(t,
	       rc == 0 && env.nfields == 2 &&
		       !strcmp(env.fields[0].value, "2147483648") &&
		       !strcmp(env.fields[1].value, "12"),
	       "field values as JSON int and decimal string");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":1,\"payload_hex\":"
		  "\"0x01:02 03\\t04\\n05\"}",
		  &env, &e);
	tap_ok(t, rc == 0 && env.have_payload && env.payload_len == 5,
	       "payload_hex with 0x, colons, spaces, tab, newline");
	tap_hex_eq(t, env.payload, env.payload_len, "0102030405",
		   "payload_hex bytes");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":1,\"payload_hex\":\"\"}",
		  &env, &e);
	tap_ok(t, rc == 0 && env.have_payload && env.payload_len == 0,
	       "empty payload_hex is an explicit empty payload");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":1,\"resp_len\":16777216,"
		  "\"force\":true,\"cca_codes\":\"rsi\",\"scope\":\"info\"}",
		  &env, &e);
	tap_ok(t,
	       rc == 0 && env.resp_len == TSM_RESP_MAX && env.force &&
		       env.cca_table == TSM_CCA_RSI && env.have_scope &&
		       !strcmp(env.scope, "info"),
	       "resp_len 16 MiB, force, cca_codes rsi, scope");
	rc = penv("{\"command\":\"req\",\"vdevice_id\":1,\"resp_len\":\"0x10\","
		  "\"force\":false}",
		  &env, &e);
	tap_ok(t, rc == 0 && env.resp_len == 16 && !env.force,
	       "resp_len as 0x string, force false");
	/* tsm_cca_table_from_name is case-insensitive: documented here */
	rc = penv(
		"{\"command\":\"req\",\"vdevice_id\":1,\"cca_codes\":\"RMI-1.0\"}",
		&env, &e);
	tap_ok(t, rc == 0 && env.cca_table == TSM_CCA_RMI_1_0,
	       "cca_codes names are case-insensitive");
	rc = penv("{\"command\":\"set-run\",\"vdevice_id\":2,\"arch\":\"cca\","
		  "\"state\":\"lock\",\"force\":true}",
		  &env, &e);
	tap_ok(t,
	       rc == 0 && env.cmd == TSM_ENV_SET_RUN && env.have_state &&
		       !strcmp(env.state, "lock"),
	       "set-run with state");
	rc = penv("{\"command\":\"bind\",\"vdevice_id\":7}", &env, &e);
	tap_ok(t, rc == 0 && env.cmd == TSM_ENV_BIND && env.vdevice_id == 7,
	       "bind envelope");
	rc = penv(" \n{\"vdevice_id\":\"8\",\"command\":\"unbind\"}\n\n", &env,
		  &e);
	tap_ok(t, rc == 0 && env.cmd == TSM_ENV_UNBIND && env.vdevice_id == 8,
	       "unbind, keys in any order, surrounding white space");
}

static void test_parse_bad_syntax(struct tap *t)
{
	static const char nul[] = "{\"command\":\"req\",\0\"vdevice_id\":1}";
	char big[2 * TSM_PAYLOAD_MAX + 200];
	int off, i;

	bad_env(t, "", "empty input", "empty input");
	bad_env(t, " \t\r\n ", "empty input", "white space only");
	bad_env(t, "[]", "expected a JSON object", "array envelope");
	bad_env(t, "\"x\"", "expected a JSON object", "string envelope");
	bad_env(t, "3\n", "expected a JSON object", "number envelope");
	/* a number that ends the input is complete (RFC 8259) */
	bad_env(t, "3", "expected a JSON object",
		"bare number at end of input is a number, not an envelope");
	bad_env(t, "{\"command\":\"bind\",\"vdevice_id\":1} x", "at byte 34",
		"trailing garbage after the object (position named)");
	bad_env(t,
		"{\"command\":\"bind\",\"vdevice_id\":1}{\"command\":\"bind\"}",
		"at byte 33", "two objects on one line (position named)");
	bad_env(t, "{\"command\": \"req\", \"vdevice_id\": 3", "end of input",
		"truncated JSON");
	bad_env(t, "{\"command\": \"req\", \"vdevice_id\": 3,}", "invalid JSON",
		"trailing comma (strict mode)");
	bad_env(t, "{'command': 'req'}", "invalid JSON", "single quotes");
	bad_env_n(t, nul, sizeof(nul) - 1, "NUL", "NUL byte in the input");
	bad_env(t, "{\"command\":\"req\",\"vdevice_id\":1,\"vdevice_id\":2}",
		"duplicate key \"vdevice_id\"", "duplicate top-level key");
	bad_env(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"fields\":"
		"{\"gpa_base\":1,\"gpa_top\":2,\"gpa_base\":3}}",
		"duplicate key \"gpa_base\"", "duplicate key inside fields");
	bad_env(t, "{\"command\":\"req\",\"vdevice\":1}",
		"unknown key \"vdevice\"", "unknown key (typo vdevice)");
	bad_env(t, "{\"command\":\"req\",\"vdevice\":1}", "vdevice_id",
		"unknown key message lists the accepted keys");
	bad_env(t, "{\"command\":\"reqq\",\"vdevice_id\":1}", "\"command\"",
		"unknown command");
	bad_env(t, "{\"vdevice_id\":1}", "\"command\"", "missing command");
	bad_env(t, "{\"command\":1,\"vdevice_id\":1}", "\"command\"",
		"command as a number");
	bad_env(t, "{\"command\":null,\"vdevice_id\":1}", "\"command\"",
		"command null");
	/* payload one byte past TSM_PAYLOAD_MAX */
	off = snprintf(
		big, sizeof(big),
		"{\"command\":\"req\",\"vdevice_id\":1,\"payload_hex\":\"");
	for (i = 0; i <= TSM_PAYLOAD_MAX; i++)
		off += snprintf(big + off, sizeof(big) - (size_t)off, "ab");
	snprintf(big + off, sizeof(big) - (size_t)off, "\"}");
	bad_env(t, big, "payload_hex", "payload_hex over 4096 bytes");
	big[off - 2] = '"';
	big[off - 1] = '}';
	big[off] = 0;
	{
		struct tsm_envelope env;
		struct tsm_err e;
		int rc = penv(big, &env, &e);

		tap_ok(t, rc == 0 && env.payload_len == TSM_PAYLOAD_MAX,
		       "payload_hex of exactly 4096 bytes is accepted");
	}
}

static void test_parse_bad_types(struct tap *t)
{
	static const struct {
		const char *json, *needle, *what;
	} c[] = {
		{ "\"vdevice_id\":true", "vdevice_id", "vdevice_id true" },
		{ "\"vdevice_id\":1.5", "vdevice_id", "vdevice_id 1.5" },
		{ "\"vdevice_id\":1e3", "vdevice_id", "vdevice_id 1e3" },
		{ "\"vdevice_id\":[3]", "vdevice_id", "vdevice_id [3]" },
		{ "\"vdevice_id\":null", "vdevice_id", "vdevice_id null" },
		{ "\"vdevice_id\":{}", "vdevice_id", "vdevice_id {}" },
		{ "\"vdevice_id\":-1", "negative", "vdevice_id -1" },
		{ "\"vdevice_id\":4294967296", "vdevice_id",
		  "vdevice_id 2^32" },
		{ "\"vdevice_id\":18446744073709551616", "vdevice_id",
		  "vdevice_id past u64" },
		{ "\"vdevice_id\":\"0x100000000\"", "vdevice_id",
		  "vdevice_id \"0x100000000\"" },
		{ "\"vdevice_id\":\"12abc\"", "vdevice_id",
		  "vdevice_id \"12abc\"" },
		{ "\"vdevice_id\":\"\"", "vdevice_id", "vdevice_id \"\"" },
		{ "\"vdevice_id\":\"0x\"", "vdevice_id", "vdevice_id \"0x\"" },
		{ "\"vdevice_id\":\"-1\"", "vdevice_id", "vdevice_id \"-1\"" },
		{ "\"vdevice_id\":\"+1\"", "vdevice_id", "vdevice_id \"+1\"" },
		{ "\"vdevice_id\":\" 3\"", "vdevice_id", "vdevice_id \" 3\"" },
		{ "\"resp_len\":16777217", "resp_len", "resp_len 16 MiB + 1" },
		{ "\"resp_len\":\"0x1000001\"", "resp_len",
		  "resp_len \"0x1000001\"" },
		{ "\"resp_len\":-4", "resp_len", "resp_len negative" },
		{ "\"arch\":\"arm\"", "\"arch\"", "arch arm" },
		{ "\"arch\":1", "\"arch\"", "arch 1" },
		/* the envelope takes canonical lower-case arch names only */
		{ "\"arch\":\"CCA\"", "\"arch\"", "arch CCA (upper case)" },
		{ "\"arch\":\"none\"", "\"arch\"", "arch none" },
		{ "\"op\":\"\"", "\"op\"", "op empty string" },
		{ "\"op\":1.5", "\"op\"", "op float" },
		{ "\"op\":true", "\"op\"", "op boolean" },
		{ "\"op\":-1", "\"op\"", "op negative" },
		{ "\"op\":4294967296", "\"op\"", "op past u32" },
		{ "\"op\":\"0123456789012345678901234567890123\"", "\"op\"",
		  "op name longer than 31 characters" },
		{ "\"scope\":1", "\"scope\"", "scope as a number" },
		{ "\"fields\":[]", "\"fields\"", "fields as an array" },
		{ "\"fields\":\"gpa_base=1\"", "\"fields\"",
		  "fields as a string" },
		{ "\"fields\":{\"gpa_base\":null}", "fields.gpa_base",
		  "field value null" },
		{ "\"fields\":{\"gpa_base\":-1}", "fields.gpa_base",
		  "field value negative" },
		{ "\"fields\":{\"gpa_base\":1.5}", "fields.gpa_base",
		  "field value float" },
		{ "\"fields\":{\"gpa_base\":{}}", "fields.gpa_base",
		  "field value object" },
		{ "\"fields\":{\"gpa_base\":\"\"}", "fields.gpa_base",
		  "field value empty string" },
		{ "\"fields\":{\"gpa_base\":true}", "fields.gpa_base",
		  "field value boolean" },
		{ "\"fields\":{\"\":1}", "fields", "field with an empty name" },
		{ "\"fields\":{\"a_field_name_of_thirty_chars\":1}", "too long",
		  "field name too long" },
		{ "\"fields\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,"
		  "\"g\":7,\"h\":8,\"i\":9}",
		  "more than 8", "more than 8 fields" },
		{ "\"payload_hex\":\"123\"", "payload_hex",
		  "payload_hex odd digits" },
		{ "\"payload_hex\":\"0g\"", "payload_hex",
		  "payload_hex bad char" },
		{ "\"payload_hex\":\"1 2\"", "payload_hex",
		  "payload_hex split byte" },
		{ "\"payload_hex\":12", "payload_hex",
		  "payload_hex as a number" },
		{ "\"force\":\"yes\"", "\"force\"", "force \"yes\"" },
		{ "\"force\":1", "\"force\"", "force 1" },
		{ "\"cca_codes\":\"rmi-3\"", "\"cca_codes\"",
		  "cca_codes unknown" },
		{ "\"cca_codes\":2", "\"cca_codes\"", "cca_codes number" },
		{ "\"state\":\"run\"", "unknown key \"state\"",
		  "state is a set-run key, not req" },
	};
	char buf[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		snprintf(buf, sizeof(buf),
			 "{\"command\":\"req\",\"vdevice_id\":1,%s}",
			 c[i].json);
		if (strstr(c[i].json, "\"vdevice_id\""))
			snprintf(buf, sizeof(buf), "{\"command\":\"req\",%s}",
				 c[i].json);
		bad_env(t, buf, c[i].needle, c[i].what);
	}
	bad_env(t, "{\"command\":\"bind\",\"vdevice_id\":1,\"arch\":\"cca\"}",
		"unknown key \"arch\"", "bind with arch");
	bad_env(t, "{\"command\":\"unbind\",\"vdevice_id\":1,\"force\":true}",
		"unknown key \"force\"", "unbind with force");
	bad_env(t, "{\"command\":\"set-run\",\"vdevice_id\":1,\"op\":\"x\"}",
		"unknown key \"op\"", "set-run with op");
	bad_env(t, "{\"command\":\"set-run\",\"vdevice_id\":1,\"state\":1}",
		"\"state\"", "set-run state as a number");
	bad_env(t, "{\"command\":\"set-run\",\"vdevice_id\":1,\"fields\":{}}",
		"unknown key \"fields\"", "set-run with fields");
}

static void test_add_field(struct tap *t)
{
	struct tsm_envelope env;
	struct tsm_err e;
	char arg[16];
	int i, rc = 0;

	memset(&env, 0, sizeof(env));
	memset(&e, 0, sizeof(e));
	tap_ok(t,
	       tsm_envelope_add_field(&env, "gpa_base=0x1000", "--field", &e) ==
			       0 &&
		       env.nfields == 1 &&
		       !strcmp(env.fields[0].value, "0x1000"),
	       "add_field NAME=VALUE");
	tap_ok(t,
	       tsm_envelope_add_field(&env, "gpa_base=2", "--field", &e) &&
		       strstr(e.msg, "gpa_base") && strstr(e.msg, "twice"),
	       "add_field refuses a field given twice");
	tap_ok(t, tsm_envelope_add_field(&env, "gpa=1", "--field", &e) == 0,
	       "a prefix of an existing name is a different field");
	tap_ok(t,
	       tsm_envelope_add_field(&env, "novalue", "--field", &e) &&
		       strstr(e.msg, "--field") && strstr(e.msg, "NAME=VALUE"),
	       "add_field without '='");
	tap_ok(t,
	       tsm_envelope_add_field(&env, "=1", "--field", &e) &&
		       strstr(e.msg, "--field"),
	       "add_field without a name");
	tap_ok(t,
	       tsm_envelope_add_field(&env, "x=", "--field", &e) &&
		       strstr(e.msg, "--field"),
	       "add_field without a value");
	memset(&env, 0, sizeof(env));
	for (i = 0; i < TSM_ENV_MAX_FIELDS && !rc; i++) {
		snprintf(arg, sizeof(arg), "f%u=%u", (unsigned int)i & 7,
			 (unsigned int)i & 7);
		rc = tsm_envelope_add_field(&env, arg, "--field", &e);
	}
	tap_ok(t,
	       !rc && tsm_envelope_add_field(&env, "f9=1", "--field", &e) &&
		       strstr(e.msg, "more than 8"),
	       "add_field refuses a ninth field");
}

static void test_resolve_cca(struct tap *t, const struct tsm_catalog *c)
{
	const char *const prof[] = { "v6", "v5-op", "v7" };
	const uint32_t opnum[] = { 1, 4, 1 };
	struct tsm_request r;
	struct tsm_err e;
	char msg[96];
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(prof); i++) {
		rc = res(CCA3 "\"op\":\"validate-mmio\"," VMMIO_FIELDS "}",
			 prof[i], c, false, &r, &e);
		snprintf(msg, sizeof(msg),
			 "%s validate-mmio: op %u, req_len 24, state change",
			 prof[i], opnum[i]);
		tap_ok(t,
		       rc == 0 && r.op == opnum[i] && r.req_len == 24 &&
			       r.entry && r.state_change && !r.forced &&
			       !r.scope_era && r.vdevice_id == 3 &&
			       r.arch == TSM_ARCH_CCA,
		       msg);
		snprintf(msg, sizeof(msg), "%s validate-mmio payload bytes",
			 prof[i]);
		tap_hex_eq(t, r.payload, r.req_len, VMMIO_HEX, msg);
	}
	rc = res(CCA3
		 "\"op\":\"set-tdi-state\",\"fields\":{\"tdi_state\":\"run\"}}",
		 "v6", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 2 && r.req_len == 4 && r.state_change &&
		       r.resp_len == 0,
	       "v6 set-tdi-state by name: op 2, req_len 4, resp_len 0");
	tap_hex_eq(t, r.payload, r.req_len, "02000000",
		   "tdi_state=run payload");
	rc = res(CCA3 "\"op\":2,\"fields\":{\"tdi_state\":2}}", "v6", c, false,
		 &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 2 && r.entry &&
		       !strcmp(r.op_name, "set-tdi-state") && !r.forced,
	       "v6 op number 2 resolves to set-tdi-state");
	tap_hex_eq(t, r.payload, r.req_len, "02000000",
		   "op 2 with tdi_state 2");
	rc = res(
		CCA3
		"\"op\":\"set-tdi-state\",\"fields\":{\"tdi_state\":\"locked\"}}",
		"v6", c, false, &r, &e);
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "01000000",
		   "tdi_state=locked is 1");
	rc = res(REQ3 "\"arch\":\"cca\",\"op\":1," VMMIO_FIELDS "}", "v6", c,
		 false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.entry && r.op == 1 &&
		       !strcmp(r.entry->name, "validate-mmio"),
	       "v6 numeric op 1 is the validate-mmio entry");
	rc = res(CCA3 "\"op\":\"object-info\",\"fields\":{\"object_type\":"
		      "\"interface_report\"}}",
		 "v5-op", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 3 && r.req_len == 4 && r.resp_len == 4 &&
		       !r.state_change,
	       "v5-op object-info: op 3, resp_len 4 from the catalogue");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "03000000",
		   "object_type=interface_report is 3");
	rc = res(CCA3 "\"op\":\"object-info\",\"fields\":{\"object_type\":1}}",
		 "v7", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.op == 7, "v7 object-info: op 7");
	rc = res(CCA3 "\"op\":\"object-info\",\"fields\":{\"object_type\":1},"
		      "\"resp_len\":100}",
		 "v7", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.resp_len == 100,
	       "resp_len overrides the default");
	rc = res(CCA3 "\"op\":\"read-object\",\"fields\":{\"object_type\":"
		      "\"certificate\",\"offset\":\"0x10\"}}",
		 "v5-op", c, false, &r, &e);
	tap_ok(t, rc != 0 && !strcmp(e.field, "resp_len") &&
			  strstr(e.msg, "non-zero offset"),
	       "v5-op read-object at an offset without resp_len: refused");
	rc = res(CCA3 "\"op\":\"read-object\",\"fields\":{\"object_type\":"
		      "\"certificate\",\"offset\":\"0x10\"},\"resp_len\":64}",
		 "v5-op", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 1 && r.req_len == 16 && r.resp_len == 64 &&
		       !r.size_entry,
	       "v5-op read-object: op 1, req_len 16, resp_len as given");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len,
		   "01000000 00000000 1000000000000000",
		   "read-object payload leaves the reserved word zero");
	rc = res(CCA3 "\"op\":\"read-object\",\"fields\":{\"object_type\":"
		      "\"vca\"}}",
		 "v7", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 5 && r.resp_len == 0 && r.size_entry &&
		       !strcmp(r.size_entry->name, "object-info") &&
		       r.size_op == 7,
	       "v7 read-object without resp_len: sized by object-info (op 7)");
	rc = res(CCA3 "\"op\":\"read-object\",\"fields\":{\"object_type\":2},"
		      "\"resp_len\":0}",
		 "v5-op", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.resp_len == 0 && !r.size_entry,
	       "explicit resp_len 0: no sizing request");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len,
		   "02000000 00000000 0000000000000000",
		   "optional offset defaults to 0");
	rc = res(
		CCA3
		"\"op\":\"validate-mmio\",\"payload_hex\":\"0102030405060708\","
		"\"force\":true}",
		"v6", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.req_len == 8 && r.op == 1,
	       "8-byte validate-mmio payload is sent with force");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "0102030405060708",
		   "forced payload bytes as given");
	rc = res(CCA3 "\"op\":99,\"force\":true,\"payload_hex\":\"aa\"}", "v6",
		 c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.forced && r.op == 99 && !r.entry &&
		       r.state_change && r.req_len == 1 &&
		       !strcmp(r.op_name, "99"),
	       "op 99 with force: raw, forced, assumed state change");
	rc = res(REQ3 "\"arch\":\"sev\","
		      "\"op\":\"set-tdi-state\",\"payload_hex\":\"\"}",
		 "v6", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.req_len == 0 && r.op == 2 && r.arch == TSM_ARCH_SEV,
	       "sev set-tdi-state with an empty payload_hex");
	rc = res(REQ3 "\"arch\":\"sev\","
		      "\"op\":\"sev-enable-dma\",\"payload_hex\":\"01 02\"}",
		 "v6", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.op == 3 && r.req_len == 2,
	       "sev-enable-dma under v6 is op 3, any payload length");
	rc = res(
		REQ3
		"\"arch\":\"tdx\","
		"\"op\":\"validate-mmio\",\"payload_hex\":\"00\",\"cca_codes\":"
		"\"rhi\"}",
		"v7", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 1 && r.arch == TSM_ARCH_TDX &&
		       r.cca_table == TSM_CCA_RHI,
	       "tdx validate-mmio under v7: op 1, cca_codes carried");
}

static void test_resolve_v5(struct tap *t, const struct tsm_catalog *c)
{
	struct tsm_request r;
	struct tsm_err e;
	int rc;

	rc = res("{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\","
		 "\"op\":\"set-tdi-state\",\"fields\":{\"tdi_state\":\"run\"}}",
		 "v5", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.scope_era && r.scope == TSM_SCOPE_STATE_CHANGE &&
		       r.req_len == 8 && r.state_change,
	       "v5 set-tdi-state: scope state-change, req_len 8");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "07000000 02000000",
		   "v5 set-tdi-state payload with req_type 7");
	rc = res("{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\","
		 "\"op\":\"object-size\",\"fields\":{\"object_type\":\"vca\"}}",
		 "v5", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.scope == TSM_SCOPE_INFO && r.resp_len == 4 &&
		       !r.state_change,
	       "v5 object-size: scope info, resp_len 4");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "01000000 04000000",
		   "v5 object-size payload with req_type 1");
	rc = res("{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"info\","
		 "\"payload_hex\":\"01000000 03000000\"}",
		 "v5", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.scope_era && r.scope == 0 && r.req_len == 8 &&
		       !r.forced && !r.state_change &&
		       !strcmp(r.op_name, "info"),
	       "v5 scope info with payload_hex");
	rc = res(
		"{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"debug-write\","
		"\"force\":true,\"payload_hex\":\"\"}",
		"v5", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.forced && r.scope == 3 && r.state_change,
	       "v5 debug-write with force: forced, state change");
	rc = res("{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"2\"}", "v5",
		 c, false, &r, &e);
	tap_ok(t, rc == 0 && r.scope == TSM_SCOPE_DEBUG_READ && !r.forced,
	       "v5 scope given as number 2");
	rc = res("{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"7\","
		 "\"force\":true}",
		 "v5", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.scope == 7 && r.forced,
	       "v5 unknown scope number 7 with force");
	bad_res(t, "{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"7\"}",
		"v5", c, false, "force", "v5 scope 7 without force");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"debug-write\"}",
		"v5", c, false, "force", "v5 debug-write without force");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"debug-write\"}",
		"v5", c, true, "--force",
		"v5 debug-write (flags) names --force");
	bad_res(t, "{\"command\":\"req\",\"vdevice_id\":1,\"scope\":\"infoo\"}",
		"v5", c, false, "scope 'infoo'", "v5 unknown scope name");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"op\":\"set-tdi-state\"}",
		"v5", c, false, "arch", "v5 op without arch");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\","
		"\"op\":\"set-tdi-state\",\"scope\":\"info\"}",
		"v5", c, false, "not both", "v5 op and scope together");
	bad_res(t, "{\"command\":\"req\",\"vdevice_id\":1}", "v5", c, true,
		"--scope", "v5 without scope or op");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\",\"op\":1}",
		"v5", c, false, "no op numbers", "v5 numeric op refused");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\","
		"\"op\":\"object-size\",\"fields\":{\"req_type\":2,"
		"\"object_type\":1}}",
		"v5", c, false, "req_type", "fixed req_type cannot be set");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\","
		"\"op\":\"object-size\",\"fields\":{\"req_type\":2,"
		"\"object_type\":1}}",
		"v5", c, false, "accepted: object_type)",
		"fixed field is not listed as accepted");
	bad_res(t,
		"{\"command\":\"req\",\"vdevice_id\":1,\"arch\":\"cca\","
		"\"op\":\"validate-mmio\"," VMMIO_FIELDS "}",
		"v5", c, false, "profile v5", "op-era op under v5");
}

static void test_resolve_errors(struct tap *t, const struct tsm_catalog *c)
{
	const char *base = CCA3;
	char j[512];

	bad_res(t,
		CCA3 "\"op\":\"object-info\",\"fields\":{\"object_type\":1}}",
		"v6", c, false, "not exist in profile v6",
		"object-info is not in profile v6");
	bad_res(t, CCA3 "\"op\":\"sev-enable-dma\"}", "v6", c, false,
		"arch cca", "sev-enable-dma with arch cca");
	bad_res(t, CCA3 "\"op\":\"validate-mmi\"}", "v6", c, false,
		"validate-mmio, set-tdi-state",
		"unknown op name lists the accepted ops");
	bad_res(t, CCA3 "\"op\":\"validate-mmi\"}", "v6", c, false,
		"'validate-mmi'", "unknown op name is quoted");
	bad_res(t, REQ3 "\"arch\":\"cca\",\"op\":99}", "v6", c, true, "--force",
		"op 99 without force (flags)");
	bad_res(t, REQ3 "\"arch\":\"cca\",\"op\":99}", "v6", c, false,
		"\"force\": true", "op 99 without force (JSON)");
	bad_res(t, CCA3 "\"op\":\"9x\"}", "v6", c, false, "op", "op \"9x\"");
	bad_res(t, CCA3 "\"op\":99,\"force\":true,\"fields\":{\"a\":1}}", "v6",
		c, false, "fields", "fields for an uncatalogued op");
	bad_res(t,
		REQ3 "\"scope\":\"info\","
		     "\"arch\":\"cca\",\"op\":1}",
		"v6", c, true, "v5 layout", "scope under v6 is the v5 layout");
	bad_res(t, REQ3 "\"op\":1}", "v6", c, false, "missing arch",
		"missing arch (JSON)");
	bad_res(t, REQ3 "\"op\":1}", "v6", c, true, "missing --arch",
		"missing arch (flags)");
	bad_res(t, REQ3 "\"arch\":\"cca\"}", "v6", c, false, "missing op",
		"missing op (JSON)");
	bad_res(t, REQ3 "\"arch\":\"cca\"}", "v6", c, true, "missing --op",
		"missing op (flags)");
	bad_res(t, "{\"command\":\"req\",\"arch\":\"cca\",\"op\":1}", "v6", c,
		false, "vdevice_id", "missing vdevice_id (JSON)");
	bad_res(t, "{\"command\":\"req\",\"arch\":\"cca\",\"op\":1}", "v6", c,
		true, "--vdevice", "missing vdevice (flags)");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"validate-mmio\"," VMMIO_FIELDS
		 ",\"payload_hex\":\"00\"}",
		 base);
	bad_res(t, j, "v6", c, false, "not both",
		"fields and payload together");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"validate-mmio\",\"fields\":"
		 "{\"gpa_bse\":1}}",
		 base);
	bad_res(t, j, "v6", c, false, "gpa_base, gpa_top, pa_base",
		"unknown field lists accepted fields");
	bad_res(t, j, "v6", c, true, "--field", "unknown field (flags)");
	bad_res(t, j, "v6", c, false, "fields: validate-mmio has no field",
		"unknown field (JSON) names fields");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"validate-mmio\",\"fields\":"
		 "{\"gpa_base\":1,\"gpa_top\":2}}",
		 base);
	bad_res(t, j, "v6", c, false, "pa_base", "required field missing");
	bad_res(t, j, "v6", c, true, "--field pa_base=VALUE",
		"required field missing (flags)");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"set-tdi-state\",\"fields\":"
		 "{\"tdi_state\":\"0x100000000\"}}",
		 base);
	bad_res(t, j, "v6", c, false, "tdi_state", "tdi_state wider than u32");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"set-tdi-state\",\"fields\":"
		 "{\"tdi_state\":4294967296}}",
		 base);
	bad_res(t, j, "v6", c, false, "out of range", "tdi_state int past u32");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"set-tdi-state\",\"fields\":"
		 "{\"tdi_state\":\"running\"}}",
		 base);
	bad_res(t, j, "v6", c, false, "tdi_state", "tdi_state unknown name");
	snprintf(j, sizeof(j),
		 "%s\"op\":\"validate-mmio\",\"payload_hex\":"
		 "\"0102030405060708\"}",
		 base);
	bad_res(t, j, "v6", c, false, "24 payload bytes, got 8",
		"8-byte validate-mmio payload without force");
	bad_res(t, j, "v6", c, true, "--in", "wrong payload length (flags)");
	bad_res(t,
		REQ3 "\"arch\":\"sev\","
		     "\"op\":\"set-tdi-state\"}",
		"v6", c, false, "no payload layout is published",
		"sev set-tdi-state without payload");
	bad_res(t,
		REQ3 "\"arch\":\"sev\","
		     "\"op\":\"set-tdi-state\"}",
		"v6", c, false, "payload_hex",
		"sev set-tdi-state points at payload_hex");
	bad_res(t,
		REQ3 "\"arch\":\"sev\","
		     "\"op\":\"set-tdi-state\"}",
		"v6", c, true, "--in",
		"sev set-tdi-state points at --in (flags)");
	bad_res(t,
		REQ3 "\"arch\":\"sev\","
		     "\"op\":\"set-tdi-state\",\"fields\":{\"state\":2}}",
		"v6", c, false, "no payload layout",
		"sev set-tdi-state with fields");
}

static int cat(struct tsm_catalog *c, const char *json, struct tsm_err *e)
{
	memset(e, 0, sizeof(*e));
	return tsm_catalog_parse(c, json, strlen(json), "cat.json", e);
}

static void bad_cat(struct tap *t, const char *json, const char *needle,
		    const char *what)
{
	struct tsm_catalog *c = malloc(sizeof(*c));
	struct tsm_err e;
	int rc;

	if (!c)
		return;
	tsm_catalog_init(c);
	rc = cat(c, json, &e);
	tap_ok(t, rc != 0 && strstr(e.msg, needle), what);
	if (!(rc != 0 && strstr(e.msg, needle))) {
		printf("#   rc %d, want msg naming '%s'\n", rc, needle);
		diag(&e);
	}
	free(c);
}

#define CAT_OP(x) \
	"{\"ops\":[{\"name\":\"x\",\"arch\":\"cca\",\"number\":9," x "}]}"
#define CAT_F(x) CAT_OP("\"req_len\":8,\"fields\":[" x "]")

static void test_catalog(struct tap *t, const struct tsm_catalog *builtin)
{
	struct tsm_catalog *c = malloc(sizeof(*c));
	struct tsm_request r;
	struct tsm_err e;
	unsigned int n;
	int rc;

	if (!c)
		return;
	*c = *builtin;
	n = c->n;
	rc = cat(c,
		 "{\"ops\":[{\"name\":\"set-tdi-state\",\"arch\":\"sev\","
		 "\"op\":\"set-tdi-state\",\"state_change\":true,\"req_len\":4,"
		 "\"decoder\":\"tdi-state\",\"fields\":[{\"name\":\"state\","
		 "\"offset\":0,\"size\":4,\"required\":true,\"values\":"
		 "{\"run\":2,\"lock\":1}}],\"doc\":\"sev state\"}]}",
		 &e);
	tap_ok(t, rc == 0 && c->n == n,
	       "catalogue entry overrides sev set-tdi-state");
	rc = res(REQ3
		 "\"arch\":\"sev\","
		 "\"op\":\"set-tdi-state\",\"fields\":{\"state\":\"lock\"}}",
		 "v6", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 2 && r.req_len == 4 && r.entry &&
		       r.entry->from_file &&
		       r.entry->decoder == TSM_DEC_TDI_STATE,
	       "overridden sev set-tdi-state resolves with fields");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "01000000",
		   "catalogue value name lock is 1");
	bad_res(t,
		REQ3 "\"arch\":\"sev\","
		     "\"op\":\"set-tdi-state\"}",
		"v6", c, false, "state", "catalogue required field enforced");
	rc = cat(c,
		 "{\"ops\":[{\"name\":\"my-op\",\"arch\":\"cca\",\"number\":9,"
		 "\"req_len\":2,\"resp_len\":8,\"fields\":[{\"name\":\"v\","
		 "\"offset\":0,\"size\":2,\"default\":\"0x1234\"}]}]}",
		 &e);
	tap_ok(t, rc == 0 && c->n == n + 1, "catalogue adds a numbered op");
	rc = res(CCA3 "\"op\":\"my-op\"}", "v6", c, false, &r, &e);
	tap_ok(t, rc == 0 && r.op == 9 && !r.forced && r.resp_len == 8,
	       "new op resolves by name to number 9");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "3412",
		   "new op field default, little-endian u16");
	rc = res(REQ3 "\"arch\":\"cca\",\"op\":9,"
		      "\"fields\":{\"v\":\"0xbeef\"}}",
		 "v6", c, false, &r, &e);
	tap_ok(t,
	       rc == 0 && r.op == 9 && !r.forced && r.entry &&
		       !strcmp(r.op_name, "my-op"),
	       "new op resolves by number 9 without force");
	tap_hex_eq(t, r.payload, rc ? 0 : r.req_len, "efbe",
		   "new op field value");
	bad_res(t,
		REQ3 "\"arch\":\"cca\",\"op\":9,"
		     "\"fields\":{\"v\":\"0x10000\"}}",
		"v6", c, false, "v", "u16 catalogue field refuses 0x10000");
	free(c);

	bad_cat(t, CAT_OP("\"nmae\":\"y\""), "unknown key \"nmae\"",
		"catalogue unknown key");
	bad_cat(t, CAT_F("{\"name\":\"a\",\"offset\":6,\"size\":4}"),
		"past \"req_len\"", "catalogue field past req_len");
	bad_cat(t,
		CAT_F("{\"name\":\"a\",\"offset\":0,\"size\":4},"
		      "{\"name\":\"b\",\"offset\":2,\"size\":2}"),
		"fields[1]: overlaps", "catalogue overlapping fields");
	bad_cat(t, CAT_F("{\"name\":\"a\",\"offset\":0,\"size\":3}"),
		"\"size\"", "catalogue field size 3");
	bad_cat(t, CAT_F("{\"offset\":0,\"size\":4}"), "\"name\"",
		"catalogue field without a name");
	bad_cat(t, CAT_F("{\"name\":\"a\",\"size\":4}"), "\"offset\"",
		"catalogue field without an offset");
	bad_cat(t, CAT_F("{\"name\":\"a\",\"offset\":0,\"size\":4,\"sz\":1}"),
		"unknown key \"sz\"", "catalogue field unknown key");
	bad_cat(t, "{\"ops\":[{\"arch\":\"cca\",\"number\":9}]}", "\"name\"",
		"catalogue entry without a name");
	bad_cat(t,
		CAT_OP("\"fields\":[{\"name\":\"a\",\"offset\":0,\"size\":4}]"),
		"\"fields\" needs \"req_len\"",
		"catalogue fields without req_len");
	bad_cat(t, CAT_OP("\"decoder\":\"hex\""), "\"decoder\"",
		"catalogue bad decoder");
	bad_cat(t, "{\"ops\":[{\"name\":\"x\",\"name\":\"y\",\"number\":9}]}",
		"duplicate key \"name\"", "catalogue duplicate key");
	bad_cat(t, "[]", "{\"ops\"", "catalogue top level array");
	bad_cat(t, "{\"ops\":{}}", "{\"ops\"", "catalogue ops not an array");
	bad_cat(t, "{\"op\":[]}", "unknown key \"op\"",
		"catalogue top key typo");
	bad_cat(t, "{\"ops\":[{\"name\":\"x\",\"arch\":\"cca\"}]}",
		"\"op\" or \"number\"", "catalogue op entry without a number");
	bad_cat(t, CAT_OP("\"arch\":\"arm\""), "duplicate key \"arch\"",
		"catalogue duplicate arch key");
	bad_cat(t, "{\"ops\":[{\"name\":\"x\",\"arch\":\"arm\",\"number\":9}]}",
		"\"arch\"", "catalogue unknown arch");
	bad_cat(t, "{\"ops\":[{\"name\":\"x\",\"number\":0}]}", "\"number\"",
		"catalogue number 0");
	bad_cat(t, "{\"ops\":[{\"name\":\"x\",\"op\":\"frobnicate\"}]}",
		"\"op\" must name", "catalogue unknown generic op");
	bad_cat(t, "{\"ops\":[{\"name\":\"x\",\"era\":\"v5\",\"number\":9}]}",
		"\"era\"", "catalogue bad era");
	bad_cat(t, CAT_OP("\"req_len\":4097"), "req_len",
		"catalogue req_len past 4096");
	bad_cat(t,
		CAT_F("{\"name\":\"a\",\"offset\":0,\"size\":4,\"values\":[]}"),
		"\"values\"", "catalogue values not an object");
}

static int strict(const char *s, struct json_object **o, struct tsm_err *e)
{
	memset(e, 0, sizeof(*e));
	return tsm_json_parse_strict(s, strlen(s), "t", o, e);
}

/* Typed getters on one JSON value; @needle NULL: must succeed with @want. */
static void test_jsonstrict(struct tap *t)
{
	static const struct {
		char kind; /* u: u64, b: bool, s: str */
		const char *json;
		uint64_t max, want;
		const char *needle, *what;
	} g[] = {
		{ 'u', "4", 4, 4, NULL, "u64: int at max" },
		{ 'u', "4", 3, 0, "0..3", "u64: int past max names the range" },
		{ 'u', "-5", 100, 0, "negative", "u64: negative int" },
		{ 'u', "18446744073709551615", UINT64_MAX, UINT64_MAX, NULL,
		  "u64: UINT64_MAX int" },
		{ 'u', "\"0x10\"", 16, 16, NULL, "u64: 0x string at max" },
		{ 'u', "\"0x11\"", 16, 0, "\"k\"", "u64: 0x string past max" },
		{ 'u', "\"0XfF\"", 255, 255, NULL,
		  "u64: 0X prefix, mixed case" },
		{ 'u', "\"0xffffffffffffffff0\"", UINT64_MAX, 0, "out of range",
		  "u64: 0x string past 2^64" },
		{ 'u', "\"18446744073709551616\"", UINT64_MAX, 0,
		  "out of range", "u64: decimal string 2^64" },
		{ 'u', "\"-3\"", 100, 0, "\"k\"", "u64: negative string" },
		{ 'u', "2.0", 100, 0, "double", "u64: double refused" },
		{ 'u', "true", 100, 0, "boolean", "u64: boolean refused" },
		{ 'b', "2.0", 0, 0, "\"k\"", "bool: double refused" },
		{ 'b', "\"true\"", 0, 0, "string",
		  "bool: string \"true\" refused" },
		{ 'b', "1", 0, 0, "int", "bool: int 1 refused" },
		{ 'b', "null", 0, 0, "null", "bool: null refused" },
		{ 'b', "true", 0, 1, NULL, "bool: true" },
		{ 's', "1", 0, 0, "\"k\"", "str: int refused" },
		{ 's', "[]", 0, 0, "array", "str: array refused" },
	};
	struct json_object *o, *x;
	struct tsm_err e;
	char buf[64];
	const char *s;
	uint64_t v;
	size_t i;
	bool b;
	int rc;

	for (i = 0; i < ARRAY_SIZE(g); i++) {
		v = 0;
		b = false;
		/* a bare scalar at end of input is incomplete for json-c */
		snprintf(buf, sizeof(buf), "[%s]", g[i].json);
		if (strict(buf, &o, &e)) {
			tap_ok(t, 0, g[i].what);
			continue;
		}
		x = json_object_array_get_idx(o, 0);
		if (g[i].kind == 'u')
			rc = tsm_json_u64(x, "k", g[i].max, &v, &e);
		else if (g[i].kind == 'b')
			rc = tsm_json_bool(x, "k", &b, &e);
		else
			rc = tsm_json_str(x, "k", &s, &e);
		if (g[i].kind == 'b')
			v = b;
		tap_ok(t,
		       g[i].needle ? rc && strstr(e.msg, g[i].needle) :
				     !rc && v == g[i].want,
		       g[i].what);
		if (g[i].needle && !(rc && strstr(e.msg, g[i].needle)))
			diag(&e);
		json_object_put(o);
	}
	tap_ok(t, !strict("{\"a\":{\"x\":1},\"b\":{\"x\":1}}", &o, &e),
	       "strict: same key in sibling objects");
	json_object_put(o);
	tap_ok(t, !strict("[{\"a\":1},{\"a\":1}]", &o, &e),
	       "strict: same key in objects of an array");
	json_object_put(o);
	tap_ok(t, !strict("{\"a\":\"a\",\"b\":\"a\"}", &o, &e),
	       "strict: a value equal to a key is no duplicate");
	json_object_put(o);
	tap_ok(t,
	       strict("{\"a\":\"x\\\"}{\",\"a\":2}", &o, &e) &&
		       strstr(e.msg, "\"a\"") && !o,
	       "strict: duplicate after a string with escaped quote");
	tap_ok(t,
	       strict("{\"a\":{\"b\":1,\"c\":[1,{}],\"b\":2}}", &o, &e) &&
		       !strcmp(e.field, "b"),
	       "strict: nested duplicate, field set to the key");
}

int main(void)
{
	struct tsm_catalog *c = malloc(sizeof(*c));
	struct tap t = { 0 };

	if (!c)
		return 1;
	tsm_catalog_init(c);
	test_parse_ok(&t);
	test_parse_bad_syntax(&t);
	test_parse_bad_types(&t);
	test_add_field(&t);
	test_resolve_cca(&t, c);
	test_resolve_v5(&t, c);
	test_resolve_errors(&t, c);
	test_catalog(&t, c);
	test_jsonstrict(&t);
	free(c);
	return tap_done(&t);
}
