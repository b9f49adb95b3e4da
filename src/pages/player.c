/*
 * player.c - the video page's player data for members (playback.h,
 * playback_player).  The page (video.c) renders it as a <video> element
 * whose data attributes static/js/player.js reads; nothing here renders.
 */
#include "pages/playback.h"

#include <string.h>

#include "app.h"
#include "http.h"
#include "log.h"
#include "pages/catalog_util.h"
#include "session.h"

/* The player's columns, from col on (playback.h). */
enum { P_MANIFEST, P_POSITION, P_COMPLETED };

/* text, href and label are literals: borrowed (tval.h). */
static void
note(struct tval *ctx, const char *text, const char *href, const char *label)
{
	struct tval *n = tv_obj(ctx->arena);
	tv_set_str(n, "text", text);
	if (href) {
		tv_set_str(n, "href", href);
		tv_set_str(n, "label", label);
	}
	tv_set(ctx, "player_note", n);
}

void
playback_player(struct app *app, struct request *req, struct response *resp, struct tval *ctx,
    const PGresult *r, int row, int col)
{
	const struct member *m = sess_member(req);
	if (m == NULL || !m->entitled)
		return;
	if (req->restricted) {
		note(ctx, "Where you are, the law requires a verified age before films can be shown.",
		    "/account", "Verify your age");
		return;
	}
	const char *manifest = PQgetisnull(r, row, col + P_MANIFEST) ? NULL :
	    playback_manifest_path(req->arena, PQgetvalue(r, row, col + P_MANIFEST));
	if (manifest == NULL) {
		log_warn("player: video %s has no manifest playable through /hls/", req_path(req));
		note(ctx, "This film cannot be played right now. Please try again later.", NULL, NULL);
		return;
	}
	long long resume = 0;
	if (!PQgetisnull(r, row, col + P_POSITION) && !cat_col_bool(r, row, col + P_COMPLETED))
		resume = cat_col_ll(r, row, col + P_POSITION);
	/* Every string here lives in the request arena (the manifest path, the
	 * member's, csrf_token's) or is a literal: borrowed. */
	struct tval *p = tv_obj(req->arena);
	tv_set_str(p, "manifest", manifest);
	tv_set_str(p, "quality", m->preferred_quality ? m->preferred_quality : "1080p");
	tv_set_str(p, "autoplay", m->autoplay ? "true" : "false");
	tv_set_int(p, "resume", resume);
	tv_set_str(p, "csrf", csrf_token(app, req, resp));
	tv_set(ctx, "player", p);
}
