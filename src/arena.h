/*
 * arena.h - per-request bump allocator.
 *
 * Every request gets one arena; everything derived from the request lives in
 * it and is released at once by arena_reset().  Foreign objects (PGresult,
 * json_t) are registered with arena_defer() and released at reset, in reverse
 * order of registration.  Chunks are kept across resets (up to a cap), so a
 * worker in steady state allocates nothing from malloc per request.
 *
 * Out of memory: every allocating function aborts the process with a log line
 * (the master respawns the worker); callers never check for NULL.
 * Not thread-safe; one arena per worker.
 */
#ifndef MARQUEE_ARENA_H
#define MARQUEE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Create an arena.  Never returns NULL (aborts on OOM).  Free with arena_free. */
struct arena *arena_new(void);

/* Release everything and the arena itself.  arena_free(NULL) is a no-op. */
void arena_free(struct arena *a);

/*
 * Run the deferred destructors (newest first), then forget every allocation.
 * Pointers previously returned by this arena are invalid afterwards.  Memory
 * beyond a retained budget is returned to the system so that one huge request
 * does not pin memory for the worker's lifetime.
 */
void arena_reset(struct arena *a);

/* n bytes, aligned for any type; n == 0 returns a valid unique pointer. */
void *arena_alloc(struct arena *a, size_t n);

/*
 * Make the block p (of `old` bytes, from this arena; NULL for none) hold n
 * bytes, keeping its contents: extended in place when p is the newest
 * allocation and its chunk has room, else moved (the old block stays
 * allocated until reset).  Returns the block, which may differ from p.
 * Growable buffers over an arena (struct buf with an arena) use this.
 */
void *arena_grow(struct arena *a, void *p, size_t old, size_t n);

/* nmemb * size zeroed bytes; aborts on multiplication overflow. */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);

/* Copies of strings, NUL-terminated, owned by the arena. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_memdup(struct arena *a, const void *p, size_t n);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Call fn(p) at the next arena_reset/arena_free (newest registration first). */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);

/* Bytes currently handed out (for tests and metrics). */
size_t arena_used(const struct arena *a);

#endif
