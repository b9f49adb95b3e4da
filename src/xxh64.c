/*
 * xxh64.c - XXH64 (see xxh64.h): four lanes over 32-byte stripes, then the
 * tail in 8-, 4- and 1-byte steps, then the final avalanche.
 */
#include "xxh64.h"

#include <string.h>

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t
rotl(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* n (4 or 8) bytes at p as a little-endian number, whatever the host's
 * byte order: on a big-endian host the bytes copied to the front of v are
 * its high ones, and the swap brings them down in the right order. */
static inline uint64_t
read_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, p, n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t
round64(uint64_t acc, uint64_t lane)
{
	acc += lane * P2;
	acc = rotl(acc, 31);
	return acc * P1;
}

static inline uint64_t
merge(uint64_t acc, uint64_t v)
{
	acc ^= round64(0, v);
	return acc * P1 + P4;
}

uint64_t
xxh64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data, *end = p + n;
	uint64_t acc;
	if (n >= 32) {
		uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
		const unsigned char *last = end - 32;
		do {
			v1 = round64(v1, read_le(p, 8));
			v2 = round64(v2, read_le(p + 8, 8));
			v3 = round64(v3, read_le(p + 16, 8));
			v4 = round64(v4, read_le(p + 24, 8));
			p += 32;
		} while (p <= last);
		acc = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
		acc = merge(acc, v1);
		acc = merge(acc, v2);
		acc = merge(acc, v3);
		acc = merge(acc, v4);
	} else {
		acc = seed + P5;
	}
	acc += (uint64_t)n;
	for (; end - p >= 8; p += 8) {
		acc ^= round64(0, read_le(p, 8));
		acc = rotl(acc, 27) * P1 + P4;
	}
	if (end - p >= 4) {
		acc ^= (uint64_t)read_le(p, 4) * P1;
		acc = rotl(acc, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++) {
		acc ^= (uint64_t)*p * P5;
		acc = rotl(acc, 11) * P1;
	}
	acc ^= acc >> 33;
	acc *= P2;
	acc ^= acc >> 29;
	acc *= P3;
	acc ^= acc >> 32;
	return acc;
}
