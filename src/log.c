/*
 * log.c - see log.h.
 */
#include "log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static char request_id[64];

/*
 * Set when a write came short (the disk filled up mid-record): the log then
 * ends inside a record, and the next record written, by whichever process,
 * starts with a newline that ends the fragment.  After log_share() the flag
 * lives in a shared page that the workers inherit, since they all append to
 * the same stderr.
 */
static atomic_int torn_local;
static atomic_int *torn = &torn_local;

static const char *const level_names[LOG__MAX] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO]  = "info",
	[LOG_WARN]  = "warn",
	[LOG_ERROR] = "error",
};

void
log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < LOG__MAX; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_set_request_id(const char *rid)
{
	if (rid == NULL)
		request_id[0] = '\0';
	else
		snprintf(request_id, sizeof request_id, "%s", rid);
}

int
log_share(void)
{
	atomic_int *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	atomic_init(p, atomic_load(torn));
	torn = p;
	return 0;
}

void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	if (lvl < min_level || lvl >= LOG__MAX)
		return;
	char out[LOG_LINE_MAX + 1];   /* out[0]: the newline that ends a torn record */
	char *line = out + 1;
	int n;
	if (request_id[0])
		n = snprintf(line, LOG_LINE_MAX, "%s pid=%ld rid=%s ", level_names[lvl],
		    (long)getpid(), request_id);
	else
		n = snprintf(line, LOG_LINE_MAX, "%s pid=%ld ", level_names[lvl], (long)getpid());
	if (n < 0)
		return;
	size_t len = (size_t)n;
	int m = vsnprintf(line + len, LOG_LINE_MAX - len, fmt, ap);
	if (m < 0)
		return;
	len += (size_t)m;
	if (len > LOG_LINE_MAX - 2)
		len = LOG_LINE_MAX - 2;   /* truncated record */
	/* One record, one line: fold embedded newlines. */
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[len++] = '\n';
	int saved = errno;
	int lead = atomic_exchange(torn, 0);
	const char *rec = lead ? (out[0] = '\n', out) : line;
	len += (size_t)lead;
	ssize_t w;
	do
		w = write(STDERR_FILENO, rec, len);
	while (w < 0 && errno == EINTR);
	/* Does the log end mid-record now?  Nothing written: as before; part of
	 * this record (more than its leading newline): yes. */
	size_t done = w > 0 ? (size_t)w : 0;
	if (done == 0 ? lead : done < len && done > (size_t)lead)
		atomic_store(torn, 1);
	errno = saved;   /* a failed log write must not disturb the caller */
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}
