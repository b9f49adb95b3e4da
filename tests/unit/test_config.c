/*
 * test_config.c - configuration defaults, file syntax, environment
 * overrides, and the errors for unknown keys and bad values.
 */
#define _GNU_SOURCE /* sched_getaffinity: what "auto" counts */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "sandbox.h"
#include "log.h"
#include "t.h"

static char err[256];

/* Parse text on top of the defaults; returns config_parse's result. */
static int
parse(struct config *cfg, const char *text)
{
	config_defaults(cfg);
	err[0] = '\0';
	return config_parse(cfg, "marquee.conf", text, strlen(text), err, sizeof err);
}

static void
test_defaults(void)
{
	struct config c;
	unsetenv("MARQUEE_CONFIG");
	T_CHECK("load without file", config_load(&c, NULL, err, sizeof err) == 0);
	T_STREQ("default database_url", c.database_url, "dbname=marquee");
	{
		cpu_set_t set;
		long cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
		long want = CONFIG_WORKERS_PER_CPU * cpus;
		want = want > CONFIG_WORKERS_AUTO_MAX ? CONFIG_WORKERS_AUTO_MAX : want;
		T_CHECK("default workers: 2 per usable CPU", c.workers == want);
	}
	T_CHECK("default max_requests", c.max_requests == 10000);
	T_CHECK("default request_timeout", c.request_timeout == 20);
	T_CHECK("default shutdown_timeout", c.shutdown_timeout == 25);
	T_CHECK("default db_connect_timeout", c.db_connect_timeout == 2);
	T_CHECK("default db_statement_timeout_ms", c.db_statement_timeout_ms == 5000);
	T_CHECK("default log_level", c.log_level == LOG_INFO);
	T_STREQ("default static_url", c.static_url, "/static");
	T_STREQ("default site_name", c.site_name, "Marquee");
	T_STREQ("default base_url", c.base_url, "http://127.0.0.1:8080");
	T_CHECK("default dev_mode", c.dev_mode == 0);
	T_STREQ("default custodian", c.custodian_of_records, "");
	T_CHECK("default respawn_backoff_max", c.respawn_backoff_max == 5);
	T_CHECK("default sandbox is enforce", c.sandbox == SANDBOX_ENFORCE);
	T_CHECK("default templates_dir ends in /templates",
	    strlen(c.templates_dir) > 10 &&
	    strcmp(c.templates_dir + strlen(c.templates_dir) - 10, "/templates") == 0);
	T_CHECK("no file path", c.path == NULL);
	config_free(&c);
	T_CHECK("config_free zeroes", c.database_url == NULL && c.workers == 0);
	config_free(NULL);
}

static void
test_syntax(void)
{
	struct config c;
	T_CHECK("parse full file", parse(&c,
	    "# a comment\n"
	    "\n"
	    "   # indented comment\n"
	    "workers=7\n"
	    "  max_requests   =   42  \t\n"
	    "database_url = host=/tmp dbname=x password=a#b\n"
	    "site_name = \"  Spaced Name  \"\n"
	    "log_level = debug\r\n"
	    "dev_mode = yes\n"
	    "request_timeout = 3s\n"
	    "custodian_of_records = Jane Doe, 1 Main St") == 0);
	T_CHECK("workers from file", c.workers == 7);
	T_CHECK("whitespace trimmed", c.max_requests == 42);
	T_STREQ("hash inside value kept", c.database_url, "host=/tmp dbname=x password=a#b");
	T_STREQ("quoted value keeps spaces", c.site_name, "  Spaced Name  ");
	T_CHECK("CRLF line endings", c.log_level == LOG_DEBUG);
	T_CHECK("bool yes", c.dev_mode == 1);
	T_CHECK("duration with s suffix", c.request_timeout == 3);
	T_STREQ("last line without newline", c.custodian_of_records, "Jane Doe, 1 Main St");
	T_CHECK("untouched keys keep defaults", c.shutdown_timeout == 25);
	config_free(&c);

	T_CHECK("empty file", parse(&c, "") == 0 && c.workers >= 2);
	config_free(&c);
	T_CHECK("workers = auto", parse(&c, "workers = auto\n") == 0 && c.workers >= 2 &&
	    c.workers <= CONFIG_WORKERS_AUTO_MAX && c.workers % CONFIG_WORKERS_PER_CPU == 0);
	config_free(&c);
	T_CHECK("auto only where a key allows it", parse(&c, "max_requests = auto\n") == -1);
	config_free(&c);
	T_CHECK("empty string value allowed where min is 0",
	    parse(&c, "custodian_of_records =\n") == 0);
	config_free(&c);
}

static void
test_errors(void)
{
	struct config c;
	T_CHECK("unknown key fails", parse(&c, "workers = 2\n\n# x\nwrokers = 3\n") == -1);
	T_STREQ("unknown key message", err, "marquee.conf:4: unknown key 'wrokers'");
	config_free(&c);

	T_CHECK("non-integer fails", parse(&c, "workers = many\n") == -1);
	T_STREQ("bad value message", err, "marquee.conf:1: workers: must be an integer 1..256 or auto");
	config_free(&c);

	T_CHECK("trailing junk fails", parse(&c, "workers = 2x\n") == -1);
	config_free(&c);
	T_CHECK("missing equals fails", parse(&c, "workers 2\n") == -1);
	T_STREQ("missing equals message", err, "marquee.conf:1: expected 'key = value'");
	config_free(&c);
	T_CHECK("missing key fails", parse(&c, " = 2\n") == -1);
	config_free(&c);
	T_CHECK("duplicate key fails", parse(&c, "workers = 2\nworkers = 3\n") == -1);
	T_STREQ("duplicate message", err, "marquee.conf:2: workers: set twice");
	config_free(&c);
	T_CHECK("bad bool fails", parse(&c, "dev_mode = maybe\n") == -1);
	T_STREQ("bad bool message", err, "marquee.conf:1: dev_mode: must be true or false");
	config_free(&c);
	T_CHECK("bad enum fails", parse(&c, "log_level = loud\n") == -1);
	T_STREQ("bad enum message", err,
	    "marquee.conf:1: log_level: must be one of debug, info, warn, error");
	config_free(&c);
	T_CHECK("sandbox = log", parse(&c, "sandbox = log\n") == 0 && c.sandbox == SANDBOX_LOG);
	config_free(&c);
	T_CHECK("bad sandbox fails", parse(&c, "sandbox = strict\n") == -1);
	T_STREQ("bad sandbox message", err, "marquee.conf:1: sandbox: must be one of enforce, log, off");
	config_free(&c);
	T_CHECK("empty database_url fails", parse(&c, "database_url =\n") == -1);
	T_STREQ("empty message", err, "marquee.conf:1: database_url: must not be empty");
	config_free(&c);
	T_CHECK("base_url must be http(s)", parse(&c, "base_url = ftp://x\n") == -1);
	config_free(&c);
	T_CHECK("base_url without trailing slash", parse(&c, "base_url = http://x/\n") == -1);
	config_free(&c);
	T_CHECK("static_url protocol-relative refused", parse(&c, "static_url = //evil\n") == -1);
	config_free(&c);
	T_CHECK("static_url path ok", parse(&c, "static_url = /assets\n") == 0);
	config_free(&c);

	const char nul[] = "workers = 2\0junk\n";
	config_defaults(&c);
	T_CHECK("NUL byte refused",
	    config_parse(&c, "marquee.conf", nul, sizeof nul - 1, err, sizeof err) == -1);
	config_free(&c);
}

static void
test_bounds(void)
{
	struct config c;
	T_CHECK("workers 1 ok", parse(&c, "workers = 1\n") == 0 && c.workers == 1);
	config_free(&c);
	T_CHECK("workers 256 ok", parse(&c, "workers = 256\n") == 0 && c.workers == 256);
	config_free(&c);
	T_CHECK("workers 0 refused", parse(&c, "workers = 0\n") == -1);
	config_free(&c);
	T_CHECK("workers 257 refused", parse(&c, "workers = 257\n") == -1);
	config_free(&c);
	T_CHECK("workers negative refused", parse(&c, "workers = -1\n") == -1);
	config_free(&c);
	T_CHECK("workers huge refused", parse(&c, "workers = 99999999999999999999999\n") == -1);
	config_free(&c);
	T_CHECK("request_timeout 29 ok", parse(&c, "request_timeout = 29\n") == 0);
	config_free(&c);
	T_CHECK("request_timeout 30 refused (nginx times out at 30)",
	    parse(&c, "request_timeout = 30\n") == -1);
	T_STREQ("duration message", err,
	    "marquee.conf:1: request_timeout: must be an integer 1..29 (seconds)");
	config_free(&c);
	T_CHECK("db_connect_timeout 1 refused (libpq minimum is 2)",
	    parse(&c, "db_connect_timeout = 1\n") == -1);
	config_free(&c);
	T_CHECK("control character refused", parse(&c, "site_name = a\tb\n") == -1);
	config_free(&c);
	T_CHECK("text that is not UTF-8 refused", parse(&c, "site_name = Caf\xe9\n") == -1 &&
	    strstr(err, "UTF-8") != NULL);
	config_free(&c);
	T_CHECK("UTF-8 text kept", parse(&c, "site_name = Caf\xc3\xa9\n") == 0 &&
	    strcmp(c.site_name, "Caf\xc3\xa9") == 0);
	config_free(&c);
	char big[5000];
	memcpy(big, "site_name = ", 12);
	memset(big + 12, 'x', 201);
	big[213] = '\0';
	T_CHECK("site_name over 200 bytes refused", parse(&c, big) == -1);
	config_free(&c);
	big[212] = '\0';
	T_CHECK("site_name of 200 bytes ok", parse(&c, big) == 0);
	config_free(&c);
}

static void
test_file_and_env(void)
{
	char path[] = "/tmp/test_config_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("workers = 5\ndatabase_url = dbname=fromfile\n", f);
	fclose(f);

	struct config c;
	setenv("MARQUEE_CONFIG", path, 1);
	T_CHECK("load from MARQUEE_CONFIG", config_load(&c, NULL, err, sizeof err) == 0);
	T_CHECK("file value", c.workers == 5);
	T_STREQ("path recorded", c.path, path);
	config_free(&c);

	setenv("MARQUEE_DATABASE_URL", "postgresql:///fromenv", 1);
	setenv("MARQUEE_LOG_LEVEL", "warn", 1);
	T_CHECK("load with env", config_load(&c, path, err, sizeof err) == 0);
	T_STREQ("env overrides file", c.database_url, "postgresql:///fromenv");
	T_CHECK("env sets enum", c.log_level == LOG_WARN);
	T_CHECK("file still applies", c.workers == 5);
	config_free(&c);

	setenv("MARQUEE_WORKERS", "0", 1);
	T_CHECK("bad env value fails", config_load(&c, path, err, sizeof err) == -1);
	T_STREQ("env error names variable", err,
	    "environment MARQUEE_WORKERS: workers: must be an integer 1..256 or auto");
	config_free(&c);
	unsetenv("MARQUEE_WORKERS");
	unsetenv("MARQUEE_DATABASE_URL");
	unsetenv("MARQUEE_LOG_LEVEL");

	f = fopen(path, "w");
	fputs("workers = 5\n\nbogus = 1\n", f);
	fclose(f);
	T_CHECK("bad file fails", config_load(&c, path, err, sizeof err) == -1);
	char want[128];
	snprintf(want, sizeof want, "%s:3: unknown key 'bogus'", path);
	T_STREQ("file error names file and line", err, want);
	T_CHECK("failed load leaves nothing to free", c.database_url == NULL);
	unlink(path);

	T_CHECK("missing file fails", config_load(&c, path, err, sizeof err) == -1);
	T_CHECK("missing file message names it", strstr(err, path) != NULL);
	unsetenv("MARQUEE_CONFIG");
}

/* deploy/marquee.conf.example documents every key and is itself valid. */
static void
test_example(void)
{
	struct config c;
	T_CHECK("example file loads", config_load(&c, EXAMPLE_CONF, err, sizeof err) == 0);
	config_free(&c);
	FILE *f = fopen(EXAMPLE_CONF, "r");
	static char text[65536];
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	for (size_t i = 0; config_key_name(i); i++) {
		char want[128], name[160];
		snprintf(want, sizeof want, "\n%s =", config_key_name(i));
		snprintf(name, sizeof name, "example documents %s", config_key_name(i));
		T_CHECK(name, strstr(text, want) != NULL);
	}
}

int
main(void)
{
	/* The caller's environment must not leak into the defaults under test. */
	for (size_t i = 0; config_key_name(i); i++) {
		char var[128];
		size_t n = (size_t)snprintf(var, sizeof var, "MARQUEE_%s", config_key_name(i));
		for (size_t j = 8; j < n && j < sizeof var; j++)
			if (var[j] >= 'a' && var[j] <= 'z')
				var[j] = (char)(var[j] - 'a' + 'A');
		unsetenv(var);
	}
	unsetenv("MARQUEE_CONFIG");
	test_example();
	test_defaults();
	test_syntax();
	test_errors();
	test_bounds();
	test_file_and_env();
	return t_done("test_config");
}
