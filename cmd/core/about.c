// SPDX-License-Identifier: GPL-2.0
/*
 * The version document (about.h): tool and schema versions, the default
 * profile and what it resolves to on this machine, every compiled-in
 * profile with its request numbers.
 */
#include <stdio.h>

#include "about.h"
#include "profile.h"

static void profile_emit(struct tsm_emit *em, const struct tsm_profile *p)
{
	tsm_emit_obj(em, NULL);
	tsm_emit_str(em, "name", p->name);
	tsm_emit_i64(em, "tsm_op_nr", (int)p->op.nr);
	tsm_emit_i64(em, "tsm_req_nr", (int)p->req.nr);
	tsm_emit_i64(em, "tsm_req_size", (int)p->req.size);
	tsm_emit_str(em, "tsm_req_kind",
		     p->req_kind == TSM_REQ_SCOPE ? "scope" : "op");
	tsm_emit_str(em, "source", p->source);
	tsm_emit_end(em);
}

/* What --abi auto resolves to here */
struct about {
	const struct tsm_profile *ap;
	const char *src;
	char why[200];
	bool no_tsm;
};

static void about_auto(struct tsmctl_ctx *ctx, struct about *a)
{
	a->ap = tsmctl_auto_profile(ctx, &a->src, a->why, sizeof(a->why),
				    &a->no_tsm);
}

void about_emit(struct tsm_emit *em, struct tsmctl_ctx *ctx)
{
	struct about a;
	size_t i;

	about_auto(ctx, &a);
	tsm_emit_obj(em, "result");
	tsm_emit_str(em, "version", TSMCTL_VERSION);
	tsm_emit_i64(em, "schema_version", TSMCTL_SCHEMA_VERSION);
	tsm_emit_str(em, "default_abi", TSM_AUTO_PROFILE);
	tsm_emit_obj(em, "auto");
	tsm_emit_str(em, "profile", a.ap->name);
	tsm_emit_str(em, "source", a.src);
	tsm_emit_str(em, "reason", a.why);
	tsm_emit_bool(em, "btf_without_tsm_types", a.no_tsm);
	tsm_emit_end(em);
	tsm_emit_arr(em, "profiles");
	for (i = 0; i < tsm_profile_count(); i++)
		profile_emit(em, tsm_profile_at(i));
	tsm_emit_end(em);
	tsm_emit_end(em);
}

void about_text(struct tsmctl_ctx *ctx)
{
	struct about a;
	size_t i;

	about_auto(ctx, &a);
	printf("tsmctl %s\nschema_version: %d\ndefault_abi: %s (here: %s, %s: %s)\nprofiles:",
	       TSMCTL_VERSION, TSMCTL_SCHEMA_VERSION, TSM_AUTO_PROFILE,
	       a.ap->name, a.src, a.why);
	for (i = 0; i < tsm_profile_count(); i++)
		printf(" %s", tsm_profile_at(i)->name);
	putchar('\n');
}
