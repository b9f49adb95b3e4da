/*
 * app.c - see app.h.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "password.h"
#include "session.h"
#include "tmpl.h"

int
app_init(struct app *app, const struct config *cfg, char *err, size_t errlen)
{
	memset(app, 0, sizeof *app);
	struct tmpl_set *t = tmpl_set_load_dir(cfg->templates_dir, err, errlen);
	if (t == NULL)
		return -1;
	app->cfg = cfg;
	app->tmpl = t;
	app->db = db_new(cfg);
	/* Before the workers fork: they share the CSRF key and never pay for the dummy hash mid-request. */
	sess_init(cfg);
	password_init();
	char *dir = assets_dir_for(cfg->templates_dir);
	if (assets_version(dir, app->asset_version, sizeof app->asset_version) != 0)
		log_warn("static files in %s could not be read: asset URLs get version %s", dir,
		    app->asset_version);
	free(dir);
	return 0;
}

void
app_free(struct app *app)
{
	if (app == NULL)
		return;
	db_free(app->db);
	/* The set is const for handlers only; app owns it. */
	tmpl_set_free((struct tmpl_set *)app->tmpl);
	memset(app, 0, sizeof *app);
}
