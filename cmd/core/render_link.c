// SPDX-License-Identifier: GPL-2.0
/*
 * A TSM_OC_SYSFS outcome as document members (exec_link.h): the step,
 * the device and TSM, the writes planned and made, the state before and
 * after (tsmctl(8), JSON OUTPUT; tests/schema/link.json).
 */
#include "exec_link.h"
#include "link_emit.h"

static void emit_writes(struct tsm_emit *em, const struct tsm_link_run *r)
{
	char ename[16];

	tsm_emit_arr(em, "writes");
	for (unsigned int i = 0; i < r->plan.nw; i++) {
		const struct tsm_link_outcome *o = &r->res[i];

		tsm_emit_obj(em, NULL);
		tsm_link_emit_write(em, &r->plan.w[i]);
		if (i < r->nres) {
			tsm_emit_i64(em, "errno", o->err);
			tsm_emit_str(em, "errno_name",
				     tsm_errno_name(o->err, ename,
						    sizeof(ename)));
			tsm_emit_str(em, "completion",
				     tsm_completion_name(o->completion));
			tsm_emit_bool(em, "changed", o->changed);
			tsm_emit_u64(em, "duration_us", r->duration_us[i]);
		}
		tsm_emit_end(em);
	}
	tsm_emit_end(em);
}

void render_link(struct tsm_emit *em, const struct tsm_outcome *oc)
{
	const struct tsm_link_run *r = oc->link;
	const struct tsm_link_plan *p = &r->plan;

	if (!r->planned)
		return;
	tsm_emit_bool(em, "dry_run", oc->dry_run);
	tsm_emit_obj(em, "result");
	tsm_emit_str(em, "step", tsm_link_op_name(p->op));
	tsm_emit_str(em, "bdf", p->bdf);
	if (p->tsm[0]) {
		tsm_emit_str(em, "tsm", p->tsm);
		tsm_emit_str(em, "tsm_source", p->tsm_source);
	}
	tsm_emit_str(em, "sysfs_root", p->root[0] ? p->root : "/");
	if (p->nothing_to_do)
		tsm_emit_str(em, "nothing_to_do", p->note);
	if (p->driver[0])
		tsm_emit_str(em, "driver_unbound", p->driver);
	emit_writes(em, r);
	tsm_link_emit_state(em, "before", &r->before);
	if (r->have_after)
		tsm_link_emit_state(em, "after", &r->after);
	if (!oc->dry_run)
		tsm_emit_str(em, "completion",
			     tsm_completion_name(oc->rep.has_completion ?
							 oc->rep.completion :
							 oc->completion));
	tsm_emit_end(em);
}
