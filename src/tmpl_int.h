/*
 * tmpl_int.h - the template engine's internal form, shared by tmpl.c (the
 * registry), tmpl_compile.c (source -> ops) and tmpl_render.c (ops -> text).
 * Not for use outside those three files; the public contract is tmpl.h.
 *
 * A compiled template is a flat array of operations.  Every jump target is
 * an op index fixed at compile time, every name is pre-split into keys with
 * their lengths, and every text op points into the template's own copy of its
 * source, so rendering never looks at the source text as syntax.
 */
#ifndef MARQUEE_TMPL_INT_H
#define MARQUEE_TMPL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tmpl.h"

enum tmpl_opcode {
	OP_TEXT,        /* copy src[a .. a+b); flag BOL: a line starts at a */
	OP_INDENT,      /* a line starts here (at a tag): write the current indent */
	OP_VAR,         /* {{keys}}: escaped value */
	OP_RAW,         /* {{{keys}}} / {{&keys}}: value as is */
	OP_SECTION,     /* {{#keys}}: body is [pc+1, b-1); b = op after the SECTION_END */
	OP_SECTION_END, /* next item of the innermost section, or leave it; b = body start */
	OP_INVERTED,    /* {{^keys}}: body [pc+1, b) runs if the value is falsey */
	OP_PARTIAL,     /* {{>name}}: indent = src[c .. c+d) when STANDALONE */
	OP_PARENT,      /* {{<name}}: its ARG ops are [pc+1, b); indent as PARTIAL */
	OP_ARG,         /* {{$name}} inside a parent: content [pc+1, b); never executed */
	OP_SLOT,        /* {{$name}} elsewhere: default content [pc+1, b); indent as PARTIAL */
	OP__MAX
};

enum tmpl_opflag {
	OPF_BOL        = 1 << 0, /* OP_TEXT starts at the beginning of a line */
	OPF_STANDALONE = 1 << 1, /* PARTIAL/PARENT/SLOT tag stood alone on its line */
	OPF_DYNAMIC    = 1 << 2, /* PARTIAL/PARENT name is {{>*dotted.name}} */
};

/* One dotted-name component, or a whole partial/block name. */
struct tmpl_key {
	const char *s;     /* into the template's src; not NUL-terminated */
	uint32_t    len;
	uint32_t    hash;  /* tval_hash(s, len): member lookups, and the registry's for static names */
};

struct tmpl_op {
	uint8_t  code;     /* enum tmpl_opcode */
	uint8_t  flags;    /* enum tmpl_opflag */
	uint16_t nkeys;    /* number of keys from a; 0 means "." (top of the stack) */
	uint32_t a;        /* TEXT: src offset; others: index of the first key */
	uint32_t b;        /* TEXT: length; blocks: op index after the end */
	uint32_t c, d;     /* PARTIAL/PARENT/SLOT: indent as src offset, length */
};

struct tmpl {
	char            *name;
	uint32_t         name_len, hash;
	char            *src;       /* private copy; ops and keys point into it */
	uint32_t         len;
	struct tmpl_op  *ops;
	uint32_t         nops;
	struct tmpl_key *keys;
	uint32_t         nkeys;
	uint32_t         max_nest;  /* deepest section nesting: sizes the render stack */
};

/*
 * Compile src into a template named `name`.  Returns a new template (free
 * with tmpl_free), or NULL with err set to "file:line:col: message".
 */
struct tmpl *tmpl_compile(const char *name, const char *src, size_t len,
                          const char *filename, char *err, size_t errlen);

/* Free a template; tmpl_free(NULL) is a no-op. */
void tmpl_free(struct tmpl *t);

/* The template registered under name[0..len), or NULL. */
const struct tmpl *tmpl_set_find(const struct tmpl_set *s, const char *name, size_t len,
                                 uint32_t hash);

#endif
