/*
 * assets.c - see assets.h.
 */
#include "assets.h"

#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directory depth followed: static/ is two levels deep; a symlink loop must end. */
#define ASSETS_MAX_DEPTH 8

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
hash_file(crypto_generichash_state *st, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char chunk[8192];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		crypto_generichash_update(st, (const unsigned char *)chunk, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Hash dir/rel (rel "" for the top) into st; returns 0 or -1. */
static int
hash_dir(crypto_generichash_state *st, const char *root, const char *rel, int depth)
{
	if (depth > ASSETS_MAX_DEPTH)
		return -1;
	size_t plen = strlen(root) + strlen(rel) + 2;
	char *path = xmalloc(plen);
	snprintf(path, plen, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	free(path);
	if (d == NULL)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;   /* ., .., and editors' hidden files */
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);

	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t rlen = strlen(rel) + strlen(names[i]) + 2;
		char *sub = xmalloc(rlen);
		snprintf(sub, rlen, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		size_t flen = strlen(root) + rlen + 1;
		char *full = xmalloc(flen);
		snprintf(full, flen, "%s/%s", root, sub);
		struct stat sb;
		if (rc == 0 && stat(full, &sb) != 0) {
			rc = -1;
		} else if (rc == 0 && S_ISDIR(sb.st_mode)) {
			rc = hash_dir(st, root, sub, depth + 1);
		} else if (rc == 0 && S_ISREG(sb.st_mode)) {
			/* The name with its NUL, so "a"+"bc" and "ab"+"c" differ. */
			crypto_generichash_update(st, (const unsigned char *)sub, strlen(sub) + 1);
			rc = hash_file(st, full);
		}
		free(full);
		free(sub);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
assets_version(const char *dir, char *out, size_t outlen)
{
	if (outlen < ASSETS_VERSION_LEN + 1)
		return -1;
	crypto_generichash_state st;
	unsigned char h[ASSETS_VERSION_LEN / 2];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	int rc = hash_dir(&st, dir, "", 0);
	crypto_generichash_final(&st, h, sizeof h);
	if (rc != 0) {
		memset(out, '0', ASSETS_VERSION_LEN);
		out[ASSETS_VERSION_LEN] = '\0';
		return -1;
	}
	sodium_bin2hex(out, outlen, h, sizeof h);
	return 0;
}

char *
assets_dir_for(const char *templates_dir)
{
	size_t n = strlen(templates_dir);
	while (n > 1 && templates_dir[n - 1] == '/')
		n--;
	while (n > 0 && templates_dir[n - 1] != '/')
		n--;   /* drop the last component */
	size_t len = n + sizeof "static";
	char *s = xmalloc(len);
	snprintf(s, len, "%.*sstatic", (int)n, templates_dir);
	return s;
}
