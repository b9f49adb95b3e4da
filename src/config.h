/*
 * config.h - Marquee's configuration: one `key = value` file plus
 * environment overrides, shared by marquee-fcgi and marqueectl.
 *
 * Sources, later ones winning: built-in defaults, the file (-c FILE, else
 * $MARQUEE_CONFIG, else none), then MARQUEE_<KEY> environment variables
 * (e.g. MARQUEE_DATABASE_URL, MARQUEE_WORKERS).  Every key is declared once
 * in the table in config.c ({name, type, default, bounds, field offset}), so
 * the struct, the parser, the defaults and the documentation cannot drift;
 * deploy/marquee.conf.example documents each key.
 *
 * File syntax: one `key = value` per line; blank lines and lines whose first
 * non-blank character is `#` are ignored (a `#` inside a value is part of the
 * value: passwords in connection strings may contain it).  Whitespace around
 * key and value is dropped; a value wrapped in double quotes keeps its inner
 * spaces.  A key may appear once.  Unknown keys and bad values are errors,
 * never warnings: a typo must stop start-up, not silently use a default.
 *
 * This module does not log and does not touch global state; callers apply
 * the result (log level, ...).
 */
#ifndef MARQUEE_CONFIG_H
#define MARQUEE_CONFIG_H

#include <stddef.h>

/* Upper bound of `workers`; the scoreboard is sized from it. */
#define CONFIG_WORKERS_MAX 256
/* `workers = auto` (the default): this many per usable CPU, at most
 * CONFIG_WORKERS_AUTO_MAX.
 * Why 2: a worker spends part of each request waiting for PostgreSQL, and
 * with one worker per CPU that wait leaves a CPU idle (measured: 2 workers
 * on 2 CPUs served ~20 % fewer pages than 4; docs/PERFORMANCE.md). */
#define CONFIG_WORKERS_PER_CPU 2
/* Why: each worker holds a PostgreSQL connection, and PostgreSQL's default
 * max_connections (100) must also serve marqueectl, backups and psql: past
 * this many an operator sets the number (and PostgreSQL's limit) on purpose. */
#define CONFIG_WORKERS_AUTO_MAX 32

struct config {
	char *database_url;          /* libpq connection string or URI */
	int   workers;               /* pre-forked worker processes */
	int   max_requests;          /* requests before a worker is recycled */
	int   request_timeout;       /* s; watchdog kills a request running longer */
	int   shutdown_timeout;      /* s; drain time on SIGTERM / reload */
	int   db_connect_timeout;    /* s */
	int   db_statement_timeout_ms;
	int   db_lock_timeout_ms;
	int   db_idle_in_transaction_timeout_ms;
	char *templates_dir;
	char *static_url;
	int   log_level;             /* enum log_level (log.h) */
	char *site_name;
	char *base_url;             /* http(s)://..., never ending in '/' (checked) */
	int   dev_mode;              /* bool */
	char *custodian_of_records;
	int   respawn_backoff_max;   /* s; cap of the crash-loop respawn delay */
	int   sandbox;               /* enum sandbox_mode (sandbox.h) */
	int   search_tier;           /* videos in search's first tier (marqueectl maintain) */
	/* accounts (session.h, pages/account.c) */
	int   session_idle_timeout;  /* s; a session unused this long is dead */
	int   session_max_age;       /* s; a session older than this is dead, used or not */
	char *secret_key;            /* signs anonymous CSRF cookies; "" = random per start */
	char *age_verification_secret;           /* HMAC key of the vendor's callbacks; "" = off */
	char *age_verification_secret_previous;  /* accepted too while rotating; "" = none */
	/* billing (billing.h, pages/join.c, pages/billing_webhook.c) */
	int   webhook_tolerance;     /* s; signed webhooks' timestamp window, both directions */
	char *plan_monthly_price;    /* "19.99" */
	char *plan_annual_price;
	char *currency;              /* ISO 4217 */
	char *processor_url;         /* hosted payment form base URL; "" = joining is off */
	char *processor_secret;      /* signs /join's redirect and our API calls to the processor */
	char *processor_api_url;     /* the processor's API base URL (marqueectl billing-send); "" = off */
	int   processor_api_timeout; /* s; bound of one API call, connecting included */
	char *billing_webhook_secret;           /* HMAC key of the processor's webhooks; "" = off */
	char *billing_webhook_secret_previous;  /* accepted too while rotating */

	char *path;                  /* file that was read, or NULL */
};

/*
 * Fill cfg with the built-in defaults only.  Strings are heap copies owned by
 * cfg (release with config_free).
 */
void config_defaults(struct config *cfg);

/*
 * Apply `key = value` lines from text[0..len) on top of cfg's current
 * values.  name is used in messages ("name:LINE: ...").  Returns 0 on
 * success, -1 on error with a message in err (cfg then holds a mix of old
 * and new values: free it, do not use it).  Never reads past len; text need
 * not be NUL-terminated.  Used by config_load and by the fuzz harness.
 */
int config_parse(struct config *cfg, const char *name, const char *text,
    size_t len, char *err, size_t errlen);

/*
 * Apply MARQUEE_<KEY> environment variables on top of cfg.  Returns 0, or -1
 * with err naming the variable and the key.
 */
int config_apply_env(struct config *cfg, char *err, size_t errlen);

/*
 * Load the whole configuration: defaults, then the file at path (NULL:
 * $MARQUEE_CONFIG if set and non-empty, else no file), then the environment.
 * Returns 0 on success; -1 with a message in err naming the key and
 * file:line (e.g. "marquee.conf:7: unknown key 'wrokers'"), in which case
 * cfg holds nothing that needs freeing.  Free a loaded cfg with config_free.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/*
 * Name of the i-th key (0-based, table order), or NULL past the last one.
 * Lets tests check that deploy/marquee.conf.example documents every key.
 */
const char *config_key_name(size_t i);

/* Release what cfg owns and zero it.  config_free(NULL) is a no-op. */
void config_free(struct config *cfg);

#endif
