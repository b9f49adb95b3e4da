/*
 * webhook.c - Marquee-Signature parsing, checking and signing (webhook.h).
 */
#include "webhook.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

/* Why 12 digits: unix seconds stay 10 digits until the year 2286; more is
 * not a timestamp and could overflow the arithmetic below. */
#define T_DIGITS_MAX 12

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
webhook_parse(const char *header, long long *t, unsigned char (*sigs)[32],
    size_t max, size_t *nsigs, const char **why)
{
	const char *p, *end;
	int have_t = 0;

	*nsigs = 0;
	*t = 0;
	if (header == NULL || *header == '\0') {
		*why = "missing signature header";
		return -1;
	}
	end = memchr(header, '\0', WEBHOOK_HEADER_MAX + 1);
	if (end == NULL) {
		*why = "signature header too long";
		return -1;
	}
	for (p = header; p < end;) {
		const char *item, *eq, *comma;
		size_t klen, vlen;

		while (p < end && *p == ' ')
			p++;
		item = p;
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		eq = memchr(item, '=', (size_t)(comma - item));
		if (eq == NULL || eq == item) {
			*why = "malformed signature header";
			return -1;
		}
		klen = (size_t)(eq - item);
		vlen = (size_t)(comma - eq - 1);
		if (klen == 1 && item[0] == 't') {
			long long v = 0;
			if (have_t || vlen == 0 || vlen > T_DIGITS_MAX) {
				*why = "bad timestamp";
				return -1;
			}
			for (size_t i = 0; i < vlen; i++) {
				char c = eq[1 + i];
				if (c < '0' || c > '9') {
					*why = "bad timestamp";
					return -1;
				}
				v = v * 10 + (c - '0');
			}
			*t = v;
			have_t = 1;
		} else if (klen == 2 && item[0] == 'v' && item[1] == '1') {
			if (vlen != 64) {
				*why = "bad v1 signature";
				return -1;
			}
			if (*nsigs >= max) {
				*why = "too many signatures";
				return -1;
			}
			for (size_t i = 0; i < 32; i++) {
				int hi = hexval(eq[1 + 2 * i]), lo = hexval(eq[2 + 2 * i]);
				if (hi < 0 || lo < 0) {
					*why = "bad v1 signature";
					return -1;
				}
				sigs[*nsigs][i] = (unsigned char)(hi << 4 | lo);
			}
			(*nsigs)++;
		}
		/* other keys (future schemes) are skipped */
		p = comma < end ? comma + 1 : end;
	}
	if (!have_t) {
		*why = "no timestamp";
		return -1;
	}
	if (*nsigs == 0) {
		*why = "no v1 signature";
		return -1;
	}
	return 0;
}

static void
mac(unsigned char out[32], const char *secret, long long t, const char *body, size_t len)
{
	crypto_auth_hmacsha256_state st;
	struct buf prefix = BUF_INIT;

	buf_put_i64(&prefix, t);
	buf_putc(&prefix, '.');
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix.data, prefix.len);
	if (len > 0)
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
	buf_free(&prefix);
}

int
webhook_verify(const char *header, const char *body, size_t len,
    const char *const *secrets, size_t nsecrets, long long now, int tolerance_s,
    const char **why)
{
	unsigned char sigs[WEBHOOK_MAX_SIGS][32], want[32];
	size_t nsigs;
	long long t, d;
	int ok = 0;

	if (webhook_parse(header, &t, sigs, WEBHOOK_MAX_SIGS, &nsigs, why) < 0)
		return -1;
	if (tolerance_s <= 0)
		tolerance_s = WEBHOOK_DEFAULT_TOLERANCE;
	d = now - t;
	if (d > tolerance_s || d < -(long long)tolerance_s) {
		*why = "timestamp outside tolerance";
		return -1;
	}
	for (size_t k = 0; k < nsecrets; k++) {
		if (secrets[k] == NULL || secrets[k][0] == '\0')
			continue;
		mac(want, secrets[k], t, body, len);
		/* Every pair is compared, so timing does not tell which matched. */
		for (size_t i = 0; i < nsigs; i++)
			ok |= sodium_memcmp(want, sigs[i], sizeof want) == 0;
	}
	sodium_memzero(want, sizeof want);
	if (!ok) {
		*why = "signature mismatch";
		return -1;
	}
	return 0;
}

void
webhook_sign(struct buf *out, const char *secret, long long t, const char *body, size_t len)
{
	unsigned char m[32];
	char hex[65];

	mac(m, secret, t, body, len);
	sodium_bin2hex(hex, sizeof hex, m, sizeof m);
	buf_puts(out, "t=");
	buf_put_i64(out, t);
	buf_puts(out, ",v1=");
	buf_puts(out, hex);
	sodium_memzero(m, sizeof m);
}
