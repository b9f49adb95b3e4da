/*
 * master.h - the supervisor process of marquee-fcgi.
 *
 * Runs in the process spawn-fcgi execs, with the listening FastCGI socket
 * on fd 0.  It never accepts a connection itself; it pre-forks the workers
 * (worker.h) and keeps their number right:
 *
 *  - A worker that dies is logged (exit status or signal, SIGSYS as a
 *    sandbox violation, and the path it was serving, from the shared
 *    scoreboard) and replaced.  Workers that die right after start without
 *    serving anything are a crash loop: respawns are then spaced by a delay
 *    doubling from 0.1 s up to respawn_backoff_max.  A worker that dies while
 *    serving a request is replaced at once: a request that crashes us must
 *    not also buy its sender a window with fewer workers.  The master never
 *    gives up.
 *  - Watchdog: a request running longer than request_timeout gets its worker
 *    SIGKILLed (it is stuck; a polite signal would wait for it) and the
 *    path logged.
 *  - Recycled workers (max_requests) are replaced at once.
 *  - SIGHUP: re-read the configuration and compile the templates; if either
 *    fails, log why and keep everything as it is.  Otherwise roll: start one
 *    new worker, wait until it accepts, retire one old worker (it finishes
 *    its request, then exits), and so on, so capacity never drops and the
 *    socket, held open here throughout, queues what arrives meanwhile.
 *  - SIGTERM, SIGINT, SIGQUIT: stop accepting, let requests in flight
 *    finish, SIGKILL whatever remains after shutdown_timeout, exit 0.
 *
 * Workers inherit stderr, so their log lines reach the service's log.
 */
#ifndef MARQUEE_MASTER_H
#define MARQUEE_MASTER_H

struct app;
struct config;

/*
 * Supervise workers until told to stop.  config_path is what -c gave (NULL:
 * $MARQUEE_CONFIG or defaults), re-read on SIGHUP.  cfg and app are heap
 * objects already loaded (config_load, app_init); the master takes them
 * over and frees them, also in the workers.  Returns the exit status (0
 * after a clean stop, 1 if supervision could not start, logged).
 */
int master_run(const char *config_path, struct config *cfg, struct app *app);

#endif
