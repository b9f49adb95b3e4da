/*
 * juris.c - see juris.h.
 *
 * The cache is this process's (one worker, single-threaded): a flat array
 * searched linearly, since the table holds at most a few hundred rows
 * (countries plus some subdivisions) and is read once per gated request.
 */
#include "juris.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "util.h"

struct rule {
	char cc[3];
	char region[4];     /* "" for the whole country; the schema allows up to 3 characters */
	int  rule;
};

static struct {
	struct rule *v;
	size_t       n;
	int          loaded;
	time_t       at;     /* last load attempt (monotonic seconds) */
} cache;

int
juris_parse(const char *s)
{
	static const char *const names[JURIS__MAX] = {
		[JURIS_CLICK] = "click_through",
		[JURIS_VERIFY] = "verify",
		[JURIS_BLOCK] = "block",
	};
	for (int i = 0; i < JURIS__MAX; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void
juris_reset(void)
{
	free(cache.v);
	memset(&cache, 0, sizeof cache);
}

static time_t
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Reload the rules.  Returns 0, or -1 (the old rules, if any, stay). */
static int
load(struct app *app, struct request *req)
{
	PGresult *r = db_exec(app->db, req->arena, DB_JURIS_RULES, 0, NULL);
	if (r == NULL)
		return -1;
	int n = PQntuples(r);
	struct rule *v = xcalloc(n ? (size_t)n : 1, sizeof *v);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		const char *cc = PQgetvalue(r, i, 0), *reg = PQgetvalue(r, i, 1);
		int rule = juris_parse(PQgetvalue(r, i, 2));
		/* The schema's CHECKs make these impossible; a bad row is skipped, not trusted. */
		if (rule < 0 || strlen(cc) != 2 || strlen(reg) >= sizeof v[k].region)
			continue;
		memcpy(v[k].cc, cc, 3);
		memcpy(v[k].region, reg, strlen(reg) + 1);
		v[k].rule = rule;
		k++;
	}
	free(cache.v);
	cache.v = v;
	cache.n = k;
	cache.loaded = 1;
	return 0;
}

int
juris_rule(struct app *app, struct request *req)
{
	if (req->geo_country == NULL || req->geo_country[0] == '\0')
		return JURIS_CLICK;
	time_t t = now_s();
	if (!cache.loaded || t - cache.at >= JURIS_REFRESH_S) {
		if (load(app, req) != 0) {
			if (!cache.loaded)
				return -1;     /* retried on the next request (db.c holds off a dead server) */
			log_warn("jurisdiction rules not reloaded; keeping the previous ones");
		}
		cache.at = t;
	}
	const char *reg = req->geo_region ? req->geo_region : "";
	int country = JURIS_CLICK;
	for (size_t i = 0; i < cache.n; i++) {
		if (strcmp(cache.v[i].cc, req->geo_country) != 0)
			continue;
		if (reg[0] && strcmp(cache.v[i].region, reg) == 0)
			return cache.v[i].rule;
		if (cache.v[i].region[0] == '\0')
			country = cache.v[i].rule;
	}
	return country;
}
