/*
 * throttle.h - limits on failed log-ins and on sign-ups, per account and
 * per address, kept in PostgreSQL (login_attempts, migration 006) so every
 * worker and every machine sees the same counts.
 *
 * A key counts events within a fixed window that starts with its first
 * event; once a key reaches its limit, requests are refused with 429 and
 * Retry-After until the window ends.  Keys never hold an e-mail address:
 * the account key is a BLAKE2b hash of the lower-cased address.
 *
 * Limits and why:
 *  - log in, per account: 5 failures in 15 minutes.  Enough for typos and
 *    a forgotten caps lock; an online guesser gets 480 guesses a day.
 *  - log in, per address: 20 failures in 15 minutes.  Higher than per
 *    account because many people share an address (NAT, offices).
 *  - sign up, per address: 20 attempts an hour.  Nobody opens more
 *    accounts than that; scripts opening thousands do.
 * nginx's limit_req (deploy/nginx/http.conf, zone marquee_auth) caps the
 * raw rate of these POSTs before they reach a worker at all.
 *
 * Not here: what counts as a failure (pages/account.c decides).
 */
#ifndef MARQUEE_THROTTLE_H
#define MARQUEE_THROTTLE_H

struct app;
struct request;
struct response;

enum throttle_kind {
	THROTTLE_LOGIN,
	THROTTLE_SIGNUP,
	THROTTLE__MAX
};

/*
 * May this attempt go ahead?  email (NULL: no account key) is the address
 * typed.  Returns 0 if it may; 429 with *retry_after (seconds, >= 1) if a
 * key is over its limit; 503/500 if the database failed.
 */
int throttle_check(struct app *app, struct request *req, enum throttle_kind kind,
    const char *email, int *retry_after);

/* Count one failure (log in) or attempt (sign up).  Returns 0, 503 or 500. */
int throttle_count(struct app *app, struct request *req, enum throttle_kind kind, const char *email);

/* Forget the account's failures after a successful log-in.  Returns 0, 503 or 500. */
int throttle_clear(struct app *app, struct request *req, const char *email);

/* The 429 page: what happened, how long to wait, Retry-After.  Returns 0 (response complete). */
int throttle_refuse(struct app *app, struct request *req, struct response *resp,
    enum throttle_kind kind, int retry_after);

#endif
