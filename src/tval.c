/*
 * tval.c - see tval.h.
 */
#include "tval.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

/* Why: a card has nine members and most objects fewer; one growth step
 * covers the page root. */
#define FIRST_CAP 8

/* Why: counts are 32-bit; no page comes near this many members or items. */
#define MAX_COUNT (UINT32_MAX / 2)

static struct tval null_v = {.type = TV_NULL};
static struct tval false_v = {.type = TV_FALSE};
static struct tval true_v = {.type = TV_TRUE};

struct tval *
tv_null(void)
{
	return &null_v;
}

struct tval *
tv_bool(int b)
{
	return b ? &true_v : &false_v;
}

static struct tval *
node(struct arena *a, enum tval_type type)
{
	struct tval *v = arena_alloc(a, sizeof *v);
	v->type = (uint8_t)type;
	v->n = v->cap = v->bloom = 0;
	v->arena = NULL;
	return v;
}

struct tval *
tv_int(struct arena *a, long long i)
{
	struct tval *v = node(a, TV_INT);
	v->u.i = i;
	return v;
}

struct tval *
tv_real(struct arena *a, double d)
{
	struct tval *v = node(a, TV_REAL);
	v->u.d = d;
	return v;
}

struct tval *
tv_strn(struct arena *a, const char *s, size_t n)
{
	if (n > MAX_COUNT)
		die_oom("tv_strn");
	struct tval *v = node(a, TV_STR);
	v->u.s = s;
	v->n = (uint32_t)n;
	return v;
}

struct tval *
tv_str(struct arena *a, const char *s)
{
	return s ? tv_strn(a, s, strlen(s)) : &null_v;
}

struct tval *
tv_copy(struct arena *a, const char *s, size_t n)
{
	return tv_strn(a, arena_memdup(a, s, n), n);
}

struct tval *
tv_concat(struct arena *a, const char *prefix, const char *s)
{
	size_t pl = strlen(prefix), sl = strlen(s);
	char *b = arena_alloc(a, pl + sl + 1);
	memcpy(b, prefix, pl);
	memcpy(b + pl, s, sl + 1);
	return tv_strn(a, b, pl + sl);
}

static struct tval *
container(struct arena *a, enum tval_type type)
{
	struct tval *v = node(a, type);
	v->arena = a;
	v->u.items = NULL;
	return v;
}

struct tval *
tv_obj(struct arena *a)
{
	return container(a, TV_OBJ);
}

struct tval *
tv_list(struct arena *a)
{
	return container(a, TV_LIST);
}

/* Room for one more element of `size` bytes in c's array. */
static void *
room(struct tval *c, void *arr, size_t size)
{
	if (c->n < c->cap)
		return arr;
	if (c->cap >= MAX_COUNT)
		die_oom("tval");
	uint32_t cap = c->cap ? c->cap * 2 : FIRST_CAP;
	arr = arena_grow(c->arena, arr, (size_t)c->cap * size, (size_t)cap * size);
	c->cap = cap;
	return arr;
}

void
tv_seth(struct tval *o, const char *key, size_t klen, uint32_t hash, struct tval *v)
{
	if (o->type != TV_OBJ)
		abort();   /* a programming error: only objects have members */
	if (klen > MAX_COUNT)
		die_oom("tv_seth");
	struct tval_member *m = o->u.members;
	for (uint32_t i = 0; i < o->n; i++)
		if (m[i].hash == hash && m[i].klen == klen && tval_key_eq(m[i].key, key, klen)) {
			m[i].v = v;
			return;
		}
	o->u.members = m = room(o, m, sizeof *m);
	m[o->n++] = (struct tval_member){.key = key, .klen = (uint32_t)klen, .hash = hash, .v = v};
	o->bloom |= TV_BLOOM_BIT(hash);
}

void
tv_set_list(struct tval *o, const char *key, struct tval *list)
{
	if (tv_len(list) > 0) {
		size_t n = strlen(key);
		char *flag = arena_alloc(o->arena, n + 5);
		memcpy(flag, "has_", 4);
		memcpy(flag + 4, key, n + 1);
		tv_setn(o, flag, n + 4, tv_bool(1));
	}
	tv_set(o, key, list);
}

void
tv_push(struct tval *l, struct tval *v)
{
	if (l->type != TV_LIST)
		abort();   /* a programming error: only lists have items */
	l->u.items = room(l, l->u.items, sizeof *l->u.items);
	l->u.items[l->n++] = v;
}

size_t
tv_len(const struct tval *v)
{
	if (v == NULL)
		return 0;
	return v->type == TV_LIST || v->type == TV_OBJ || v->type == TV_STR ? v->n : 0;
}

struct tval *
tv_at(const struct tval *l, size_t i)
{
	if (l == NULL || l->type != TV_LIST || i >= l->n)
		return NULL;
	return l->u.items[i];
}

const char *
tv_string(const struct tval *v)
{
	return v && v->type == TV_STR ? v->u.s : NULL;
}

struct tval *
tv_from_json(struct arena *a, const json_t *j)
{
	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_TRUE:
		return tv_bool(1);
	case JSON_FALSE:
		return tv_bool(0);
	case JSON_INTEGER:
		return tv_int(a, (long long)json_integer_value(j));
	case JSON_REAL:
		return tv_real(a, json_real_value(j));
	case JSON_STRING:
		return tv_strn(a, json_string_value(j), json_string_length(j));
	case JSON_ARRAY: {
		struct tval *l = tv_list(a);
		for (size_t i = 0, n = json_array_size(j); i < n; i++)
			tv_push(l, tv_from_json(a, json_array_get(j, i)));
		return l;
	}
	case JSON_OBJECT: {
		struct tval *o = tv_obj(a);
		const char *key;
		size_t klen;
		json_t *v;
		json_object_keylen_foreach((json_t *)j, key, klen, v)
			tv_setn(o, key, klen, tv_from_json(a, v));
		return o;
	}
	case JSON_NULL:
	default:
		return tv_null();
	}
}
