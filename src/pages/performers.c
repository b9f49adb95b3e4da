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

/*
 * "A" for "a", "#" for "0".  The callers give label arena memory: template
 * values borrow their strings (tval.h), so a local buffer would not do.
 */
static void
letter_label(const char *letter, char label[2])
{
	label[0] = letter[0] == '0' ? '#' : (char)(letter[0] - 'a' + 'A');
	label[1] = '\0';
}

static struct tval *
letter_index(struct arena *a, const char *current)
{
	struct tval *list = tv_list(a);
	for (size_t i = 0; letters[i]; i++) {
		char *label = arena_alloc(a, 2);
		letter_label(letters[i], label);
		struct tval *o = tv_obj(a);
		tv_set_str(o, "letter", letters[i]);
		tv_set_str(o, "label", label);
		tv_set_str(o, "name", letters[i][0] == '0' ? "names starting with other characters" : label);
		tv_set_bool(o, "current", current && strcmp(current, letters[i]) == 0);
		tv_push(list, o);
	}
	return list;
}

static struct tval *
performer_card(struct arena *a, PGresult *r, int i)
{
	const char *photo = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4);
	struct tval *o = tv_obj(a);
	tv_set_str(o, "name", PQgetvalue(r, i, 2));
	tv_set_str(o, "slug", PQgetvalue(r, i, 3));
	tv_set_str(o, "photo", cat_src_or_null(photo));   /* null when missing or unsafe */
	tv_set_int(o, "video_count", strtoll(PQgetvalue(r, i, 5), NULL, 10));
	return o;
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

	struct arena *a = req->arena;
	struct tval *top = tv_list(a), *list = tv_list(a);
	long total = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		if (PQgetvalue(r, i, 0)[0] == 't') {
			struct tval *c = performer_card(a, r, i);
			tv_set_int(c, "rank", strtoll(PQgetvalue(r, i, 1), NULL, 10));
			tv_push(top, c);
		} else {
			total = strtol(PQgetvalue(r, i, 1), NULL, 10);
			tv_push(list, performer_card(a, r, i));
		}
	}
	long npages = (total + PERFORMERS_PER_PAGE - 1) / PERFORMERS_PER_PAGE;
	if (letter && page > 1 && page > npages)
		return 404;

	/* has_top and has_performers are always set, false too (not tv_set_list's has_KEY). */
	struct tval *ctx = tv_obj(a);
	tv_set_bool(ctx, "has_top", tv_len(top) > 0);
	tv_set_bool(ctx, "has_performers", tv_len(list) > 0);
	tv_set(ctx, "top", top);
	tv_set(ctx, "performers", list);
	tv_set(ctx, "letters", letter_index(a, letter));
	tv_set_int(ctx, "total", total);
	if (letter) {
		char *label = arena_alloc(a, 2);
		letter_label(letter, label);
		struct tval *l = tv_obj(a);
		tv_set_str(l, "value", letter);
		tv_set_str(l, "label", label);
		tv_set(ctx, "letter", l);
		const char *first = arena_printf(a, "/performers?letter=%s", letter);
		const char *prefix = arena_printf(a, "/performers?letter=%s&page=", letter);
		if (npages > 0)
			tv_set(ctx, "pager", pager_values(a, first, prefix, page, npages));
		if (page > 1)
			tv_set_str(ctx, "page_suffix", arena_printf(a, ", page %ld", page));
		/* The layout's canonical link is site.base_url + self (the query is part of the state). */
		tv_set_str(ctx, "self", page > 1 ? arena_printf(a, "%s%ld", prefix, page) : first);
		cat_page_ld(ctx, app, a, "CollectionPage", arena_printf(a,
		    "Performers: %s%s", label, page > 1 ? arena_printf(a, ", page %ld", page) : ""),
		    page > 1 ? arena_printf(a, "%s%ld", prefix, page) : first, NULL);
	} else {
		cat_page_ld(ctx, app, a, "CollectionPage", "Performers", "/performers", NULL);
	}
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	if (resp_render(app, req, resp, "performers", ctx) != 0)
		return 500;
	return 0;
}
