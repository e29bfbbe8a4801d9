// SPDX-License-Identifier: GPL-2.0
/*
 * Envelope parsing (JSON) and resolution against a profile and the op
 * catalogue (docs/cli-contract.md §4.2, §4.3, §8).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "envelope_int.h"
#include "jsonstrict.h"

static const char *const env_names[] = { [TSM_ENV_NONE] = "",
					 [TSM_ENV_BIND] = "bind",
					 [TSM_ENV_UNBIND] = "unbind",
					 [TSM_ENV_REQ] = "req",
					 [TSM_ENV_SET_RUN] = "set-run" };

const char *tsm_env_cmd_name(enum tsm_env_cmd c)
{
	return (size_t)c < ARRAY_SIZE(env_names) ? env_names[c] : "";
}

#define K_COMMAND "command"
#define K_VDEV "vdevice_id"
#define K_ARCH "arch"
#define K_OP "op"
#define K_SCOPE "scope"
#define K_FIELDS "fields"
#define K_PAYLOAD "payload_hex"
#define K_RESP_LEN "resp_len"
#define K_STATE "state"
#define K_FORCE "force"
#define K_CCA "cca_codes"

const char *const tsm_env_keys[TSM_ENV_KEYS] = {
	[TSM_EK_COMMAND] = K_COMMAND,	  [TSM_EK_VDEVICE_ID] = K_VDEV,
	[TSM_EK_ARCH] = K_ARCH,		  [TSM_EK_OP] = K_OP,
	[TSM_EK_SCOPE] = K_SCOPE,	  [TSM_EK_FIELDS] = K_FIELDS,
	[TSM_EK_PAYLOAD_HEX] = K_PAYLOAD, [TSM_EK_RESP_LEN] = K_RESP_LEN,
	[TSM_EK_STATE] = K_STATE,	  [TSM_EK_FORCE] = K_FORCE,
	[TSM_EK_CCA_CODES] = K_CCA,
};

/* per command, in the order messages list them */
static const char *const keys_op[] = { K_COMMAND, K_VDEV, NULL };
static const char *const keys_req[] = { K_COMMAND, K_VDEV,     K_ARCH,
					K_OP,	   K_SCOPE,    K_FIELDS,
					K_PAYLOAD, K_RESP_LEN, K_FORCE,
					K_CCA,	   NULL };
static const char *const keys_setrun[] = { K_COMMAND, K_VDEV,  K_ARCH, K_STATE,
					   K_PAYLOAD, K_FORCE, K_CCA,  NULL };

static const char *const *keys_of(enum tsm_env_cmd cmd)
{
	return cmd == TSM_ENV_REQ     ? keys_req :
	       cmd == TSM_ENV_SET_RUN ? keys_setrun :
					keys_op;
}

#define EK(k) (1u << TSM_EK_##k)

unsigned int tsm_env_allowed(enum tsm_env_cmd cmd)
{
	/* keys_op, keys_req and keys_setrun as bits */
	static const unsigned int op = EK(COMMAND) | EK(VDEVICE_ID);
	static const unsigned int req =
		op | EK(ARCH) | EK(OP) | EK(SCOPE) | EK(FIELDS) |
		EK(PAYLOAD_HEX) | EK(RESP_LEN) | EK(FORCE) | EK(CCA_CODES);
	static const unsigned int setrun = op | EK(ARCH) | EK(STATE) |
					   EK(PAYLOAD_HEX) | EK(FORCE) |
					   EK(CCA_CODES);

	return cmd == TSM_ENV_REQ ? req : cmd == TSM_ENV_SET_RUN ? setrun : op;
}

int tsm_envelope_add_field(struct tsm_envelope *env, const char *arg,
			   const char *origin, struct tsm_err *e)
{
	const char *eq = strchr(arg, '=');
	struct tsm_env_field *f;
	unsigned int i;

	if (!eq || eq == arg || !eq[1]) {
		tsm_err_set(
			e, EINVAL, origin, arg,
			"%s '%s': expected NAME=VALUE (e.g. gpa_base=0x80000000)",
			origin, arg);
		return -EINVAL;
	}
	if ((size_t)(eq - arg) >= sizeof(f->name) ||
	    strlen(eq + 1) >= sizeof(f->value)) {
		tsm_err_set(e, EINVAL, origin, arg, "%s '%s': too long", origin,
			    arg);
		return -EINVAL;
	}
	for (i = 0; i < env->nfields; i++)
		if (!strncmp(env->fields[i].name, arg, (size_t)(eq - arg)) &&
		    !env->fields[i].name[eq - arg]) {
			tsm_err_set(e, EINVAL, origin, arg,
				    "%s: field '%.*s' given twice", origin,
				    (int)(eq - arg), arg);
			return -EINVAL;
		}
	if (env->nfields >= TSM_ENV_MAX_FIELDS) {
		tsm_err_set(e, EINVAL, origin, arg, "%s: more than %d fields",
			    origin, TSM_ENV_MAX_FIELDS);
		return -EINVAL;
	}
	f = &env->fields[env->nfields++];
	snprintf(f->name, sizeof(f->name), "%.*s", (int)(eq - arg), arg);
	snprintf(f->value, sizeof(f->value), "%s", eq + 1);
	return 0;
}

static int json_fields(struct json_object *v, struct tsm_envelope *env,
		       struct tsm_err *e)
{
	char arg[sizeof(env->fields[0].name) + sizeof(env->fields[0].value) + 2];

	if (!json_object_is_type(v, json_type_object)) {
		tsm_err_set(e, EINVAL, "fields", NULL,
			    "\"fields\": expected an object of name: value");
		return -EINVAL;
	}
	json_object_object_foreach(v, k, fv) {
		char key[40];

		snprintf(key, sizeof(key), "fields.%s", k);
		if (json_object_is_type(fv, json_type_int)) {
			uint64_t n;

			if (tsm_json_u64(fv, key, UINT64_MAX, &n, e))
				return -EINVAL;
			snprintf(arg, sizeof(arg), "%s=%llu", k,
				 (unsigned long long)n);
		} else if (json_object_is_type(fv, json_type_string)) {
			if (!*json_object_get_string(fv)) {
				tsm_err_set(e, EINVAL, key, NULL,
					    "\"%s\": empty value", key);
				return -EINVAL;
			}
			snprintf(arg, sizeof(arg), "%s=%s", k,
				 json_object_get_string(fv));
		} else {
			tsm_err_set(
				e, EINVAL, key, NULL,
				"\"%s\": expected an integer or a string, got %s",
				key,
				json_type_to_name(json_object_get_type(fv)));
			return -EINVAL;
		}
		if (tsm_envelope_add_field(env, arg, "\"fields\"", e))
			return -EINVAL;
	}
	return 0;
}

/* "command", then the keys it allows */
static int env_command(struct json_object *o, struct tsm_envelope *env,
		       struct tsm_err *e)
{
	struct json_object *v;
	const char *s;
	size_t i;

	if (json_object_object_get_ex(o, "command", &v)) {
		if (tsm_json_str(v, "command", &s, e))
			return -EINVAL;
		for (i = TSM_ENV_BIND; i < ARRAY_SIZE(env_names); i++)
			if (!strcmp(s, env_names[i]))
				break;
		if (i == ARRAY_SIZE(env_names)) {
			tsm_err_set(
				e, EINVAL, "command", s,
				"\"command\": unknown command \"%s\" (accepted: bind, unbind, req, set-run)",
				s);
			return -EINVAL;
		}
		env->cmd = (enum tsm_env_cmd)i;
	} else if (env->cmd == TSM_ENV_NONE) {
		tsm_err_set(
			e, EINVAL, "command", NULL,
			"missing \"command\" (bind, unbind, req or set-run)");
		return -EINVAL;
	}
	return tsm_json_check_keys(o, keys_of(env->cmd), "envelope", e);
}

/* "op": a name, or a number kept as its digits */
static int env_op(struct json_object *v, struct tsm_envelope *env,
		  struct tsm_err *e)
{
	const char *s = json_object_get_string(v);
	uint64_t n;

	if (json_object_is_type(v, json_type_int)) {
		if (tsm_json_u64(v, "op", UINT32_MAX, &n, e))
			return -EINVAL;
		snprintf(env->op, sizeof(env->op), "%llu",
			 (unsigned long long)n);
	} else if (json_object_is_type(v, json_type_string) && *s &&
		   strlen(s) < sizeof(env->op)) {
		snprintf(env->op, sizeof(env->op), "%s", s);
	} else {
		tsm_err_set(e, EINVAL, "op", NULL,
			    "\"op\": expected an op name or number");
		return -EINVAL;
	}
	env->have_op = true;
	return 0;
}

/* "vdevice_id", "arch", "op", "scope" */
static int env_target(struct json_object *o, struct tsm_envelope *env,
		      struct tsm_err *e)
{
	struct json_object *v;
	const char *s;
	uint64_t n;

	if (json_object_object_get_ex(o, "vdevice_id", &v)) {
		if (tsm_json_u64(v, "vdevice_id", UINT32_MAX, &n, e))
			return -EINVAL;
		env->vdevice_id = (uint32_t)n;
		env->have_vdev = true;
	}
	if (json_object_object_get_ex(o, "arch", &v)) {
		if (tsm_json_str(v, "arch", &s, e))
			return -EINVAL;
		if (tsm_arch_from_name(s, &env->arch) ||
		    strcmp(s, tsm_arch_name(env->arch))) {
			tsm_err_set(
				e, EINVAL, "arch", s,
				"\"arch\": unknown arch \"%s\" (accepted: cca, sev, tdx)",
				s);
			return -EINVAL;
		}
		env->have_arch = true;
	}
	if (json_object_object_get_ex(o, "op", &v) && env_op(v, env, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "scope", &v)) {
		if (tsm_json_str(v, "scope", &s, e))
			return -EINVAL;
		snprintf(env->scope, sizeof(env->scope), "%s", s);
		env->have_scope = true;
	}
	return 0;
}

/* "fields", "payload_hex", "resp_len" */
static int env_payload(struct json_object *o, struct tsm_envelope *env,
		       struct tsm_err *e)
{
	struct json_object *v;
	const char *s;
	uint64_t n;
	long len;

	if (json_object_object_get_ex(o, "fields", &v) &&
	    json_fields(v, env, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "payload_hex", &v)) {
		if (tsm_json_str(v, "payload_hex", &s, e))
			return -EINVAL;
		len = tsm_parse_hex(s, env->payload, sizeof(env->payload),
				    "\"payload_hex\"", e);
		if (len < 0)
			return -EINVAL;
		env->payload_len = (uint32_t)len;
		env->have_payload = true;
	}
	if (json_object_object_get_ex(o, "resp_len", &v)) {
		if (tsm_json_u64(v, "resp_len", TSM_RESP_MAX, &n, e))
			return -EINVAL;
		env->resp_len = (uint32_t)n;
		env->have_resp_len = true;
	}
	return 0;
}

/* "state", "force", "cca_codes" */
static int env_flags(struct json_object *o, struct tsm_envelope *env,
		     struct tsm_err *e)
{
	struct json_object *v;
	const char *s;

	if (json_object_object_get_ex(o, "state", &v)) {
		if (tsm_json_str(v, "state", &s, e))
			return -EINVAL;
		snprintf(env->state, sizeof(env->state), "%s", s);
		env->have_state = true;
	}
	if (json_object_object_get_ex(o, "force", &v) &&
	    tsm_json_bool(v, "force", &env->force, e))
		return -EINVAL;
	if (!json_object_object_get_ex(o, "cca_codes", &v))
		return 0;
	if (tsm_json_str(v, "cca_codes", &s, e))
		return -EINVAL;
	if (!tsm_cca_table_from_name(s, &env->cca_table))
		return 0;
	tsm_err_set(
		e, EINVAL, "cca_codes", s,
		"\"cca_codes\": unknown table \"%s\" (accepted: rmi-2.0, rmi-1.0, rsi, rsi-da, rhi)",
		s);
	return -EINVAL;
}

int tsm_envelope_from_json(struct json_object *o, struct tsm_envelope *env,
			   struct tsm_err *e)
{
	if (!json_object_is_type(o, json_type_object)) {
		tsm_err_set(e, EINVAL, "envelope", NULL,
			    "envelope: expected a JSON object, got %s",
			    json_type_to_name(json_object_get_type(o)));
		return -EINVAL;
	}
	if (env_command(o, env, e) || env_target(o, env, e) ||
	    env_payload(o, env, e) || env_flags(o, env, e))
		return -EINVAL;
	return 0;
}

int tsm_envelope_parse_strict(const char *buf, size_t len, const char *origin,
			      struct tsm_envelope *env, struct tsm_err *e)
{
	struct json_object *o;
	int rc;

	if (tsm_json_parse_strict(buf, len, origin, &o, e))
		return -EINVAL;
	rc = tsm_envelope_from_json(o, env, e);
	json_object_put(o);
	return rc;
}

int tsm_envelope_parse(const char *buf, size_t len, const char *origin,
		       struct tsm_envelope *env, struct tsm_err *e)
{
	if (!tsm_envelope_parse_fast(buf, len, env))
		return 0;
	return tsm_envelope_parse_strict(buf, len, origin, env, e);
}
