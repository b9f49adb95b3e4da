/*
 * json_alloc.h - jansson's memory in the request arena.
 *
 * A request's jansson values (a JSON body, an API answer, the JSON-LD of a
 * video or performer page) are many small objects freed together at the
 * end of the request.  Through malloc that was a fifth of a worker's CPU
 * when page contexts were jansson trees too (allocation, free and the
 * consolidation of freed fast bins); they are template values now (tval.h).
 * In the FastCGI program jansson allocates from the bound arena instead:
 * allocation is a bump, json_decref frees nothing, and arena_reset releases
 * everything at once.
 *
 * json_alloc_install() once at program start, before any jansson object
 * exists; then json_alloc_bind(a) makes later allocations come from arena a
 * (NULL: from the heap again).  Every block carries a small header naming
 * its origin, so freeing works for both kinds.
 *
 * Contract: a jansson object made while an arena is bound must not be used
 * after that arena's next arena_reset (the worker keeps none across
 * requests; objects the request owns are released with arena_defer, before
 * the reset).  Not thread-safe (one arena per process).  Out of memory
 * aborts, as everywhere (util.h).
 */
#ifndef MARQUEE_JSON_ALLOC_H
#define MARQUEE_JSON_ALLOC_H

struct arena;

void json_alloc_install(void);
void json_alloc_bind(struct arena *a);

#endif
