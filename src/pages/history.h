/*
 * history.h - a member's watch history as page data: the "Continue
 * watching" row that the home page and the account page show
 * (templates/continue-watching.mustache).
 *
 * The history page itself and its remove/clear forms are handlers in
 * history.c (declared in pages.h); progress is written by progress.c.
 */
#ifndef MARQUEE_HISTORY_H
#define MARQUEE_HISTORY_H

#include <libpq-fe.h>

#include "tval.h"

struct app;
struct arena;
struct request;

/*
 * For a signed-in member, add to ctx (template values, tval.h; built in
 * the request's arena) "continue_watching" (video cards,
 * pages/catalog_util.h, each with "percent": how far the member got, 0..100)
 * and "has_continue_watching" (true when the list is not empty), newest
 * first: at most 12 live videos (DB_CONTINUE's limit) started and not completed.
 * One statement (DB_CONTINUE).  For anonymous visitors ctx is left alone and
 * nothing is queried.  Returns 0, or 503/500 when the query failed (ctx
 * then unchanged).
 */
int history_continue(struct app *app, struct request *req, struct tval *ctx);

/*
 * One "Continue watching" card from row `row` of a result: the video card
 * from column card_col (pages/catalog_util.h) plus "percent" from the
 * completed_percentage in percent_col, in arena a (it borrows r's strings,
 * like cat_card).  NULL when the card is unusable.  For pages that fetch
 * the row in their own statement (the home page).
 */
struct tval *history_card(struct arena *a, const PGresult *r, int row, int card_col,
    int percent_col);

#endif
