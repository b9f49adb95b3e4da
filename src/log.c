/*
 * log.c - see log.h.
 */
#include "log.h"

#include <errno.h>
#include <pthread.h>
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
log_enabled(enum log_level lvl)
{
	return lvl >= min_level && lvl < LOG__MAX;
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

/*
 * This process's id as decimal text.  Kept, because getpid() is a system
 * call and a worker logs every request; forgotten in the child of every
 * fork (pthread_atfork), so a worker never stamps its master's id.
 */
static char pid_text[24];
static size_t pid_len;

static void
forget_pid(void)
{
	pid_len = 0;
}

static void
put_pid(char *dst, size_t *len)
{
	static int hooked;   /* 1: forget_pid runs in every child; -1: it could not be registered */
	if (hooked == 0)
		hooked = pthread_atfork(NULL, NULL, forget_pid) == 0 ? 1 : -1;
	if (pid_len == 0 || hooked < 0) {
		int n = snprintf(pid_text, sizeof pid_text, "%ld", (long)getpid());
		pid_len = n > 0 ? (size_t)n : 0;
	}
	memcpy(dst + *len, pid_text, pid_len);
	*len += pid_len;
}

static void
put_str(char *dst, size_t *len, const char *s)
{
	size_t n = strlen(s);
	memcpy(dst + *len, s, n);
	*len += n;
}

/* "LEVEL pid=N [rid=ID] " at line; returns its length (far below LOG_LINE_MAX). */
static size_t
put_prefix(char *line, enum log_level lvl)
{
	size_t len = 0;
	put_str(line, &len, level_names[lvl]);
	put_str(line, &len, " pid=");
	put_pid(line, &len);
	if (request_id[0]) {
		put_str(line, &len, " rid=");
		put_str(line, &len, request_id);
	}
	line[len++] = ' ';
	return len;
}

/* Finish the record at out + 1 (len bytes of it) and write it. */
static void
emit(char *out, size_t len)
{
	char *line = out + 1;
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
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	if (lvl < min_level || lvl >= LOG__MAX)
		return;
	char out[LOG_LINE_MAX + 1];   /* out[0]: the newline that ends a torn record */
	char *line = out + 1;
	size_t len = put_prefix(line, lvl);
	int m = vsnprintf(line + len, LOG_LINE_MAX - len, fmt, ap);
	if (m < 0)
		return;
	emit(out, len + (size_t)m);
}

void
log_text(enum log_level lvl, const char *text, size_t n)
{
	if (lvl < min_level || lvl >= LOG__MAX)
		return;
	char out[LOG_LINE_MAX + 1];
	char *line = out + 1;
	size_t len = put_prefix(line, lvl);
	if (n > LOG_LINE_MAX - len)
		n = LOG_LINE_MAX - len;
	memcpy(line + len, text, n);
	emit(out, len + n);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}
