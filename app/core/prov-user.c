/* prov-user.c — one user of the source, as Identity Authentication's SCIM JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-user.h"

struct _ProvUser
{
  GObject     parent_instance;

  JsonObject *json;

  /* Read from json once: the object never changes. Borrowed from json
   * except display_label. */
  const char *user_name;
  const char *id;
  const char *user_id;
  const char *email;
  const char *given_name;
  const char *family_name;
  char       *display_label;
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

static void
read_fields (ProvUser *self)
{
  JsonObject *name = get_object_member (self->json, "name");
  JsonArray *emails = get_array_member (self->json, "emails");
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  self->user_name = get_text_member (self->json, "userName");
  self->id = get_text_member (self->json, "id");
  self->user_id = get_text_member (get_object_member (self->json, PROV_SCIM_SCHEMA_SAP_USER), "userId");
  self->email = read_email (self->json);
  self->given_name = get_text_member (name, "givenName");
  self->family_name = get_text_member (name, "familyName");
  self->active = read_active (self->json);

  if (self->given_name != NULL && self->family_name != NULL)
    self->display_label = g_strdup_printf ("%s %s", self->given_name, self->family_name);
  else if (self->given_name != NULL || self->family_name != NULL)
    self->display_label = g_strdup (self->given_name ? self->given_name : self->family_name);
  else if (get_text_member (self->json, "displayName") != NULL)
    self->display_label = g_strdup (get_text_member (self->json, "displayName"));
  else
    self->display_label = g_strdup (self->user_name);

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

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_pointer (&self->display_label, g_free);
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

static ProvUser *
user_new (JsonObject  *scim,
          gboolean     copy,
          GError     **error)
{
  g_autoptr(ProvUser) self = NULL;
  const char *user_name;
  gsize length;
  gboolean trim;

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
   * spaces, as the CSV reader trims every value. A parsed page is sealed:
   * a name to trim needs a copy of its user. */
  user_name = json_object_get_string_member (scim, "userName");
  length = strlen (user_name);
  trim = g_ascii_isspace (user_name[0]) || (length > 0 && g_ascii_isspace (user_name[length - 1]));
  if (copy || (trim && json_object_is_immutable (scim)))
    self->json = copy_object (scim, FALSE);
  else
    self->json = json_object_ref (scim);
  if (trim)
    {
      g_autofree char *trimmed = g_strdup (user_name);

      json_object_set_string_member (self->json, "userName", g_strstrip (trimmed));
    }
  read_fields (self);

  return g_steal_pointer (&self);
}

ProvUser *
prov_user_new_from_json (JsonObject  *scim,
                         GError     **error)
{
  /* Our own copy: the caller's object may change after this. */
  return user_new (scim, TRUE, error);
}

ProvUser *
prov_user_new_take_json (JsonObject  *scim,
                         GError     **error)
{
  return user_new (scim, FALSE, error);
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
prov_user_get_json (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return self->json;
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

char *
prov_user_dup_fingerprint (ProvUser *self)
{
  g_return_val_if_fail (PROV_IS_USER (self), NULL);
  return prov_scim_json_dup_digest (self->json);
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

char *
prov_scim_json_dup_digest (JsonObject *object)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  canonical = prov_scim_json_dup_canonical (object);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
}
