// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs steps around bind as JSON members (lib/link_emit.h).
 */
#include "link_emit.h"

static void emit_attrs(struct tsm_emit *em, const struct tsm_link_state *s)
{
	tsm_emit_obj(em, "attributes");
	for (unsigned int a = 0; a < TSM_LA_COUNT; a++)
		if (s->attr[a].readable)
			tsm_emit_str_k(em, TSM_KEY(tsm_link_attr_name(a)),
				       s->attr[a].value);
	tsm_emit_end(em);
	tsm_emit_arr(em, "write_only");
	for (unsigned int a = 0; a < TSM_LA_COUNT; a++)
		if (s->attr[a].present && !s->attr[a].readable)
			tsm_emit_str_k(em, (struct tsm_key){ NULL, 0, false },
				       tsm_link_attr_name(a));
	tsm_emit_end(em);
}

static void emit_bridge(struct tsm_emit *em, const struct tsm_link_state *s)
{
	if (!s->bridge[0]) {
		tsm_emit_null(em, "host_bridge");
		return;
	}
	tsm_emit_obj(em, "host_bridge");
	tsm_emit_str(em, "name", s->bridge);
	if (s->avail_streams >= 0)
		tsm_emit_i64(em, "available_secure_streams", s->avail_streams);
	else
		tsm_emit_null(em, "available_secure_streams");
	tsm_emit_arr(em, "streams");
	for (unsigned int i = 0; i < s->nstreams; i++)
		tsm_emit_str_k(em, (struct tsm_key){ NULL, 0, false },
			       s->streams[i]);
	tsm_emit_end(em);
	if (s->class_link)
		tsm_emit_str(em, "tsm_link", s->class_link_tsm);
	else
		tsm_emit_null(em, "tsm_link");
	tsm_emit_end(em);
}

void tsm_link_emit_state(struct tsm_emit *em, const char *key,
			 const struct tsm_link_state *s)
{
	tsm_emit_obj(em, key);
	tsm_emit_str(em, "bdf", s->bdf);
	tsm_emit_bool(em, "exists", s->exists);
	tsm_emit_bool(em, "tsm", s->has_tsm);
	if (s->exists) {
		emit_attrs(em, s);
		if (s->driver[0])
			tsm_emit_str(em, "driver", s->driver);
		else
			tsm_emit_null(em, "driver");
		emit_bridge(em, s);
	}
	tsm_emit_end(em);
}

void tsm_link_emit_write(struct tsm_emit *em, const struct tsm_link_write *w)
{
	tsm_emit_str(em, "attr", w->attr);
	tsm_emit_str(em, "path", w->path);
	tsm_emit_str(em, "data", w->data);
}
