/*
 * db_stmts.c - every SQL statement the application runs, by enum db_stmt.
 *
 * Parameters only ($1..$n), never string-built SQL.  Mark a statement
 * DB_IDEMPOTENT only if sending it twice is harmless (reads).
 */
#include "db.h"

const struct db_stmt_def db_stmts[DB_STMT__MAX] = {
	[DB_PING] = {"ping", "SELECT 1", 0, DB_IDEMPOTENT},
};
