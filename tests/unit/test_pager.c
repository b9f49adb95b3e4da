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
items_text(json_t *p)
{
	static char out[512];
	out[0] = '\0';
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(p, "items"), i, it) {
		char one[32];
		if (json_is_true(json_object_get(it, "gap")))
			strcpy(one, "…");
		else if (json_is_true(json_object_get(it, "current")))
			snprintf(one, sizeof one, "[%lld]", (long long)json_integer_value(json_object_get(it, "n")));
		else
			snprintf(one, sizeof one, "%lld", (long long)json_integer_value(json_object_get(it, "n")));
		if (i)
			strcat(out, " ");
		strcat(out, one);
	}
	return out;
}

static const char *
str(json_t *p, const char *k)
{
	return json_string_value(json_object_get(p, k));
}

int
main(void)
{
	json_t *p = pager_json("/x", "/x?page=", 1, 1);
	T_STREQ("one page", items_text(p), "[1]");
	T_CHECK("one page: no prev, no next", !json_object_get(p, "prev") && !json_object_get(p, "next"));
	T_CHECK("one page: not many", json_is_false(json_object_get(p, "many")));
	json_decref(p);

	p = pager_json("/x", "/x?page=", 1, 9);
	T_STREQ("first of 9", items_text(p), "[1] 2 3 … 9");
	T_STREQ("first: next", str(p, "next"), "/x?page=2");
	T_CHECK("first: no prev", json_object_get(p, "prev") == NULL);
	json_decref(p);

	p = pager_json("/x", "/x?page=", 5, 9);
	T_STREQ("middle of 9", items_text(p), "1 … 3 4 [5] 6 7 … 9");
	T_STREQ("middle: prev", str(p, "prev"), "/x?page=4");
	json_decref(p);

	p = pager_json("/x", "/x?page=", 2, 9);
	T_STREQ("page 2: prev is the canonical first page", str(p, "prev"), "/x");
	T_STREQ("page 2 of 9", items_text(p), "1 [2] 3 4 … 9");
	json_decref(p);

	p = pager_json("/x", "/x?page=", 9, 9);
	T_STREQ("last of 9", items_text(p), "1 … 7 8 [9]");
	T_CHECK("last: no next", json_object_get(p, "next") == NULL);
	json_decref(p);

	p = pager_json("/x", "/x?page=", 4, 7);
	T_STREQ("no gap of one page", items_text(p), "1 2 3 [4] 5 6 7");
	json_decref(p);

	struct arena *a = arena_new();
	T_STREQ("escape: unreserved kept", pager_qs_escape(a, "aZ09-._~"), "aZ09-._~");
	T_STREQ("escape: space is +", pager_qs_escape(a, "a b"), "a+b");
	T_STREQ("escape: reserved and quotes", pager_qs_escape(a, "&=?#+%\"'<"), "%26%3D%3F%23%2B%25%22%27%3C");
	T_STREQ("escape: UTF-8 bytes", pager_qs_escape(a, "é"), "%C3%A9");
	T_STREQ("escape: empty", pager_qs_escape(a, ""), "");
	arena_free(a);
	return t_done("test_pager");
}
