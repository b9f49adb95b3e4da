/*
 * tmpl.c - the template registry: name -> compiled template, and loading a
 * directory of NAME.mustache files into it.
 *
 * The registry is an open-addressing hash table (linear probing, power-of-two
 * size, at most half full).  It is filled at load time and only read while
 * rendering.  Compilation is in tmpl_compile.c, rendering in tmpl_render.c.
 */
#include "tmpl_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

struct tmpl_set {
	struct tmpl **slot;   /* cap entries, NULL = empty */
	size_t        cap;    /* power of two */
	size_t        n;
};


struct tmpl_set *
tmpl_set_new(void)
{
	struct tmpl_set *s = xcalloc(1, sizeof *s);
	s->cap = 16;
	s->slot = xcalloc(s->cap, sizeof *s->slot);
	return s;
}

void
tmpl_set_free(struct tmpl_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->cap; i++)
		tmpl_free(s->slot[i]);
	free(s->slot);
	free(s);
}

/* Index of name's slot: the slot holding it, or the empty slot ending its probe. */
static size_t
probe(const struct tmpl_set *s, const char *name, size_t len, uint32_t hash)
{
	size_t mask = s->cap - 1;
	size_t i = hash & mask;
	while (s->slot[i] != NULL) {
		const struct tmpl *t = s->slot[i];
		if (t->hash == hash && t->name_len == len && memcmp(t->name, name, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

const struct tmpl *
tmpl_set_find(const struct tmpl_set *s, const char *name, size_t len, uint32_t hash)
{
	return s->slot[probe(s, name, len, hash)];
}

int
tmpl_set_has(const struct tmpl_set *s, const char *name)
{
	size_t len = strlen(name);
	return tmpl_set_find(s, name, len, tval_hash(name, len)) != NULL;
}

static void
grow(struct tmpl_set *s)
{
	struct tmpl **old = s->slot;
	size_t oldcap = s->cap;
	s->cap *= 2;
	s->slot = xcalloc(s->cap, sizeof *s->slot);
	for (size_t i = 0; i < oldcap; i++)
		if (old[i] != NULL)
			s->slot[probe(s, old[i]->name, old[i]->name_len, old[i]->hash)] = old[i];
	free(old);
}

int
tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len,
             const char *filename, char *err, size_t errlen)
{
	struct tmpl *t = tmpl_compile(name, src, len, filename, err, errlen);
	if (t == NULL)
		return -1;
	size_t i = probe(s, t->name, t->name_len, t->hash);
	if (s->slot[i] != NULL) {
		tmpl_free(s->slot[i]);
		s->slot[i] = t;
		return 0;
	}
	s->slot[i] = t;
	if (++s->n * 2 > s->cap)
		grow(s);
	return 0;
}

/* errno values slurp() sets besides fopen/fread's own. */
#define EFTYPE_NOTREG EISDIR

/* Read a whole regular file.  Returns 0, or -1 with errno set (EFBIG: over
 * TMPL_MAX_SIZE; EFTYPE_NOTREG: not a regular file). */
static int
slurp(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		errno = EFTYPE_NOTREG;
		return -1;
	}
	if ((unsigned long long)st.st_size > TMPL_MAX_SIZE) {
		fclose(f);
		errno = EFBIG;
		return -1;
	}
	size_t n = (size_t)st.st_size;
	char *p = xmalloc(n + 1);
	size_t got = fread(p, 1, n, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || got != n) {
		free(p);
		errno = EIO;
		return -1;
	}
	*data = p;
	*len = n;
	return 0;
}

int
tmpl_set_add_file(struct tmpl_set *s, const char *name, const char *path,
                  char *err, size_t errlen)
{
	char *src;
	size_t len;
	if (slurp(path, &src, &len) != 0) {
		snprintf(err, errlen, "%s: %s", path,
		         errno == EFBIG ? "template larger than TMPL_MAX_SIZE"
		         : errno == EFTYPE_NOTREG ? "not a regular file" : strerror(errno));
		return -1;
	}
	int rc = tmpl_set_add(s, name, src, len, path, err, errlen);
	free(src);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char ext[] = ".mustache";

struct tmpl_set *
tmpl_set_load_dir(const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l <= sizeof ext - 1
		    || strcmp(e->d_name + l - (sizeof ext - 1), ext) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	/* Sorted, so that the error reported for a broken set is deterministic. */
	if (n > 1)   /* qsort(NULL, 0, ...) is undefined (UBSan) */
		qsort(names, n, sizeof *names, cmp_str);

	struct tmpl_set *s = tmpl_set_new();
	for (size_t i = 0; i < n && s != NULL; i++) {
		size_t pathlen = strlen(dir) + 1 + strlen(names[i]) + 1;
		char *path = xmalloc(pathlen);
		snprintf(path, pathlen, "%s/%s", dir, names[i]);
		names[i][strlen(names[i]) - (sizeof ext - 1)] = '\0';
		if (tmpl_set_add_file(s, names[i], path, err, errlen) != 0) {
			tmpl_set_free(s);
			s = NULL;
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return s;
}
