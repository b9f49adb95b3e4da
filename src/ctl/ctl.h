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

/* Content operations (import.c, export.c, content.c, user.c, backup.c). */
int ctl_import(int argc, char **argv);
int ctl_export(int argc, char **argv);
int ctl_publish(int argc, char **argv);
int ctl_unpublish(int argc, char **argv);
int ctl_check_2257(int argc, char **argv);
int ctl_delete(int argc, char **argv);
int ctl_restore(int argc, char **argv);
int ctl_purge(int argc, char **argv);
int ctl_feature(int argc, char **argv);
int ctl_set_collection_featured(int argc, char **argv);
int ctl_refresh(int argc, char **argv);
int ctl_maintain(int argc, char **argv);
int ctl_user(int argc, char **argv);
int ctl_backup(int argc, char **argv);
/* The payment processor's outbox (outbox.c). */
int ctl_billing_send(int argc, char **argv);
/* `restore FILE` (backup.c), reached through ctl_restore (content.c). */
int ctl_restore_backup(int argc, char **argv);

#endif
