/*
 * config.c - see config.h.
 *
 * Every key is one row of `keys[]`, indexed by enum cfg_key.  Defaults are
 * written as text and go through the same validator as file and environment
 * values, so a default can never violate its own bounds.
 */
/* sched_getaffinity, CPU_COUNT: "auto" counts the CPUs we may use. */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "util.h"
#include "valid.h"

#ifndef MARQUEE_DATADIR
#define MARQUEE_DATADIR "/usr/local/share/marquee"
#endif

enum cfg_type {
	CFG_STRING,     /* min/max bound the length in bytes */
	CFG_INT,        /* decimal integer in [min, max]; or "auto" where per_cpu is set */
	CFG_BOOL,       /* true/false, yes/no, on/off, 1/0 */
	CFG_ENUM,       /* one of `names`, stored as its index */
	CFG_DURATION,   /* seconds in [min, max], optional "s" suffix */
	CFG_TYPE__MAX
};

enum cfg_key {
	CFG_DATABASE_URL,
	CFG_WORKERS,
	CFG_MAX_REQUESTS,
	CFG_REQUEST_TIMEOUT,
	CFG_SHUTDOWN_TIMEOUT,
	CFG_DB_CONNECT_TIMEOUT,
	CFG_DB_STATEMENT_TIMEOUT_MS,
	CFG_DB_LOCK_TIMEOUT_MS,
	CFG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
	CFG_TEMPLATES_DIR,
	CFG_STATIC_URL,
	CFG_LOG_LEVEL,
	CFG_SITE_NAME,
	CFG_BASE_URL,
	CFG_DEV_MODE,
	CFG_CUSTODIAN_OF_RECORDS,
	CFG_RESPAWN_BACKOFF_MAX,
	CFG_SEARCH_TIER,
	CFG_SANDBOX,
	CFG_SESSION_IDLE_TIMEOUT,
	CFG_SESSION_MAX_AGE,
	CFG_SECRET_KEY,
	CFG_AGE_VERIFICATION_SECRET,
	CFG_AGE_VERIFICATION_SECRET_PREVIOUS,
	CFG_WEBHOOK_TOLERANCE,
	CFG_PLAN_MONTHLY_PRICE,
	CFG_PLAN_ANNUAL_PRICE,
	CFG_CURRENCY,
	CFG_PROCESSOR_URL,
	CFG_PROCESSOR_SECRET,
	CFG_PROCESSOR_API_URL,
	CFG_PROCESSOR_API_TIMEOUT,
	CFG_BILLING_WEBHOOK_SECRET,
	CFG_BILLING_WEBHOOK_SECRET_PREVIOUS,
	CFG__MAX
};

/* Extra check for a string value; returns NULL or what is wrong. */
typedef const char *(*cfg_check)(const char *v);

struct cfg_keydef {
	const char         *name;
	enum cfg_type       type;
	const char         *def;
	long                min, max;
	const char *const  *names;    /* CFG_ENUM: NULL-terminated */
	cfg_check           check;    /* CFG_STRING: optional */
	size_t              off;
	int                 per_cpu;  /* CFG_INT: "auto" = this many per usable CPU, */
	int                 auto_max; /* at most this many */
};

/* CPUs this process may run on (its affinity mask: a container's or
 * taskset's limit), else the online count; at least 1. */
static long
usable_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

static const char *const log_level_names[LOG__MAX + 1] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO]  = "info",
	[LOG_WARN]  = "warn",
	[LOG_ERROR] = "error",
	[LOG__MAX]  = NULL,
};

static const char *const sandbox_names[SANDBOX__MAX + 1] = {
	[SANDBOX_ENFORCE] = "enforce",
	[SANDBOX_LOG]     = "log",
	[SANDBOX_OFF]     = "off",
	[SANDBOX__MAX]    = NULL,
};

static const char *
check_http_url(const char *v)
{
	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
		return "must start with http:// or https://";
	if (v[strlen(v) - 1] == '/')
		return "must not end with '/'";
	return NULL;
}

static const char *
check_http_url_or_empty(const char *v)
{
	return v[0] ? check_http_url(v) : NULL;
}

/* A key worth the name: 32 bytes is 256 bits if random, and guessing shorter ones is cheap. */
static const char *
check_secret(const char *v)
{
	return strlen(v) < 32 ? "must be at least 32 characters (e.g. openssl rand -hex 32)" : NULL;
}

/* A price as the processor and DECIMAL(10,2) take it: "19.99". */
static const char *
check_price(const char *v)
{
	size_t i = 0;
	while (v[i] >= '0' && v[i] <= '9')
		i++;
	if (i == 0 || i > 6 || v[i] != '.' || !isdigit((unsigned char)v[i + 1]) ||
	    !isdigit((unsigned char)v[i + 2]) || v[i + 3] != '\0')
		return "must be a price with two decimals, e.g. 19.99";
	return NULL;
}

static const char *
check_currency(const char *v)
{
	for (size_t i = 0; i < 3; i++)
		if (v[i] < 'A' || v[i] > 'Z')
			return "must be a 3-letter ISO 4217 code, e.g. USD";
	return v[3] ? "must be a 3-letter ISO 4217 code, e.g. USD" : NULL;
}

static const char *
check_url_or_path(const char *v)
{
	if (v[0] == '/')
		return v[1] == '/' ? "must not start with '//'" : NULL;
	return check_http_url(v);
}

/* Strings are bounded so a config value can never blow a header or a log line. */
#define STRMAX 4096

#define OFF(f) offsetof(struct config, f)
static const struct cfg_keydef keys[CFG__MAX] = {
	[CFG_DATABASE_URL] = {"database_url", CFG_STRING, "dbname=marquee", 1, STRMAX,
	    NULL, NULL, OFF(database_url)},
	[CFG_WORKERS] = {"workers", CFG_INT, "auto", 1, CONFIG_WORKERS_MAX,
	    NULL, NULL, OFF(workers), CONFIG_WORKERS_PER_CPU,
	    CONFIG_WORKERS_AUTO_MAX},
	[CFG_MAX_REQUESTS] = {"max_requests", CFG_INT, "10000", 1, 100000000,
	    NULL, NULL, OFF(max_requests)},
	/* Below nginx's fastcgi_read_timeout (30 s) so the watchdog, not nginx, ends a stuck request. */
	[CFG_REQUEST_TIMEOUT] = {"request_timeout", CFG_DURATION, "20", 1, 29,
	    NULL, NULL, OFF(request_timeout)},
	/* Below systemd's default TimeoutStopSec (90 s). */
	[CFG_SHUTDOWN_TIMEOUT] = {"shutdown_timeout", CFG_DURATION, "25", 1, 80,
	    NULL, NULL, OFF(shutdown_timeout)},
	/* libpq treats values below 2 as 2. */
	[CFG_DB_CONNECT_TIMEOUT] = {"db_connect_timeout", CFG_DURATION, "2", 2, 30,
	    NULL, NULL, OFF(db_connect_timeout)},
	[CFG_DB_STATEMENT_TIMEOUT_MS] = {"db_statement_timeout_ms", CFG_INT, "5000", 1, 600000,
	    NULL, NULL, OFF(db_statement_timeout_ms)},
	[CFG_DB_LOCK_TIMEOUT_MS] = {"db_lock_timeout_ms", CFG_INT, "2000", 1, 600000,
	    NULL, NULL, OFF(db_lock_timeout_ms)},
	[CFG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS] = {"db_idle_in_transaction_timeout_ms", CFG_INT,
	    "10000", 1, 3600000, NULL, NULL, OFF(db_idle_in_transaction_timeout_ms)},
	[CFG_TEMPLATES_DIR] = {"templates_dir", CFG_STRING, MARQUEE_DATADIR "/templates", 1, STRMAX,
	    NULL, NULL, OFF(templates_dir)},
	[CFG_STATIC_URL] = {"static_url", CFG_STRING, "/static", 1, 1024,
	    NULL, check_url_or_path, OFF(static_url)},
	[CFG_LOG_LEVEL] = {"log_level", CFG_ENUM, "info", 0, 0,
	    log_level_names, NULL, OFF(log_level)},
	[CFG_SITE_NAME] = {"site_name", CFG_STRING, "Marquee", 1, 200,
	    NULL, NULL, OFF(site_name)},
	[CFG_BASE_URL] = {"base_url", CFG_STRING, "http://127.0.0.1:8080", 8, 1024,
	    NULL, check_http_url, OFF(base_url)},
	[CFG_DEV_MODE] = {"dev_mode", CFG_BOOL, "false", 0, 1,
	    NULL, NULL, OFF(dev_mode)},
	[CFG_CUSTODIAN_OF_RECORDS] = {"custodian_of_records", CFG_STRING, "", 0, STRMAX,
	    NULL, NULL, OFF(custodian_of_records)},
	[CFG_RESPAWN_BACKOFF_MAX] = {"respawn_backoff_max", CFG_DURATION, "5", 1, 300,
	    NULL, NULL, OFF(respawn_backoff_max)},
	/* marqueectl maintain (migration 019): the most viewed videos search reads first. */
	[CFG_SEARCH_TIER] = {"search_tier", CFG_INT, "20000", 0, 10000000,
	    NULL, NULL, OFF(search_tier)},
	[CFG_SANDBOX] = {"sandbox", CFG_ENUM, "enforce", 0, 0,
	    sandbox_names, NULL, OFF(sandbox)},
	/* 10 minutes .. 90 days; default 7 days: an idle week is a forgotten device. */
	[CFG_SESSION_IDLE_TIMEOUT] = {"session_idle_timeout", CFG_DURATION, "604800", 600, 7776000,
	    NULL, NULL, OFF(session_idle_timeout)},
	/* 1 hour .. 1 year; default 30 days: even a device in daily use signs in again monthly. */
	[CFG_SESSION_MAX_AGE] = {"session_max_age", CFG_DURATION, "2592000", 3600, 31536000,
	    NULL, NULL, OFF(session_max_age)},
	[CFG_SECRET_KEY] = {"secret_key", CFG_STRING, "", 0, 1024,
	    NULL, check_secret, OFF(secret_key)},
	[CFG_AGE_VERIFICATION_SECRET] = {"age_verification_secret", CFG_STRING, "", 0, 1024,
	    NULL, check_secret, OFF(age_verification_secret)},
	[CFG_AGE_VERIFICATION_SECRET_PREVIOUS] = {"age_verification_secret_previous", CFG_STRING, "",
	    0, 1024, NULL, check_secret, OFF(age_verification_secret_previous)},
	/* 30 s .. 1 hour; default 5 minutes: covers clock skew and retries in flight, short for replays. */
	[CFG_WEBHOOK_TOLERANCE] = {"webhook_tolerance", CFG_DURATION, "300", 30, 3600,
	    NULL, NULL, OFF(webhook_tolerance)},
	[CFG_PLAN_MONTHLY_PRICE] = {"plan_monthly_price", CFG_STRING, "19.99", 4, 9,
	    NULL, check_price, OFF(plan_monthly_price)},
	[CFG_PLAN_ANNUAL_PRICE] = {"plan_annual_price", CFG_STRING, "149.99", 4, 9,
	    NULL, check_price, OFF(plan_annual_price)},
	[CFG_CURRENCY] = {"currency", CFG_STRING, "USD", 3, 3,
	    NULL, check_currency, OFF(currency)},
	[CFG_PROCESSOR_URL] = {"processor_url", CFG_STRING, "", 0, 1024,
	    NULL, check_http_url_or_empty, OFF(processor_url)},
	[CFG_PROCESSOR_SECRET] = {"processor_secret", CFG_STRING, "", 0, 1024,
	    NULL, check_secret, OFF(processor_secret)},
	[CFG_PROCESSOR_API_URL] = {"processor_api_url", CFG_STRING, "", 0, 1024,
	    NULL, check_http_url_or_empty, OFF(processor_api_url)},
	/* 1 s .. 1 min; default 10 s: a call that takes longer is retried later, and
	 * the outbox row stays locked (other senders skip it) only this long. */
	[CFG_PROCESSOR_API_TIMEOUT] = {"processor_api_timeout", CFG_DURATION, "10", 1, 60,
	    NULL, NULL, OFF(processor_api_timeout)},
	[CFG_BILLING_WEBHOOK_SECRET] = {"billing_webhook_secret", CFG_STRING, "", 0, 1024,
	    NULL, check_secret, OFF(billing_webhook_secret)},
	[CFG_BILLING_WEBHOOK_SECRET_PREVIOUS] = {"billing_webhook_secret_previous", CFG_STRING, "",
	    0, 1024, NULL, check_secret, OFF(billing_webhook_secret_previous)},
};
#undef OFF

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
parse_long(const char *v, long *out)
{
	if (!isdigit((unsigned char)v[0]) && !(v[0] == '-' && isdigit((unsigned char)v[1])))
		return -1;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

/*
 * Validate v for key k and store it in cfg.  Returns NULL or a message saying
 * what a valid value looks like (static storage or buf).
 */
static const char *
set_value(struct config *cfg, const struct cfg_keydef *k, const char *v,
    char *buf, size_t buflen)
{
	char *field = (char *)cfg + k->off;
	long n;
	size_t len = strlen(v);

	switch (k->type) {
	case CFG_STRING:
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return "must not contain control characters";
		/* Values reach pages as they are (site_name, custodian_of_records...). */
		if (!valid_utf8(v, len))
			return "must be UTF-8 text";
		if ((long)len < k->min || (long)len > k->max) {
			if (k->min > 0 && len == 0)
				return "must not be empty";
			snprintf(buf, buflen, "must be at most %ld bytes", k->max);
			return buf;
		}
		if (k->check && len > 0) {
			const char *why = k->check(v);
			if (why)
				return why;
		}
		free(*(char **)(void *)field);
		*(char **)(void *)field = xstrdup(v);
		return NULL;
	case CFG_DURATION:
		if (len > 1 && v[len - 1] == 's') {
			char tmp[32];
			if (len >= sizeof tmp)
				goto bad_int;
			memcpy(tmp, v, len - 1);
			tmp[len - 1] = '\0';
			if (parse_long(tmp, &n) < 0)
				goto bad_int;
			goto range;
		}
		/* FALLTHROUGH */
	case CFG_INT:
		if (k->per_cpu && strcmp(v, "auto") == 0) {
			n = k->per_cpu * usable_cpus();
			n = n < k->min ? k->min : n > k->auto_max ? k->auto_max : n;
			goto range;
		}
		if (parse_long(v, &n) < 0)
			goto bad_int;
range:
		if (n < k->min || n > k->max)
			goto bad_int;
		*(int *)(void *)field = (int)n;
		return NULL;
bad_int:
		snprintf(buf, buflen, "must be an integer %ld..%ld%s", k->min, k->max,
		    k->type == CFG_DURATION ? " (seconds)" : k->per_cpu ? " or auto" : "");
		return buf;
	case CFG_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
			*(int *)(void *)field = 1;
		else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
			*(int *)(void *)field = 0;
		else
			return "must be true or false";
		return NULL;
	case CFG_ENUM:
		for (int i = 0; k->names[i]; i++) {
			if (strcmp(v, k->names[i]) == 0) {
				*(int *)(void *)field = i;
				return NULL;
			}
		}
		{
			size_t used = (size_t)snprintf(buf, buflen, "must be one of");
			for (int i = 0; k->names[i] && used < buflen; i++)
				used += (size_t)snprintf(buf + used, buflen - used, "%s %s",
				    i ? "," : "", k->names[i]);
		}
		return buf;
	case CFG_TYPE__MAX:
		break;
	}
	return "internal error: bad key type";
}

static const struct cfg_keydef *
find_key(const char *name, size_t len)
{
	for (size_t i = 0; i < CFG__MAX; i++)
		if (strlen(keys[i].name) == len && memcmp(keys[i].name, name, len) == 0)
			return &keys[i];
	return NULL;
}

void
config_defaults(struct config *cfg)
{
	char buf[128];
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < CFG__MAX; i++) {
		const char *why = set_value(cfg, &keys[i], keys[i].def, buf, sizeof buf);
		if (why) {
			/* A programming error in keys[]; caught by the unit tests. */
			log_error("config: default of %s: %s", keys[i].name, why);
			abort();
		}
	}
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
config_parse(struct config *cfg, const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	unsigned char seen[CFG__MAX] = {0};
	char why_buf[160];
	size_t pos = 0;
	for (int lineno = 1; pos < len; lineno++) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t linelen = nl ? (size_t)(nl - line) : len - pos;
		pos += linelen + (nl != NULL);

		if (memchr(line, '\0', linelen)) {
			seterr(err, errlen, "%s:%d: NUL byte in line", name, lineno);
			return -1;
		}
		const char *p = line, *end = line + linelen;
		while (p < end && is_blank(*p))
			p++;
		while (end > p && is_blank(end[-1]))
			end--;
		if (p == end || *p == '#')
			continue;

		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL) {
			seterr(err, errlen, "%s:%d: expected 'key = value'", name, lineno);
			return -1;
		}
		const char *kend = eq;
		while (kend > p && is_blank(kend[-1]))
			kend--;
		const char *v = eq + 1;
		while (v < end && is_blank(*v))
			v++;
		if (kend == p) {
			seterr(err, errlen, "%s:%d: missing key before '='", name, lineno);
			return -1;
		}
		const struct cfg_keydef *k = find_key(p, (size_t)(kend - p));
		if (k == NULL) {
			seterr(err, errlen, "%s:%d: unknown key '%.*s'", name, lineno,
			    (int)((kend - p) > 64 ? 64 : (kend - p)), p);
			return -1;
		}
		size_t ki = (size_t)(k - keys);
		if (seen[ki]) {
			seterr(err, errlen, "%s:%d: %s: set twice", name, lineno, k->name);
			return -1;
		}
		seen[ki] = 1;
		size_t vlen = (size_t)(end - v);
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		char *value = xstrndup(v, vlen);
		const char *why = set_value(cfg, k, value, why_buf, sizeof why_buf);
		free(value);
		if (why) {
			seterr(err, errlen, "%s:%d: %s: %s", name, lineno, k->name, why);
			return -1;
		}
	}
	return 0;
}

int
config_apply_env(struct config *cfg, char *err, size_t errlen)
{
	char var[96], why_buf[160];
	for (size_t i = 0; i < CFG__MAX; i++) {
		size_t n = (size_t)snprintf(var, sizeof var, "MARQUEE_%s", keys[i].name);
		for (size_t j = 8; j < n && j < sizeof var; j++)
			var[j] = (char)toupper((unsigned char)var[j]);
		const char *v = getenv(var);
		if (v == NULL)
			continue;
		const char *why = set_value(cfg, &keys[i], v, why_buf, sizeof why_buf);
		if (why) {
			seterr(err, errlen, "environment %s: %s: %s", var, keys[i].name, why);
			return -1;
		}
	}
	return 0;
}

/* Config files are small; anything larger is a mistake (a log file passed by -c?). */
#define CONFIG_FILE_MAX (1024 * 1024)

static char *
read_file(const char *path, size_t *lenp, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *data = xmalloc(CONFIG_FILE_MAX + 1);
	size_t len = fread(data, 1, CONFIG_FILE_MAX + 1, f);
	int bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		seterr(err, errlen, "%s: %s", path, strerror(saved));
		free(data);
		return NULL;
	}
	if (len > CONFIG_FILE_MAX) {
		seterr(err, errlen, "%s: larger than %d bytes", path, CONFIG_FILE_MAX);
		free(data);
		return NULL;
	}
	*lenp = len;
	return data;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	config_defaults(cfg);
	if (path == NULL) {
		path = getenv("MARQUEE_CONFIG");
		if (path && path[0] == '\0')
			path = NULL;
	}
	if (path) {
		size_t len;
		char *text = read_file(path, &len, err, errlen);
		if (text == NULL)
			goto fail;
		int rc = config_parse(cfg, path, text, len, err, errlen);
		free(text);
		if (rc < 0)
			goto fail;
		cfg->path = xstrdup(path);
	}
	if (config_apply_env(cfg, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	config_free(cfg);
	return -1;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < CFG__MAX; i++)
		if (keys[i].type == CFG_STRING)
			free(*(char **)(void *)((char *)cfg + keys[i].off));
	free(cfg->path);
	memset(cfg, 0, sizeof *cfg);
}

const char *
config_key_name(size_t i)
{
	return i < CFG__MAX ? keys[i].name : NULL;
}
