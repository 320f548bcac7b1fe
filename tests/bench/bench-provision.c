/* bench-provision.c — how fast the engine creates users, against curl
 *
 * Not a test: it prints numbers and asserts no wall-clock time. Run it with
 *
 *     tests/bench/run-bench.sh build            # or: meson test -C build --benchmark -v
 *
 * In one process: the in-process SAP Jam peer (prov_test_server, plain HTTP
 * on 127.0.0.1) and, for each size (500 and 5,000 users by default), the
 * same creates several ways, each against an empty user store:
 *
 *   engine       ProvEngine with the target's rate limits off
 *                (prov_engine_set_unlimited), default concurrency, the peer
 *                running in a thread of its own in this process;
 *   engine, same thread
 *                the same with the peer in the engine's own thread and main
 *                loop, as the tests run it: client and server then share
 *                one core, which curl (another process) never has to;
 *   shell loop   `for f in …; do curl … --data-binary @"$f" URL; done`:
 *                one curl process, one connection per user;
 *   single curl  one `curl -K config` whose config holds a url/data pair per
 *                user separated by `next`: one process reusing its
 *                connection.
 *
 * A first, unmeasured engine run of 50 users loads what a process loads
 * once (GIO modules, the proxy resolver) — paid once when the app starts.
 *
 * The curl runs carry a Bearer token from the peer's token endpoint and the
 * same JSON bodies the engine sends. Each run's users/s and the ratios
 * engine/shell-loop and engine/single-curl are printed (goal of issue 4: at
 * least 8× the shell loop, at least as fast as the single curl).
 *
 * Then, rate-limited: the peer refuses more than 200 requests in any
 * (scaled) minute of 1 s, the target keeps SAP Jam's 200 a minute with the
 * engine's minute scaled to 1 s, and 500 users are created. Printed: the
 * time the limit allows (the engine's own estimate: the last request may go
 * once two full windows have passed), the time taken, their ratio (goal: at
 * most 1.05), the excess in milliseconds (about what the last hundred take
 * at the engine's pace, and one answer's latency a window: fixed, so it
 * shrinks with a longer scaled minute) and the 429 count (goal: 0).
 *
 * Options: --sizes 500,5000   --concurrency N   --skip-curl
 *          --rate-window-ms MS (the scaled minute, 1000)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "prov-engine.h"
#include "prov-journal.h"
#include "prov-mapping.h"
#include "prov-plan.h"
#include "prov-push-state.h"
#include "prov-rate-limiter.h"
#include "prov-test-server.h"
#include "prov-user.h"
#include "test-helpers.h"

#define JAM_CLIENT_ID     "bench-client"
#define JAM_CLIENT_SECRET "bench-secret"
#define JAM_USERS_PATH    "/api/v1/scim/Users"

#define RATE_LIMIT        200     /* a minute, SAP Jam's */
#define RATE_WINDOW_MS    1000    /* the scaled minute */
#define RATE_USERS        500

/* The peer, in this thread (context NULL) or in a thread of its own. It is
 * not thread-safe: every call goes to its thread. */
typedef struct
{
  ProvTestServer *server;
  GMainContext   *context;
  GMainLoop      *loop;
  GThread        *thread;
  char           *base_url;
  GMutex          mutex;
  GCond           cond;
} Peer;

static char *opt_sizes = NULL;
static int opt_concurrency = 0;
static gboolean opt_skip_curl = FALSE;
static int opt_rate_window_ms = RATE_WINDOW_MS;

static GOptionEntry entries[] = {
  { "sizes", 0, 0, G_OPTION_ARG_STRING, &opt_sizes, "Numbers of users, comma-separated (500,5000)", "N,N" },
  { "concurrency", 0, 0, G_OPTION_ARG_INT, &opt_concurrency, "Engine concurrency (default: the engine's)", "N" },
  { "skip-curl", 0, 0, G_OPTION_ARG_NONE, &opt_skip_curl, "Only the engine", NULL },
  { "rate-window-ms", 0, 0, G_OPTION_ARG_INT, &opt_rate_window_ms, "The scaled minute of the rate-limited run (1000)", "MS" },
  { NULL }
};

/* Helpers */

typedef struct
{
  Peer        *peer;
  GSourceFunc  func;
  gpointer     data;
  gboolean     done;
} PeerCall;

static gboolean
peer_call_cb (gpointer data)
{
  PeerCall *call = data;

  call->func (call->data);
  g_mutex_lock (&call->peer->mutex);
  call->done = TRUE;
  g_cond_broadcast (&call->peer->cond);
  g_mutex_unlock (&call->peer->mutex);
  return G_SOURCE_REMOVE;
}

/* Runs @func (@data) where the peer lives, and waits for it. */
static void
peer_call (Peer        *peer,
           GSourceFunc  func,
           gpointer     data)
{
  PeerCall call = { peer, func, data, FALSE };

  if (peer->context == NULL)
    {
      func (data);
      return;
    }

  g_main_context_invoke (peer->context, peer_call_cb, &call);
  g_mutex_lock (&peer->mutex);
  while (!call.done)
    g_cond_wait (&peer->cond, &peer->mutex);
  g_mutex_unlock (&peer->mutex);
}

static gboolean
peer_start_cb (gpointer data)
{
  Peer *peer = data;

  peer->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (peer->server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  peer->base_url = g_strdup (prov_test_server_get_base_url (peer->server));
  return G_SOURCE_REMOVE;
}

static gpointer
peer_thread (gpointer data)
{
  Peer *peer = data;

  g_main_context_push_thread_default (peer->context);
  g_main_loop_run (peer->loop);
  g_main_context_pop_thread_default (peer->context);
  return NULL;
}

static Peer *
peer_new (gboolean own_thread)
{
  Peer *peer = g_new0 (Peer, 1);

  g_mutex_init (&peer->mutex);
  g_cond_init (&peer->cond);
  if (own_thread)
    {
      peer->context = g_main_context_new ();
      peer->loop = g_main_loop_new (peer->context, FALSE);
      peer->thread = g_thread_new ("bench-peer", peer_thread, peer);
    }
  peer_call (peer, peer_start_cb, peer);
  return peer;
}

static gboolean
peer_stop_cb (gpointer data)
{
  Peer *peer = data;

  g_clear_object (&peer->server);
  if (peer->loop != NULL)
    g_main_loop_quit (peer->loop);
  return G_SOURCE_REMOVE;
}

static void
peer_free (Peer *peer)
{
  peer_call (peer, peer_stop_cb, peer);
  if (peer->thread != NULL)
    g_thread_join (peer->thread);
  g_clear_pointer (&peer->loop, g_main_loop_unref);
  g_clear_pointer (&peer->context, g_main_context_unref);
  g_free (peer->base_url);
  g_mutex_clear (&peer->mutex);
  g_cond_clear (&peer->cond);
  g_free (peer);
}

typedef struct
{
  Peer       *peer;
  guint       status;
  guint       count;
  guint       limit;
  guint       window_ms;
  guint       n;
  const char *what;
  gboolean    ok;
} PeerOp;

static gboolean
count_status_cb (gpointer data)
{
  PeerOp *op = data;

  op->count = prov_test_server_count_responses (op->peer->server, op->status, NULL);
  return G_SOURCE_REMOVE;
}

static guint
peer_count_responses (Peer  *peer,
                      guint  status)
{
  PeerOp op = { .peer = peer, .status = status };

  peer_call (peer, count_status_cb, &op);
  return op.count;
}

static gboolean
clear_requests_cb (gpointer data)
{
  prov_test_server_clear_requests (((PeerOp *) data)->peer->server);
  return G_SOURCE_REMOVE;
}

static void
peer_clear_requests (Peer *peer)
{
  PeerOp op = { .peer = peer };

  peer_call (peer, clear_requests_cb, &op);
}

static gboolean
set_rate_limit_cb (gpointer data)
{
  PeerOp *op = data;

  prov_test_server_set_rate_limit (op->peer->server, JAM_USERS_PATH, op->limit, op->window_ms);
  return G_SOURCE_REMOVE;
}

static void
peer_set_rate_limit (Peer  *peer,
                     guint  limit,
                     guint  window_ms)
{
  PeerOp op = { .peer = peer, .limit = limit, .window_ms = window_ms };

  peer_call (peer, set_rate_limit_cb, &op);
}

static ProvUser *
user_new (guint i)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  ProvUser *user;

  text = g_strdup_printf ("{\"schemas\":[\"" PROV_SCIM_SCHEMA_USER "\"],"
                          "\"id\":\"src-%05u\",\"userName\":\"user%05u\","
                          "\"name\":{\"givenName\":\"Given%u\",\"familyName\":\"Family%u\"},"
                          "\"emails\":[{\"value\":\"user%05u@example.com\",\"primary\":true,\"type\":\"work\"}],"
                          "\"active\":true,\"userType\":\"employee\",\"title\":\"Engineer\","
                          "\"locale\":\"en_US\"}",
                          i, i, i, i, i);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  user = prov_user_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return user;
}

static GPtrArray *
users_new (guint n)
{
  GPtrArray *users = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= n; i++)
    g_ptr_array_add (users, user_new (i));
  return users;
}

static ProvTargetSystem *
jam_target_new (Peer *peer)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  const char *base = peer->base_url;
  g_autofree char *token_url = g_strconcat (base, "/api/v1/auth/token", NULL);

  prov_target_system_set_display_name (target, "Bench Jam");
  prov_target_system_set_url (target, base);
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, JAM_CLIENT_SECRET);
  return target;
}

/* Every user created exactly once; then the store is emptied for the next
 * run. FALSE (and a message) when not. */
static gboolean
check_and_clear_cb (gpointer data)
{
  PeerOp *op = data;
  ProvTestServer *server = op->peer->server;
  guint n = op->n;
  const char *what = op->what;
  g_autoptr(JsonArray) stored = prov_test_server_dup_users (server, PROV_TEST_STORE_JAM, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = json_array_get_length (stored) == n;

  for (guint i = 0; i < json_array_get_length (stored); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (stored, i), "userName");

      if (!g_hash_table_add (seen, (gpointer) name))
        ok = FALSE;
    }
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%05u", i);

      if (!g_hash_table_contains (seen, name))
        ok = FALSE;
    }

  if (!ok)
    g_printerr ("%s: the server holds %u users (%u distinct), expected %u\n",
                what, json_array_get_length (stored), g_hash_table_size (seen), n);

  for (guint i = 0; i < json_array_get_length (stored); i++)
    prov_test_server_remove_user (server, PROV_TEST_STORE_JAM, NULL,
                                  json_object_get_string_member (json_array_get_object_element (stored, i),
                                                                 "userName"));
  prov_test_server_clear_requests (server);
  op->ok = ok;
  return G_SOURCE_REMOVE;
}

static gboolean
check_and_clear (Peer       *peer,
                 guint       n,
                 const char *what)
{
  PeerOp op = { .peer = peer, .n = n, .what = what };

  peer_call (peer, check_and_clear_cb, &op);
  return op.ok;
}

/* The engine */

typedef struct
{
  double seconds;
  double plan_seconds;
  guint  n_429;
  guint  failed;
} EngineResult;

static gboolean
run_engine (Peer           *peer,
            guint           n,
            gboolean        unlimited,
            double          time_scale,
            EngineResult   *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-provision-XXXXXX", &error);
  g_autofree char *state_path = NULL;
  g_autofree char *journal_dir = NULL;
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetSystem) target = jam_target_new (peer);
  g_autoptr(GPtrArray) users = users_new (n);
  g_autoptr(ProvPushState) state = NULL;
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvJournal) journal = NULL;
  g_autoptr(ProvEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 started;

  g_assert_no_error (error);
  state_path = g_build_filename (dir, "pushed.json", NULL);
  journal_dir = g_build_filename (dir, "journal", NULL);

  started = g_get_monotonic_time ();
  state = prov_push_state_new (prov_target_system_get_uuid (target), state_path);
  plan = prov_plan_new (target, state, users, TRUE, NULL);
  out->plan_seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_CREATE), ==, n);

  journal = prov_journal_new_run (journal_dir, target, "all-users", &error);
  g_assert_no_error (error);
  engine = prov_engine_new (client, target, state, journal);
  prov_engine_set_unlimited (engine, unlimited);
  prov_engine_set_time_scale (engine, time_scale);
  if (opt_concurrency > 0)
    prov_engine_set_concurrency (engine, opt_concurrency);

  peer_clear_requests (peer);
  started = g_get_monotonic_time ();
  prov_engine_run_async (engine, plan, NULL, got_result_cb, &result);
  if (!prov_engine_run_finish (engine, wait_for (&result), &error))
    {
      g_printerr ("engine: %s\n", error->message);
      return FALSE;
    }
  out->seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  out->n_429 = peer_count_responses (peer, 429);
  out->failed = prov_engine_get_n_failed (engine);

  remove_tree (dir);
  return out->failed == 0;
}

/* curl */

static char *
fetch_token (Peer *peer)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (peer->base_url, "/api/v1/auth/token", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) form = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = soup_form_encode ("grant_type", "client_credentials",
                                            "client_id", JAM_CLIENT_ID,
                                            "client_secret", JAM_CLIENT_SECRET, NULL);

  soup_session_set_proxy_resolver (session, NULL);
  form = g_bytes_new (text, strlen (text));
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", form);
  /* Asynchronously: the peer may answer from this thread's main loop. */
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, got_result_cb, &result);
  body = soup_session_send_and_read_finish (session, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);

  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

/* The Jam payloads, as the engine builds them, one file per user. */
static void
write_bodies (const char *dir,
              guint       n)
{
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(ProvUser) user = user_new (i);
      g_autoptr(JsonObject) payload = prov_mapping_build_jam_user (user);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autofree char *name = g_strdup_printf ("user%05u.json", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
    }
}

typedef struct
{
  gboolean exited;
  int      status;
} ChildWait;

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  ChildWait *wait = data;

  wait->status = status;
  wait->exited = TRUE;
  g_spawn_close_pid (pid);
}

/* Runs @argv while serving requests; its output goes to /dev/null, its
 * errors to ours. Seconds taken, or a negative number on failure. */
static double
spawn_and_serve (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  ChildWait wait = { FALSE, 0 };
  GPid pid;
  gint64 started = g_get_monotonic_time ();

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return -1;
    }
  g_child_watch_add (pid, child_exited_cb, &wait);
  while (!wait.exited)
    g_main_context_iteration (NULL, TRUE);

  if (!g_spawn_check_wait_status (wait.status, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return -1;
    }
  return (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
}

static double
run_shell_loop (Peer       *peer,
                const char *token,
                const char *dir)
{
  g_autofree char *url = g_strconcat (peer->base_url, JAM_USERS_PATH, NULL);
  g_autofree char *auth = g_strconcat ("Authorization: Bearer ", token, NULL);
  g_autofree char *pattern = g_build_filename (dir, "user*.json", NULL);
  /* One curl process a user; -f fails on an HTTP error, so does the loop. */
  const char *script =
    "set -e\n"
    "for f in $BENCH_BODIES; do\n"
    "  curl -sS -f -o /dev/null --noproxy '*' -X POST -H \"$BENCH_AUTH\" "
    "-H 'Content-Type: application/scim+json' --data-binary @\"$f\" \"$BENCH_URL\"\n"
    "done\n";
  const char *argv[] = { "sh", "-c", script, NULL };
  double seconds;

  g_setenv ("BENCH_BODIES", pattern, TRUE);
  g_setenv ("BENCH_AUTH", auth, TRUE);
  g_setenv ("BENCH_URL", url, TRUE);
  seconds = spawn_and_serve (argv);
  g_unsetenv ("BENCH_BODIES");
  g_unsetenv ("BENCH_AUTH");
  g_unsetenv ("BENCH_URL");
  return seconds;
}

static double
run_single_curl (Peer       *peer,
                 const char *token,
                 const char *dir,
                 guint       n)
{
  g_autofree char *url = g_strconcat (peer->base_url, JAM_USERS_PATH, NULL);
  g_autofree char *config_path = g_build_filename (dir, "curl.config", NULL);
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "curl", "-sS", "-f", "--noproxy", "*", "-K", config_path, NULL };

  /* One transfer per user, separated by `next`; curl keeps the connection. */
  for (guint i = 1; i <= n; i++)
    {
      if (i > 1)
        g_string_append (config, "next\n");
      g_string_append_printf (config,
                              "url = \"%s\"\n"
                              "request = \"POST\"\n"
                              "header = \"Authorization: Bearer %s\"\n"
                              "header = \"Content-Type: application/scim+json\"\n"
                              "data-binary = \"@%s/user%05u.json\"\n"
                              "output = \"/dev/null\"\n",
                              url, token, dir, i);
    }
  g_file_set_contents (config_path, config->str, config->len, &error);
  g_assert_no_error (error);

  return spawn_and_serve (argv);
}

/* The runs */

static gboolean
bench_size (Peer       *peer,
            Peer       *same_thread,
            const char *token,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  EngineResult engine = { 0, };
  EngineResult engine_same = { 0, };
  double shell = -1, single = -1;
  double engine_rate, engine_same_rate, shell_rate = 0, single_rate = 0;
  gboolean ok = TRUE;

  ok &= run_engine (peer, n, TRUE, 1.0, &engine);
  ok &= check_and_clear (peer, n, "engine");
  engine_rate = n / engine.seconds;

  ok &= run_engine (same_thread, n, TRUE, 1.0, &engine_same);
  ok &= check_and_clear (same_thread, n, "engine, same thread");
  engine_same_rate = n / engine_same.seconds;

  if (!opt_skip_curl)
    {
      dir = g_dir_make_tmp ("bench-curl-XXXXXX", &error);
      g_assert_no_error (error);
      write_bodies (dir, n);

      shell = run_shell_loop (peer, token, dir);
      ok &= shell > 0 && check_and_clear (peer, n, "shell loop");
      single = run_single_curl (peer, token, dir, n);
      ok &= single > 0 && check_and_clear (peer, n, "single curl");
      remove_tree (dir);

      shell_rate = shell > 0 ? n / shell : 0;
      single_rate = single > 0 ? n / single : 0;
    }

  g_print ("%u users\n", n);
  g_print ("  engine               %8.3f s  %8.0f users/s  (peer in its own thread; plan %.3f s, not counted)\n",
           engine.seconds, engine_rate, engine.plan_seconds);
  g_print ("  engine, same thread  %8.3f s  %8.0f users/s  (peer in the engine's thread)\n",
           engine_same.seconds, engine_same_rate);
  if (!opt_skip_curl)
    {
      g_print ("  shell loop           %8.3f s  %8.0f users/s  (one curl a user)\n", shell, shell_rate);
      g_print ("  single curl          %8.3f s  %8.0f users/s  (curl -K, one connection)\n", single, single_rate);
      g_print ("  engine/shell-loop    %7.1fx  (goal >= 8x: %s); same thread %.1fx\n",
               shell_rate > 0 ? engine_rate / shell_rate : 0,
               shell_rate > 0 && engine_rate >= 8 * shell_rate ? "met" : "NOT met",
               shell_rate > 0 ? engine_same_rate / shell_rate : 0);
      g_print ("  engine/single-curl   %7.2fx  (goal >= 1x: %s); same thread %.2fx\n",
               single_rate > 0 ? engine_rate / single_rate : 0,
               single_rate > 0 && engine_rate >= single_rate ? "met" : "NOT met",
               single_rate > 0 ? engine_same_rate / single_rate : 0);
    }
  return ok;
}

static gboolean
bench_rate_limited (Peer *peer)
{
  guint window_ms = (guint) CLAMP (opt_rate_window_ms, 100, 600000);
  g_autoptr(ProvRateLimiter) limiter =
    prov_rate_limiter_new (RATE_LIMIT, PROV_JAM_REQUESTS_PER_HOUR, (gint64) window_ms * 1000);
  EngineResult engine = { 0, };
  /* What the app tells people (prov_engine_estimate_seconds(), in scaled
   * time): the last of n requests may go once ceil(n / limit) - 1 windows
   * have passed since the first — two here. */
  double allowed = prov_rate_limiter_estimate (limiter, RATE_USERS) / (double) G_USEC_PER_SEC;
  double ratio;
  gboolean ok;

  peer_set_rate_limit (peer, RATE_LIMIT, window_ms);
  /* A minute of window_ms: SAP Jam's 200 a minute stays the target's own
   * limit (its hour, 13,000, then 60 scaled minutes, does not bind). */
  ok = run_engine (peer, RATE_USERS, FALSE, window_ms / 60000.0, &engine);
  ok &= check_and_clear (peer, RATE_USERS, "rate-limited engine");
  peer_set_rate_limit (peer, 0, 0);

  ratio = engine.seconds / allowed;
  g_print ("%u users at %u a minute, the minute scaled to %u ms (peer in its own thread)\n",
           RATE_USERS, RATE_LIMIT, window_ms);
  g_print ("  the limit allows %.3f s; took %.3f s; ratio %.3f (goal <= 1.05: %s); %.0f ms over\n",
           allowed, engine.seconds, ratio, ratio <= 1.05 ? "met" : "NOT met",
           (engine.seconds - allowed) * 1000);
  g_print ("  answered 429: %u (goal 0: %s)\n", engine.n_429, engine.n_429 == 0 ? "met" : "NOT met");
  return ok && engine.n_429 == 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— provisioning benchmark");
  g_autoptr(GError) error = NULL;
  Peer *peer = NULL;
  Peer *same_thread = NULL;
  EngineResult warm_up = { 0, };
  g_autofree char *token = NULL;
  g_auto(GStrv) sizes = NULL;
  gboolean ok = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* Loopback never goes through a proxy from the environment. */
  g_setenv ("no_proxy", "*", TRUE);

  if (!opt_skip_curl && g_find_program_in_path ("curl") == NULL)
    {
      g_printerr ("curl is not installed (apt-get install -y curl); use --skip-curl for the engine only\n");
      return 77;
    }

  peer = peer_new (TRUE);
  same_thread = peer_new (FALSE);
  token = fetch_token (peer);
  g_print ("peer: %s (own thread), %s (same thread); %u cores\n",
           peer->base_url, same_thread->base_url, g_get_num_processors ());

  ok &= run_engine (peer, 50, TRUE, 1.0, &warm_up);
  ok &= check_and_clear (peer, 50, "warm-up");

  sizes = g_strsplit (opt_sizes ? opt_sizes : "500,5000", ",", -1);
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (sizes[i], NULL, 10);

      if (n > 0 && n <= 99999)
        ok &= bench_size (peer, same_thread, token, n);
    }
  ok &= bench_rate_limited (peer);

  peer_free (same_thread);
  peer_free (peer);

  if (!ok)
    g_printerr ("bench-provision: some runs did not create every user exactly once\n");
  return ok ? 0 : 1;
}
