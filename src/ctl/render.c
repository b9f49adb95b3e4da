/*
 * render.c - `marqueectl render TEMPLATE_FILE [--partials DIR]`: the
 * designers' preview.  Reads a JSON value (object, array, string, number...)
 * from standard input, renders the template with it and writes the result to
 * standard output byte for byte.  Partials and parents come from
 * DIR/NAME.mustache; the template itself is registered under its own file
 * name (without .mustache), replacing a partial of the same name.
 * Needs no configuration and no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "ctl.h"
#include "tmpl.h"
#include "tval.h"
#include "util.h"

static int
usage(void)
{
	fputs("usage: marqueectl render TEMPLATE_FILE [--partials DIR] < context.json\n", stderr);
	return 2;
}

int
ctl_render(int argc, char **argv)
{
	const char *file = NULL, *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--partials") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] == '-' || file != NULL)
			return usage();
		else
			file = argv[i];
	}
	if (file == NULL)
		return usage();

	char err[1024];
	struct tmpl_set *s = dir ? tmpl_set_load_dir(dir, err, sizeof err) : tmpl_set_new();
	if (s == NULL) {
		fprintf(stderr, "marqueectl render: %s\n", err);
		return 1;
	}
	const char *base = strrchr(file, '/');
	char *name = xstrdup(base ? base + 1 : file);
	size_t n = strlen(name);
	if (n > 9 && strcmp(name + n - 9, ".mustache") == 0)
		name[n - 9] = '\0';

	int rc = 1;
	json_t *ctx = NULL;
	struct arena *a = arena_new();
	struct buf out = BUF_INIT;
	json_error_t je;
	if (tmpl_set_add_file(s, name, file, err, sizeof err) != 0) {
		fprintf(stderr, "marqueectl render: %s\n", err);
	} else if ((ctx = json_loadf(stdin, JSON_DECODE_ANY, &je)) == NULL) {
		fprintf(stderr, "marqueectl render: <stdin>:%d:%d: bad JSON context: %s\n",
		        je.line, je.column, je.text);
	} else if (tmpl_render(s, name, tv_from_json(a, ctx), &out) != 0) {
		fprintf(stderr, "marqueectl render: %s: render stopped at a limit "
		        "(%d steps or %u bytes of output)\n", file, TMPL_MAX_STEPS, TMPL_MAX_OUTPUT);
	} else if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len
	           || fflush(stdout) != 0) {
		perror("marqueectl render: stdout");
	} else {
		rc = 0;
	}
	buf_free(&out);
	arena_free(a);
	json_decref(ctx);
	free(name);
	tmpl_set_free(s);
	return rc;
}
