/*
 * test_core.c - arena, buf, util, log and xxh64.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "json_alloc.h"
#include "log.h"
#include "tval.h"
#include "util.h"
#include "xxh64.h"

#include <jansson.h>
#include "t.h"

static int defer_order[4];
static int defer_n;

static void
record(void *p)
{
	defer_order[defer_n++] = *(int *)p;
}

static void
test_arena(void)
{
	struct arena *a = arena_new();
	char *s = arena_strdup(a, "hello");
	T_STREQ("arena strdup", s, "hello");
	T_STREQ("arena strndup cuts", arena_strndup(a, "abcdef", 3), "abc");
	T_STREQ("arena printf", arena_printf(a, "%d-%s", 42, "x"), "42-x");
	T_CHECK("arena alloc aligned", ((uintptr_t)arena_alloc(a, 3) & 15) == 0);
	/* An allocation larger than a chunk gets its own chunk. */
	char *big = arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	T_CHECK("arena big alloc usable", big[(1 << 20) - 1] == 'x');
	unsigned char *z = arena_calloc(a, 100, 7);
	int zero = 1;
	for (int i = 0; i < 700; i++)
		zero &= z[i] == 0;
	T_CHECK("arena calloc zeroes", zero);

	static int one = 1, two = 2;
	arena_defer(a, record, &one);
	arena_defer(a, record, &two);
	arena_reset(a);
	T_CHECK("defers run at reset", defer_n == 2);
	T_CHECK("defers run newest first", defer_order[0] == 2 && defer_order[1] == 1);
	T_CHECK("reset empties", arena_used(a) == 0);
	arena_reset(a);
	T_CHECK("defers run once", defer_n == 2);
	arena_free(a);
	arena_free(NULL);
	T_CHECK("arena_free(NULL) is a no-op", 1);
}

static void
test_buf(void)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "ab");
	buf_putc(&b, 'c');
	buf_printf(&b, "%d", 12);
	T_STREQ("buf appends", b.data, "abc12");
	buf_reset(&b);
	T_CHECK("buf reset keeps memory", b.len == 0 && b.data != NULL);
	buf_put_i64(&b, 0);
	buf_putc(&b, ' ');
	buf_put_i64(&b, -17);
	buf_putc(&b, ' ');
	buf_put_i64(&b, LLONG_MIN);
	buf_putc(&b, ' ');
	buf_put_i64(&b, LLONG_MAX);
	T_STREQ("buf_put_i64 boundaries", b.data,
	    "0 -17 -9223372036854775808 9223372036854775807");
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	T_CHECK("buf grows", b.len == 100000 + 46);
	buf_reset(&b);
	buf_shrink(&b, 4096);
	T_CHECK("buf shrink", b.cap == 4096);
	buf_free(&b);
	T_CHECK("buf free", b.data == NULL && b.len == 0);
}

static void
test_arena_grow(void)
{
	struct arena *a = arena_new();
	char *p = arena_grow(a, NULL, 0, 10);
	memcpy(p, "0123456789", 10);
	T_CHECK("grow: the newest block grows in place", arena_grow(a, p, 10, 1000) == p);
	T_CHECK("grow: shrinking request keeps the block", arena_grow(a, p, 1000, 5) == p);
	char *other = arena_alloc(a, 16);
	char *q = arena_grow(a, p, 10, 2000);
	T_CHECK("grow: an older block moves", q != p && q != other);
	T_CHECK("grow: contents are kept", memcmp(q, "0123456789", 10) == 0);
	char *r = arena_grow(a, q, 2000, 200 * 1024);   /* past the chunk: a new one */
	T_CHECK("grow: past the chunk, contents kept", memcmp(r, "0123456789", 10) == 0);
	r[200 * 1024 - 1] = 'z';
	T_CHECK("grow: whole block usable", r[200 * 1024 - 1] == 'z');
	arena_free(a);
}

static void
test_buf_arena(void)
{
	struct arena *a = arena_new();
	struct buf b = BUF_IN(a);
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	int same = b.len == 100000;
	for (size_t i = 0; same && i < b.len; i++)
		same = b.data[i] == (char)('a' + i % 26);
	T_CHECK("arena buf: 100000 bytes appended intact", same && b.data[b.len] == '\0');
	size_t used = arena_used(a);
	T_CHECK("arena buf: memory is the arena's", used >= 100000 && used < 4 * 100000);
	buf_shrink(&b, 16);
	T_CHECK("arena buf: shrink is a no-op", b.len == 100000);
	buf_free(&b);
	T_CHECK("arena buf: free forgets", b.data == NULL && b.len == 0 && b.arena == a);
	buf_puts(&b, "again");
	T_STREQ("arena buf: usable after free", b.data, "again");
	arena_reset(a);
	T_CHECK("arena buf: released by reset", arena_used(a) == 0);
	arena_free(a);
}

static void
test_json_alloc(void)
{
	json_alloc_install();
	json_t *kept = json_pack("{s:s}", "made", "on the heap");
	struct arena *a = arena_new();
	json_alloc_bind(a);
	size_t before = arena_used(a);
	json_t *o = json_object();
	for (int i = 0; i < 100; i++)
		json_object_set_new(o, arena_printf(a, "k%d", i), json_sprintf("value %d", i));
	T_CHECK("json_alloc: objects come from the bound arena", arena_used(a) > before + 100 * 16);
	T_STREQ("json_alloc: and work", json_string_value(json_object_get(o, "k42")), "value 42");
	json_decref(o);
	json_alloc_bind(NULL);
	arena_reset(a);
	T_STREQ("json_alloc: heap objects survive the reset",
	    json_string_value(json_object_get(kept, "made")), "on the heap");
	json_alloc_bind(a);
	json_decref(kept);   /* a heap object freed while bound goes back to the heap: valgrind checks */
	json_alloc_bind(NULL);
	json_t *after = json_string("heap again");
	T_STREQ("json_alloc: unbound, the heap again", json_string_value(after), "heap again");
	json_decref(after);
	arena_free(a);
}

/*
 * A record cut short by a full disk is lost and does not swallow the next
 * one.  RLIMIT_FSIZE stands in for the full disk: a write across the limit
 * stops at it (a short write), the next fails with EFBIG.
 */
static void
test_log_torn(void)
{
	char path[] = "/tmp/marquee-test-log.XXXXXX";
	int fd = mkstemp(path);
	int saved = dup(STDERR_FILENO);
	struct rlimit old, lim;
	T_CHECK("log: scratch file", fd >= 0 && saved >= 0 && getrlimit(RLIMIT_FSIZE, &old) == 0);
	if (fd < 0 || saved < 0)
		return;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	dup2(fd, STDERR_FILENO);
	lim = old;
	lim.rlim_cur = 40;
	setrlimit(RLIMIT_FSIZE, &lim);
	log_info("first record, longer than the forty bytes left");
	log_info("dropped: the file is at its limit");
	setrlimit(RLIMIT_FSIZE, &old);
	log_info("after");
	dup2(saved, STDERR_FILENO);
	close(saved);
	signal(SIGXFSZ, prev);

	char got[256] = "", first[128], want[256];
	ssize_t n = pread(fd, got, sizeof got - 1, 0);
	got[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	snprintf(first, sizeof first, "info pid=%ld first record, longer than the forty bytes left",
	    (long)getpid());
	snprintf(want, sizeof want, "%.40s\ninfo pid=%ld after\n", first, (long)getpid());
	T_STREQ("log: a record cut short is ended by the next one, which is whole", got, want);
}

/* XXH64 against the reference implementation (Debian's python3-xxhash,
 * xxhash.xxh64(data, seed)): every tail path (8-, 4-, 1-byte steps), the
 * 32-byte stripes, and a seed. */
static void
test_xxh64(void)
{
	static const struct {
		size_t   n;
		uint64_t h0, hs;  /* seed 0, seed 0x123456789 */
	} v[] = {
		{0, 0xef46db3751d8e999ULL, 0x95afe0a362051b7fULL},
		{1, 0xa96c7f0ce858bbb7ULL, 0x8ebe613b2149648dULL},
		{3, 0xbed43740ee6332bbULL, 0xfdf21cb2aff80d7aULL},
		{4, 0xfa212ae44b3bb23dULL, 0xc795ad50185bcc70ULL},
		{5, 0xd339dcc9ac8e6776ULL, 0x3164a34f1db2f664ULL},
		{8, 0x994b676b71ce94ddULL, 0xe025e948aaf5f96dULL},
		{11, 0x97f078da7a1a590cULL, 0x47f7ba0a17885261ULL},
		{31, 0x6711d55e306b5d8fULL, 0x6d0207c9d24ca7e9ULL},
		{32, 0x07f7b8e3bc5d6e25ULL, 0xb93bdc512cf5bcddULL},
		{33, 0x09f85eeb4e1cbe9fULL, 0xc4c71433d47dc711ULL},
		{63, 0xb7c9968c066cb6a5ULL, 0x9c46406649a5b184ULL},
		{64, 0x50d4159a0411632eULL, 0x271c56ef397b4806ULL},
		{65, 0xd277176bff863efcULL, 0x53423f1be1ddaf77ULL},
		{100, 0x9ddada11d3dc2d8fULL, 0x20e2466eabbe770fULL},
		{1000, 0x0bf0bdbcc82eb373ULL, 0x0a641196bda2eb36ULL},
	};
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)((i * 131 + 7) & 0xff);
	for (size_t i = 0; i < NELEM(v); i++) {
		char name[64];
		snprintf(name, sizeof name, "xxh64 of %zu bytes", v[i].n);
		T_CHECK(name, xxh64(data, v[i].n, 0) == v[i].h0);
		snprintf(name, sizeof name, "xxh64 of %zu bytes, seeded", v[i].n);
		T_CHECK(name, xxh64(data, v[i].n, 0x123456789ULL) == v[i].hs);
	}
	T_CHECK("xxh64(\"abc\")", xxh64("abc", 3, 0) == 0x44bc2cf5ad770999ULL);
	T_CHECK("xxh64 of NULL, 0", xxh64(NULL, 0, 0) == 0xef46db3751d8e999ULL);
	/* An unaligned start reads the same bytes the same way. */
	unsigned char shifted[101];
	memcpy(shifted + 1, data, 100);
	T_CHECK("xxh64 unaligned", xxh64(shifted + 1, 100, 0) == 0x9ddada11d3dc2d8fULL);
}

/* Template values: members replaced in place, lists past their first
 * array, strings borrowed or copied, JSON turned into values. */
static void
test_tval(void)
{
	struct arena *a = arena_new();
	struct tval *o = tv_obj(a);
	tv_set_str(o, "a", "one");
	tv_set_int(o, "b", 2);
	tv_set_str(o, "a", "uno");
	T_CHECK("tval: a replaced, not added", tv_len(o) == 2);
	T_STREQ("tval: a is the new value", tv_string(tv_get(o, "a")), "uno");
	T_CHECK("tval: b is an integer", tv_get(o, "b")->type == TV_INT && tv_get(o, "b")->u.i == 2);
	T_CHECK("tval: no c", tv_get(o, "c") == NULL);
	T_CHECK("tval: a key is its bytes, not a prefix", tv_get(o, "aa") == NULL);
	tv_setn(o, "x\0y", 3, tv_bool(1));
	T_CHECK("tval: keys with NUL bytes", tv_getk(o, "x\0y", 3, tval_hash("x\0y", 3)) == tv_bool(1)
	        && tv_get(o, "x") == NULL);
	tv_set_str(o, "n", NULL);
	T_CHECK("tval: a NULL string is null", tv_get(o, "n") == tv_null());
	T_CHECK("tval: members only of objects", tv_get(tv_str(a, "s"), "a") == NULL && tv_get(NULL, "a") == NULL);

	char local[8] = "copied";
	tv_set_copy(o, "c", local, 6);
	tv_set_strn(o, "d", local, 3);
	memcpy(local, "XXXXXX", 6);
	T_CHECK("tval: tv_set_copy copies", memcmp(tv_string(tv_get(o, "c")), "copied", 6) == 0);
	T_CHECK("tval: tv_set_strn borrows", tv_get(o, "d")->n == 3 && memcmp(tv_string(tv_get(o, "d")), "XXX", 3) == 0);
	T_STREQ("tval: concat", tv_string(tv_concat(a, "/videos/", "x")), "/videos/x");

	struct tval *l = tv_list(a), *empty = tv_list(a);
	for (long long i = 0; i < 100; i++)
		tv_push(l, tv_int(a, i * i));
	int ok = tv_len(l) == 100;
	for (size_t i = 0; i < 100; i++)
		ok &= tv_at(l, i)->u.i == (long long)(i * i);
	T_CHECK("tval: 100 items in order", ok && tv_at(l, 100) == NULL);
	tv_set_list(o, "items", l);
	tv_set_list(o, "none", empty);
	T_CHECK("tval: has_items for a list with items", tv_get(o, "has_items") == tv_bool(1));
	T_CHECK("tval: no has_none for an empty list", tv_get(o, "has_none") == NULL && tv_get(o, "none") == empty);

	struct tval *big = tv_obj(a);
	char keys[40][8];
	for (int i = 0; i < 40; i++) {
		snprintf(keys[i], sizeof keys[i], "k%02u", (unsigned)i % 100u);
		tv_set_int(big, keys[i], i);
	}
	ok = tv_len(big) == 40;
	for (int i = 0; i < 40; i++)
		ok &= tv_get(big, keys[i]) && tv_get(big, keys[i])->u.i == i;
	T_CHECK("tval: 40 members found after growth", ok);

	json_t *j = json_loads("{\"s\":\"x\\u0000y\",\"i\":-3,\"r\":1.5,\"t\":true,\"f\":false,"
	                       "\"z\":null,\"l\":[1,[2]],\"o\":{\"k\":\"v\"}}", JSON_ALLOW_NUL, NULL);
	struct tval *v = tv_from_json(a, j);
	T_CHECK("tval: JSON string with its length", tv_get(v, "s")->type == TV_STR && tv_get(v, "s")->n == 3);
	T_CHECK("tval: JSON integer", tv_get(v, "i")->type == TV_INT && tv_get(v, "i")->u.i == -3);
	T_CHECK("tval: JSON real", tv_get(v, "r")->type == TV_REAL && tv_get(v, "r")->u.d == 1.5);
	T_CHECK("tval: JSON true, false, null", tv_get(v, "t") == tv_bool(1) && tv_get(v, "f") == tv_bool(0)
	        && tv_get(v, "z") == tv_null());
	T_CHECK("tval: JSON nested list", tv_len(tv_get(v, "l")) == 2 && tv_len(tv_at(tv_get(v, "l"), 1)) == 1);
	T_STREQ("tval: JSON nested object", tv_string(tv_get(tv_get(v, "o"), "k")), "v");
	T_CHECK("tval: JSON NULL is null", tv_from_json(a, NULL) == tv_null());
	json_decref(j);
	arena_free(a);
}

int
main(void)
{
	test_log_torn();
	test_arena();
	test_arena_grow();
	test_buf();
	test_buf_arena();
	test_json_alloc();
	test_xxh64();
	test_tval();
	return t_done("test_core");
}
