/*
 * pager.h - numbered pagination links for list pages (/performers,
 * /search), as template values (tval.h), and the query-string
 * escaping their URLs need.
 *
 * The object: {"page": N, "npages": M, "prev": URL|absent, "next": URL|absent,
 * "items": [{"n": 1, "url": "...", "current": true|false} or {"gap": true}]}.
 * Items show the first and last pages and two either side of the current
 * one, with a gap marker where numbers are skipped, so the list stays short
 * on a phone whatever the number of pages.
 *
 * Not here: counting rows (the pages' SQL does) or validating `page` (the
 * route's validator does).
 */
#ifndef MARQUEE_PAGER_H
#define MARQUEE_PAGER_H

#include "tval.h"

struct arena;

/*
 * The pager for page `page` of `npages` (1 <= page <= npages).  first is
 * the URL of page 1 (the canonical one, without a page parameter); page
 * n >= 2 is prefix followed by n (e.g. "/performers?letter=a&page=").
 * first is borrowed (tval.h: it must live as long as the arena's values);
 * the other URLs are built in the arena.  Never NULL.
 */
struct tval *pager_values(struct arena *a, const char *first, const char *prefix, long page,
    long npages);

/*
 * s escaped for a query-string value: unreserved characters (RFC 3986
 * 2.3) kept, space as '+', every other byte as %XX.  In the arena.
 */
char *pager_qs_escape(struct arena *a, const char *s);

#endif
