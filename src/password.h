/*
 * password.h - password hashing (libsodium crypto_pwhash_str, Argon2id),
 * the account password rules and a strength estimate.
 *
 * Parameters: crypto_pwhash_OPSLIMIT_INTERACTIVE (2 passes) and
 * MEMLIMIT_INTERACTIVE (64 MiB).  Why not MODERATE (3 passes, 256 MiB,
 * ~0.7 s): on the 2-core machine Marquee targets, every worker hashing at
 * once would need workers x 256 MiB and a login would take most of a
 * second; INTERACTIVE costs ~50-100 ms and 64 MiB per guess, above OWASP's
 * Argon2id minimum (19 MiB, 2 passes), and online guessing is throttled
 * anyway (throttle.h).  The parameters are stored in each hash; when they
 * change, password_needs_rehash() says so and login rehashes.
 *
 * Not here: where hashes are stored (pages/account.c), throttling.
 */
#ifndef MARQUEE_PASSWORD_H
#define MARQUEE_PASSWORD_H

#include <stddef.h>

#include <sodium.h>

#define PASSWORD_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PASSWORD_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
/* Room for a hash string, NUL included. */
#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/*
 * Hash pw (len bytes) into out.  Returns 0, or -1 if the hash could not be
 * computed (out of memory: the caller answers 503).
 */
int password_hash(char out[PASSWORD_HASH_MAX], const char *pw, size_t len);

/*
 * Does pw match hash?  A malformed or foreign hash (e.g. the "!" of a
 * deleted account) never matches.  Returns 1 if it matches, 0 if not.
 */
int password_verify(const char *hash, const char *pw, size_t len);

/* Was hash made with other parameters than today's?  Returns 1 if so (rehash), 0 if not. */
int password_needs_rehash(const char *hash);

/*
 * Spend the time a real verification takes, against a dummy hash, so an
 * unknown e-mail answers as slowly as a wrong password.
 */
void password_dummy_verify(const char *pw, size_t len);

/* Build the dummy hash (once, before the workers fork, so none pays for it mid-request). */
void password_init(void);

/* Strength of a password, from its length and character classes. */
enum password_strength { PW_WEAK, PW_FAIR, PW_GOOD, PW_STRONG, PW__MAX };

/* Estimate (a hint for the form, not a rule). */
enum password_strength password_strength(const char *pw, size_t len);

/* "weak", "fair", "good", "strong". */
const char *password_strength_name(enum password_strength s);

/*
 * The account rules: at least ACCOUNT_PASSWORD_MIN characters, at most
 * ACCOUNT_PASSWORD_MAX bytes (pages.h), not the e-mail nor the username
 * (compared without case; either may be NULL).  Returns NULL if pw is
 * acceptable, else a sentence for the form.
 */
const char *password_problem(const char *pw, size_t len, const char *email, const char *username);

#endif
