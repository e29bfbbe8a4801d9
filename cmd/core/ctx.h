/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The context of one run (docs/architecture.md): the global options as
 * given, what was resolved from them (ABI profile, BTF detection,
 * catalogue), the iommufd context held open, the trace writer and the
 * output state. Main fills it and hands it to the command; nothing in
 * cmd/ keeps a file-static copy.
 */
#ifndef TSMCTL_CORE_CTX_H
#define TSMCTL_CORE_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "abi.h"
#include "catalog.h"
#include "dev.h"
#include "jsonw.h"
#include "trace.h"
#include "util.h"

#define TSMCTL_SCHEMA_VERSION 1
#ifndef TSMCTL_VERSION
#define TSMCTL_VERSION "0.1.0"
#endif

struct json_object;
struct out_bytes;
struct tsm_detect;
struct tsmctl_cmd;

struct tsmctl_ctx {
	/* main's command table, for the commands that list the others
	 * (help, __metadata): they read it here, not from main */
	const struct tsmctl_cmd *commands;
	size_t ncommands;
	const struct tsmctl_cmd *cmd;
	const char *cmd_name; /* for messages and documents; NULL before one */
	char **argv; /* the command line as given (the trace's start record) */
	int cmd_argi; /* index of the command in argv */
	char prog[48]; /* "tsmctl bind" for argp messages */

	/* global options */
	struct tsm_dev_sel sel;
	const char *abi_name;
	const char *abi_origin; /* "default", "--abi", "TSMCTL_ABI", ... */
	const char *abi_file;
	/* where a profile that could not be resolved came from ("option",
	 * "env", "file"): documents then say abi "unknown" */
	const char *abi_bad;
	const char *btf; /* dump --btf FILE: what detection reads */
	bool json;
	bool pretty;
	bool dry_run;
	int verbose;
	const char *trace_path;
	/* --sysfs DIR (or dump --sysfs): every sysfs read and write below
	 * DIR/sys; tsmctl_sysfs_root() adds TSMCTL_SYSFS */
	const char *sysfs;
	bool stop; /* --help/--usage/--version done */
	bool want_version;
	bool want_schema; /* --schema */
	bool in_command; /* parsing the command's options */

	/* resolved */
	struct tsm_profile profile;
	bool have_profile;
	/* why this profile (docs/cli-contract.md, "ABI profiles"): option,
	 * env, file, btf, fallback, trace; for btf and fallback what
	 * detection found */
	const char *abi_source;
	char abi_reason[200];
	/* auto fell back on a readable BTF without any TSM type: a command
	 * that needs a TSM ioctl refuses (exit 5), nothing sent */
	bool abi_no_tsm;
	/* replay: its TRACE, not --trace, names the profile under the
	 * fallback, and -v says the profile once the TRACE is read */
	bool abi_by_replay;
	struct tsm_detect *detect; /* BTF detection, read once */
	int detect_rc;
	struct tsm_catalog *catalog; /* loaded by req/set-run/batch */
	struct tsm_dev dev; /* opened on first use, then held */
	bool dev_open;
	bool detect_checked; /* BTF guard ran (once per process) */
	bool detect_refused; /* ... and refused: refuse every line */

	/* --trace / TSMCTL_TRACE, opened by the first record */
	struct tsm_trace_w trace;
	bool trace_started; /* the "start" record is written */
	bool trace_none; /* none asked for (looked once) */
	bool trace_err_said; /* trace.err reported (out_trace_error()) */

	/* dump --bundle FILE, opened before anything is sent; -1 if not */
	int bundle_fd;

	/* output */
	struct json_object *doc;
	struct tsm_strbuf jbuf; /* JSON rendering, reused */
	struct out_bytes *bytes; /* evidence shown as hex (out_bytes.h) */
	struct tsm_err err;
	int exit_code;
	bool error_emitted;
	bool quiet_text; /* text mode: print nothing on success */
};

/* A context before any option: nothing selected, nothing open. */
void tsmctl_ctx_init(struct tsmctl_ctx *ctx);
/* Everything the context holds, released (the trace closed). */
void tsmctl_ctx_free(struct tsmctl_ctx *ctx);

#endif
