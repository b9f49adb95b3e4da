/*
 * session.c - see session.h.
 */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "util.h"

/* Key of the anonymous double-submit cookie's HMAC; process lifetime, set before fork. */
static unsigned char csrf_key[crypto_auth_hmacsha256_KEYBYTES];

/* Domain separation: the member token and the anonymous token are different HMACs. */
#define CSRF_MSG "marquee csrf v1"
#define CSRF_RAW crypto_auth_hmacsha256_BYTES
/* mask || (raw XOR mask) */
#define CSRF_MASKED (2 * CSRF_RAW)
#define B64_LEN(n) sodium_base64_ENCODED_LEN((n), sodium_base64_VARIANT_URLSAFE_NO_PADDING)

/* Longest stored user agent (sessions.user_agent is VARCHAR(512)); IP column is VARCHAR(45). */
#define UA_MAX 512
#define IP_MAX 45

/* ---------------------------------------------------------------- pure helpers */

void
sess_b64_encode(char *out, size_t outlen, const unsigned char *in, size_t n)
{
	sodium_bin2base64(out, outlen, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
sess_b64_decode(unsigned char *out, size_t n, const char *s, size_t len)
{
	size_t got = 0;
	const char *end = NULL;
	if (len != B64_LEN(n) - 1)
		return -1;
	if (sodium_base642bin(out, n, s, len, NULL, &got, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || got != n || end != s + len)
		return -1;
	return 0;
}

int
sess_host_is_local(const char *host)
{
	if (host == NULL)
		return 0;
	static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i]);
		if (strncmp(host, names[i], n) != 0)
			continue;
		const char *p = host + n;
		if (*p == '\0')
			return 1;
		if (*p != ':' || p[1] == '\0')
			return 0;
		for (p++; *p; p++)
			if (*p < '0' || *p > '9')
				return 0;
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- helpers */

void
sess_init(const struct config *cfg)
{
	if (cfg && cfg->secret_key && cfg->secret_key[0])
		crypto_generichash(csrf_key, sizeof csrf_key, (const unsigned char *)cfg->secret_key,
		    strlen(cfg->secret_key), (const unsigned char *)CSRF_MSG, strlen(CSRF_MSG));
	else
		randombytes_buf(csrf_key, sizeof csrf_key);
}

/* The first cookie called name, as sent, or NULL. */
static const char *
cookie(const struct request *req, const char *name, size_t *len)
{
	for (size_t i = 0; i < req->cookies.n; i++)
		if (strcmp(req->cookies.v[i].key, name) == 0) {
			*len = req->cookies.v[i].vlen;
			return req->cookies.v[i].val;
		}
	return NULL;
}

/* "\x" + hex of n bytes: bytea input in text format. */
static char *
bytea_hex(struct arena *a, const unsigned char *p, size_t n)
{
	char *s = arena_alloc(a, 2 * n + 3);
	s[0] = '\\';
	s[1] = 'x';
	sodium_bin2hex(s + 2, 2 * n + 1, p, n);
	return s;
}

static void
token_hash(unsigned char h[32], const unsigned char tok[SESS_TOKEN_BYTES])
{
	crypto_generichash(h, 32, tok, SESS_TOKEN_BYTES, NULL, 0);
}

/* Secure unless development mode on this machine's own address (plain http there). */
static int
cookie_secure(const struct app *app, const struct request *req)
{
	return !(app->cfg && app->cfg->dev_mode && sess_host_is_local(req_header(req, "host")));
}

static void
set_session_cookie(struct app *app, struct request *req, struct response *resp,
    const char *value, long max_age)
{
	struct cookie_opts o = {
		.max_age = max_age, .http_only = 1, .secure = cookie_secure(app, req),
		.same_site = SAMESITE_LAX, .path = "/",
	};
	resp_cookie(resp, HTTP_SESSION_COOKIE, value, &o);
}

static int
db_status(struct app *app)
{
	return db_last_unavailable(app->db) ? 503 : 500;
}

/* mask || (raw XOR mask), base64url, in the arena. */
static const char *
mask_token(struct arena *a, const unsigned char raw[CSRF_RAW])
{
	unsigned char m[CSRF_MASKED];
	randombytes_buf(m, CSRF_RAW);
	for (size_t i = 0; i < CSRF_RAW; i++)
		m[CSRF_RAW + i] = raw[i] ^ m[i];
	char *out = arena_alloc(a, B64_LEN(CSRF_MASKED));
	sess_b64_encode(out, B64_LEN(CSRF_MASKED), m, sizeof m);
	return out;
}

/* raw <- the token s unmasked.  Returns 0, or -1 if s is not a well-formed token. */
static int
unmask(unsigned char raw[CSRF_RAW], const char *s, size_t len)
{
	unsigned char m[CSRF_MASKED];
	if (sess_b64_decode(m, sizeof m, s, len) != 0)
		return -1;
	for (size_t i = 0; i < CSRF_RAW; i++)
		raw[i] = m[CSRF_RAW + i] ^ m[i];
	sodium_memzero(m, sizeof m);
	return 0;
}

static void
member_raw(unsigned char raw[CSRF_RAW], const unsigned char *secret, size_t n)
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, secret, n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)CSRF_MSG, strlen(CSRF_MSG));
	crypto_auth_hmacsha256_final(&st, raw);
}

static void
anon_raw(unsigned char raw[CSRF_RAW], const unsigned char *cookie_bytes, size_t n)
{
	crypto_auth_hmacsha256(raw, cookie_bytes, n, csrf_key);
}

/* Printable ASCII copy of s, at most max bytes (stored columns must be valid UTF-8). */
static const char *
ascii_trunc(struct arena *a, const char *s, size_t max)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	if (n > max)
		n = max;
	char *d = arena_strndup(a, s, n);
	for (char *p = d; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return d;
}

/* ---------------------------------------------------------------- sessions */

const struct member *
sess_member(const struct request *req)
{
	return req->session;
}

/* The request's session token hash, if it carries a well-formed cookie.  Returns 0 or -1. */
static int
request_token_hash(const struct request *req, unsigned char h[32])
{
	size_t len;
	const char *v = cookie(req, HTTP_SESSION_COOKIE, &len);
	unsigned char tok[SESS_TOKEN_BYTES];
	if (v == NULL || sess_b64_decode(tok, sizeof tok, v, len) != 0)
		return -1;
	token_hash(h, tok);
	sodium_memzero(tok, sizeof tok);
	return 0;
}

int
sess_load(struct app *app, struct request *req, struct response *resp)
{
	size_t len;
	if (cookie(req, HTTP_SESSION_COOKIE, &len) == NULL)
		return 0;
	unsigned char h[32];
	if (request_token_hash(req, h) != 0) {
		set_session_cookie(app, req, resp, "", 0);
		return 0;
	}
	struct arena *a = req->arena;
	const char *p[3] = {
		bytea_hex(a, h, sizeof h),
		arena_printf(a, "%d", app->cfg->session_idle_timeout),
		arena_printf(a, "%d", SESS_TOUCH_INTERVAL_S),
	};
	PGresult *r = db_exec(app->db, a, DB_SESS_LOAD, 3, p);
	if (r == NULL)
		return db_status(app);
	if (PQntuples(r) != 1) {
		/* Unknown, expired or the account is gone: anonymous, and the browser forgets it. */
		set_session_cookie(app, req, resp, "", 0);
		return 0;
	}
	struct member *m = arena_calloc(a, 1, sizeof *m);
	m->session_id = PQgetvalue(r, 0, 0);
	m->user_id = PQgetvalue(r, 0, 1);
	m->username = PQgetvalue(r, 0, 2);
	m->email = PQgetvalue(r, 0, 3);
	m->age_verified = PQgetvalue(r, 0, 4)[0] == 't';
	m->entitled = PQgetvalue(r, 0, 5)[0] == 't';
	m->preferred_quality = PQgetvalue(r, 0, 6);
	m->autoplay = PQgetvalue(r, 0, 7)[0] == 't';
	m->history_paused = PQgetvalue(r, 0, 8)[0] == 't';
	size_t slen = 0;
	unsigned char *secret = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 9), &slen);
	if (secret == NULL)
		die_oom("session csrf secret");
	unsigned char raw[CSRF_RAW];
	member_raw(raw, secret, slen);
	sodium_memzero(secret, slen);
	PQfreemem(secret);
	m->csrf = mask_token(a, raw);
	sodium_memzero(raw, sizeof raw);
	int touch = PQgetvalue(r, 0, 10)[0] == 't';

	req->member = 1;
	req->session = m;
	if (touch && db_exec(app->db, a, DB_SESS_TOUCH, 1, &m->session_id) == NULL)
		log_warn("session last_seen_at not updated");   /* harmless: next request retries */
	return 0;
}

int
sess_start(struct app *app, struct request *req, struct response *resp, const char *user_id)
{
	struct arena *a = req->arena;
	unsigned char h[32];
	if (request_token_hash(req, h) == 0) {
		const char *hp = bytea_hex(a, h, sizeof h);
		if (db_exec(app->db, a, DB_SESS_DELETE, 1, &hp) == NULL)
			return db_status(app);
	}
	unsigned char tok[SESS_TOKEN_BYTES], secret[32];
	randombytes_buf(tok, sizeof tok);
	randombytes_buf(secret, sizeof secret);
	token_hash(h, tok);
	const char *p[6] = {
		user_id,
		bytea_hex(a, h, sizeof h),
		bytea_hex(a, secret, sizeof secret),
		arena_printf(a, "%d", app->cfg->session_max_age),
		req->remote_addr[0] ? ascii_trunc(a, req->remote_addr, IP_MAX) : NULL,
		ascii_trunc(a, req_header(req, "user-agent"), UA_MAX),
	};
	sodium_memzero(secret, sizeof secret);
	PGresult *r = db_exec(app->db, a, DB_SESS_CREATE, 6, p);
	if (r == NULL) {
		sodium_memzero(tok, sizeof tok);
		return db_status(app);
	}
	char v[B64_LEN(SESS_TOKEN_BYTES)];
	sess_b64_encode(v, sizeof v, tok, sizeof tok);
	sodium_memzero(tok, sizeof tok);
	set_session_cookie(app, req, resp, v, app->cfg->session_max_age);
	sodium_memzero(v, sizeof v);
	/* The old session's member (if any) is gone: the rest of this request is anonymous. */
	req->session = NULL;
	req->member = 0;
	return 0;
}

int
sess_end(struct app *app, struct request *req, struct response *resp)
{
	unsigned char h[32];
	if (request_token_hash(req, h) == 0) {
		const char *hp = bytea_hex(req->arena, h, sizeof h);
		if (db_exec(app->db, req->arena, DB_SESS_DELETE, 1, &hp) == NULL)
			return db_status(app);
	}
	set_session_cookie(app, req, resp, "", 0);
	req->session = NULL;
	req->member = 0;
	return 0;
}

int
sess_end_all(struct app *app, struct request *req, const char *user_id)
{
	if (db_exec(app->db, req->arena, DB_SESS_DELETE_USER, 1, &user_id) == NULL)
		return db_status(app);
	return 0;
}

/* ---------------------------------------------------------------- CSRF */

const char *
csrf_token(struct app *app, struct request *req, struct response *resp)
{
	if (req->session)
		return req->session->csrf;
	unsigned char c[32], raw[CSRF_RAW];
	size_t len;
	const char *v = cookie(req, SESS_CSRF_COOKIE, &len);
	if (v == NULL || sess_b64_decode(c, sizeof c, v, len) != 0) {
		randombytes_buf(c, sizeof c);
		char enc[B64_LEN(sizeof c)];
		sess_b64_encode(enc, sizeof enc, c, sizeof c);
		/* Browser-session cookie: an anonymous form lives minutes, not days. */
		struct cookie_opts o = {
			.max_age = -1, .http_only = 1, .secure = cookie_secure(app, req),
			.same_site = SAMESITE_LAX, .path = "/",
		};
		resp_cookie(resp, SESS_CSRF_COOKIE, enc, &o);
	}
	anon_raw(raw, c, sizeof c);
	const char *t = mask_token(req->arena, raw);
	sodium_memzero(raw, sizeof raw);
	return t;
}

/* "scheme://host[:port]" of an Origin header equals the request's Host? */
static int
origin_is_same(const char *origin, const char *host)
{
	const char *p;
	if (strncmp(origin, "https://", 8) == 0)
		p = origin + 8;
	else if (strncmp(origin, "http://", 7) == 0)
		p = origin + 7;
	else
		return 0;    /* "null" (sandboxed frames, some redirects) and anything odd */
	return host && host[0] && strcmp(p, host) == 0;
}

int
csrf_check(struct app *app, struct request *req)
{
	(void)app;
	const char *origin = req_header(req, "origin");
	const char *site = req_header(req, "sec-fetch-site");
	if (origin) {
		if (!origin_is_same(origin, req_header(req, "host")))
			return 403;
	} else if (site && strcmp(site, "same-origin") != 0)
		return 403;

	const char *tok = NULL;
	size_t tlen = 0;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].key, "csrf") == 0) {
			if (tok)
				return 403;    /* two tokens: which one did we check? */
			tok = req->form.v[i].val;
			tlen = req->form.v[i].vlen;
		}
	if (tok == NULL)
		return 403;

	unsigned char want[CSRF_RAW], got[CSRF_RAW];
	if (req->session) {
		/* The member's token, recovered from the one handed out with this request. */
		if (unmask(want, req->session->csrf, strlen(req->session->csrf)) != 0)
			return 403;
	} else {
		unsigned char c[32];
		size_t len;
		const char *v = cookie(req, SESS_CSRF_COOKIE, &len);
		if (v == NULL || sess_b64_decode(c, sizeof c, v, len) != 0)
			return 403;
		anon_raw(want, c, sizeof c);
	}
	int ok = unmask(got, tok, tlen) == 0 && sodium_memcmp(got, want, CSRF_RAW) == 0;
	sodium_memzero(want, sizeof want);
	sodium_memzero(got, sizeof got);
	return ok ? 0 : 403;
}
