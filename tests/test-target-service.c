/* test-target-service.c — the lifecycle of targets and of the source
 *
 * ProvTargetService against a real gnome-keyring (with-keyring.sh), real
 * files in a scratch folder and the in-process test peer on 127.0.0.1
 * (target-service-fixture.h): save, delete and Undo, Test Connection,
 * copies with secrets, the source, the keyring migration. Runs are in
 * test-target-service-runs.c. No display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "prov-error.h"
#include "prov-target-service-import.h"
#include "keyring-raw.h"
#include "target-service-fixture.h"

#define WAIT_SECONDS 20

static gboolean
test_target (Fixture           *f,
             ProvTargetSystem  *target,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_test_target_async (f->service, target, NULL, got_result_cb, &result);
  return prov_target_service_test_target_finish (f->service, wait_for (&result), error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* A fresh store reading the file: what the next start would see. */
static guint
n_targets_in_file (Fixture *f)
{
  g_autoptr(ProvTargetStore) again = prov_target_store_new (f->targets_path);
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_target_store_load (again, &error));
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (again));
}

static char *
names_in_file (Fixture *f)
{
  g_autoptr(ProvTargetStore) again = prov_target_store_new (f->targets_path);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_target_store_load (again, &error));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (again)); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (G_LIST_MODEL (again), i);
      g_string_append_printf (names, "%s%s", i ? "|" : "", prov_target_system_get_display_name (target));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Saving */

static void
test_save_new (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) edited = jam_target (f, "Jam", "typed secret");
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *contents = NULL;
  gboolean created = FALSE;

  target = save_target (f, edited, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (target != edited);
  g_assert_cmpstr (prov_target_system_get_uuid (target), ==, prov_target_system_get_uuid (edited));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);

  /* The store's target holds no secret; the keyring and nothing else does. */
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_CLIENT_SECRET), ==, "");
  secret = keyring_raw_lookup (prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "typed secret");
  g_assert_cmpuint (keyring_raw_count (prov_target_system_get_uuid (target), "2", NULL), ==, 1);
  contents = read_file (f->targets_path);
  g_assert_null (strstr (contents, "typed secret"));
  g_assert_cmpuint (n_targets_in_file (f), ==, 1);
}

static void
test_save_existing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = add_target (f, "Jam", "first secret");
  g_autoptr(ProvTargetSystem) edited = NULL;
  g_autoptr(ProvTargetSystem) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *names = NULL;
  gboolean created = TRUE;

  prov_target_system_set_connection_status (target, PROV_CONNECTION_STATUS_OK, "it worked");

  edited = dup_with_secrets (f, target);
  g_assert_cmpstr (prov_target_system_get_text (edited, PROV_FIELD_CLIENT_SECRET), ==, "first secret");
  prov_target_system_set_display_name (edited, "Jam renamed");
  prov_target_system_set_text (edited, PROV_FIELD_CLIENT_SECRET, "second secret");

  saved = save_target (f, edited, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_true (saved == target);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpstr (prov_target_system_get_display_name (target), ==, "Jam renamed");
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_CLIENT_SECRET), ==, "");
  /* New values: the last test says nothing about them. */
  g_assert_cmpint (prov_target_system_get_connection_status (target), ==, PROV_CONNECTION_STATUS_UNKNOWN);

  secret = keyring_raw_lookup (prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "second secret");
  names = names_in_file (f);
  g_assert_cmpstr (names, ==, "Jam renamed");

  /* An invalid edit is refused before anything is written. */
  prov_target_system_set_url (edited, "not a url");
  g_clear_object (&saved);
  saved = save_target (f, edited, NULL, &error);
  g_assert_null (saved);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
}

/* The file write fails (the file size limit stops it; root is not exempt):
 * keyring, file and store are as they were. */
static void
test_save_file_fails (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = add_target (f, "Jam", "kept secret");
  g_autoptr(ProvTargetSystem) edited = dup_with_secrets (f, target);
  g_autoptr(ProvTargetSystem) extra = jam_target (f, "Never saved", "never kept");
  g_autoptr(ProvTargetSystem) saved = NULL;
  g_autoptr(ProvTargetSystem) saved_extra = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) extra_error = NULL;
  g_autofree char *before = read_file (f->targets_path);
  g_autofree char *after = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *extra_secret = NULL;
  struct rlimit saved_limit;
  struct rlimit limit;
  void (*saved_handler) (int);

  prov_target_system_set_display_name (edited, "Jam with a much longer name than before, so the file grows");
  prov_target_system_set_text (edited, PROV_FIELD_CLIENT_SECRET, "lost secret");

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  limit = saved_limit;
  limit.rlim_cur = strlen (before);
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  saved = save_target (f, edited, NULL, &error);
  saved_extra = save_target (f, extra, NULL, &extra_error);

  setrlimit (RLIMIT_FSIZE, &saved_limit);
  signal (SIGXFSZ, saved_handler);

  g_assert_null (saved);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_null (saved_extra);
  g_assert_error (extra_error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);

  /* As before: the store, the file byte for byte, the keyring. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpstr (prov_target_system_get_display_name (target), ==, "Jam");
  after = read_file (f->targets_path);
  g_assert_cmpstr (after, ==, before);
  secret = keyring_raw_lookup (prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "kept secret");
  extra_secret = keyring_raw_lookup (prov_target_system_get_uuid (extra), PROV_FIELD_CLIENT_SECRET);
  g_assert_null (extra_secret);
  g_assert_cmpuint (keyring_raw_count (prov_target_system_get_uuid (extra), "2", NULL), ==, 0);
}

/* Deleting */

static gboolean
delete_targets (Fixture   *f,
                GPtrArray *targets)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_service_delete_targets_async (f->service, targets, NULL, got_result_cb, &result);
  g_assert_true (prov_target_service_delete_targets_finish (f->service, wait_for (&result), &error));
  g_assert_no_error (error);
  return TRUE;
}

static void
test_delete_undo (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) a = add_target (f, "A", "secret a");
  g_autoptr(ProvTargetSystem) b = add_target (f, "B", "secret b");
  g_autoptr(ProvTargetSystem) c = add_target (f, "C", "secret c");
  g_autoptr(ProvTargetSystem) d = add_target (f, "D", "secret d");
  g_autoptr(GPtrArray) doomed = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ProvTargetSystem) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  g_autofree char *secret = NULL;

  g_ptr_array_add (doomed, b);
  g_ptr_array_add (doomed, d);
  g_assert_false (prov_target_service_can_undo (f->service));
  delete_targets (f, doomed);

  g_assert_true (prov_target_service_can_undo (f->service));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  names = names_in_file (f);
  g_assert_cmpstr (names, ==, "A|C");
  /* The secrets wait for Undo. */
  secret = keyring_raw_lookup (prov_target_system_get_uuid (b), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "secret b");

  prov_target_service_undo_delete_async (f->service, NULL, got_result_cb, &result);
  first = prov_target_service_undo_delete_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (first == b);
  g_assert_false (prov_target_service_can_undo (f->service));

  /* Each where it was, in memory and in the file. */
  g_clear_pointer (&names, g_free);
  names = names_in_file (f);
  g_assert_cmpstr (names, ==, "A|B|C|D");
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(ProvTargetSystem) item = g_list_model_get_item (G_LIST_MODEL (f->store), i);
      ProvTargetSystem *expected[] = { a, b, c, d };
      g_assert_true (item == expected[i]);
    }
  g_clear_pointer (&secret, g_free);
  secret = keyring_raw_lookup (prov_target_system_get_uuid (d), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "secret d");
}

static void
test_delete_commit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) a = add_target (f, "A", "secret a");
  g_autoptr(ProvTargetSystem) b = add_target (f, "B", "secret b");
  g_autoptr(ProvTargetSystem) c = add_target (f, "C", "secret c");
  g_autoptr(GPtrArray) doomed = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_a = NULL;
  g_autofree char *uuid_c = g_strdup (prov_target_system_get_uuid (c));
  gint64 end;

  g_ptr_array_add (doomed, b);
  delete_targets (f, doomed);
  prov_target_service_commit_deletion_async (f->service, NULL, got_result_cb, &result);
  g_assert_true (prov_target_service_commit_deletion_finish (f->service, wait_for (&result), &error));
  g_assert_no_error (error);

  g_assert_false (prov_target_service_can_undo (f->service));
  g_assert_cmpuint (keyring_raw_count (prov_target_system_get_uuid (b), "2", NULL), ==, 0);
  secret_a = keyring_raw_lookup (prov_target_system_get_uuid (a), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret_a, ==, "secret a");

  /* A deletion still pending when the service ends is final. */
  g_ptr_array_set_size (doomed, 0);
  g_ptr_array_add (doomed, c);
  delete_targets (f, doomed);
  g_assert_cmpuint (keyring_raw_count (uuid_c, "2", NULL), ==, 1);
  g_clear_object (&c);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&f->service));

  end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  /* The wipe goes on after the service is gone. */
  while (keyring_raw_try_count (uuid_c, "2", NULL) != 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (keyring_raw_count (uuid_c, "2", NULL), ==, 0);
}

/* Test Connection and copies with secrets */

static void
test_connection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) bad = add_target (f, "Bad", "not the secret");
  g_autoptr(GError) error = NULL;

  g_assert_true (test_target (f, good, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_target_system_get_connection_status (good), ==, PROV_CONNECTION_STATUS_OK);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users"), >=, 1);

  g_assert_false (test_target (f, bad, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CREDENTIALS_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (prov_target_system_get_connection_status (bad), ==, PROV_CONNECTION_STATUS_FAILED);
  g_assert_cmpstr (prov_target_system_get_connection_message (bad), ==, error->message);

  /* The secrets went to private copies, never into the store's targets. */
  g_assert_cmpstr (prov_target_system_get_text (good, PROV_FIELD_CLIENT_SECRET), ==, "");
  g_assert_cmpstr (prov_target_system_get_text (bad, PROV_FIELD_CLIENT_SECRET), ==, "");
}

/* Several at once: what each did, in the order given, each recorded on
 * its target; an empty list ends at once. */
static void
test_connection_several (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) good = add_target (f, "Good", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) bad = add_target (f, "Bad", "not the secret");
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) none = NULL;

  g_ptr_array_add (targets, bad);
  g_ptr_array_add (targets, good);
  prov_target_service_test_targets_async (f->service, targets, NULL, got_result_cb, &result);
  errors = prov_target_service_test_targets_finish (f->service, wait_for (&result));
  g_assert_cmpuint (errors->len, ==, 2);
  g_assert_error ((GError *) g_ptr_array_index (errors, 0), PROV_ERROR, PROV_ERROR_CREDENTIALS_REFUSED);
  g_assert_null (g_ptr_array_index (errors, 1));
  g_assert_cmpint (prov_target_system_get_connection_status (bad), ==, PROV_CONNECTION_STATUS_FAILED);
  g_assert_cmpint (prov_target_system_get_connection_status (good), ==, PROV_CONNECTION_STATUS_OK);

  g_ptr_array_set_size (targets, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  prov_target_service_test_targets_async (f->service, targets, NULL, got_result_cb, &none);
  errors = prov_target_service_test_targets_finish (f->service, wait_for (&none));
  g_assert_cmpuint (errors->len, ==, 0);
}

/* An imported target has no secret in the keyring: its test asks no
 * server, fails with a sentence that names the field, and the target shows
 * that failure (the sidebar's icon) as it would a refusal. */
static void
test_connection_without_secret (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = add_target (f, "Had one", JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) imported = jam_target (f, "Imported", "");
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *stored;

  g_ptr_array_add (targets, g_object_ref (imported));
  prov_target_service_import_targets_async (f->service, targets, NULL, got_result_cb, &result);
  g_assert_true (prov_target_service_import_targets_finish (f->service, wait_for (&result), &error));
  g_assert_no_error (error);
  stored = prov_target_store_find_by_uuid (f->store, prov_target_system_get_uuid (imported), NULL);
  g_assert_nonnull (stored);
  prov_test_server_clear_requests (f->server);

  g_assert_false (test_target (f, stored, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
  g_assert_cmpstr (error->message, ==, "“Imported” has no Client Secret saved: enter it and save the target system.");
  g_assert_cmpint (prov_target_system_get_connection_status (stored), ==, PROV_CONNECTION_STATUS_FAILED);
  g_assert_cmpstr (prov_target_system_get_connection_message (stored), ==, error->message);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, 0);
  /* The other target is untouched. */
  g_assert_cmpint (prov_target_system_get_connection_status (target), ==, PROV_CONNECTION_STATUS_UNKNOWN);
}

static void
test_copy_with_secrets (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = add_target (f, "Jam", "the secret");
  g_autoptr(ProvTargetSystem) copy = dup_with_secrets (f, target);
  g_autoptr(ProvTargetSystem) other = dup_with_secrets (f, target);

  g_assert_true (copy != target);
  g_assert_true (copy != other);
  g_assert_cmpstr (prov_target_system_get_uuid (copy), ==, prov_target_system_get_uuid (target));
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_CLIENT_SECRET), ==, "the secret");
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_CLIENT_SECRET), ==, "");

  /* Private: changing one copy changes nothing else. */
  prov_target_system_set_text (copy, PROV_FIELD_CLIENT_SECRET, "changed");
  g_assert_cmpstr (prov_target_system_get_text (other, PROV_FIELD_CLIENT_SECRET), ==, "the secret");
}

/* Duplicating */

static ProvTargetSystem *
duplicate (Fixture          *f,
           ProvTargetSystem *target,
           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_duplicate_target_async (f->service, target, NULL, got_result_cb, &result);
  return prov_target_service_duplicate_target_finish (f->service, wait_for (&result), error);
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = add_target (f, "Jam", "the secret");
  g_autoptr(ProvTargetSystem) copy = NULL;
  g_autoptr(ProvTargetSystem) saved = NULL;
  g_autoptr(ProvTargetSystem) again = NULL;
  g_autoptr(ProvTargetSystem) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean created = FALSE;

  prov_target_system_set_threshold_users (target, 7);
  prov_target_system_set_connection_status (target, PROV_CONNECTION_STATUS_FAILED, "refused");

  /* Every value and the secret, a new identity and a free name; nothing
   * saved until the copy is. */
  copy = duplicate (f, target, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_display_name (copy), ==, "Jam (copy)");
  g_assert_cmpstr (prov_target_system_get_uuid (copy), !=, prov_target_system_get_uuid (target));
  g_assert_cmpstr (prov_target_system_get_url (copy), ==, prov_target_system_get_url (target));
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_CLIENT_ID), ==,
                   prov_target_system_get_text (target, PROV_FIELD_CLIENT_ID));
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_TOKEN_URL), ==,
                   prov_target_system_get_text (target, PROV_FIELD_TOKEN_URL));
  g_assert_cmpuint (prov_target_system_get_threshold_users (copy), ==, 7);
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_CLIENT_SECRET), ==, "the secret");
  g_assert_cmpint (prov_target_system_get_connection_status (copy), ==, PROV_CONNECTION_STATUS_UNKNOWN);
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_CLIENT_SECRET), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpuint (keyring_raw_count (prov_target_system_get_uuid (copy), "2", NULL), ==, 0);

  /* Saved, it is a target of its own with its own keyring item. */
  saved = save_target (f, copy, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  secret = keyring_raw_lookup (prov_target_system_get_uuid (saved), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "the secret");
  g_assert_cmpuint (n_targets_in_file (f), ==, 2);

  /* The next copy takes the next free name, whichever target it copies. */
  again = duplicate (f, target, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_display_name (again), ==, "Jam (copy 2)");
  third = duplicate (f, saved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_display_name (third), ==, "Jam (copy) (copy)");
}

/* The source of users */

#define SOURCE_TESTED "Connection to the source of users was established successfully."

static char *
test_source (Fixture     *f,
             ProvSource  *edited,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_test_source_async (f->service, edited, NULL, got_result_cb, &result);
  return prov_target_service_test_source_finish (f->service, wait_for (&result), error);
}

static void
test_source_lifecycle (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ProvSource) edited = tenant_source (f, IAS_SECRET);
  g_autoptr(ProvSource) wrong = tenant_source (f, "wrong password");
  g_autoptr(ProvSource) copy = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvSource *saved = prov_target_service_get_source (f->service);
  const char *uuid = prov_target_system_get_uuid (prov_source_get_connection (saved));
  g_autofree char *contents = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *said = NULL;

  prov_test_server_generate_source_users (f->server, 3);

  /* Typed values are tested as typed, before any save. */
  said = test_source (f, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (said, ==, SOURCE_TESTED);
  g_clear_pointer (&said, g_free);
  g_assert_null (test_source (f, wrong, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_true (save_source (f, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_source_get_kind (saved), ==, PROV_SOURCE_KIND_TENANT);
  g_assert_cmpstr (prov_target_system_get_text (prov_source_get_connection (saved), PROV_FIELD_PASSWORD), ==, "");
  contents = read_file (f->source_path);
  g_assert_null (strstr (contents, IAS_SECRET));
  secret = keyring_raw_lookup (uuid, PROV_FIELD_PASSWORD);
  g_assert_cmpstr (secret, ==, IAS_SECRET);

  /* The saved source, with its secrets from the keyring. */
  said = test_source (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (said, ==, SOURCE_TESTED);
  prov_target_service_dup_source_with_secrets_async (f->service, NULL, got_result_cb, &result);
  copy = prov_target_service_dup_source_with_secrets_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (copy != saved);
  g_assert_cmpstr (prov_target_system_get_text (prov_source_get_connection (copy), PROV_FIELD_PASSWORD), ==, IAS_SECRET);

  /* A second service reads it back from the file. */
  {
    g_autoptr(ProvTargetStore) store = prov_target_store_new (f->targets_path);
    g_autoptr(ProvTargetService) again = prov_target_service_new (store, f->secrets, f->client, NULL, f->source_path);
    ProvSource *loaded;

    load_service (again);
    loaded = prov_target_service_get_source (again);
    g_assert_cmpint (prov_source_get_kind (loaded), ==, PROV_SOURCE_KIND_TENANT);
    g_assert_cmpstr (prov_target_system_get_uuid (prov_source_get_connection (loaded)), ==, uuid);
  }
}

/* Secrets kept the old way: one keyring item per field */

static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) old = jam_target (f, "Old", "");
  g_autoptr(ProvTargetStore) writer = prov_target_store_new (f->targets_path);
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->targets_path);
  g_autoptr(ProvTargetService) service = NULL;
  g_autoptr(ProvTargetSystem) copy = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuid = prov_target_system_get_uuid (old);

  /* As an earlier version left things: the file, and one item per field. */
  prov_target_store_append (writer, old);
  g_assert_true (prov_target_store_save (writer, &error));
  g_assert_no_error (error);
  keyring_raw_store_old (uuid, PROV_FIELD_CLIENT_SECRET, "old client secret");
  keyring_raw_store_old (uuid, PROV_FIELD_PASSWORD, "old password of another mechanism");
  g_assert_cmpuint (keyring_raw_count (uuid, "1", NULL), ==, 2);

  service = prov_target_service_new (store, f->secrets, f->client, NULL, f->source_path);
  load_service (service);

  /* Moved at load: one item, the old ones gone, nothing lost. */
  g_assert_cmpuint (keyring_raw_count (uuid, "1", NULL), ==, 0);
  g_assert_cmpuint (keyring_raw_count (uuid, "2", NULL), ==, 1);
  {
    g_autofree char *password = keyring_raw_lookup (uuid, PROV_FIELD_PASSWORD);
    g_assert_cmpstr (password, ==, "old password of another mechanism");
  }

  prov_target_service_dup_target_with_secrets_async (service,
                                                     prov_target_store_find_by_uuid (store, uuid, NULL),
                                                     NULL, got_result_cb, &result);
  copy = prov_target_service_dup_target_with_secrets_finish (service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_CLIENT_SECRET), ==, "old client secret");
}

int
main (int   argc,
      char *argv[])
{
  target_service_tests_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/target-service/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("save/new", test_save_new);
  ADD ("save/existing", test_save_existing);
  ADD ("save/file-fails", test_save_file_fails);
  ADD ("delete/undo", test_delete_undo);
  ADD ("delete/commit", test_delete_commit);
  ADD ("test-connection", test_connection);
  ADD ("test-connection/without-secret", test_connection_without_secret);
  ADD ("test-connection/several", test_connection_several);
  ADD ("copy-with-secrets", test_copy_with_secrets);
  ADD ("duplicate", test_duplicate);
  ADD ("source", test_source_lifecycle);
  ADD ("migration", test_migration);

  return target_service_tests_run ();
}
