/* test-target-service-runs.c — runs through the target service
 *
 * Several targets one after another (ProvRunBatch), a batch over a safety
 * threshold confirmed or cancelled, a target that cannot be planned kept
 * in the history as a run that did not start, and what turning real-time
 * provisioning on would push at once: ProvTargetService against a real
 * gnome-keyring (with-keyring.sh) and the in-process test peer on
 * 127.0.0.1 (target-service-fixture.h). No display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "prov-run-batch.h"
#include "target-service-fixture.h"

/* Several targets, one after another */

/* A batch over @targets, prepared: planned, nothing pushed yet. */
static ProvRunBatch *
prepared_batch (Fixture    *f,
                GPtrArray  *targets,
                const char *state)
{
  ProvRunBatch *batch = prov_run_batch_new (f->service, targets, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_run_batch_set_state_dir (batch, state);
  prov_run_batch_set_time_scale (batch, TIME_SCALE);
  prov_run_batch_prepare_async (batch, NULL, got_result_cb, &result);
  g_assert_true (prov_run_batch_prepare_finish (batch, wait_for (&result), &error));
  g_assert_no_error (error);
  return batch;
}

static gboolean
execute_batch (ProvRunBatch  *batch,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_run_batch_execute_async (batch, cancellable, got_result_cb, &result);
  return prov_run_batch_execute_finish (batch, wait_for (&result), error);
}

static void
progress_cb (ProvRunBatch *batch,
             guint         done,
             guint         total,
             guint        *last)
{
  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, *last);
  *last = done;
}

static void
run_started_cb (ProvRunBatch *batch,
                guint         index,
                GString      *order)
{
  g_string_append_printf (order, "%u", index);
}

static void
test_run_batch (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ProvTestServer) second = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvSource) source = tenant_source (f, IAS_SECRET);
  g_autoptr(ProvTargetSystem) first_target = add_target (f, "First", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) second_target = NULL;
  g_autoptr(ProvRunBatch) batch = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GString) order = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  guint last = 0;

  prov_test_server_add_client (second, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  {
    g_autoptr(ProvTargetSystem) edited = jam_target (f, "Second", JAM_CLIENT_SECRET);
    g_autofree char *token_url = g_strconcat (prov_test_server_get_base_url (second), "/api/v1/auth/token", NULL);

    prov_target_system_set_url (edited, prov_test_server_get_base_url (second));
    prov_target_system_set_text (edited, PROV_FIELD_TOKEN_URL, token_url);
    second_target = save_target (f, edited, NULL, &error);
    g_assert_no_error (error);
  }

  prov_test_server_generate_source_users (f->server, 12);
  g_assert_true (save_source (f, source, &error));
  g_assert_no_error (error);

  g_ptr_array_add (targets, first_target);
  g_ptr_array_add (targets, second_target);
  prov_test_server_clear_requests (f->server);
  batch = prepared_batch (f, targets, state);
  g_signal_connect (batch, "progress", G_CALLBACK (progress_cb), &last);
  g_signal_connect (batch, "run-started", G_CALLBACK (run_started_cb), order);
  g_assert_null (prov_run_batch_get_problem (batch, 0));
  g_assert_null (prov_run_batch_get_problem (batch, 1));
  g_assert_cmpuint (prov_run_batch_get_n_operations (batch), ==, 24);
  /* One read of the source served both targets: its page of users and
   * the empty page that proves the read whole. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/scim/Users"), ==, 2);

  g_assert_true (execute_batch (batch, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (order->str, ==, "01");
  g_assert_cmpuint (last, ==, 24);
  g_assert_cmpuint (prov_run_batch_get_n_succeeded (batch), ==, 24);
  g_assert_cmpuint (prov_run_batch_get_n_failed (batch), ==, 0);
  /* The summary's breakdown: every user created, none unchanged yet. */
  g_assert_cmpuint (prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_CREATE), ==, 24);
  g_assert_cmpuint (prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_UPDATE), ==, 0);
  g_assert_cmpuint (prov_run_batch_get_n_unchanged (batch), ==, 0);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 12);
  g_assert_cmpuint (prov_test_server_get_n_users (second, PROV_TEST_STORE_JAM, NULL), ==, 12);
}

/* A target that cannot be planned: the others run, and the history
 * keeps it as a run that did not start, with its reason. */
static void
test_run_batch_not_started (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source (f, IAS_SECRET);
  g_autoptr(ProvTargetSystem) gone = add_target (f, "Secret Gone", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) kept = add_target (f, "Kept", JAM_CLIENT_SECRET);
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  g_autofree char *journal = g_build_filename (state, "journal", NULL);
  g_autofree char *problem = NULL;

  prov_test_server_generate_source_users (f->server, 12);
  g_assert_true (save_source (f, source, &error));
  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_secret_store_clear_target_async (f->secrets, prov_target_system_get_uuid (gone),
                                          NULL, got_result_cb, &result);
    g_assert_true (prov_secret_store_clear_target_finish (f->secrets, wait_for (&result), &error));
  }
  g_ptr_array_add (targets, gone);
  g_ptr_array_add (targets, kept);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(ProvRunBatch) batch = prepared_batch (f, targets, state);

      g_assert_nonnull (prov_run_batch_get_problem (batch, 0));
      g_assert_null (prov_run_batch_get_problem (batch, 1));
      if (round == 1)
        break;  /* planned only (a dry run): nothing to record */

      g_free (problem);
      problem = g_strdup (prov_run_batch_get_problem (batch, 0));
      g_assert_true (execute_batch (batch, NULL, &error));
      g_assert_cmpuint (prov_run_batch_get_n_succeeded (batch), ==, 12);
    }

  runs = prov_journal_list_runs (journal, NULL);
  g_assert_cmpuint (runs->len, ==, 2);
  for (guint i = 0; i < runs->len; i++)
    {
      ProvJournalRun *run = g_ptr_array_index (runs, i);

      g_assert_true (run->finished);
      if (g_strcmp0 (run->target_uuid, prov_target_system_get_uuid (gone)) == 0)
        {
          g_assert_cmpstr (run->error, ==, problem);
          g_assert_cmpuint (run->succeeded, ==, 0);
          g_assert_cmpuint (run->failed, ==, 0);
          g_assert_nonnull (run->started);
          {
            g_autoptr(GPtrArray) entries = prov_journal_read_entries (run->path, &error);
            g_assert_no_error (error);
            g_assert_cmpuint (entries->len, ==, 0);
          }
        }
      else
        {
          g_assert_cmpstr (run->target_uuid, ==, prov_target_system_get_uuid (kept));
          g_assert_null (run->error);
          g_assert_cmpuint (run->succeeded, ==, 12);
        }
    }
}

/* Real-time provisioning: what turning it on pushes at once */

static ProvPlan *
plan_real_time (Fixture           *f,
                ProvTargetSystem  *edited,
                GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_plan_real_time_async (f->service, edited, NULL, got_result_cb, &result);
  return prov_target_service_plan_real_time_finish (f->service, wait_for (&result), error);
}

/* A question only when turning it on would push the whole source: on for
 * a target that has received nobody yet. */
static void
test_real_time_plan (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source (f, IAS_SECRET);
  g_autoptr(ProvTargetSystem) edited = jam_target (f, "Real Time", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) saved = NULL;
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvPushState) state = NULL;
  g_autoptr(GError) error = NULL;

  prov_test_server_generate_source_users (f->server, 7);
  g_assert_true (save_source (f, source, &error));
  g_assert_no_error (error);

  /* Off: nothing to confirm, and the source is not even read. */
  prov_test_server_clear_requests (f->server);
  g_assert_null (plan_real_time (f, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/scim/Users"), ==, 0);

  /* On for a new target: every user of the source, at once. */
  prov_target_system_set_real_time (edited, TRUE);
  plan = plan_real_time (f, edited, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_CREATE), ==, 7);
  g_clear_object (&plan);

  /* Saved with it off, then turned on in an edit: the same question. */
  prov_target_system_set_real_time (edited, FALSE);
  saved = save_target (f, edited, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&edited);
  edited = dup_with_secrets (f, saved);
  prov_target_system_set_real_time (edited, TRUE);
  plan = plan_real_time (f, edited, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  g_clear_object (&plan);

  /* Once the target has received users, real time pushes only changes. */
  state = prov_push_state_new (prov_target_system_get_uuid (saved), NULL);
  prov_push_state_record (state, "user.one", "id-1", "hash", TRUE, "{\"userName\":\"user.one\"}");
  g_assert_true (prov_push_state_save (state, &error));
  g_assert_no_error (error);
  g_assert_null (plan_real_time (f, edited, &error));
  g_assert_no_error (error);
  g_assert_true (g_unlink (prov_push_state_get_path (state)) == 0);

  /* On already in the saved target: no question either. */
  g_clear_object (&saved);
  saved = save_target (f, edited, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (plan_real_time (f, edited, &error));
  g_assert_no_error (error);

  /* A source whose users are all inactive pushes nobody at once: nothing
   * to confirm. */
  {
    g_autoptr(ProvTargetSystem) other = jam_target (f, "Inactive Source", JAM_CLIENT_SECRET);

    for (guint i = 1; i <= 7; i++)
      {
        g_autofree char *user_name = g_strdup_printf ("user%05u", i);
        g_autoptr(JsonObject) user = prov_test_server_find_user (f->server, PROV_TEST_STORE_SOURCE,
                                                                 NULL, user_name);

        json_object_set_boolean_member (user, "active", FALSE);
        prov_test_server_put_user (f->server, PROV_TEST_STORE_SOURCE, NULL, user);
      }
    prov_target_system_set_real_time (other, TRUE);
    prov_test_server_clear_requests (f->server);
    g_assert_null (plan_real_time (f, other, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/scim/Users"), >, 0);
  }

  /* A source that cannot be read says why. */
  {
    g_autoptr(ProvTargetSystem) other = jam_target (f, "Another", JAM_CLIENT_SECRET);

    prov_target_system_set_real_time (other, TRUE);
    prov_test_server_remove_client (f->server, IAS_CLIENT_ID);
    g_assert_null (plan_real_time (f, other, &error));
    g_assert_nonnull (error);
  }
}

/* Requests that change users at SAP Jam. */
static guint
writes (ProvTestServer *server)
{
  return prov_test_server_count_requests (server, NULL, "/api/v1/scim/Users") -
         prov_test_server_count_requests (server, "GET", "/api/v1/scim/Users");
}

/* Over the threshold: a target runs only once confirmed; cancelling stops
 * the batch before the next target. */
static void
test_run_batch_confirm_cancel (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source (f, IAS_SECRET);
  g_autoptr(ProvTargetSystem) target = add_target (f, "Jam", JAM_CLIENT_SECRET);
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);

  prov_test_server_generate_source_users (f->server, 30);
  g_assert_true (save_source (f, source, &error));
  g_ptr_array_add (targets, target);

  /* A first run creates the 30. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(ProvRunBatch) batch = prepared_batch (f, targets, state);

      if (round == 1)
        {
          /* All 30 left the source: more than the threshold. */
          g_assert_false (prov_run_batch_all_confirmed (batch));
          g_assert_true (execute_batch (batch, NULL, &error));
          g_assert_nonnull (prov_run_batch_get_run_error (batch, 0));
          g_assert_cmpuint (prov_run_batch_get_n_succeeded (batch), ==, 0);
          g_assert_cmpuint (writes (f->server), ==, 0);

          /* Confirmed, but cancelled before it starts. */
          {
            g_autoptr(ProvRunBatch) again = prepared_batch (f, targets, state);
            g_autoptr(GCancellable) cancellable = g_cancellable_new ();

            prov_run_batch_set_confirmed (again, 0, TRUE);
            g_assert_true (prov_run_batch_all_confirmed (again));
            g_cancellable_cancel (cancellable);
            g_assert_false (execute_batch (again, cancellable, &error));
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
            g_clear_error (&error);
            g_assert_cmpuint (writes (f->server), ==, 0);
          }
          continue;
        }

      g_assert_true (prov_run_batch_all_confirmed (batch));
      g_assert_true (execute_batch (batch, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (prov_run_batch_get_n_succeeded (batch), ==, 30);

      /* All but one leave the source. */
      for (guint i = 2; i <= 30; i++)
        {
          g_autofree char *name = g_strdup_printf ("user%05u", i);
          g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, name));
        }
      prov_test_server_clear_requests (f->server);
    }
}

int
main (int   argc,
      char *argv[])
{
  target_service_tests_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/target-service/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("run-batch/two-targets", test_run_batch);
  ADD ("run-batch/confirm-cancel", test_run_batch_confirm_cancel);
  ADD ("run-batch/not-started", test_run_batch_not_started);
  ADD ("real-time-plan", test_real_time_plan);

  return target_service_tests_run ();
}
