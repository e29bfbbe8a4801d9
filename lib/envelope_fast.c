// SPDX-License-Identifier: GPL-2.0
/*
 * The common envelope read without a json-c tree (a batch line costs a
 * tree, a hash table and a dozen allocations otherwise): one object of
 * known keys, each once, whose values are plain ASCII strings without
 * escapes, non-negative integers without fraction or exponent, true or
 * false, and a "fields" object of such strings and integers. That subset
 * is strict JSON by construction and means the same here as in
 * tsm_envelope_from_json(); anything else, and any value that would be
 * refused, is left to the strict reader (1 returned), so every accepted
 * input and every message is the strict path's (tests/unit/test_envelope.c
 * compares the two, and so does tests/fuzz/fuzz_envelope.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "envelope_int.h"

#define FAST_FIELDS TSM_ENV_MAX_FIELDS
#define FAST_HEX_MAX 512 /* a longer payload_hex takes the strict path */

enum { V_STR, V_INT, V_BOOL, V_OBJ };

struct span {
	const char *p;
	size_t n;
};

struct val {
	int type;
	struct span s; /* V_STR, and V_OBJ: the object's text */
	uint64_t u; /* V_INT, V_BOOL */
};

struct scan {
	const char *p, *end;
};

static void ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* printable ASCII but '"' and '\\' */
static bool quiet(char c)
{
	return c >= ' ' && c <= '~' && c != '"' && c != '\\';
}

static int str(struct scan *s, struct span *out)
{
	const char *q;

	if (s->p >= s->end || *s->p != '"')
		return -1;
	for (q = ++s->p; q < s->end && quiet(*q); q++)
		;
	if (q >= s->end || *q != '"')
		return -1;
	out->p = s->p;
	out->n = (size_t)(q - s->p);
	s->p = q + 1;
	return 0;
}

/* 0..10^19-1, no leading zero: the strict reader's integers */
static int num(struct scan *s, uint64_t *v)
{
	const char *q = s->p;

	*v = 0;
	while (q < s->end && *q >= '0' && *q <= '9' && q - s->p < 19)
		*v = *v * 10 + (uint64_t)(*q++ - '0');
	if (q == s->p || (*s->p == '0' && q - s->p > 1) ||
	    (q < s->end &&
	     ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E')))
		return -1;
	s->p = q;
	return 0;
}

static int word(struct scan *s, const char *w, uint64_t v, struct val *out)
{
	size_t n = strlen(w);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n))
		return -1;
	s->p += n;
	out->type = V_BOOL;
	out->u = v;
	return 0;
}

static int object(struct scan *s, bool top,
		  int (*member)(void *arg, struct span k, struct val *v),
		  void *arg);

static int value(struct scan *s, bool top, struct val *v)
{
	const char *from = s->p;

	ws(s);
	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '"':
		v->type = V_STR;
		return str(s, &v->s);
	case 't':
		return word(s, "true", 1, v);
	case 'f':
		return word(s, "false", 0, v);
	case '{':
		if (!top) /* "fields" only, one level */
			return -1;
		v->type = V_OBJ;
		if (object(s, false, NULL, NULL))
			return -1;
		v->s.p = from;
		v->s.n = (size_t)(s->p - from);
		return 0;
	default:
		v->type = V_INT;
		return num(s, &v->u);
	}
}

/* { "key": value, ... } with @member called for each (NULL: skipped) */
static int object(struct scan *s, bool top,
		  int (*member)(void *arg, struct span k, struct val *v),
		  void *arg)
{
	struct span k;
	struct val v;

	ws(s);
	if (s->p >= s->end || *s->p++ != '{')
		return -1;
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		ws(s);
		if (str(s, &k))
			return -1;
		ws(s);
		if (s->p >= s->end || *s->p++ != ':' || value(s, top, &v) ||
		    (member && member(arg, k, &v)))
			return -1;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return 0;
		}
		return -1;
	}
}

/* What the members said: the keys seen, each once */
struct fast {
	struct tsm_envelope *env;
	unsigned int seen; /* bit per key of env_keys */
	struct val v[TSM_ENV_KEYS];
};

static int top_member(void *arg, struct span k, struct val *v)
{
	struct fast *f = arg;
	unsigned int i;

	for (i = 0; i < TSM_ENV_KEYS; i++)
		if (strlen(tsm_env_keys[i]) == k.n &&
		    !memcmp(tsm_env_keys[i], k.p, k.n))
			break;
	if (i == TSM_ENV_KEYS || (f->seen & (1u << i)))
		return -1; /* unknown or twice: the strict path says so */
	f->seen |= 1u << i;
	f->v[i] = *v;
	return 0;
}

/* @s as a C string in @buf (@cap bytes): -1 when it does not fit */
static int cstr(const struct span *s, char *buf, size_t cap)
{
	if (s->n >= cap)
		return -1;
	memcpy(buf, s->p, s->n);
	buf[s->n] = 0;
	return 0;
}

static int field_member(void *arg, struct span k, struct val *v)
{
	struct tsm_envelope *env = arg;
	char arg_s[sizeof(env->fields[0].name) + sizeof(env->fields[0].value) +
		   2];
	struct tsm_err e;
	int n;

	if (v->type == V_INT)
		n = snprintf(arg_s, sizeof(arg_s), "%.*s=%llu", (int)k.n, k.p,
			     (unsigned long long)v->u);
	else if (v->type == V_STR && v->s.n)
		n = snprintf(arg_s, sizeof(arg_s), "%.*s=%.*s", (int)k.n, k.p,
			     (int)v->s.n, v->s.p);
	else
		return -1;
	if (n < 0 || (size_t)n >= sizeof(arg_s) || memchr(k.p, '=', k.n))
		return -1;
	return tsm_envelope_add_field(env, arg_s, "\"fields\"", &e) ? -1 : 0;
}

/* The key @i's string value as a C string, or -1 */
static int key_str(const struct fast *f, int i, char *buf, size_t cap)
{
	return f->v[i].type == V_STR ? cstr(&f->v[i].s, buf, cap) : -1;
}

static int fast_command(struct fast *f)
{
	struct tsm_envelope *env = f->env;
	char s[16];
	size_t i;

	if (!(f->seen & (1u << TSM_EK_COMMAND)) ||
	    key_str(f, TSM_EK_COMMAND, s, sizeof(s)))
		return -1;
	for (i = TSM_ENV_BIND; i <= TSM_ENV_SET_RUN; i++)
		if (!strcmp(s, tsm_env_cmd_name((enum tsm_env_cmd)i)))
			break;
	if (i > TSM_ENV_SET_RUN)
		return -1;
	env->cmd = (enum tsm_env_cmd)i;
	return f->seen & ~tsm_env_allowed(env->cmd) ? -1 : 0;
}

static int fast_target(struct fast *f)
{
	struct tsm_envelope *env = f->env;
	char s[40];

	if (f->seen & (1u << TSM_EK_VDEVICE_ID)) {
		if (f->v[TSM_EK_VDEVICE_ID].type != V_INT ||
		    f->v[TSM_EK_VDEVICE_ID].u > UINT32_MAX)
			return -1;
		env->vdevice_id = (uint32_t)f->v[TSM_EK_VDEVICE_ID].u;
		env->have_vdev = true;
	}
	if (f->seen & (1u << TSM_EK_ARCH)) {
		if (key_str(f, TSM_EK_ARCH, s, sizeof(s)) ||
		    tsm_arch_from_name(s, &env->arch) ||
		    strcmp(s, tsm_arch_name(env->arch)))
			return -1;
		env->have_arch = true;
	}
	if (f->seen & (1u << TSM_EK_OP)) {
		if (f->v[TSM_EK_OP].type == V_INT &&
		    f->v[TSM_EK_OP].u <= UINT32_MAX)
			snprintf(env->op, sizeof(env->op), "%llu",
				 (unsigned long long)f->v[TSM_EK_OP].u);
		else if (key_str(f, TSM_EK_OP, env->op, sizeof(env->op)) ||
			 !env->op[0])
			return -1;
		env->have_op = true;
	}
	if (f->seen & (1u << TSM_EK_SCOPE)) {
		if (f->v[TSM_EK_SCOPE].type != V_STR)
			return -1;
		snprintf(env->scope, sizeof(env->scope), "%.*s",
			 (int)f->v[TSM_EK_SCOPE].s.n, f->v[TSM_EK_SCOPE].s.p);
		env->have_scope = true;
	}
	return 0;
}

static int fast_payload(struct fast *f)
{
	struct tsm_envelope *env = f->env;
	char hex[FAST_HEX_MAX];
	struct scan s;
	struct tsm_err e;
	long n;

	if (f->seen & (1u << TSM_EK_FIELDS)) {
		if (f->v[TSM_EK_FIELDS].type != V_OBJ)
			return -1;
		s.p = f->v[TSM_EK_FIELDS].s.p;
		s.end = s.p + f->v[TSM_EK_FIELDS].s.n;
		if (object(&s, false, field_member, env))
			return -1;
	}
	if (f->seen & (1u << TSM_EK_PAYLOAD_HEX)) {
		if (key_str(f, TSM_EK_PAYLOAD_HEX, hex, sizeof(hex)))
			return -1;
		n = tsm_parse_hex(hex, env->payload, sizeof(env->payload),
				  "\"payload_hex\"", &e);
		if (n < 0)
			return -1;
		env->payload_len = (uint32_t)n;
		env->have_payload = true;
	}
	if (f->seen & (1u << TSM_EK_RESP_LEN)) {
		if (f->v[TSM_EK_RESP_LEN].type != V_INT ||
		    f->v[TSM_EK_RESP_LEN].u > TSM_RESP_MAX)
			return -1;
		env->resp_len = (uint32_t)f->v[TSM_EK_RESP_LEN].u;
		env->have_resp_len = true;
	}
	return 0;
}

static int fast_flags(struct fast *f)
{
	struct tsm_envelope *env = f->env;
	char s[16];

	if (f->seen & (1u << TSM_EK_STATE)) {
		if (f->v[TSM_EK_STATE].type != V_STR)
			return -1;
		snprintf(env->state, sizeof(env->state), "%.*s",
			 (int)f->v[TSM_EK_STATE].s.n, f->v[TSM_EK_STATE].s.p);
		env->have_state = true;
	}
	if (f->seen & (1u << TSM_EK_FORCE)) {
		if (f->v[TSM_EK_FORCE].type != V_BOOL)
			return -1;
		env->force = f->v[TSM_EK_FORCE].u;
	}
	if (f->seen & (1u << TSM_EK_CCA_CODES) &&
	    (key_str(f, TSM_EK_CCA_CODES, s, sizeof(s)) ||
	     tsm_cca_table_from_name(s, &env->cca_table)))
		return -1;
	return 0;
}

int tsm_envelope_parse_fast(const char *buf, size_t len,
			    struct tsm_envelope *env)
{
	struct fast f = { .env = env };
	struct scan s = { buf, buf + len };
	char keep[offsetof(struct tsm_envelope, payload)];

	if (object(&s, true, top_member, &f))
		return 1;
	ws(&s);
	if (s.p != s.end)
		return 1;
	memcpy(keep, env, sizeof(keep)); /* what the caller set (flags) */
	if (!fast_command(&f) && !fast_target(&f) && !fast_payload(&f) &&
	    !fast_flags(&f))
		return 0;
	memcpy(env, keep, sizeof(keep)); /* the strict path starts afresh */
	return 1;
}
