/*
 * log.c - see log.h.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static char request_id[64];

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

void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	if (lvl < min_level || lvl >= LOG__MAX)
		return;
	char line[LOG_LINE_MAX];
	int n;
	if (request_id[0])
		n = snprintf(line, sizeof line, "%s pid=%ld rid=%s ", level_names[lvl],
		    (long)getpid(), request_id);
	else
		n = snprintf(line, sizeof line, "%s pid=%ld ", level_names[lvl], (long)getpid());
	if (n < 0)
		return;
	size_t len = (size_t)n;
	int m = vsnprintf(line + len, sizeof line - len, fmt, ap);
	if (m < 0)
		return;
	len += (size_t)m;
	if (len > sizeof line - 2)
		len = sizeof line - 2;   /* truncated record */
	/* One record, one line: fold embedded newlines. */
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[len++] = '\n';
	int saved = errno;
	ssize_t w;
	do
		w = write(STDERR_FILENO, line, len);
	while (w < 0 && errno == EINTR);
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
