/*
 * hls_auth.c - GET /internal/hls-auth: nginx's auth_request for /hls/
 * (deploy/nginx/site.conf, location /_auth/hls).
 *
 * Answers from the session alone, which sess_load has already read (one
 * statement, with marquee_entitled()):
 *   204  the member is entitled, the visitor's jurisdiction does not block
 *        content and, where it requires it, the member is age-verified;
 *   401  no (valid) session;
 *   403  anything else, including a missing or malformed X-Original-URI.
 * A database failure never gets here: sess_load answers 503, which nginx's
 * auth_request turns into 500 and site.conf into a 403 for the client, so
 * playback fails closed.  nginx caches 204s for a few seconds per session
 * cookie (site.conf), so a player's segment requests cost no query each.
 *
 * The route is AUTH_INTERNAL: only nginx's internal location sets the
 * FastCGI param MARQUEE_INTERNAL, everyone else gets 404.  The answers have
 * no body (nginx discards it anyway).
 */
#include "pages/pages.h"

#include "http.h"
#include "juris.h"
#include "log.h"
#include "pages/playback.h"
#include "session.h"

static int
answer(struct response *resp, int status)
{
	resp->status = status;
	resp_cache(resp, RESP_CACHE_NONE, 0);
	return 0;
}

int
page_hls_auth(struct app *app, struct request *req, struct response *resp)
{
	/* Set by nginx from the client's request line, never from a client header. */
	const char *uri = req_header(req, "x-original-uri");
	if (uri == NULL || !playback_hls_path_ok(uri)) {
		log_warn("hls-auth: refusing a request for %s", uri ? "a path outside /hls/" : "no X-Original-URI");
		return answer(resp, 403);
	}
	const struct member *m = sess_member(req);
	if (m == NULL)
		return answer(resp, 401);
	/*
	 * restricted: the jurisdiction requires a verified age this member lacks
	 * (agegate_check sets it for every route, gated or not).  A blocked
	 * jurisdiction is refused here too: this route is exempt from the gate
	 * that answers 451 elsewhere.
	 */
	if (!m->entitled || req->restricted)
		return answer(resp, 403);
	int rule = juris_rule(app, req);
	if (rule < 0)
		return 503;
	if (rule == JURIS_BLOCK)
		return answer(resp, 403);
	return answer(resp, 204);
}
