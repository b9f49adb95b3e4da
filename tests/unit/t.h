/*
 * t.h - the unit tests' tiny harness.
 *
 * Each check prints one line, "PASS: name" or "FAIL: name (file:line: expr)",
 * which tests/run counts; t_done() prints the per-program totals and returns
 * the exit status (automake: 0 pass, 1 fail, 77 skip).
 */
#ifndef MARQUEE_T_H
#define MARQUEE_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define T_CHECK(name, cond) do {                                              \
	if (cond) { t_pass++; printf("PASS: %s\n", (name)); }                 \
	else { t_fail++; printf("FAIL: %s (%s:%d: %s)\n", (name), __FILE__,   \
	    __LINE__, #cond); }                                               \
} while (0)

#define T_STREQ(name, got, want) do {                                         \
	const char *t_g_ = (got), *t_w_ = (want);                             \
	if (t_g_ && t_w_ && strcmp(t_g_, t_w_) == 0) { t_pass++;               \
		printf("PASS: %s\n", (name)); }                               \
	else { t_fail++; printf("FAIL: %s (%s:%d: got \"%s\", want \"%s\")\n",\
	    (name), __FILE__, __LINE__, t_g_ ? t_g_ : "(null)",               \
	    t_w_ ? t_w_ : "(null)"); }                                        \
} while (0)

static inline int
t_done(const char *prog)
{
	fprintf(stderr, "%s: %d passed, %d failed\n", prog, t_pass, t_fail);
	fflush(stdout);
	return t_fail ? 1 : 0;
}

#endif
