/* test-engine.c — provisioning runs against the in-process test peer
 *
 * The engine (ProvEngine) against prov_test_server: SAP Jam and
 * Identity Provisioning targets built in code with their secrets set
 * directly, users from ProvUser JSON, what was pushed and the journal in a
 * temporary folder, and every wait scaled down (TIME_SCALE) so retries,
 * Retry-After and the rate limits' minute take milliseconds. Assertions
 * are about what the server holds and what it was sent — counts, never
 * wall-clock upper bounds. The helpers are in engine-fixture.c; the
 * target client, the plan, ProvRun, the journal and the rate limiter have
 * test programs of their own.
 *
 * A helper mode, `test-engine --child-run DIR PORT N`, provisions N users
 * to the server at 127.0.0.1:PORT; the SIGKILL test runs it as a child
 * process (the server stays in this one) and kills it mid-run.
 *
 * Faults, retries and timeouts are in test-engine-faults.c.
 *
 * Some of these found core bugs, and guard their fixes: rate-limit-respected
 * (the limiter counted sends, the server counts arrivals),
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

#include "engine-fixture.h"

/* First run, second run, changes */

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

/* Cancelling while the engine waits out a Retry-After ends the run (the
 * wait may be a minute, here ten), and nothing is sent after the cancel. */
static void
test_cancel_during_retry_wait (Fixture       *f,
                               gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (5);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) again = NULL;
  /* 60 s, ten times slower: a wait no run outlasts but by its cancel. */
  RunOptions options = { .concurrency = 1, .time_scale = OUTLASTS_PATIENCE, .cancel_on_status = 429 };
  guint posts;

  prov_test_server_set_retry_after (f->server, 60);
  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_STATUS, 429, 1);
  run = run_engine (f, target, users, TRUE, &options);
  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run->cancelled_at, >, 0);
  g_test_message ("cancelled during a 10 min wait: the run ended %" G_GINT64_FORMAT " ms later",
                  (g_get_monotonic_time () - run->cancelled_at) / 1000);

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
  /* Two a minute, each minute ten long; cancelled once two are done. */
  RunOptions options = { .concurrency = 4, .time_scale = OUTLASTS_PATIENCE, .cancel_after = 2 };

  prov_target_system_set_rate_per_minute (target, 2);
  run = run_engine (f, target, users, TRUE, &options);
  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled while waiting for a 10 min window: the run ended %" G_GINT64_FORMAT " ms later",
                  (g_get_monotonic_time () - run->cancelled_at) / 1000);

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

/* Cancel while the target sits on the writes: the run ends before the
 * server makes any of them, the writes' outcome is unknown, and the next
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
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, store_of (kind), IPS_SYSTEM), ==, 0);
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

/* Cancelled while the lookup after a 409 waits for a rate-limit slot (ten
 * real minutes here): the run ends and the lookup is never sent. */
static void
test_cancel_during_lookup_rate_wait (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (1);
  g_autoptr(JsonObject) stale = user_json (1, "Stale", TRUE);
  g_autoptr(Run) run = NULL;
  RunOptions options = { .time_scale = OUTLASTS_PATIENCE, .cancel_after_ms = 500 };

  prov_test_server_put_user (f->server, PROV_TEST_STORE_JAM, NULL, stale);
  prov_target_system_set_rate_per_minute (target, 1);
  run = run_engine (f, target, users, TRUE, &options);

  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (prov_engine_get_n_unknown (run->engine), ==, 1);
  spin (200);
  g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH), ==, 1);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", JAM_USERS_PATH), ==, 0);
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
  prov_engine_run_async (engine, plan, NULL, got_result_cb, &result);
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
  prov_engine_run_async (engine, plan, NULL, got_result_cb, &result);
  if (!prov_engine_run_finish (engine, wait_for (&result), &error))
    goto failed;

  return 0;

failed:
  g_printerr ("child run: %s\n", error->message);
  return 1;
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

int
main (int   argc,
      char *argv[])
{
  if (argc >= 2 && g_str_equal (argv[1], "--child-run"))
    return child_run (argc, argv);

  g_test_init (&argc, &argv, NULL);

#define ADD ENGINE_TEST_ADD
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

  ADD ("jam/rate-limit-respected", KIND_JAM, test_rate_limit_respected);
  ADD ("ips/rate-limit-respected", KIND_IPS, test_rate_limit_respected);
  ADD ("jam/concurrency-bounded", KIND_JAM, test_concurrency_bounded);
  ADD ("ips/concurrency-bounded", KIND_IPS, test_concurrency_bounded);

#undef ADD

  return g_test_run ();
}
