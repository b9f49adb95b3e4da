/*
 * assets.h - the cache-busting version of the static files (CSS, JS).
 *
 * nginx serves /static/ with "Cache-Control: public, max-age=31536000,
 * immutable" (deploy/nginx/site.conf), so a browser never asks again for a
 * URL it has.  Pages therefore link /static/css/site.css?v=VERSION, where
 * VERSION is a hash of the contents of every file under the static
 * directory: any change to any asset gives every asset a new URL, and an
 * unchanged tree keeps its URLs (and browsers their caches) across deploys.
 * The master computes it at start-up and on SIGHUP (app_init), so after
 * changing static files an operator reloads as after changing templates.
 *
 * Not here: serving the files (nginx does).
 */
#ifndef MARQUEE_ASSETS_H
#define MARQUEE_ASSETS_H

#include <stddef.h>

/* Length of a version: 16 hex digits (64 bits of BLAKE2b: collisions are not a concern for cache keys). */
#define ASSETS_VERSION_LEN 16

/*
 * Hash the regular files under dir (recursively; names in byte order, each
 * file's relative path and contents) into out as ASSETS_VERSION_LEN hex
 * digits plus NUL (outlen >= ASSETS_VERSION_LEN + 1).
 * Returns 0, or -1 when dir or a file in it cannot be read (out then holds
 * "0000000000000000" so pages still render; the caller logs the problem).
 */
int assets_version(const char *dir, char *out, size_t outlen);

/*
 * The static directory that goes with a templates directory: the sibling
 * "static" of templates_dir ("/usr/share/marquee/templates" ->
 * "/usr/share/marquee/static"), as both are installed side by side and sit
 * side by side in the repository.  Heap-allocated; the caller frees it.
 */
char *assets_dir_for(const char *templates_dir);

#endif
