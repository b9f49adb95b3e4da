/*
 * test_webhook.c - Marquee-Signature: known vectors (checked against
 * Python's hmac module), tolerance boundaries, rotation, malformed headers.
 */
#include "t.h"

#include "buf.h"
#include "webhook.h"

#include <stdio.h>
#include <string.h>

#define BODY "{\"id\":\"evt_1\"}"
#define T0 1700000000LL
#define SIG_OK "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"
#define SIG_OTHER "515a3031824b00e34efe5c1eaad1d027d66f4eb5e5ae600163ea15eed4a59f3b"

static const char *const one[] = {"whsec_test"};

static int
verify(const char *hdr, long long now)
{
	const char *why = NULL;
	int rc = webhook_verify(hdr, BODY, strlen(BODY), one, 1, now, 300, &why);
	if (rc < 0 && why == NULL)
		return -2;   /* a failure must say why */
	return rc;
}

static void
test_sign(void)
{
	struct buf b = BUF_INIT;
	const char *why = "unset";

	webhook_sign(&b, "whsec_test", T0, BODY, strlen(BODY));
	T_STREQ("sign: known vector", b.data, "t=1700000000,v1=" SIG_OK);
	buf_reset(&b);
	webhook_sign(&b, "k", 5, "", 0);
	T_STREQ("sign: empty body", b.data, "t=5,v1=" SIG_OTHER);
	T_CHECK("verify: empty body", webhook_verify(b.data, "", 0,
	    (const char *const[]){"k"}, 1, 5, 300, &why) == 0);
	buf_free(&b);
}

static void
test_verify(void)
{
	T_CHECK("verify: ok", verify("t=1700000000,v1=" SIG_OK, T0) == 0);
	T_CHECK("verify: upper-case hex", verify("t=1700000000,v1="
	    "C89214B5B5DA833DAED6F0B8C5BB6BD58CEA9022BD80CCC78230F3942D632925", T0) == 0);
	T_CHECK("verify: space after comma", verify("t=1700000000, v1=" SIG_OK, T0) == 0);
	T_CHECK("verify: order v1 then t", verify("v1=" SIG_OK ",t=1700000000", T0) == 0);
	T_CHECK("verify: unknown key ignored", verify("t=1700000000,v0=zz,v1=" SIG_OK, T0) == 0);
	T_CHECK("verify: second of two v1", verify("t=1700000000,v1=" SIG_OTHER ",v1=" SIG_OK, T0) == 0);
	T_CHECK("verify: wrong sig", verify("t=1700000000,v1=" SIG_OTHER, T0) == -1);
	T_CHECK("verify: t changed", verify("t=1700000001,v1=" SIG_OK, T0) == -1);

	/* tolerance boundary: 300 s either side */
	T_CHECK("tolerance: +300 ok", verify("t=1700000000,v1=" SIG_OK, T0 + 300) == 0);
	T_CHECK("tolerance: +301 stale", verify("t=1700000000,v1=" SIG_OK, T0 + 301) == -1);
	T_CHECK("tolerance: -300 ok", verify("t=1700000000,v1=" SIG_OK, T0 - 300) == 0);
	T_CHECK("tolerance: -301 future", verify("t=1700000000,v1=" SIG_OK, T0 - 301) == -1);
	{
		const char *why = NULL;
		T_CHECK("tolerance: 0 means default 300", webhook_verify("t=1700000000,v1=" SIG_OK,
		    BODY, strlen(BODY), one, 1, T0 + 300, 0, &why) == 0);
	}

	/* body changed by one byte, and truncated */
	{
		const char *why = NULL;
		T_CHECK("verify: body altered", webhook_verify("t=1700000000,v1=" SIG_OK,
		    "{\"id\":\"evt_2\"}", strlen(BODY), one, 1, T0, 300, &why) == -1);
		T_CHECK("verify: body truncated", webhook_verify("t=1700000000,v1=" SIG_OK,
		    BODY, strlen(BODY) - 1, one, 1, T0, 300, &why) == -1);
	}
}

static void
test_rotation(void)
{
	const char *why = NULL;
	const char *const cur_prev[] = {"whsec_new", "whsec_test"};
	const char *const with_empty[] = {"", NULL, "whsec_test"};
	const char *const none[] = {"", NULL};

	T_CHECK("rotation: previous secret accepted", webhook_verify("t=1700000000,v1=" SIG_OK,
	    BODY, strlen(BODY), cur_prev, 2, T0, 300, &why) == 0);
	T_CHECK("rotation: empty/NULL secrets skipped", webhook_verify("t=1700000000,v1=" SIG_OK,
	    BODY, strlen(BODY), with_empty, 3, T0, 300, &why) == 0);
	T_CHECK("rotation: no usable secret refuses", webhook_verify("t=1700000000,v1=" SIG_OK,
	    BODY, strlen(BODY), none, 2, T0, 300, &why) == -1);
	T_CHECK("rotation: zero secrets refuses", webhook_verify("t=1700000000,v1=" SIG_OK,
	    BODY, strlen(BODY), NULL, 0, T0, 300, &why) == -1);
	/* The empty secret must never verify a signature made with "". */
	{
		struct buf b = BUF_INIT;
		webhook_sign(&b, "", T0, BODY, strlen(BODY));
		T_CHECK("rotation: empty secret never matches", webhook_verify(b.data,
		    BODY, strlen(BODY), none, 2, T0, 300, &why) == -1);
		buf_free(&b);
	}
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		"", "t", "t=", "=1", ",", "t=1700000000", "v1=" SIG_OK,
		"t=abc,v1=" SIG_OK, "t=-1700000000,v1=" SIG_OK, "t=+1700000000,v1=" SIG_OK,
		"t=1700000000,t=1700000000,v1=" SIG_OK,
		"t=1700000000,v1=" SIG_OK "0", "t=1700000000,v1=" "c89214b5",
		"t=1700000000,v1=g89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925",
		"t=1700000000,v1=",
		"t=1700000000 ,v1=" SIG_OK, "t=1700000000,v1=" SIG_OK " ",
		"t=1234567890123,v1=" SIG_OK,
		"t=1700000000,,v1=" SIG_OK,
	};
	char name[64];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(name, sizeof name, "malformed #%zu refused", i);
		T_CHECK(name, verify(bad[i], T0) == -1);
	}
	T_CHECK("malformed: NULL header", verify(NULL, T0) == -1);

	/* max 8 signatures: the 8th may match, a 9th is refused */
	{
		char hdr[1024];
		strcpy(hdr, "t=1700000000");
		for (int i = 0; i < 7; i++)
			strcat(hdr, ",v1=" SIG_OTHER);
		strcat(hdr, ",v1=" SIG_OK);
		T_CHECK("limit: 8 signatures ok", verify(hdr, T0) == 0);
		strcat(hdr, ",v1=" SIG_OK);
		T_CHECK("limit: 9 signatures refused", verify(hdr, T0) == -1);
	}
	/* header length limit: 1024 bytes ok, 1025 refused */
	{
		char hdr[WEBHOOK_HEADER_MAX + 2];
		size_t n = strlen("t=1700000000,v1=" SIG_OK ",x=");
		memcpy(hdr, "t=1700000000,v1=" SIG_OK ",x=", n);
		memset(hdr + n, 'a', WEBHOOK_HEADER_MAX - n);
		hdr[WEBHOOK_HEADER_MAX] = '\0';
		T_CHECK("limit: 1024-byte header ok", verify(hdr, T0) == 0);
		hdr[WEBHOOK_HEADER_MAX] = 'a';
		hdr[WEBHOOK_HEADER_MAX + 1] = '\0';
		T_CHECK("limit: 1025-byte header refused", verify(hdr, T0) == -1);
	}
}

int
main(void)
{
	test_sign();
	test_verify();
	test_rotation();
	test_malformed();
	return t_done("test_webhook");
}
