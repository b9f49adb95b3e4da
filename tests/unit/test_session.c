/*
 * test_session.c - the pure parts of sessions and CSRF: token encoding,
 * strict decoding, the local-host rule for the Secure flag, constant-time
 * comparison, and the next= rule (valid_local_path) the log-in and age-gate
 * redirects rely on.
 */
#include <string.h>

#include <sodium.h>

#include "session.h"
#include "t.h"
#include "valid.h"

int
main(void)
{
	if (sodium_init() < 0)
		return 1;

	unsigned char tok[SESS_TOKEN_BYTES], back[SESS_TOKEN_BYTES];
	char enc[SESS_TOKEN_LEN + 1];
	randombytes_buf(tok, sizeof tok);
	sess_b64_encode(enc, sizeof enc, tok, sizeof tok);
	T_CHECK("token encodes to 43 characters", strlen(enc) == SESS_TOKEN_LEN);
	T_CHECK("... base64url only", strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == SESS_TOKEN_LEN);
	T_CHECK("token decodes back", sess_b64_decode(back, sizeof back, enc, strlen(enc)) == 0 &&
	    memcmp(tok, back, sizeof tok) == 0);

	memset(tok, 0xff, sizeof tok);
	sess_b64_encode(enc, sizeof enc, tok, sizeof tok);
	T_CHECK("0xff bytes use - and _ (never + or /)", strpbrk(enc, "+/=") == NULL);
	T_CHECK("... and decode", sess_b64_decode(back, sizeof back, enc, strlen(enc)) == 0 &&
	    memcmp(tok, back, sizeof tok) == 0);

	char bad[64];
	T_CHECK("one character short is refused", sess_b64_decode(back, sizeof back, enc, SESS_TOKEN_LEN - 1) != 0);
	snprintf(bad, sizeof bad, "%sA", enc);
	T_CHECK("one character long is refused", sess_b64_decode(back, sizeof back, bad, strlen(bad)) != 0);
	snprintf(bad, sizeof bad, "%s", enc);
	bad[5] = '+';
	T_CHECK("standard base64 '+' is refused", sess_b64_decode(back, sizeof back, bad, strlen(bad)) != 0);
	bad[5] = '.';
	T_CHECK("a foreign character is refused", sess_b64_decode(back, sizeof back, bad, strlen(bad)) != 0);
	snprintf(bad, sizeof bad, "%s", enc);
	bad[20] = '\0';
	T_CHECK("an embedded NUL is refused", sess_b64_decode(back, sizeof back, bad, SESS_TOKEN_LEN) != 0);
	snprintf(bad, sizeof bad, "%.42s=", enc);
	T_CHECK("padding is refused", sess_b64_decode(back, sizeof back, bad, strlen(bad)) != 0);
	T_CHECK("empty is refused", sess_b64_decode(back, sizeof back, "", 0) != 0);
	/* 43 characters carry 258 bits: the last character's low 2 bits must be zero. */
	snprintf(bad, sizeof bad, "%s", enc);
	bad[SESS_TOKEN_LEN - 1] = '_';
	T_CHECK("non-canonical last character is refused", sess_b64_decode(back, sizeof back, bad, strlen(bad)) != 0);

	T_CHECK("127.0.0.1 is local", sess_host_is_local("127.0.0.1"));
	T_CHECK("127.0.0.1:8080 is local", sess_host_is_local("127.0.0.1:8080"));
	T_CHECK("localhost:3000 is local", sess_host_is_local("localhost:3000"));
	T_CHECK("[::1]:80 is local", sess_host_is_local("[::1]:80"));
	T_CHECK("localhost.evil.example is not", !sess_host_is_local("localhost.evil.example"));
	T_CHECK("127.0.0.1.nip.io is not", !sess_host_is_local("127.0.0.1.nip.io"));
	T_CHECK("127.0.0.1: (empty port) is not", !sess_host_is_local("127.0.0.1:"));
	T_CHECK("127.0.0.1:80x is not", !sess_host_is_local("127.0.0.1:80x"));
	T_CHECK("example.com is not", !sess_host_is_local("example.com"));
	T_CHECK("no host is not", !sess_host_is_local(NULL));

	/* The constant-time compare CSRF checks use: equal, and one bit apart. */
	unsigned char x[32], y[32];
	randombytes_buf(x, sizeof x);
	memcpy(y, x, sizeof y);
	T_CHECK("sodium_memcmp: equal", sodium_memcmp(x, y, sizeof x) == 0);
	y[31] ^= 1;
	T_CHECK("sodium_memcmp: last bit differs", sodium_memcmp(x, y, sizeof x) != 0);

	/* next= after log-in and the age gate: valid_local_path or "/". */
	static const char *const ok[] = {"/", "/account", "/videos/x?sort=new&page=2", "/%2F%2Fx"};
	static const char *const no[] = {"//evil.example", "/\\evil.example", "https://evil.example",
	    "javascript:alert(1)", "evil.example", "", "/\r\nSet-Cookie:x=1", "/ space", "\\\\evil"};
	static const char *const no_names[] = {"next //host refused", "next /\\host refused",
	    "next https URL refused", "next javascript: refused", "next without / refused", "next empty refused",
	    "next with CR LF refused", "next with a space refused", "next \\\\host refused"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		T_CHECK(ok[i], valid_local_path(ok[i], strlen(ok[i])));
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		T_CHECK(no_names[i], !valid_local_path(no[i], strlen(no[i])));
	return t_done("test_session");
}
