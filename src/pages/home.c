/*
 * home.c - GET /: placeholder home page until the catalog (issue 5)
 * replaces it.  Renders the "home" template; without templates (unit tests)
 * a plain built-in page.
 */
#include "pages/pages.h"

#include "http.h"

int
page_home(struct app *app, struct request *req, struct response *resp)
{
	if (resp_render(app, req, resp, "home", NULL) == 0)
		return 0;
	resp_text(resp, 200, "text/html; charset=utf-8",
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Marquee</title>"
	    "</head><body><main id=\"content\"><h1>Marquee</h1></main></body></html>\n");
	return 0;
}
