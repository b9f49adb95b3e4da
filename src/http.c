/*
 * http.c - one request from params and body to a complete response:
 * bounded body read, parse, route, auth level, parameter binding, handler,
 * error page, finishing headers.  The order of these steps is the contract
 * of http_serve (http.h); the site's route table is bound in routes.c.
 */
#include "http.h"

#include "app.h"
#include "arena.h"
#include "db.h"
#include "log.h"
#include "router.h"
#include "session.h"
#include "pages/pages.h"

#include <string.h>

enum body_state {
	BODY_OK,
	BODY_TOO_BIG,
	BODY_READ_ERROR
};

/* CONTENT_LENGTH as a hint only: it sizes the first buffer and refuses early, never bounds the read. */
static size_t
content_length_hint(char **envp)
{
	for (char **e = envp; e && *e; e++) {
		if (strncmp(*e, "CONTENT_LENGTH=", 15) != 0)
			continue;
		long long v;
		const char *s = *e + 15;
		if (valid_int(s, strlen(s), 0, (long long)HTTP_BODY_MAX + 1, &v))
			return (size_t)v;
		return *s ? HTTP_BODY_MAX + 1 : 0;   /* huge or malformed: treat as too big */
	}
	return 0;
}

/*
 * Read the whole body, at most HTTP_BODY_MAX + 1 bytes (one more than
 * allowed tells "too big" from "exactly the limit").
 */
static enum body_state
read_body(struct arena *a, const struct http_input *in, char **body, size_t *len)
{
	*body = NULL;
	*len = 0;
	if (in->read_body == NULL)
		return BODY_OK;
	size_t hint = content_length_hint(in->envp);
	if (hint > HTTP_BODY_MAX)
		return BODY_TOO_BIG;
	size_t cap = hint ? hint + 1 : 4096;
	char *b = arena_alloc(a, cap);
	size_t n = 0;
	for (;;) {
		if (n == cap) {
			if (cap > HTTP_BODY_MAX)
				return BODY_TOO_BIG;
			size_t ncap = cap * 2 > HTTP_BODY_MAX + 1 ? HTTP_BODY_MAX + 1 : cap * 2;
			char *nb = arena_alloc(a, ncap);
			memcpy(nb, b, n);
			b = nb;
			cap = ncap;
		}
		long r = in->read_body(in->ud, b + n, cap - n);
		if (r < 0)
			return BODY_READ_ERROR;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > HTTP_BODY_MAX)
		return BODY_TOO_BIG;
	*body = b;
	*len = n;
	return BODY_OK;
}

/* Route, check the auth level, bind parameters, run the handler.  Returns 0 or an error status. */
static int
dispatch(const struct route *table, size_t n, struct app *app, struct request *req,
    struct response *resp, unsigned *allow)
{
	struct route_match m;
	switch (router_match(table, n, req, &m)) {
	case ROUTER_NOT_FOUND:
		return 404;
	case ROUTER_BAD_METHOD:
		*allow = m.allow;
		return 405;
	case ROUTER_REDIRECT:
		return resp_redirect(resp, 301, m.location);
	case ROUTER_FOUND:
		break;
	}
	const struct route *r = m.route;
	/*
	 * Issue 6: who is asking (session), and may this page be shown to them
	 * here (jurisdiction, age gate)?  Before the auth level, which needs
	 * req->member.  Skipped for tables served without a database (unit tests).
	 */
	if (app && app->db) {
		int st = sess_load(app, req, resp);
		if (st == 0)
			st = agegate_check(app, req, resp, r->flags);
		if (st != 0)
			return st == AGEGATE_SENT ? 0 : st;
	}
	switch (r->auth) {
	case AUTH_NONE:
		break;
	case AUTH_MEMBER:
		if (!req->member)
			return 403;
		break;
	case AUTH_INTERNAL:
		/* Not for the public: do not even confirm it exists. */
		if (!req->internal)
			return 404;
		break;
	case AUTH__MAX:
		return 500;
	}
	int st = req_bind(req, r->params, r->nparams);
	if (st != 0) {
		if (!(r->flags & ROUTE_FORM_ERRORS))
			return st;
		req->status = 0;      /* the handler re-renders its form from req->fields */
		req->error = NULL;
	}
	st = r->handler(app, req, resp);
	if (st == 0 || (st >= 400 && st <= 599))
		return st;
	log_error("handler for %s returned %d; answering 500", r->pattern, st);
	return 500;
}

void
http_serve_routes(const struct route *table, size_t n, struct app *app, struct arena *a,
    const struct http_input *in, struct response *resp)
{
	resp->arena = a;
	resp->body = BUF_IN(a);
	char *body;
	size_t len;
	enum body_state bs = read_body(a, in, &body, &len);
	struct request *req;
	int st = req_parse(a, in->envp, body, len, &req);
	resp->req = req;
	log_set_request_id(req->id);

	const char *why = NULL;
	unsigned allow = 0;
#ifdef MARQUEE_TEST_ROUTES
	unsigned long nexec0 = app && app->db ? db_exec_count(app->db) : 0;
#endif
	if (bs == BODY_TOO_BIG) {
		st = 413;
		why = "The request body is larger than this site accepts.";
	} else if (bs == BODY_READ_ERROR) {
		st = 400;
		why = "The request body could not be read completely.";
	} else if (st != 0)
		why = req->error;
	else {
		st = dispatch(table, n, app, req, resp, &allow);
		if (st != 0 && st == req->status)
			why = req->error;
	}
	if (st != 0) {
		if (st >= 500)
			why = NULL;         /* never show internals; the handler logged them */
		resp_error_page(app, req, resp, st, why);
		if (st == 405)
			resp_header(resp, "Allow", router_allow_header(a, allow));
	}
#ifdef MARQUEE_TEST_ROUTES
	/* Test builds say how many statements the request ran (test_catalog.sh: at most 2 per page). */
	if (app && app->db) {
		struct buf q = BUF_IN(a);
		buf_put_i64(&q, (long long)(db_exec_count(app->db) - nexec0));
		resp_header(resp, "X-Marquee-Queries", q.data);
	}
#endif
	resp_finish(req, resp);
}
