/* engine-fixture.c — what the provisioning tests share (see engine-fixture.h)
 *
 * Linked into TAP tests: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "engine-fixture.h"

/* Helpers: waiting on the main context (the server lives in it too) */

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the server finish what it still holds (delayed answers). */
void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Helpers: users */

JsonObject *
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

ProvUser *
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
GPtrArray *
users_new (guint n)
{
  GPtrArray *users = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= n; i++)
    g_ptr_array_add (users, user_new (i, NULL, TRUE));
  return users;
}

/* Removes user number @i (1-based) from @users. */
void
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

void
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

ProvTargetSystem *
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

const char *
users_path (Kind kind)
{
  return kind == KIND_JAM ? JAM_USERS_PATH : IPS_USERS_PATH;
}

ProvTestStore
store_of (Kind kind)
{
  return kind == KIND_JAM ? PROV_TEST_STORE_JAM : PROV_TEST_STORE_IPS;
}

char *
state_path (Fixture          *f,
            ProvTargetSystem *target)
{
  g_autofree char *name = g_strconcat ("pushed-", prov_target_system_get_uuid (target), ".json", NULL);
  return g_build_filename (f->dir, name, NULL);
}

/* What was pushed, as the next run would load it from disk. */
ProvPushState *
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

guint
count_writes (ProvTestServer *server,
              const char     *path_prefix)
{
  return prov_test_server_count_requests (server, "POST", path_prefix) +
         prov_test_server_count_requests (server, "PUT", path_prefix) +
         prov_test_server_count_requests (server, "PATCH", path_prefix) +
         prov_test_server_count_requests (server, "DELETE", path_prefix);
}

const char *
family_name_of (JsonObject *user)
{
  JsonObject *name = json_object_get_object_member (user, "name");

  return name ? json_object_get_string_member_with_default (name, "familyName", NULL) : NULL;
}

/* The store holds every user of @users exactly once, with the source's
 * family name and status, plus exactly @n_gone others (users that left the
 * source and were deactivated, not deleted). Nothing lost, nothing twice. */
void
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

gboolean
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



void
run_free (Run *run)
{
  g_clear_object (&run->plan);
  g_clear_object (&run->engine);
  g_clear_object (&run->journal);
  g_clear_error (&run->error);
  g_clear_object (&run->cancellable);
  g_free (run);
}


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

Run *
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
  prov_engine_run_async (run->engine, run->plan, run->cancellable, got_result_cb, &result);
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
Run *
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
void
assert_converged (Fixture          *f,
                  ProvTargetSystem *target,
                  GPtrArray        *users)
{
  g_autoptr(ProvPushState) state = state_load (f, target);
  g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);

  g_assert_cmpuint (prov_plan_get_operations (plan)->len, ==, 0);
}

/* Fixture */

void
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

void
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

ProvTargetSystem *
fixture_target (Fixture       *f,
                gconstpointer  data)
{
  return target_new (prov_test_server_get_base_url (f->server), GPOINTER_TO_INT (data));
}
