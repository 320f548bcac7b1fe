/* test-write-queue.c — writes off the main loop: the queue, the journal
 * and the record of what was pushed, and the history read on a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-journal.h"
#include "prov-json-reader.h"
#include "prov-push-state.h"
#include "prov-write-queue.h"
#include "test-helpers.h"

typedef struct
{
  GPtrArray *done;   /* of the test; written by the worker only */
  guint      index;
  gboolean   fail;
  gulong     sleep;  /* µs the write takes */
} Write;

static gboolean
write_cb (gpointer   data,
          GError   **error)
{
  Write *write = data;

  if (write->sleep > 0)
    g_usleep (write->sleep);
  g_ptr_array_add (write->done, GUINT_TO_POINTER (write->index));
  if (write->fail)
    g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED, "write %u failed", write->index);
  return !write->fail;
}

static void
test_queue_order_and_errors (void)
{
  g_autoptr(ProvWriteQueue) queue = prov_write_queue_new ();
  g_autoptr(GPtrArray) done = g_ptr_array_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 200; i++)
    {
      Write *write = g_new0 (Write, 1);

      write->done = done;
      write->index = i;
      write->fail = i == 50 || i == 60;
      prov_write_queue_push (queue, write_cb, write, g_free);
    }
  prov_write_queue_flush_async (queue, NULL, got_result_cb, &first);
  g_assert_false (prov_write_queue_flush_finish (wait_for (&first), &error));

  /* Every write before the flush ran, in order; the first error is kept. */
  g_assert_cmpuint (done->len, ==, 200);
  for (guint i = 0; i < done->len; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (done, i)), ==, i);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  g_assert_cmpstr (error->message, ==, "write 50 failed");

  /* A flush reports the errors since the one before. */
  prov_write_queue_flush_async (queue, NULL, got_result_cb, &second);
  g_assert_true (prov_write_queue_flush_finish (wait_for (&second), NULL));
  g_assert_true (prov_write_queue_check (queue, NULL));
}

static Write *
write_new (GPtrArray *done,
           guint      index,
           gulong     sleep)
{
  Write *write = g_new0 (Write, 1);

  write->done = done;
  write->index = index;
  write->sleep = sleep;
  return write;
}

static void
assert_in_order (GPtrArray *done,
                 guint      n)
{
  g_assert_cmpuint (done->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (done, i)), ==, i);
}

/* Writes pushed while the worker is busy join its drain; writes pushed
 * after it went idle wake it again. Either way all run, in order. */
static void
test_queue_bursts_and_pauses (void)
{
  g_autoptr(ProvWriteQueue) queue = prov_write_queue_new ();
  g_autoptr(GPtrArray) done = g_ptr_array_new ();
  g_autoptr(GAsyncResult) flushed = NULL;
  guint n = 0;

  for (guint burst = 0; burst < 60; burst++)
    {
      for (guint i = 0; i < burst % 7 + 1; i++, n++)
        prov_write_queue_push (queue, write_cb, write_new (done, n, i == 0 ? 300 : 0), g_free);
      if (burst % 3 == 0)
        g_usleep (2000);   /* the worker runs dry */
    }
  prov_write_queue_flush_async (queue, NULL, got_result_cb, &flushed);
  g_assert_true (prov_write_queue_flush_finish (wait_for (&flushed), NULL));
  assert_in_order (done, n);
}

/* Writes queued while a private loop was the thread's default, which is
 * then dropped unrun, still reach the disk: a flush from the main loop
 * must not wait for ever on the other loop's wake. */
static void
test_queue_private_context_dropped (void)
{
  g_autoptr(ProvWriteQueue) queue = prov_write_queue_new ();
  g_autoptr(GPtrArray) done = g_ptr_array_new ();
  g_autoptr(GAsyncResult) flushed = NULL;
  GMainContext *private = g_main_context_new ();

  g_main_context_push_thread_default (private);
  for (guint i = 0; i < 10; i++)
    prov_write_queue_push (queue, write_cb, write_new (done, i, 0), g_free);
  g_main_context_pop_thread_default (private);
  g_main_context_unref (private);

  prov_write_queue_push (queue, write_cb, write_new (done, 10, 0), g_free);
  prov_write_queue_flush_async (queue, NULL, got_result_cb, &flushed);
  g_assert_true (prov_write_queue_flush_finish (wait_for (&flushed), NULL));
  assert_in_order (done, 11);
}

/* A queue let go with writes still waiting writes them all first. */
static void
test_queue_finalize_writes_everything (void)
{
  ProvWriteQueue *queue = prov_write_queue_new ();
  g_autoptr(GPtrArray) done = g_ptr_array_new ();

  /* The first write is slow: the rest wait in the queue. */
  prov_write_queue_push (queue, write_cb, write_new (done, 0, 20000), g_free);
  for (guint i = 1; i < 500; i++)
    prov_write_queue_push (queue, write_cb, write_new (done, i, 0), g_free);
  g_object_unref (queue);
  assert_in_order (done, 500);
}

#define HOSTILE_NAME    "a\"b\\c\001d\037é 名"
#define HOSTILE_MESSAGE "HTTP 400: {\"detail\": \"bad\\value\"}\n\ttab \u2028 end"

static void
test_journal_and_history (void)
{
  g_autofree char *dir = g_dir_make_tmp ("provisioner-write-queue-XXXXXX", NULL);
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(ProvJournal) journal = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  ProvJournalRun *run;

  prov_target_system_set_display_name (target, "Jam");
  prov_journal_new_run_async (dir, target, "all-users", NULL, got_result_cb, &opened);
  journal = prov_journal_new_run_finish (wait_for (&opened), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *user = g_strdup_printf ("user%04u", i);
      prov_journal_record (journal, user, PROV_ACTION_CREATE, TRUE, NULL);
    }
  /* Lines are written as text: whatever a name or a server's sentence
   * holds must read back as it was. */
  prov_journal_record (journal, HOSTILE_NAME, PROV_ACTION_DELETE, FALSE, HOSTILE_MESSAGE);
  /* A byte that is not UTF-8 becomes U+FFFD; the line still reads. */
  prov_journal_record (journal, "broken", PROV_ACTION_UPDATE, FALSE, "bad \xff byte");
  prov_journal_finish (journal, 1000, 2, FALSE);
  prov_journal_flush_async (journal, NULL, got_result_cb, &flushed);
  g_assert_true (prov_journal_flush_finish (wait_for (&flushed), &error));

  prov_journal_list_runs_async (dir, NULL, NULL, got_result_cb, &listed);
  runs = prov_journal_list_runs_finish (wait_for (&listed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_true (run->finished);
  g_assert_cmpuint (run->succeeded, ==, 1000);
  g_assert_cmpuint (run->failed, ==, 2);

  prov_journal_read_entries_async (run->path, NULL, got_result_cb, &read);
  entries = prov_journal_read_entries_finish (wait_for (&read), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1002);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *user = g_strdup_printf ("user%04u", i);
      g_assert_cmpstr (((ProvJournalEntry *) g_ptr_array_index (entries, i))->user_name, ==, user);
    }
  {
    ProvJournalEntry *hostile = g_ptr_array_index (entries, 1000);

    g_assert_cmpstr (hostile->user_name, ==, HOSTILE_NAME);
    g_assert_cmpstr (hostile->message, ==, HOSTILE_MESSAGE);
    g_assert_cmpint (hostile->action, ==, PROV_ACTION_DELETE);
    g_assert_false (hostile->ok);
    g_assert_cmpstr (((ProvJournalEntry *) g_ptr_array_index (entries, 1001))->message, ==, "bad \xef\xbf\xbd byte");
  }

  g_remove (run->path);
  g_rmdir (dir);
}

static void
test_push_state_queued (void)
{
  g_autofree char *dir = g_dir_make_tmp ("provisioner-write-queue-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pushed", "state.json", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(ProvPushState) state = prov_push_state_new ("uuid", path);
  g_autoptr(ProvPushState) again = prov_push_state_new ("uuid", path);
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *user = g_strdup_printf ("user%u", i);

      prov_push_state_record (state, user, user, "hash", TRUE, "{}");
      /* Each snapshot is taken when queued: the last one wins on disk. */
      g_assert_true (prov_push_state_queue_save (state, &error));
      g_assert_false (prov_push_state_is_dirty (state));
    }
  prov_push_state_flush_async (state, NULL, got_result_cb, &flushed);
  g_assert_true (prov_push_state_flush_finish (wait_for (&flushed), &error));

  prov_push_state_load_async (again, NULL, got_result_cb, &loaded);
  g_assert_true (prov_push_state_load_finish (again, wait_for (&loaded), &error));
  g_assert_cmpuint (prov_push_state_get_n_users (again), ==, 100);

  g_remove (path);
  g_rmdir (parent);
  g_rmdir (dir);
}

/* Saves write the state as text: what any name or payload holds comes
 * back from the file as it was. */
static void
test_push_state_text_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("provisioner-write-queue-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autoptr(ProvPushState) state = prov_push_state_new ("uuid", path);
  g_autoptr(ProvPushState) again = prov_push_state_new ("uuid", path);
  g_autoptr(GError) error = NULL;
  const char *names[] = { "ada", "O\"Brien\\", "tab\there\nline", "\001ctl\037", "Zoë Ünïcode 名前" };
  g_autoptr(JsonNode) root = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonArray) emails = json_array_new ();

      json_object_set_string_member (payload, "userName", names[i]);
      json_object_set_boolean_member (payload, "active", i % 2 == 0);
      json_array_add_string_element (emails, "a\"b@example.com");
      json_object_set_array_member (payload, "emails", g_steal_pointer (&emails));
      node = json_node_init_object (json_node_alloc (), payload);
      text = json_to_string (node, FALSE);

      prov_push_state_record (state, names[i], i == 1 ? NULL : names[i], "hash\"", i % 2 == 0, text);
    }
  g_assert_true (prov_push_state_save (state, &error));
  g_assert_no_error (error);

  /* One JSON object, as the format says. */
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    root = prov_json_reader_parse (contents, length, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "format-version"), ==, 2);
  }

  g_assert_true (prov_push_state_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prov_push_state_get_n_users (again), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const ProvPushedUser *before = prov_push_state_lookup (state, names[i]);
      const ProvPushedUser *after = prov_push_state_lookup (again, names[i]);

      g_assert_nonnull (after);
      g_assert_cmpstr (after->user_name, ==, names[i]);
      g_assert_cmpstr (after->id, ==, before->id);
      g_assert_cmpstr (after->hash, ==, "hash\"");
      g_assert_cmpint (after->active, ==, i % 2 == 0);
      g_assert_cmpstr (after->payload, ==, before->payload);
    }

  g_remove (path);
  g_rmdir (dir);
}

/* A state saved by an earlier version, each payload an object, loads with
 * every user and payload; the next save writes the current format, and a
 * payload that is no object is a damaged file, moved aside. */
static void
test_push_state_format_1 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("provisioner-write-queue-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autoptr(ProvPushState) state = prov_push_state_new ("uuid", path);
  g_autoptr(ProvPushState) again = prov_push_state_new ("uuid", path);
  g_autoptr(ProvPushState) damaged = prov_push_state_new ("uuid", path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const ProvPushedUser *user;
  const char *old =
    "{\"format-version\":1,\"users\":{"
    "\"ada\":{\"user-name\":\"Ada\",\"id\":\"7\",\"hash\":\"h1\",\"active\":true,"
    "\"payload\":{\"userName\":\"Ada\",\"emails\":[{\"value\":\"a\\\"b@example.com\"}],\"active\":true}},"
    "\"bob\":{\"user-name\":\"bob\",\"hash\":\"h2\",\"active\":false,"
    "\"payload\":{\"userName\":\"bob\",\"active\":false}}}}";

  g_assert_true (g_file_set_contents (path, old, -1, NULL));
  g_assert_true (prov_push_state_load (state, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, 2);
  user = prov_push_state_lookup (state, "ADA");
  g_assert_cmpstr (user->id, ==, "7");
  g_assert_cmpstr (user->hash, ==, "h1");
  g_assert_cmpstr (user->payload, ==, "{\"userName\":\"Ada\",\"emails\":[{\"value\":\"a\\\"b@example.com\"}],\"active\":true}");
  user = prov_push_state_lookup (state, "bob");
  g_assert_false (user->active);
  g_assert_null (user->id);

  prov_push_state_forget (state, "bob");
  g_assert_true (prov_push_state_save (state, &error));
  g_assert_true (prov_push_state_load (again, &error));
  g_assert_cmpuint (prov_push_state_get_n_users (again), ==, 1);
  g_assert_cmpstr (prov_push_state_lookup (again, "ada")->payload, ==,
                   prov_push_state_lookup (state, "ada")->payload);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"format-version\":2"));

  /* Format 2 with an object where the text belongs. */
  g_assert_true (g_file_set_contents (path,
                                      "{\"format-version\":2,\"users\":{\"ada\":{\"user-name\":\"ada\",\"hash\":\"h\","
                                      "\"payload\":{\"userName\":\"ada\"}}}}", -1, NULL));
  g_assert_false (prov_push_state_load (damaged, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_assert_cmpuint (prov_push_state_get_n_users (damaged), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

    for (const char *name; (name = g_dir_read_name (listing)) != NULL;)
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);
        g_remove (aside);
      }
  }
  g_rmdir (dir);
}

static void
test_push_state_queued_failure (void)
{
  g_autofree char *dir = g_dir_make_tmp ("provisioner-write-queue-XXXXXX", NULL);
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "state.json", NULL);
  g_autoptr(ProvPushState) state = prov_push_state_new ("uuid", path);
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GError) error = NULL;

  /* The state's folder cannot be made: a file is in the way. */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  prov_push_state_record (state, "ada", "1", "hash", TRUE, "{}");
  /* May already say so, if the worker was quick. */
  prov_push_state_queue_save (state, NULL);
  prov_push_state_flush_async (state, NULL, got_result_cb, &flushed);
  g_assert_false (prov_push_state_flush_finish (wait_for (&flushed), &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);

  /* Reported once: with the way cleared, the next save lands. */
  g_clear_error (&error);
  g_clear_object (&flushed);
  g_remove (blocker);
  g_assert_true (prov_push_state_queue_save (state, &error));
  prov_push_state_flush_async (state, NULL, got_result_cb, &flushed);
  g_assert_true (prov_push_state_flush_finish (wait_for (&flushed), &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_remove (path);
  g_rmdir (blocker);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/write-queue/order-and-errors", test_queue_order_and_errors);
  g_test_add_func ("/write-queue/bursts-and-pauses", test_queue_bursts_and_pauses);
  g_test_add_func ("/write-queue/finalize-writes-everything", test_queue_finalize_writes_everything);
  g_test_add_func ("/write-queue/private-context-dropped", test_queue_private_context_dropped);
  g_test_add_func ("/write-queue/journal-and-history", test_journal_and_history);
  g_test_add_func ("/write-queue/push-state", test_push_state_queued);
  g_test_add_func ("/write-queue/push-state-text", test_push_state_text_round_trip);
  g_test_add_func ("/write-queue/push-state-format-1", test_push_state_format_1);
  g_test_add_func ("/write-queue/push-state-failure", test_push_state_queued_failure);

  return g_test_run ();
}
