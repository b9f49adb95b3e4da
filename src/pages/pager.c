/*
 * pager.c - see pager.h.
 */
#include "pages/pager.h"

#include "arena.h"

#include <string.h>

/* Page numbers shown either side of the current page. */
#define PAGER_SPREAD 2

static json_t *
page_url(const char *first, const char *prefix, long n)
{
	if (n == 1)
		return json_string_nocheck(first);
	return json_sprintf("%s%ld", prefix, n);
}

json_t *
pager_json(const char *first, const char *prefix, long page, long npages)
{
	json_t *items = json_array();
	long last_shown = 0;
	for (long n = 1; n <= npages; n++) {
		int near = n >= page - PAGER_SPREAD && n <= page + PAGER_SPREAD;
		if (n != 1 && n != npages && !near)
			continue;
		if (last_shown != 0 && n > last_shown + 1)
			json_array_append_new(items, json_pack("{s:b}", "gap", 1));
		json_array_append_new(items, json_pack("{s:I, s:o, s:b}", "n", (json_int_t)n,
		    "url", page_url(first, prefix, n), "current", n == page));
		last_shown = n;
	}
	json_t *p = json_pack("{s:I, s:I, s:o, s:b}", "page", (json_int_t)page,
	    "npages", (json_int_t)npages, "items", items, "many", npages > 1);
	if (page > 1)
		json_object_set_new_nocheck(p, "prev", page_url(first, prefix, page - 1));
	if (page < npages)
		json_object_set_new_nocheck(p, "next", page_url(first, prefix, page + 1));
	return p;
}

char *
pager_qs_escape(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s);
	char *out = arena_alloc(a, len * 3 + 1), *o = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			*o++ = (char)c;
		} else if (c == ' ') {
			*o++ = '+';
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
