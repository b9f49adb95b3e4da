/*
 * bench_tmpl.c - render the reference page many times on one core.
 *
 *   bench_tmpl page.mustache page.json [seconds]
 *
 * The page and its context come from ../shared/bench/tmpl/gen.py (run by
 * `make bench-tmpl`).  The template is compiled once, the JSON context
 * turned into template values once (a page builds its values directly), and
 * the output buffer reused, as in a worker; each round renders for about `seconds`/5 and the
 * best round is reported as microseconds per render and MB/s, both in CPU
 * time (robust on a shared machine) and in wall time.  A benchmark, not a
 * test: it asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"
#include "tval.h"

static double
clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_tmpl page.mustache page.json [seconds]\n");
		return 2;
	}
	double seconds = argc > 3 ? atof(argv[3]) : 5.0;
	char err[512];
	struct tmpl_set *s = tmpl_set_new();
	if (tmpl_set_add_file(s, "page", argv[1], err, sizeof err) != 0) {
		fprintf(stderr, "bench_tmpl: %s\n", err);
		return 1;
	}
	json_error_t je;
	json_t *json = json_load_file(argv[2], 0, &je);
	if (json == NULL) {
		fprintf(stderr, "bench_tmpl: %s:%d:%d: %s\n", argv[2], je.line, je.column, je.text);
		return 1;
	}

	struct arena *a = arena_new();
	const struct tval *ctx = tv_from_json(a, json);
	struct buf out = BUF_INIT;
	if (tmpl_render(s, "page", ctx, &out) != 0) {   /* warm up, size the buffer */
		fprintf(stderr, "bench_tmpl: rendering %s failed\n", argv[1]);
		return 1;
	}
	size_t size = out.len;

	double best_cpu = 1e9, best_wall = 1e9;
	long total = 0;
	for (int round = 0; round < 5; round++) {
		long n = 0;
		double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), w1;
		do {
			for (int k = 0; k < 1000; k++) {
				buf_reset(&out);
				tmpl_render(s, "page", ctx, &out);
			}
			n += 1000;
			w1 = clock_s(CLOCK_MONOTONIC);
		} while (w1 - w0 < seconds / 5);
		double cpu = (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e6 / (double)n;
		double wall = (w1 - w0) * 1e6 / (double)n;
		if (cpu < best_cpu)
			best_cpu = cpu;
		if (wall < best_wall)
			best_wall = wall;
		total += n;
	}
	printf("bench_tmpl: output %zu bytes, %ld renders\n", size, total);
	printf("bench_tmpl: %.2f us/render, %.0f MB/s (CPU time, best of 5 rounds)\n", best_cpu,
	       (double)size / best_cpu);
	printf("bench_tmpl: %.2f us/render, %.0f MB/s (wall time, best of 5 rounds)\n", best_wall,
	       (double)size / best_wall);

	buf_free(&out);
	arena_free(a);
	json_decref(json);
	tmpl_set_free(s);
	return 0;
}
