/*
 * util.c - allocation helpers; see util.h for the out-of-memory policy.
 */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void
die_oom(const char *what)
{
	/* fputs, not the logger: the logger may itself need memory. */
	fputs("marquee: fatal: out of memory: ", stderr);
	fputs(what, stderr);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		die_oom("malloc");
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		die_oom("calloc");
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		die_oom("reallocarray overflow");
	size_t n = nmemb * size;
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		die_oom("realloc");
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, SIZE_MAX);
}
