/*
 * worker.c - see worker.h.
 *
 * Stopping a worker blocked in accept(): the signal handler points fd 0 (the
 * listening socket) at /dev/null with dup2, which is async-signal-safe.
 * Whether the signal lands before, during or after accept(), the next (or
 * restarted) accept fails with ENOTSOCK and fcgi_io_accept returns; a
 * connection already accepted is served first (fcgi_io.c); no window in
 * which a stop request is lost, and no EINTR sprinkled over the request's
 * own I/O (handlers use SA_RESTART).  Other workers and the master keep
 * their own descriptor of the socket, so nothing queued in it is lost.
 */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "fcgi_io.h"
#include "http.h"
#include "json_alloc.h"
#include "log.h"
#include "sandbox.h"

/* A response buffer that once grew beyond this is shrunk back after the request. */
#define OUT_KEEP (256 * 1024)

static volatile sig_atomic_t stopping;
static int stop_fd = -1;      /* /dev/null, dup2'ed over the listening socket on stop */
static int listen_fd_g = -1;

static void
on_stop(int sig)
{
	int saved = errno;
	(void)sig;
	stopping = 1;
	fcgi_io_shutdown_pending();
	if (stop_fd >= 0 && listen_fd_g >= 0)
		dup2(stop_fd, listen_fd_g);
	errno = saved;
}

long long
worker_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/*
	 * libfcgi's own SIGUSR1 handler (installed where the default is set)
	 * would only raise a flag and leave a blocked accept blocked.
	 */
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

/*
 * The path of the request about to be served, for the scoreboard: REQUEST_URI
 * up to '?' (queries may carry tokens; logs do not need them), control
 * characters and spaces replaced so a log line stays one parseable line.
 */
static void
slot_set_path(struct worker_slot *slot, char **envp)
{
	const char *uri = "-";
	for (char **e = envp; *e; e++) {
		if (strncmp(*e, "REQUEST_URI=", 12) == 0) {
			uri = *e + 12;
			break;
		}
	}
	size_t i = 0;
	for (; uri[i] && uri[i] != '?' && i < WORKER_PATH_MAX - 1; i++) {
		unsigned char c = (unsigned char)uri[i];
		slot->path[i] = (c <= 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	slot->path[i] = '\0';
}

/* Access-log form of a decoded path: bytes that would break the line are %XX. */
static const char *
log_path(struct arena *a, const char *p)
{
	size_t extra = 0;
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '"')
			extra += 2;
	if (extra == 0)
		return p;
	char *out = arena_alloc(a, strlen(p) + extra + 1), *o = out;
	for (const char *s = p; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c == 0x7f || c == '"')
			o += sprintf(o, "%%%02X", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

/* The access line: built with appends, not printf, since every request writes one. */
static void
log_access(struct arena *a, const struct response *resp, size_t bytes, long long us)
{
	if (!log_enabled(LOG_INFO))
		return;
	struct buf b = BUF_IN(a);
	buf_puts(&b, "access method=");
	buf_puts(&b, req_method_name(resp->req));
	buf_puts(&b, " path=");
	buf_puts(&b, log_path(a, req_path(resp->req)));
	buf_puts(&b, " status=");
	buf_put_i64(&b, resp_status(resp));
	buf_puts(&b, " bytes=");
	buf_put_i64(&b, (long long)bytes);
	buf_puts(&b, " us=");
	buf_put_i64(&b, us);
	log_text(LOG_INFO, b.data, b.len);
}

/* Serve the open request; returns the body bytes sent. */
static size_t
serve_one(struct app *app, struct fcgi_io *io, struct arena *a, struct response *resp,
    struct buf *out, struct worker_slot *slot)
{
	struct http_input in = {
		.envp = fcgi_io_params(io, a),
		.read_body = fcgi_io_read_body,
		.ud = io,
	};
	slot_set_path(slot, in.envp);
	atomic_store(&slot->started_ms, worker_now_ms());
	atomic_fetch_add(&slot->seq, 1);
	atomic_store(&slot->state, WORKER_BUSY);

	http_serve(app, a, &in, resp);

	buf_reset(out);
	resp_write_head(resp, out);
	size_t len = 0;
	const char *body = resp_body(resp, &len);
	if (fcgi_io_respond(io, out->data, out->len, body, len) < 0) {
		log_info("client went away before the response was sent");
		len = 0;
	}
	fcgi_io_finish(io);
	return len;
}

int
worker_run(struct app *app, struct worker_slot *slot, int listen_fd, pid_t master_pid)
{
	install_signals();
	stop_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	listen_fd_g = listen_fd;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Die with the master: nobody would supervise us (Linux-specific). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != master_pid)
		stopping = 1;

	slot->pid = getpid();
	struct fcgi_io *io = fcgi_io_new(listen_fd);
	if (io == NULL) {
		app_free(app);
		return 1;
	}
	struct arena *a = arena_new();
	json_alloc_bind(a);   /* jansson's objects live as long as the request (json_alloc.h) */
	struct response resp;
	resp_init(&resp);
	struct buf out = BUF_INIT;
	long max = app->cfg->max_requests;
	unsigned long long served = 0;

	/*
	 * Confined from here on: start-up is over (templates compiled, stop_fd
	 * open), PostgreSQL is connected lazily within the filter's allowances.
	 * Fail closed: a worker that cannot be confined does not serve.
	 */
	int rc = 0;
	if (sandbox_apply((enum sandbox_mode)app->cfg->sandbox) < 0) {
		rc = 1;
		stopping = 1;
	}
	atomic_store(&slot->state, WORKER_IDLE);
	while (!stopping && served < (unsigned long long)max) {
		if (fcgi_io_accept(io) < 0) {
			if (!stopping) {
				/* Exit non-zero so the master counts it toward crash-loop back-off. */
				log_error("worker: accept failed: %s", strerror(errno));
				rc = 1;
			}
			break;
		}
		long long t0 = now_us();
		size_t bytes = serve_one(app, io, a, &resp, &out, slot);
		log_access(a, &resp, bytes, now_us() - t0);
		log_set_request_id(NULL);
		served++;
		slot->served = served;
		atomic_store(&slot->state, WORKER_IDLE);
		arena_reset(a);
		resp_reset(&resp);
		buf_shrink(&out, OUT_KEEP);
	}
	if (served >= (unsigned long long)max)
		log_info("worker: recycling after %llu requests", served);

	buf_free(&out);
	resp_free(&resp);
	arena_free(a);
	json_alloc_bind(NULL);
	fcgi_io_free(io);
	app_free(app);
	if (stop_fd >= 0)
		close(stop_fd);
	return rc;
}
