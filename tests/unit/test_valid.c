/*
 * test_valid.c - every validator at its boundaries, and the decoder.
 */
#include "t.h"

#include "arena.h"
#include "decode.h"
#include "valid.h"

#include <limits.h>
#include <string.h>

#define S(lit) (lit), (sizeof(lit) - 1)

static char big[4096];

/* A string of n copies of c (n < sizeof big). */
static const char *
rep(char c, size_t n)
{
	memset(big, c, n);
	big[n] = '\0';
	return big;
}

static void
test_utf8(void)
{
	T_CHECK("utf8 empty", valid_utf8(S("")));
	T_CHECK("utf8 ascii", valid_utf8(S("hello")));
	T_CHECK("utf8 2-byte", valid_utf8(S("caf\xc3\xa9")));
	T_CHECK("utf8 3-byte", valid_utf8(S("\xe2\x82\xac")));
	T_CHECK("utf8 4-byte emoji", valid_utf8(S("\xf0\x9f\x98\x80")));
	T_CHECK("utf8 U+10FFFF max", valid_utf8(S("\xf4\x8f\xbf\xbf")));
	T_CHECK("utf8 above U+10FFFF", !valid_utf8(S("\xf4\x90\x80\x80")));
	T_CHECK("utf8 lead f5", !valid_utf8(S("\xf5\x80\x80\x80")));
	T_CHECK("utf8 overlong 2-byte c0", !valid_utf8(S("\xc0\xaf")));
	T_CHECK("utf8 overlong 2-byte c1", !valid_utf8(S("\xc1\xbf")));
	T_CHECK("utf8 smallest 2-byte c2 80", valid_utf8(S("\xc2\x80")));
	T_CHECK("utf8 overlong 3-byte", !valid_utf8(S("\xe0\x80\xaf")));
	T_CHECK("utf8 smallest 3-byte", valid_utf8(S("\xe0\xa0\x80")));
	T_CHECK("utf8 overlong 4-byte", !valid_utf8(S("\xf0\x80\x80\xaf")));
	T_CHECK("utf8 smallest 4-byte", valid_utf8(S("\xf0\x90\x80\x80")));
	T_CHECK("utf8 surrogate D800", !valid_utf8(S("\xed\xa0\x80")));
	T_CHECK("utf8 surrogate DFFF", !valid_utf8(S("\xed\xbf\xbf")));
	T_CHECK("utf8 U+D7FF ok", valid_utf8(S("\xed\x9f\xbf")));
	T_CHECK("utf8 lone continuation", !valid_utf8(S("\x80")));
	T_CHECK("utf8 truncated 2-byte", !valid_utf8(S("\xc3")));
	T_CHECK("utf8 truncated 4-byte", !valid_utf8(S("\xf0\x9f\x98")));
	T_CHECK("utf8 bad continuation", !valid_utf8(S("\xe2\x28\xa1")));
	T_CHECK("utf8 ff", !valid_utf8(S("\xff")));
	T_CHECK("utf8 embedded NUL is valid UTF-8", valid_utf8(S("a\0b")));
	T_CHECK("utf8_len counts code points", valid_utf8_len(S("caf\xc3\xa9\xf0\x9f\x98\x80")) == 5);
}

static void
test_slug(void)
{
	T_CHECK("slug simple", valid_slug(S("my-video-2")));
	T_CHECK("slug one char", valid_slug(S("a")));
	T_CHECK("slug digits", valid_slug(S("2024")));
	T_CHECK("slug empty", !valid_slug(S("")));
	T_CHECK("slug leading hyphen", !valid_slug(S("-a")));
	T_CHECK("slug trailing hyphen", !valid_slug(S("a-")));
	T_CHECK("slug double hyphen", !valid_slug(S("a--b")));
	T_CHECK("slug uppercase", !valid_slug(S("My-video")));
	T_CHECK("slug underscore", !valid_slug(S("a_b")));
	T_CHECK("slug space", !valid_slug(S("a b")));
	T_CHECK("slug slash", !valid_slug(S("a/b")));
	T_CHECK("slug dot", !valid_slug(S("..")));
	T_CHECK("slug non-ascii", !valid_slug(S("caf\xc3\xa9")));
	T_CHECK("slug embedded NUL", !valid_slug(S("a\0b")));
	T_CHECK("slug 255 bytes", valid_slug(rep('a', VALID_SLUG_MAX), VALID_SLUG_MAX));
	T_CHECK("slug 256 bytes", !valid_slug(rep('a', VALID_SLUG_MAX + 1), VALID_SLUG_MAX + 1));
}

static void
test_uuid(void)
{
	T_CHECK("uuid lower", valid_uuid(S("123e4567-e89b-12d3-a456-426614174000")));
	T_CHECK("uuid upper", valid_uuid(S("123E4567-E89B-12D3-A456-426614174000")));
	T_CHECK("uuid short", !valid_uuid(S("123e4567-e89b-12d3-a456-42661417400")));
	T_CHECK("uuid long", !valid_uuid(S("123e4567-e89b-12d3-a456-4266141740000")));
	T_CHECK("uuid no dashes", !valid_uuid(S("123e4567e89b12d3a456426614174000xxxx")));
	T_CHECK("uuid dash misplaced", !valid_uuid(S("123e456-7e89b-12d3-a456-426614174000")));
	T_CHECK("uuid non-hex", !valid_uuid(S("123g4567-e89b-12d3-a456-426614174000")));
	T_CHECK("uuid braces", !valid_uuid(S("{23e4567-e89b-12d3-a456-42661417400}")));
	T_CHECK("uuid NUL", !valid_uuid(S("123e4567-e89b-12d3-a456-42661417400\0")));
}

static void
test_int(void)
{
	long long v = -1;
	T_CHECK("int zero", valid_int(S("0"), 0, 10, &v) && v == 0);
	T_CHECK("int min bound", valid_int(S("1"), 1, 100, &v) && v == 1);
	T_CHECK("int max bound", valid_int(S("100"), 1, 100, &v) && v == 100);
	T_CHECK("int below min", !valid_int(S("0"), 1, 100, &v));
	T_CHECK("int above max", !valid_int(S("101"), 1, 100, &v));
	T_CHECK("int negative in range", valid_int(S("-5"), -10, 10, &v) && v == -5);
	T_CHECK("int -1 below 0..", !valid_int(S("-1"), 0, 10, &v));
	T_CHECK("int minus zero", !valid_int(S("-0"), -10, 10, &v));
	T_CHECK("int leading zero", !valid_int(S("01"), 0, 10, &v));
	T_CHECK("int plus sign", !valid_int(S("+1"), 0, 10, &v));
	T_CHECK("int empty", !valid_int(S(""), 0, 10, &v));
	T_CHECK("int lone minus", !valid_int(S("-"), -10, 10, &v));
	T_CHECK("int space", !valid_int(S(" 1"), 0, 10, &v));
	T_CHECK("int trailing junk", !valid_int(S("1a"), 0, 10, &v));
	T_CHECK("int hex", !valid_int(S("0x10"), 0, 100, &v));
	T_CHECK("int decimal point", !valid_int(S("1.0"), 0, 100, &v));
	T_CHECK("int embedded NUL", !valid_int(S("1\0002"), 0, 100, &v));
	T_CHECK("int LLONG_MAX", valid_int(S("9223372036854775807"), LLONG_MIN, LLONG_MAX, &v) &&
	    v == LLONG_MAX);
	T_CHECK("int LLONG_MAX+1 overflows", !valid_int(S("9223372036854775808"), LLONG_MIN, LLONG_MAX, &v));
	T_CHECK("int LLONG_MIN", valid_int(S("-9223372036854775808"), LLONG_MIN, LLONG_MAX, &v) &&
	    v == LLONG_MIN);
	T_CHECK("int LLONG_MIN-1 overflows", !valid_int(S("-9223372036854775809"), LLONG_MIN, LLONG_MAX, &v));
	T_CHECK("int huge overflows", !valid_int(S("99999999999999999999999"), LLONG_MIN, LLONG_MAX, &v));
	T_CHECK("int failure leaves out alone", !valid_int(S("x"), 0, 1, &v) && v == LLONG_MIN);
}

static void
test_enum(void)
{
	static const char *const sorts[] = {"newest", "views", "rating", NULL};
	int i = -1;
	T_CHECK("enum first", valid_enum(S("newest"), sorts, &i) && i == 0);
	T_CHECK("enum last", valid_enum(S("rating"), sorts, &i) && i == 2);
	T_CHECK("enum prefix", !valid_enum(S("new"), sorts, &i));
	T_CHECK("enum longer", !valid_enum(S("newestx"), sorts, &i));
	T_CHECK("enum case", !valid_enum(S("Newest"), sorts, &i));
	T_CHECK("enum empty", !valid_enum(S(""), sorts, &i));
	T_CHECK("enum NUL suffix", !valid_enum(S("views\0"), sorts, &i));
}

static void
test_email(void)
{
	T_CHECK("email simple", valid_email(S("a@example.com")));
	T_CHECK("email plus and dots", valid_email(S("first.last+tag@mail.example.co")));
	T_CHECK("email no at", !valid_email(S("example.com")));
	T_CHECK("email two ats", !valid_email(S("a@b@example.com")));
	T_CHECK("email empty local", !valid_email(S("@example.com")));
	T_CHECK("email empty domain", !valid_email(S("a@")));
	T_CHECK("email single label", !valid_email(S("a@localhost")));
	T_CHECK("email leading dot", !valid_email(S(".a@example.com")));
	T_CHECK("email trailing dot local", !valid_email(S("a.@example.com")));
	T_CHECK("email double dot", !valid_email(S("a..b@example.com")));
	T_CHECK("email domain double dot", !valid_email(S("a@example..com")));
	T_CHECK("email domain trailing dot", !valid_email(S("a@example.com.")));
	T_CHECK("email label hyphen start", !valid_email(S("a@-example.com")));
	T_CHECK("email label hyphen end", !valid_email(S("a@example-.com")));
	T_CHECK("email numeric tld", !valid_email(S("a@1.2.3.4")));
	T_CHECK("email one-letter tld", !valid_email(S("a@example.c")));
	T_CHECK("email space", !valid_email(S("a b@example.com")));
	T_CHECK("email CRLF", !valid_email(S("a@example.com\r\nBcc: x@y.z")));
	T_CHECK("email NUL", !valid_email(S("a@exa\0mple.com")));
	T_CHECK("email non-ascii", !valid_email(S("\xc3\xa9@example.com")));
	T_CHECK("email quoted local refused", !valid_email(S("\"a\"@example.com")));

	char e[300];
	memset(e, 'a', 64);
	strcpy(e + 64, "@example.com");
	T_CHECK("email local 64", valid_email(e, strlen(e)));
	memset(e, 'a', 65);
	strcpy(e + 65, "@example.com");
	T_CHECK("email local 65", !valid_email(e, strlen(e)));
	/* 254 total: a@ + labels of 63 */
	strcpy(e, "a@");
	size_t n = 2;
	while (n + 64 < 250) {
		memset(e + n, 'b', 63);
		e[n + 63] = '.';
		n += 64;
	}
	/* fill to exactly 254 with a final alphabetic label */
	size_t last = 254 - n;
	memset(e + n, 'c', last);
	e[254] = '\0';
	T_CHECK("email 254 bytes", last >= 2 && last <= 63 && valid_email(e, 254));
	e[254] = 'c';
	e[255] = '\0';
	T_CHECK("email 255 bytes", !valid_email(e, 255));
	char lab[80];
	memset(lab, 'x', 63);
	strcpy(lab + 63, ".com");
	char addr[100] = "a@";
	strcat(addr, lab);
	T_CHECK("email label 63", valid_email(addr, strlen(addr)));
	lab[63] = 'x';
	strcpy(lab + 64, ".com");
	strcpy(addr, "a@");
	strcat(addr, lab);
	T_CHECK("email label 64", !valid_email(addr, strlen(addr)));
}

static void
test_string(void)
{
	T_CHECK("string ok", valid_string(S("Hello, world"), 1, 100));
	T_CHECK("string empty with min 0", valid_string(S(""), 0, 10));
	T_CHECK("string empty with min 1", !valid_string(S(""), 1, 10));
	T_CHECK("string at max chars", valid_string(S("abcde"), 1, 5));
	T_CHECK("string over max chars", !valid_string(S("abcdef"), 1, 5));
	T_CHECK("string max counts code points", valid_string(S("\xc3\xa9\xc3\xa9\xc3\xa9"), 1, 3));
	T_CHECK("string 4 chars over 3", !valid_string(S("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), 1, 3));
	T_CHECK("string tab refused", !valid_string(S("a\tb"), 0, 10));
	T_CHECK("string LF refused", !valid_string(S("a\nb"), 0, 10));
	T_CHECK("string DEL refused", !valid_string(S("a\x7f"), 0, 10));
	T_CHECK("string C1 refused", !valid_string(S("a\xc2\x85"), 0, 10));
	T_CHECK("string U+00A0 ok", valid_string(S("a\xc2\xa0"), 0, 10));
	T_CHECK("string NUL refused", !valid_string(S("a\0b"), 0, 10));
	T_CHECK("string invalid utf8", !valid_string(S("a\xff"), 0, 10));
	T_CHECK("text allows newlines", valid_text(S("line1\r\nline2\tx"), 0, 100));
	T_CHECK("text refuses NUL", !valid_text(S("a\0"), 0, 100));
	T_CHECK("text refuses ESC", !valid_text(S("a\x1b[31m"), 0, 100));
	T_CHECK("text over max", !valid_text(S("abc"), 0, 2));
}

static void
test_bool(void)
{
	int b = -1;
	T_CHECK("bool 1", valid_bool(S("1"), &b) && b == 1);
	T_CHECK("bool on", valid_bool(S("on"), &b) && b == 1);
	T_CHECK("bool true", valid_bool(S("true"), &b) && b == 1);
	T_CHECK("bool yes", valid_bool(S("yes"), &b) && b == 1);
	T_CHECK("bool 0", valid_bool(S("0"), &b) && b == 0);
	T_CHECK("bool false", valid_bool(S("false"), &b) && b == 0);
	T_CHECK("bool off", valid_bool(S("off"), &b) && b == 0);
	T_CHECK("bool no", valid_bool(S("no"), &b) && b == 0);
	T_CHECK("bool TRUE refused", !valid_bool(S("TRUE"), &b));
	T_CHECK("bool 2 refused", !valid_bool(S("2"), &b));
	T_CHECK("bool empty refused", !valid_bool(S(""), &b));
}

static void
test_local_path(void)
{
	T_CHECK("next root", valid_local_path(S("/")));
	T_CHECK("next path+query", valid_local_path(S("/videos/a?page=2#top")));
	T_CHECK("next empty", !valid_local_path(S("")));
	T_CHECK("next relative", !valid_local_path(S("videos")));
	T_CHECK("next scheme", !valid_local_path(S("https://evil.example/")));
	T_CHECK("next javascript", !valid_local_path(S("javascript:alert(1)")));
	T_CHECK("next protocol-relative", !valid_local_path(S("//evil.example/")));
	T_CHECK("next backslash host", !valid_local_path(S("/\\evil.example/")));
	T_CHECK("next backslash inside", !valid_local_path(S("/a\\b")));
	T_CHECK("next CR LF", !valid_local_path(S("/a\r\nSet-Cookie: x=y")));
	T_CHECK("next tab", !valid_local_path(S("/\t/evil.example")));
	T_CHECK("next space", !valid_local_path(S("/a b")));
	T_CHECK("next NUL", !valid_local_path(S("/a\0")));
	T_CHECK("next non-ascii", !valid_local_path(S("/caf\xc3\xa9")));
	T_CHECK("next percent-encoded ok", valid_local_path(S("/caf%C3%A9")));
	char p[VALID_LOCAL_PATH_MAX + 2];
	memset(p, 'a', sizeof p);
	p[0] = '/';
	T_CHECK("next at max length", valid_local_path(p, VALID_LOCAL_PATH_MAX));
	T_CHECK("next over max length", !valid_local_path(p, VALID_LOCAL_PATH_MAX + 1));
}

static void
test_rules(void)
{
	struct arena *a = arena_new();
	const struct valid_rule r_int = V_INT(1, 100), r_enum = V_ENUM("newest", "views"),
	    r_str = V_STRING(2, 4), r_bool = V_BOOL, r_slug = V_SLUG;
	long long n = -1;
	T_CHECK("rule int ok", valid_check(&r_int, S("42"), &n) && n == 42);
	T_CHECK("rule int bad", !valid_check(&r_int, S("0"), &n));
	T_CHECK("rule enum index", valid_check(&r_enum, S("views"), &n) && n == 1);
	T_CHECK("rule string bounds", valid_check(&r_str, S("ab"), &n) && !valid_check(&r_str, S("a"), &n));
	T_CHECK("rule bool num", valid_check(&r_bool, S("on"), &n) && n == 1);
	T_CHECK("rule slug", valid_check(&r_slug, S("a-b"), &n) && n == 0);
	T_STREQ("describe int", valid_describe(&r_int, a), "a whole number from 1 to 100");
	T_STREQ("describe enum", valid_describe(&r_enum, a), "one of: newest, views");
	arena_free(a);
}

static void
test_decode(void)
{
	struct arena *a = arena_new();
	char *out = NULL;
	size_t n = 0;
	T_CHECK("decode plain", decode_pct(a, S("abc"), 0, &out, &n) == DECODE_OK && n == 3 &&
	    strcmp(out, "abc") == 0);
	T_CHECK("decode escapes", decode_pct(a, S("a%20b%2Fc"), 0, &out, &n) == DECODE_OK &&
	    strcmp(out, "a b/c") == 0);
	T_CHECK("decode lowercase hex", decode_pct(a, S("%c3%a9"), 0, &out, &n) == DECODE_OK &&
	    strcmp(out, "\xc3\xa9") == 0);
	T_CHECK("decode plus kept without flag", decode_pct(a, S("a+b"), 0, &out, &n) == DECODE_OK &&
	    strcmp(out, "a+b") == 0);
	T_CHECK("decode plus as space", decode_pct(a, S("a+b"), DECODE_PLUS, &out, &n) == DECODE_OK &&
	    strcmp(out, "a b") == 0);
	T_CHECK("decode %2B stays plus", decode_pct(a, S("%2B"), DECODE_PLUS, &out, &n) == DECODE_OK &&
	    strcmp(out, "+") == 0);
	T_CHECK("decode empty", decode_pct(a, S(""), 0, &out, &n) == DECODE_OK && n == 0);
	T_CHECK("decode lone %", decode_pct(a, S("%"), 0, &out, &n) == DECODE_BAD_ESCAPE);
	T_CHECK("decode % + one digit at end", decode_pct(a, S("a%4"), 0, &out, &n) == DECODE_BAD_ESCAPE);
	T_CHECK("decode bad hex", decode_pct(a, S("%zz"), 0, &out, &n) == DECODE_BAD_ESCAPE);
	T_CHECK("decode half hex", decode_pct(a, S("%4g"), 0, &out, &n) == DECODE_BAD_ESCAPE);
	T_CHECK("decode %00", decode_pct(a, S("a%00b"), 0, &out, &n) == DECODE_NUL);
	T_CHECK("decode raw NUL", decode_pct(a, S("a\0b"), 0, &out, &n) == DECODE_NUL);
	T_CHECK("decode invalid utf8", decode_pct(a, S("%ff"), 0, &out, &n) == DECODE_BAD_UTF8);
	T_CHECK("decode overlong slash", decode_pct(a, S("%c0%af"), 0, &out, &n) == DECODE_BAD_UTF8);
	T_CHECK("decode raw invalid utf8", decode_pct(a, S("\xff"), 0, &out, &n) == DECODE_BAD_UTF8);
	out = NULL;
	T_CHECK("decode error leaves out", decode_pct(a, S("ab%"), 0, &out, &n) != DECODE_OK &&
	    out == NULL);
	T_CHECK("decode strerror", strstr(decode_strerror(DECODE_NUL), "NUL") != NULL);
	arena_free(a);
}

int
main(void)
{
	test_utf8();
	test_slug();
	test_uuid();
	test_int();
	test_enum();
	test_email();
	test_string();
	test_bool();
	test_local_path();
	test_rules();
	test_decode();
	return t_done("test_valid");
}
