/* test-target-store.c — ProvTargetStore: the list and its targets.json
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

#include "prov-error.h"
#include "prov-target-store.h"

#define APP_DIR "io.github.provisioner.Provisioner"
#define SCIM_URL "https://tenant.accounts.ondemand.com/ipsproxy/service/api/v1/systems/0f1e2d3c/entities/user"
#define SECRET_MARKER "MARKER-secret-never-on-disk-91c3"

/* Set in main() before anything asks GLib for the config dir. */
static char *config_home;

typedef struct
{
  char *dir;   /* a fresh directory per test */
  char *path;  /* dir/targets.json */
} Fixture;

static void
rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* A test may have left it read-only or mode 000. */
      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
    }

  if (g_remove (path) != 0)
    g_test_message ("could not remove %s: %s", path, g_strerror (errno));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("provisioner-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "targets.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

/* Helpers */

static ProvTargetSystem *
new_jam (const char *name)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "jam-client");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, SECRET_MARKER);
  return target;
}

static ProvTargetSystem *
new_ips (const char        *name,
         ProvAuthMechanism  mechanism)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_url (target, SCIM_URL);
  prov_target_system_set_auth_mechanism (target, mechanism);
  prov_target_system_set_text (target, PROV_FIELD_USERNAME, "T000123");
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, SECRET_MARKER);
  prov_target_system_set_text (target, PROV_FIELD_COMMON_NAME, "provisioner");
  prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, SECRET_MARKER);
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, "https://tenant.accounts.ondemand.com/oauth2/token");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "ips-client");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, SECRET_MARKER);
  return target;
}

/* The target as it must come back from the file: no secrets. */
static ProvTargetSystem *
without_secrets (ProvTargetSystem *target)
{
  ProvTargetSystem *copy = prov_target_system_copy (target);

  for (guint f = 0; f < PROV_N_FIELDS; f++)
    if (prov_field_is_secret (f))
      prov_target_system_set_text (copy, f, NULL);
  return copy;
}

static ProvTargetSystem *
item (ProvTargetStore *store,
      guint            position)
{
  ProvTargetSystem *target = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (target);
  /* The store keeps its own reference. */
  g_object_unref (target);
  return target;
}

static guint
n_items (ProvTargetStore *store)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store));
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

static void
write_file (const char *path,
            const char *contents,
            gssize      length,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
}

static JsonObject *
parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_mode (const char *path,
             int         expected)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("%s has mode %04o", path, st.st_mode & 07777);
  g_assert_cmpint (st.st_mode & 07777, ==, expected);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The names in @dir, sorted. */
static GPtrArray *
list_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
assert_dir_holds (const char          *dir,
                  const char * const  *expected)
{
  g_autoptr(GPtrArray) names = list_dir (dir);

  for (guint i = 0; i < names->len; i++)
    g_test_message ("%s holds %s", dir, (char *) g_ptr_array_index (names, i));
  g_assert_cmpuint (names->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (names, expected[i], g_str_equal, NULL));
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Loading and saving */

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (prov_target_store_get_path (store), ==, fixture->path);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == PROV_TYPE_TARGET_SYSTEM);

  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (store), ==, 0);
  /* Loading writes nothing. */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* Asynchronously, the same. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_target_store_load_async (store, NULL, got_result_cb, &result);
    g_assert_true (prov_target_store_load_finish (store, wait_for (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_items (store), ==, 0);
  }

  /* An empty list saves as a valid, empty document. */
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) root = parse_file (fixture->path);
    g_assert_cmpint (json_object_get_int_member (root, "format-version"), ==, PROV_TARGET_STORE_FORMAT_VERSION);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "targets")), ==, 0);
  }
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetStore) loaded = prov_target_store_new (fixture->path);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) root = NULL;
  ProvTargetSystem *jam_hand;

  g_ptr_array_add (targets, new_jam ("Jam Europe"));
  jam_hand = new_jam ("Jam with its own token URL");
  prov_target_system_set_text (jam_hand, PROV_FIELD_TOKEN_URL, "https://auth.example.com/token");
  g_ptr_array_add (targets, jam_hand);
  g_ptr_array_add (targets, new_ips ("IPS Basic", PROV_AUTH_MECHANISM_BASIC));
  g_ptr_array_add (targets, new_ips ("IPS Certificate", PROV_AUTH_MECHANISM_CERTIFICATE));
  g_ptr_array_add (targets, new_ips ("IPS OAuth «ünïcode» 名前", PROV_AUTH_MECHANISM_OAUTH));
  prov_target_system_set_version (g_ptr_array_index (targets, 2), PROV_SCIM_VERSION_1);

  for (guint i = 0; i < targets->len; i++)
    prov_target_store_append (store, g_ptr_array_index (targets, i));
  g_assert_cmpuint (n_items (store), ==, targets->len);

  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  assert_mode (fixture->path, 0600);

  /* The file: a format version, no secret anywhere. */
  bytes = read_bytes (fixture->path);
  g_test_message ("%.*s", (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), SECRET_MARKER));
  root = parse_file (fixture->path);
  g_assert_true (json_object_has_member (root, "format-version"));
  g_assert_cmpint (json_object_get_int_member (root, "format-version"), ==, PROV_TARGET_STORE_FORMAT_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "targets")), ==, targets->len);

  /* Back in, in the same order, equal but for the secrets. */
  g_assert_true (prov_target_store_load (loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (loaded), ==, targets->len);
  for (guint i = 0; i < targets->len; i++)
    {
      ProvTargetSystem *original = g_ptr_array_index (targets, i);
      g_autoptr(ProvTargetSystem) expected = without_secrets (original);
      ProvTargetSystem *got = item (loaded, i);

      g_assert_cmpstr (prov_target_system_get_uuid (got), ==, prov_target_system_get_uuid (original));
      g_assert_true (prov_target_system_equal (got, expected));
      g_assert_cmpint (prov_target_system_get_version (got), ==, prov_target_system_get_version (original));
      g_assert_true (prov_target_store_find_by_uuid (loaded, prov_target_system_get_uuid (original), NULL) == got);
    }
  g_assert_cmpstr (prov_target_system_get_text (item (loaded, 1), PROV_FIELD_TOKEN_URL), ==,
                   "https://auth.example.com/token");

  /* Saving what was loaded gives the same bytes. */
  {
    g_autoptr(GBytes) again = NULL;

    g_assert_true (prov_target_store_save (loaded, &error));
    g_assert_no_error (error);
    again = read_bytes (fixture->path);
    g_assert_true (g_bytes_equal (again, bytes));
  }

  /* Loading again replaces the list rather than adding to it. */
  g_assert_true (prov_target_store_load (loaded, &error));
  g_assert_cmpuint (n_items (loaded), ==, targets->len);
}

/* Whatever mode the old file had, the new one is 0600, and a missing
 * folder is created private. */
static void
test_file_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autoptr(GError) error = NULL;

  write_file (fixture->path, "{\"format-version\": 1, \"targets\": []}", -1, 0644);
  assert_mode (fixture->path, 0644);
  g_assert_true (prov_target_store_load (store, &error));
  prov_target_store_append (store, target);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  assert_mode (fixture->path, 0600);

  /* Through save_async too. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_chmod (fixture->path, 0666);
    prov_target_store_save_async (store, NULL, got_result_cb, &result);
    g_assert_true (prov_target_store_save_finish (store, wait_for (&result), &error));
    g_assert_no_error (error);
    assert_mode (fixture->path, 0600);
  }

  /* A folder that does not exist yet. */
  {
    g_autofree char *deep = g_build_filename (fixture->dir, "a", "b", "targets.json", NULL);
    g_autofree char *deep_dir = g_path_get_dirname (deep);
    g_autoptr(ProvTargetStore) deep_store = prov_target_store_new (deep);

    prov_target_store_append (deep_store, target);
    g_assert_true (prov_target_store_save (deep_store, &error));
    g_assert_no_error (error);
    assert_mode (deep, 0600);
    assert_mode (deep_dir, 0700);
  }

  /* No temporary file is left next to it. */
  {
    const char * const expected[] = { "a", "targets.json", NULL };
    assert_dir_holds (fixture->dir, expected);
  }
}

/* The default location follows XDG_CONFIG_HOME. */
static void
test_default_path (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (NULL);
  g_autoptr(ProvTargetStore) loaded = prov_target_store_new (NULL);
  g_autoptr(ProvTargetSystem) target = new_jam ("Jam");
  g_autofree char *expected = g_build_filename (config_home, APP_DIR, "targets.json", NULL);
  g_autofree char *expected_dir = g_build_filename (config_home, APP_DIR, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (prov_target_store_get_path (store), ==, expected);

  prov_target_store_append (store, target);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  assert_mode (expected, 0600);
  assert_mode (expected_dir, 0700);

  g_assert_true (prov_target_store_load (loaded, &error));
  g_assert_cmpuint (n_items (loaded), ==, 1);

  rm_rf (expected_dir);
}

/* Members this version does not know (added by hand, or by a newer
 * version that kept the format) survive a save. */
static void
test_unknown_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *newer =
    "{\n"
    "  \"format-version\": 1,\n"
    "  \"x-source\": { \"type\": \"ias\", \"tenant\": \"https://t.accounts.ondemand.com\" },\n"
    "  \"x-list\": [1, \"two\", null, true],\n"
    "  \"targets\": [\n"
    "    {\n"
    "      \"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\",\n"
    "      \"type\": \"sap-jam\",\n"
    "      \"display-name\": \"Jam\",\n"
    "      \"url\": \"https://jam4.sapjam.com\",\n"
    "      \"token-url\": \"https://jam4.sapjam.com/api/v1/auth/token\",\n"
    "      \"client-id\": \"c\",\n"
    "      \"x-deprovision\": \"delete\",\n"
    "      \"x-rate-limit\": { \"per-minute\": 200, \"per-hour\": 13000 }\n"
    "    },\n"
    "    {\n"
    "      \"uuid\": \"0b6c7e3e-6f0b-4c1a-9d2e-8f7a6b5c4d3e\",\n"
    "      \"type\": \"identity-provisioning\",\n"
    "      \"display-name\": \"IPS\",\n"
    "      \"url\": \"" SCIM_URL "\",\n"
    "      \"version\": 1,\n"
    "      \"authentication\": \"certificate\",\n"
    "      \"common-name\": \"cn\",\n"
    "      \"x-certificate-serial\": \"01:02:03\"\n"
    "    }\n"
    "  ]\n"
    "}\n";
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *targets;

  write_file (fixture->path, newer, -1, 0600);
  before = parse_file (fixture->path);

  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (store), ==, 2);

  /* Edit something, as a person would, then save. */
  prov_target_system_set_display_name (item (store, 0), "Jam renamed");
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);

  after = parse_file (fixture->path);
  g_assert_true (json_object_has_member (after, "format-version"));
  g_assert_true (json_node_equal (json_object_get_member (after, "x-source"),
                                  json_object_get_member (before, "x-source")));
  g_assert_true (json_node_equal (json_object_get_member (after, "x-list"),
                                  json_object_get_member (before, "x-list")));

  targets = json_object_get_array_member (after, "targets");
  g_assert_cmpuint (json_array_get_length (targets), ==, 2);
  {
    JsonObject *jam = json_array_get_object_element (targets, 0);
    JsonObject *ips = json_array_get_object_element (targets, 1);
    JsonObject *jam_before = json_array_get_object_element (json_object_get_array_member (before, "targets"), 0);

    g_assert_cmpstr (json_object_get_string_member (jam, "display-name"), ==, "Jam renamed");
    g_assert_cmpstr (json_object_get_string_member (jam, "x-deprovision"), ==, "delete");
    g_assert_true (json_node_equal (json_object_get_member (jam, "x-rate-limit"),
                                    json_object_get_member (jam_before, "x-rate-limit")));
    g_assert_cmpstr (json_object_get_string_member (ips, "x-certificate-serial"), ==, "01:02:03");
    g_assert_cmpint (json_object_get_int_member (ips, "version"), ==, 1);
  }

  /* And a second round trip keeps them still. */
  {
    g_autoptr(ProvTargetStore) again = prov_target_store_new (fixture->path);
    g_autoptr(JsonObject) third = NULL;

    g_assert_true (prov_target_store_load (again, &error));
    g_assert_true (prov_target_store_save (again, &error));
    third = parse_file (fixture->path);
    g_assert_true (json_node_equal (json_object_get_member (third, "x-source"),
                                    json_object_get_member (before, "x-source")));
  }
}

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
  rm_rf (fixture->path);
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
  g_assert_cmpint (chown (config_home, nobody->pw_uid, nobody->pw_gid), ==, 0);
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

/* Asynchronous saving and loading */

static void
test_async_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetStore) loaded = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) jam = new_jam ("Jam");
  g_autoptr(ProvTargetSystem) ips = new_ips ("IPS", PROV_AUTH_MECHANISM_OAUTH);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_store_append (store, jam);
  prov_target_store_append (store, ips);

  prov_target_store_save_async (store, NULL, got_result_cb, &result);
  g_assert_true (prov_target_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  assert_mode (fixture->path, 0600);

  g_clear_object (&result);
  prov_target_store_load_async (loaded, NULL, got_result_cb, &result);
  g_assert_true (prov_target_store_load_finish (loaded, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (loaded), ==, 2);
  g_assert_cmpstr (prov_target_system_get_uuid (item (loaded, 0)), ==, prov_target_system_get_uuid (jam));
  g_assert_cmpstr (prov_target_system_get_uuid (item (loaded, 1)), ==, prov_target_system_get_uuid (ips));
  g_assert_cmpstr (prov_target_system_get_text (item (loaded, 1), PROV_FIELD_CLIENT_SECRET), ==, "");
}

typedef struct
{
  GPtrArray *order;   /* of GUINT_TO_POINTER (index) */
  guint      pending;
  guint      failed;
} QueueState;

typedef struct
{
  QueueState *state;
  guint       index;
} QueuedSave;

static void
queued_save_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  QueuedSave *save = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_target_store_save_finish (PROV_TARGET_STORE (object), result, &error))
    {
      g_test_message ("save %u: %s", save->index, error->message);
      save->state->failed++;
    }
  g_ptr_array_add (save->state->order, GUINT_TO_POINTER (save->index));
  save->state->pending--;
  g_free (save);
}

static void
queue_save (ProvTargetStore *store,
            QueueState      *state,
            guint            index)
{
  QueuedSave *save = g_new0 (QueuedSave, 1);

  save->state = state;
  save->index = index;
  state->pending++;
  prov_target_store_save_async (store, NULL, queued_save_cb, save);
}

/* Several saves in a row, faster than the disk: the newest state wins. */
static void
test_queued_saves (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetStore) loaded = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) a = new_jam ("A v1");
  g_autoptr(ProvTargetSystem) b = new_ips ("B", PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) c = new_ips ("C", PROV_AUTH_MECHANISM_CERTIFICATE);
  g_autoptr(GError) error = NULL;
  QueueState state = { g_ptr_array_new (), 0, 0 };

  /* Some bulk so each write takes a moment. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(ProvTargetSystem) filler = new_jam ("Filler");
      prov_target_store_append (store, filler);
    }

  prov_target_store_insert (store, 0, a);
  queue_save (store, &state, 0);
  prov_target_system_set_display_name (a, "A v2");
  queue_save (store, &state, 1);
  prov_target_store_append (store, b);
  queue_save (store, &state, 2);
  prov_target_store_remove (store, b, NULL);
  prov_target_store_append (store, c);
  prov_target_system_set_display_name (a, "A v3");
  queue_save (store, &state, 3);

  while (state.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (state.failed, ==, 0);
  g_assert_cmpuint (state.order->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (state.order, i)), ==, i);

  g_assert_true (prov_target_store_load (loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (loaded), ==, 2002);
  g_assert_cmpstr (prov_target_system_get_display_name (item (loaded, 0)), ==, "A v3");
  g_assert_null (prov_target_store_find_by_uuid (loaded, prov_target_system_get_uuid (b), NULL));
  g_assert_nonnull (prov_target_store_find_by_uuid (loaded, prov_target_system_get_uuid (c), NULL));
  {
    const char * const expected[] = { "targets.json", NULL };
    assert_dir_holds (fixture->dir, expected);
  }

  g_ptr_array_unref (state.order);
}

/* 10,000 targets: they all load and save. No timing assertions. */
static void
test_many_targets (Fixture       *fixture,
                   gconstpointer  data)
{
  const guint n = 10000;
  g_autoptr(GString) json = g_string_new ("{\"format-version\": 1, \"targets\": [\n");
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetStore) again = prov_target_store_new (fixture->path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      if (i % 2 == 0)
        g_string_append_printf (json,
                                "%s{\"uuid\": \"%s\", \"type\": \"sap-jam\", \"display-name\": \"Jam %05u\","
                                " \"url\": \"https://jam%u.sapjam.com\", \"client-id\": \"client-%u\"}\n",
                                i ? "," : "", uuid, i, i % 10, i);
      else
        g_string_append_printf (json,
                                "%s{\"uuid\": \"%s\", \"type\": \"identity-provisioning\", \"display-name\": \"IPS %05u\","
                                " \"url\": \"" SCIM_URL "\", \"version\": 2, \"authentication\": \"basic\","
                                " \"username\": \"T%06u\"}\n",
                                i ? "," : "", uuid, i, i);
    }
  g_string_append (json, "]}\n");
  write_file (fixture->path, json->str, json->len, 0600);

  start = g_get_monotonic_time ();
  g_assert_true (prov_target_store_load (store, &error));
  g_assert_no_error (error);
  g_test_message ("loaded %u targets in %.3f s", n, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (n_items (store), ==, n);
  g_assert_cmpstr (prov_target_system_get_display_name (item (store, 0)), ==, "Jam 00000");
  g_assert_cmpstr (prov_target_system_get_display_name (item (store, n - 1)), ==, "IPS 09999");
  g_assert_cmpstr (prov_target_system_get_text (item (store, 4), PROV_FIELD_TOKEN_URL), ==,
                   "https://jam4.sapjam.com/api/v1/auth/token");

  start = g_get_monotonic_time ();
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  g_test_message ("saved %u targets in %.3f s", n, (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  prov_target_store_load_async (again, NULL, got_result_cb, &result);
  g_assert_true (prov_target_store_load_finish (again, wait_for (&result), &error));
  g_assert_no_error (error);
  g_test_message ("loaded %u targets asynchronously in %.3f s", n, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (n_items (again), ==, n);
  for (guint i = 0; i < n; i += 997)
    g_assert_cmpstr (prov_target_system_get_uuid (item (again, i)), ==,
                     prov_target_system_get_uuid (item (store, i)));

  g_clear_object (&result);
  prov_target_store_save_async (again, NULL, got_result_cb, &result);
  g_assert_true (prov_target_store_save_finish (again, wait_for (&result), &error));
  g_assert_no_error (error);
}

/* The list model */

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} ItemsChanged;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ItemsChanged *last = user_data;

  last->position = position;
  last->removed = removed;
  last->added = added;
  last->count++;
}

static void
test_list_model (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (fixture->path);
  g_autoptr(ProvTargetSystem) a = new_jam ("A");
  g_autoptr(ProvTargetSystem) b = new_jam ("B");
  g_autoptr(ProvTargetSystem) c = new_jam ("C");
  g_autoptr(ProvTargetSystem) stranger = new_jam ("Not in the store");
  ItemsChanged last = { 0, };
  guint position = G_MAXUINT;
  guint n = 0;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &last);

  prov_target_store_append (store, a);
  g_assert_cmpuint (last.count, ==, 1);
  g_assert_cmpuint (last.position, ==, 0);
  g_assert_cmpuint (last.added, ==, 1);
  prov_target_store_append (store, c);
  prov_target_store_insert (store, 1, b);
  g_assert_cmpuint (last.position, ==, 1);
  g_assert_true (item (store, 0) == a);
  g_assert_true (item (store, 1) == b);
  g_assert_true (item (store, 2) == c);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 3));
  g_object_get (store, "n-items", &n, NULL);
  g_assert_cmpuint (n, ==, 3);

  /* Past the end means at the end. */
  prov_target_store_remove (store, c, NULL);
  prov_target_store_insert (store, 100, c);
  g_assert_true (item (store, 2) == c);

  g_assert_true (prov_target_store_find_by_uuid (store, prov_target_system_get_uuid (b), &position) == b);
  g_assert_cmpuint (position, ==, 1);
  g_assert_null (prov_target_store_find_by_uuid (store, prov_target_system_get_uuid (stranger), NULL));
  g_assert_null (prov_target_store_find_by_uuid (store, NULL, NULL));

  last.count = 0;
  prov_target_store_changed (store, b);
  g_assert_cmpuint (last.count, ==, 1);
  g_assert_cmpuint (last.position, ==, 1);
  g_assert_cmpuint (last.removed, ==, 1);
  g_assert_cmpuint (last.added, ==, 1);
  prov_target_store_changed (store, stranger);
  g_assert_cmpuint (last.count, ==, 1);

  g_assert_true (prov_target_store_remove (store, b, &position));
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpuint (last.removed, ==, 1);
  g_assert_cmpuint (last.added, ==, 0);
  g_assert_false (prov_target_store_remove (store, b, NULL));
  g_assert_false (prov_target_store_remove (store, stranger, NULL));
  g_assert_cmpuint (n_items (store), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  /* Before GLib caches it: the default path must land in a scratch dir. */
  config_home = g_dir_make_tmp ("provisioner-config-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/target-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("missing-file", test_missing_file);
  ADD ("round-trip", test_round_trip);
  ADD ("file-mode", test_file_mode);
  ADD ("default-path", test_default_path);
  ADD ("unknown-keys", test_unknown_keys);
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
  ADD ("async-round-trip", test_async_round_trip);
  ADD ("queued-saves", test_queued_saves);
  ADD ("many-targets", test_many_targets);
  ADD ("list-model", test_list_model);

#undef ADD

  result = g_test_run ();

  rm_rf (config_home);
  g_free (config_home);
  return result;
}
