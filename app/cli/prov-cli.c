/* prov-cli.c — the command line: dispatch, help and shared helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "prov-cli.h"
#include "prov-error.h"
#include "prov-target-validation.h"

void
prov_cli_error (const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* What was printed before comes before it in a log of both streams
   * (2>&1, a timer's journal), where stdout is not line-buffered. */
  fflush (stdout);
  fprintf (stderr, "provisioner: %s\n", message);
}

void
prov_cli_free_reasons (char **reasons)
{
  prov_field_reasons_free (reasons);
}

ProvCliExit
prov_cli_exit_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PROV_CLI_EXIT_INTERRUPTED;

  switch (prov_error_get_kind (error))
    {
    case PROV_ERROR_KIND_INVALID:
      return PROV_CLI_EXIT_INVALID;
    case PROV_ERROR_KIND_KEYRING:
      return PROV_CLI_EXIT_KEYRING;
    case PROV_ERROR_KIND_NOT_CONFIRMED:
      return PROV_CLI_EXIT_CONFIRM;
    case PROV_ERROR_KIND_FAILED:
    default:
      return PROV_CLI_EXIT_FAILED;
    }
}

ProvCliExit
prov_cli_report_error (const GError *error)
{
  ProvCliExit code = prov_cli_exit_for_error (error);

  if (code == PROV_CLI_EXIT_INTERRUPTED)
    prov_cli_error ("%s", _("Interrupted."));
  else
    prov_cli_error ("%s", error->message);
  return code;
}

void
prov_cli_result_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

GAsyncResult *
prov_cli_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

ProvCliExit
prov_cli_load (ProvCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_service_load_async (cli->service, cli->cancellable, prov_cli_result_cb, &result);
  if (!prov_target_service_load_finish (cli->service, prov_cli_wait (&result), &error))
    {
      if (!g_error_matches (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE))
        return prov_cli_report_error (error);
      prov_cli_error ("%s", error->message);
    }
  return PROV_CLI_EXIT_OK;
}

ProvTargetSystem *
prov_cli_find_target (ProvCli    *cli,
                      const char *name)
{
  GListModel *model = G_LIST_MODEL (prov_target_service_get_store (cli->service));
  guint n = g_list_model_get_n_items (model);
  g_autofree char *key = prov_target_name_key (name);
  ProvTargetSystem *alike = NULL;
  guint n_alike = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (model, i);
      g_autofree char *target_key = NULL;

      if (g_str_equal (prov_target_system_get_display_name (target), name) ||
          g_str_equal (prov_target_system_get_uuid (target), name))
        return target;
      /* Names are unique by this key, as in the editor: “jam” finds “Jam ”. */
      target_key = prov_target_name_key (prov_target_system_get_display_name (target));
      if (g_str_equal (key, target_key))
        {
          alike = target;
          n_alike++;
        }
    }

  /* Two alike only in a file edited by hand: the name decides nothing. */
  if (n_alike == 1)
    return alike;

  /* Translators: %s is a name given on the command line */
  prov_cli_error (_("No target system is called “%s”."), name);
  return NULL;
}

ProvCliExit
prov_cli_find_targets (ProvCli    *cli,
                       int         argc,
                       char      **argv,
                       GPtrArray  *targets)
{
  for (int i = 1; i < argc; i++)
    {
      ProvTargetSystem *target = prov_cli_find_target (cli, argv[i]);

      if (target == NULL)
        return PROV_CLI_EXIT_USAGE;
      if (!g_ptr_array_find (targets, target, NULL))
        g_ptr_array_add (targets, g_object_ref (target));
    }
  return PROV_CLI_EXIT_OK;
}

ProvCliExit
prov_cli_collect_targets (ProvCli    *cli,
                          gboolean    all,
                          int         argc,
                          char      **argv,
                          GPtrArray  *targets)
{
  GListModel *model = G_LIST_MODEL (prov_target_service_get_store (cli->service));

  if (!all)
    return prov_cli_find_targets (cli, argc, argv, targets);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (targets, g_list_model_get_item (model, i));
  if (targets->len == 0)
    {
      prov_cli_error ("%s", _("No target systems yet: add one with targets add."));
      return PROV_CLI_EXIT_INVALID;
    }
  return PROV_CLI_EXIT_OK;
}

gboolean
prov_cli_parse (const char          *command,
                const char          *parameters,
                const char          *summary,
                const GOptionEntry  *entries,
                int                 *argc,
                char              ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("provisioner %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      prov_cli_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
prov_cli_parse_json (const char   *command,
                     const char   *parameters,
                     const char   *summary,
                     gboolean     *json,
                     int          *argc,
                     char       ***argv)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  return prov_cli_parse (command, parameters, summary, entries, argc, argv);
}

static const char *
help_text (void)
{
  return _("Usage:\n"
           "  provisioner                      Open the window\n"
           "  provisioner --demo               Open the window with an in-process SAP Jam and demo users\n"
           "  provisioner --version | --help\n"
           "  provisioner COMMAND [OPTION…]    Work without a window (no display needed)\n"
           "\n"
           "Commands:\n"
           "  targets list [--json]\n"
           "  targets show NAME [--json]\n"
           "  targets add --name NAME --type jam|ips [FIELD OPTION…] [--secret-stdin]\n"
           "  targets add --name NEW --from NAME [FIELD OPTION…] [--secret-stdin]\n"
           "  targets edit NAME [--name NEW] [FIELD OPTION…] [--secret-stdin]\n"
           "  targets delete NAME… [--yes]\n"
           "  targets export [FILE]            JSON to FILE or stdout, never a secret\n"
           "  targets import FILE              Secrets are left empty\n"
           "  targets certificate NAME [FILE]  The client certificate (PEM), for the technical user\n"
           "  source show [--json]\n"
           "  source set --tenant URL --version 1|2 --auth basic|certificate --client-id ID [--secret-stdin]\n"
           "             [--common-name NAME --certificate FILE] [--ca-file FILE]\n"
           "  source set --csv FILE\n"
           "  source test                      Test Connection to the source of users\n"
           "  test NAME…|--all                 Test Connection\n"
           "  provision NAME…|--all [--user USERNAME…] [--dry-run] [--yes] [--json]\n"
           "  history [NAME] [--json] [--export FILE]\n"
           "  sync [--once] [--interval SECONDS]  Real-time provisioning: push every change\n"
           "                                   of the source to the targets with real time on\n"
           "  sync --resume NAME [--once]      Confirm the removals that paused NAME's sync\n"
           "\n"
           "Field options (targets add and edit):\n"
           "  --url URL, --scim-url URL        SAP Jam URL / Identity Provisioning SCIM URL\n"
           "  --token-url URL\n"
           "  --client-key ID, --client-id ID\n"
           "  --version 1|2\n"
           "  --auth basic|certificate|oauth\n"
           "  --username NAME\n"
           "  --common-name NAME\n"
           "  --certificate FILE               Import a client certificate (PEM or PKCS#12)\n"
           "  --generate-certificate ADMIN_USER_ID\n"
           "                                   Generate one for CN=<common name>(<ADMIN_USER_ID>)\n"
           "  --ca-file FILE                   One extra CA to trust\n"
           "  --rate-per-minute N, --rate-per-hour N\n"
           "  --deprovision deactivate|delete\n"
           "  --threshold-users N, --threshold-percent N\n"
           "  --real-time on|off               Real-time provisioning (turning it on for a target\n"
           "                                   never provisioned needs --yes)\n"
           "  --secret-stdin                   Read the Client Secret, Password or Certificate\n"
           "                                   Password from the first line of standard input\n"
           "                                   (without it, a terminal is asked without echo)\n"
           "\n"
           "Secrets are never accepted as arguments. Each command takes --help.\n"
           "\n"
           "Exit status:\n"
           "  0    done\n"
           "  1    the operation failed (connection failed, some users failed)\n"
           "  2    usage (unknown command or option, unknown target system)\n"
           "  3    invalid configuration or field\n"
           "  4    keyring unavailable or locked\n"
           "  5    confirmation needed (give --yes)\n"
           "  130  interrupted (Ctrl+C)\n");
}

static void
print_help (FILE *stream)
{
  fputs (help_text (), stream);
}

typedef int (*CommandFunc) (ProvCli *cli, int argc, char **argv);

static const struct
{
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "targets",   prov_cli_targets },
  { "source",    prov_cli_source },
  { "test",      prov_cli_test },
  { "provision", prov_cli_provision },
  { "history",   prov_cli_history },
  { "sync",      prov_cli_sync },
};

int
prov_cli_main (int    argc,
               char **argv)
{
  ProvCli cli = { 0, };
  const char *command = argc > 1 ? argv[1] : "--help";
  int status = PROV_CLI_EXIT_USAGE;

  /* stdout is the output a script reads (JSON, the plan): debug lines
   * asked for with G_MESSAGES_DEBUG go to stderr, as every other message. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      print_help (stdout);
      return PROV_CLI_EXIT_OK;
    }
  if (g_str_equal (command, "--version"))
    {
      printf ("provisioner %s\n", PACKAGE_VERSION);
      return PROV_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (command, commands[i].name))
        continue;

      cli.service = prov_target_service_new_default ();
      cli.cancellable = g_cancellable_new ();
      status = commands[i].func (&cli, argc - 1, argv + 1);
      g_clear_object (&cli.cancellable);
      g_clear_object (&cli.service);
      return status;
    }

  /* Translators: %s is what was typed as the command */
  prov_cli_error (_("Unknown command “%s”."), command);
  print_help (stderr);
  return PROV_CLI_EXIT_USAGE;
}

ProvCliExit
prov_cli_check_args_and_load (ProvCli  *cli,
                              int       argc,
                              char    **argv,
                              int       max_argc)
{
  if (argc > max_argc)
    {
      prov_cli_error (_("Unexpected argument “%s”."), argv[max_argc]);
      return PROV_CLI_EXIT_USAGE;
    }
  prov_target_service_set_skip_migration (cli->service, TRUE);
  return prov_cli_load (cli);
}
