/* test-server-faults.c — the test peer's injected faults and rate limits
 *
 * Status answers, delays, dropped connections, bad bodies and the 429 of
 * a rate limit, as a plain SoupSession meets them (server-fixture.c).
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "server-fixture.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/fault/status", test_fault_status);
  g_test_add_func ("/server/fault/delay", test_fault_delay);
  g_test_add_func ("/server/fault/drop", test_fault_drop);
  g_test_add_func ("/server/fault/bodies", test_fault_bodies);
  g_test_add_func ("/server/rate-limit", test_rate_limit);

  return g_test_run ();
}
