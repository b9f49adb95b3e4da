/*
 * ctl_util.c - database and argument helpers for marqueectl; see ctl_util.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl.h"
#include "ctl/ctl_util.h"
#include "db.h"

PGconn *
ctl_db_open(void)
{
	const struct config *cfg = ctl_config();
	char err[512];
	PGconn *c = db_connect(cfg->database_url, cfg->db_connect_timeout, err, sizeof err);
	if (c == NULL) {
		fprintf(stderr, "marqueectl: cannot connect to the database: %s\n", err);
		return NULL;
	}
	const char *const v[] = {"UTC"};
	if (ctl_exec(c, "SELECT set_config('TimeZone', $1, false)", 1, v) != 0) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* The server's message in one line: primary text, then detail if any. */
static void
result_msg(const PGresult *r, PGconn *c, char *err, size_t errlen)
{
	const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *det = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	if (prim == NULL)
		prim = PQerrorMessage(c);
	snprintf(err, errlen, "%s%s%s", prim, det ? " (" : "", det ? det : "");
	size_t n = strlen(err);
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
	if (det && n + 1 < errlen) {
		err[n++] = ')';
		err[n] = '\0';
	}
	for (char *p = err; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *v, char *err, size_t errlen)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return r;
	result_msg(r, c, err, errlen);
	PQclear(r);
	return NULL;
}

PGresult *
ctl_query(PGconn *c, const char *sql, int n, const char *const *v)
{
	char err[1024];
	PGresult *r = run(c, sql, n, v, err, sizeof err);
	if (r == NULL)
		fprintf(stderr, "marqueectl: %s\n", err);
	return r;
}

int
ctl_exec(PGconn *c, const char *sql, int n, const char *const *v)
{
	PGresult *r = ctl_query(c, sql, n, v);
	PQclear(r);
	return r ? 0 : -1;
}

int
ctl_exec_msg(PGconn *c, const char *sql, int n, const char *const *v,
    char *err, size_t errlen)
{
	PGresult *r = run(c, sql, n, v, err, errlen);
	PQclear(r);
	return r ? 0 : -1;
}

void
ctl_rollback(PGconn *c)
{
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
}

int
ctl_parse_long(const char *s, long long lo, long long hi, long long *out)
{
	if (s == NULL || *s == '\0' || isspace((unsigned char)*s) || *s == '+')
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
ctl_is_slug(const char *s, size_t maxlen)
{
	size_t n = 0;
	int prev_hyphen = 1;  /* no leading hyphen */
	for (; s[n]; n++) {
		char ch = s[n];
		if (ch == '-') {
			if (prev_hyphen)
				return 0;
			prev_hyphen = 1;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			prev_hyphen = 0;
		} else {
			return 0;
		}
	}
	return n > 0 && n <= maxlen && !prev_hyphen;
}

int
ctl_is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[sizeof shape - 1] == '\0';
}

int
ctl_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}
