/* prov-json-response.c — reading what servers answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-json-response.h"

/* Nobody's token or user page is this big; a bigger body is an attack or a
 * mistake, and parsing it would only cost memory. */
#define MAX_BODY_SIZE (64 * 1024 * 1024)

gboolean
prov_content_type_is_json (const char *content_type)
{
  g_autofree char *media = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return FALSE;

  semicolon = strchr (content_type, ';');
  media = g_strstrip (g_ascii_strdown (content_type,
                                       semicolon ? semicolon - content_type : -1));

  return g_str_equal (media, "application/json") ||
         (g_str_has_prefix (media, "application/") && g_str_has_suffix (media, "+json"));
}

static void
set_bad_response (GError     **error,
                  const char  *host,
                  const char  *detail)
{
  g_debug ("Bad response from %s: %s", host, detail);
  g_set_error (error, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
               _("%s answered with something other than the expected JSON. Check that the URL points to the right API."),
               host);
}

JsonObject *
prov_json_response_parse_object (GBytes      *body,
                                 const char  *content_type,
                                 const char  *host,
                                 GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  if (!prov_content_type_is_json (content_type))
    {
      set_bad_response (error, host, content_type ? content_type : "no content type");
      return NULL;
    }

  /* Size and nesting are checked before json-glib sees a byte. */
  root = prov_json_reader_parse_bytes (body, MAX_BODY_SIZE, 0, &parse_error);
  if (root == NULL)
    {
      set_bad_response (error, host, parse_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_bad_response (error, host, "root is not an object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* Integers may come as numbers or, from some servers, as strings. */
static gboolean
get_integer (JsonObject *object,
             const char *name,
             gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);
        if (!(d >= (double) G_MININT64 && d <= (double) G_MAXINT64))
          return FALSE;
        *value = (gint64) d;
        return TRUE;
      }

    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        gint64 parsed;

        errno = 0;
        parsed = g_ascii_strtoll (text, &end, 10);
        if (end == text || *end != '\0' || errno != 0)
          return FALSE;
        *value = parsed;
        return TRUE;
      }

    default:
      return FALSE;
    }
}

gboolean
prov_json_response_parse_token (GBytes      *body,
                                const char  *content_type,
                                const char  *host,
                                char       **access_token,
                                gint64      *expires_in,
                                GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  const char *token;
  const char *token_type;
  gint64 seconds = 0;

  g_return_val_if_fail (access_token != NULL, FALSE);
  g_return_val_if_fail (expires_in != NULL, FALSE);

  object = prov_json_response_parse_object (body, content_type, host, error);
  if (object == NULL)
    return FALSE;

  token = prov_json_get_string (object, "access_token");
  if (token == NULL || *token == '\0' || strpbrk (token, "\r\n") != NULL)
    {
      set_bad_response (error, host, "no usable access_token");
      return FALSE;
    }

  token_type = prov_json_get_string (object, "token_type");
  if (token_type != NULL && g_ascii_strcasecmp (token_type, "bearer") != 0)
    {
      set_bad_response (error, host, "token_type is not Bearer");
      return FALSE;
    }

  if (json_object_has_member (object, "expires_in") &&
      (!get_integer (object, "expires_in", &seconds) || seconds < 0))
    {
      set_bad_response (error, host, "expires_in is not a number of seconds");
      return FALSE;
    }

  *access_token = g_strdup (token);
  *expires_in = seconds;
  return TRUE;
}

gboolean
prov_json_response_parse_list (GBytes      *body,
                               const char  *content_type,
                               const char  *host,
                               JsonArray  **resources,
                               gint64      *total_results,
                               gint64      *start_index,
                               GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;
  JsonArray *array;
  gint64 total = -1;
  gint64 start = -1;

  g_return_val_if_fail (resources != NULL, FALSE);

  object = prov_json_response_parse_object (body, content_type, host, error);
  if (object == NULL)
    return FALSE;

  if (json_object_has_member (object, "totalResults") &&
      (!get_integer (object, "totalResults", &total) || total < 0))
    {
      set_bad_response (error, host, "totalResults is not a count");
      return FALSE;
    }

  if (json_object_has_member (object, "startIndex") &&
      (!get_integer (object, "startIndex", &start) || start < 0))
    {
      set_bad_response (error, host, "startIndex is not an index");
      return FALSE;
    }

  node = json_object_get_member (object, "Resources");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      /* An empty page may leave Resources out, but then it must say so. */
      if (total < 0)
        {
          set_bad_response (error, host, "neither Resources nor totalResults");
          return FALSE;
        }
      *resources = json_array_new ();
    }
  else
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_bad_response (error, host, "Resources is not an array");
          return FALSE;
        }

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
            {
              set_bad_response (error, host, "a resource is not an object");
              return FALSE;
            }
        }
      *resources = json_array_ref (array);
    }

  if (total_results != NULL)
    *total_results = total;
  if (start_index != NULL)
    *start_index = start;
  return TRUE;
}
