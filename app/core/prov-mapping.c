/* prov-mapping.c — SAP's attribute table: from a source user to a target's SCIM JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-mapping.h"

#define ENTERPRISE PROV_SCIM_SCHEMA_ENTERPRISE_USER ":"

/* SAP's table "Identity Authentication to SAP Jam" (docs/sap-domain.md),
 * one row per attribute. This is the only place it lives: the Jam payload
 * is built by walking it, and the UI shows it.
 *
 * Where SAP Jam keeps what: its SCIM schema has jobFunction and type as core
 * User attributes (beside userName), and personnelNumber, costCenter,
 * company, division and department in the enterprise extension; that is
 * where they are written. */
static const ProvMappingEntry entries[] = {
  { "firstName", "name.givenName", "name.givenName", PROV_MAPPING_VALUE_TEXT, NULL },
  { "lastName", "name.familyName", "name.familyName", PROV_MAPPING_VALUE_TEXT, NULL },
  { "uid", "userName", "userName", PROV_MAPPING_VALUE_TEXT, NULL },
  { "title", "title", "jobFunction", PROV_MAPPING_VALUE_TEXT, NULL },
  { "userType", "userType", "type", PROV_MAPPING_VALUE_TEXT, NULL },
  { "mail", "emails[primary].value", "emails[primary].value", PROV_MAPPING_VALUE_TEXT,
    N_("The primary email address, else the first one") },
  { "status", "active", "active", PROV_MAPPING_VALUE_ACTIVE,
    N_("Always sent: true only when the user is active") },
  { "telephone", "phoneNumbers[type=work].value", "phoneNumbers[type=work].value", PROV_MAPPING_VALUE_TEXT,
    N_("The phone number of type “work”") },
  { "street", "addresses[type=home].streetAddress", "addresses[type=home].streetAddress", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “home”") },
  { "city", "addresses[type=home].locality", "addresses[type=home].locality", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “home”") },
  { "zip", "addresses[type=home].postalCode", "addresses[type=home].postalCode", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “home”") },
  { "country", "addresses[type=home].country", "addresses[type=home].country", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “home”") },
  { "companyStreet", "addresses[type=work].streetAddress", "addresses[type=work].streetAddress", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “work”") },
  { "companyCity", "addresses[type=work].locality", "addresses[type=work].locality", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “work”") },
  { "companyZip", "addresses[type=work].postalCode", "addresses[type=work].postalCode", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “work”") },
  { "companyCountry", "addresses[type=work].country", "addresses[type=work].country", PROV_MAPPING_VALUE_TEXT,
    N_("From the address of type “work”") },
  { "locale", "locale", "locale", PROV_MAPPING_VALUE_LOCALE,
    N_("Sent as language_COUNTRY, and not at all when either is missing") },
  { "employeeNumber", ENTERPRISE "employeeNumber", ENTERPRISE "personnelNumber", PROV_MAPPING_VALUE_TEXT, NULL },
  { "costCenter", ENTERPRISE "costCenter", ENTERPRISE "costCenter", PROV_MAPPING_VALUE_TEXT, NULL },
  { "organization", ENTERPRISE "organization", ENTERPRISE "company", PROV_MAPPING_VALUE_TEXT, NULL },
  { "division", ENTERPRISE "division", ENTERPRISE "division", PROV_MAPPING_VALUE_TEXT, NULL },
  { "department", ENTERPRISE "department", ENTERPRISE "department", PROV_MAPPING_VALUE_TEXT, NULL },
};

typedef enum
{
  SELECT_NONE,
  SELECT_PRIMARY,
  SELECT_TYPE,
} Selector;

/* A path of the table, taken apart once. */
typedef struct
{
  char     *urn;       /* NULL for the core schema */
  char     *attr;
  Selector  selector;
  char     *type;      /* for SELECT_TYPE */
  char     *sub;       /* NULL for a plain attribute */
} Path;

typedef struct
{
  Path source;
  Path jam;
} ParsedEntry;

const ProvMappingEntry *
prov_mapping_get_entries (guint *n_entries)
{
  if (n_entries != NULL)
    *n_entries = G_N_ELEMENTS (entries);
  return entries;
}

const char *
prov_mapping_entry_get_note (const ProvMappingEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return entry->note != NULL ? _(entry->note) : NULL;
}

static void
parse_path (const char *text,
            Path       *path)
{
  const char *rest = text;
  const char *end;

  if (g_str_has_prefix (text, "urn:"))
    {
      const char *colon = strrchr (text, ':');

      path->urn = g_strndup (text, colon - text);
      rest = colon + 1;
    }

  end = rest + strcspn (rest, "[.");
  path->attr = g_strndup (rest, end - rest);

  if (*end == '[')
    {
      const char *close = strchr (end, ']');
      g_autofree char *selector = NULL;

      g_assert (close != NULL);
      selector = g_strndup (end + 1, close - end - 1);
      if (g_str_equal (selector, "primary"))
        path->selector = SELECT_PRIMARY;
      else if (g_str_has_prefix (selector, "type="))
        {
          path->selector = SELECT_TYPE;
          path->type = g_strdup (selector + strlen ("type="));
        }
      else
        g_assert_not_reached ();
      end = close + 1;
    }

  if (*end == '.')
    path->sub = g_strdup (end + 1);
}

static const ParsedEntry *
get_parsed_entries (void)
{
  static ParsedEntry *parsed;

  /* Kept for the life of the process, like the table itself. */
  if (g_once_init_enter (&parsed))
    {
      ParsedEntry *paths = g_new0 (ParsedEntry, G_N_ELEMENTS (entries));

      for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
        {
          parse_path (entries[i].source_path, &paths[i].source);
          parse_path (entries[i].jam_path, &paths[i].jam);
        }
      g_once_init_leave (&parsed, paths);
    }

  return parsed;
}

/* Reading the source */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  return object != NULL ? json_object_get_member (object, member) : NULL;
}

static JsonObject *
get_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The text of a value worth sending: a string with a non-space character,
 * or an integer (some servers send employee numbers as numbers). */
static char *
dup_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);

        for (const char *p = text; p != NULL && *p != '\0'; p++)
          if (!g_ascii_isspace (*p))
            return g_strdup (text);
        return NULL;
      }

    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    default:
      return NULL;
    }
}

static gboolean
node_is_true (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;
  return FALSE;
}

static JsonNode *
select_entry (JsonArray  *array,
              const Path *path)
{
  JsonNode *first = NULL;
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = get_object (json_array_get_element (array, i));
      JsonNode *value = get_member (entry, path->sub);
      g_autofree char *text = dup_text (value);

      if (entry == NULL)
        continue;

      if (path->selector == SELECT_TYPE)
        {
          JsonNode *type = get_member (entry, "type");

          if (type != NULL && json_node_get_value_type (type) == G_TYPE_STRING &&
              g_ascii_strcasecmp (json_node_get_string (type), path->type) == 0)
            return value;
          continue;
        }

      /* SELECT_PRIMARY: the primary entry, else the first with a value. */
      if (text == NULL)
        continue;
      if (node_is_true (get_member (entry, "primary")))
        return value;
      if (first == NULL)
        first = value;
    }

  return first;
}

static JsonNode *
lookup (JsonObject *source,
        const Path *path)
{
  JsonObject *container = path->urn ? get_object (get_member (source, path->urn)) : source;
  JsonNode *node = get_member (container, path->attr);

  if (node == NULL)
    return NULL;

  if (path->selector == SELECT_NONE)
    return path->sub ? get_member (get_object (node), path->sub) : node;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return select_entry (json_node_get_array (node), path);
}

/* "de_DE", "de-de" → "de_DE"; anything without both parts → NULL. */
static char *
dup_complete_locale (const char *text)
{
  gsize language_length = 0;
  const char *country;

  while (g_ascii_isalpha (text[language_length]))
    language_length++;
  if (language_length < 2 || language_length > 3)
    return NULL;

  if (text[language_length] != '_' && text[language_length] != '-')
    return NULL;
  country = text + language_length + 1;
  if (!g_ascii_isalpha (country[0]) || !g_ascii_isalpha (country[1]) || country[2] != '\0')
    return NULL;

  {
    g_autofree char *language = g_ascii_strdown (text, language_length);
    g_autofree char *upper_country = g_ascii_strup (country, 2);

    return g_strdup_printf ("%s_%s", language, upper_country);
  }
}

/* The value to send for @entry, or NULL when nothing is sent. */
static JsonNode *
map_value (const ProvMappingEntry *entry,
           const Path             *source_path,
           JsonObject             *source)
{
  JsonNode *node = lookup (source, source_path);
  g_autofree char *text = NULL;

  switch (entry->value)
    {
    case PROV_MAPPING_VALUE_ACTIVE:
      /* As ProvUser reads it: a user nobody deactivated is active. */
      return json_node_init_boolean (json_node_alloc (),
                                     node == NULL || JSON_NODE_HOLDS_NULL (node) || node_is_true (node));

    case PROV_MAPPING_VALUE_LOCALE:
      text = dup_text (node);
      if (text != NULL)
        {
          g_autofree char *locale = dup_complete_locale (g_strstrip (text));

          if (locale != NULL)
            return json_node_init_string (json_node_alloc (), locale);
        }
      return NULL;

    case PROV_MAPPING_VALUE_TEXT:
    default:
      text = dup_text (node);
      return text ? json_node_init_string (json_node_alloc (), text) : NULL;
    }
}

/* Writing the target */

static JsonObject *
get_or_add_object (JsonObject *object,
                   const char *member)
{
  JsonObject *child = get_object (json_object_get_member (object, member));

  if (child == NULL)
    {
      child = json_object_new ();
      json_object_set_object_member (object, member, child);
    }
  return child;
}

static JsonObject *
get_or_add_entry (JsonObject *container,
                  const Path *path)
{
  JsonNode *node = json_object_get_member (container, path->attr);
  JsonArray *array;
  JsonObject *entry;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      array = json_array_new ();
      json_object_set_array_member (container, path->attr, array);
    }
  else
    array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *candidate = get_object (json_array_get_element (array, i));
      JsonNode *type = get_member (candidate, "type");

      if (candidate == NULL)
        continue;
      if (path->selector == SELECT_PRIMARY && node_is_true (get_member (candidate, "primary")))
        return candidate;
      if (path->selector == SELECT_TYPE && type != NULL &&
          g_strcmp0 (json_node_get_string (type), path->type) == 0)
        return candidate;
    }

  entry = json_object_new ();
  if (path->selector == SELECT_PRIMARY)
    json_object_set_boolean_member (entry, "primary", TRUE);
  else
    json_object_set_string_member (entry, "type", path->type);
  json_array_add_object_element (array, entry);
  return entry;
}

static void
write_value (JsonObject *target,
             const Path *path,
             JsonNode   *value)
{
  JsonObject *container = path->urn ? get_or_add_object (target, path->urn) : target;

  if (path->selector != SELECT_NONE)
    json_object_set_member (get_or_add_entry (container, path), path->sub, value);
  else if (path->sub != NULL)
    json_object_set_member (get_or_add_object (container, path->attr), path->sub, value);
  else
    json_object_set_member (container, path->attr, value);
}

JsonObject *
prov_mapping_build_jam_user (ProvUser *user)
{
  const ParsedEntry *parsed = get_parsed_entries ();
  JsonObject *source;
  JsonObject *target;
  JsonArray *schemas;
  GList *members;

  g_return_val_if_fail (PROV_IS_USER (user), NULL);

  source = prov_user_get_json (user);
  target = json_object_new ();
  schemas = json_array_new ();
  json_array_add_string_element (schemas, PROV_SCIM_SCHEMA_USER);
  /* First, so it leads the JSON; filled in once the extensions are known. */
  json_object_set_array_member (target, "schemas", schemas);

  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      JsonNode *value = map_value (&entries[i], &parsed[i].source, source);

      if (value != NULL)
        write_value (target, &parsed[i].jam, value);
    }

  /* An extension object exists only once a value was written into it. */
  members = json_object_get_members (target);
  for (GList *l = members; l != NULL; l = l->next)
    if (g_str_has_prefix (l->data, "urn:"))
      json_array_add_string_element (schemas, l->data);
  g_list_free (members);

  return target;
}

/* Drops blank strings, and the objects and arrays left empty by that or
 * empty already. Returns TRUE when @node itself is empty. */
static gboolean
drop_blank (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          if (drop_blank (json_object_get_member (object, l->data)))
            json_object_remove_member (object, l->data);
        g_list_free (members);
        return json_object_get_size (object) == 0;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = json_array_get_length (array); i > 0; i--)
          if (drop_blank (json_array_get_element (array, i - 1)))
            json_array_remove_element (array, i - 1);
        return json_array_get_length (array) == 0;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *text = dup_text (node);
          return text == NULL;
        }
      return FALSE;

    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

/* Identity Provisioning maps the user itself, with its own transformations
 * for the target behind it, so it gets the user as the source has it. Only
 * id and meta go: they are the source's own bookkeeping, and a SCIM id sent
 * on create would be taken for the target's id. active stays, so that a
 * deactivated user is deactivated there too. Blank strings are dropped as
 * for SAP Jam, and members are sorted so the bytes do not depend on the
 * order the source happened to send. */
JsonObject *
prov_mapping_build_ips_user (ProvUser *user)
{
  JsonObject *copy;
  JsonNode *root;

  g_return_val_if_fail (PROV_IS_USER (user), NULL);

  copy = prov_scim_json_copy_canonical (prov_user_get_json (user));
  if (json_object_has_member (copy, "id"))
    json_object_remove_member (copy, "id");
  if (json_object_has_member (copy, "meta"))
    json_object_remove_member (copy, "meta");
  /* SCIM never returns a password, but a tenant (or whatever answers in
   * its place) may: it must not be forwarded to a target, nor land in the
   * record of what was pushed, which keeps this payload on disk. */
  if (json_object_has_member (copy, "password"))
    json_object_remove_member (copy, "password");

  root = json_node_init_object (json_node_alloc (), copy);
  drop_blank (root);
  json_node_unref (root);

  return copy;
}
