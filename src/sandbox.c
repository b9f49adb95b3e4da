/*
 * sandbox.c - see sandbox.h.
 *
 * The allow-list is one table of system call names, each with the reason
 * it is there and, where the call can do more than the worker needs, a
 * condition on its arguments.  Names are resolved on the running
 * architecture; one that does not exist there (open, poll and dup2 are not
 * on arm64, whose libc uses openat, ppoll and dup3) is skipped.  The list
 * was taken from strace -f of workers under the integration tests,
 * including a PostgreSQL restart (reconnect) and the stop signals.
 */
#include "sandbox.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Privileges: a worker that could become root again must not serve. */
static int
check_unprivileged(void)
{
	if (getuid() == 0 || geteuid() == 0 || getgid() == 0 || getegid() == 0) {
		log_error("sandbox: the worker runs as root; refusing to serve");
		return -1;
	}
	if (setuid(0) == 0 || setgid(0) == 0) {
		log_error("sandbox: the worker could regain root (setuid(0) succeeded); "
		    "refusing to serve");
		return -1;
	}
	return 0;
}

#ifdef MARQUEE_SECCOMP

#include <fcntl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>

enum cond {
	COND_NONE,
	COND_OPEN_RDONLY_ARG1,   /* open(path, flags): read-only, no O_CREAT */
	COND_OPEN_RDONLY_ARG2,   /* openat(dirfd, path, flags): the same */
	COND_NO_EXEC_ARG2,       /* mmap/mprotect(addr, len, prot): never PROT_EXEC */
	COND_SOCKET_DOMAIN,      /* socket(domain): unix, IPv4, IPv6 only */
	COND_SELF_ARG0,          /* tgkill(tgid, ...): own process only */
	COND__MAX
};

static const struct allow {
	const char *name;
	enum cond   cond;
} allow[] = {
	/* requests: accept on fd 0, libfcgi's and libpq's I/O and waits */
	{"accept", COND_NONE}, {"accept4", COND_NONE},
	{"read", COND_NONE}, {"readv", COND_NONE}, {"write", COND_NONE}, {"writev", COND_NONE},
	{"recvfrom", COND_NONE}, {"recvmsg", COND_NONE},
	{"sendto", COND_NONE}, {"sendmsg", COND_NONE},
	{"poll", COND_NONE}, {"ppoll", COND_NONE}, {"select", COND_NONE}, {"pselect6", COND_NONE},
	{"shutdown", COND_NONE}, {"close", COND_NONE}, {"fcntl", COND_NONE},
	/* PostgreSQL (re)connection over a unix or TCP socket */
	{"socket", COND_SOCKET_DOMAIN}, {"connect", COND_NONE},
	{"getsockopt", COND_NONE}, {"setsockopt", COND_NONE},
	{"getsockname", COND_NONE}, {"getpeername", COND_NONE},
	/* libpq on reconnect: ~/.pgpass, service files, passwd (read-only) */
	{"open", COND_OPEN_RDONLY_ARG1}, {"openat", COND_OPEN_RDONLY_ARG2},
	{"fstat", COND_NONE}, {"newfstatat", COND_NONE}, {"stat", COND_NONE},
	{"lstat", COND_NONE}, {"statx", COND_NONE}, {"lseek", COND_NONE},
	{"access", COND_NONE}, {"faccessat", COND_NONE}, {"faccessat2", COND_NONE},
	{"getuid", COND_NONE}, {"geteuid", COND_NONE}, {"getgid", COND_NONE},
	{"getegid", COND_NONE},
	/* memory (malloc, jansson, libpq); never executable */
	{"brk", COND_NONE}, {"mmap", COND_NO_EXEC_ARG2}, {"mprotect", COND_NO_EXEC_ARG2},
	{"munmap", COND_NONE}, {"mremap", COND_NONE}, {"madvise", COND_NONE},
	/* time, randomness (libsodium), locks */
	{"clock_gettime", COND_NONE}, {"gettimeofday", COND_NONE},
	{"nanosleep", COND_NONE}, {"clock_nanosleep", COND_NONE},
	{"getrandom", COND_NONE}, {"futex", COND_NONE},
	/* signals: stop handlers, SIGPIPE ignored, abort() on out of memory */
	{"rt_sigreturn", COND_NONE}, {"rt_sigaction", COND_NONE},
	{"rt_sigprocmask", COND_NONE}, {"restart_syscall", COND_NONE},
	{"getpid", COND_NONE}, {"gettid", COND_NONE}, {"getppid", COND_NONE},
	{"tgkill", COND_SELF_ARG0},
	/* the stop trick (worker.c): /dev/null, opened before the filter, over fd 0 */
	{"dup2", COND_NONE}, {"dup3", COND_NONE},
	{"exit", COND_NONE}, {"exit_group", COND_NONE},
};

/* Add the rule(s) for one allowed call; returns libseccomp's result (0 or -errno). */
static int
add_rule(scmp_filter_ctx ctx, int nr, enum cond cond)
{
	const unsigned long long wr = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
	switch (cond) {
	case COND_NONE:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	case COND_OPEN_RDONLY_ARG1:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, wr, 0));
	case COND_OPEN_RDONLY_ARG2:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, wr, 0));
	case COND_NO_EXEC_ARG2:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case COND_SOCKET_DOMAIN: {
		static const int domains[] = {AF_UNIX, AF_INET, AF_INET6};
		for (size_t i = 0; i < NELEM(domains); i++) {
			int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)domains[i]));
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	case COND_SELF_ARG0:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	case COND__MAX:
		break;
	}
	return -EINVAL;
}

static int
load_filter(enum sandbox_mode mode)
{
	/* KILL_PROCESS, not KILL (thread): the master must see the SIGSYS death. */
	uint32_t deny = mode == SANDBOX_LOG ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS;
	scmp_filter_ctx ctx = seccomp_init(deny);
	if (ctx == NULL) {
		log_error("sandbox: seccomp_init failed; refusing to serve unconfined");
		return -1;
	}
	int rc = 0;
	const char *what = "seccomp_attr_set(NO_NEW_PRIVS)";
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	for (size_t i = 0; rc == 0 && i < NELEM(allow); i++) {
		int nr = seccomp_syscall_resolve_name(allow[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue;   /* not a system call on this architecture */
		what = allow[i].name;
		rc = add_rule(ctx, nr, allow[i].cond);
	}
	if (rc == 0) {
		what = "seccomp_load";
		rc = seccomp_load(ctx);
	}
	seccomp_release(ctx);
	if (rc < 0) {
		log_error("sandbox: %s: %s; refusing to serve unconfined", what, strerror(-rc));
		return -1;
	}
	return 0;
}

int
sandbox_apply(enum sandbox_mode mode)
{
	if (check_unprivileged() < 0)
		return -1;
	if (mode == SANDBOX_OFF)
		return 0;
	return load_filter(mode);
}

#else /* !MARQUEE_SECCOMP */

int
sandbox_apply(enum sandbox_mode mode)
{
	if (check_unprivileged() < 0)
		return -1;
	if (mode != SANDBOX_OFF)
		log_warn("sandbox: built with --disable-seccomp; the worker runs without "
		    "its system call filter");
	return 0;
}

#endif
