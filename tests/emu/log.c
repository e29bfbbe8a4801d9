// SPDX-License-Identifier: GPL-2.0
/* tsm-emu call log: JSON Lines, one object per emulated call. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sup.h"

void emu_log_strn(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (; max && *s; s++, max--) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void put_str(FILE *f, const char *s)
{
	emu_log_strn(f, s, SIZE_MAX);
}

void emu_log_hex(FILE *f, const char *key, const uint8_t *p, size_t n)
{
	fprintf(f, ",\"%s\":\"", key);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('"', f);
}

static void put_head(struct emu_sup *s, pid_t pid, const char *call)
{
	fprintf(s->log,
		"{\"seq\":%lu,\"pid\":%d,\"call\":\"%s\",\"profile\":\"%s\"",
		++s->seq, (int)pid, call, emu_profile_name(s->model->profile));
}

static void put_result(FILE *f, long ret, int err)
{
	const char *name = emu_errno_name(err);

	fprintf(f, ",\"ret\":%ld,\"errno\":%d", ret, err);
	if (err)
		fprintf(f, ",\"errno_name\":\"%s\"", name ? name : "?");
}

static void put_fault(FILE *f, const struct emu_fault *ft)
{
	const char *name = emu_errno_name(ft->err);
	int first = 1;

	fprintf(f, ",\"fault\":{");
#define SEP() (first ? (first = 0, "") : ",")
	if (ft->err)
		fprintf(f, "%s\"errno\":\"%s\"", SEP(), name ? name : "?");
	if (ft->has_tsm_code)
		fprintf(f, "%s\"tsm_code\":\"0x%llx\"", SEP(),
			(unsigned long long)ft->tsm_code);
	if (ft->has_residue)
		fprintf(f, "%s\"residue\":%ld", SEP(), ft->residue);
	if (ft->efault_after_commit)
		fprintf(f, "%s\"efault_after_commit\":true", SEP());
	if (ft->after_commit)
		fprintf(f, "%s\"after_commit\":true", SEP());
	if (ft->delay_ms)
		fprintf(f, "%s\"delay_ms\":%u", SEP(), ft->delay_ms);
	if (ft->eagain_dump)
		fprintf(f, "%s\"eagain\":true", SEP());
	if (ft->extack[0]) {
		fprintf(f, "%s\"extack\":", SEP());
		put_str(f, ft->extack);
	}
#undef SEP
	fputc('}', f);
}

void log_open_call(struct emu_sup *s, pid_t pid, const char *call,
		   const char *path, int ctx, long ret, int err,
		   const struct emu_fault *f)
{
	if (!s->log)
		return;
	put_head(s, pid, call);
	if (path) {
		fprintf(s->log, ",\"path\":");
		put_str(s->log, path);
	}
	if (ctx)
		fprintf(s->log, ",\"ctx\":%d", ctx);
	put_result(s->log, ret, err);
	if (f)
		put_fault(s->log, f);
	fprintf(s->log, "}\n");
	fflush(s->log);
}

void log_sysfs(struct emu_sup *s, pid_t pid, int fd, const char *path,
	       const char *data, size_t len, long ret, int err,
	       const struct emu_fault *f)
{
	if (!s->log)
		return;
	put_head(s, pid, "sysfs_write");
	fprintf(s->log, ",\"fd\":%d,\"path\":", fd);
	put_str(s->log, path);
	fprintf(s->log, ",\"data\":");
	emu_log_strn(s->log, data, len);
	put_result(s->log, ret, err);
	if (f)
		put_fault(s->log, f);
	fprintf(s->log, "}\n");
	fflush(s->log);
}

void log_ioctl(struct emu_sup *s, pid_t pid, int fd, int ctx, unsigned long cmd,
	       const struct emu_trace *tr)
{
	FILE *f = s->log;

	if (!f)
		return;
	put_head(s, pid, "ioctl");
	fprintf(f,
		",\"fd\":%d,\"ctx\":%d,\"ioctl\":\"%s\","
		"\"request\":\"0x%lx\",\"nr\":\"0x%x\"",
		fd, ctx, tr->name, cmd, tr->nr);
	if (tr->have_size)
		fprintf(f, ",\"size\":%u", tr->size);
	emu_log_hex(f, "struct_hex", tr->st, tr->st_len);
	if (tr->nfields) {
		fprintf(f, ",\"fields\":{");
		for (int i = 0; i < tr->nfields; i++)
			fprintf(f, "%s\"%s\":%llu", i ? "," : "",
				tr->fields[i].name,
				(unsigned long long)tr->fields[i].val);
		fputc('}', f);
	}
	if (tr->have_req)
		emu_log_hex(f, "req_payload_hex", tr->req, tr->req_len);
	if (tr->have_resp)
		emu_log_hex(f, "resp_payload_hex", tr->resp, tr->resp_len);
	if (tr->have_nonce)
		emu_log_hex(f, "nonce_hex", tr->nonce, sizeof(tr->nonce));
	if (tr->ret < 0 && tr->ret >= -4095)
		put_result(f, -1, (int)-tr->ret);
	else
		put_result(f, tr->ret, 0);
	if (tr->have_tsm_code)
		fprintf(f, ",\"tsm_code\":\"0x%llx\"",
			(unsigned long long)tr->tsm_code);
	if (tr->faulted)
		put_fault(f, &tr->fault);
	fprintf(f, "}\n");
	fflush(f);
}

void log_simple(struct emu_sup *s, pid_t pid, const char *call, int fd,
		long ret, int err)
{
	if (!s->log)
		return;
	put_head(s, pid, call);
	fprintf(s->log, ",\"fd\":%d", fd);
	put_result(s->log, ret, err);
	fprintf(s->log, "}\n");
	fflush(s->log);
}

/* one line per netlink request message handled in sendmsg/sendto */
void log_nl(struct emu_sup *s, pid_t pid, int fd, const struct emu_nl_trace *tr,
	    const uint8_t *msg, size_t len)
{
	FILE *f = s->log;
	const char *name = emu_errno_name(tr->err);

	if (!f)
		return;
	put_head(s, pid, "netlink");
	fprintf(f,
		",\"fd\":%d,\"family\":\"%s\",\"nlmsg_type\":%u,"
		"\"nlmsg_flags\":\"0x%x\",\"nlmsg_seq\":%u,\"genl_cmd\":%u",
		fd, tr->family, tr->type, tr->flags, tr->seq, tr->cmd);
	if (tr->dev_name[0]) {
		fprintf(f, ",\"name\":");
		put_str(f, tr->dev_name);
	}
	if (tr->has_mask)
		fprintf(f, ",\"type_mask\":%u,\"flags\":%u", tr->type_mask,
			tr->ev_flags);
	if (tr->nonce_len)
		emu_log_hex(f, "nonce_hex", tr->nonce, tr->nonce_len);
	emu_log_hex(f, "request_hex", msg, len < 4096 ? len : 4096);
	fprintf(f, ",\"replies\":%d,\"errno\":%d", tr->nreplies, tr->err);
	if (tr->err)
		fprintf(f, ",\"errno_name\":\"%s\",\"error_in\":\"%s\"",
			name ? name : "?", tr->err_in_done ? "done" : "error");
	if (tr->extack) {
		fprintf(f, ",\"extack\":");
		put_str(f, tr->extack);
	}
	if (tr->faulted)
		put_fault(f, &tr->fault);
	fprintf(f, "}\n");
	fflush(f);
}

void log_replay(struct emu_sup *s, pid_t pid, int fd, int ctx,
		unsigned long cmd, const uint8_t *st, size_t len,
		const struct emu_replay_hit *h)
{
	FILE *f = s->log;

	if (!f)
		return;
	put_head(s, pid, "ioctl");
	fprintf(f,
		",\"fd\":%d,\"ctx\":%d,\"replay\":true,\"request\":\"0x%lx\","
		"\"nr\":\"0x%lx\"",
		fd, ctx, cmd, cmd & 0xff);
	emu_log_hex(f, "struct_hex", st, len);
	if (h->rec)
		fprintf(f, ",\"%s\":%lu",
			h->mismatch ? "expected_seq" : "replay_seq",
			h->rec->seq);
	if (h->rec && h->rec->unknown)
		fprintf(f, ",\"outcome_unknown\":true");
	if (h->mismatch) {
		fprintf(f, ",\"replay_mismatch\":true,\"why\":");
		put_str(f, h->why);
		if (h->rec) {
			fprintf(f, ",\"expected_request\":\"0x%lx\"",
				h->rec->request);
			emu_log_hex(f, "expected_struct_hex", h->rec->st,
				    h->rec->st_len);
		}
	} else {
		if (h->resp_written)
			emu_log_hex(f, "resp_payload_hex", h->rec->resp,
				    h->resp_written < 4096 ? h->resp_written :
							     4096);
		if (h->rec->has_tsm_code && h->rec->is_req)
			fprintf(f, ",\"tsm_code\":\"0x%llx\"",
				(unsigned long long)h->rec->tsm_code);
	}
	put_result(f, h->ret, h->err);
	fprintf(f, "}\n");
	fflush(f);
}
