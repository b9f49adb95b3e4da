/*
 * tests/bench/minimal.c - the benchmark's hand-written reference point.
 *
 * Issue 8 asks Marquee to beat "a minimal hand-written C libfcgi + libpq
 * program serving the same 24-card page with a well-shaped query".  This is
 * that program, so the comparison is made in every run, on whatever machine
 * runs it, instead of against a figure from another machine.
 *
 * It serves one collection's first page and nothing else: no router, no
 * templates, no sessions, no logging, no validation beyond what keeps its
 * output well-formed.  The page around the grid (head and foot) is read
 * once from files the bench cuts out of Marquee's own page, so the bytes on
 * the wire are Marquee's bytes; the 24 cards are queried and formatted per
 * request, with the same markup and escaping as templates/video-card.mustache.
 * The bench checks that the output equals Marquee's page byte for byte.
 *
 * What it does per request is what a careful hand-written program does:
 * FCGX_Accept_r, one prepared statement on a kept connection through the
 * same partial index Marquee reads (idx on live videos by collection and
 * release date), the page built in one buffer and written with one
 * FCGX_PutStr.  The connection is reopened when it breaks.
 *
 *   minimal HEAD_FILE FOOT_FILE        (spawn-fcgi gives it FCGI socket 0)
 * Environment: MINIMAL_DB (libpq conninfo), MINIMAL_COLLECTION (slug).
 * Not part of Marquee: the bench builds it with cc and runs it under
 * spawn-fcgi beside the stack.
 */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	char *p;
	size_t len, cap;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		while (cap < o->len + n)
			cap *= 2;
		char *p = realloc(o->p, cap);
		if (!p)
			abort();
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

#define PUTS(o, lit) put((o), (lit), sizeof(lit) - 1)

static void
put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* HTML-escape as Marquee's templates do: & < > " ' */
static void
put_esc(struct out *o, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *e;
		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		put(o, run, (size_t)(s - run));
		put_str(o, e);
		run = s + 1;
	}
	put(o, run, (size_t)(s - run));
}

static void
put_duration(struct out *o, long s)
{
	char t[32];
	int n = s >= 3600 ? snprintf(t, sizeof t, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60)
	                  : snprintf(t, sizeof t, "%ld:%02ld", s / 60, s % 60);
	put(o, t, (size_t)n);
}

static void
put_thousands(struct out *o, long long v)
{
	char d[32], t[48];
	int n = snprintf(d, sizeof d, "%lld", v < 0 ? 0 : v), k = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			t[k++] = ',';
		t[k++] = d[i];
	}
	put(o, t, (size_t)k);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *p = NULL;
	size_t cap = 0, n = 0, r;
	do {
		if (n == cap && !(p = realloc(p, cap = cap ? cap * 2 : 16384)))
			abort();
		r = fread(p + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return p;
}

#define SQL                                                                              \
	"SELECT v.slug, v.title, v.thumbnail_url, v.duration_seconds, v.release_date,"   \
	"  v.view_count, v.rating, v.has_4k, v.has_1080p"                                \
	" FROM collections c JOIN videos v ON v.collection_id = c.id"                   \
	" WHERE c.slug = $1 AND c.deleted_at IS NULL AND c.is_active"                   \
	"   AND v.is_published AND v.deleted_at IS NULL"                                 \
	" ORDER BY v.release_date DESC, v.id LIMIT 24"

static PGconn *
db_open(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "minimal: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PGresult *r = PQprepare(c, "cards", SQL, 1, NULL);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "minimal: prepare: %s", PQerrorMessage(c));
	PQclear(r);
	if (!ok) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Column col, escaped, shown twice (an attribute and the text): open v mid v close; nothing if NULL. */
static void
put_twice(struct out *o, const PGresult *r, int i, int col, const char *open, const char *mid,
    const char *close)
{
	if (PQgetisnull(r, i, col))
		return;
	const char *v = PQgetvalue(r, i, col);
	put_str(o, open);
	put_esc(o, v);
	put_str(o, mid);
	put_esc(o, v);
	put_str(o, close);
}

static void
card(struct out *o, const PGresult *r, int i)
{
	PUTS(o, "<article class=\"video-card\">\n  <a class=\"video-card__link\" href=\"/videos/");
	put_esc(o, PQgetvalue(r, i, 0));
	PUTS(o, "\">\n    <span class=\"video-card__media\">\n      ");
	const char *thumb = PQgetvalue(r, i, 2);
	if (strncmp(thumb, "https://", 8) == 0 || (thumb[0] == '/' && thumb[1] != '/')) {
		PUTS(o, "<img src=\"");
		put_esc(o, thumb);
		PUTS(o, "\" alt=\"Still from ");
		put_esc(o, PQgetvalue(r, i, 1));
		PUTS(o, "\" width=\"640\" height=\"360\" loading=\"lazy\">");
	}
	PUTS(o, "\n      ");
	if (!PQgetisnull(r, i, 3)) {
		PUTS(o, "<span class=\"video-card__duration\"><span class=\"visually-hidden\">Duration </span>");
		put_duration(o, strtol(PQgetvalue(r, i, 3), NULL, 10));
		PUTS(o, "</span>");
	}
	PUTS(o, "\n      ");
	if (PQgetvalue(r, i, 7)[0] == 't')
		PUTS(o, "<span class=\"video-card__quality\">4K</span>");
	else if (PQgetvalue(r, i, 8)[0] == 't')
		PUTS(o, "<span class=\"video-card__quality\">HD</span>");
	PUTS(o, "\n    </span>\n    <h3 class=\"video-card__title\">");
	put_esc(o, PQgetvalue(r, i, 1));
	PUTS(o, "</h3>\n  </a>\n  <p class=\"video-card__meta\">");
	put_twice(o, r, i, 4, "<time datetime=\"", "\">", "</time> · ");
	put_thousands(o, strtoll(PQgetvalue(r, i, 5), NULL, 10));
	PUTS(o, " views");
	put_twice(o, r, i, 6, " · <span aria-label=\"rated ", " out of 5\">★ ", "</span>");
	PUTS(o, "</p>\n</article>\n");
}

int
main(int argc, char **argv)
{
	const char *conninfo = getenv("MINIMAL_DB"), *slug = getenv("MINIMAL_COLLECTION");
	size_t head_len, foot_len;
	char *head = argc == 3 ? slurp(argv[1], &head_len) : NULL;
	char *foot = argc == 3 ? slurp(argv[2], &foot_len) : NULL;
	if (!conninfo || !slug || !head || !foot) {
		fprintf(stderr, "usage: MINIMAL_DB=... MINIMAL_COLLECTION=slug minimal HEAD FOOT\n");
		return 2;
	}
	if (FCGX_Init() != 0)
		return 1;
	FCGX_Request req;
	FCGX_InitRequest(&req, 0, 0);
	PGconn *db = NULL;
	struct out o = {0};
	while (FCGX_Accept_r(&req) >= 0) {
		if (!db || PQstatus(db) != CONNECTION_OK) {
			PQfinish(db);
			db = db_open(conninfo);
		}
		PGresult *r = db ? PQexecPrepared(db, "cards", 1, &slug, NULL, NULL, 0) : NULL;
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			FCGX_FPrintF(req.out, "Status: 503\r\nContent-Type: text/plain\r\n\r\nunavailable\n");
			PQclear(r);
			if (db && PQstatus(db) != CONNECTION_OK) {
				PQfinish(db);
				db = NULL;
			}
			FCGX_Finish_r(&req);
			continue;
		}
		o.len = 0;
		PUTS(&o, "Status: 200\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");
		put(&o, head, head_len);
		for (int i = 0; i < PQntuples(r); i++) {
			if (i > 0)
				PUTS(&o, "</li><li>");
			card(&o, r, i);
		}
		put(&o, foot, foot_len);
		PQclear(r);
		FCGX_PutStr(o.p, (int)o.len, req.out);
		FCGX_Finish_r(&req);
	}
	PQfinish(db);
	return 0;
}
