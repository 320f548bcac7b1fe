/* test-config-files.c — targets.json, source.json and the state files
 * against what other programs and damaged disks do to them
 *
 * A newer format is never rewritten, a file changed by another program
 * (another process here, for real) is never silently overwritten, a
 * symlink stays a symlink, and a folder, a FIFO or a device in place of a
 * file is refused at once instead of hanging or crashing the app.
 *
 * The test re-executes itself as `test-config-files --writer PATH NAME DIR`
 * for the two-process cases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "prov-error.h"
#include "prov-journal.h"
#include "prov-push-state.h"
#include "prov-source.h"
#include "prov-target-store.h"
#include "test-helpers.h"

#define UUID_A "3b241101-e2bb-4255-8caf-4136c566a962"
#define UUID_B "0b6c7e3e-6f0b-4c1a-9d2e-8f7a6b5c4d3e"

/* Exit codes of a --writer child. */
#define WRITER_SAVED    0
#define WRITER_REFUSED  3

typedef struct
{
  char *dir;
  char *path;   /* dir/targets.json */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-config-files-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "targets.json", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static ProvTargetSystem *
new_jam (const char *name)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "jam-client");
  return target;
}

static ProvTargetStore *
load_store (const char *path)
{
  ProvTargetStore *store = prov_target_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  return store;
}

/* The display names in the file, in order, joined by commas. */
static char *
names_on_disk (const char *path)
{
  g_autoptr(ProvTargetStore) store = load_store (path);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (i > 0)
        g_string_append_c (names, ',');
      g_string_append (names, prov_target_system_get_display_name (target));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

static const char newer_targets[] =
  "{\n"
  "  \"format-version\": 7,\n"
  "  \"x-policy\": { \"mode\": \"strict\" },\n"
  "  \"targets\": [\n"
  "    { \"uuid\": \"" UUID_A "\", \"type\": \"sap-jam\", \"display-name\": \"Jam\",\n"
  "      \"url\": \"https://jam4.sapjam.com\", \"client-id\": \"c\" },\n"
  "    { \"uuid\": \"" UUID_B "\", \"type\": \"sap-hana-cloud\", \"display-name\": \"New kind\" },\n"
  "    \"a target in a shape this version does not know\"\n"
  "  ]\n"
  "}\n";

/* targets.json */

static void
test_targets_newer_version (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->path);
  g_autoptr(ProvTargetSystem) added = new_jam ("Added");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  write_text (f->path, newer_targets);
  before = read_bytes (f->path);

  /* What this version understands is shown; the rest is no damage. */
  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (count_entries (f->dir), ==, 1);

  g_assert_true (prov_target_store_is_read_only (store));
  g_assert_false (prov_target_store_check_writable (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_clear_error (&error);

  prov_target_store_append (store, added);
  g_assert_false (prov_target_store_save (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  prov_target_store_save_async (store, NULL, got_result_cb, &result);
  g_assert_false (prov_target_store_save_finish (store, wait_for (&result), &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY);

  /* Byte for byte what the newer version wrote. */
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

/* A symlinked targets.json: the file it points to is replaced, atomically,
 * and the link stays a link. */
static void
test_targets_symlink (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *real_dir = g_build_filename (f->dir, "dotfiles", NULL);
  g_autofree char *real = g_build_filename (real_dir, "targets.json", NULL);
  g_autoptr(ProvTargetStore) store = NULL;
  g_autoptr(ProvTargetSystem) target = new_jam ("Through the link");
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *names = NULL;
  struct stat st;

  g_assert_cmpint (g_mkdir (real_dir, 0700), ==, 0);
  write_text (real, "{\"format-version\": 1, \"targets\": []}");
  g_assert_cmpint (symlink ("dotfiles/targets.json", f->path), ==, 0);

  store = load_store (f->path);
  prov_target_store_append (store, target);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (lstat (f->path, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  link = g_file_read_link (f->path, &error);
  g_assert_cmpstr (link, ==, "dotfiles/targets.json");
  g_assert_cmpint (stat (real, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  names = names_on_disk (real);
  g_assert_cmpstr (names, ==, "Through the link");
  /* No temporary file left beside either. */
  g_assert_cmpuint (count_entries (real_dir), ==, 1);
  g_assert_cmpuint (count_entries (f->dir), ==, 2);

  /* And a second save goes the same way. */
  prov_target_system_set_display_name (target, "Renamed");
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (f->path, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_free (names);
  names = names_on_disk (f->path);
  g_assert_cmpstr (names, ==, "Renamed");
}

/* Two stores on one file, in one process: the second save is refused, the
 * first writer's target survives, and a reload then lets both in. */
static void
test_targets_changed_on_disk (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(ProvTargetStore) ours = NULL;
  g_autoptr(ProvTargetStore) theirs = NULL;
  g_autoptr(ProvTargetSystem) mine = new_jam ("Mine");
  g_autoptr(ProvTargetSystem) other = new_jam ("Theirs");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;

  write_text (f->path, "{\"format-version\": 1, \"targets\": []}");
  ours = load_store (f->path);
  theirs = load_store (f->path);

  prov_target_store_append (theirs, other);
  g_assert_true (prov_target_store_save (theirs, &error));
  g_assert_no_error (error);

  prov_target_store_append (ours, mine);
  prov_target_store_save_async (ours, NULL, got_result_cb, &result);
  g_assert_false (prov_target_store_save_finish (ours, wait_for (&result), &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CHANGED_ON_DISK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_clear_error (&error);
  names = names_on_disk (f->path);
  g_assert_cmpstr (names, ==, "Theirs");

  /* Reloading shows their target; ours is added again and saved. */
  g_assert_true (prov_target_store_load (ours, &error));
  g_assert_no_error (error);
  prov_target_store_append (ours, mine);
  g_assert_true (prov_target_store_save (ours, &error));
  g_assert_no_error (error);
  g_free (names);
  names = names_on_disk (f->path);
  g_assert_cmpstr (names, ==, "Theirs,Mine");

  /* A file created after we saw none is another program's too. */
  g_unlink (f->path);
  g_assert_true (prov_target_store_load (ours, &error));
  write_text (f->path, "{\"format-version\": 1, \"targets\": []}");
  g_assert_false (prov_target_store_save (ours, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CHANGED_ON_DISK);
}

/* --writer PATH NAME DIR: load, say so, wait for the go, add NAME, save. */
static int
run_writer (const char *path,
            const char *name,
            const char *dir)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (path);
  g_autoptr(ProvTargetSystem) target = new_jam (name);
  g_autofree char *loaded = g_strdup_printf ("%s/loaded-%s", dir, name);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autoptr(GError) error = NULL;

  if (!prov_target_store_load (store, &error))
    return 1;
  if (!g_file_set_contents (loaded, "", 0, NULL))
    return 1;
  for (guint i = 0; !g_file_test (go, G_FILE_TEST_EXISTS); i++)
    {
      if (i > 2000)
        return 1;
      g_usleep (10 * 1000);
    }

  prov_target_store_append (store, target);
  if (prov_target_store_save (store, &error))
    return WRITER_SAVED;
  g_printerr ("%s: %s\n", name, error->message);
  return g_error_matches (error, PROV_ERROR, PROV_ERROR_CHANGED_ON_DISK) ? WRITER_REFUSED : 1;
}

static GPid
spawn_writer (Fixture    *f,
              const char *sync_dir,
              const char *name)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--writer", f->path, name, sync_dir, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer user_data)
{
  int *out = user_data;

  *out = WIFEXITED (status) ? WEXITSTATUS (status) : 100;
  g_spawn_close_pid (pid);
}

static int
wait_child (GPid pid)
{
  int status = -1;

  g_child_watch_add (pid, child_exited_cb, &status);
  while (status == -1)
    g_main_context_iteration (NULL, TRUE);
  return status;
}

/* Two processes load the same file, then both save at the same moment:
 * exactly one saves, the other is told, and nothing is silently lost. */
static void
test_targets_two_processes (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *sync_dir = g_build_filename (f->dir, "sync", NULL);
  g_autofree char *go = g_build_filename (sync_dir, "go", NULL);
  g_autofree char *names = NULL;
  int status_a, status_b;
  GPid a, b;

  g_assert_cmpint (g_mkdir (sync_dir, 0700), ==, 0);
  write_text (f->path, "{\"format-version\": 1, \"targets\": []}");

  a = spawn_writer (f, sync_dir, "A");
  b = spawn_writer (f, sync_dir, "B");
  for (guint i = 0; count_entries (sync_dir) < 2; i++)
    {
      g_assert_cmpuint (i, <, 2000);
      g_usleep (10 * 1000);
    }
  write_text (go, "");

  status_a = wait_child (a);
  status_b = wait_child (b);
  g_test_message ("writer A exited %d, writer B %d", status_a, status_b);

  names = names_on_disk (f->path);
  if (status_a == WRITER_SAVED)
    {
      g_assert_cmpint (status_b, ==, WRITER_REFUSED);
      g_assert_cmpstr (names, ==, "A");
    }
  else
    {
      g_assert_cmpint (status_a, ==, WRITER_REFUSED);
      g_assert_cmpint (status_b, ==, WRITER_SAVED);
      g_assert_cmpstr (names, ==, "B");
    }
}

static void
file_changed_cb (ProvTargetStore *store,
                 guint           *count)
{
  (*count)++;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @count is non-zero or @ms pass. */
static void
iterate_until (guint *count,
               guint  ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, timeout_cb, &timed_out);

  while (*count == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

/* The store tells when another program changes the file, not when it
 * saves itself; a reload keeps the objects of targets still there. */
static void
test_targets_file_changed_signal (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = NULL;
  g_autoptr(ProvTargetStore) other = NULL;
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(ProvTargetSystem) kept = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  store = load_store (f->path);
  g_signal_connect (store, "file-changed", G_CALLBACK (file_changed_cb), &changes);

  prov_target_store_append (store, target);
  prov_target_store_save_async (store, NULL, got_result_cb, &result);
  g_assert_true (prov_target_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  iterate_until (&changes, 1500);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_false (prov_target_store_get_changed_on_disk (store));

  other = load_store (f->path);
  {
    g_autoptr(ProvTargetSystem) theirs = g_list_model_get_item (G_LIST_MODEL (other), 0);
    prov_target_system_set_display_name (theirs, "Renamed elsewhere");
  }
  g_assert_true (prov_target_store_save (other, &error));
  g_assert_no_error (error);

  iterate_until (&changes, 10000);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (prov_target_store_get_changed_on_disk (store));

  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_false (prov_target_store_get_changed_on_disk (store));
  kept = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (kept == target);
  g_assert_cmpstr (prov_target_system_get_display_name (target), ==, "Renamed elsewhere");
}

/* Not a regular file: refused before reading, and the store refuses to
 * save over it. A FIFO must not block the load, /dev/zero must not fill
 * memory. */
static void
assert_not_regular_refused (Fixture *f)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_store_load_async (store, NULL, got_result_cb, &result);
  g_assert_false (prov_target_store_load_finish (store, wait_for (&result), &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);
  g_assert_true (prov_target_store_is_read_only (store));

  prov_target_store_append (store, target);
  g_assert_false (prov_target_store_save (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
}

static void
test_targets_fifo (Fixture       *f,
                   gconstpointer  data)
{
  struct stat st;

  g_assert_cmpint (mkfifo (f->path, 0600), ==, 0);
  assert_not_regular_refused (f);
  g_assert_cmpint (lstat (f->path, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

static void
test_targets_dev_zero (Fixture       *f,
                       gconstpointer  data)
{
  g_assert_cmpint (symlink ("/dev/zero", f->path), ==, 0);
  assert_not_regular_refused (f);
}

/* Far over the size any list of targets has: damaged, moved aside. */
static void
test_targets_too_large (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->path);
  g_autoptr(GError) error = NULL;
  FILE *file = fopen (f->path, "w");

  g_assert_nonnull (file);
  g_assert_cmpint (ftruncate (fileno (file), 40 * 1024 * 1024), ==, 0);
  fclose (file);

  g_assert_false (prov_target_store_load (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (prov_target_store_is_read_only (store));
}

/* source.json */

static char *
source_path (Fixture *f)
{
  return g_build_filename (f->dir, "source.json", NULL);
}

static void
test_source_newer_version (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = source_path (f);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  write_text (path,
              "{ \"format-version\": 3, \"kind\": \"csv\", \"csv-path\": \"/srv/users.csv\",\n"
              "  \"connection\": { \"shape\": \"of the future\" }, \"x-new\": [1, 2] }\n");
  before = read_bytes (path);

  g_assert_true (prov_source_load (source, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_source_get_kind (source), ==, PROV_SOURCE_KIND_CSV);
  g_assert_cmpstr (prov_source_get_csv_path (source), ==, "/srv/users.csv");
  g_assert_true (prov_source_is_read_only (source));
  g_assert_false (prov_source_check_writable (source, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  prov_source_set_csv_path (source, "/srv/other.csv");
  g_assert_false (prov_source_save (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_source_changed_on_disk (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = source_path (f);
  g_autoptr(ProvSource) ours = prov_source_new ();
  g_autoptr(ProvSource) theirs = prov_source_new ();
  g_autoptr(ProvSource) check = prov_source_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_source_load (ours, path, &error));
  g_assert_true (prov_source_load (theirs, path, &error));

  prov_source_set_kind (theirs, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (theirs, "/srv/theirs.csv");
  g_assert_true (prov_source_save (theirs, path, &error));
  g_assert_no_error (error);

  prov_source_set_kind (ours, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (ours, "/srv/ours.csv");
  g_assert_false (prov_source_save (ours, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CHANGED_ON_DISK);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_true (prov_source_load (check, path, &error));
  g_assert_cmpstr (prov_source_get_csv_path (check), ==, "/srv/theirs.csv");

  /* Reloaded, the next save goes through. */
  g_assert_true (prov_source_load (ours, path, &error));
  prov_source_set_csv_path (ours, "/srv/ours.csv");
  g_assert_true (prov_source_save (ours, path, &error));
  g_assert_no_error (error);
}

static void
test_source_symlink (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = source_path (f);
  g_autofree char *real = g_build_filename (f->dir, "real-source.json", NULL);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(ProvSource) check = prov_source_new ();
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_cmpint (symlink (real, path), ==, 0);   /* dangling at first */
  g_assert_true (prov_source_load (source, path, &error));
  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, "/srv/users.csv");
  g_assert_true (prov_source_save (source, path, &error));
  g_assert_no_error (error);

  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (g_file_test (real, G_FILE_TEST_IS_REGULAR));
  g_assert_true (prov_source_load (check, real, &error));
  g_assert_cmpstr (prov_source_get_csv_path (check), ==, "/srv/users.csv");
}

static void
test_source_damaged (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = source_path (f);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GError) error = NULL;

  write_text (path, "{ \"format-version\": 1, \"connection\": ");
  g_assert_false (prov_source_load (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "source.json.corrupt-"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The next start finds no file: the default source. */
  g_assert_true (prov_source_load (source, path, &error));
  g_assert_no_error (error);
  g_assert_true (prov_source_save (source, path, &error));
  g_assert_no_error (error);
}

static void
test_source_directory (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = source_path (f);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_false (prov_source_load (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is a folder"));
  g_clear_error (&error);

  g_assert_false (prov_source_save (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
}

/* A save that fails says where and why, without the temporary file GLib
 * writes first: a name of 250 characters is fine, its temporary name (7
 * more) is too long even for root. */
static void
test_source_name_too_long (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *name = g_strnfill (250, 's');
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *expected = g_strdup_printf ("The source of users could not be saved to “%s”: %s",
                                               path, g_strerror (ENAMETOOLONG));
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (prov_source_save (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
}

/* The push state */

static void
test_push_state_fifo (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "pushed.json", NULL);
  g_autoptr(ProvPushState) state = prov_push_state_new (UUID_A, path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_false (prov_push_state_load (state, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, 0);
}

/* Nested far deeper than json-glib's recursion survives (about 80,000
 * levels overflow its stack): checked before parsing, so the file is
 * moved aside and the app starts. */
#define DEEP 200000

static char *
deeply_nested (const char *prefix,
               const char *suffix)
{
  g_autoptr(GString) text = g_string_new (prefix);

  for (guint i = 0; i < DEEP; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < DEEP; i++)
    g_string_append_c (text, ']');
  g_string_append (text, suffix);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
count_prefixed (const char *dir,
                const char *prefix)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static void
test_targets_nested (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *text = deeply_nested ("{\"format-version\": 1, \"targets\": ", "}");
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  write_text (f->path, text);
  prov_target_store_load_async (store, NULL, got_result_cb, &result);
  g_assert_false (prov_target_store_load_finish (store, wait_for (&result), &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "nests deeper"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (f->dir, "targets.json.corrupt-"), ==, 1);
  g_clear_error (&error);

  /* The next start is a normal one. */
  prov_target_store_append (store, target);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
}

static void
test_source_nested (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = source_path (f);
  g_autofree char *text = deeply_nested ("{\"format-version\": 1, \"connection\": ", "}");
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(GError) error = NULL;

  write_text (path, text);
  g_assert_false (prov_source_load (source, path, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (f->dir, "source.json.corrupt-"), ==, 1);
}

static void
test_push_state_nested (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "pushed.json", NULL);
  g_autofree char *text = deeply_nested ("{\"format-version\": 1, \"users\": {\"a\": {\"payload\": ", "}}}");
  g_autoptr(ProvPushState) state = prov_push_state_new (UUID_A, path);
  g_autoptr(GError) error = NULL;

  write_text (path, text);
  g_assert_false (prov_push_state_load (state, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (f->dir, "pushed.json.corrupt-"), ==, 1);
  g_clear_error (&error);
  g_assert_true (prov_push_state_save (state, &error));
  g_assert_no_error (error);
}

/* An octal escape (not JSON, though json-glib reads it) made a byte that
 * is not UTF-8: the state loaded, saved, and could not load again. It is
 * damaged from the start now, kept aside like any other. */
static void
test_push_state_octal_escape (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "pushed.json", NULL);
  g_autoptr(ProvPushState) state = prov_push_state_new (UUID_A, path);
  g_autoptr(GError) error = NULL;

  write_text (path, "{\"format-version\":1,\"users\":{\"alice\":{\"user-name\":\"alice\",\"hash\":\"\\222\","
                    "\"payload\":{\"userName\":\"alice\"}}}}");
  g_assert_false (prov_push_state_load (state, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_assert_cmpuint (prov_push_state_get_n_users (state), ==, 0);
  g_assert_cmpuint (count_prefixed (f->dir, "pushed.json.corrupt-"), ==, 1);
}

/* A damaged journal line is skipped like any other; the rest is read. */
static void
test_journal_nested_line (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "20261204T100000-3b241101.jsonl", NULL);
  g_autofree char *nested = deeply_nested ("{\"type\": \"entry\", \"user\": ", "}");
  g_autofree char *text = g_strconcat (
    "{\"type\":\"run\",\"time\":\"2026-12-04T10:00:00Z\",\"target-uuid\":\"" UUID_A "\"}\n",
    nested, "\n",
    "{\"type\":\"entry\",\"user\":\"alice\",\"action\":\"create\",\"ok\":true}\n", NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  write_text (path, text);
  entries = prov_journal_read_entries (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((ProvJournalEntry *) g_ptr_array_index (entries, 0))->user_name, ==, "alice");

  runs = prov_journal_list_runs (f->dir, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpuint (((ProvJournalRun *) g_ptr_array_index (runs, 0))->succeeded, ==, 1);
}

/* A damaged journal may hold two run lines (two runs' files joined by
 * hand): the history shows one run, the last line's, and nothing leaks
 * (the ASan build checks that). */
static void
test_journal_two_run_lines (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "20261204T100000-3b241101.jsonl", NULL);
  g_autoptr(GPtrArray) runs = NULL;
  ProvJournalRun *run;

  write_text (path,
              "{\"type\":\"run\",\"time\":\"2026-12-04T10:00:00Z\",\"target-uuid\":\"" UUID_A "\",\"target-name\":\"First\",\"scenario\":\"all-users\"}\n"
              "{\"type\":\"entry\",\"user\":\"alice\",\"action\":\"create\",\"ok\":true}\n"
              "{\"type\":\"run\",\"time\":\"2026-12-05T10:00:00Z\",\"target-uuid\":\"" UUID_A "\",\"target-name\":\"Second\",\"scenario\":\"selected\"}\n");

  runs = prov_journal_list_runs (f->dir, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->target_name, ==, "Second");
  g_assert_cmpstr (run->scenario, ==, "selected");
  g_assert_cmpint (g_date_time_get_day_of_month (run->started), ==, 5);
  g_assert_cmpuint (run->succeeded, ==, 1);
}

/* The history reads an ended run by its first and last lines; a file
 * that is not one run (two ended runs joined, a run line that is not
 * first) is read line by line and listed as before: the last run line's
 * target, the last end line's counts. */
static void
test_journal_ended_runs (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *ended = g_build_filename (f->dir, "20261204T090000-00000001.jsonl", NULL);
  g_autofree char *joined = g_build_filename (f->dir, "20261204T100000-00000002.jsonl", NULL);
  g_autofree char *late = g_build_filename (f->dir, "20261204T110000-00000003.jsonl", NULL);
  g_autoptr(GPtrArray) runs = NULL;
  ProvJournalRun *run;

  /* The end line's counts, whatever the entries (one is damaged). */
  write_text (ended,
              "{\"type\":\"run\",\"time\":\"2026-12-04T09:00:00Z\",\"target-uuid\":\"" UUID_A "\",\"target-name\":\"Ended\",\"scenario\":\"all-users\"}\n"
              "{\"type\":\"entry\",\"user\":\"alice\",\"action\":\"create\",\"ok\":true}\n"
              "{\"type\":\"entry\",\"user\":\"bo\n"
              "{\"type\":\"end\",\"time\":\"2026-12-04T09:00:01Z\",\"succeeded\":7,\"failed\":2,\"cancelled\":true}\n\n");
  write_text (joined,
              "{\"type\":\"run\",\"time\":\"2026-12-04T10:00:00Z\",\"target-uuid\":\"" UUID_A "\",\"target-name\":\"First\",\"scenario\":\"all-users\"}\n"
              "{\"type\":\"end\",\"time\":\"2026-12-04T10:00:01Z\",\"succeeded\":1,\"failed\":0}\n"
              "{\"type\":\"run\",\"time\":\"2026-12-05T10:00:00Z\",\"target-uuid\":\"" UUID_A "\",\"target-name\":\"Second\",\"scenario\":\"selected\"}\n"
              "{\"type\":\"end\",\"time\":\"2026-12-05T10:00:01Z\",\"succeeded\":3,\"failed\":4}\n");
  write_text (late,
              "{\"type\":\"entry\",\"user\":\"alice\",\"action\":\"create\",\"ok\":true}\n"
              "{\"type\":\"run\",\"time\":\"2026-12-04T11:00:00Z\",\"target-uuid\":\"" UUID_A "\",\"target-name\":\"Late\",\"scenario\":\"all-users\"}\n"
              "{\"type\":\"end\",\"time\":\"2026-12-04T11:00:01Z\",\"succeeded\":5,\"failed\":0}\n");

  runs = prov_journal_list_runs (f->dir, NULL);
  g_assert_cmpuint (runs->len, ==, 3);

  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->target_name, ==, "Late");
  g_assert_true (run->finished);
  g_assert_cmpuint (run->succeeded, ==, 5);

  run = g_ptr_array_index (runs, 1);
  g_assert_cmpstr (run->target_name, ==, "Second");
  g_assert_cmpstr (run->scenario, ==, "selected");
  g_assert_cmpint (g_date_time_get_day_of_month (run->started), ==, 5);
  g_assert_cmpuint (run->succeeded, ==, 3);
  g_assert_cmpuint (run->failed, ==, 4);

  run = g_ptr_array_index (runs, 2);
  g_assert_cmpstr (run->target_name, ==, "Ended");
  g_assert_true (run->finished);
  g_assert_true (run->cancelled);
  g_assert_cmpuint (run->succeeded, ==, 7);
  g_assert_cmpuint (run->failed, ==, 2);
  g_assert_null (run->error);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 5 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/config-files/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("targets/newer-version", test_targets_newer_version);
  ADD ("targets/symlink", test_targets_symlink);
  ADD ("targets/changed-on-disk", test_targets_changed_on_disk);
  ADD ("targets/two-processes", test_targets_two_processes);
  ADD ("targets/file-changed-signal", test_targets_file_changed_signal);
  ADD ("targets/fifo", test_targets_fifo);
  ADD ("targets/dev-zero", test_targets_dev_zero);
  ADD ("targets/too-large", test_targets_too_large);
  ADD ("source/newer-version", test_source_newer_version);
  ADD ("source/changed-on-disk", test_source_changed_on_disk);
  ADD ("source/symlink", test_source_symlink);
  ADD ("source/damaged", test_source_damaged);
  ADD ("source/directory", test_source_directory);
  ADD ("source/name-too-long", test_source_name_too_long);
  ADD ("push-state/fifo", test_push_state_fifo);
  ADD ("targets/nested", test_targets_nested);
  ADD ("source/nested", test_source_nested);
  ADD ("push-state/nested", test_push_state_nested);
  ADD ("push-state/octal-escape", test_push_state_octal_escape);
  ADD ("journal/nested-line", test_journal_nested_line);
  ADD ("journal/two-run-lines", test_journal_two_run_lines);
  ADD ("journal/ended-runs", test_journal_ended_runs);

#undef ADD

  return g_test_run ();
}
