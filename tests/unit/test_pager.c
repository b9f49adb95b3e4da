/*
 * test_pager.c - pagination links and query-string escaping (pages/pager.h).
 */
#include "pages/pager.h"

#include "arena.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

/* The items as text: "1 2 3 … 9" with the current page in brackets. */
static char *
items_text(const struct tval *p)
{
	static char out[512];
	out[0] = '\0';
	const struct tval *items = tv_get(p, "items");
	for (size_t i = 0; i < tv_len(items); i++) {
		const struct tval *it = tv_at(items, i), *n = tv_get(it, "n");
		long long num = n && n->type == TV_INT ? n->u.i : -1;
		const struct tval *cur = tv_get(it, "current");
		char one[32];
		if (tv_get(it, "gap") == tv_bool(1))
			strcpy(one, "…");
		else if (cur == tv_bool(1))
			snprintf(one, sizeof one, "[%lld]", num);
		else
			snprintf(one, sizeof one, "%lld", num);
		if (i)
			strcat(out, " ");
		strcat(out, one);
	}
	return out;
}

static const char *
str(const struct tval *p, const char *k)
{
	return tv_string(tv_get(p, k));
}

int
main(void)
{
	struct arena *a = arena_new();
	struct tval *p = pager_values(a, "/x", "/x?page=", 1, 1);
	T_STREQ("one page", items_text(p), "[1]");
	T_CHECK("one page: no prev, no next", !tv_get(p, "prev") && !tv_get(p, "next"));
	T_CHECK("one page: not many", tv_get(p, "many") == tv_bool(0));

	p = pager_values(a, "/x", "/x?page=", 1, 9);
	T_STREQ("first of 9", items_text(p), "[1] 2 3 … 9");
	T_STREQ("first: next", str(p, "next"), "/x?page=2");
	T_CHECK("first: no prev", tv_get(p, "prev") == NULL);

	p = pager_values(a, "/x", "/x?page=", 5, 9);
	T_STREQ("middle of 9", items_text(p), "1 … 3 4 [5] 6 7 … 9");
	T_STREQ("middle: prev", str(p, "prev"), "/x?page=4");

	p = pager_values(a, "/x", "/x?page=", 2, 9);
	T_STREQ("page 2: prev is the canonical first page", str(p, "prev"), "/x");
	T_STREQ("page 2 of 9", items_text(p), "1 [2] 3 4 … 9");

	p = pager_values(a, "/x", "/x?page=", 9, 9);
	T_STREQ("last of 9", items_text(p), "1 … 7 8 [9]");
	T_CHECK("last: no next", tv_get(p, "next") == NULL);

	p = pager_values(a, "/x", "/x?page=", 4, 7);
	T_STREQ("no gap of one page", items_text(p), "1 2 3 [4] 5 6 7");

	p = pager_values(a, "/x", "/x?page=", 20000, 41667);
	T_STREQ("deep page of many", items_text(p), "1 … 19998 19999 [20000] 20001 20002 … 41667");
	T_STREQ("deep page: next", str(p, "next"), "/x?page=20001");

	p = pager_values(a, "/x", "/x?page=", 2, 2);
	T_STREQ("two pages", items_text(p), "1 [2]");
	T_STREQ("escape: unreserved kept", pager_qs_escape(a, "aZ09-._~"), "aZ09-._~");
	T_STREQ("escape: space is +", pager_qs_escape(a, "a b"), "a+b");
	T_STREQ("escape: reserved and quotes", pager_qs_escape(a, "&=?#+%\"'<"), "%26%3D%3F%23%2B%25%22%27%3C");
	T_STREQ("escape: UTF-8 bytes", pager_qs_escape(a, "é"), "%C3%A9");
	T_STREQ("escape: empty", pager_qs_escape(a, ""), "");
	arena_free(a);
	return t_done("test_pager");
}
