/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this build speaks and what --abi auto resolves to here: the
 * result of `tsmctl --version`, also written into dump --bundle.
 */
#ifndef TSMCTL_CORE_ABOUT_H
#define TSMCTL_CORE_ABOUT_H

#include "ctx.h"
#include "emit.h"

/* The "result" member (version, schema, profiles, auto). */
void about_emit(struct tsm_emit *em, struct tsmctl_ctx *ctx);
/* The same as text on stdout. */
void about_text(struct tsmctl_ctx *ctx);

/*
 * `tsmctl --schema`: one JSON Schema (draft 2020-12) for every document
 * tsmctl writes, generated at build time from tests/schema by
 * tests/tools/bundle-schema.py (build/gen/schema_json.c).
 */
extern const char tsmctl_schema_json[];

#endif
