/*
 * ctl_check.c - pure validators for marqueectl arguments and catalog values
 * (declared in ctl_util.h): no I/O, no database, no global state.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "ctl/ctl_util.h"

int
ctl_parse_long(const char *s, long long lo, long long hi, long long *out)
{
	if (s == NULL || *s == '\0' || isspace((unsigned char)*s) || *s == '+')
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
ctl_is_slug(const char *s, size_t maxlen)
{
	size_t n = 0;
	int prev_hyphen = 1;  /* no leading hyphen */
	for (; s[n]; n++) {
		char ch = s[n];
		if (ch == '-') {
			if (prev_hyphen)
				return 0;
			prev_hyphen = 1;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			prev_hyphen = 0;
		} else {
			return 0;
		}
	}
	return n > 0 && n <= maxlen && !prev_hyphen;
}

int
ctl_is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[sizeof shape - 1] == '\0';
}

int
ctl_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}
