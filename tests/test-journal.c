/* test-journal.c — the journal of a run (ProvJournal)
 *
 * Every user once with its outcome, the failure with its sentence, the
 * run's summary, and the CSV export, after a run against the in-process
 * peer (engine-fixture.h).
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "engine-fixture.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind, func) \
  g_test_add ("/provisioning/" path, Fixture, GINT_TO_POINTER (kind), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("journal/jam", KIND_JAM, test_journal);

#undef ADD

  return g_test_run ();
}
