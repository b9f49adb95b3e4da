/*
 * history.c - a member's watch history: GET /account/history (24 entries a
 * page, newest first, each with a remove button), POST
 * /account/history/remove (one entry), POST /account/history/clear (all),
 * and the "Continue watching" row (history.h).
 *
 * Every page here is the member's own: private responses, each statement
 * bound to the session's user id (an entry of someone else's can be neither
 * seen nor removed).  The POSTs are AUTH_MEMBER routes; the page sends an
 * anonymous visitor (an expired session) to log in and come back.  The POSTs check the
 * CSRF token first and answer 303 back to the history page (no-JS forms).
 * Progress is written by progress.c; pausing history is an account
 * preference (users.history_paused), shown here.
 */
#include "pages/history.h"

#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/pager.h"
#include "pages/pages.h"
#include "session.h"

/* Columns of DB_HISTORY_PAGE after the card block. */
enum { HP_ID = CAT_CARD_COLS, HP_WATCHED, HP_PCT, HP_COMPLETED, HP_TOTAL };

/* Page size of the history list (DB_HISTORY_PAGE's LIMIT). */
#define HISTORY_PER_PAGE 24

/* A completed_percentage column ("45.50", or NULL) as a whole percentage 0..100. */
static struct tval *
percent(struct arena *a, const PGresult *r, int row, int col)
{
	long p = PQgetisnull(r, row, col) ? 0 : strtol(PQgetvalue(r, row, col), NULL, 10);
	return tv_int(a, p < 0 ? 0 : p > 100 ? 100 : p);
}

struct tval *
history_card(struct arena *a, const PGresult *r, int row, int card_col, int percent_col)
{
	struct tval *card = cat_card(a, r, row, card_col);
	if (card)
		tv_set(card, "percent", percent(a, r, row, percent_col));
	return card;
}

int
history_continue(struct app *app, struct request *req, struct tval *ctx)
{
	const struct member *m = sess_member(req);
	if (m == NULL)
		return 0;
	PGresult *r = db_exec(app->db, req->arena, DB_CONTINUE, 1, &m->user_id);
	if (r == NULL)
		return cat_db_error(app);
	struct tval *list = tv_list(req->arena);
	for (int i = 0; i < PQntuples(r); i++) {
		struct tval *card = history_card(req->arena, r, i, 0, CAT_CARD_COLS);
		if (card)
			tv_push(list, card);
	}
	tv_set_list(ctx, "continue_watching", list);
	return 0;
}

int
page_history(struct app *app, struct request *req, struct response *resp)
{
	const struct member *m = sess_member(req);
	if (m == NULL)    /* e.g. the session expired: log in and come back */
		return resp_redirect(resp, 303, "/login?next=/account/history") ? 500 : 0;
	long page = (long)req_num(req, HISTORY_PAGE, 1);
	char offset[24];
	snprintf(offset, sizeof offset, "%ld", (page - 1) * HISTORY_PER_PAGE);
	const char *params[2] = {m->user_id, offset};
	PGresult *r = db_exec(app->db, req->arena, DB_HISTORY_PAGE, 2, params);
	if (r == NULL)
		return cat_db_error(app);
	int n = PQntuples(r);
	if (n == 0 && page > 1)
		return 404;

	struct arena *a = req->arena;
	struct tval *entries = tv_list(a);
	for (int i = 0; i < n; i++) {
		struct tval *card = cat_card(a, r, i, 0);
		if (card == NULL)
			continue;
		tv_set(card, "video_id", cat_col_str(a, r, i, HP_ID));
		tv_set(card, "watched_at", cat_col_str(a, r, i, HP_WATCHED));
		/* The date part of watched_at, borrowed from r (tval strings carry their length). */
		tv_set_strn(card, "watched_date", PQgetvalue(r, i, HP_WATCHED),
		    PQgetlength(r, i, HP_WATCHED) >= 10 ? 10 : 0);
		tv_set(card, "percent", percent(a, r, i, HP_PCT));
		tv_set_bool(card, "completed", cat_col_bool(r, i, HP_COMPLETED));
		tv_push(entries, card);
	}
	long long total = n ? cat_col_ll(r, 0, HP_TOTAL) : 0;
	long npages = (long)((total + HISTORY_PER_PAGE - 1) / HISTORY_PER_PAGE);

	struct tval *ctx = tv_obj(a);
	tv_set_list(ctx, "entries", entries);
	tv_set_int(ctx, "total", total);
	tv_set_bool(ctx, "total_one", total == 1);
	tv_set_bool(ctx, "history_paused", m->history_paused);
	tv_set_str(ctx, "csrf", csrf_token(app, req, resp));
	if (npages > 1)
		tv_set(ctx, "pager",
		    pager_values(a, "/account/history", "/account/history?page=", page, npages));
	resp_cache(resp, RESP_CACHE_PRIVATE, 0);
	return resp_render(app, req, resp, "history", ctx) == 0 ? 0 : 500;
}

/* Run a DB_HISTORY_* write for the member, then back to the history page. */
static int
history_write(struct app *app, struct request *req, struct response *resp, enum db_stmt s,
    const char *video_id)
{
	int status = csrf_check(app, req);
	if (status != 0)
		return status;
	const struct member *m = sess_member(req);
	if (m == NULL)
		return 403;
	const char *params[2] = {m->user_id, video_id};
	if (db_exec(app->db, req->arena, s, video_id ? 2 : 1, params) == NULL)
		return cat_db_error(app);
	return resp_redirect(resp, 303, "/account/history");
}

int
page_history_remove(struct app *app, struct request *req, struct response *resp)
{
	return history_write(app, req, resp, DB_HISTORY_REMOVE, req_str(req, HISTORY_REMOVE_VIDEO));
}

int
page_history_clear(struct app *app, struct request *req, struct response *resp)
{
	return history_write(app, req, resp, DB_HISTORY_CLEAR, NULL);
}
