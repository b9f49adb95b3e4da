/*
 * router.h - the route table's types and route matching.
 *
 * A route is {methods, path pattern with typed captures, auth level,
 * handler, accepted keys}.  Patterns are literal lowercase segments and
 * captures "{name:type}" with type slug, uuid or int (0..2^31-1), e.g.
 * "/videos/{slug:slug}".  A capture whose segment fails its type does not
 * match (so /videos/NOT_A_SLUG is 404, not 400).  Several entries may share
 * a pattern with different methods (each with its own handler and keys).
 *
 * Matching works on the request's decoded segments, one at a time, so an
 * encoded '/' (%2F) stays inside its segment and can never match a literal.
 *
 * The site's table lives in routes.c.  This module does not run handlers
 * (http.c does) nor check sessions.
 */
#ifndef MARQUEE_ROUTER_H
#define MARQUEE_ROUTER_H

#include <stddef.h>

#include "http.h"

enum auth_level {
	AUTH_NONE,        /* anyone */
	AUTH_MEMBER,      /* a signed-in member (req->member, set by the session module); else 403 */
	AUTH_INTERNAL,    /* only nginx's internal locations (req->internal); anyone else gets 404 */
	AUTH__MAX
};

/*
 * A handler fills resp.  Returns 0 when the response is complete, or an HTTP
 * status >= 400 to have the core answer with the standard error page (503
 * gets Retry-After).
 */
typedef int (*handler_fn)(struct app *app, struct request *req, struct response *resp);

/* The handler wants invalid fields (to re-render its form) instead of a 400 page. */
#define ROUTE_FORM_ERRORS 0x1u
/*
 * Exempt from the age gate (compliance pages, crawler files, health,
 * webhooks, internal endpoints, the gate itself).  Every other route is
 * gated: a visitor without the age cookie is sent to /age-gate?next=.
 */
#define ROUTE_NO_AGE_GATE 0x2u

struct route {
	unsigned            methods;   /* HTTP_M(HTTP_GET) | ...; GET implies HEAD */
	const char         *pattern;
	enum auth_level     auth;
	handler_fn          handler;
	const struct param *params;
	size_t              nparams;
	unsigned            flags;
};

/* The site's route table (routes.c). */
extern const struct route routes_table[];
extern const size_t routes_count;

enum router_result {
	ROUTER_FOUND,        /* m->route set, req->captures filled */
	ROUTER_NOT_FOUND,    /* 404 */
	ROUTER_BAD_METHOD,   /* 405; m->allow is the methods mask for the Allow header */
	ROUTER_REDIRECT,     /* 301 to m->location (canonical lowercase, no trailing slash, query kept) */
};

struct route_match {
	const struct route *route;
	unsigned            allow;
	const char         *location;   /* in the request arena */
};

/*
 * Find the route for req (method, req->segs).  A GET route also answers
 * HEAD.  When nothing matches, a GET or HEAD whose lowercase and/or
 * trailing-slash-free variant would match is redirected to it.
 * Returns one of enum router_result.
 */
enum router_result router_match(const struct route *table, size_t n, struct request *req,
    struct route_match *m);

/* "GET, HEAD, POST" for an Allow header, in the arena. */
const char *router_allow_header(struct arena *a, unsigned methods);

/*
 * Check a table: every pattern well-formed (leading '/', lowercase literal
 * segments, known capture types, at most HTTP_CAPTURES_MAX captures, no
 * trailing '/'), methods non-empty, handler set, params named and with a
 * known validator.  Returns 0, or -1 with a message in err.
 */
int router_check(const struct route *table, size_t n, char *err, size_t errlen);

#endif
