// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-emu --replay: load a tsmctl trace (JSON Lines) and answer ioctls
 * from its "call":"ioctl" records, in order, and netlink requests from its
 * "call":"netlink" records. Matching and answering: README.md "Replay";
 * the supervisor side is sup_replay_ioctl() and sup_replay_nl_send().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "replay.h"
#include "scenario.h"
#include "trace.h"

static int load_nonce(struct emu_replay_rec *r, json_object *req, char *err,
		      size_t errlen)
{
	const char *hex = tsm_trace_str(req, "nonce_hex");
	uint64_t off;
	uint8_t *b;
	long len;

	if (!hex)
		return 0;
	len = emu_hex_decode(hex, &b);
	if (len != 32 || tsm_trace_num(req, "nonce_off", false, &off) ||
	    off > 4088) {
		if (len >= 0)
			free(b);
		snprintf(err, errlen,
			 "request.nonce_hex: 32 bytes with request.nonce_off");
		return -1;
	}
	memcpy(r->nonce, b, 32);
	free(b);
	r->nonce_off = (uint32_t)off;
	r->has_nonce = true;
	return 0;
}

static int load_rec(struct emu_replay_rec *r, json_object *line,
		    unsigned int no, char *err, size_t errlen)
{
	json_object *io, *req;
	const char *hex;
	uint8_t *b;
	uint64_t n;
	long len;

	memset(r, 0, sizeof(*r));
	r->line = no;
	r->seq = tsm_trace_num(line, "seq", false, &n) ? no : n;
	if (!json_object_object_get_ex(line, "ioctl", &io) ||
	    !json_object_is_type(io, json_type_object) ||
	    !(hex = tsm_trace_str(io, "struct_hex"))) {
		snprintf(err, errlen, "no ioctl.struct_hex");
		return -1;
	}
	if (tsm_trace_num(io, "request", false, &n) ||
	    (n & ~0xffull) != 0x3b00) {
		snprintf(err, errlen, "ioctl.request missing or not 0x3bNN");
		return -1;
	}
	r->request = n;
	len = emu_hex_decode(hex, &b);
	if (len < 4 || (size_t)len > sizeof(r->st)) {
		if (len >= 0)
			free(b);
		snprintf(err, errlen, "ioctl.struct_hex: bad hex or length");
		return -1;
	}
	memcpy(r->st, b, (size_t)len);
	r->st_len = (size_t)len;
	free(b);
	r->is_req = json_object_object_get_ex(line, "request", &req) &&
		    json_object_is_type(req, json_type_object);
	if (tsm_trace_num(line, "rc", true, &n) < 0 ||
	    tsm_trace_num(line, "errno", false, &n) < 0) {
		snprintf(err, errlen, "\"rc\"/\"errno\": not a number");
		return -1;
	}
	r->rc = tsm_trace_num(line, "rc", true, &n) ? 0 : (long)n;
	r->err = tsm_trace_num(line, "errno", false, &n) ? 0 : (int)n;
	if (r->err < 0 || r->err > 4095) {
		snprintf(err, errlen, "\"errno\": out of range");
		return -1;
	}
	switch (tsm_trace_num(line, "tsm_code", false, &r->tsm_code)) {
	case 0:
		r->has_tsm_code = true;
		break;
	case -1:
		snprintf(err, errlen, "\"tsm_code\": not a number");
		return -1;
	}
	if (r->is_req && load_nonce(r, req, err, errlen))
		return -1;
	hex = tsm_trace_str(line, "response_hex");
	if (hex && *hex) {
		len = emu_hex_decode(hex, &r->resp);
		if (len < 0) {
			snprintf(err, errlen, "\"response_hex\": bad hex");
			return -1;
		}
		r->resp_len = (size_t)len;
	}
	return 0;
}

/* "netlink": {"dir", "hex", "redacted"}; the decoded fields are not used */
static int load_nlrec(struct emu_replay_nlrec *r, json_object *line,
		      unsigned int no, char *err, size_t errlen)
{
	json_object *nl, *v;
	const char *dir, *hex;
	uint32_t hlen = 0;
	uint64_t n;
	long len;

	memset(r, 0, sizeof(*r));
	r->line = no;
	r->seq = tsm_trace_num(line, "seq", false, &n) ? no : n;
	if (!json_object_object_get_ex(line, "netlink", &nl) ||
	    !json_object_is_type(nl, json_type_object) ||
	    !(dir = tsm_trace_str(nl, "dir")) ||
	    (strcmp(dir, "send") && strcmp(dir, "recv"))) {
		snprintf(err, errlen, "netlink.dir: not \"send\" or \"recv\"");
		return -1;
	}
	r->send = !strcmp(dir, "send");
	hex = tsm_trace_str(nl, "hex");
	len = hex ? emu_hex_decode(hex, &r->msg) : -1;
	if (len < 0) {
		snprintf(err, errlen, "netlink.hex: missing or bad hex");
		return -1;
	}
	r->len = (size_t)len;
	if (json_object_object_get_ex(nl, "family", &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(r->family, sizeof(r->family), "%s",
			 json_object_get_string(v));
	r->redacted = json_object_object_get_ex(nl, "redacted", &v) &&
		      json_object_get_boolean(v);
	if (!r->redacted) {
		size_t i = 0;

		while (i < r->len && !r->msg[i])
			i++;
		r->redacted = len && i == r->len; /* zeroed by a bundle */
	}
	memcpy(&hlen, r->msg, len >= 4 ? 4 : 0);
	if (r->redacted) {
		r->headers_kept = len >= (long)(NLMSG_HDRLEN + GENL_HDRLEN) &&
				  hlen == r->len;
		return 0;
	}
	if (len < NLMSG_HDRLEN || hlen != r->len) {
		snprintf(err, errlen,
			 "netlink.hex: not one netlink message "
			 "(%ld bytes)",
			 len);
		return -1;
	}
	return 0;
}

/*
 * Write-ahead pairs: a "result" record replaces the "intent" of its seq
 * just before it (the result holds all the intent does).
 */
static void replay_phase(struct emu_replay *r, json_object *o)
{
	struct emu_replay_rec *prev = r->nrec ? &r->rec[r->nrec - 1] : NULL;
	uint64_t seq;

	if (prev && prev->unknown &&
	    tsm_trace_phase_of(o) == TSM_TRACE_RESULT &&
	    !tsm_trace_num(o, "seq", false, &seq) && seq == prev->seq) {
		free(prev->resp);
		r->nrec--;
	}
}

static void *grow(void *p, size_t *nalloc, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *nalloc)
		return p;
	c = *nalloc ? *nalloc * 2 : 16;
	q = realloc(p, c * size);
	if (q)
		*nalloc = c;
	return q;
}

int emu_replay_load(struct emu_replay *r, const char *path, char *err,
		    size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, msg[160];
	size_t cap = 0, nalloc = 0, nlalloc = 0;
	unsigned int no = 0;
	ssize_t n;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->path = path;
	if (!f) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		json_object *o = NULL;
		struct tsm_err je;
		const char *call;

		no++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		/* tsmctl's own reader (lib/trace_read.c, strict JSON) */
		if (tsm_trace_parse(line, (size_t)n, "trace", &o, &je)) {
			snprintf(err, errlen,
				 "--replay %s:%u: not a JSON object", path, no);
			goto out;
		}
		call = tsm_trace_str(o, "call");
		if (!call) {
			json_object_put(o);
			continue;
		}
		if (!strcmp(call, "netlink")) {
			struct emu_replay_nlrec *p;

			p = grow(r->nl, &nlalloc, r->nnl, sizeof(*p));
			if (!p) {
				json_object_put(o);
				snprintf(err, errlen,
					 "--replay: out of memory");
				goto out;
			}
			r->nl = p;
			if (load_nlrec(&r->nl[r->nnl], o, no, msg,
				       sizeof(msg))) {
				free(r->nl[r->nnl].msg);
				json_object_put(o);
				snprintf(err, errlen, "--replay %s:%u: %s",
					 path, no, msg);
				goto out;
			}
			r->nnl++;
			json_object_put(o);
			continue;
		}
		if (strcmp(call, "ioctl")) {
			json_object_put(
				o); /* open, start, ...: informational */
			continue;
		}
		{
			struct emu_replay_rec *p;

			p = grow(r->rec, &nalloc, r->nrec, sizeof(*p));
			if (!p) {
				json_object_put(o);
				snprintf(err, errlen,
					 "--replay: out of memory");
				goto out;
			}
			r->rec = p;
		}
		replay_phase(r, o);
		if (load_rec(&r->rec[r->nrec], o, no, msg, sizeof(msg))) {
			json_object_put(o);
			snprintf(err, errlen, "--replay %s:%u: %s", path, no,
				 msg);
			goto out;
		}
		r->rec[r->nrec].unknown = tsm_trace_phase_of(o) ==
					  TSM_TRACE_INTENT;
		r->nrec++;
		json_object_put(o);
	}
	for (size_t i = 0; i < r->nrec; i++)
		if (r->rec[i].unknown)
			fprintf(stderr,
				"tsm-emu: --replay %s:%u: seq %lu has an intent record and no result: its outcome is unknown (answered EIO)\n",
				path, r->rec[i].line, r->rec[i].seq);
	while (r->nl_next < r->nnl && !r->nl[r->nl_next].send)
		r->nl_next++; /* replies before the first request: unused */
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}

void emu_replay_free(struct emu_replay *r)
{
	for (size_t i = 0; i < r->nrec; i++)
		free(r->rec[i].resp);
	free(r->rec);
	r->rec = NULL;
	r->nrec = 0;
	for (size_t i = 0; i < r->nnl; i++)
		free(r->nl[i].msg);
	free(r->nl);
	r->nl = NULL;
	r->nnl = 0;
}

bool emu_replay_covers(const struct emu_replay *r, unsigned long request)
{
	for (size_t i = 0; i < r->nrec; i++)
		if (r->rec[i].request == request)
			return true;
	return false;
}
