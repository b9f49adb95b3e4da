/*
 * fcgi_io.c - see fcgi_io.h.
 */
#include "fcgi_io.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <fcgiapp.h>

#include "arena.h"
#include "log.h"
#include "util.h"

struct fcgi_io {
	FCGX_Request req;
	int          listen_fd;
	int          open;      /* a request is accepted and not finished */
};

struct fcgi_io *
fcgi_io_new(int listen_fd)
{
	if (FCGX_Init() != 0) {
		log_error("fcgi: FCGX_Init failed");
		return NULL;
	}
	struct fcgi_io *io = xcalloc(1, sizeof *io);
	io->listen_fd = listen_fd;
	if (FCGX_InitRequest(&io->req, listen_fd, 0) != 0) {
		log_error("fcgi: FCGX_InitRequest failed");
		free(io);
		return NULL;
	}
	return io;
}

void
fcgi_io_free(struct fcgi_io *io)
{
	if (io == NULL)
		return;
	fcgi_io_finish(io);
	/* Frees libfcgi's buffers; 0: leave the listening socket to the process. */
	FCGX_Free(&io->req, 0);
	free(io);
}

/*
 * accept(2) on the listening socket, retrying the errors that concern only
 * the connection being accepted (the peer gave up).  The same call libfcgi
 * makes, so the worker's system call filter needs nothing new.
 */
static int
accept_conn(int listen_fd)
{
	for (;;) {
		int fd = accept(listen_fd, NULL, NULL);
		if (fd >= 0 || (errno != ECONNABORTED && errno != EPROTO && errno != EINTR))
			return fd;
	}
}

int
fcgi_io_accept(struct fcgi_io *io)
{
	/*
	 * We accept the connection ourselves and hand libfcgi the connected
	 * socket (it skips its own accept when ipcFd is set; keepConnection
	 * stops the FCGX_Finish_r it starts with from closing it).  libfcgi's
	 * accept, on a unix socket, waits in select() for the connection to
	 * become readable and closes it if select fails: a stop signal landing
	 * there (EINTR) dropped a request nginx had already sent, a 502 seen
	 * once in 755 requests of a rolling reload.  Here the request is
	 * always read: the signal's handler only ends the *next* accept
	 * (worker.c).
	 */
	if (io->req.ipcFd < 0) {
		int fd = accept_conn(io->listen_fd);
		if (fd < 0) {
			io->open = 0;
			return -1;
		}
		io->req.ipcFd = fd;
		io->req.keepConnection = 1;
	}
	int rc = FCGX_Accept_r(&io->req);
	if (rc < 0) {
		io->open = 0;
		errno = rc > -10000 ? -rc : EIO;
		return -1;
	}
	io->open = 1;
	return 0;
}

char **
fcgi_io_params(struct fcgi_io *io, struct arena *a)
{
	size_t n = 0;
	for (char **e = io->req.envp; e && *e; e++)
		n++;
	char **out = arena_calloc(a, n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = arena_strdup(a, io->req.envp[i]);
	return out;
}

long
fcgi_io_read_body(void *ud, char *dst, size_t n)
{
	struct fcgi_io *io = ud;
	if (n > INT_MAX)
		n = INT_MAX;
	int got = FCGX_GetStr(dst, (int)n, io->req.in);
	if (got > 0)
		return got;
	return FCGX_GetError(io->req.in) ? -1 : 0;
}

int
fcgi_io_write(struct fcgi_io *io, const char *p, size_t n)
{
	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (FCGX_PutStr(p, chunk, io->req.out) != chunk)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

void
fcgi_io_finish(struct fcgi_io *io)
{
	if (io->open) {
		FCGX_Finish_r(&io->req);
		io->open = 0;
	}
}

void
fcgi_io_shutdown_pending(void)
{
	FCGX_ShutdownPending();
}
