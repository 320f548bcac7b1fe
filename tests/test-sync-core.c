/* test-sync-core.c — ProvSync as the window sees it: the state of each
 * target (in sync, failing, paused), what waits, one journal a session
 *
 * The in-process test peer is the tenant and SAP Jam at once; the keyring
 * is a real one (with-keyring.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-journal.h"
#include "prov-secret-store.h"
#include "prov-sync.h"
#include "prov-test-server.h"
#include "test-helpers.h"

#define JAM_CLIENT_ID     "jam-client"
#define JAM_CLIENT_SECRET "jam-secret"
#define IAS_CLIENT_ID     "ias-client"
#define IAS_SECRET        "ias-secret"
#define JAM_USERS_PATH    "/api/v1/scim/Users"
#define SOURCE_USERS_PATH "/scim/Users"

typedef struct
{
  ProvTestServer    *server;
  char              *dir;
  ProvTargetService *service;
  ProvTargetSystem  *target;     /* the store's */
  ProvSync          *sync;
  guint              n_changed;
} Fixture;

static void
save_secrets (ProvSecretStore  *secrets,
              ProvTargetSystem *target)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_secret_store_save_target_async (secrets, target, NULL, got_result_cb, &result);
  prov_secret_store_save_target_finish (secrets, wait_for (&result), &error);
  g_assert_no_error (error);
}

static void
changed_cb (ProvSync   *sync,
            const char *uuid,
            Fixture    *f)
{
  f->n_changed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(ProvTargetStore) store = NULL;
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autofree char *targets_path = NULL;
  g_autofree char *token_url = NULL;
  ProvTargetSystem *connection = prov_source_get_connection (source);
  const char *base;

  f->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (f->server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  prov_test_server_add_client (f->server, IAS_CLIENT_ID, IAS_SECRET);
  prov_test_server_generate_source_users (f->server, 20);
  base = prov_test_server_get_base_url (f->server);

  f->dir = g_dir_make_tmp ("test-sync-core-XXXXXX", &error);
  g_assert_no_error (error);
  targets_path = g_build_filename (f->dir, "targets.json", NULL);
  store = prov_target_store_new (targets_path);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_url (connection, base);
  prov_target_system_set_version (connection, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, IAS_CLIENT_ID);
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, IAS_SECRET);
  save_secrets (secrets, connection);

  prov_target_system_set_display_name (target, "Jam under test");
  prov_target_system_set_url (target, base);
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  token_url = g_strconcat (base, "/api/v1/auth/token", NULL);
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, JAM_CLIENT_SECRET);
  prov_target_system_set_threshold_users (target, 2);
  prov_target_system_set_threshold_percent (target, 1);
  prov_target_system_set_real_time (target, TRUE);
  save_secrets (secrets, target);
  prov_target_store_append (store, target);
  f->target = target;

  f->service = prov_target_service_new (store, secrets, client, source, NULL);
  f->sync = prov_sync_new (f->service);
  prov_sync_set_state_dir (f->sync, f->dir);
  prov_sync_set_time_scale (f->sync, 0.01);
  g_signal_connect (f->sync, "target-changed", G_CALLBACK (changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_autoptr(GAsyncResult) result = NULL;

  prov_sync_stop_async (f->sync, got_result_cb, &result);
  g_assert_true (prov_sync_stop_finish (f->sync, wait_for (&result), NULL));
  g_clear_object (&result);
  g_assert_finalize_object (f->sync);
  g_clear_object (&f->service);
  g_clear_object (&f->server);
  g_assert_cmpint (system (command), ==, 0);
  g_free (f->dir);
}

static void
run_once (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_sync_run_once_async (f->sync, NULL, got_result_cb, &result);
  prov_sync_run_once_finish (f->sync, wait_for (&result), &error);
  g_assert_no_error (error);
}

static gboolean
jam_active (Fixture    *f,
            const char *user_name)
{
  g_autoptr(JsonObject) user = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, user_name);

  g_assert_nonnull (user);
  return json_object_get_boolean_member (user, "active");
}

static void
change_title (Fixture    *f,
              const char *user_name,
              const char *title)
{
  g_autoptr(JsonObject) user = prov_test_server_find_user (f->server, PROV_TEST_STORE_SOURCE, NULL, user_name);

  json_object_set_string_member (user, "title", title);
  json_object_remove_member (user, "meta");
  prov_test_server_put_user (f->server, PROV_TEST_STORE_SOURCE, NULL, user);
}

/* In sync after the first push; a target that fails keeps the change
 * waiting with its sentence, and is in sync again once it answers. */
static void
test_states (Fixture       *f,
             gconstpointer  data)
{
  const char *uuid = prov_target_system_get_uuid (f->target);
  g_autoptr(JsonObject) pushed = NULL;

  run_once (f);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 20);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_IN_SYNC);
  g_assert_cmpuint (prov_sync_get_n_waiting (f->sync, uuid), ==, 0);
  g_assert_nonnull (prov_sync_get_last_check (f->sync, uuid));
  g_assert_null (prov_sync_get_failure (f->sync, uuid));
  g_assert_cmpuint (f->n_changed, >, 0);

  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_STATUS, 500, 0);
  change_title (f, "user00003", "Changed while Jam fails");
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_FAILING);
  g_assert_nonnull (prov_sync_get_failure (f->sync, uuid));
  g_test_message ("failing: %s", prov_sync_get_failure (f->sync, uuid));
  g_assert_cmpuint (prov_sync_get_n_waiting (f->sync, uuid), ==, 1);

  prov_test_server_clear_faults (f->server);
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_IN_SYNC);
  g_assert_cmpuint (prov_sync_get_n_waiting (f->sync, uuid), ==, 0);
  g_assert_null (prov_sync_get_failure (f->sync, uuid));
  pushed = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00003");
  /* SAP's table: title becomes jobFunction. */
  g_assert_cmpstr (json_object_get_string_member (pushed, "jobFunction"), ==, "Changed while Jam fails");
}

/* Two syncs on one state folder (the window's application and
 * provisioner sync): the first to check syncs until it stops; the other
 * reads and pushes nothing meanwhile, says every target is synced
 * elsewhere, and takes over at its next check after the first stopped. */
static void
test_one_process_syncs (Fixture       *f,
                        gconstpointer  data)
{
  const char *uuid = prov_target_system_get_uuid (f->target);
  g_autoptr(ProvSync) other = prov_sync_new (f->service);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint requests;

  prov_sync_set_state_dir (other, f->dir);
  prov_sync_set_time_scale (other, 0.01);

  run_once (f);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 20);
  change_title (f, "user00004", "Changed while two sync");
  requests = prov_test_server_count_requests (f->server, NULL, NULL);

  prov_sync_run_once_async (other, NULL, got_result_cb, &result);
  g_assert_true (prov_sync_run_once_finish (other, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (prov_sync_get_state (other, uuid), ==, PROV_SYNC_STATE_ELSEWHERE);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, requests);
  /* The holder is not affected. */
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_IN_SYNC);

  prov_sync_stop_async (f->sync, got_result_cb, &result);
  g_assert_true (prov_sync_stop_finish (f->sync, wait_for (&result), NULL));
  g_clear_object (&result);

  prov_sync_run_once_async (other, NULL, got_result_cb, &result);
  g_assert_true (prov_sync_run_once_finish (other, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (prov_sync_get_state (other, uuid), ==, PROV_SYNC_STATE_IN_SYNC);
  {
    g_autoptr(JsonObject) pushed = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00004");

    g_assert_cmpstr (json_object_get_string_member (pushed, "jobFunction"), ==, "Changed while two sync");
  }

  prov_sync_stop_async (other, got_result_cb, &result);
  g_assert_true (prov_sync_stop_finish (other, wait_for (&result), NULL));
}

/* More leavers than the threshold: paused with a reason, nobody
 * deactivated; confirmed, the next check deactivates them. */
static void
test_threshold_pauses (Fixture       *f,
                       gconstpointer  data)
{
  const char *uuid = prov_target_system_get_uuid (f->target);
  const char *leavers[] = { "user00001", "user00002", "user00003", "user00004" };

  run_once (f);
  for (guint i = 0; i < G_N_ELEMENTS (leavers); i++)
    prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, leavers[i]);

  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_PAUSED);
  g_assert_nonnull (prov_sync_get_pause_reason (f->sync, uuid));
  g_test_message ("paused: %s", prov_sync_get_pause_reason (f->sync, uuid));
  for (guint i = 0; i < G_N_ELEMENTS (leavers); i++)
    g_assert_true (jam_active (f, leavers[i]));

  /* Still paused at the next check. */
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_PAUSED);
  g_assert_true (jam_active (f, leavers[0]));

  prov_sync_resume (f->sync, uuid);
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_IN_SYNC);
  for (guint i = 0; i < G_N_ELEMENTS (leavers); i++)
    g_assert_false (jam_active (f, leavers[i]));
}

/* Several checks of one session write one journal run, "real-time",
 * holding every pushed change. */
static void
test_one_journal_per_session (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *journal_dir = g_build_filename (f->dir, "journal", NULL);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ProvJournalRun *run;

  run_once (f);
  change_title (f, "user00005", "One");
  run_once (f);
  change_title (f, "user00006", "Two");
  run_once (f);

  prov_sync_stop_async (f->sync, got_result_cb, &result);
  g_assert_true (prov_sync_stop_finish (f->sync, wait_for (&result), NULL));

  runs = prov_journal_list_runs (journal_dir, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->scenario, ==, "real-time");
  g_assert_true (run->finished);
  g_assert_cmpuint (run->succeeded, ==, 22);
  g_assert_cmpuint (run->failed, ==, 0);
}

static void
wait_until_state (Fixture       *f,
                  ProvSyncState  state)
{
  const char *uuid = prov_target_system_get_uuid (f->target);

  while (prov_sync_get_state (f->sync, uuid) != state)
    g_main_context_iteration (NULL, TRUE);
}

static void
stop_sync (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_sync_stop_async (f->sync, got_result_cb, &result);
  g_assert_true (prov_sync_stop_finish (f->sync, wait_for (&result), NULL));
}

/* A new ProvSync on the same state directory: as after a restart. */
static void
restart_sync (Fixture *f)
{
  stop_sync (f);
  g_assert_finalize_object (f->sync);
  f->sync = prov_sync_new (f->service);
  prov_sync_set_state_dir (f->sync, f->dir);
  prov_sync_set_time_scale (f->sync, 0.01);
  g_signal_connect (f->sync, "target-changed", G_CALLBACK (changed_cb), f);
}

/* A pause outlives the process: after a restart the target is still
 * paused with its reason and nothing is removed. A confirmation written
 * by another process (`sync --resume`) lets the removals go — but only as
 * many as were confirmed: one more leaver pauses it again. */
static void
test_pause_survives_restart (Fixture       *f,
                             gconstpointer  data)
{
  const char *uuid = prov_target_system_get_uuid (f->target);
  const char *leavers[] = { "user00001", "user00002", "user00003", "user00004" };
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (prov_sync_confirm_pause (f->dir, uuid, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
  g_clear_error (&error);

  run_once (f);
  for (guint i = 0; i < G_N_ELEMENTS (leavers); i++)
    prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, leavers[i]);
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_PAUSED);
  reason = g_strdup (prov_sync_get_pause_reason (f->sync, uuid));

  restart_sync (f);
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_PAUSED);
  g_assert_cmpstr (prov_sync_get_pause_reason (f->sync, uuid), ==, reason);
  g_assert_true (jam_active (f, leavers[0]));

  /* Confirmed for 4; a fifth leaver came meanwhile. */
  g_assert_true (prov_sync_confirm_pause (f->dir, uuid, &error));
  g_assert_no_error (error);
  prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, "user00005");
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_PAUSED);
  g_assert_cmpstr (prov_sync_get_pause_reason (f->sync, uuid), !=, reason);
  g_test_message ("paused again: %s", prov_sync_get_pause_reason (f->sync, uuid));
  g_assert_true (jam_active (f, "user00005"));
  g_assert_true (jam_active (f, leavers[0]));

  /* Confirmed while no sync runs: the next one finds the confirmation. */
  restart_sync (f);
  g_assert_true (prov_sync_confirm_pause (f->dir, uuid, &error));
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_IN_SYNC);
  g_assert_false (jam_active (f, "user00005"));
  for (guint i = 0; i < G_N_ELEMENTS (leavers); i++)
    g_assert_false (jam_active (f, leavers[i]));

  /* Used up: the record is gone. */
  g_assert_false (prov_sync_confirm_pause (f->dir, uuid, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
}

static void
save_target_secret (Fixture    *f,
                    const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ProvTargetSystem) copy = NULL;
  g_autoptr(ProvTargetSystem) saved = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_service_dup_target_with_secrets_async (f->service, f->target, NULL, got_result_cb, &result);
  copy = prov_target_service_dup_target_with_secrets_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  prov_target_system_set_text (copy, PROV_FIELD_CLIENT_SECRET, secret);
  prov_target_service_save_target_async (f->service, copy, NULL, got_result_cb, &result);
  saved = prov_target_service_save_target_finish (f->service, wait_for (&result), NULL, &error);
  g_assert_no_error (error);
}

/* With an interval of an hour, a saved target still takes effect at once:
 * a new (wrong) secret makes the waiting change fail, the right one
 * pushes it. */
static void
test_store_change (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) pushed = NULL;

  prov_sync_set_interval (f->sync, 3600);
  prov_sync_start (f->sync);
  wait_until_state (f, PROV_SYNC_STATE_PUSHING);
  wait_until_state (f, PROV_SYNC_STATE_IN_SYNC);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 20);

  change_title (f, "user00007", "Seen after a save");
  save_target_secret (f, "a-wrong-secret");
  wait_until_state (f, PROV_SYNC_STATE_FAILING);
  g_test_message ("failing: %s", prov_sync_get_failure (f->sync, prov_target_system_get_uuid (f->target)));

  save_target_secret (f, JAM_CLIENT_SECRET);
  wait_until_state (f, PROV_SYNC_STATE_IN_SYNC);
  pushed = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00007");
  g_assert_cmpstr (json_object_get_string_member (pushed, "jobFunction"), ==, "Seen after a save");
}

/* 429 from the tenant: the next check waits what Retry-After says, never
 * more than 8 intervals; 503 without it doubles the wait; a good read
 * brings back the interval. */
static void
test_source_backoff (Fixture       *f,
                     gconstpointer  data)
{
  const guint retry_after[] = { 20, 3600 };
  const guint expected_429[] = { 20, 40 };
  const guint expected_503[] = { 10, 20, 40, 40 };

  prov_sync_set_interval (f->sync, 5);
  run_once (f);
  g_assert_cmpuint (prov_sync_get_wait (f->sync), ==, 5);

  for (guint i = 0; i < G_N_ELEMENTS (retry_after); i++)
    {
      prov_test_server_set_retry_after (f->server, retry_after[i]);
      prov_test_server_inject_fault (f->server, SOURCE_USERS_PATH, PROV_TEST_FAULT_STATUS, 429, 0);
      run_once (f);
      g_assert_nonnull (prov_sync_get_source_problem (f->sync));
      g_assert_cmpuint (prov_sync_get_wait (f->sync), ==, expected_429[i]);
      prov_test_server_clear_faults (f->server);
    }

  run_once (f);
  g_assert_null (prov_sync_get_source_problem (f->sync));
  g_assert_cmpuint (prov_sync_get_wait (f->sync), ==, 5);

  prov_test_server_inject_fault (f->server, SOURCE_USERS_PATH, PROV_TEST_FAULT_STATUS, 503, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected_503); i++)
    {
      run_once (f);
      g_assert_cmpuint (prov_sync_get_wait (f->sync), ==, expected_503[i]);
    }
  prov_test_server_clear_faults (f->server);
  run_once (f);
  g_assert_cmpuint (prov_sync_get_wait (f->sync), ==, 5);
}

/* The queue cannot be written: nothing is pushed (a change reaches the
 * target only once it is on disk), the target fails with the sentence. */
static void
test_queue_unwritable (Fixture       *f,
                       gconstpointer  data)
{
  const char *uuid = prov_target_system_get_uuid (f->target);
  g_autofree char *sync_dir = g_build_filename (f->dir, "sync", NULL);

  g_assert_true (g_file_set_contents (sync_dir, "not a folder", -1, NULL));
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_FAILING);
  g_test_message ("failing: %s", prov_sync_get_failure (f->sync, uuid));
  g_assert_nonnull (strstr (prov_sync_get_failure (f->sync, uuid), "queue"));
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 0);

  g_assert_cmpint (g_remove (sync_dir), ==, 0);
  run_once (f);
  g_assert_cmpint (prov_sync_get_state (f->sync, uuid), ==, PROV_SYNC_STATE_IN_SYNC);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 20);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/states", Fixture, NULL, fixture_set_up, test_states, fixture_tear_down);
  g_test_add ("/sync/one-process-syncs", Fixture, NULL, fixture_set_up, test_one_process_syncs, fixture_tear_down);
  g_test_add ("/sync/threshold-pauses", Fixture, NULL, fixture_set_up, test_threshold_pauses, fixture_tear_down);
  g_test_add ("/sync/one-journal-per-session", Fixture, NULL, fixture_set_up, test_one_journal_per_session,
              fixture_tear_down);
  g_test_add ("/sync/pause-survives-restart", Fixture, NULL, fixture_set_up, test_pause_survives_restart,
              fixture_tear_down);
  g_test_add ("/sync/store-change", Fixture, NULL, fixture_set_up, test_store_change, fixture_tear_down);
  g_test_add ("/sync/source-backoff", Fixture, NULL, fixture_set_up, test_source_backoff, fixture_tear_down);
  g_test_add ("/sync/queue-unwritable", Fixture, NULL, fixture_set_up, test_queue_unwritable, fixture_tear_down);

  return g_test_run ();
}
