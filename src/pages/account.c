/*
 * account.c - sign up, log in, log out, and the member's account page with
 * its forms (preferences, password, delete account, log out everywhere).
 *
 * Every POST checks its CSRF token first (session.h).  Forms that fail are
 * re-rendered with what the visitor typed (never a password) and a message
 * next to the field, status 422.  The page contexts are template values
 * (tval.h) in the request's arena; what the visitor typed is borrowed from
 * the request's fields, which live there too.
 *
 * Not revealing which e-mail addresses have accounts:
 *  - Log in answers one message, "The e-mail address or the password is
 *    wrong", whether the address is unknown or the password wrong, and for
 *    an unknown address still runs an Argon2 verification against a dummy
 *    hash, so both take the same time.
 *  - Sign up never logs in.  Whether the address was free or already had an
 *    account, the visitor is sent to the log-in page with the same "Your
 *    account is ready: log in" message; both paths hash the password first,
 *    so they take the same time.  Without an outbound mail channel (none
 *    exists yet) this is the honest limit: someone who signs up with
 *    another person's address learns it was taken only by failing to log
 *    in with the password they chose, and that attempt is throttled like
 *    any failed log-in.  A taken username is reported (usernames are shown
 *    publicly, so they are not a secret).
 *
 * Deleting an account cancels its subscriptions, deletes its history and
 * sessions and strips the users row of every personal field in one
 * statement (DB_USER_DELETE); the row stays as an anonymous tombstone so
 * the subscription and billing records keep their reference for the
 * accounts, and the e-mail address can open a new account.
 */
#include "pages/pages.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "pages/history.h"
#include "password.h"
#include "session.h"
#include "throttle.h"
#include "valid.h"

#define LOGIN_FAILED "The e-mail address or the password is wrong."

static int
db_status(struct app *app)
{
	return db_last_unavailable(app->db) ? 503 : 500;
}

/* The next= field i if it is a local path, else "/" (never an open redirect). */
static const char *
local_next(const struct request *req, size_t i)
{
	const char *n = req_str(req, i);
	return n && n[0] && valid_local_path(n, strlen(n)) ? n : "/";
}

/* What the visitor typed into field i (valid or not), for re-filling a form; "" if absent. */
static const char *
typed(const struct request *req, size_t i)
{
	const struct field *f = req_field(req, i);
	return f->value && valid_utf8(f->value, f->len) ? f->value : "";
}

/* Field i's own validation message, or NULL if it is valid. */
static const char *
field_error(const struct request *req, size_t i, const char *label)
{
	const struct field *f = req_field(req, i);
	if (f->state == FIELD_VALID)
		return NULL;
	if (f->state == FIELD_ABSENT)
		return arena_printf(req->arena, "Enter your %s.", label);
	return arena_printf(req->arena, "The %s %s.", label, f->why ? f->why : "is not valid");
}

/* Record msg (arena or static text; NULL: none) for key unless key already has one. */
static void
set_error(struct tval *errors, const char *key, const char *msg)
{
	if (msg && !tv_get(errors, key))
		tv_set_str(errors, key, msg);
}

/* A form's errors holding the one message msg (static or arena text) under key. */
static struct tval *
one_error(const struct request *req, const char *key, const char *msg)
{
	struct tval *e = tv_obj(req->arena);
	tv_set_str(e, key, msg);
	return e;
}

static int
render(struct app *app, struct request *req, struct response *resp, int status,
    const char *tmpl, struct tval *ctx)
{
	resp->status = status;
	resp_cache(resp, RESP_CACHE_PRIVATE, 0);
	return resp_render(app, req, resp, tmpl, ctx) ? 500 : 0;
}

/* ---------------------------------------------------------------- sign up */

static int
signup_form(struct app *app, struct request *req, struct response *resp, int status,
    struct tval *errors, const char *strength)
{
	struct tval *ctx = tv_obj(req->arena);
	tv_set_str(ctx, "csrf", csrf_token(app, req, resp));
	tv_set_str(ctx, "next", local_next(req, SIGNUP_NEXT));
	tv_set_str(ctx, "email", typed(req, SIGNUP_EMAIL));
	tv_set_str(ctx, "username", typed(req, SIGNUP_USERNAME));
	tv_set(ctx, "errors", errors ? errors : tv_obj(req->arena));
	tv_set_bool(ctx, "has_errors", errors && tv_len(errors));
	tv_set_str(ctx, "strength", strength);   /* NULL (no valid password): null */
	return render(app, req, resp, status, "signup", ctx);
}

int
page_signup(struct app *app, struct request *req, struct response *resp)
{
	struct tval *ctx = tv_obj(req->arena);
	tv_set_str(ctx, "csrf", csrf_token(app, req, resp));
	tv_set_str(ctx, "next", local_next(req, AUTH_PAGE_NEXT));
	tv_set_str(ctx, "email", "");
	tv_set_str(ctx, "username", "");
	tv_set(ctx, "errors", tv_obj(req->arena));
	tv_set_bool(ctx, "has_errors", 0);
	return render(app, req, resp, 200, "signup", ctx);
}

int
page_signup_post(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	int wait;
	st = throttle_check(app, req, THROTTLE_SIGNUP, NULL, &wait);
	if (st == 429)
		return throttle_refuse(app, req, resp, THROTTLE_SIGNUP, wait);
	if (st || (st = throttle_count(app, req, THROTTLE_SIGNUP, NULL)))
		return st;

	struct tval *errors = tv_obj(req->arena);
	set_error(errors, "email", field_error(req, SIGNUP_EMAIL, "e-mail address"));
	set_error(errors, "username", field_error(req, SIGNUP_USERNAME, "username"));
	set_error(errors, "password", field_error(req, SIGNUP_PASSWORD, "password"));
	const char *email = req_str(req, SIGNUP_EMAIL);
	const char *username = req_str(req, SIGNUP_USERNAME);
	const struct field *pw = req_field(req, SIGNUP_PASSWORD);
	const char *strength = NULL;
	if (pw->state == FIELD_VALID) {
		strength = password_strength_name(password_strength(pw->value, pw->len));
		set_error(errors, "password", password_problem(pw->value, pw->len, email, username));
	}
	if (tv_len(errors))
		return signup_form(app, req, resp, 422, errors, strength);

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(hash, pw->value, pw->len) != 0)
		return 503;
	const char *p[3] = {email, username, hash};
	PGresult *r = db_exec(app->db, req->arena, DB_USER_CREATE, 3, p);
	sodium_memzero(hash, sizeof hash);
	if (r == NULL)
		return db_status(app);
	if (PQntuples(r) == 0) {
		PGresult *t = db_exec(app->db, req->arena, DB_USER_USERNAME_TAKEN, 1, &username);
		if (t == NULL)
			return db_status(app);
		if (PQgetvalue(t, 0, 0)[0] == 't') {
			set_error(errors, "username", "That username is taken. Choose another one.");
			return signup_form(app, req, resp, 422, errors, strength);
		}
		/* The e-mail address has an account: answer exactly as for a new one (see the top). */
	}
	struct buf b = BUF_IN(req->arena);
	buf_puts(&b, "/login?created=1&next=");
	for (const unsigned char *c = (const unsigned char *)local_next(req, SIGNUP_NEXT); *c; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("-._~/", *c))
			buf_putc(&b, (char)*c);
		else
			buf_printf(&b, "%%%02X", *c);
	return resp_redirect(resp, 303, b.data) ? 500 : 0;
}

/* ---------------------------------------------------------------- log in / out */

static int
login_form(struct app *app, struct request *req, struct response *resp, int status,
    const char *next, const char *email, const char *error, int created)
{
	struct tval *ctx = tv_obj(req->arena);
	tv_set_str(ctx, "csrf", csrf_token(app, req, resp));
	tv_set_str(ctx, "next", next);
	tv_set_str(ctx, "email", email);
	tv_set_str(ctx, "error", error);   /* NULL (no error): null */
	tv_set_bool(ctx, "created", created);
	return render(app, req, resp, status, "login", ctx);
}

int
page_login(struct app *app, struct request *req, struct response *resp)
{
	return login_form(app, req, resp, 200, local_next(req, AUTH_PAGE_NEXT), "", NULL,
	    req_num(req, AUTH_PAGE_CREATED, 0) == 1);
}

int
page_login_post(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	const char *next = local_next(req, LOGIN_NEXT);
	const char *email = req_str(req, LOGIN_EMAIL);
	const struct field *pw = req_field(req, LOGIN_PASSWORD);
	if (email == NULL || pw->state != FIELD_VALID)
		return login_form(app, req, resp, 422, next, typed(req, LOGIN_EMAIL),
		    "Enter your e-mail address and your password.", 0);

	int wait;
	st = throttle_check(app, req, THROTTLE_LOGIN, email, &wait);
	if (st == 429)
		return throttle_refuse(app, req, resp, THROTTLE_LOGIN, wait);
	if (st)
		return st;

	PGresult *r = db_exec(app->db, req->arena, DB_USER_LOGIN, 1, &email);
	if (r == NULL)
		return db_status(app);
	const char *user_id = NULL, *hash = NULL;
	if (PQntuples(r) == 1) {
		user_id = PQgetvalue(r, 0, 0);
		hash = PQgetvalue(r, 0, 1);
	}
	int ok = hash ? password_verify(hash, pw->value, pw->len) : 0;
	if (hash == NULL)
		password_dummy_verify(pw->value, pw->len);
	if (!ok) {
		if ((st = throttle_count(app, req, THROTTLE_LOGIN, email)))
			return st;
		return login_form(app, req, resp, 422, next, email, LOGIN_FAILED, 0);
	}

	if ((st = throttle_clear(app, req, email)))
		return st;
	if (password_needs_rehash(hash)) {
		char nh[PASSWORD_HASH_MAX];
		if (password_hash(nh, pw->value, pw->len) == 0) {
			const char *p[2] = {user_id, nh};
			if (db_exec(app->db, req->arena, DB_USER_SET_PASSWORD, 2, p) == NULL)
				log_warn("password rehash not stored; next log-in retries");
			sodium_memzero(nh, sizeof nh);
		}
	}
	if ((st = sess_start(app, req, resp, user_id)))
		return st;
	return resp_redirect(resp, 303, next) ? 500 : 0;
}

int
page_logout(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st == 0)
		st = sess_end(app, req, resp);
	if (st)
		return st;
	return resp_redirect(resp, 303, "/") ? 500 : 0;
}

/* ---------------------------------------------------------------- account page */

/*
 * The account page for the signed-in member m, with saved (which form just
 * succeeded, or NULL) and form errors (in the request's arena; NULL for none).
 */
static int
account_page(struct app *app, struct request *req, struct response *resp, int status,
    const char *saved, struct tval *errors)
{
	struct arena *a = req->arena;
	const struct member *m = sess_member(req);
	struct tval *qualities = tv_list(a);
	static const char *const q[] = {ACCOUNT_QUALITIES};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		struct tval *o = tv_obj(a);
		tv_set_str(o, "value", q[i]);
		tv_set_bool(o, "selected", strcmp(q[i], m->preferred_quality) == 0);
		tv_push(qualities, o);
	}
	/* The member's strings live in the request's arena (session.h). */
	struct tval *account = tv_obj(a);
	tv_set_str(account, "username", m->username);
	tv_set_str(account, "email", m->email);
	tv_set_bool(account, "age_verified", m->age_verified);
	tv_set_bool(account, "autoplay", m->autoplay);
	tv_set_bool(account, "history_paused", m->history_paused);
	tv_set_bool(account, "entitled", m->entitled);
	struct tval *ctx = tv_obj(a);
	tv_set_str(ctx, "csrf", m->csrf);
	tv_set(ctx, "account", account);
	tv_set(ctx, "qualities", qualities);
	tv_set(ctx, "errors", errors ? errors : tv_obj(a));
	tv_set_bool(ctx, "has_errors", errors && tv_len(errors));
	tv_set_str(ctx, "saved", saved);   /* NULL (nothing saved): null */
	int st = history_continue(app, req, ctx);
	if (st == 0)
		st = subscription_account_ctx(app, req, ctx);
	if (st)
		return st;
	return render(app, req, resp, status, "account", ctx);
}

int
page_account(struct app *app, struct request *req, struct response *resp)
{
	if (sess_member(req) == NULL)
		return resp_redirect(resp, 303, "/login?next=/account") ? 500 : 0;
	/* By the index of ACCOUNT_SAVED's members. */
	static const char *const notes[] = {
		"Your preferences were saved.",
		"Your password was changed. Every other device has been logged out.",
	};
	long long saved = req_num(req, ACCOUNT_PAGE_SAVED, -1);
	return account_page(app, req, resp, 200, saved >= 0 ? notes[saved] : NULL, NULL);
}

int
page_account_prefs(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	const struct member *m = sess_member(req);
	static const char *const q[] = {ACCOUNT_QUALITIES};
	long long qi = req_num(req, PREFS_QUALITY, -1);
	if (qi < 0) {
		return account_page(app, req, resp, 422, NULL,
		    one_error(req, "preferences", "Choose one of the qualities offered."));
	}
	/* Checkboxes: an unticked box sends nothing. */
	const char *p[4] = {m->user_id, q[qi],
	    req_num(req, PREFS_AUTOPLAY, 0) ? "true" : "false",
	    req_num(req, PREFS_HISTORY_PAUSED, 0) ? "true" : "false"};
	if (db_exec(app->db, req->arena, DB_USER_PREFS, 4, p) == NULL)
		return db_status(app);
	return resp_redirect(resp, 303, "/account?saved=preferences") ? 500 : 0;
}

/*
 * Check the member's current password (field i) for a sensitive form,
 * throttled like log-in.  Returns 0 if it is right; 422 with *errors set
 * (key `key`) if not; 429 (page rendered: the caller returns 0); 503/500.
 */
static int
reauth(struct app *app, struct request *req, struct response *resp, size_t i, const char *key,
    struct tval **errors)
{
	const struct member *m = sess_member(req);
	const struct field *pw = req_field(req, i);
	int wait, st = throttle_check(app, req, THROTTLE_LOGIN, m->email, &wait);
	if (st == 429) {
		throttle_refuse(app, req, resp, THROTTLE_LOGIN, wait);
		return 429;
	}
	if (st)
		return st;
	PGresult *r = db_exec(app->db, req->arena, DB_USER_PASSWORD, 1, &m->user_id);
	if (r == NULL)
		return db_status(app);
	if (PQntuples(r) == 1 && pw->state == FIELD_VALID &&
	    password_verify(PQgetvalue(r, 0, 0), pw->value, pw->len))
		return 0;
	if ((st = throttle_count(app, req, THROTTLE_LOGIN, m->email)))
		return st;
	*errors = one_error(req, key, "Your current password is wrong.");
	return 422;
}

int
page_account_password(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	const struct member *m = sess_member(req);
	struct tval *errors = NULL;
	st = reauth(app, req, resp, PASSWORD_CURRENT, "password", &errors);
	if (st == 429)
		return 0;
	if (st == 422)
		return account_page(app, req, resp, 422, NULL, errors);
	if (st)
		return st;
	const struct field *nw = req_field(req, PASSWORD_NEW);
	const char *problem = nw->state == FIELD_VALID ?
	    password_problem(nw->value, nw->len, m->email, m->username) :
	    field_error(req, PASSWORD_NEW, "new password");
	if (problem)
		return account_page(app, req, resp, 422, NULL, one_error(req, "new_password", problem));

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(hash, nw->value, nw->len) != 0)
		return 503;
	const char *p[2] = {m->user_id, hash};
	PGresult *r = db_exec(app->db, req->arena, DB_USER_SET_PASSWORD, 2, p);
	sodium_memzero(hash, sizeof hash);
	if (r == NULL)
		return db_status(app);
	/* Every other session (a thief's, perhaps) ends; this browser gets a fresh one. */
	if ((st = sess_end_all(app, req, m->user_id)) || (st = sess_start(app, req, resp, m->user_id)))
		return st;
	return resp_redirect(resp, 303, "/account?saved=password") ? 500 : 0;
}

int
page_account_delete(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	const struct member *m = sess_member(req);
	if (req_num(req, DELETE_CONFIRM, 0) != 1)
		return account_page(app, req, resp, 422, NULL, one_error(req, "delete",
		    "Tick the box to confirm that you want to delete your account."));
	struct tval *errors = NULL;
	st = reauth(app, req, resp, DELETE_PASSWORD, "delete", &errors);
	if (st == 429)
		return 0;
	if (st == 422)
		return account_page(app, req, resp, 422, NULL, errors);
	if (st)
		return st;
	PGresult *r = db_exec(app->db, req->arena, DB_USER_DELETE, 1, &m->user_id);
	if (r == NULL)
		return db_status(app);
	log_info("account deleted");
	if ((st = sess_end(app, req, resp)))
		return st;
	return render(app, req, resp, 200, "account-deleted", NULL);
}

int
page_account_logout_all(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	if ((st = sess_end_all(app, req, sess_member(req)->user_id)) || (st = sess_end(app, req, resp)))
		return st;
	return resp_redirect(resp, 303, "/login") ? 500 : 0;
}
