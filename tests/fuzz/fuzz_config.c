/*
 * fuzz_config.c - libFuzzer harness for the configuration file parser
 * (config_parse): any bytes must give 0 or -1 with a message, never a
 * crash, a leak or a read past the input.
 *
 * Build and run: make fuzz-config [FUZZ_TIME=seconds].
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[256];
	config_defaults(&cfg);
	err[0] = '\0';
	/* The input is not NUL-terminated: the parser must respect size. */
	if (config_parse(&cfg, "fuzz.conf", (const char *)data, size, err, sizeof err) < 0 &&
	    (err[0] == '\0' || strncmp(err, "fuzz.conf:", 10) != 0))
		__builtin_trap();   /* every failure must say where */
	config_free(&cfg);
	return 0;
}
