/*
 * performers.c - GET /performers: the top performers (the top_performers
 * materialized view, 004) and A-Z browsing (?letter=a..z, 0 for names not
 * starting with a Latin letter) in name order, PERFORMERS_PER_PAGE a page.
 *
 * One statement (DB_PERFORMERS_BROWSE) per request.  Without a letter the
 * page shows the top performers and the letter index; with one, that
 * letter's page.  Soft-deleted performers never show (the view is a
 * snapshot, so the statement re-checks performers.deleted_at).  A page past
 * the letter's last is 404.  Not here: the performer page itself.
 */
#include "pages/pages.h"

#include "app.h"
#include "arena.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/pager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A multiple of the grid's 2, 3, 4 and 6 columns. */
#define PERFORMERS_PER_PAGE 48

/* The letter buckets, as in performer_initial() (migration 010); "0" is shown as '#'. */
static const char *const letters[] = {PERFORMERS_LETTERS, NULL};

/* "A" for "a", "#" for "0". */
static void
letter_label(const char *letter, char label[2])
{
	label[0] = letter[0] == '0' ? '#' : (char)(letter[0] - 'a' + 'A');
	label[1] = '\0';
}

static json_t *
letter_index(const char *current)
{
	json_t *arr = json_array();
	for (size_t i = 0; letters[i]; i++) {
		char label[2];
		letter_label(letters[i], label);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}",
		    "letter", letters[i], "label", label,
		    "name", letters[i][0] == '0' ? "names starting with other characters" : label,
		    "current", current && strcmp(current, letters[i]) == 0));
	}
	return arr;
}

static json_t *
performer_card(PGresult *r, int i)
{
	const char *photo = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4);
	return json_pack("{s:s, s:s, s:s?, s:I}",
	    "name", PQgetvalue(r, i, 2), "slug", PQgetvalue(r, i, 3),
	    "photo", cat_src_or_null(photo),
	    "video_count", (json_int_t)strtoll(PQgetvalue(r, i, 5), NULL, 10));
}

int
page_performers(struct app *app, struct request *req, struct response *resp)
{
	const char *letter = req_str(req, PERFORMERS_LETTER);
	long page = (long)req_num(req, PERFORMERS_PAGE, 1);
	if (letter == NULL && page != 1)
		return 404;   /* only a letter's list has pages */

	char limit[24], offset[24];
	snprintf(limit, sizeof limit, "%d", PERFORMERS_PER_PAGE);
	snprintf(offset, sizeof offset, "%ld", (page - 1) * PERFORMERS_PER_PAGE);
	const char *params[3] = {letter, limit, offset};
	PGresult *r = db_exec(app->db, req->arena, DB_PERFORMERS_BROWSE, 3, params);
	if (r == NULL)
		return db_last_unavailable(app->db) ? 503 : 500;

	json_t *top = json_array(), *list = json_array();
	long total = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		if (PQgetvalue(r, i, 0)[0] == 't') {
			json_t *c = performer_card(r, i);
			json_object_set_new_nocheck(c, "rank", json_integer(strtoll(PQgetvalue(r, i, 1), NULL, 10)));
			json_array_append_new(top, c);
		} else {
			total = strtol(PQgetvalue(r, i, 1), NULL, 10);
			json_array_append_new(list, performer_card(r, i));
		}
	}
	long npages = (total + PERFORMERS_PER_PAGE - 1) / PERFORMERS_PER_PAGE;
	if (letter && page > 1 && page > npages) {
		json_decref(top);
		json_decref(list);
		return 404;
	}

	json_t *ctx = json_pack("{s:b, s:b, s:o, s:o, s:o, s:I}",
	    "has_top", json_array_size(top) > 0, "has_performers", json_array_size(list) > 0,
	    "top", top, "performers", list, "letters", letter_index(letter), "total", (json_int_t)total);
	if (letter) {
		char label[2];
		letter_label(letter, label);
		json_object_set_new_nocheck(ctx, "letter", json_pack("{s:s, s:s}", "value", letter, "label", label));
		const char *first = arena_printf(req->arena, "/performers?letter=%s", letter);
		const char *prefix = arena_printf(req->arena, "/performers?letter=%s&page=", letter);
		if (npages > 0)
			json_object_set_new_nocheck(ctx, "pager", pager_json(first, prefix, page, npages));
		if (page > 1)
			json_object_set_new_nocheck(ctx, "page_suffix", json_sprintf(", page %ld", page));
		/* The layout's canonical link is site.base_url + self (the query is part of the state). */
		json_object_set_new_nocheck(ctx, "self", page > 1 ? json_sprintf("%s%ld", prefix, page) : json_string_nocheck(first));
		cat_page_ld(ctx, app, req->arena, "CollectionPage", arena_printf(req->arena,
		    "Performers: %s%s", label, page > 1 ? arena_printf(req->arena, ", page %ld", page) : ""),
		    page > 1 ? arena_printf(req->arena, "%s%ld", prefix, page) : first, NULL);
	} else {
		cat_page_ld(ctx, app, req->arena, "CollectionPage", "Performers", "/performers", NULL);
	}
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	if (resp_render(app, req, resp, "performers", ctx) != 0)
		return 500;
	return 0;
}
