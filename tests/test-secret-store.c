/* test-secret-store.c — ProvSecretStore against a real gnome-keyring
 *
 * Run through with-keyring.sh, which gives this process a D-Bus session of
 * its own with a fresh, unlocked gnome-keyring and a scratch HOME. Each
 * secret field round trip, saving, loading and clearing a target, the
 * move of items of the per-field format, and no secret in any file. What
 * a person reads when there is no keyring, or a locked one, is in
 * test-secret-store-errors.c; the helpers in keyring-fixture.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "keyring-fixture.h"

/* The round trip, per field: saved with a target that uses it, loaded
 * into a fresh copy of the target, cleared with it */

static ProvTargetSystem *
target_using (ProvField field)
{
  if (field == PROV_FIELD_PASSWORD)
    return new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  if (field == PROV_FIELD_CLIENT_SECRET)
    return new_ips_target (PROV_AUTH_MECHANISM_OAUTH);
  return new_ips_target (PROV_AUTH_MECHANISM_CERTIFICATE);
}

static void
assert_loads (ProvSecretStore  *store,
              ProvTargetSystem *target,
              ProvField         field,
              const char       *expected)
{
  g_autoptr(ProvTargetSystem) loaded = fresh_from_file (target);
  g_autoptr(GError) error = NULL;

  g_assert_true (load_target (store, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (loaded, field), ==, expected);
}

static void
test_round_trip (gconstpointer data)
{
  ProvField field = GPOINTER_TO_UINT (data);
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = target_using (field);
  g_autoptr(ProvTargetSystem) other = target_using (field);
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;

  /* Nothing stored: loads fine, the field stays empty. */
  assert_loads (store, target, field, "");
  g_assert_cmpuint (keyring_raw_count (uuid, NULL, NULL), ==, 0);

  prov_target_system_set_text (target, field, "first Secret ünïcode");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, field, "first Secret ünïcode");
  assert_loads (store, target, field, "first Secret ünïcode");
  g_assert_cmpuint (keyring_raw_count (uuid, NULL, NULL), ==, 1);

  /* Saving again replaces; it does not add a second item. */
  prov_target_system_set_text (target, field, "second secret");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, field, "second secret");
  assert_loads (store, target, field, "second secret");
  g_assert_cmpuint (keyring_raw_count (uuid, NULL, NULL), ==, 1);

  /* Keyed by target: nothing leaks to another field (one the mechanism
   * uses is kept as it is, empty) or target. */
  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    if (secret_fields[i] != field)
      assert_stored (uuid, secret_fields[i],
                     prov_target_system_field_is_visible (target, secret_fields[i]) ? "" : NULL);
  assert_loads (store, other, field, "");

  g_assert_true (clear_target (store, uuid, &error));
  g_assert_no_error (error);
  assert_loads (store, target, field, "");
  g_assert_cmpuint (keyring_raw_count (uuid, NULL, NULL), ==, 0);

  /* Clearing what is not there is fine. */
  g_assert_true (clear_target (store, uuid, &error));
  g_assert_no_error (error);
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
  keyring_raw_set (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, "old certificate password");
  keyring_raw_set (uuid, PROV_FIELD_CLIENT_SECRET, "old client secret");

  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "basic password");
  /* Typed into a field that is hidden now: not kept either. */
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "typed while OAuth was chosen");

  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, PROV_FIELD_PASSWORD, "basic password");
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, NULL);
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_KEY, NULL);
  assert_stored (uuid, PROV_FIELD_CLIENT_SECRET, NULL);

  /* What people see in Passwords and Keys. */
  g_assert_cmpuint (keyring_raw_count (uuid, NULL, &label), ==, 1);
  g_test_message ("label: %s", label);
  g_assert_nonnull (strstr (label, "IPS test"));

  /* Switch to OAuth: the client secret is stored, the password goes. */
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "oauth client secret");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, PROV_FIELD_PASSWORD, NULL);
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, NULL);
  assert_stored (uuid, PROV_FIELD_CLIENT_SECRET, "oauth client secret");

  /* Then Certificate. */
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_CERTIFICATE);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate password");
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, PROV_FIELD_PASSWORD, NULL);
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate password");
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  assert_stored (uuid, PROV_FIELD_CLIENT_SECRET, NULL);

  /* An SAP Jam target keeps only its client secret. */
  prov_target_system_set_kind (target, PROV_TARGET_KIND_SAP_JAM);
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "jam client secret");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, PROV_FIELD_PASSWORD, NULL);
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, NULL);
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_KEY, NULL);
  assert_stored (uuid, PROV_FIELD_CLIENT_SECRET, "jam client secret");

  g_assert_true (clear_target (store, uuid, &error));
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
  assert_stored (uuid, PROV_FIELD_PASSWORD, "as saved");

  g_assert_true (clear_target (store, uuid, &error));
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
  keyring_raw_set (uuid, PROV_FIELD_PASSWORD, "stale password");

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

  g_assert_true (clear_target (store, uuid, &error));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_secret_store_load_target_finish (PROV_SECRET_STORE (object), result, &error));
  g_assert_no_error (error);
  (*pending)--;
}

/* A run loads the source's and the targets' secrets at once; on a store
 * that has read nothing yet, the reads after the first wait for it to
 * open the keyring session, and every one still gets its own secrets. */
static void
test_load_concurrently (void)
{
  g_autoptr(ProvSecretStore) writer = prov_secret_store_new ();
  g_autoptr(ProvSecretStore) reader = prov_secret_store_new ();
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint pending = 0;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
      g_autofree char *password = g_strdup_printf ("password %u", i);

      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, password);
      g_assert_true (save_target (writer, target, &error));
      g_assert_no_error (error);
      g_ptr_array_add (loaded, fresh_from_file (target));
      g_ptr_array_add (saved, g_steal_pointer (&target));
    }

  for (guint i = 0; i < loaded->len; i++, pending++)
    prov_secret_store_load_target_async (reader, loaded->pdata[i], NULL, loaded_cb, &pending);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < saved->len; i++)
    {
      g_autofree char *password = g_strdup_printf ("password %u", i);

      g_assert_cmpstr (prov_target_system_get_text (loaded->pdata[i], PROV_FIELD_PASSWORD), ==, password);
      g_assert_true (clear_target (writer, prov_target_system_get_uuid (saved->pdata[i]), &error));
    }
}

/* Another program of the session can write an item with our attributes:
 * one nested deeper than json-glib's parser survives, or not JSON at all,
 * loads as no secrets, and the next save replaces it. */
static void
test_hostile_item (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  const char *uuid = prov_target_system_get_uuid (target);
  const char *texts[] = { NULL, "not json", "[\"password\"]" };
  g_autoptr(GError) error = NULL;

  texts[0] = g_strnfill (200000, '[');
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(ProvTargetSystem) loaded = fresh_from_file (target);

      keyring_raw_store_text (uuid, texts[i]);
      g_assert_true (load_target (store, loaded, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_PASSWORD), ==, "");
      g_assert_true (clear_target (store, uuid, &error));
    }
  g_free ((char *) texts[0]);

  keyring_raw_store_text (uuid, "{\"password\": ");
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "good password");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, PROV_FIELD_PASSWORD, "good password");
  g_assert_true (clear_target (store, uuid, &error));
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
      keyring_raw_set (doomed, secret_fields[i], "doomed");
      keyring_raw_set (kept, secret_fields[i], "kept");
    }
  /* And one left over in the per-field format. */
  keyring_raw_store_old (doomed, PROV_FIELD_PASSWORD, "doomed, the old way");

  g_assert_true (clear_target (store, doomed, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      assert_stored (doomed, secret_fields[i], NULL);
      g_assert_cmpuint (keyring_raw_count (doomed, NULL, NULL), ==, 0);
      assert_stored (kept, secret_fields[i], "kept");
    }

  g_assert_true (clear_target (store, kept, &error));
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
  keyring_raw_store_old (uuid, PROV_FIELD_CERTIFICATE_PASSWORD, "old certificate password");
  keyring_raw_store_old (uuid, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  keyring_raw_store_old (uuid, PROV_FIELD_PASSWORD, "old basic password");
  g_assert_cmpuint (keyring_raw_count (uuid, "1", NULL), ==, 3);

  loaded = fresh_from_file (target);
  g_assert_true (load_target (store, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_PASSWORD), ==, "old certificate password");
  g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_CERTIFICATE_KEY), ==, FAKE_KEY_PEM);

  /* Moved: one item now, the old ones gone. */
  g_assert_cmpuint (keyring_raw_count (uuid, "1", NULL), ==, 0);
  g_assert_cmpuint (keyring_raw_count (uuid, "2", NULL), ==, 1);

  /* Even the secret of a field the target does not use now was kept. */
  assert_stored (uuid, PROV_FIELD_PASSWORD, "old basic password");
  assert_stored (uuid, PROV_FIELD_CERTIFICATE_KEY, FAKE_KEY_PEM);
  assert_stored (uuid, PROV_FIELD_CLIENT_SECRET, NULL);

  g_assert_true (clear_target (store, uuid, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (keyring_raw_count (uuid, NULL, NULL), ==, 0);
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
  keyring_raw_store_old (uuid, PROV_FIELD_PASSWORD, "stale old password");

  assert_loads (store, target, PROV_FIELD_PASSWORD, "new password");
  assert_stored (uuid, PROV_FIELD_PASSWORD, "new password");
  g_assert_cmpuint (keyring_raw_count (uuid, "1", NULL), ==, 0);
  g_assert_cmpuint (keyring_raw_count (uuid, "2", NULL), ==, 1);

  g_assert_true (clear_target (store, uuid, &error));
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
  assert_stored (prov_target_system_get_uuid (g_ptr_array_index (targets, 0)),
                 PROV_FIELD_CLIENT_SECRET, secrets[0]);
  assert_stored (prov_target_system_get_uuid (g_ptr_array_index (targets, 2)),
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
    g_assert_true (clear_target (secret_store, prov_target_system_get_uuid (g_ptr_array_index (targets, i)), &error));
  g_remove (prov_target_store_get_path (target_store));
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
  g_test_add_func ("/secret-store/save-target", test_save_target);
  g_test_add_func ("/secret-store/save-target-snapshot", test_save_target_snapshot);
  g_test_add_func ("/secret-store/load-target", test_load_target);
  g_test_add_func ("/secret-store/load-concurrently", test_load_concurrently);
  g_test_add_func ("/secret-store/hostile-item", test_hostile_item);
  g_test_add_func ("/secret-store/clear-all", test_clear_all);
  g_test_add_func ("/secret-store/migrate/per-field", test_migrate_per_field);
  g_test_add_func ("/secret-store/migrate/leftovers", test_migrate_leftovers);
  g_test_add_func ("/secret-store/no-plaintext-on-disk", test_no_plaintext_on_disk);

  return g_test_run ();
}
