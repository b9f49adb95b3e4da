/*
 * outbox.c - `marqueectl billing-send [--limit N]` (outbox.h): post the
 * requests queued in billing_outbox to the payment processor's API.
 *
 * One request is one HTTPS POST (docs/BILLING.md, "Cancelling"):
 *   POST <processor_api_url>/api/subscriptions/cancel
 *   Content-Type: application/json
 *   Marquee-Signature: t=<now>,v1=<HMAC-SHA256(processor_secret, "t.body")>
 *   Idempotency-Key: <billing_outbox.id>
 *   {"subscription":"sub_...","reason":"member","requested_at":<created_at>}
 * The body is the same bytes on every try (billing_cancel_body); only the
 * signature's time changes.  A crash after the processor answered and
 * before COMMIT leaves the row pending: the next run sends it again with
 * the same key and the processor carries it out once.
 *
 * Not done here: following redirects (a processor that moves its API says
 * so in its documentation, not with a 3xx to wherever), other protocols
 * than http(s), and reading the answer beyond its status and a short
 * excerpt for last_error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include "billing.h"
#include "buf.h"
#include "config.h"
#include "ctl.h"
#include "ctl/ctl_util.h"
#include "ctl/outbox.h"
#include "webhook.h"

/* Why: enough of an error answer to tell what the processor objected to,
 * short enough for a log line and the last_error column. */
#define ANSWER_KEEP 200

/* The API path of each kind of request (billing_outbox.kind's CHECK). */
static const struct {
	const char *kind;
	const char *path;
} kinds[] = {
	{"cancel", "/api/subscriptions/cancel"},
};

/* The oldest due row, locked; other senders skip it until COMMIT. */
static const char sql_claim[] =
	"SELECT id, kind, processor_subscription_id, reason,"
	" extract(epoch FROM created_at)::bigint, attempts"
	" FROM billing_outbox WHERE sent_at IS NULL AND next_attempt_at <= now()"
	" ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
static const char sql_sent[] =
	"UPDATE billing_outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
	" WHERE id = $1::bigint";
/* $1 id, $2 error, $3 seconds until the next try. */
static const char sql_failed[] =
	"UPDATE billing_outbox SET attempts = attempts + 1, last_error = $2,"
	" next_attempt_at = now() + make_interval(secs => $3::int)"
	" WHERE id = $1::bigint"
	" RETURNING to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
static const char sql_pending[] =
	"SELECT count(*), count(*) FILTER (WHERE next_attempt_at <= now())"
	" FROM billing_outbox WHERE sent_at IS NULL";

/* The start of the answer's body, for last_error. */
struct answer {
	char   text[ANSWER_KEEP + 1];
	size_t len;
};

static size_t
keep_answer(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t got = size * n;
	size_t take = got < ANSWER_KEEP - a->len ? got : ANSWER_KEEP - a->len;
	memcpy(a->text + a->len, p, take);
	a->len += take;
	a->text[a->len] = '\0';
	return got;   /* the rest is read and dropped, not an error */
}

/* Control characters (newlines in an HTML error page) would split the log line. */
static void
one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/*
 * POST body to url with the signature and Idempotency-Key idem.  Returns
 * the HTTP status (0: no answer at all), with a description of anything
 * but a 2xx in err.
 */
static long
post(CURL *h, const struct config *cfg, const char *url, const char *idem,
    const struct buf *body, char *err, size_t errlen)
{
	struct buf sig = BUF_INIT, hdr = BUF_INIT;
	struct curl_slist *headers = NULL;
	struct answer ans = {.len = 0};
	char cerr[CURL_ERROR_SIZE] = "";
	long status = 0;

	webhook_sign(&sig, cfg->processor_secret, (long long)time(NULL), body->data, body->len);
	buf_printf(&hdr, "%s: %s", WEBHOOK_HEADER, sig.data);
	headers = curl_slist_append(headers, hdr.data);
	buf_reset(&hdr);
	buf_printf(&hdr, "Idempotency-Key: %s", idem);
	headers = curl_slist_append(headers, hdr.data);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, "Expect:");   /* no 100-continue round trip */

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->processor_api_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->processor_api_timeout);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "marquee-billing-send");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)body->len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);

	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299) {
			one_line(ans.text);
			snprintf(err, errlen, "HTTP %ld: %s", status, ans.text);
		}
	}
	curl_slist_free_all(headers);
	buf_free(&sig);
	buf_free(&hdr);
	return status;
}

/* The URL of a row's kind, appended to url; -1 for a kind this build does not know. */
static int
kind_url(struct buf *url, const char *base, const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i].kind) == 0) {
			buf_puts(url, base);
			buf_puts(url, kinds[i].path);
			return 0;
		}
	return -1;
}

enum step { STEP_IDLE, STEP_SENT, STEP_FAILED, STEP_UNREACHABLE, STEP_DB_ERROR };

/* Claim, send and record one row, in one transaction. */
static enum step
send_one(PGconn *c, CURL *h, const struct config *cfg)
{
	if (ctl_exec(c, "BEGIN", 0, NULL) != 0)
		return STEP_DB_ERROR;
	PGresult *r = ctl_query(c, sql_claim, 0, NULL);
	if (r == NULL || PQntuples(r) == 0) {
		ctl_rollback(c);
		enum step s = r ? STEP_IDLE : STEP_DB_ERROR;
		PQclear(r);
		return s;
	}
	const char *id = PQgetvalue(r, 0, 0), *kind = PQgetvalue(r, 0, 1);
	const char *sub = PQgetvalue(r, 0, 2);
	int attempt = atoi(PQgetvalue(r, 0, 5)) + 1;
	struct buf url = BUF_INIT, body = BUF_INIT;
	char err[512] = "";
	long status = 0;

	if (kind_url(&url, cfg->processor_api_url, kind) != 0)
		snprintf(err, sizeof err, "unknown request kind '%s'", kind);
	else if (billing_cancel_body(&body, sub, PQgetvalue(r, 0, 3),
	             strtoll(PQgetvalue(r, 0, 4), NULL, 10)) != 0)
		snprintf(err, sizeof err, "subscription id or reason is not UTF-8");
	else
		status = post(h, cfg, url.data, id, &body, err, sizeof err);

	enum step s;
	if (status >= 200 && status <= 299) {
		s = ctl_exec(c, sql_sent, 1, &id) == 0 ? STEP_SENT : STEP_DB_ERROR;
		if (s == STEP_SENT)
			printf("billing-send: #%s %s %s sent (HTTP %ld, attempt %d)\n", id, kind, sub,
			    status, attempt);
	} else {
		char delay[16];
		snprintf(delay, sizeof delay, "%ld", billing_retry_delay(attempt));
		const char *v[3] = {id, err, delay};
		PGresult *u = ctl_query(c, sql_failed, 3, v);
		s = u == NULL ? STEP_DB_ERROR : status == 0 ? STEP_UNREACHABLE : STEP_FAILED;
		if (u != NULL)
			fprintf(stderr, "marqueectl: billing-send: #%s %s %s failed (attempt %d): %s;"
			    " retry in %s s, at %s\n", id, kind, sub, attempt, err, delay,
			    PQgetvalue(u, 0, 0));
		PQclear(u);
	}
	if (s != STEP_DB_ERROR && ctl_exec(c, "COMMIT", 0, NULL) != 0) {
		/* The processor may have acted: the row is sent again later under
		 * the same Idempotency-Key, which it carries out once. */
		fprintf(stderr, "marqueectl: billing-send: #%s: outcome not recorded; it will be sent again\n",
		    id);
		s = STEP_DB_ERROR;
	}
	ctl_rollback(c);
	buf_free(&url);
	buf_free(&body);
	PQclear(r);
	return s;
}

/* "N pending (M due)" for the summary; 0, or -1 after printing why. */
static int
pending(PGconn *c, long *all, long *due)
{
	PGresult *r = ctl_query(c, sql_pending, 0, NULL);
	if (r == NULL)
		return -1;
	*all = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	*due = strtol(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	return 0;
}

int
outbox_deliver(PGconn *c, long limit)
{
	const struct config *cfg = ctl_config();
	long all, due, sent = 0, failed = 0;
	int rc = 0;

	if (cfg->processor_api_url[0] == '\0' || cfg->processor_secret[0] == '\0') {
		if (pending(c, &all, &due) != 0)
			return -1;
		if (all == 0) {
			printf("billing-send: processor_api_url or processor_secret not set; nothing pending\n");
			return 0;
		}
		fprintf(stderr, "marqueectl: billing-send: processor_api_url or processor_secret not set;"
		    " %ld requests wait in billing_outbox\n", all);
		return -1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "marqueectl: billing-send: libcurl did not initialise\n");
		return -1;
	}
	CURL *h = curl_easy_init();
	if (h == NULL) {
		fprintf(stderr, "marqueectl: billing-send: libcurl did not initialise\n");
		curl_global_cleanup();
		return -1;
	}
	for (long i = 0; i < limit; i++) {
		enum step s = send_one(c, h, cfg);
		if (s == STEP_IDLE)
			break;
		if (s == STEP_SENT) {
			sent++;
			continue;
		}
		rc = -1;
		if (s == STEP_FAILED) {
			failed++;
			continue;
		}
		if (s == STEP_UNREACHABLE) {
			/* Why: the next rows would wait for the same timeout and fail
			 * alike; they keep their attempt count for the next run. */
			failed++;
			fprintf(stderr, "marqueectl: billing-send: processor unreachable, stopping this run\n");
		}
		break;
	}
	curl_easy_cleanup(h);
	curl_global_cleanup();
	if (pending(c, &all, &due) != 0)
		return -1;
	printf("billing-send: %ld sent, %ld failed, %ld pending (%ld due)\n", sent, failed, all, due);
	return rc;
}

int
ctl_billing_send(int argc, char **argv)
{
	long long limit = OUTBOX_LIMIT_DEFAULT;
	if (argc == 3 && strcmp(argv[1], "--limit") == 0) {
		if (ctl_parse_long(argv[2], 1, OUTBOX_LIMIT_MAX, &limit) != 0) {
			fprintf(stderr, "marqueectl: billing-send: --limit must be 1..%d\n", OUTBOX_LIMIT_MAX);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: marqueectl billing-send [--limit N]\n");
		return 2;
	}
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = outbox_deliver(c, (long)limit) == 0 ? 0 : 1;
	PQfinish(c);
	return rc;
}
