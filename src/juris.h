/*
 * juris.h - what the visitor's jurisdiction requires before content is
 * shown: click-through age gate only, verified age, or nothing at all.
 *
 * The rules are data (table jurisdiction_rules, migration 006), keyed by
 * ISO 3166-1 country and optional ISO 3166-2 subdivision ("US", "TX").
 * The visitor's location comes from nginx as the FastCGI params
 * GEO_COUNTRY and GEO_REGION (req->geo_country, req->geo_region), which
 * nginx fills from the CDN's or GeoIP's headers (deploy/nginx/http.conf).
 * Lookup: (country, region), else (country, ''), else click-through, the
 * documented default; a visitor without a location is click-through too.
 *
 * Each worker keeps the whole table in memory and reloads it every
 * JURIS_REFRESH_S seconds, so a rule change applies site-wide within a
 * minute and costs one query per worker per minute (only when a located
 * visitor asks).  If a reload fails the previous rules stay in force.
 *
 * Not here: the age gate itself and what "restricted" pages show
 * (agegate.c, templates), nor age verification (pages/agegate.c).
 */
#ifndef MARQUEE_JURIS_H
#define MARQUEE_JURIS_H

struct app;
struct request;

enum juris {
	JURIS_CLICK,     /* the click-through age gate is enough */
	JURIS_VERIFY,    /* content beyond the gate only for age-verified members */
	JURIS_BLOCK,     /* no content at all: 451 */
	JURIS__MAX
};

/* Why a minute: rule changes are rare and legal deadlines are days, not seconds. */
#define JURIS_REFRESH_S 60

/*
 * The rule for req's location.  Returns an enum juris, or -1 when the rules
 * could not be read and none were loaded before (the caller answers 503:
 * failing open could show content where it is forbidden).
 */
int juris_rule(struct app *app, struct request *req);

/* "click_through", "verify", "block" -> enum juris; -1 if none. */
int juris_parse(const char *s);

/* Forget the loaded rules (tests; frees the cache).  Safe to call any time. */
void juris_reset(void);

#endif
