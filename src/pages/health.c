/*
 * health.c - GET /healthz, for load balancers and monitoring: can this
 * worker reach its database?
 *
 * Plain text, never cached, no template (it must answer even when the page
 * machinery is what broke).  nginx keeps it internal (deploy/nginx).
 */
#include "pages/pages.h"

#include <stdio.h>

#include "app.h"
#include "db.h"
#include "http.h"

int
page_healthz(struct app *app, struct request *req, struct response *resp)
{
	resp_cache(resp, RESP_CACHE_NONE, 0);
	if (db_exec(app->db, req->arena, DB_PING, 0, NULL) == NULL) {
		char retry[16];
		snprintf(retry, sizeof retry, "%d", HTTP_RETRY_AFTER);
		resp_header(resp, "Retry-After", retry);
		resp_text(resp, 503, "text/plain; charset=utf-8", "unavailable\n");
		return 0;
	}
	resp_text(resp, 200, "text/plain; charset=utf-8", "ok\n");
	return 0;
}
