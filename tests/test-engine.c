/* test-engine.c — provisioning runs against the in-process test peer
 *
 * The engine (and ProvRun around it) against prov_test_server: SAP Jam and
 * Identity Provisioning targets built in code with their secrets set
 * directly, users from ProvUser JSON, what was pushed and the journal in a
 * temporary folder, and every wait scaled down (TIME_SCALE) so retries,
 * Retry-After and the rate limits' minute take milliseconds. Assertions
 * are about what the server holds and what it was sent — counts, never
 * wall-clock upper bounds.
 *
 * ProvRun loads secrets from the keyring: meson runs this program through
 * with-keyring.sh (a private, unlocked gnome-keyring).
 *
 * A helper mode, `test-engine --child-run DIR PORT N`, provisions N users
 * to the server at 127.0.0.1:PORT; the SIGKILL test runs it as a child
 * process (the server stays in this one) and kills it mid-run.
 *
 * Some of these found core bugs, and guard their fixes: rate-limit-respected
 * (the limiter counted sends, the server counts arrivals), fault/…/drop
 * (libsoup resent a restarted request without its body),
 * cancel-during-retry-wait and cancel-during-rate-wait (a cancel waited out
 * a Retry-After or a rate-limit window, then sent anyway).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "prov-csv-reader.h"
#include "prov-engine.h"
#include "prov-error.h"
#include "prov-journal.h"
#include "prov-plan.h"
#include "prov-push-state.h"
#include "prov-rate-limiter.h"
#include "prov-run.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-test-server.h"
#include "prov-user.h"

/* Real minutes become 0.6 s, SAP's 30 s between tries 0.3 s. */
#define TIME_SCALE 0.01

#define JAM_CLIENT_ID     "jam-client"
#define JAM_CLIENT_SECRET "jam-secret"
#define IPS_USER          "ips-technical-user"
#define IPS_PASSWORD      "ips-password"
#define IAS_CLIENT_ID     "ias-client"
#define IAS_SECRET        "ias-secret"
#define IPS_SYSTEM        "sys1"

#define JAM_USERS_PATH "/api/v1/scim/Users"
#define IPS_USERS_PATH "/ipsproxy/service/api/v1/systems/" IPS_SYSTEM "/entities/user"

typedef enum
{
  KIND_JAM,
  KIND_IPS,
} Kind;

typedef struct
{
  ProvTestServer *server;
  ProvHttpClient *client;
  char           *dir;
  char           *journal_dir;
} Fixture;

/* Helpers: files */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Helpers: waiting on the main context (the server lives in it too) */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the server finish what it still holds (delayed answers). */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Helpers: users */

static JsonObject *
user_json (guint       i,
           const char *family_name,
           gboolean    active)
{
  g_autofree char *default_family = g_strdup_printf ("Family%u", i);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  JsonObject *object;

  text = g_strdup_printf ("{\"schemas\":[\"" PROV_SCIM_SCHEMA_USER "\"],"
                          "\"id\":\"src-%05u\",\"userName\":\"user%05u\","
                          "\"name\":{\"givenName\":\"Given%u\",\"familyName\":\"%s\"},"
                          "\"emails\":[{\"value\":\"user%05u@example.com\",\"primary\":true,\"type\":\"work\"}],"
                          "\"active\":%s,\"userType\":\"employee\",\"title\":\"Engineer\","
                          "\"locale\":\"en_US\"}",
                          i, i, i, family_name ? family_name : default_family, i,
                          active ? "true" : "false");
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

static ProvUser *
user_new (guint       i,
          const char *family_name,
          gboolean    active)
{
  g_autoptr(JsonObject) json = user_json (i, family_name, active);
  g_autoptr(GError) error = NULL;
  ProvUser *user = prov_user_new_from_json (json, &error);

  g_assert_no_error (error);
  return user;
}

/* Users 1 … @n with their default attributes. */
static GPtrArray *
users_new (guint n)
{
  GPtrArray *users = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= n; i++)
    g_ptr_array_add (users, user_new (i, NULL, TRUE));
  return users;
}

/* Removes user number @i (1-based) from @users. */
static void
users_remove (GPtrArray *users,
              guint      i)
{
  g_autofree char *name = g_strdup_printf ("user%05u", i);

  for (guint k = 0; k < users->len; k++)
    {
      if (g_str_equal (prov_user_get_user_name (g_ptr_array_index (users, k)), name))
        {
          g_ptr_array_remove_index (users, k);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
users_replace (GPtrArray *users,
               guint      i,
               ProvUser  *user)
{
  g_autofree char *name = g_strdup_printf ("user%05u", i);

  for (guint k = 0; k < users->len; k++)
    {
      if (g_str_equal (prov_user_get_user_name (g_ptr_array_index (users, k)), name))
        {
          g_object_unref (g_ptr_array_index (users, k));
          users->pdata[k] = user;
          return;
        }
    }
  g_assert_not_reached ();
}

/* Helpers: targets */

static ProvTargetSystem *
target_new (const char *base_url,
            Kind        kind)
{
  ProvTargetSystem *target;
  g_autofree char *url = NULL;
  g_autofree char *token_url = NULL;

  if (kind == KIND_JAM)
    {
      target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
      prov_target_system_set_display_name (target, "Jam under test");
      prov_target_system_set_url (target, base_url);
      prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
      token_url = g_strconcat (base_url, "/api/v1/auth/token", NULL);
      prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, JAM_CLIENT_SECRET);
    }
  else
    {
      target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
      prov_target_system_set_display_name (target, "IPS under test");
      url = g_strconcat (base_url, IPS_USERS_PATH, NULL);
      prov_target_system_set_url (target, url);
      prov_target_system_set_version (target, PROV_SCIM_VERSION_2);
      prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_BASIC);
      prov_target_system_set_text (target, PROV_FIELD_USERNAME, IPS_USER);
      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, IPS_PASSWORD);
    }

  return target;
}

static const char *
users_path (Kind kind)
{
  return kind == KIND_JAM ? JAM_USERS_PATH : IPS_USERS_PATH;
}

static ProvTestStore
store_of (Kind kind)
{
  return kind == KIND_JAM ? PROV_TEST_STORE_JAM : PROV_TEST_STORE_IPS;
}

static char *
state_path (Fixture          *f,
            ProvTargetSystem *target)
{
  g_autofree char *name = g_strconcat ("pushed-", prov_target_system_get_uuid (target), ".json", NULL);
  return g_build_filename (f->dir, name, NULL);
}

/* What was pushed, as the next run would load it from disk. */
static ProvPushState *
state_load (Fixture          *f,
            ProvTargetSystem *target)
{
  g_autofree char *path = state_path (f, target);
  g_autoptr(GError) error = NULL;
  ProvPushState *state = prov_push_state_new (prov_target_system_get_uuid (target), path);

  prov_push_state_load (state, &error);
  g_assert_no_error (error);
  return state;
}

/* Helpers: the server's side */

static guint
count_writes (ProvTestServer *server,
              const char     *path_prefix)
{
  return prov_test_server_count_requests (server, "POST", path_prefix) +
         prov_test_server_count_requests (server, "PUT", path_prefix) +
         prov_test_server_count_requests (server, "PATCH", path_prefix) +
         prov_test_server_count_requests (server, "DELETE", path_prefix);
}

static const char *
family_name_of (JsonObject *user)
{
  JsonObject *name = json_object_get_object_member (user, "name");

  return name ? json_object_get_string_member_with_default (name, "familyName", NULL) : NULL;
}

/* The store holds every user of @users exactly once, with the source's
 * family name and status, plus exactly @n_gone others (users that left the
 * source and were deactivated, not deleted). Nothing lost, nothing twice. */
static void
assert_store_matches (ProvTestServer *server,
                      Kind            kind,
                      GPtrArray      *users,
                      guint           n_gone)
{
  g_autoptr(JsonArray) stored = prov_test_server_dup_users (server, store_of (kind), IPS_SYSTEM);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = json_array_get_length (stored);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *user = json_array_get_object_element (stored, i);
      const char *user_name = json_object_get_string_member_with_default (user, "userName", NULL);
      char *key;

      g_assert_nonnull (user_name);
      key = g_utf8_casefold (user_name, -1);
      if (!g_hash_table_add (seen, key))
        g_error ("%s is on the server twice", user_name);
    }

  for (guint i = 0; i < users->len; i++)
    {
      ProvUser *source = g_ptr_array_index (users, i);
      g_autoptr(JsonObject) user = prov_test_server_find_user (server, store_of (kind), IPS_SYSTEM,
                                                               prov_user_get_user_name (source));

      if (user == NULL)
        g_error ("%s is missing on the server", prov_user_get_user_name (source));
      g_assert_cmpstr (family_name_of (user), ==, prov_user_get_family_name (source));
      g_assert_cmpint (json_object_get_boolean_member_with_default (user, "active", TRUE), ==,
                       prov_user_get_active (source));
    }

  g_assert_cmpuint (n, ==, users->len + n_gone);
}

static gboolean
server_user_active (ProvTestServer *server,
                    Kind            kind,
                    guint           i)
{
  g_autofree char *name = g_strdup_printf ("user%05u", i);
  g_autoptr(JsonObject) user = prov_test_server_find_user (server, store_of (kind), IPS_SYSTEM, name);

  g_assert_nonnull (user);
  return json_object_get_boolean_member_with_default (user, "active", TRUE);
}

/* Helpers: one engine run, as the app makes it */

typedef struct
{
  guint    concurrency;   /* 0: the engine's default */
  guint    retries;       /* 0: the engine's default; use 1 + n for n */
  gboolean unlimited;
  double   time_scale;    /* 0: TIME_SCALE */
  guint    cancel_after;  /* cancel once this many are done; 0: never */
  guint    cancel_on_status; /* cancel once the server answered this; 0: never */
  guint    cancel_after_ms;  /* cancel this long after the start; 0: never */
} RunOptions;

typedef struct
{
  ProvPlan       *plan;
  ProvEngine     *engine;
  ProvJournal    *journal;
  GError         *error;
  gint64          elapsed;   /* µs */
  gint64          cancelled_at;
  GCancellable   *cancellable;
  guint           cancel_after;
  guint           cancel_on_status;
  ProvTestServer *server;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->plan);
  g_clear_object (&run->engine);
  g_clear_object (&run->journal);
  g_clear_error (&run->error);
  g_clear_object (&run->cancellable);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
run_cancel (Run *run)
{
  if (g_cancellable_is_cancelled (run->cancellable))
    return;
  run->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (run->cancellable);
}

static void
progress_cancel_cb (ProvEngine *engine,
                    guint       done,
                    guint       total,
                    Run        *run)
{
  if (run->cancel_after > 0 && done >= run->cancel_after)
    run_cancel (run);
}

static gboolean
status_cancel_cb (gpointer data)
{
  Run *run = data;

  if (prov_test_server_count_responses (run->server, run->cancel_on_status, NULL) == 0)
    return G_SOURCE_CONTINUE;
  run_cancel (run);
  return G_SOURCE_REMOVE;
}

static gboolean
timer_cancel_cb (gpointer data)
{
  run_cancel (data);
  return G_SOURCE_REMOVE;
}

static Run *
run_engine (Fixture          *f,
            ProvTargetSystem *target,
            GPtrArray        *users,
            gboolean          complete,
            const RunOptions *options)
{
  static const RunOptions defaults = { 0, };
  g_autoptr(ProvPushState) state = state_load (f, target);
  g_autoptr(GAsyncResult) result = NULL;
  Run *run = g_new0 (Run, 1);
  guint status_source = 0;
  guint timer_source = 0;
  gint64 started;

  if (options == NULL)
    options = &defaults;

  run->plan = prov_plan_new (target, state, users, complete, NULL);
  run->journal = prov_journal_new_run (f->journal_dir, target, "all-users", &run->error);
  g_assert_no_error (run->error);

  run->engine = prov_engine_new (f->client, target, state, run->journal);
  prov_engine_set_time_scale (run->engine, options->time_scale > 0 ? options->time_scale : TIME_SCALE);
  if (options->concurrency > 0)
    prov_engine_set_concurrency (run->engine, options->concurrency);
  if (options->retries > 0)
    prov_engine_set_retries (run->engine, options->retries - 1);
  prov_engine_set_unlimited (run->engine, options->unlimited);

  run->cancellable = g_cancellable_new ();
  run->cancel_after = options->cancel_after;
  run->cancel_on_status = options->cancel_on_status;
  run->server = f->server;
  g_signal_connect (run->engine, "progress", G_CALLBACK (progress_cancel_cb), run);
  if (run->cancel_on_status != 0)
    status_source = g_timeout_add (2, status_cancel_cb, run);
  if (options->cancel_after_ms != 0)
    timer_source = g_timeout_add (options->cancel_after_ms, timer_cancel_cb, run);

  started = g_get_monotonic_time ();
  prov_engine_run_async (run->engine, run->plan, run->cancellable, store_result_cb, &result);
  prov_engine_run_finish (run->engine, wait_for (&result), &run->error);
  run->elapsed = g_get_monotonic_time () - started;

  if (status_source != 0 && !g_cancellable_is_cancelled (run->cancellable))
    g_source_remove (status_source);
  if (timer_source != 0 && run->cancelled_at == 0)
    g_source_remove (timer_source);
  g_signal_handlers_disconnect_by_data (run->engine, run);
  return run;
}

/* Runs and expects every operation to succeed. */
static Run *
run_engine_ok (Fixture          *f,
               ProvTargetSystem *target,
               GPtrArray        *users,
               const RunOptions *options)
{
  Run *run = run_engine (f, target, users, TRUE, options);
  GPtrArray *failures = prov_engine_get_failures (run->engine);

  for (guint i = 0; i < failures->len; i++)
    {
      ProvFailure *failure = g_ptr_array_index (failures, i);
      g_test_message ("%s failed: %s", failure->operation->user_name, failure->message);
    }
  g_assert_no_error (run->error);
  g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 0);
  g_assert_cmpuint (prov_engine_get_n_succeeded (run->engine), ==,
                    prov_plan_get_operations (run->plan)->len);
  return run;
}

/* The next run would send nothing: what was pushed matches the source. */
static void
assert_converged (Fixture          *f,
                  ProvTargetSystem *target,
                  GPtrArray        *users)
{
  g_autoptr(ProvPushState) state = state_load (f, target);
  g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);

  g_assert_cmpuint (prov_plan_get_operations (plan)->len, ==, 0);
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (f->server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  prov_test_server_add_client (f->server, IPS_USER, IPS_PASSWORD);
  prov_test_server_add_client (f->server, IAS_CLIENT_ID, IAS_SECRET);
  prov_test_server_add_ips_system (f->server, IPS_SYSTEM);
  /* Scaled like everything else: 1 s of Retry-After is 10 ms here. */
  prov_test_server_set_retry_after (f->server, 1);

  f->client = prov_http_client_new ();
  f->dir = g_dir_make_tmp ("test-engine-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal_dir = g_build_filename (f->dir, "journal", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  /* Delayed answers of requests the client gave up on still hold the
   * server's messages: let them go out first. */
  spin (10);
  g_clear_object (&f->server);
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->journal_dir, g_free);
}

static ProvTargetSystem *
fixture_target (Fixture       *f,
                gconstpointer  data)
{
  return target_new (prov_test_server_get_base_url (f->server), GPOINTER_TO_INT (data));
}

/* First run, second run, changes */

#define N_USERS 50

static void
test_first_run_creates_all (Fixture       *f,
                            gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) run = NULL;
  g_autoptr(ProvPushState) state = NULL;

  run = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (run->plan, PROV_ACTION_CREATE), ==, N_USERS);
  g_assert_cmpuint (prov_plan_count (run->plan, PROV_ACTION_UPDATE), ==, 0);
  g_assert_cmpuint (prov_engine_get_n_succeeded (run->engine), ==, N_USERS);
  g_assert_cmpuint (prov_engine_get_n_done (run->engine), ==, N_USERS);
  g_assert_cmpuint (prov_engine_get_n_total (run->engine), ==, N_USERS);
  g_assert_cmpuint (prov_engine_get_n_succeeded_for (run->engine, PROV_ACTION_CREATE), ==, N_USERS);
  g_assert_cmpuint (prov_engine_get_n_succeeded_for (run->engine, PROV_ACTION_UPDATE), ==, 0);

  assert_store_matches (f->server, kind, users, 0);
  /* One write per user: no create was sent twice. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), ==, N_USERS);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", users_path (kind)), ==, 0);

  /* What was pushed is on disk, with the target's ids. */
  state = state_load (f, target);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, N_USERS);
  for (guint i = 0; i < users->len; i++)
    {
      const char *name = prov_user_get_user_name (g_ptr_array_index (users, i));
      const ProvPushedUser *pushed = prov_push_state_lookup (state, name);
      g_autoptr(JsonObject) stored = prov_test_server_find_user (f->server, store_of (kind), IPS_SYSTEM, name);

      g_assert_nonnull (pushed);
      g_assert_cmpstr (pushed->id, ==, json_object_get_string_member (stored, "id"));
      g_assert_true (pushed->active);
    }
}

static void
test_second_run_no_writes (Fixture       *f,
                           gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;

  first = run_engine_ok (f, target, users, NULL);
  prov_test_server_clear_requests (f->server);

  /* The same users again, read afresh (new objects, same content). */
  g_clear_pointer (&users, g_ptr_array_unref);
  users = users_new (N_USERS);
  second = run_engine_ok (f, target, users, NULL);

  g_assert_cmpuint (prov_plan_get_operations (second->plan)->len, ==, 0);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_NONE), ==, N_USERS);
  g_assert_false (prov_plan_needs_confirmation (second->plan));
  /* Not one write; in fact not one request at all. */
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 0);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, 0);
  assert_store_matches (f->server, kind, users, 0);
}

static void
test_changed_user_updated (Fixture       *f,
                           gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;

  first = run_engine_ok (f, target, users, NULL);
  prov_test_server_clear_requests (f->server);

  users_replace (users, 7, user_new (7, "Married-Name", TRUE));
  second = run_engine_ok (f, target, users, NULL);

  g_assert_cmpuint (prov_plan_get_operations (second->plan)->len, ==, 1);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_UPDATE), ==, 1);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_NONE), ==, N_USERS - 1);

  /* Exactly one write: a PUT to Jam's user, or IPS's create-or-update POST. */
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 1);
  if (kind == KIND_JAM)
    g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", JAM_USERS_PATH "/"), ==, 1);
  else
    g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", IPS_USERS_PATH), ==, 1);

  assert_store_matches (f->server, kind, users, 0);
  assert_converged (f, target, users);
}

static void
test_removed_user_deactivated (Fixture       *f,
                               gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;
  g_autoptr(Run) third = NULL;

  first = run_engine_ok (f, target, users, NULL);
  prov_test_server_clear_requests (f->server);

  users_remove (users, 3);
  second = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_DEACTIVATE), ==, 1);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_DELETE), ==, 0);
  g_assert_false (prov_plan_get_deprovisioning_skipped (second->plan));
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "DELETE", NULL), ==, 0);

  /* Still there, switched off; everyone else untouched. */
  g_assert_false (server_user_active (f->server, kind, 3));
  assert_store_matches (f->server, kind, users, 1);

  /* Deactivated once is enough. */
  prov_test_server_clear_requests (f->server);
  third = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_get_operations (third->plan)->len, ==, 0);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 0);

  /* A user who comes back is switched on again. */
  g_ptr_array_add (users, user_new (3, NULL, TRUE));
  g_clear_pointer (&third, run_free);
  third = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (third->plan, PROV_ACTION_UPDATE), ==, 1);
  g_assert_true (server_user_active (f->server, kind, 3));
  assert_store_matches (f->server, kind, users, 0);
}

static void
test_inactive_user_deactivated (Fixture       *f,
                                gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;

  first = run_engine_ok (f, target, users, NULL);
  prov_test_server_clear_requests (f->server);

  /* Deactivated in the source (not gone): the status follows it. */
  users_replace (users, 9, user_new (9, NULL, FALSE));
  second = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_DEACTIVATE), ==, 1);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 1);
  g_assert_false (server_user_active (f->server, kind, 9));
  assert_store_matches (f->server, kind, users, 0);
  assert_converged (f, target, users);
}

static void
test_removed_user_deleted (Fixture       *f,
                           gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;
  g_autoptr(ProvPushState) state = NULL;
  g_autoptr(JsonObject) gone = NULL;

  prov_target_system_set_deprovision_mode (target, PROV_DEPROVISION_DELETE);
  first = run_engine_ok (f, target, users, NULL);
  prov_test_server_clear_requests (f->server);

  users_remove (users, 3);
  users_remove (users, 40);
  second = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_DELETE), ==, 2);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "DELETE", users_path (kind)), ==, 2);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 2);

  gone = prov_test_server_find_user (f->server, store_of (kind), IPS_SYSTEM, "user00003");
  g_assert_null (gone);
  assert_store_matches (f->server, kind, users, 0);

  /* Forgotten, so never deleted twice. */
  state = state_load (f, target);
  g_assert_null (prov_push_state_lookup (state, "user00003"));
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, N_USERS - 2);
  assert_converged (f, target, users);
}

/* Faults: each must end in the source's state, nothing lost or twice */

typedef struct
{
  Kind          kind;
  const char   *name;
  ProvTestFault fault;
  int           param;
  guint         times;
  guint         status;  /* the answer the server counts for each fault; 0: none */
} FaultCase;

static const FaultCase fault_cases[] = {
  { KIND_JAM, "jam/429", PROV_TEST_FAULT_STATUS, 429, 5, 429 },
  { KIND_JAM, "jam/503", PROV_TEST_FAULT_STATUS, 503, 5, 503 },
  { KIND_JAM, "jam/502", PROV_TEST_FAULT_STATUS, 502, 5, 502 },
  { KIND_JAM, "jam/drop", PROV_TEST_FAULT_DROP, 0, 5, 0 },
  { KIND_IPS, "ips/429", PROV_TEST_FAULT_STATUS, 429, 5, 429 },
  { KIND_IPS, "ips/503", PROV_TEST_FAULT_STATUS, 503, 5, 503 },
  { KIND_IPS, "ips/502", PROV_TEST_FAULT_STATUS, 502, 5, 502 },
  { KIND_IPS, "ips/drop", PROV_TEST_FAULT_DROP, 0, 5, 0 },
};

static void
fault_set_up (Fixture       *f,
              gconstpointer  data)
{
  const FaultCase *fault = data;
  fixture_set_up (f, GINT_TO_POINTER (fault->kind));
}

static void
fault_tear_down (Fixture       *f,
                 gconstpointer  data)
{
  fixture_tear_down (f, NULL);
}

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *fault = data;
  g_autoptr(ProvTargetSystem) target = target_new (prov_test_server_get_base_url (f->server),
                                                   fault->kind);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) again = NULL;

  prov_test_server_inject_fault (f->server, users_path (fault->kind), fault->fault,
                                 fault->param, fault->times);
  run = run_engine_ok (f, target, users, NULL);

  if (fault->status != 0)
    g_assert_cmpuint (prov_test_server_count_responses (f->server, fault->status, NULL), ==, fault->times);
  if (fault->status == 429)
    g_assert_cmpuint (prov_engine_get_n_rate_limited (run->engine), ==, fault->times);

  /* Every fault was met and got past. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (fault->kind)), >=,
                    N_USERS + fault->times);
  assert_store_matches (f->server, fault->kind, users, 0);
  assert_converged (f, target, users);

  /* Updates meet the same faults the same way. They go over kept-alive
   * connections: a dropped one makes libsoup send the request again by
   * itself, which must carry its body (prov-auth.c, restarted_cb). */
  for (guint i = 1; i <= N_USERS; i += 5)
    users_replace (users, i, user_new (i, "Renamed", TRUE));
  prov_test_server_inject_fault (f->server, users_path (fault->kind), fault->fault,
                                 fault->param, fault->times);
  again = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (again->plan, PROV_ACTION_UPDATE), ==, N_USERS / 5);
  assert_store_matches (f->server, fault->kind, users, 0);
  assert_converged (f, target, users);
}

/* Retry-After is obeyed: the retries wait at least that long. */
static void
test_retry_after_honoured (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (10);
  g_autoptr(Run) run = NULL;

  /* 20 s of the server's time: 200 ms at this scale. */
  prov_test_server_set_retry_after (f->server, 20);
  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_STATUS, 429, 1);
  run = run_engine_ok (f, target, users, NULL);

  g_assert_cmpuint (prov_engine_get_n_rate_limited (run->engine), ==, 1);
  /* A lower bound only: the run cannot end before the wait it was told. */
  g_assert_cmpint (run->elapsed, >=, 20 * G_USEC_PER_SEC * TIME_SCALE);
  assert_store_matches (f->server, KIND_JAM, users, 0);
}

/* A fault that outlasts the retries fails the user, with a reason; the
 * next run picks it up. Tries: 1 + retries (default 2, at most 3), with
 * growing waits between them. */
static void
test_fault_exhausts_retries (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (1);
  struct { guint retries; guint tries; } cases[] = {
    { 0, 1 + PROV_ENGINE_DEFAULT_RETRIES },   /* the default */
    { 1 + 0, 1 },
    { 1 + 3, 4 },
    { 1 + 10, 1 + PROV_ENGINE_MAX_RETRIES },  /* capped */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(Run) run = NULL;
      RunOptions options = { .retries = cases[c].retries };
      GPtrArray *failures;
      ProvFailure *failure;
      gint64 least_wait = 0;

      prov_test_server_clear_requests (f->server);
      prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_STATUS, 503, 0);
      run = run_engine (f, target, users, TRUE, &options);
      prov_test_server_clear_faults (f->server);

      g_assert_no_error (run->error);
      g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 1);
      g_assert_cmpuint (prov_engine_get_n_succeeded (run->engine), ==, 0);
      g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", JAM_USERS_PATH), ==, cases[c].tries);
      g_assert_cmpuint (prov_test_server_count_responses (f->server, 503, NULL), ==, cases[c].tries);

      failures = prov_engine_get_failures (run->engine);
      g_assert_cmpuint (failures->len, ==, 1);
      failure = g_ptr_array_index (failures, 0);
      g_assert_cmpstr (failure->operation->user_name, ==, "user00001");
      g_assert_cmpint (failure->operation->action, ==, PROV_ACTION_CREATE);
      g_assert_nonnull (strstr (failure->message, "503"));

      /* 2 s, 4 s, 8 s of waiting (scaled): a lower bound. */
      for (guint i = 1; i < cases[c].tries; i++)
        least_wait += (2 * G_USEC_PER_SEC << (i - 1)) * TIME_SCALE;
      g_assert_cmpint (run->elapsed, >=, least_wait);
      g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 0);
    }

  /* The service is back: the failed user is created. */
  {
    g_autoptr(Run) again = run_engine_ok (f, target, users, NULL);
    g_assert_cmpuint (prov_plan_count (again->plan, PROV_ACTION_CREATE), ==, 1);
    assert_store_matches (f->server, KIND_JAM, users, 0);
  }
}

/* The server answers after the client stopped waiting: the write may have
 * happened or not, and the retry must cope either way. A client with one
 * second of patience against a 1.5 s delay on three creates. */
static void
check_timeouts (Fixture       *f,
                gconstpointer  data,
                double         time_scale)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (20);
  g_autoptr(Run) run = NULL;
  RunOptions options = { .time_scale = time_scale };

  g_clear_object (&f->client);
  f->client = prov_http_client_new_with_timeout (1);
  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_DELAY, 1500, 3);

  run = run_engine_ok (f, target, users, &options);

  /* Let any late create land, then look. */
  spin (700);
  assert_store_matches (f->server, kind, users, 0);
  assert_converged (f, target, users);
  /* At least one try more for each delayed create (more only if the
   * machine stalls for a second). */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), >=, 20 + 3);
  g_test_message ("timeouts: %u POSTs, %u answered 409, %u PUTs",
                  prov_test_server_count_requests (f->server, "POST", users_path (kind)),
                  prov_test_server_count_responses (f->server, 409, NULL),
                  prov_test_server_count_requests (f->server, "PUT", NULL));
}

/* The retry (20 ms later) comes before the late create: it creates, and
 * the late one is refused as a duplicate. */
static void
test_fault_timeout (Fixture       *f,
                    gconstpointer  data)
{
  check_timeouts (f, data, TIME_SCALE);
}

/* The retry (1 s later) comes after the late create: SAP Jam answers 409
 * and the user is found and updated; Identity Provisioning updates. */
static void
test_fault_timeout_late_create (Fixture       *f,
                                gconstpointer  data)
{
  check_timeouts (f, data, 0.5);
  if (GPOINTER_TO_INT (data) == KIND_JAM)
    {
      g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH), >=, 3);
      g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", JAM_USERS_PATH), ==,
                        prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH));
    }
}

/* A create meets a user with that userName already there (an earlier run
 * whose record was lost, or a resent POST): it becomes an update. */
static void
test_conflict_on_create (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(JsonObject) stale = user_json (5, "Stale", TRUE);
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(ProvPushState) state = NULL;
  const char *id;

  json_object_set_string_member (stale, "id", "pre-existing-id");
  id = prov_test_server_put_user (f->server, PROV_TEST_STORE_JAM, NULL, stale);
  g_assert_cmpstr (id, ==, "pre-existing-id");

  run = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (run->plan, PROV_ACTION_CREATE), ==, N_USERS);
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", JAM_USERS_PATH), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", JAM_USERS_PATH "/pre-existing-id"), ==, 1);

  /* Same user, same id, the source's values; nobody twice. */
  stored = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00005");
  g_assert_cmpstr (json_object_get_string_member (stored, "id"), ==, "pre-existing-id");
  g_assert_cmpstr (family_name_of (stored), ==, "Family5");
  assert_store_matches (f->server, KIND_JAM, users, 0);

  state = state_load (f, target);
  g_assert_cmpstr (prov_push_state_lookup (state, "user00005")->id, ==, "pre-existing-id");
  assert_converged (f, target, users);
}

/* Jam lost a user we know (removed behind our back): the update creates it. */
static void
test_update_of_lost_user (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (10);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;

  first = run_engine_ok (f, target, users, NULL);
  g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00004"));

  users_replace (users, 4, user_new (4, "Changed", TRUE));
  second = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_UPDATE), ==, 1);
  assert_store_matches (f->server, KIND_JAM, users, 0);
  assert_converged (f, target, users);
}

/* A user who left the source and was also removed from SAP Jam by hand:
 * the deactivation finds nobody and is done — it must not create the user
 * only to switch it off. */
static void
test_deactivation_of_lost_user (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (10);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;

  first = run_engine_ok (f, target, users, NULL);
  g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00004"));
  prov_test_server_clear_requests (f->server);

  users_remove (users, 4);
  second = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (second->plan, PROV_ACTION_DEACTIVATE), ==, 1);
  g_assert_cmpuint (prov_engine_get_n_succeeded (second->engine), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", NULL), ==, 0);
  g_assert_null (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00004"));
}

/* Cancel */

static void
test_cancel_then_resume (Fixture       *f,
                         gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (200);
  g_autoptr(Run) cancelled = NULL;
  g_autoptr(Run) resumed = NULL;
  g_autoptr(ProvPushState) state = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  RunOptions options = { .cancel_after = 40 };
  guint on_server;
  guint succeeded;
  guint posts;

  /* Slow enough that the run is still going when it is cancelled. */
  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_DELAY, 5, 0);
  cancelled = run_engine (f, target, users, TRUE, &options);

  g_assert_error (cancelled->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (prov_engine_get_n_done (cancelled->engine), >=, 40);
  g_assert_cmpuint (prov_engine_get_n_done (cancelled->engine), <, 200);
  g_assert_cmpuint (prov_engine_get_n_failed (cancelled->engine), ==, 0);

  /* Cancel cut the requests on the wire short: what was pushed is what
   * was answered; the server may have made some of the others (it serves
   * a delayed request after the client left), whose outcome is unknown. */
  spin (50);
  on_server = prov_test_server_get_n_users (f->server, store_of (kind), IPS_SYSTEM);
  state = state_load (f, target);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, prov_engine_get_n_succeeded (cancelled->engine));
  g_assert_cmpuint (on_server, >=, prov_engine_get_n_succeeded (cancelled->engine));
  g_assert_cmpuint (on_server, <=, prov_engine_get_n_succeeded (cancelled->engine) +
                                   prov_engine_get_n_unknown (cancelled->engine));
  /* Some never reached the server at all. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), <=,
                    prov_engine_get_n_succeeded (cancelled->engine) +
                    prov_engine_get_n_unknown (cancelled->engine));

  /* The journal says it was cancelled. */
  runs = prov_journal_list_runs (f->journal_dir, prov_target_system_get_uuid (target));
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_true (((ProvJournalRun *) g_ptr_array_index (runs, 0))->finished);
  g_assert_true (((ProvJournalRun *) g_ptr_array_index (runs, 0))->cancelled);

  prov_test_server_clear_faults (f->server);
  prov_test_server_clear_requests (f->server);
  resumed = run_engine_ok (f, target, users, NULL);
  succeeded = prov_engine_get_n_succeeded (cancelled->engine);
  g_assert_cmpuint (prov_plan_count (resumed->plan, PROV_ACTION_CREATE), ==, 200 - succeeded);
  g_assert_cmpuint (prov_plan_count (resumed->plan, PROV_ACTION_NONE), ==, succeeded);
  posts = prov_test_server_count_requests (f->server, "POST", users_path (kind));
  g_assert_cmpuint (posts, ==, 200 - succeeded);
  /* The creates that landed unknown to us are found, not made twice (on
   * Identity Provisioning the POST updates them in place). */
  if (kind == KIND_JAM)
    g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, NULL), ==, on_server - succeeded);

  assert_store_matches (f->server, kind, users, 0);
  assert_converged (f, target, users);
}

/* Cancelling while the engine waits out a Retry-After ends the run at once
 * (the wait may be a minute), and nothing is sent after the cancel. */
static void
test_cancel_during_retry_wait (Fixture       *f,
                               gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (5);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) again = NULL;
  /* 60 s, at a tenth of real time: a 6 s wait. */
  RunOptions options = { .concurrency = 1, .time_scale = 0.1, .cancel_on_status = 429 };
  guint posts;

  prov_test_server_set_retry_after (f->server, 60);
  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_STATUS, 429, 1);
  run = run_engine (f, target, users, TRUE, &options);
  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run->cancelled_at, >, 0);
  g_test_message ("cancelled during a 6 s wait: the run ended %" G_GINT64_FORMAT " ms later",
                  (g_get_monotonic_time () - run->cancelled_at) / 1000);
  /* Ends with the cancel, not with the wait; 3 s is a wide margin. */
  g_assert_cmpint (run->elapsed, <, 3 * G_USEC_PER_SEC);

  /* What the server had when the run ended is all it ever gets. */
  posts = prov_test_server_count_requests (f->server, "POST", users_path (kind));
  spin (100);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), ==, posts);
  g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 0);

  prov_test_server_clear_faults (f->server);
  again = run_engine_ok (f, target, users, NULL);
  assert_store_matches (f->server, kind, users, 0);
  assert_converged (f, target, users);
}

/* The same while requests wait for the rate limit's next window. */
static void
test_cancel_during_rate_wait (Fixture       *f,
                              gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (10);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) again = NULL;
  /* Two a minute, the minute 6 s long; cancelled once two are done. */
  RunOptions options = { .concurrency = 4, .time_scale = 0.1, .cancel_after = 2 };

  prov_target_system_set_rate_per_minute (target, 2);
  run = run_engine (f, target, users, TRUE, &options);
  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled while waiting for a 6 s window: the run ended %" G_GINT64_FORMAT " ms later",
                  (g_get_monotonic_time () - run->cancelled_at) / 1000);
  g_assert_cmpint (run->elapsed, <, 3 * G_USEC_PER_SEC);

  /* Only the two that had their slot were ever sent. */
  spin (100);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), ==, 2);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, store_of (kind), IPS_SYSTEM), ==, 2);
  g_assert_cmpuint (prov_engine_get_n_succeeded (run->engine), ==, 2);
  g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 0);

  prov_target_system_set_rate_per_minute (target, 0);
  again = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (again->plan, PROV_ACTION_CREATE), ==, 8);
  assert_store_matches (f->server, kind, users, 0);
}

/* SIGKILL mid-run */

#define KILL_USERS 480
#define KILL_AFTER 440
#define KILL_DELAY_MS 40

typedef struct
{
  ProvTestServer *server;
  GPid            pid;
  gboolean        killed;
  gboolean        exited;
  int             status;
  guint           posts_at_kill;
} Child;

static gboolean
child_poll_cb (gpointer data)
{
  Child *child = data;

  if (child->exited)
    return G_SOURCE_REMOVE;

  if (!child->killed &&
      prov_test_server_count_requests (child->server, "POST", JAM_USERS_PATH) >= KILL_AFTER)
    {
      child->posts_at_kill = prov_test_server_count_requests (child->server, "POST", JAM_USERS_PATH);
      g_assert_cmpint (kill (child->pid, SIGKILL), ==, 0);
      child->killed = TRUE;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  Child *child = data;

  child->status = status;
  child->exited = TRUE;
  g_spawn_close_pid (pid);
}

static void
test_sigkill_then_rerun (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *port = g_strdup_printf ("%u", prov_test_server_get_port (f->server));
  g_autofree char *n_users = g_strdup_printf ("%u", KILL_USERS);
  g_autofree char *child_dir = g_build_filename (f->dir, "child", NULL);
  g_autofree char *child_state = g_build_filename (child_dir, "pushed.json", NULL);
  g_autofree char *child_journal = g_build_filename (child_dir, "journal", NULL);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (KILL_USERS);
  g_autoptr(ProvPushState) state = NULL;
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvJournal) journal = NULL;
  g_autoptr(ProvEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const char *argv[] = { NULL, "--child-run", NULL, NULL, NULL, NULL };
  Child child = { f->server, 0, };
  guint on_server_at_kill;
  guint in_state_at_kill;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (child_dir, 0700), ==, 0);

  /* Every create takes a while, so the child is killed with creates
   * on the wire and (after 2 s) with part of its record saved. */
  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_DELAY, KILL_DELAY_MS, 0);

  argv[0] = self_exe;
  argv[2] = child_dir;
  argv[3] = port;
  argv[4] = n_users;
  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &child.pid, &error);
  g_assert_no_error (error);
  g_child_watch_add (child.pid, child_exited_cb, &child);
  g_timeout_add (2, child_poll_cb, &child);

  while (!child.exited)
    g_main_context_iteration (NULL, TRUE);

  /* Killed, not finished on its own. */
  g_assert_true (child.killed);
  g_assert_true (WIFSIGNALED (child.status));
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGKILL);

  /* Creates the child left on the wire still land; wait them out. */
  prov_test_server_clear_faults (f->server);
  spin (KILL_DELAY_MS * 5);

  on_server_at_kill = prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL);
  g_assert_cmpuint (on_server_at_kill, <, KILL_USERS);
  g_assert_cmpuint (on_server_at_kill, >=, KILL_AFTER - 8);

  /* The child's journal shows a run that never ended. */
  runs = prov_journal_list_runs (child_journal, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_false (((ProvJournalRun *) g_ptr_array_index (runs, 0))->finished);

  /* Run again with whatever record the child left. */
  state = prov_push_state_new (prov_target_system_get_uuid (target), child_state);
  prov_push_state_load (state, &error);
  g_assert_no_error (error);
  in_state_at_kill = prov_push_state_get_n_users (state);
  g_test_message ("killed after %u creates: %u users on the server, %u in the saved record",
                  child.posts_at_kill, on_server_at_kill, in_state_at_kill);
  g_assert_cmpuint (in_state_at_kill, <=, on_server_at_kill);

  prov_test_server_clear_requests (f->server);
  plan = prov_plan_new (target, state, users, TRUE, NULL);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_CREATE), ==, KILL_USERS - in_state_at_kill);
  journal = prov_journal_new_run (f->journal_dir, target, "all-users", &error);
  g_assert_no_error (error);
  engine = prov_engine_new (f->client, target, state, journal);
  prov_engine_set_time_scale (engine, TIME_SCALE);
  prov_engine_run_async (engine, plan, NULL, store_result_cb, &result);
  prov_engine_run_finish (engine, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_engine_get_n_failed (engine), ==, 0);

  /* Users created before the kill but not recorded were found by
   * userName (409 → update), not created twice. */
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH), ==,
                    on_server_at_kill - in_state_at_kill);
  assert_store_matches (f->server, KIND_JAM, users, 0);

  g_clear_object (&state);
  state = prov_push_state_new (prov_target_system_get_uuid (target), child_state);
  prov_push_state_load (state, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, KILL_USERS);
  g_clear_object (&plan);
  plan = prov_plan_new (target, state, users, TRUE, NULL);
  g_assert_cmpuint (prov_plan_get_operations (plan)->len, ==, 0);
}

/* `test-engine --child-run DIR PORT N`: provision users 1 … N to SAP Jam at
 * 127.0.0.1:PORT, recording in DIR. Never writes to stdout. */
static int
child_run (int    argc,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvHttpClient) client = NULL;
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autoptr(ProvPushState) state = NULL;
  g_autoptr(ProvJournal) journal = NULL;
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvEngine) engine = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *state_file = NULL;
  g_autofree char *journal_dir = NULL;

  if (argc != 5)
    {
      g_printerr ("usage: %s --child-run DIR PORT N\n", argv[0]);
      return 2;
    }

  base_url = g_strdup_printf ("http://127.0.0.1:%s", argv[3]);
  state_file = g_build_filename (argv[2], "pushed.json", NULL);
  journal_dir = g_build_filename (argv[2], "journal", NULL);

  client = prov_http_client_new ();
  target = target_new (base_url, KIND_JAM);
  users = users_new ((guint) g_ascii_strtoull (argv[4], NULL, 10));
  state = prov_push_state_new (prov_target_system_get_uuid (target), state_file);
  if (!prov_push_state_load (state, &error))
    goto failed;
  plan = prov_plan_new (target, state, users, TRUE, NULL);
  journal = prov_journal_new_run (journal_dir, target, "all-users", &error);
  if (journal == NULL)
    goto failed;

  engine = prov_engine_new (client, target, state, journal);
  prov_engine_set_time_scale (engine, TIME_SCALE);
  prov_engine_run_async (engine, plan, NULL, store_result_cb, &result);
  if (!prov_engine_run_finish (engine, wait_for (&result), &error))
    goto failed;

  return 0;

failed:
  g_printerr ("child run: %s\n", error->message);
  return 1;
}

/* Deprovisioning guards */

static void
test_empty_source_deprovisions_nobody (Fixture       *f,
                                       gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(GPtrArray) empty = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fewer = users_new (N_USERS - 20);
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) run = NULL;

  first = run_engine_ok (f, target, users, NULL);
  prov_test_server_clear_requests (f->server);

  /* No users at all: looks like everyone left, and must not act on it. */
  run = run_engine_ok (f, target, empty, NULL);
  g_assert_true (prov_plan_get_deprovisioning_skipped (run->plan));
  g_assert_cmpuint (prov_plan_get_operations (run->plan)->len, ==, 0);
  g_clear_pointer (&run, run_free);

  /* No list at all (the read failed). */
  run = run_engine_ok (f, target, NULL, FALSE);
  g_assert_true (prov_plan_get_deprovisioning_skipped (run->plan));
  g_assert_cmpuint (prov_plan_get_operations (run->plan)->len, ==, 0);
  g_clear_pointer (&run, run_free);

  /* A read cut short: the users it has are pushed, nobody is removed. */
  run = run_engine (f, target, fewer, FALSE, NULL);
  g_assert_no_error (run->error);
  g_assert_true (prov_plan_get_deprovisioning_skipped (run->plan));
  g_assert_cmpuint (prov_plan_count (run->plan, PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_cmpuint (prov_plan_count (run->plan, PROV_ACTION_DELETE), ==, 0);

  g_assert_cmpuint (count_writes (f->server, NULL), ==, 0);
  assert_store_matches (f->server, kind, users, 0);
}

/* ProvRun: secrets from the keyring, the source read, plan, engine, journal */

/* meson runs this under with-keyring.sh, which waits until the keyring
 * has its default collection: a refusal is a failure, never a skip. */
static void
save_secrets (ProvSecretStore  *secrets,
              ProvTargetSystem *target)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_secret_store_save_target_async (secrets, target, NULL, store_result_cb, &result);
  prov_secret_store_save_target_finish (secrets, wait_for (&result), &error);
  g_assert_no_error (error);
}

static ProvSource *
tenant_source_new (Fixture *f)
{
  ProvSource *source = prov_source_new ();
  ProvTargetSystem *connection = prov_source_get_connection (source);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_display_name (connection, "Tenant under test");
  prov_target_system_set_url (connection, prov_test_server_get_base_url (f->server));
  prov_target_system_set_version (connection, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, IAS_CLIENT_ID);
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, IAS_SECRET);
  return source;
}

static ProvRun *
prov_run_prepared (Fixture          *f,
                   ProvSecretStore  *secrets,
                   ProvSource       *source,
                   ProvTargetSystem *target,
                   GPtrArray        *users,
                   GError          **error)
{
  g_autofree char *targets_path = g_build_filename (f->dir, "targets.json", NULL);
  g_autoptr(ProvTargetStore) store = prov_target_store_new (targets_path);
  g_autoptr(ProvTargetService) service = prov_target_service_new (store, secrets, f->client, source, NULL);
  g_autoptr(ProvRun) run = prov_run_new (service, target);
  g_autoptr(GAsyncResult) result = NULL;

  prov_run_set_state_dir (run, f->dir);
  prov_run_set_time_scale (run, TIME_SCALE);
  if (users != NULL)
    prov_run_set_users (run, users, TRUE);

  prov_run_prepare_async (run, NULL, store_result_cb, &result);
  prov_run_prepare_finish (run, wait_for (&result), error);
  return g_steal_pointer (&run);
}

static gboolean
prov_run_execute (ProvRun   *run,
                  gboolean   confirmed,
                  GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_run_execute_async (run, confirmed, NULL, store_result_cb, &result);
  return prov_run_execute_finish (run, wait_for (&result), error);
}

static void
test_run_failed_source_read (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = tenant_source_new (f);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonArray) source_users = NULL;

  save_secrets (secrets, target);
  save_secrets (secrets, prov_source_get_connection (source));

  /* A first, complete run straight from the tenant. */
  prov_test_server_generate_source_users (f->server, 30);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 30);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_CREATE), ==, 30);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  summary = prov_run_dup_summary (run);
  g_assert_cmpstr (summary, ==, "30 users provisioned");
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 30);
  g_clear_object (&run);

  /* The tenant is down for maintenance: nothing is planned, so nobody is
   * deprovisioned and nothing at all is written. */
  prov_test_server_clear_requests (f->server);
  prov_test_server_inject_fault (f->server, "/scim/Users", PROV_TEST_FAULT_STATUS, 503, 0);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_MAINTENANCE);
  g_test_message ("failed read: %s", error->message);
  g_assert_null (prov_run_get_plan (run));
  g_assert_cmpuint (count_writes (f->server, JAM_USERS_PATH), ==, 0);
  g_clear_error (&error);
  g_clear_object (&run);

  /* The tenant answers, with no users: deprovisioning is skipped. */
  prov_test_server_clear_faults (f->server);
  source_users = prov_test_server_dup_users (f->server, PROV_TEST_STORE_SOURCE, NULL);
  for (guint i = 0; i < json_array_get_length (source_users); i++)
    prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL,
                                  json_object_get_string_member (json_array_get_object_element (source_users, i),
                                                                 "userName"));
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 0);
  g_assert_true (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_get_operations (prov_run_get_plan (run))->len, ==, 0);
  prov_run_execute (run, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_writes (f->server, JAM_USERS_PATH), ==, 0);

  /* All 30 still there and active. */
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 30);
  for (guint i = 1; i <= 30; i++)
    g_assert_true (server_user_active (f->server, KIND_JAM, i));
}

static void
write_csv (const char *path,
           guint       first,
           guint       last,
           gboolean    bad_rows)
{
  g_autoptr(GString) csv = g_string_new ("userName,name.givenName,name.familyName,emails[0].value,active\n");
  g_autoptr(GError) error = NULL;

  for (guint i = first; i <= last; i++)
    g_string_append_printf (csv, "user%05u,Given%u,Family%u,user%05u@example.com,TRUE\n", i, i, i, i);
  if (bad_rows)
    {
      /* No last name; and a status that is not TRUE or FALSE. */
      g_string_append (csv, "user09998,Given,,user09998@example.com,TRUE\n");
      g_string_append (csv, "user09999,Given,Family,user09999@example.com,maybe\n");
    }

  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

static void
test_run_csv_bad_rows (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autofree char *csv = g_build_filename (f->dir, "users.csv", NULL);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *problems;

  save_secrets (secrets, target);

  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, csv);

  write_csv (csv, 1, 20, FALSE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_CREATE), ==, 20);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&run);

  /* Users 18–20 left, but two rows cannot be read: the file cannot be
   * trusted to list everyone, so nobody is deactivated. */
  prov_test_server_clear_requests (f->server);
  write_csv (csv, 1, 17, TRUE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  problems = prov_run_get_source_problems (run);
  g_assert_cmpuint (g_strv_length ((GStrv) problems), ==, 2);
  g_assert_true (g_str_has_prefix (problems[0], "Line 19"));
  g_assert_true (g_str_has_prefix (problems[1], "Line 20"));
  g_assert_true (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_NONE), ==, 17);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 0);
  g_clear_object (&run);

  /* Fixed: now they go. */
  write_csv (csv, 1, 17, FALSE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 3);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 18; i <= 20; i++)
    g_assert_false (server_user_active (f->server, KIND_JAM, i));
}

static void
test_run_threshold (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;

  save_secrets (secrets, target);

  run = prov_run_prepared (f, secrets, source, target, users, &error);
  g_assert_no_error (error);
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&run);

  /* Ten leavers of fifty: the default threshold is "more than 10". */
  for (guint i = 1; i <= 10; i++)
    users_remove (users, i);
  run = prov_run_prepared (f, secrets, source, target, users, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 10);
  g_assert_false (prov_plan_needs_confirmation (prov_run_get_plan (run)));
  g_clear_object (&run);

  /* Eleven (22 %): over both limits. The run stops before any request. */
  users_remove (users, 11);
  run = prov_run_prepared (f, secrets, source, target, users, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 11);
  g_assert_true (prov_plan_needs_confirmation (prov_run_get_plan (run)));

  prov_test_server_clear_requests (f->server);
  g_assert_false (prov_run_execute (run, FALSE, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_NOT_CONFIRMED);
  g_clear_error (&error);
  g_assert_null (prov_run_get_engine (run));
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, 0);
  for (guint i = 1; i <= 11; i++)
    g_assert_true (server_user_active (f->server, KIND_JAM, i));

  /* Confirmed: it goes. */
  g_assert_true (prov_run_execute (run, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_writes (f->server, NULL), ==, 11);
  for (guint i = 1; i <= 11; i++)
    g_assert_false (server_user_active (f->server, KIND_JAM, i));
  assert_store_matches (f->server, KIND_JAM, users, 11);
}

/* The threshold's percentage, without a server: both limits must be passed. */
static void
test_threshold_percent (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvPushState) state = prov_push_state_new (prov_target_system_get_uuid (target),
                                                        "/nonexistent/never-saved.json");
  g_autoptr(JsonObject) payload = json_object_new ();
  struct { guint removed; gboolean confirm; } cases[] = {
    { 11, FALSE },   /* 1.1 % of 1000 */
    { 50, FALSE },   /* exactly 5 %: not more than */
    { 51, TRUE },
    { 400, TRUE },
  };

  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%05u", i);
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      prov_push_state_record (state, name, id, "hash", TRUE, payload);
    }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) users = users_new (1000 - cases[c].removed);
      g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);

      g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DEACTIVATE), ==, cases[c].removed);
      g_assert_cmpint (prov_plan_needs_confirmation (plan), ==, cases[c].confirm);
    }

  /* Editable per target. */
  prov_target_system_set_threshold_users (target, 500);
  {
    g_autoptr(GPtrArray) users = users_new (600);
    g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);
    g_assert_false (prov_plan_needs_confirmation (plan));
  }
}

/* Rate limits and concurrency */

#define RATE_N 20
#define RATE_WINDOW_MS ((guint) (60 * 1000 * TIME_SCALE))

static void
test_rate_limit_respected (Fixture       *f,
                           gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (3 * RATE_N);
  g_autoptr(Run) run = NULL;

  /* The server allows N a (scaled) minute; the target is set to N. */
  prov_test_server_set_rate_limit (f->server, users_path (kind), RATE_N, RATE_WINDOW_MS);
  prov_target_system_set_rate_per_minute (target, RATE_N);

  run = run_engine_ok (f, target, users, NULL);

  g_assert_cmpuint (prov_test_server_count_responses (f->server, 429, NULL), ==, 0);
  g_assert_cmpuint (prov_engine_get_n_rate_limited (run->engine), ==, 0);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), ==, 3 * RATE_N);
  /* 3N requests at N a window need two windows at least (a lower bound:
   * a slow machine only makes it longer). */
  g_assert_cmpint (run->elapsed, >=, 2 * RATE_WINDOW_MS * 1000);
  g_test_message ("%u requests at %u per %u ms took %" G_GINT64_FORMAT " ms",
                  3 * RATE_N, RATE_N, RATE_WINDOW_MS, run->elapsed / 1000);
  assert_store_matches (f->server, kind, users, 0);
}

static void
test_concurrency_bounded (Fixture       *f,
                          gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  guint concurrency[] = { 1, 4, PROV_ENGINE_DEFAULT_CONCURRENCY };

  for (guint c = 0; c < G_N_ELEMENTS (concurrency); c++)
    {
      g_autoptr(GPtrArray) users = users_new (40);
      g_autoptr(Run) run = NULL;
      RunOptions options = { .concurrency = concurrency[c], .unlimited = TRUE };
      guint peak;

      /* A fresh target each time: nothing pushed yet. */
      g_clear_object (&target);
      target = fixture_target (f, data);
      while (prov_test_server_get_n_users (f->server, store_of (kind), IPS_SYSTEM) > 0)
        {
          g_autoptr(JsonArray) stored = prov_test_server_dup_users (f->server, store_of (kind), IPS_SYSTEM);
          prov_test_server_remove_user (f->server, store_of (kind), IPS_SYSTEM,
                                        json_object_get_string_member (json_array_get_object_element (stored, 0),
                                                                       "userName"));
        }

      prov_test_server_clear_requests (f->server);
      prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_DELAY, 20, 0);
      run = run_engine_ok (f, target, users, &options);
      prov_test_server_clear_faults (f->server);

      peak = prov_test_server_get_max_concurrent (f->server);
      g_test_message ("concurrency %u: at most %u requests at once", concurrency[c], peak);
      g_assert_cmpuint (peak, <=, concurrency[c]);
      if (concurrency[c] > 1)
        g_assert_cmpuint (peak, >, 1);
      assert_store_matches (f->server, kind, users, 0);
    }
}

/* The journal */

static void
test_journal (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (20);
  g_autoptr(Run) run = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *csv_path = g_build_filename (f->dir, "export.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  RunOptions options = { .concurrency = 1 };
  guint n_failed = 0;

  /* One user is refused for good (400 is not worth a retry). */
  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_STATUS, 400, 1);
  run = run_engine (f, target, users, TRUE, &options);
  g_assert_no_error (run->error);
  g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 1);

  runs = prov_journal_list_runs (f->journal_dir, prov_target_system_get_uuid (target));
  g_assert_cmpuint (runs->len, ==, 1);
  {
    ProvJournalRun *summary = g_ptr_array_index (runs, 0);

    g_assert_true (summary->finished);
    g_assert_false (summary->cancelled);
    g_assert_cmpuint (summary->succeeded, ==, 19);
    g_assert_cmpuint (summary->failed, ==, 1);
    g_assert_cmpstr (summary->target_name, ==, "Jam under test");
    g_assert_cmpstr (summary->target_uuid, ==, prov_target_system_get_uuid (target));
    g_assert_cmpstr (summary->path, ==, prov_journal_get_path (run->journal));
  }

  /* Every user once, with its outcome; the failure with its sentence. */
  entries = prov_journal_read_entries (prov_journal_get_path (run->journal), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 20);
  for (guint i = 0; i < entries->len; i++)
    {
      ProvJournalEntry *entry = g_ptr_array_index (entries, i);

      g_assert_true (g_hash_table_add (seen, entry->user_name));
      g_assert_cmpint (entry->action, ==, PROV_ACTION_CREATE);
      g_assert_nonnull (entry->time);
      if (!entry->ok)
        {
          n_failed++;
          g_assert_cmpstr (entry->user_name, ==, "user00001");
          g_assert_nonnull (entry->message);
          g_assert_nonnull (strstr (entry->message, "400"));
        }
      else
        g_assert_null (entry->message);
    }
  g_assert_cmpuint (n_failed, ==, 1);
  for (guint i = 0; i < users->len; i++)
    g_assert_true (g_hash_table_contains (seen, prov_user_get_user_name (g_ptr_array_index (users, i))));

  /* Exported as CSV: a header and one line per user. */
  g_assert_true (prov_journal_export_csv (prov_journal_get_path (run->journal), csv_file, &error));
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,user,action,outcome,message");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 20 + 1);  /* and the empty tail */
  g_assert_cmpstr (lines[21], ==, "");
  for (guint i = 1; i <= 20; i++)
    {
      g_assert_nonnull (strstr (lines[i], "\"create\""));
      if (strstr (lines[i], "\"user00001\"") != NULL)
        g_assert_nonnull (strstr (lines[i], "\"failed\""));
      else
        g_assert_nonnull (strstr (lines[i], "\"ok\",\"\""));
    }
}

/* The limiter counts a request as "now" until answered, then from its
 * answer: never earlier than the server, which counts arrivals. */
static void
test_rate_limiter (void)
{
  const gint64 minute = 1000;
  g_autoptr(ProvRateLimiter) limiter = prov_rate_limiter_new (3, 0, minute);

  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 0), ==, 0);
  prov_rate_limiter_take (limiter, 0);
  prov_rate_limiter_take (limiter, 0);
  prov_rate_limiter_take (limiter, 0);

  /* Three on the way: none may go until one is answered and a window
   * has passed since; look again a window from now. */
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 10), ==, minute);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 5000), ==, minute);

  /* Answered at 100, 150 and 400: slots free a window after each answer,
   * not after each send. */
  prov_rate_limiter_release (limiter, 100);
  prov_rate_limiter_release (limiter, 150);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 200), ==, 100 + minute - 200);
  prov_rate_limiter_release (limiter, 400);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 200), ==, 100 + minute - 200);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 100 + minute), ==, 0);

  /* One more on the way at 1100 holds a slot: at 1150 answers 150 and
   * 400 are still in the window, so that is all three. */
  prov_rate_limiter_take (limiter, 100 + minute);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 1150), ==, 150 + minute - 1150);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 150 + minute), ==, 0);

  /* A pause from the server comes first. */
  prov_rate_limiter_pause_until (limiter, 5000);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 2000), ==, 3000);
}

/* A server that ignores the filter of the lookup after a 409 answers with
 * everyone: only the user whose userName matches may be written over. */
static void
test_lookup_ignores_filter (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(JsonObject) other = user_json (900, "Bystander", TRUE);
  g_autoptr(JsonObject) stale = user_json (5, "Stale", TRUE);
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(Run) run = NULL;

  /* The bystander comes first in every unfiltered answer. */
  json_object_set_string_member (other, "id", "bystander-id");
  prov_test_server_put_user (f->server, PROV_TEST_STORE_JAM, NULL, other);
  json_object_set_string_member (stale, "id", "pre-existing-id");
  /* Differs in case only: SCIM's userName is case-insensitive. */
  json_object_set_string_member (stale, "userName", "USER00005");
  prov_test_server_put_user (f->server, PROV_TEST_STORE_JAM, NULL, stale);
  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_IGNORE_FILTER, 0, 0);

  run = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", JAM_USERS_PATH "/pre-existing-id"), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", JAM_USERS_PATH "/bystander-id"), ==, 0);

  stored = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00900");
  g_assert_cmpstr (family_name_of (stored), ==, "Bystander");
  g_clear_pointer (&stored, json_object_unref);
  stored = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00005");
  g_assert_cmpstr (json_object_get_string_member (stored, "id"), ==, "pre-existing-id");
  g_assert_cmpstr (family_name_of (stored), ==, "Family5");
}

/* The same server, and the user is not among its answer: nothing is
 * written, and the person reads why. */
static void
test_lookup_answers_other_users (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (1);
  g_autoptr(JsonObject) other = user_json (900, "Bystander", TRUE);
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(Run) run = NULL;
  ProvFailure *failure;

  json_object_set_string_member (other, "id", "bystander-id");
  prov_test_server_put_user (f->server, PROV_TEST_STORE_JAM, NULL, other);
  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_STATUS, 409, 1);
  prov_test_server_inject_fault (f->server, JAM_USERS_PATH, PROV_TEST_FAULT_IGNORE_FILTER, 0, 0);

  run = run_engine (f, target, users, TRUE, NULL);
  g_assert_no_error (run->error);
  g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 1);
  failure = g_ptr_array_index (prov_engine_get_failures (run->engine), 0);
  g_assert_cmpstr (failure->message, ==,
                   "127.0.0.1 answered the search for user00001 with other users, so nothing was written; "
                   "the server may not support filtering by user name.");
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", NULL), ==, 0);
  stored = prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00900");
  g_assert_cmpstr (family_name_of (stored), ==, "Bystander");
  g_assert_null (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user00001"));
}

/* Identity Provisioning in front of a standard SCIM server: a POST of an
 * existing userName is 409, so updates, deactivations and retries look the
 * user up and PUT to <SCIM URL>/<id>. */
static void
test_ips_strict_post (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (N_USERS);
  g_autoptr(JsonObject) user7 = NULL;
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;
  g_autoptr(Run) third = NULL;
  g_autoptr(Run) retry = NULL;
  g_autofree char *put7 = NULL;

  prov_test_server_set_ips_strict_post (f->server, TRUE);
  first = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, NULL), ==, 0);
  assert_store_matches (f->server, KIND_IPS, users, 0);

  /* An update and a deactivation. */
  prov_test_server_clear_requests (f->server);
  users_replace (users, 7, user_new (7, "Married-Name", TRUE));
  users_remove (users, 3);
  second = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, IPS_USERS_PATH), ==, 2);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", IPS_USERS_PATH), ==, 2);
  user7 = prov_test_server_find_user (f->server, PROV_TEST_STORE_IPS, IPS_SYSTEM, "user00007");
  put7 = g_strconcat (IPS_USERS_PATH "/", json_object_get_string_member (user7, "id"), NULL);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", put7), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", IPS_USERS_PATH), ==, 2);
  g_assert_false (server_user_active (f->server, KIND_IPS, 3));
  assert_store_matches (f->server, KIND_IPS, users, 1);
  assert_converged (f, target, users);

  /* A PUT that fails is retried by the next run the same way. */
  prov_test_server_clear_requests (f->server);
  users_replace (users, 8, user_new (8, "Other-Name", TRUE));
  prov_test_server_inject_fault (f->server, IPS_USERS_PATH "/", PROV_TEST_FAULT_STATUS, 500, 1);
  third = run_engine (f, target, users, TRUE, NULL);
  g_assert_cmpuint (prov_engine_get_n_failed (third->engine), ==, 1);
  retry = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (retry->plan, PROV_ACTION_UPDATE), ==, 1);
  assert_store_matches (f->server, KIND_IPS, users, 1);
  assert_converged (f, target, users);
}

/* Cancel while the target sits on the writes: the run ends within 2 s
 * whatever the server does, the writes' outcome is unknown, and the next
 * run converges without a duplicate — the writes did land after all. */
static void
test_cancel_during_slow_write (Fixture       *f,
                               gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (5);
  g_autoptr(Run) cancelled = NULL;
  g_autoptr(Run) next = NULL;
  g_autoptr(ProvPushState) state = NULL;
  RunOptions options = { .cancel_after_ms = 300 };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  /* Identity Provisioning as a standard SCIM server: a second POST is 409. */
  prov_test_server_set_ips_strict_post (f->server, TRUE);
  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_DELAY, 3000, 0);
  cancelled = run_engine (f, target, users, TRUE, &options);

  g_assert_error (cancelled->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled->elapsed, <, (300 + 2000) * 1000);
  g_assert_cmpuint (prov_engine_get_n_unknown (cancelled->engine), ==, 5);
  g_assert_cmpuint (prov_engine_get_n_succeeded (cancelled->engine), ==, 0);
  g_assert_cmpuint (prov_engine_get_n_failed (cancelled->engine), ==, 0);
  state = state_load (f, target);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, 0);

  /* The journal says so, user by user. */
  entries = prov_journal_read_entries (prov_journal_get_path (cancelled->journal), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  for (guint i = 0; i < entries->len; i++)
    {
      ProvJournalEntry *entry = g_ptr_array_index (entries, i);

      g_assert_false (entry->ok);
      g_assert_true (g_str_has_prefix (entry->message, "Outcome unknown: "));
    }

  /* The server makes the writes anyway, after the client left. */
  spin (3200);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, store_of (kind), IPS_SYSTEM), ==, 5);

  prov_test_server_clear_faults (f->server);
  prov_test_server_clear_requests (f->server);
  next = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, users_path (kind)), ==, 5);
  assert_store_matches (f->server, kind, users, 0);
  assert_converged (f, target, users);
}

/* A tenant that caps its pages at 50 and reports totalResults as the
 * page's size: every user is still read and provisioned; deprovisioning
 * trusts the read only when an empty page proved its end. */
static void
test_run_capped_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(ProvSource) source = tenant_source_new (f);
  g_autoptr(ProvRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *problems;

  save_secrets (secrets, target);
  save_secrets (secrets, prov_source_get_connection (source));
  prov_target_system_set_deprovision_mode (target, PROV_DEPROVISION_DEACTIVATE);

  prov_test_server_generate_source_users (f->server, 120);
  prov_test_server_set_source_page_cap (f->server, 50);
  prov_test_server_set_source_reported_total (f->server, 50);

  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 120);
  problems = prov_run_get_source_problems (run);
  g_assert_nonnull (problems);
  g_assert_cmpstr (problems[0], ==,
                   "127.0.0.1 reported 50 users in total but sent 120; every page up to an empty one was read.");
  prov_run_execute (run, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 120);
  g_clear_object (&run);

  /* One user leaves: the empty page proves the read complete. */
  g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, "user00007"));
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 1);
  prov_run_execute (run, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (server_user_active (f->server, KIND_JAM, 7));
  g_clear_object (&run);

  /* Another leaves, and the server repeats its last page instead of an
   * empty one: the count disagrees with the total and nothing proves the
   * end, so nobody is deprovisioned. */
  g_assert_true (prov_test_server_remove_user (f->server, PROV_TEST_STORE_SOURCE, NULL, "user00008"));
  prov_test_server_set_source_repeat_last_page (f->server, TRUE);
  run = prov_run_prepared (f, secrets, source, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prov_run_get_n_source_users (run), ==, 118);
  g_assert_true (prov_plan_get_deprovisioning_skipped (prov_run_get_plan (run)));
  g_assert_cmpuint (prov_plan_count (prov_run_get_plan (run), PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_true (server_user_active (f->server, KIND_JAM, 8));
}

/* Cancelled while the lookup after a 409 waits for a rate-limit slot (a
 * real minute here): the run ends at once and the lookup is never sent. */
static void
test_cancel_during_lookup_rate_wait (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (1);
  g_autoptr(JsonObject) stale = user_json (1, "Stale", TRUE);
  g_autoptr(Run) run = NULL;
  RunOptions options = { .time_scale = 1.0, .cancel_after_ms = 500 };

  prov_test_server_put_user (f->server, PROV_TEST_STORE_JAM, NULL, stale);
  prov_target_system_set_rate_per_minute (target, 1);
  run = run_engine (f, target, users, TRUE, &options);

  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run->elapsed, <, (500 + 2000) * 1000);
  g_assert_cmpuint (prov_engine_get_n_unknown (run->engine), ==, 1);
  spin (200);
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", JAM_USERS_PATH), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 2 && g_str_equal (argv[1], "--child-run"))
    return child_run (argc, argv);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind, func) \
  g_test_add ("/provisioning/engine/" path, Fixture, GINT_TO_POINTER (kind), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("jam/first-run-creates-all", KIND_JAM, test_first_run_creates_all);
  ADD ("ips/first-run-creates-all", KIND_IPS, test_first_run_creates_all);
  ADD ("jam/second-run-no-writes", KIND_JAM, test_second_run_no_writes);
  ADD ("ips/second-run-no-writes", KIND_IPS, test_second_run_no_writes);
  ADD ("jam/changed-user-updated", KIND_JAM, test_changed_user_updated);
  ADD ("ips/changed-user-updated", KIND_IPS, test_changed_user_updated);
  ADD ("jam/removed-user-deactivated", KIND_JAM, test_removed_user_deactivated);
  ADD ("ips/removed-user-deactivated", KIND_IPS, test_removed_user_deactivated);
  ADD ("jam/inactive-user-deactivated", KIND_JAM, test_inactive_user_deactivated);
  ADD ("ips/inactive-user-deactivated", KIND_IPS, test_inactive_user_deactivated);
  ADD ("jam/removed-user-deleted", KIND_JAM, test_removed_user_deleted);
  ADD ("ips/removed-user-deleted", KIND_IPS, test_removed_user_deleted);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/provisioning/engine/fault/%s", fault_cases[i].name);
      g_test_add (path, Fixture, &fault_cases[i], fault_set_up, test_fault, fault_tear_down);
    }
  ADD ("fault/jam/timeout", KIND_JAM, test_fault_timeout);
  ADD ("fault/ips/timeout", KIND_IPS, test_fault_timeout);
  ADD ("fault/jam/timeout-late-create", KIND_JAM, test_fault_timeout_late_create);
  ADD ("fault/ips/timeout-late-create", KIND_IPS, test_fault_timeout_late_create);
  ADD ("fault/jam/409-on-create", KIND_JAM, test_conflict_on_create);
  ADD ("fault/jam/update-of-lost-user", KIND_JAM, test_update_of_lost_user);
  ADD ("fault/jam/lookup-ignores-filter", KIND_JAM, test_lookup_ignores_filter);
  ADD ("fault/jam/lookup-answers-other-users", KIND_JAM, test_lookup_answers_other_users);
  ADD ("ips/strict-post", KIND_IPS, test_ips_strict_post);
  ADD ("fault/jam/deactivation-of-lost-user", KIND_JAM, test_deactivation_of_lost_user);
  ADD ("fault/jam/retry-after-honoured", KIND_JAM, test_retry_after_honoured);
  ADD ("fault/jam/retries-exhausted", KIND_JAM, test_fault_exhausts_retries);

  ADD ("jam/cancel-then-resume", KIND_JAM, test_cancel_then_resume);
  ADD ("ips/cancel-then-resume", KIND_IPS, test_cancel_then_resume);
  ADD ("jam/cancel-during-slow-write", KIND_JAM, test_cancel_during_slow_write);
  ADD ("ips/cancel-during-slow-write", KIND_IPS, test_cancel_during_slow_write);
  ADD ("jam/cancel-during-lookup-rate-wait", KIND_JAM, test_cancel_during_lookup_rate_wait);
  ADD ("jam/cancel-during-retry-wait", KIND_JAM, test_cancel_during_retry_wait);
  ADD ("ips/cancel-during-retry-wait", KIND_IPS, test_cancel_during_retry_wait);
  ADD ("jam/cancel-during-rate-wait", KIND_JAM, test_cancel_during_rate_wait);
  ADD ("ips/cancel-during-rate-wait", KIND_IPS, test_cancel_during_rate_wait);
  ADD ("jam/sigkill-then-rerun", KIND_JAM, test_sigkill_then_rerun);

  ADD ("jam/empty-source-deprovisions-nobody", KIND_JAM, test_empty_source_deprovisions_nobody);
  ADD ("ips/empty-source-deprovisions-nobody", KIND_IPS, test_empty_source_deprovisions_nobody);
  ADD ("run/failed-source-read", KIND_JAM, test_run_failed_source_read);
  ADD ("run/csv-bad-rows", KIND_JAM, test_run_csv_bad_rows);
  ADD ("run/capped-pages", KIND_JAM, test_run_capped_pages);
  ADD ("run/threshold", KIND_JAM, test_run_threshold);
  g_test_add_func ("/provisioning/engine/plan/threshold-percent", test_threshold_percent);
  g_test_add_func ("/provisioning/engine/rate-limiter", test_rate_limiter);

  ADD ("jam/rate-limit-respected", KIND_JAM, test_rate_limit_respected);
  ADD ("ips/rate-limit-respected", KIND_IPS, test_rate_limit_respected);
  ADD ("jam/concurrency-bounded", KIND_JAM, test_concurrency_bounded);
  ADD ("ips/concurrency-bounded", KIND_IPS, test_concurrency_bounded);

  ADD ("jam/journal", KIND_JAM, test_journal);

#undef ADD

  return g_test_run ();
}
