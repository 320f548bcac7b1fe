/* test-connection-failures.c — every failure of Test Connection a person
 * can meet, asserting the sentence they read
 *
 * Transport failures (no host, refused, timeout, cancel, TLS not trusted,
 * expired or for another host, client certificates required, rejected or
 * invalid) and what servers answer (refused tokens, 401, 403, 404, 429,
 * 503, other 5xx, bad or truncated JSON, a wrong content type, a dropped
 * connection), against the in-process peer (connection-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "connection-fixture.h"

/* Transport failures */

static void
test_host_not_found (void)
{
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autofree char *message = NULL;

  /* .invalid never resolves (RFC 6761): no query leaves this machine. */
  prov_target_system_set_url (target, "https://no-such-host.invalid" IPS_SYSTEMS "/" SYSTEM_ID "/entities/user");
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (target, PROV_FIELD_USERNAME, IPS_USER);
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, IPS_PASSWORD);

  message = expect_failure (client, target, PROV_ERROR_HOST_NOT_FOUND);
  g_assert_cmpstr (message, ==,
                   "The host “no-such-host.invalid” could not be found. Check the address and your network connection.");

  /* A Jam target fails at its token URL, with the same sentence. */
  {
    g_autoptr(ProvTargetSystem) jam = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_autofree char *jam_message = NULL;

    prov_target_system_set_url (jam, "https://jam.no-such-host.invalid");
    prov_target_system_set_text (jam, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
    prov_target_system_set_text (jam, PROV_FIELD_CLIENT_SECRET, JAM_CLIENT_SECRET);
    jam_message = expect_failure (client, jam, PROV_ERROR_HOST_NOT_FOUND);
    assert_contains (jam_message, "“jam.no-such-host.invalid” could not be found");
  }
}

static void
test_connection_refused (void)
{
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s/%s/entities/user",
                                          closed_port (), IPS_SYSTEMS, SYSTEM_ID);
  g_autofree char *message = NULL;

  prov_target_system_set_url (target, url);
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (target, PROV_FIELD_USERNAME, IPS_USER);
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, IPS_PASSWORD);

  message = expect_failure (client, target, PROV_ERROR_CONNECTION_REFUSED);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 refused the connection. Check the address and port, and that the service is running.");
}

static void
test_timeout (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  /* 30 s is right for people and far too long for a test. */
  g_autoptr(ProvHttpClient) client = prov_http_client_new_with_timeout (1);
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autofree char *message = NULL;

  g_assert_cmpuint (soup_session_get_timeout (prov_http_client_get_session (client)), ==, 1);
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_DELAY, 5000, 1);

  message = expect_failure (client, target, PROV_ERROR_TIMED_OUT);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 did not answer in time. Check your network connection and try again later.");
  /* TIMED_OUT says it gave up at its timeout: the server answers after
   * 5 s, and an answer would have been a success. (No bound on the time
   * taken: a loaded CI machine took 4.08 s for the three of them.) */

  /* The token endpoint is held to the same timeout. */
  {
    g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
    g_autofree char *jam_message = NULL;

    prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_DELAY, 5000, 1);
    jam_message = expect_failure (client, jam, PROV_ERROR_TIMED_OUT);
  }

  /* So is a TLS connection with the target's CA (a session of its own). */
  {
    g_autoptr(ProvTestServer) tls_server = new_server (PROV_TEST_SERVER_TLS);
    g_autoptr(ProvTargetSystem) tls = new_ips_target (tls_server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
    g_autofree char *tls_message = NULL;

    prov_test_server_inject_fault (tls_server, IPS_SYSTEMS, PROV_TEST_FAULT_DELAY, 5000, 1);
    tls_message = expect_failure (client, tls, PROV_ERROR_TIMED_OUT);
  }

  /* The default client waits 30 s. */
  {
    g_autoptr(ProvHttpClient) plain = prov_http_client_new ();
    g_assert_cmpuint (soup_session_get_timeout (prov_http_client_get_session (plain)), ==, 30);
  }
}

static void
test_cancelled (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  /* Cancelled while the server sits on the request. */
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_DELAY, 5000, 1);
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);

  g_assert_false (run_connection_test_cancellable (client, target, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
}

static void
test_tls_untrusted (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_TLS);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GTlsCertificate) peer = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  /* What the sentence must name: the server certificate's issuer (our CA)
   * and its expiry date. */
  ca = g_tls_certificate_new_from_file (prov_test_server_get_ca_file (server), &error);
  g_assert_no_error (error);
  issuer = g_tls_certificate_get_subject_name (ca);
  g_assert_nonnull (issuer);
  peer = get_server_certificate (server);
  not_after = g_tls_certificate_get_not_valid_after (peer);
  expiry = g_date_time_format (not_after, "%Y-%m-%d");
  prov_test_server_clear_requests (server);

  /* No CA file: the system's trust store knows nothing of our CA. */
  prov_target_system_set_text (target, PROV_FIELD_CA_FILE, NULL);
  message = expect_failure (client, target, PROV_ERROR_TLS_NOT_TRUSTED);
  expected = g_strdup_printf ("The certificate of 127.0.0.1 is not trusted: its issuer is not a trusted certificate authority (issued by %s, valid until %s). If your organisation uses its own certificate authority, add its certificate as Trusted CA Certificate.",
                              issuer, expiry);
  g_assert_cmpstr (message, ==, expected);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);

  /* A CA file of another CA is no better. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();
    g_autofree char *other_message = NULL;

    prov_target_system_set_text (target, PROV_FIELD_CA_FILE, prov_test_server_get_untrusted_ca_file (server));
    other_message = expect_failure (other, target, PROV_ERROR_TLS_NOT_TRUSTED);
    g_assert_cmpstr (other_message, ==, expected);
  }

  /* Nor is a Jam target: its token URL is refused first, before any
   * secret is sent. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();
    g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
    g_autofree char *jam_message = NULL;

    prov_target_system_set_text (jam, PROV_FIELD_CA_FILE, NULL);
    jam_message = expect_failure (other, jam, PROV_ERROR_TLS_NOT_TRUSTED);
    g_assert_cmpstr (jam_message, ==, expected);
    g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);
  }
}

/* A CA file that cannot be read is said so, not taken for "trust nothing". */
static void
test_tls_bad_ca_file (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_TLS);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autofree char *missing = g_build_filename (prov_test_server_get_tmp_dir (server), "missing-ca.pem", NULL);
  g_autofree char *garbage = g_build_filename (prov_test_server_get_tmp_dir (server), "garbage-ca.pem", NULL);
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;

  prov_target_system_set_text (target, PROV_FIELD_CA_FILE, missing);
  message = expect_failure (client, target, PROV_ERROR_TLS_NOT_TRUSTED);
  expected = g_strdup_printf ("The trusted CA certificate “%s” cannot be read: there is no such file.", missing);
  /* Once, not again in GLib's words. */
  g_assert_cmpstr (message, ==, expected);

  g_clear_pointer (&message, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_true (g_file_set_contents (garbage, "not a certificate\n", -1, NULL));
  prov_target_system_set_text (target, PROV_FIELD_CA_FILE, garbage);
  message = expect_failure (client, target, PROV_ERROR_TLS_NOT_TRUSTED);
  expected = g_strdup_printf ("The trusted CA certificate “%s” cannot be read: it holds no PEM certificate.", garbage);
  g_assert_cmpstr (message, ==, expected);
  g_unlink (garbage);
}

static void
test_tls_expired (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_EXPIRED_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *expiry = g_date_time_format (yesterday, "%Y-%m-%d");
  g_autofree char *message = NULL;

  /* Trusting its CA does not make an expired certificate good. */
  message = expect_failure (client, target, PROV_ERROR_TLS_NOT_TRUSTED);
  assert_contains (message, "The certificate of 127.0.0.1 is not trusted: it has expired (issued by ");
  assert_contains (message, expiry);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);
}

static void
test_tls_wrong_host (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_WRONG_HOST_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autofree char *message = NULL;

  message = expect_failure (client, target, PROV_ERROR_TLS_NOT_TRUSTED);
  assert_contains (message, "The certificate of 127.0.0.1 is not trusted: it was issued for another host name (issued by ");
  assert_contains (message, "valid until ");
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);
}

static void
test_client_certificate_required (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autofree char *message = NULL;

  message = expect_failure (client, target, PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 requires a client certificate. Choose Certificate as the authentication mechanism and generate or import one.");

  /* Certificate chosen, but none generated yet. */
  {
    g_autoptr(ProvTargetSystem) empty = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
    g_autofree char *empty_message = NULL;

    empty_message = expect_failure (client, empty, PROV_ERROR_CLIENT_CERTIFICATE_INVALID);
    g_assert_cmpstr (empty_message, ==, "No client certificate is set up. Generate or import one.");
  }
}

static void
test_client_certificate_rejected (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autofree char *certificate_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *message = NULL;

  /* Generated but never imported at the technical user. */
  generate_client_certificate ("provisioner", "P000123", &certificate_pem, &key_pem);
  set_client_certificate (target, certificate_pem, key_pem);

  message = expect_failure (client, target, PROV_ERROR_CLIENT_CERTIFICATE_REJECTED);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 rejected the client certificate. Import the certificate at the technical user in Identity Provisioning, or generate a new one.");
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);
}

/* A stored certificate that cannot be loaded. */
static void
test_client_certificate_invalid (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(ProvTestCert) cert = NULL;
  g_autoptr(ProvTestCert) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  cert = prov_test_cert_new_client_with_cn (NULL, "one", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  other = prov_test_cert_new_client_with_cn (NULL, "two", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);

  /* The key of another certificate. */
  set_client_certificate (target, prov_test_cert_get_certificate_pem (cert),
                          prov_test_cert_get_private_key_pem (other));
  message = expect_failure (client, target, PROV_ERROR_CLIENT_CERTIFICATE_INVALID);
  g_assert_cmpstr (message, ==, "The stored client certificate cannot be used. Generate or import it again.");
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);
}

/* HTTP answers */

static void
test_token_refused (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, "wrong-secret");
  g_autoptr(ProvTargetSystem) oauth = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);
  g_autofree char *message = NULL;
  g_autofree char *oauth_message = NULL;

  message = expect_failure (client, jam, PROV_ERROR_CREDENTIALS_REFUSED);
  g_assert_cmpstr (message, ==,
                   "The token URL refused the client credentials (HTTP 401). Check the client key or ID and the client secret.");
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 0);
  /* The API was never asked. */
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, JAM_SCIM), ==, 0);

  prov_target_system_set_text (oauth, PROV_FIELD_CLIENT_ID, "unknown-client");
  oauth_message = expect_failure (client, oauth, PROV_ERROR_CREDENTIALS_REFUSED);
  g_assert_cmpstr (oauth_message, ==, message);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, IPS_SYSTEMS), ==, 0);
}

static void
test_token_url_not_found (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) oauth = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_OAUTH);
  g_autofree char *token_url = server_url (server, "/no/token/here");
  g_autofree char *message = NULL;

  prov_target_system_set_text (oauth, PROV_FIELD_TOKEN_URL, token_url);
  message = expect_failure (client, oauth, PROV_ERROR_NOT_FOUND);
  g_assert_cmpstr (message, ==,
                   "There is no token endpoint at this address on 127.0.0.1 (HTTP 404). Check the token URL.");
}

static void
test_api_unauthorized (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autofree char *message = NULL;
  g_autofree char *basic_message = NULL;

  /* Jam keeps refusing: the client fetches a new token once, then says so. */
  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_STATUS, 401, 0);
  message = expect_failure (client, jam, PROV_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 refused the credentials (HTTP 401). Check the client key or ID and the client secret.");
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);
  g_assert_cmpuint (prov_test_server_count_responses (server, 401, JAM_SCIM), ==, 2);
  prov_test_server_clear_faults (server);

  /* Identity Provisioning with a wrong password: no fault needed. */
  prov_target_system_set_text (basic, PROV_FIELD_PASSWORD, "wrong-password");
  basic_message = expect_failure (client, basic, PROV_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (basic_message, ==,
                   "127.0.0.1 refused the credentials (HTTP 401). Check the user name and password, or the certificate, of the technical user.");
  /* Basic is not retried. */
  g_assert_cmpuint (prov_test_server_count_responses (server, 401, IPS_SYSTEMS), ==, 1);
}

static void
test_api_forbidden (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  static const char expected[] =
    "127.0.0.1 accepted the credentials but does not allow this (HTTP 403). Give the client or technical user the authorization to read and manage users.";
  g_autofree char *message = NULL;
  g_autofree char *basic_message = NULL;

  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_STATUS, 403, 0);
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_STATUS, 403, 0);

  message = expect_failure (client, jam, PROV_ERROR_FORBIDDEN);
  g_assert_cmpstr (message, ==, expected);
  /* A 403 is not a dead token: no second token. */
  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 1);

  basic_message = expect_failure (client, basic, PROV_ERROR_FORBIDDEN);
  g_assert_cmpstr (basic_message, ==, expected);
}

static void
test_not_found (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, "no-such-system", PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;

  /* Identity Provisioning does not know the system ID. */
  message = expect_failure (client, basic, PROV_ERROR_NOT_FOUND);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 does not know this system (HTTP 404). Check the system ID in the SCIM URL.");
  g_assert_cmpuint (prov_test_server_count_responses (server, 404, IPS_SYSTEMS "/no-such-system"), ==, 1);

  /* Jam answers 404 under its SCIM path: the wrong URL. */
  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_STATUS, 404, 1);
  jam_message = expect_failure (client, jam, PROV_ERROR_NOT_FOUND);
  g_assert_cmpstr (jam_message, ==,
                   "127.0.0.1 has no SCIM API at this address (HTTP 404). Check the URL.");
}

static void
test_rate_limited (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;
  g_autofree char *long_message = NULL;

  /* Retry-After: 30 (the server's default). */
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_STATUS, 429, 1);
  message = expect_failure (client, basic, PROV_ERROR_RATE_LIMITED);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 is limiting requests (HTTP 429). Try again in 30 seconds.");

  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_STATUS, 429, 1);
  jam_message = expect_failure (client, jam, PROV_ERROR_RATE_LIMITED);
  assert_contains (jam_message, "Try again in 30 seconds.");

  /* Longer waits are said in minutes. */
  prov_test_server_set_retry_after (server, 300);
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_STATUS, 429, 1);
  long_message = expect_failure (client, basic, PROV_ERROR_RATE_LIMITED);
  assert_contains (long_message, "Try again in 5 minutes.");
}

static void
test_maintenance (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  static const char expected[] =
    "127.0.0.1 is unavailable, probably for maintenance (HTTP 503). Try again later.";
  g_autofree char *message = NULL;
  g_autofree char *token_message = NULL;

  /* Jam answers 503 during maintenance: on the API ... */
  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_STATUS, 503, 1);
  message = expect_failure (client, jam, PROV_ERROR_MAINTENANCE);
  g_assert_cmpstr (message, ==, expected);

  /* ... and at the token URL. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();

    prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_STATUS, 503, 1);
    token_message = expect_failure (other, jam, PROV_ERROR_MAINTENANCE);
    g_assert_cmpstr (token_message, ==, expected);
  }
}

static void
test_server_errors (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message_500 = NULL;
  g_autofree char *message_502 = NULL;
  g_autofree char *message_504 = NULL;

  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_STATUS, 500, 1);
  message_500 = expect_failure (client, basic, PROV_ERROR_SERVER_ERROR);
  g_assert_cmpstr (message_500, ==,
                   "127.0.0.1 had a problem answering (HTTP 500). Try again later; if it persists, contact its administrator.");

  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_STATUS, 502, 1);
  message_502 = expect_failure (client, jam, PROV_ERROR_BAD_GATEWAY);
  g_assert_cmpstr (message_502, ==,
                   "127.0.0.1 could not be reached through its gateway (HTTP 502). Try again later.");

  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_STATUS, 504, 1);
  message_504 = expect_failure (client, basic, PROV_ERROR_SERVER_ERROR);
  assert_contains (message_504, "(HTTP 504)");
}

#define BAD_JSON_SENTENCE \
  "127.0.0.1 answered with something other than the expected JSON. Check that the URL points to the right API."

/* An answer that is not the JSON asked for (@data: the fault), from the
 * Identity Provisioning API, SAP Jam's SCIM API and its token endpoint. */
static void
test_not_json (gconstpointer data)
{
  ProvTestFault fault = GPOINTER_TO_INT (data);
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvHttpClient) other = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;
  g_autofree char *token_message = NULL;

  prov_test_server_inject_fault (server, IPS_SYSTEMS, fault, 0, 1);
  message = expect_failure (client, basic, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (message, ==, BAD_JSON_SENTENCE);

  prov_test_server_inject_fault (server, JAM_SCIM, fault, 0, 1);
  jam_message = expect_failure (client, jam, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (jam_message, ==, BAD_JSON_SENTENCE);

  /* The token, asked by a client that holds none yet. */
  prov_test_server_inject_fault (server, JAM_TOKEN, fault, 0, 1);
  token_message = expect_failure (other, jam, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (token_message, ==, BAD_JSON_SENTENCE);
}

static void
test_dropped_connection (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  static const char expected[] =
    "127.0.0.1 closed the connection before answering. Try again; if it keeps happening, check the address.";
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;

  /* The first request of a fresh client goes on a fresh connection, so
   * libsoup cannot take the drop for a stale kept-alive one. */
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_DROP, 0, 1);
  message = expect_failure (client, basic, PROV_ERROR_CONNECTION_LOST);
  g_assert_cmpstr (message, ==, expected);

  /* Jam's API request rides on the token request's connection; libsoup
   * resends an idempotent request once on a new one, so drop them all. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();

    prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_DROP, 0, 0);
    jam_message = expect_failure (other, jam, PROV_ERROR_CONNECTION_LOST);
    g_assert_cmpstr (jam_message, ==, expected);
  }
}

int
main (int   argc,
      char *argv[])
{
  connection_fixture_init (&argc, &argv);

  g_test_add_func ("/network/failure/host-not-found", test_host_not_found);
  g_test_add_func ("/network/failure/connection-refused", test_connection_refused);
  g_test_add_func ("/network/failure/timeout", test_timeout);
  g_test_add_func ("/network/failure/cancelled", test_cancelled);
  g_test_add_func ("/network/failure/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/network/failure/tls-bad-ca-file", test_tls_bad_ca_file);
  g_test_add_func ("/network/failure/tls-expired", test_tls_expired);
  g_test_add_func ("/network/failure/tls-wrong-host", test_tls_wrong_host);
  g_test_add_func ("/network/failure/client-certificate-required", test_client_certificate_required);
  g_test_add_func ("/network/failure/client-certificate-rejected", test_client_certificate_rejected);
  g_test_add_func ("/network/failure/client-certificate-invalid", test_client_certificate_invalid);
  g_test_add_func ("/network/failure/token-refused", test_token_refused);
  g_test_add_func ("/network/failure/token-url-not-found", test_token_url_not_found);
  g_test_add_func ("/network/failure/api-401", test_api_unauthorized);
  g_test_add_func ("/network/failure/api-403", test_api_forbidden);
  g_test_add_func ("/network/failure/404", test_not_found);
  g_test_add_func ("/network/failure/429", test_rate_limited);
  g_test_add_func ("/network/failure/503", test_maintenance);
  g_test_add_func ("/network/failure/5xx", test_server_errors);
  g_test_add_data_func ("/network/failure/malformed-json",
                        GINT_TO_POINTER (PROV_TEST_FAULT_MALFORMED_JSON), test_not_json);
  g_test_add_data_func ("/network/failure/truncated-json",
                        GINT_TO_POINTER (PROV_TEST_FAULT_TRUNCATED_JSON), test_not_json);
  /* A portal or maintenance page in HTML, with 200. */
  g_test_add_data_func ("/network/failure/wrong-content-type",
                        GINT_TO_POINTER (PROV_TEST_FAULT_WRONG_CONTENT_TYPE), test_not_json);
  g_test_add_func ("/network/failure/dropped-connection", test_dropped_connection);

  return g_test_run ();
}
