/*
 * fcgi_io.h - the only module that talks to libfcgi.
 *
 * One FastCGI connection at a time on the listening socket inherited as
 * fd 0 (spawn-fcgi): accept a request, hand out its params (copied into the
 * request arena) and a bounded body reader, write the response, finish.
 * Uses the FCGX_* API, not the stdio one, which copies request headers into
 * `environ` and would let a client set HTTP_PROXY for us (httpoxy).  The
 * connection itself is accepted here and handed to libfcgi (fcgi_io.c says
 * why), so that a stop signal can never drop a request already accepted.
 *
 * It does not parse anything: params go to the HTTP core as they came.
 */
#ifndef MARQUEE_FCGI_IO_H
#define MARQUEE_FCGI_IO_H

#include <stddef.h>

struct arena;
struct fcgi_io;

/*
 * Initialise libfcgi and a request slot on listen_fd.  Install the
 * process's signal handlers first: FCGX_Init installs its own only where
 * none exist.  Returns the handle, or NULL (logged).  Free with
 * fcgi_io_free.
 */
struct fcgi_io *fcgi_io_new(int listen_fd);

/* Release the handle (finishing a request still open).  NULL is a no-op. */
void fcgi_io_free(struct fcgi_io *io);

/*
 * Wait for the next request (finishing the previous one if still open).
 * Returns 0 when a request is open, -1 when accepting failed (errno; after
 * a stop, ENOTSOCK from the listening socket the worker replaced) or
 * shutdown was requested (fcgi_io_shutdown_pending).  A connection once
 * accepted is read and its request returned, whatever signal arrives.
 */
int fcgi_io_accept(struct fcgi_io *io);

/*
 * The open request's params as "NAME=VALUE" strings, NULL-terminated, copied
 * into a (valid until arena_reset, unlike libfcgi's, which die at finish).
 */
char **fcgi_io_params(struct fcgi_io *io, struct arena *a);

/*
 * Body reader for struct http_input (ud = the fcgi_io): reads up to n bytes
 * of the request body.  Returns bytes read (>0), 0 at end, -1 on error.
 */
long fcgi_io_read_body(void *ud, char *dst, size_t n);

/*
 * Send the whole response, the CGI head then the body, and end the request:
 * the stdout records, the end of stdout and FCGI_END_REQUEST go out in one
 * writev (libfcgi would cut them into 8 KB records, a write each).  Call
 * once per request.  Returns 0, or -1 when the client is gone (errno).
 */
int fcgi_io_respond(struct fcgi_io *io, const char *head, size_t head_len,
    const char *body, size_t body_len);

/*
 * Finish the open request and close its connection: at once when the
 * response was sent and the request read to its end, else by libfcgi's
 * lingering close.  Ends the request without a response when
 * fcgi_io_respond was not called or failed.
 */
void fcgi_io_finish(struct fcgi_io *io);

/*
 * Tell libfcgi to stop accepting (FCGX_ShutdownPending).  Async-signal-safe:
 * it only sets a flag.
 */
void fcgi_io_shutdown_pending(void);

#endif
