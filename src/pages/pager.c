/*
 * pager.c - see pager.h.
 */
#include "pages/pager.h"

#include "arena.h"
#include "buf.h"

#include <string.h>

/* Page numbers shown either side of the current page. */
#define PAGER_SPREAD 2

/* The URL of page n (borrowed first, or prefix + n in the arena). */
static struct tval *
page_url(struct arena *a, const char *first, const char *prefix, long n)
{
	if (n == 1)
		return tv_str(a, first);
	struct buf u = BUF_IN(a);
	buf_puts(&u, prefix);
	buf_put_i64(&u, n);
	return tv_strn(a, u.data, u.len);
}

static void
add_item(struct arena *a, struct tval *items, const char *first, const char *prefix, long n,
    int current)
{
	struct tval *o = tv_obj(a);
	tv_set_int(o, "n", n);
	tv_set(o, "url", page_url(a, first, prefix, n));
	tv_set_bool(o, "current", current);
	tv_push(items, o);
}

static void
add_gap(struct arena *a, struct tval *items)
{
	struct tval *gap = tv_obj(a);
	tv_set_bool(gap, "gap", 1);
	tv_push(items, gap);
}

struct tval *
pager_values(struct arena *a, const char *first, const char *prefix, long page, long npages)
{
	struct tval *items = tv_list(a);
	/* 1, the pages near `page`, npages: only those are visited, so a deep
	 * page of a big catalog costs no more than the first. */
	long lo = page - PAGER_SPREAD > 1 ? page - PAGER_SPREAD : 1;
	long hi = page + PAGER_SPREAD < npages ? page + PAGER_SPREAD : npages;
	if (lo > 1) {
		add_item(a, items, first, prefix, 1, page == 1);
		if (lo > 2)
			add_gap(a, items);
	}
	for (long n = lo; n <= hi; n++)
		add_item(a, items, first, prefix, n, n == page);
	if (hi < npages) {
		if (hi < npages - 1)
			add_gap(a, items);
		add_item(a, items, first, prefix, npages, page == npages);
	}
	struct tval *p = tv_obj(a);
	tv_set_int(p, "page", page);
	tv_set_int(p, "npages", npages);
	tv_set(p, "items", items);
	tv_set_bool(p, "many", npages > 1);
	if (page > 1)
		tv_set(p, "prev", page_url(a, first, prefix, page - 1));
	if (page < npages)
		tv_set(p, "next", page_url(a, first, prefix, page + 1));
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
