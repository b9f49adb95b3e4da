/*
 * pager.c - see pager.h.
 */
#include "pages/pager.h"

#include "arena.h"
#include "buf.h"

#include <string.h>

/* Page numbers shown either side of the current page. */
#define PAGER_SPREAD 2

static json_t *
page_url(const char *first, const char *prefix, long n)
{
	if (n == 1)
		return json_string_nocheck(first);
	struct buf u = BUF_INIT;
	buf_puts(&u, prefix);
	buf_put_i64(&u, n);
	json_t *s = json_stringn_nocheck(u.data, u.len);
	buf_free(&u);
	return s;
}

/* Built without json_pack: parsing its format strings was a tenth of this
 * function's time, and the pager is on every catalog page. */
static json_t *
page_item(const char *first, const char *prefix, long n, int current)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "n", json_integer((json_int_t)n));
	json_object_set_new_nocheck(o, "url", page_url(first, prefix, n));
	json_object_set_new_nocheck(o, "current", json_boolean(current));
	return o;
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
		if (last_shown != 0 && n > last_shown + 1) {
			json_t *gap = json_object();
			json_object_set_new_nocheck(gap, "gap", json_true());
			json_array_append_new(items, gap);
		}
		json_array_append_new(items, page_item(first, prefix, n, n == page));
		last_shown = n;
	}
	json_t *p = json_object();
	json_object_set_new_nocheck(p, "page", json_integer((json_int_t)page));
	json_object_set_new_nocheck(p, "npages", json_integer((json_int_t)npages));
	json_object_set_new_nocheck(p, "items", items);
	json_object_set_new_nocheck(p, "many", json_boolean(npages > 1));
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
