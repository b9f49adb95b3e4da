/*
 * tmpl.h - Marquee's mustache engine: a registry of compiled templates.
 *
 * Templates are compiled once (worker start, reload) into a flat array of
 * operations with resolved jump targets and pre-split, pre-hashed names;
 * rendering walks that array against a template value (tval.h) and parses
 * nothing.  Implements the
 * mustache spec's comments, delimiters, interpolation, inverted, partials,
 * sections, ~inheritance and ~dynamic-names modules.  It does not implement
 * ~lambdas (data is JSON: there are no functions in it).  docs/TEMPLATES.md
 * describes the design and the limits.
 *
 * Partials and parents come only from the registry, by name: a tag such as
 * {{>../etc/passwd}} looks up that string as a name and renders nothing when
 * no template is registered under it.  Nothing here opens files named in a
 * template or in data; only tmpl_set_load_dir() reads files, from one
 * directory the caller chooses.
 *
 * A set is built single-threaded (tmpl_set_add / tmpl_set_load_dir) and is
 * read-only afterwards: any number of renders may use it.
 */
#ifndef MARQUEE_TMPL_H
#define MARQUEE_TMPL_H

#include <stddef.h>

#include "buf.h"
#include "tval.h"

/* Why: a template is source text written by us; 8 MiB is far above any page
 * and keeps every offset in 32 bits. */
#define TMPL_MAX_SIZE (8u << 20)
/* Why: sections/blocks nested deeper than this are a mistake, and the bound
 * sizes the renderer's fixed context stack. */
#define TMPL_MAX_NEST 256
/* Why: a partial that includes itself must terminate; beyond this many
 * nested partial/parent/block expansions nothing further is rendered. */
#define TMPL_MAX_DEPTH 64

/* Why: a small template can multiply work without bound ({{>a}}{{>a}} in
 * "a", or a list iterated inside itself 256 deep); a render stops after this
 * many section iterations and expansions, or this much output, so one page
 * cannot take a worker down.  Real pages use a few thousand steps. */
#ifndef TMPL_MAX_STEPS              /* the fuzz build lowers both, to stay fast */
#define TMPL_MAX_STEPS  1000000
#endif
#ifndef TMPL_MAX_OUTPUT
#define TMPL_MAX_OUTPUT (32u << 20)
#endif

struct tmpl_set;

/* A new empty set.  Never returns NULL (aborts on OOM).  Free with tmpl_set_free. */
struct tmpl_set *tmpl_set_new(void);

/* Free the set and every template in it.  tmpl_set_free(NULL) is a no-op. */
void tmpl_set_free(struct tmpl_set *s);

/*
 * Compile `len` bytes of `src` and register the result under `name`,
 * replacing a template already registered under that name.  The source is
 * copied; `filename` is only used in error messages.
 * Returns 0 on success, or -1 with `err` set to "file:line:col: message"
 * (the set is then unchanged).
 */
int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len,
                 const char *filename, char *err, size_t errlen);

/*
 * Read the file at `path` and tmpl_set_add() it under `name`.  Returns 0, or
 * -1 with `err` set ("path: reason" for I/O errors, else as tmpl_set_add).
 */
int tmpl_set_add_file(struct tmpl_set *s, const char *name, const char *path,
                      char *err, size_t errlen);

/*
 * Load and compile every DIR/NAME.mustache (in name order), registered as
 * NAME.  Returns a new set (free with tmpl_set_free), or NULL with `err` set
 * to the first error, "file:line:col: message" for template errors or
 * "DIR: reason" for I/O errors.
 */
struct tmpl_set *tmpl_set_load_dir(const char *dir, char *err, size_t errlen);

/* Returns 1 if a template is registered under `name`, else 0. */
int tmpl_set_has(const struct tmpl_set *s, const char *name);

/*
 * Render template `name` with the context `ctx` (any value, borrowed; NULL
 * is null),
 * appending the output to `out`.  Returns 0 on success, or -1 if no template
 * has that name (nothing is appended), or 1 if the render hit
 * TMPL_MAX_STEPS or TMPL_MAX_OUTPUT and the output was cut short (a runaway
 * template: callers should not serve it).  Nothing else fails: missing names
 * and partials render as empty, per the spec, and expansions beyond
 * TMPL_MAX_DEPTH render nothing.  Allocates nothing except growth of `out`,
 * so a caller that reuses `out` renders without malloc.
 */
int tmpl_render(const struct tmpl_set *s, const char *name, const struct tval *ctx,
                struct buf *out);

#endif
