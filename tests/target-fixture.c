/* target-fixture.c — valid targets and certificate files shared by the
 * target system tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "prov-client-certificate.h"
#include "target-fixture.h"
#include "test-helpers.h"

char *test_certificate_pem;
char *test_key_pem;
char *scratch_dir;
char *ca_file_path;
char *not_a_certificate_path;

ProvTargetSystem *
new_valid_target (ProvTargetKind    kind,
                  ProvAuthMechanism mechanism)
{
  ProvTargetSystem *target = prov_target_system_new (kind);

  if (kind == PROV_TARGET_KIND_SAP_JAM)
    {
      prov_target_system_set_display_name (target, "Jam Europe");
      prov_target_system_set_url (target, JAM_URL);
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "jam-scim-client");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "jam-client-secret");
      return target;
    }

  prov_target_system_set_display_name (target, "Identity Provisioning Prod");
  prov_target_system_set_url (target, SCIM_URL);
  prov_target_system_set_version (target, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (target, mechanism);

  switch (mechanism)
    {
    case PROV_AUTH_MECHANISM_BASIC:
      prov_target_system_set_text (target, PROV_FIELD_USERNAME, "T000123");
      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "basic-password");
      break;
    case PROV_AUTH_MECHANISM_CERTIFICATE:
      prov_target_system_set_text (target, PROV_FIELD_COMMON_NAME, "provisioner");
      prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate-password");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_CERTIFICATE, test_certificate_pem);
      prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, test_key_pem);
      break;
    case PROV_AUTH_MECHANISM_OAUTH:
      prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, "https://tenant.accounts.ondemand.com/oauth2/token");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "ips-client-id");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "ips-client-secret");
      break;
    default:
      g_assert_not_reached ();
    }

  return target;
}

static void
generated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
target_fixture_set_up (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_client_certificate_generate_async ("provisioner", "P000123", NULL, generated_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  prov_client_certificate_generate_finish (result, &test_certificate_pem, &test_key_pem, &error);
  g_assert_no_error (error);

  scratch_dir = g_dir_make_tmp ("provisioner-target-system-XXXXXX", &error);
  g_assert_no_error (error);
  ca_file_path = g_build_filename (scratch_dir, "ca.pem", NULL);
  g_file_set_contents (ca_file_path, test_certificate_pem, -1, &error);
  g_assert_no_error (error);
  not_a_certificate_path = g_build_filename (scratch_dir, "notes.txt", NULL);
  g_file_set_contents (not_a_certificate_path, "just some notes\n", -1, &error);
  g_assert_no_error (error);
}

void
target_fixture_tear_down (void)
{
  /* With what the tests wrote there too. */
  remove_tree (scratch_dir);
  g_clear_pointer (&ca_file_path, g_free);
  g_clear_pointer (&not_a_certificate_path, g_free);
  g_clear_pointer (&scratch_dir, g_free);
  g_clear_pointer (&test_certificate_pem, g_free);
  g_clear_pointer (&test_key_pem, g_free);
}

