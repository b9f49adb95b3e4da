/*
 * fcgi_io.c - see fcgi_io.h.
 */
#include "fcgi_io.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <fastcgi.h>
#include <fcgiapp.h>

#include "arena.h"
#include "log.h"
#include "util.h"

struct fcgi_io {
	FCGX_Request req;
	int          listen_fd;
	int          open;      /* a request is accepted and not finished */
	int          responded; /* fcgi_io_respond sent the whole response */
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

/* The 8-byte header of a record of type `type` with `len` content bytes. */
static void
record_header(unsigned char h[FCGI_HEADER_LEN], int type, int id, size_t len)
{
	h[0] = FCGI_VERSION_1;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = 0;   /* no padding */
	h[7] = 0;
}

/* writev until every byte is out (iov is consumed).  0, or -1 (errno). */
static int
writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/*
 * Records per writev: a page is one or two; a bigger response goes out in
 * batches of this many records.
 */
#define BATCH 32

int
fcgi_io_respond(struct fcgi_io *io, const char *head, size_t head_len,
    const char *body, size_t body_len)
{
	int fd = io->req.ipcFd, id = io->req.requestId;
	unsigned char hdr[BATCH + 2][FCGI_HEADER_LEN];
	struct iovec iov[2 * BATCH + 3];
	int niov = 0, nhdr = 0;
	const struct { const char *p; size_t n; } part[2] = {{head, head_len}, {body, body_len}};

	for (int i = 0; i < 2; i++) {
		const char *p = part[i].p;
		size_t left = part[i].n;
		while (left > 0) {
			size_t n = left > FCGI_MAX_LENGTH ? FCGI_MAX_LENGTH : left;
			record_header(hdr[nhdr], FCGI_STDOUT, id, n);
			iov[niov++] = (struct iovec){hdr[nhdr++], FCGI_HEADER_LEN};
			iov[niov++] = (struct iovec){(void *)p, n};
			p += n;
			left -= n;
			if (nhdr == BATCH) {
				if (writev_all(fd, iov, niov) < 0)
					return -1;
				niov = nhdr = 0;
			}
		}
	}
	/* End of stdout, then FCGI_END_REQUEST: application status 0, complete. */
	record_header(hdr[nhdr], FCGI_STDOUT, id, 0);
	iov[niov++] = (struct iovec){hdr[nhdr++], FCGI_HEADER_LEN};
	record_header(hdr[nhdr], FCGI_END_REQUEST, id, sizeof(FCGI_EndRequestBody));
	iov[niov++] = (struct iovec){hdr[nhdr++], FCGI_HEADER_LEN};
	static const FCGI_EndRequestBody end = {.protocolStatus = FCGI_REQUEST_COMPLETE};
	iov[niov++] = (struct iovec){(void *)&end, sizeof end};
	if (writev_all(fd, iov, niov) < 0)
		return -1;
	/* libfcgi's stdout stream stays empty: its close must not write again. */
	io->req.out->wasFCloseCalled = 1;
	io->responded = 1;
	return 0;
}

void
fcgi_io_finish(struct fcgi_io *io)
{
	if (!io->open)
		return;
	/*
	 * libfcgi closes with a lingering close: shutdown, then wait in
	 * select() until nginx closes its end, so that unread request bytes
	 * cannot turn into a reset that loses the response.  Once the whole
	 * response is out and stdin was read to its end, nothing of the
	 * request is left unread and nginx sends nothing more on this
	 * connection: it is closed at once, and the worker goes back to
	 * accept instead of waiting for nginx.  A connection nginx asked to
	 * keep (FCGI_KEEP_CONN) stays open either way.
	 */
	FCGX_Stream *in = io->req.in;
	int quick = io->responded && !io->req.keepConnection && in != NULL
	    && in->isClosed && FCGX_GetError(in) == 0;
	if (quick)
		io->req.keepConnection = 1;   /* Finish_r leaves the socket to us */
	FCGX_Finish_r(&io->req);
	if (quick && io->req.ipcFd >= 0) {
		close(io->req.ipcFd);
		io->req.ipcFd = -1;
	}
	io->open = 0;
	io->responded = 0;
}

void
fcgi_io_shutdown_pending(void)
{
	FCGX_ShutdownPending();
}
