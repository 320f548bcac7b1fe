/* test-connection.c — Test Connection against the in-process test peer
 *
 * Every success path (SAP Jam, Identity Provisioning with Basic, OAuth and
 * a client certificate, TLS with an extra CA, mutual TLS, token reuse and
 * refresh), that no secret reaches the debug log, and what the core
 * refuses before it connects. The failures a person can meet are in
 * test-connection-failures.c; the helpers in connection-fixture.c.
 *
 * Each test makes its own ProvHttpClient (its own token cache and
 * connections) and its own server. Debug output is on
 * (connection_fixture_init and G_MESSAGES_DEBUG=all in tests/meson.build):
 * the client only adds its redacting SoupLogger when it is, and the log
 * test needs it there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "connection-fixture.h"

/* Success paths */

static void
test_success_message (void)
{
  g_assert_cmpstr (prov_connection_test_success_message (), ==, SUCCESS_SENTENCE);
}

static void
test_jam_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *authorization = NULL;

  assert_connection_ok (client, target);
  g_assert_cmpstr (prov_connection_test_success_message (), ==, SUCCESS_SENTENCE);

  /* A token from Jam's token URL, then one authenticated read of Users. */
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_TOKEN), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (server, "GET", JAM_SCIM "/Users"), ==, 1);
  g_assert_cmpuint (prov_test_server_count_responses (server, 200, JAM_SCIM "/Users"), ==, 1);
  authorization = g_strdup (prov_test_server_get_last_authorization (server, JAM_SCIM));
  g_assert_true (g_str_has_prefix (authorization, "Bearer "));

  /* The User-Agent names the app and its version. */
  {
    const char *agent = prov_test_server_get_last_request_header (server, JAM_SCIM, "User-Agent");
    g_autofree char *expected = g_strdup_printf ("Provisioner/%s", PACKAGE_VERSION);

    g_assert_nonnull (agent);
    g_assert_true (g_str_has_prefix (agent, expected));
  }
}

static void
test_ips_basic_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  const char *authorization;

  assert_connection_ok (client, target);

  g_assert_cmpuint (prov_test_server_count_requests (server, "GET", IPS_SYSTEMS "/" SYSTEM_ID), ==, 1);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 0);
  authorization = prov_test_server_get_last_authorization (server, IPS_SYSTEMS);
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Basic "));
}

static void
test_ips_oauth_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);
  const char *authorization;

  assert_connection_ok (client, target);

  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", IAS_TOKEN), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_TOKEN), ==, 0);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 1);
  authorization = prov_test_server_get_last_authorization (server, IPS_SYSTEMS);
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Bearer "));
}

/* TLS with the target's extra CA, for each kind of target. */
static void
test_tls_extra_ca_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_TLS);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) oauth = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);

  g_assert_true (g_str_has_prefix (prov_target_system_get_url (jam), "https://"));
  g_assert_cmpstr (prov_target_system_get_text (jam, PROV_FIELD_CA_FILE), ==,
                   prov_test_server_get_ca_file (server));

  assert_connection_ok (client, jam);
  assert_connection_ok (client, basic);
  assert_connection_ok (client, oauth);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);

  /* "localhost" is in the certificate too. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();
    g_autofree char *url = g_strdup_printf ("%s%s/%s/entities/user",
                                            prov_test_server_get_base_url_localhost (server),
                                            IPS_SYSTEMS, SYSTEM_ID);

    prov_target_system_set_url (basic, url);
    assert_connection_ok (other, basic);
  }
}

/* Generate, "import at the technical user" (pin it at the server), then
 * mutual TLS. */
static void
test_mtls_generated_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autofree char *certificate_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autoptr(GError) error = NULL;

  generate_client_certificate ("provisioner", "P000123", &certificate_pem, &key_pem);
  g_assert_true (prov_test_server_trust_client_certificate_pem (server, certificate_pem, &error));
  g_assert_no_error (error);
  set_client_certificate (target, certificate_pem, key_pem);

  assert_connection_ok (client, target);

  /* Only the certificate authenticated: no password, no token. */
  g_assert_cmpstr (prov_test_server_get_last_client_certificate_cn (server, IPS_SYSTEMS), ==,
                   "provisioner(P000123)");
  g_assert_null (prov_test_server_get_last_authorization (server, IPS_SYSTEMS));
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 0);
}

/* One client (the app shares one) and two targets on the same host: a kept
 * alive connection that one target's certificate or CA got accepted must
 * not let the other pass untested. */
static void
test_no_shared_tls_connections (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) imported = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTargetSystem) regenerated = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTargetSystem) no_ca = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTestCert) good = NULL;
  g_autoptr(ProvTestCert) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *no_ca_message = NULL;

  good = prov_test_cert_new_client_with_cn (NULL, "imported(P000123)", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  fresh = prov_test_cert_new_client_with_cn (NULL, "regenerated(P000123)", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (prov_test_server_trust_client_certificate_pem (server, prov_test_cert_get_certificate_pem (good), &error));
  g_assert_no_error (error);

  set_client_certificate (imported, prov_test_cert_get_certificate_pem (good),
                          prov_test_cert_get_private_key_pem (good));
  /* Generated again, not yet imported at the technical user. */
  set_client_certificate (regenerated, prov_test_cert_get_certificate_pem (fresh),
                          prov_test_cert_get_private_key_pem (fresh));
  /* The good certificate, but no CA file for the server. */
  set_client_certificate (no_ca, prov_test_cert_get_certificate_pem (good),
                          prov_test_cert_get_private_key_pem (good));
  prov_target_system_set_text (no_ca, PROV_FIELD_CA_FILE, NULL);

  assert_connection_ok (client, imported);

  message = expect_failure (client, regenerated, PROV_ERROR_CLIENT_CERTIFICATE_REJECTED);
  assert_contains (message, "rejected the client certificate");
  g_assert_cmpstr (prov_test_server_get_last_client_certificate_cn (server, IPS_SYSTEMS), ==,
                   "imported(P000123)");

  no_ca_message = expect_failure (client, no_ca, PROV_ERROR_TLS_NOT_TRUSTED);
  assert_contains (no_ca_message, "is not trusted");

  /* The good one still works, on its own kept-alive connection. */
  assert_connection_ok (client, imported);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, IPS_SYSTEMS), ==, 2);
}

/* Import a PKCS#12 file signed by a CA the server trusts; the wrong
 * password is refused with a sentence. */
static void
test_mtls_pkcs12_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTestCert) cert = NULL;
  g_autoptr(GBytes) p12 = NULL;
  g_autofree char *certificate_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autoptr(GError) error = NULL;

  cert = prov_test_cert_new_client_with_cn (prov_test_server_get_client_ca (server),
                                            "imported(P000456)", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  p12 = prov_test_cert_export_pkcs12 (cert, P12_PASSWORD, &error);
  g_assert_no_error (error);
  prov_test_server_trust_client_certificate_subject (server, "imported(P000456)");

  g_assert_true (prov_client_certificate_import (p12, P12_PASSWORD, &certificate_pem, &key_pem, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (certificate_pem, ==, prov_test_cert_get_certificate_pem (cert));
  set_client_certificate (target, certificate_pem, key_pem);

  assert_connection_ok (client, target);
  g_assert_cmpstr (prov_test_server_get_last_client_certificate_cn (server, IPS_SYSTEMS), ==,
                   "imported(P000456)");
}

static void
test_pkcs12_wrong_password (void)
{
  g_autoptr(ProvTestCert) cert = NULL;
  g_autoptr(GBytes) p12 = NULL;
  char *certificate_pem = NULL;
  char *key_pem = NULL;
  g_autoptr(GError) error = NULL;

  cert = prov_test_cert_new_client (NULL, "CN=imported(P000456)", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  p12 = prov_test_cert_export_pkcs12 (cert, P12_PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_false (prov_client_certificate_import (p12, "not the password", &certificate_pem, &key_pem, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The PKCS#12 file could not be opened: check the Certificate Password.");
  g_assert_null (certificate_pem);
  g_assert_null (key_pem);
  g_clear_error (&error);

  /* No password at all is the same mistake. */
  g_assert_false (prov_client_certificate_import (p12, NULL, &certificate_pem, &key_pem, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID);
  assert_contains (error->message, "Certificate Password");
}

/* Import PEM text: certificate plus plain key, and certificate plus an
 * encrypted PKCS#8 key (which GLib alone cannot load). */
static void
test_mtls_pem_success (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTestCert) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = prov_test_cert_new_client_with_cn (NULL, "pem(P000789)", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (prov_test_server_trust_client_certificate_pem (server, prov_test_cert_get_certificate_pem (cert), &error));
  g_assert_no_error (error);

  /* Plain key. */
  {
    g_autoptr(ProvHttpClient) client = prov_http_client_new ();
    g_autofree char *text = g_strconcat (prov_test_cert_get_certificate_pem (cert),
                                         prov_test_cert_get_private_key_pem (cert), NULL);
    g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
    g_autofree char *certificate_pem = NULL;
    g_autofree char *key_pem = NULL;

    g_assert_true (prov_client_certificate_import (data, NULL, &certificate_pem, &key_pem, &error));
    g_assert_no_error (error);
    set_client_certificate (target, certificate_pem, key_pem);
    assert_connection_ok (client, target);
    g_assert_cmpstr (prov_test_server_get_last_client_certificate_cn (server, IPS_SYSTEMS), ==,
                     "pem(P000789)");
  }

  /* Encrypted key, the key first. */
  {
    g_autoptr(ProvHttpClient) client = prov_http_client_new ();
    g_autofree char *encrypted = prov_test_cert_export_encrypted_key (cert, P12_PASSWORD, &error);
    g_autofree char *text = NULL;
    g_autoptr(GBytes) data = NULL;
    g_autofree char *certificate_pem = NULL;
    g_autofree char *key_pem = NULL;

    g_assert_no_error (error);
    text = g_strconcat (encrypted, prov_test_cert_get_certificate_pem (cert), NULL);
    data = g_bytes_new (text, strlen (text));

    g_assert_false (prov_client_certificate_import (data, "wrong", &certificate_pem, &key_pem, &error));
    g_assert_error (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID);
    assert_contains (error->message, "Certificate Password");
    g_clear_error (&error);

    g_assert_true (prov_client_certificate_import (data, P12_PASSWORD, &certificate_pem, &key_pem, &error));
    g_assert_no_error (error);
    g_assert_null (strstr (key_pem, "ENCRYPTED"));
    set_client_certificate (target, certificate_pem, key_pem);
    assert_connection_ok (client, target);
  }
}

/* Two tests in a row on one client: one token. */
static void
test_token_reuse (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) oauth = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);

  assert_connection_ok (client, jam);
  assert_connection_ok (client, jam);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (server, "GET", JAM_SCIM "/Users"), ==, 2);

  assert_connection_ok (client, oauth);
  assert_connection_ok (client, oauth);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);

  /* A changed secret never reuses the token issued for the old one. */
  {
    g_autoptr(ProvTargetSystem) changed = new_jam_target (server, "another-secret");
    g_autofree char *message = NULL;

    message = expect_failure (client, changed, PROV_ERROR_CREDENTIALS_REFUSED);
    g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);
  }

  /* A fresh client has its own cache. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();

    assert_connection_ok (other, jam);
    g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 3);
  }
}

/* The token dies before its time: one 401, one new token, success. */
static void
test_token_refresh_on_401 (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) oauth = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  assert_connection_ok (client, jam);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 1);
  first = g_strdup (prov_test_server_get_last_authorization (server, JAM_SCIM));

  prov_test_server_revoke_tokens (server);
  prov_test_server_clear_requests (server);

  assert_connection_ok (client, jam);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_TOKEN), ==, 1);
  g_assert_cmpuint (prov_test_server_count_responses (server, 401, JAM_SCIM), ==, 1);
  g_assert_cmpuint (prov_test_server_count_responses (server, 200, JAM_SCIM), ==, 1);
  second = g_strdup (prov_test_server_get_last_authorization (server, JAM_SCIM));
  g_assert_cmpstr (first, !=, second);

  /* The new token is cached in turn. */
  assert_connection_ok (client, jam);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);

  /* The same for Identity Provisioning with OAuth. */
  assert_connection_ok (client, oauth);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 3);
  prov_test_server_revoke_tokens (server);
  prov_test_server_clear_requests (server);
  assert_connection_ok (client, oauth);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 4);
  g_assert_cmpuint (prov_test_server_count_responses (server, 401, IPS_SYSTEMS), ==, 1);
}

/* A token that expires within the client's safety margin is used once and
 * fetched again next time. */
static void
test_token_short_lived (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);

  prov_test_server_set_token_lifetime (server, 30);
  assert_connection_ok (client, jam);
  assert_connection_ok (client, jam);
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);
}

/* The debug log */

static void
assert_log_clean (const char * const *forbidden)
{
  g_autoptr(GPtrArray) lines = dup_captured_lines ();
  guint authorization_lines = 0;

  g_assert_cmpuint (lines->len, >, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      for (guint j = 0; forbidden[j] != NULL; j++)
        {
          if (strstr (line, forbidden[j]) != NULL)
            g_error ("A secret reached the debug log: %s", line);
        }

      if (strstr (line, "Authorization") != NULL)
        {
          authorization_lines++;
          if (strstr (line, "Authorization: [redacted]") == NULL)
            g_error ("An Authorization line is not redacted: %s", line);
        }
    }

  /* The SoupLogger was there and did log the headers: otherwise this
   * test proves nothing. */
  g_assert_cmpuint (authorization_lines, >=, 3);
}

static void
test_log_has_no_secrets (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = NULL;
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) oauth = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);
  g_autofree char *basic_pair = g_strconcat (IPS_USER, ":", IPS_PASSWORD, NULL);
  g_autofree char *basic_base64 = g_base64_encode ((const guchar *) basic_pair, strlen (basic_pair));
  g_autofree char *jam_token = NULL;
  g_autofree char *ips_token = NULL;

  /* Without debug output the client adds no logger and there would be
   * nothing to check (main() turns it on). */
  g_assert_false (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "provisioner"));

  clear_captured_lines ();
  client = prov_http_client_new ();

  assert_connection_ok (client, jam);
  jam_token = bearer_token (prov_test_server_get_last_authorization (server, JAM_SCIM));
  assert_connection_ok (client, basic);
  assert_connection_ok (client, oauth);
  ips_token = bearer_token (prov_test_server_get_last_authorization (server, IPS_SYSTEMS));

  /* And a failure, whose detail goes to the log too. */
  {
    g_autoptr(ProvTargetSystem) wrong = new_jam_target (server, JAM_CLIENT_SECRET "-wrong");
    g_free (expect_failure (client, wrong, PROV_ERROR_CREDENTIALS_REFUSED));
  }

  {
    const char * const forbidden[] = {
      JAM_CLIENT_SECRET, IPS_PASSWORD, IPS_CLIENT_SECRET,
      basic_base64, jam_token, ips_token,
      NULL
    };

    g_assert_cmpstr (jam_token, !=, ips_token);
    assert_log_clean (forbidden);
  }

  /* The log did see the requests, just not the secrets. */
  {
    g_autoptr(GPtrArray) lines = dup_captured_lines ();
    gboolean saw_token_request = FALSE;

    for (guint i = 0; i < lines->len; i++)
      {
        const char *line = g_ptr_array_index (lines, i);

        if (strstr (line, "POST " JAM_TOKEN) != NULL)
          saw_token_request = TRUE;
      }
    g_assert_true (saw_token_request);
  }
}

/* Validation */

static void
test_plain_http_only_for_loopback (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autofree char *reason = NULL;
  g_autofree char *loopback_reason = NULL;

  prov_target_system_set_url (target, "http://ips.example.com" IPS_SYSTEMS "/" SYSTEM_ID "/entities/user");
  reason = prov_target_system_check_field (target, PROV_FIELD_URL, NULL);
  g_assert_cmpstr (reason, ==, "Use https://; plain http:// is allowed only for this computer");

  /* What every test above relies on. */
  prov_target_system_set_url (target, "http://127.0.0.1:8080" IPS_SYSTEMS "/" SYSTEM_ID "/entities/user");
  loopback_reason = prov_target_system_check_field (target, PROV_FIELD_URL, NULL);
  g_assert_null (loopback_reason);
}

/* targets.json edited by hand gets past the editor's validation: the
 * core itself must not send anything, credentials least of all, in clear
 * to another computer. (.invalid never resolves: without the guard these
 * fail fast with "host not found" instead.) */
static void
test_plain_http_refused_by_core (void)
{
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) ips = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autoptr(ProvTargetSystem) jam = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;

  prov_target_system_set_url (ips, "http://ips.no-such-host.invalid" IPS_SYSTEMS "/" SYSTEM_ID "/entities/user");
  prov_target_system_set_auth_mechanism (ips, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (ips, PROV_FIELD_USERNAME, IPS_USER);
  prov_target_system_set_text (ips, PROV_FIELD_PASSWORD, IPS_PASSWORD);
  message = expect_failure (client, ips, PROV_ERROR_INVALID_FIELD);
  g_assert_cmpstr (message, ==,
                   "Nothing was sent to ips.no-such-host.invalid: its address starts with http://, "
                   "which is allowed only for this computer. Change it to https://.");

  /* The token request, which carries the client secret in its body. */
  prov_target_system_set_url (jam, "http://jam.no-such-host.invalid");
  prov_target_system_set_text (jam, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
  prov_target_system_set_text (jam, PROV_FIELD_CLIENT_SECRET, JAM_CLIENT_SECRET);
  jam_message = expect_failure (client, jam, PROV_ERROR_INVALID_FIELD);
  assert_contains (jam_message, "Nothing was sent to jam.no-such-host.invalid");
}

static void
redirect_to_plain_http_cb (SoupServer        *server,
                           SoupServerMessage *message,
                           const char        *path,
                           GHashTable        *query,
                           gpointer           user_data)
{
  soup_server_message_set_redirect (message, SOUP_STATUS_TEMPORARY_REDIRECT,
                                    "http://redirected.no-such-host.invalid/entities/user");
}

/* A server may send us on to plain http:// elsewhere; libsoup would follow
 * with the request (and its credentials). Without the guard this fails
 * with "host not found", after trying. */
static void
test_redirect_to_plain_http_refused (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *message = NULL;

  soup_server_add_handler (server, NULL, redirect_to_plain_http_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d%s/%s/entities/user",
                         g_uri_get_port (uris->data), IPS_SYSTEMS, SYSTEM_ID);

  prov_target_system_set_url (target, url);
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (target, PROV_FIELD_USERNAME, IPS_USER);
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, IPS_PASSWORD);

  message = expect_failure (client, target, PROV_ERROR_UNSUPPORTED_ANSWER);
  assert_contains (message, "redirected the request to redirected.no-such-host.invalid over plain http://");
}

int
main (int   argc,
      char *argv[])
{
  connection_fixture_init (&argc, &argv);

  g_test_add_func ("/network/success/message", test_success_message);
  g_test_add_func ("/network/success/jam", test_jam_success);
  g_test_add_func ("/network/success/ips-basic", test_ips_basic_success);
  g_test_add_func ("/network/success/ips-oauth", test_ips_oauth_success);
  g_test_add_func ("/network/success/tls-extra-ca", test_tls_extra_ca_success);
  g_test_add_func ("/network/success/mtls-generated", test_mtls_generated_success);
  g_test_add_func ("/network/success/mtls-pkcs12", test_mtls_pkcs12_success);
  g_test_add_func ("/network/success/mtls-pem", test_mtls_pem_success);
  g_test_add_func ("/network/success/no-shared-tls-connections", test_no_shared_tls_connections);
  g_test_add_func ("/network/token/reuse", test_token_reuse);
  g_test_add_func ("/network/token/refresh-on-401", test_token_refresh_on_401);
  g_test_add_func ("/network/token/short-lived", test_token_short_lived);
  g_test_add_func ("/network/failure/pkcs12-wrong-password", test_pkcs12_wrong_password);
  g_test_add_func ("/network/log/no-secrets", test_log_has_no_secrets);
  g_test_add_func ("/network/validation/plain-http-only-for-loopback", test_plain_http_only_for_loopback);
  g_test_add_func ("/network/validation/plain-http-refused-by-core", test_plain_http_refused_by_core);
  g_test_add_func ("/network/validation/redirect-to-plain-http-refused", test_redirect_to_plain_http_refused);

  return g_test_run ();
}
