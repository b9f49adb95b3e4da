/*
 * static_pages.c - pages without database content: GET /2257 (the 18
 * U.S.C. 2257 record-keeping statement, naming the custodian of records
 * from the configuration), /terms, /privacy (from their templates) and
 * /robots.txt.
 *
 * None of them touches the database, so they answer even while it is down.
 */
#include "pages/pages.h"

#include "app.h"
#include "config.h"
#include "http.h"
#include "pages/catalog_util.h"

#include <string.h>

/* Legal pages change with a deploy, not with the catalog: an hour is fine. */
#define STATIC_PAGE_MAX_AGE 3600

/* Render template `name` (ctx may be NULL); `title` names the page in its structured data. */
static int
render_static(struct app *app, struct request *req, struct response *resp, const char *name,
    const char *title, struct tval *ctx)
{
	if (ctx == NULL)
		ctx = tv_obj(req->arena);
	cat_page_ld(ctx, app, req->arena, "WebPage", title, req_path(req), NULL);
	resp_cache(resp, RESP_CACHE_PUBLIC, STATIC_PAGE_MAX_AGE);
	return resp_render(app, req, resp, name, ctx) == 0 ? 0 : 500;
}

int
page_2257(struct app *app, struct request *req, struct response *resp)
{
	const char *custodian = app->cfg ? app->cfg->custodian_of_records : NULL;
	struct tval *ctx = tv_obj(req->arena);
	if (custodian && *custodian)
		tv_set_str(ctx, "custodian", custodian);
	return render_static(app, req, resp, "2257",
	    "18 U.S.C. 2257 record-keeping requirements compliance statement", ctx);
}

int
page_terms(struct app *app, struct request *req, struct response *resp)
{
	return render_static(app, req, resp, "terms", "Terms of service", NULL);
}

int
page_privacy(struct app *app, struct request *req, struct response *resp)
{
	return render_static(app, req, resp, "privacy", "Privacy policy", NULL);
}

int
page_robots(struct app *app, struct request *req, struct response *resp)
{
	(void)req;
	const char *base = app->cfg && app->cfg->base_url ? app->cfg->base_url : "";
	struct buf *b = &resp->body;
	buf_reset(b);
	/* Search result pages are endless combinations of the same content: crawl the catalog instead. */
	buf_puts(b, "User-agent: *\nDisallow: /search\n\nSitemap: ");
	buf_puts(b, base);
	buf_puts(b, "/sitemap.xml\n");
	resp->content_type = "text/plain; charset=utf-8";
	resp_cache(resp, RESP_CACHE_PUBLIC, STATIC_PAGE_MAX_AGE);
	return 0;
}
