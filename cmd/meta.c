// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl __metadata: the command and option tree, read from the command
 * table and the argp option arrays (plain data), as one JSON document.
 * Man-page and completion drift checks and the completion generator read
 * it, so there is one source for what the binary accepts.
 */
#include <string.h>

#include <json-c/json.h>

#include "tsmctl.h"

#define TSMCTL_METADATA_SCHEMA 1

static const struct tsmctl_optmeta *find_meta(const struct tsmctl_optmeta *m,
					      const char *name)
{
	for (; m && m->long_name; m++)
		if (!strcmp(m->long_name, name))
			return m;
	return NULL;
}

static void add_options(struct json_object *arr, const struct argp_option *o,
			const struct tsmctl_optmeta *meta)
{
	for (; o && (o->name || o->key || o->doc); o++) {
		struct json_object *j;
		const struct tsmctl_optmeta *m;
		char sh[3] = "";

		if (!o->name || (o->flags & OPTION_HIDDEN))
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
		m = find_meta(meta, o->name);
		if (m && m->values) {
			struct json_object *vals = json_object_new_array();
			char buf[256], *tok, *save = NULL;

			snprintf(buf, sizeof(buf), "%s", m->values);
			for (tok = strtok_r(buf, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save))
				json_object_array_add(
					vals, json_object_new_string(tok));
			json_add(j, "values", vals);
		}
		if (m && m->complete && m->complete[0])
			json_add(j, "complete",
				 json_object_new_string(m->complete));
		json_object_array_add(arr, j);
	}
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
	add_options(globals, tsmctl_global_options, tsmctl_global_meta);
	json_add(doc, "global_options", globals);
	for (i = 0; i < tsmctl_ncommands; i++) {
		const struct tsmctl_cmd *c = &tsmctl_commands[i];
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
		if (c->argp)
			add_options(opts, c->argp->options, c->meta);
		json_add(j, "options", opts);
		json_object_array_add(cmds, j);
	}
	json_add(doc, "commands", cmds);
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
