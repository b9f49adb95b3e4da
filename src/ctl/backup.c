/*
 * backup.c - `marqueectl backup FILE` and `marqueectl restore FILE`: the
 * whole database through pg_dump's custom format (docs/OPERATIONS.md has the
 * restore drill).
 *
 *   backup FILE    pg_dump --format=custom into FILE.tmp (mode 0600: the
 *                  dump holds password hashes and legal names), renamed to
 *                  FILE once pg_dump succeeded, so FILE is never half a dump.
 *   restore FILE   pg_restore --clean --if-exists --no-owner --no-privileges
 *                  --single-transaction: the database's objects are replaced
 *                  by the dump's, all or nothing; then the application
 *                  role's grants are re-applied (marquee_grant_app(), 009).
 *
 * The tools are started with posix_spawnp and a fixed argv (no shell, so
 * nothing in a file name or URL is interpreted).  The connection settings
 * come from a libpq connection opened with database_url: its effective
 * parameters are handed to the child as PG* environment variables, which
 * keeps the password out of the process list.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "ctl.h"
#include "ctl/ctl_util.h"
#include "util.h"

extern char **environ;

/*
 * The child's environment: ours without any PG* variable (a stale PGHOST or
 * PGSERVICE must not redirect the dump), plus one PG* variable per
 * connection parameter in effect on c.  Returns a NULL-terminated array the
 * caller frees with free_env.
 */
static char **
child_env(PGconn *c)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	PQconninfoOption *opts = PQconninfo(c);
	size_t nopts = 0;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		nopts++;
	char **env = xcalloc(n + nopts + 1, sizeof *env);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PG", 2) != 0)
			env[k++] = xstrdup(environ[i]);
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (o->envvar == NULL || o->val == NULL || o->val[0] == '\0')
			continue;
		size_t len = strlen(o->envvar) + strlen(o->val) + 2;
		env[k] = xmalloc(len);
		snprintf(env[k++], len, "%s=%s", o->envvar, o->val);
	}
	PQconninfoFree(opts);
	env[k] = NULL;
	return env;
}

static void
free_env(char **env)
{
	for (char **e = env; *e; e++)
		free(*e);
	free(env);
}

/* Run argv[0] (searched in PATH) with env; 0 when it exits with status 0. */
static int
run_tool(char *const argv[], char **env)
{
	pid_t pid;
	int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, env);
	if (err != 0) {
		fprintf(stderr, "marqueectl: cannot run %s: %s\n", argv[0], strerror(err));
		return -1;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "marqueectl: waitpid: %s\n", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "marqueectl: %s failed (exit status %d)\n", argv[0], WEXITSTATUS(status));
	else
		fprintf(stderr, "marqueectl: %s killed by signal %d\n", argv[0], WTERMSIG(status));
	return -1;
}

int
ctl_backup(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '\0' || (argv[1][0] == '-' && argv[1][1] != '\0')) {
		fprintf(stderr, "usage: marqueectl backup FILE\n");
		return 2;
	}
	const char *path = argv[1];
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	size_t len = strlen(path) + 5;
	char *tmp = xmalloc(len);
	snprintf(tmp, len, "%s.tmp", path);
	char **env = child_env(c);
	char *const dump[] = {"pg_dump", "--format=custom", "--no-password", "--file", tmp, NULL};

	mode_t old = umask(077);
	int rc = run_tool(dump, env);
	umask(old);
	if (rc == 0 && rename(tmp, path) != 0) {
		fprintf(stderr, "marqueectl: rename %s: %s\n", tmp, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	else
		printf("backup of database \"%s\" written to %s\n", PQdb(c), path);
	free_env(env);
	free(tmp);
	PQfinish(c);
	return rc == 0 ? 0 : 1;
}

/* pg_dump's custom format starts with these five bytes. */
static int
is_custom_dump(const char *path)
{
	char magic[5];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "marqueectl: %s: %s\n", path, strerror(errno));
		return 0;
	}
	ssize_t n = read(fd, magic, sizeof magic);
	close(fd);
	if (n != (ssize_t)sizeof magic || memcmp(magic, "PGDMP", 5) != 0) {
		fprintf(stderr, "marqueectl: %s is not a pg_dump custom-format archive"
		    " (made by marqueectl backup)\n", path);
		return 0;
	}
	return 1;
}

int
ctl_restore_backup(int argc, char **argv)
{
	const char *path = argv[1];
	if (path[0] == '-' || path[0] == '\0') {
		fprintf(stderr, "usage: marqueectl restore BACKUP_FILE\n");
		return 2;
	}
	if (!is_custom_dump(path))
		return 1;
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	const char *db = PQdb(c);
	/* pg_restore reads a value with '=' or a URI prefix as a connection string. */
	if (strchr(db, '=') || strstr(db, "://")) {
		fprintf(stderr, "marqueectl: database name \"%s\" cannot be passed to pg_restore\n", db);
		PQfinish(c);
		return 1;
	}
	char *dbname = xstrdup(db);
	char **env = child_env(c);
	char *const args[] = {"pg_restore", "--clean", "--if-exists", "--no-owner",
	    "--no-privileges", "--single-transaction", "--no-password",
	    "--dbname", dbname, (char *)path, NULL};
	fprintf(stderr, "restoring %s into database \"%s\" (its objects are replaced)\n", path, dbname);
	if (run_tool(args, env) == 0) {
		/* Privileges were not restored (the roles may differ): grant the
		 * application role again where migration 009's function exists. */
		PGresult *r = ctl_query(c, "SELECT to_regprocedure('marquee_grant_app()') IS NOT NULL",
		    0, NULL);
		if (r != NULL && ctl_bool(r, 0, 0))
			rc = ctl_exec(c, "SELECT marquee_grant_app()", 0, NULL) == 0 ? 0 : 1;
		else if (r != NULL)
			rc = 0;
		PQclear(r);
		if (rc == 0)
			printf("database \"%s\" restored from %s\n", dbname, path);
	}
	free_env(env);
	free(dbname);
	PQfinish(c);
	return rc;
}
