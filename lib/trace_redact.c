// SPDX-License-Identifier: GPL-2.0
/*
 * A trace line redacted for a bundle (trace.h): checked as a JSON object
 * by a scanner that builds no tree, the payload of a received evidence
 * message zeroed in place after its netlink and genetlink headers (SPDM
 * measurements carry nonces). Family resolution (GENL_ID_CTRL) and
 * acknowledgements stay as they are. About 2 instructions a byte, against
 * about 90 for a json-c tree per line and its re-serialisation
 * (docs/performance.md).
 */
#include <stdbool.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "trace.h"

#define SCAN_DEPTH 32

struct span {
	const char *p; /* string contents, between the quotes */
	size_t n;
};

/* What one line holds that redaction needs. */
struct scan {
	const char *p, *end;
	int netlink; /* "netlink" members at the top level */
	const char *nl_close; /* the '}' closing the netlink object */
	struct span dir, hex;
	int dir_n, hex_n, cmd_n, type_n, red_n;
	long long type;
};

enum where { W_ANY, W_TOP, W_NETLINK };

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static inline void ws(struct scan *s)
{
	while (s->p < s->end && is_ws(*s->p))
		s->p++;
}

/* An escape after a backslash at s->p: advance past it. */
static int escape(struct scan *s)
{
	char c;

	if (++s->p >= s->end)
		return -1;
	c = *s->p++;
	if (c == 'u') {
		for (int i = 0; i < 4; i++, s->p++)
			if (s->p >= s->end || !is_hex(*s->p))
				return -1;
		return 0;
	}
	return c && strchr("\"\\/bfnrt", c) ? 0 : -1;
}

/*
 * A string; its contents in @out. Structure only: the closing quote is
 * found with memchr, escapes are checked, the bytes between are not
 * (tsmctl writes its traces; a line cut short is what happens to them).
 */
static int str(struct scan *s, struct span *out)
{
	const char *q, *quote, *bs;

	if (s->p >= s->end || *s->p != '"')
		return -1;
	q = ++s->p;
	for (;;) {
		quote = memchr(s->p, '"', (size_t)(s->end - s->p));
		if (!quote)
			return -1;
		bs = memchr(s->p, '\\', (size_t)(quote - s->p));
		if (!bs)
			break;
		s->p = bs;
		if (escape(s))
			return -1;
	}
	if (out) {
		out->p = q;
		out->n = (size_t)(quote - q);
	}
	s->p = quote + 1;
	return 0;
}

static size_t digits(struct scan *s)
{
	const char *q = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return (size_t)(s->p - q);
}

/* RFC 8259 number; its value when it is a small integer */
static int num(struct scan *s, long long *v)
{
	const char *q = s->p;
	size_t n;

	if (s->p < s->end && *s->p == '-')
		s->p++;
	n = digits(s);
	if (!n || (n > 1 && s->p[-(long)n] == '0'))
		return -1;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!digits(s))
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!digits(s))
			return -1;
	}
	if (v)
		*v = s->p - q < 18 ? strtoll(q, NULL, 10) : -1;
	return 0;
}

static int lit(struct scan *s)
{
	static const char *const lits[] = { "true", "false", "null" };

	for (size_t i = 0; i < ARRAY_SIZE(lits); i++) {
		size_t n = strlen(lits[i]);

		if ((size_t)(s->end - s->p) >= n && !memcmp(s->p, lits[i], n)) {
			s->p += n;
			return 0;
		}
	}
	return -1;
}

static int value(struct scan *s, int depth, enum where w);

static bool key_is(const struct span *k, const char *name)
{
	return k->n == strlen(name) && !memcmp(k->p, name, k->n);
}

/* A member of the netlink object: note the ones redaction reads. */
static int nl_member(struct scan *s, const struct span *k, int depth)
{
	if (key_is(k, "dir")) {
		s->dir_n++;
		return str(s, &s->dir);
	}
	if (key_is(k, "hex")) {
		s->hex_n++;
		return str(s, &s->hex);
	}
	if (key_is(k, "nlmsg_type")) {
		s->type_n++;
		return num(s, &s->type);
	}
	s->cmd_n += key_is(k, "genl_cmd");
	s->red_n += key_is(k, "redacted");
	return value(s, depth, W_ANY);
}

static int object(struct scan *s, int depth, enum where w)
{
	struct span k;
	int rc;

	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == '}')
		goto close;
	for (;;) {
		ws(s);
		if (str(s, &k))
			return -1;
		ws(s);
		if (s->p >= s->end || *s->p++ != ':')
			return -1;
		ws(s);
		if (w == W_NETLINK)
			rc = nl_member(s, &k, depth + 1);
		else if (w == W_TOP && key_is(&k, "netlink") &&
			 ++s->netlink == 1 && s->p < s->end && *s->p == '{')
			rc = object(s, depth + 1, W_NETLINK);
		else
			rc = value(s, depth + 1, W_ANY);
		if (rc)
			return -1;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}')
			break;
		return -1;
	}
close:
	if (w == W_NETLINK)
		s->nl_close = s->p;
	s->p++;
	return 0;
}

static int array(struct scan *s, int depth)
{
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 0;
	}
	for (;;) {
		ws(s);
		if (value(s, depth + 1, W_ANY))
			return -1;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return 0;
		}
		return -1;
	}
}

static int value(struct scan *s, int depth, enum where w)
{
	if (depth > SCAN_DEPTH || s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '{':
		return object(s, depth, w);
	case '[':
		return array(s, depth);
	case '"':
		return str(s, NULL);
	case 't':
	case 'f':
	case 'n':
		return lit(s);
	default:
		return num(s, NULL);
	}
}

/* 1: a JSON object (@s filled); 0: anything else */
static bool scan_line(struct scan *s, const char *line, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->p = line;
	s->end = line + n;
	ws(s);
	if (s->p >= s->end || *s->p != '{' || value(s, 0, W_TOP))
		return false;
	ws(s);
	/* duplicates of what redaction reads could hide a second payload */
	return s->p == s->end && s->netlink <= 1 && s->dir_n <= 1 &&
	       s->hex_n <= 1 && s->type_n <= 1 && s->red_n <= 1;
}

/*
 * Zero a received pci-tsm message after its headers, in place; whether
 * the "redacted" mark goes in (the message stays one of its length and
 * kind, for replay).
 */
static bool redact_line(const struct scan *s)
{
	size_t keep = 2 * (NLMSG_HDRLEN + GENL_HDRLEN), i;
	char *h = (char *)s->hex.p;

	if (s->netlink != 1 || !s->nl_close || s->dir_n != 1 || s->dir.n != 4 ||
	    memcmp(s->dir.p, "recv", 4) || !s->cmd_n || s->type_n != 1 ||
	    s->type == GENL_ID_CTRL || s->hex_n != 1)
		return false;
	for (i = 0; i < s->hex.n; i++)
		if (!is_hex(h[i]))
			return false;
	if (s->hex.n > keep)
		memset(h + keep, '0', s->hex.n - keep);
	return !s->red_n;
}

bool tsm_trace_redact_line(char *line, size_t n, const char **mark)
{
	struct scan s;

	*mark = NULL;
	if (!scan_line(&s, line, n))
		return false;
	if (redact_line(&s))
		*mark = s.nl_close;
	return true;
}
