/*
 * password.c - see password.h.
 */
#include "password.h"

#include <string.h>
#include <strings.h>

#include "log.h"
#include "pages/pages.h"
#include "valid.h"

static char dummy[PASSWORD_HASH_MAX];

int
password_hash(char out[PASSWORD_HASH_MAX], const char *pw, size_t len)
{
	if (crypto_pwhash_str(out, pw, len, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0) {
		log_error("password hash failed (out of memory?)");
		return -1;
	}
	return 0;
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	/* crypto_pwhash_str_verify reads hash as a NUL-terminated string of at most STRBYTES. */
	if (hash == NULL || strlen(hash) >= PASSWORD_HASH_MAX || strncmp(hash, "$argon2id$", 10) != 0)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

int
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0;
}

void
password_init(void)
{
	if (dummy[0])
		return;
	unsigned char r[16];
	randombytes_buf(r, sizeof r);
	if (password_hash(dummy, (const char *)r, sizeof r) != 0)
		dummy[0] = '\0';
}

void
password_dummy_verify(const char *pw, size_t len)
{
	password_init();
	(void)password_verify(dummy, pw, len);
}

enum password_strength
password_strength(const char *pw, size_t len)
{
	int lower = 0, upper = 0, digit = 0, other = 0, high = 0;
	unsigned char seen[256] = {0};
	size_t distinct = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];
		if (!seen[c]++)
			distinct++;
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else if (c >= 0x80)
			high = 1;
		else
			other = 1;
	}
	int pool = 26 * lower + 26 * upper + 10 * digit + 33 * other + 100 * high;
	if (pool == 0)
		return PW_WEAK;
	/*
	 * Guesses if every character were random from the classes used, but a
	 * character repeated counts once per distinct value beyond a third of
	 * the length ("aaaaaaaaaaaa" is not 12 characters of entropy).
	 */
	size_t chars = valid_utf8(pw, len) ? valid_utf8_len(pw, len) : len;
	size_t eff = distinct * 3 < chars ? distinct * 3 : chars;
	double guesses = 1;      /* pool^eff, stopped once past 2^80 */
	for (size_t i = 0; i < eff && guesses < 0x1p80; i++)
		guesses *= pool;
	if (guesses < 0x1p50)
		return PW_WEAK;
	if (guesses < 0x1p64)
		return PW_FAIR;
	if (guesses < 0x1p80)
		return PW_GOOD;
	return PW_STRONG;
}

const char *
password_strength_name(enum password_strength s)
{
	static const char *const names[PW__MAX] = {
		[PW_WEAK] = "weak", [PW_FAIR] = "fair", [PW_GOOD] = "good", [PW_STRONG] = "strong",
	};
	return s < PW__MAX ? names[s] : "weak";
}

const char *
password_problem(const char *pw, size_t len, const char *email, const char *username)
{
	if (len > ACCOUNT_PASSWORD_MAX)
		return "Use at most 1024 bytes.";
	size_t chars = valid_utf8(pw, len) ? valid_utf8_len(pw, len) : len;
	if (chars < ACCOUNT_PASSWORD_MIN)
		return "Use at least 10 characters.";
	if ((email && strlen(email) == len && strncasecmp(pw, email, len) == 0) ||
	    (username && strlen(username) == len && strncasecmp(pw, username, len) == 0))
		return "Your password must not be your e-mail address or your username.";
	return NULL;
}
