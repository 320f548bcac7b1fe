/* test-target-system.c — ProvTargetSystem: visibility, titles, the Jam
 * token URL default, copy/assign/equal and properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "prov-target-system.h"
#include "target-fixture.h"

static void
test_visibility (void)
{
  const struct
  {
    ProvTargetKind    kind;
    ProvAuthMechanism mechanism;
    const ProvField   visible[PROV_N_FIELDS + 1];  /* ends with PROV_N_FIELDS */
  } cases[] = {
    { JAM, { F_NAME, PROV_FIELD_KIND, F_URL, F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
    /* A Jam target keeps a mechanism around, but it does not matter. */
    { PROV_TARGET_KIND_SAP_JAM, PROV_AUTH_MECHANISM_BASIC,
      { F_NAME, PROV_FIELD_KIND, F_URL, F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
    { PROV_TARGET_KIND_SAP_JAM, PROV_AUTH_MECHANISM_CERTIFICATE,
      { F_NAME, PROV_FIELD_KIND, F_URL, F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
    { IPS_BASIC, { F_NAME, PROV_FIELD_KIND, F_URL, PROV_FIELD_VERSION, PROV_FIELD_AUTH_MECHANISM,
                   F_USER, F_PASS, F_CA, PROV_N_FIELDS } },
    { IPS_CERT, { F_NAME, PROV_FIELD_KIND, F_URL, PROV_FIELD_VERSION, PROV_FIELD_AUTH_MECHANISM,
                  F_CN, F_CERTPW, F_CERT, F_KEY, F_CA, PROV_N_FIELDS } },
    { IPS_OAUTH, { F_NAME, PROV_FIELD_KIND, F_URL, PROV_FIELD_VERSION, PROV_FIELD_AUTH_MECHANISM,
                   F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ProvTargetSystem) target = prov_target_system_new (cases[i].kind);
      gboolean expected[PROV_N_FIELDS] = { FALSE, };

      prov_target_system_set_auth_mechanism (target, cases[i].mechanism);
      for (guint j = 0; cases[i].visible[j] != PROV_N_FIELDS; j++)
        expected[cases[i].visible[j]] = TRUE;

      for (guint f = 0; f < PROV_N_FIELDS; f++)
        {
          g_test_message ("case %u, %s: expected %s", i, prov_field_get_key (f),
                          expected[f] ? "visible" : "hidden");
          g_assert_cmpint (prov_target_system_field_is_visible (target, f), ==, expected[f]);
        }
      g_assert_false (prov_target_system_field_is_visible (target, PROV_N_FIELDS));
    }

  /* Switching the type on the same object switches the fields. */
  {
    g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

    g_assert_false (prov_target_system_field_is_visible (target, PROV_FIELD_VERSION));
    g_assert_cmpint (prov_target_system_get_auth_mechanism (target), ==, PROV_AUTH_MECHANISM_OAUTH);
    prov_target_system_set_kind (target, PROV_TARGET_KIND_IDENTITY_PROVISIONING);
    g_assert_true (prov_target_system_field_is_visible (target, PROV_FIELD_VERSION));
    g_assert_true (prov_target_system_field_is_visible (target, F_USER));
    g_assert_false (prov_target_system_field_is_visible (target, F_SECRET));
    g_assert_cmpint (prov_target_system_get_auth_mechanism (target), ==, PROV_AUTH_MECHANISM_BASIC);
  }
}

/* The field titles of the issue, per type. */
static void
test_field_titles (void)
{
  const ProvTargetKind jam = PROV_TARGET_KIND_SAP_JAM;
  const ProvTargetKind ips = PROV_TARGET_KIND_IDENTITY_PROVISIONING;

  g_assert_cmpstr (prov_field_get_title (F_NAME, jam), ==, "Display Name");
  g_assert_cmpstr (prov_field_get_title (PROV_FIELD_KIND, ips), ==, "Type");
  g_assert_cmpstr (prov_field_get_title (F_URL, jam), ==, "URL");
  g_assert_cmpstr (prov_field_get_title (F_URL, ips), ==, "SCIM URL");
  g_assert_cmpstr (prov_field_get_title (F_TOKEN, jam), ==, "Token URL");
  g_assert_cmpstr (prov_field_get_title (F_TOKEN, ips), ==, "Token URL");
  g_assert_cmpstr (prov_field_get_title (F_ID, jam), ==, "Client Key");
  g_assert_cmpstr (prov_field_get_title (F_ID, ips), ==, "Client ID");
  g_assert_cmpstr (prov_field_get_title (F_SECRET, jam), ==, "Client Secret");
  g_assert_cmpstr (prov_field_get_title (PROV_FIELD_VERSION, ips), ==, "Version");
  g_assert_cmpstr (prov_field_get_title (PROV_FIELD_AUTH_MECHANISM, ips), ==, "Authentication Mechanism");
  g_assert_cmpstr (prov_field_get_title (F_USER, ips), ==, "Username");
  g_assert_cmpstr (prov_field_get_title (F_PASS, ips), ==, "Password");
  g_assert_cmpstr (prov_field_get_title (F_CN, ips), ==, "Common Name");
  g_assert_cmpstr (prov_field_get_title (F_CERTPW, ips), ==, "Certificate Password");

  g_assert_cmpstr (prov_target_kind_to_label (jam), ==, "SAP Jam");
  g_assert_cmpstr (prov_target_kind_to_label (ips), ==, "Identity Provisioning");
  g_assert_cmpstr (prov_auth_mechanism_to_label (PROV_AUTH_MECHANISM_BASIC), ==, "Basic");
  g_assert_cmpstr (prov_auth_mechanism_to_label (PROV_AUTH_MECHANISM_CERTIFICATE), ==, "Certificate");
  g_assert_cmpstr (prov_auth_mechanism_to_label (PROV_AUTH_MECHANISM_OAUTH), ==, "OAuth");

  /* Exactly the passwords, the client secret and the private key are
   * secret; the CA file is the only optional field. */
  for (guint f = 0; f < PROV_N_FIELDS; f++)
    {
      g_assert_cmpint (prov_field_is_secret (f), ==,
                       f == F_PASS || f == F_CERTPW || f == F_SECRET || f == F_KEY);
      g_assert_cmpint (prov_field_is_optional (f), ==, f == F_CA);
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_token_url_default (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  guint token_notifies = 0;

  g_signal_connect (target, "notify::token-url", G_CALLBACK (count_notify), &token_notifies);

  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "");
  g_assert_null (prov_target_system_dup_default_token_url (target));

  /* Follows the URL, with and without a trailing slash, with a port, IPv6. */
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");
  g_assert_cmpuint (token_notifies, ==, 1);
  prov_target_system_set_url (target, "https://jam8.sapjam.com/");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam8.sapjam.com/api/v1/auth/token");
  g_assert_cmpuint (token_notifies, ==, 2);
  prov_target_system_set_url (target, "https://jam.example.com:8443");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam.example.com:8443/api/v1/auth/token");
  prov_target_system_set_url (target, "http://[::1]:8080");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "http://[::1]:8080/api/v1/auth/token");
  {
    g_autofree char *token_url = prov_target_system_dup_default_token_url (target);
    g_assert_cmpstr (token_url, ==, "http://[::1]:8080/api/v1/auth/token");
  }

  /* Typing character by character passes through addresses that do not
   * parse; the default comes back when the URL does again. */
  prov_target_system_set_url (target, "https://");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "");
  prov_target_system_set_url (target, "https://j");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://j/api/v1/auth/token");
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");

  /* Edited by hand: it stays, whatever the URL does. */
  prov_target_system_set_text (target, F_TOKEN, "https://auth.example.com/oauth/token");
  token_notifies = 0;
  prov_target_system_set_url (target, "https://jam10.sapjam.com");
  prov_target_system_set_url (target, "");
  prov_target_system_set_url (target, "https://jam12.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://auth.example.com/oauth/token");
  g_assert_cmpuint (token_notifies, ==, 0);

  /* Cleared by hand: it follows again. */
  prov_target_system_set_text (target, F_TOKEN, "");
  prov_target_system_set_url (target, "https://jam2.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam2.sapjam.com/api/v1/auth/token");

  /* Identity Provisioning has no default and does not follow. */
  {
    g_autoptr(ProvTargetSystem) ips = new_valid_target (IPS_OAUTH);

    g_assert_null (prov_target_system_dup_default_token_url (ips));
    prov_target_system_set_url (ips, "https://other.accounts.ondemand.com/ipsproxy/service/api/v1/systems/x/entities/user");
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "https://tenant.accounts.ondemand.com/oauth2/token");

    prov_target_system_set_text (ips, F_TOKEN, NULL);
    prov_target_system_set_url (ips, SCIM_URL);
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "");

    /* Switching to SAP Jam fills an empty token URL from the URL. */
    prov_target_system_set_url (ips, "https://jam4.sapjam.com");
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "");
    prov_target_system_set_kind (ips, PROV_TARGET_KIND_SAP_JAM);
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");
  }

  /* Through the property, as a bound entry would set it. */
  {
    g_autoptr(ProvTargetSystem) jam = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_autofree char *token_url = NULL;

    g_object_set (jam, "url", "https://jam3.sapjam.com", NULL);
    g_object_get (jam, "token-url", &token_url, NULL);
    g_assert_cmpstr (token_url, ==, "https://jam3.sapjam.com/api/v1/auth/token");
  }
}

/* Copy, assign, equal */

static void
test_copy_assign_equal (void)
{
  const struct { ProvTargetKind kind; ProvAuthMechanism mechanism; } types[] = {
    { JAM }, { IPS_BASIC }, { IPS_CERT }, { IPS_OAUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ProvTargetSystem) target = new_valid_target (types[i].kind, types[i].mechanism);
      g_autoptr(ProvTargetSystem) copy = NULL;
      g_autoptr(ProvTargetSystem) other = NULL;

      if (types[i].kind == PROV_TARGET_KIND_SAP_JAM)
        prov_target_system_set_text (target, F_TOKEN, "https://auth.example.com/token");
      else
        prov_target_system_set_version (target, PROV_SCIM_VERSION_1);

      copy = prov_target_system_copy (target);
      g_assert_true (copy != target);
      g_assert_cmpstr (prov_target_system_get_uuid (copy), ==, prov_target_system_get_uuid (target));
      g_assert_true (prov_target_system_equal (copy, target));
      g_assert_true (prov_target_system_equal (target, copy));
      g_assert_cmpint (prov_target_system_get_kind (copy), ==, types[i].kind);
      g_assert_cmpint (prov_target_system_get_version (copy), ==, prov_target_system_get_version (target));
      g_assert_cmpint (prov_target_system_get_auth_mechanism (copy), ==, prov_target_system_get_auth_mechanism (target));
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        if (prov_field_is_text (f))
          g_assert_cmpstr (prov_target_system_get_text (copy, f), ==, prov_target_system_get_text (target, f));

      /* The copy is independent. */
      prov_target_system_set_display_name (copy, "Renamed");
      g_assert_false (prov_target_system_equal (copy, target));
      g_assert_cmpstr (prov_target_system_get_display_name (target), !=, "Renamed");

      /* Assign takes the values and keeps the identity. */
      other = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
      g_assert_false (prov_target_system_equal (other, target));
      prov_target_system_assign (other, target);
      g_assert_true (prov_target_system_equal (other, target));
      g_assert_cmpstr (prov_target_system_get_uuid (other), !=, prov_target_system_get_uuid (target));
      g_assert_true (g_uuid_string_is_valid (prov_target_system_get_uuid (other)));

      /* Every visible field takes part in equality, secrets included. */
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        {
          if (!prov_field_is_text (f) || !prov_target_system_field_is_visible (target, f))
            continue;
          prov_target_system_assign (copy, target);
          g_assert_true (prov_target_system_equal (copy, target));
          prov_target_system_set_text (copy, f, "changed");
          g_test_message ("changed %s", prov_field_get_key (f));
          g_assert_false (prov_target_system_equal (copy, target));
        }

      /* Assigning itself changes nothing. */
      prov_target_system_assign (target, target);
      g_assert_true (prov_target_system_equal (target, target));
    }

  /* Hidden fields, the type, version and mechanism. */
  {
    g_autoptr(ProvTargetSystem) a = new_valid_target (IPS_BASIC);
    g_autoptr(ProvTargetSystem) b = prov_target_system_copy (a);

    prov_target_system_set_text (b, F_SECRET, "hidden-while-basic");
    prov_target_system_set_text (b, F_CN, "hidden too");
    g_assert_true (prov_target_system_equal (a, b));

    prov_target_system_set_version (b, PROV_SCIM_VERSION_1);
    g_assert_false (prov_target_system_equal (a, b));
    prov_target_system_set_version (b, PROV_SCIM_VERSION_2);
    g_assert_true (prov_target_system_equal (a, b));

    prov_target_system_set_auth_mechanism (b, PROV_AUTH_MECHANISM_OAUTH);
    g_assert_false (prov_target_system_equal (a, b));
    prov_target_system_set_auth_mechanism (b, PROV_AUTH_MECHANISM_BASIC);

    prov_target_system_set_kind (b, PROV_TARGET_KIND_SAP_JAM);
    g_assert_false (prov_target_system_equal (a, b));
  }

  /* A Jam target's version is hidden and does not count. */
  {
    g_autoptr(ProvTargetSystem) a = new_valid_target (JAM);
    g_autoptr(ProvTargetSystem) b = prov_target_system_copy (a);

    prov_target_system_set_version (b, PROV_SCIM_VERSION_1);
    g_assert_true (prov_target_system_equal (a, b));
  }

  /* Assigning into a Jam target whose token URL follows its URL takes the
   * source's hand-edited token URL, not a new default. */
  {
    g_autoptr(ProvTargetSystem) from = new_valid_target (JAM);
    g_autoptr(ProvTargetSystem) into = new_valid_target (JAM);

    prov_target_system_set_url (from, "https://jam9.sapjam.com");
    prov_target_system_set_text (from, F_TOKEN, "https://auth.example.com/token");
    prov_target_system_assign (into, from);
    g_assert_cmpstr (prov_target_system_get_text (into, F_TOKEN), ==, "https://auth.example.com/token");
    g_assert_cmpstr (prov_target_system_get_url (into), ==, "https://jam9.sapjam.com");
  }
}

static void
test_properties (void)
{
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *label = NULL;
  g_autofree char *display_name = NULL;
  ProvTargetKind kind;
  guint notifies = 0;

  target = g_object_new (PROV_TYPE_TARGET_SYSTEM,
                         "kind", PROV_TARGET_KIND_IDENTITY_PROVISIONING,
                         "display-name", "From properties",
                         NULL);
  g_object_get (target, "uuid", &uuid, "kind-label", &label, "kind", &kind,
                "display-name", &display_name, NULL);
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpstr (label, ==, "Identity Provisioning");
  g_assert_cmpint (kind, ==, PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_assert_cmpstr (display_name, ==, "From properties");

  /* Two new targets never share a uuid. */
  {
    g_autoptr(ProvTargetSystem) a = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_autoptr(ProvTargetSystem) b = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_assert_cmpstr (prov_target_system_get_uuid (a), !=, prov_target_system_get_uuid (b));
  }

  /* Setting the same value again notifies nobody; "" and NULL are the same. */
  g_signal_connect (target, "notify::display-name", G_CALLBACK (count_notify), &notifies);
  prov_target_system_set_display_name (target, "From properties");
  g_assert_cmpuint (notifies, ==, 0);
  prov_target_system_set_display_name (target, "");
  g_assert_cmpuint (notifies, ==, 1);
  prov_target_system_set_display_name (target, NULL);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpstr (prov_target_system_get_display_name (target), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  target_fixture_set_up ();

  g_test_add_func ("/target-system/visibility", test_visibility);
  g_test_add_func ("/target-system/field-titles", test_field_titles);
  g_test_add_func ("/target-system/token-url-default", test_token_url_default);
  g_test_add_func ("/target-system/copy-assign-equal", test_copy_assign_equal);
  g_test_add_func ("/target-system/properties", test_properties);

  result = g_test_run ();
  target_fixture_tear_down ();
  return result;
}
