/* prov-cli-history.c — `provisioner history`: the journal of runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "prov-cli.h"
#include "prov-cli-output.h"
#include "prov-journal.h"
#include "prov-target-validation.h"

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const ProvJournalRun *run_a = *(ProvJournalRun * const *) a;
  const ProvJournalRun *run_b = *(ProvJournalRun * const *) b;

  if (run_a->started == NULL || run_b->started == NULL)
    return (run_a->started == NULL) - (run_b->started == NULL);
  return g_date_time_compare (run_b->started, run_a->started);
}

int
prov_cli_history (ProvCli *cli,
                  int      argc,
                  char   **argv)
{
  gboolean json = FALSE;
  g_autofree char *export = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export, N_("Write the newest run that started as CSV (- for standard output)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GPtrArray) runs = NULL;
  ProvCliExit status;

  if (!prov_cli_parse ("history", "[NAME]", _("Lists the runs, newest first."), entries, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if ((status = prov_cli_check_args_and_load (cli, argc, argv, 3)) != PROV_CLI_EXIT_OK)
    return status;

  runs = prov_journal_list_runs (NULL, NULL);
  /* Runs started within the same second must still come newest first. */
  g_ptr_array_sort (runs, newest_first);
  if (argc == 2)
    {
      g_autoptr(GPtrArray) matching = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_journal_run_free);
      GListModel *model = G_LIST_MODEL (prov_target_service_get_store (cli->service));
      g_autofree char *key = prov_target_name_key (argv[1]);
      const char *uuid = NULL;

      /* Names match as targets show and edit match them. */
      for (guint i = 0; i < g_list_model_get_n_items (model) && uuid == NULL; i++)
        {
          g_autoptr(ProvTargetSystem) target = g_list_model_get_item (model, i);
          g_autofree char *target_key = prov_target_name_key (prov_target_system_get_display_name (target));

          if (g_str_equal (target_key, key))
            uuid = prov_target_system_get_uuid (target);
        }
      /* A deleted target's runs are still found by the name they ran under. */
      for (guint i = runs->len; i > 0; i--)
        {
          ProvJournalRun *run = g_ptr_array_index (runs, i - 1);
          g_autofree char *run_key = prov_target_name_key (run->target_name);

          if ((uuid != NULL && g_strcmp0 (run->target_uuid, uuid) == 0) || g_str_equal (run_key, key) ||
              g_strcmp0 (run->target_uuid, argv[1]) == 0)
            g_ptr_array_insert (matching, 0, g_ptr_array_steal_index (runs, i - 1));
        }
      if (uuid == NULL && matching->len == 0)
        {
          prov_cli_error (_("No target system is called “%s”."), argv[1]);
          return PROV_CLI_EXIT_USAGE;
        }
      g_ptr_array_unref (runs);
      runs = g_steal_pointer (&matching);
    }

  if (export != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) csv = NULL;
      ProvJournalRun *newest = NULL;

      /* A run that did not start has no users to list. */
      for (guint i = 0; i < runs->len && newest == NULL; i++)
        if (((ProvJournalRun *) g_ptr_array_index (runs, i))->error == NULL)
          newest = g_ptr_array_index (runs, i);
      if (newest == NULL)
        {
          prov_cli_error ("%s", _("No run to export yet."));
          return PROV_CLI_EXIT_FAILED;
        }
      /* “-” is standard output, as for targets export. */
      if (g_str_equal (export, "-"))
        {
          if ((csv = prov_journal_format_csv (newest->path, &error)) == NULL)
            return prov_cli_report_error (error);
          fwrite (g_bytes_get_data (csv, NULL), 1, g_bytes_get_size (csv), stdout);
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (export);

          if (!prov_journal_export_csv (newest->path, file, &error))
            return prov_cli_report_error (error);
        }
      return PROV_CLI_EXIT_OK;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < runs->len; i++)
        json_array_add_object_element (array, prov_cli_run_to_json (g_ptr_array_index (runs, i)));
      json_node_take_array (node, array);
      prov_cli_print_json (node);
      return PROV_CLI_EXIT_OK;
    }

  /* On stderr: what a script reads from stdout stays empty. */
  if (runs->len == 0)
    prov_cli_error ("%s", _("No runs yet."));
  for (guint i = 0; i < runs->len; i++)
    {
      ProvJournalRun *run = g_ptr_array_index (runs, i);
      g_autofree char *when = run->started ? g_date_time_format (run->started, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
      g_autofree char *summary = g_strdup_printf (ngettext ("%u user provisioned", "%u users provisioned",
                                                            run->succeeded), run->succeeded);
      const char *state = run->cancelled ? _("cancelled") : !run->finished ? _("did not finish") : "";

      if (run->error != NULL)
        {
          printf ("%s\t%s\t", when, run->target_name ? run->target_name : "");
          /* Translators: why a run could not start, a sentence */
          printf (_("did not start: %s\n"), run->error);
          continue;
        }
      printf ("%s\t%s\t%s", when, run->target_name ? run->target_name : "", summary);
      if (run->failed > 0)
        printf (ngettext (", %u failed", ", %u failed", run->failed), run->failed);
      if (*state)
        printf (" (%s)", state);
      printf ("\n");
    }
  return PROV_CLI_EXIT_OK;
}
