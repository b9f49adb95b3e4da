/*
 * test_tmpl_spec.c - the official mustache spec, run as data.
 *
 * Reads every case of the spec's JSON files (from $MARQUEE_SHARED/mustache-spec,
 * else the source tree's ../shared/mustache-spec), compiles its template and
 * partials into a fresh tmpl_set, renders its data and compares the output
 * byte for byte: one "PASS: spec/MODULE/NAME" or "FAIL: ..." line per case,
 * then a count per module.  ~lambdas cases are reported as SKIP: data is
 * JSON, there are no lambdas.  Exit 77 when the spec is not there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"

#ifndef MARQUEE_TOP_SRCDIR
#define MARQUEE_TOP_SRCDIR "."
#endif

static const char *const modules[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials", "sections",
	"~inheritance", "~dynamic-names", "~lambdas",
};

/* The main template's name: no tag can name "" ({{>}} is a syntax error). */
static const char main_name[] = "";

/* "why" for a FAIL line: the two strings JSON-quoted so control characters show. */
static void
print_fail(const char *mod, const char *name, const char *why, const char *got, size_t gotlen,
           const char *want)
{
	json_t *g = json_stringn(got ? got : "", gotlen), *w = json_string(want);
	char *gs = json_dumps(g, JSON_ENCODE_ANY), *ws = json_dumps(w, JSON_ENCODE_ANY);
	printf("FAIL: spec/%s/%s (%s: got %s, want %s)\n", mod, name, why, gs ? gs : "?",
	       ws ? ws : "?");
	free(gs);
	free(ws);
	json_decref(g);
	json_decref(w);
}

/* Run one case.  Returns 1 if it passed. */
static int
run_case(const char *mod, json_t *tc, struct buf *out)
{
	const char *name = json_string_value(json_object_get(tc, "name"));
	json_t *tmpl = json_object_get(tc, "template");
	const char *want = json_string_value(json_object_get(tc, "expected"));
	if (name == NULL || !json_is_string(tmpl) || want == NULL) {
		printf("FAIL: spec/%s/? (malformed case)\n", mod);
		return 0;
	}
	char err[512] = "";
	struct tmpl_set *s = tmpl_set_new();
	const char *key;
	json_t *val;
	json_object_foreach(json_object_get(tc, "partials"), key, val) {
		if (tmpl_set_add(s, key, json_string_value(val), json_string_length(val), key,
		                 err, sizeof err) != 0) {
			print_fail(mod, name, err, "", 0, want);
			tmpl_set_free(s);
			return 0;
		}
	}
	int ok = 0;
	if (tmpl_set_add(s, main_name, json_string_value(tmpl), json_string_length(tmpl),
	                 "template", err, sizeof err) != 0) {
		print_fail(mod, name, err, "", 0, want);
	} else {
		buf_reset(out);
		struct arena *a = arena_new();
		tmpl_render(s, main_name, tv_from_json(a, json_object_get(tc, "data")), out);
		arena_free(a);
		ok = out->len == strlen(want) && memcmp(out->data ? out->data : "", want, out->len) == 0;
		if (ok)
			printf("PASS: spec/%s/%s\n", mod, name);
		else
			print_fail(mod, name, "output differs", out->data, out->len, want);
	}
	tmpl_set_free(s);
	return ok;
}

int
main(void)
{
	const char *shared = getenv("MARQUEE_SHARED");
	char dir[4096];
	if (shared && *shared)
		snprintf(dir, sizeof dir, "%s/mustache-spec", shared);
	else
		snprintf(dir, sizeof dir, "%s/../shared/mustache-spec", MARQUEE_TOP_SRCDIR);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP: spec (mustache spec not found at %s)\n", dir);
		return 77;
	}

	struct buf out = BUF_INIT;
	int failed = 0, total_pass = 0, total = 0;
	char summary[sizeof modules / sizeof modules[0]][128];
	for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++) {
		const char *mod = modules[m];
		int lambdas = strcmp(mod, "~lambdas") == 0;
		char path[4200];
		snprintf(path, sizeof path, "%s/%s.json", dir, mod);
		json_error_t je;
		json_t *doc = json_load_file(path, 0, &je);
		json_t *tests = json_object_get(doc, "tests");
		if (!json_is_array(tests)) {
			printf("FAIL: spec/%s (cannot read %s: %s)\n", mod, path, je.text);
			snprintf(summary[m], sizeof summary[m], "%s: unreadable", mod);
			json_decref(doc);
			failed++;
			continue;
		}
		int pass = 0, n = 0;
		size_t i;
		json_t *tc;
		json_array_foreach(tests, i, tc) {
			if (lambdas) {
				printf("SKIP: spec/%s/%s (lambdas are not supported: data is JSON)\n", mod,
				       json_string_value(json_object_get(tc, "name")));
				continue;
			}
			n++;
			pass += run_case(mod, tc, &out);
		}
		if (lambdas)
			snprintf(summary[m], sizeof summary[m], "%s: %zu skipped", mod,
			         json_array_size(tests));
		else
			snprintf(summary[m], sizeof summary[m], "%s: %d/%d passed", mod, pass, n);
		failed += n - pass;
		total_pass += pass;
		total += n;
		json_decref(doc);
	}
	for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
		printf("# spec %s\n", summary[m]);
	printf("# spec total: %d/%d passed\n", total_pass, total);
	/* The required modules (136) plus ~inheritance (27) and ~dynamic-names (21). */
	if (total < 184) {
		printf("FAIL: spec: %d cases read, at least 184 expected (a module file is missing or cut)\n",
		       total);
		failed++;
	}
	buf_free(&out);
	return failed ? 1 : 0;
}
