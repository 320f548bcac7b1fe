/* prov-cli.h — the command-line front end: shared state and helpers
 *
 * The command line runs over app/core only (no GTK, no display): the same
 * configuration file, keyring items, services and engine as the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-target-service.h"

G_BEGIN_DECLS

/* Exit codes; `provisioner --help` and docs/cli-json.md list them. */
typedef enum
{
  PROV_CLI_EXIT_OK          = 0,
  PROV_CLI_EXIT_FAILED      = 1,   /* the operation failed */
  PROV_CLI_EXIT_USAGE       = 2,   /* bad command line, unknown target */
  PROV_CLI_EXIT_INVALID     = 3,   /* invalid configuration or field */
  PROV_CLI_EXIT_KEYRING     = 4,   /* keyring unavailable or locked */
  PROV_CLI_EXIT_CONFIRM     = 5,   /* confirmation needed (--yes) */
  PROV_CLI_EXIT_INTERRUPTED = 130, /* Ctrl+C */
} ProvCliExit;

typedef struct
{
  ProvTargetService *service;
  GCancellable      *cancellable;
} ProvCli;

/* The entry point: argv[1] is a command, --help or --version. */
int               prov_cli_main             (int          argc,
                                             char       **argv);

/* Blocks on the default main context until an _async call's callback
 * (prov_cli_result_cb with @slot as user data) has stored its result. */
void              prov_cli_result_cb        (GObject      *object,
                                             GAsyncResult *result,
                                             gpointer      slot);
GAsyncResult     *prov_cli_wait             (GAsyncResult **slot);

/* Loads the configuration through the service. A damaged file has been
 * moved aside: that is said on stderr, and the command goes on. */
ProvCliExit       prov_cli_load             (ProvCli      *cli);
/* The target called @name (display name, or its uuid), or NULL after
 * printing why. */
ProvTargetSystem *prov_cli_find_target      (ProvCli      *cli,
                                             const char   *name);
/* Adds to @targets (a new reference each) the targets named by @argv[1…]
 * (each once); PROV_CLI_EXIT_USAGE after printing why when one is not
 * found. */
ProvCliExit       prov_cli_find_targets     (ProvCli      *cli,
                                             int           argc,
                                             char        **argv,
                                             GPtrArray    *targets);

/* With @all, every target (PROV_CLI_EXIT_INVALID after saying so when
 * there is none); otherwise those named by @argv[1…], as
 * prov_cli_find_targets(). */
ProvCliExit       prov_cli_collect_targets  (ProvCli      *cli,
                                             gboolean      all,
                                             int           argc,
                                             char        **argv,
                                             GPtrArray    *targets);

/* Frees what prov_source_validate() fills: PROV_N_FIELDS entries, NULL
 * where valid (so not a GStrv). */
void              prov_cli_free_reasons     (char        **reasons);

/* Prints "provisioner: MESSAGE" on stderr. */
void              prov_cli_error            (const char   *format,
                                             ...) G_GNUC_PRINTF (1, 2);
/* Prints @error's sentence on stderr and maps it to an exit code. */
ProvCliExit       prov_cli_report_error     (const GError *error);
ProvCliExit       prov_cli_exit_for_error   (const GError *error);

/* Parses @argv with @entries (a usage error is printed, then FALSE). */
gboolean          prov_cli_parse            (const char   *command,
                                             const char   *parameters,
                                             const char   *summary,
                                             const GOptionEntry *entries,
                                             int          *argc,
                                             char       ***argv);
/* The same for a command whose only option is --json. */
gboolean          prov_cli_parse_json       (const char   *command,
                                             const char   *parameters,
                                             const char   *summary,
                                             gboolean     *json,
                                             int          *argc,
                                             char       ***argv);
/* For the commands that only read the configuration (listings, history,
 * export): after parsing, refuses arguments past @max_argc (argv[0] is the
 * command), then loads the configuration without asking the keyring. */
ProvCliExit       prov_cli_check_args_and_load (ProvCli  *cli,
                                                int       argc,
                                                char    **argv,
                                                int       max_argc);

/* FALSE, with the reasons on stderr, while the source of users is not
 * set up as a run needs it. */
gboolean          prov_cli_check_source        (ProvCli  *cli);

/* Command groups; @argv[0] is the command's own name. */
int               prov_cli_targets          (ProvCli      *cli,
                                             int           argc,
                                             char        **argv);
int               prov_cli_source           (ProvCli      *cli,
                                             int           argc,
                                             char        **argv);
int               prov_cli_test             (ProvCli      *cli,
                                             int           argc,
                                             char        **argv);
int               prov_cli_provision        (ProvCli      *cli,
                                             int           argc,
                                             char        **argv);
int               prov_cli_sync             (ProvCli      *cli,
                                             int           argc,
                                             char        **argv);
int               prov_cli_history          (ProvCli      *cli,
                                             int           argc,
                                             char        **argv);

G_END_DECLS
