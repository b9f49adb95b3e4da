/*
 * valid.h - validators for every value that reaches a handler.
 *
 * Pure functions: no allocation, no global state, no I/O.  Each takes the
 * value as (pointer, length) so an embedded NUL is seen and rejected rather
 * than silently truncating the value.  Route tables (router.h) attach one
 * struct valid_rule to every key they accept; the request core runs
 * valid_check() on it and the handler only ever sees values that passed.
 *
 * Return convention for every validator here: "Returns 1 if valid, 0 if not."
 * Output parameters are written only when the value is valid.
 *
 * This module does not decode anything (decode.h does percent-decoding) and
 * does not know where a value came from.
 */
#ifndef MARQUEE_VALID_H
#define MARQUEE_VALID_H

#include <stddef.h>

struct arena;

/* A slug is at most this many bytes: the schema's slug columns are VARCHAR(255). */
#define VALID_SLUG_MAX 255
/* RFC 5321 limits a forward path to 256 octets, i.e. 254 for the address itself. */
#define VALID_EMAIL_MAX 254
#define VALID_EMAIL_LOCAL_MAX 64
/* Longer redirect targets are not ours: our longest canonical URL is far below. */
#define VALID_LOCAL_PATH_MAX 2048

/* Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
int valid_utf8(const char *s, size_t len);

/* Number of code points in well-formed UTF-8 (undefined for invalid input). */
size_t valid_utf8_len(const char *s, size_t len);

/* [a-z0-9]+ joined by single '-', 1..VALID_SLUG_MAX bytes ("my-video-2"). */
int valid_slug(const char *s, size_t len);

/* Canonical 8-4-4-4-12 hexadecimal UUID, either case. */
int valid_uuid(const char *s, size_t len);

/*
 * Decimal integer in [min, max]: optional '-', digits only, no '+', no
 * spaces, no leading zeros (so every number has one spelling), no overflow.
 */
int valid_int(const char *s, size_t len, long long min, long long max, long long *out);

/* One of the NULL-terminated members, exactly; *out gets its index. */
int valid_enum(const char *s, size_t len, const char *const *members, int *out);

/*
 * A practical e-mail address: ASCII, one '@', a dot-atom local part of at
 * most 64 bytes, a domain of at least two LDH labels (1..63 bytes, no
 * leading/trailing '-') ending in an alphabetic label, at most 254 bytes.
 */
int valid_email(const char *s, size_t len);

/*
 * Bounded single-line text: valid UTF-8, no control characters (C0, DEL,
 * C1), between minchars and maxchars code points.
 */
int valid_string(const char *s, size_t len, size_t minchars, size_t maxchars);

/* Like valid_string but tab, CR and LF are allowed (textareas). */
int valid_text(const char *s, size_t len, size_t minchars, size_t maxchars);

/* "1", "true", "on", "yes" -> 1; "0", "false", "off", "no" -> 0 (lowercase only). */
int valid_bool(const char *s, size_t len, int *out);

/*
 * A redirect target that stays on this site: starts with '/', not "//" nor
 * "/\" (both mean another host to a browser), no backslash, no control
 * characters or spaces (so no CR/LF header splitting), printable ASCII only,
 * at most VALID_LOCAL_PATH_MAX bytes.
 */
int valid_local_path(const char *s, size_t len);

/* ---------------------------------------------------------------- rules */

enum valid_kind {
	VALID_SLUG,
	VALID_UUID,
	VALID_INT,        /* min..max */
	VALID_ENUM,       /* members */
	VALID_EMAIL,
	VALID_STRING,     /* min..max code points */
	VALID_TEXT,       /* min..max code points, multi-line */
	VALID_BOOL,
	VALID_LOCAL_PATH,
	VALID__MAX
};

struct valid_rule {
	enum valid_kind    kind;
	long long          min, max;
	const char *const *members;   /* VALID_ENUM: NULL-terminated */
};

/* Shorthands for route tables (file scope: V_ENUM's compound literal is static only there). */
#define V_SLUG            {.kind = VALID_SLUG}
#define V_UUID            {.kind = VALID_UUID}
#define V_INT(lo, hi)     {.kind = VALID_INT, .min = (lo), .max = (hi)}
#define V_ENUM(...)       {.kind = VALID_ENUM, .members = (const char *const[]){__VA_ARGS__, NULL}}
#define V_EMAIL           {.kind = VALID_EMAIL}
#define V_STRING(lo, hi)  {.kind = VALID_STRING, .min = (lo), .max = (hi)}
#define V_TEXT(lo, hi)    {.kind = VALID_TEXT, .min = (lo), .max = (hi)}
#define V_BOOL            {.kind = VALID_BOOL}
#define V_LOCAL_PATH      {.kind = VALID_LOCAL_PATH}

/*
 * Run the rule's validator.  On success *num gets the number for VALID_INT,
 * the member index for VALID_ENUM, 0/1 for VALID_BOOL, 0 otherwise.
 * Returns 1 if valid, 0 if not.
 */
int valid_check(const struct valid_rule *r, const char *s, size_t len, long long *num);

/*
 * What the rule expects, in words for an error page ("a whole number from
 * 1 to 100").  The string lives in the arena.
 */
const char *valid_describe(const struct valid_rule *r, struct arena *a);

#endif
