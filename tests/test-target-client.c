/* test-target-client.c — one write per user against SAP Jam and Identity
 * Provisioning (ProvTargetClient)
 *
 * A create that meets a user already there (409) becomes an update of
 * the user found by userName, and only of that user; an update or a
 * deactivation of a user the target lost (404); Identity Provisioning in
 * front of a standard SCIM server. Through the engine against the
 * in-process peer (engine-fixture.h).
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-fixture.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind, func) \
  g_test_add ("/provisioning/target-client/" path, Fixture, GINT_TO_POINTER (kind), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("jam/409-on-create", KIND_JAM, test_conflict_on_create);
  ADD ("jam/update-of-lost-user", KIND_JAM, test_update_of_lost_user);
  ADD ("jam/lookup-ignores-filter", KIND_JAM, test_lookup_ignores_filter);
  ADD ("jam/lookup-answers-other-users", KIND_JAM, test_lookup_answers_other_users);
  ADD ("ips/strict-post", KIND_IPS, test_ips_strict_post);
  ADD ("jam/deactivation-of-lost-user", KIND_JAM, test_deactivation_of_lost_user);

#undef ADD

  return g_test_run ();
}
