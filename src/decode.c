/*
 * decode.c - see decode.h.
 */
#include "decode.h"

#include "arena.h"
#include "valid.h"

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum decode_err
decode_pct(struct arena *a, const char *s, size_t len, int flags, char **out, size_t *outlen)
{
	/* Decoding never lengthens, so len + 1 bytes always suffice. */
	char *d = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (len - i < 3)
				return DECODE_BAD_ESCAPE;
			int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return DECODE_BAD_ESCAPE;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && (flags & DECODE_PLUS))
			c = ' ';
		if (c == '\0')
			return DECODE_NUL;
		d[n++] = (char)c;
	}
	d[n] = '\0';
	if (!valid_utf8(d, n))
		return DECODE_BAD_UTF8;
	*out = d;
	*outlen = n;
	return DECODE_OK;
}

const char *
decode_strerror(enum decode_err e)
{
	static const char *const msg[DECODE__MAX] = {
		[DECODE_OK]         = "no error",
		[DECODE_BAD_ESCAPE] = "a malformed percent-escape (% must be followed by two hexadecimal digits)",
		[DECODE_NUL]        = "an encoded NUL character (%00)",
		[DECODE_BAD_UTF8]   = "bytes that are not valid UTF-8",
	};
	return (unsigned)e < DECODE__MAX ? msg[e] : "an unknown encoding error";
}
