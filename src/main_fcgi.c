/*
 * main_fcgi.c - marquee-fcgi: load and check the configuration and the
 * templates, check how we were started, then become the master.
 *
 *   spawn-fcgi -n -s /run/marquee/fcgi.sock -M 0660 -U www-data -G marquee \
 *       -u marquee -g marquee -- /usr/local/sbin/marquee-fcgi -c /etc/marquee/marquee.conf
 *
 * spawn-fcgi creates the unix socket, drops privileges and execs us with the
 * listening socket on fd 0.  `marquee-fcgi -t` only checks the configuration
 * and the templates (usable as root, e.g. before a reload).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "json_alloc.h"
#include "log.h"
#include "master.h"
#include "util.h"

static void
usage(FILE *f)
{
	fputs("usage: marquee-fcgi [-t] [-c FILE]\n"
	    "  -c FILE  configuration file (default: $MARQUEE_CONFIG, else built-in defaults;\n"
	    "           MARQUEE_<KEY> environment variables override it)\n"
	    "  -t       check the configuration and the templates, then exit\n"
	    "Run it under spawn-fcgi -n, which passes the listening unix socket as fd 0:\n"
	    "  spawn-fcgi -n -s SOCKET -M 0660 -U NGINX_USER -G GROUP -u USER -g GROUP \\\n"
	    "      -- marquee-fcgi -c FILE\n", f);
}

/*
 * fd 0 must be a listening unix socket.  TCP is refused: the FastCGI socket
 * must be reachable only by nginx (file mode 0660 and a shared group), and
 * libfcgi's record parser should not face the network.
 */
static int
check_listen_socket(void)
{
	struct stat st;
	if (fstat(STDIN_FILENO, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		log_error("marquee-fcgi: standard input is not a socket; start it under "
		    "spawn-fcgi -n -s SOCKET ... -- marquee-fcgi (see marquee-fcgi -h)");
		return -1;
	}
	int listening = 0;
	socklen_t len = sizeof listening;
	if (getsockopt(STDIN_FILENO, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 ||
	    !listening) {
		log_error("marquee-fcgi: standard input is a socket but not a listening one; "
		    "start it under spawn-fcgi -n");
		return -1;
	}
	struct sockaddr_storage sa;
	len = sizeof sa;
	if (getsockname(STDIN_FILENO, (struct sockaddr *)&sa, &len) < 0 ||
	    sa.ss_family != AF_UNIX) {
		log_error("marquee-fcgi: the FastCGI socket must be a unix socket "
		    "(spawn-fcgi -s PATH), never TCP");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	json_alloc_install();   /* before any jansson object exists */
	const char *path = NULL;
	int check_only = 0, c;
	while ((c = getopt(argc, argv, "c:th")) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 't':
			check_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	char err[1024];
	struct config *cfg = xmalloc(sizeof *cfg);
	if (config_load(cfg, path, err, sizeof err) < 0) {
		log_error("marquee-fcgi: %s", err);
		free(cfg);
		return 1;
	}
	log_set_level((enum log_level)cfg->log_level);

	if (!check_only) {
		if (geteuid() == 0 || getegid() == 0) {
			log_error("marquee-fcgi: refusing to run as root; let spawn-fcgi drop "
			    "privileges (-u USER -g GROUP)");
			goto fail_cfg;
		}
		if (check_listen_socket() < 0)
			goto fail_cfg;
	}

	struct app *app = xmalloc(sizeof *app);
	if (app_init(app, cfg, err, sizeof err) < 0) {
		log_error("marquee-fcgi: templates: %s", err);
		free(app);
		goto fail_cfg;
	}
	if (check_only) {
		printf("marquee-fcgi: configuration %s and templates in %s are valid\n",
		    cfg->path ? cfg->path : "(defaults and environment)", cfg->templates_dir);
		app_free(app);
		free(app);
		config_free(cfg);
		free(cfg);
		return 0;
	}
	/* The workers inherit the master's stderr, so a record one of them
	 * leaves cut short on a full disk is ended by whoever logs next. */
	if (log_share() < 0)
		log_warn("marquee-fcgi: log_share: %s", strerror(errno));
	return master_run(path, cfg, app);

fail_cfg:
	config_free(cfg);
	free(cfg);
	return 1;
}
