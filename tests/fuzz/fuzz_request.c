/*
 * fuzz_request.c - libFuzzer harness for the request parser, router and
 * parameter binding (req_parse, router_match, req_bind).
 *
 * Input: FastCGI params as "NAME=VALUE" lines, a blank line, then the body:
 *
 *   REQUEST_METHOD=POST
 *   REQUEST_URI=/v/abc?page=2
 *   CONTENT_TYPE=application/x-www-form-urlencoded
 *   HTTP_COOKIE=a=b
 *
 *   n=5&q=hello
 *
 * Build and run: make fuzz-request [FUZZ_TIME=seconds].
 */
#include "arena.h"
#include "http.h"
#include "router.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int
nop(struct app *app, struct request *req, struct response *resp)
{
	return 0;
}

enum { P_PAGE, P_SORT, P_Q, P_EMAIL, P_NEXT, P_ON, P_ID, P_BIO, P_SESS, P__MAX };
static const struct param params[P__MAX] = {
	[P_PAGE]  = {"page", PARAM_QUERY, V_INT(1, 1000), 0},
	[P_SORT]  = {"sort", PARAM_QUERY, V_ENUM("newest", "views"), 0},
	[P_Q]     = {"q", PARAM_QUERY, V_STRING(0, 200), 0},
	[P_EMAIL] = {"email", PARAM_FORM, V_EMAIL, 0},
	[P_NEXT]  = {"next", PARAM_FORM, V_LOCAL_PATH, 0},
	[P_ON]    = {"on", PARAM_FORM, V_BOOL, 0},
	[P_ID]    = {"id", PARAM_FORM, V_UUID, 1},
	[P_BIO]   = {"bio", PARAM_FORM, V_TEXT(0, 1000), 0},
	[P_SESS]  = {"marquee_session", PARAM_COOKIE, V_SLUG, 0},
};

static const struct route table[] = {
	{HTTP_M(HTTP_GET), "/", AUTH_NONE, nop, NULL, 0, 0},
	{HTTP_M(HTTP_GET) | HTTP_M(HTTP_POST), "/v/{slug:slug}", AUTH_NONE, nop, params, P__MAX, 0},
	{HTTP_M(HTTP_POST), "/x/{id:uuid}/{n:int}", AUTH_MEMBER, nop, params, P__MAX,
	    ROUTE_FORM_ERRORS},
	{HTTP_M(HTTP_DELETE), "/v/{slug:slug}", AUTH_NONE, nop, NULL, 0, 0},
};

#define MAX_ENV 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (a == NULL)
		a = arena_new();
	/* Own NUL-terminated copy: envp strings are C strings. */
	char *in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';

	char *body = NULL;
	size_t body_len = 0;
	char *sep = NULL;
	for (size_t i = 0; i + 1 < size; i++) {
		if (in[i] == '\n' && in[i + 1] == '\n') {
			sep = in + i;
			break;
		}
	}
	if (sep) {
		*sep = '\0';
		body = sep + 2;
		body_len = size - (size_t)(body - in);
	}
	char *env[MAX_ENV + 1];
	size_t n = 0;
	for (char *p = in; p && *p && n < MAX_ENV; ) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		env[n++] = p;
		p = nl ? nl + 1 : NULL;
	}
	env[n] = NULL;

	struct request *req;
	int st = req_parse(a, env, body, body_len, &req);
	(void)req_method_name(req);
	(void)req_path(req);
	(void)req_id(req);
	if (st == 0) {
		struct route_match m;
		if (router_match(table, sizeof table / sizeof table[0], req, &m) == ROUTER_FOUND) {
			req_bind(req, m.route->params, m.route->nparams);
			for (size_t i = 0; i < P__MAX; i++) {
				const char *s = req_str(req, i);
				if (s)
					(void)strlen(s);
			}
			(void)req_capture(req, "slug");
		} else if (m.location)
			(void)strlen(m.location);
		(void)req_header(req, "if-none-match");
	} else if (req->error == NULL)
		abort();     /* every failure must say why */
	arena_reset(a);
	free(in);
	return 0;
}
