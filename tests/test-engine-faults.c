/* test-engine-faults.c — provisioning runs against a target that fails
 *
 * The engine (ProvEngine) against prov_test_server with faults injected:
 * 429, 502 and 503 answers, dropped connections, Retry-After, retries
 * that run out, answers that come after the client stopped waiting, and a
 * failure every request would meet. Each run must end in the source's
 * state, no user lost or created twice. The fixture (engine-fixture.c)
 * scales every wait down; assertions are about what the server holds and
 * what it was sent, never wall-clock upper bounds.
 *
 * fault/…/drop found a core bug and guards its fix: libsoup resent a
 * restarted request without its body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-fixture.h"

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

/* A failure every request would meet (here 401 on each write: the
 * credentials no longer count) stops the sending: the users not yet sent
 * fail with the same sentence without a request, nothing is recorded as
 * pushed, and the next run sends them all. Thousands of failed logins
 * could lock the technical user. */
static void
test_target_wide_failure (Fixture       *f,
                          gconstpointer  data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(ProvTargetSystem) target = fixture_target (f, data);
  g_autoptr(GPtrArray) users = users_new (200);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) again = NULL;
  GPtrArray *failures;

  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_STATUS, 401, 0);
  run = run_engine (f, target, users, TRUE, NULL);
  prov_test_server_clear_faults (f->server);

  g_assert_no_error (run->error);
  g_assert_cmpuint (prov_engine_get_n_failed (run->engine), ==, 200);
  g_assert_cmpuint (prov_engine_get_n_succeeded (run->engine), ==, 0);
  /* The requests in flight when the first answer came, each perhaps once
   * more with a new token: far fewer than the users. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", users_path (kind)), <=,
                    2 * PROV_ENGINE_DEFAULT_CONCURRENCY);
  failures = prov_engine_get_failures (run->engine);
  g_assert_cmpuint (failures->len, ==, 200);
  for (guint i = 1; i < failures->len; i++)
    g_assert_cmpstr (((ProvFailure *) g_ptr_array_index (failures, i))->message, ==,
                     ((ProvFailure *) g_ptr_array_index (failures, 0))->message);

  again = run_engine_ok (f, target, users, NULL);
  g_assert_cmpuint (prov_plan_count (again->plan, PROV_ACTION_CREATE), ==, 200);
  assert_store_matches (f->server, kind, users, 0);
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
 * second of patience against a 2.5 s delay on three creates: the margin is
 * wide so that a loaded machine, stalling the loop for a moment, does not
 * deliver a late answer before the client gives up. */
#define LATE_ANSWER_MS 2500
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
  prov_test_server_inject_fault (f->server, users_path (kind), PROV_TEST_FAULT_DELAY, LATE_ANSWER_MS, 3);

  run = run_engine_ok (f, target, users, &options);

  /* Let any late create land, then look. */
  spin (LATE_ANSWER_MS);
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

/* The retry (2 s after the timeout, 3 s in) comes after the late create:
 * SAP Jam answers 409 and the user is found and updated; Identity
 * Provisioning updates. */
static void
test_fault_timeout_late_create (Fixture       *f,
                                gconstpointer  data)
{
  check_timeouts (f, data, 1.0);
  if (GPOINTER_TO_INT (data) == KIND_JAM)
    {
      g_assert_cmpuint (prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH), >=, 3);
      g_assert_cmpuint (prov_test_server_count_requests (f->server, "PUT", JAM_USERS_PATH), ==,
                        prov_test_server_count_responses (f->server, 409, JAM_USERS_PATH));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD ENGINE_TEST_ADD
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/provisioning/engine/fault/%s", fault_cases[i].name);
      g_test_add (path, Fixture, &fault_cases[i], fault_set_up, test_fault, fault_tear_down);
    }
  ADD ("fault/jam/timeout", KIND_JAM, test_fault_timeout);
  ADD ("fault/ips/timeout", KIND_IPS, test_fault_timeout);
  ADD ("fault/jam/timeout-late-create", KIND_JAM, test_fault_timeout_late_create);
  ADD ("fault/ips/timeout-late-create", KIND_IPS, test_fault_timeout_late_create);
  ADD ("fault/jam/retry-after-honoured", KIND_JAM, test_retry_after_honoured);
  ADD ("fault/jam/retries-exhausted", KIND_JAM, test_fault_exhausts_retries);
  ADD ("fault/jam/target-wide", KIND_JAM, test_target_wide_failure);
  ADD ("fault/ips/target-wide", KIND_IPS, test_target_wide_failure);

#undef ADD

  return g_test_run ();
}
