/*
 * playback.h - pure rules of members' playback, shared by the HLS
 * authorisation endpoint (hls_auth.c), the video page's player (video.c)
 * and watch progress (progress.c): which paths are HLS paths, how a
 * video's stored manifest URL becomes the path the player asks nginx for,
 * and how a reported position becomes a percentage.
 *
 * The rules are pure: no I/O, no database, no global state
 * (tests/unit/test_playback.c).  playback_player (player.c) builds the
 * video page's player data from them.  Handlers live in hls_auth.c,
 * progress.c and history.c (pages.h).
 */
#ifndef MARQUEE_PLAYBACK_H
#define MARQUEE_PLAYBACK_H

#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

struct app;
struct arena;
struct request;
struct response;
struct tval;

/* Longest HLS path: ours are "/hls/<video>/<rendition>/seg123.ts", far below. */
#define PLAYBACK_PATH_MAX 1024
/*
 * Longest position or duration a player may report: 24 hours.  Why: no film
 * is longer, and the bound keeps percentages and integer columns sane.
 */
#define PLAYBACK_SECONDS_MAX 86400
/* A video counts as watched (completed) from this share of its duration on. */
#define PLAYBACK_COMPLETED_PERCENT 90

/*
 * A path under /hls/ that nginx may authorise and the origin may serve:
 * "/hls/" then one or more segments of [A-Za-z0-9._-] separated by single
 * '/', no "." or ".." segment, ending in a file name, no query, at most
 * PLAYBACK_PATH_MAX bytes.  Anything else (encoded characters included) is
 * refused, so an authorised URI can only name a file inside the stream tree.
 * Returns 1 if valid, 0 if not.
 */
int playback_hls_path_ok(const char *path);

/*
 * The path the player fetches for a stored hls_manifest_url: the URL itself
 * when it is a site-relative HLS path ("/hls/x/master.m3u8"); for an
 * absolute http(s) URL (a CDN), its path when that is an HLS path, since
 * nginx's /hls/ location proxies to the same origin (the CDN is configured
 * as nginx's upstream, never called by the browser).  Returns a string in
 * the arena, or NULL when the URL cannot be played through /hls/.
 */
const char *playback_manifest_path(struct arena *a, const char *url);

/*
 * Progress of position seconds out of duration: the percentage with two
 * decimals as text (pct holds >= 8 bytes: "100.00") and whether it counts
 * as completed (>= PLAYBACK_COMPLETED_PERCENT).  Returns 0, or -1 when
 * duration is not in 1..PLAYBACK_SECONDS_MAX or position not in
 * 0..duration (nothing written).
 */
int playback_progress(long long position, long long duration, char *pct, size_t pctlen,
    int *completed);

/*
 * The video page's player (player.c), from row `row` of the video page's
 * result, whose columns col, col+1, col+2 are the video's hls_manifest_url
 * and the member's watch_position_seconds and completed (NULL when never
 * watched): see DB_VIDEO.  For an entitled member (and age-verified where
 * the jurisdiction requires it) adds to ctx (the page's template values,
 * an object: tval.h) "player": {manifest (the /hls/
 * path), quality (the member's preferred_quality), autoplay
 * ("true"/"false"), resume (whole seconds from the watch history; 0 when
 * never started or completed), csrf (for /api/progress)}.  When the member
 * may not play it, or the stored manifest cannot be played through /hls/,
 * adds "player_note" {text, href?, label?} instead.  Anonymous visitors and
 * members without a subscription: ctx unchanged (the page shows its call
 * to join).  No query of its own.
 */
void playback_player(struct app *app, struct request *req, struct response *resp, struct tval *ctx,
    const PGresult *r, int row, int col);

#endif
