/*
 * test_catalog_util.c - the catalog pages' pure helpers (pages/catalog_util.h)
 * and the view buffer (pages/view.h).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "arena.h"
#include "config.h"
#include "buf.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/view.h"
#include "t.h"

static int
near(double a, double b)
{
	return a - b < 0.01 && b - a < 0.01;
}

static void
test_colours(void)
{
	unsigned char c[3];
	T_CHECK("hex: #rrggbb", cat_hex_colour("#FF6b6B", c) && c[0] == 255 && c[1] == 107 && c[2] == 107);
	T_CHECK("hex: #rgb", cat_hex_colour("#0f8", c) && c[0] == 0 && c[1] == 255 && c[2] == 136);
	T_CHECK("hex: no #", !cat_hex_colour("ff6b6b", c));
	T_CHECK("hex: 4 digits", !cat_hex_colour("#ff6b", c));
	T_CHECK("hex: 7 digits", !cat_hex_colour("#ff6b6b0", c));
	T_CHECK("hex: not hex", !cat_hex_colour("#gg0000", c));
	T_CHECK("hex: css injection", !cat_hex_colour("#fff;}body{", c));
	T_CHECK("hex: NULL", !cat_hex_colour(NULL, c));
	T_CHECK("hex: empty", !cat_hex_colour("", c));

	unsigned char black[3] = {0, 0, 0}, white[3] = {255, 255, 255}, grey[3] = {0x77, 0x77, 0x77};
	T_CHECK("contrast: black/white is 21", near(cat_contrast(black, white), 21.0));
	T_CHECK("contrast: symmetric", near(cat_contrast(white, grey), cat_contrast(grey, white)));
	T_CHECK("contrast: #777 on white is 4.48", near(cat_contrast(grey, white), 4.48));
	T_CHECK("luminance: white is 1", near(cat_luminance(white), 1.0));

	struct cat_palette p;
	T_CHECK("palette: valid scheme used", cat_palette_from("#FF6B6B", "#4ECDC4", &p) == 1);
	T_STREQ("palette: normalised primary", p.primary, "#ff6b6b");
	T_STREQ("palette: dark text on light red", p.on_primary, "#000000");
	T_CHECK("palette: half-valid scheme -> default", cat_palette_from("#123456", "red", &p) == 0);
	T_CHECK("palette: NULL -> default", cat_palette_from(NULL, NULL, &p) == 0);
	T_STREQ("palette: light text on the dark default", p.on_primary, "#ffffff");

	/* Every grey, and a sweep of colours: the chosen text colour reaches AA. */
	int all_aa = 1;
	for (int r = 0; r < 256; r += 5)
		for (int g = 0; g < 256; g += 15)
			for (int b = 0; b < 256; b += 51) {
				char hex[8], bad[8];
				snprintf(hex, sizeof hex, "#%02x%02x%02x", r, g, b);
				snprintf(bad, sizeof bad, "#%02x%02x%02x", b, r, g);
				cat_palette_from(hex, bad, &p);
				unsigned char bg[3], fg[3];
				cat_hex_colour(p.primary, bg);
				cat_hex_colour(p.on_primary, fg);
				if (cat_contrast(bg, fg) < 4.5)
					all_aa = 0;
			}
	T_CHECK("palette: text colour always >= 4.5:1", all_aa);
}

static void
test_urls(void)
{
#define U(s) (s), strlen(s)
	T_CHECK("url: https", cat_safe_url(U("https://instagram.com/perf_1")));
	T_CHECK("url: http with port and query", cat_safe_url(U("http://example.com:8080/a?b=c&d=e")));
	T_CHECK("url: javascript refused", !cat_safe_url(U("javascript:alert(1)")));
	T_CHECK("url: JaVaScRiPt refused", !cat_safe_url(U("JaVaScRiPt:alert(1)")));
	T_CHECK("url: data refused", !cat_safe_url(U("data:text/html,<script>")));
	T_CHECK("url: scheme-relative refused", !cat_safe_url(U("//evil.example/")));
	T_CHECK("url: no host", !cat_safe_url(U("https:///path")));
	T_CHECK("url: scheme only", !cat_safe_url(U("https://")));
	T_CHECK("url: space refused", !cat_safe_url(U("https://a.example/x y")));
	T_CHECK("url: quote refused", !cat_safe_url(U("https://a.example/\"onmouseover=x")));
	T_CHECK("url: angle bracket refused", !cat_safe_url(U("https://a.example/<script>")));
	T_CHECK("url: backslash refused", !cat_safe_url(U("https:\\\\evil.example")));
	T_CHECK("url: newline refused", !cat_safe_url(U("https://a.example/\n")));
	T_CHECK("url: non-ASCII refused", !cat_safe_url(U("https://a.example/\xc3\xa9")));
	T_CHECK("url: embedded NUL refused", !cat_safe_url("https://a.example/\0x", 20));
	T_CHECK("url: empty userinfo host refused", !cat_safe_url(U("https://user@/")));
	T_CHECK("url: relative refused", !cat_safe_url(U("/media/x.jpg")));
	T_CHECK("url: NULL refused", !cat_safe_url(NULL, 0));
	char long_url[2100];
	memset(long_url, 'a', sizeof long_url);
	memcpy(long_url, "https://a.example/", 18);
	T_CHECK("url: 2048 bytes accepted", cat_safe_url(long_url, 2048));
	T_CHECK("url: 2049 bytes refused", !cat_safe_url(long_url, 2049));

	T_CHECK("src: local path", cat_safe_src(U("/media/stills/a.jpg")));
	T_CHECK("src: absolute https", cat_safe_src(U("https://img.example.com/a.jpg")));
	T_CHECK("src: // refused", !cat_safe_src(U("//evil.example/a.jpg")));
	T_CHECK("src: relative refused", !cat_safe_src(U("media/a.jpg")));
	T_CHECK("src: javascript refused", !cat_safe_src(U("javascript:x")));
	T_CHECK("src: local with quote refused", !cat_safe_src(U("/a\".jpg")));
	T_CHECK("src_or_null: NULL", cat_src_or_null(NULL) == NULL);
	T_CHECK("src_or_null: empty", cat_src_or_null("") == NULL);
	T_CHECK("src_or_null: javascript", cat_src_or_null("javascript:x") == NULL);
	T_STREQ("src_or_null: local kept", cat_src_or_null("/media/a.jpg"), "/media/a.jpg");
#undef U
}

static void
test_jsonld(struct arena *a)
{
	struct buf b = BUF_INIT;
	json_t *in = json_pack("{s:s}", "name", "</script><!-- a & b \xe2\x80\xa8 \xe2\x80\xa9 \xe2\x80\xa6");
	json_dump_safe(&b, in);
	buf_putc(&b, '\0');
	T_STREQ("jsonld: escaped", b.data,
	    "{\"name\":\"\\u003c/script\\u003e\\u003c!-- a \\u0026 b \\u2028 \\u2029 \xe2\x80\xa6\"}");
	buf_free(&b);
	json_decref(in);

	json_t *o = json_pack("{s:s}", "name", "Rock & Roll </script> \"Uncut\" \xe2\x80\xa8");
	char *s = cat_jsonld(a, o);
	T_CHECK("jsonld: no </", strstr(s, "</") == NULL);
	T_CHECK("jsonld: no raw U+2028", strstr(s, "\xe2\x80\xa8") == NULL);
	json_t *back = json_loads(s, 0, NULL);
	T_CHECK("jsonld: still the same JSON", back && json_equal(back, o));
	json_decref(back);
	json_decref(o);

	/*
	 * json_dump_safe writes its own JSON: the same text as jansson's compact
	 * dump followed by the HTML escapes, for every kind of value.
	 */
	char ctl[40];
	for (int i = 0; i < 31; i++)
		ctl[i] = (char)(i + 1);
	memcpy(ctl + 31, "\x7f\"\\/\xc3\xa9", 7);
	ctl[38] = '\0';
	json_t *all = json_pack("{s:s, s:[i, I, I, f, f, f, b, b, n], s:{s:s, s:[]}, s:{}, s:s, s:s}",
	    "controls", ctl,
	    "numbers", 0, (json_int_t)-9007199254740993LL, (json_int_t)INT64_MAX, 4.5, -0.1, 1e300, 1, 0,
	    "nested", "k<\"ey>", "v&\xe2\x80\xa8w", "empty",
	    "obj",
	    "utf8", "Zo\xc3\xab \xf0\x9f\x8e\xac \xe2\x80\xa6 \xe2\x80\xa9 \xe2\x82\xac",
	    "", "");
	char *ref = json_dumps(all, JSON_COMPACT | JSON_ENCODE_ANY);
	struct buf want = BUF_INIT;
	for (const char *p = ref; p && *p; p++) {
		if (*p == '<')
			buf_puts(&want, "\\u003c");
		else if (*p == '>')
			buf_puts(&want, "\\u003e");
		else if (*p == '&')
			buf_puts(&want, "\\u0026");
		else if (strncmp(p, "\xe2\x80\xa8", 3) == 0 || strncmp(p, "\xe2\x80\xa9", 3) == 0) {
			buf_puts(&want, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
			p += 2;
		} else
			buf_putc(&want, *p);
	}
	buf_putc(&want, '\0');
	struct buf got = BUF_INIT;
	json_dump_safe(&got, all);
	buf_putc(&got, '\0');
	T_STREQ("json_dump_safe: jansson's compact JSON with the HTML escapes", got.data, want.data);
	buf_reset(&got);
	json_dump_safe(&got, NULL);
	buf_putc(&got, '\0');
	T_STREQ("json_dump_safe: NULL is null", got.data, "null");
	buf_free(&got);
	buf_free(&want);
	free(ref);
	json_decref(all);
}

/* cat_page_ld writes its JSON as text: the same bytes as the tree dumped. */
static void
test_page_ld(struct arena *a)
{
	struct config cfg = {.site_name = "Rock & Roll </script>", .base_url = "https://example.test"};
	struct app app = {.cfg = &cfg};
	json_t *items_json = json_pack("[{s:s}, {s:s}, {s:s}]", "href", "/videos/a", "title", "no href",
	    "href", "/videos/b\"<\xe2\x80\xa8");
	const struct tval *items = tv_from_json(a, items_json);
	struct tval *ctx = tv_obj(a);
	cat_page_ld(ctx, &app, a, "CollectionPage", "Tom & \"Jerry\" </script>", "/collections/x?sort=views", items);
	json_t *want = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:i, s:[{s:s, s:i, s:s}, {s:s, s:i, s:s}]}}",
	    "@context", "https://schema.org", "@type", "CollectionPage", "name", "Tom & \"Jerry\" </script>",
	    "url", "https://example.test/collections/x?sort=views",
	    "isPartOf", "@type", "WebSite", "name", "Rock & Roll </script>", "url", "https://example.test/",
	    "mainEntity", "@type", "ItemList", "numberOfItems", 2, "itemListElement",
	    "@type", "ListItem", "position", 1, "url", "https://example.test/videos/a",
	    "@type", "ListItem", "position", 2, "url", "https://example.test/videos/b\"<\xe2\x80\xa8");
	T_STREQ("page_ld: the bytes of the dumped tree", tv_string(tv_get(ctx, "jsonld")),
	    cat_jsonld(a, want));
	json_decref(want);

	ctx = tv_obj(a);
	cat_page_ld(ctx, &app, a, "WebSite", "Marquee", "/", NULL);
	want = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "@context", "https://schema.org",
	    "@type", "WebSite", "name", "Marquee", "url", "https://example.test/", "potentialAction",
	    "@type", "SearchAction", "target", "https://example.test/search?q={search_term_string}",
	    "query-input", "required name=search_term_string");
	T_STREQ("page_ld: WebSite has the search box", tv_string(tv_get(ctx, "jsonld")),
	    cat_jsonld(a, want));
	json_decref(want);

	ctx = tv_obj(a);
	tv_set_str(ctx, "jsonld", "{}");
	cat_page_ld(ctx, &app, a, "WebPage", "x", "/x", items);
	T_STREQ("page_ld: a handler's own JSON-LD is kept", tv_string(tv_get(ctx, "jsonld")), "{}");
	json_decref(items_json);
}

static void
test_arrays(struct arena *a)
{
	char **v;
	T_CHECK("array: empty", cat_pg_array(a, "{}", &v) == 0);
	T_CHECK("array: plain", cat_pg_array(a, "{alex-stone-1,sam-vale-2}", &v) == 2 &&
	    strcmp(v[0], "alex-stone-1") == 0 && strcmp(v[1], "sam-vale-2") == 0);
	T_CHECK("array: quoted with escapes",
	    cat_pg_array(a, "{\"Sam O'Hara\",\"a \\\"b\\\" c\",\"x,y\",\"back\\\\slash\"}", &v) == 4 &&
	    strcmp(v[0], "Sam O'Hara") == 0 && strcmp(v[1], "a \"b\" c") == 0 &&
	    strcmp(v[2], "x,y") == 0 && strcmp(v[3], "back\\slash") == 0);
	T_CHECK("array: NULL element", cat_pg_array(a, "{a,NULL,\"NULL\"}", &v) == 3 &&
	    v[1] == NULL && strcmp(v[2], "NULL") == 0);
	T_CHECK("array: quoted empty string", cat_pg_array(a, "{\"\"}", &v) == 1 && v[0][0] == '\0');
	T_CHECK("array: UTF-8 kept", cat_pg_array(a, "{Zoë}", &v) == 1 && strcmp(v[0], "Zoë") == 0);
	T_CHECK("array: not an array", cat_pg_array(a, "abc", &v) == -1);
	T_CHECK("array: unterminated quote", cat_pg_array(a, "{\"abc}", &v) == -1);
	T_CHECK("array: nested refused", cat_pg_array(a, "{{a,b},{c,d}}", &v) == -1);
	T_CHECK("array: empty element refused", cat_pg_array(a, "{a,,b}", &v) == -1);
	T_CHECK("array: garbage after quote refused", cat_pg_array(a, "{\"a\"b}", &v) == -1);
}

static void
test_formats(struct arena *a)
{
	char b[32];
	cat_duration(b, sizeof b, 0);
	T_STREQ("duration: 0", b, "0:00");
	cat_duration(b, sizeof b, 59);
	T_STREQ("duration: 59 s", b, "0:59");
	cat_duration(b, sizeof b, 3599);
	T_STREQ("duration: just under an hour", b, "59:59");
	cat_duration(b, sizeof b, 3600);
	T_STREQ("duration: one hour", b, "1:00:00");
	cat_duration(b, sizeof b, 3909);
	T_STREQ("duration: h:mm:ss", b, "1:05:09");
	cat_duration(b, sizeof b, -5);
	T_STREQ("duration: negative", b, "0:00");
	cat_duration(b, sizeof b, 360061);
	T_STREQ("duration: 100 hours", b, "100:01:01");
	cat_duration(b, sizeof b, 9223372036854775807LL);
	T_STREQ("duration: the largest", b, "2562047788015215:30:07");
	cat_duration(b, 4, 65);
	T_STREQ("duration: cut to the buffer", b, "1:0");
	cat_thousands(b, sizeof b, -9223372036854775807LL - 1);
	T_STREQ("thousands: the smallest", b, "-9,223,372,036,854,775,808");
	cat_iso_duration(b, sizeof b, 3909);
	T_STREQ("iso duration: PT1H5M9S", b, "PT1H5M9S");
	cat_iso_duration(b, sizeof b, 0);
	T_STREQ("iso duration: PT0S", b, "PT0S");
	cat_iso_duration(b, sizeof b, 7200);
	T_STREQ("iso duration: PT2H", b, "PT2H");
	cat_thousands(b, sizeof b, 0);
	T_STREQ("thousands: 0", b, "0");
	cat_thousands(b, sizeof b, 999);
	T_STREQ("thousands: 999", b, "999");
	cat_thousands(b, sizeof b, 1000);
	T_STREQ("thousands: 1,000", b, "1,000");
	cat_thousands(b, sizeof b, 1234567);
	T_STREQ("thousands: 1,234,567", b, "1,234,567");
	cat_thousands(b, sizeof b, -1234);
	T_STREQ("thousands: negative", b, "-1,234");
	T_CHECK("page count: 0 items is 1 page", cat_page_count(0) == 1);
	T_CHECK("page count: 24 is 1", cat_page_count(24) == 1);
	T_CHECK("page count: 25 is 2", cat_page_count(25) == 2);
	T_STREQ("truncate: fits", cat_truncate(a, "short", 10), "short");
	T_STREQ("truncate: cut", cat_truncate(a, "abc def ghi", 8), "abc def\xe2\x80\xa6");
	T_STREQ("truncate: never splits a character", cat_truncate(a, "ab\xc3\xa9\xc3\xa9", 3),
	    "ab\xe2\x80\xa6");
}

static void
test_views(struct arena *a)
{
	const char *id = "0cc175b9-c0f1-b6a8-31c3-99e269772661";
	T_STREQ("views: nothing pending", view_take_due(a, 0), "{}");
	view_record("not-a-uuid", 1000);
	T_CHECK("views: junk ignored", view_pending() == 0);
	view_record(id, 1000);
	T_STREQ("views: not due yet", view_take_due(a, 1000 + VIEW_FLUSH_MS - 1), "{}");
	T_CHECK("views: still pending", view_pending() == 1);
	view_record(id, 1001);
	const char *batch = view_take_due(a, 1000 + VIEW_FLUSH_MS);
	T_CHECK("views: due after the interval",
	    strcmp(batch, "{0cc175b9-c0f1-b6a8-31c3-99e269772661,0cc175b9-c0f1-b6a8-31c3-99e269772661}") == 0);
	T_CHECK("views: taken", view_pending() == 0);
	for (int i = 0; i < VIEW_FLUSH_MAX - 1; i++)
		view_record(id, 5000000);
	T_STREQ("views: not due below the batch size", view_take_due(a, 5000000), "{}");
	view_record(id, 5000000);
	batch = view_take_due(a, 5000000);
	T_CHECK("views: due when the batch is full",
	    strlen(batch) == (size_t)VIEW_FLUSH_MAX * 37 + 1 && view_pending() == 0);
}

/* A one-row result built in memory: values[i] NULL is SQL NULL. */
static PGresult *
row_of(int n, const char *const *values)
{
	PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	PGresAttDesc cols[16];
	memset(cols, 0, sizeof cols);
	for (int i = 0; i < n; i++) {
		cols[i].name = (char *)"c";
		cols[i].format = 0;
		cols[i].typlen = -1;
		cols[i].atttypmod = -1;
	}
	PQsetResultAttrs(r, n, cols);
	for (int i = 0; i < n; i++)
		PQsetvalue(r, 0, i, (char *)values[i], values[i] ? (int)strlen(values[i]) : -1);
	return r;
}

/* Numbers and cards read from result rows. */
static void
test_rows(struct arena *a)
{
	const char *nums[] = {"123", "-45", "9223372036854775807", "99999999999999999999",
	                      "-9223372036854775808", "-99999999999999999999", "4.5", "", NULL, "+7"};
	PGresult *r = row_of(10, nums);
	T_CHECK("col_ll: digits", cat_col_ll(r, 0, 0) == 123);
	T_CHECK("col_ll: negative", cat_col_ll(r, 0, 1) == -45);
	T_CHECK("col_ll: the largest bigint", cat_col_ll(r, 0, 2) == LLONG_MAX);
	T_CHECK("col_ll: too large saturates", cat_col_ll(r, 0, 3) == LLONG_MAX);
	T_CHECK("col_ll: the smallest bigint", cat_col_ll(r, 0, 4) == LLONG_MIN);
	T_CHECK("col_ll: too small saturates", cat_col_ll(r, 0, 5) == LLONG_MIN);
	T_CHECK("col_ll: stops at the first non-digit", cat_col_ll(r, 0, 6) == 4);
	T_CHECK("col_ll: empty is 0", cat_col_ll(r, 0, 7) == 0);
	T_CHECK("col_ll: NULL is 0", cat_col_ll(r, 0, 8) == 0);
	T_CHECK("col_ll: a plus sign", cat_col_ll(r, 0, 9) == 7);
	T_CHECK("col_str: NULL is null", cat_col_str(a, r, 0, 8) == tv_null());
	T_CHECK("col_str: the text with its length", cat_col_str(a, r, 0, 1)->n == 3);
	PQclear(r);

	const char *card[] = {"night-drive", "Night & Drive", "/media/t.jpg", "3725", "2026-01-02",
	                      "1234567", "4.5", "f", "t"};
	r = row_of(9, card);
	struct tval *c = cat_card(a, r, 0, 0);
	T_STREQ("card: href", tv_string(tv_get(c, "href")), "/videos/night-drive");
	T_STREQ("card: title", tv_string(tv_get(c, "title")), "Night & Drive");
	T_STREQ("card: thumb", tv_string(tv_get(c, "thumb")), "/media/t.jpg");
	T_STREQ("card: duration", tv_string(tv_get(c, "duration")), "1:02:05");
	T_STREQ("card: views", tv_string(tv_get(c, "views")), "1,234,567");
	T_STREQ("card: rating", tv_string(tv_get(c, "rating")), "4.5");
	T_STREQ("card: HD without 4K", tv_string(tv_get(c, "quality")), "HD");
	PQclear(r);

	const char *bare[] = {"x", "X", "javascript:alert(1)", NULL, "2026-01-02", "0", NULL, "f", "f"};
	r = row_of(9, bare);
	c = cat_card(a, r, 0, 0);
	T_CHECK("card: an unsafe thumb is left out", tv_get(c, "thumb") == NULL);
	T_CHECK("card: no duration, rating or quality", tv_get(c, "duration") == NULL
	        && tv_get(c, "rating") == NULL && tv_get(c, "quality") == NULL);
	T_STREQ("card: zero views", tv_string(tv_get(c, "views")), "0");
	PQclear(r);

	const char *none[] = {NULL, NULL, "", NULL, NULL, NULL, NULL, NULL, NULL};
	r = row_of(9, none);
	T_CHECK("card: no slug, no card", cat_card(a, r, 0, 0) == NULL);
	PQclear(r);
}

/* json_put_string finds every escape wherever it falls (the 16-byte blocks and the tail). */
static void
test_json_offsets(struct arena *a)
{
	static const struct { const char *in, *out; } esc[] = {
		{"\"", "\\\""}, {"\\", "\\\\"}, {"\n", "\\n"}, {"\x01", "\\u0001"}, {"\x1f", "\\u001F"},
		{"<", "\\u003c"}, {">", "\\u003e"}, {"&", "\\u0026"}, {"\xe2\x80\xa8", "\\u2028"},
		{"\xe2\x80\xa9", "\\u2029"}, {"\xe2\x80\xa6", "\xe2\x80\xa6"}, {"\x7f", "\x7f"}, {"\xc3\xa9", "\xc3\xa9"},
	};
	int ok = 1;
	for (size_t e = 0; e < sizeof esc / sizeof esc[0]; e++)
		for (size_t k = 0; k <= 40; k++) {
			struct buf in = BUF_IN(a), want = BUF_IN(a), got = BUF_IN(a);
			for (size_t i = 0; i < k; i++)
				buf_putc(&in, 'a');
			buf_puts(&in, esc[e].in);
			buf_puts(&in, "bbbbbbbbbbbbbbbbbbb");
			buf_putc(&want, '"');
			for (size_t i = 0; i < k; i++)
				buf_putc(&want, 'a');
			buf_puts(&want, esc[e].out);
			buf_puts(&want, "bbbbbbbbbbbbbbbbbbb\"");
			json_put_string(&got, in.data, in.len);
			if (strcmp(got.data, want.data) != 0) {
				printf("# json offset %zu, escape %zu: %s\n", k, e, got.data);
				ok = 0;
			}
		}
	T_CHECK("json_put_string: every escape at every offset 0..40", ok);
}

int
main(void)
{
	struct arena *a = arena_new();
	test_colours();
	test_urls();
	test_jsonld(a);
	test_page_ld(a);
	test_arrays(a);
	test_formats(a);
	test_views(a);
	test_rows(a);
	test_json_offsets(a);
	arena_free(a);
	return t_done("test_catalog_util");
}
