/*
 * fuzz_webhook.c - libFuzzer harness for the Marquee-Signature header
 * (webhook_parse / webhook_verify).  The input is split at the first
 * newline: before it the header, after it the body.  Any bytes must give
 * 0 or -1 with a reason, never a crash or a read past the input; a header
 * that webhook_sign produced for the body must always verify.
 *
 * Build and run: make fuzz-webhook [FUZZ_TIME=seconds].
 */
#include "buf.h"
#include "webhook.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const secrets[] = {"fuzz-secret", "fuzz-previous"};
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - data) : size;
	const char *body = nl ? (const char *)nl + 1 : "";
	size_t blen = nl ? size - hlen - 1 : 0;
	char *hdr = malloc(hlen + 1);
	const char *why = NULL;
	long long t;
	unsigned char sigs[WEBHOOK_MAX_SIGS][32];
	size_t nsigs;
	struct buf b = BUF_INIT;

	if (hdr == NULL)
		return 0;
	memcpy(hdr, data, hlen);
	hdr[hlen] = '\0';
	if (webhook_parse(hdr, &t, sigs, WEBHOOK_MAX_SIGS, &nsigs, &why) < 0 && why == NULL)
		__builtin_trap();
	why = NULL;
	if (webhook_verify(hdr, body, blen, secrets, 2, 1700000000, 300, &why) < 0 && why == NULL)
		__builtin_trap();
	/* round trip: our own signature over this body verifies */
	webhook_sign(&b, secrets[1], 1700000000, body, blen);
	if (webhook_verify(b.data, body, blen, secrets, 2, 1700000000, 300, &why) != 0)
		__builtin_trap();
	buf_free(&b);
	free(hdr);
	return 0;
}
