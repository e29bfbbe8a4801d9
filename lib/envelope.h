/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request envelopes: what a user asks for (from flags or one JSON object),
 * and the resolved request (op number, payload bytes, lengths) for one ABI
 * profile and op catalogue. Parsing and resolution are pure: no I/O, so
 * they are unit-tested and nothing malformed reaches the kernel.
 */
#ifndef TSMCTL_ENVELOPE_H
#define TSMCTL_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "catalog.h"

enum tsm_env_cmd {
	TSM_ENV_NONE,
	TSM_ENV_BIND,
	TSM_ENV_UNBIND,
	TSM_ENV_REQ,
	TSM_ENV_SET_RUN,
};

#define TSM_ENV_MAX_FIELDS 8

struct tsm_env_field {
	char name[24];
	char value[112]; /* a 32-byte nonce with separators fits */
};

struct tsm_envelope {
	enum tsm_env_cmd cmd;
	bool have_vdev;
	uint32_t vdevice_id;
	bool have_arch;
	enum tsm_arch arch;
	bool have_op;
	char op[32]; /* name, or the number as given */
	bool have_scope;
	char scope[24];
	unsigned int nfields;
	struct tsm_env_field fields[TSM_ENV_MAX_FIELDS];
	bool have_payload; /* payload_hex / --in */
	uint32_t payload_len;
	bool have_resp_len;
	uint32_t resp_len;
	bool have_state;
	char state[16]; /* set-run: run, lock, unlock */
	bool force;
	enum tsm_cca_table cca_table;
	/* last: bytes past payload_len are never read, so an envelope is
	 * cleared by tsm_envelope_clear() up to here */
	uint8_t payload[TSM_PAYLOAD_MAX];
};

/* An empty envelope without clearing its payload bytes (a batch line) */
static inline void tsm_envelope_clear(struct tsm_envelope *env)
{
	memset(env, 0, offsetof(struct tsm_envelope, payload));
}

struct tsm_request {
	const struct tsm_cat_entry *entry; /* NULL: raw (forced) */
	char op_name[32];
	uint32_t vdevice_id;
	enum tsm_arch arch;
	uint32_t op; /* op era */
	uint32_t scope; /* scope era */
	bool scope_era;
	bool state_change;
	bool forced; /* --force was needed and given */
	uint32_t req_len;
	uint8_t payload[TSM_PAYLOAD_MAX];
	uint32_t resp_len;
	enum tsm_cca_table cca_table;
	int objtype; /* enum tsm_objtype named by object_type, -1: none */
	/*
	 * A nonce behind a pointer in the payload (regen-object): the bytes
	 * live in tsmctl's memory for the call; the payload holds 0 at
	 * nonce_off until exec writes their address there.
	 */
	bool have_nonce;
	uint16_t nonce_off;
	uint8_t nonce[TSM_CAT_NONCE_LEN];
	/* resp_len comes from this op (object-info) at run time */
	const struct tsm_cat_entry *size_entry;
	uint32_t size_op; /* its number in the profile (op era) */
};

const char *tsm_env_cmd_name(enum tsm_env_cmd c);

/* One JSON envelope (already parsed strictly); @where prefixes errors. */
int tsm_envelope_from_json(struct json_object *o, struct tsm_envelope *env,
			   struct tsm_err *e);
/*
 * A line or document of text: strict parse, then the above. The common
 * envelope is read without a json-c tree (lib/envelope_fast.c), with the
 * same result; whatever that reader leaves, and every refusal, is the
 * strict path's (tsm_envelope_parse_strict(), which tests compare it to).
 */
int tsm_envelope_parse(const char *buf, size_t len, const char *origin,
		       struct tsm_envelope *env, struct tsm_err *e);
int tsm_envelope_parse_strict(const char *buf, size_t len, const char *origin,
			      struct tsm_envelope *env, struct tsm_err *e);

/* "NAME=VALUE" from --field; -EINVAL with a message naming it. */
int tsm_envelope_add_field(struct tsm_envelope *env, const char *arg,
			   const char *origin, struct tsm_err *e);

/*
 * Resolve a req or set-run envelope for profile @p with catalogue @c. On
 * any problem: -EINVAL and a message that names the field or flag. @flags
 * selects flag names ("--op") instead of JSON keys ("op") in messages.
 */
int tsm_envelope_resolve(const struct tsm_envelope *env,
			 const struct tsm_profile *p,
			 const struct tsm_catalog *c, bool flags,
			 struct tsm_request *r, struct tsm_err *e);

/*
 * set-run's envelope (--state or "state", --in or "payload_hex") as the
 * SET_TDI_STATE request, then resolved as above; @env gets the op and,
 * for cca, the tdi_state field.
 */
int tsm_setrun_resolve(struct tsm_envelope *env, const struct tsm_profile *p,
		       const struct tsm_catalog *c, bool flags,
		       struct tsm_request *r, struct tsm_err *e);
/* set-run's state verbs (run, lock, unlock), for option values. */
size_t tsm_setrun_states(const char **out, size_t max);

#endif
