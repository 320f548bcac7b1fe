/* connection-fixture.c — what the Test Connection tests share (see
 * connection-fixture.h)
 *
 * Linked into TAP tests: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "connection-fixture.h"

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

static gpointer
copy_string (gconstpointer string,
             gpointer      user_data)
{
  return g_strdup (string);
}

GPtrArray *
dup_captured_lines (void)
{
  GPtrArray *lines;

  g_mutex_lock (&captured_lock);
  lines = g_ptr_array_copy (captured_lines, copy_string, NULL);
  g_ptr_array_set_free_func (lines, g_free);
  g_mutex_unlock (&captured_lock);
  return lines;
}

void
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

gboolean
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

gboolean
run_connection_test (ProvHttpClient    *client,
                     ProvTargetSystem  *target,
                     GError           **error)
{
  return run_connection_test_cancellable (client, target, NULL, error);
}

void
assert_connection_ok (ProvHttpClient   *client,
                      ProvTargetSystem *target)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = run_connection_test (client, target, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

char *
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

void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

char *
server_url (ProvTestServer *server,
            const char     *path)
{
  return g_strconcat (prov_test_server_get_base_url (server), path, NULL);
}

char *
ips_url (ProvTestServer *server,
         const char     *system_id)
{
  g_autofree char *path = g_strdup_printf ("%s/%s/entities/user", IPS_SYSTEMS, system_id);
  return server_url (server, path);
}

void
set_ca_file (ProvTargetSystem *target,
             ProvTestServer   *server)
{
  const char *ca_file = prov_test_server_get_ca_file (server);

  if (ca_file != NULL)
    prov_target_system_set_text (target, PROV_FIELD_CA_FILE, ca_file);
}

ProvTargetSystem *
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

ProvTargetSystem *
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

void
set_client_certificate (ProvTargetSystem *target,
                        const char       *certificate_pem,
                        const char       *key_pem)
{
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_CERTIFICATE, certificate_pem);
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, key_pem);
}

ProvTestServer *
new_server (ProvTestServerFlags flags)
{
  ProvTestServer *server = prov_test_server_new (flags);

  prov_test_server_add_client (server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  prov_test_server_add_client (server, IPS_USER, IPS_PASSWORD);
  prov_test_server_add_client (server, IPS_CLIENT_ID, IPS_CLIENT_SECRET);
  prov_test_server_add_ips_system (server, SYSTEM_ID);
  return server;
}

guint16
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

void
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

GTlsCertificate *
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

char *
bearer_token (const char *authorization)
{
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Bearer "));
  return g_strdup (authorization + strlen ("Bearer "));
}

void
connection_fixture_init (int    *argc,
                         char ***argv)
{
  /* Before anything can log. */
  captured_lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_debug_enabled (TRUE);
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (argc, argv, NULL);
}
