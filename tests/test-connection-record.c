/* test-connection-record.c — the last Test Connection of each target, kept
 * across starts
 *
 * ProvTargetService with a record file in the test's folder, a real
 * keyring and the in-process peer (target-service-fixture.h). A "next
 * start" is a second service over the same files, loaded afresh. No
 * display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "prov-connection-record.h"
#include "prov-error.h"
#include "target-service-fixture.h"

static gboolean
test_target (ProvTargetService  *service,
             ProvTargetSystem   *target,
             GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_test_target_async (service, target, NULL, got_result_cb, &result);
  return prov_target_service_test_target_finish (service, wait_for (&result), error);
}

static char *
record_path (Fixture *f)
{
  return g_build_filename (f->dir, "state", "connection-tests.json", NULL);
}

/* What the next start shows: a new service over the same files. */
static ProvTargetService *
next_start (Fixture *f)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->targets_path);
  g_autofree char *path = record_path (f);
  ProvTargetService *service = prov_target_service_new (store, f->secrets, f->client, NULL, f->source_path);

  prov_target_service_set_connection_record (service, path);
  load_service (service);
  return service;
}

static ProvTargetSystem *
find (ProvTargetService *service,
      const char        *name)
{
  GListModel *model = G_LIST_MODEL (prov_target_service_get_store (service));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (model, i);

      if (g_str_equal (prov_target_system_get_display_name (target), name))
        return target;
    }
  g_assert_not_reached ();
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture_setup (f, data);
  path = record_path (f);
  prov_target_service_set_connection_record (f->service, path);
}

/* Tested, then started again: each outcome, its sentence and its time are
 * back; the file is the owner's alone and holds no secret. */
static void
test_kept_across_starts (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) bad = add_target (f, "Bad", "not the secret");
  g_autoptr(ProvTargetService) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = record_path (f);
  g_autofree char *contents = NULL;
  ProvTargetSystem *good_again, *bad_again;
  GStatBuf st;

  g_assert_true (test_target (f->service, good, &error));
  g_assert_false (test_target (f->service, bad, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CREDENTIALS_REFUSED);

  /* On disk once the test has ended: a command's process ends right after. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, JAM_CLIENT_SECRET));
  g_assert_null (strstr (contents, "not the secret"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = next_start (f);
  good_again = find (again, "Good");
  bad_again = find (again, "Bad");
  g_assert_cmpint (prov_target_system_get_connection_status (good_again), ==, PROV_CONNECTION_STATUS_OK);
  g_assert_cmpstr (prov_target_system_get_connection_message (good_again), ==,
                   prov_target_system_get_connection_message (good));
  g_assert_cmpint (prov_target_system_get_connection_status (bad_again), ==, PROV_CONNECTION_STATUS_FAILED);
  g_assert_cmpstr (prov_target_system_get_connection_message (bad_again), ==, error->message);
  g_assert_cmpint (g_date_time_to_unix (prov_target_system_get_connection_time (bad_again)), ==,
                   g_date_time_to_unix (prov_target_system_get_connection_time (bad)));
}

/* An outcome describes the values tested: a save that changes them (even
 * the secret alone) forgets it, and so does a change made by another
 * process to the file. */
static void
test_forgotten_when_values_change (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) other = add_target (f, "Other", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) edited = NULL;
  g_autoptr(ProvTargetSystem) saved = NULL;
  g_autoptr(ProvTargetService) again = NULL;
  g_autoptr(ProvTargetStore) elsewhere = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (test_target (f->service, good, &error));
  g_assert_true (test_target (f->service, other, &error));

  /* The secret alone changes. */
  edited = dup_with_secrets (f, good);
  prov_target_system_set_text (edited, PROV_FIELD_CLIENT_SECRET, "a new secret");
  saved = save_target (f, edited, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prov_target_system_get_connection_status (good), ==, PROV_CONNECTION_STATUS_UNKNOWN);
  again = next_start (f);
  g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Good")), ==,
                   PROV_CONNECTION_STATUS_UNKNOWN);
  g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Other")), ==,
                   PROV_CONNECTION_STATUS_OK);
  g_clear_object (&again);

  /* Another process (a command, say) changes Other's URL in the file. */
  elsewhere = prov_target_store_new (f->targets_path);
  g_assert_true (prov_target_store_load (elsewhere, &error));
  prov_target_system_set_text (prov_target_store_find_by_uuid (elsewhere, prov_target_system_get_uuid (other), NULL),
                               PROV_FIELD_URL, "http://127.0.0.1:9");
  g_assert_true (prov_target_store_save (elsewhere, &error));
  again = next_start (f);
  g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Other")), ==,
                   PROV_CONNECTION_STATUS_UNKNOWN);
}

/* Two processes (the window and a timer's command) keep each other's
 * outcomes: each writes only those it changed. */
static void
test_two_processes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) bad = add_target (f, "Bad", "not the secret");
  g_autoptr(ProvTargetService) timer = NULL;
  g_autoptr(ProvTargetService) again = NULL;
  g_autoptr(GError) error = NULL;

  /* The window is open; a timer's command tests Bad meanwhile. */
  timer = next_start (f);
  g_assert_false (test_target (timer, find (timer, "Bad"), &error));
  g_clear_error (&error);
  g_clear_object (&timer);

  /* The window, which never tested Bad, tests Good. */
  g_assert_true (test_target (f->service, good, &error));
  g_assert_cmpint (prov_target_system_get_connection_status (bad), ==, PROV_CONNECTION_STATUS_UNKNOWN);

  again = next_start (f);
  g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Good")), ==, PROV_CONNECTION_STATUS_OK);
  g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Bad")), ==, PROV_CONNECTION_STATUS_FAILED);
}

/* A window watches the record: another process's test shows at once, and
 * an older outcome never replaces a later one, in the window or the file. */
static void
test_watched (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) bad = add_target (f, "Bad", "not the secret");
  g_autoptr(ProvTargetService) timer = next_start (f);
  g_autoptr(ProvTargetService) again = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *window_time;

  prov_target_service_watch_connection_record (f->service);

  /* The timer tests Good first, the window later. */
  g_assert_true (test_target (timer, find (timer, "Good"), &error));
  g_usleep (2000);
  g_assert_true (test_target (f->service, good, &error));
  window_time = prov_target_system_get_connection_time (good);

  /* The timer then tests Bad: the window shows it without a restart, and
   * keeps its own later outcome of Good. */
  g_assert_false (test_target (timer, find (timer, "Bad"), &error));
  g_clear_error (&error);
  {
    gint64 deadline = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_USEC_PER_SEC;

    while (prov_target_system_get_connection_status (bad) != PROV_CONNECTION_STATUS_FAILED &&
           g_get_monotonic_time () < deadline)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    g_assert_cmpint (prov_target_system_get_connection_status (bad), ==, PROV_CONNECTION_STATUS_FAILED);
  }
  g_assert_true (prov_target_system_get_connection_time (good) == window_time);

  /* So does the file: the next start has the window's outcome of Good. */
  again = next_start (f);
  g_assert_cmpint (g_date_time_compare (prov_target_system_get_connection_time (find (again, "Good")),
                                        window_time), ==, 0);
}

/* The record only describes: a damaged, hostile or foreign file costs the
 * outcomes, never the start. */
static void
test_damaged_file (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const damaged[] = {
    "", "not json", "[]", "{\"format\": \"other\", \"targets\": {}}",
    "{\"format\": \"provisioner-connection-tests\", \"targets\": []}",
    "{\"format\": \"provisioner-connection-tests\", \"targets\": {\"UUID\": {\"ok\": \"yes\", "
    "\"message\": \"m\", \"time\": \"2026-12-01T10:00:00Z\", \"values\": \"VALUES\"}}}",
    "{\"format\": \"provisioner-connection-tests\", \"targets\": {\"UUID\": {\"ok\": true, "
    "\"message\": \"m\", \"time\": \"yesterday\", \"values\": \"VALUES\"}}}",
    "{\"format\": \"provisioner-connection-tests\", \"targets\": {\"UUID\": {\"ok\": true, "
    "\"message\": {}, \"time\": [], \"values\": {\"VALUES\": 1}}}}",
    "{\"format\": \"provisioner-connection-tests\", \"targets\": {\"UUID\": [true]}}",
  };
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autofree char *path = record_path (f);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"format\": \"provisioner-connection-tests\", \"targets\": ");
  g_autofree char *values = NULL;

  /* The fingerprint a real record holds for Good, so that the entries
   * below fail on their own fault alone. */
  g_assert_true (test_target (f->service, good, &error));
  {
    g_autofree char *contents = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *targets;

    g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
    g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
    targets = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "targets");
    values = g_strdup (json_object_get_string_member (json_object_get_object_member (targets, prov_target_system_get_uuid (good)),
                                                      "values"));
  }

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');

  for (guint i = 0; i <= G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(ProvTargetService) again = NULL;
      g_autoptr(GString) text = g_string_new (i == G_N_ELEMENTS (damaged) ? deep->str : damaged[i]);

      g_string_replace (text, "UUID", prov_target_system_get_uuid (good), 0);
      g_string_replace (text, "VALUES", values, 0);
      g_assert_true (g_file_set_contents (path, text->str, -1, &error));
      again = next_start (f);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (prov_target_service_get_store (again))), ==, 1);
      g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Good")), ==,
                       PROV_CONNECTION_STATUS_UNKNOWN);
    }

  /* The next test writes it anew. */
  g_assert_true (test_target (f->service, good, &error));
  {
    g_autoptr(ProvTargetService) again = next_start (f);
    g_assert_cmpint (prov_target_system_get_connection_status (find (again, "Good")), ==,
                     PROV_CONNECTION_STATUS_OK);
  }
}

/* A folder that cannot be written loses the record, not the test. */
static void
test_unwritable (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autofree char *blocker = g_build_filename (f->dir, "state", NULL);
  g_autoptr(GError) error = NULL;

  /* A file where the record's folder should be. */
  g_assert_true (g_file_set_contents (blocker, "", -1, &error));
  g_assert_true (test_target (f->service, good, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_target_system_get_connection_status (good), ==, PROV_CONNECTION_STATUS_OK);
}

int
main (int   argc,
      char *argv[])
{
  target_service_tests_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/connection-record/" path, Fixture, NULL, setup, func, fixture_teardown)

  ADD ("kept-across-starts", test_kept_across_starts);
  ADD ("forgotten-when-values-change", test_forgotten_when_values_change);
  ADD ("two-processes", test_two_processes);
  ADD ("watched", test_watched);
  ADD ("damaged-file", test_damaged_file);
  ADD ("unwritable", test_unwritable);

  return target_service_tests_run ();
}
