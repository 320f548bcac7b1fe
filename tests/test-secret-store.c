/* test-secret-store.c — ProvSecretStore against a real gnome-keyring
 *
 * Run through with-keyring.sh, which gives this process a D-Bus session of
 * its own with a fresh, unlocked gnome-keyring and a scratch HOME.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "prov-error.h"
#include "prov-secret-store.h"
#include "prov-target-store.h"

/* Longer than any honest keyring answer; a prompt would wait forever. */
#define WATCHDOG_SECONDS 20

/* The same schema as the core's, written out again so the test checks the
 * keyring's contents independently of the code under test. */
static const SecretSchema test_schema = {
  "io.github.provisioner.Provisioner.Secret", SECRET_SCHEMA_NONE,
  {
    { "target-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "generation", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

static const ProvField secret_fields[] = {
  PROV_FIELD_PASSWORD,
  PROV_FIELD_CERTIFICATE_PASSWORD,
  PROV_FIELD_CERTIFICATE_KEY,
  PROV_FIELD_CLIENT_SECRET,
};

/* Not a real key: the store keeps whatever text it is given. */
#define FAKE_KEY_PEM "-----BEGIN PRIVATE KEY-----\nTUFSS0VSLW5vdC1hLWtleQ==\n-----END PRIVATE KEY-----\n"

/* Waiting, with a watchdog */

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
  guint watchdog = g_timeout_add_seconds (WATCHDOG_SECONDS, watchdog_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("No answer from the keyring within %d s: is it waiting on a prompt?", WATCHDOG_SECONDS);
  g_source_remove (watchdog);
  return *result;
}

/* Each async call, made and awaited. */

static gboolean
store_secret (ProvSecretStore  *store,
              const char       *uuid,
              ProvField         field,
              const char       *secret,
              GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_store_async (store, uuid, field, "Provisioner test", secret, NULL,
                                 got_result_cb, &result);
  return prov_secret_store_store_finish (store, wait_for (&result), error);
}

static char *
lookup_secret (ProvSecretStore  *store,
               const char       *uuid,
               ProvField         field,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_lookup_async (store, uuid, field, NULL, got_result_cb, &result);
  return prov_secret_store_lookup_finish (store, wait_for (&result), error);
}

static gboolean
clear_secret (ProvSecretStore  *store,
              const char       *uuid,
              ProvField         field,
              GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_clear_async (store, uuid, field, NULL, got_result_cb, &result);
  return prov_secret_store_clear_finish (store, wait_for (&result), error);
}

static gboolean
save_target (ProvSecretStore   *store,
             ProvTargetSystem  *target,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_save_target_async (store, target, NULL, got_result_cb, &result);
  return prov_secret_store_save_target_finish (store, wait_for (&result), error);
}

static gboolean
load_target (ProvSecretStore   *store,
             ProvTargetSystem  *target,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_load_target_async (store, target, NULL, got_result_cb, &result);
  return prov_secret_store_load_target_finish (store, wait_for (&result), error);
}

/* Checks */

static void
assert_lookup (ProvSecretStore *store,
               const char      *uuid,
               ProvField        field,
               const char      *expected)
{
  g_autoptr(GError) error = NULL;
  char *secret = lookup_secret (store, uuid, field, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
  secret_password_free (secret);
}

/* Items in the keyring for @uuid of @generation (NULL: any), looked at
 * directly. The store keeps one per target. */
static guint
count_generation (const char  *uuid,
                  const char  *generation,
                  char       **label)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "target-uuid", (gpointer) uuid);
  if (generation != NULL)
    g_hash_table_insert (attributes, (gpointer) "generation", (gpointer) generation);

  /* Asynchronously, like the app: the _sync variant leaks inside libsecret. */
  secret_password_searchv (&test_schema, attributes, SECRET_SEARCH_ALL, NULL, got_result_cb, &result);
  items = secret_password_search_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  if (label != NULL)
    *label = items ? secret_retrievable_get_label (items->data) : NULL;
  g_list_free_full (items, g_object_unref);
  return n;
}

static guint
count_items (const char *uuid,
             char      **label)
{
  return count_generation (uuid, NULL, label);
}

/* Writes a secret the way versions before one item per target did. */
static void
store_old_item (const char *uuid,
                ProvField   field,
                const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  secret_password_store (&test_schema, SECRET_COLLECTION_DEFAULT, "Provisioner: old item", secret,
                         NULL, got_result_cb, &result,
                         "target-uuid", uuid,
                         "field", prov_field_get_key (field),
                         "generation", 1,
                         NULL);
  g_assert_true (secret_password_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

/* What a person reads: a sentence, not a D-Bus error name. */
static void
assert_sentence (const GError *error)
{
  gsize len;

  g_assert_nonnull (error);
  g_test_message ("message: %s", error->message);
  len = strlen (error->message);
  g_assert_cmpuint (len, >, 20);
  g_assert_true (g_unichar_isupper (g_utf8_get_char (error->message)));
  g_assert_cmpint (error->message[len - 1], ==, '.');
  g_assert_null (strstr (error->message, "org.freedesktop"));
  g_assert_null (strstr (error->message, "GDBus.Error"));
  g_assert_null (strstr (error->message, "DBus"));
}

static ProvTargetSystem *
new_ips_target (ProvAuthMechanism mechanism)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);

  prov_target_system_set_display_name (target, "IPS test");
  prov_target_system_set_url (target, "https://t.accounts.ondemand.com/ipsproxy/service/api/v1/systems/s1/entities/user");
  prov_target_system_set_auth_mechanism (target, mechanism);
  prov_target_system_set_text (target, PROV_FIELD_USERNAME, "T000123");
  prov_target_system_set_text (target, PROV_FIELD_COMMON_NAME, "provisioner");
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, "https://t.accounts.ondemand.com/oauth2/token");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "client");
  return target;
}

/* A target with the same identity and no secrets, as after loading the file. */
static ProvTargetSystem *
fresh_from_file (ProvTargetSystem *target)
{
  g_autoptr(JsonObject) object = prov_target_system_to_json (target);
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *loaded = prov_target_system_new_from_json (object, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    g_assert_cmpstr (prov_target_system_get_text (loaded, secret_fields[i]), ==, "");
  return loaded;
}

/* The round trip, per field */

static void
test_round_trip (gconstpointer data)
{
  ProvField field = GPOINTER_TO_UINT (data);
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *other_uuid = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  assert_lookup (store, uuid, field, NULL);

  g_assert_true (store_secret (store, uuid, field, "first Secret ünïcode", &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, field, "first Secret ünïcode");
  g_assert_cmpuint (count_items (uuid, NULL), ==, 1);

  /* Storing again replaces; it does not add a second item. */
  g_assert_true (store_secret (store, uuid, field, "second secret", &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, field, "second secret");
  g_assert_cmpuint (count_items (uuid, NULL), ==, 1);

  /* Keyed by uuid and field: nothing leaks to another field or target. */
  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    if (secret_fields[i] != field)
      assert_lookup (store, uuid, secret_fields[i], NULL);
  assert_lookup (store, other_uuid, field, NULL);

  g_assert_true (clear_secret (store, uuid, field, &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, field, NULL);
  g_assert_cmpuint (count_items (uuid, NULL), ==, 0);

  /* Clearing what is not there is fine. */
  g_assert_true (clear_secret (store, uuid, field, &error));
  g_assert_no_error (error);
}

static void
test_lookup_missing (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      char *secret = lookup_secret (store, uuid, secret_fields[i], &error);

      g_assert_no_error (error);
      g_assert_null (secret);
    }
}

/* Saving a target: visible secrets stored, hidden ones cleared */

static void
test_save_target (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  /* Left over from when the target used other mechanisms. */
  g_assert_true (store_secret (store, uuid, PROV_FIELD_CERTIFICATE_PASSWORD, "old certificate password", &error));
  g_assert_true (store_secret (store, uuid, PROV_FIELD_CLIENT_SECRET, "old client secret", &error));
  g_assert_no_error (error);

  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "basic password");
  /* Typed into a field that is hidden now: not kept either. */
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "typed while OAuth was chosen");

  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, "basic password");
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_PASSWORD, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_KEY, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CLIENT_SECRET, NULL);

  /* What people see in Passwords and Keys. */
  g_assert_cmpuint (count_items (uuid, &label), ==, 1);
  g_test_message ("label: %s", label);
  g_assert_nonnull (strstr (label, "IPS test"));

  /* Switch to OAuth: the client secret is stored, the password goes. */
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "oauth client secret");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_PASSWORD, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CLIENT_SECRET, "oauth client secret");

  /* Then Certificate. */
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_CERTIFICATE);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate password");
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate password");
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  assert_lookup (store, uuid, PROV_FIELD_CLIENT_SECRET, NULL);

  /* An SAP Jam target keeps only its client secret. */
  prov_target_system_set_kind (target, PROV_TARGET_KIND_SAP_JAM);
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "jam client secret");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_PASSWORD, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_KEY, NULL);
  assert_lookup (store, uuid, PROV_FIELD_CLIENT_SECRET, "jam client secret");

  g_assert_true (clear_secret (store, uuid, PROV_N_FIELDS, &error));
  g_assert_no_error (error);
}

/* What is stored is the target as it was when save began. */
static void
test_save_target_snapshot (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "as saved");
  prov_secret_store_save_target_async (store, target, NULL, got_result_cb, &result);
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "typed afterwards");
  g_assert_true (prov_secret_store_save_target_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, "as saved");

  g_assert_true (clear_secret (store, uuid, PROV_N_FIELDS, &error));
}

static void
test_load_target (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_OAUTH);
  g_autoptr(ProvTargetSystem) loaded = NULL;
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;

  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "oauth secret");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  /* A stale item for a hidden field is not loaded into the target. */
  g_assert_true (store_secret (store, uuid, PROV_FIELD_PASSWORD, "stale password", &error));

  loaded = fresh_from_file (target);
  g_assert_true (load_target (store, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CLIENT_SECRET), ==, "oauth secret");
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_PASSWORD), ==, "");
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_PASSWORD), ==, "");
  g_assert_true (prov_target_system_equal (loaded, target));

  /* Every mechanism. */
  prov_target_system_set_auth_mechanism (loaded, PROV_AUTH_MECHANISM_BASIC);
  g_assert_true (load_target (store, loaded, &error));
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_PASSWORD), ==, "stale password");

  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_CERTIFICATE);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate password");
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  prov_target_system_set_auth_mechanism (loaded, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_assert_true (load_target (store, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_PASSWORD), ==, "certificate password");
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_KEY), ==, FAKE_KEY_PEM);

  /* Nothing stored: loads fine, fields stay empty. */
  {
    g_autoptr(ProvTargetSystem) empty = new_ips_target (PROV_AUTH_MECHANISM_CERTIFICATE);

    g_assert_true (load_target (store, empty, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (prov_target_system_get_text (empty, PROV_FIELD_CERTIFICATE_PASSWORD), ==, "");
  }

  g_assert_true (clear_secret (store, uuid, PROV_N_FIELDS, &error));
}

/* Deleting a target: every secret of it goes, nobody else's. */
static void
test_clear_all (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autofree char *doomed = g_uuid_string_random ();
  g_autofree char *kept = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      g_assert_true (store_secret (store, doomed, secret_fields[i], "doomed", &error));
      g_assert_true (store_secret (store, kept, secret_fields[i], "kept", &error));
      g_assert_no_error (error);
    }

  g_assert_true (clear_secret (store, doomed, PROV_N_FIELDS, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      assert_lookup (store, doomed, secret_fields[i], NULL);
      g_assert_cmpuint (count_items (doomed, NULL), ==, 0);
      assert_lookup (store, kept, secret_fields[i], "kept");
    }

  g_assert_true (clear_secret (store, kept, PROV_N_FIELDS, &error));
  g_assert_no_error (error);
}

/* Items of the per-field format move into one item; nothing is lost */

static void
test_migrate_per_field (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTargetSystem) loaded = NULL;
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;

  /* As an earlier version left them: one item per field, hidden ones too. */
  store_old_item (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, "old certificate password");
  store_old_item (uuid, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  store_old_item (uuid, PROV_FIELD_PASSWORD, "old basic password");
  g_assert_cmpuint (count_generation (uuid, "1", NULL), ==, 3);

  loaded = fresh_from_file (target);
  g_assert_true (load_target (store, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_PASSWORD), ==, "old certificate password");
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_KEY), ==, FAKE_KEY_PEM);

  /* Moved: one item now, the old ones gone. */
  g_assert_cmpuint (count_generation (uuid, "1", NULL), ==, 0);
  g_assert_cmpuint (count_generation (uuid, "2", NULL), ==, 1);

  /* Even the secret of a field the target does not use now was kept. */
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, "old basic password");
  assert_lookup (store, uuid, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  assert_lookup (store, uuid, PROV_FIELD_CLIENT_SECRET, NULL);

  g_assert_true (clear_secret (store, uuid, PROV_N_FIELDS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (uuid, NULL), ==, 0);
}

/* A move cut short leaves both: the new item wins, the old ones go. */
static void
test_migrate_leftovers (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;

  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "new password");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  store_old_item (uuid, PROV_FIELD_PASSWORD, "stale old password");

  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, "new password");
  g_assert_cmpuint (count_generation (uuid, "1", NULL), ==, 0);
  g_assert_cmpuint (count_generation (uuid, "2", NULL), ==, 1);

  g_assert_true (clear_secret (store, uuid, PROV_N_FIELDS, &error));
}

/* No secret in any file */

static void
collect_files (const char *path,
               GPtrArray  *files)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          collect_files (child, files);
        }
    }
  else if (S_ISREG (st.st_mode))
    {
      g_ptr_array_add (files, g_strdup (path));
    }
}

static void
test_no_plaintext_on_disk (void)
{
  const char *secrets[] = {
    "PLAINTEXT-jam-client-secret-4f1d",
    "PLAINTEXT-basic-password-8c2e",
    "PLAINTEXT-certificate-password-1a9b",
    "PLAINTEXT-oauth-client-secret-77e0",
    "PLAINTEXT-private-key-5e3a",
  };
  g_autoptr(ProvSecretStore) secret_store = prov_secret_store_new ();
  g_autoptr(ProvTargetStore) target_store = prov_target_store_new (NULL);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  gboolean saw_keyring_file = FALSE;
  gboolean saw_targets_file = FALSE;
  ProvTargetSystem *target;

  /* Only ever inside with-keyring.sh's scratch HOME. */
  g_assert_cmpstr (g_get_home_dir (), ==, g_getenv ("PROV_TEST_KEYRING_HOME"));
  g_assert_true (g_str_has_prefix (prov_target_store_get_path (target_store), g_get_home_dir ()));

  target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  prov_target_system_set_display_name (target, "Jam");
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "client");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, secrets[0]);
  g_ptr_array_add (targets, target);
  target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, secrets[1]);
  g_ptr_array_add (targets, target);
  target = new_ips_target (PROV_AUTH_MECHANISM_CERTIFICATE);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, secrets[2]);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY,
                               "-----BEGIN PRIVATE KEY-----\nPLAINTEXT-private-key-5e3a\n-----END PRIVATE KEY-----\n");
  g_ptr_array_add (targets, target);
  target = new_ips_target (PROV_AUTH_MECHANISM_OAUTH);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, secrets[3]);
  g_ptr_array_add (targets, target);

  /* What the app does on Save: secrets to the keyring, the rest to the file. */
  for (guint i = 0; i < targets->len; i++)
    {
      g_assert_true (save_target (secret_store, g_ptr_array_index (targets, i), &error));
      g_assert_no_error (error);
      prov_target_store_append (target_store, g_ptr_array_index (targets, i));
    }
  g_assert_true (prov_target_store_save (target_store, &error));
  g_assert_no_error (error);

  /* They are in the keyring... */
  assert_lookup (secret_store, prov_target_system_get_uuid (g_ptr_array_index (targets, 0)),
                 PROV_FIELD_CLIENT_SECRET, secrets[0]);
  assert_lookup (secret_store, prov_target_system_get_uuid (g_ptr_array_index (targets, 2)),
                 PROV_FIELD_CERTIFICATE_PASSWORD, secrets[2]);

  /* ...and in no file under HOME in clear, not even the keyring's own,
   * which is encrypted. */
  collect_files (g_get_home_dir (), files);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          g_test_message ("cannot read %s: %s", path, error->message);
          g_clear_error (&error);
          continue;
        }
      g_test_message ("checked %s (%zu bytes)", path, length);
      if (g_str_has_prefix (path, keyrings) && g_str_has_suffix (path, ".keyring") && length > 0)
        saw_keyring_file = TRUE;
      if (g_str_equal (path, prov_target_store_get_path (target_store)))
        saw_targets_file = TRUE;

      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        if (g_strstr_len (contents, length, secrets[s]) != NULL)
          g_error ("%s holds the secret %s in clear", path, secrets[s]);
    }
  g_assert_true (saw_keyring_file);
  g_assert_true (saw_targets_file);

  for (guint i = 0; i < targets->len; i++)
    g_assert_true (clear_secret (secret_store, prov_target_system_get_uuid (g_ptr_array_index (targets, i)),
                                 PROV_N_FIELDS, &error));
  g_remove (prov_target_store_get_path (target_store));
}

/* Errors: no keyring */

/* Every operation of the store gives @code, with a sentence. */
static void
assert_every_operation_fails (ProvError code)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;
  char *secret;

  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "typed by a person");

  g_assert_false (store_secret (store, uuid, PROV_FIELD_PASSWORD, "s", &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_clear_error (&error);

  secret = lookup_secret (store, uuid, PROV_FIELD_PASSWORD, &error);
  g_assert_null (secret);
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_clear_error (&error);

  g_assert_false (clear_secret (store, uuid, PROV_N_FIELDS, &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_clear_error (&error);

  g_assert_false (save_target (store, target, &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_clear_error (&error);

  /* Nothing the person typed is lost. */
  g_assert_false (load_target (store, target, &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_PASSWORD), ==, "typed by a person");

  /* The parent checks for this line, so a child that skipped the checks
   * cannot pass. */
  g_printerr ("every operation failed as expected\n");
}

/* A session bus with nothing on it: no Secret Service can be started. */
static void
test_error_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* Kept reachable on purpose: the bus daemon is torn down by
       * GTestDBus's watcher when this process exits. */
      static GTestDBus *bus;

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      g_test_message ("empty bus at %s", g_test_dbus_get_bus_address (bus));
      assert_every_operation_fails (PROV_ERROR_KEYRING_UNAVAILABLE);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*every operation failed as expected*");
}

/* The bus address points nowhere. */
static void
test_error_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/provisioner-test/bus", TRUE);
      assert_every_operation_fails (PROV_ERROR_KEYRING_UNAVAILABLE);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*every operation failed as expected*");
}

/* No bus address at all and no display: GLib cannot even autolaunch one. */
static void
test_error_no_session (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *runtime = g_dir_make_tmp ("provisioner-no-bus-XXXXXX", NULL);

      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);  /* no "bus" socket in it */
      assert_every_operation_fails (PROV_ERROR_KEYRING_UNAVAILABLE);
      g_rmdir (runtime);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*every operation failed as expected*");
}

/* A running gnome-keyring without a login keyring (started without
 * --unlock): there is no default collection to store into. */
static void
test_error_no_default_collection (void)
{
  if (g_test_subprocess ())
    {
      static GTestDBus *bus;
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) daemon = NULL;
      g_autoptr(GDBusConnection) connection = NULL;
      g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *home = g_dir_make_tmp ("provisioner-no-login-XXXXXX", NULL);
      g_autofree char *runtime = g_build_filename (home, ".run", NULL);
      g_autofree char *uuid = g_uuid_string_random ();
      gint64 deadline;
      char *secret;

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      g_mkdir (runtime, 0700);

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
      g_subprocess_launcher_unsetenv (launcher, "XDG_DATA_HOME");
      g_subprocess_launcher_unsetenv (launcher, "XDG_CONFIG_HOME");
      g_subprocess_launcher_unsetenv (launcher, "XDG_CACHE_HOME");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                            "--foreground", "--components=secrets", NULL);
      g_assert_no_error (error);

      /* Wait until it owns its name. */
      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      deadline = g_get_monotonic_time () + WATCHDOG_SECONDS * G_USEC_PER_SEC;
      for (;;)
        {
          g_autoptr(GVariant) reply = NULL;
          gboolean has_owner = FALSE;

          reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                               "org.freedesktop.DBus", "NameHasOwner",
                                               g_variant_new ("(s)", "org.freedesktop.secrets"),
                                               G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
          g_assert_no_error (error);
          g_variant_get (reply, "(b)", &has_owner);
          if (has_owner)
            break;
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (20000);
        }

      g_assert_false (store_secret (store, uuid, PROV_FIELD_PASSWORD, "s", &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == PROV_ERROR);
      g_assert_cmpint (error->code, ==, PROV_ERROR_KEYRING_FAILED);
      assert_sentence (error);
      g_clear_error (&error);

      /* Nothing can be stored, so nothing is found, and that is no error. */
      secret = lookup_secret (store, uuid, PROV_FIELD_PASSWORD, &error);
      g_assert_no_error (error);
      g_assert_null (secret);

      g_subprocess_force_exit (daemon);
      g_subprocess_wait (daemon, NULL, NULL);
      g_printerr ("no default collection: checked\n");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*no default collection: checked*");
}

/* Errors: a locked keyring */

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *objects;
  int n;

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  n = secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
}

/* Unlocks the login keyring without a prompt, through gnome-keyring's own
 * interface for this (what its tests and seahorse use). */
static void
unlock_default_collection (void)
{
  const char *password = g_getenv ("PROV_TEST_KEYRING_PASSWORD");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *session;
  GVariant *secret;

  g_assert_nonnull (password);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  session_reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                               "org.freedesktop.Secret.Service", "OpenSession",
                                               g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                               G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (session_reply, "(v&o)", NULL, &session);

  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                          "text/plain");
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                       "UnlockWithMasterPassword",
                                       g_variant_new ("(o@(oayays))", "/org/freedesktop/secrets/collection/login", secret),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", session,
                               "org.freedesktop.Secret.Session", "Close",
                               NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
}

static void
test_error_locked (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) reloaded = NULL;
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;
  gint64 start;
  char *secret;

  /* Something to lose. */
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "stored before locking");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);

  lock_default_collection ();
  start = g_get_monotonic_time ();

  /* Storing fails at once (no display, so no prompt can wait). */
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "typed while locked");
  g_assert_false (store_secret (store, uuid, PROV_FIELD_PASSWORD, "typed while locked", &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  assert_sentence (error);
  g_clear_error (&error);

  g_assert_false (save_target (store, target, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  assert_sentence (error);
  g_clear_error (&error);
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_PASSWORD), ==, "typed while locked");

  /* A locked secret is not a missing one. */
  secret = lookup_secret (store, uuid, PROV_FIELD_PASSWORD, &error);
  g_assert_null (secret);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  assert_sentence (error);
  g_clear_error (&error);

  reloaded = fresh_from_file (target);
  g_assert_false (load_target (store, reloaded, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Deleting the target cannot clear its secrets: say so. */
  g_assert_false (clear_secret (store, uuid, PROV_N_FIELDS, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Missing stays missing, locked or not. */
  {
    g_autofree char *unknown = g_uuid_string_random ();

    secret = lookup_secret (store, unknown, PROV_FIELD_PASSWORD, &error);
    g_assert_no_error (error);
    g_assert_null (secret);
  }

  g_test_message ("the locked keyring answered everything within %.2f s",
                  (g_get_monotonic_time () - start) / 1e6);

  /* Unlocked again: what was stored before is still there, unchanged. */
  unlock_default_collection ();
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, "stored before locking");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_lookup (store, uuid, PROV_FIELD_PASSWORD, "typed while locked");

  g_assert_true (clear_secret (store, uuid, PROV_N_FIELDS, &error));
  g_assert_no_error (error);
}

/* The translation of raw errors, for the cases a live keyring rarely gives. */
static void
test_translate_error (void)
{
  const struct { GQuark domain; int code; const char *message; ProvError expected; } cases[] = {
    { G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
      "The name org.freedesktop.secrets was not provided by any .service files",
      PROV_ERROR_KEYRING_UNAVAILABLE },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot autolaunch D-Bus without X11 $DISPLAY",
      PROV_ERROR_KEYRING_UNAVAILABLE },
    { G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
      "Object does not exist at path “/org/freedesktop/secrets/collection/login”",
      PROV_ERROR_KEYRING_FAILED },
    { SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "Cannot create an item in a locked collection",
      PROV_ERROR_KEYRING_LOCKED },
    { SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT, "No such secret collection at path: /",
      PROV_ERROR_KEYRING_FAILED },
    { SECRET_ERROR, SECRET_ERROR_PROTOCOL, "Received invalid secret from the secret storage",
      PROV_ERROR_KEYRING_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) raw = g_error_new_literal (cases[i].domain, cases[i].code, cases[i].message);
      g_autoptr(GError) translated = prov_secret_store_translate_error (raw);

      g_test_message ("%s →", cases[i].message);
      g_assert_error (translated, PROV_ERROR, (int) cases[i].expected);
      g_assert_cmpuint (strlen (translated->message), >, 20);
    }

  /* Cancelling is not a keyring problem and stays what it is. */
  {
    g_autoptr(GError) raw = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    g_autoptr(GError) translated = prov_secret_store_translate_error (raw);

    g_assert_error (translated, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Never against a real keyring: only inside with-keyring.sh. */
  if (g_getenv ("PROV_TEST_KEYRING_HOME") == NULL ||
      g_getenv ("PROV_TEST_KEYRING_PASSWORD") == NULL)
    {
      g_printerr ("Run this test through tests/with-keyring.sh: it needs a private, unlocked gnome-keyring.\n");
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      g_autofree char *path = g_strdup_printf ("/secret-store/round-trip/%s",
                                               prov_field_get_key (secret_fields[i]));
      g_test_add_data_func (path, GUINT_TO_POINTER (secret_fields[i]), test_round_trip);
    }
  g_test_add_func ("/secret-store/lookup-missing", test_lookup_missing);
  g_test_add_func ("/secret-store/save-target", test_save_target);
  g_test_add_func ("/secret-store/save-target-snapshot", test_save_target_snapshot);
  g_test_add_func ("/secret-store/load-target", test_load_target);
  g_test_add_func ("/secret-store/clear-all", test_clear_all);
  g_test_add_func ("/secret-store/migrate/per-field", test_migrate_per_field);
  g_test_add_func ("/secret-store/migrate/leftovers", test_migrate_leftovers);
  g_test_add_func ("/secret-store/no-plaintext-on-disk", test_no_plaintext_on_disk);
  g_test_add_func ("/secret-store/translate-error", test_translate_error);
  g_test_add_func ("/secret-store/error/no-service", test_error_no_service);
  g_test_add_func ("/secret-store/error/no-bus", test_error_no_bus);
  g_test_add_func ("/secret-store/error/no-session", test_error_no_session);
  g_test_add_func ("/secret-store/error/no-default-collection", test_error_no_default_collection);
  g_test_add_func ("/secret-store/error/locked", test_error_locked);

  return g_test_run ();
}
