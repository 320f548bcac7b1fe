/* test-sap-endpoints.c — the URLs made from the addresses people enter,
 * as docs/sap-domain.md states SAP's shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "prov-sap-endpoints.h"

static void
test_jam (void)
{
  static const struct { const char *url, *resource, *expected; } scim[] = {
    { "https://jam4.sapjam.com", "Users", "https://jam4.sapjam.com/api/v1/scim/Users" },
    { "https://jam4.sapjam.com//", "Users", "https://jam4.sapjam.com/api/v1/scim/Users" },
    { "http://127.0.0.1:8080/", NULL, "http://127.0.0.1:8080/api/v1/scim" },
  };
  static const struct { const char *url, *expected; } token[] = {
    { "https://jam4.sapjam.com", "https://jam4.sapjam.com/api/v1/auth/token" },
    { "https://jam4.sapjam.com/some/path/", "https://jam4.sapjam.com/api/v1/auth/token" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v1/auth/token" },
    { "", NULL },
    { "not an address", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (scim); i++)
    {
      g_autofree char *url = prov_sap_jam_scim_url (scim[i].url, scim[i].resource);
      g_assert_cmpstr (url, ==, scim[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (token); i++)
    {
      g_autofree char *url = prov_sap_jam_token_url (token[i].url);
      g_assert_cmpstr (url, ==, token[i].expected);
    }
}

static void
test_ips_path (void)
{
  static const struct { const char *path; gboolean valid; } cases[] = {
    { "/ipsproxy/service/api/v1/systems/0f1e2d3c/entities/user", TRUE },
    { "/ipsproxy/service/api/v1/systems/0f1e2d3c/entities/user/", TRUE },
    { "/ipsproxy/service/api/v1/systems//entities/user", FALSE },
    { "/ipsproxy/service/api/v1/systems/0f1e2d3c/entities/group", FALSE },
    { "/ipsproxy/service/api/v1/systems/0f1e2d3c", FALSE },
    { "/ipsproxy/service/api/v1/systems/a/b/entities/user", FALSE },
    { "/scim/Users", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].path);
      g_assert_cmpint (prov_sap_ips_scim_path_is_valid (cases[i].path), ==, cases[i].valid);
    }
}

static void
test_target_urls (void)
{
  g_autoptr(ProvTargetSystem) jam = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvTargetSystem) ips = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autofree char *jam_users = NULL;
  g_autofree char *jam_test = NULL;
  g_autofree char *ips_users = NULL;
  g_autofree char *ips_test = NULL;

  prov_target_system_set_url (jam, "https://jam4.sapjam.com/");
  prov_target_system_set_url (ips, "https://t.example.com/ipsproxy/service/api/v1/systems/s1/entities/user/");

  jam_users = prov_sap_users_url (jam);
  jam_test = prov_sap_test_connection_url (jam);
  ips_users = prov_sap_users_url (ips);
  ips_test = prov_sap_test_connection_url (ips);

  g_assert_cmpstr (jam_users, ==, "https://jam4.sapjam.com/api/v1/scim/Users");
  g_assert_cmpstr (jam_test, ==, "https://jam4.sapjam.com/api/v1/scim/Users?startIndex=1&count=1");
  /* One user is <users URL>/<id>: no double slash. */
  g_assert_cmpstr (ips_users, ==, "https://t.example.com/ipsproxy/service/api/v1/systems/s1/entities/user");
  g_assert_cmpstr (ips_test, ==, "https://t.example.com/ipsproxy/service/api/v1/systems/s1/entities/user/");
}

static void
test_ias_pages (void)
{
  g_autofree char *v2 = prov_sap_ias_v2_users_url ("https://t.accounts.ondemand.com/", 101, 100);
  g_autofree char *v1_first = prov_sap_ias_v1_users_url ("https://t.accounts.ondemand.com", 100, NULL);
  g_autofree char *v1_next = prov_sap_ias_v1_users_url ("https://t.accounts.ondemand.com", 100, "a b&c");

  g_assert_cmpstr (v2, ==, "https://t.accounts.ondemand.com/scim/Users?startIndex=101&count=100");
  g_assert_cmpstr (v1_first, ==, "https://t.accounts.ondemand.com/service/scim/Users?count=100&startId=initial");
  g_assert_cmpstr (v1_next, ==, "https://t.accounts.ondemand.com/service/scim/Users?count=100&startId=a%20b%26c");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sap-endpoints/jam", test_jam);
  g_test_add_func ("/sap-endpoints/ips-path", test_ips_path);
  g_test_add_func ("/sap-endpoints/target-urls", test_target_urls);
  g_test_add_func ("/sap-endpoints/ias-pages", test_ias_pages);

  return g_test_run ();
}
