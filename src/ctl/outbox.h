/*
 * outbox.h - delivery of the requests queued in billing_outbox (migration
 * 017) to the payment processor's API: `marqueectl billing-send`, and the
 * same work as a step of `marqueectl maintain`.
 *
 * The site never calls the processor: the statement that cancels a
 * subscription (DB_BILLING_CANCEL, DB_USER_DELETE) also inserts a row into
 * billing_outbox, and this module posts each due row to
 * <processor_api_url>/api/subscriptions/cancel.  The only file of Marquee
 * that links libcurl is outbox.c (marqueectl only; the workers never make
 * outbound connections).
 */
#ifndef MARQUEE_CTL_OUTBOX_H
#define MARQUEE_CTL_OUTBOX_H

#include <libpq-fe.h>

/* billing-send's default and largest --limit (rows tried in one run). */
#define OUTBOX_LIMIT_DEFAULT 100
#define OUTBOX_LIMIT_MAX     100000

/*
 * Deliver up to limit due rows over connection c (the owner role: the app
 * role may only INSERT into billing_outbox), one transaction per row:
 * claim it with FOR UPDATE SKIP LOCKED (several senders never post the
 * same row at once, nor wait for each other), POST it (bounded by
 * processor_api_timeout), then in the same transaction mark it sent on a
 * 2xx, or count the attempt, keep the error and schedule the next try
 * (billing_retry_delay).  After a failure to reach the processor at all,
 * the run stops: the other rows keep their attempt count for the next run.
 * Prints one line per row (sent: stdout; failed: stderr) and a summary on
 * stdout.  Returns 0 when nothing failed (also when nothing was due, or
 * when processor_api_url is empty and nothing is pending), -1 when a row
 * failed, the database failed, or rows wait while processor_api_url or
 * processor_secret is empty.  Calls curl_global_init/cleanup itself.
 */
int outbox_deliver(PGconn *c, long limit);

#endif
