/* test-lookup.c — after a 409, only the user asked for is updated
 *
 * SAP Jam answers 409 to a create when the user is already there; the
 * client then looks the user up with filter=userName eq "…" and updates
 * what it finds. RFC 7644 lets a server ignore a filter it does not
 * support and list other users: the client must then not write one
 * user's data over another's. The peer here is a SoupServer on 127.0.0.1
 * that answers every lookup with the list it is given, filter or not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "prov-auth.h"
#include "prov-error.h"
#include "prov-http-client.h"
#include "prov-target-client.h"
#include "prov-target-system.h"

#define USERS_PATH "/api/v1/scim/Users"

typedef struct
{
  SoupServer *server;
  char       *base_url;
  char       *lookup;     /* the list every GET of Users answers */
  GPtrArray  *requests;   /* "METHOD path" */
  char       *filter;     /* of the last GET of Users */
} Peer;

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *content_type,
        const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Peer *peer = user_data;
  const char *method = soup_server_message_get_method (msg);

  g_ptr_array_add (peer->requests, g_strdup_printf ("%s %s", method, path));

  if (g_str_equal (path, "/api/v1/auth/token"))
    answer (msg, 200, "application/json",
            "{\"access_token\": \"token-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}");
  else if (g_str_equal (path, USERS_PATH) && g_str_equal (method, "POST"))
    answer (msg, 409, "application/scim+json",
            "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:Error\"], \"status\": \"409\","
            " \"scimType\": \"uniqueness\", \"detail\": \"userName already exists\"}");
  else if (g_str_equal (path, USERS_PATH) && g_str_equal (method, "GET"))
    {
      g_free (peer->filter);
      peer->filter = g_strdup (query ? g_hash_table_lookup (query, "filter") : NULL);
      answer (msg, 200, "application/scim+json", peer->lookup);
    }
  else if (g_str_has_prefix (path, USERS_PATH "/") && g_str_equal (method, "PUT"))
    {
      g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"userName\": \"user00001\"}",
                                               path + strlen (USERS_PATH "/"));
      answer (msg, 200, "application/scim+json", body);
    }
  else
    answer (msg, 404, "application/scim+json", "{\"status\": \"404\"}");
}

static void
peer_start (Peer       *peer,
            const char *lookup)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  peer->server = soup_server_new (NULL, NULL);
  peer->requests = g_ptr_array_new_with_free_func (g_free);
  peer->lookup = g_strdup (lookup);
  soup_server_add_handler (peer->server, NULL, handler, peer, NULL);
  soup_server_listen_local (peer->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (peer->server);
  peer->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
peer_stop (Peer *peer)
{
  soup_server_disconnect (peer->server);
  g_clear_object (&peer->server);
  g_clear_pointer (&peer->base_url, g_free);
  g_clear_pointer (&peer->lookup, g_free);
  g_clear_pointer (&peer->filter, g_free);
  g_clear_pointer (&peer->requests, g_ptr_array_unref);
}

static guint
count_requests (Peer       *peer,
                const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < peer->requests->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (peer->requests, i), prefix))
      n++;
  return n;
}

static void
applied_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

/* Creates user00001 on the peer; returns the id the client settled on. */
static char *
create_user (Peer    *peer,
             GError **error)
{
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvAuth) auth = NULL;
  g_autoptr(ProvTargetClient) target_client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ProvOperation operation = { 0, };
  gint64 retry_after = 0;

  prov_target_system_set_display_name (target, "Jam");
  prov_target_system_set_url (target, peer->base_url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "jam-client");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "jam-secret");
  auth = prov_auth_new (client, target);
  target_client = prov_target_client_new (auth);

  operation.action = PROV_ACTION_CREATE;
  operation.user_name = (char *) "user00001";
  operation.body = (char *) "{\"userName\":\"user00001\",\"displayName\":\"User One\"}";
  operation.hash = (char *) "hash";
  operation.active = TRUE;

  prov_target_client_apply_async (target_client, &operation, NULL, applied_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return prov_target_client_apply_finish (target_client, result, &retry_after, error);
}

/* The server ignores the filter and lists someone else: nothing of theirs
 * is overwritten, and the operation fails with a sentence. */
static void
test_lookup_other_user (void)
{
  Peer peer = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  peer_start (&peer, "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],"
                     " \"totalResults\": 1, \"startIndex\": 1, \"itemsPerPage\": 1,"
                     " \"Resources\": [{\"id\": \"other-id\", \"userName\": \"someone.else\"}]}");
  id = create_user (&peer, &error);

  for (guint i = 0; i < peer.requests->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (peer.requests, i));
  g_assert_cmpuint (count_requests (&peer, "POST " USERS_PATH), >=, 1);
  g_assert_cmpuint (count_requests (&peer, "GET " USERS_PATH), >=, 1);
  g_assert_cmpuint (count_requests (&peer, "PUT "), ==, 0);
  g_assert_null (id);
  g_assert_nonnull (error);
  g_assert_true (error->domain == PROV_ERROR);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("%s", error->message);

  peer_stop (&peer);
}

/* The lookup asks for the one user by name; SCIM compares userName
 * without case, so "USER00001" is the same user. */
static void
test_lookup_same_user_other_case (void)
{
  Peer peer = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  peer_start (&peer, "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],"
                     " \"totalResults\": 1, \"startIndex\": 1, \"itemsPerPage\": 1,"
                     " \"Resources\": [{\"id\": \"the-id\", \"userName\": \"USER00001\"}]}");
  id = create_user (&peer, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (peer.filter, ==, "userName eq \"user00001\"");
  g_assert_cmpstr (id, ==, "the-id");
  g_assert_cmpuint (count_requests (&peer, "PUT " USERS_PATH "/the-id"), ==, 1);

  peer_stop (&peer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lookup/other-user", test_lookup_other_user);
  g_test_add_func ("/lookup/same-user-other-case", test_lookup_same_user_other_case);

  return g_test_run ();
}
