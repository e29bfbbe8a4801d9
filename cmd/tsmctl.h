/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CLI context shared by main, the global options, the output layer and
 * each command. There are no file-static option structs: every command
 * gets this context.
 */
#ifndef TSMCTL_CMD_H
#define TSMCTL_CMD_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "abi.h"
#include "envelope.h"
#include "dev.h"
#include "explain.h"
#include "jsonw.h"
#include "util.h"

#define TSMCTL_SCHEMA_VERSION 1
#ifndef TSMCTL_VERSION
#define TSMCTL_VERSION "0.1.0"
#endif

struct json_object;
struct tsmctl_ctx;
struct out_bytes;

enum {
	CMD_MUTATES = 1 << 0, /* changes kernel state */
	CMD_NEEDS_ABI = 1 << 1, /* resolves the ABI profile */
	CMD_HIDDEN = 1 << 2, /* not listed in --help */
};

/* Per-option metadata that argp has no field for (for __metadata). */
struct tsmctl_optmeta {
	const char *long_name;
	const char *values; /* space-separated accepted values */
	const char *complete; /* "file", "pid", "fd", "" */
};

struct tsmctl_cmd {
	const char *name;
	const char *summary;
	int (*run)(struct tsmctl_ctx *ctx, int argc, char **argv);
	const struct argp *argp; /* NULL: no options of its own */
	const struct tsmctl_optmeta *meta;
	unsigned int flags;
};

struct tsmctl_ctx {
	const struct tsmctl_cmd *cmd;
	const char *cmd_name; /* for messages; "" before a command */
	int cmd_argi; /* index of the command in argv */
	char prog[48]; /* "tsmctl bind" for argp messages */

	/* global options */
	struct tsm_dev_sel sel;
	const char *abi_name;
	const char *abi_origin; /* "default", "--abi", "TSMCTL_ABI", ... */
	const char *abi_file;
	const char *btf; /* dump --btf FILE: what detection reads */
	bool json;
	bool pretty;
	bool dry_run;
	int verbose;
	const char *trace_path;
	bool stop; /* --help/--usage/--version done */
	bool want_version;
	bool in_command; /* parsing the command's options */

	/* resolved */
	struct tsm_profile profile;
	bool have_profile;
	/* why this profile (cli-contract.md §3): option, env, file, btf,
	 * fallback; for the last two what detection found */
	const char *abi_source;
	char abi_reason[200];
	/* auto fell back on a readable BTF without any TSM type: a command
	 * that needs a TSM ioctl refuses (exit 5), nothing sent */
	bool abi_no_tsm;
	struct tsm_detect *detect; /* BTF detection, read once */
	int detect_rc;
	struct tsm_catalog *catalog; /* loaded by req/set-run/batch */
	struct tsm_dev dev; /* opened on first use, then held */
	bool dev_open;
	bool detect_checked; /* BTF guard ran (once per process) */
	bool detect_refused; /* ... and refused: refuse every line */

	/* trace (--trace / TSMCTL_TRACE), opened on first use */
	int trace_fd;
	unsigned int trace_seq;
	bool trace_started; /* the "start" record is written */

	/* the evidence family in use, for --trace's netlink records */
	const char *nl_family;

	/* dump --bundle FILE, opened before anything is sent; -1 if not */
	int bundle_fd;

	/* output */
	struct json_object *doc;
	struct tsm_strbuf jbuf; /* compact JSON rendering, reused */
	struct out_bytes *bytes; /* evidence shown as hex (out_bytes.h) */
	struct tsm_err err;
	int exit_code;
	bool error_emitted;
	bool quiet_text; /* text mode: print nothing on success */
};

/* Commands and the table (tsmctl.c). */
extern const struct tsmctl_cmd tsmctl_commands[];
extern const size_t tsmctl_ncommands;
const struct tsmctl_cmd *tsmctl_find_cmd(const char *name);

/* Global options (global.c). */
extern const struct argp tsmctl_global_argp;
extern const struct argp_child tsmctl_global_children[];
extern const struct argp_option tsmctl_global_options[];
extern const struct tsmctl_optmeta tsmctl_global_meta[];
/* Parse @argv with @argp, catching argp/getopt errors as a usage error. */
int tsmctl_parse(struct tsmctl_ctx *ctx, const struct argp *argp, int argc,
		 char **argv, void *input);
/* Resolve --abi/--abi-file/TSMCTL_ABI into ctx->profile. */
int tsmctl_resolve_abi(struct tsmctl_ctx *ctx);
/* Common parsing helpers for command options; set ctx->err. */
/*
 * The end of every command's argp parser: ARGP_KEY_INIT hands @ctx to the
 * global-options child, a positional argument is a usage error, anything
 * else is ARGP_ERR_UNKNOWN.
 */
error_t tsmctl_parse_default(struct tsmctl_ctx *ctx, int key, char *arg,
			     struct argp_state *state);
int tsmctl_opt_u32(struct tsmctl_ctx *ctx, const char *flag, const char *arg,
		   uint32_t *out);
int tsmctl_usage_error(struct tsmctl_ctx *ctx, const char *field,
		       const char *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Output (out.c). */
struct json_object *out_doc(struct tsmctl_ctx *ctx);
/* "abi" and "abi_source" of the document, resolving the profile if the
 * command has not (cli-contract.md §3). */
void out_set_abi(struct tsmctl_ctx *ctx);
/* Set @key (a string literal: json-c keeps the pointer) of the document. */
void out_set(struct tsmctl_ctx *ctx, const char *key, struct json_object *v);
/* Report an error: the JSON error object or a stderr line. Returns @code. */
int out_error(struct tsmctl_ctx *ctx, int code, const char *stage,
	      const struct tsm_err *e, struct json_object *extra);
int out_usage_error(struct tsmctl_ctx *ctx);
/* A usage error found after the request was described: drop the ioctl. */
int out_unsent_error(struct tsmctl_ctx *ctx);
/* Render the document (JSON, or text unless @quiet_text). */
int out_finish(struct tsmctl_ctx *ctx, int code, bool quiet_text);
void out_text_tree(FILE *f, struct json_object *o, int indent);
/* stdout write-error check at exit (ndctl run_builtin style). */
int out_close_stdout(struct tsmctl_ctx *ctx, int code);
struct json_object *json_u64(uint64_t v);
/*
 * Add @v under @k, a string literal: json-c keeps the pointer instead of
 * copying the key (a result document has some thirty keys per line).
 */
#define json_add(o, k, v)                            \
	json_object_object_add_ex((o), "" k "", (v), \
				  JSON_C_OBJECT_ADD_CONSTANT_KEY)
struct json_object *json_hex(const uint8_t *b, size_t len);

/*
 * The ioctl description shared by dry-run, results and traces (ioctl.c):
 * ioctl_raw_json from given @fields (taken; NULL: none), ioctl_json
 * decoding them from the profile's layout.
 */
struct json_object *ioctl_raw_json(const char *name, unsigned long request,
				   const void *st, size_t len,
				   struct json_object *fields);
struct json_object *ioctl_json(const char *name, const struct tsm_layout *l,
			       const struct tsm_image *img,
			       enum tsm_req_kind kind, bool is_op);

/* Traces (trace.c): one JSON line per kernel interaction, written as it
 * happens. Takes ownership of @rec. Returns -errno if the file fails. */
int trace_record(struct tsmctl_ctx *ctx, const char *call,
		 struct json_object *rec);
void trace_close(struct tsmctl_ctx *ctx);
/* The "start" record, first in a run; a usage error in ctx->err if the
 * file cannot be written (0 without --trace). */
int trace_start(struct tsmctl_ctx *ctx);
/*
 * Write-ahead ioctl: with a trace open and @io given, the intent record
 * ("ioctl": @io, the struct as sent with user pointers zeroed, plus the
 * keys of @extra, e.g. "request"; both taken) is written before the call
 * and *@seq is its seq, for trace_result(); 0 without a trace. Returns
 * -errno, the ioctl not issued, when the intent cannot be written.
 */
int traced_ioctl(struct tsmctl_ctx *ctx, unsigned long request, void *st,
		 struct json_object *io, struct json_object *extra,
		 struct tsm_call *call, unsigned int *seq);
/* The result record of the ioctl whose intent had @seq (taken). */
int trace_result(struct tsmctl_ctx *ctx, unsigned int seq,
		 struct json_object *rec);
/* A tsm_nl_trace_fn (lib/nl.h) writing each message as a "netlink" line;
 * @ctx is the struct tsmctl_ctx. Pass it to tsm_nl_open() when tracing. */
void trace_netlink(void *ctx, const char *dir, const void *msg, size_t len);
/* An ioctl issued outside the TSM layouts (dump's probes): name, request,
 * struct bytes and their fields, outcome. */
void trace_ioctl_raw(struct tsmctl_ctx *ctx, unsigned int seq, const char *name,
		     unsigned long request, const void *st, size_t len,
		     struct json_object *fields, const struct tsm_call *call);

/* Execution shared by the commands and batch (exec.c, req_exec.c). */
/* The context selection and --trace checked: bad input, exit 2, before
 * any check of the kernel (exec_tsm_guard) and any call. */
int exec_check_sel(struct tsmctl_ctx *ctx);
int exec_open_dev(struct tsmctl_ctx *ctx);
/* The open alone, traced, without output: -errno with ctx->err filled. */
int exec_open_traced(struct tsmctl_ctx *ctx);
void exec_close_dev(struct tsmctl_ctx *ctx);
int exec_tsm_op(struct tsmctl_ctx *ctx, uint32_t type, uint32_t vdev);
/* The intent record could not be written (-errno @rc): nothing sent. */
int exec_trace_failed(struct tsmctl_ctx *ctx, int rc);
/* rc, errno and errno_name of one ioctl, for results and traces. */
void call_json_add(struct json_object *o, const struct tsm_call *c);
/*
 * tsm_explain(), with ENOTTY told from what tsmctl knows: a node that is
 * not iommufd (-d /dev/null), else the running kernel's BTF. @field gets
 * the flag at fault, or "" when no flag is (a kernel without the ioctls).
 */
void exec_explain(struct tsmctl_ctx *ctx, enum tsm_call_kind kind, int err,
		  uint32_t vdev, char *why, size_t len, char *field,
		  size_t flen);
/* ENOTTY of a TSM ioctl: the node is not iommufd, else what the running
 * kernel's BTF tells (tsm_explain_enotty()); @field as for exec_explain(). */
void exec_enotty(struct tsmctl_ctx *ctx, enum tsm_call_kind kind, char *why,
		 size_t len, char *field, size_t flen);
int exec_req(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	     const char *out_path);
/* The --trace record of a TSM_REQ issued with @img (pointers are zeroed
 * in it); no-op without a trace. */
void trace_req(struct tsmctl_ctx *ctx, unsigned int seq,
	       const struct tsm_request *r, struct tsm_image *img,
	       const struct tsm_call *call, long residue, const uint8_t *resp,
	       size_t got);
struct json_object *trace_req_extra(struct tsmctl_ctx *ctx,
				    const struct tsm_request *r);

/* One TSM_REQ as issued (req_issue.c). */
struct req_out {
	struct tsm_image img; /* as the kernel left it */
	struct tsm_call call;
	bool have_code;
	uint64_t code;
	long residue; /* 0 unless a valid non-negative return */
	size_t got; /* response bytes */
	bool invalid; /* not a valid completion: why says what */
	char why[160];
};
/* The request as JSON: fields, nonce bytes apart from the pointer. */
struct json_object *req_request_json(const struct tsm_profile *p,
				     const struct tsm_request *r);
uint8_t *req_resp_alloc(uint32_t len);
void req_resp_free(uint8_t *b, uint32_t len);
/* Issue @r into @resp (r->resp_len bytes), traced write-ahead: -ENOMEM, or
 * -errno when the intent record could not be written (nothing sent). */
int req_issue(struct tsmctl_ctx *ctx, const struct tsm_request *r,
	      uint8_t *resp, struct req_out *o);
/* The sizing request (object-info) of a read without --resp-len. */
void req_size_request(const struct tsm_request *r, struct tsm_request *q);
struct json_object *tsm_code_json(enum tsm_arch arch, enum tsm_cca_table table,
				  uint64_t code);
struct json_object *resp_decode_json(const struct tsm_request *r,
				     const uint8_t *b, size_t len);

/* ABI detection (detect_json.c). */
struct json_object *detect_json(struct tsmctl_ctx *ctx);
/* The BTF detection of this run (ctx->btf, TSMCTL_BTF or the kernel's),
 * read once; NULL when out of memory. */
const struct tsm_detect *tsmctl_detect(struct tsmctl_ctx *ctx);
/* What --abi auto resolves to here: the one profile the BTF matches,
 * else the fallback; @source "btf" or "fallback", @why in words. */
const struct tsm_profile *tsmctl_auto_profile(struct tsmctl_ctx *ctx,
					      const char **source, char *why,
					      size_t len, bool *no_tsm);
void tsmctl_resolve_auto(struct tsmctl_ctx *ctx);
/* Before a TSM ioctl: exit 5 when auto found no TSM types in the
 * kernel's BTF; for a state change also the contradiction refusal
 * (detect_guard). 0 to go on. */
int exec_tsm_guard(struct tsmctl_ctx *ctx, bool state_change);
int detect_guard(struct tsmctl_ctx *ctx);
/* dump's iommufd section and read-only probes (dump_probe.c). */
struct json_object *dump_iommufd(struct tsmctl_ctx *ctx, const uint32_t *vdev,
				 unsigned int nvdev, bool contradicted);

/*
 * dump --bundle (bundle.c). dump_bundle_open() checks and opens FILE
 * before anything is sent (empty path, the --trace file itself, or a file
 * that cannot be created: a usage error in ctx->err, nonzero returned);
 * an existing FILE is truncated only when the bundle is written.
 * dump_bundle() writes it to ctx->bundle_fd (opened by it when -1) and
 * closes that.
 */
int dump_bundle_open(struct tsmctl_ctx *ctx, const char *path, int *fd);
int dump_bundle(struct tsmctl_ctx *ctx, const char *path, bool redact);

/* Decoded evidence objects (evidence_json.c). */
/* @src (NULL: copy the bytes): hex as nodes into kept bytes (out_bytes.h) */
struct json_object *tdisp_report_json(const uint8_t *b, size_t len,
				      const struct out_bytes *src);
struct json_object *measurements_json(const uint8_t *b, size_t len,
				      size_t *nonce_off, bool *has_nonce,
				      const struct out_bytes *src);

/* Shared request-option helpers (req.c). */
int tsmctl_read_payload(struct tsmctl_ctx *ctx, const char *arg,
			struct tsm_envelope *env);
int tsmctl_opt_arch(struct tsmctl_ctx *ctx, const char *arg,
		    struct tsm_envelope *env);
int tsmctl_opt_cca_codes(struct tsmctl_ctx *ctx, const char *arg,
			 struct tsm_envelope *env);
int tsmctl_load_catalog(struct tsmctl_ctx *ctx, const char *path);
/* set-run's envelope as a SET_TDI_STATE request (set_run.c). */
int set_run_resolve(struct tsmctl_ctx *ctx, struct tsm_envelope *env,
		    bool flags, struct tsm_request *r);

/* Commands. */
int tsm_op_command(struct tsmctl_ctx *ctx, int argc, char **argv,
		   uint32_t type);
int cmd_bind(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_unbind(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_req(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_set_run(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_batch(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_dump(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_replay(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_help(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_metadata(struct tsmctl_ctx *ctx, int argc, char **argv);
int cmd_version(struct tsmctl_ctx *ctx);

extern const struct argp bind_argp;
extern const struct tsmctl_optmeta bind_meta[];
extern const struct argp req_argp;
extern const struct tsmctl_optmeta req_meta[];
extern const struct argp set_run_argp;
extern const struct tsmctl_optmeta set_run_meta[];
extern const struct argp batch_argp;
extern const struct argp replay_argp;
extern const struct argp dump_argp;
extern const struct tsmctl_optmeta dump_meta[];
extern const struct tsmctl_optmeta batch_meta[];

#endif
