/* users-fixture.c — what the users tests share (see users-fixture.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "users-fixture.h"

/* JSON written with ' for " so that expectations stay readable. */
JsonObject *
json_from_relaxed (const char *relaxed)
{
  g_autofree char *text = g_strdup (relaxed);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_strdelimit (text, "'", '"');
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

ProvUser *
user_from_relaxed (const char *relaxed)
{
  g_autoptr(JsonObject) object = json_from_relaxed (relaxed);
  g_autoptr(GError) error = NULL;
  ProvUser *user = prov_user_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

char *
json_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

/* Asserts that @actual has the content of @expected_relaxed, in any order. */
void
assert_json_equal (JsonObject *actual,
                   const char *expected_relaxed)
{
  g_autoptr(JsonObject) expected = json_from_relaxed (expected_relaxed);
  g_autofree char *actual_text = prov_scim_json_dup_canonical (actual);
  g_autofree char *expected_text = prov_scim_json_dup_canonical (expected);

  g_assert_cmpstr (actual_text, ==, expected_text);
}

GPtrArray *
read_csv_text (const char  *text,
               GPtrArray  **row_errors,
               GStrv       *warnings,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  return prov_csv_reader_read (bytes, row_errors, warnings, error);
}

/* No string in @node is empty or blank. */
static void
assert_no_blank_strings (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          assert_no_blank_strings (json_object_get_member (object, l->data));
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          assert_no_blank_strings (json_array_get_element (array, i));
        break;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *copy = g_strdup (json_node_get_string (node));
          g_assert_cmpstr (g_strstrip (copy), !=, "");
        }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

void
assert_object_has_no_blank_strings (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  assert_no_blank_strings (node);
}
