/* prov-scim-http.c — small HTTP and JSON helpers of the embedded SCIM service
 *
 * Paths, JSON copies, error bodies and request bodies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "prov-json-reader.h"
#include "prov-scim-http.h"

/* Small helpers */

gboolean
prov_scim_path_has_prefix (const char *path,
                 const char *prefix)
{
  gsize len;

  if (prefix == NULL)
    return TRUE;

  /* A plain string prefix, so tests can match "/api/v1/scim/Us" too. */
  len = strlen (prefix);
  return strncmp (path, prefix, len) == 0;
}

gboolean
prov_scim_path_is_under (const char *path,
               const char *root)
{
  gsize len = strlen (root);

  return strncmp (path, root, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* The non-empty segments of @path. */
GStrv
prov_scim_split_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

char *
prov_scim_casefold (const char *str)
{
  return str != NULL ? g_utf8_casefold (str, -1) : NULL;
}

char *
prov_scim_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

JsonObject *
prov_scim_object_deep_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, prov_scim_node_deep_copy (member));

  return copy;
}

static JsonArray *
array_deep_copy (JsonArray *array)
{
  guint n = json_array_get_length (array);
  JsonArray *copy = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    json_array_add_element (copy, prov_scim_node_deep_copy (json_array_get_element (array, i)));

  return copy;
}

/* json_node_copy() shares objects and arrays; stored resources must not. */
JsonNode *
prov_scim_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_alloc ();
      json_node_take_object (json_node_init (copy, JSON_NODE_OBJECT),
                             prov_scim_object_deep_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      copy = json_node_alloc ();
      json_node_take_array (json_node_init (copy, JSON_NODE_ARRAY),
                            array_deep_copy (json_node_get_array (node)));
      return copy;

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

const char *
prov_scim_object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonArray *
prov_scim_string_array (const char *first,
              ...)
{
  JsonArray *array = json_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    json_array_add_string_element (array, s);
  va_end (args);

  return array;
}

/* Responses */

static void
respond_body (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

void
prov_scim_respond_object (SoupServerMessage *msg,
                guint              status,
                const char        *content_type,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  respond_body (msg, status, content_type, json_to_string (node, FALSE));
}

void
prov_scim_respond_scim_error (SoupServerMessage *msg,
                    guint              status,
                    const char        *scim_type,
                    const char        *detail)
{
  g_autoptr(JsonObject) error = json_object_new ();
  g_autofree char *status_str = g_strdup_printf ("%u", status);

  json_object_set_array_member (error, "schemas", prov_scim_string_array (SCIM_ERROR, NULL));
  json_object_set_string_member (error, "status", status_str);
  if (scim_type != NULL)
    json_object_set_string_member (error, "scimType", scim_type);
  json_object_set_string_member (error, "detail", detail);

  prov_scim_respond_object (msg, status, SCIM_CONTENT_TYPE, error);
}

void
prov_scim_respond_json_error (SoupServerMessage *msg,
                    guint              status,
                    const char        *error_code,
                    const char        *description)
{
  g_autoptr(JsonObject) error = json_object_new ();

  json_object_set_string_member (error, "error", error_code);
  if (description != NULL)
    json_object_set_string_member (error, "error_description", description);

  prov_scim_respond_object (msg, status, JSON_CONTENT_TYPE, error);
}

gboolean
prov_scim_is_scim_path (const char *path)
{
  return prov_scim_path_is_under (path, JAM_SCIM_PREFIX) ||
         prov_scim_path_is_under (path, IPS_PREFIX) ||
         prov_scim_path_is_under (path, SOURCE_V2_PREFIX) ||
         prov_scim_path_is_under (path, SOURCE_V1_PREFIX);
}

/* Request bodies */

char *
prov_scim_request_body_string (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data != NULL ? data : "", len);
}

/* The request body as a JSON object; NULL after answering 400. */
JsonObject *
prov_scim_parse_request_object (SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = prov_scim_request_body_string (msg);
  g_autoptr(JsonNode) root = NULL;

  /* Checked before json-glib sees it: a body nested deep enough would
   * overflow the stack of the process serving it (the window, with --demo). */
  root = prov_json_reader_parse (body, -1, 0, 0, &error);
  if (root == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("The body is not valid JSON: %s", error->message);
      prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidSyntax", detail);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidSyntax", "The body is not a JSON object");
      return NULL;
    }

  return prov_scim_object_deep_copy (json_node_get_object (root));
}

GHashTable *
prov_scim_request_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL)
    return g_hash_table_new (g_str_hash, g_str_equal);
  return soup_form_decode (query);
}

/* A non-negative integer query parameter; FALSE after answering 400. */
gboolean
prov_scim_query_uint (SoupServerMessage *msg,
            GHashTable        *query,
            const char        *name,
            guint              default_value,
            guint             *value)
{
  const char *str = g_hash_table_lookup (query, name);
  guint64 parsed;

  if (str == NULL || *str == '\0')
    {
      *value = default_value;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (str, 10, 0, G_MAXINT, &parsed, NULL))
    {
      g_autofree char *detail = g_strdup_printf ("“%s” must be a non-negative integer", name);
      prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue", detail);
      return FALSE;
    }

  *value = (guint) parsed;
  return TRUE;
}
