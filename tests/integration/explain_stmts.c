/*
 * explain_stmts.c - EXPLAIN every application statement (db_stmts.c) on a
 * database and fail on sequential scans of the big tables.
 *
 *   explain_stmts CONNINFO CASEFILE...
 *
 * A case file has one case per line: the statement's name, then its
 * parameters, separated by tabs ("\N" is SQL NULL); '#' starts a comment.
 * A line with only a name and "-" exempts that statement (say why in a
 * comment): e.g. a statement over a table that holds a handful of rows.
 *
 * Each statement is prepared from the very table the application uses (not
 * a copy of its SQL), then explained twice with each case's parameters:
 * with the custom plan PostgreSQL makes for those values, and with the
 * generic plan a prepared statement switches to after five executions.  A
 * plan with "Seq Scan on" videos, performers, photos or video_performers
 * fails.  A statement with no case is reported as SKIP (one line each), so
 * a new statement is visibly unchecked until its module adds a case file.
 *
 * Output: one PASS/FAIL line per statement, case and plan mode
 * (tests/run's protocol); the failing plan is printed after its FAIL line.
 * Exit status 0 when nothing failed, 1 otherwise, 2 on usage errors.
 * Used by tests/integration/test_explain.sh on the shared dataset.
 *
 *   explain_stmts --analyze RUNS [--plans] CONNINFO CASEFILE...
 *
 * Times the cases instead (tests/bench/run): each one is run RUNS times as
 * EXPLAIN (ANALYZE, BUFFERS) EXECUTE with the default plan_cache_mode, as
 * the workers' prepared statements run (custom plans first, then the
 * generic one if PostgreSQL switches).  One line per case, tab-separated:
 * label, median and largest execution time (ms), median planning time (ms),
 * and the top plan node's shared buffers hit and read of the last run; with
 * --plans the last run's plan follows, indented.  The statements really
 * run: give write statements only harmless cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"

#define MAX_PARAMS 16
#define LINE_MAX_LEN 4096
#define ANALYZE_MAX 10000

static const char *const big_tables[] = {"videos", "performers", "photos", "video_performers"};

static int covered[DB_STMT__MAX];
static int failures;
static int analyze_runs;    /* --analyze RUNS; 0: check plans */
static int analyze_plans;   /* --plans: print the last analyzed plan */

static int
find_stmt(const char *name)
{
	for (int i = 0; i < DB_STMT__MAX; i++)
		if (db_stmts[i].name && strcmp(db_stmts[i].name, name) == 0)
			return i;
	return -1;
}

/* Does the plan text scan one of the big tables sequentially? */
static const char *
seq_scanned(const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		const char *line = PQgetvalue(r, i, 0);
		const char *p = strstr(line, "Seq Scan on ");
		if (p == NULL)
			continue;
		p += strlen("Seq Scan on ");
		for (size_t t = 0; t < sizeof big_tables / sizeof big_tables[0]; t++) {
			size_t n = strlen(big_tables[t]);
			if (strncmp(p, big_tables[t], n) == 0 && (p[n] == ' ' || p[n] == '\0'))
				return big_tables[t];
		}
	}
	return NULL;
}

static void
print_plan(const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++)
		printf("    %s\n", PQgetvalue(r, i, 0));
}

/* "EXPLAIN<options> EXECUTE name(literals...)" into sql. */
static void
explain_sql(PGconn *c, char *sql, size_t size, const char *options, int s, char **params, int n)
{
	size_t o = (size_t)snprintf(sql, size, "EXPLAIN%s EXECUTE %s", options, db_stmts[s].name);
	for (int i = 0; i < n && o < size; i++) {
		char *lit = strcmp(params[i], "\\N") == 0 ? NULL :
		    PQescapeLiteral(c, params[i], strlen(params[i]));
		o += (size_t)snprintf(sql + o, size - o, "%s%s", i ? ", " : "(", lit ? lit : "NULL");
		PQfreemem(lit);
	}
	if (n && o < size)
		snprintf(sql + o, size - o, ")");
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* --analyze: RUNS timed executions of one case, one line of figures. */
static void
analyze(PGconn *c, int s, char **params, int n, const char *label)
{
	char sql[LINE_MAX_LEN * 2];
	explain_sql(c, sql, sizeof sql, " (ANALYZE, BUFFERS)", s, params, n);
	static double exec[ANALYZE_MAX], plan[ANALYZE_MAX];
	long hit = 0, read = 0;
	PGresult *last = NULL;
	for (int run = 0; run < analyze_runs; run++) {
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			printf("FAIL: analyze %s (%s)\n", label, PQresultErrorMessage(r));
			failures++;
			PQclear(r);
			return;
		}
		exec[run] = plan[run] = 0;
		int buffers_seen = 0;
		for (int i = 0; i < PQntuples(r); i++) {
			const char *line = PQgetvalue(r, i, 0), *p;
			if ((p = strstr(line, "Execution Time: ")) != NULL)
				exec[run] = strtod(p + strlen("Execution Time: "), NULL);
			else if ((p = strstr(line, "Planning Time: ")) != NULL)
				plan[run] = strtod(p + strlen("Planning Time: "), NULL);
			else if (!buffers_seen && (p = strstr(line, "Buffers: shared")) != NULL) {
				/* The first Buffers line is the top node's: all of the plan. */
				const char *h = strstr(p, "hit="), *rd = strstr(p, "read=");
				hit = h ? strtol(h + 4, NULL, 10) : 0;
				read = rd ? strtol(rd + 5, NULL, 10) : 0;
				buffers_seen = 1;
			}
		}
		if (run == analyze_runs - 1)
			last = r;
		else
			PQclear(r);
	}
	qsort(exec, (size_t)analyze_runs, sizeof exec[0], cmp_double);
	qsort(plan, (size_t)analyze_runs, sizeof plan[0], cmp_double);
	printf("%s\t%.3f\t%.3f\t%.3f\t%ld\t%ld\n", label, exec[analyze_runs / 2],
	    exec[analyze_runs - 1], plan[analyze_runs / 2], hit, read);
	if (analyze_plans)
		print_plan(last);
	PQclear(last);
}

static void
explain(PGconn *c, int s, char **params, int n, const char *label)
{
	static const char *const modes[] = {"force_custom_plan", "force_generic_plan"};
	for (int m = 0; m < 2; m++) {
		char set[80];
		snprintf(set, sizeof set, "SET plan_cache_mode = %s", modes[m]);
		PQclear(PQexec(c, set));
		char sql[LINE_MAX_LEN * 2];
		explain_sql(c, sql, sizeof sql, "", s, params, n);
		PGresult *r = PQexec(c, sql);
		const char *mode = m ? "generic" : "custom";
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			printf("FAIL: explain %s %s plan (%s)\n", label, mode, PQresultErrorMessage(r));
			failures++;
		} else {
			const char *t = seq_scanned(r);
			if (t) {
				printf("FAIL: explain %s %s plan (sequential scan of %s)\n", label, mode, t);
				print_plan(r);
				failures++;
			} else {
				printf("PASS: explain %s %s plan uses no sequential scan of a big table\n",
				    label, mode);
			}
		}
		PQclear(r);
	}
}

static int
run_file(PGconn *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	char line[LINE_MAX_LEN];
	int lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		char *fields[MAX_PARAMS + 1];
		int n = 0;
		for (char *p = line, *tab; n <= MAX_PARAMS; p = tab + 1) {
			fields[n++] = p;
			if ((tab = strchr(p, '\t')) == NULL)
				break;
			*tab = '\0';
		}
		int s = find_stmt(fields[0]);
		if (s < 0) {
			printf("FAIL: explain %s:%d (no statement named %s)\n", path, lineno, fields[0]);
			failures++;
			continue;
		}
		covered[s] = 1;
		if (n == 2 && strcmp(fields[1], "-") == 0)
			continue;
		if (n - 1 != db_stmts[s].nparams) {
			printf("FAIL: explain %s:%d (%s takes %d parameters, the case gives %d)\n", path,
			    lineno, fields[0], db_stmts[s].nparams, n - 1);
			failures++;
			continue;
		}
		char label[256];
		snprintf(label, sizeof label, "%s (%s:%d)", fields[0], strrchr(path, '/') ?
		    strrchr(path, '/') + 1 : path, lineno);
		if (analyze_runs)
			analyze(c, s, fields + 1, n - 1, label);
		else
			explain(c, s, fields + 1, n - 1, label);
	}
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--analyze") == 0) {
		analyze_runs = atoi(argv[2]);
		argc -= 2;
		argv += 2;
		if (analyze_runs < 1 || analyze_runs > ANALYZE_MAX) {
			fprintf(stderr, "explain_stmts: --analyze RUNS: 1 to 10000\n");
			return 2;
		}
		if (argc > 1 && strcmp(argv[1], "--plans") == 0) {
			analyze_plans = 1;
			argc--;
			argv++;
		}
	}
	if (argc < 3) {
		fprintf(stderr, "usage: explain_stmts [--analyze RUNS [--plans]] CONNINFO CASEFILE...\n");
		return 2;
	}
	PGconn *c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "explain_stmts: %s", PQerrorMessage(c));
		PQfinish(c);
		return 2;
	}
	for (int i = 0; i < DB_STMT__MAX; i++) {
		PGresult *r = PQprepare(c, db_stmts[i].name, db_stmts[i].sql, db_stmts[i].nparams, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			printf("FAIL: prepare %s (%s)\n", db_stmts[i].name, PQresultErrorMessage(r));
			failures++;
		}
		PQclear(r);
	}
	for (int i = 2; i < argc; i++)
		if (run_file(c, argv[i]) < 0)
			failures++;
	for (int i = 0; i < DB_STMT__MAX && !analyze_runs; i++)
		if (!covered[i])
			printf("SKIP: explain %s (no case in tests/integration/explain/*.txt)\n",
			    db_stmts[i].name);
	PQfinish(c);
	return failures ? 1 : 0;
}
