/* test-target-store.c — ProvTargetStore: the list and its targets.json
 *
 * Loading and saving (no secret on disk, mode 0600, the default path,
 * members a newer version wrote), asynchronous saves and loads, many
 * targets, and the list model. Damaged files, unreadable files and failed
 * saves are in test-target-store-damage.c; the helpers in store-fixture.c.
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
  g_autofree char *expected = g_build_filename (store_fixture_config_home (), APP_DIR, "targets.json", NULL);
  g_autofree char *expected_dir = g_build_filename (store_fixture_config_home (), APP_DIR, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (prov_target_store_get_path (store), ==, expected);

  prov_target_store_append (store, target);
  g_assert_true (prov_target_store_save (store, &error));
  g_assert_no_error (error);
  assert_mode (expected, 0600);
  assert_mode (expected_dir, 0700);

  g_assert_true (prov_target_store_load (loaded, &error));
  g_assert_cmpuint (n_items (loaded), ==, 1);

  remove_tree (expected_dir);
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
  int result;

  store_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/target-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("missing-file", test_missing_file);
  ADD ("round-trip", test_round_trip);
  ADD ("file-mode", test_file_mode);
  ADD ("default-path", test_default_path);
  ADD ("unknown-keys", test_unknown_keys);
  ADD ("async-round-trip", test_async_round_trip);
  ADD ("queued-saves", test_queued_saves);
  ADD ("many-targets", test_many_targets);
  ADD ("list-model", test_list_model);

#undef ADD

  result = g_test_run ();
  store_fixture_clear ();
  return result;
}
