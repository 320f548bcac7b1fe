/* prov-cli-provision.c — `provisioner test` and `provisioner provision`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "prov-cli.h"
#include "prov-cli-output.h"
#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-run-batch.h"

int
prov_cli_test (ProvCli *cli,
               int      argc,
               char   **argv)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every target system"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ProvCliExit status, first_failure = PROV_CLI_EXIT_OK;

  if (!prov_cli_parse ("test", "NAME…", _("Tests the connection to target systems."), entries, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (all == (argc > 1))
    {
      prov_cli_error ("%s", _("test needs the names of target systems, or --all."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK ||
      (status = prov_cli_collect_targets (cli, all, argc, argv, targets)) != PROV_CLI_EXIT_OK)
    return status;

  prov_target_service_test_targets_async (cli->service, targets, cli->cancellable, prov_cli_result_cb, &result);
  errors = prov_target_service_test_targets_finish (cli->service, prov_cli_wait (&result));

  /* Said in the order asked; one target gets SAP's sentence alone. */
  for (guint i = 0; i < targets->len; i++)
    {
      const GError *error = g_ptr_array_index (errors, i);
      const char *name = prov_target_system_get_display_name (g_ptr_array_index (targets, i));
      ProvCliExit code;

      if (error == NULL && targets->len == 1)
        printf ("%s\n", prov_connection_test_success_message ());
      else if (error == NULL)
        {
          /* Translators: a target system's name, then SAP's sentence */
          g_autofree char *line = g_strdup_printf (_("%s: %s"), name, prov_connection_test_success_message ());
          printf ("%s\n", line);
        }
      else
        {
          if (targets->len == 1)
            code = prov_cli_report_error (error);
          else
            {
              prov_cli_error (_("%s: %s"), name, error->message);
              code = prov_cli_exit_for_error (error);
            }
          if (first_failure == PROV_CLI_EXIT_OK)
            first_failure = code;
        }
      /* In order with stderr's lines, also through a pipe. */
      fflush (stdout);
    }
  return first_failure;
}

typedef struct
{
  ProvCli  *cli;
  gboolean  json;
  gboolean  progress;     /* stderr is a terminal */
  gint64    last_progress;
} Provision;

static gboolean
interrupted_cb (gpointer user_data)
{
  ProvCli *cli = user_data;

  /* A second Ctrl+C does not wait for the requests on the wire. */
  if (g_cancellable_is_cancelled (cli->cancellable))
    {
      prov_cli_error ("%s", _("Interrupted again: stopping without waiting for the answers on their way."));
      _exit (PROV_CLI_EXIT_INTERRUPTED);
    }

  /* In-flight requests finish; the journal records the run as cancelled. */
  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The batch of a finished run, left for the process's exit to free. */
static ProvRunBatch *finished_batch;

static void
progress_cb (ProvRunBatch *batch,
             guint         done,
             guint         total,
             Provision    *p)
{
  gint64 now = g_get_monotonic_time ();

  /* A line ten times a second at most, however many users finish. */
  if (done < total && now - p->last_progress < G_USEC_PER_SEC / 10)
    return;
  p->last_progress = now;
  /* Translators: progress of a run: done, then total */
  fprintf (stderr, "\r");
  fprintf (stderr, _("%u of %u"), done, total);
  fflush (stderr);
}

static void
print_plan (ProvRunBatch *batch,
            gboolean      dry_run)
{
  const char * const *problems = prov_run_batch_get_source_problems (batch);

  for (guint p = 0; problems != NULL && problems[p] != NULL && p < 20; p++)
    prov_cli_error ("%s", problems[p]);

  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      ProvRun *run = prov_run_batch_get_run (batch, i);
      ProvTargetSystem *target = prov_run_get_target (run);
      const char *problem = prov_run_batch_get_problem (batch, i);
      ProvPlan *plan;

      /* A target that could not be planned is an error, like a failed
       * run: on stderr, so stdout holds only plans. */
      if (problem != NULL)
        {
          prov_cli_error (_("%s: %s"), prov_target_system_get_display_name (target), problem);
          continue;
        }
      printf ("%s\n", prov_target_system_get_display_name (target));
      plan = prov_run_get_plan (run);
      /* A plan about what was asked, as the window says it: the selection, or the source. */
      if (prov_run_batch_get_n_selected (batch) > 0)
        printf (ngettext ("  %u selected user\n", "  %u selected users\n",
                          prov_run_batch_get_n_selected (batch)),
                prov_run_batch_get_n_selected (batch));
      else
        printf (ngettext ("  %u user in the source\n", "  %u users in the source\n",
                          prov_run_get_n_source_users (run)),
                prov_run_get_n_source_users (run));
      prov_cli_print_plan_counts (plan);
      if (prov_plan_get_deprovisioning_skipped (plan))
        printf ("  %s\n", _("Nobody is deactivated or deleted: the source’s list of users is not complete or is empty."));
      /* What the real run would stop at (a run says it as its error). */
      if (dry_run && prov_plan_needs_confirmation (plan))
        printf ("  %s\n", _("More than the target’s safety threshold would be deactivated or deleted: the run needs --yes."));
    }
  fflush (stdout);
}

static JsonNode *
batch_to_json (ProvRunBatch *batch,
               gboolean      executed)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      ProvRun *run = prov_run_batch_get_run (batch, i);
      ProvTargetSystem *target = prov_run_get_target (run);
      const char *problem = prov_run_batch_get_problem (batch, i);
      const char *run_error = executed ? prov_run_batch_get_run_error (batch, i) : NULL;
      JsonObject *object;

      if (problem != NULL)
        {
          object = json_object_new ();
          json_object_set_string_member (object, "target", prov_target_system_get_display_name (target));
          json_object_set_string_member (object, "uuid", prov_target_system_get_uuid (target));
        }
      else
        object = prov_cli_plan_to_json (prov_run_get_plan (run));

      if (problem != NULL || run_error != NULL)
        json_object_set_string_member (object, "error", problem ? problem : run_error);
      else
        json_object_set_null_member (object, "error");

      if (executed)
        {
          ProvEngine *engine = prov_run_get_engine (run);
          JsonArray *failures = json_array_new ();

          json_object_set_int_member (object, "succeeded", engine ? prov_engine_get_n_succeeded (engine) : 0);
          json_object_set_int_member (object, "failed", engine ? prov_engine_get_n_failed (engine) : 0);
          for (guint f = 0; engine && f < prov_engine_get_failures (engine)->len; f++)
            {
              ProvFailure *failure = g_ptr_array_index (prov_engine_get_failures (engine), f);
              JsonObject *item = json_object_new ();

              json_object_set_string_member (item, "user", failure->operation->user_name);
              json_object_set_string_member (item, "action", prov_action_to_label (failure->operation->action));
              json_object_set_string_member (item, "message", failure->message);
              json_array_add_object_element (failures, item);
            }
          json_object_set_array_member (object, "failures", failures);
          /* What the plain output says once: a script need not compare
           * every failure's sentence to find that they are the same. */
          if (engine != NULL && prov_engine_get_shared_failure (engine) != NULL)
            json_object_set_string_member (object, "shared-failure", prov_engine_get_shared_failure (engine));
          else
            json_object_set_null_member (object, "shared-failure");
        }
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}

/* A batch reports a target it could not plan as a sentence; a keyring
 * that is absent or locked has an exit code of its own. Asked after the
 * plan, not before it: each keyring lookup is a D-Bus round trip. */
static ProvCliExit
check_keyring (ProvRunBatch *batch)
{
  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      const GError *problem = prov_run_batch_get_problem_error (batch, i);

      if (problem != NULL && prov_cli_exit_for_error (problem) == PROV_CLI_EXIT_KEYRING)
        return prov_cli_report_error (problem);
    }
  return PROV_CLI_EXIT_OK;
}

/* A name given with --user that the source lacks would be left out of
 * the plan without a word: a typo must not look like "nothing to do".
 * Every target reads the same source, so the first plan tells. */
static ProvCliExit
check_selected_users (ProvRunBatch       *batch,
                      const char * const *users)
{
  guint missing = 0;

  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      ProvPlan *plan = prov_run_get_plan (prov_run_batch_get_run (batch, i));

      if (prov_run_batch_get_problem (batch, i) != NULL || plan == NULL)
        continue;
      for (guint u = 0; users[u] != NULL; u++)
        if (!prov_plan_has_selected_user (plan, users[u]))
          {
            /* Translators: %s is a user name given with --user */
            prov_cli_error (_("The source of users has no user named “%s”."), users[u]);
            missing++;
          }
      break;
    }
  if (missing == 0)
    return PROV_CLI_EXIT_OK;
  prov_cli_error ("%s", _("Nothing provisioned: check the names given with --user."));
  return PROV_CLI_EXIT_INVALID;
}

static ProvCliExit
confirm_thresholds (ProvRunBatch *batch,
                    gboolean      yes)
{
  ProvCliExit status = PROV_CLI_EXIT_OK;

  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      ProvRun *run = prov_run_batch_get_run (batch, i);
      ProvPlan *plan;
      guint removing;

      if (prov_run_batch_get_problem (batch, i) != NULL)
        continue;
      plan = prov_run_get_plan (run);
      if (!prov_plan_needs_confirmation (plan))
        continue;
      if (yes)
        {
          prov_run_batch_set_confirmed (batch, i, TRUE);
          continue;
        }
      removing = prov_plan_count (plan, PROV_ACTION_DEACTIVATE) + prov_plan_count (plan, PROV_ACTION_DELETE);
      /* Translators: a number of users, then a target system's name */
      prov_cli_error (ngettext ("This run would deactivate or delete %u user in %s: more than the target’s safety threshold. Make sure the source is right, then give --yes.",
                                "This run would deactivate or delete %u users in %s: more than the target’s safety threshold. Make sure the source is right, then give --yes.",
                                removing),
                      removing, prov_target_system_get_display_name (prov_run_get_target (run)));
      status = PROV_CLI_EXIT_CONFIRM;
    }
  return status;
}

int
prov_cli_provision (ProvCli *cli,
                    int      argc,
                    char   **argv)
{
  gboolean all = FALSE, dry_run = FALSE, yes = FALSE, json = FALSE;
  g_auto(GStrv) users = NULL;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every target system"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING_ARRAY, &users, N_("Only this user (repeat for more)"), N_("USERNAME") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Print the plan and stop"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Go on over a safety threshold"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) only = NULL;
  g_autoptr(ProvRunBatch) batch = NULL;
  g_autoptr(GAsyncResult) prepared = NULL;
  g_autoptr(GAsyncResult) executed = NULL;
  g_autoptr(GError) error = NULL;
  Provision p = { cli, FALSE, FALSE, 0 };
  ProvCliExit status;
  guint sigint, sigterm;
  gboolean ok, cancelled = FALSE, failed = FALSE;

  if (!prov_cli_parse ("provision", "NAME…", _("Provisions the source’s users to target systems."),
                       entries, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (all == (argc > 1))
    {
      prov_cli_error ("%s", _("provision needs the names of target systems, or --all."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK ||
      (status = prov_cli_collect_targets (cli, all, argc, argv, targets)) != PROV_CLI_EXIT_OK)
    return status;
  if (!prov_cli_check_source (cli))
    return PROV_CLI_EXIT_INVALID;

  if (users != NULL)
    {
      only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; users[i] != NULL; i++)
        g_hash_table_add (only, g_utf8_casefold (users[i], -1));
    }

  p.json = json;
  p.progress = !json && isatty (STDERR_FILENO);
  sigint = g_unix_signal_add (SIGINT, interrupted_cb, cli);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, cli);

  batch = prov_run_batch_new (cli->service, targets, only);
  {
    /* Benchmarks and tests scale SAP's minute (1/60: a minute lasts 1 s). */
    const char *scale = g_getenv ("PROVISIONER_TIME_SCALE");
    if (scale != NULL && g_ascii_strtod (scale, NULL) > 0)
      prov_run_batch_set_time_scale (batch, g_ascii_strtod (scale, NULL));
  }
  prov_run_batch_prepare_async (batch, cli->cancellable, prov_cli_result_cb, &prepared);
  if (!prov_run_batch_prepare_finish (batch, prov_cli_wait (&prepared), &error))
    {
      status = prov_cli_report_error (error);
      goto out;
    }

  if ((status = check_keyring (batch)) != PROV_CLI_EXIT_OK ||
      (users != NULL && (status = check_selected_users (batch, (const char * const *) users)) != PROV_CLI_EXIT_OK))
    goto out;
  if (!json)
    print_plan (batch, dry_run);
  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    failed |= prov_run_batch_get_problem (batch, i) != NULL;

  if (dry_run)
    {
      if (json)
        {
          g_autoptr(JsonNode) node = batch_to_json (batch, FALSE);
          prov_cli_print_json (node);
        }
      status = failed ? PROV_CLI_EXIT_FAILED : PROV_CLI_EXIT_OK;
      goto out;
    }

  if ((status = confirm_thresholds (batch, yes)) != PROV_CLI_EXIT_OK)
    {
      if (json)
        {
          g_autoptr(JsonNode) node = batch_to_json (batch, FALSE);
          prov_cli_print_json (node);
        }
      goto out;
    }

  if (p.progress)
    g_signal_connect (batch, "progress", G_CALLBACK (progress_cb), &p);
  prov_run_batch_execute_async (batch, cli->cancellable, prov_cli_result_cb, &executed);
  ok = prov_run_batch_execute_finish (batch, prov_cli_wait (&executed), &error);
  if (p.progress)
    {
      g_signal_handlers_disconnect_by_func (batch, progress_cb, &p);
      fputc ('\n', stderr);
    }
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cancelled = TRUE;
      else
        {
          status = prov_cli_report_error (error);
          goto out;
        }
    }

  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      ProvRun *run = prov_run_batch_get_run (batch, i);
      ProvEngine *engine = prov_run_get_engine (run);
      const char *run_error = prov_run_batch_get_run_error (batch, i);

      if (run_error != NULL)
        {
          failed = TRUE;
          if (!json)
            prov_cli_error (_("%s: %s"), prov_target_system_get_display_name (prov_run_get_target (run)), run_error);
        }
      if (!json && engine && prov_engine_get_shared_failure (engine) != NULL)
        {
          guint n = prov_engine_get_failures (engine)->len;

          /* Translators: a target system, a number of users, why each of them failed */
          fprintf (stderr, ngettext ("%s: all %u users: %s\n", "%s: all %u users: %s\n", n),
                   prov_target_system_get_display_name (prov_run_get_target (run)), n,
                   prov_engine_get_shared_failure (engine));
          continue;
        }
      for (guint f = 0; !json && engine && f < prov_engine_get_failures (engine)->len; f++)
        {
          ProvFailure *failure = g_ptr_array_index (prov_engine_get_failures (engine), f);
          fprintf (stderr, "%s: %s: %s\n", prov_target_system_get_display_name (prov_run_get_target (run)),
                   failure->operation->user_name, failure->message);
        }
    }
  failed |= prov_run_batch_get_n_failed (batch) > 0;

  if (json)
    {
      g_autoptr(JsonNode) node = batch_to_json (batch, TRUE);
      prov_cli_print_json (node);
    }
  else
    {
      guint n = prov_run_batch_get_n_succeeded (batch);
      /* SAP's own words for the result. */
      printf (ngettext ("%u user provisioned\n", "%u users provisioned\n", n), n);
    }

  if (cancelled)
    {
      prov_cli_error ("%s", _("The run was cancelled. Users already written are complete; run again to do the rest."));
      status = PROV_CLI_EXIT_INTERRUPTED;
    }
  else
    status = failed ? PROV_CLI_EXIT_FAILED : PROV_CLI_EXIT_OK;

out:
  /* Everything the run did is on disk by now (the engine waits for the
   * push state and the journal). Freeing every user, plan and payload
   * one by one took about 5% of a run and 12% of a dry run; the
   * process's exit frees them at once. Kept in a static, they stay
   * reachable for LeakSanitizer. */
  g_clear_object (&finished_batch);
  finished_batch = g_steal_pointer (&batch);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return status;
}
