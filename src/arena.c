/*
 * arena.c - bump allocator with deferred destructors.  See arena.h.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_CHUNK      (64 * 1024)   /* covers a typical page's allocations */
#define ARENA_KEEP       (1024 * 1024) /* retained across resets; a bigger one is freed */
#define ARENA_ALIGN      16

struct chunk {
	struct chunk *next;
	size_t        size;   /* usable bytes in data[] */
	size_t        used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct defer {
	struct defer *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct chunk *head;    /* current chunk first */
	struct defer *defers;
	size_t        total;   /* bytes in all chunks */
	void         *last;    /* the newest allocation (arena_grow extends it in place) */
	struct chunk *last_in; /* ... and the chunk it is in */
};

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = xmalloc(sizeof *c + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct arena *
arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof *a);
	a->head = chunk_new(ARENA_CHUNK);
	a->total = ARENA_CHUNK;
	return a;
}

static void
run_defers(struct arena *a)
{
	while (a->defers) {
		struct defer *d = a->defers;
		a->defers = d->next;   /* unlink first: fn may not re-enter safely */
		d->fn(d->p);
	}
}

void
arena_reset(struct arena *a)
{
	run_defers(a);
	/* Keep the first chunks up to ARENA_KEEP, free the rest. */
	size_t kept = 0;
	struct chunk **pp = &a->head;
	while (*pp) {
		struct chunk *c = *pp;
		if (kept + c->size <= ARENA_KEEP) {
			kept += c->size;
			c->used = 0;
			pp = &c->next;
		} else {
			*pp = c->next;
			free(c);
		}
	}
	if (a->head == NULL)
		a->head = chunk_new(ARENA_CHUNK), kept = ARENA_CHUNK;
	a->total = kept;
	a->last = NULL;
	a->last_in = NULL;
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	run_defers(a);
	while (a->head) {
		struct chunk *c = a->head;
		a->head = c->next;
		free(c);
	}
	free(a);
}

static size_t
round_up(size_t n)
{
	if (n > SIZE_MAX - ARENA_ALIGN)
		die_oom("arena: allocation too large");
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	return n ? n : ARENA_ALIGN;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	n = round_up(n);
	/* Look for room in any retained chunk, current first. */
	for (struct chunk *c = a->head; c; c = c->next) {
		if (c->size - c->used >= n) {
			void *p = c->data + c->used;
			c->used += n;
			a->last = p;
			a->last_in = c;
			return p;
		}
	}
	size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
	struct chunk *c = chunk_new(size);
	c->next = a->head;
	a->head = c;
	a->total += size;
	c->used = n;
	a->last = c->data;
	a->last_in = c;
	return c->data;
}

void *
arena_grow(struct arena *a, void *p, size_t old, size_t n)
{
	if (p == NULL)
		return arena_alloc(a, n);
	if (n <= old)
		return p;
	if (p == a->last) {
		/* The newest allocation ends at its chunk's `used`: extend it there. */
		struct chunk *c = a->last_in;
		size_t start = (size_t)((unsigned char *)p - c->data);
		size_t want = round_up(n);
		if (want <= c->size - start) {
			c->used = start + want;
			return p;
		}
	}
	void *q = arena_alloc(a, n);
	memcpy(q, p, old);
	return q;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		die_oom("arena_calloc overflow");
	void *p = arena_alloc(a, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *
arena_memdup(struct arena *a, const void *p, size_t n)
{
	char *s = arena_alloc(a, n + 1);
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	return arena_memdup(a, s, len);
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_memdup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die_oom("arena_vprintf: bad format");
	char *s = arena_alloc(a, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct defer *d = arena_alloc(a, sizeof *d);
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
}

size_t
arena_used(const struct arena *a)
{
	size_t n = 0;
	for (const struct chunk *c = a->head; c; c = c->next)
		n += c->used;
	return n;
}
