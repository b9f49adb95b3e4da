/*
 * test_db.c - the database handle: failure classification without a
 * server, and with one ($MARQUEE_DATABASE_URL, else those checks SKIP):
 * prepared statements, arena-owned results, transactions, and a transparent
 * reconnect after the server dropped the worker's connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "t.h"

static char err[512];

static void
test_no_server(void)
{
	struct config cfg;
	config_defaults(&cfg);
	free(cfg.database_url);
	cfg.database_url = strdup("host=/nonexistent/marquee-test port=1 dbname=x");
	struct arena *a = arena_new();
	struct db *db = db_new(&cfg);

	T_CHECK("unreachable: exec fails", db_exec(db, a, DB_PING, 0, NULL) == NULL);
	T_CHECK("unreachable: classified unavailable", db_last_unavailable(db) == 1);
	T_STREQ("unreachable: no SQLSTATE", db_last_sqlstate(db), "");
	/* The hold-off answers at once without a new attempt (nothing logged either way). */
	T_CHECK("hold-off: still unavailable", db_exec(db, a, DB_PING, 0, NULL) == NULL &&
	    db_last_unavailable(db) == 1);
	T_CHECK("begin fails unavailable", db_begin(db) == -1 && db_last_unavailable(db) == 1);
	T_CHECK("commit without connection fails", db_commit(db) == -1);
	T_CHECK("rollback without transaction is fine", db_rollback(db) == 0);
	T_CHECK("wrong parameter count refused", db_exec(db, a, DB_PING, 1, NULL) == NULL &&
	    db_last_unavailable(db) == 0);
	T_CHECK("unknown statement refused", db_exec(db, a, DB_STMT__MAX, 0, NULL) == NULL &&
	    db_last_unavailable(db) == 0);

	PGconn *c = db_connect(cfg.database_url, 2, err, sizeof err);
	T_CHECK("db_connect fails", c == NULL);
	T_CHECK("db_connect says why", strstr(err, "/nonexistent/marquee-test") != NULL);
	T_CHECK("db_connect message is one line", strchr(err, '\n') == NULL);

	db_free(db);
	db_free(NULL);
	arena_free(a);
	config_free(&cfg);
}

static void
test_statement_table(void)
{
	int ok = 1;
	for (int i = 0; i < DB_STMT__MAX; i++) {
		if (db_stmts[i].name == NULL || db_stmts[i].sql == NULL || db_stmts[i].nparams < 0)
			ok = 0;
		for (int j = 0; j < i; j++)
			if (db_stmts[j].name && db_stmts[i].name &&
			    strcmp(db_stmts[i].name, db_stmts[j].name) == 0)
				ok = 0;
	}
	T_CHECK("every statement has a unique name and SQL", ok);
}

static void
test_server(const char *url)
{
	struct config cfg;
	config_defaults(&cfg);
	free(cfg.database_url);
	cfg.database_url = strdup(url);
	struct arena *a = arena_new();
	struct db *db = db_new(&cfg);

	PGresult *r = db_exec(db, a, DB_PING, 0, NULL);
	T_CHECK("ping succeeds", r != NULL);
	T_CHECK("ping returns one row", r && PQntuples(r) == 1);
	arena_reset(a);   /* PQclear runs here; valgrind would see a leak otherwise */

	T_CHECK("begin", db_begin(db) == 0);
	T_CHECK("statement inside a transaction", db_exec(db, a, DB_PING, 0, NULL) != NULL);
	T_CHECK("commit", db_commit(db) == 0);
	T_CHECK("begin again", db_begin(db) == 0);
	T_CHECK("rollback", db_rollback(db) == 0);

	/* The server drops our connection (as on a restart): the next read reconnects. */
	PGconn *c = db_connect(url, 2, err, sizeof err);
	T_CHECK("db_connect", c != NULL);
	if (c) {
		PGresult *k = PQexec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
		    " WHERE application_name = 'marquee-worker' AND pid <> pg_backend_pid()");
		T_CHECK("terminated the worker connection",
		    PQresultStatus(k) == PGRES_TUPLES_OK && PQntuples(k) >= 1);
		PQclear(k);
		PQfinish(c);
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	T_CHECK("read after a dropped connection succeeds", db_exec(db, a, DB_PING, 0, NULL) != NULL);
	arena_reset(a);

	db_free(db);
	arena_free(a);
	config_free(&cfg);
}

int
main(void)
{
	log_set_level(LOG_ERROR);
	test_statement_table();
	test_no_server();
	const char *url = getenv("MARQUEE_DATABASE_URL");
	if (url && *url)
		test_server(url);
	else
		printf("SKIP: database checks (MARQUEE_DATABASE_URL not set)\n");
	return t_done("test_db");
}
