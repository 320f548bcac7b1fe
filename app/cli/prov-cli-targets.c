/* prov-cli-targets.c — `provisioner targets …`
 *
 * Every change goes through ProvTargetService: keyring first, then the
 * file, rolled back together. The command line never touches either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prov-cli.h"
#include "prov-cli-fields.h"
#include "prov-cli-output.h"
#include "prov-cli-secret.h"
#include "prov-error.h"
#include "prov-plan.h"
#include "prov-target-service-import.h"
#include "prov-targets-export.h"

static ProvTargetStore *
store_of (ProvCli *cli)
{
  return prov_target_service_get_store (cli->service);
}

/* Prints "Title: reason" for every invalid field, as the editor marks
 * them (the service would name only the first). */
static gboolean
check_fields (ProvCli          *cli,
              ProvTargetSystem *target)
{
  ProvTargetKind kind = prov_target_system_get_kind (target);
  gboolean valid = TRUE;

  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    {
      g_autofree char *reason = NULL;

      if (!prov_target_system_field_is_visible (target, field))
        continue;
      reason = prov_target_system_check_field (target, field, G_LIST_MODEL (store_of (cli)));
      if (reason == NULL)
        continue;
      /* Translators: a field's title, then why its value is wrong */
      prov_cli_error (_("%s: %s"), prov_field_get_title (field, kind), reason);
      valid = FALSE;
    }
  return valid;
}

static ProvCliExit
save (ProvCli          *cli,
      ProvTargetSystem *edited,
      gboolean         *created)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *saved;

  prov_target_service_save_target_async (cli->service, edited, cli->cancellable,
                                         prov_cli_result_cb, &result);
  saved = prov_target_service_save_target_finish (cli->service, prov_cli_wait (&result),
                                                  created, &error);
  if (saved == NULL)
    return prov_cli_report_error (error);
  return PROV_CLI_EXIT_OK;
}

/* The secret the mechanism needs: from stdin with --secret-stdin, else
 * asked on a terminal when @target has none yet, else left as it is. */
static ProvCliExit
take_secret (ProvCliFields    *fields,
             ProvTargetSystem *target)
{
  ProvField field = prov_cli_fields_secret_field (target);
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ask;

  if (field == PROV_N_FIELDS)
    return PROV_CLI_EXIT_OK;
  ask = *prov_target_system_get_text (target, field) == '\0' && prov_cli_stdin_is_terminal ();
  if (fields->secret_stdin)
    {
      secret = prov_cli_read_secret_stdin (&error);
      if (secret == NULL)
        return prov_cli_report_error (error);
    }
  else if (ask)
    secret = prov_cli_prompt_secret (prov_field_get_title (field, prov_target_system_get_kind (target)));

  if (secret != NULL)
    prov_target_system_set_text (target, field, secret);
  return PROV_CLI_EXIT_OK;
}

/* The plan the first real-time push would make. */
static void
print_real_time_plan (ProvTargetSystem *target,
                      ProvPlan         *plan)
{
  /* Translators: %s is a target system's name */
  printf (_("Turning real-time provisioning on for “%s” pushes this at once:\n"),
          prov_target_system_get_display_name (target));
  prov_cli_print_plan_counts (plan);
}

/* Real time turned on for a target never provisioned sends every user at
 * the next check: only with --yes, else the plan is shown and nothing
 * saved. On by default for a new target, it stays off without --yes. */
static ProvCliExit
check_real_time (ProvCli          *cli,
                 ProvCliFields    *fields,
                 ProvTargetSystem *edited,
                 gboolean         *stays_off)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  if (fields->yes)
    return PROV_CLI_EXIT_OK;

  prov_target_service_plan_real_time_async (cli->service, edited, cli->cancellable,
                                            prov_cli_result_cb, &result);
  plan = prov_target_service_plan_real_time_finish (cli->service, prov_cli_wait (&result), &error);
  if (plan == NULL && error == NULL)
    return PROV_CLI_EXIT_OK;

  if (fields->real_time == NULL)
    {
      prov_target_system_set_real_time (edited, FALSE);
      *stays_off = TRUE;
      return PROV_CLI_EXIT_OK;
    }

  if (plan == NULL)
    return prov_cli_report_error (error);
  print_real_time_plan (edited, plan);
  prov_cli_error ("%s", _("Nothing saved: give --yes to turn real-time provisioning on for a target system that was never provisioned."));
  return PROV_CLI_EXIT_CONFIRM;
}

static int
finish_edit (ProvCli          *cli,
             ProvCliFields    *fields,
             ProvTargetSystem *edited)
{
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE, stays_off = FALSE;
  ProvCliExit status;

  if (!prov_cli_fields_import_certificate (fields, edited, &error))
    return g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
           ? (prov_cli_error ("%s", error->message), PROV_CLI_EXIT_USAGE)
           : (prov_cli_error ("%s", error->message), PROV_CLI_EXIT_INVALID);
  if (!check_fields (cli, edited))
    return PROV_CLI_EXIT_INVALID;
  if ((status = check_real_time (cli, fields, edited, &stays_off)) != PROV_CLI_EXIT_OK)
    return status;
  status = save (cli, edited, &created);
  if (status != PROV_CLI_EXIT_OK)
    return status;
  /* Translators: %s is a target system's name */
  printf (created ? _("Target system “%s” added.\n") : _("Target system “%s” saved.\n"),
          prov_target_system_get_display_name (edited));
  if (stays_off)
    /* Translators: %s is a target system's name */
    printf (_("Real-time provisioning is off for “%s”: turn it on with --real-time on once it is provisioned, or now with --real-time on --yes.\n"),
            prov_target_system_get_display_name (edited));
  if (fields->generate_certificate != NULL)
    /* Translators: %s is a target system's name */
    printf (_("Client certificate generated: write it with targets certificate “%s” FILE and import it at the technical user in Identity Provisioning.\n"),
            prov_target_system_get_display_name (edited));
  return PROV_CLI_EXIT_OK;
}

static int
apply_fields (ProvCliFields    *fields,
              ProvTargetSystem *target)
{
  g_autoptr(GError) error = NULL;

  if (!prov_cli_fields_apply (fields, target, &error))
    {
      prov_cli_error ("%s", error->message);
      return PROV_CLI_EXIT_USAGE;
    }
  return PROV_CLI_EXIT_OK;
}

static ProvTargetSystem *
dup_with_secrets (ProvCli          *cli,
                  ProvTargetSystem *target,
                  ProvCliExit      *status)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *copy;

  prov_target_service_dup_target_with_secrets_async (cli->service, target, cli->cancellable,
                                                     prov_cli_result_cb, &result);
  copy = prov_target_service_dup_target_with_secrets_finish (cli->service, prov_cli_wait (&result), &error);
  *status = copy ? PROV_CLI_EXIT_OK : prov_cli_report_error (error);
  return copy;
}

/* A new target with every value and secret of the one called @name. */
static ProvTargetSystem *
duplicate (ProvCli     *cli,
           const char  *name,
           ProvCliExit *status)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *original, *copy;

  *status = PROV_CLI_EXIT_USAGE;
  if ((original = prov_cli_find_target (cli, name)) == NULL)
    return NULL;
  prov_target_service_duplicate_target_async (cli->service, original, cli->cancellable,
                                              prov_cli_result_cb, &result);
  copy = prov_target_service_duplicate_target_finish (cli->service, prov_cli_wait (&result), &error);
  *status = copy ? PROV_CLI_EXIT_OK : prov_cli_report_error (error);
  return copy;
}

static int
targets_add (ProvCli *cli,
             int      argc,
             char   **argv)
{
  ProvCliFields fields = { 0, };
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *from = NULL;
  const GOptionEntry own[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Display name"), N_("NAME") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("Type of target system"), "jam|ips" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Start from a copy of this target system, its secret included"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autofree GOptionEntry *all = prov_cli_fields_entries (&fields, own);
  g_autoptr(ProvTargetSystem) target = NULL;
  ProvCliExit status;
  int kind;

  if (!prov_cli_parse ("targets add", NULL, _("Adds a target system."), all, &argc, &argv))
    {
      prov_cli_fields_clear (&fields);
      return PROV_CLI_EXIT_USAGE;
    }

  /* A copy has the type of its original. */
  kind = type ? prov_cli_kind_from_string (type) : -1;
  if (name == NULL || (from == NULL) == (type == NULL) || (type != NULL && kind < 0) || argc > 1)
    {
      prov_cli_error ("%s", _("targets add needs --name NAME and either --type jam|ips or --from NAME, and no other argument."));
      prov_cli_fields_clear (&fields);
      return PROV_CLI_EXIT_USAGE;
    }

  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    goto out;

  if (from != NULL)
    {
      if ((target = duplicate (cli, from, &status)) == NULL)
        goto out;
    }
  else
    {
      target = prov_target_system_new (kind);
      /* On for targets people add. */
      prov_target_system_set_real_time (target, TRUE);
    }
  /* Spaces around a name are a slip of the shell, never meant. */
  prov_target_system_set_display_name (target, g_strstrip (name));
  if ((status = apply_fields (&fields, target)) != PROV_CLI_EXIT_OK)
    goto out;
  /* A copy keeps its original's secret unless one is given. */
  if ((status = take_secret (&fields, target)) != PROV_CLI_EXIT_OK)
    goto out;
  status = finish_edit (cli, &fields, target);

out:
  prov_cli_fields_clear (&fields);
  return status;
}

static int
targets_edit (ProvCli *cli,
              int      argc,
              char   **argv)
{
  ProvCliFields fields = { 0, };
  g_autofree char *name = NULL;
  const GOptionEntry own[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("New display name"), N_("NEW") },
    G_OPTION_ENTRY_NULL
  };
  g_autofree GOptionEntry *all = prov_cli_fields_entries (&fields, own);
  g_autoptr(ProvTargetSystem) edited = NULL;
  ProvTargetSystem *target;
  ProvCliExit status = PROV_CLI_EXIT_USAGE;

  if (!prov_cli_parse ("targets edit", "NAME", _("Changes a target system."), all, &argc, &argv))
    goto out;
  if (argc != 2)
    {
      prov_cli_error ("%s", _("targets edit needs the name of one target system."));
      goto out;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    goto out;
  status = PROV_CLI_EXIT_USAGE;
  if ((target = prov_cli_find_target (cli, argv[1])) == NULL)
    goto out;
  if ((edited = dup_with_secrets (cli, target, &status)) == NULL)
    goto out;

  if (name != NULL)
    prov_target_system_set_display_name (edited, g_strstrip (name));
  if ((status = apply_fields (&fields, edited)) != PROV_CLI_EXIT_OK)
    goto out;
  if ((status = take_secret (&fields, edited)) != PROV_CLI_EXIT_OK)
    goto out;
  status = finish_edit (cli, &fields, edited);

out:
  prov_cli_fields_clear (&fields);
  return status;
}

static gboolean
confirm (const char *question)
{
  g_autofree char *answer = NULL;
  char line[64];

  if (!isatty (STDIN_FILENO))
    return FALSE;
  fprintf (stderr, "%s [y/N] ", question);
  fflush (stderr);
  if (fgets (line, sizeof line, stdin) == NULL)
    return FALSE;
  answer = g_strstrip (g_ascii_strdown (line, -1));
  return g_str_equal (answer, "y") || g_str_equal (answer, "yes");
}

static int
targets_delete (ProvCli *cli,
                int      argc,
                char   **argv)
{
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GAsyncResult) committed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *question = NULL;
  ProvCliExit status;

  if (!prov_cli_parse ("targets delete", "NAME…", _("Deletes target systems and their secrets."),
                       entries, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc < 2)
    {
      prov_cli_error ("%s", _("targets delete needs the name of at least one target system."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK ||
      (status = prov_cli_find_targets (cli, argc, argv, targets)) != PROV_CLI_EXIT_OK)
    return status;

  question = g_strdup_printf (ngettext ("Delete %u target system and its secrets?",
                                        "Delete %u target systems and their secrets?", targets->len),
                              targets->len);
  if (!yes && !confirm (question))
    {
      prov_cli_error ("%s", _("Nothing deleted: give --yes to delete without asking."));
      return PROV_CLI_EXIT_CONFIRM;
    }

  prov_target_service_delete_targets_async (cli->service, targets, cli->cancellable,
                                            prov_cli_result_cb, &deleted);
  if (!prov_target_service_delete_targets_finish (cli->service, prov_cli_wait (&deleted), &error))
    return prov_cli_report_error (error);
  /* No undo on the command line: wipe the secrets now. */
  prov_target_service_commit_deletion_async (cli->service, cli->cancellable,
                                             prov_cli_result_cb, &committed);
  if (!prov_target_service_commit_deletion_finish (cli->service, prov_cli_wait (&committed), &error))
    return prov_cli_report_error (error);

  printf (ngettext ("%u target system deleted\n", "%u target systems deleted\n", targets->len),
          targets->len);
  return PROV_CLI_EXIT_OK;
}

static int
targets_list (ProvCli *cli,
              int      argc,
              char   **argv)
{
  gboolean json = FALSE;
  GListModel *model;
  ProvCliExit status;
  guint n;

  if (!prov_cli_parse_json ("targets list", NULL, _("Lists the target systems."), &json, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if ((status = prov_cli_check_args_and_load (cli, argc, argv, 2)) != PROV_CLI_EXIT_OK)
    return status;

  model = G_LIST_MODEL (store_of (cli));
  n = g_list_model_get_n_items (model);
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ProvTargetSystem) target = g_list_model_get_item (model, i);
          json_array_add_object_element (array, prov_cli_target_to_json (target));
        }
      json_node_take_array (node, array);
      prov_cli_print_json (node);
      return PROV_CLI_EXIT_OK;
    }

  /* On stderr: what a script reads from stdout stays empty. */
  if (n == 0)
    prov_cli_error ("%s", _("No target systems yet: add one with targets add."));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (model, i);
      printf ("%s\t%s\t%s\n", prov_target_system_get_display_name (target),
              prov_cli_kind_to_string (prov_target_system_get_kind (target)),
              prov_target_system_get_text (target, PROV_FIELD_URL));
    }
  return PROV_CLI_EXIT_OK;
}

static int
targets_show (ProvCli *cli,
              int      argc,
              char   **argv)
{
  gboolean json = FALSE;
  ProvTargetSystem *target;
  ProvCliExit status;

  if (!prov_cli_parse_json ("targets show", "NAME", _("Shows a target system (never its secrets)."),
                            &json, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc < 2)
    {
      prov_cli_error ("%s", _("targets show needs the name of one target system."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_check_args_and_load (cli, argc, argv, 2)) != PROV_CLI_EXIT_OK)
    return status;
  if ((target = prov_cli_find_target (cli, argv[1])) == NULL)
    return PROV_CLI_EXIT_USAGE;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, prov_cli_target_to_json (target));
      prov_cli_print_json (node);
    }
  else
    prov_cli_print_target (target);
  return PROV_CLI_EXIT_OK;
}

static int
targets_export (ProvCli *cli,
                int      argc,
                char   **argv)
{
  g_autoptr(GError) error = NULL;
  ProvCliExit status;

  if (!prov_cli_parse ("targets export", "[FILE]",
                       _("Writes the target systems as JSON, without their secrets."),
                       NULL, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if ((status = prov_cli_check_args_and_load (cli, argc, argv, 3)) != PROV_CLI_EXIT_OK)
    return status;

  if (argc < 2 || g_str_equal (argv[1], "-"))
    {
      g_autoptr(GBytes) bytes = prov_targets_export_serialize (G_LIST_MODEL (store_of (cli)));

      fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout);
      return PROV_CLI_EXIT_OK;
    }
  if (!prov_targets_export_write (argv[1], G_LIST_MODEL (store_of (cli)), &error))
    {
      prov_cli_error ("%s", error->message);
      return PROV_CLI_EXIT_FAILED;
    }
  return PROV_CLI_EXIT_OK;
}

/* Only the public certificate: its key never leaves the keyring. */
static int
targets_certificate (ProvCli *cli,
                     int      argc,
                     char   **argv)
{
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *target;
  const char *pem;
  ProvCliExit status;

  if (!prov_cli_parse ("targets certificate", "NAME [FILE]",
                       _("Writes a target system’s client certificate (PEM), to import it at the technical user."),
                       NULL, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc < 2 || argc > 3)
    {
      prov_cli_error ("%s", _("targets certificate needs the name of one target system, and optionally a file."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    return status;
  if ((target = prov_cli_find_target (cli, argv[1])) == NULL)
    return PROV_CLI_EXIT_USAGE;

  pem = prov_target_system_get_text (target, PROV_FIELD_CLIENT_CERTIFICATE);
  if (!prov_target_system_field_is_visible (target, PROV_FIELD_CLIENT_CERTIFICATE) || *pem == '\0')
    {
      /* Translators: %s is a target system's name */
      prov_cli_error (_("“%s” has no client certificate: give it one with targets edit --generate-certificate or --certificate."),
                      prov_target_system_get_display_name (target));
      return PROV_CLI_EXIT_INVALID;
    }
  if (argc < 3 || g_str_equal (argv[2], "-"))
    {
      fputs (pem, stdout);
      return PROV_CLI_EXIT_OK;
    }
  if (!g_file_set_contents_full (argv[2], pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    {
      /* The window's sentence, without GLib's temporary file name. */
      prov_cli_error (_("The certificate could not be saved to “%s”: %s"), argv[2], prov_error_file_reason (error));
      return PROV_CLI_EXIT_FAILED;
    }
  return PROV_CLI_EXIT_OK;
}

static int
targets_import (ProvCli *cli,
                int      argc,
                char   **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  ProvCliExit status;

  if (!prov_cli_parse ("targets import", "FILE",
                       _("Adds the target systems of an export; their secrets are left empty."),
                       NULL, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      prov_cli_error ("%s", _("targets import needs one file."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    return status;

  if ((imported = prov_targets_export_read (argv[1], &error)) == NULL)
    {
      prov_cli_error ("%s", error->message);
      return PROV_CLI_EXIT_INVALID;
    }
  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_target_service_import_targets_async (cli->service, imported, cli->cancellable,
                                              prov_cli_result_cb, &result);
    if (!prov_target_service_import_targets_finish (cli->service, prov_cli_wait (&result), &error))
      return prov_cli_report_error (error);
  }
  for (guint i = 0; i < imported->len; i++)
    /* Translators: %s is a target system's name */
    printf (_("Target system “%s” imported: set its secret with targets edit --secret-stdin.\n"),
            prov_target_system_get_display_name (g_ptr_array_index (imported, i)));
  return PROV_CLI_EXIT_OK;
}

int
prov_cli_targets (ProvCli *cli,
                  int      argc,
                  char   **argv)
{
  static const struct
  {
    const char *name;
    int (*func) (ProvCli *, int, char **);
  } subcommands[] = {
    { "list", targets_list },
    { "show", targets_show },
    { "add", targets_add },
    { "edit", targets_edit },
    { "delete", targets_delete },
    { "export", targets_export },
    { "import", targets_import },
    { "certificate", targets_certificate },
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].func (cli, argc - 1, argv + 1);

  prov_cli_error ("%s", _("targets needs one of: list, show, add, edit, delete, export, import, certificate."));
  return PROV_CLI_EXIT_USAGE;
}
