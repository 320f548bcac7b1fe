/* test-server.c — the in-process test peer, exercised with a plain SoupSession
 *
 * Its OAuth token endpoint, SAP Jam's and Identity Provisioning's SCIM
 * users, the Identity Authentication tenant as a source (SCIM v1 and v2
 * paging), and its scratch folder. Faults and rate limits are in
 * test-server-faults.c, TLS and client certificates in test-server-tls.c;
 * the helpers in server-fixture.c.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "server-fixture.h"

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

  /* Nested deeper than json-glib's parser survives: refused, and the
   * service (in the window's process with --demo) lives on. */
  {
    g_autofree char *deep = g_strnfill (200000, '[');

    answer = jam_request (session, server, token, "POST", JAM_USERS, deep, SOUP_STATUS_BAD_REQUEST);
    g_assert_cmpstr (json_object_get_string_member (answer, "scimType"), ==, "invalidSyntax");
    g_clear_pointer (&answer, json_object_unref);
  }

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
  g_assert_cmpuint (prov_test_server_count_requests (server, "POST", JAM_USERS), ==, 30);
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

  g_test_add_func ("/server/oauth/token", test_token);
  g_test_add_func ("/server/jam/bearer", test_jam_bearer);
  g_test_add_func ("/server/jam/users", test_jam_users);
  g_test_add_func ("/server/ips", test_ips);
  g_test_add_func ("/server/tmp-dir", test_tmp_dir_removed);
  g_test_add_func ("/server/source/v2", test_source_v2);
  g_test_add_func ("/server/source/v1", test_source_v1);

  return g_test_run ();
}
