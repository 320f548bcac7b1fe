/* test-plan.c — what a run would do (ProvPlan): the deprovisioning guards and
 * the safety threshold
 *
 * An empty or cut-short read of the source removes nobody; the threshold
 * asks for confirmation only past both of its limits.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-fixture.h"
#include "prov-json-reader.h"
#include "prov-mapping.h"

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

/* The threshold's percentage, without a server: both limits must be passed. */
static void
test_threshold_percent (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvPushState) state = prov_push_state_new (prov_target_system_get_uuid (target),
                                                        "/nonexistent/never-saved.json");
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
      prov_push_state_record (state, name, id, "hash", TRUE, "{}");
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

/* Users picked by name: only they are planned, nobody is deprovisioned,
 * and a name the source lacks is told apart from one with nothing to do. */
static void
test_selected_users (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvPushState) state = prov_push_state_new (prov_target_system_get_uuid (target),
                                                        "/nonexistent/never-saved.json");
  g_autoptr(GPtrArray) users = users_new (5);
  g_autoptr(GHashTable) only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvPlan) all = NULL;

  /* user00009 was pushed once and is no longer in the source. */
  prov_push_state_record (state, "user00009", "id-9", "hash", TRUE, "{}");
  g_hash_table_add (only, g_utf8_casefold ("USER00002", -1));
  g_hash_table_add (only, g_utf8_casefold ("user00009", -1));
  g_hash_table_add (only, g_utf8_casefold ("nobody", -1));

  plan = prov_plan_new (target, state, users, TRUE, only);
  g_assert_cmpuint (prov_plan_get_operations (plan)->len, ==, 1);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_CREATE), ==, 1);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DEACTIVATE), ==, 0);
  g_assert_true (prov_plan_has_selected_user (plan, "user00002"));
  g_assert_true (prov_plan_has_selected_user (plan, "User00002"));
  g_assert_false (prov_plan_has_selected_user (plan, "user00009"));
  g_assert_false (prov_plan_has_selected_user (plan, "nobody"));
  /* In the source but not picked. */
  g_assert_false (prov_plan_has_selected_user (plan, "user00001"));

  /* A plan of everyone picks nobody by name. */
  all = prov_plan_new (target, state, users, TRUE, NULL);
  g_assert_false (prov_plan_has_selected_user (all, "user00002"));
}

/* Inactive users the target never had are not created: counted as
 * unchanged, and told apart so the plan can say why they are missing.
 * Inactive users the target has (on or off there) are not among them. */
static void
test_inactive_not_created (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvPushState) state = prov_push_state_new (prov_target_system_get_uuid (target),
                                                        "/nonexistent/never-saved.json");
  g_autoptr(GPtrArray) users = users_new (3);
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvPlan) none = NULL;
  g_autofree char *note = NULL;

  for (guint i = 4; i <= 7; i++)
    g_ptr_array_add (users, user_new (i, NULL, FALSE));
  /* Of the inactive 4 … 7, the target has 6 (active) and 7 (already off). */
  prov_push_state_record (state, "user00006", "id-6", "hash", TRUE, "{}");
  prov_push_state_record (state, "user00007", "id-7", "hash", FALSE, "{}");

  plan = prov_plan_new (target, state, users, TRUE, NULL);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_CREATE), ==, 3);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DEACTIVATE), ==, 1);
  g_assert_cmpuint (prov_plan_get_n_inactive_not_created (plan), ==, 2);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_NONE), >=, 2);
  note = prov_plan_dup_inactive_note (plan);
  g_assert_cmpstr (note, ==, "2 users are inactive in the source and not on the target: not created.");

  /* Every user active: nothing to say. */
  g_ptr_array_set_size (users, 3);
  none = prov_plan_new (target, state, users, TRUE, NULL);
  g_assert_cmpuint (prov_plan_get_n_inactive_not_created (none), ==, 0);
  g_assert_null (prov_plan_dup_inactive_note (none));
}

/* SHA-256 of the payload's JSON text, as every version recorded it. */
static char *
hash_as_recorded (JsonObject *payload)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload);
  g_autofree char *text = json_to_string (node, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* The plan makes each payload's text once, for its hash and for the
 * request. The hash must be the one earlier versions recorded, or every
 * user would look changed after an update of the app. */
static void
test_payload_text_hashed_as_before (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvPushState) state = prov_push_state_new (prov_target_system_get_uuid (target),
                                                        "/nonexistent/never-saved.json");
  g_autoptr(GPtrArray) three = users_new (3);
  g_autoptr(GPtrArray) two = users_new (2);
  g_autoptr(ProvPlan) plan = NULL;
  GPtrArray *operations;

  /* Users 1 and 3 were pushed before, and recorded as earlier versions did. */
  for (guint i = 0; i < 3; i += 2)
    {
      ProvUser *user = g_ptr_array_index (three, i);
      g_autoptr(JsonObject) payload = prov_mapping_build_jam_user (user);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autofree char *hash = hash_as_recorded (payload);

      prov_push_state_record (state, prov_user_get_user_name (user), "some-id", hash, TRUE, text);
    }

  /* User 1 is unchanged, user 2 is new, user 3 left the source. */
  plan = prov_plan_new (target, state, two, TRUE, NULL);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_NONE), ==, 1);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_CREATE), ==, 1);
  g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DEACTIVATE), ==, 1);

  operations = prov_plan_get_operations (plan);
  for (guint i = 0; i < operations->len; i++)
    {
      ProvOperation *operation = g_ptr_array_index (operations, i);
      g_autoptr(JsonNode) sent = prov_json_reader_parse (operation->body, -1, 0, 0, NULL);
      g_autofree char *hash = NULL;
      g_autoptr(ProvOperation) copy = prov_operation_copy (operation);
      g_autoptr(JsonObject) expected = NULL;
      g_autoptr(JsonNode) expected_node = NULL;

      g_assert_nonnull (sent);
      hash = hash_as_recorded (json_node_get_object (sent));
      g_assert_cmpstr (operation->hash, ==, hash);
      g_assert_cmpstr (copy->body, ==, operation->body);

      /* A new user is sent as mapped; a user who left as last sent, off. */
      expected = prov_mapping_build_jam_user (g_ptr_array_index (three, operation->action == PROV_ACTION_CREATE ? 1 : 2));
      if (operation->action == PROV_ACTION_DEACTIVATE)
        json_object_set_boolean_member (expected, "active", FALSE);
      expected_node = json_node_init_object (json_node_alloc (), expected);
      g_assert_true (json_node_equal (sent, expected_node));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind, func) \
  g_test_add ("/provisioning/plan/" path, Fixture, GINT_TO_POINTER (kind), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("jam/empty-source-deprovisions-nobody", KIND_JAM, test_empty_source_deprovisions_nobody);
  ADD ("ips/empty-source-deprovisions-nobody", KIND_IPS, test_empty_source_deprovisions_nobody);
  g_test_add_func ("/provisioning/plan/threshold-percent", test_threshold_percent);
  g_test_add_func ("/provisioning/plan/selected-users", test_selected_users);
  g_test_add_func ("/provisioning/plan/inactive-not-created", test_inactive_not_created);
  g_test_add_func ("/provisioning/plan/payload-text-hashed-as-before", test_payload_text_hashed_as_before);

#undef ADD

  return g_test_run ();
}
