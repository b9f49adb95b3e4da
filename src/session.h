/*
 * session.h - members' sessions and CSRF protection.
 *
 * A session is a row of `sessions` (migration 006).  The browser holds a
 * random token (SESS_TOKEN_BYTES bytes, base64url without padding) in the
 * cookie marquee_session (HttpOnly; SameSite=Lax; Secure, relaxed only in
 * dev_mode on 127.0.0.1/localhost); the table holds only its BLAKE2b-256
 * hash, so a leaked table or backup cannot be replayed as cookies.
 *
 * Expiry is enforced here, on the server, whatever the cookie says:
 *  - idle: last_seen_at older than config session_idle_timeout (7 days by
 *    default: a video site is visited a few times a week; an idle week is
 *    a forgotten device);
 *  - absolute: expires_at, set at login to now + session_max_age (30 days
 *    by default: even an active device logs in again monthly).
 * last_seen_at is written at most once per SESS_TOUCH_INTERVAL, never once
 * per request.
 *
 * CSRF: every state-changing request is a POST carrying the form key
 * "csrf".  For a member the token is derived from the session's own
 * csrf_secret (HMAC), so it dies with the session; anonymous visitors (the
 * /login and /signup forms) get a signed double-submit cookie
 * (marquee_csrf: random value; the form token is an HMAC of it under the
 * process key).  Tokens are masked with fresh random bytes on every render
 * (BREACH: pages are gzip'ed), compared in constant time, and the request's
 * Origin / Sec-Fetch-Site must say same-origin.
 *
 * What this module does not do: passwords (password.h), throttling
 * (throttle.h), jurisdiction rules (juris.h), the age gate (agegate.c).
 */
#ifndef MARQUEE_SESSION_H
#define MARQUEE_SESSION_H

#include <stddef.h>

struct app;
struct config;
struct request;
struct response;

/* 32 random bytes: 256 bits, beyond guessing. */
#define SESS_TOKEN_BYTES 32
/* base64url without padding of SESS_TOKEN_BYTES. */
#define SESS_TOKEN_LEN 43
/* last_seen_at precision: one write per 5 minutes per session at most; idle limits are days. */
#define SESS_TOUCH_INTERVAL_S 300
/* The anonymous double-submit cookie. */
#define SESS_CSRF_COOKIE "marquee_csrf"

/* The signed-in member of this request.  Strings live in the request arena. */
struct member {
	const char *user_id;
	const char *username;
	const char *email;
	int         age_verified;
	int         entitled;            /* active/canceled subscription whose period ends in the future */
	const char *preferred_quality;   /* "480p", "720p", "1080p", "4k" */
	int         autoplay;
	int         history_paused;
	const char *csrf;                /* this session's CSRF token, masked (for forms) */
	const char *session_id;          /* sessions.id (uuid) */
};

/*
 * Called by http_serve for every routed request before the auth check: if
 * the request carries marquee_session, look it up (one statement: session,
 * user, entitlement), enforce idle and absolute expiry, and set
 * req->member = 1 and req->session.  An unknown, malformed, tampered or
 * expired cookie leaves the visitor anonymous (and the response deletes the
 * cookie).  Returns 0 (member or anonymous), or 503 if the database is
 * unavailable.
 */
int sess_load(struct app *app, struct request *req, struct response *resp);

/* The signed-in member, or NULL if anonymous. */
const struct member *sess_member(const struct request *req);

/*
 * Log user_id in: delete the request's current session if any (rotation: a
 * token planted before login is worthless after it), create a new one and
 * set the cookie; record last_login_at/ip.  Must run inside no transaction
 * of the caller's.  Returns 0, or 503 (database unavailable) / 500.
 */
int sess_start(struct app *app, struct request *req, struct response *resp, const char *user_id);

/* Log out: delete the current session and the cookie.  Returns 0, 503 or 500. */
int sess_end(struct app *app, struct request *req, struct response *resp);

/*
 * Delete every session of user_id (log out everywhere; password change
 * then starts a fresh one).  Returns 0, 503 or 500.
 */
int sess_end_all(struct app *app, struct request *req, const char *user_id);

/*
 * The CSRF token to put in this visitor's forms (hidden input "csrf"):
 * the member's, or for anonymous visitors one bound to the marquee_csrf
 * cookie (set on resp if the request has none).  A fresh mask every call.
 * Returns a string in the request arena (never NULL).
 */
const char *csrf_token(struct app *app, struct request *req, struct response *resp);

/*
 * Check a state-changing request: Origin (or, without it, Sec-Fetch-Site)
 * must be same-origin, and the form key "csrf" must be a valid token for
 * this visitor, compared in constant time.  Returns 0 if it passes, else
 * 403.
 */
int csrf_check(struct app *app, struct request *req);

/*
 * Create the process key that signs anonymous CSRF cookies: from config
 * secret_key when set, else random (tokens of anonymous forms then do not
 * survive a restart).  Called once before the workers fork (app_init).
 */
void sess_init(const struct config *cfg);

/* ---- pure helpers (unit-tested) ---- */

/*
 * base64url without padding of n bytes into out (room for
 * sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING)).
 */
void sess_b64_encode(char *out, size_t outlen, const unsigned char *in, size_t n);

/*
 * Decode exactly n bytes of base64url without padding from s (len bytes).
 * Returns 0, or -1 if s is not exactly that (wrong length, bad character,
 * trailing garbage).
 */
int sess_b64_decode(unsigned char *out, size_t n, const char *s, size_t len);

/* Host is "127.0.0.1", "localhost" or "[::1]", with or without a port. */
int sess_host_is_local(const char *host);

#endif
