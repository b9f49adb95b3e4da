/*
 * main.c - marqueectl: the operator's command-line tool.
 *
 *   marqueectl [-c FILE] COMMAND [ARGS...]
 *
 * The configuration is loaded from -c FILE, else $MARQUEE_CONFIG, else
 * built-in defaults plus MARQUEE_* environment overrides (config.h), before
 * any command that uses it starts: a bad key stops the command before it
 * has done anything.  `render` needs none (designers preview templates
 * without a configuration).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl.h"

static const char *config_path;
static struct config cfg;
static int cfg_loaded;

const struct config *
ctl_config(void)
{
	if (!cfg_loaded) {
		char err[512];
		if (config_load(&cfg, config_path, err, sizeof err) != 0) {
			fprintf(stderr, "marqueectl: %s\n", err);
			exit(1);
		}
		cfg_loaded = 1;
	}
	return &cfg;
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
	int no_config;   /* runs without loading the configuration */
} commands[] = {
	{"migrate", ctl_migrate, "migrate up|down [N]|status   apply or roll back schema migrations", 0},
	{"seed",    ctl_seed,    "seed [--media-dir DIR]         load demo content (idempotent)", 0},
	{"render",  ctl_render,  "render TEMPLATE [--partials DIR]  render a template with JSON from stdin", 1},
	{"import",  ctl_import,  "import [--dry-run] FILE.json|-  load a catalog file (docs/IMPORT.md), all or nothing", 0},
	{"export",  ctl_export,  "export [FILE|-]                write the catalog in the import format", 0},
	{"publish", ctl_publish, "publish VIDEO_SLUG             publish a video (refused unless the 2257 rule holds)", 0},
	{"unpublish", ctl_unpublish, "unpublish VIDEO_SLUG         take a video off the site", 0},
	{"check-2257", ctl_check_2257, "check-2257                 list published videos breaking the 2257 rule (exit 1 if any)", 0},
	{"delete",  ctl_delete,  "delete video|performer|collection SLUG, delete photo ID   soft delete", 0},
	{"restore", ctl_restore, "restore KIND SLUG|ID  undo a soft delete;  restore FILE  load a backup (pg_restore)", 0},
	{"purge",   ctl_purge,   "purge --older-than DAYS        remove rows soft-deleted more than DAYS days ago", 0},
	{"feature", ctl_feature, "feature VIDEO_SLUG [--off]     mark a video featured (or not)", 0},
	{"set-collection-featured", ctl_set_collection_featured, "set-collection-featured COLLECTION VIDEO|--none  a collection's featured video", 0},
	{"refresh", ctl_refresh, "refresh                        refresh the top_performers view (concurrently)", 0},
	{"maintain", ctl_maintain, "maintain                       periodic job: fold page views into view counts, rebuild the search tier, refresh top_performers, billing-send", 0},
	{"billing-send", ctl_billing_send, "billing-send [--limit N]       post the queued cancellations (billing_outbox) to the processor", 0},
	{"user",    ctl_user,    "user list|show|disable|enable|grant-comp|verify-age ...  manage members", 0},
	{"backup",  ctl_backup,  "backup FILE                    pg_dump -Fc of the database to FILE", 0},
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: marqueectl [-c FILE] COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %s\n", commands[i].help);
}

int
main(int argc, char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			config_path = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "marqueectl: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(argv[i], commands[k].name) == 0) {
			if (!commands[k].no_config)
				(void)ctl_config();   /* exits with the key's message */
			int rc = commands[k].fn(argc - i, argv + i);
			if (cfg_loaded)
				config_free(&cfg);
			return rc;
		}
	fprintf(stderr, "marqueectl: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
