/*
 * valid.c - see valid.h.  Pure functions; no allocation except in
 * valid_describe (arena).
 */
#include "valid.h"

#include "arena.h"

#include <limits.h>
#include <string.h>

static int
is_lower_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Length of the well-formed UTF-8 sequence starting at s[0], or 0 if the
 * bytes there are not one (RFC 3629 table 3-7).
 */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;            /* continuation byte, overlong 2-byte lead, > U+10FFFF */
	size_t n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (len < n)
		return 0;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c == 0xe0)
		lo = 0xa0;           /* overlong 3-byte */
	else if (c == 0xed)
		hi = 0x9f;           /* surrogates U+D800..U+DFFF */
	else if (c == 0xf0)
		lo = 0x90;           /* overlong 4-byte */
	else if (c == 0xf4)
		hi = 0x8f;           /* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

int
valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t
valid_utf8_len(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int
valid_slug(const char *s, size_t len)
{
	if (len == 0 || len > VALID_SLUG_MAX)
		return 0;
	if (s[0] == '-' || s[len - 1] == '-')
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-') {
			if (s[i + 1] == '-')
				return 0;
		} else if (!is_lower_alnum(c))
			return 0;
	}
	return 1;
}

int
valid_uuid(const char *s, size_t len)
{
	if (len != 36)
		return 0;
	for (size_t i = 0; i < len; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int
valid_int(const char *s, size_t len, long long min, long long max, long long *out)
{
	size_t i = 0;
	int neg = 0;
	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len)
		return 0;
	if (s[i] == '0' && (len - i > 1 || neg))
		return 0;            /* leading zero, or "-0" */
	/* Accumulate negatively so LLONG_MIN parses without overflow. */
	long long v = 0;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!is_digit(c))
			return 0;
		int d = c - '0';
		if (v < (LLONG_MIN + d) / 10)
			return 0;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == LLONG_MIN)
			return 0;
		v = -v;
	}
	if (v < min || v > max)
		return 0;
	if (out)
		*out = v;
	return 1;
}

int
valid_enum(const char *s, size_t len, const char *const *members, int *out)
{
	for (int i = 0; members[i] != NULL; i++) {
		if (strlen(members[i]) == len && memcmp(members[i], s, len) == 0) {
			if (out)
				*out = i;
			return 1;
		}
	}
	return 0;
}

static int
is_atext(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || (c != 0 && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

int
valid_email(const char *s, size_t len)
{
	if (len == 0 || len > VALID_EMAIL_MAX)
		return 0;
	const char *at = memchr(s, '@', len);
	if (at == NULL)
		return 0;
	size_t llen = (size_t)(at - s);
	const char *d = at + 1;
	size_t dlen = len - llen - 1;
	if (llen == 0 || llen > VALID_EMAIL_LOCAL_MAX || dlen == 0)
		return 0;
	/* Local part: dot-atom. */
	if (s[0] == '.' || s[llen - 1] == '.')
		return 0;
	for (size_t i = 0; i < llen; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!is_atext(c))
			return 0;
	}
	/* Domain: LDH labels separated by single dots, at least two of them. */
	size_t labels = 0, start = 0;
	for (size_t i = 0; i <= dlen; i++) {
		if (i < dlen && d[i] != '.') {
			unsigned char c = (unsigned char)d[i];
			if (!is_alpha(c) && !is_digit(c) && c != '-')
				return 0;
			continue;
		}
		size_t n = i - start;
		if (n == 0 || n > 63 || d[start] == '-' || d[i - 1] == '-')
			return 0;
		labels++;
		if (i == dlen) {
			/* The top-level label is alphabetic (no "user@1.2.3.4"). */
			for (size_t j = start; j < i; j++)
				if (!is_alpha((unsigned char)d[j]))
					return 0;
			if (n < 2)
				return 0;
		}
		start = i + 1;
	}
	return labels >= 2;
}

/* A code point that must never appear in text we accept. */
static int
is_control(const unsigned char *p, size_t n, int allow_ws)
{
	if (n == 1) {
		if (allow_ws && (p[0] == '\t' || p[0] == '\n' || p[0] == '\r'))
			return 0;
		return p[0] < 0x20 || p[0] == 0x7f;
	}
	/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F. */
	return n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

static int
text_ok(const char *s, size_t len, size_t minchars, size_t maxchars, int allow_ws)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, chars = 0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0 || is_control(p + i, n, allow_ws))
			return 0;
		i += n;
		if (++chars > maxchars)
			return 0;
	}
	return chars >= minchars;
}

int
valid_string(const char *s, size_t len, size_t minchars, size_t maxchars)
{
	return text_ok(s, len, minchars, maxchars, 0);
}

int
valid_text(const char *s, size_t len, size_t minchars, size_t maxchars)
{
	return text_ok(s, len, minchars, maxchars, 1);
}

int
valid_bool(const char *s, size_t len, int *out)
{
	static const char *const yes[] = {"1", "true", "on", "yes", NULL};
	static const char *const no[] = {"0", "false", "off", "no", NULL};
	int dummy;
	if (valid_enum(s, len, yes, &dummy)) {
		if (out)
			*out = 1;
		return 1;
	}
	if (valid_enum(s, len, no, &dummy)) {
		if (out)
			*out = 0;
		return 1;
	}
	return 0;
}

int
valid_local_path(const char *s, size_t len)
{
	if (len == 0 || len > VALID_LOCAL_PATH_MAX || s[0] != '/')
		return 0;
	if (len > 1 && (s[1] == '/' || s[1] == '\\'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '\\')
			return 0;
	}
	return 1;
}

int
valid_check(const struct valid_rule *r, const char *s, size_t len, long long *num)
{
	long long n = 0;
	int k = 0, ok = 0;
	switch (r->kind) {
	case VALID_SLUG:
		ok = valid_slug(s, len);
		break;
	case VALID_UUID:
		ok = valid_uuid(s, len);
		break;
	case VALID_INT:
		ok = valid_int(s, len, r->min, r->max, &n);
		break;
	case VALID_ENUM:
		ok = valid_enum(s, len, r->members, &k);
		n = k;
		break;
	case VALID_EMAIL:
		ok = valid_email(s, len);
		break;
	case VALID_STRING:
		ok = valid_string(s, len, (size_t)r->min, (size_t)r->max);
		break;
	case VALID_TEXT:
		ok = valid_text(s, len, (size_t)r->min, (size_t)r->max);
		break;
	case VALID_BOOL:
		ok = valid_bool(s, len, &k);
		n = k;
		break;
	case VALID_LOCAL_PATH:
		ok = valid_local_path(s, len);
		break;
	case VALID__MAX:
		break;
	}
	if (ok && num)
		*num = n;
	return ok;
}

const char *
valid_describe(const struct valid_rule *r, struct arena *a)
{
	switch (r->kind) {
	case VALID_SLUG:
		return "lowercase letters, digits and single hyphens";
	case VALID_UUID:
		return "an identifier like 123e4567-e89b-12d3-a456-426614174000";
	case VALID_INT:
		return arena_printf(a, "a whole number from %lld to %lld", r->min, r->max);
	case VALID_ENUM: {
		char *s = arena_strdup(a, "one of:");
		for (int i = 0; r->members[i] != NULL; i++)
			s = arena_printf(a, "%s%s %s", s, i ? "," : "", r->members[i]);
		return s;
	}
	case VALID_EMAIL:
		return "an e-mail address like name@example.com";
	case VALID_STRING:
		return arena_printf(a, "text of %lld to %lld characters on one line", r->min, r->max);
	case VALID_TEXT:
		return arena_printf(a, "text of %lld to %lld characters", r->min, r->max);
	case VALID_BOOL:
		return "yes or no (1 or 0)";
	case VALID_LOCAL_PATH:
		return "a path on this site starting with /";
	case VALID__MAX:
		break;
	}
	return "a valid value";
}
