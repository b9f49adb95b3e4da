/*
 * sandbox.h - confine a worker once it has started: verify that it cannot
 * regain root, then install a seccomp allow-list of the system calls that
 * serving requests needs (libseccomp, Linux).
 *
 * The allow-list is built for the worker's steady state only: accept on the
 * inherited socket, libfcgi and libpq I/O, (re)connecting to PostgreSQL over
 * a unix or TCP socket, memory management, clocks, randomness (libsodium)
 * and the signal handling of worker.c.  Files may be opened read-only only
 * (libpq reads ~/.pgpass, service files and the passwd database when it
 * reconnects); nothing can be created or written, no program executed, no
 * process traced, no privilege changed, no memory made executable.
 *
 * It is not a sandbox for the master (which forks, reads configuration on
 * reload and kills workers) nor for marqueectl.  Built with
 * ./configure --disable-seccomp (implied by --enable-sanitizers, whose
 * runtimes need calls the list refuses) only the privilege check remains.
 */
#ifndef MARQUEE_SANDBOX_H
#define MARQUEE_SANDBOX_H

/* The `sandbox` configuration key; stored in struct config as its index. */
enum sandbox_mode {
	SANDBOX_ENFORCE,   /* a call outside the list kills the process (SIGSYS) */
	SANDBOX_LOG,       /* development: such calls run and are logged by the kernel (audit) */
	SANDBOX_OFF,       /* no filter (the privilege check still runs) */
	SANDBOX__MAX
};

/*
 * Confine the calling process for good (a filter cannot be removed), in a
 * worker after its start-up and before its first request.  First checks
 * that the process is not root and that setuid(0)/setgid(0) fail, then
 * (mode ENFORCE or LOG, seccomp compiled in) sets no_new_privs and loads the
 * filter.  Returns 0 on success; -1 if the process must not serve (running
 * as root, root regainable, or the filter could not be installed: fail
 * closed), after logging why.
 */
int sandbox_apply(enum sandbox_mode mode);

#endif
