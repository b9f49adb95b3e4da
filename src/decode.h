/*
 * decode.h - strict percent-decoding of URL parts (path segments, query and
 * form keys and values, cookie values).
 *
 * Strict means: a '%' not followed by two hexadecimal digits, an encoded NUL
 * (%00), or a result that is not well-formed UTF-8 is an error, never
 * "repaired".  Callers turn an error into a 400 page quoting
 * decode_strerror().  Control characters other than NUL are decoded: whether
 * they are acceptable is the validators' business (valid.h).
 *
 * This module does not split query strings; request.c does.
 */
#ifndef MARQUEE_DECODE_H
#define MARQUEE_DECODE_H

#include <stddef.h>

struct arena;

enum decode_err {
	DECODE_OK,
	DECODE_BAD_ESCAPE,    /* '%' not followed by two hex digits */
	DECODE_NUL,           /* %00, or a raw NUL byte */
	DECODE_BAD_UTF8,      /* decoded bytes are not well-formed UTF-8 */
	DECODE__MAX
};

/* Decode '+' as a space (application/x-www-form-urlencoded and query strings). */
#define DECODE_PLUS 1

/*
 * Decode s[0..len) into a new NUL-terminated string in the arena, stored in
 * *out with its length in *outlen.  flags: 0 or DECODE_PLUS.
 * Returns DECODE_OK, or the first error found (then *out is untouched).
 */
enum decode_err decode_pct(struct arena *a, const char *s, size_t len, int flags,
    char **out, size_t *outlen);

/* A short English phrase for an error ("malformed percent-escape"); static. */
const char *decode_strerror(enum decode_err e);

#endif
