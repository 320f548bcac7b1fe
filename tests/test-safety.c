/* test-safety.c — the safety promises that need no server or display
 *
 * The threshold with delete mode, SAP Jam's hourly limit, the History
 * export's defence against spreadsheet formulas, and the source of users'
 * file and validation. Each case is one a mutation in tests/mutation is
 * expected to break.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "prov-engine.h"
#include "prov-error.h"
#include "prov-journal.h"
#include "prov-plan.h"
#include "prov-push-state.h"
#include "prov-rate-limiter.h"
#include "prov-source.h"
#include "prov-target-system.h"
#include "prov-user.h"
#include "test-helpers.h"

/* The engine's time scale in the provisioning tests: a minute is 0.6 s. */
#define TIME_SCALE 0.01

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("prov-test-safety-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static ProvUser *
user_new (guint i)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ProvUser *user;

  text = g_strdup_printf ("{\"id\":\"src-%05u\",\"userName\":\"user%05u\","
                          "\"name\":{\"givenName\":\"Given%u\",\"familyName\":\"Family%u\"},"
                          "\"emails\":[{\"value\":\"user%05u@example.com\",\"primary\":true}],"
                          "\"active\":true}", i, i, i, i, i);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  user = prov_user_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return user;
}

/* Users 1 … @n. */
static GPtrArray *
users_new (guint n)
{
  GPtrArray *users = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= n; i++)
    g_ptr_array_add (users, user_new (i));
  return users;
}

/* The threshold counts deletions as it counts deactivations. */

static void
test_threshold_delete (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvPushState) state = prov_push_state_new (prov_target_system_get_uuid (target),
                                                        "/nonexistent/never-saved.json");

  prov_target_system_set_deprovision_mode (target, PROV_DEPROVISION_DELETE);
  for (guint i = 1; i <= 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%05u", i);
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      prov_push_state_record (state, name, id, "hash", TRUE, "{}");
    }

  /* Ten of fifty leave: the default threshold is "more than 10". */
  {
    g_autoptr(GPtrArray) users = users_new (40);
    g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);

    g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DELETE), ==, 10);
    g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DEACTIVATE), ==, 0);
    g_assert_false (prov_plan_needs_confirmation (plan));
  }

  /* Eleven (22 %) would be deleted: over both limits, so it waits. */
  {
    g_autoptr(GPtrArray) users = users_new (39);
    g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);

    g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DELETE), ==, 11);
    g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DEACTIVATE), ==, 0);
    g_assert_true (prov_plan_needs_confirmation (plan));
  }

  /* Everyone would be deleted. */
  {
    g_autoptr(GPtrArray) users = users_new (1);
    g_autoptr(ProvPlan) plan = prov_plan_new (target, state, users, TRUE, NULL);

    g_assert_cmpuint (prov_plan_count (plan, PROV_ACTION_DELETE), ==, 49);
    g_assert_true (prov_plan_needs_confirmation (plan));
  }
}

/* SAP Jam: 13,000 requests an hour. With the target's own minute limit
 * (200) the hour is never reached, so a tenant whose minute limit was
 * raised shows whether the hour is counted at all. Virtual time, at the
 * engine tests' scale. */

static void
test_rate_limit_jam_hour (void)
{
  const gint64 minute = (gint64) (60 * G_USEC_PER_SEC * TIME_SCALE);
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvRateLimiter) limiter = NULL;
  gint64 now = 0;

  g_assert_cmpuint (prov_target_system_get_rate_per_minute (target), ==, 200);
  g_assert_cmpuint (prov_target_system_get_rate_per_hour (target), ==, 13000);

  prov_target_system_set_rate_per_minute (target, 1000);
  limiter = prov_rate_limiter_new (prov_target_system_get_rate_per_minute (target),
                                   prov_target_system_get_rate_per_hour (target),
                                   minute);

  /* 13,000 requests, each answered as soon as it is sent: 1,000 a minute. */
  for (guint i = 0; i < 13000; i++)
    {
      now += prov_rate_limiter_get_delay (limiter, now);
      prov_rate_limiter_take (limiter, now);
      prov_rate_limiter_release (limiter, now);
    }
  g_assert_cmpint (now, ==, 12 * minute);

  /* The 13,001st waits until the first leaves the hour, not a minute. */
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, now), ==, 60 * minute - now);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 60 * minute), ==, 0);

  /* What the Provision dialog estimates for such a run: one hour. */
  g_assert_cmpint (prov_engine_estimate_seconds (target, 13001), ==, 3600);
  prov_target_system_set_rate_per_minute (target, 0);
  /* Back to Jam's 200 a minute: 13,000 take 64 further minutes. */
  g_assert_cmpint (prov_engine_estimate_seconds (target, 13000), ==, 64 * 60);
}

/* The History export: a user name or message that a spreadsheet would run
 * as a formula is written as text. The journal also neutralises other
 * leading characters in places; this asserts only = + - @. */

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_export_formulas (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvJournal) journal = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const char *names[] = { "=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)" };

  prov_target_system_set_display_name (target, "Jam");
  journal = prov_journal_new_run (dir, target, "all", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    prov_journal_record (journal, names[i], PROV_ACTION_CREATE, FALSE, "=cmd|' /C calc'!A0");
  prov_journal_record (journal, "plain.user", PROV_ACTION_CREATE, TRUE, NULL);
  prov_journal_finish (journal, 1, G_N_ELEMENTS (names), FALSE);
  prov_journal_flush_async (journal, NULL, flushed_cb, &flushed);
  while (flushed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (prov_journal_flush_finish (flushed, &error));

  g_assert_true (prov_journal_export_csv (prov_journal_get_path (journal), csv_file, &error));
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", contents);

  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,user,action,outcome,message");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GString) quoted = g_string_new (names[i]);
      g_autofree char *user_field = NULL;

      g_string_replace (quoted, "\"", "\"\"", 0);
      user_field = g_strdup_printf (",\"'%s\",\"create\",\"failed\",\"'=cmd|' /C calc'!A0\"", quoted->str);
      g_assert_nonnull (strstr (lines[1 + i], user_field));
    }
  g_assert_nonnull (strstr (lines[1 + G_N_ELEMENTS (names)], ",\"plain.user\",\"create\",\"ok\",\"\""));

  /* No field anywhere starts with a formula character. */
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    for (const char *p = strstr (lines[i], ",\""); p != NULL; p = strstr (p + 1, ",\""))
      g_assert_null (strchr ("=+-@", p[2] == '\0' ? 'x' : p[2]));

  remove_tree (dir);
}

/* The source of users' file: source.json beside targets.json. */

static ProvSource *
tenant_source_new (void)
{
  ProvSource *source = prov_source_new ();
  ProvTargetSystem *connection = prov_source_get_connection (source);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_url (connection, "https://mytenant.accounts.ondemand.com");
  prov_target_system_set_version (connection, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, "client-id-1");
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, "not-a-real-secret-0451");
  return source;
}

static void
test_source_round_trip (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "sub", "source.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  g_autoptr(ProvSource) source = tenant_source_new ();
  g_autoptr(ProvSource) loaded = prov_source_new ();
  g_autoptr(ProvSource) csv_loaded = prov_source_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  ProvTargetSystem *connection;
  GStatBuf st;

  g_assert_true (prov_source_save (source, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The secret stays in the keyring, never in the file. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (contents, "not-a-real-secret-0451"));
  g_assert_nonnull (strstr (contents, "client-id-1"));

  g_assert_true (prov_source_load (loaded, path, &error));
  g_assert_no_error (error);
  connection = prov_source_get_connection (loaded);
  g_assert_cmpint (prov_source_get_kind (loaded), ==, PROV_SOURCE_KIND_TENANT);
  g_assert_cmpstr (prov_source_get_uuid (loaded), ==, prov_source_get_uuid (source));
  g_assert_cmpstr (prov_target_system_get_url (connection), ==, "https://mytenant.accounts.ondemand.com");
  g_assert_cmpint (prov_target_system_get_version (connection), ==, PROV_SCIM_VERSION_2);
  g_assert_cmpstr (prov_target_system_get_text (connection, PROV_FIELD_USERNAME), ==, "client-id-1");

  /* A CSV source keeps its path. */
  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, csv);
  g_assert_true (prov_source_save (source, path, &error));
  g_assert_no_error (error);
  g_assert_true (prov_source_load (csv_loaded, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_source_get_kind (csv_loaded), ==, PROV_SOURCE_KIND_CSV);
  g_assert_cmpstr (prov_source_get_csv_path (csv_loaded), ==, csv);
  g_assert_true (prov_source_equal (csv_loaded, source));

  remove_tree (dir);
}

static void
test_source_missing_and_damaged (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "source.json", NULL);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *damaged = "{\"kind\": \"csv\", \"connection\": [";

  /* No file yet: the default, a tenant. */
  g_assert_true (prov_source_load (source, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_source_get_kind (source), ==, PROV_SOURCE_KIND_TENANT);

  /* A damaged file is reported in a sentence naming it, and moved aside
   * whole, so the next save cannot overwrite it. */
  g_file_set_contents (path, damaged, -1, &error);
  g_assert_no_error (error);
  g_assert_false (prov_source_load (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_cmpint (prov_source_get_kind (source), ==, PROV_SOURCE_KIND_TENANT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
    const char *name;
    guint n_aside = 0;

    g_assert_no_error (error);
    while ((name = g_dir_read_name (listing)) != NULL)
      if (g_str_has_prefix (name, "source.json.corrupt-"))
        {
          g_autofree char *aside = g_build_filename (dir, name, NULL);

          g_clear_pointer (&after, g_free);
          g_file_get_contents (aside, &after, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (after, ==, damaged);
          n_aside++;
        }
    g_assert_cmpuint (n_aside, ==, 1);
  }

  /* A save where a folder cannot be made (a file stands there) fails
   * with a sentence. */
  {
    g_autofree char *below_file = g_build_filename (path, "source.json", NULL);

    g_file_set_contents (path, "not a folder", -1, &error);
    g_assert_no_error (error);
    g_assert_false (prov_source_save (source, below_file, &error));
    g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  }

  remove_tree (dir);
}

/* prov_source_validate()'s reasons: one per field, NULL where valid, so
 * not a NULL-terminated list. */
static void
reasons_free (char **reasons)
{
  for (guint i = 0; reasons != NULL && i < PROV_N_FIELDS; i++)
    g_free (reasons[i]);
  g_free (reasons);
}

static void
test_source_validate (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  g_autoptr(ProvSource) source = tenant_source_new ();
  ProvTargetSystem *connection = prov_source_get_connection (source);
  char **reasons = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_source_validate (source, &reasons));
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    g_assert_null (reasons[i]);
  g_clear_pointer (&reasons, reasons_free);

  /* Only HTTPS, and the tenant's address without a path. */
  prov_target_system_set_url (connection, "http://mytenant.accounts.ondemand.com");
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_nonnull (reasons[PROV_FIELD_URL]);
  g_clear_pointer (&reasons, reasons_free);
  prov_target_system_set_url (connection, "https://mytenant.accounts.ondemand.com/scim/Users");
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_nonnull (reasons[PROV_FIELD_URL]);
  g_clear_pointer (&reasons, reasons_free);

  /* A missing client secret. */
  prov_target_system_set_url (connection, "https://mytenant.accounts.ondemand.com");
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, "");
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_nonnull (reasons[PROV_FIELD_PASSWORD]);
  g_assert_null (reasons[PROV_FIELD_URL]);
  g_clear_pointer (&reasons, reasons_free);

  /* Saved, the source holds no secret (the keyring has it): set up all the
   * same, but not without its address. */
  g_assert_true (prov_source_validate_saved (source, &reasons));
  g_assert_null (reasons[PROV_FIELD_PASSWORD]);
  g_clear_pointer (&reasons, reasons_free);
  prov_target_system_set_url (connection, "");
  g_assert_false (prov_source_validate_saved (source, &reasons));
  g_assert_nonnull (reasons[PROV_FIELD_URL]);
  g_assert_null (reasons[PROV_FIELD_PASSWORD]);
  g_clear_pointer (&reasons, reasons_free);
  prov_target_system_set_url (connection, "https://mytenant.accounts.ondemand.com");

  /* A CSV file: chosen, absolute, and there. */
  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_nonnull (reasons[PROV_FIELD_URL]);
  g_clear_pointer (&reasons, reasons_free);
  prov_source_set_csv_path (source, "users.csv");
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_nonnull (reasons[PROV_FIELD_URL]);
  g_clear_pointer (&reasons, reasons_free);
  prov_source_set_csv_path (source, dir);
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_cmpstr (reasons[PROV_FIELD_URL], ==, "That is a folder; choose a file in it");
  g_clear_pointer (&reasons, reasons_free);
  prov_source_set_csv_path (source, csv);
  g_assert_false (prov_source_validate (source, &reasons));
  g_assert_cmpstr (reasons[PROV_FIELD_URL], ==, "There is no such file");
  g_clear_pointer (&reasons, reasons_free);
  g_file_set_contents (csv, "userName\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (prov_source_validate (source, &reasons));
  g_assert_null (reasons[PROV_FIELD_URL]);
  reasons_free (reasons);

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/safety/plan/threshold-delete", test_threshold_delete);
  g_test_add_func ("/safety/rate-limiter/jam-hour", test_rate_limit_jam_hour);
  g_test_add_func ("/safety/journal/export-formulas", test_export_formulas);
  g_test_add_func ("/safety/source/round-trip", test_source_round_trip);
  g_test_add_func ("/safety/source/missing-and-damaged", test_source_missing_and_damaged);
  g_test_add_func ("/safety/source/validate", test_source_validate);

  return g_test_run ();
}
