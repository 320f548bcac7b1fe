/* test-sync-queue.c — the durable queue of real-time changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prov-sync-queue.h"
#include "test-helpers.h"

/* A scratch folder, removed when it goes out of scope: after the queues
 * declared after it, whose last writes their finalize waits for. */
typedef char ScratchDir;

static void
scratch_dir_free (ScratchDir *dir)
{
  remove_tree (dir);
  g_free (dir);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScratchDir, scratch_dir_free)

static ScratchDir *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-sync-queue-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static ProvOperation *
make_operation (const char *user_name,
                ProvAction  action,
                const char *title)
{
  ProvOperation *operation = g_new0 (ProvOperation, 1);

  operation->action = action;
  operation->user_name = g_strdup (user_name);
  operation->active = action != PROV_ACTION_DEACTIVATE;
  if (action != PROV_ACTION_DELETE)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (payload, "userName", user_name);
      json_object_set_string_member (payload, "title", title);
      node = json_node_init_object (json_node_alloc (), payload);
      operation->body = json_to_string (node, FALSE);
      operation->hash = g_strdup_printf ("hash-%s-%s", user_name, title);
    }
  else
    operation->target_id = g_strdup ("target-id-1");
  return operation;
}

/* Waits until everything queued is on disk; the main loop runs meanwhile,
 * as the writes happen on the queue's worker thread. */
static gboolean
flush (ProvSyncQueue  *queue,
       GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_sync_queue_flush_async (queue, NULL, got_result_cb, &result);
  return prov_sync_queue_flush_finish (queue, wait_for (&result), error);
}

static void
assert_flushed (ProvSyncQueue *queue)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (flush (queue, &error));
  g_assert_no_error (error);
}

static guint64
push (ProvSyncQueue *queue,
      const char    *user_name,
      ProvAction     action,
      const char    *title)
{
  g_autoptr(ProvOperation) operation = make_operation (user_name, action, title);
  guint64 sequence = prov_sync_queue_push (queue, operation);

  g_assert_cmpuint (sequence, >, 0);
  return sequence;
}

/* The title the operation sends (owned by the test's string chunk). */
static const char *
title_of (ProvOperation *operation)
{
  static GStringChunk *titles;
  g_autoptr(JsonNode) node = json_from_string (operation->body, NULL);

  if (titles == NULL)
    titles = g_string_chunk_new (256);
  g_assert_nonnull (node);
  return g_string_chunk_insert (titles, json_object_get_string_member (json_node_get_object (node), "title"));
}

/* Only the newest state of a user waits, at the place of its newest change;
 * all of it comes back from the file in a new queue. */
static void
test_coalesce_and_reload (void)
{
  g_autoptr(ScratchDir) dir = make_dir ();
  g_autofree char *path = prov_sync_queue_get_default_path (dir, "uuid-1");
  g_autoptr(ProvSyncQueue) queue = prov_sync_queue_new (path);
  g_autoptr(ProvSyncQueue) again = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GArray) sequences = NULL;
  g_autoptr(GError) error = NULL;
  ProvOperation *operation;

  g_assert_true (prov_sync_queue_load (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prov_sync_queue_get_length (queue), ==, 0);

  push (queue, "alice", PROV_ACTION_CREATE, "one");
  push (queue, "bob", PROV_ACTION_UPDATE, "one");
  push (queue, "ALICE", PROV_ACTION_UPDATE, "two");
  push (queue, "carol", PROV_ACTION_DELETE, NULL);
  g_assert_cmpuint (prov_sync_queue_get_length (queue), ==, 3);
  assert_flushed (queue);

  again = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (again, &error));
  g_assert_no_error (error);
  pending = prov_sync_queue_dup_pending (again, &sequences);
  g_assert_cmpuint (pending->len, ==, 3);
  g_assert_cmpuint (sequences->len, ==, 3);

  operation = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (operation->user_name, ==, "bob");
  operation = g_ptr_array_index (pending, 1);
  g_assert_cmpstr (operation->user_name, ==, "ALICE");
  g_assert_cmpint (operation->action, ==, PROV_ACTION_UPDATE);
  g_assert_cmpstr (title_of (operation), ==, "two");
  g_assert_cmpstr (operation->hash, ==, "hash-ALICE-two");
  operation = g_ptr_array_index (pending, 2);
  g_assert_cmpstr (operation->user_name, ==, "carol");
  g_assert_cmpint (operation->action, ==, PROV_ACTION_DELETE);
  g_assert_null (operation->body);
  g_assert_cmpstr (operation->target_id, ==, "target-id-1");
  g_assert_cmpuint (g_array_index (sequences, guint64, 0), <, g_array_index (sequences, guint64, 1));

  /* New entries continue after the loaded ones. */
  g_assert_cmpuint (push (again, "dave", PROV_ACTION_CREATE, "one"), >,
                    g_array_index (sequences, guint64, 2));
}

/* An entry leaves only when the target accepted that very state: a newer
 * state queued while the older was on the wire stays. */
static void
test_remove (void)
{
  g_autoptr(ScratchDir) dir = make_dir ();
  g_autofree char *path = prov_sync_queue_get_default_path (dir, "uuid-2");
  g_autoptr(ProvSyncQueue) queue = prov_sync_queue_new (path);
  g_autoptr(ProvSyncQueue) again = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  guint64 first, second, bob;

  first = push (queue, "alice", PROV_ACTION_CREATE, "one");
  bob = push (queue, "bob", PROV_ACTION_CREATE, "one");
  second = push (queue, "alice", PROV_ACTION_UPDATE, "two");

  /* The older state of alice was pushed: the newer one stays. */
  g_assert_false (prov_sync_queue_remove (queue, "alice", first));
  g_assert_cmpuint (prov_sync_queue_get_length (queue), ==, 2);

  g_assert_true (prov_sync_queue_remove (queue, "bob", bob));
  g_assert_cmpuint (prov_sync_queue_get_length (queue), ==, 1);
  assert_flushed (queue);

  again = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (again, &error));
  pending = prov_sync_queue_dup_pending (again, NULL);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (title_of (g_ptr_array_index (pending, 0)), ==, "two");

  g_assert_true (prov_sync_queue_remove (again, "alice", second));
  assert_flushed (again);
  g_clear_object (&again);
  again = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (again, &error));
  g_assert_cmpuint (prov_sync_queue_get_length (again), ==, 0);
}

/* Many acknowledged entries: the file is rewritten and stays small, and
 * what waits survives it. */
static void
test_compaction (void)
{
  g_autoptr(ScratchDir) dir = make_dir ();
  g_autofree char *path = prov_sync_queue_get_default_path (dir, "uuid-3");
  g_autoptr(ProvSyncQueue) queue = prov_sync_queue_new (path);
  g_autoptr(ProvSyncQueue) again = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  push (queue, "keep", PROV_ACTION_CREATE, "kept");
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);
      guint64 sequence = push (queue, name, PROV_ACTION_CREATE, "x");
      g_assert_true (prov_sync_queue_remove (queue, name, sequence));
    }
  assert_flushed (queue);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <, 64 * 1024);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (again, &error));
  g_assert_cmpuint (prov_sync_queue_get_length (again), ==, 1);
}

/* A crash mid-write leaves a torn last line: it is ignored, and what is
 * appended next is not glued to it. */
static void
test_torn_line (void)
{
  g_autoptr(ScratchDir) dir = make_dir ();
  g_autofree char *path = prov_sync_queue_get_default_path (dir, "uuid-4");
  g_autoptr(ProvSyncQueue) queue = prov_sync_queue_new (path);
  g_autoptr(ProvSyncQueue) again = NULL;
  g_autoptr(ProvSyncQueue) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *torn = NULL;

  push (queue, "alice", PROV_ACTION_CREATE, "one");
  assert_flushed (queue);
  g_clear_object (&queue);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  torn = g_strconcat (contents, "{\"seq\":2,\"user\":\"bob\",\"act", NULL);
  g_assert_true (g_file_set_contents (path, torn, -1, NULL));

  again = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prov_sync_queue_get_length (again), ==, 1);
  push (again, "carol", PROV_ACTION_CREATE, "one");
  assert_flushed (again);

  third = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (third, &error));
  g_assert_cmpuint (prov_sync_queue_get_length (third), ==, 2);
}

/* The child of test_crash, a process of its own (this program run with
 * --append-forever): appends forever, and after each flush has completed
 * writes the count to @progress. */
static int
append_forever (const char *path,
                const char *progress)
{
  g_autoptr(ProvSyncQueue) queue = prov_sync_queue_new (path);

  for (guint i = 1; ; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);
      g_autofree char *title = g_strnfill (2000, 'a' + i % 26);
      g_autofree char *count = g_strdup_printf ("%u", i);
      g_autoptr(ProvOperation) operation = make_operation (name, PROV_ACTION_CREATE, title);

      prov_sync_queue_push (queue, operation);
      if (!flush (queue, NULL))
        return 3;
      g_file_set_contents (progress, count, -1, NULL);
    }
  return 0;
}

/* SIGKILL while a process appends: the queue it leaves loads, holds every
 * entry whose flush had completed, and takes new entries. */
static void
test_crash (void)
{
  g_autoptr(ScratchDir) dir = make_dir ();
  g_autofree char *path = prov_sync_queue_get_default_path (dir, "uuid-5");
  g_autofree char *progress = g_build_filename (dir, "progress", NULL);
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(ProvSyncQueue) queue = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done_text = NULL;
  const char *child_argv[] = { self_path, "--append-forever", path, progress, NULL };
  guint64 done = 0;
  GPid pid;
  int status;

  g_assert_nonnull (self_path);
  g_assert_true (g_spawn_async (NULL, (char **) child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  while (!g_file_test (progress, G_FILE_TEST_EXISTS))
    g_usleep (10 * 1000);
  g_usleep (200 * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  g_assert_true (g_file_get_contents (progress, &done_text, NULL, NULL));
  done = g_ascii_strtoull (done_text, NULL, 10);
  g_test_message ("%" G_GUINT64_FORMAT " entries flushed before SIGKILL", done);

  queue = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (prov_sync_queue_get_length (queue), >=, done);
  /* At most the one being written when the kill came. */
  g_assert_cmpuint (prov_sync_queue_get_length (queue), <=, done + 1);

  pending = prov_sync_queue_dup_pending (queue, NULL);
  for (guint i = 0; i < pending->len; i++)
    {
      ProvOperation *operation = g_ptr_array_index (pending, i);
      g_autofree char *name = g_strdup_printf ("user%u", i + 1);

      g_assert_cmpstr (operation->user_name, ==, name);
      g_assert_cmpuint (strlen (title_of (operation)), ==, 2000);
    }

  push (queue, "after", PROV_ACTION_CREATE, "one");
  assert_flushed (queue);
  g_clear_object (&queue);
  queue = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (queue, &error));
  g_assert_cmpuint (prov_sync_queue_get_length (queue), ==, pending->len + 1);
}

/* The file cannot be written (its folder is a file): the flush says so
 * with a sentence, the entries stay in memory, and once the folder can
 * be made the next flush writes all of them. */
static void
test_write_failure (void)
{
  g_autoptr(ScratchDir) dir = make_dir ();
  g_autofree char *path = prov_sync_queue_get_default_path (dir, "uuid-6");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(ProvSyncQueue) queue = prov_sync_queue_new (path);
  g_autoptr(ProvSyncQueue) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (folder, "not a folder", -1, NULL));
  push (queue, "alice", PROV_ACTION_CREATE, "one");
  g_assert_false (flush (queue, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "uuid-6"));
  g_assert_cmpuint (prov_sync_queue_get_length (queue), ==, 1);

  g_assert_cmpint (g_remove (folder), ==, 0);
  push (queue, "bob", PROV_ACTION_CREATE, "one");
  assert_flushed (queue);

  again = prov_sync_queue_new (path);
  g_assert_true (prov_sync_queue_load (again, NULL));
  g_assert_cmpuint (prov_sync_queue_get_length (again), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--append-forever"))
    return append_forever (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-queue/coalesce-and-reload", test_coalesce_and_reload);
  g_test_add_func ("/sync-queue/remove", test_remove);
  g_test_add_func ("/sync-queue/compaction", test_compaction);
  g_test_add_func ("/sync-queue/torn-line", test_torn_line);
  g_test_add_func ("/sync-queue/crash", test_crash);
  g_test_add_func ("/sync-queue/write-failure", test_write_failure);

  return g_test_run ();
}
