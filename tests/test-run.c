/* test-run.c — one target's run as the app makes it (ProvRun)
 *
 * Secrets from the keyring, the source read (a tenant on the in-process
 * peer, or a CSV file), the plan, its threshold, the engine and the
 * journal. ProvRun loads secrets from the keyring: meson runs this
 * program through with-keyring.sh (a private, unlocked gnome-keyring).
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-fixture.h"
#include "prov-error.h"
#include "prov-run.h"
#include "prov-secret-store.h"
#include "prov-source.h"

/* meson runs this under with-keyring.sh, which waits until the keyring
 * has its default collection: a refusal is a failure, never a skip. */
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

static ProvSource *
tenant_source_new (Fixture *f)
{
  ProvSource *source = prov_source_new ();
  ProvTargetSystem *connection = prov_source_get_connection (source);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_display_name (connection, "Tenant under test");
  prov_target_system_set_url (connection, prov_test_server_get_base_url (f->server));
  prov_target_system_set_version (connection, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, IAS_CLIENT_ID);
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, IAS_SECRET);
  return source;
}

static ProvRun *
prov_run_prepared (Fixture          *f,
                   ProvSecretStore  *secrets,
                   ProvSource       *source,
                   ProvTargetSystem *target,
                   GPtrArray        *users,
                   GError          **error)
{
  g_autofree char *targets_path = g_build_filename (f->dir, "targets.json", NULL);
  g_autoptr(ProvTargetStore) store = prov_target_store_new (targets_path);
  g_autoptr(ProvTargetService) service = prov_target_service_new (store, secrets, f->client, source, NULL);
  g_autoptr(ProvRun) run = prov_run_new (service, target);
  g_autoptr(GAsyncResult) result = NULL;

  prov_run_set_state_dir (run, f->dir);
  prov_run_set_time_scale (run, TIME_SCALE);
  if (users != NULL)
    prov_run_set_users (run, users, TRUE);

  prov_run_prepare_async (run, NULL, got_result_cb, &result);
  prov_run_prepare_finish (run, wait_for (&result), error);
  return g_steal_pointer (&run);
}

static gboolean
prov_run_execute (ProvRun   *run,
                  gboolean   confirmed,
                  GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_run_execute_async (run, confirmed, NULL, got_result_cb, &result);
  return prov_run_execute_finish (run, wait_for (&result), error);
}

static void
test_run_failed_source_read (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = tenant_source_new (f);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonArray) source_users = NULL;

  save_secrets (secrets, target);
  save_secrets (secrets, prov_source_get_connection (source));

  /* A first, complete run straight from the tenant. */
  prov_test_server_generate_source_users (f->server, 30);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 30);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_CREATE), ==, 30);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  summary = prov_run_dup_summary (run);
  g_assert_cmpstr (summary, ==, "30 users provisioned");
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 30);
  g_clear_object (&run);

  /* The tenant is down for maintenance: nothing is planned, so nobody is
   * deprovisioned and nothing at all is written. */
  prov_test_server_clear_requests (f->server);
  prov_test_server_inject_fault (f->server, "/scim/Users", PROV_TEST_FAULT_STATUS, 503, 0);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_MAINTENANCE);
  g_test_message ("failed read: %s", error->message);
  g_assert_null (prov_run_get_plan (run));
  g_assert_cmpuint (count_writes (f->server, JAM_USERS_PATH), ==, 0);
  g_clear_error (&error);
  g_clear_object (&run);

  /* The tenant answers, with no users: deprovisioning is skipped. */
  prov_test_server_clear_faults (f->server);
  source_users = prov_test_server_dup_users (f->server, PROV_TEST_STORE_SOURCE, NULL);
  for (guint i = 0; i < json_array_get_length (source_users); i++)
    prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL,
                                  json_object_get_string_member (json_array_get_object_element (source_users, i),
                                                                 "userName"));
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 0);
  g_assert_true (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_get_operations (prov_run_get_plan (run))->len, ==, 0);
  prov_run_execute (run, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_writes (f->server, JAM_USERS_PATH), ==, 0);

  /* All 30 still there and active. */
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 30);
  for (guint i = 1; i <= 30; i++)
    g_assert_true (server_user_active (f->server, KIND_JAM, i));
}

static void
write_csv (const char *path,
           guint       first,
           guint       last,
           gboolean    bad_rows)
{
  g_autoptr(GString) csv = g_string_new ("userName,name.givenName,name.familyName,emails[0].value,active\n");
  g_autoptr(GError) error = NULL;

  for (guint i = first; i <= last; i++)
    g_string_append_printf (csv, "user%05u,Given%u,Family%u,user%05u@example.com,TRUE\n", i, i, i, i);
  if (bad_rows)
    {
      /* No last name; and a status that is not TRUE or FALSE. */
      g_string_append (csv, "user09998,Given,,user09998@example.com,TRUE\n");
      g_string_append (csv, "user09999,Given,Family,user09999@example.com,maybe\n");
    }

  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

static void
test_run_csv_bad_rows (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autofree char *csv = g_build_filename (f->dir, "users.csv", NULL);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *problems;

  save_secrets (secrets, target);

  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, csv);

  write_csv (csv, 1, 20, FALSE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_CREATE), ==, 20);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&run);

  /* Users 18–20 left, but two rows cannot be read: the file cannot be
   * trusted to list everyone, so nobody is deactivated. */
  prov_test_server_clear_requests (f->server);
  write_csv (csv, 1, 17, TRUE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  problems = prov_run_get_source_problems (run);
  g_assert_cmpuint (g_strv_length ((GStrv) problems), ==, 2);
  g_assert_true (g_str_has_prefix (problems[0], "Line 19"));
  g_assert_true (g_str_has_prefix (problems[1], "Line 20"));
  g_assert_true (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_NONE), ==, 17);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 0);
  g_clear_object (&run);

  /* Fixed: now they go. */
  write_csv (csv, 1, 17, FALSE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 3);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 18; i <= 20; i++)
    g_assert_false (server_user_active (f->server, KIND_JAM, i));
}

static void
test_run_threshold (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;

  save_secrets (secrets, target);

  run = prov_run_prepared (f, secrets, source, target, users, &error);
  g_assert_no_error (error);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&run);

  /* Ten leavers of fifty: the default threshold is "more than 10". */
  for (guint i = 1; i <= 10; i++)
    users_remove (users, i);
  run = prov_run_prepared (f, secrets, source, target, users, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 10);
  g_assert_false (prov_plan_needs_confirmation (prov_run_get_plan (run)));
  g_clear_object (&run);

  /* Eleven (22 %): over both limits. The run stops before any request. */
  users_remove (users, 11);
  run = prov_run_prepared (f, secrets, source, target, users, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 11);
  g_assert_true (prov_plan_needs_confirmation (prov_run_get_plan (run)));

  prov_test_server_clear_requests (f->server);
  g_assert_false (prov_run_execute (run, FALSE, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_NOT_CONFIRMED);
  g_clear_error (&error);
  g_assert_null (prov_run_get_engine (run));
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, 0);
  for (guint i = 1; i <= 11; i++)
    g_assert_true (server_user_active (f->server, KIND_JAM, i));

  /* Confirmed: it goes. */
  g_assert_true (prov_run_execute (run, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 11);
  for (guint i = 1; i <= 11; i++)
    g_assert_false (server_user_active (f->server, KIND_JAM, i));
  assert_store_matches (f->server, KIND_JAM, users, 11);
}

/* A tenant that caps its pages at 50 and reports totalResults as the
 * page's size: every user is still read and provisioned; deprovisioning
 * trusts the read only when an empty page proved its end. */
static void
test_run_capped_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = tenant_source_new (f);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *problems;

  save_secrets (secrets, target);
  save_secrets (secrets, prov_source_get_connection (source));
  prov_target_system_set_deprovision_mode (target, PROV_DEPROVISION_DEACTIVATE);

  prov_test_server_generate_source_users (f->server, 120);
  prov_test_server_set_source_page_cap (f->server, 50);
  prov_test_server_set_source_reported_total (f->server, 50);

  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 120);
  problems = prov_run_get_source_problems (run);
  g_assert_nonnull (problems);
  g_assert_cmpstr (problems[0], ==,
                   "127.0.0.1 reported 50 users in total but sent 120; every page up to an empty one was read.");
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 120);
  g_clear_object (&run);

  /* One user leaves: the empty page proves the read complete. */
  g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, "user00007"));
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 1);
  prov_run_execute (run, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (server_user_active (f->server, KIND_JAM, 7));
  g_clear_object (&run);

  /* Another leaves, and the server repeats its last page instead of an
   * empty one: the count disagrees with the total and nothing proves the
   * end, so nobody is deprovisioned. */
  g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, "user00008"));
  prov_test_server_set_source_repeat_last_page (f->server, TRUE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 118);
  g_assert_true (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_true (server_user_active (f->server, KIND_JAM, 8));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind, func) \
  g_test_add ("/provisioning/" path, Fixture, GINT_TO_POINTER (kind), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("run/failed-source-read", KIND_JAM, test_run_failed_source_read);
  ADD ("run/csv-bad-rows", KIND_JAM, test_run_csv_bad_rows);
  ADD ("run/capped-pages", KIND_JAM, test_run_capped_pages);
  ADD ("run/threshold", KIND_JAM, test_run_threshold);

#undef ADD

  return g_test_run ();
}
