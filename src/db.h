/*
 * db.h - a worker's PostgreSQL connection and the application's statements.
 *
 * Every SQL statement the application runs is a row of the enum-indexed
 * table in db_stmts.c, executed as a prepared statement with parameters;
 * there is no way to run string-built SQL through this module.
 *
 * One struct db per worker.  It connects lazily on first use, sets the
 * session's timeouts (statement, lock, idle-in-transaction) so a slow query
 * or a held lock becomes an error instead of a stuck worker, prepares each
 * statement on its first use on a connection, and reconnects by itself after
 * PostgreSQL went away.  It never waits longer than db_connect_timeout to
 * connect, and after a failed attempt it refuses for a short hold-off so a
 * dead server costs requests nothing (they get 503 at once).
 *
 * Not thread-safe (one connection per process).  Does not interpret rows:
 * callers read the PGresult.
 */
#ifndef MARQUEE_DB_H
#define MARQUEE_DB_H

#include <stddef.h>

#include <libpq-fe.h>

struct arena;
struct config;
struct db;

/* Statements, by name.  Add a row here and in db_stmts.c. */
enum db_stmt {
	DB_PING,
	/* discovery: performers index, search, suggestions, sitemap (pages/{performers,search,sitemap}.c) */
	DB_PERFORMERS_BROWSE,
	DB_SEARCH,
	DB_SEARCH_SUGGEST,
	DB_SITEMAP_PAGES,
	DB_SITEMAP_VIDEOS,
	/* end discovery */
	/* pages: home, collection, video, performer (pages/{home,collection,video,performer}.c) */
	DB_HOME,
	DB_HOME_MEMBER,
	DB_COLLECTIONS,
	DB_COLLECTION_NEWEST,
	DB_COLLECTION_VIEWS,
	DB_COLLECTION_RATING,
	DB_COLLECTION_DURATION,
	DB_COLLECTION_NEWEST_FIRST,
	DB_COLLECTION_VIEWS_FIRST,
	DB_COLLECTION_RATING_FIRST,
	DB_COLLECTION_DURATION_FIRST,
	DB_COLLECTION_NEWEST_Q,
	DB_COLLECTION_VIEWS_Q,
	DB_COLLECTION_RATING_Q,
	DB_COLLECTION_DURATION_Q,
	DB_COLLECTION_THEMES,
	DB_VIDEO,
	DB_VIDEO_EXTRAS,
	DB_PERFORMER,
	DB_PERFORMER_NEWEST,
	DB_PERFORMER_VIEWS,
	/* end pages */
	/* playback: watch progress, history (pages/{progress,history}.c) */
	DB_PROGRESS,
	DB_CONTINUE,
	DB_HISTORY_PAGE,
	DB_HISTORY_REMOVE,
	DB_HISTORY_CLEAR,
	/* end playback */
	/* accounts: sessions, users, throttling, jurisdictions, age verification
	 * (session.c, throttle.c, juris.c, pages/{account,agegate}.c) */
	DB_SESS_LOAD,
	DB_SESS_TOUCH,
	DB_SESS_CREATE,
	DB_SESS_DELETE,
	DB_SESS_DELETE_USER,
	DB_USER_LOGIN,
	DB_USER_CREATE,
	DB_USER_USERNAME_TAKEN,
	DB_USER_PASSWORD,
	DB_USER_SET_PASSWORD,
	DB_USER_PREFS,
	DB_USER_DELETE,
	DB_THROTTLE_CHECK,
	DB_THROTTLE_FAIL,
	DB_THROTTLE_CLEAR,
	DB_JURIS_RULES,
	DB_AGE_EVENT,
	/* end accounts */
	/* billing: processor webhooks, /join, the account's subscription (pages/{billing_webhook,join}.c) */
	DB_BILLING_EVENT_INSERT,
	DB_BILLING_SUB_LOCK,
	DB_BILLING_SUB_INSERT,
	DB_BILLING_SUB_UPDATE,
	DB_BILLING_EVENT_DONE,
	DB_BILLING_ACCOUNT,
	DB_BILLING_CANCEL,
	/* end billing */
	DB_STMT__MAX
};

/* Statement may be re-sent after a reconnect (reads only: never a write twice). */
#define DB_IDEMPOTENT 0x1

struct db_stmt_def {
	const char *name;     /* prepared statement name, unique */
	const char *sql;      /* with $1..$n placeholders */
	int         nparams;  /* number of $n parameters db_exec must receive */
	unsigned    flags;    /* DB_IDEMPOTENT */
};

/* The statement table, indexed by enum db_stmt (db_stmts.c). */
extern const struct db_stmt_def db_stmts[DB_STMT__MAX];

/*
 * Open a plain connection (marqueectl, tests): conninfo is a libpq
 * connection string or URI, connect_timeout_s bounds the wait.  Returns the
 * connection, or NULL with libpq's message in err.  The caller owns the
 * connection (PQfinish).
 */
PGconn *db_connect(const char *conninfo, int connect_timeout_s, char *err, size_t errlen);

/*
 * A worker's lazily connected handle configured from cfg, which must outlive
 * it.  Does not connect.  Never returns NULL.  Free with db_free.
 */
struct db *db_new(const struct config *cfg);

/* Close the connection and release db.  db_free(NULL) is a no-op. */
void db_free(struct db *db);

/*
 * Execute statement s with nparams text parameters (values[i] NULL = SQL
 * NULL; nparams must equal the table's count).  Connects, and prepares s on
 * this connection, if needed.  Returns the result (PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK), registered with arena_defer so it is cleared at
 * arena_reset: the caller must not PQclear it.  Returns NULL on failure,
 * after logging the reason; db_last_unavailable() then says which kind.
 *
 * If the connection turns out to be dead, it is reset and one reconnect is
 * tried at once (bounded by db_connect_timeout); an idempotent statement
 * outside a transaction is then sent again, anything else fails as
 * unavailable (the caller cannot know whether a write happened).
 */
PGresult *db_exec(struct db *db, struct arena *a, enum db_stmt s, int nparams,
    const char *const *values);

/*
 * How many times db_exec was called on db since db_new (each call is one
 * statement, i.e. one round trip, whether it succeeded or not).  Test
 * builds report the difference per request as X-Marquee-Queries (http.c).
 */
unsigned long db_exec_count(const struct db *db);

/*
 * After a failure of db_exec/db_begin/db_commit: 1 when the database is
 * unavailable (cannot connect, connection lost, statement or lock timeout,
 * server shutting down or out of connections: answer 503), 0 for any other
 * error (a bug or a constraint violation: 500 unless the caller maps the
 * SQLSTATE itself).
 */
int db_last_unavailable(const struct db *db);

/*
 * SQLSTATE of the last failed statement ("23505" ...), or "" if the failure
 * had none (connection problems).  Valid until the next call on db.
 */
const char *db_last_sqlstate(const struct db *db);

/*
 * Transactions for multi-statement writes.  Each returns 0 on success, -1 on
 * failure (logged; see db_last_unavailable).  db_rollback is safe to call
 * when no transaction is open or the connection is gone.  While a
 * transaction is open db_exec never re-sends a statement.
 */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

#endif
