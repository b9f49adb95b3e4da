/*
 * search.c - GET /search?q=&page= (full-text search over videos and
 * performers) and GET /search/suggest?q= (the search box's autocomplete,
 * JSON).
 *
 * Each is one prepared statement (DB_SEARCH, DB_SEARCH_SUGGEST).  Any text
 * is a valid query: PostgreSQL's websearch_to_tsquery turns quotes, minus
 * signs, punctuation or junk into a query (possibly an empty one, which
 * matches nothing), never into an error.  Only live videos (published, not
 * deleted) and non-deleted performers are found.
 *
 * Highlighting: ts_headline returns the text with matches between \x01 and
 * \x02; marked_html() escapes the whole text and only then turns those two
 * bytes into <mark> and </mark>, so markup stored in a title or description
 * is always shown as text.
 *
 * The page's context is template values (tval.h); the suggestions are a
 * real JSON API body and stay jansson.
 *
 * Not here: the search box itself (layout.mustache) and its script
 * (static/js/site.js).
 */
#include "pages/pages.h"

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/pager.h"
#include "valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A multiple of the grid's 2, 3 and 4 columns. */
#define SEARCH_PER_PAGE 24
/*
 * Ranking recomputes each match's title tsvector (the index holds none to
 * rank with): only the first 480 matches are ranked, so a query matching
 * most of the catalog stays as cheap as a narrow one.  480 = 20 pages.
 */
#define SEARCH_RANK_MAX 480
/* Suggestions start at this many characters: shorter prefixes match everything. */
#define SUGGEST_MIN_CHARS 2

/* Text between \x01 and \x02 becomes <mark>…</mark>; everything else is escaped. */
static char *
marked_html(struct arena *a, const char *s)
{
	struct buf b = {0};
	int open = 0;
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(&b, "&amp;"); break;
		case '<': buf_puts(&b, "&lt;"); break;
		case '>': buf_puts(&b, "&gt;"); break;
		case '"': buf_puts(&b, "&quot;"); break;
		case '\'': buf_puts(&b, "&#39;"); break;
		case '\x01':
			if (!open)
				buf_puts(&b, "<mark>");
			open = 1;
			break;
		case '\x02':
			if (open)
				buf_puts(&b, "</mark>");
			open = 0;
			break;
		default: buf_putc(&b, *s);
		}
	}
	if (open)
		buf_puts(&b, "</mark>");
	char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

/* "1:02:03" or "4:05", in the arena; NULL when there is no duration. */
static const char *
duration_text(struct arena *a, const char *secs)
{
	if (secs == NULL || *secs == '\0')
		return NULL;
	long s = strtol(secs, NULL, 10);
	if (s >= 3600)
		return arena_printf(a, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	return arena_printf(a, "%ld:%02ld", s / 60, s % 60);
}

static const char *
value_or_null(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Leading and trailing white space dropped, in the arena. */
static char *
trimmed(struct arena *a, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

int
page_search(struct app *app, struct request *req, struct response *resp)
{
	struct arena *a = req->arena;
	const char *raw = req_str(req, SEARCH_Q);
	const char *q = raw ? trimmed(a, raw) : "";
	long page = (long)req_num(req, SEARCH_PAGE, 1);
	struct tval *ctx = tv_obj(a);
	tv_set_str(ctx, "q", q);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);

	if (*q == '\0') {
		if (page != 1)
			return 404;
		tv_set_str(ctx, "self", "/search");
		return resp_render(app, req, resp, "search", ctx) == 0 ? 0 : 500;
	}

	char limit[24], offset[24], cap[24];
	snprintf(limit, sizeof limit, "%d", SEARCH_PER_PAGE);
	snprintf(offset, sizeof offset, "%ld", (page - 1) * SEARCH_PER_PAGE);
	snprintf(cap, sizeof cap, "%d", SEARCH_RANK_MAX);
	const char *params[4] = {q, limit, offset, cap};
	PGresult *r = db_exec(app->db, a, DB_SEARCH, 4, params);
	if (r == NULL)
		return db_last_unavailable(app->db) ? 503 : 500;

	struct tval *videos = tv_list(a), *performers = tv_list(a);
	long total = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *kind = PQgetvalue(r, i, 0);
		const char *slug = value_or_null(r, i, 2);
		const char *label = value_or_null(r, i, 3);
		const char *snippet = value_or_null(r, i, 4);
		const char *image = value_or_null(r, i, 5);
		const char *n = value_or_null(r, i, 6);
		struct tval *o;
		const char *d;
		switch (kind[0]) {
		case 'v':
			o = tv_obj(a);
			tv_set_str(o, "slug", slug);
			tv_set_str(o, "title_html", marked_html(a, label));
			tv_set_str(o, "snippet_html", marked_html(a, snippet ? snippet : ""));
			tv_set_str(o, "image", cat_src_or_null(image));   /* null when missing or unsafe */
			if ((d = duration_text(a, n)) != NULL)
				tv_set_str(o, "duration", d);   /* else absent, not null */
			tv_push(videos, o);
			break;
		case 'p':
			o = tv_obj(a);
			tv_set_str(o, "slug", slug);
			tv_set_str(o, "name_html", marked_html(a, label));
			tv_set_str(o, "snippet_html", marked_html(a, snippet ? snippet : ""));
			tv_set_str(o, "image", cat_src_or_null(image));
			tv_set_int(o, "video_count", n ? strtoll(n, NULL, 10) : 0);
			tv_push(performers, o);
			break;
		case 'n':
			total = n ? strtol(n, NULL, 10) : 0;
			break;
		case 'd':
			if (label && strcmp(label, q) != 0) {
				o = tv_obj(a);
				tv_set_str(o, "text", label);
				tv_set_str(o, "url", arena_printf(a, "/search?q=%s", pager_qs_escape(a, label)));
				tv_set(ctx, "did_you_mean", o);
			}
			break;
		}
	}

	long npages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
	if (page > 1 && page > npages)
		return 404;
	const char *eq = pager_qs_escape(a, q);
	const char *first = arena_printf(a, "/search?q=%s", eq);
	const char *prefix = arena_printf(a, "/search?q=%s&page=", eq);
	if (npages > 0)
		tv_set(ctx, "pager", pager_values(a, first, prefix, page, npages));
	tv_set_str(ctx, "self", page > 1 ? arena_printf(a, "%s%ld", prefix, page) : first);
	/* has_videos and has_performers are always set, false too (not tv_set_list's has_KEY). */
	tv_set_bool(ctx, "has_videos", tv_len(videos) > 0);
	tv_set_bool(ctx, "has_performers", tv_len(performers) > 0);
	tv_set(ctx, "videos", videos);
	tv_set(ctx, "performers", performers);
	tv_set_bool(ctx, "searched", 1);
	if (total == 0)
		tv_set_str(ctx, "count_text", "No videos");
	else
		tv_set_str(ctx, "count_text", arena_printf(a, "%s%ld video%s",
		    total >= SEARCH_RANK_MAX ? "More than " : "", total, total == 1 ? "" : "s"));
	if (page > 1)
		tv_set_str(ctx, "page_suffix", arena_printf(a, ", page %ld", page));
	cat_page_ld(ctx, app, a, "SearchResultsPage", arena_printf(a, "Search: %s", q),
	    page > 1 ? arena_printf(a, "%s%ld", prefix, page) : first, NULL);
	return resp_render(app, req, resp, "search", ctx) == 0 ? 0 : 500;
}

int
page_search_suggest(struct app *app, struct request *req, struct response *resp)
{
	const char *raw = req_str(req, SUGGEST_Q);
	const char *q = raw ? trimmed(req->arena, raw) : "";
	json_t *out = json_pack("{s:[], s:[], s:[]}", "videos", "performers", "collections");
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	if (valid_utf8_len(q, strlen(q)) < SUGGEST_MIN_CHARS)
		return resp_json(resp, 200, out);

	const char *params[1] = {q};
	PGresult *r = db_exec(app->db, req->arena, DB_SEARCH_SUGGEST, 1, params);
	if (r == NULL) {
		json_decref(out);
		return db_last_unavailable(app->db) ? 503 : 500;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *kind = PQgetvalue(r, i, 0);
		const char *label = PQgetvalue(r, i, 1);
		const char *slug = PQgetvalue(r, i, 2);
		/* The list's name is also the pages' path: /videos/x, /performers/x, /collections/x. */
		const char *list = kind[0] == 'v' ? "videos" : kind[0] == 'p' ? "performers" : "collections";
		json_array_append_new(json_object_get(out, list), json_pack("{s:s, s:s}",
		    "label", label, "url", arena_printf(req->arena, "/%s/%s", list, slug)));
	}
	return resp_json(resp, 200, out);
}
