/*
 * buf.h - growable byte buffer, on the heap or in an arena.
 *
 * BUF_INIT is heap-backed: the owner calls buf_free(); a long-lived owner (a
 * worker's output buffer) keeps it across requests, buf_reset() empties
 * without freeing.  BUF_IN(arena) grows inside a request arena (response
 * bodies, per-request scratch text): nothing to free, the memory goes with
 * arena_reset(); buf_free() only forgets it.
 *
 * data is always NUL-terminated after any append (data[len] == '\0'), so it
 * can be passed to C string functions when the content holds no NUL.
 * Growth aborts on OOM (see util.h).
 */
#ifndef MARQUEE_BUF_H
#define MARQUEE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct arena;

struct buf {
	char         *data;   /* NULL until the first append */
	size_t        len;
	size_t        cap;
	struct arena *arena;  /* NULL: heap-backed */
};

#define BUF_INIT {NULL, 0, 0, NULL}
#define BUF_IN(a) ((struct buf){NULL, 0, 0, (a)})

/* Make room for at least `extra` more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);

/* Append n bytes. */
static inline void
buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Append the decimal form of v (hand-formatted; no printf). */
void buf_put_i64(struct buf *b, long long v);

/* Empty the buffer, keep its memory. */
static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Release memory (arena-backed: forget it); empty and reusable afterwards. */
void buf_free(struct buf *b);

/*
 * Give up capacity beyond `keep` bytes if the buffer has grown past it, so a
 * worker that once rendered a huge page does not hold that memory forever.
 * A no-op for arena-backed buffers (arena_reset does that job).
 */
void buf_shrink(struct buf *b, size_t keep);

#endif
