// SPDX-License-Identifier: GPL-2.0
/*
 * Resolving a req / set-run envelope for one profile and catalogue: op
 * number or scope, payload bytes from fields or hex, lengths. Every refusal
 * names the flag (or JSON key) and what is accepted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "envelope.h"
#include "uapi.h"

struct rctx {
	const struct tsm_envelope *env;
	const struct tsm_profile *p;
	const struct tsm_catalog *c;
	bool flags;
	struct tsm_err *e;
};

static const char *nm(const struct rctx *x, const char *flag, const char *key)
{
	return x->flags ? flag : key;
}

static int fail(struct rctx *x, const char *flag, const char *key,
		const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(struct rctx *x, const char *flag, const char *key,
		const char *value, const char *fmt, ...)
{
	va_list ap;

	tsm_err_set(x->e, EINVAL, nm(x, flag, key), value, "%s", "");
	va_start(ap, fmt);
	vsnprintf(x->e->msg, sizeof(x->e->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Names of the ops this profile and arch accept, for messages. */
static void op_list(const struct rctx *x, enum tsm_arch arch, char *buf,
		    size_t len)
{
	enum tsm_cat_era era = x->p->req_kind == TSM_REQ_SCOPE ? TSM_ERA_SCOPE :
								 TSM_ERA_OP;
	size_t off = 0;
	unsigned int i, j;

	buf[0] = 0;
	for (i = 0; i < x->c->n; i++) {
		const struct tsm_cat_entry *en = &x->c->e[i];
		bool dup = false;

		if (en->era != era ||
		    (en->arch != arch && en->arch != TSM_ARCH_NONE))
			continue;
		if (era == TSM_ERA_OP && !tsm_cat_opnum(en, x->p))
			continue;
		for (j = 0; j < i; j++)
			if (!strcmp(x->c->e[j].name, en->name) &&
			    x->c->e[j].era == era &&
			    (x->c->e[j].arch == arch ||
			     x->c->e[j].arch == TSM_ARCH_NONE) &&
			    (era != TSM_ERA_OP ||
			     tsm_cat_opnum(&x->c->e[j], x->p)))
				dup = true;
		if (dup)
			continue;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
					"%s%s", off ? ", " : "", en->name);
	}
	if (!off)
		snprintf(buf, len, "none");
}

static bool is_number(const char *s)
{
	return s[0] >= '0' && s[0] <= '9';
}

static int find_op(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_envelope *env = x->env;
	const struct tsm_cat_entry *en;
	char list[300];
	uint32_t num;

	op_list(x, env->arch, list, sizeof(list));
	if (is_number(env->op)) {
		struct tsm_err pe;

		if (tsm_parse_u32(env->op, nm(x, "--op", "op"), &num, &pe)) {
			*x->e = pe;
			return -EINVAL;
		}
		if (x->p->req_kind == TSM_REQ_SCOPE)
			return fail(
				x, "--op", "op", env->op,
				"%s %s: profile %s has no op numbers (it uses --scope); accepted op names: %s",
				nm(x, "--op", "op"), env->op, x->p->name, list);
		en = tsm_catalog_by_number(x->c, x->p, num, env->arch);
		if (!en) {
			if (!env->force)
				return fail(
					x, "--op", "op", env->op,
					"%s %s: unknown op number under profile %s for arch %s (known: %s); add %s to send it anyway",
					nm(x, "--op", "op"), env->op,
					x->p->name, tsm_arch_name(env->arch),
					list,
					nm(x, "--force", "\"force\": true"));
			r->forced = true;
			r->op = num;
			snprintf(r->op_name, sizeof(r->op_name), "%u", num);
			return 0;
		}
		r->entry = en;
		r->op = num;
		snprintf(r->op_name, sizeof(r->op_name), "%s", en->name);
		return 0;
	}
	en = tsm_catalog_find(x->c, x->p, env->op, env->arch);
	if (!en) {
		if (tsm_catalog_has_name(x->c, env->op))
			return fail(
				x, "--op", "op", env->op,
				"%s %s is not valid for arch %s under profile %s (accepted: %s)",
				nm(x, "--op", "op"), env->op,
				tsm_arch_name(env->arch), x->p->name, list);
		return fail(
			x, "--op", "op", env->op,
			"%s '%s': unknown op (accepted for %s under profile %s: %s)",
			nm(x, "--op", "op"), env->op, tsm_arch_name(env->arch),
			x->p->name, list);
	}
	r->entry = en;
	snprintf(r->op_name, sizeof(r->op_name), "%s", en->name);
	if (en->era == TSM_ERA_SCOPE) {
		r->scope = en->scope;
		return 0;
	}
	r->op = tsm_cat_opnum(en, x->p);
	if (!r->op)
		return fail(x, "--op", "op", env->op,
			    "%s %s does not exist in profile %s (accepted: %s)",
			    nm(x, "--op", "op"), env->op, x->p->name, list);
	return 0;
}

/*
 * One --field value. An object type resolves through the profile; a
 * nonce is exactly TSM_CAT_NONCE_LEN bytes of hex kept in @r (the field
 * itself stays 0 until exec points it at them).
 */
static int field_value(struct rctx *x, struct tsm_request *r,
		       const struct tsm_cat_field *f, const char *s,
		       uint64_t *v)
{
	const char *flag = nm(x, "--field", "fields");
	struct tsm_cat_field tmp;
	char what[48];
	long n;

	if (f->kind != TSM_FK_NONCE)
		return tsm_cat_field_value(tsm_cat_field_in(f, x->p, &tmp), s,
					   flag, v, x->e);
	snprintf(what, sizeof(what), "%s %s", flag, f->name);
	n = tsm_parse_hex(s, r->nonce, sizeof(r->nonce), what, x->e);
	if (n < 0 && x->e->err == E2BIG)
		return fail(x, "--field", "fields", f->name,
			    "%s: more than %u bytes (a nonce is exactly %u)",
			    what, TSM_CAT_NONCE_LEN, TSM_CAT_NONCE_LEN);
	if (n < 0) {
		snprintf(x->e->field, sizeof(x->e->field), "%s", flag);
		return -EINVAL;
	}
	if (n != TSM_CAT_NONCE_LEN)
		return fail(x, "--field", "fields", f->name,
			    "%s: expected exactly %u bytes, got %ld", what,
			    TSM_CAT_NONCE_LEN, n);
	r->have_nonce = true;
	r->nonce_off = f->off;
	*v = 0;
	return 0;
}

/* The payload as raw bytes (--in, "payload_hex") */
static int raw_payload(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_envelope *env = x->env;
	const struct tsm_cat_entry *en = r->entry;
	const struct tsm_cat_field *nf = tsm_cat_field_kind(en, TSM_FK_NONCE);

	if (nf && !env->force)
		return fail(
			x, "--in", "payload_hex", NULL,
			"%s: the %s payload carries a pointer (%s at offset %u), which raw bytes cannot hold: give its fields with %s (%s=HEX is 32 bytes), or add %s to send the bytes as they are",
			nm(x, "--in", "payload_hex"), en->name, nf->name,
			nf->off, nm(x, "--field", "fields"), nf->name,
			nm(x, "--force", "\"force\": true"));
	if (nf)
		r->forced = true;
	if (en && en->payload_published && env->payload_len != en->req_len &&
	    !env->force)
		return fail(
			x, "--in", "payload_hex", NULL,
			"%s: %s takes %u payload bytes, got %u (add %s to send it anyway)",
			nm(x, "--in", "payload_hex"), en->name, en->req_len,
			env->payload_len, nm(x, "--force", "\"force\": true"));
	if (en && en->payload_published && env->payload_len != en->req_len)
		r->forced = true;
	memcpy(r->payload, env->payload, env->payload_len);
	r->req_len = env->payload_len;
	return 0;
}

/* An op without a field layout: no payload unless given raw */
static int no_layout(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_envelope *env = x->env;
	const struct tsm_cat_entry *en = r->entry;

	if (!en && env->nfields)
		return fail(
			x, "--field", "fields", NULL,
			"%s needs a catalogued op; op %s has no field layout (use %s)",
			nm(x, "--field", "fields"), r->op_name,
			nm(x, "--in", "payload_hex"));
	if (en && !env->nfields)
		return fail(
			x, "--in", "payload_hex", NULL,
			"no payload layout is published for %s on %s: give the bytes with %s HEX (an empty string for none)",
			en->name, tsm_arch_name(r->arch),
			nm(x, "--in", "payload_hex"));
	if (en)
		return fail(
			x, "--field", "fields", NULL,
			"no payload layout is published for %s on %s: give the bytes with %s",
			en->name, tsm_arch_name(r->arch),
			nm(x, "--in", "payload_hex"));
	r->req_len = 0;
	return 0;
}

/* A --field the op does not have: the ones it has */
static int unknown_field(struct rctx *x, const struct tsm_cat_entry *en,
			 const char *name)
{
	char names[200] = "";
	size_t off = 0;
	unsigned int k;

	for (k = 0; k < en->nfields; k++)
		if (!en->fields[k].fixed)
			off += (size_t)snprintf(
				names + off,
				off < sizeof(names) ? sizeof(names) - off : 0,
				"%s%s", off ? ", " : "", en->fields[k].name);
	return fail(x, "--field", "fields", name,
		    "%s: %s has no field '%s' (accepted: %s)",
		    nm(x, "--field", "fields"), en->name, name, names);
}

/* Field @i of the op: its value given, or its default; into the payload */
static int put_field(struct rctx *x, struct tsm_request *r, unsigned int i,
		     bool given)
{
	const struct tsm_envelope *env = x->env;
	const struct tsm_cat_entry *en = r->entry;
	const struct tsm_cat_field *f = &en->fields[i];
	uint64_t v = f->def;
	unsigned int k, b;

	if (!f->fixed) {
		for (k = 0; k < env->nfields; k++)
			if (!strcmp(env->fields[k].name, f->name))
				field_value(x, r, f, env->fields[k].value, &v);
		if (!given && f->required)
			return fail(x, "--field", "fields", f->name,
				    "%s needs %s %s=VALUE%s%s%s", en->name,
				    nm(x, "--field", "field"), f->name,
				    f->doc ? " (" : "", f->doc ? f->doc : "",
				    f->doc ? ")" : "");
	}
	for (b = 0; b < f->size; b++)
		r->payload[f->off + b] = (uint8_t)(v >> (8 * b));
	return 0;
}

static int build_payload(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_envelope *env = x->env;
	const struct tsm_cat_entry *en = r->entry;
	bool given[TSM_CAT_MAX_FIELDS] = { false };
	unsigned int i;

	if (env->have_payload && env->nfields)
		return fail(x, "--field", "fields", NULL,
			    "give the payload either as %s or as %s, not both",
			    nm(x, "--in", "payload_hex"),
			    nm(x, "--field", "fields"));
	if (env->have_payload)
		return raw_payload(x, r);
	if (!en || !en->payload_published)
		return no_layout(x, r);
	r->req_len = en->req_len;
	memset(r->payload, 0, r->req_len);
	for (i = 0; i < env->nfields; i++) {
		const struct tsm_cat_field *f =
			tsm_cat_field_find(en, env->fields[i].name);
		uint64_t v;

		if (!f || f->fixed)
			return unknown_field(x, en, env->fields[i].name);
		if (field_value(x, r, f, env->fields[i].value, &v))
			return -EINVAL;
		given[f - en->fields] = true;
	}
	for (i = 0; i < en->nfields; i++)
		if (put_field(x, r, i, given[i]))
			return -EINVAL;
	return 0;
}

/*
 * The object ops' rules (docs/kernel-abi.md, "v7 payloads"): which object
 * the payload names, a nonce for every object but the interface report
 * (whose pointer stays 0), and measurement flags 0 or 1.
 */
static int object_rules(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_cat_entry *en = r->entry;
	const struct tsm_cat_field *ot = tsm_cat_field_kind(en, TSM_FK_OBJTYPE);
	const struct tsm_cat_field *fl;
	uint64_t v;

	r->objtype = -1;
	if (!ot)
		return 0;
	v = tsm_cat_field_get(ot, r->payload, r->req_len);
	r->objtype = tsm_objtype_by_num(x->p, (uint32_t)v);
	if (!tsm_cat_field_kind(en, TSM_FK_NONCE) || x->env->have_payload)
		return 0;
	if (r->objtype == TSM_OBJ_INTERFACE_REPORT && r->have_nonce)
		return fail(
			x, "--field", "fields", "nonce",
			"%s: the interface report is regenerated without a nonce (its pointer is 0): drop %s nonce",
			en->name, nm(x, "--field", "fields"));
	if (r->objtype != TSM_OBJ_INTERFACE_REPORT && !r->have_nonce)
		return fail(
			x, "--field", "fields", "nonce",
			"%s of object type %llu needs %s nonce=HEX (exactly %u bytes; tsmctl passes their address)",
			en->name, (unsigned long long)v,
			nm(x, "--field", "field"), TSM_CAT_NONCE_LEN);
	fl = tsm_cat_field_find(en, "flags");
	v = tsm_cat_field_get(fl, r->payload, r->req_len);
	if (r->objtype == TSM_OBJ_MEASUREMENT && v > TSM_CCA_MEAS_FLAGS_MAX)
		return fail(
			x, "--field", "fields", "flags",
			"%s flags=%llu: measurements take flags 0 or 1 (the two native measurement formats)",
			en->name, (unsigned long long)v);
	return 0;
}

/*
 * Without --resp-len an op with a sizing op (read-object: object-info)
 * gets its buffer at run time: exactly the object's size, read at offset
 * 0, as the v7 integration's kernel needs a buffer holding all of it.
 */
static int size_later(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_cat_entry *en = r->entry, *se;
	const struct tsm_cat_field *off;

	if (x->env->have_resp_len || !en || !en->sized_by[0])
		return 0;
	se = tsm_catalog_find(x->c, x->p, en->sized_by, r->arch);
	if (!se || (se->era == TSM_ERA_OP && !tsm_cat_opnum(se, x->p)))
		return fail(x, "--resp-len", "resp_len", NULL,
			    "%s under profile %s needs %s (no %s op to size the buffer)",
			    en->name, x->p->name,
			    nm(x, "--resp-len", "resp_len"), en->sized_by);
	off = tsm_cat_field_find(en, "offset");
	if (tsm_cat_field_get(off, r->payload, r->req_len))
		return fail(
			x, "--resp-len", "resp_len", NULL,
			"%s at a non-zero offset needs %s: %s gives the whole object's size, for a read at offset 0",
			en->name, nm(x, "--resp-len", "resp_len"), se->name);
	r->size_entry = se;
	r->size_op = tsm_cat_opnum(se, x->p);
	r->resp_len = 0;
	return 0;
}

static int resolve_scope(struct rctx *x, struct tsm_request *r)
{
	const struct tsm_envelope *env = x->env;
	uint32_t s;

	r->scope_era = true;
	if (env->have_op) {
		if (!env->have_arch)
			return fail(x, "--arch", "arch", NULL,
				    "%s %s needs %s (cca)", nm(x, "--op", "op"),
				    env->op, nm(x, "--arch", "arch"));
		if (env->have_scope)
			return fail(
				x, "--scope", "scope", env->scope,
				"give %s or %s, not both (the op implies its scope)",
				nm(x, "--op", "op"), nm(x, "--scope", "scope"));
		return find_op(x, r);
	}
	if (!env->have_scope)
		return fail(
			x, "--scope", "scope", NULL,
			"profile %s needs %s info|state-change|debug-read|debug-write (or %s with %s)",
			x->p->name, nm(x, "--scope", "scope"),
			nm(x, "--op", "op"), nm(x, "--arch", "arch"));
	if (tsm_scope_from_name(env->scope, &s)) {
		struct tsm_err pe;

		if (!is_number(env->scope) ||
		    tsm_parse_u32(env->scope, "scope", &s, &pe))
			return fail(
				x, "--scope", "scope", env->scope,
				"%s '%s': unknown scope (accepted: info, state-change, debug-read, debug-write)",
				nm(x, "--scope", "scope"), env->scope);
		if (s > TSM_SCOPE_DEBUG_WRITE && !env->force)
			return fail(
				x, "--scope", "scope", env->scope,
				"%s %u: unknown scope number (accepted 0..3); add %s to send it anyway",
				nm(x, "--scope", "scope"), s,
				nm(x, "--force", "\"force\": true"));
		if (s > TSM_SCOPE_DEBUG_WRITE)
			r->forced = true;
	}
	if (s == TSM_SCOPE_DEBUG_WRITE) {
		if (!env->force)
			return fail(
				x, "--scope", "scope", env->scope,
				"%s debug-write changes device state for debugging and taints the kernel: add %s to send it",
				nm(x, "--scope", "scope"),
				nm(x, "--force", "\"force\": true"));
		r->forced = true;
	}
	r->scope = s;
	r->state_change = s == TSM_SCOPE_STATE_CHANGE ||
			  s == TSM_SCOPE_DEBUG_WRITE;
	snprintf(r->op_name, sizeof(r->op_name), "%s", tsm_scope_name(s));
	return 0;
}

int tsm_envelope_resolve(const struct tsm_envelope *env,
			 const struct tsm_profile *p,
			 const struct tsm_catalog *c, bool flags,
			 struct tsm_request *r, struct tsm_err *e)
{
	struct rctx x = { env, p, c, flags, e };
	int rc;

	memset(r, 0, sizeof(*r));
	r->vdevice_id = env->vdevice_id;
	r->arch = env->arch;
	r->cca_table = env->cca_table;
	if (!env->have_vdev)
		return fail(&x, "--vdevice", "vdevice_id", NULL,
			    "missing %s (the iommufd vdevice object ID)",
			    nm(&x, "--vdevice ID", "vdevice_id"));
	if (p->req_kind == TSM_REQ_SCOPE) {
		rc = resolve_scope(&x, r);
	} else {
		if (env->have_scope)
			return fail(
				&x, "--scope", "scope", env->scope,
				"%s is the v5 layout; profile %s takes %s and %s",
				nm(&x, "--scope", "scope"), p->name,
				nm(&x, "--arch", "arch"), nm(&x, "--op", "op"));
		if (!env->have_arch)
			return fail(&x, "--arch", "arch", NULL,
				    "missing %s cca|sev|tdx",
				    nm(&x, "--arch", "arch"));
		if (!env->have_op)
			return fail(&x, "--op", "op", NULL,
				    "missing %s NAME|NUMBER",
				    nm(&x, "--op", "op"));
		rc = find_op(&x, r);
	}
	if (rc)
		return rc;
	if (r->entry)
		r->state_change = r->entry->state_change;
	else if (!r->scope_era)
		r->state_change =
			true; /* unknown op: assume it may change state */
	rc = build_payload(&x, r);
	if (!rc)
		rc = object_rules(&x, r);
	if (rc)
		return rc;
	if (env->have_resp_len)
		r->resp_len = env->resp_len;
	else if (r->entry)
		r->resp_len = r->entry->resp_len;
	return size_later(&x, r);
}

/* set-run's verbs, and the state names dump and the catalogue use */
static const char *const setrun_states[][2] = { { "run", "run" },
						{ "lock", "locked" },
						{ "unlock", "unlocked" } };

size_t tsm_setrun_states(const char **out, size_t max)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(setrun_states) && i < max; i++)
		out[i] = setrun_states[i][0];
	return i;
}

/* --state, or the envelope's "state", as the RHI state name; NULL: none */
static const char *setrun_state(struct rctx *x, struct tsm_envelope *env)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(setrun_states); i++)
		if (!strcmp(env->state, setrun_states[i][0]) ||
		    !strcmp(env->state, setrun_states[i][1]))
			return setrun_states[i][1];
	fail(x, "--state", "state", env->state,
	     "%s '%s': accepted: run, lock (or locked), unlock (or unlocked)",
	     nm(x, "--state", "\"state\""), env->state);
	return NULL;
}

/* What set-run's arch allows: a state for cca, a payload for the rest */
static int setrun_payload(struct rctx *x, struct tsm_envelope *env,
			  const char *state)
{
	char field[48];

	if (env->have_payload && env->have_state && env->arch == TSM_ARCH_CCA)
		return fail(x, "--in", "payload_hex", NULL,
			    "give %s or %s for cca, not both",
			    nm(x, "--state", "\"state\""),
			    nm(x, "--in", "\"payload_hex\""));
	if (env->have_state && env->arch != TSM_ARCH_CCA)
		return fail(
			x, "--state", "state", env->state,
			"%s '%s': no SET_TDI_STATE payload is published for %s, so tsmctl cannot encode a state; give the payload with %s",
			nm(x, "--state", "\"state\""), env->state,
			tsm_arch_name(env->arch),
			nm(x, "--in", "\"payload_hex\""));
	if (env->have_payload || env->arch != TSM_ARCH_CCA)
		return 0;
	snprintf(field, sizeof(field), "tdi_state=%s", state);
	memset(x->e, 0, sizeof(*x->e));
	return tsm_envelope_add_field(env, field, "--state", x->e);
}

int tsm_setrun_resolve(struct tsm_envelope *env, const struct tsm_profile *p,
		       const struct tsm_catalog *c, bool flags,
		       struct tsm_request *r, struct tsm_err *e)
{
	struct rctx x = { env, p, c, flags, e };
	const char *state;

	if (!env->have_arch)
		return fail(&x, "--arch", "arch", NULL,
			    "missing %s cca|sev|tdx",
			    nm(&x, "--arch", "\"arch\""));
	if (!env->have_state)
		snprintf(env->state, sizeof(env->state), "run");
	state = setrun_state(&x, env);
	if (!state)
		return -EINVAL;
	snprintf(env->op, sizeof(env->op), "%s",
		 tsm_opid_name(TSM_OPID_SET_TDI_STATE));
	env->have_op = true;
	env->have_scope = false;
	if (setrun_payload(&x, env, state))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	return tsm_envelope_resolve(env, p, c, flags, r, e);
}
