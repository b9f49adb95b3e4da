/*
 * test_catalog.c - the catalog file format (src/ctl/catalog.c) and the
 * argument validators (src/ctl/ctl_check.c): every limit at its boundary,
 * on both sides, and the COPY text escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "ctl/catalog.h"
#include "ctl/ctl_util.h"
#include "t.h"

/* Errors cat_validate finds in the JSON text of one item of kind k. */
static size_t
errors(enum cat_kind k, const char *json, int under_video)
{
	json_error_t je;
	json_t *o = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		printf("FAIL: test JSON does not parse: %s (%s)\n", json, je.text);
		return 999;
	}
	/* max 0: count without printing. */
	struct cat_errs e = {.max = 0};
	size_t n = cat_validate(k, o, "x", under_video, &e);
	json_decref(o);
	return n;
}

static char *
repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit);
	char *s = malloc(len * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

/* {"slug":"c","name":NAME} with NAME repeated n times. */
static size_t
collection_name(const char *unit, size_t n)
{
	char *name = repeat(unit, n);
	char *j = malloc(strlen(name) + 64);
	sprintf(j, "{\"slug\":\"c\",\"name\":\"%s\"}", name);
	size_t r = errors(CAT_COLLECTION, j, 0);
	free(j);
	free(name);
	return r;
}

#define VIDEO_BASE "\"slug\":\"v\",\"collection\":\"c\",\"title\":\"t\"," \
	"\"hls_manifest_url\":\"/h.m3u8\",\"thumbnail_url\":\"/t.jpg\""

static size_t
video_with(const char *extra)
{
	char j[4096];
	snprintf(j, sizeof j, "{" VIDEO_BASE ",\"performers\":[\"p\"]%s%s}", *extra ? "," : "", extra);
	return errors(CAT_VIDEO, j, 1);
}

static size_t
video_performers(int n)
{
	char list[512] = "";
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s\"p%d\"", i ? "," : "", i);
	char j[1024];
	snprintf(j, sizeof j, "{" VIDEO_BASE ",\"performers\":[%s]}", list);
	return errors(CAT_VIDEO, j, 1);
}

static void
test_slugs(void)
{
	T_CHECK("slug: simple", ctl_is_slug("a", 255));
	T_CHECK("slug: words and digits", ctl_is_slug("city-lights-2", 255));
	T_CHECK("slug: empty", !ctl_is_slug("", 255));
	T_CHECK("slug: leading hyphen", !ctl_is_slug("-a", 255));
	T_CHECK("slug: trailing hyphen", !ctl_is_slug("a-", 255));
	T_CHECK("slug: double hyphen", !ctl_is_slug("a--b", 255));
	T_CHECK("slug: upper case", !ctl_is_slug("Abc", 255));
	T_CHECK("slug: space", !ctl_is_slug("a b", 255));
	T_CHECK("slug: non-ASCII", !ctl_is_slug("caf\xc3\xa9", 255));
	char *s255 = repeat("a", 255), *s256 = repeat("a", 256);
	T_CHECK("slug: 255 characters", ctl_is_slug(s255, 255));
	T_CHECK("slug: 256 characters", !ctl_is_slug(s256, 255));
	free(s255);
	free(s256);
}

static void
test_args(void)
{
	long long v = 0;
	T_CHECK("uuid: valid", ctl_is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
	T_CHECK("uuid: upper case hex", ctl_is_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
	T_CHECK("uuid: too short", !ctl_is_uuid("0f8fad5b-d9cb-469f-a165-70867728950"));
	T_CHECK("uuid: too long", !ctl_is_uuid("0f8fad5b-d9cb-469f-a165-70867728950ee"));
	T_CHECK("uuid: no hyphens", !ctl_is_uuid("0f8fad5bd9cb469fa16570867728950e"));
	T_CHECK("uuid: non-hex", !ctl_is_uuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
	T_CHECK("number: lower bound", ctl_parse_long("1", 1, 3650, &v) == 0 && v == 1);
	T_CHECK("number: upper bound", ctl_parse_long("3650", 1, 3650, &v) == 0 && v == 3650);
	T_CHECK("number: below", ctl_parse_long("0", 1, 3650, &v) != 0);
	T_CHECK("number: above", ctl_parse_long("3651", 1, 3650, &v) != 0);
	T_CHECK("number: trailing text", ctl_parse_long("10d", 1, 3650, &v) != 0);
	T_CHECK("number: leading space", ctl_parse_long(" 10", 1, 3650, &v) != 0);
	T_CHECK("number: plus sign", ctl_parse_long("+10", 1, 3650, &v) != 0);
	T_CHECK("number: empty", ctl_parse_long("", 1, 3650, &v) != 0);
	T_CHECK("number: overflow", ctl_parse_long("99999999999999999999", 0, 36500, &v) != 0);
}

static void
test_fields(void)
{
	T_CHECK("collection: minimal valid", errors(CAT_COLLECTION, "{\"slug\":\"c\",\"name\":\"C\"}", 0) == 0);
	T_CHECK("collection: name missing", errors(CAT_COLLECTION, "{\"slug\":\"c\"}", 0) == 1);
	T_CHECK("collection: unknown key", errors(CAT_COLLECTION, "{\"slug\":\"c\",\"name\":\"C\",\"x\":1}", 0) == 1);
	T_CHECK("collection: not an object", errors(CAT_COLLECTION, "[]", 0) == 1);
	T_CHECK("name: 255 characters", collection_name("a", 255) == 0);
	T_CHECK("name: 256 characters", collection_name("a", 256) == 1);
	/* Characters, not bytes: VARCHAR(255) holds 255 two-byte letters. */
	T_CHECK("name: 255 two-byte characters", collection_name("\xc3\xa9", 255) == 0);
	T_CHECK("name: 256 two-byte characters", collection_name("\xc3\xa9", 256) == 1);
	T_CHECK("name: control character", errors(CAT_COLLECTION, "{\"slug\":\"c\",\"name\":\"a\\u0001\"}", 0) == 1);
	T_CHECK("name: newline", errors(CAT_COLLECTION, "{\"slug\":\"c\",\"name\":\"a\\nb\"}", 0) == 1);
	T_CHECK("description: newline allowed",
	    errors(CAT_COLLECTION, "{\"slug\":\"c\",\"name\":\"C\",\"description\":\"a\\nb\\tc\"}", 0) == 0);
	T_CHECK("null optional field is absent",
	    errors(CAT_COLLECTION, "{\"slug\":\"c\",\"name\":\"C\",\"description\":null}", 0) == 0);

	T_CHECK("colours: #rrggbb", errors(CAT_COLLECTION,
	    "{\"slug\":\"c\",\"name\":\"C\",\"color_scheme\":{\"primary\":\"#A1b2C3\",\"accent\":\"#000000\"}}", 0) == 0);
	T_CHECK("colours: #rgb", errors(CAT_COLLECTION,
	    "{\"slug\":\"c\",\"name\":\"C\",\"color_scheme\":{\"primary\":\"#abc\",\"accent\":\"#fff\"}}", 0) == 0);
	T_CHECK("colours: 4 digits", errors(CAT_COLLECTION,
	    "{\"slug\":\"c\",\"name\":\"C\",\"color_scheme\":{\"primary\":\"#abcd\",\"accent\":\"#fff\"}}", 0) == 1);
	T_CHECK("colours: CSS injection", errors(CAT_COLLECTION,
	    "{\"slug\":\"c\",\"name\":\"C\",\"color_scheme\":{\"primary\":\"red;x\",\"accent\":\"#fff\"}}", 0) == 1);
	T_CHECK("colours: extra key", errors(CAT_COLLECTION,
	    "{\"slug\":\"c\",\"name\":\"C\",\"color_scheme\":{\"primary\":\"#fff\",\"accent\":\"#fff\",\"x\":\"#fff\"}}", 0) == 1);

	T_CHECK("video: minimal valid", video_with("") == 0);
	T_CHECK("video: 1 performer", video_performers(1) == 0);
	T_CHECK("video: 10 performers", video_performers(10) == 0);
	T_CHECK("video: 0 performers", video_performers(0) == 1);
	T_CHECK("video: 11 performers", video_performers(11) == 1);
	T_CHECK("video: qualities", video_with("\"qualities\":[\"480p\",\"720p\",\"1080p\",\"4k\"]") == 0);
	T_CHECK("video: unknown quality", video_with("\"qualities\":[\"8k\"]") == 1);
	T_CHECK("video: quality twice", video_with("\"qualities\":[\"4k\",\"4k\"]") == 1);
	T_CHECK("video: duration 0", video_with("\"duration_seconds\":0") == 0);
	T_CHECK("video: duration -1", video_with("\"duration_seconds\":-1") == 1);
	T_CHECK("video: duration INT_MAX", video_with("\"duration_seconds\":2147483647") == 0);
	T_CHECK("video: duration INT_MAX+1", video_with("\"duration_seconds\":2147483648") == 1);
	T_CHECK("video: duration as real", video_with("\"duration_seconds\":1.5") == 1);
	T_CHECK("video: file size beyond 32 bits", video_with("\"file_size_bytes\":5000000000") == 0);
	T_CHECK("video: boolean as string", video_with("\"is_published\":\"true\"") == 1);

	T_CHECK("date: leap day 2000", video_with("\"release_date\":\"2000-02-29\"") == 0);
	T_CHECK("date: no leap day 1900", video_with("\"release_date\":\"1900-02-29\"") == 1);
	T_CHECK("date: no leap day 2023", video_with("\"release_date\":\"2023-02-29\"") == 1);
	T_CHECK("date: 1900-01-01", video_with("\"release_date\":\"1900-01-01\"") == 0);
	T_CHECK("date: 1899-12-31", video_with("\"release_date\":\"1899-12-31\"") == 1);
	T_CHECK("date: 2999-12-31", video_with("\"release_date\":\"2999-12-31\"") == 0);
	T_CHECK("date: 3000-01-01", video_with("\"release_date\":\"3000-01-01\"") == 1);
	T_CHECK("date: April 31", video_with("\"release_date\":\"2024-04-31\"") == 1);
	T_CHECK("date: trailing text", video_with("\"release_date\":\"2024-04-01x\"") == 1);
	T_CHECK("time: whole seconds", video_with("\"is_published\":true,\"published_at\":\"2024-01-01T23:59:59Z\"") == 0);
	T_CHECK("time: 6 fraction digits", video_with("\"is_published\":true,\"published_at\":\"2024-01-01T00:00:00.123456Z\"") == 0);
	T_CHECK("time: 7 fraction digits", video_with("\"is_published\":true,\"published_at\":\"2024-01-01T00:00:00.1234567Z\"") == 1);
	T_CHECK("time: no zone", video_with("\"is_published\":true,\"published_at\":\"2024-01-01T00:00:00\"") == 1);
	T_CHECK("time: hour 24", video_with("\"is_published\":true,\"published_at\":\"2024-01-01T24:00:00Z\"") == 1);

	T_CHECK("url: https", video_with("\"description\":\"d\"") == 0);
	T_CHECK("url: site-relative", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"/media/a.jpg\"}", 0) == 0);
	T_CHECK("url: http", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"http://a.example/x\"}", 0) == 0);
	T_CHECK("url: javascript", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"javascript:alert(1)\"}", 0) == 1);
	T_CHECK("url: data", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"data:image/png;base64,AA\"}", 0) == 1);
	T_CHECK("url: protocol-relative", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"//a.example/x\"}", 0) == 1);
	T_CHECK("url: no host", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"https://\"}", 0) == 1);
	T_CHECK("url: space", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"/a b.jpg\"}", 0) == 1);
	T_CHECK("url: angle bracket", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"/a<b.jpg\"}", 0) == 1);
	char *u = repeat("a", 2048 - 1), j[4200];
	snprintf(j, sizeof j, "{\"photo_type\":\"profile\",\"url\":\"/%s\"}", u);
	T_CHECK("url: 2048 bytes", errors(CAT_PHOTO, j, 0) == 0);
	snprintf(j, sizeof j, "{\"photo_type\":\"profile\",\"url\":\"/a%s\"}", u);
	T_CHECK("url: 2049 bytes", errors(CAT_PHOTO, j, 0) == 1);
	free(u);

	T_CHECK("photo: performer key under a video", errors(CAT_PHOTO, "{\"photo_type\":\"video_still\",\"url\":\"/a\",\"performer\":\"p\"}", 1) == 0);
	T_CHECK("photo: performer key under a performer", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"/a\",\"performer\":\"p\"}", 0) == 1);
	T_CHECK("photo: width 0", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"/a\",\"width\":0}", 0) == 1);
	T_CHECK("photo: width 1", errors(CAT_PHOTO, "{\"photo_type\":\"profile\",\"url\":\"/a\",\"width\":1}", 0) == 0);
	T_CHECK("social link: platform", errors(CAT_SOCIAL_LINK, "{\"platform\":\"tiktok\",\"handle\":\"h\"}", 0) == 0);
	T_CHECK("social link: unknown platform", errors(CAT_SOCIAL_LINK, "{\"platform\":\"myspace\",\"handle\":\"h\"}", 0) == 1);
}

static void
test_copy(void)
{
	struct buf b = BUF_INIT;
	cat_copy_text(&b, "a\\b\tc\nd\re");
	T_STREQ("copy: escapes backslash, tab, newline, CR", b.data, "a\\\\b\\tc\\nd\\re");
	buf_reset(&b);
	json_t *o = json_loads("{\"platform\":\"custom\",\"handle\":\"h\\tx\",\"sort_order\":-3}", 0, NULL);
	cat_copy_columns(CAT_SOCIAL_LINK, o, &b);
	/* platform, handle, url, icon_url, sort_order, is_verified (default f) */
	T_STREQ("copy: columns in field order with defaults", b.data, "\tcustom\th\\tx\t\\N\t\\N\t-3\tf");
	json_decref(o);
	buf_reset(&b);
	o = json_loads("{" VIDEO_BASE ",\"qualities\":[\"1080p\"],\"performers\":[\"p\"]}", 0, NULL);
	cat_copy_columns(CAT_VIDEO, o, &b);
	T_CHECK("copy: qualities become four booleans", strstr(b.data, "\tf\tf\tt\tf\t") != NULL);
	T_CHECK("copy: column count", cat_ncolumns(CAT_VIDEO) == 18);
	json_decref(o);
	buf_free(&b);
}

int
main(void)
{
	test_slugs();
	test_args();
	test_fields();
	test_copy();
	return t_done("test_catalog");
}
