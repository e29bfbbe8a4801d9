// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl __metadata: the command and option tree, read from the command
 * table and each command's option table (core/opt.h), accepted values
 * from lib's tables, as one JSON document.
 * Man-page and completion drift checks and the completion generator read
 * it, so there is one source for what the binary accepts.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "builtin.h"
#include "catalog.h"
#include "core/out.h"
#include "tsmcode.h"

#define TSMCTL_METADATA_SCHEMA 1

static void add_values(struct json_object *j, const struct tsmctl_opt *o)
{
	const char *v[TSMCTL_VALUES_MAX];
	struct json_object *vals;
	size_t i, n;

	if (!o->values)
		return;
	n = o->values(v, ARRAY_SIZE(v), NULL, TSM_ARCH_NONE);
	vals = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(vals, json_object_new_string(v[i]));
	json_add(j, "values", vals);
}

static void add_options(struct json_object *arr, const struct tsmctl_opt *o)
{
	for (; o && o->name; o++) {
		struct json_object *j;
		char sh[3] = "";

		if (o->flags & OPTION_HIDDEN)
			continue;
		j = json_object_new_object();
		json_add(j, "long", json_object_new_string(o->name));
		if (o->key > 0 && o->key < 128 && o->key != '?') {
			sh[0] = '-';
			sh[1] = (char)o->key;
			json_add(j, "short", json_object_new_string(sh));
		}
		if (o->arg)
			json_add(j, "arg", json_object_new_string(o->arg));
		json_add(j, "doc",
			 json_object_new_string(o->doc ? o->doc : ""));
		add_values(j, o);
		if (o->complete)
			json_add(j, "complete",
				 json_object_new_string(o->complete));
		json_object_array_add(arr, j);
	}
}

/* The settable fields of @e, with their value names */
static struct json_object *op_fields(const struct tsm_cat_entry *e)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i, k;

	for (i = 0; i < e->nfields; i++) {
		const struct tsm_cat_field *f = &e->fields[i];
		struct json_object *j, *vals;

		if (f->fixed)
			continue;
		j = json_object_new_object();
		json_add(j, "name", json_object_new_string(f->name));
		if (f->nvalues) {
			vals = json_object_new_array();
			for (k = 0; k < f->nvalues; k++)
				json_object_array_add(
					vals, json_object_new_string(
						      f->values[k].name));
			json_add(j, "values", vals);
		}
		json_object_array_add(arr, j);
	}
	return arr;
}

/*
 * The compiled-in catalogue for context completion: each op with its arch
 * ("any" for every arch), the profiles that can send it, its fields.
 */
static struct json_object *ops_json(void)
{
	struct tsm_catalog *c = malloc(sizeof(*c));
	struct json_object *arr = json_object_new_array();
	unsigned int i;
	size_t k;

	if (!c)
		return arr;
	tsm_catalog_init(c);
	for (i = 0; i < c->n; i++) {
		const struct tsm_cat_entry *e = &c->e[i];
		struct json_object *j = json_object_new_object();
		struct json_object *profs = json_object_new_array();

		json_add(j, "name", json_object_new_string(e->name));
		json_add(
			j, "arch",
			json_object_new_string(e->arch == TSM_ARCH_NONE ?
						       "any" :
						       tsm_arch_name(e->arch)));
		for (k = 0; k < tsm_profile_count(); k++)
			if (tsm_cat_in_profile(e, tsm_profile_at(k)))
				json_object_array_add(
					profs,
					json_object_new_string(
						tsm_profile_at(k)->name));
		json_add(j, "profiles", profs);
		json_add(j, "fields", op_fields(e));
		json_object_array_add(arr, j);
	}
	free(c);
	return arr;
}

int cmd_metadata(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *globals = json_object_new_array();
	struct json_object *cmds = json_object_new_array();
	size_t i;

	(void)argc;
	(void)argv;
	json_add(doc, "schema_version",
		 json_object_new_int(TSMCTL_METADATA_SCHEMA));
	json_add(doc, "program", json_object_new_string("tsmctl"));
	json_add(doc, "version", json_object_new_string(TSMCTL_VERSION));
	add_options(globals, tsmctl_global_opts);
	json_add(doc, "global_options", globals);
	for (i = 0; i < ctx->ncommands; i++) {
		const struct tsmctl_cmd *c = &ctx->commands[i];
		struct json_object *j = json_object_new_object();
		struct json_object *opts = json_object_new_array();

		json_add(j, "name", json_object_new_string(c->name));
		json_add(j, "summary", json_object_new_string(c->summary));
		/* kept for metadata schema 1: every command in the table runs */
		json_add(j, "available", json_object_new_boolean(1));
		json_add(j, "hidden",
			 json_object_new_boolean(!!(c->flags & CMD_HIDDEN)));
		json_add(j, "mutates",
			 json_object_new_boolean(!!(c->flags & CMD_MUTATES)));
		if (c->flags & CMD_ARG_COMMAND)
			json_add(j, "args", json_object_new_string("command"));
		else if (c->flags & CMD_ARG_FILE)
			json_add(j, "args", json_object_new_string("file"));
		if (c->spec)
			add_options(opts, c->spec->opts);
		json_add(j, "options", opts);
		json_object_array_add(cmds, j);
	}
	json_add(doc, "commands", cmds);
	json_add(doc, "ops", ops_json());
	fputs(json_object_to_json_string_ext(
		      doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				   JSON_C_TO_STRING_NOSLASHESCAPE),
	      stdout);
	fputc('\n', stdout);
	json_object_put(doc);
	ctx->json = false;
	ctx->quiet_text = true;
	return 0;
}
