/*
 * json_alloc.c - jansson's allocator over the request arena; see json_alloc.h.
 */
#include "json_alloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "util.h"

/* Header before each block: its origin; 16 bytes keep the block 16-aligned. */
enum { FROM_HEAP = 0x48454150, FROM_ARENA = 0x4152454e };
struct hdr {
	_Alignas(16) unsigned origin;
};

static struct arena *bound;

static void *
jmalloc(size_t n)
{
	if (n > SIZE_MAX - sizeof(struct hdr))
		die_oom("json_alloc: size");
	struct hdr *h;
	if (bound) {
		h = arena_alloc(bound, sizeof *h + n);
		h->origin = FROM_ARENA;
	} else {
		h = xmalloc(sizeof *h + n);
		h->origin = FROM_HEAP;
	}
	return h + 1;
}

static void
jfree(void *p)
{
	if (p == NULL)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	if (h->origin == FROM_HEAP)
		free(h);
	/* FROM_ARENA: released by arena_reset. */
}

void
json_alloc_install(void)
{
	json_set_alloc_funcs(jmalloc, jfree);
}

void
json_alloc_bind(struct arena *a)
{
	bound = a;
}
