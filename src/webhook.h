/*
 * webhook.h - signatures of webhooks from outside companies (the payment
 * processor, the age-verification vendor) and of what we send them.
 *
 * Header: `Marquee-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`
 * where each v1 is HMAC-SHA256(secret, "<t>.<raw body>") in lower-case hex
 * (libsodium crypto_auth_hmacsha256).  Several v1 values are allowed so the
 * sender can sign with the old and the new secret while a secret is rotated;
 * the receiver likewise accepts any of its configured secrets.  The
 * timestamp is covered by the signature and must be within the tolerance of
 * the receiver's clock, so a captured request cannot be replayed later
 * (replays inside the window are caught by the event-id idempotency of the
 * caller, not here).
 *
 * This module only parses and checks; it does not read the request, know
 * the configuration or store anything.  Pure functions, no allocation
 * except into the caller's buffer.
 */
#ifndef MARQUEE_WEBHOOK_H
#define MARQUEE_WEBHOOK_H

#include <stddef.h>

#include "buf.h"

#define WEBHOOK_HEADER "Marquee-Signature"
/* FastCGI parameter name nginx gives the header. */
#define WEBHOOK_PARAM "HTTP_MARQUEE_SIGNATURE"
#define WEBHOOK_DEFAULT_TOLERANCE 300
/* Why: a real header holds t= and one or two signatures (~150 bytes); a
 * longer one is not ours and is refused before any HMAC work. */
#define WEBHOOK_HEADER_MAX 1024
/* Why: bounds the HMAC work an attacker can ask for per request
 * (signatures x secrets). */
#define WEBHOOK_MAX_SIGS 8

/*
 * Check a signature header against the raw body.
 *   header    the header value (NUL-terminated; NULL = missing)
 *   body,len  the raw request body exactly as received
 *   secrets   nsecrets candidate secrets (NULL or "" entries are skipped)
 *   now       the current time (unix seconds); tolerance_s the allowed
 *             distance of t from now, either direction (<= 0: default)
 *   why       set on failure to a short static reason for the log (never
 *             shown to the sender in more detail than "bad signature")
 * Returns 0 when t is within tolerance and some v1 matches some secret
 * (constant-time compare), -1 otherwise.  Unknown keys (e.g. v0=) are
 * ignored; a malformed t or v1 is an error.
 */
int webhook_verify(const char *header, const char *body, size_t len,
    const char *const *secrets, size_t nsecrets, long long now, int tolerance_s,
    const char **why);

/*
 * Append the header value "t=<t>,v1=<hex>" for body signed with secret to
 * out (not reset first).
 */
void webhook_sign(struct buf *out, const char *secret, long long t,
    const char *body, size_t len);

/*
 * Parse just the header (for the fuzzer and for logging): on success sets
 * *t and copies up to max raw 32-byte signatures into sigs, *nsigs their
 * count, and returns 0; -1 with *why on a malformed header.
 */
int webhook_parse(const char *header, long long *t,
    unsigned char (*sigs)[32], size_t max, size_t *nsigs, const char **why);

#endif
