// SPDX-License-Identifier: GPL-2.0
/*
 * dump --bundle FILE: one tar.gz a bug reporter attaches: dump.json (the
 * dump document), version.json (tsmctl --version -j), trace.jsonl (the
 * --trace file, if any), kmsg.txt (kernel messages mentioning tsm, tdisp,
 * ide or iommufd, when readable) and README.txt. Nonces are redacted
 * unless --no-redact (cli-contract.md §4.4): zeroed in the decoded
 * evidence, and the received evidence messages of the trace are zeroed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <linux/genetlink.h>

#include "targz.h"
#include "tsmctl.h"

/* An evidence object's raw "hex" holds the nonce its "decoded" locates. */
static void redact_raw(struct json_object *o)
{
	struct json_object *hex, *dec, *off;
	size_t at, len;
	char *z;

	if (!json_object_object_get_ex(o, "hex", &hex) ||
	    !json_object_object_get_ex(o, "decoded", &dec) ||
	    !json_object_object_get_ex(dec, "nonce_offset", &off))
		return;
	at = 2 * (size_t)json_object_get_int64(off);
	len = strlen(json_object_get_string(hex));
	if (at >= len || !(z = strdup(json_object_get_string(hex))))
		return;
	memset(z + at, '0', len - at < 2 * 32 ? len - at : 2 * 32);
	json_object_set_string(hex, z);
	free(z);
}

/* Replace the value of every "nonce_hex" key by zeros of the same length,
 * and the nonce inside raw evidence bytes. */
static void redact(struct json_object *o)
{
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			redact(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	redact_raw(o);
	json_object_object_foreach(o, k, v)
	{
		if (!strcmp(k, "nonce_hex") && json_object_is_type(v, json_type_string)) {
			size_t n = strlen(json_object_get_string(v));
			char *z = malloc(n + 1);

			if (z) {
				memset(z, '0', n);
				z[n] = 0;
				json_object_set_string(v, z);
				free(z);
			}
		} else {
			redact(v);
		}
	}
}

/*
 * The trace with the payload of every received pci-tsm message zeroed
 * after its netlink and genetlink headers
 * (evidence objects carry nonces inside SPDM measurement blocks; dump.json
 * keeps them decoded with only the nonce zeroed). Family resolution
 * (GENL_ID_CTRL) and acknowledgements stay. NULL on allocation failure.
 */
static struct json_object *redact_netlink_line(const char *p, size_t n)
{
	struct json_object *line, *nl, *v;
	char *tmp = strndup(p, n), *z;

	line = tmp ? json_tokener_parse(tmp) : NULL;
	free(tmp);
	if (!line || !json_object_object_get_ex(line, "netlink", &nl) ||
	    !json_object_object_get_ex(nl, "dir", &v) ||
	    strcmp(json_object_get_string(v), "recv") ||
	    !json_object_object_get_ex(nl, "genl_cmd", &v) ||
	    !json_object_object_get_ex(nl, "nlmsg_type", &v) ||
	    json_object_get_int(v) == GENL_ID_CTRL ||
	    !json_object_object_get_ex(nl, "hex", &v) ||
	    !(z = strdup(json_object_get_string(v)))) {
		json_object_put(line);
		return NULL;
	}
	/* keep the netlink and genetlink headers: the message stays a
	 * message of its length and kind, for replay */
	if (strlen(z) > 2 * (NLMSG_HDRLEN + GENL_HDRLEN))
		memset(z + 2 * (NLMSG_HDRLEN + GENL_HDRLEN), '0',
		       strlen(z) - 2 * (NLMSG_HDRLEN + GENL_HDRLEN));
	json_object_set_string(v, z);
	free(z);
	json_object_object_add(nl, "redacted", json_object_new_boolean(1));
	return line;
}

static char *redact_trace(const char *in, size_t len, size_t *outlen)
{
	size_t cap = len + 4096, at = 0, n, ln;
	const char *p = in, *end = in + len, *eol, *s;
	struct json_object *line;
	char *out = malloc(cap), *grown;

	while (out && p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		ln = (size_t)((eol ? eol : end) - p);
		line = redact_netlink_line(p, ln);
		s = line ? json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN |
									JSON_C_TO_STRING_NOSLASHESCAPE) :
			   p;
		n = line ? strlen(s) : ln;
		if (at + n + 1 > cap) {
			cap = (at + n + 1) * 2;
			grown = realloc(out, cap);
			if (!grown) {
				free(out);
				out = NULL;
				json_object_put(line);
				break;
			}
			out = grown;
		}
		memcpy(out + at, s, n);
		at += n;
		out[at++] = '\n';
		json_object_put(line);
		p += ln + (eol ? 1 : 0);
	}
	*outlen = at;
	return out;
}

static char *read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return NULL;
	buf = malloc(max + 1);
	while (buf && *len < max && (n = read(fd, buf + *len, max - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	return buf;
}

/* Lines of /dev/kmsg (non-blocking) that mention TSM topics. */
static char *kmsg_lines(size_t *len)
{
	static const char *const words[] = { "tsm", "tdisp", "ide", "iommufd",
					     "TSM", "TDISP", "IDE" };
	size_t cap = 1 << 16, i;
	char *out = calloc(1, cap), rec[1024];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	*len = 0;
	if (!out)
		return NULL;
	if (fd < 0) {
		*len = (size_t)snprintf(out, cap, "/dev/kmsg not readable: %s\n",
					strerror(errno));
		return out;
	}
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (strstr(rec, words[i]))
				break;
		if (i == ARRAY_SIZE(words) || *len + (size_t)n + 1 >= cap)
			continue;
		memcpy(out + *len, rec, (size_t)n);
		*len += (size_t)n;
	}
	close(fd);
	return out;
}

int dump_bundle(struct tsmctl_ctx *ctx, const char *path, bool redact_nonces)
{
	struct json_object *doc = json_object_get(out_doc(ctx)), *ver, *vr;
	struct tsm_targz *t = NULL;
	time_t now = time(NULL);
	const char *s;
	char *buf;
	size_t len;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		json_object_put(doc);
		tsm_err_set(&ctx->err, errno, "--bundle", path,
			    "--bundle '%s': cannot create: %s", path, strerror(errno));
		return out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err, NULL);
	}
	rc = tsm_targz_open(&t, fd);
	if (!rc) {
		struct json_object *copy = NULL;

		json_object_deep_copy(doc, &copy, NULL);
		if (copy && redact_nonces)
			redact(copy);
		s = json_object_to_json_string_ext(copy ? copy : doc,
						   JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE);
		rc = tsm_targz_add(t, "tsmctl-bundle/dump.json", s, strlen(s), now);
		json_object_put(copy);
	}
	if (!rc) {
		ver = json_object_new_object();
		vr = json_object_new_object();
		json_object_object_add(vr, "version", json_object_new_string(TSMCTL_VERSION));
		json_object_object_add(vr, "schema_version",
				       json_object_new_int(TSMCTL_SCHEMA_VERSION));
		json_object_object_add(vr, "default_abi",
				       json_object_new_string(TSM_DEFAULT_PROFILE));
		json_object_object_add(vr, "selected_abi",
				       json_object_new_string(ctx->profile.name));
		json_object_object_add(ver, "result", vr);
		s = json_object_to_json_string_ext(ver, JSON_C_TO_STRING_PRETTY);
		rc = tsm_targz_add(t, "tsmctl-bundle/version.json", s, strlen(s), now);
		json_object_put(ver);
	}
	if (!rc && ctx->trace_path) {
		buf = read_file(ctx->trace_path, 8u << 20, &len);
		if (buf && redact_nonces) {
			char *r = redact_trace(buf, len, &len);

			free(buf);
			buf = r;
		}
		if (buf)
			rc = tsm_targz_add(t, "tsmctl-bundle/trace.jsonl", buf, len, now);
		free(buf);
	}
	if (!rc) {
		buf = kmsg_lines(&len);
		if (buf)
			rc = tsm_targz_add(t, "tsmctl-bundle/kmsg.txt", buf, len, now);
		free(buf);
	}
	if (!rc) {
		static const char readme[] =
			"tsmctl bug-report bundle: dump.json (tsmctl -j dump), version.json,\n"
			"trace.jsonl (the --trace file given with dump, if any), kmsg.txt\n"
			"(kernel messages mentioning tsm/tdisp/ide/iommufd). Nonces are\n"
			"zeroed unless the bundle was made with --no-redact: in dump.json, and\n"
			"in trace.jsonl the evidence messages received are zeroed after their\n"
			"headers.\n";

		rc = tsm_targz_add(t, "tsmctl-bundle/README.txt", readme,
				   sizeof(readme) - 1, now);
	}
	if (t) {
		int rc2 = tsm_targz_close(t);

		if (!rc)
			rc = rc2;
	}
	close(fd);
	json_object_put(doc);
	if (rc) {
		tsm_err_set(&ctx->err, -rc, "--bundle", path,
			    "--bundle '%s': cannot write: %s", path, strerror(-rc));
		return out_error(ctx, TSM_EXIT_FAIL, "output", &ctx->err, NULL);
	}
	json_object_object_add(json_object_object_get(ctx->doc, "result"), "bundle",
			       json_object_new_string(path));
	return 0;
}
