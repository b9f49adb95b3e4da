/*
 * log.h - line-oriented logging to stderr.
 *
 * Under spawn-fcgi -n the master's stderr is the service's stderr (journald
 * under systemd); workers inherit it, so every process writes straight to it.
 * Each record is one line, written with a single write(2) so lines from
 * concurrent workers never interleave (records are cut at LOG_LINE_MAX).
 *
 * Format:  LEVEL pid=N [rid=ID] message
 *   e.g.   error pid=812 rid=4f1c... db: query failed: ...
 * Access lines are info records whose message is "access" and key=value
 * fields (worker.c).
 *
 * A failed write (disk full, closed pipe) is dropped silently: logging never
 * fails a request.  A record cut short (the disk filled up mid-write) is
 * lost, and never swallows the next one: the next record written, by this
 * process or, after log_share(), any process forked from it, starts with a
 * newline that ends the fragment.  Not async-signal-safe; call from normal
 * context only.
 */
#ifndef MARQUEE_LOG_H
#define MARQUEE_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG__MAX
};

#define LOG_LINE_MAX 2048

/* Set the minimum level written (default LOG_INFO). */
void log_set_level(enum log_level lvl);
/* 1 if records of level lvl are written, else 0: skip building a costly one. */
int log_enabled(enum log_level lvl);

/* Parse "debug"/"info"/"warn"/"error"; returns 0 and sets *out, or -1. */
int log_level_parse(const char *s, enum log_level *out);

/* Set (or clear with NULL) the request id stamped on records of this process. */
void log_set_request_id(const char *rid);

/*
 * Share the "log ends mid-record" state with the processes forked after
 * this call (a MAP_SHARED page; they all write to the same stderr).  Call
 * once, in the master, before the first fork.  Returns 0, or -1 (mmap
 * failed: each process then only ends its own fragments).
 */
int log_share(void);

void log_msg(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);
/* A record whose message is text[0..n) as it is (no format): for the
 * access line, written for every request, which the worker builds without
 * printf. */
void log_text(enum log_level lvl, const char *text, size_t n);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
