/*
 * testroutes.c - fault-injection and echo routes for the test suite,
 * compiled only with ./configure --enable-test-routes (which defines
 * MARQUEE_TEST_ROUTES and adds this file).  Never part of a production build.
 */
#include "pages/pages.h"

#include "app.h"
#include "config.h"
#include "arena.h"
#include "http.h"
#include "sandbox.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

/* GET /__test/sleep?ms=N: hold the worker, for the watchdog and drain tests. */
int
page_test_sleep(struct app *app, struct request *req, struct response *resp)
{
	long long ms = req_num(req, TEST_SLEEP_MS, 0);
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	resp_cache(resp, RESP_CACHE_NONE, 0);
	resp_text(resp, 200, "text/plain; charset=utf-8", "slept\n");
	return 0;
}

/*
 * GET /__test/forbidden-syscall: a system call outside the workers' seccomp
 * allow-list (ptrace; harmless unconfined: peeking at pid 1 fails).  With
 * sandbox = enforce the kernel kills the worker (SIGSYS) before it answers;
 * otherwise the answer says why it could run (tests/integration/test_hardening.sh).
 */
int
page_test_forbidden_syscall(struct app *app, struct request *req, struct response *resp)
{
	long rc = syscall(SYS_ptrace, PTRACE_PEEKDATA, 1L, 0L, 0L);
#ifdef MARQUEE_SECCOMP
	const char *why = app->cfg->sandbox == SANDBOX_OFF ? "sandbox=off" : "sandbox=log";
#else
	const char *why = "built without seccomp";
#endif
	resp_cache(resp, RESP_CACHE_NONE, 0);
	resp_text(resp, 200, "text/plain; charset=utf-8", rc == -1 ? why : "ptrace succeeded");
	return 0;
}

/* GET /__test/crash: die like a bug would, for the respawn tests. */
int
page_test_crash(struct app *app, struct request *req, struct response *resp)
{
	abort();
}

static json_t *
pairs_json(const struct http_pairs *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->n; i++)
		json_array_append_new(a, json_pack("[s, s#]", p->v[i].key, p->v[i].val,
		    (int)p->v[i].vlen));
	return a;
}

static json_t *
field_json(const struct field *f)
{
	static const char *const states[] = {
		[FIELD_ABSENT] = "absent", [FIELD_VALID] = "valid", [FIELD_INVALID] = "invalid",
	};
	return json_pack("{s:s, s:s?, s:I, s:s?}", "state", states[f->state], "value", f->value,
	    "num", (json_int_t)f->num, "why", f->why);
}

/* GET|POST /__test/echo: the parsed request as JSON, for the parser's integration tests. */
int
page_test_echo(struct app *app, struct request *req, struct response *resp)
{
	json_t *fields = json_object();
	static const char *const names[TEST_ECHO__MAX] = {
		[TEST_ECHO_NAME] = "name", [TEST_ECHO_N] = "n", [TEST_ECHO_SORT] = "sort",
		[TEST_ECHO_COOKIE] = "mq_test",
	};
	for (size_t i = 0; i < TEST_ECHO__MAX; i++)
		json_object_set_new_nocheck(fields, names[i], field_json(req_field(req, i)));
	json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "method", req_method_name(req),
	    "path", req_path(req), "query", pairs_json(&req->query), "form", pairs_json(&req->form),
	    "cookies", pairs_json(&req->cookies), "fields", fields);
	resp_cache(resp, RESP_CACHE_NONE, 0);
	return resp_json(resp, 200, j);
}

/*
 * GET /__test/blob?bytes=N: N bytes of fixed text with no database work,
 * the benchmark's floor for the FastCGI hop (tests/bench/run).
 */
int
page_test_blob(struct app *app, struct request *req, struct response *resp)
{
	size_t n = (size_t)req_num(req, TEST_BLOB_BYTES, 0);
	char *s = arena_alloc(req->arena, n + 1);
	memset(s, 'x', n);
	for (size_t i = 79; i < n; i += 80)
		s[i] = '\n';
	s[n] = '\0';
	resp_cache(resp, RESP_CACHE_NONE, 0);
	resp_text(resp, 200, "text/html; charset=utf-8", s);
	return 0;
}
