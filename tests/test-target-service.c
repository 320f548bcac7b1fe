/* test-target-service.c — the lifecycle of targets and of the source
 *
 * ProvTargetService against a real gnome-keyring (with-keyring.sh), real
 * files in a scratch folder and the in-process test peer on 127.0.0.1. No
 * display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "prov-error.h"
#include "prov-run-batch.h"
#include "prov-target-service.h"
#include "prov-target-service-import.h"
#include "prov-test-server.h"

#define WAIT_SECONDS 20
/* Real minutes become 0.6 s. */
#define TIME_SCALE 0.01

#define JAM_CLIENT_ID     "jam-client"
#define JAM_CLIENT_SECRET "jam-secret"
#define IAS_CLIENT_ID     "ias-client"
#define IAS_SECRET        "ias-secret"

/* The keyring's schema, written out again so the test checks the keyring
 * independently of the code under test. */
static const SecretSchema test_schema = {
  "io.github.provisioner.Provisioner.Secret", SECRET_SCHEMA_NONE,
  {
    { "target-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "generation", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

typedef struct
{
  char              *dir;
  char              *targets_path;
  char              *source_path;
  ProvTestServer    *server;
  ProvHttpClient    *client;
  ProvSecretStore   *secrets;
  ProvTargetStore   *store;
  ProvTargetService *service;
} Fixture;

/* Waiting */

static gboolean
watchdog_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, watchdog_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Nothing answered within %d s", WAIT_SECONDS);
  g_source_remove (id);
  return *result;
}

/* Calls of the service, made synchronous for the tests */

static void
load (ProvTargetService *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_service_load_async (service, NULL, got_result_cb, &result);
  g_assert_true (prov_target_service_load_finish (service, wait_for (&result), &error));
  g_assert_no_error (error);
}

static ProvTargetSystem *
save_target (Fixture           *f,
             ProvTargetSystem  *edited,
             gboolean          *created,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_save_target_async (f->service, edited, NULL, got_result_cb, &result);
  return prov_target_service_save_target_finish (f->service, wait_for (&result), created, error);
}

static gboolean
test_target (Fixture           *f,
             ProvTargetSystem  *target,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_test_target_async (f->service, target, NULL, got_result_cb, &result);
  return prov_target_service_test_target_finish (f->service, wait_for (&result), error);
}

static ProvTargetSystem *
dup_with_secrets (Fixture          *f,
                  ProvTargetSystem *target)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *copy;

  prov_target_service_dup_target_with_secrets_async (f->service, target, NULL, got_result_cb, &result);
  copy = prov_target_service_dup_target_with_secrets_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  return copy;
}

/* What the keyring holds for @uuid and @field, through the store. */
static char *
keyring_value (Fixture    *f,
               const char *uuid,
               ProvField   field)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  prov_secret_store_lookup_async (f->secrets, uuid, field, NULL, got_result_cb, &result);
  secret = prov_secret_store_lookup_finish (f->secrets, wait_for (&result), &error);
  g_assert_no_error (error);
  return secret;
}

/* Items in the keyring for @uuid of @generation, looked at directly; or
 * G_MAXUINT when the keyring changed under the search. */
static guint
try_count_items (const char *uuid,
                 const char *generation)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  secret_password_search (&test_schema, SECRET_SEARCH_ALL, NULL, got_result_cb, &result,
                          "target-uuid", uuid, "generation", atoi (generation), NULL);
  items = secret_password_search_finish (wait_for (&result), &error);
  if (error != NULL)
    return G_MAXUINT;
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

static guint
count_items (const char *uuid,
             const char *generation)
{
  guint n = try_count_items (uuid, generation);

  g_assert_cmpuint (n, !=, G_MAXUINT);
  return n;
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

/* Fixture */

static ProvTargetSystem *
jam_target (Fixture    *f,
            const char *name,
            const char *secret)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  const char *base_url = prov_test_server_get_base_url (f->server);
  g_autofree char *token_url = g_strconcat (base_url, "/api/v1/auth/token", NULL);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_url (target, base_url);
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, secret);
  return target;
}

static ProvTargetSystem *
add_target (Fixture    *f,
            const char *name,
            const char *secret)
{
  g_autoptr(ProvTargetSystem) edited = jam_target (f, name, secret);
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *target = save_target (f, edited, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (target);
  return target;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("prov-test-service-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->targets_path = g_build_filename (f->dir, "targets.json", NULL);
  f->source_path = g_build_filename (f->dir, "source.json", NULL);

  f->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (f->server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  prov_test_server_add_client (f->server, IAS_CLIENT_ID, IAS_SECRET);
  f->client = prov_http_client_new ();
  f->secrets = prov_secret_store_new ();
  f->store = prov_target_store_new (f->targets_path);
  f->service = prov_target_service_new (f->store, f->secrets, f->client, NULL, f->source_path);
  load (f->service);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->service);
  g_clear_object (&f->store);
  g_clear_object (&f->secrets);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->targets_path);
  g_free (f->source_path);
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
  secret = keyring_value (f, prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "typed secret");
  g_assert_cmpuint (count_items (prov_target_system_get_uuid (target), "2"), ==, 1);
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

  secret = keyring_value (f, prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
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
  secret = keyring_value (f, prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "kept secret");
  extra_secret = keyring_value (f, prov_target_system_get_uuid (extra), PROV_FIELD_CLIENT_SECRET);
  g_assert_null (extra_secret);
  g_assert_cmpuint (count_items (prov_target_system_get_uuid (extra), "2"), ==, 0);
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
  secret = keyring_value (f, prov_target_system_get_uuid (b), PROV_FIELD_CLIENT_SECRET);
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
  secret = keyring_value (f, prov_target_system_get_uuid (d), PROV_FIELD_CLIENT_SECRET);
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
  g_assert_cmpuint (count_items (prov_target_system_get_uuid (b), "2"), ==, 0);
  secret_a = keyring_value (f, prov_target_system_get_uuid (a), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret_a, ==, "secret a");

  /* A deletion still pending when the service ends is final. */
  g_ptr_array_set_size (doomed, 0);
  g_ptr_array_add (doomed, c);
  delete_targets (f, doomed);
  g_assert_cmpuint (count_items (uuid_c, "2"), ==, 1);
  g_clear_object (&c);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&f->service));

  end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  /* The wipe goes on after the service is gone. */
  while (try_count_items (uuid_c, "2") != 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_items (uuid_c, "2"), ==, 0);
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

/* The source of users */

static ProvSource *
tenant_source (Fixture    *f,
               const char *password)
{
  ProvSource *source = prov_source_copy (prov_target_service_get_source (f->service));
  ProvTargetSystem *connection = prov_source_get_connection (source);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_url (connection, prov_test_server_get_base_url (f->server));
  prov_target_system_set_version (connection, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, IAS_CLIENT_ID);
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, password);
  return source;
}

static gboolean
save_source (Fixture     *f,
             ProvSource  *edited,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_save_source_async (f->service, edited, NULL, got_result_cb, &result);
  return prov_target_service_save_source_finish (f->service, wait_for (&result), error);
}

static gboolean
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

  prov_test_server_generate_source_users (f->server, 3);

  /* Typed values are tested as typed, before any save. */
  g_assert_true (test_source (f, edited, &error));
  g_assert_no_error (error);
  g_assert_false (test_source (f, wrong, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_true (save_source (f, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_source_get_kind (saved), ==, PROV_SOURCE_KIND_TENANT);
  g_assert_cmpstr (prov_target_system_get_text (prov_source_get_connection (saved), PROV_FIELD_PASSWORD), ==, "");
  contents = read_file (f->source_path);
  g_assert_null (strstr (contents, IAS_SECRET));
  secret = keyring_value (f, uuid, PROV_FIELD_PASSWORD);
  g_assert_cmpstr (secret, ==, IAS_SECRET);

  /* The saved source, with its secrets from the keyring. */
  g_assert_true (test_source (f, NULL, &error));
  g_assert_no_error (error);
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

    load (again);
    loaded = prov_target_service_get_source (again);
    g_assert_cmpint (prov_source_get_kind (loaded), ==, PROV_SOURCE_KIND_TENANT);
    g_assert_cmpstr (prov_target_system_get_uuid (prov_source_get_connection (loaded)), ==, uuid);
  }
}

/* Secrets kept the old way: one keyring item per field */

static void
store_old_item (const char *uuid,
                ProvField   field,
                const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  secret_password_store (&test_schema, SECRET_COLLECTION_DEFAULT, "Provisioner: Old — Client Secret", secret,
                         NULL, got_result_cb, &result,
                         "target-uuid", uuid,
                         "field", prov_field_get_key (field),
                         "generation", 1,
                         NULL);
  g_assert_true (secret_password_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

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
  store_old_item (uuid, PROV_FIELD_CLIENT_SECRET, "old client secret");
  store_old_item (uuid, PROV_FIELD_PASSWORD, "old password of another mechanism");
  g_assert_cmpuint (count_items (uuid, "1"), ==, 2);

  service = prov_target_service_new (store, f->secrets, f->client, NULL, f->source_path);
  load (service);

  /* Moved at load: one item, the old ones gone, nothing lost. */
  g_assert_cmpuint (count_items (uuid, "1"), ==, 0);
  g_assert_cmpuint (count_items (uuid, "2"), ==, 1);
  {
    g_autofree char *password = keyring_value (f, uuid, PROV_FIELD_PASSWORD);
    g_assert_cmpstr (password, ==, "old password of another mechanism");
  }

  prov_target_service_dup_target_with_secrets_async (service,
                                                     prov_target_store_find_by_uuid (store, uuid, NULL),
                                                     NULL, got_result_cb, &result);
  copy = prov_target_service_dup_target_with_secrets_finish (service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_CLIENT_SECRET), ==, "old client secret");
}

/* Several targets, one after another */

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
  batch = prov_run_batch_new (f->service, targets, NULL);
  prov_run_batch_set_state_dir (batch, state);
  prov_run_batch_set_time_scale (batch, TIME_SCALE);
  g_signal_connect (batch, "progress", G_CALLBACK (progress_cb), &last);
  g_signal_connect (batch, "run-started", G_CALLBACK (run_started_cb), order);

  prov_test_server_clear_requests (f->server);
  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_run_batch_prepare_async (batch, NULL, got_result_cb, &result);
    g_assert_true (prov_run_batch_prepare_finish (batch, wait_for (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_null (prov_run_batch_get_problem (batch, 0));
  g_assert_null (prov_run_batch_get_problem (batch, 1));
  g_assert_cmpuint (prov_run_batch_get_n_operations (batch), ==, 24);
  /* One read of the source served both targets: its page of users and
   * the empty page that proves the read whole. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/scim/Users"), ==, 2);

  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_run_batch_execute_async (batch, NULL, got_result_cb, &result);
    g_assert_true (prov_run_batch_execute_finish (batch, wait_for (&result), &error));
    g_assert_no_error (error);
  }

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
      g_autoptr(ProvRunBatch) batch = prov_run_batch_new (f->service, targets, NULL);
      g_autoptr(GAsyncResult) prepared = NULL;
      g_autoptr(GAsyncResult) executed = NULL;

      prov_run_batch_set_state_dir (batch, state);
      prov_run_batch_set_time_scale (batch, TIME_SCALE);
      prov_run_batch_prepare_async (batch, NULL, got_result_cb, &prepared);
      g_assert_true (prov_run_batch_prepare_finish (batch, wait_for (&prepared), &error));

      if (round == 1)
        {
          /* All 30 left the source: more than the threshold. */
          g_assert_false (prov_run_batch_all_confirmed (batch));
          prov_run_batch_execute_async (batch, NULL, got_result_cb, &executed);
          g_assert_true (prov_run_batch_execute_finish (batch, wait_for (&executed), &error));
          g_assert_nonnull (prov_run_batch_get_run_error (batch, 0));
          g_assert_cmpuint (prov_run_batch_get_n_succeeded (batch), ==, 0);
          g_assert_cmpuint (writes (f->server), ==, 0);

          /* Confirmed, but cancelled before it starts. */
          {
            g_autoptr(ProvRunBatch) again = prov_run_batch_new (f->service, targets, NULL);
            g_autoptr(GCancellable) cancellable = g_cancellable_new ();
            g_autoptr(GAsyncResult) prepared_again = NULL;
            g_autoptr(GAsyncResult) cancelled = NULL;

            prov_run_batch_set_state_dir (again, state);
            prov_run_batch_set_time_scale (again, TIME_SCALE);
            prov_run_batch_prepare_async (again, NULL, got_result_cb, &prepared_again);
            g_assert_true (prov_run_batch_prepare_finish (again, wait_for (&prepared_again), &error));
            prov_run_batch_set_confirmed (again, 0, TRUE);
            g_assert_true (prov_run_batch_all_confirmed (again));
            g_cancellable_cancel (cancellable);
            prov_run_batch_execute_async (again, cancellable, got_result_cb, &cancelled);
            g_assert_false (prov_run_batch_execute_finish (again, wait_for (&cancelled), &error));
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
            g_clear_error (&error);
            g_assert_cmpuint (writes (f->server), ==, 0);
          }
          continue;
        }

      g_assert_true (prov_run_batch_all_confirmed (batch));
      prov_run_batch_execute_async (batch, NULL, got_result_cb, &executed);
      g_assert_true (prov_run_batch_execute_finish (batch, wait_for (&executed), &error));
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
  g_autofree char *state = NULL;

  g_test_init (&argc, &argv, NULL);

  /* Journals and records of pushes go to a scratch folder. */
  state = g_dir_make_tmp ("prov-test-service-state-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("no_proxy", "*", TRUE);

#define ADD(path, func) \
  g_test_add ("/target-service/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("save/new", test_save_new);
  ADD ("save/existing", test_save_existing);
  ADD ("save/file-fails", test_save_file_fails);
  ADD ("delete/undo", test_delete_undo);
  ADD ("delete/commit", test_delete_commit);
  ADD ("test-connection", test_connection);
  ADD ("test-connection/without-secret", test_connection_without_secret);
  ADD ("copy-with-secrets", test_copy_with_secrets);
  ADD ("source", test_source_lifecycle);
  ADD ("migration", test_migration);
  ADD ("run-batch/two-targets", test_run_batch);
  ADD ("run-batch/confirm-cancel", test_run_batch_confirm_cancel);
  ADD ("real-time-plan", test_real_time_plan);

  return g_test_run ();
}
