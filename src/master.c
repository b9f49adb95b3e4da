/*
 * master.c - see master.h.
 *
 * Signals only set flags and write a byte to a self-pipe; everything runs
 * in the poll loop below, which also wakes every TICK_MS for the watchdog,
 * the back-off timer and the rolling reload.  Worker bookkeeping is the
 * array `kids`, index-aligned with the shared scoreboard `sb`.
 */
#include "master.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "log.h"
#include "util.h"
#include "worker.h"

/* Watchdog and timer resolution: a stuck request overruns by at most this. */
#define TICK_MS 200
/*
 * Scoreboard slots: the workers plus, during a rolling reload, the old ones
 * still finishing their requests.  Spawning waits for a free slot.
 */
#define NSLOTS (2 * CONFIG_WORKERS_MAX)
/* A worker dying this soon after start, not while serving, is a crash loop. */
#define FAST_DEATH_MS 1000
#define BACKOFF_FIRST_MS 100
/* Back-off is forgotten after this long without a crash-loop death. */
#define BACKOFF_RESET_MS 10000

struct kid {
	pid_t     pid;               /* 0: entry unused */
	unsigned  gen;               /* configuration generation it was forked with */
	int       retiring;          /* told to finish and exit */
	int       watchdog_killed;
	long long spawned_ms;
	long long retire_deadline_ms;
};

static struct {
	const char         *config_path;
	struct config      *cfg;
	struct app         *app;
	struct worker_slot *sb;
	struct kid          kids[NSLOTS];
	unsigned            gen;
	pid_t               pid;
	int                 pipe[2];
	int                 stopping;
	int                 stragglers_killed;
	long long           stop_deadline_ms;
	long long           backoff_ms, next_spawn_ms, last_fast_death_ms;
	int                 respawns;      /* workers that died unasked, not yet replaced */
	pid_t               died_pid;      /* the newest of them, for the respawn log line */
} m;

static volatile sig_atomic_t sig_chld, sig_hup, sig_stop;

static const int handled[] = {SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGQUIT};

static void
on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGCHLD)
		sig_chld = 1;
	else if (sig == SIGHUP)
		sig_hup = 1;
	else
		sig_stop = sig;
	char c = 0;
	(void)!write(m.pipe[1], &c, 1);   /* full pipe: a wake-up is already pending */
	errno = saved;
}

static const char *
signame(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{SIGHUP, "SIGHUP"}, {SIGINT, "SIGINT"}, {SIGQUIT, "SIGQUIT"},
		{SIGILL, "SIGILL"}, {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},
		{SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"}, {SIGKILL, "SIGKILL"},
		{SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
		{SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
		{SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
	};
	for (size_t i = 0; i < NELEM(names); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "another signal";
}

static int
live_count(void)
{
	int n = 0;
	for (int i = 0; i < NSLOTS; i++)
		n += m.kids[i].pid != 0;
	return n;
}

/* ---------------------------------------------------------------- spawning */

/* Free what the master owns, in a worker about to exit (valgrind-clean exits). */
static void
child_cleanup(void)
{
	free(m.app);
	config_free(m.cfg);
	free(m.cfg);
	munmap(m.sb, NSLOTS * sizeof *m.sb);
}

static void
block_handled(int how, sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NELEM(handled); i++)
		sigaddset(&set, handled[i]);
	sigprocmask(how, &set, old);
}

/* Fork one worker of the current generation.  Returns 0, or -1 if it could not. */
static int
spawn(long long now)
{
	int i = 0;
	while (i < NSLOTS && (m.kids[i].pid != 0 || atomic_load(&m.sb[i].state) != WORKER_FREE))
		i++;
	if (i == NSLOTS) {
		log_warn("master: all %d scoreboard slots busy; waiting for retiring workers", NSLOTS);
		return -1;
	}
	struct worker_slot *s = &m.sb[i];
	s->pid = 0;
	s->served = 0;
	s->path[0] = '\0';
	atomic_store(&s->seq, 0);
	atomic_store(&s->state, WORKER_STARTING);

	/*
	 * Block our signals across fork: the child must not run the master's
	 * handler (it would write into the master's pipe) before worker_run
	 * installs its own and unblocks.
	 */
	sigset_t old;
	block_handled(SIG_BLOCK, &old);
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		for (size_t k = 0; k < NELEM(handled); k++)
			sigaction(handled[k], &dfl, NULL);
		close(m.pipe[0]);
		close(m.pipe[1]);
		int rc = worker_run(m.app, s, STDIN_FILENO, m.pid);
		child_cleanup();
		exit(rc);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		log_error("master: fork failed: %s; retrying in 1 s", strerror(errno));
		atomic_store(&s->state, WORKER_FREE);
		m.next_spawn_ms = now + 1000;
		return -1;
	}
	m.kids[i] = (struct kid){.pid = pid, .gen = m.gen, .spawned_ms = now};
	s->pid = pid;
	if (m.respawns > 0) {
		m.respawns--;
		log_info("master: worker pid=%ld started (respawn after pid=%ld died)", (long)pid,
		    (long)m.died_pid);
	} else {
		log_info("master: worker pid=%ld started", (long)pid);
	}
	return 0;
}

/* Ask kid i to finish its request and exit (it exits at once if idle). */
static void
retire(int i, long long now)
{
	m.kids[i].retiring = 1;
	m.kids[i].retire_deadline_ms = now + m.cfg->shutdown_timeout * 1000LL;
	kill(m.kids[i].pid, SIGQUIT);
	log_info("master: retiring worker pid=%ld", (long)m.kids[i].pid);
}

/*
 * Bring the pool to cfg->workers workers of the current generation.  A
 * missing worker is spawned (after the back-off delay, if any).  During a
 * rolling reload one extra new worker is started; once it accepts, one old
 * worker is retired; repeat.
 */
static void
balance(long long now)
{
	for (;;) {
		int live = 0, cur = 0, cur_starting = 0, victim = -1;
		for (int i = 0; i < NSLOTS; i++) {
			const struct kid *k = &m.kids[i];
			if (k->pid == 0 || k->retiring)
				continue;
			live++;
			if (k->gen == m.gen) {
				cur++;
				cur_starting += atomic_load(&m.sb[i].state) == WORKER_STARTING;
			} else if (victim < 0 || atomic_load(&m.sb[i].state) == WORKER_IDLE) {
				victim = i;   /* prefer an idle old worker */
			}
		}
		int want = m.cfg->workers;
		/* Retire before spawning, so the pool never exceeds want + 1. */
		if (live > want && cur_starting == 0 && victim >= 0) {
			retire(victim, now);
			continue;
		}
		if (cur < want && (live < want || cur_starting == 0)) {
			if (now < m.next_spawn_ms || spawn(now) < 0)
				return;
			continue;
		}
		return;
	}
}

/* ---------------------------------------------------------------- reaping */

static void
log_death(pid_t pid, int status, const struct kid *k, int state, const char *path,
    unsigned long long served)
{
	const char *doing = state == WORKER_BUSY ? "serving " : state == WORKER_STARTING ?
	    "starting" : "idle";
	const char *where = state == WORKER_BUSY ? path : "";
	if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);
		if (code == 0)
			log_info("master: worker pid=%ld exited after %llu requests%s", (long)pid,
			    served, k->retiring || m.stopping ? " (retired)" :
			    served >= (unsigned long long)m.cfg->max_requests ? " (recycled)" : "");
		else
			log_error("master: worker pid=%ld exited with status %d while %s%s",
			    (long)pid, code, doing, where);
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (k->watchdog_killed)
			log_error("master: worker pid=%ld killed by the watchdog while %s%s",
			    (long)pid, doing, where);
		else
			log_error("master: worker pid=%ld killed by %s%s while %s%s", (long)pid,
			    signame(sig), sig == SIGSYS ? " (sandbox violation)" : "", doing, where);
	}
}

static void
reap(long long now)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int i = 0;
		while (i < NSLOTS && m.kids[i].pid != pid)
			i++;
		if (i == NSLOTS)
			continue;
		struct kid *k = &m.kids[i];
		struct worker_slot *s = &m.sb[i];
		int state = atomic_load(&s->state);
		char path[WORKER_PATH_MAX];
		memcpy(path, s->path, sizeof path);
		path[sizeof path - 1] = '\0';
		log_death(pid, status, k, state, path, s->served);

		int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (!clean && !k->retiring && !m.stopping) {
			m.respawns++;
			m.died_pid = pid;
		}
		int fast = !clean && !k->retiring && !k->watchdog_killed &&
		    state != WORKER_BUSY && now - k->spawned_ms < FAST_DEATH_MS;
		if (fast && !m.stopping) {
			long long cap = m.cfg->respawn_backoff_max * 1000LL;
			m.backoff_ms = m.backoff_ms ? m.backoff_ms * 2 : BACKOFF_FIRST_MS;
			if (m.backoff_ms > cap)
				m.backoff_ms = cap;
			m.next_spawn_ms = now + m.backoff_ms;
			m.last_fast_death_ms = now;
			log_warn("master: workers die right after start; next start in %lld ms",
			    m.backoff_ms);
		}
		memset(k, 0, sizeof *k);
		s->pid = 0;
		atomic_store(&s->state, WORKER_FREE);
	}
}

/* ---------------------------------------------------------------- timers */

static void
watchdog(long long now)
{
	long long limit = m.cfg->request_timeout * 1000LL;
	for (int i = 0; i < NSLOTS; i++) {
		struct kid *k = &m.kids[i];
		if (k->pid == 0 || k->watchdog_killed)
			continue;
		struct worker_slot *s = &m.sb[i];
		/* seq unchanged around the reads: state and start time belong to one request. */
		unsigned long long seq = atomic_load(&s->seq);
		int state = atomic_load(&s->state);
		long long started = atomic_load(&s->started_ms);
		if (state != WORKER_BUSY || now - started <= limit || atomic_load(&s->seq) != seq)
			continue;
		char path[WORKER_PATH_MAX];
		memcpy(path, s->path, sizeof path);
		path[sizeof path - 1] = '\0';
		kill(k->pid, SIGKILL);
		k->watchdog_killed = 1;
		log_error("watchdog: killed worker pid=%ld after %llds serving %s", (long)k->pid,
		    (now - started) / 1000, path);
	}
}

/* Retired workers that outlive shutdown_timeout are stuck: kill them. */
static void
retire_deadlines(long long now)
{
	for (int i = 0; i < NSLOTS; i++) {
		struct kid *k = &m.kids[i];
		if (k->pid != 0 && k->retiring && !k->watchdog_killed && now > k->retire_deadline_ms) {
			log_warn("master: retired worker pid=%ld still busy after %ds; killing it",
			    (long)k->pid, m.cfg->shutdown_timeout);
			kill(k->pid, SIGKILL);
			k->watchdog_killed = 1;
		}
	}
}

/* ---------------------------------------------------------------- signals */

static void
reload(void)
{
	char err[1024];
	struct config *cfg = xmalloc(sizeof *cfg);
	if (config_load(cfg, m.config_path, err, sizeof err) < 0) {
		log_error("reload: %s; keeping the running configuration and workers", err);
		free(cfg);
		return;
	}
	struct app *app = xmalloc(sizeof *app);
	if (app_init(app, cfg, err, sizeof err) < 0) {
		log_error("reload: %s; keeping the running configuration and workers", err);
		config_free(cfg);
		free(cfg);
		free(app);
		return;
	}
	app_free(m.app);
	free(m.app);
	config_free(m.cfg);
	free(m.cfg);
	m.app = app;
	m.cfg = cfg;
	log_set_level((enum log_level)cfg->log_level);
	m.gen++;
	log_info("reload: configuration and templates loaded; replacing %d workers one by one",
	    live_count());
}

static void
begin_stop(int sig, long long now)
{
	m.stopping = 1;
	m.stop_deadline_ms = now + m.cfg->shutdown_timeout * 1000LL;
	log_info("master: %s: stopping %d workers (up to %d s for requests in flight)",
	    signame(sig), live_count(), m.cfg->shutdown_timeout);
	for (int i = 0; i < NSLOTS; i++)
		if (m.kids[i].pid != 0)
			kill(m.kids[i].pid, SIGTERM);
}

static int
setup(void)
{
	if (pipe(m.pipe) < 0) {
		log_error("master: pipe: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(m.pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(m.pipe[i], F_SETFD, FD_CLOEXEC);
	}
	m.sb = mmap(NULL, NSLOTS * sizeof *m.sb, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m.sb == MAP_FAILED) {
		log_error("master: scoreboard: %s", strerror(errno));
		close(m.pipe[0]);
		close(m.pipe[1]);
		return -1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	for (size_t i = 0; i < NELEM(handled); i++)
		sigaction(handled[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

int
master_run(const char *config_path, struct config *cfg, struct app *app)
{
	memset(&m, 0, sizeof m);
	m.config_path = config_path;
	m.cfg = cfg;
	m.app = app;
	m.pid = getpid();
	if (setup() < 0) {
		app_free(app);
		free(app);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	log_info("master: pid=%ld, %d workers, configuration %s", (long)m.pid, cfg->workers,
	    cfg->path ? cfg->path : "(defaults and environment)");

	for (;;) {
		long long now = worker_now_ms();
		/* Every tick, not only on SIGCHLD: signals coalesce, zombies must not. */
		sig_chld = 0;
		reap(now);
		if (sig_stop && !m.stopping)
			begin_stop(sig_stop, now);
		if (sig_hup) {
			sig_hup = 0;
			if (!m.stopping)
				reload();
		}
		if (m.stopping) {
			if (live_count() == 0)
				break;
			if (now >= m.stop_deadline_ms && !m.stragglers_killed) {
				log_warn("master: %d workers still busy after %d s; killing them",
				    live_count(), m.cfg->shutdown_timeout);
				for (int i = 0; i < NSLOTS; i++)
					if (m.kids[i].pid != 0)
						kill(m.kids[i].pid, SIGKILL);
				m.stragglers_killed = 1;
			}
		} else {
			if (m.backoff_ms && now - m.last_fast_death_ms > BACKOFF_RESET_MS)
				m.backoff_ms = 0;
			retire_deadlines(now);
			balance(now);
		}
		watchdog(now);

		struct pollfd p = {.fd = m.pipe[0], .events = POLLIN};
		if (poll(&p, 1, TICK_MS) > 0) {
			char drain[64];
			while (read(m.pipe[0], drain, sizeof drain) > 0)
				;
		}
	}

	log_info("master: all workers stopped; exiting");
	app_free(m.app);
	free(m.app);
	config_free(m.cfg);
	free(m.cfg);
	munmap(m.sb, NSLOTS * sizeof *m.sb);
	close(m.pipe[0]);
	close(m.pipe[1]);
	return 0;
}
