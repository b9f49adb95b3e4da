/*
 * ctl.h - marqueectl subcommands.
 *
 * Each subcommand is `int ctl_NAME(int argc, char **argv)` where argv[0] is
 * the subcommand name; it returns the process exit status (0 success, 1
 * failure with a message on stderr, 2 usage error).  Global options
 * (-c FILE) are consumed by main before dispatch; ctl_config() returns the
 * loaded configuration (NULL when the subcommand needs none).
 */
#ifndef MARQUEE_CTL_H
#define MARQUEE_CTL_H

struct config;

/* The configuration loaded by main (-c FILE / MARQUEE_CONFIG / defaults). */
const struct config *ctl_config(void);

int ctl_render(int argc, char **argv);
int ctl_migrate(int argc, char **argv);
int ctl_seed(int argc, char **argv);

#endif
