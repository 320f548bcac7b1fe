/* test-server.c — the in-process test peer, exercised with a plain SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "prov-test-server.h"

#define JAM_TOKEN   "/api/v1/auth/token"
#define IAS_TOKEN   "/oauth2/token"
#define JAM_USERS   "/api/v1/scim/Users"
#define IPS_SYSTEMS "/ipsproxy/service/api/v1/systems"

#define HTTP_TOO_MANY_REQUESTS 429

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

/* The server runs in this thread's main context: send asynchronously and
 * iterate until the answer is in. */
static GBytes *
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

static SoupSession *
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

static SoupMessage *
new_message (ProvTestServer *server,
             const char     *method,
             const char     *path)
{
  g_autofree char *url = g_strconcat (prov_test_server_get_base_url (server), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  return msg;
}

static void
set_basic (SoupMessage *msg,
           const char  *user,
           const char  *password)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
}

static void
set_bearer (SoupMessage *msg,
            const char  *token)
{
  g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
}

static void
set_json_body (SoupMessage *msg,
               const char  *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/scim+json", bytes);
}

static JsonObject *
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

static gboolean
body_is_json (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  return json_parser_load_from_data (parser, data, len, NULL);
}

static const char *
response_header (SoupMessage *msg,
                 const char  *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (msg), name);
}

static const char *
response_content_type (SoupMessage *msg)
{
  return soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
}

/* Sends and asserts no transport error; returns the parsed body (or NULL for
 * an empty one) and the status through @status. */
static JsonObject *
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

static char *
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

static SoupMessage *
new_form_post (ProvTestServer *server,
               const char     *path,
               const char     *form)
{
  SoupMessage *msg = new_message (server, "POST", path);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  return msg;
}

static char *
filter_path (const char *collection,
             const char *filter)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);

  return g_strdup_printf ("%s?filter=%s", collection, escaped);
}

/* g_tls_certificate_get_subject_name() returns a new string. */
static void
assert_subject (GTlsCertificate *cert,
                const char      *expected)
{
  g_autofree char *subject = g_tls_certificate_get_subject_name (cert);

  g_assert_cmpstr (subject, ==, expected);
}

static void
finish (ProvTestServer *server,
        SoupSession    *session)
{
  g_object_unref (session);
  g_assert_finalize_object (server);
}

/* OAuth */

static void
test_token (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");
  g_assert_true (g_str_has_prefix (prov_test_server_get_base_url (server), "http://127.0.0.1:"));
  g_assert_null (prov_test_server_get_ca_file (server));

  /* Client in HTTP Basic. */
  msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
  set_basic (msg, "jam-client", "jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_cmpstr (response_content_type (msg), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (answer, "token_type"), ==, "Bearer");
  g_assert_cmpuint (strlen (json_object_get_string_member (answer, "access_token")), >, 16);
  g_assert_cmpint (json_object_get_int_member (answer, "expires_in"), ==, 3600);
  g_assert_cmpstr (response_header (msg, "Cache-Control"), ==, "no-store");
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Client in the form body, on the IAS path. */
  msg = new_form_post (server, IAS_TOKEN,
                       "grant_type=client_credentials&client_id=jam-client&client_secret=jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_nonnull (json_object_get_string_member (answer, "access_token"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Wrong secret. */
  msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
  set_basic (msg, "jam-client", "wrong");
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "invalid_client");
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Unknown client in the body. */
  msg = new_form_post (server, IAS_TOKEN,
                       "grant_type=client_credentials&client_id=nobody&client_secret=jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "invalid_client");
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Wrong grant. */
  msg = new_form_post (server, JAM_TOKEN, "grant_type=password");
  set_basic (msg, "jam-client", "jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "unsupported_grant_type");
  g_assert_true (g_str_has_prefix (prov_test_server_get_last_authorization (server, JAM_TOKEN), "Basic "));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Not a POST. */
  msg = new_message (server, "GET", JAM_TOKEN);
  answer = request_json (session, msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 2);
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_TOKEN), ==, 3);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, "/oauth2"), ==, 2);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 6);
  g_assert_cmpuint (prov_test_server_count_responses (server, 401, NULL), ==, 2);
  g_assert_cmpstr (prov_test_server_get_last_request_body (server, "POST", JAM_TOKEN), ==,
                   "grant_type=password");
  /* The last request of all was the GET, without credentials. */
  g_assert_null (prov_test_server_get_last_authorization (server, NULL));
  g_assert_null (prov_test_server_get_last_authorization (server, "/oauth2"));

  finish (server, session);
}

/* SAP Jam SCIM */

static void
test_jam_bearer (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expired = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");

  /* No credentials. */
  msg = new_message (server, "GET", JAM_USERS);
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (response_header (msg, "WWW-Authenticate"), "Bearer"));
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "401");
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* A token the server never issued. */
  msg = new_message (server, "GET", JAM_USERS);
  set_bearer (msg, "not-a-token");
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_assert_nonnull (strstr (response_header (msg, "WWW-Authenticate"), "invalid_token"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Basic is not accepted by Jam's API. */
  msg = new_message (server, "GET", JAM_USERS);
  set_basic (msg, "jam-client", "jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  token = fetch_token (session, server, JAM_TOKEN, "jam-client", "jam-secret");
  msg = new_message (server, "GET", JAM_USERS);
  set_bearer (msg, token);
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_cmpstr (response_content_type (msg), ==, "application/scim+json");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (answer, "schemas"), 0), ==,
                   "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "startIndex"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "Resources")), ==, 0);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpstr (prov_test_server_get_last_authorization (server, JAM_USERS) + 7, ==, token);

  /* Schemas and ServiceProviderConfig. */
  msg = new_message (server, "GET", "/api/v1/scim/Schemas");
  set_bearer (msg, token);
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "Resources")), ==, 2);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = new_message (server, "GET", "/api/v1/scim/ServiceProviderConfig");
  set_bearer (msg, token);
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (answer, "patch"), "supported"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = new_message (server, "GET", "/api/v1/scim/Groups");
  set_bearer (msg, token);
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Revoked. */
  prov_test_server_revoke_tokens (server);
  msg = new_message (server, "GET", JAM_USERS);
  set_bearer (msg, token);
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Expired at birth. */
  prov_test_server_set_token_lifetime (server, 0);
  expired = fetch_token (session, server, JAM_TOKEN, "jam-client", "jam-secret");
  msg = new_message (server, "GET", JAM_USERS);
  set_bearer (msg, expired);
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  finish (server, session);
}

static JsonObject *
jam_request (SoupSession    *session,
             ProvTestServer *server,
             const char     *token,
             const char     *method,
             const char     *path,
             const char     *json,
             guint           expected_status)
{
  g_autoptr(SoupMessage) msg = new_message (server, method, path);

  set_bearer (msg, token);
  if (json != NULL)
    set_json_body (msg, json);
  return request_json (session, msg, expected_status);
}

static void
test_jam_users (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) found = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *filter = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");
  token = fetch_token (session, server, JAM_TOKEN, "jam-client", "jam-secret");

  /* Create. */
  msg = new_message (server, "POST", JAM_USERS);
  set_bearer (msg, token);
  set_json_body (msg, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                      "\"userName\":\"alice\",\"name\":{\"givenName\":\"Alice\",\"familyName\":\"Liddell\"},"
                      "\"emails\":[{\"value\":\"alice@example.com\",\"primary\":true}],\"active\":true}");
  answer = request_json (session, msg, SOUP_STATUS_CREATED);
  id = g_strdup (json_object_get_string_member (answer, "id"));
  g_assert_nonnull (id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "meta"), "resourceType"),
                   ==, "User");
  g_assert_true (g_str_has_suffix (response_header (msg, "Location"), id));
  g_assert_cmpstr (response_header (msg, "Location"), ==,
                   json_object_get_string_member (json_object_get_object_member (answer, "meta"), "location"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Duplicate userName, in another case. */
  answer = jam_request (session, server, token, "POST", JAM_USERS,
                        "{\"userName\":\"ALICE\"}", SOUP_STATUS_CONFLICT);
  g_assert_cmpstr (json_object_get_string_member (answer, "scimType"), ==, "uniqueness");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (answer, "schemas"), 0), ==,
                   "urn:ietf:params:scim:api:messages:2.0:Error");
  g_clear_pointer (&answer, json_object_unref);

  /* No userName. */
  answer = jam_request (session, server, token, "POST", JAM_USERS, "{\"active\":true}", SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, json_object_unref);
  answer = jam_request (session, server, token, "POST", JAM_USERS, "{not json", SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (json_object_get_string_member (answer, "scimType"), ==, "invalidSyntax");
  g_clear_pointer (&answer, json_object_unref);

  /* The one supported filter. */
  filter = filter_path (JAM_USERS, "userName eq \"alice\"");
  answer = jam_request (session, server, token, "GET", filter, NULL, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (answer, "Resources"), 0), "id"),
                   ==, id);
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  filter = filter_path (JAM_USERS, "userName eq \"nobody\"");
  answer = jam_request (session, server, token, "GET", filter, NULL, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 0);
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  /* Anything else is refused. */
  filter = filter_path (JAM_USERS, "emails.value eq \"alice@example.com\"");
  answer = jam_request (session, server, token, "GET", filter, NULL, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (json_object_get_string_member (answer, "scimType"), ==, "invalidFilter");
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  filter = filter_path (JAM_USERS, "userName co \"al\"");
  answer = jam_request (session, server, token, "GET", filter, NULL, SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  filter = filter_path (JAM_USERS, "userName eq \"alice\" and active eq true");
  answer = jam_request (session, server, token, "GET", filter, NULL, SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  /* Read, replace, patch, delete. */
  path = g_strdup_printf ("%s/%s", JAM_USERS, id);
  answer = jam_request (session, server, token, "GET", path, NULL, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "userName"), ==, "alice");
  g_clear_pointer (&answer, json_object_unref);

  answer = jam_request (session, server, token, "PUT", path,
                        "{\"userName\":\"alice\",\"displayName\":\"Alice L.\",\"active\":true}", SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "displayName"), ==, "Alice L.");
  g_assert_cmpstr (json_object_get_string_member (answer, "id"), ==, id);
  g_assert_false (json_object_has_member (answer, "emails"));
  g_clear_pointer (&answer, json_object_unref);

  answer = jam_request (session, server, token, "PATCH", path,
                        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false},"
                        "{\"op\":\"Add\",\"value\":{\"title\":\"Queen\"}}]}",
                        SOUP_STATUS_OK);
  g_assert_false (json_object_get_boolean_member (answer, "active"));
  g_assert_cmpstr (json_object_get_string_member (answer, "title"), ==, "Queen");
  g_clear_pointer (&answer, json_object_unref);

  found = prov_test_server_find_user (server, PROV_TEST_STORE_JAM, NULL, "Alice");
  g_assert_nonnull (found);
  g_assert_false (json_object_get_boolean_member (found, "active"));

  answer = jam_request (session, server, token, "DELETE", path, NULL, SOUP_STATUS_NO_CONTENT);
  g_assert_null (answer);
  answer = jam_request (session, server, token, "GET", path, NULL, SOUP_STATUS_NOT_FOUND);
  g_clear_pointer (&answer, json_object_unref);
  answer = jam_request (session, server, token, "DELETE", path, NULL, SOUP_STATUS_NOT_FOUND);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_JAM, NULL), ==, 0);

  /* Paging. */
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"userName\":\"u%02u\"}", i);
      answer = jam_request (session, server, token, "POST", JAM_USERS, json, SOUP_STATUS_CREATED);
      g_clear_pointer (&answer, json_object_unref);
    }

  answer = jam_request (session, server, token, "GET", JAM_USERS "?startIndex=21&count=10", NULL, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (answer, "startIndex"), ==, 21);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (answer, "Resources"), 0), "userName"),
                   ==, "u20");
  g_clear_pointer (&answer, json_object_unref);

  answer = jam_request (session, server, token, "GET", JAM_USERS "?count=abc", NULL, SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, json_object_unref);

  g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_JAM, NULL), ==, 25);
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_USERS), ==, 29);
  g_assert_cmpuint (prov_test_server_count_responses (server, 201, JAM_USERS), ==, 26);

  finish (server, session);
}

/* Identity Provisioning */

static void
test_ips (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  const char *users = IPS_SYSTEMS "/sys-1/entities/user";
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  prov_test_server_add_client (server, "ips-user", "ips-pass");
  prov_test_server_add_ips_system (server, "sys-1");

  msg = new_message (server, "GET", users);
  set_basic (msg, "ips-user", "ips-pass");
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 0);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = new_message (server, "GET", users);
  set_basic (msg, "ips-user", "wrong");
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (response_header (msg, "WWW-Authenticate"), "Basic"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = new_message (server, "GET", users);
  answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (response_header (msg, "WWW-Authenticate"), "Basic"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Unknown system. */
  msg = new_message (server, "GET", IPS_SYSTEMS "/no-such-system/entities/user");
  set_basic (msg, "ips-user", "ips-pass");
  answer = request_json (session, msg, SOUP_STATUS_NOT_FOUND);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* OAuth. */
  token = fetch_token (session, server, IAS_TOKEN, "ips-user", "ips-pass");
  msg = new_message (server, "GET", users);
  set_bearer (msg, token);
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* Create, then the same userName again updates. */
  msg = new_message (server, "POST", users);
  set_basic (msg, "ips-user", "ips-pass");
  set_json_body (msg, "{\"userName\":\"bob\",\"active\":true}");
  answer = request_json (session, msg, SOUP_STATUS_CREATED);
  id = g_strdup (json_object_get_string_member (answer, "id"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  msg = new_message (server, "POST", users);
  set_basic (msg, "ips-user", "ips-pass");
  set_json_body (msg, "{\"userName\":\"bob\",\"active\":false}");
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "id"), ==, id);
  g_assert_false (json_object_get_boolean_member (answer, "active"));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_IPS, "sys-1"), ==, 1);

  /* Groups exist too. */
  msg = new_message (server, "POST", IPS_SYSTEMS "/sys-1/entities/group");
  set_basic (msg, "ips-user", "ips-pass");
  set_json_body (msg, "{\"displayName\":\"Admins\"}");
  answer = request_json (session, msg, SOUP_STATUS_CREATED);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  path = g_strdup_printf ("%s/%s", users, id);
  msg = new_message (server, "DELETE", path);
  set_basic (msg, "ips-user", "ips-pass");
  answer = request_json (session, msg, SOUP_STATUS_NO_CONTENT);
  g_clear_object (&msg);

  msg = new_message (server, "DELETE", path);
  set_basic (msg, "ips-user", "ips-pass");
  answer = request_json (session, msg, SOUP_STATUS_NOT_FOUND);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_IPS, "sys-1"), ==, 0);

  finish (server, session);
}

/* Faults */

static void
test_fault_status (void)
{
  static const guint statuses[] = { 401, 403, 404, 429, 500, 502, 503 };
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autofree char *token = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");
  token = fetch_token (session, server, JAM_TOKEN, "jam-client", "jam-secret");

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonObject) answer = NULL;

      prov_test_server_inject_fault (server, "/api/v1/scim", PROV_TEST_FAULT_STATUS, statuses[i], 1);

      msg = new_message (server, "GET", JAM_USERS);
      set_bearer (msg, token);
      answer = request_json (session, msg, statuses[i]);
      g_assert_nonnull (answer);
      g_assert_cmpstr (response_content_type (msg), ==, "application/scim+json");

      if (statuses[i] == 429)
        {
          g_assert_cmpstr (response_header (msg, "Retry-After"), ==, "30");
          g_assert_cmpstr (response_header (msg, "X-RateLimit-Remaining"), ==, "0");
          g_assert_cmpstr (response_header (msg, "X-RateLimit-Limit"), ==, "200");
          g_assert_cmpint (g_ascii_strtoll (response_header (msg, "X-RateLimit-Reset"), NULL, 10), >=,
                           g_get_real_time () / G_USEC_PER_SEC + 25);
        }
      if (statuses[i] == 401)
        g_assert_true (g_str_has_prefix (response_header (msg, "WWW-Authenticate"), "Bearer"));

      /* Used up: the next one is served. */
      g_clear_object (&msg);
      g_clear_pointer (&answer, json_object_unref);
      msg = new_message (server, "GET", JAM_USERS);
      set_bearer (msg, token);
      answer = request_json (session, msg, SOUP_STATUS_OK);
    }

  /* A fault on the token endpoint answers in OAuth's shape. */
  {
    g_autoptr(SoupMessage) msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
    g_autoptr(JsonObject) answer = NULL;

    prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_STATUS, 503, 1);
    set_basic (msg, "jam-client", "jam-secret");
    answer = request_json (session, msg, 503);
    g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "server_error");
  }

  /* times = 0: until cleared; the oldest matching fault wins. */
  prov_test_server_set_retry_after (server, 2);
  prov_test_server_inject_fault (server, "/api/v1/scim/Users", PROV_TEST_FAULT_STATUS, 429, 0);
  prov_test_server_inject_fault (server, "/api", PROV_TEST_FAULT_STATUS, 500, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
      g_autoptr(JsonObject) answer = NULL;

      set_bearer (msg, token);
      answer = request_json (session, msg, 429);
      g_assert_cmpstr (response_header (msg, "Retry-After"), ==, "2");
    }
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", "/api/v1/scim/Groups");
    g_autoptr(JsonObject) answer = NULL;

    set_bearer (msg, token);
    answer = request_json (session, msg, 500);
  }
  prov_test_server_clear_faults (server);
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
    g_autoptr(JsonObject) answer = NULL;

    set_bearer (msg, token);
    answer = request_json (session, msg, SOUP_STATUS_OK);
  }

  g_assert_cmpuint (prov_test_server_count_responses (server, 429, NULL), ==, 4);

  finish (server, session);
}

typedef struct
{
  guint   pending;
  gint64  finished_at[3];
  guint   status[3];
} Parallel;

typedef struct
{
  Parallel    *parallel;
  guint        index;
  SoupMessage *msg;
} ParallelItem;

static void
parallel_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ParallelItem *item = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  g_bytes_unref (body);
  item->parallel->finished_at[item->index] = g_get_monotonic_time ();
  item->parallel->status[item->index] = soup_message_get_status (item->msg);
  item->parallel->pending--;
}

static void
test_fault_delay (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = soup_session_new_with_options ("max-conns-per-host", 4, "timeout", 20, NULL);
  Parallel parallel = { 0 };
  ParallelItem items[3];
  gint64 start;

  soup_session_set_proxy_resolver (session, NULL);
  prov_test_server_add_client (server, "src", "src-secret");

  /* Two delayed requests and one that is not, all at once: the delays must
   * overlap and the quick one must not wait for them. */
  prov_test_server_inject_fault (server, "/scim/Users", PROV_TEST_FAULT_DELAY, 400, 2);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 3; i++)
    {
      items[i].parallel = &parallel;
      items[i].index = i;
      items[i].msg = new_message (server, "GET", i < 2 ? "/scim/Users" : "/scim/Groups");
      set_basic (items[i].msg, "src", "src-secret");
      parallel.pending++;
      soup_session_send_and_read_async (session, items[i].msg, G_PRIORITY_DEFAULT, NULL,
                                        parallel_cb, &items[i]);
    }

  while (parallel.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (parallel.status[i], ==, SOUP_STATUS_OK);
      g_object_unref (items[i].msg);
    }

  g_assert_cmpint (parallel.finished_at[0] - start, >=, 400 * 1000);
  g_assert_cmpint (parallel.finished_at[1] - start, >=, 400 * 1000);
  g_assert_cmpint (parallel.finished_at[2], <, parallel.finished_at[0]);
  g_assert_cmpint (parallel.finished_at[2], <, parallel.finished_at[1]);
  /* Both delays ran side by side, not one after the other. */
  g_assert_cmpuint (prov_test_server_get_max_concurrent (server), >=, 2);
  g_assert_cmpuint (prov_test_server_count_requests (server, "GET", "/scim"), ==, 3);

  prov_test_server_clear_requests (server);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);
  g_assert_cmpuint (prov_test_server_get_max_concurrent (server), ==, 0);

  /* A server with a delay still pending goes away cleanly. */
  prov_test_server_inject_fault (server, "/scim/Users", PROV_TEST_FAULT_DELAY, 60000, 1);
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", "/scim/Users");

    set_basic (msg, "src", "src-secret");
    soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    while (prov_test_server_count_requests (server, NULL, NULL) == 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (prov_test_server_get_max_concurrent (server), ==, 1);
    soup_session_abort (session);
  }

  finish (server, session);
}

static void
test_fault_drop (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");

  prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_DROP, 0, 1);
  msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
  set_basic (msg, "jam-client", "jam-secret");
  body = send_message (session, msg, &error);
  g_assert_null (body);
  g_assert_nonnull (error);
  g_test_message ("Dropped connection seen as: %s %d: %s",
                  g_quark_to_string (error->domain), error->code, error->message);
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_TOKEN), ==, 1);
  g_clear_object (&msg);

  /* Only once. */
  msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
  set_basic (msg, "jam-client", "jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* On a kept-alive connection a GET may be resent once; forever always shows. */
  prov_test_server_inject_fault (server, "/oauth2", PROV_TEST_FAULT_DROP, 0, 0);
  msg = new_form_post (server, IAS_TOKEN, "grant_type=client_credentials");
  set_basic (msg, "jam-client", "jam-secret");
  g_clear_error (&error);
  body = send_message (session, msg, &error);
  g_assert_null (body);
  g_assert_nonnull (error);

  finish (server, session);
}

static void
test_fault_bodies (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autofree char *token = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");

  /* Malformed: 200, not JSON, no effect. */
  prov_test_server_inject_fault (server, JAM_TOKEN, PROV_TEST_FAULT_MALFORMED_JSON, 0, 1);
  {
    g_autoptr(SoupMessage) msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    set_basic (msg, "jam-client", "jam-secret");
    body = send_message (session, msg, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response_content_type (msg), ==, "application/json");
    g_assert_false (body_is_json (body));
    g_assert_cmpuint (prov_test_server_count_tokens_issued (server), ==, 0);
  }

  token = fetch_token (session, server, JAM_TOKEN, "jam-client", "jam-secret");

  /* Truncated: the create happens, the answer is cut. */
  prov_test_server_inject_fault (server, JAM_USERS, PROV_TEST_FAULT_TRUNCATED_JSON, 0, 1);
  {
    g_autoptr(SoupMessage) msg = new_message (server, "POST", JAM_USERS);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    set_bearer (msg, token);
    set_json_body (msg, "{\"userName\":\"carol\"}");
    body = send_message (session, msg, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_CREATED);
    g_assert_cmpuint (g_bytes_get_size (body), >, 10);
    g_assert_false (body_is_json (body));
    g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_JAM, NULL), ==, 1);
  }

  /* Wrong content type: an HTML page. */
  prov_test_server_inject_fault (server, JAM_USERS, PROV_TEST_FAULT_WRONG_CONTENT_TYPE, 0, 1);
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    set_bearer (msg, token);
    body = send_message (session, msg, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response_content_type (msg), ==, "text/html");
    g_assert_false (body_is_json (body));
  }

  finish (server, session);
}

static void
test_rate_limit (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autofree char *token = NULL;

  prov_test_server_add_client (server, "jam-client", "jam-secret");
  token = fetch_token (session, server, JAM_TOKEN, "jam-client", "jam-secret");
  prov_test_server_set_rate_limit (server, "/api/v1/scim", 3, 60 * 1000);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
      g_autoptr(JsonObject) answer = NULL;
      g_autofree char *remaining = g_strdup_printf ("%u", 2 - MIN (i, 2));

      set_bearer (msg, token);
      answer = request_json (session, msg, i < 3 ? SOUP_STATUS_OK : HTTP_TOO_MANY_REQUESTS);
      g_assert_cmpstr (response_header (msg, "X-RateLimit-Limit"), ==, "3");
      g_assert_cmpstr (response_header (msg, "X-RateLimit-Remaining"), ==, i < 3 ? remaining : "0");
      g_assert_nonnull (response_header (msg, "X-RateLimit-Reset"));
      if (i == 3)
        {
          guint64 retry = g_ascii_strtoull (response_header (msg, "Retry-After"), NULL, 10);
          g_assert_cmpuint (retry, >=, 59);
          g_assert_cmpuint (retry, <=, 60);
        }
    }

  /* Other paths are not limited; removing the limit lifts it. */
  {
    g_autoptr(SoupMessage) msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
    g_autoptr(JsonObject) answer = NULL;

    set_basic (msg, "jam-client", "jam-secret");
    answer = request_json (session, msg, SOUP_STATUS_OK);
    g_assert_null (response_header (msg, "X-RateLimit-Limit"));
  }
  prov_test_server_set_rate_limit (server, "/api/v1/scim", 0, 0);
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
    g_autoptr(JsonObject) answer = NULL;

    set_bearer (msg, token);
    answer = request_json (session, msg, SOUP_STATUS_OK);
  }

  /* A short window refills. */
  prov_test_server_set_rate_limit (server, "/api/v1/scim", 1, 200);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
      g_autoptr(JsonObject) answer = NULL;

      set_bearer (msg, token);
      answer = request_json (session, msg, SOUP_STATUS_OK);
      g_usleep (250 * 1000);
    }

  g_assert_cmpuint (prov_test_server_count_responses (server, 429, NULL), ==, 1);

  finish (server, session);
}

/* TLS */

static gboolean
record_errors_cb (SoupMessage          *msg,
                  GTlsCertificate      *cert,
                  GTlsCertificateFlags  errors,
                  gpointer              user_data)
{
  *(GTlsCertificateFlags *) user_data = errors;
  return FALSE;
}

static void
test_tls_trusted (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_TLS);
  SoupSession *session = new_session (prov_test_server_get_ca_file (server));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *url = NULL;

  g_assert_true (g_str_has_prefix (prov_test_server_get_base_url (server), "https://127.0.0.1:"));
  g_assert_true (g_path_is_absolute (prov_test_server_get_ca_file (server)));
  g_assert_true (g_file_test (prov_test_server_get_ca_file (server), G_FILE_TEST_IS_REGULAR));
  prov_test_server_add_client (server, "jam-client", "jam-secret");

  msg = new_form_post (server, JAM_TOKEN, "grant_type=client_credentials");
  set_basic (msg, "jam-client", "jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_OK);
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));
  g_clear_object (&msg);
  g_clear_pointer (&answer, json_object_unref);

  /* The certificate names localhost too. */
  url = g_strconcat (prov_test_server_get_base_url_localhost (server), JAM_TOKEN, NULL);
  msg = soup_message_new ("POST", url);
  {
    g_autoptr(GBytes) form = g_bytes_new_static ("grant_type=client_credentials", 29);
    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  }
  set_basic (msg, "jam-client", "jam-secret");
  answer = request_json (session, msg, SOUP_STATUS_OK);

  finish (server, session);
}

static void
assert_tls_refused (ProvTestServer       *server,
                    const char           *ca_file,
                    GTlsCertificateFlags  expected_flags)
{
  SoupSession *session = new_session (ca_file);
  g_autoptr(SoupMessage) msg = new_message (server, "GET", JAM_USERS);
  GTlsCertificateFlags errors = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (record_errors_cb), &errors);
  body = send_message (session, msg, &error);
  g_assert_null (body);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_cmpuint (errors & expected_flags, ==, expected_flags);

  g_object_unref (session);
}

static void
test_tls_untrusted (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_TLS);

  /* The system's CAs, then a CA that signed nothing this server shows. */
  assert_tls_refused (server, NULL, G_TLS_CERTIFICATE_UNKNOWN_CA);
  assert_tls_refused (server, prov_test_server_get_untrusted_ca_file (server), G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpuint (prov_test_server_count_requests (server, NULL, NULL), ==, 0);

  g_assert_finalize_object (server);
}

static void
test_tls_expired (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_EXPIRED_CERT);

  g_assert_true (g_str_has_prefix (prov_test_server_get_base_url (server), "https://"));
  assert_tls_refused (server, prov_test_server_get_ca_file (server), G_TLS_CERTIFICATE_EXPIRED);

  g_assert_finalize_object (server);
}

static void
test_tls_wrong_host (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_WRONG_HOST_CERT);

  assert_tls_refused (server, prov_test_server_get_ca_file (server), G_TLS_CERTIFICATE_BAD_IDENTITY);

  g_assert_finalize_object (server);
}

/* Mutual TLS */

static GTlsCertificate *
tls_certificate_from_pems (const char *cert_pem,
                           const char *key_pem)
{
  g_autofree char *pem = g_strconcat (cert_pem, key_pem, NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *cert = g_tls_certificate_new_from_pem (pem, -1, &error);

  g_assert_no_error (error);
  return cert;
}

/* GET of the IPS users with @cert and no Authorization; the status, or 0
 * with @error set when the connection failed. */
static guint
mtls_get (SoupSession      *session,
          ProvTestServer   *server,
          GTlsCertificate  *cert,
          GError          **error)
{
  g_autoptr(SoupMessage) msg = new_message (server, "GET", IPS_SYSTEMS "/sys/entities/user");
  g_autoptr(GBytes) body = NULL;

  if (cert != NULL)
    soup_message_set_tls_client_certificate (msg, cert);
  body = send_message (session, msg, error);
  return body != NULL ? soup_message_get_status (msg) : 0;
}

static void
assert_mtls_refused (const GError *error)
{
  g_assert_nonnull (error);
  g_test_message ("Refused client certificate seen as: %s %d: %s",
                  g_quark_to_string (error->domain), error->code, error->message);
  g_assert_true (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
                 g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
                 g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE));
}

static void
test_mtls (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  const char *ca_file = prov_test_server_get_ca_file (server);
  g_autoptr(GTlsCertificate) good = NULL;
  g_autoptr(GTlsCertificate) stranger = NULL;
  g_autoptr(GTlsCertificate) other_cn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  SoupSession *session;

  prov_test_server_add_ips_system (server, "sys");
  prov_test_server_add_client (server, "ips-user", "ips-pass");
  prov_test_server_trust_client_certificate_subject (server, "mycert(P000123)");

  prov_test_server_create_client_certificate (server, "mycert(P000123)", &cert_pem, &key_pem, &error);
  g_assert_no_error (error);
  good = tls_certificate_from_pems (cert_pem, key_pem);
  assert_subject (good, "CN=mycert(P000123)");

  /* A trusted certificate authenticates, on every request of a kept-alive
   * connection. */
  session = new_session (ca_file);
  g_assert_cmpuint (mtls_get (session, server, good, &error), ==, SOUP_STATUS_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (mtls_get (session, server, good, &error), ==, SOUP_STATUS_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_test_server_count_connections (server), ==, 1);
  g_assert_cmpstr (prov_test_server_get_last_client_certificate_cn (server, NULL), ==, "mycert(P000123)");
  g_assert_null (prov_test_server_get_last_authorization (server, NULL));
  g_object_unref (session);

  /* No certificate at all. */
  session = new_session (ca_file);
  g_assert_cmpuint (mtls_get (session, server, NULL, &error), ==, 0);
  assert_mtls_refused (error);
  g_clear_error (&error);
  g_object_unref (session);

  /* Signed by a CA the server does not trust. */
  {
    g_autoptr(ProvTestCert) ca = prov_test_cert_new_ca ("CN=Stranger CA", 0, &error);
    g_autoptr(ProvTestCert) client = NULL;

    g_assert_no_error (error);
    client = prov_test_cert_new_client (ca, "CN=mycert(P000123)", 0, &error);
    g_assert_no_error (error);
    stranger = prov_test_cert_to_tls_certificate (client, &error);
    g_assert_no_error (error);
  }
  session = new_session (ca_file);
  g_assert_cmpuint (mtls_get (session, server, stranger, &error), ==, 0);
  assert_mtls_refused (error);
  g_clear_error (&error);
  g_object_unref (session);

  /* Trusted CA, CN not trusted: the handshake passes, the API says 401;
   * Basic still works on that connection. */
  g_clear_pointer (&cert_pem, g_free);
  g_clear_pointer (&key_pem, g_free);
  prov_test_server_create_client_certificate (server, "someone-else(P000999)", &cert_pem, &key_pem, &error);
  g_assert_no_error (error);
  other_cn = tls_certificate_from_pems (cert_pem, key_pem);
  session = new_session (ca_file);
  g_assert_cmpuint (mtls_get (session, server, other_cn, &error), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_no_error (error);
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", IPS_SYSTEMS "/sys/entities/user");
    g_autoptr(JsonObject) answer = NULL;

    soup_message_set_tls_client_certificate (msg, other_cn);
    set_basic (msg, "ips-user", "ips-pass");
    answer = request_json (session, msg, SOUP_STATUS_OK);
  }
  g_object_unref (session);

  /* A self-signed certificate, as the app generates it: refused until
   * pinned (imported at the technical user), then accepted. */
  {
    g_autoptr(ProvTestCert) self_signed = prov_test_cert_new_client (NULL, "CN=generated(P000042)", 0, &error);
    g_autoptr(GTlsCertificate) tls_cert = NULL;

    g_assert_no_error (error);
    tls_cert = prov_test_cert_to_tls_certificate (self_signed, &error);
    g_assert_no_error (error);

    session = new_session (ca_file);
    g_assert_cmpuint (mtls_get (session, server, tls_cert, &error), ==, 0);
    assert_mtls_refused (error);
    g_clear_error (&error);
    g_object_unref (session);

    prov_test_server_trust_client_certificate_pem (server, prov_test_cert_get_certificate_pem (self_signed), &error);
    g_assert_no_error (error);

    session = new_session (ca_file);
    g_assert_cmpuint (mtls_get (session, server, tls_cert, &error), ==, SOUP_STATUS_OK);
    g_assert_no_error (error);
    g_assert_cmpstr (prov_test_server_get_last_client_certificate_cn (server, NULL), ==, "generated(P000042)");
    g_object_unref (session);
  }

  g_assert_finalize_object (server);
}

static void
test_mtls_pkcs12 (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autoptr(ProvTestCert) client = NULL;
  g_autoptr(GTlsCertificate) loaded = NULL;
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(GError) error = NULL;
  SoupSession *session;
  gint64 start;

  prov_test_server_add_ips_system (server, "sys");
  prov_test_server_trust_client_certificate_subject (server, "imported(P000777)");

  client = prov_test_cert_new_client (prov_test_server_get_client_ca (server), "CN=imported(P000777)", 0, &error);
  g_assert_no_error (error);
  p12 = prov_test_cert_export_pkcs12 (client, "p12-password", &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  loaded = g_tls_certificate_new_from_pkcs12 (g_bytes_get_data (p12, NULL), g_bytes_get_size (p12),
                                              "p12-password", &error);
  g_assert_no_error (error);
  g_test_message ("PKCS#12 import took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  assert_subject (loaded, "CN=imported(P000777)");

  session = new_session (prov_test_server_get_ca_file (server));
  g_assert_cmpuint (mtls_get (session, server, loaded, &error), ==, SOUP_STATUS_OK);
  g_assert_no_error (error);
  g_object_unref (session);

  /* A wrong password is refused by GLib. */
  g_clear_object (&loaded);
  loaded = g_tls_certificate_new_from_pkcs12 (g_bytes_get_data (p12, NULL), g_bytes_get_size (p12),
                                              "wrong", &error);
  g_assert_null (loaded);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Without a password too. */
  g_clear_pointer (&p12, g_bytes_unref);
  p12 = prov_test_cert_export_pkcs12 (client, NULL, &error);
  g_assert_no_error (error);
  loaded = g_tls_certificate_new_from_pkcs12 (g_bytes_get_data (p12, NULL), g_bytes_get_size (p12),
                                              NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  g_assert_finalize_object (server);
}

static void
test_certs (void)
{
  g_autoptr(ProvTestCert) ca = NULL;
  g_autoptr(ProvTestCert) client = NULL;
  g_autoptr(ProvTestCert) rsa = NULL;
  g_autoptr(GTlsCertificate) tls_cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *encrypted = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  GStatBuf st;

  ca = prov_test_cert_new_ca ("CN=Test CA,O=Provisioner Tests", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_test_cert_get_subject (ca), ==, "CN=Test CA,O=Provisioner Tests");

  client = prov_test_cert_new_client (ca, "CN=mycert(P000123)", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_test_cert_get_subject (client), ==, "CN=mycert(P000123)");
  g_assert_true (g_str_has_prefix (prov_test_cert_get_certificate_pem (client), "-----BEGIN CERTIFICATE-----"));
  g_assert_true (g_str_has_prefix (prov_test_cert_get_private_key_pem (client), "-----BEGIN PRIVATE KEY-----"));

  tls_cert = prov_test_cert_to_tls_certificate (client, &error);
  g_assert_no_error (error);
  cn = prov_test_certs_dup_common_name (tls_cert);
  g_assert_cmpstr (cn, ==, "mycert(P000123)");
  /* GLib lists the RDNs in the other order than RFC 4514 does. */
  issuer = g_tls_certificate_get_issuer_name (tls_cert);
  g_assert_nonnull (strstr (issuer, "CN=Test CA"));

  /* A CN with characters RFC 4514 would need escaped comes out verbatim. */
  g_clear_pointer (&client, prov_test_cert_unref);
  client = prov_test_cert_new_client_with_cn (ca, "Doe, John+1(P000321)", 0, &error);
  g_assert_no_error (error);
  g_clear_object (&tls_cert);
  g_clear_pointer (&cn, g_free);
  tls_cert = prov_test_cert_to_tls_certificate (client, &error);
  g_assert_no_error (error);
  cn = prov_test_certs_dup_common_name (tls_cert);
  g_assert_cmpstr (cn, ==, "Doe, John+1(P000321)");

  /* An unparseable subject is an error, not a crash. */
  g_assert_null (prov_test_cert_new_client (ca, "no equals sign", 0, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  encrypted = prov_test_cert_export_encrypted_key (client, "secret", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));

  rsa = prov_test_cert_new_client (NULL, "CN=rsa", PROV_TEST_CERT_RSA, &error);
  g_assert_no_error (error);
  g_clear_object (&tls_cert);
  tls_cert = prov_test_cert_to_tls_certificate (rsa, &error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("prov-test-certs-XXXXXX", &error);
  g_assert_no_error (error);
  cert_path = g_build_filename (dir, "c.pem", NULL);
  key_path = g_build_filename (dir, "k.pem", NULL);
  prov_test_cert_write_files (rsa, cert_path, key_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
}

static void
test_tmp_dir_removed (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT);
  g_autofree char *dir = g_strdup (prov_test_server_get_tmp_dir (server));

  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (prov_test_server_get_client_ca_file (server), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (prov_test_server_get_untrusted_ca_file (server), G_FILE_TEST_IS_REGULAR));
  g_assert_finalize_object (server);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* The source: Identity Authentication */

static JsonObject *
source_get (SoupSession    *session,
            ProvTestServer *server,
            const char     *path,
            guint           expected_status)
{
  g_autoptr(SoupMessage) msg = new_message (server, "GET", path);

  set_basic (msg, "ias-admin", "ias-secret");
  return request_json (session, msg, expected_status);
}

static const char *
resource_user_name (JsonObject *list,
                    guint       index)
{
  JsonArray *resources = json_object_get_array_member (list, "Resources");

  return json_object_get_string_member (json_array_get_object_element (resources, index), "userName");
}

static void
test_source_v2 (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) user = NULL;
  g_autofree char *filter = NULL;
  guint seen = 0;

  prov_test_server_add_client (server, "ias-admin", "ias-secret");
  prov_test_server_generate_source_users (server, 250);
  g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_SOURCE, NULL), ==, 250);

  /* Deterministic attributes. */
  user = prov_test_server_find_user (server, PROV_TEST_STORE_SOURCE, NULL, "user00042");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, "00000000-0000-4000-8000-000000000042");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "name"), "familyName"),
                   ==, "Family42");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
                                                  "employeeNumber"),
                   ==, "E00042");

  /* Auth is required. */
  {
    g_autoptr(SoupMessage) msg = new_message (server, "GET", "/scim/Users");
    answer = request_json (session, msg, SOUP_STATUS_UNAUTHORIZED);
    g_clear_pointer (&answer, json_object_unref);
  }

  for (guint start = 1; ; start += 100)
    {
      g_autofree char *path = g_strdup_printf ("/scim/Users?startIndex=%u&count=100", start);
      guint n;

      answer = source_get (session, server, path, SOUP_STATUS_OK);
      g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 250);
      n = json_array_get_length (json_object_get_array_member (answer, "Resources"));
      g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, n);
      if (n == 0)
        break;
      g_assert_cmpstr (resource_user_name (answer, 0), ==, start == 1 ? "user00001" : start == 101 ? "user00101" : "user00201");
      seen += n;
      g_clear_pointer (&answer, json_object_unref);
    }
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (seen, ==, 250);

  /* The server caps the page size. */
  answer = source_get (session, server, "/scim/Users?count=1000", SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 100);
  g_clear_pointer (&answer, json_object_unref);

  /* Filters, with "and". */
  filter = filter_path ("/scim/Users", "userName eq \"user00042\"");
  answer = source_get (session, server, filter, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 1);
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  filter = filter_path ("/scim/Users", "emails.value eq \"USER00007@example.com\" and active eq true");
  answer = source_get (session, server, filter, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 1);
  g_assert_cmpstr (resource_user_name (answer, 0), ==, "user00007");
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&filter, g_free);

  answer = source_get (session, server, "/scim/Users/00000000-0000-4000-8000-000000000007", SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "userName"), ==, "user00007");
  g_clear_pointer (&answer, json_object_unref);

  /* Read-only. */
  {
    g_autoptr(SoupMessage) msg = new_message (server, "POST", "/scim/Users");
    set_basic (msg, "ias-admin", "ias-secret");
    set_json_body (msg, "{\"userName\":\"x\"}");
    answer = request_json (session, msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
    g_clear_pointer (&answer, json_object_unref);
  }

  /* Misbehaviour: the last page again past the end, a wrong total. */
  prov_test_server_set_source_repeat_last_page (server, TRUE);
  answer = source_get (session, server, "/scim/Users?startIndex=301&count=100", SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 50);
  g_assert_cmpstr (resource_user_name (answer, 0), ==, "user00201");
  g_clear_pointer (&answer, json_object_unref);
  prov_test_server_set_source_repeat_last_page (server, FALSE);

  prov_test_server_set_source_reported_total (server, 1000);
  answer = source_get (session, server, "/scim/Users?startIndex=301&count=100", SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 0);
  g_clear_pointer (&answer, json_object_unref);

  /* Changing the source. */
  prov_test_server_remove_user (server, PROV_TEST_STORE_SOURCE, NULL, "user00001");
  json_object_set_string_member (user, "title", "Chief");
  prov_test_server_put_user (server, PROV_TEST_STORE_SOURCE, NULL, user);
  g_clear_pointer (&user, json_object_unref);
  user = prov_test_server_find_user (server, PROV_TEST_STORE_SOURCE, NULL, "user00042");
  g_assert_cmpstr (json_object_get_string_member (user, "title"), ==, "Chief");
  g_assert_cmpuint (prov_test_server_get_n_users (server, PROV_TEST_STORE_SOURCE, NULL), ==, 249);

  finish (server, session);
}

static void
test_source_v1 (void)
{
  ProvTestServer *server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  SoupSession *session = new_session (NULL);
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *start_id = g_strdup ("initial");
  guint pages = 0;
  guint seen = 0;

  prov_test_server_add_client (server, "ias-admin", "ias-secret");
  prov_test_server_generate_source_users (server, 250);

  /* startId paging until the end marker. */
  while (TRUE)
    {
      g_autofree char *path = g_strdup_printf ("/service/scim/Users?count=100&startId=%s", start_id);
      JsonArray *resources;

      answer = source_get (session, server, path, SOUP_STATUS_OK);
      resources = json_object_get_array_member (answer, "Resources");
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (answer, "schemas"), 0), ==,
                       "urn:scim:schemas:core:1.0");
      g_assert_cmpint (json_object_get_int_member (answer, "totalResults"), ==, 250);
      seen += json_array_get_length (resources);
      pages++;
      g_assert_cmpuint (pages, <=, 3);

      g_free (start_id);
      start_id = g_strdup (json_object_get_string_member (answer, "nextId"));
      g_clear_pointer (&answer, json_object_unref);
      if (g_str_equal (start_id, "<end>"))
        break;
    }
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen, ==, 250);

  /* Version 1 shapes: enterprise data under the 1.0 URN. */
  answer = source_get (session, server, "/service/scim/Users?count=1&startIndex=5", SOUP_STATUS_OK);
  {
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (answer, "Resources"), 0);

    g_assert_cmpstr (json_object_get_string_member (first, "userName"), ==, "user00005");
    g_assert_true (json_object_has_member (first, "urn:scim:schemas:extension:enterprise:1.0"));
    g_assert_false (json_object_has_member (first, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
  }
  g_assert_cmpint (json_object_get_int_member (answer, "startIndex"), ==, 5);
  g_clear_pointer (&answer, json_object_unref);

  /* count is capped at 100. */
  answer = source_get (session, server, "/service/scim/Users?count=500&startId=initial", SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 100);
  g_assert_cmpstr (json_object_get_string_member (answer, "nextId"), ==, "00000000-0000-4000-8000-000000000101");
  g_clear_pointer (&answer, json_object_unref);

  answer = source_get (session, server, "/service/scim/Users?startId=no-such-id", SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, json_object_unref);
  answer = source_get (session, server, "/service/scim/Users?startId=initial&startIndex=1", SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, json_object_unref);

  /* Repeating server: the last page points back at itself. */
  prov_test_server_set_source_repeat_last_page (server, TRUE);
  answer = source_get (session, server, "/service/scim/Users?count=100&startId=00000000-0000-4000-8000-000000000201",
                       SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (answer, "itemsPerPage"), ==, 50);
  g_assert_cmpstr (json_object_get_string_member (answer, "nextId"), ==, "00000000-0000-4000-8000-000000000201");
  g_clear_pointer (&answer, json_object_unref);
  prov_test_server_set_source_repeat_last_page (server, FALSE);

  /* Another spelling of the end. */
  prov_test_server_set_source_end_marker (server, "end");
  answer = source_get (session, server, "/service/scim/Users?count=100&startId=00000000-0000-4000-8000-000000000201",
                       SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "nextId"), ==, "end");
  g_clear_pointer (&answer, json_object_unref);

  finish (server, session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/certs", test_certs);
  g_test_add_func ("/server/oauth/token", test_token);
  g_test_add_func ("/server/jam/bearer", test_jam_bearer);
  g_test_add_func ("/server/jam/users", test_jam_users);
  g_test_add_func ("/server/ips", test_ips);
  g_test_add_func ("/server/fault/status", test_fault_status);
  g_test_add_func ("/server/fault/delay", test_fault_delay);
  g_test_add_func ("/server/fault/drop", test_fault_drop);
  g_test_add_func ("/server/fault/bodies", test_fault_bodies);
  g_test_add_func ("/server/rate-limit", test_rate_limit);
  g_test_add_func ("/server/tls/trusted", test_tls_trusted);
  g_test_add_func ("/server/tls/untrusted", test_tls_untrusted);
  g_test_add_func ("/server/tls/expired", test_tls_expired);
  g_test_add_func ("/server/tls/wrong-host", test_tls_wrong_host);
  g_test_add_func ("/server/mtls/certificates", test_mtls);
  g_test_add_func ("/server/mtls/pkcs12", test_mtls_pkcs12);
  g_test_add_func ("/server/tmp-dir", test_tmp_dir_removed);
  g_test_add_func ("/server/source/v2", test_source_v2);
  g_test_add_func ("/server/source/v1", test_source_v1);

  return g_test_run ();
}
