/*
 * tval.h - template values: the data a page hands to the template engine.
 *
 * A tval is null, false, true, an integer, a real, a string, a list or an
 * object (string keys in insertion order, each key at most once).  Every
 * node and every member array lives in an arena and is released by
 * arena_reset; nothing is freed one by one and nothing here calls malloc.
 *
 * Why not jansson trees, which this replaced: a collection page's context is
 * about 300 values.  Built as jansson objects it cost a hash table per
 * object, a copy of every string, and a walk to free them, and every name a
 * template looked up went through jansson's hashing: together a third of a
 * worker's CPU per page.  Here a value is one bump allocation, strings are
 * borrowed rather than copied, and a member lookup compares precomputed
 * 32-bit hashes over a short array.  JSON stays the format of data that
 * really is JSON (API bodies, webhooks, marqueectl render's input):
 * tv_from_json() turns such a tree into values.
 *
 * Ownership - read this before calling a constructor:
 *  - Strings and keys are BORROWED by tv_str, tv_strn, tv_set, tv_set_str
 *    and tv_set_strn: the bytes must stay unchanged for as long as the
 *    values are used, which in a request is until its arena is reset.
 *    Literals, arena memory and the PGresults of db_exec (cleared only when
 *    the request's arena is reset, db.h) qualify; a local buffer does not
 *    and goes through tv_copy / tv_set_copy, which copy into the arena.
 *  - A container keeps the arena it was made in and grows there.
 *  - A value may be placed in more than one container (it is shared, not
 *    copied), and containers may be changed after they were placed.
 * Out of memory aborts, as everywhere (util.h).  Keys and strings may hold
 * any bytes; their lengths are explicit.  NULL is never a valid tval for
 * the functions that take one, except where stated.
 */
#ifndef MARQUEE_TVAL_H
#define MARQUEE_TVAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

struct arena;

enum tval_type {
	TV_NULL,
	TV_FALSE,
	TV_TRUE,
	TV_INT,
	TV_REAL,
	TV_STR,
	TV_LIST,
	TV_OBJ,
};

struct tval_member {
	const char  *key;      /* borrowed, not NUL-terminated */
	uint32_t     klen;
	uint32_t     hash;     /* tval_hash(key, klen) */
	struct tval *v;
};

struct tval {
	uint8_t  type;         /* enum tval_type */
	uint32_t n;            /* STR: bytes; LIST, OBJ: count */
	uint32_t cap;          /* LIST, OBJ: room in the array */
	uint32_t bloom;        /* OBJ: bit hash >> 27 set for each member (TV_BLOOM_BIT) */
	union {
		const char          *s;        /* STR: borrowed, n bytes */
		long long            i;        /* INT */
		double               d;        /* REAL */
		struct tval        **items;    /* LIST */
		struct tval_member  *members;  /* OBJ */
	} u;
	struct arena *arena;   /* LIST, OBJ: where the array grows */
};

/* FNV-1a over n bytes: member hashes here and the template registry's.
 * Unrolled so that, for a literal key, the compiler computes the hash. */
static inline uint32_t
tval_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
#ifdef __GNUC__
#pragma GCC unroll 16
#endif
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* ---- constructors: never NULL ---- */

/* The shared null / true / false; never change them. */
struct tval *tv_null(void);
struct tval *tv_bool(int b);

struct tval *tv_int(struct arena *a, long long v);
struct tval *tv_real(struct arena *a, double d);
/* Borrowed string (see Ownership).  tv_str(a, NULL) is null. */
struct tval *tv_str(struct arena *a, const char *s);
struct tval *tv_strn(struct arena *a, const char *s, size_t n);
/* A copy of s[0..n) in the arena. */
struct tval *tv_copy(struct arena *a, const char *s, size_t n);
/* prefix followed by s, copied into the arena as one string. */
struct tval *tv_concat(struct arena *a, const char *prefix, const char *s);

/* Empty containers that grow in a. */
struct tval *tv_obj(struct arena *a);
struct tval *tv_list(struct arena *a);

/* ---- objects ---- */

/* Set o's member key[0..klen) (borrowed), whose tval_hash is hash, to v,
 * replacing an earlier value under that key.  o must be an object.  The
 * inline forms below are what pages call: with a literal key, strlen and
 * the hash fold to constants when they are compiled. */
void tv_seth(struct tval *o, const char *key, size_t klen, uint32_t hash, struct tval *v);

static inline void
tv_setn(struct tval *o, const char *key, size_t klen, struct tval *v)
{
	tv_seth(o, key, klen, tval_hash(key, klen), v);
}

/* key is borrowed and NUL-terminated. */
static inline void
tv_set(struct tval *o, const char *key, struct tval *v)
{
	tv_setn(o, key, strlen(key), v);
}

/* Shorthands, all with borrowed keys.  tv_set_str borrows s (NULL: null);
 * tv_set_copy copies s[0..n). */
static inline void
tv_set_str(struct tval *o, const char *key, const char *s)
{
	tv_set(o, key, tv_str(o->arena, s));
}

static inline void
tv_set_strn(struct tval *o, const char *key, const char *s, size_t n)
{
	tv_set(o, key, tv_strn(o->arena, s, n));
}

static inline void
tv_set_copy(struct tval *o, const char *key, const char *s, size_t n)
{
	tv_set(o, key, tv_copy(o->arena, s, n));
}

static inline void
tv_set_int(struct tval *o, const char *key, long long i)
{
	tv_set(o, key, tv_int(o->arena, i));
}

static inline void
tv_set_bool(struct tval *o, const char *key, int b)
{
	tv_set(o, key, tv_bool(b));
}

/* Set key to list, and "has_KEY" to true when the list is not empty (the
 * templates' guard for a section with a heading). */
void tv_set_list(struct tval *o, const char *key, struct tval *list);


/* a[0..n) == b[0..n) without a call for the short names templates use:
 * memcmp was a quarter of a render when every lookup called it.  Two
 * overlapping loads cover 4..16 bytes and never read past either key. */
static inline int
tval_key_eq(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a0, a1, b0, b1;
		memcpy(&a0, a, 8);
		memcpy(&b0, b, 8);
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b1, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	if (n >= 4 && n < 8) {
		uint32_t a0, a1, b0, b1;
		memcpy(&a0, a, 4);
		memcpy(&b0, b, 4);
		memcpy(&a1, a + n - 4, 4);
		memcpy(&b1, b + n - 4, 4);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	if (n < 4) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	return memcmp(a, b, n) == 0;
}

/* An object's one-word filter of its members' hashes: a name whose bit is
 * clear is not there, without a scan.  Most lookups that miss (a page-level
 * name such as `restricted` asked of every card first) end here. */
#define TV_BLOOM_BIT(hash) (1u << ((hash) >> 27))

/* o's member key[0..klen) whose tval_hash is `hash`, or NULL: the
 * renderer's lookup, inline because a page makes hundreds. */
static inline struct tval *
tv_getk(const struct tval *o, const char *key, size_t klen, uint32_t hash)
{
	if (o == NULL || o->type != TV_OBJ || !(o->bloom & TV_BLOOM_BIT(hash)))
		return NULL;
	const struct tval_member *m = o->u.members;
	for (uint32_t i = 0, n = o->n; i < n; i++)
		if (m[i].hash == hash && m[i].klen == klen && tval_key_eq(m[i].key, key, klen))
			return m[i].v;
	return NULL;
}

/* o's member key (NUL-terminated), or NULL if o is not an object or has no such member. */
static inline struct tval *
tv_get(const struct tval *o, const char *key)
{
	size_t n = strlen(key);
	return tv_getk(o, key, n, tval_hash(key, n));
}

/* ---- lists ---- */

/* Append v to list l. */
void tv_push(struct tval *l, struct tval *v);
/* Items of a list, members of an object, bytes of a string; else 0. */
size_t tv_len(const struct tval *v);
/* Item i of list l, or NULL when l is not a list or i is out of range. */
struct tval *tv_at(const struct tval *l, size_t i);

/* s's bytes if v is a string, else NULL. */
const char *tv_string(const struct tval *v);

/* ---- from JSON ---- */

/* The values of JSON value j (NULL: null).  Strings and keys are borrowed
 * from j, which must outlive the result; integers stay integers, reals
 * reals; object members keep jansson's iteration order. */
struct tval *tv_from_json(struct arena *a, const json_t *j);

#endif
