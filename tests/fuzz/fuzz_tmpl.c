/*
 * fuzz_tmpl.c - libFuzzer harness for the template compiler and renderer.
 *
 * Input: up to four templates separated by 0x01 bytes, registered as
 * "main", "a", "b" and "c" (so inputs can use partials, parents and blocks
 * across templates; the fixed context's strings "a", "b", "c" make dynamic
 * names resolve too).  Each is compiled; "main" is rendered against the
 * fixed context below.  Compile errors are fine; crashes, sanitizer reports,
 * leaks and unbounded recursion are not.  Built and run by `make fuzz-tmpl`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"
#include "tval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
	"{\"a\":\"a\",\"b\":\"b\",\"c\":\"c\",\"main\":\"main\",\"t\":true,\"f\":false,"
	"\"n\":null,\"i\":-42,\"r\":1.5,\"big\":1e300,\"s\":\"<&\\\"'>\",\"e\":\"\","
	"\"list\":[1,\"two\",{\"a\":\"b\",\"x\":[]},[3,[4]],null,false],"
	"\"obj\":{\"a\":{\"b\":{\"c\":\"deep\"}},\"list\":[{\"x\":1},{\"x\":2,\"a\":\"c\"}]},"
	"\"nest\":{\"nest\":{\"nest\":{\"nest\":\"bottom\"}}}}";

static const char *const names[] = {"main", "a", "b", "c"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *json;
	static struct tval *ctx;
	static struct buf out = BUF_INIT;
	if (ctx == NULL) {   /* kept for the process: the values borrow json's strings */
		json = json_loads(context_json, 0, NULL);
		ctx = tv_from_json(arena_new(), json);
	}
	if (size > 1 << 16)
		return 0;

	struct tmpl_set *s = tmpl_set_new();
	const char *p = (const char *)data, *end = p + size;
	for (size_t k = 0; k < sizeof names / sizeof names[0] && p <= end; k++) {
		const char *q = memchr(p, 0x01, (size_t)(end - p));
		size_t len = (size_t)((q ? q : end) - p);
		char err[256];
		err[0] = '\0';
		if (tmpl_set_add(s, names[k], p, len, names[k], err, sizeof err) != 0 && err[0] == '\0')
			__builtin_trap();  /* a failure must say why */
		if (q == NULL)
			break;
		p = q + 1;
	}
	buf_reset(&out);
	tmpl_render(s, "main", ctx, &out);
	buf_shrink(&out, 1 << 16);
	tmpl_set_free(s);
	return 0;
}
