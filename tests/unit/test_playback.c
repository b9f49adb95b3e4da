/*
 * test_playback.c - the playback rules (pages/playback.h): HLS paths nginx
 * may authorise, manifest URLs mapped to /hls/, progress percentages.
 */
#include <string.h>

#include "arena.h"
#include "pages/playback.h"
#include "t.h"

static void
test_paths(void)
{
	T_CHECK("path: master playlist", playback_hls_path_ok("/hls/test/master.m3u8"));
	T_CHECK("path: segment", playback_hls_path_ok("/hls/test/720p/seg000.ts"));
	T_CHECK("path: fmp4 part", playback_hls_path_ok("/hls/a_b-C/1080p/init.m4s"));
	T_CHECK("path: one file", playback_hls_path_ok("/hls/x"));
	T_CHECK("path: the prefix alone", !playback_hls_path_ok("/hls/"));
	T_CHECK("path: no prefix", !playback_hls_path_ok("/media/hls/test/master.m3u8"));
	T_CHECK("path: prefix without slash", !playback_hls_path_ok("/hlsx/a.ts"));
	T_CHECK("path: upper-case prefix", !playback_hls_path_ok("/HLS/a.ts"));
	T_CHECK("path: dot-dot", !playback_hls_path_ok("/hls/../media/x.ts"));
	T_CHECK("path: dot-dot at end", !playback_hls_path_ok("/hls/a/.."));
	T_CHECK("path: dot segment", !playback_hls_path_ok("/hls/./a.ts"));
	T_CHECK("path: dots inside a name are fine", playback_hls_path_ok("/hls/a..b/c.ts"));
	T_CHECK("path: empty segment", !playback_hls_path_ok("/hls//a.ts"));
	T_CHECK("path: trailing slash", !playback_hls_path_ok("/hls/a/"));
	T_CHECK("path: encoded dot", !playback_hls_path_ok("/hls/%2e%2e/a.ts"));
	T_CHECK("path: encoded slash", !playback_hls_path_ok("/hls/a%2Fb.ts"));
	T_CHECK("path: query", !playback_hls_path_ok("/hls/a.ts?x=1"));
	T_CHECK("path: backslash", !playback_hls_path_ok("/hls/a\\..\\b.ts"));
	T_CHECK("path: space", !playback_hls_path_ok("/hls/a b.ts"));
	T_CHECK("path: non-ASCII", !playback_hls_path_ok("/hls/\xc3\xa9.ts"));
	T_CHECK("path: empty", !playback_hls_path_ok(""));

	char longp[PLAYBACK_PATH_MAX + 2];
	memcpy(longp, "/hls/", 5);
	memset(longp + 5, 'a', sizeof longp - 6);
	longp[PLAYBACK_PATH_MAX] = '\0';
	T_CHECK("path: PLAYBACK_PATH_MAX bytes", playback_hls_path_ok(longp));
	longp[PLAYBACK_PATH_MAX] = 'a';
	longp[PLAYBACK_PATH_MAX + 1] = '\0';
	T_CHECK("path: one byte more", !playback_hls_path_ok(longp));
}

static void
test_manifest(void)
{
	struct arena *a = arena_new();
	T_STREQ("manifest: site-relative", playback_manifest_path(a, "/hls/test/master.m3u8"),
	    "/hls/test/master.m3u8");
	T_STREQ("manifest: CDN URL maps to /hls/",
	    playback_manifest_path(a, "https://cdn.example.com/hls/v1/master.m3u8"), "/hls/v1/master.m3u8");
	T_STREQ("manifest: http CDN with port",
	    playback_manifest_path(a, "http://cdn.example.com:8443/hls/v1/master.m3u8"), "/hls/v1/master.m3u8");
	T_CHECK("manifest: CDN path outside /hls/",
	    playback_manifest_path(a, "https://cdn.example.com/streams/v1/master.m3u8") == NULL);
	T_CHECK("manifest: userinfo", playback_manifest_path(a, "https://cdn@evil.example/hls/a.m3u8") == NULL);
	T_CHECK("manifest: no host", playback_manifest_path(a, "https:///hls/a.m3u8") == NULL);
	T_CHECK("manifest: host only", playback_manifest_path(a, "https://cdn.example.com") == NULL);
	T_CHECK("manifest: query", playback_manifest_path(a, "https://cdn.example.com/hls/a.m3u8?token=x") == NULL);
	T_CHECK("manifest: javascript:", playback_manifest_path(a, "javascript:alert(1)") == NULL);
	T_CHECK("manifest: scheme-relative", playback_manifest_path(a, "//cdn.example.com/hls/a.m3u8") == NULL);
	T_CHECK("manifest: media path", playback_manifest_path(a, "/media/hls/test/master.m3u8") == NULL);
	T_CHECK("manifest: empty", playback_manifest_path(a, "") == NULL);
	arena_free(a);
}

static void
test_progress(void)
{
	char pct[8];
	int done = -1;
	T_CHECK("progress: start", playback_progress(0, 100, pct, sizeof pct, &done) == 0 &&
	    strcmp(pct, "0.00") == 0 && done == 0);
	T_CHECK("progress: a third", playback_progress(1, 3, pct, sizeof pct, &done) == 0 &&
	    strcmp(pct, "33.33") == 0 && done == 0);
	T_CHECK("progress: just under 90% is not completed",
	    playback_progress(8999, 10000, pct, sizeof pct, &done) == 0 && strcmp(pct, "89.99") == 0 &&
	    done == 0);
	T_CHECK("progress: 90% is completed", playback_progress(9, 10, pct, sizeof pct, &done) == 0 &&
	    strcmp(pct, "90.00") == 0 && done == 1);
	T_CHECK("progress: the end", playback_progress(20, 20, pct, sizeof pct, &done) == 0 &&
	    strcmp(pct, "100.00") == 0 && done == 1);
	T_CHECK("progress: 24 h", playback_progress(PLAYBACK_SECONDS_MAX, PLAYBACK_SECONDS_MAX, pct,
	    sizeof pct, &done) == 0 && strcmp(pct, "100.00") == 0);
	strcpy(pct, "x");
	T_CHECK("progress: past the end", playback_progress(21, 20, pct, sizeof pct, &done) == -1 &&
	    strcmp(pct, "x") == 0);
	T_CHECK("progress: negative", playback_progress(-1, 20, pct, sizeof pct, &done) == -1);
	T_CHECK("progress: zero duration", playback_progress(0, 0, pct, sizeof pct, &done) == -1);
	T_CHECK("progress: over 24 h", playback_progress(1, PLAYBACK_SECONDS_MAX + 1, pct, sizeof pct,
	    &done) == -1);
}

int
main(void)
{
	test_paths();
	test_manifest();
	test_progress();
	return t_done("test_playback");
}
