/* store-fixture.c — what the ProvTargetStore tests share (see store-fixture.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "store-fixture.h"

/* Set by store_fixture_init() before anything asks GLib for the config dir. */
static char *config_home;

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("provisioner-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "targets.json", NULL);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

/* Helpers */

ProvTargetSystem *
new_jam (const char *name)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "jam-client");
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, SECRET_MARKER);
  return target;
}

ProvTargetSystem *
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

ProvTargetSystem *
without_secrets (ProvTargetSystem *target)
{
  ProvTargetSystem *copy = prov_target_system_copy (target);

  for (guint f = 0; f < PROV_N_FIELDS; f++)
    if (prov_field_is_secret (f))
      prov_target_system_set_text (copy, f, NULL);
  return copy;
}

ProvTargetSystem *
item (ProvTargetStore *store,
      guint            position)
{
  ProvTargetSystem *target = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (target);
  /* The store keeps its own reference. */
  g_object_unref (target);
  return target;
}

guint
n_items (ProvTargetStore *store)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store));
}

GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

void
write_file (const char *path,
            const char *contents,
            gssize      length,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
}

JsonObject *
parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

void
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

GPtrArray *
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

void
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

void
store_fixture_init (int    *argc,
                    char ***argv)
{
  g_autoptr(GError) error = NULL;

  config_home = g_dir_make_tmp ("provisioner-config-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (argc, argv, NULL);
}

const char *
store_fixture_config_home (void)
{
  return config_home;
}

void
store_fixture_clear (void)
{
  remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);
}
