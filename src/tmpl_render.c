/*
 * tmpl_render.c - run a compiled template's operations against a template
 * value (tval.h; see tmpl_int.h for the operations).
 *
 * Sections run iteratively on a fixed context stack; only expansions
 * (partials, parents, overridden or re-indented blocks) call run()
 * recursively, at most TMPL_MAX_DEPTH deep, so stack use is bounded.  The
 * indent of the current expansion and the chain of parent arguments live in
 * the callers' frames as linked lists: nothing is allocated per render
 * except growth of the output buffer.
 *
 * Semantics that the spec leaves open, chosen here:
 *  - falsey: missing, null, false, an empty array and an empty string;
 *  - {{x}} of true/false prints "true"/"false"; of an object or array, nothing;
 *  - block arguments are scoped dynamically: an argument passed to a parent
 *    reaches blocks in partials that parent includes, and the outermost
 *    argument for a name wins (spec: "Multi-level inheritance").
 */
#include "tmpl_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Why: TMPL_MAX_NEST sections of the top template plus some expansions;
 * an expansion that would not fit renders nothing, like one too deep. */
#define CTX_MAX 512

/* Why: every line of an expansion repeats its indent; beyond this many
 * bytes (64 levels of deep nesting) further indentation is not added, so a
 * line start never writes megabytes. */
#define INDENT_MAX 4096

/* The current indent: segments from the outermost expansion inwards. */
struct indent {
	const struct indent *up;
	const char          *ws;
	uint32_t             len;
	uint32_t             total;  /* len + up->total */
};

/* Arguments of one parent expansion: ARG ops [first, end) of template t. */
struct args {
	const struct args *up;
	const struct tmpl *t;
	uint32_t           first, end;
};

struct loop {
	const struct tval *arr;   /* NULL: a single non-list value */
	size_t   i, n;
	uint32_t body;
};

struct render {
	const struct tmpl_set *set;
	struct buf            *out;
	size_t                 out_limit;  /* out->len at which to stop */
	long                   steps;      /* iterations + expansions left */
	int                    halted;     /* a limit was hit: unwind, write nothing more */
	uint32_t               nctx, nloop;
	const struct tval     *ctx[CTX_MAX];
	struct loop            loop[CTX_MAX];
};

/* ------------------------------------------------------------- output */

/* memcpy for the short pieces a page is made of, without a call: two
 * overlapping fixed-size moves cover 4..16 bytes exactly. */
static inline void
copy(char *dst, const char *src, size_t n)
{
	if (n > 16) {
		memcpy(dst, src, n);
	} else if (n >= 8) {
		uint64_t x, y;
		memcpy(&x, src, 8);
		memcpy(&y, src + n - 8, 8);
		memcpy(dst, &x, 8);
		memcpy(dst + n - 8, &y, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, src, 4);
		memcpy(&y, src + n - 4, 4);
		memcpy(dst, &x, 4);
		memcpy(dst + n - 4, &y, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	}
}

/* buf_append with copy(). */
static inline void
put(struct buf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	copy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static const unsigned char esc_idx[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	const char *s;
	size_t      n;
} esc_rep[6] = {
	[1] = {"&amp;", 5}, [2] = {"&lt;", 4}, [3] = {"&gt;", 4},
	[4] = {"&quot;", 6}, [5] = {"&#39;", 5},
};

#ifdef __SSE2__
/* Bit i set if byte i of x is one of the five escaped characters. */
static inline unsigned
special_mask(__m128i x)
{
	const __m128i m = _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('&')), _mm_cmpeq_epi8(x, _mm_set1_epi8('<'))),
	    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')),
	                              _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
	                 _mm_cmpeq_epi8(x, _mm_set1_epi8('\''))));
	return (unsigned)_mm_movemask_epi8(m);
}

static inline __m128i
load8(const char *p)
{
	return _mm_loadl_epi64((const __m128i *)(const void *)p);
}

static inline __m128i
load4(const char *p)
{
	int v;
	memcpy(&v, p, sizeof v);
	return _mm_cvtsi32_si128(v);
}
#endif

/*
 * Length of the leading run of s[0..n) that needs no escaping.  With SSE2,
 * 16 bytes at a time; a shorter rest is covered by two overlapping 8- or
 * 4-byte loads, so nothing is read outside s[0..n).
 */
static size_t
safe_run(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	for (; i + 16 <= n; i += 16) {
		unsigned bits = special_mask(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
	if (n - i >= 8) {
		unsigned lo = special_mask(load8(s + i)) & 0xFF;
		if (lo)
			return i + (size_t)__builtin_ctz(lo);
		unsigned hi = special_mask(load8(s + n - 8)) & 0xFF;
		return hi ? n - 8 + (size_t)__builtin_ctz(hi) : n;
	}
	if (n - i >= 4) {
		unsigned lo = special_mask(load4(s + i)) & 0xF;
		if (lo)
			return i + (size_t)__builtin_ctz(lo);
		unsigned hi = special_mask(load4(s + n - 4)) & 0xF;
		return hi ? n - 4 + (size_t)__builtin_ctz(hi) : n;
	}
#endif
	while (i < n && !esc_idx[(unsigned char)s[i]])
		i++;
	return i;
}

/* HTML-escape s: safe runs are copied whole, into room reserved once. */
static void
put_escaped(struct buf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX / 8)
		die_oom("put_escaped");
	if (b->cap - b->len <= n * 6)
		buf_grow(b, n * 6);
	char *o = b->data + b->len;
	for (;;) {
		size_t k = safe_run(s, n);
		copy(o, s, k);
		o += k;
		if (k == n)
			break;
		unsigned e = esc_idx[(unsigned char)s[k]];
		copy(o, esc_rep[e].s, esc_rep[e].n);
		o += esc_rep[e].n;
		s += k + 1;
		n -= k + 1;
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

/*
 * A real as JavaScript's Number#toString writes it (what mustache.js, the
 * spec's reference, prints): the shortest digits that read back as the same
 * double (1.1, not 1.1000000000000001), in plain notation when
 * 1e-7 <= |v| < 1e21 (10.0 -> "10", 1e-5 -> "0.00001"), else as
 * d.ddde+N / e-N (1e+100, 1.5e-7).  NaN and infinities cannot come from
 * JSON.
 */
static void
put_real(struct buf *b, double v)
{
	char tmp[40];
	int prec = 1;
	for (; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (prec > 17)
		prec = 17;
	/* tmp is [-]d[.ddd]e(+|-)XX: gather the digits and the exponent. */
	const char *p = tmp;
	if (*p == '-') {
		buf_putc(b, '-');
		p++;
	}
	char d[24];
	int k = 0;
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			d[k++] = *p;
	int n = atoi(p + 1) + 1;   /* v = 0.d * 10^n */
	if (k == 1 && d[0] == '0') {
		buf_putc(b, '0');
		return;
	}
	if (n >= k && n <= 21) {
		buf_append(b, d, (size_t)k);
		for (int i = k; i < n; i++)
			buf_putc(b, '0');
	} else if (n > 0 && n <= 21) {
		buf_append(b, d, (size_t)n);
		buf_putc(b, '.');
		buf_append(b, d + n, (size_t)(k - n));
	} else if (n > -6 && n <= 0) {
		buf_puts(b, "0.");
		for (int i = n; i < 0; i++)
			buf_putc(b, '0');
		buf_append(b, d, (size_t)k);
	} else {
		buf_putc(b, d[0]);
		if (k > 1) {
			buf_putc(b, '.');
			buf_append(b, d + 1, (size_t)(k - 1));
		}
		buf_printf(b, "e%c%d", n - 1 < 0 ? '-' : '+', n - 1 < 0 ? 1 - n : n - 1);
	}
}

static const char digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal integer, two digits per step, written backwards into a local. */
static void
put_int(struct buf *b, long long v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;
		u /= 100;
		*--p = digits2[d + 1];
		*--p = digits2[d];
	}
	if (u >= 10) {
		*--p = digits2[u * 2 + 1];
		*--p = digits2[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	put(b, p, (size_t)(tmp + sizeof tmp - p));
}

static void
put_value(struct buf *b, const struct tval *v, int escape)
{
	switch ((enum tval_type)v->type) {
	case TV_STR:
		if (escape)
			put_escaped(b, v->u.s, v->n);
		else
			put(b, v->u.s, v->n);
		break;
	case TV_INT:
		put_int(b, v->u.i);
		break;
	case TV_REAL:
		put_real(b, v->u.d);
		break;
	case TV_TRUE:
		buf_append(b, "true", 4);
		break;
	case TV_FALSE:
		buf_append(b, "false", 5);
		break;
	default:
		break;
	}
}

static void
put_indent(struct buf *b, const struct indent *ind)
{
	size_t n = ind->total;
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	char *p = b->data + b->len + n;
	for (; ind; ind = ind->up) {
		p -= ind->len;
		memcpy(p, ind->ws, ind->len);
	}
	b->len += n;
	b->data[b->len] = '\0';
}

/* Text with the indent written at its start (if a line starts there) and
 * after each newline inside it.  Returns 0, or -1 (nothing more written)
 * once the output is past `limit`: indents multiply text by line count. */
static int
put_text_indented(struct buf *b, const char *s, size_t n, int bol, const struct indent *ind,
                  size_t limit)
{
	const char *end = s + n, *nl;
	if (bol)
		put_indent(b, ind);
	while ((nl = memchr(s, '\n', (size_t)(end - s))) != NULL && nl + 1 < end) {
		if (b->len > limit)
			return -1;
		buf_append(b, s, (size_t)(nl + 1 - s));
		put_indent(b, ind);
		s = nl + 1;
	}
	buf_append(b, s, (size_t)(end - s));
	return 0;
}

/* ------------------------------------------------------------- lookup */

static inline const struct tval *
member(const struct tval *o, const struct tmpl_key *k)
{
	return tv_getk(o, k->s, k->len, k->hash);
}

static inline const struct tval *
lookup(const struct render *r, const struct tmpl *t, const struct tmpl_op *op)
{
	if (op->nkeys == 0)
		return r->ctx[r->nctx - 1];
	const struct tmpl_key *k = &t->keys[op->a];
	const struct tval *v = NULL;
	for (uint32_t i = r->nctx; i-- > 0;)
		if ((v = member(r->ctx[i], k)) != NULL)
			break;
	/* The first part alone searches the stack; the rest index into it. */
	for (uint32_t j = 1; v != NULL && j < op->nkeys; j++)
		v = member(v, &k[j]);
	return v;
}

static int
truthy(const struct tval *v)
{
	switch ((enum tval_type)v->type) {
	case TV_NULL:
	case TV_FALSE:
		return 0;
	case TV_LIST:
	case TV_STR:
		return v->n > 0;
	default:
		return 1;
	}
}

/* The template a PARTIAL/PARENT op names, or NULL. */
static const struct tmpl *
callee(struct render *r, const struct tmpl *t, const struct tmpl_op *op)
{
	if (op->flags & OPF_DYNAMIC) {
		const struct tval *v = lookup(r, t, op);
		if (v == NULL || v->type != TV_STR)
			return NULL;
		return tmpl_set_find(r->set, v->u.s, v->n, tval_hash(v->u.s, v->n));
	}
	const struct tmpl_key *k = &t->keys[op->a];
	return tmpl_set_find(r->set, k->s, k->len, k->hash);
}

/* The indent for an expansion by op: the current one plus the tag's own
 * whitespace if it stood alone on its line, else none at all (an inline
 * expansion's lines are not indented). */
static const struct indent *
indent_for(const struct tmpl *t, const struct tmpl_op *op, const struct indent *ind,
           struct indent *node)
{
	if (!(op->flags & OPF_STANDALONE))
		return NULL;
	if (op->d == 0 || (ind ? ind->total : 0) + op->d > INDENT_MAX)
		return ind;
	*node = (struct indent){.up = ind, .ws = t->src + op->c, .len = op->d,
	                        .total = op->d + (ind ? ind->total : 0)};
	return node;
}

static void run(struct render *r, const struct tmpl *t, uint32_t pc, uint32_t end,
                const struct indent *ind, const struct args *args, unsigned depth);

/* Count one step of work; returns 0 once a render limit is reached. */
static int
step(struct render *r)
{
	if (--r->steps < 0 || r->out->len > r->out_limit)
		r->halted = 1;
	return !r->halted;
}

/* Expand ops [pc, end) of t, unless that would go too deep. */
static void
call(struct render *r, const struct tmpl *t, uint32_t pc, uint32_t end,
     const struct indent *ind, const struct args *args, unsigned depth)
{
	if (depth >= TMPL_MAX_DEPTH || r->nctx + t->max_nest > CTX_MAX || !step(r))
		return;
	run(r, t, pc, end, ind, args, depth + 1);
}

/* The outermost argument named like slot op `op` of t, or 0 (an ARG op is never at 0). */
static uint32_t
find_arg(const struct args *args, const struct tmpl *t, const struct tmpl_op *op,
         const struct tmpl **where)
{
	const struct tmpl_key *key = &t->keys[op->a];
	uint32_t hit = 0;
	for (; args; args = args->up) {
		const struct tmpl *u = args->t;
		for (uint32_t k = args->first; k < args->end; k = u->ops[k].b) {
			const struct tmpl_key *ak = &u->keys[u->ops[k].a];
			if (ak->hash == key->hash && ak->len == key->len
			    && memcmp(ak->s, key->s, key->len) == 0) {
				hit = k;
				*where = u;
				break;
			}
		}
	}
	return hit;
}

static void
run(struct render *r, const struct tmpl *t, uint32_t pc, uint32_t end,
    const struct indent *ind, const struct args *args, unsigned depth)
{
	const struct tmpl_op *ops = t->ops;
	struct buf *out = r->out;
	uint32_t nloop0 = r->nloop, nctx0 = r->nctx;
	while (pc < end) {
		const struct tmpl_op *op = &ops[pc];
		switch ((enum tmpl_opcode)op->code) {
		case OP_TEXT:
			if (ind == NULL) {
				put(out, t->src + op->a, op->b);
			} else if (put_text_indented(out, t->src + op->a, op->b, op->flags & OPF_BOL, ind,
			                             r->out_limit) != 0) {
				r->halted = 1;
				goto halt;
			}
			pc++;
			break;
		case OP_INDENT:
			if (ind != NULL)
				put_indent(out, ind);
			pc++;
			break;
		case OP_VAR:
		case OP_RAW: {
			const struct tval *v = lookup(r, t, op);
			if (v != NULL)
				put_value(out, v, op->code == OP_VAR);
			pc++;
			break;
		}
		case OP_SECTION: {
			const struct tval *v = lookup(r, t, op);
			if (v == NULL || !truthy(v)) {
				pc = op->b;
				break;
			}
			if (!step(r))
				goto halt;
			struct loop *l = &r->loop[r->nloop++];
			l->body = pc + 1;
			l->i = 0;
			if (v->type == TV_LIST) {
				l->arr = v;
				l->n = v->n;
				v = v->u.items[0];
			} else {
				l->arr = NULL;
				l->n = 1;
			}
			r->ctx[r->nctx++] = v;
			pc++;
			break;
		}
		case OP_SECTION_END: {
			struct loop *l = &r->loop[r->nloop - 1];
			if (++l->i < l->n && step(r)) {
				r->ctx[r->nctx - 1] = l->arr->u.items[l->i];
				pc = l->body;
			} else {
				if (r->halted)
					goto halt;
				r->nloop--;
				r->nctx--;
				pc++;
			}
			break;
		}
		case OP_INVERTED: {
			const struct tval *v = lookup(r, t, op);
			pc = v != NULL && truthy(v) ? op->b : pc + 1;
			break;
		}
		case OP_PARTIAL:
		case OP_PARENT: {
			const struct tmpl *u = callee(r, t, op);
			if (u != NULL) {
				struct indent node;
				const struct indent *ni = indent_for(t, op, ind, &node);
				if (op->code == OP_PARTIAL) {
					call(r, u, 0, u->nops, ni, args, depth);
				} else {
					struct args a = {.up = args, .t = t, .first = pc + 1, .end = op->b};
					call(r, u, 0, u->nops, ni, &a, depth);
				}
			}
			if (r->halted)
				goto halt;
			pc = op->code == OP_PARTIAL ? pc + 1 : op->b;
			break;
		}
		case OP_SLOT: {
			const struct tmpl *u = NULL;
			uint32_t k = args ? find_arg(args, t, op, &u) : 0;
			struct indent node;
			if (k != 0) {
				call(r, u, k + 1, u->ops[k].b, indent_for(t, op, ind, &node), args, depth);
				pc = op->b;
			} else if (op->flags & OPF_STANDALONE) {
				call(r, t, pc + 1, op->b, indent_for(t, op, ind, &node), args, depth);
				pc = op->b;
			} else {
				pc++;  /* inline default content: just run on into it */
			}
			if (r->halted)
				goto halt;
			break;
		}
		case OP_ARG:  /* only inside a parent's range, which PARENT skips */
		default:
			pc = op->b;
			break;
		}
	}
halt:
	/* Sections left open by a halt are closed here, so callers' stacks are intact. */
	r->nloop = nloop0;
	r->nctx = nctx0;
}

int
tmpl_render(const struct tmpl_set *s, const char *name, const struct tval *ctx, struct buf *out)
{
	size_t len = strlen(name);
	const struct tmpl *t = tmpl_set_find(s, name, len, tval_hash(name, len));
	if (t == NULL)
		return -1;
	struct render r;
	r.set = s;
	r.out = out;
	r.out_limit = out->len + TMPL_MAX_OUTPUT;
	r.steps = TMPL_MAX_STEPS;
	r.halted = 0;
	r.nctx = 1;
	r.nloop = 0;
	r.ctx[0] = ctx ? ctx : tv_null();
	run(&r, t, 0, t->nops, NULL, NULL, 0);
	return r.halted ? 1 : 0;
}
