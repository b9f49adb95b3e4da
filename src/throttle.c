/*
 * throttle.c - see throttle.h.
 */
#include "throttle.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "http.h"

struct limits {
	const char *prefix;     /* of the keys: "login", "signup" */
	int         window_s;
	int         account;    /* per account key; 0: no account key */
	int         address;    /* per address key */
	const char *what;       /* for the 429 page */
};

static const struct limits limits[THROTTLE__MAX] = {
	[THROTTLE_LOGIN]  = {"login", 15 * 60, 5, 20, "failed log-in attempts"},
	[THROTTLE_SIGNUP] = {"signup", 60 * 60, 0, 20, "sign-ups"},
};

/* "login:acct:<hex BLAKE2b-128 of the lower-cased address>", or NULL. */
static const char *
account_key(struct arena *a, const struct limits *l, const char *email)
{
	if (l->account == 0 || email == NULL || email[0] == '\0')
		return NULL;
	size_t n = strlen(email);
	char *low = arena_strdup(a, email);
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	unsigned char h[16];
	char hex[sizeof h * 2 + 1];
	crypto_generichash(h, sizeof h, (const unsigned char *)low, n, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return arena_printf(a, "%s:acct:%s", l->prefix, hex);
}

static const char *
address_key(struct arena *a, const struct limits *l, const struct request *req)
{
	/* REMOTE_ADDR is nginx's view of the peer; at most 45 bytes for IPv6 text. */
	return arena_printf(a, "%s:ip:%.64s", l->prefix, req->remote_addr);
}

static int
db_status(struct app *app)
{
	return db_last_unavailable(app->db) ? 503 : 500;
}

int
throttle_check(struct app *app, struct request *req, enum throttle_kind kind,
    const char *email, int *retry_after)
{
	const struct limits *l = &limits[kind];
	struct arena *a = req->arena;
	const char *p[5] = {
		account_key(a, l, email), address_key(a, l, req),
		arena_printf(a, "%d", l->window_s), arena_printf(a, "%d", l->account),
		arena_printf(a, "%d", l->address),
	};
	PGresult *r = db_exec(app->db, a, DB_THROTTLE_CHECK, 5, p);
	if (r == NULL)
		return db_status(app);
	int wait = PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : 0;
	if (wait <= 0)
		return 0;
	*retry_after = wait;
	return 429;
}

int
throttle_count(struct app *app, struct request *req, enum throttle_kind kind, const char *email)
{
	const struct limits *l = &limits[kind];
	struct arena *a = req->arena;
	const char *p[3] = {account_key(a, l, email), address_key(a, l, req),
	    arena_printf(a, "%d", l->window_s)};
	return db_exec(app->db, a, DB_THROTTLE_FAIL, 3, p) ? 0 : db_status(app);
}

int
throttle_clear(struct app *app, struct request *req, const char *email)
{
	const char *k = account_key(req->arena, &limits[THROTTLE_LOGIN], email);
	if (k == NULL)
		return 0;
	return db_exec(app->db, req->arena, DB_THROTTLE_CLEAR, 1, &k) ? 0 : db_status(app);
}

int
throttle_refuse(struct app *app, struct request *req, struct response *resp,
    enum throttle_kind kind, int retry_after)
{
	int minutes = (retry_after + 59) / 60;
	const char *msg = arena_printf(req->arena,
	    "There were too many %s from you or for this account in a short time. "
	    "For your security, please wait %d minute%s before trying again.",
	    limits[kind].what, minutes, minutes == 1 ? "" : "s");
	resp_error_page(app, req, resp, 429, msg);
	resp_header(resp, "Retry-After", arena_printf(req->arena, "%d", retry_after));
	return 0;
}
