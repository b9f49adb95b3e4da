/*
 * migrate.c - `marqueectl migrate`: apply and roll back schema migrations.
 *
 *   marqueectl migrate [--dir DIR] up            apply every pending migration
 *   marqueectl migrate [--dir DIR] down [N|all]  roll back the last N (default 1)
 *   marqueectl migrate [--dir DIR] status        list applied/pending/changed
 *
 * A migration is a pair of files NNN_name.up.sql / NNN_name.down.sql in the
 * migrations directory (--dir, else $MARQUEE_MIGRATIONS_DIR, else
 * ./migrations when it exists, else the installed MARQUEE_DATADIR/migrations).
 * Each one runs in its own transaction together with its row in
 * schema_migrations (version, name, checksum, applied_at), so it is applied
 * entirely or not at all.  The checksum is the SHA-256 of the up file; `up`
 * refuses to run while an applied file differs from what was applied.
 *
 * Every transaction first takes a transaction-level advisory lock and then
 * re-reads schema_migrations, so two migrators started at once apply each
 * migration once, one after the other.
 *
 * The files are trusted code from the repository, sent as they are with
 * PQexec (several statements per file); they must not contain BEGIN/COMMIT.
 * Everything built from outside input (versions, names, checksums) goes
 * through parameters.  This module does not know what the migrations
 * contain.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "ctl.h"
#include "ctl/ctl_util.h"
#include "util.h"

/* "marquee!" in ASCII: the key of the advisory lock all migrators share. */
#define LOCK_SQL "SELECT pg_advisory_xact_lock(7881706654501528865)"

/*
 * A migration file is source code, not data; anything this large is a
 * mistake (a dump saved under the wrong name), not a migration.
 */
#define MIGRATION_FILE_MAX (16 * 1024 * 1024)

struct migration {
	long  version;
	char *name;        /* file stem without direction: "001_initial_schema" */
	char *up_path;
	char *down_path;
};

struct mset {
	struct migration *v;
	size_t            n;
	size_t            cap;
};

/* A row of schema_migrations. */
struct applied {
	long  version;
	char *name;
	char *checksum;    /* 64 hex digits */
	char *applied_at;
};

static void
mset_free(struct mset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].up_path);
		free(s->v[i].down_path);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static void
applied_free(struct applied *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].name);
		free(a[i].checksum);
		free(a[i].applied_at);
	}
	free(a);
}

static char *
path_join(const char *dir, const char *file)
{
	size_t n = strlen(dir) + strlen(file) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", dir, file);
	return p;
}

/*
 * Split "NNN_name.up.sql" / "NNN_name.down.sql": version >= 1 from at least
 * three digits, the stem (NNN_name) length and the direction.  Returns 0, or
 * -1 when the name does not follow the pattern.
 */
static int
parse_name(const char *file, long *version, size_t *stemlen, int *is_up)
{
	const char *p = file;
	long v = 0;
	int digits = 0;

	while (isdigit((unsigned char)*p)) {
		if (digits++ >= 9)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	if (digits < 3 || v < 1 || *p++ != '_')
		return -1;
	if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p)))
		return -1;
	while (islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')
		p++;
	if (strcmp(p, ".up.sql") == 0)
		*is_up = 1;
	else if (strcmp(p, ".down.sql") == 0)
		*is_up = 0;
	else
		return -1;
	*version = v;
	*stemlen = (size_t)(p - file);
	return 0;
}

static int
cmp_migration(const void *a, const void *b)
{
	long x = ((const struct migration *)a)->version;
	long y = ((const struct migration *)b)->version;
	return (x > y) - (x < y);
}

/*
 * Read the migrations in dir into s, sorted by version.  Every *.sql file
 * must follow the naming pattern and every version must have exactly one up
 * and one down file with the same name.  Returns 0, or -1 after printing why.
 */
static int
scan_dir(const char *dir, struct mset *s)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "marqueectl migrate: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name), stemlen;
		long version;
		int is_up;
		struct migration *m = NULL;

		if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		if (parse_name(e->d_name, &version, &stemlen, &is_up) != 0) {
			fprintf(stderr, "marqueectl migrate: %s/%s: not a migration name "
			    "(want NNN_name.up.sql or NNN_name.down.sql, name in [a-z0-9_])\n",
			    dir, e->d_name);
			rc = -1;
			continue;
		}
		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].version == version)
				m = &s->v[i];
		if (m == NULL) {
			if (s->n == s->cap) {
				s->cap = s->cap ? s->cap * 2 : 16;
				s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
			}
			m = &s->v[s->n++];
			*m = (struct migration){.version = version,
			    .name = xstrndup(e->d_name, stemlen)};
		} else if (strlen(m->name) != stemlen || strncmp(m->name, e->d_name, stemlen) != 0) {
			fprintf(stderr, "marqueectl migrate: %s: version %03ld used by both %s and %.*s\n",
			    dir, version, m->name, (int)stemlen, e->d_name);
			rc = -1;
			continue;
		}
		if (is_up)
			m->up_path = path_join(dir, e->d_name);
		else
			m->down_path = path_join(dir, e->d_name);
	}
	closedir(d);

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].up_path == NULL || s->v[i].down_path == NULL) {
			fprintf(stderr, "marqueectl migrate: %s: %s has no %s file\n", dir,
			    s->v[i].name, s->v[i].up_path == NULL ? ".up.sql" : ".down.sql");
			rc = -1;
		}
	qsort(s->v, s->n, sizeof *s->v, cmp_migration);
	return rc;
}

/* Read a whole file, NUL-terminated.  Returns it (caller frees) or NULL after printing why. */
static char *
read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;
	size_t len;

	if (f == NULL) {
		fprintf(stderr, "marqueectl migrate: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MIGRATION_FILE_MAX) {
		fprintf(stderr, "marqueectl migrate: %s: not a regular file of at most %d bytes\n",
		    path, MIGRATION_FILE_MAX);
		fclose(f);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f) || len != (size_t)st.st_size) {
		fprintf(stderr, "marqueectl migrate: %s: read error\n", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		fprintf(stderr, "marqueectl migrate: %s: contains a NUL byte\n", path);
		free(buf);
		return NULL;
	}
	if (lenp)
		*lenp = len;
	return buf;
}

/* SHA-256 of the file as 64 hex digits into hex[65].  Returns 0 or -1. */
static int
file_checksum(const char *path, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t len;
	char *text = read_file(path, &len);

	if (text == NULL)
		return -1;
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(hex, 65, h, sizeof h);
	free(text);
	return 0;
}

/* Run a command without parameters whose failure is reported by the caller. */
static int
exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "marqueectl migrate: %s", PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

static void
rollback(PGconn *c)
{
	PQclear(PQexec(c, "ROLLBACK"));
}

/* BEGIN and take the migrators' lock.  Returns 0 or -1 (rolled back). */
static int
begin_locked(PGconn *c)
{
	if (exec_ok(c, "BEGIN") != 0)
		return -1;
	if (exec_ok(c, LOCK_SQL) != 0) {
		rollback(c);
		return -1;
	}
	return 0;
}

static int
ensure_table(PGconn *c)
{
	if (begin_locked(c) != 0)
		return -1;
	/* Quiet the "already exists, skipping" notice of every run. */
	if (exec_ok(c, "SET LOCAL client_min_messages = warning") != 0 || exec_ok(c,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY,"
	    " name text NOT NULL,"
	    " checksum text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())") != 0) {
		rollback(c);
		return -1;
	}
	return exec_ok(c, "COMMIT");
}

/* Load schema_migrations (none if the table does not exist yet) in version order.
 * Returns the count, or -1. */
static long
load_applied(PGconn *c, struct applied **out)
{
	PGresult *r = PQexec(c, "SELECT to_regclass('schema_migrations') IS NULL");
	struct applied *a;
	int n;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "marqueectl migrate: %s", PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {   /* never migrated: nothing applied */
		PQclear(r);
		*out = xcalloc(1, sizeof **out);
		return 0;
	}
	PQclear(r);
	r = PQexec(c,
	    "SELECT version, name, checksum,"
	    " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'"
	    " FROM schema_migrations ORDER BY version");

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "marqueectl migrate: %s", PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	a = xcalloc((size_t)n + 1, sizeof *a);
	for (int i = 0; i < n; i++) {
		a[i].version = strtol(PQgetvalue(r, i, 0), NULL, 10);
		a[i].name = xstrdup(PQgetvalue(r, i, 1));
		a[i].checksum = xstrdup(PQgetvalue(r, i, 2));
		a[i].applied_at = xstrdup(PQgetvalue(r, i, 3));
	}
	PQclear(r);
	*out = a;
	return n;
}

static const struct applied *
find_applied(const struct applied *a, long n, long version)
{
	for (long i = 0; i < n; i++)
		if (a[i].version == version)
			return &a[i];
	return NULL;
}

static const struct migration *
find_migration(const struct mset *s, long version)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].version == version)
			return &s->v[i];
	return NULL;
}

/*
 * Run one migration file inside the open transaction.  On error prints the
 * server's message (which includes "LINE n:" of the file) and returns -1.
 */
static int
run_file(PGconn *c, const char *path)
{
	char *sql = read_file(path, NULL);
	PGresult *r;
	int ok;

	if (sql == NULL)
		return -1;
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "marqueectl migrate: %s: %s", path, PQresultErrorMessage(r));
	PQclear(r);
	free(sql);
	return ok ? 0 : -1;
}

static int
params_exec(PGconn *c, const char *sql, int n, const char *const *v)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "marqueectl migrate: %s", PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * Refuse when an applied migration's up file no longer matches its checksum
 * (the database would silently differ from what the files say).  Applied
 * versions without files are reported, not refused: the database may be
 * newer than this copy of the code.  Returns 0 or -1.
 */
static int
verify_applied(const struct mset *s, const struct applied *a, long na)
{
	int rc = 0;
	char hex[65];

	for (long i = 0; i < na; i++) {
		const struct migration *m = find_migration(s, a[i].version);
		if (m == NULL) {
			fprintf(stderr, "marqueectl migrate: warning: %s is applied but has no file here\n",
			    a[i].name);
			continue;
		}
		if (file_checksum(m->up_path, hex) != 0)
			return -1;
		if (strcmp(hex, a[i].checksum) != 0) {
			fprintf(stderr, "marqueectl migrate: %s was changed after it was applied "
			    "(checksum %.12s..., applied %.12s...); restore the file and put the "
			    "change in a new migration\n", m->up_path, hex, a[i].checksum);
			rc = -1;
		}
	}
	return rc;
}

static int
apply_one(PGconn *c, const struct migration *m, int *applied)
{
	char hex[65], version[24];
	const char *v[3] = {version, m->name, hex};
	PGresult *r;
	int done;

	*applied = 0;
	if (file_checksum(m->up_path, hex) != 0)
		return -1;
	snprintf(version, sizeof version, "%ld", m->version);
	if (begin_locked(c) != 0)
		return -1;
	/* Another migrator may have applied it while we waited for the lock. */
	r = PQexecParams(c, "SELECT 1 FROM schema_migrations WHERE version = $1",
	    1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "marqueectl migrate: %s", PQerrorMessage(c));
		PQclear(r);
		rollback(c);
		return -1;
	}
	done = PQntuples(r) > 0;
	PQclear(r);
	if (done)
		return exec_ok(c, "COMMIT");
	if (run_file(c, m->up_path) != 0 ||
	    params_exec(c, "INSERT INTO schema_migrations (version, name, checksum) "
	        "VALUES ($1, $2, $3)", 3, v) != 0 ||
	    exec_ok(c, "COMMIT") != 0) {
		rollback(c);
		return -1;
	}
	*applied = 1;
	return 0;
}

static int
cmd_up(PGconn *c, const struct mset *s)
{
	struct applied *a;
	long na = load_applied(c, &a);
	int count = 0;

	if (na < 0)
		return 1;
	if (verify_applied(s, a, na) != 0) {
		applied_free(a, (size_t)na);
		return 1;
	}
	for (size_t i = 0; i < s->n; i++) {
		int did;
		if (find_applied(a, na, s->v[i].version))
			continue;
		if (apply_one(c, &s->v[i], &did) != 0) {
			fprintf(stderr, "marqueectl migrate: %s not applied; %d applied before it\n",
			    s->v[i].name, count);
			applied_free(a, (size_t)na);
			return 1;
		}
		if (did) {
			printf("applied  %s\n", s->v[i].name);
			count++;
		}
	}
	applied_free(a, (size_t)na);
	if (count == 0)
		printf("up to date\n");
	else
		printf("%d migration%s applied\n", count, count == 1 ? "" : "s");
	return 0;
}

/* Roll back the newest applied migration.  Returns 1 done, 0 nothing applied, -1 error. */
static int
revert_newest(PGconn *c, const struct mset *s)
{
	PGresult *r;
	const struct migration *m;
	char version[24];
	const char *v[1] = {version};
	long ver;

	if (begin_locked(c) != 0)
		return -1;
	r = PQexec(c, "SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "marqueectl migrate: %s", PQerrorMessage(c));
		PQclear(r);
		rollback(c);
		return -1;
	}
	if (PQntuples(r) == 0) {
		PQclear(r);
		return exec_ok(c, "COMMIT") == 0 ? 0 : -1;
	}
	ver = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	m = find_migration(s, ver);
	if (m == NULL) {
		fprintf(stderr, "marqueectl migrate: %s is applied but has no down file here\n",
		    PQgetvalue(r, 0, 1));
		PQclear(r);
		rollback(c);
		return -1;
	}
	PQclear(r);
	snprintf(version, sizeof version, "%ld", ver);
	if (run_file(c, m->down_path) != 0 ||
	    params_exec(c, "DELETE FROM schema_migrations WHERE version = $1", 1, v) != 0 ||
	    exec_ok(c, "COMMIT") != 0) {
		rollback(c);
		return -1;
	}
	printf("reverted %s\n", m->name);
	return 1;
}

static int
cmd_down(PGconn *c, const struct mset *s, long n)
{
	long done = 0;

	while (done < n) {
		int rc = revert_newest(c, s);
		if (rc < 0)
			return 1;
		if (rc == 0)
			break;
		done++;
	}
	if (done == 0)
		printf("nothing to roll back\n");
	else
		printf("%ld migration%s rolled back\n", done, done == 1 ? "" : "s");
	return 0;
}

static int
cmd_status(PGconn *c, const struct mset *s, const char *dir)
{
	struct applied *a;
	long na = load_applied(c, &a);
	size_t i = 0;
	long j = 0;
	int pending = 0, changed = 0;

	if (na < 0)
		return 1;
	printf("migrations in %s\n", dir);
	/* Merge the two version-ordered lists. */
	while (i < s->n || j < na) {
		const struct migration *m = i < s->n ? &s->v[i] : NULL;
		const struct applied *ap = j < na ? &a[j] : NULL;
		char hex[65];

		if (m && (!ap || m->version < ap->version)) {
			printf("pending  %s\n", m->name);
			pending++;
			i++;
		} else if (ap && (!m || ap->version < m->version)) {
			printf("missing  %s  (applied %s; no file here)\n", ap->name, ap->applied_at);
			j++;
		} else {
			if (file_checksum(m->up_path, hex) != 0) {
				applied_free(a, (size_t)na);
				return 1;
			}
			if (strcmp(hex, ap->checksum) != 0) {
				printf("changed  %s  (applied %s; the up file differs from what was applied)\n",
				    m->name, ap->applied_at);
				changed++;
			} else {
				printf("applied  %s  (%s)\n", m->name, ap->applied_at);
			}
			i++;
			j++;
		}
	}
	printf("%ld applied, %d pending%s\n", na, pending, changed ? ", some changed" : "");
	applied_free(a, (size_t)na);
	return 0;
}

static const char *
default_dir(void)
{
	struct stat st;
	const char *env = getenv("MARQUEE_MIGRATIONS_DIR");

	if (env && *env)
		return env;
	if (stat("migrations", &st) == 0 && S_ISDIR(st.st_mode))
		return "migrations";
	return MARQUEE_DATADIR "/migrations";
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: marqueectl migrate [--dir DIR] up | down [N|all] | status\n");
}

int
ctl_migrate(int argc, char **argv)
{
	const char *dir = NULL, *action = NULL, *count = NULL;
	struct mset s = {0};
	long n = 1;
	PGconn *c;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strncmp(argv[i], "--dir=", 6) == 0)
			dir = argv[i] + 6;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "marqueectl migrate: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (action == NULL)
			action = argv[i];
		else if (count == NULL)
			count = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (action == NULL ||
	    (strcmp(action, "up") != 0 && strcmp(action, "down") != 0 && strcmp(action, "status") != 0) ||
	    (count != NULL && strcmp(action, "down") != 0)) {
		usage(stderr);
		return 2;
	}
	if (count != NULL) {
		char *end;
		if (strcmp(count, "all") == 0)
			n = 1000000000L;
		else {
			errno = 0;
			n = strtol(count, &end, 10);
			if (errno || end == count || *end || n < 1) {
				fprintf(stderr, "marqueectl migrate: down: N must be a positive number or 'all'\n");
				return 2;
			}
		}
	}
	if (dir == NULL)
		dir = default_dir();
	if (sodium_init() < 0) {
		fprintf(stderr, "marqueectl migrate: libsodium failed to initialise\n");
		return 1;
	}
	if (scan_dir(dir, &s) != 0) {
		mset_free(&s);
		return 1;
	}

	c = ctl_db_open();
	if (c == NULL) {
		mset_free(&s);
		return 1;
	}
	/*
	 * A role default meant for the site (statement_timeout) must not cut a
	 * long index build short; the session is the migrator's alone.
	 */
	if (exec_ok(c, "SET statement_timeout = 0") != 0 ||
	    (strcmp(action, "status") != 0 && ensure_table(c) != 0))
		rc = 1;
	else if (strcmp(action, "up") == 0)
		rc = cmd_up(c, &s);
	else if (strcmp(action, "down") == 0)
		rc = cmd_down(c, &s, n);
	else
		rc = cmd_status(c, &s, dir);
	PQfinish(c);
	mset_free(&s);
	return rc;
}
