/*
 * util.h - process-wide allocation helpers and the out-of-memory policy.
 *
 * Policy: running out of memory is not recoverable inside a worker.  The
 * x*alloc helpers log one line to stderr and abort(); the master logs the
 * signal and respawns the worker.  Callers never check for NULL.
 */
#ifndef MARQUEE_UTIL_H
#define MARQUEE_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);       /* aborts on overflow */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Log "out of memory: what" and abort().  Never returns. */
_Noreturn void die_oom(const char *what);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
