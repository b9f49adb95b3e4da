/*
 * playback.c - pure rules of members' playback (playback.h).
 */
#include "pages/playback.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"

static int
path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '-';
}

int
playback_hls_path_ok(const char *path)
{
	static const char prefix[] = "/hls/";
	size_t len = strlen(path);
	if (len > PLAYBACK_PATH_MAX || strncmp(path, prefix, sizeof prefix - 1) != 0)
		return 0;
	const char *seg = path + sizeof prefix - 1;
	for (;;) {
		size_t n = 0;
		while (seg[n] != '\0' && seg[n] != '/') {
			if (!path_char((unsigned char)seg[n]))
				return 0;
			n++;
		}
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (seg[n] == '\0')
			return 1;
		seg += n + 1;
	}
}

const char *
playback_manifest_path(struct arena *a, const char *url)
{
	const char *path = url;
	if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) {
		const char *host = strstr(url, "://") + 3;
		path = strchr(host, '/');
		/* No host, or userinfo ("https://cdn@evil/..."): not a URL we map. */
		if (path == NULL || path == host || memchr(host, '@', (size_t)(path - host)))
			return NULL;
	}
	return playback_hls_path_ok(path) ? arena_strdup(a, path) : NULL;
}

int
playback_progress(long long position, long long duration, char *pct, size_t pctlen,
    int *completed)
{
	if (duration < 1 || duration > PLAYBACK_SECONDS_MAX || position < 0 || position > duration)
		return -1;
	/* In hundredths, rounded down: 89.999% is not yet 90%. */
	long long hundredths = position * 10000 / duration;
	snprintf(pct, pctlen, "%lld.%02lld", hundredths / 100, hundredths % 100);
	*completed = hundredths >= PLAYBACK_COMPLETED_PERCENT * 100;
	return 0;
}
