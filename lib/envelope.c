// SPDX-License-Identifier: GPL-2.0
/*
 * Envelope parsing (JSON) and resolution against a profile and the op
 * catalogue (cli-contract.md §4.2, §4.3, §8).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "envelope.h"
#include "jsonstrict.h"

const char *tsm_env_cmd_name(enum tsm_env_cmd c)
{
	switch (c) {
	case TSM_ENV_BIND:
		return "bind";
	case TSM_ENV_UNBIND:
		return "unbind";
	case TSM_ENV_REQ:
		return "req";
	case TSM_ENV_SET_RUN:
		return "set-run";
	default:
		return "";
	}
}

static const char *const keys_op[] = { "command", "vdevice_id", NULL };
static const char *const keys_req[] = { "command",     "vdevice_id", "arch",
					"op",	       "scope",	     "fields",
					"payload_hex", "resp_len",   "force",
					"cca_codes",   NULL };
static const char *const keys_setrun[] = { "command",	"vdevice_id",  "arch",
					   "state",	"payload_hex", "force",
					   "cca_codes", NULL };

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

int tsm_envelope_from_json(struct json_object *o, struct tsm_envelope *env,
			   struct tsm_err *e)
{
	const char *const *keys;
	struct json_object *v;
	const char *s;
	uint64_t n;

	if (!json_object_is_type(o, json_type_object)) {
		tsm_err_set(e, EINVAL, "envelope", NULL,
			    "envelope: expected a JSON object, got %s",
			    json_type_to_name(json_object_get_type(o)));
		return -EINVAL;
	}
	if (json_object_object_get_ex(o, "command", &v)) {
		if (tsm_json_str(v, "command", &s, e))
			return -EINVAL;
		if (!strcmp(s, "bind"))
			env->cmd = TSM_ENV_BIND;
		else if (!strcmp(s, "unbind"))
			env->cmd = TSM_ENV_UNBIND;
		else if (!strcmp(s, "req"))
			env->cmd = TSM_ENV_REQ;
		else if (!strcmp(s, "set-run"))
			env->cmd = TSM_ENV_SET_RUN;
		else {
			tsm_err_set(
				e, EINVAL, "command", s,
				"\"command\": unknown command \"%s\" (accepted: bind, unbind, req, set-run)",
				s);
			return -EINVAL;
		}
	} else if (env->cmd == TSM_ENV_NONE) {
		tsm_err_set(
			e, EINVAL, "command", NULL,
			"missing \"command\" (bind, unbind, req or set-run)");
		return -EINVAL;
	}
	keys = env->cmd == TSM_ENV_REQ	   ? keys_req :
	       env->cmd == TSM_ENV_SET_RUN ? keys_setrun :
					     keys_op;
	if (tsm_json_check_keys(o, keys, "envelope", e))
		return -EINVAL;
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
	if (json_object_object_get_ex(o, "op", &v)) {
		if (json_object_is_type(v, json_type_int)) {
			if (tsm_json_u64(v, "op", UINT32_MAX, &n, e))
				return -EINVAL;
			snprintf(env->op, sizeof(env->op), "%llu",
				 (unsigned long long)n);
		} else if (json_object_is_type(v, json_type_string) &&
			   *json_object_get_string(v) &&
			   strlen(json_object_get_string(v)) <
				   sizeof(env->op)) {
			snprintf(env->op, sizeof(env->op), "%s",
				 json_object_get_string(v));
		} else {
			tsm_err_set(e, EINVAL, "op", NULL,
				    "\"op\": expected an op name or number");
			return -EINVAL;
		}
		env->have_op = true;
	}
	if (json_object_object_get_ex(o, "scope", &v)) {
		if (tsm_json_str(v, "scope", &s, e))
			return -EINVAL;
		snprintf(env->scope, sizeof(env->scope), "%s", s);
		env->have_scope = true;
	}
	if (json_object_object_get_ex(o, "fields", &v) &&
	    json_fields(v, env, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "payload_hex", &v)) {
		long len;

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
	if (json_object_object_get_ex(o, "state", &v)) {
		if (tsm_json_str(v, "state", &s, e))
			return -EINVAL;
		snprintf(env->state, sizeof(env->state), "%s", s);
		env->have_state = true;
	}
	if (json_object_object_get_ex(o, "force", &v) &&
	    tsm_json_bool(v, "force", &env->force, e))
		return -EINVAL;
	if (json_object_object_get_ex(o, "cca_codes", &v)) {
		if (tsm_json_str(v, "cca_codes", &s, e))
			return -EINVAL;
		if (tsm_cca_table_from_name(s, &env->cca_table)) {
			tsm_err_set(
				e, EINVAL, "cca_codes", s,
				"\"cca_codes\": unknown table \"%s\" (accepted: rmi-2.0, rmi-1.0, rsi, rsi-da, rhi)",
				s);
			return -EINVAL;
		}
	}
	return 0;
}

int tsm_envelope_parse(const char *buf, size_t len, const char *origin,
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
