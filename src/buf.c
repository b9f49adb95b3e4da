/*
 * buf.c - growable byte buffer; see buf.h.
 */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "util.h"

void
buf_grow(struct buf *b, size_t extra)
{
	if (extra > SIZE_MAX / 2 - b->len)
		die_oom("buf_grow overflow");
	size_t need = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if (b->arena)
		b->data = arena_grow(b->arena, b->data, b->data ? b->len + 1 : 0, cap);
	else
		b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	if (b->cap - b->len <= (size_t)n)
		buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_put_i64(struct buf *b, long long v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	/* Work on the magnitude as unsigned so LLONG_MIN is fine. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void
buf_free(struct buf *b)
{
	if (b->arena == NULL)
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_shrink(struct buf *b, size_t keep)
{
	if (b->arena == NULL && b->cap > keep && b->len < keep) {
		b->data = xreallocarray(b->data, keep, 1);
		b->cap = keep;
	}
}
