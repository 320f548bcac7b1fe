/* prov-user.c — one user of the source, as Identity Authentication's SCIM JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-mapping.h"
#include "prov-user.h"

struct _ProvUser
{
  GObject     parent_instance;

  /* The user's SCIM JSON as compact text, parsed again when asked for:
   * a parsed tree costs seven times its text, and a tenant has
   * thousands of users. */
  char       *json_text;
  /* Its SAP Jam payload, made while the tree was at hand: SAP Jam is the
   * common target, and parsing the text again for it costs more than the
   * text takes. */
  char       *jam_text;

  /* Read from the JSON once: the user never changes. They point into
   * strings, one block for all of them. */
  char       *strings;
  const char *user_name;
  const char *id;
  const char *user_id;
  const char *email;
  const char *given_name;
  const char *family_name;
  const char *display_label;
  gboolean    active;

  /* Case-folded user ID, id, login name and every email, for search. */
  GStrv       search_keys;
};

enum {
  PROP_0,
  PROP_USER_NAME,
  PROP_ID,
  PROP_USER_ID,
  PROP_EMAIL,
  PROP_DISPLAY_LABEL,
  PROP_ACTIVE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ProvUser, prov_user, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* A string member with at least one non-space character, else NULL. */
static const char *
get_text_member (JsonObject *object,
                 const char *member)
{
  JsonNode *node;
  const char *value;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  for (const char *p = value; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return value;
  return NULL;
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
read_active (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "active");

  /* Identity Authentication always sends it; a CSV may not have the column,
   * and a user nobody deactivated is active. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return prov_json_node_is_true (node);
}

static const char *
read_email (JsonObject *object)
{
  JsonArray *emails = get_array_member (object, "emails");
  const char *first = NULL;
  guint n;

  if (emails == NULL)
    return NULL;

  n = json_array_get_length (emails);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (emails, i);
      JsonObject *email;
      const char *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      email = json_node_get_object (element);
      value = get_text_member (email, "value");
      if (value == NULL)
        continue;
      if (prov_json_node_is_true (json_object_get_member (email, "primary")))
        return value;
      if (first == NULL)
        first = value;
    }

  return first;
}

static JsonObject *copy_object (JsonObject *object,
                                gboolean    sorted);

/* json-glib writes a double as g_ascii_dtostr() does, with ".0" after it
 * when that has no point: 1e40 becomes 1e+40.0, and 1e400 (infinity)
 * inf.0, neither of them JSON. A user with such a number could not be
 * read back, nor sent anywhere. */
static gboolean
is_unwritable_double (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return TRUE;
  g_ascii_dtostr (text, sizeof text, value);
  return strchr (text, '.') == NULL && strpbrk (text, "eE") != NULL;
}

static gboolean
has_unwritable_number (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          if (has_unwritable_number (member))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (has_unwritable_number (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) == G_TYPE_DOUBLE &&
             is_unwritable_double (json_node_get_double (node));

    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

static int
compare_member_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (a, b);
}

/* A deep copy. json_node_copy() shares objects, arrays and even values
 * with the original, so it cannot be used for a copy we own. */
static JsonNode *
copy_node (JsonNode *node,
           gboolean  sorted)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) copy = copy_object (json_node_get_object (node), sorted);

        return json_node_init_object (json_node_alloc (), copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        JsonArray *copy = json_array_sized_new (n);
        JsonNode *result;

        for (guint i = 0; i < n; i++)
          json_array_add_element (copy, copy_node (json_array_get_element (array, i), sorted));
        result = json_node_init_array (json_node_alloc (), copy);
        json_array_unref (copy);
        return result;
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return json_node_init_boolean (json_node_alloc (), json_node_get_boolean (node));
        case G_TYPE_INT64:
          return json_node_init_int (json_node_alloc (), json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return json_node_init_double (json_node_alloc (), json_node_get_double (node));
        case G_TYPE_STRING:
          return json_node_init_string (json_node_alloc (), json_node_get_string (node));
        default:
          return json_node_init_null (json_node_alloc ());
        }

    case JSON_NODE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

static JsonObject *
copy_object (JsonObject *object,
             gboolean    sorted)
{
  JsonObject *copy = json_object_new ();
  GList *members = json_object_get_members (object);

  if (sorted)
    members = g_list_sort (members, compare_member_names);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            copy_node (json_object_get_member (object, l->data), sorted));
  g_list_free (members);

  return copy;
}

static void
add_search_key (GStrvBuilder *builder,
                const char   *value)
{
  g_autofree char *folded = NULL;

  if (value == NULL)
    return;
  folded = g_utf8_casefold (value, -1);
  g_strv_builder_add (builder, folded);
}

/* Copies @values into one block and points @fields at the copies. */
static char *
pack_strings (const char  *values[],
              const char **fields[],
              guint        n)
{
  gsize size = 0;
  char *block;
  char *p;

  for (guint i = 0; i < n; i++)
    if (values[i] != NULL)
      size += strlen (values[i]) + 1;
  p = block = g_malloc (MAX (size, 1));
  for (guint i = 0; i < n; i++)
    {
      gsize length;

      if (values[i] == NULL)
        {
          *fields[i] = NULL;
          continue;
        }
      length = strlen (values[i]) + 1;
      memcpy (p, values[i], length);
      *fields[i] = p;
      p += length;
    }
  return block;
}

static void
read_fields (ProvUser   *self,
             JsonObject *json)
{
  JsonObject *name = get_object_member (json, "name");
  JsonArray *emails = get_array_member (json, "emails");
  const char *given_name = get_text_member (name, "givenName");
  const char *family_name = get_text_member (name, "familyName");
  g_autofree char *display_label = NULL;
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  const char *values[] = {
    get_text_member (json, "userName"),
    get_text_member (json, "id"),
    get_text_member (get_object_member (json, PROV_SCIM_SCHEMA_SAP_USER), "userId"),
    read_email (json),
    given_name,
    family_name,
    NULL,
  };
  const char **fields[] = {
    &self->user_name, &self->id, &self->user_id, &self->email,
    &self->given_name, &self->family_name, &self->display_label,
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (fields));

  if (given_name != NULL && family_name != NULL)
    display_label = g_strdup_printf ("%s %s", given_name, family_name);
  else if (given_name != NULL || family_name != NULL)
    display_label = g_strdup (given_name ? given_name : family_name);
  else if (get_text_member (json, "displayName") != NULL)
    display_label = g_strdup (get_text_member (json, "displayName"));
  else
    display_label = g_strdup (values[0]);
  values[G_N_ELEMENTS (values) - 1] = display_label;
  self->strings = pack_strings (values, fields, G_N_ELEMENTS (fields));
  self->active = read_active (json);

  add_search_key (keys, self->user_id);
  add_search_key (keys, self->id);
  add_search_key (keys, self->user_name);
  for (guint i = 0; emails != NULL && i < json_array_get_length (emails); i++)
    {
      JsonNode *element = json_array_get_element (emails, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        add_search_key (keys, get_text_member (json_node_get_object (element), "value"));
    }
  self->search_keys = g_strv_builder_end (keys);
}

static void
prov_user_finalize (GObject *object)
{
  ProvUser *self = (ProvUser *)object;

  g_clear_pointer (&self->json_text, g_free);
  g_clear_pointer (&self->jam_text, g_free);
  g_clear_pointer (&self->strings, g_free);
  g_clear_pointer (&self->search_keys, g_strfreev);

  G_OBJECT_CLASS (prov_user_parent_class)->finalize (object);
}

static void
prov_user_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ProvUser *self = PROV_USER (object);

  switch (prop_id)
    {
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;

    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_DISPLAY_LABEL:
      g_value_set_string (value, self->display_label);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_user_class_init (ProvUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prov_user_finalize;
  object_class->get_property = prov_user_get_property;

  /* Read-only, for list rows and sorters bound to a user. */
  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_LABEL] =
    g_param_spec_string ("display-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prov_user_init (ProvUser *self)
{
}

ProvUser *
prov_user_new_from_json (JsonObject  *scim,
                         GError     **error)
{
  g_autoptr(ProvUser) self = NULL;
  g_autoptr(JsonObject) trimmed = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *user_name;
  gsize length;

  g_return_val_if_fail (scim != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (get_text_member (scim, "userName") == NULL)
    {
      g_set_error_literal (error, PROV_ERROR, PROV_ERROR_INVALID_USER,
                           _("The user has no login name (userName)."));
      return NULL;
    }

  self = g_object_new (PROV_TYPE_USER, NULL);
  /* One person has one name whatever the source: trimmed of surrounding
   * spaces, as the CSV reader trims every value. The caller's object is
   * left alone: a parsed page is sealed. */
  user_name = json_object_get_string_member (scim, "userName");
  length = strlen (user_name);
  if (g_ascii_isspace (user_name[0]) || (length > 0 && g_ascii_isspace (user_name[length - 1])))
    {
      g_autofree char *name = g_strstrip (g_strdup (user_name));

      trimmed = copy_object (scim, FALSE);
      json_object_set_string_member (trimmed, "userName", name);
      scim = trimmed;
    }
  /* The text and the fields come from the same object, so they agree.
   * json-glib takes octal escapes ("\377") to bytes that are not UTF-8,
   * and writes some numbers as no JSON: the text must parse back, or the
   * user could not be sent anywhere. */
  root = json_node_init_object (json_node_alloc (), scim);
  self->json_text = has_unwritable_number (root) ? NULL : json_to_string (root, FALSE);
  if (self->json_text == NULL || !g_utf8_validate (self->json_text, -1, NULL))
    {
      g_autofree char *name = g_utf8_make_valid (user_name, -1);

      g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_USER,
                   _("The user “%s” has a value that cannot be passed on."), name);
      return NULL;
    }
  self->jam_text = prov_mapping_dup_jam_text_for_json (scim);
  read_fields (self, scim);

  return g_steal_pointer (&self);
}

const char *
prov_user_get_user_name (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->user_name;
}

const char *
prov_user_get_id (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->id;
}

const char *
prov_user_get_user_id (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->user_id;
}

const char *
prov_user_get_email (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->email;
}

const char *
prov_user_get_given_name (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->given_name;
}

const char *
prov_user_get_family_name (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->family_name;
}

const char *
prov_user_get_display_label (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->display_label;
}

gboolean
prov_user_get_active (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), FALSE);
  return self->active;
}

JsonObject *
prov_user_dup_json (ProvUser *self)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_return_val_if_fail (PROV_IS_USER (self), NULL);

  /* Text json-glib wrote from an object always parses back to it. */
  if (!json_parser_load_from_data (parser, self->json_text, -1, &error))
    g_error ("A user's own JSON did not parse: %s", error->message);
  root = json_parser_get_root (parser);
  g_assert (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

const char *
prov_user_get_jam_text (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->jam_text;
}

gboolean
prov_user_matches (ProvUser   *self,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (PROV_IS_USER (self), FALSE);

  if (needle == NULL || *needle == '\0')
    return TRUE;

  folded = g_utf8_casefold (needle, -1);
  for (guint i = 0; self->search_keys[i] != NULL; i++)
    if (strstr (self->search_keys[i], folded) != NULL)
      return TRUE;

  return FALSE;
}

JsonObject *
prov_scim_json_copy_canonical (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);

  return copy_object (object, TRUE);
}

char *
prov_scim_json_dup_canonical (JsonObject *object)
{
  g_autoptr(JsonObject) canonical = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  /* json-glib writes members in insertion order, so sorted insertion gives
   * one text for one content. */
  canonical = prov_scim_json_copy_canonical (object);
  root = json_node_init_object (json_node_alloc (), canonical);
  return json_to_string (root, FALSE);
}
