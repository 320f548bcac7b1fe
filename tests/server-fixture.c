/* server-fixture.c — what the test peer's tests share (see server-fixture.h)
 *
 * Linked into TAP tests: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "server-fixture.h"

/* Helpers */

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} SendResult;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *send = user_data;

  send->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &send->error);
  send->done = TRUE;
}

GBytes *
send_message (SoupSession  *session,
              SoupMessage  *msg,
              GError      **error)
{
  SendResult send = { FALSE, NULL, NULL };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &send);
  while (!send.done)
    g_main_context_iteration (NULL, TRUE);

  if (send.error != NULL)
    {
      g_propagate_error (error, send.error);
      return NULL;
    }
  return send.body;
}

SoupSession *
new_session (const char *ca_file)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 20, NULL);

  /* Loopback must never go through a proxy from the environment. */
  soup_session_set_proxy_resolver (session, NULL);

  if (ca_file != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

      g_assert_no_error (error);
      soup_session_set_tls_database (session, database);
    }

  return session;
}

SoupMessage *
new_message (ProvTestServer *server,
             const char     *method,
             const char     *path)
{
  g_autofree char *url = g_strconcat (prov_test_server_get_base_url (server), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  return msg;
}

void
set_basic (SoupMessage *msg,
           const char  *user,
           const char  *password)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
}

void
set_bearer (SoupMessage *msg,
            const char  *token)
{
  g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
}

void
set_json_body (SoupMessage *msg,
               const char  *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/scim+json", bytes);
}

JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

gboolean
body_is_json (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  return json_parser_load_from_data (parser, data, len, NULL);
}

const char *
response_header (SoupMessage *msg,
                 const char  *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (msg), name);
}

const char *
response_content_type (SoupMessage *msg)
{
  return soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
}

JsonObject *
request_json (SoupSession *session,
              SoupMessage *msg,
              guint        expected_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = send_message (session, msg, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  if (g_bytes_get_size (body) == 0)
    return NULL;
  return parse_object (body);
}

char *
fetch_token (SoupSession    *session,
             ProvTestServer *server,
             const char     *path,
             const char     *client_id,
             const char     *client_secret)
{
  g_autoptr(SoupMessage) msg = new_message (server, "POST", path);
  g_autoptr(GBytes) form = g_bytes_new_static ("grant_type=client_credentials", 29);
  g_autoptr(JsonObject) answer = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  set_basic (msg, client_id, client_secret);
  answer = request_json (session, msg, SOUP_STATUS_OK);
  return g_strdup (json_object_get_string_member (answer, "access_token"));
}

SoupMessage *
new_form_post (ProvTestServer *server,
               const char     *path,
               const char     *form)
{
  SoupMessage *msg = new_message (server, "POST", path);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  return msg;
}

char *
filter_path (const char *collection,
             const char *filter)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);

  return g_strdup_printf ("%s?filter=%s", collection, escaped);
}

void
assert_subject (GTlsCertificate *cert,
                const char      *expected)
{
  g_autofree char *subject = g_tls_certificate_get_subject_name (cert);

  g_assert_cmpstr (subject, ==, expected);
}

void
finish (ProvTestServer *server,
        SoupSession    *session)
{
  g_object_unref (session);
  g_assert_finalize_object (server);
}
