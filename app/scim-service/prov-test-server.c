/* prov-test-server.c — the embedded SCIM service, tying its pieces together
 *
 * Start-up (certificates, listening on loopback), the record of requests
 * and the accessors. Endpoints are in prov-scim-routes.c, authentication in
 * prov-scim-auth.c, the user stores in prov-scim-store.c, injected faults and
 * rate limits in prov-scim-faults.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "prov-scim-auth.h"
#include "prov-scim-faults.h"
#include "prov-scim-http.h"
#include "prov-scim-store.h"
#include "prov-test-server-private.h"

/* As many connections waiting to be accepted as a busy server allows. */
#define LISTEN_BACKLOG 128

static void prov_test_server_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ProvTestServer, prov_test_server, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, prov_test_server_initable_iface_init))

enum {
  PROP_0,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Request record */

static Request *
request_ref (Request *request)
{
  g_ref_count_inc (&request->ref_count);
  return request;
}

static void
request_unref (Request *request)
{
  if (!g_ref_count_dec (&request->ref_count))
    return;

  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request->body);
  g_free (request->client_cn);
  g_free (request);
}

void
prov_scim_end_in_flight (ProvTestServer    *self,
               SoupServerMessage *msg)
{
  Request *request = g_object_get_data (G_OBJECT (msg), "prov-test-server-request");

  if (request == NULL)
    return;

  request->status = soup_server_message_get_status (msg);
  g_object_set_data (G_OBJECT (msg), "prov-test-server-request", NULL);
  g_assert (self->in_flight > 0);
  self->in_flight--;
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  prov_scim_end_in_flight (PROV_TEST_SERVER (user_data), msg);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  ProvTestServer *self = user_data;

  if (self->flags & PROV_TEST_SERVER_REQUIRE_CLIENT_CERT)
    g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (prov_scim_accept_certificate_cb), self, 0);
}

Request *
prov_scim_record_request (ProvTestServer    *self,
                SoupServerMessage *msg,
                const char        *path)
{
  Request *request = g_new0 (Request, 1);
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *cn = prov_scim_get_peer_common_name (msg);

  g_ref_count_init (&request->ref_count);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  request->body = prov_scim_request_body_string (msg);
  request->client_cn = g_strdup (cn);
  g_ptr_array_add (self->requests, request);

  if (socket != NULL &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), SEEN_KEY)) != self->generation + 1)
    {
      g_object_set_data (G_OBJECT (socket), SEEN_KEY, GUINT_TO_POINTER (self->generation + 1));
      self->connections++;
    }

  /* In flight until SoupServer reports it finished or aborted. */
  g_object_set_data_full (G_OBJECT (msg), "prov-test-server-request",
                          request_ref (request), (GDestroyNotify) request_unref);
  self->in_flight++;
  self->max_concurrent = MAX (self->max_concurrent, self->in_flight);

  return request;
}

static gboolean
prov_test_server_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  ProvTestServer *self = PROV_TEST_SERVER (initable);
  g_autoptr(GTlsCertificate) tls_cert = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *location = NULL;
  GSList *uris;
  gboolean tls;

  if (self->flags & (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT |
                     PROV_TEST_SERVER_EXPIRED_CERT |
                     PROV_TEST_SERVER_WRONG_HOST_CERT))
    self->flags |= PROV_TEST_SERVER_TLS;
  tls = (self->flags & PROV_TEST_SERVER_TLS) != 0;

  /* Only TLS needs files (the certificates): a plain server, such as the
   * demo's, leaves nothing behind even when its process is killed. */
  if (tls)
    {
      self->tmp_dir = g_dir_make_tmp ("prov-test-server-XXXXXX", error);
      if (self->tmp_dir == NULL || !prov_scim_make_certificates (self, &tls_cert, error))
        return FALSE;
    }

  self->server = soup_server_new ("server-header", "prov-test-server ",
                                  "tls-certificate", tls_cert,
                                  NULL);

  if (self->flags & PROV_TEST_SERVER_REQUIRE_CLIENT_CERT)
    {
      if (!prov_scim_write_client_trust (self, error))
        return FALSE;
      soup_server_set_tls_auth_mode (self->server, G_TLS_AUTHENTICATION_REQUIRED);
    }

  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_done_cb), self);
  soup_server_add_handler (self->server, NULL, prov_scim_server_handler_cb, self, NULL);

  /* Loopback only, whatever port the kernel picks. GSocket's backlog of
   * 10 drops the SYNs of 16 clients connecting at once, and each dropped
   * one waits a second to try again: a server's backlog, not 10. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, address, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->server, listener, tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->base_url = g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http", self->port);
  self->base_url_localhost = g_strdup_printf ("%s://localhost:%u", tls ? "https" : "http", self->port);

  location = g_strconcat (self->base_url, JAM_SCIM_PREFIX, "/Users", NULL);
  self->jam_users = prov_scim_store_new ("User", "userName", SCIM_USER, location);
  g_free (location);
  location = g_strconcat (self->base_url, JAM_SCIM_PREFIX, "/Groups", NULL);
  self->jam_groups = prov_scim_store_new ("Group", "displayName", SCIM_GROUP, location);
  g_free (location);
  location = g_strconcat (self->base_url, SOURCE_V2_PREFIX, "/Users", NULL);
  self->source_users = prov_scim_store_new ("User", "userName", SCIM_USER, location);
  g_free (location);
  location = g_strconcat (self->base_url, SOURCE_V2_PREFIX, "/Groups", NULL);
  self->source_groups = prov_scim_store_new ("Group", "displayName", SCIM_GROUP, location);

  g_debug ("Listening on %s", self->base_url);
  return TRUE;
}

static void
prov_test_server_initable_iface_init (GInitableIface *iface)
{
  iface->init = prov_test_server_initable_init;
}

/* GObject */

static void
remove_tmp_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_unlink (file);
        }
    }

  g_rmdir (path);
}

static void
prov_test_server_dispose (GObject *object)
{
  ProvTestServer *self = (ProvTestServer *)object;

  /* Pending delays hold messages; drop them before the connections go. */
  for (guint i = 0; i < self->delayed->len; i++)
    {
      Delayed *delayed = g_ptr_array_index (self->delayed, i);
      g_clear_handle_id (&delayed->source_id, g_source_remove);
    }
  g_ptr_array_set_size (self->delayed, 0);

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (prov_test_server_parent_class)->dispose (object);
}

static void
prov_test_server_finalize (GObject *object)
{
  ProvTestServer *self = (ProvTestServer *)object;

  if (self->tmp_dir != NULL)
    remove_tmp_dir (self->tmp_dir);

  g_free (self->tmp_dir);
  g_free (self->base_url);
  g_free (self->base_url_localhost);
  g_clear_pointer (&self->ca, prov_test_cert_unref);
  g_clear_pointer (&self->client_ca, prov_test_cert_unref);
  g_clear_pointer (&self->untrusted_ca, prov_test_cert_unref);
  g_clear_pointer (&self->server_cert, prov_test_cert_unref);
  g_free (self->ca_file);
  g_free (self->client_ca_file);
  g_free (self->untrusted_ca_file);
  g_free (self->client_trust_file);
  g_ptr_array_unref (self->pinned_certs);
  g_hash_table_unref (self->trusted_subjects);
  g_hash_table_unref (self->clients);
  g_hash_table_unref (self->tokens);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->rate_limits);
  g_ptr_array_unref (self->delayed);
  g_clear_pointer (&self->jam_users, prov_scim_store_free);
  g_clear_pointer (&self->jam_groups, prov_scim_store_free);
  g_clear_pointer (&self->source_users, prov_scim_store_free);
  g_clear_pointer (&self->source_groups, prov_scim_store_free);
  g_hash_table_unref (self->ips_systems);
  g_free (self->source_end_marker);

  G_OBJECT_CLASS (prov_test_server_parent_class)->finalize (object);
}

static void
prov_test_server_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ProvTestServer *self = PROV_TEST_SERVER (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_test_server_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ProvTestServer *self = PROV_TEST_SERVER (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      self->flags = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_test_server_class_init (ProvTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = prov_test_server_dispose;
  object_class->finalize = prov_test_server_finalize;
  object_class->get_property = prov_test_server_get_property;
  object_class->set_property = prov_test_server_set_property;

  /* ProvTestServerFlags; a plain uint keeps the library free of
   * generated enum types. */
  properties[PROP_FLAGS] =
    g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prov_test_server_init (ProvTestServer *self)
{
  self->pinned_certs = g_ptr_array_new_with_free_func (g_object_unref);
  self->trusted_subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->token_lifetime = 3600;
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_unref);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_scim_fault_free);
  self->rate_limits = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_scim_rate_limit_free);
  self->delayed = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_scim_delayed_free);
  self->retry_after = 30;
  self->ips_systems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) prov_scim_ips_system_free);
  self->source_reported_total = -1;
  self->source_end_marker = g_strdup ("<end>");
}

/* Public API */

ProvTestServer *
prov_test_server_try_new (ProvTestServerFlags   flags,
                          GError              **error)
{
  return g_initable_new (PROV_TYPE_TEST_SERVER, NULL, error, "flags", (guint) flags, NULL);
}

ProvTestServer *
prov_test_server_new (ProvTestServerFlags flags)
{
  g_autoptr(GError) error = NULL;
  ProvTestServer *self = prov_test_server_try_new (flags, &error);

  if (self == NULL)
    g_error ("Cannot start the test server: %s", error->message);

  return self;
}

const char *
prov_test_server_get_base_url (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->base_url;
}

const char *
prov_test_server_get_base_url_localhost (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->base_url_localhost;
}

guint16
prov_test_server_get_port (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->port;
}

const char *
prov_test_server_get_ca_file (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->ca_file;
}

const char *
prov_test_server_get_untrusted_ca_file (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->untrusted_ca_file;
}

const char *
prov_test_server_get_client_ca_file (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->client_ca_file;
}

ProvTestCert *
prov_test_server_get_client_ca (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->client_ca;
}

const char *
prov_test_server_get_tmp_dir (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->tmp_dir;
}

static gboolean
request_matches (Request    *request,
                 const char *method,
                 const char *path_prefix)
{
  return (method == NULL || g_ascii_strcasecmp (method, request->method) == 0) &&
         prov_scim_path_has_prefix (request->path, path_prefix);
}

static Request *
find_last_request (ProvTestServer *self,
                   const char     *method,
                   const char     *path_prefix)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      Request *request = g_ptr_array_index (self->requests, i - 1);

      if (request_matches (request, method, path_prefix))
        return request;
    }
  return NULL;
}

guint
prov_test_server_count_requests (ProvTestServer *self,
                                 const char     *method,
                                 const char     *path_prefix)
{
  guint count = 0;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      if (request_matches (g_ptr_array_index (self->requests, i), method, path_prefix))
        count++;
    }
  return count;
}

guint
prov_test_server_count_responses (ProvTestServer *self,
                                  guint           status,
                                  const char     *path_prefix)
{
  guint count = 0;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      Request *request = g_ptr_array_index (self->requests, i);

      if (request->status == status && request_matches (request, NULL, path_prefix))
        count++;
    }
  return count;
}

guint
prov_test_server_count_connections (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->connections;
}

guint
prov_test_server_get_max_concurrent (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->max_concurrent;
}

void
prov_test_server_clear_requests (ProvTestServer *self)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));

  g_ptr_array_set_size (self->requests, 0);
  self->connections = 0;
  self->generation++;
  self->max_concurrent = self->in_flight;
}

const char *
prov_test_server_get_last_authorization (ProvTestServer *self,
                                         const char     *path_prefix)
{
  return prov_test_server_get_last_request_header (self, path_prefix, "Authorization");
}

const char *
prov_test_server_get_last_request_header (ProvTestServer *self,
                                          const char     *path_prefix,
                                          const char     *header_name)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  g_return_val_if_fail (header_name != NULL, NULL);

  request = find_last_request (self, NULL, path_prefix);
  return request != NULL ? soup_message_headers_get_one (request->headers, header_name) : NULL;
}

const char *
prov_test_server_get_last_request_body (ProvTestServer *self,
                                        const char     *method,
                                        const char     *path_prefix)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);

  request = find_last_request (self, method, path_prefix);
  return request != NULL ? request->body : NULL;
}

const char *
prov_test_server_get_last_client_certificate_cn (ProvTestServer *self,
                                                 const char     *path_prefix)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);

  request = find_last_request (self, NULL, path_prefix);
  return request != NULL ? request->client_cn : NULL;
}
