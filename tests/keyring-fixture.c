/* keyring-fixture.c — what the ProvSecretStore tests share (see
 * keyring-fixture.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "keyring-fixture.h"

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

const ProvField secret_fields[N_SECRET_FIELDS] = {
  PROV_FIELD_PASSWORD,
  PROV_FIELD_CERTIFICATE_PASSWORD,
  PROV_FIELD_CERTIFICATE_KEY,
  PROV_FIELD_CLIENT_SECRET,
};

/* Each async call, made and awaited (test-helpers.h: a watchdog fails a
 * prompt that would wait forever). */

gboolean
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

char *
lookup_secret (ProvSecretStore  *store,
               const char       *uuid,
               ProvField         field,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_lookup_async (store, uuid, field, NULL, got_result_cb, &result);
  return prov_secret_store_lookup_finish (store, wait_for (&result), error);
}

gboolean
clear_secret (ProvSecretStore  *store,
              const char       *uuid,
              ProvField         field,
              GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_clear_async (store, uuid, field, NULL, got_result_cb, &result);
  return prov_secret_store_clear_finish (store, wait_for (&result), error);
}

gboolean
save_target (ProvSecretStore   *store,
             ProvTargetSystem  *target,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_save_target_async (store, target, NULL, got_result_cb, &result);
  return prov_secret_store_save_target_finish (store, wait_for (&result), error);
}

gboolean
load_target (ProvSecretStore   *store,
             ProvTargetSystem  *target,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_load_target_async (store, target, NULL, got_result_cb, &result);
  return prov_secret_store_load_target_finish (store, wait_for (&result), error);
}

/* Checks */

void
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

guint
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

guint
count_items (const char *uuid,
             char      **label)
{
  return count_generation (uuid, NULL, label);
}

/* An item with our schema's attributes, written past the code under test. */
static void
store_item (const char *uuid,
            const char *field_key,
            const char *generation,
            const char *label,
            const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "target-uuid", (gpointer) uuid);
  g_hash_table_insert (attributes, (gpointer) "generation", (gpointer) generation);
  if (field_key != NULL)
    g_hash_table_insert (attributes, (gpointer) "field", (gpointer) field_key);
  secret_password_storev (&test_schema, attributes, SECRET_COLLECTION_DEFAULT, label, text,
                          NULL, got_result_cb, &result);
  g_assert_true (secret_password_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

void
store_old_item (const char *uuid,
                ProvField   field,
                const char *secret)
{
  store_item (uuid, prov_field_get_key (field), "1", "Provisioner: old item", secret);
}

void
store_raw_item (const char *uuid,
                const char *text)
{
  store_item (uuid, NULL, "2", "Provisioner: raw item", text);
}

void
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

ProvTargetSystem *
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

ProvTargetSystem *
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
