/*
 * test_password.c - password.h: Argon2id hashing, verification, rehash
 * detection, the account rules at their boundaries, the strength estimate.
 */
#include <string.h>

#include <sodium.h>

#include "pages/pages.h"
#include "password.h"
#include "t.h"

int
main(void)
{
	if (sodium_init() < 0)
		return 1;

	char h[PASSWORD_HASH_MAX];
	const char *pw = "correct horse battery staple";
	T_CHECK("hash succeeds", password_hash(h, pw, strlen(pw)) == 0);
	T_CHECK("hash is Argon2id with our parameters", strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
	T_CHECK("right password verifies", password_verify(h, pw, strlen(pw)) == 1);
	T_CHECK("wrong password does not", password_verify(h, "correct horse battery stapler", 29) == 0);
	T_CHECK("a prefix does not", password_verify(h, pw, strlen(pw) - 1) == 0);
	T_CHECK("empty password does not", password_verify(h, "", 0) == 0);
	char h2[PASSWORD_HASH_MAX];
	password_hash(h2, pw, strlen(pw));
	T_CHECK("two hashes of one password differ (salt)", strcmp(h, h2) != 0);
	T_CHECK("current hash needs no rehash", password_needs_rehash(h) == 0);

	char weak[PASSWORD_HASH_MAX];
	T_CHECK("hash with other parameters",
	    crypto_pwhash_str(weak, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) == 0);
	T_CHECK("... still verifies", password_verify(weak, pw, strlen(pw)) == 1);
	T_CHECK("... and needs a rehash", password_needs_rehash(weak) == 1);

	T_CHECK("deleted account's '!' never matches", password_verify("!", "!", 1) == 0);
	T_CHECK("NULL hash never matches", password_verify(NULL, pw, strlen(pw)) == 0);
	T_CHECK("a foreign scheme never matches", password_verify("$2b$10$abcdefghijklmnopqrstuv", pw, strlen(pw)) == 0);
	char junk[PASSWORD_HASH_MAX + 10];
	memset(junk, 'a', sizeof junk - 1);
	junk[sizeof junk - 1] = '\0';
	memcpy(junk, "$argon2id$", 10);
	T_CHECK("an over-long hash string never matches", password_verify(junk, pw, strlen(pw)) == 0);
	password_dummy_verify(pw, strlen(pw));
	T_CHECK("dummy verification runs", 1);

	/* Rules at their boundaries. */
	T_CHECK("9 characters refused", password_problem("abcdefghi", 9, NULL, NULL) != NULL);
	T_CHECK("10 characters accepted", password_problem("abcdefghij", 10, NULL, NULL) == NULL);
	T_CHECK("10 characters of 2-byte UTF-8 accepted",
	    password_problem("éééééééééé", 20, NULL, NULL) == NULL);
	T_CHECK("9 characters of 2-byte UTF-8 (18 bytes) refused",
	    password_problem("ééééééééé", 18, NULL, NULL) != NULL);
	char big[ACCOUNT_PASSWORD_MAX + 1];
	memset(big, 'x', sizeof big);
	T_CHECK("1024 bytes accepted", password_problem(big, ACCOUNT_PASSWORD_MAX, NULL, NULL) == NULL);
	T_CHECK("1025 bytes refused", password_problem(big, ACCOUNT_PASSWORD_MAX + 1, NULL, NULL) != NULL);
	T_CHECK("the e-mail refused (any case)",
	    password_problem("Me@Example.com", 14, "me@example.com", "someone") != NULL);
	T_CHECK("the username refused (any case)",
	    password_problem("LongUsername", 12, "me@example.com", "longusername") != NULL);
	T_CHECK("containing the username is fine",
	    password_problem("longusername!", 13, "me@example.com", "longusername") == NULL);

	/* Strength. */
	T_STREQ("repeated letters are weak", password_strength_name(password_strength("aaaaaaaaaaaa", 12)), "weak");
	T_STREQ("10 lowercase letters are weak", password_strength_name(password_strength("abcdefghij", 10)), "weak");
	T_STREQ("12 lowercase letters are fair",
	    password_strength_name(password_strength("abcdefghijkl", 12)), "fair");
	T_STREQ("12 characters of four classes are good",
	    password_strength_name(password_strength("Abcdef12!xyz", 12)), "good");
	T_STREQ("four words are strong",
	    password_strength_name(password_strength("correct horse battery staple", 28)), "strong");
	T_STREQ("names", password_strength_name(PW_GOOD), "good");
	return t_done("test_password");
}
