/* test-target-store-damage.c — ProvTargetStore against damaged disks
 *
 * A corrupt targets.json is kept aside and the app starts without it; an
 * unreadable file or a folder in its place is said in a sentence; a save
 * that fails half-way leaves the old file whole (store-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* setresuid, setresgid */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "store-fixture.h"

/* Corrupt files */

typedef struct
{
  const char *name;
  const char *contents;
  gssize      length;
} CorruptCase;

static const CorruptCase corrupt_cases[] = {
  { "not-json", "{ this is not JSON", -1 },
  { "truncated", "{\"format-version\": 1, \"targets\": [{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c5", -1 },
  { "empty", "", 0 },
  { "whitespace", "  \n\t\n", -1 },
  { "binary", "\x00\xff\xfe{\x01\x02", 6 },
  { "root-array", "[]", -1 },
  { "root-string", "\"targets\"", -1 },
  { "root-null", "null", -1 },
  { "no-format-version", "{\"targets\": []}", -1 },
  { "format-version-string", "{\"format-version\": \"1\", \"targets\": []}", -1 },
  { "format-version-zero", "{\"format-version\": 0, \"targets\": []}", -1 },
  { "no-targets", "{\"format-version\": 1}", -1 },
  { "targets-object", "{\"format-version\": 1, \"targets\": {}}", -1 },
  { "target-not-object", "{\"format-version\": 1, \"targets\": [42]}", -1 },
  { "target-no-uuid", "{\"format-version\": 1, \"targets\": [{\"type\": \"sap-jam\"}]}", -1 },
  { "target-bad-uuid", "{\"format-version\": 1, \"targets\": [{\"uuid\": \"1234\", \"type\": \"sap-jam\"}]}", -1 },
  { "target-unknown-type", "{\"format-version\": 1, \"targets\": [{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-hana\"}]}", -1 },
  { "target-name-not-text", "{\"format-version\": 1, \"targets\": [{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-jam\", \"display-name\": [1]}]}", -1 },
  { "target-bad-version", "{\"format-version\": 1, \"targets\": [{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"identity-provisioning\", \"version\": 7}]}", -1 },
  { "second-target-bad", "{\"format-version\": 1, \"targets\": [{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-jam\"}, {\"uuid\": \"x\", \"type\": \"sap-jam\"}]}", -1 },
};

/* The one file in @dir that starts with targets.json.corrupt-. */
static char *
find_aside (const char *dir)
{
  g_autoptr(GPtrArray) names = list_dir (dir);
  char *found = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (g_str_has_prefix (name, "targets.json.corrupt-"))
        {
          g_assert_null (found);
          found = g_build_filename (dir, name, NULL);
        }
    }
  return found;
}

static void
assert_moved_aside (Fixture          *fixture,
                    const GError     *error,
                    GBytes           *original)
{
  g_autofree char *aside = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GBytes) kept = NULL;

  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);

  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  aside = find_aside (fixture->dir);
  g_assert_nonnull (aside);

  /* targets.json.corrupt-<timestamp>, with digits in the stamp */
  basename = g_path_get_basename (aside);
  g_assert_true (g_ascii_isdigit (basename[strlen ("targets.json.corrupt-")]));

  /* The message tells where it went. */
  g_assert_nonnull (strstr (error->message, aside));

  /* Byte for byte what was there. */
  kept = read_bytes (aside);
  g_assert_true (g_bytes_equal (kept, original));
}

static void
test_corrupt_file (Fixture       *fixture,
                   gconstpointer  data)
{
  const CorruptCase *c = data;
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;

  write_file (fixture->path, c->contents, c->length, 0600);
  original = read_bytes (fixture->path);

  g_assert_false (prov_target_store_load (store, &error));
  assert_moved_aside (fixture, error, original);
  g_assert_cmpuint (n_items (store), ==, 0);

  /* The store is usable: it saves a new file and leaves the old one be. */
  prov_target_store_append (store, target);
  g_clear_error (&error);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ProvTargetStore) loaded = prov_target_store_new (fixture->path);

    g_assert_true (prov_target_store_load (loaded, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_items (loaded), ==, 1);
  }
  aside = find_aside (fixture->dir);
  {
    g_autoptr(GBytes) kept = read_bytes (aside);
    g_assert_true (g_bytes_equal (kept, original));
  }
}

/* The same through load_async, into a store that already held targets:
 * the store ends empty, as documented. */
static void
test_corrupt_file_async (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_store_append (store, target);
  write_file (fixture->path, "{\"format-version\": 1, \"targets\": [{\"uuid\": \"", -1, 0600);
  original = read_bytes (fixture->path);

  prov_target_store_load_async (store, NULL, got_result_cb, &result);
  g_assert_false (prov_target_store_load_finish (store, wait_for (&result), &error));
  assert_moved_aside (fixture, error, original);
  g_assert_cmpuint (n_items (store), ==, 0);

  g_clear_error (&error);
  g_clear_object (&result);
  prov_target_store_save_async (store, NULL, got_result_cb, &result);
  g_assert_true (prov_target_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

/* Two damaged files in the same second do not overwrite each other. */
static void
test_corrupt_twice (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  guint asides = 0;

  write_file (fixture->path, "first damaged file", -1, 0600);
  g_assert_false (prov_target_store_load (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_clear_error (&error);

  write_file (fixture->path, "second damaged file", -1, 0600);
  g_assert_false (prov_target_store_load (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);

  names = list_dir (fixture->dir);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(GBytes) bytes = read_bytes (path);

      g_assert_true (g_str_has_prefix (name, "targets.json.corrupt-"));
      g_assert_true (g_bytes_get_size (bytes) == strlen ("first damaged file") ||
                     g_bytes_get_size (bytes) == strlen ("second damaged file"));
      asides++;
    }
  g_assert_cmpuint (asides, ==, 2);
}

/* Unreadable files */

static void
assert_save_refused (ProvTargetStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (prov_target_store_save (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, prov_target_store_get_path (store)));
  g_clear_error (&error);

  prov_target_store_save_async (store, NULL, got_result_cb, &result);
  g_assert_false (prov_target_store_save_finish (store, wait_for (&result), &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
}

/* A directory where the file should be: unreadable even for root. */
static void
test_unreadable_directory (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autofree char *inside = g_build_filename (fixture->path, "keep-me", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  write_file (inside, "precious", -1, 0600);

  g_assert_false (prov_target_store_load (store, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == PROV_ERROR);
  g_assert_cmpint (error->code, !=, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);

  /* Not moved, not replaced. */
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_DIR));
  g_assert_null (find_aside (fixture->dir));

  prov_target_store_append (store, target);
  assert_save_refused (store);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_DIR));
  {
    g_autoptr(GBytes) kept = read_bytes (inside);
    g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), "precious", 8);
  }
  {
    const char * const expected[] = { "targets.json", NULL };
    assert_dir_holds (fixture->dir, expected);
  }

  /* Once the file is readable again, a load clears the refusal. */
  remove_tree (fixture->path);
  write_file (fixture->path, "{\"format-version\": 1, \"targets\": []}", -1, 0600);
  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
}

/* Root reads a mode 000 file anyway, so as root (as CI runs) the case runs
 * again in a child that gives its fixture folder to "nobody" and becomes
 * nobody for good before it starts. */
static void
become_nobody (const char *dir)
{
  struct passwd *nobody = getpwnam ("nobody");

  g_assert_nonnull (nobody);
  g_assert_cmpint (chown (dir, nobody->pw_uid, nobody->pw_gid), ==, 0);
  /* So that the child can still clean up after itself. */
  g_assert_cmpint (chown (store_fixture_config_home (), nobody->pw_uid, nobody->pw_gid), ==, 0);
  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setresgid (nobody->pw_gid, nobody->pw_gid, nobody->pw_gid), ==, 0);
  g_assert_cmpint (setresuid (nobody->pw_uid, nobody->pw_uid, nobody->pw_uid), ==, 0);
  g_assert_cmpint (geteuid (), ==, nobody->pw_uid);
  /* Changing ids made the process undumpable; LeakSanitizer (in the ASan
   * build) needs to read its own /proc entries at exit. */
  g_assert_cmpint (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0), ==, 0);
  /* The folder is nobody's: a save there would succeed if it were not
   * refused for the unreadable file. */
  g_assert_cmpint (access (dir, R_OK | W_OK | X_OK), ==, 0);
}

/* A file without read permission: loading fails with a sentence that is not
 * "corrupt", and saving is refused so the file is kept as it was. */
static void
test_unreadable_permissions (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = NULL;
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      if (!g_test_subprocess ())
        {
          g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
          g_test_trap_assert_passed ();
          return;
        }
      become_nobody (fixture->dir);
    }

  store = prov_target_store_new (fixture->path);
  write_file (fixture->path, "{\"format-version\": 1, \"targets\": []}", -1, 0600);
  original = read_bytes (fixture->path);
  g_assert_cmpint (g_chmod (fixture->path, 0000), ==, 0);
  g_assert_cmpint (access (fixture->path, R_OK), !=, 0);

  g_assert_false (prov_target_store_load (store, &error));
  g_assert_true (error->domain == PROV_ERROR);
  g_assert_cmpint (error->code, !=, PROV_ERROR_CORRUPT_FILE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  prov_target_store_append (store, target);
  assert_save_refused (store);
  g_chmod (fixture->path, 0600);
  {
    g_autoptr(GBytes) kept = read_bytes (fixture->path);
    g_assert_true (g_bytes_equal (kept, original));
  }
}

/* Failed saves */

/* The write itself fails half-way: the file size limit stops it (root is
 * not exempt from RLIMIT_FSIZE). The old file must be intact. */
static void
test_atomic_save (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) first = new_jam ("The only one saved");
  g_autoptr(GBytes) old_bytes = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit saved_limit;
  struct rlimit limit;
  void (*saved_handler) (int);
  gsize old_size;

  prov_target_store_append (store, first);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  old_bytes = read_bytes (fixture->path);
  old_size = g_bytes_get_size (old_bytes);

  /* Enough targets that the new file is far bigger than the limit. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(ProvTargetSystem) target = new_ips ("Added later", PROV_AUTH_MECHANISM_BASIC);
      prov_target_store_append (store, target);
    }

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  limit = saved_limit;
  limit.rlim_cur = old_size + 4096;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  {
    gboolean saved = prov_target_store_save (store, &error);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) async_error = NULL;
    gboolean saved_async;

    prov_target_store_save_async (store, NULL, got_result_cb, &result);
    saved_async = prov_target_store_save_finish (store, wait_for (&result), &async_error);

    setrlimit (RLIMIT_FSIZE, &saved_limit);
    signal (SIGXFSZ, saved_handler);

    g_assert_false (saved);
    g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
    g_test_message ("%s", error->message);
    g_assert_false (saved_async);
    g_assert_error (async_error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  }

  /* Byte for byte the old file, and no half-written temporary beside it. */
  {
    g_autoptr(GBytes) now = read_bytes (fixture->path);
    const char * const expected[] = { "targets.json", NULL };

    g_assert_true (g_bytes_equal (now, old_bytes));
    assert_dir_holds (fixture->dir, expected);
    assert_mode (fixture->path, 0600);
  }

  /* Nothing was lost in memory: the next save writes everything. */
  g_clear_error (&error);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ProvTargetStore) loaded = prov_target_store_new (fixture->path);

    g_assert_true (prov_target_store_load (loaded, &error));
    g_assert_cmpuint (n_items (loaded), ==, 201);
  }
}

/* The folder cannot be created: its parent is a regular file. */
static void
test_save_parent_is_file (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (file, "targets.json", NULL);
  g_autoptr(ProvTargetStore) store = prov_target_store_new (path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GError) error = NULL;

  write_file (file, "a regular file", -1, 0600);

  prov_target_store_append (store, target);
  g_assert_false (prov_target_store_save (store, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_clear_error (&error);

  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_target_store_save_async (store, NULL, got_result_cb, &result);
    g_assert_false (prov_target_store_save_finish (store, wait_for (&result), &error));
    g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
  }

  kept = read_bytes (file);
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), "a regular file", 14);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  store_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/target-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/target-store/corrupt/%s", corrupt_cases[i].name);
      g_test_add (path, Fixture, &corrupt_cases[i], fixture_set_up, test_corrupt_file, fixture_tear_down);
    }
  ADD ("corrupt-async", test_corrupt_file_async);
  ADD ("corrupt-twice", test_corrupt_twice);
  ADD ("unreadable/directory", test_unreadable_directory);
  ADD ("unreadable/permissions", test_unreadable_permissions);
  ADD ("save-failed/atomic", test_atomic_save);
  ADD ("save-failed/parent-is-file", test_save_parent_is_file);

#undef ADD

  result = g_test_run ();
  store_fixture_clear ();
  return result;
}
