/*
 * user.c - `marqueectl user ...`: the operator's view of member accounts.
 *
 *   user list [--limit N]                    newest accounts first
 *   user show EMAIL|USERNAME                 one account, its subscriptions
 *                                            and manual age verifications
 *   user disable|enable EMAIL|USERNAME       is_active; disabling also ends
 *                                            the account's sessions
 *   user grant-comp EMAIL|USERNAME --days N  a complimentary subscription
 *   user verify-age EMAIL|USERNAME --by OPERATOR
 *                                            age_verified with method
 *                                            'manual', audited (migration 012)
 *
 * It never shows or changes passwords, and creates no accounts (sign-up is
 * the site's).  Accounts are found by e-mail (any case) or username; a
 * soft-deleted account is not found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ctl.h"
#include "ctl/ctl_util.h"
#include "util.h"

/* list: enough for a screen or a grep; more is what SQL is for. */
#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX     10000
/* grant-comp: up to ten years; longer is a typo, not a gift. */
#define COMP_DAYS_MAX 3650
/* The audit column's size (migration 012). */
#define OPERATOR_MAX 100

/* An e-mail match wins over a username match (one account's username may
 * look like another's address). */
static const char sql_find[] =
	"SELECT id, email FROM users"
	" WHERE (lower(email) = lower($1) OR username = $1) AND deleted_at IS NULL"
	" ORDER BY lower(email) = lower($1) DESC LIMIT 1";

/* Looks the account up; returns its id and e-mail (caller frees both) or
 * -1 after printing why. */
static int
find_user(PGconn *c, const char *who, char **id, char **email)
{
	PGresult *r = ctl_query(c, sql_find, 1, &who);
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 0) {
		fprintf(stderr, "marqueectl: no account with e-mail or username \"%s\"\n", who);
		PQclear(r);
		return -1;
	}
	*id = xstrdup(PQgetvalue(r, 0, 0));
	*email = xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);
	return 0;
}

/* 1 when s is printable text of 1..max bytes with something besides spaces. */
static int
valid_text(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || s[strspn(s, " ")] == '\0')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* ------------------------------------------------------------ list / show */

static int
user_list(PGconn *c, int argc, char **argv)
{
	long long limit = LIST_LIMIT_DEFAULT;
	if (!(argc == 2 || (argc == 4 && strcmp(argv[2], "--limit") == 0
	    && ctl_parse_long(argv[3], 1, LIST_LIMIT_MAX, &limit) == 0))) {
		fprintf(stderr, "usage: marqueectl user list [--limit N]   (1-%d)\n", LIST_LIMIT_MAX);
		return 2;
	}
	char lim[24];
	snprintf(lim, sizeof lim, "%lld", limit);
	const char *v[] = {lim};
	PGresult *r = ctl_query(c,
	    "SELECT u.email, coalesce(u.username, '-'),"
	    "       CASE WHEN u.is_active THEN 'active' ELSE 'disabled' END,"
	    "       CASE WHEN u.age_verified THEN 'yes' ELSE 'no' END,"
	    "       to_char(u.created_at, 'YYYY-MM-DD'),"
	    "       coalesce((SELECT s.plan_name || ' until ' || to_char(s.current_period_end, 'YYYY-MM-DD')"
	    "                   FROM subscriptions s"
	    "                  WHERE s.user_id = u.id AND s.status = 'active'"
	    "                    AND s.current_period_end > LOCALTIMESTAMP"
	    "                  ORDER BY s.current_period_end DESC LIMIT 1), '-')"
	    "  FROM users u WHERE u.deleted_at IS NULL"
	    " ORDER BY u.created_at DESC NULLS LAST, u.email LIMIT $1", 1, v);
	if (r == NULL)
		return 1;
	printf("%-36s %-20s %-8s %-4s %-10s %s\n", "EMAIL", "USERNAME", "STATUS", "AGE",
	    "CREATED", "SUBSCRIPTION");
	for (int i = 0; i < PQntuples(r); i++)
		printf("%-36s %-20s %-8s %-4s %-10s %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	PQclear(r);
	return 0;
}

/* Print "  label: value" for each column of row 0. */
static void
print_fields(const PGresult *r)
{
	for (int k = 0; k < PQnfields(r); k++)
		printf("  %-24s %s\n", PQfname(r, k),
		    PQgetisnull(r, 0, k) ? "-" : PQgetvalue(r, 0, k));
}

static int
user_show(PGconn *c, const char *id)
{
	const char *v[] = {id};
	PGresult *u = ctl_query(c,
	    "SELECT email, username, first_name, last_name, is_active, is_verified,"
	    "       email_verified_at, age_verified, age_verified_at, age_verification_method,"
	    "       country_code, state_province, last_login_at, created_at"
	    "  FROM users WHERE id = $1", 1, v);
	if (u == NULL)
		return 1;
	printf("account %s\n", id);
	print_fields(u);
	PQclear(u);

	PGresult *s = ctl_query(c,
	    "SELECT plan_name, status, billing_amount || ' ' || coalesce(billing_currency, ''),"
	    "       to_char(current_period_start, 'YYYY-MM-DD'), to_char(current_period_end, 'YYYY-MM-DD')"
	    "  FROM subscriptions WHERE user_id = $1 ORDER BY current_period_end DESC", 1, v);
	if (s == NULL)
		return 1;
	printf("subscriptions: %d\n", PQntuples(s));
	for (int i = 0; i < PQntuples(s); i++)
		printf("  %-16s %-9s %-12s %s .. %s\n", PQgetvalue(s, i, 0), PQgetvalue(s, i, 1),
		    PQgetvalue(s, i, 2), PQgetvalue(s, i, 3), PQgetvalue(s, i, 4));
	PQclear(s);

	PGresult *a = ctl_query(c,
	    "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), method, operator"
	    "  FROM age_verification_audit WHERE user_id = $1 ORDER BY created_at", 1, v);
	if (a == NULL)
		return 1;
	for (int i = 0; i < PQntuples(a); i++)
		printf("age verified %s UTC, method %s, by %s\n", PQgetvalue(a, i, 0),
		    PQgetvalue(a, i, 1), PQgetvalue(a, i, 2));
	PQclear(a);
	return 0;
}

/* ------------------------------------------------------------ changes */

static int
user_set_active(PGconn *c, const char *id, const char *email, int active)
{
	const char *v[] = {id, active ? "t" : "f"};
	if (ctl_exec(c, "BEGIN", 0, NULL) != 0
	    || ctl_exec(c, "UPDATE users SET is_active = $2 WHERE id = $1", 2, v) != 0
	    /* A disabled account must not stay logged in anywhere. */
	    || (!active && ctl_exec(c, "DELETE FROM sessions WHERE user_id = $1", 1, v) != 0)
	    || ctl_exec(c, "COMMIT", 0, NULL) != 0)
		return 1;
	printf("account %s %s\n", email, active ? "enabled" : "disabled (its sessions ended)");
	return 0;
}

/*
 * A complimentary subscription: an ordinary 'active' row with plan_name
 * 'complimentary' (the plan_name CHECK accepts any lower-case key), amount
 * 0, no billing cycle and no processor id, so billing never renews or
 * charges it and it simply ends at current_period_end.
 */
static int
user_grant_comp(PGconn *c, const char *id, const char *email, const char *days)
{
	const char *v[] = {id, days};
	PGresult *r = ctl_query(c,
	    "INSERT INTO subscriptions (user_id, plan_name, billing_amount, billing_currency,"
	    "       billing_cycle, status, started_at, current_period_start, current_period_end)"
	    " VALUES ($1, 'complimentary', 0, 'USD', NULL, 'active', LOCALTIMESTAMP(0),"
	    "       LOCALTIMESTAMP(0), LOCALTIMESTAMP(0) + make_interval(days => $2::int))"
	    " RETURNING to_char(current_period_end, 'YYYY-MM-DD HH24:MI')", 2, v);
	if (r == NULL)
		return 1;
	printf("account %s: complimentary subscription until %s UTC\n", email, PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int
user_verify_age(PGconn *c, const char *id, const char *email, const char *op)
{
	const char *v[] = {id, email, op};
	if (ctl_exec(c, "BEGIN", 0, NULL) != 0
	    || ctl_exec(c, "UPDATE users SET age_verified = true, age_verified_at = LOCALTIMESTAMP(0),"
	        " age_verification_method = 'manual' WHERE id = $1", 1, v) != 0
	    || ctl_exec(c, "INSERT INTO age_verification_audit (user_id, email, method, operator)"
	        " VALUES ($1, $2, 'manual', $3)", 3, v) != 0
	    || ctl_exec(c, "COMMIT", 0, NULL) != 0)
		return 1;
	printf("account %s: age verified (manual, by %s)\n", email, op);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: marqueectl user list [--limit N]\n"
	    "       marqueectl user show|disable|enable EMAIL|USERNAME\n"
	    "       marqueectl user grant-comp EMAIL|USERNAME --days N\n"
	    "       marqueectl user verify-age EMAIL|USERNAME --by OPERATOR\n");
}

int
ctl_user(int argc, char **argv)
{
	if (argc < 2) {
		usage();
		return 2;
	}
	const char *sub = argv[1];
	long long days = 0;
	int is_list = strcmp(sub, "list") == 0;
	int one_arg = strcmp(sub, "show") == 0 || strcmp(sub, "disable") == 0
	    || strcmp(sub, "enable") == 0;
	int comp = strcmp(sub, "grant-comp") == 0;
	int verify = strcmp(sub, "verify-age") == 0;

	if (one_arg && argc != 3) {
		usage();
		return 2;
	}
	if (comp && (argc != 5 || strcmp(argv[3], "--days") != 0
	    || ctl_parse_long(argv[4], 1, COMP_DAYS_MAX, &days) != 0)) {
		fprintf(stderr, "usage: marqueectl user grant-comp EMAIL|USERNAME --days N   (1-%d)\n",
		    COMP_DAYS_MAX);
		return 2;
	}
	if (verify && (argc != 5 || strcmp(argv[3], "--by") != 0
	    || !valid_text(argv[4], OPERATOR_MAX))) {
		fprintf(stderr, "usage: marqueectl user verify-age EMAIL|USERNAME --by OPERATOR"
		    "   (who checked, 1-%d printable characters)\n", OPERATOR_MAX);
		return 2;
	}
	if (!is_list && !one_arg && !comp && !verify) {
		usage();
		return 2;
	}

	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	char *id = NULL, *email = NULL;
	if (is_list)
		rc = user_list(c, argc, argv);
	else if (find_user(c, argv[2], &id, &email) != 0)
		rc = 1;
	else if (strcmp(sub, "show") == 0)
		rc = user_show(c, id);
	else if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0)
		rc = user_set_active(c, id, email, strcmp(sub, "enable") == 0);
	else if (comp)
		rc = user_grant_comp(c, id, email, argv[4]);
	else
		rc = user_verify_age(c, id, email, argv[4]);
	free(id);
	free(email);
	PQfinish(c);
	return rc;
}
