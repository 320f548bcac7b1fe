/* keyring-raw.c — the keyring's items, looked at past the code under test
 * (see keyring-raw.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "keyring-raw.h"
#include "test-helpers.h"

static const SecretSchema test_schema = {
  "io.github.provisioner.Provisioner.Secret", SECRET_SCHEMA_NONE,
  {
    { "target-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "generation", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

static void
store_item (const char *uuid,
            const char *field_key,
            const char *generation,
            const char *label,
            const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "target-uuid", (gpointer) uuid);
  g_hash_table_insert (attributes, (gpointer) "generation", (gpointer) generation);
  if (field_key != NULL)
    g_hash_table_insert (attributes, (gpointer) "field", (gpointer) field_key);
  secret_password_storev (&test_schema, attributes, SECRET_COLLECTION_DEFAULT, label, text,
                          NULL, got_result_cb, &result);
  g_assert_true (secret_password_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

/* @uuid's item as a JSON object: empty when there is none. */
static JsonObject *
read_item (const char *uuid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  secret_password_lookup (&test_schema, NULL, got_result_cb, &result,
                          "target-uuid", uuid, "generation", 2, NULL);
  text = secret_password_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  if (text == NULL)
    return json_object_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
keyring_raw_lookup (const char *uuid,
                    ProvField   field)
{
  g_autoptr(JsonObject) item = read_item (uuid);

  return g_strdup (json_object_get_string_member_with_default (item, prov_field_get_key (field), NULL));
}

void
keyring_raw_set (const char *uuid,
                 ProvField   field,
                 const char *secret)
{
  g_autoptr(JsonObject) item = read_item (uuid);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_object_set_string_member (item, prov_field_get_key (field), secret);
  json_node_set_object (root, item);
  text = json_to_string (root, FALSE);
  keyring_raw_store_text (uuid, text);
}

void
keyring_raw_store_text (const char *uuid,
                        const char *text)
{
  store_item (uuid, NULL, "2", "Provisioner: raw item", text);
}

void
keyring_raw_store_old (const char *uuid,
                       ProvField   field,
                       const char *secret)
{
  store_item (uuid, prov_field_get_key (field), "1", "Provisioner: old item", secret);
}

guint
keyring_raw_try_count (const char  *uuid,
                       const char  *generation,
                       char       **label)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "target-uuid", (gpointer) uuid);
  if (generation != NULL)
    g_hash_table_insert (attributes, (gpointer) "generation", (gpointer) generation);

  /* Asynchronously, like the app: the _sync variant leaks inside libsecret. */
  secret_password_searchv (&test_schema, attributes, SECRET_SEARCH_ALL, NULL, got_result_cb, &result);
  items = secret_password_search_finish (wait_for (&result), &error);
  if (error != NULL)
    return G_MAXUINT;
  n = g_list_length (items);
  if (label != NULL)
    *label = items ? secret_retrievable_get_label (items->data) : NULL;
  g_list_free_full (items, g_object_unref);
  return n;
}

guint
keyring_raw_count (const char  *uuid,
                   const char  *generation,
                   char       **label)
{
  guint n = keyring_raw_try_count (uuid, generation, label);

  g_assert_cmpuint (n, !=, G_MAXUINT);
  return n;
}
