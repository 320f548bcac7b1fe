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

const ProvField secret_fields[N_SECRET_FIELDS] = {
  PROV_FIELD_PASSWORD,
  PROV_FIELD_CERTIFICATE_PASSWORD,
  PROV_FIELD_CERTIFICATE_KEY,
  PROV_FIELD_CLIENT_SECRET,
};

/* Each async call, made and awaited (test-helpers.h: a watchdog fails a
 * prompt that would wait forever). */

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

gboolean
clear_target (ProvSecretStore  *store,
              const char       *uuid,
              GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_secret_store_clear_target_async (store, uuid, NULL, got_result_cb, &result);
  return prov_secret_store_clear_target_finish (store, wait_for (&result), error);
}

/* Checks */

void
assert_stored (const char *uuid,
               ProvField   field,
               const char *expected)
{
  g_autofree char *secret = keyring_raw_lookup (uuid, field);

  g_assert_cmpstr (secret, ==, expected);
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
