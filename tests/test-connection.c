/* test-connection.c — Test Connection against the in-process test peer
 *
 * Every success path (SAP Jam, Identity Provisioning with Basic, OAuth and
 * a client certificate, TLS with an extra CA, mutual TLS, token reuse and
 * refresh) and every failure a person can meet, asserting the sentence they
 * read; and that no secret reaches the debug log.
 *
 * Each test makes its own ProvHttpClient (its own token cache and
 * connections) and its own server. Debug output is on (main() and
 * G_MESSAGES_DEBUG=all in tests/meson.build): the client only adds its
 * redacting SoupLogger when it is, and the log test needs it there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "prov-client-certificate.h"
#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-http-client.h"
#include "prov-target-system.h"
#include "prov-test-server.h"

#define JAM_TOKEN   "/api/v1/auth/token"
#define IAS_TOKEN   "/oauth2/token"
#define JAM_SCIM    "/api/v1/scim"
#define IPS_SYSTEMS "/ipsproxy/service/api/v1/systems"

#define SYSTEM_ID   "c0ffee00-1234-4321-8888-provisioner"

/* Secrets the tests use; none of them may ever appear in the debug log. */
#define JAM_CLIENT_ID      "jam-scim-client"
#define JAM_CLIENT_SECRET  "jam-Secret-4f9c2e71d0b8"
#define IPS_USER           "ips-technical-user"
#define IPS_PASSWORD       "ips-Password-83b1e0c7a5"
#define IPS_CLIENT_ID      "ips-oauth-client"
#define IPS_CLIENT_SECRET  "ips-Secret-d27a9f3c6e41"
#define P12_PASSWORD       "p12-Password-5e8d"

#define SUCCESS_SENTENCE "Connection to the selected target system was established successfully."

/* The debug log, captured */

/* Every message logged by anyone in this process, as "domain: message".
 * The writer is installed before anything logs and never removed. */
static GPtrArray *captured_lines;
static GMutex captured_lock;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  g_autofree char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].length < 0
                  ? g_strdup (fields[i].value)
                  : g_strndup (fields[i].value, fields[i].length);
    }

  g_mutex_lock (&captured_lock);
  g_ptr_array_add (captured_lines,
                   g_strdup_printf ("%s: %s", domain ? domain : "(none)",
                                    message ? message : ""));
  g_mutex_unlock (&captured_lock);

  /* To stderr and the meson log, filtered by G_MESSAGES_DEBUG as usual
   * (GLib's test harness echoes messages into the TAP stream as "#"
   * comments itself). */
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* A copy to inspect without the lock: a failed assertion logs, and the
 * writer must not wait on a lock its own thread holds. */
static gpointer
copy_string (gconstpointer string,
             gpointer      user_data)
{
  return g_strdup (string);
}

static GPtrArray *
dup_captured_lines (void)
{
  GPtrArray *lines;

  g_mutex_lock (&captured_lock);
  lines = g_ptr_array_copy (captured_lines, copy_string, NULL);
  g_ptr_array_set_free_func (lines, g_free);
  g_mutex_unlock (&captured_lock);
  return lines;
}

static void
clear_captured_lines (void)
{
  g_mutex_lock (&captured_lock);
  g_ptr_array_set_size (captured_lines, 0);
  g_mutex_unlock (&captured_lock);
}

/* Helpers */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} TestResult;

static void
connection_test_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TestResult *test = user_data;

  test->ok = prov_connection_test_finish (result, &test->error);
  test->done = TRUE;
}

/* The server runs in this thread's main context: start the test and
 * iterate until it is done. */
static gboolean
run_connection_test_cancellable (ProvHttpClient    *client,
                                 ProvTargetSystem  *target,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  TestResult test = { FALSE, FALSE, NULL };

  prov_connection_test_async (client, target, cancellable, connection_test_cb, &test);
  while (!test.done)
    g_main_context_iteration (NULL, TRUE);

  /* Exactly one of the two. */
  g_assert_true (test.ok == (test.error == NULL));
  if (test.error != NULL)
    g_propagate_error (error, test.error);
  return test.ok;
}

static gboolean
run_connection_test (ProvHttpClient    *client,
                     ProvTargetSystem  *target,
                     GError           **error)
{
  return run_connection_test_cancellable (client, target, NULL, error);
}

static void
assert_connection_ok (ProvHttpClient   *client,
                      ProvTargetSystem *target)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = run_connection_test (client, target, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Runs the test, expects it to fail with @code and returns the sentence. */
static char *
expect_failure (ProvHttpClient   *client,
                ProvTargetSystem *target,
                ProvError         code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = run_connection_test (client, target, &error);
  g_assert_false (ok);
  g_assert_error (error, PROV_ERROR, code);
  g_test_message ("Error shown: %s", error->message);
  return g_strdup (error->message);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static char *
server_url (ProvTestServer *server,
            const char     *path)
{
  return g_strconcat (prov_test_server_get_base_url (server), path, NULL);
}

static char *
ips_url (ProvTestServer *server,
         const char     *system_id)
{
  g_autofree char *path = g_strdup_printf ("%s/%s/entities/user", IPS_SYSTEMS, system_id);
  return server_url (server, path);
}

static void
set_ca_file (ProvTargetSystem *target,
             ProvTestServer   *server)
{
  const char *ca_file = prov_test_server_get_ca_file (server);

  if (ca_file != NULL)
    prov_target_system_set_text (target, PROV_FIELD_CA_FILE, ca_file);
}

/* A SAP Jam target with the given secret; the token URL follows the URL. */
static ProvTargetSystem *
new_jam_target (ProvTestServer *server,
                const char     *client_secret)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autofree char *token_url = server_url (server, JAM_TOKEN);

  prov_target_system_set_display_name (target, "SAP Jam");
  prov_target_system_set_url (target, prov_test_server_get_base_url (server));
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_TOKEN_URL), ==, token_url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, client_secret);
  set_ca_file (target, server);
  return target;
}

static ProvTargetSystem *
new_ips_target (ProvTestServer    *server,
                const char        *system_id,
                ProvAuthMechanism  mechanism)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_autofree char *url = ips_url (server, system_id);

  prov_target_system_set_display_name (target, "Identity Provisioning");
  prov_target_system_set_url (target, url);
  prov_target_system_set_version (target, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (target, mechanism);
  set_ca_file (target, server);

  switch (mechanism)
    {
    case PROV_AUTH_MECHANISM_BASIC:
      prov_target_system_set_text (target, PROV_FIELD_USERNAME, IPS_USER);
      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, IPS_PASSWORD);
      break;

    case PROV_AUTH_MECHANISM_OAUTH:
      {
        g_autofree char *token_url = server_url (server, IAS_TOKEN);

        prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
        prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, IPS_CLIENT_ID);
        prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, IPS_CLIENT_SECRET);
      }
      break;

    case PROV_AUTH_MECHANISM_CERTIFICATE:
      /* The caller sets the certificate and its key. */
      prov_target_system_set_text (target, PROV_FIELD_COMMON_NAME, "provisioner");
      break;

    default:
      g_assert_not_reached ();
    }

  return target;
}

static void
set_client_certificate (ProvTargetSystem *target,
                        const char       *certificate_pem,
                        const char       *key_pem)
{
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_CERTIFICATE, certificate_pem);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, key_pem);
}

/* A server that knows every client and system the helpers above use. */
static ProvTestServer *
new_server (ProvTestServerFlags flags)
{
  ProvTestServer *server = prov_test_server_new (flags);

  prov_test_server_add_client (server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  prov_test_server_add_client (server, IPS_USER, IPS_PASSWORD);
  prov_test_server_add_client (server, IPS_CLIENT_ID, IPS_CLIENT_SECRET);
  prov_test_server_add_ips_system (server, SYSTEM_ID);
  return server;
}

/* A loopback port nobody listens on: bound once, then closed. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);
  return port;
}

static void
generate_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* What the window's Generate does: a key pair and a self-signed
 * certificate whose subject is "<common name>(<admin user id>)". */
static void
generate_client_certificate (const char  *common_name,
                             const char  *admin_user_id,
                             char       **certificate_pem,
                             char       **key_pem)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_client_certificate_generate_async (common_name, admin_user_id, NULL, generate_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (prov_client_certificate_generate_finish (result, certificate_pem, key_pem, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (*certificate_pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (*key_pem, "PRIVATE KEY-----"));
}

typedef struct
{
  gboolean         done;
  GTlsCertificate *peer;
} PeerProbe;

static void
probe_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PeerProbe *probe = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  probe->done = TRUE;
}

/* The certificate a TLS server presents, fetched with a plain session that
 * trusts its CA: what the error sentences must describe. */
static GTlsCertificate *
get_server_certificate (ProvTestServer *server)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = server_url (server, "/");
  g_autoptr(GError) error = NULL;
  PeerProbe probe = { FALSE, NULL };

  soup_session_set_proxy_resolver (session, NULL);
  database = g_tls_file_database_new (prov_test_server_get_ca_file (server), &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, database);

  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, probe_sent_cb, &probe);
  while (!probe.done)
    g_main_context_iteration (NULL, TRUE);

  probe.peer = soup_message_get_tls_peer_certificate (message);
  g_assert_nonnull (probe.peer);
  return g_object_ref (probe.peer);
}

/* "Bearer <token>" → "<token>" */
static char *
bearer_token (const char *authorization)
{
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Bearer "));
  return g_strdup (authorization + strlen ("Bearer "));
}

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
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpuint (soup_session_get_timeout (prov_http_client_get_session (client)), ==, 1);
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_DELAY, 5000, 1);

  message = expect_failure (client, target, PROV_ERROR_TIMED_OUT);
  g_assert_cmpstr (message, ==,
                   "127.0.0.1 did not answer in time. Check your network connection and try again later.");
  /* It gave up at the timeout, not when the server finally answered. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

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
    start = g_get_monotonic_time ();
    tls_message = expect_failure (client, tls, PROV_ERROR_TIMED_OUT);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
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

static void
test_malformed_json (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;
  g_autofree char *token_message = NULL;

  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_MALFORMED_JSON, 0, 1);
  message = expect_failure (client, basic, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (message, ==, BAD_JSON_SENTENCE);

  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_MALFORMED_JSON, 0, 1);
  jam_message = expect_failure (client, jam, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (jam_message, ==, BAD_JSON_SENTENCE);

  /* A token response that is not JSON. */
  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();

    prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_MALFORMED_JSON, 0, 1);
    token_message = expect_failure (other, jam, PROV_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (token_message, ==, BAD_JSON_SENTENCE);
  }
}

static void
test_truncated_json (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;
  g_autofree char *token_message = NULL;

  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_TRUNCATED_JSON, 0, 1);
  message = expect_failure (client, basic, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (message, ==, BAD_JSON_SENTENCE);

  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_TRUNCATED_JSON, 0, 1);
  jam_message = expect_failure (client, jam, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (jam_message, ==, BAD_JSON_SENTENCE);

  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();

    prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_TRUNCATED_JSON, 0, 1);
    token_message = expect_failure (other, jam, PROV_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (token_message, ==, BAD_JSON_SENTENCE);
  }
}

static void
test_wrong_content_type (void)
{
  g_autoptr(ProvTestServer) server = new_server (PROV_TEST_SERVER_PLAIN);
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) basic = new_ips_target (server, SYSTEM_ID, PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) jam = new_jam_target (server, JAM_CLIENT_SECRET);
  g_autofree char *message = NULL;
  g_autofree char *jam_message = NULL;
  g_autofree char *token_message = NULL;

  /* A portal or maintenance page in HTML, with 200. */
  prov_test_server_inject_fault (server, IPS_SYSTEMS, PROV_TEST_FAULT_WRONG_CONTENT_TYPE, 0, 1);
  message = expect_failure (client, basic, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (message, ==, BAD_JSON_SENTENCE);

  prov_test_server_inject_fault (server, JAM_SCIM, PROV_TEST_FAULT_WRONG_CONTENT_TYPE, 0, 1);
  jam_message = expect_failure (client, jam, PROV_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (jam_message, ==, BAD_JSON_SENTENCE);

  {
    g_autoptr(ProvHttpClient) other = prov_http_client_new ();

    prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_WRONG_CONTENT_TYPE, 0, 1);
    token_message = expect_failure (other, jam, PROV_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (token_message, ==, BAD_JSON_SENTENCE);
  }
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
  /* Before anything can log. Debug output on, as G_MESSAGES_DEBUG=all
   * (which meson also sets) would: every ProvHttpClient then adds its
   * redacting SoupLogger, whatever the environment says. */
  captured_lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_debug_enabled (TRUE);
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

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
  g_test_add_func ("/network/failure/pkcs12-wrong-password", test_pkcs12_wrong_password);
  g_test_add_func ("/network/failure/token-refused", test_token_refused);
  g_test_add_func ("/network/failure/token-url-not-found", test_token_url_not_found);
  g_test_add_func ("/network/failure/api-401", test_api_unauthorized);
  g_test_add_func ("/network/failure/api-403", test_api_forbidden);
  g_test_add_func ("/network/failure/404", test_not_found);
  g_test_add_func ("/network/failure/429", test_rate_limited);
  g_test_add_func ("/network/failure/503", test_maintenance);
  g_test_add_func ("/network/failure/5xx", test_server_errors);
  g_test_add_func ("/network/failure/malformed-json", test_malformed_json);
  g_test_add_func ("/network/failure/truncated-json", test_truncated_json);
  g_test_add_func ("/network/failure/wrong-content-type", test_wrong_content_type);
  g_test_add_func ("/network/failure/dropped-connection", test_dropped_connection);

  g_test_add_func ("/network/log/no-secrets", test_log_has_no_secrets);
  g_test_add_func ("/network/validation/plain-http-only-for-loopback", test_plain_http_only_for_loopback);
  g_test_add_func ("/network/validation/plain-http-refused-by-core", test_plain_http_refused_by_core);
  g_test_add_func ("/network/validation/redirect-to-plain-http-refused", test_redirect_to_plain_http_refused);

  return g_test_run ();
}
