/*
 * app.h - what a request handler can reach: the worker's process-lifetime
 * state.
 *
 * One struct app per worker process, built before the first request
 * (app_init) and read-only for handlers, except the database connection,
 * which reconnects by itself.  On SIGHUP the master rolls workers, so a
 * worker never rebuilds its app while serving.
 *
 * Handlers never touch libfcgi: they see a struct request and fill a struct
 * response (http.h).
 */
#ifndef MARQUEE_APP_H
#define MARQUEE_APP_H

struct config;
struct db;
struct tmpl_set;

#include "assets.h"

struct app {
	const struct config   *cfg;   /* owned by the worker's main */
	struct db             *db;    /* this worker's connection (db.h) */
	const struct tmpl_set *tmpl;  /* compiled templates (tmpl.h) */
	char asset_version[ASSETS_VERSION_LEN + 1];  /* static files' hash (assets.h), site.asset_version */
};

#include <stddef.h>

/*
 * Build a worker's state from cfg (which must outlive app): compile the
 * template set in cfg->templates_dir and create the (not yet connected)
 * database handle, and hash the static files for their cache-busting
 * URLs (assets.h; an unreadable static directory is logged, not fatal).  Returns 0, or -1 with "file:line:col: message" (or why
 * the directory could not be read) in err; app then holds nothing to free.
 * The master calls it at start-up and on SIGHUP, so a broken template set
 * never reaches a worker; workers inherit the result through fork.
 */
int app_init(struct app *app, const struct config *cfg, char *err, size_t errlen);

/* Release what app_init built (not cfg) and zero app.  app_free(NULL) is a no-op. */
void app_free(struct app *app);

#endif
