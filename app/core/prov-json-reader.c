/* prov-json-reader.c — the one way untrusted JSON reaches json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "prov-json-reader.h"

G_DEFINE_QUARK (prov-json-reader-error-quark, prov_json_reader_error)

gboolean
prov_json_reader_check (const char  *data,
                        gssize       length,
                        gsize        max_size,
                        guint        max_depth,
                        GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;
  gsize size;

  if (max_depth == 0)
    max_depth = PROV_JSON_READER_DEFAULT_MAX_DEPTH;

  if (data == NULL)
    size = 0;
  else if (length < 0)
    size = max_size > 0 ? strnlen (data, max_size + 1) : strlen (data);
  else
    size = length;

  if (max_size > 0 && size > max_size)
    {
      g_set_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_LARGE,
                   "more than %" G_GSIZE_FORMAT " bytes", max_size);
      return FALSE;
    }

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            {
              /* RFC 8259's escapes only: json-glib also takes GScanner's
               * octal ones ("\\377"), which can make text that is not
               * UTF-8 and that nothing can write back as JSON. */
              escaped = FALSE;
              if (strchr ("\"\\/bfnrtu", c) == NULL || c == '\0' ||
                  (c == 'u' && !(i + 4 < size &&
                                 g_ascii_isxdigit (data[i + 1]) && g_ascii_isxdigit (data[i + 2]) &&
                                 g_ascii_isxdigit (data[i + 3]) && g_ascii_isxdigit (data[i + 4]))))
                {
                  g_set_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID,
                               "invalid escape at byte %" G_GSIZE_FORMAT, i - 1);
                  return FALSE;
                }
            }
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_DEEP,
                           "nested more than %u levels deep at byte %" G_GSIZE_FORMAT,
                           max_depth, i);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          /* Unbalanced closers are the parser's business. */
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
prov_json_reader_parse (const char  *data,
                        gssize       length,
                        gsize        max_size,
                        guint        max_depth,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize size;

  if (!prov_json_reader_check (data, length, max_size, max_depth, error))
    return NULL;

  size = data == NULL ? 0 : length < 0 ? strlen (data) : (gsize) length;
  if (size == 0)
    {
      g_set_error_literal (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID,
                           "empty");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &parse_error))
    {
      g_set_error_literal (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID,
                           parse_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID,
                           "no value");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

JsonNode *
prov_json_reader_parse_bytes (GBytes      *bytes,
                              gsize        max_size,
                              guint        max_depth,
                              GError     **error)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return prov_json_reader_parse (data, size, max_size, max_depth, error);
}

const char *
prov_json_get_string (JsonObject *object,
                      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
prov_json_node_is_true (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;
  return FALSE;
}

void
prov_json_object_copy_members (JsonObject *into,
                               JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (from == NULL)
    return;
  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (into, name, json_node_copy (node));
}

GBytes *
prov_json_object_to_bytes (JsonObject *object,
                           gboolean    pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);
  char *data;
  gsize length;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}
