/*
 * test_assets.c - the static files' cache-busting version (assets.h).
 */
#include "assets.h"

#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int
main(void)
{
	char dir[] = "/tmp/marquee-assets-XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 77;
	char sub[600];
	snprintf(sub, sizeof sub, "%s/css", dir);
	mkdir(sub, 0700);
	put(dir, "css/site.css", "body { color: red; }\n");
	put(dir, "app.js", "1;\n");

	char v1[ASSETS_VERSION_LEN + 1], v2[ASSETS_VERSION_LEN + 1], v3[ASSETS_VERSION_LEN + 1];
	T_CHECK("version of a readable tree", assets_version(dir, v1, sizeof v1) == 0);
	T_CHECK("16 hex digits", strlen(v1) == ASSETS_VERSION_LEN && strspn(v1, "0123456789abcdef") == ASSETS_VERSION_LEN);
	assets_version(dir, v2, sizeof v2);
	T_STREQ("same tree, same version", v2, v1);

	put(dir, "css/site.css", "body { color: blue; }\n");
	assets_version(dir, v2, sizeof v2);
	T_CHECK("a changed file changes the version", strcmp(v1, v2) != 0);
	put(dir, "css/site.css", "body { color: red; }\n");
	assets_version(dir, v3, sizeof v3);
	T_STREQ("back to the same contents, back to the same version", v3, v1);

	put(dir, ".hidden.swp", "editor junk");
	assets_version(dir, v3, sizeof v3);
	T_STREQ("hidden files are ignored", v3, v1);

	put(dir, "new.js", "");
	assets_version(dir, v3, sizeof v3);
	T_CHECK("a new (even empty) file changes the version", strcmp(v3, v1) != 0);

	char missing[600];
	snprintf(missing, sizeof missing, "%s/nope", dir);
	T_CHECK("missing directory is an error", assets_version(missing, v3, sizeof v3) == -1);
	T_STREQ("missing directory gives zeros", v3, "0000000000000000");
	char small[ASSETS_VERSION_LEN];
	T_CHECK("too small a buffer is refused", assets_version(dir, small, sizeof small) == -1);

	char *d = assets_dir_for("/usr/share/marquee/templates");
	T_STREQ("sibling of the templates directory", d, "/usr/share/marquee/static");
	free(d);
	d = assets_dir_for("/srv/marquee/templates/");
	T_STREQ("trailing slash", d, "/srv/marquee/static");
	free(d);
	d = assets_dir_for("templates");
	T_STREQ("relative directory", d, "static");
	free(d);

	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return t_done("test_assets");
}
