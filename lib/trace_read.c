// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader (trace.h): lines through the strict JSON reader,
 * members by name, the write-ahead pairing of intent and result, and the
 * netlink part of a record. tsmctl replay and tsm-emu --replay read
 * traces with it; each then checks what it needs of a record.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/netlink.h>

#include "jsonstrict.h"
#include "trace.h"

int tsm_trace_parse(const char *line, size_t len, const char *origin,
		    struct json_object **o, struct tsm_err *e)
{
	if (tsm_json_parse_strict(line, len, origin, o, e))
		return -EINVAL;
	if (json_object_is_type(*o, json_type_object))
		return 0;
	memset(e, 0, sizeof(*e));
	tsm_err_set(e, EINVAL, "TRACE", NULL,
		    "a trace line must be a JSON object, got %s",
		    json_type_to_name(json_object_get_type(*o)));
	json_object_put(*o);
	*o = NULL;
	return -ENOMSG;
}

struct json_object *tsm_trace_get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

const char *tsm_trace_str(struct json_object *o, const char *k)
{
	struct json_object *v = tsm_trace_get(o, k);

	return json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) :
		       NULL;
}

int tsm_trace_int(struct json_object *o, const char *k, const char *field,
		  int64_t def, int64_t *out, struct tsm_err *e)
{
	struct json_object *v = tsm_trace_get(o, k);

	*out = def;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int)) {
		tsm_err_set(e, EINVAL, field, json_object_to_json_string(v),
			    "%s must be an integer, got %s", field,
			    json_object_to_json_string(v));
		return -EINVAL;
	}
	*out = json_object_get_int64(v);
	return 0;
}

int tsm_trace_num(struct json_object *o, const char *k, bool sign,
		  uint64_t *out)
{
	struct json_object *v = tsm_trace_get(o, k);
	const char *s;
	char *end;

	if (!v)
		return 1;
	if (json_object_is_type(v, json_type_int)) {
		*out = sign ? (uint64_t)json_object_get_int64(v) :
			      json_object_get_uint64(v);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return -1;
	s = json_object_get_string(v);
	errno = 0;
	*out = sign ? (uint64_t)strtoll(s, &end, 0) : strtoull(s, &end, 0);
	return *s && !*end && !errno ? 0 : -1;
}

enum tsm_trace_phase tsm_trace_phase_of(struct json_object *o)
{
	const char *p = tsm_trace_str(o, "phase");

	if (p && !strcmp(p, "intent"))
		return TSM_TRACE_INTENT;
	if (p && !strcmp(p, "result"))
		return TSM_TRACE_RESULT;
	return TSM_TRACE_ONCE;
}

bool tsm_trace_completes(struct json_object *o, uint64_t intent_seq)
{
	struct json_object *v = tsm_trace_get(o, "seq");

	return tsm_trace_phase_of(o) == TSM_TRACE_RESULT &&
	       json_object_is_type(v, json_type_int) &&
	       (uint64_t)json_object_get_int64(v) == intent_seq;
}

/*
 * netlink.hex into a malloc'd buffer: at least a header, and the header's
 * nlmsg_len (and the record's, when given) equal to the length of the hex.
 */
static long nl_hex(struct json_object *nl, uint8_t **out, struct tsm_err *e)
{
	struct json_object *lenv = tsm_trace_get(nl, "nlmsg_len");
	const char *h = tsm_trace_str(nl, "hex");
	uint8_t *m = malloc(strlen(h) / 2 + 1);
	uint32_t hl;
	long n;

	if (!m)
		return -ENOMEM;
	n = tsm_parse_hex(h, m, strlen(h) / 2 + 1, "netlink.hex", e);
	if (n < 0)
		goto bad;
	if (n < (long)NLMSG_HDRLEN) {
		tsm_err_set(
			e, EINVAL, "netlink.hex", NULL,
			"netlink message shorter than its header (%ld bytes)",
			n);
		goto bad;
	}
	memcpy(&hl, m, sizeof(hl));
	if (hl != (uint32_t)n) {
		tsm_err_set(
			e, EINVAL, "netlink.hex", NULL,
			"netlink message of %ld bytes with nlmsg_len %u in its header",
			n, hl);
		goto bad;
	}
	if (lenv && (!json_object_is_type(lenv, json_type_int) ||
		     json_object_get_int64(lenv) != n)) {
		tsm_err_set(
			e, EINVAL, "netlink.nlmsg_len", NULL,
			"netlink.nlmsg_len %s differs from the %ld bytes of netlink.hex",
			json_object_to_json_string(lenv), n);
		goto bad;
	}
	*out = m;
	return n;
bad:
	free(m);
	return -EINVAL;
}

int tsm_trace_nl_read(struct json_object *line, struct tsm_trace_nl *out,
		      struct tsm_err *e)
{
	struct json_object *nl = tsm_trace_get(line, "netlink");
	struct json_object *dir = tsm_trace_get(nl, "dir");
	const char *d;
	long n;

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(nl, json_type_object) || !dir ||
	    !tsm_trace_str(nl, "hex")) {
		tsm_err_set(
			e, EINVAL, "netlink", NULL,
			"netlink record without netlink.dir and netlink.hex");
		return -EINVAL;
	}
	d = json_object_is_type(dir, json_type_string) ?
		    json_object_get_string(dir) :
		    "";
	if (strcmp(d, "send") && strcmp(d, "recv")) {
		tsm_err_set(e, EINVAL, "netlink.dir", d,
			    "netlink.dir must be \"send\" or \"recv\", got %s",
			    json_object_to_json_string(dir));
		return -EINVAL;
	}
	n = nl_hex(nl, &out->msg, e);
	if (n < 0)
		return (int)n;
	out->len = (size_t)n;
	out->send = !strcmp(d, "send");
	out->redacted = json_object_get_boolean(tsm_trace_get(nl, "redacted"));
	out->family = tsm_trace_str(nl, "family");
	return 0;
}
