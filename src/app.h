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

struct app {
	const struct config   *cfg;   /* owned by the worker's main */
	struct db             *db;    /* this worker's connection (db.h) */
	const struct tmpl_set *tmpl;  /* compiled templates (tmpl.h) */
};

#endif
