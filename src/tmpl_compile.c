/*
 * tmpl_compile.c - mustache source -> flat operation array (see tmpl_int.h).
 *
 * Four passes over the source, none recursive:
 *   1. tokenize: text runs and tags, honouring {{=<% %>=}} delimiter changes;
 *   2. match: pair every section/inverted/parent/block tag with its close tag
 *      (explicit stack, TMPL_MAX_NEST deep), and classify blocks as parent
 *      arguments or slots and content inside a parent as ignored;
 *   3. standalone: find lines that hold only whitespace and non-output tags,
 *      and trim that whitespace and newline away (the spec's standalone rule);
 *   4. emit: ops with resolved jumps, dedenting block content whose opening
 *      tag stood alone so it can be re-indented where it is expanded.
 *
 * Not done here: nothing is looked up in the registry (partials are resolved
 * by name at render time, so templates can be added in any order).
 */
#include "tmpl_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum tok_kind {
	TK_TEXT,
	TK_VAR,
	TK_RAW,
	TK_SECTION,
	TK_INVERTED,
	TK_CLOSE,
	TK_COMMENT,
	TK_DELIM,
	TK_PARTIAL,
	TK_PARENT,
	TK_BLOCK,
	TK__MAX
};

/* Tags that produce no output of their own may stand alone on a line. */
static const unsigned char standalone_ok[TK__MAX] = {
	[TK_SECTION] = 1, [TK_INVERTED] = 1, [TK_CLOSE] = 1, [TK_COMMENT] = 1,
	[TK_DELIM] = 1, [TK_PARTIAL] = 1, [TK_PARENT] = 1, [TK_BLOCK] = 1,
};

static const char *const kind_word[TK__MAX] = {
	[TK_SECTION] = "section", [TK_INVERTED] = "inverted section",
	[TK_PARENT] = "parent", [TK_BLOCK] = "block",
};

enum tok_flag {
	TF_NL  = 1 << 0,  /* text: contains a newline */
	TF_DYN = 1 << 1,  /* partial/parent/close: name was *dynamic */
	TF_SA  = 1 << 2,  /* tag: its line is standalone */
	TF_IGN = 1 << 3,  /* inside a parent but outside its blocks: ignored */
	TF_ARG = 1 << 4,  /* block: argument of a parent (else a slot) */
};

struct tok {
	uint8_t  kind;
	uint8_t  flags;
	uint32_t start, end;  /* the token in src; text may be trimmed later */
	uint32_t name, nlen;  /* tag content, trimmed */
	uint32_t lead, llen;  /* TF_SA: the whitespace the line began with */
	uint32_t match;       /* opening tags: index of their close tag */
};

struct cc {
	const char      *src;
	uint32_t         len;
	const char      *file;
	char            *err;
	size_t           errlen;
	struct tok      *tok;
	uint32_t         ntok, captok;
	struct tmpl_op  *ops;
	uint32_t         nops, capops;
	struct tmpl_key *keys;
	uint32_t         nkeys, capkeys;
	uint32_t         max_nest;
};

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Report "file:line:col: message" for source offset `off`.  Returns -1. */
__attribute__((format(printf, 3, 4)))
static int
fail(struct cc *c, uint32_t off, const char *fmt, ...)
{
	uint32_t line = 1, bol = 0;
	for (uint32_t i = 0; i < off && i < c->len; i++)
		if (c->src[i] == '\n') {
			line++;
			bol = i + 1;
		}
	int n = snprintf(c->err, c->errlen, "%s:%u:%u: ", c->file, line, off - bol + 1);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Tag names in messages are cut so a runaway tag cannot flood the log. */
#define NAME_FMT "'%.*s%s'"
#define NAME_ARG(c, t) (int)((t)->nlen > 40 ? 40 : (t)->nlen), (c)->src + (t)->name, \
	((t)->nlen > 40 ? "..." : "")

static void *
grow(void *p, uint32_t *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 64;
	return xreallocarray(p, *cap, size);
}

static struct tok *
add_tok(struct cc *c, uint8_t kind, uint32_t start, uint32_t end)
{
	if (c->ntok == c->captok)
		c->tok = grow(c->tok, &c->captok, sizeof *c->tok);
	struct tok *t = &c->tok[c->ntok++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->start = start;
	t->end = end;
	return t;
}

static struct tmpl_op *
add_op(struct cc *c, uint8_t code)
{
	if (c->nops == c->capops)
		c->ops = grow(c->ops, &c->capops, sizeof *c->ops);
	struct tmpl_op *op = &c->ops[c->nops++];
	memset(op, 0, sizeof *op);
	op->code = code;
	return op;
}

static uint32_t
add_key(struct cc *c, uint32_t off, uint32_t len)
{
	if (c->nkeys == c->capkeys)
		c->keys = grow(c->keys, &c->capkeys, sizeof *c->keys);
	c->keys[c->nkeys] = (struct tmpl_key){
		.s = c->src + off, .len = len, .hash = tval_hash(c->src + off, len)};
	return c->nkeys++;
}

/* ------------------------------------------------------------ 1. tokenize */

/* First occurrence of needle[0..nl) in s[0..n), or NULL (memmem is not POSIX). */
static const char *
find(const char *s, size_t n, const char *needle, size_t nl)
{
	const char *end = s + n;
	while (nl <= (size_t)(end - s)) {
		const char *p = memchr(s, needle[0], (size_t)(end - s) - nl + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nl) == 0)
			return p;
		s = p + 1;
	}
	return NULL;
}

/*
 * Find the closing delimiter `ct` at or after `from`; when `pre` is not 0 the
 * delimiter must be preceded by that character ({{{x}}}, {{=a b=}}).  Sets
 * *cend to where the content ends and *tend past the delimiter.
 */
static int
find_close(const struct cc *c, uint32_t from, char pre, const char *ct, uint32_t cl,
           uint32_t *cend, uint32_t *tend)
{
	uint32_t i = from;
	while (i < c->len) {
		const char *q = find(c->src + i, c->len - i, ct, cl);
		if (q == NULL)
			return -1;
		uint32_t k = (uint32_t)(q - c->src);
		if (pre == 0 || (k > from && c->src[k - 1] == pre)) {
			*cend = pre ? k - 1 : k;
			*tend = k + cl;
			return 0;
		}
		i = k + 1;
	}
	return -1;
}

static void
trim(const struct cc *c, uint32_t *a, uint32_t *b)
{
	while (*a < *b && is_space(c->src[*a]))
		(*a)++;
	while (*b > *a && is_space(c->src[*b - 1]))
		(*b)--;
}

/* {{=open close=}}: two non-empty delimiters without whitespace or '='. */
static int
set_delims(struct cc *c, uint32_t a, uint32_t b, uint32_t tagpos,
           const char **ot, uint32_t *ol, const char **ct, uint32_t *cl)
{
	trim(c, &a, &b);
	uint32_t m = a;
	while (m < b && !is_space(c->src[m]))
		m++;
	uint32_t n = m;
	while (n < b && is_space(c->src[n]))
		n++;
	if (m == a || n == b)
		return fail(c, tagpos, "bad delimiter tag: expected {{=OPEN CLOSE=}}");
	for (uint32_t i = a; i < b; i++)
		if (c->src[i] == '=' || (i >= m && i < n ? 0 : is_space(c->src[i])))
			return fail(c, tagpos, "bad delimiter tag: delimiters may not contain '=' or spaces");
	*ot = c->src + a;
	*ol = m - a;
	*ct = c->src + n;
	*cl = b - n;
	return 0;
}

static int
tokenize(struct cc *c)
{
	const char *ot = "{{", *ct = "}}";
	uint32_t ol = 2, cl = 2;
	uint32_t pos = 0;
	const char *s = c->src;

	while (pos < c->len) {
		const char *q = find(s + pos, c->len - pos, ot, ol);
		uint32_t ts = q ? (uint32_t)(q - s) : c->len;
		if (ts > pos) {
			struct tok *t = add_tok(c, TK_TEXT, pos, ts);
			if (memchr(s + pos, '\n', ts - pos))
				t->flags |= TF_NL;
		}
		if (q == NULL)
			break;

		uint32_t p = ts + ol, cs, ce, te;
		uint8_t kind;
		if (p < c->len && s[p] == '{') {
			kind = TK_RAW;
			cs = p + 1;
			if (find_close(c, cs, '}', ct, cl, &ce, &te) != 0)
				return fail(c, ts, "unclosed tag: no '}%.*s' after '%.*s{'",
				            (int)cl, ct, (int)ol, ot);
		} else if (p < c->len && s[p] == '=') {
			kind = TK_DELIM;
			cs = p + 1;
			if (find_close(c, cs, '=', ct, cl, &ce, &te) != 0)
				return fail(c, ts, "unclosed delimiter tag: no '=%.*s'", (int)cl, ct);
		} else {
			cs = p;
			if (find_close(c, cs, 0, ct, cl, &ce, &te) != 0)
				return fail(c, ts, "unclosed tag: no '%.*s' after '%.*s'",
				            (int)cl, ct, (int)ol, ot);
			kind = TK_VAR;
			if (cs < ce) {
				switch (s[cs]) {
				case '#': kind = TK_SECTION; break;
				case '^': kind = TK_INVERTED; break;
				case '/': kind = TK_CLOSE; break;
				case '!': kind = TK_COMMENT; break;
				case '>': kind = TK_PARTIAL; break;
				case '<': kind = TK_PARENT; break;
				case '$': kind = TK_BLOCK; break;
				case '&': kind = TK_RAW; break;
				}
				if (kind != TK_VAR)
					cs++;
			}
		}

		struct tok *t = add_tok(c, kind, ts, te);
		if (kind == TK_DELIM) {
			if (set_delims(c, cs, ce, ts, &ot, &ol, &ct, &cl) != 0)
				return -1;
		} else if (kind != TK_COMMENT) {
			trim(c, &cs, &ce);
			if ((kind == TK_PARTIAL || kind == TK_PARENT || kind == TK_CLOSE)
			    && cs < ce && s[cs] == '*') {
				t->flags |= TF_DYN;
				cs++;
				trim(c, &cs, &ce);
			}
			if (cs == ce)
				return fail(c, ts, "empty tag name");
			for (uint32_t i = cs; i < ce; i++)
				if (is_space(s[i]))
					return fail(c, ts, "tag name '%.*s' contains whitespace",
					            (int)(ce - cs > 40 ? 40 : ce - cs), s + cs);
		}
		t->name = cs;
		t->nlen = ce - cs;
		pos = te;
	}
	return 0;
}

/* ---------------------------------------------------------------- 2. match */

static int
match(struct cc *c)
{
	/* Per open tag: its token, and what content at that level is: 0 normal,
	 * 1 inside a parent (ignored, but its blocks are the parent's arguments),
	 * 2 inside an ignored parent (all ignored). */
	uint32_t open[TMPL_MAX_NEST];
	unsigned char lvl[TMPL_MAX_NEST + 1];
	uint32_t depth = 0, sections = 0;
	lvl[0] = 0;

	for (uint32_t i = 0; i < c->ntok; i++) {
		struct tok *t = &c->tok[i];
		unsigned char l = lvl[depth], inner = l;
		if (l)
			t->flags |= TF_IGN;
		switch (t->kind) {
		case TK_SECTION:
		case TK_INVERTED:
		case TK_PARENT:
		case TK_BLOCK:
			if (depth == TMPL_MAX_NEST)
				return fail(c, t->start, "sections nested deeper than %d", TMPL_MAX_NEST);
			if (t->kind == TK_PARENT) {
				inner = l ? 2 : 1;
			} else if (t->kind == TK_BLOCK && l == 1) {
				t->flags = (uint8_t)((t->flags & ~TF_IGN) | TF_ARG);
				inner = 0;
			}
			open[depth] = i;
			lvl[depth + 1] = inner;
			depth++;
			if (t->kind == TK_SECTION && ++sections > c->max_nest)
				c->max_nest = sections;
			break;
		case TK_CLOSE: {
			if (depth == 0)
				return fail(c, t->start, "close tag " NAME_FMT " without an open section",
				            NAME_ARG(c, t));
			struct tok *o = &c->tok[open[depth - 1]];
			if (o->nlen != t->nlen || (o->flags & TF_DYN) != (t->flags & TF_DYN)
			    || memcmp(c->src + o->name, c->src + t->name, t->nlen) != 0) {
				uint32_t line = 1;
				for (uint32_t k = 0; k < o->start; k++)
					line += c->src[k] == '\n';
				return fail(c, t->start, "close tag " NAME_FMT " does not match open %s "
				            NAME_FMT " of line %u", NAME_ARG(c, t), kind_word[o->kind],
				            NAME_ARG(c, o), line);
			}
			o->match = i;
			t->flags = (uint8_t)((t->flags & ~TF_IGN) | (o->flags & TF_IGN));
			if (o->kind == TK_SECTION)
				sections--;
			depth--;
			break;
		}
		default:
			break;
		}
	}
	if (depth > 0) {
		const struct tok *o = &c->tok[open[depth - 1]];
		return fail(c, o->start, "unclosed %s " NAME_FMT, kind_word[o->kind], NAME_ARG(c, o));
	}
	return 0;
}

/* ----------------------------------------------------------- 3. standalone */

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/*
 * A line is standalone when it holds at least one tag, every tag on it is a
 * non-output tag, a partial tag is alone there, and everything else is
 * whitespace.  Such a line renders as nothing: its leading whitespace becomes
 * the indentation of a partial, parent or block tag on it, and its newline
 * goes, except on the line of an empty slot ({{$b}}{{/b}}), whose newline
 * stays (spec ~inheritance "Standalone block").
 */
static void
standalone(struct cc *c)
{
	const char *s = c->src;
	uint32_t i = 0;
	while (i < c->ntok) {
		if (c->tok[i].kind == TK_TEXT) {
			i++;
			continue;
		}
		/* The line's tags: [gs, ge], joined by newline-free texts. */
		uint32_t gs = i, ge = i;
		while (ge + 1 < c->ntok) {
			if (c->tok[ge + 1].kind != TK_TEXT)
				ge++;
			else if (!(c->tok[ge + 1].flags & TF_NL) && ge + 2 < c->ntok)
				ge += 2;
			else
				break;
		}
		i = ge + 1;

		int ok = 1, partial = 0, tags = 0, keepnl = 0;
		for (uint32_t k = gs; k <= ge && ok; k++) {
			const struct tok *t = &c->tok[k];
			if (t->kind == TK_TEXT) {
				for (uint32_t p = t->start; p < t->end; p++)
					ok &= is_blank(s[p]);
				continue;
			}
			tags++;
			ok &= standalone_ok[t->kind];
			partial |= t->kind == TK_PARTIAL;
			if (t->kind == TK_BLOCK && !(t->flags & (TF_ARG | TF_IGN)) && t->match <= ge)
				keepnl = 1;
		}
		if (!ok || (partial && tags > 1))
			continue;

		/* Whitespace before the first tag, back to the line start (the text
		 * before a line's first tag always reaches back to a newline or to
		 * the start of the template). */
		struct tok *before = gs > 0 ? &c->tok[gs - 1] : NULL;
		uint32_t ls = c->tok[gs].start;
		while (ls > 0 && is_blank(s[ls - 1]))
			ls--;
		if (ls > 0 && s[ls - 1] != '\n')
			continue;
		/* ... and after the last tag, through the newline or to the end. */
		struct tok *after = ge + 1 < c->ntok ? &c->tok[ge + 1] : NULL;
		uint32_t le = c->tok[ge].end, nl = le;
		if (after) {
			while (le < after->end && is_blank(s[le]))
				le++;
			nl = le;
			if (le < after->end && s[le] == '\r' && le + 1 < after->end && s[le + 1] == '\n')
				le++;
			if (le < after->end) {
				if (s[le] != '\n')
					continue;
				le++;
			}
		}
		/* Standalone: mark the tags, trim the whitespace. */
		for (uint32_t k = gs; k <= ge; k++) {
			struct tok *t = &c->tok[k];
			if (t->kind == TK_TEXT) {
				t->end = t->start;
			} else {
				t->flags |= TF_SA;
				t->lead = ls;
				t->llen = c->tok[gs].start - ls;
			}
		}
		if (before)
			before->end = ls;
		if (after)
			after->start = keepnl ? nl : le;
	}
}

/* --------------------------------------------------------------- 4. emit */

/*
 * The common leading whitespace of the non-blank lines that start inside
 * (from, to): how much a block's content is indented where it is written.
 * Sets *prefix to where that whitespace is written in the first such line.
 */
static uint32_t
dedent(const struct cc *c, uint32_t from, uint32_t to, uint32_t *prefix)
{
	const char *s = c->src;
	uint32_t common = 0;
	int seen = 0;
	*prefix = 0;
	for (uint32_t p = from; p < to; p++) {
		if (s[p] != '\n')
			continue;
		uint32_t ls = p + 1, w = ls;
		while (w < to && is_blank(s[w]))
			w++;
		uint32_t e = w;
		while (e < to && s[e] == '\r')
			e++;
		if (e >= to || s[e] == '\n')
			continue;  /* blank line */
		if (!seen) {
			seen = 1;
			*prefix = ls;
			common = w - ls;
		} else {
			uint32_t k = 0;
			while (k < common && k < w - ls && s[*prefix + k] == s[ls + k])
				k++;
			common = k;
		}
	}
	return common;
}

static uint32_t
add_name_keys(struct cc *c, const struct tok *t, uint16_t *nkeys)
{
	const char *s = c->src;
	uint32_t first = c->nkeys, n = 0;
	if (t->nlen == 1 && s[t->name] == '.') {
		*nkeys = 0;
		return first;
	}
	uint32_t a = t->name, end = t->name + t->nlen;
	for (;;) {
		uint32_t b = a;
		while (b < end && s[b] != '.')
			b++;
		if (b == a)
			return fail(c, t->start, "bad name " NAME_FMT ": empty part", NAME_ARG(c, t)),
			       UINT32_MAX;
		if (++n > UINT16_MAX)
			return fail(c, t->start, "name has too many parts"), UINT32_MAX;
		add_key(c, a, b - a);
		if (b == end)
			break;
		a = b + 1;
	}
	*nkeys = (uint16_t)n;
	return first;
}

static void
emit_indent(struct cc *c)
{
	add_op(c, OP_INDENT);
}

static void
emit_piece(struct cc *c, uint32_t a, uint32_t b, int bol)
{
	if (a == b) {
		if (bol)
			emit_indent(c);
		return;
	}
	struct tmpl_op *prev = c->nops ? &c->ops[c->nops - 1] : NULL;
	if (prev && prev->code == OP_TEXT && prev->a + prev->b == a) {
		prev->b += b - a;
		return;
	}
	struct tmpl_op *op = add_op(c, OP_TEXT);
	op->a = a;
	op->b = b - a;
	op->flags = bol ? OPF_BOL : 0;
}

/* Text [a, b); at each line start drop up to `strip` blanks (dedent). */
static void
emit_text(struct cc *c, uint32_t a, uint32_t b, uint32_t strip)
{
	const char *s = c->src;
	if (a == b)
		return;
	if (strip == 0) {
		emit_piece(c, a, b, a == 0 || s[a - 1] == '\n');
		return;
	}
	while (a < b) {
		const char *nl = memchr(s + a, '\n', b - a);
		uint32_t q = nl ? (uint32_t)(nl - s) + 1 : b;
		int bol = a == 0 || s[a - 1] == '\n';
		if (bol)
			for (uint32_t k = 0; k < strip && a < q && is_blank(s[a]); k++)
				a++;
		emit_piece(c, a, q, bol);
		a = q;
	}
}

static uint32_t
min_u32(uint32_t x, uint32_t y)
{
	return x < y ? x : y;
}

/* Set op's indent to the span [off, off+len) less the first `strip` bytes. */
static void
set_indent(struct tmpl_op *op, uint32_t off, uint32_t len, uint32_t strip)
{
	uint32_t k = min_u32(strip, len);
	op->c = off + k;
	op->d = len - k;
}

static int
emit(struct cc *c)
{
	const char *s = c->src;
	struct {
		uint32_t op, tok, strip;
	} st[TMPL_MAX_NEST];
	uint32_t depth = 0, strip = 0;

	for (uint32_t i = 0; i < c->ntok; i++) {
		const struct tok *t = &c->tok[i];
		if (t->flags & TF_IGN)
			continue;
		if (t->kind == TK_TEXT) {
			emit_text(c, t->start, t->end, strip);
			continue;
		}
		/* A tag that starts a (non-standalone) line carries that line's indent. */
		int bol = !(t->flags & TF_SA) && (t->start == 0 || s[t->start - 1] == '\n');
		struct tmpl_op *op;
		uint16_t nk;
		uint32_t k;
		switch (t->kind) {
		case TK_COMMENT:
		case TK_DELIM:
			if (bol)
				emit_indent(c);
			break;
		case TK_VAR:
		case TK_RAW:
		case TK_SECTION:
		case TK_INVERTED:
			if (bol)
				emit_indent(c);
			if ((k = add_name_keys(c, t, &nk)) == UINT32_MAX)
				return -1;
			op = add_op(c, t->kind == TK_VAR ? OP_VAR : t->kind == TK_RAW ? OP_RAW
			               : t->kind == TK_SECTION ? OP_SECTION : OP_INVERTED);
			op->a = k;
			op->nkeys = nk;
			if (t->kind == TK_SECTION || t->kind == TK_INVERTED) {
				st[depth].op = c->nops - 1;
				st[depth].tok = i;
				st[depth++].strip = strip;
			}
			break;
		case TK_PARTIAL:
		case TK_PARENT:
			if (bol)
				emit_indent(c);
			if (t->flags & TF_DYN) {
				if ((k = add_name_keys(c, t, &nk)) == UINT32_MAX)
					return -1;
			} else {
				k = add_key(c, t->name, t->nlen);
				nk = 1;
			}
			op = add_op(c, t->kind == TK_PARTIAL ? OP_PARTIAL : OP_PARENT);
			op->a = k;
			op->nkeys = nk;
			if (t->flags & TF_DYN)
				op->flags |= OPF_DYNAMIC;
			if (t->flags & TF_SA) {
				op->flags |= OPF_STANDALONE;
				set_indent(op, t->lead, t->llen, strip);
			}
			if (t->kind == TK_PARENT) {
				st[depth].op = c->nops - 1;
				st[depth].tok = i;
				st[depth++].strip = strip;
			}
			break;
		case TK_BLOCK: {
			int arg = t->flags & TF_ARG;
			if (bol && !arg)
				emit_indent(c);
			k = add_key(c, t->name, t->nlen);
			op = add_op(c, arg ? OP_ARG : OP_SLOT);
			op->a = k;
			op->nkeys = 1;
			st[depth].op = c->nops - 1;
			st[depth].tok = i;
			st[depth++].strip = strip;
			if (t->flags & TF_SA) {
				uint32_t prefix;
				uint32_t d = dedent(c, t->end, c->tok[t->match].start, &prefix);
				if (!arg) {
					op->flags |= OPF_STANDALONE;
					if (d > 0)
						set_indent(op, prefix, d, strip);
					else
						set_indent(op, t->lead, t->llen, strip);
				}
				if (d > strip)
					strip = d;
			} else if (arg) {
				/* Content that starts on the tag's line is indented like
				 * a first line where a standalone slot expands it. */
				emit_indent(c);
			}
			break;
		}
		case TK_CLOSE: {
			depth--;
			const struct tok *o = &c->tok[st[depth].tok];
			uint32_t at = st[depth].op;
			strip = st[depth].strip;
			if (bol && o->kind != TK_PARENT && !(o->flags & TF_ARG))
				emit_indent(c);
			if (o->kind == TK_SECTION) {
				op = add_op(c, OP_SECTION_END);
				op->b = at + 1;
			}
			/* An empty argument has no first line to indent. */
			if ((o->flags & TF_ARG) && c->nops == at + 2 && c->ops[at + 1].code == OP_INDENT)
				c->nops--;
			c->ops[at].b = c->nops;
			break;
		}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ API */

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->src);
	free(t->ops);
	free(t->keys);
	free(t);
}

struct tmpl *
tmpl_compile(const char *name, const char *src, size_t len,
             const char *filename, char *err, size_t errlen)
{
	struct cc c = {.file = filename, .err = err, .errlen = errlen};
	if (len > TMPL_MAX_SIZE) {
		c.src = "";
		fail(&c, 0, "template is larger than %u bytes", TMPL_MAX_SIZE);
		return NULL;
	}
	struct tmpl *t = xcalloc(1, sizeof *t);
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = (uint32_t)len;
	c.src = t->src;
	c.len = t->len;

	if (tokenize(&c) != 0 || match(&c) != 0) {
		free(c.tok);
		free(c.keys);
		tmpl_free(t);
		return NULL;
	}
	standalone(&c);
	int rc = emit(&c);
	free(c.tok);
	t->ops = c.ops;
	t->nops = c.nops;
	t->keys = c.keys;
	t->nkeys = c.nkeys;
	if (rc != 0) {
		tmpl_free(t);
		return NULL;
	}
	t->max_nest = c.max_nest;
	t->name_len = (uint32_t)strlen(name);
	t->name = xstrndup(name, t->name_len);
	t->hash = tval_hash(name, t->name_len);
	return t;
}
