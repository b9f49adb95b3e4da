/*
 * progress.c - POST /api/progress: the player's watch progress.
 *
 * Keys (form-urlencoded, as navigator.sendBeacon sends URLSearchParams, or
 * a JSON object): video (a slug, or the video's id), position and duration
 * (whole seconds, duration at most 24 h, position at most duration), csrf
 * (the token the video page gave the player: a beacon cannot set headers,
 * so the token travels in the body).  csrf_check also requires a
 * same-origin Origin / Sec-Fetch-Site.
 *
 * One statement (DB_PROGRESS) upserts the member's row for a live video:
 * position, completed_percentage, completed (>= 90 %), watched_at = now().
 * Nothing is written while the member's history is paused (the statement
 * checks users.history_paused itself, so a pause from another tab counts at
 * once).  Reports are absolute positions, so a repeated or retried report
 * leaves the same row.  Answers 204; 400 for bad values, 403 without a
 * member or a valid token, 404 for an unknown video, 503 when the database
 * is unavailable.
 */
#include "pages/pages.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/playback.h"
#include "session.h"

int
page_progress(struct app *app, struct request *req, struct response *resp)
{
	int status = csrf_check(app, req);
	if (status != 0)
		return status;
	const struct member *m = sess_member(req);
	if (m == NULL)
		return 403;

	const struct field *video = req_field(req, PROGRESS_VIDEO);
	long long position = req_num(req, PROGRESS_POSITION, -1);
	long long duration = req_num(req, PROGRESS_DURATION, -1);
	char pct[16], pos[24];
	int completed;
	if (playback_progress(position, duration, pct, sizeof pct, &completed) != 0) {
		resp_text(resp, 400, "text/plain; charset=utf-8",
		    "position must be a whole number of seconds from 0 to duration\n");
		return 0;
	}
	snprintf(pos, sizeof pos, "%lld", position);
	const char *params[6] = {
		m->user_id, video->value, valid_uuid(video->value, video->len) ? video->value : NULL,
		pos, pct, completed ? "true" : "false",
	};
	PGresult *r = db_exec(app->db, req->arena, DB_PROGRESS, 6, params);
	if (r == NULL)
		return cat_db_error(app);
	if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "1") != 0)
		return 404;
	resp->status = 204;
	resp_cache(resp, RESP_CACHE_NONE, 0);
	return 0;
}
