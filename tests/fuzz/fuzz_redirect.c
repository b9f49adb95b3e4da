/*
 * fuzz_redirect.c - libFuzzer harness for the `next=` redirect validator:
 * the raw, still percent-encoded value goes through decode_pct (DECODE_PLUS,
 * as a query or form value does) and valid_local_path.  Whatever is
 * accepted is checked against how a browser reads a Location header, not
 * against the validator's own rules:
 *
 *   - browsers drop tab, CR and LF anywhere in a URL and strip leading and
 *     trailing C0 controls and spaces (WHATWG URL parser), and treat '\' as
 *     '/' in http(s) URLs; after doing the same, the target must still be
 *     a path on this host: it starts with exactly one '/';
 *   - it must not contain CR or LF at all (a header split) nor NUL;
 *   - it must not name a scheme ("javascript:" before any '/').
 *
 * Build and run: make fuzz-redirect [FUZZ_TIME=seconds]; `make fuzz` runs all.
 */
#include "arena.h"
#include "decode.h"
#include "valid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The target as a browser sees it: controls stripped at the ends, tab/CR/LF removed, '\' as '/'. */
static size_t
browser_view(const char *s, size_t len, char *out)
{
	size_t b = 0, e = len, n = 0;
	while (b < e && (unsigned char)s[b] <= 0x20)
		b++;
	while (e > b && (unsigned char)s[e - 1] <= 0x20)
		e--;
	for (size_t i = b; i < e; i++) {
		char c = s[i];
		if (c == '\t' || c == '\r' || c == '\n')
			continue;
		out[n++] = c == '\\' ? '/' : c;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (a == NULL)
		a = arena_new();
	char *v;
	size_t vlen;
	if (decode_pct(a, (const char *)data, size, DECODE_PLUS, &v, &vlen) == DECODE_OK &&
	    valid_local_path(v, vlen)) {
		if (memchr(v, '\r', vlen) || memchr(v, '\n', vlen) || memchr(v, '\0', vlen))
			__builtin_trap();   /* header splitting */
		char *seen = malloc(vlen + 1);
		size_t n = browser_view(v, vlen, seen);
		if (n == 0 || seen[0] != '/' || (n > 1 && seen[1] == '/'))
			__builtin_trap();   /* another host, or no path at all */
		const char *colon = memchr(seen, ':', n), *slash = memchr(seen, '/', n);
		if (colon && (!slash || colon < slash))
			__builtin_trap();   /* a scheme */
		free(seen);
	}
	arena_reset(a);
	return 0;
}
