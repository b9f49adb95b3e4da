/*
 * ctl_util.h - helpers shared by marqueectl subcommands: the database
 * connection, parameterised statements that report their own errors, and
 * the validators for command-line arguments (slugs, UUIDs, bounded integers).
 *
 * The database helpers are in ctl_util.c; the pure validators (ctl_parse_long,
 * ctl_is_slug, ctl_is_uuid, ctl_bool) in ctl_check.c, which unit tests link
 * alone.  Every function that fails prints one line on stderr starting with
 * "marqueectl: " and returns the failure value stated below; callers only
 * decide the exit status.  Nothing here builds SQL from input: statements are
 * constant strings, values travel as parameters.
 */
#ifndef MARQUEE_CTL_UTIL_H
#define MARQUEE_CTL_UTIL_H

#include <stddef.h>

#include <libpq-fe.h>

/*
 * Connect to the configured database (ctl_config()->database_url) and set
 * the session TimeZone to UTC, the zone the TIMESTAMP columns hold.
 * Returns the connection (caller owns it: PQfinish), or NULL after printing
 * why.
 */
PGconn *ctl_db_open(void);

/*
 * Run sql with n text parameters (v[i] NULL = SQL NULL).  Returns the result
 * (PGRES_TUPLES_OK or PGRES_COMMAND_OK; caller owns it: PQclear), or NULL
 * after printing the server's message.
 */
PGresult *ctl_query(PGconn *c, const char *sql, int n, const char *const *v);

/* As ctl_query for statements whose rows are not needed: 0 on success, -1. */
int ctl_exec(PGconn *c, const char *sql, int n, const char *const *v);

/*
 * Like ctl_exec, but on failure copies the server's primary message (and
 * detail, if any) into err instead of printing it.  Returns 0 or -1.
 */
int ctl_exec_msg(PGconn *c, const char *sql, int n, const char *const *v,
    char *err, size_t errlen);

/* ROLLBACK when a transaction is open (also an aborted one); else nothing. */
void ctl_rollback(PGconn *c);

/*
 * Parse a base-10 integer that must lie in [lo, hi]; no sign other than
 * '-', no spaces, no trailing text.  Returns 0 and stores it, or -1.
 */
int ctl_parse_long(const char *s, long long lo, long long hi, long long *out);

/* 1 when s is a slug: lower-case letters/digits in groups joined by single
 * hyphens, 1..maxlen bytes (the schema's *_slug_format CHECK); else 0. */
int ctl_is_slug(const char *s, size_t maxlen);

/* 1 when s is a UUID in the 8-4-4-4-12 hex form; else 0. */
int ctl_is_uuid(const char *s);

/* "t" -> 1, anything else -> 0: libpq's text form of a boolean column. */
int ctl_bool(const PGresult *r, int row, int col);

#endif
