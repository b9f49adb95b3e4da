/*
 * ctl_util.c - the database helpers of ctl_util.h; the pure argument
 * validators are in ctl_check.c (so unit tests link them without libpq
 * connections or the configuration).
 */
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
