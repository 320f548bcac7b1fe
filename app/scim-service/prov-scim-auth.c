/* prov-scim-auth.c — authentication of the embedded SCIM service
 *
 * The OAuth 2.0 client-credentials token endpoint, HTTP Basic, Bearer
 * tokens and client certificates (mutual TLS), and the certificates a TLS
 * service makes at start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <libsoup/soup.h>

#include "prov-scim-auth.h"
#include "prov-scim-http.h"

static char *
random_token (void)
{
  guint8 bytes[24];

  if (gnutls_rnd (GNUTLS_RND_RANDOM, bytes, sizeof bytes) < 0)
    {
      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = g_random_int_range (0, 256);
    }

  return g_base64_encode (bytes, sizeof bytes);
}

/* Certificates and the TLS peer */

static GTlsCertificate *
get_peer_certificate (SoupServerMessage *msg)
{
  GTlsCertificate *cert = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket;

  if (cert != NULL)
    return cert;

  /* Later requests on a kept-alive connection have no peer certificate of
   * their own: use the one accepted during the connection's handshake. */
  socket = soup_server_message_get_socket (msg);
  return socket != NULL ? g_object_get_data (G_OBJECT (socket), PEER_CERT_KEY) : NULL;
}

const char *
prov_scim_get_peer_common_name (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GTlsCertificate *cert;
  char *cn;

  if (socket == NULL)
    return NULL;

  cn = g_object_get_data (G_OBJECT (socket), PEER_CN_KEY);
  if (cn != NULL)
    return cn;

  cert = get_peer_certificate (msg);
  if (cert == NULL)
    return NULL;

  cn = prov_test_certs_dup_common_name (cert);
  if (cn != NULL)
    g_object_set_data_full (G_OBJECT (socket), PEER_CN_KEY, cn, g_free);
  return cn;
}

static gboolean
is_pinned (ProvTestServer  *self,
           GTlsCertificate *cert)
{
  for (guint i = 0; i < self->pinned_certs->len; i++)
    {
      if (g_tls_certificate_is_same (cert, g_ptr_array_index (self->pinned_certs, i)))
        return TRUE;
    }
  return FALSE;
}

gboolean
prov_scim_accept_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ProvTestServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  gboolean accepted;

  /* A pinned certificate is its own anchor: only "unknown CA" is forgiven. */
  accepted = errors == 0 ||
             ((errors & ~G_TLS_CERTIFICATE_UNKNOWN_CA) == 0 && is_pinned (self, cert));

  g_debug ("Client certificate %s (errors 0x%x)", accepted ? "accepted" : "refused", errors);

  if (accepted && socket != NULL)
    g_object_set_data_full (G_OBJECT (socket), PEER_CERT_KEY, g_object_ref (cert), g_object_unref);

  return accepted;
}

/* Authentication */

static gboolean
check_client (ProvTestServer *self,
              const char     *client_id,
              const char     *client_secret)
{
  const char *secret;

  if (client_id == NULL || client_secret == NULL)
    return FALSE;

  secret = g_hash_table_lookup (self->clients, client_id);
  return secret != NULL && g_str_equal (secret, client_secret);
}

/* Splits "Basic base64(id:secret)"; FALSE when it is not well-formed. */
static gboolean
parse_basic (const char  *authorization,
             char       **client_id,
             char       **client_secret)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  const char *colon;
  gsize len;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (authorization + 6, &len);
  text = g_strndup ((const char *) decoded, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    return FALSE;

  *client_id = g_strndup (text, colon - text);
  *client_secret = g_strdup (colon + 1);
  return TRUE;
}

static gboolean
check_basic (ProvTestServer *self,
             const char     *authorization)
{
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *unescaped_id = NULL;
  g_autofree char *unescaped_secret = NULL;

  if (!parse_basic (authorization, &client_id, &client_secret))
    return FALSE;

  if (check_client (self, client_id, client_secret))
    return TRUE;

  /* RFC 6749 §2.3.1 wants both form-urlencoded; many clients do not. */
  unescaped_id = g_uri_unescape_string (client_id, NULL);
  unescaped_secret = g_uri_unescape_string (client_secret, NULL);
  return check_client (self, unescaped_id, unescaped_secret);
}

static gboolean
check_bearer (ProvTestServer *self,
              const char     *authorization)
{
  const char *token;
  gint64 *expiry;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;

  token = authorization + 7;
  while (*token == ' ')
    token++;

  expiry = g_hash_table_lookup (self->tokens, token);
  return expiry != NULL && g_get_monotonic_time () < *expiry;
}

static gboolean
check_certificate (ProvTestServer    *self,
                   SoupServerMessage *msg)
{
  GTlsCertificate *cert = get_peer_certificate (msg);
  const char *cn;

  if (cert == NULL)
    return FALSE;

  if (is_pinned (self, cert))
    return TRUE;

  cn = prov_scim_get_peer_common_name (msg);
  return cn != NULL && g_hash_table_contains (self->trusted_subjects, cn);
}

/* TRUE when the request may proceed; otherwise a 401 has been set. */
gboolean
prov_scim_authenticate (ProvTestServer    *self,
              SoupServerMessage *msg,
              AuthMethods        methods,
              const char        *realm)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *challenge = NULL;
  const char *detail;

  if (authorization != NULL)
    {
      if ((methods & AUTH_BASIC) && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
        {
          if (check_basic (self, authorization))
            return TRUE;
          challenge = g_strdup_printf ("Basic realm=\"%s\"", realm);
          detail = "The client ID or secret is wrong";
        }
      else if ((methods & AUTH_BEARER) && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
        {
          if (check_bearer (self, authorization))
            return TRUE;
          challenge = g_strdup_printf ("Bearer realm=\"%s\", error=\"invalid_token\", "
                                       "error_description=\"The access token is invalid or expired\"",
                                       realm);
          detail = "The access token is invalid or expired";
        }
      else
        detail = "This authorization scheme is not accepted here";
    }
  else
    {
      if ((methods & AUTH_CERT) && check_certificate (self, msg))
        return TRUE;
      detail = "Authentication is required";
    }

  if (challenge == NULL)
    challenge = g_strdup_printf ("%s realm=\"%s\"", (methods & AUTH_BASIC) ? "Basic" : "Bearer", realm);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", challenge);
  prov_scim_respond_scim_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, detail);
  return FALSE;
}

/* OAuth token endpoint */

void
prov_scim_handle_token (ProvTestServer    *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *token = NULL;
  const char *grant_type;
  gboolean client_ok;
  gint64 *expiry;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      prov_scim_respond_json_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                          "The token endpoint takes POST");
      return;
    }

  if (content_type == NULL || g_ascii_strcasecmp (content_type, FORM_CONTENT_TYPE) != 0)
    {
      prov_scim_respond_json_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "The body must be application/x-www-form-urlencoded");
      return;
    }

  body = prov_scim_request_body_string (msg);
  form = soup_form_decode (body);

  if (authorization != NULL)
    client_ok = check_basic (self, authorization);
  else
    client_ok = check_client (self, g_hash_table_lookup (form, "client_id"),
                              g_hash_table_lookup (form, "client_secret"));

  if (!client_ok)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"OAuth\"");
      prov_scim_respond_json_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                          "Client authentication failed");
      return;
    }

  grant_type = g_hash_table_lookup (form, "grant_type");
  if (grant_type == NULL)
    {
      prov_scim_respond_json_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "grant_type is missing");
      return;
    }
  if (!g_str_equal (grant_type, "client_credentials"))
    {
      prov_scim_respond_json_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                          "Only client_credentials is supported");
      return;
    }

  token = random_token ();
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, g_strdup (token), expiry);
  self->tokens_issued++;

  answer = json_object_new ();
  json_object_set_string_member (answer, "access_token", token);
  json_object_set_string_member (answer, "token_type", "Bearer");
  json_object_set_int_member (answer, "expires_in", self->token_lifetime);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Pragma", "no-cache");
  prov_scim_respond_object (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, answer);
}

/* Start-up */

gboolean
prov_scim_write_client_trust (ProvTestServer  *self,
                    GError         **error)
{
  g_autoptr(GString) pem = g_string_new (NULL);
  g_autoptr(GTlsDatabase) database = NULL;

  g_string_append (pem, prov_test_cert_get_certificate_pem (self->ca));
  g_string_append (pem, prov_test_cert_get_certificate_pem (self->client_ca));
  for (guint i = 0; i < self->pinned_certs->len; i++)
    {
      g_autofree char *cert_pem = NULL;

      g_object_get (g_ptr_array_index (self->pinned_certs, i), "certificate-pem", &cert_pem, NULL);
      g_string_append (pem, cert_pem);
    }

  if (!g_file_set_contents_full (self->client_trust_file, pem->str, pem->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  /* Only new connections see a new database; that is all tests need. */
  database = g_tls_file_database_new (self->client_trust_file, error);
  if (database == NULL)
    return FALSE;

  soup_server_set_tls_database (self->server, database);
  return TRUE;
}

gboolean
prov_scim_make_certificates (ProvTestServer   *self,
                   GTlsCertificate **server_tls_cert,
                   GError          **error)
{
  static const char * const local_names[] = { "localhost", NULL };
  static const char * const local_ips[] = { "127.0.0.1", NULL };
  static const char * const wrong_names[] = { "wrong.example.invalid", NULL };
  gboolean wrong_host = (self->flags & PROV_TEST_SERVER_WRONG_HOST_CERT) != 0;
  ProvTestCertFlags server_flags = PROV_TEST_CERT_DEFAULT;
  g_autofree char *server_file = NULL;
  g_autofree char *server_key_file = NULL;

  if (self->flags & PROV_TEST_SERVER_EXPIRED_CERT)
    server_flags |= PROV_TEST_CERT_EXPIRED;

  self->ca = prov_test_cert_new_ca ("CN=Provisioner Test CA,O=Provisioner Tests", 0, error);
  if (self->ca == NULL)
    return FALSE;
  self->client_ca = prov_test_cert_new_ca ("CN=Provisioner Test Client CA,O=Provisioner Tests", 0, error);
  if (self->client_ca == NULL)
    return FALSE;
  self->untrusted_ca = prov_test_cert_new_ca ("CN=Provisioner Untrusted Test CA,O=Provisioner Tests", 0, error);
  if (self->untrusted_ca == NULL)
    return FALSE;
  self->server_cert = prov_test_cert_new_server (self->ca,
                                                 wrong_host ? wrong_names : local_names,
                                                 wrong_host ? NULL : local_ips,
                                                 server_flags, error);
  if (self->server_cert == NULL)
    return FALSE;

  self->ca_file = g_build_filename (self->tmp_dir, "ca.pem", NULL);
  self->client_ca_file = g_build_filename (self->tmp_dir, "client-ca.pem", NULL);
  self->untrusted_ca_file = g_build_filename (self->tmp_dir, "untrusted-ca.pem", NULL);
  self->client_trust_file = g_build_filename (self->tmp_dir, "client-trust.pem", NULL);
  server_file = g_build_filename (self->tmp_dir, "server.pem", NULL);
  server_key_file = g_build_filename (self->tmp_dir, "server-key.pem", NULL);

  if (!prov_test_cert_write_files (self->ca, self->ca_file, NULL, error) ||
      !prov_test_cert_write_files (self->client_ca, self->client_ca_file, NULL, error) ||
      !prov_test_cert_write_files (self->untrusted_ca, self->untrusted_ca_file, NULL, error) ||
      !prov_test_cert_write_files (self->server_cert, server_file, server_key_file, error))
    return FALSE;

  *server_tls_cert = prov_test_cert_to_tls_certificate (self->server_cert, error);
  return *server_tls_cert != NULL;
}

void
prov_test_server_add_client (ProvTestServer *self,
                             const char     *client_id,
                             const char     *client_secret)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (client_secret != NULL);

  g_hash_table_insert (self->clients, g_strdup (client_id), g_strdup (client_secret));
}

void
prov_test_server_remove_client (ProvTestServer *self,
                                const char     *client_id)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (client_id != NULL);

  g_hash_table_remove (self->clients, client_id);
}

void
prov_test_server_trust_client_certificate_subject (ProvTestServer *self,
                                                   const char     *subject_cn)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (subject_cn != NULL);

  g_hash_table_add (self->trusted_subjects, g_strdup (subject_cn));
}

gboolean
prov_test_server_trust_client_certificate_pem (ProvTestServer  *self,
                                               const char      *cert_pem,
                                               GError         **error)
{
  GTlsCertificate *cert;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (cert_pem != NULL, FALSE);

  cert = g_tls_certificate_new_from_pem (cert_pem, -1, error);
  if (cert == NULL)
    return FALSE;

  g_ptr_array_add (self->pinned_certs, cert);

  if (self->flags & PROV_TEST_SERVER_REQUIRE_CLIENT_CERT)
    return prov_scim_write_client_trust (self, error);
  return TRUE;
}

gboolean
prov_test_server_create_client_certificate (ProvTestServer  *self,
                                            const char      *common_name,
                                            char           **cert_pem,
                                            char           **key_pem,
                                            GError         **error)
{
  g_autoptr(ProvTestCert) cert = NULL;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (common_name != NULL, FALSE);

  if (self->client_ca == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "A plain HTTP server has no client CA");
      return FALSE;
    }

  cert = prov_test_cert_new_client_with_cn (self->client_ca, common_name, 0, error);
  if (cert == NULL)
    return FALSE;

  if (cert_pem != NULL)
    *cert_pem = g_strdup (prov_test_cert_get_certificate_pem (cert));
  if (key_pem != NULL)
    *key_pem = g_strdup (prov_test_cert_get_private_key_pem (cert));
  return TRUE;
}

void
prov_test_server_set_token_lifetime (ProvTestServer *self,
                                     guint           seconds)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->token_lifetime = seconds;
}

void
prov_test_server_revoke_tokens (ProvTestServer *self)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_hash_table_remove_all (self->tokens);
}

guint
prov_test_server_count_tokens_issued (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->tokens_issued;
}
