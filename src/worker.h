/*
 * worker.h - one worker process: accept FastCGI requests on the inherited
 * listening socket and serve them one at a time, until told to stop or
 * recycled after max_requests.
 *
 * The worker publishes what it is doing in its scoreboard slot, a struct in
 * memory shared with the master (mmap MAP_SHARED before fork): the master's
 * watchdog reads the start time of the current request, and its reaper the
 * path a dead worker was serving.  Only the worker writes its slot while it
 * runs; only the master writes it between workers.
 *
 * Signals (installed before libfcgi sees any): SIGTERM, SIGQUIT, SIGINT and
 * SIGUSR1 mean "finish the request in flight, then exit 0"; SIGHUP (the
 * master's business) and SIGPIPE (a client that went away) are ignored.
 */
#ifndef MARQUEE_WORKER_H
#define MARQUEE_WORKER_H

#include <stdatomic.h>
#include <sys/types.h>

struct app;

enum worker_state {
	WORKER_FREE,       /* slot unused */
	WORKER_STARTING,   /* forked, initialising */
	WORKER_IDLE,       /* waiting for a request */
	WORKER_BUSY,       /* serving `path` since started_ms */
	WORKER_STATE__MAX
};

/* Bytes of a request path kept for the logs (longer paths are cut). */
#define WORKER_PATH_MAX 256

struct worker_slot {
	_Atomic int                state;       /* enum worker_state */
	_Atomic unsigned long long seq;         /* requests started; changes when a request begins */
	_Atomic long long          started_ms;  /* CLOCK_MONOTONIC ms when the current request began */
	pid_t                      pid;
	unsigned long long         served;      /* requests completed */
	char                       path[WORKER_PATH_MAX];   /* current/last request path, NUL-terminated */
};

/* CLOCK_MONOTONIC in milliseconds, the scoreboard's clock. */
long long worker_now_ms(void);

/*
 * Run a worker in a freshly forked child whose signal mask blocks the
 * master's signals: install the worker's handlers, unblock, serve requests
 * from listen_fd until stopped or after app->cfg->max_requests, then release
 * everything the worker allocated.  app is the master's, inherited through
 * fork; the worker frees its copy before returning.  master_pid: the worker
 * exits at once if its master is already gone.
 * Returns the process exit status (0: stopped or recycled; 1: start-up
 * failed, logged).
 */
int worker_run(struct app *app, struct worker_slot *slot, int listen_fd, pid_t master_pid);

#endif
