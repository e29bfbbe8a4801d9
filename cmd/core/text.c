// SPDX-License-Identifier: GPL-2.0
/*
 * The text renderer (out.h): a document part as aligned "key: value"
 * lines, lists YAML style, evidence hex shortened (out_bytes.h). The
 * same tree is what JSON mode writes, so both show the same fields.
 */
#include <string.h>

#include "out.h"
#include "out_bytes.h"
#include "utf8.h"

static bool is_scalar(struct json_object *v)
{
	return !json_object_is_type(v, json_type_object) &&
	       !json_object_is_type(v, json_type_array);
}

/*
 * A scalar as text. In a "fields" object (struct and payload fields:
 * addresses, lengths, pointers) a number from 0x10000 up is followed by
 * its hex, as an operator reads addresses; JSON keeps plain integers.
 */
static void text_scalar(FILE *f, struct json_object *v, bool hex)
{
	if (out_hex_of(v)) {
		out_hex_text(f, v);
	} else if (json_object_is_type(v, json_type_string)) {
		size_t n = (size_t)json_object_get_string_len(v);
		char *p = malloc(4 * n + 1);

		/* device and user strings: no raw control or invalid bytes */
		if (p)
			tsm_utf8_printable(json_object_get_string(v), n, p,
					   4 * n + 1);
		fputs(p ? p : "", f);
		free(p);
	} else
		fputs(json_object_to_json_string(v), f);
	if (hex && json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0x10000)
		fprintf(f, " (0x%llx)",
			(unsigned long long)json_object_get_uint64(v));
}

static bool empty_string(struct json_object *v)
{
	/* a hex node of no bytes too: "hex:" without a trailing blank */
	return json_object_is_type(v, json_type_string) &&
	       !json_object_get_string_len(v) &&
	       (!out_hex_of(v) || out_hex_empty(v));
}

/*
 * Lines of a text rendering. A list item that is an object or a list is
 * YAML style: its first line follows the "- ", the rest below it; @lead
 * is set while that first line is still to come.
 */
struct text_out {
	FILE *f;
	bool lead; /* a "- " is due at column lead_at */
	int lead_at;
	int col; /* columns already written on this line */
};

/* The start of a line at @indent, after the "- " that is due. */
static void pad(struct text_out *t, int indent)
{
	if (t->lead) {
		fprintf(t->f, "%*s- ", t->lead_at - t->col, "");
		t->col = t->lead_at + 2;
		t->lead = false;
	}
	fprintf(t->f, "%*s", indent - t->col, "");
	t->col = 0; /* the next call starts a new line */
}

static void text_tree(struct text_out *t, struct json_object *o, int indent,
		      bool hex);

static void text_item(struct text_out *t, struct json_object *v, int indent)
{
	if (t->lead) { /* the first item of an item: both dashes on a line */
		fprintf(t->f, "%*s- ", t->lead_at - t->col, "");
		t->col = t->lead_at + 2;
	}
	t->lead = true;
	t->lead_at = indent;
	text_tree(t, v, indent + 2, false);
	if (t->lead) { /* nothing in it */
		fprintf(t->f, "%*s-\n", indent - t->col, "");
		t->lead = false;
		t->col = 0;
	}
}

void out_text_tree(FILE *f, struct json_object *o, int indent)
{
	struct text_out t = { f, false, 0, 0 };

	text_tree(&t, o, indent, false);
}

static void text_array(struct text_out *t, struct json_object *o, int indent)
{
	size_t i, n = json_object_array_length(o);

	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(o, i);

		if (!is_scalar(v)) {
			text_item(t, v, indent);
			continue;
		}
		pad(t, indent);
		fprintf(t->f, "-%s", empty_string(v) ? "" : " ");
		text_scalar(t->f, v, false);
		fputc('\n', t->f);
	}
}

static void text_tree(struct text_out *t, struct json_object *o, int indent,
		      bool hex)
{
	FILE *f = t->f;
	int width = 0;

	if (json_object_is_type(o, json_type_array))
		return text_array(t, o, indent);
	json_object_object_foreach(o, k0, v0) {
		(void)v0;
		if ((int)strlen(k0) > width)
			width = (int)strlen(k0);
	}
	json_object_object_foreach(o, k, v) {
		pad(t, indent);
		if (is_scalar(v) && empty_string(v)) {
			fprintf(f, "%s:\n", k);
		} else if (is_scalar(v)) {
			fprintf(f, "%s:%*s ", k, width - (int)strlen(k), "");
			text_scalar(f, v, hex);
			fputc('\n', f);
		} else if (json_object_is_type(v, json_type_array) &&
			   json_object_array_length(v) == 0) {
			fprintf(f, "%s:%*s (none)\n", k, width - (int)strlen(k),
				"");
		} else {
			fprintf(f, "%s:\n", k);
			text_tree(t, v, indent + 2, !strcmp(k, "fields"));
		}
	}
}
