/*
 * db.c - see db.h.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "log.h"
#include "util.h"

/*
 * After a failed connection attempt, further attempts wait this long: when
 * the server's host is unreachable each attempt costs db_connect_timeout, and
 * requests should get their 503 at once instead.  Short, so service is back
 * within a second of PostgreSQL's return.
 */
#define RECONNECT_HOLDOFF_MS 1000

struct db {
	const struct config *cfg;
	PGconn              *conn;
	unsigned char        prepared[DB_STMT__MAX];
	int                  in_tx;
	int                  unavailable;
	char                 sqlstate[6];
	long long            retry_at_ms;   /* monotonic; no connect attempt before */
	unsigned long        nexec;         /* db_exec calls so far (db_exec_count) */
};

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libpq messages end with a newline; copy one without it. */
static void
copy_msg(char *dst, size_t dstlen, const char *msg)
{
	if (dstlen == 0)
		return;
	snprintf(dst, dstlen, "%s", msg ? msg : "unknown error");
	/* Multi-line messages ("...\n\tHINT") become one line. */
	for (char *p = dst; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	size_t n = strlen(dst);
	while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
		dst[--n] = '\0';
}

/*
 * The server's warnings (e.g. "terminating connection due to immediate
 * shutdown command") become log records instead of libpq's default: raw
 * lines on stderr, in the middle of the log.
 */
static void
log_notice(void *arg, const char *message)
{
	(void)arg;
	char msg[512];
	copy_msg(msg, sizeof msg, message);
	log_warn("db: server says: %s", msg);
}

static PGconn *
open_conn(const char *conninfo, int connect_timeout_s, const char *appname,
    char *err, size_t errlen)
{
	char timeout[16];
	snprintf(timeout, sizeof timeout, "%d", connect_timeout_s);
	/*
	 * Later keywords override what the expanded conninfo says.  Text comes
	 * back as UTF-8 whatever PGCLIENTENCODING says, and the database must
	 * store UTF-8: PostgreSQL then has checked every string, and the page
	 * code builds its JSON from them without checking them again.
	 */
	const char *const kw[] = {"dbname", "connect_timeout", "application_name",
	    "client_encoding", NULL};
	const char *const val[] = {conninfo, timeout, appname, "UTF8", NULL};
	PGconn *c = PQconnectdbParams(kw, val, 1);
	if (c == NULL) {
		copy_msg(err, errlen, "out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		copy_msg(err, errlen, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	const char *enc = PQparameterStatus(c, "server_encoding");
	if (enc == NULL || strcmp(enc, "UTF8") != 0) {
		snprintf(err, errlen, "the database's encoding is %s, not UTF8 (create it with"
		    " ENCODING 'UTF8' TEMPLATE template0)", enc ? enc : "unknown");
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, log_notice, NULL);
	return c;
}

PGconn *
db_connect(const char *conninfo, int connect_timeout_s, char *err, size_t errlen)
{
	return open_conn(conninfo, connect_timeout_s, "marqueectl", err, errlen);
}

struct db *
db_new(const struct config *cfg)
{
	struct db *db = xcalloc(1, sizeof *db);
	db->cfg = cfg;
	return db;
}

static void
drop_conn(struct db *db)
{
	PQfinish(db->conn);
	db->conn = NULL;
	db->in_tx = 0;
	memset(db->prepared, 0, sizeof db->prepared);
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	drop_conn(db);
	free(db);
}

/*
 * Set the session timeouts; the values are parameters, never spliced in.
 * TimeZone is UTC: the schema's TIMESTAMP columns hold UTC (migration 001),
 * whatever the server's or the role's default says.
 * Also plan_cache_mode: every statement is prepared once and run with the
 * generic plan.  Why: PostgreSQL otherwise re-plans a statement on each
 * execution whenever its generic plan's estimate is a little above the
 * custom ones (the collection grid's is), which costs more than running
 * it; tests/integration/test_explain.sh checks every generic plan on the
 * shared dataset.
 * client_min_messages is warning: search text made only of stop words
 * makes websearch_to_tsquery send a NOTICE, which libpq would print to the
 * worker's stderr (the log) for every such search.
 */
static int
configure_session(struct db *db, char *err, size_t errlen)
{
	char st[16], lt[16], it[16];
	snprintf(st, sizeof st, "%d", db->cfg->db_statement_timeout_ms);
	snprintf(lt, sizeof lt, "%d", db->cfg->db_lock_timeout_ms);
	snprintf(it, sizeof it, "%d", db->cfg->db_idle_in_transaction_timeout_ms);
	const char *const v[] = {st, lt, it};
	PGresult *r = PQexecParams(db->conn,
	    "SELECT set_config('statement_timeout', $1, false),"
	    " set_config('lock_timeout', $2, false),"
	    " set_config('idle_in_transaction_session_timeout', $3, false),"
	    " set_config('plan_cache_mode', 'force_generic_plan', false),"
	    " set_config('TimeZone', 'UTC', false),"
	    " set_config('client_min_messages', 'warning', false)",
	    3, NULL, v, NULL, NULL, 0);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		copy_msg(err, errlen, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

/* Make sure db->conn is usable.  Returns 0, or -1 (unavailable, logged). */
static int
ensure_connected(struct db *db)
{
	if (db->conn)
		return 0;
	long long now = now_ms();
	if (now < db->retry_at_ms) {
		db->unavailable = 1;
		return -1;
	}
	char err[512];
	db->conn = open_conn(db->cfg->database_url, db->cfg->db_connect_timeout,
	    "marquee-worker", err, sizeof err);
	if (db->conn && configure_session(db, err, sizeof err) < 0)
		drop_conn(db);
	if (db->conn == NULL) {
		log_warn("db: cannot connect: %s", err);
		db->retry_at_ms = now_ms() + RECONNECT_HOLDOFF_MS;
		db->unavailable = 1;
		return -1;
	}
	log_info("db: connected");
	return 0;
}

/*
 * SQLSTATEs that mean "try again later" rather than "this request is wrong":
 * connection exceptions (08), insufficient resources (53), operator
 * intervention (57: statement timeout, shutdown), lock_not_available (55P03).
 */
static int
sqlstate_unavailable(const char *s)
{
	return strncmp(s, "08", 2) == 0 || strncmp(s, "53", 2) == 0 ||
	    strncmp(s, "57", 2) == 0 || strcmp(s, "55P03") == 0;
}

enum outcome { OUT_OK, OUT_LOST, OUT_ERROR };

/*
 * Classify r (which may be NULL) and record the failure.  A failed result on
 * a connection libpq now reports as bad, or one without a SQLSTATE, means
 * the connection is gone.
 */
static enum outcome
classify(struct db *db, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);
	if (r && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK))
		return OUT_OK;
	char msg[512];
	copy_msg(msg, sizeof msg, r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn));
	/*
	 * Every error the server sends carries a SQLSTATE; a failure without
	 * one is libpq's own: the connection failed (a server killed while the
	 * statement went out is reported so before libpq marks the connection
	 * bad).
	 */
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(db->conn) == CONNECTION_BAD || state == NULL || state[0] == '\0') {
		log_warn("db: connection lost during %s: %s", what, msg);
		db->sqlstate[0] = '\0';
		db->unavailable = 1;
		drop_conn(db);
		return OUT_LOST;
	}
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state);
	db->unavailable = sqlstate_unavailable(db->sqlstate);
	if (db->unavailable)
		log_warn("db: %s: %s (SQLSTATE %s)", what, msg, db->sqlstate);
	else
		log_error("db: %s failed: %s (SQLSTATE %s)", what, msg, db->sqlstate);
	return OUT_ERROR;
}

static void
pqclear_cb(void *p)
{
	PQclear(p);
}

PGresult *
db_exec(struct db *db, struct arena *a, enum db_stmt s, int nparams,
    const char *const *values)
{
	db->unavailable = 0;
	db->sqlstate[0] = '\0';
	db->nexec++;
	if ((unsigned)s >= DB_STMT__MAX || nparams != db_stmts[s].nparams) {
		log_error("db: statement %d called with %d parameters", (int)s, nparams);
		return NULL;
	}
	const struct db_stmt_def *def = &db_stmts[s];
	for (int attempt = 0;; attempt++) {
		int was_in_tx = db->in_tx;
		if (ensure_connected(db) < 0)
			return NULL;
		enum outcome o = OUT_OK;
		if (!db->prepared[s]) {
			PGresult *p = PQprepare(db->conn, def->name, def->sql, nparams, NULL);
			o = classify(db, p, def->name);
			PQclear(p);
			if (o == OUT_OK)
				db->prepared[s] = 1;
		}
		if (o == OUT_OK) {
			PGresult *r = PQexecPrepared(db->conn, def->name, nparams, values,
			    NULL, NULL, 0);
			o = classify(db, r, def->name);
			if (o == OUT_OK) {
				arena_defer(a, pqclear_cb, r);
				return r;
			}
			PQclear(r);
		}
		/*
		 * A dead connection is usually found by the first statement after
		 * PostgreSQL restarted; a read can simply be sent again on a new
		 * connection.  A write cannot: it may have been applied.
		 */
		if (o != OUT_LOST || attempt > 0 || was_in_tx || !(def->flags & DB_IDEMPOTENT))
			return NULL;
	}
}

unsigned long
db_exec_count(const struct db *db)
{
	return db->nexec;
}

int
db_last_unavailable(const struct db *db)
{
	return db->unavailable;
}

const char *
db_last_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

/* Run a fixed command; want is the command tag that means success. */
static int
command(struct db *db, const char *sql, const char *want)
{
	PGresult *r = PQexec(db->conn, sql);
	enum outcome o = classify(db, r, sql);
	if (o == OUT_OK && strcmp(PQcmdStatus(r), want) != 0) {
		/* COMMIT of a failed transaction "succeeds" with tag ROLLBACK. */
		log_error("db: %s ended in %s", sql, PQcmdStatus(r));
		o = OUT_ERROR;
	}
	PQclear(r);
	return o == OUT_OK ? 0 : -1;
}

int
db_begin(struct db *db)
{
	db->unavailable = 0;
	db->sqlstate[0] = '\0';
	for (int attempt = 0; attempt < 2; attempt++) {
		if (ensure_connected(db) < 0)
			return -1;
		if (command(db, "BEGIN", "BEGIN") == 0) {
			db->in_tx = 1;
			return 0;
		}
		if (db->conn)   /* not lost: an error BEGIN would repeat */
			return -1;
	}
	return -1;
}

int
db_commit(struct db *db)
{
	db->unavailable = 0;
	db->sqlstate[0] = '\0';
	if (db->conn == NULL) {
		db->unavailable = 1;
		return -1;
	}
	int rc = command(db, "COMMIT", "COMMIT");
	db->in_tx = 0;
	return rc;
}

int
db_rollback(struct db *db)
{
	if (db->conn == NULL || !db->in_tx) {
		db->in_tx = 0;
		return 0;
	}
	int rc = command(db, "ROLLBACK", "ROLLBACK");
	db->in_tx = 0;
	return rc;
}
