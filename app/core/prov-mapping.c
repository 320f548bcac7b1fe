/* prov-mapping.c — SAP's attribute table: from a source user to a target's SCIM JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-json-reader.h"
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

/* The text of a value worth sending — a string with a non-space
 * character, or an integer (some servers send employee numbers as
 * numbers) — or NULL: borrowed from the source for a string, else made
 * into *@owned. */
static const char *
peek_text (JsonNode  *node,
           char     **owned)
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
            return text;
        return NULL;
      }

    case G_TYPE_INT64:
      return *owned = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    default:
      return NULL;
    }
}

static char *
dup_text (JsonNode *node)
{
  char *owned = NULL;
  const char *text = peek_text (node, &owned);

  return owned != NULL ? owned : g_strdup (text);
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
      if (prov_json_node_is_true (get_member (entry, "primary")))
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

/* Writing the target.
 *
 * The payload is built as a small tree of its own and written out as text
 * at once: a JsonObject per user and per nested object (a hash table and
 * a list each) was a quarter of planning 5,000 users. The text is what
 * json-glib's generator writes for the same object (members in the order
 * they were added, the same escapes), so a hash recorded by an earlier
 * version still says "unchanged" (test-mapping pins the bytes). */

#define MAX_NODES 96   /* the table has 22 rows; a full user needs ~50 */

typedef enum
{
  NODE_STRING,
  NODE_BOOLEAN,
  NODE_OBJECT,
  NODE_ARRAY,
} NodeKind;

typedef struct
{
  NodeKind    kind;
  const char *key;        /* in an object; static or the table's */
  const char *text;       /* NODE_STRING: borrowed, or owned below */
  char       *owned;
  gboolean    boolean;
  int         first;      /* children, in order; -1: none */
  int         last;
  int         next;       /* the next sibling; -1: none */
} Node;

typedef struct
{
  Node nodes[MAX_NODES];
  int  n;
} Tree;

static int
node_new (Tree       *tree,
          NodeKind    kind,
          const char *key)
{
  Node *node;

  g_assert (tree->n < MAX_NODES);
  node = &tree->nodes[tree->n];
  *node = (Node) { .kind = kind, .key = key, .first = -1, .last = -1, .next = -1 };
  return tree->n++;
}

static void
node_append (Tree *tree,
             int   parent,
             int   child)
{
  Node *p = &tree->nodes[parent];

  if (p->last < 0)
    p->first = child;
  else
    tree->nodes[p->last].next = child;
  p->last = child;
}

static int
node_member (Tree       *tree,
             int         object,
             const char *key)
{
  for (int c = tree->nodes[object].first; c >= 0; c = tree->nodes[c].next)
    if (g_str_equal (tree->nodes[c].key, key))
      return c;
  return -1;
}

static int
node_add (Tree       *tree,
          int         parent,
          NodeKind    kind,
          const char *key)
{
  int child = node_new (tree, kind, key);

  node_append (tree, parent, child);
  return child;
}

static int
get_or_add_object (Tree       *tree,
                   int         object,
                   const char *key)
{
  int child = node_member (tree, object, key);

  return child >= 0 ? child : node_add (tree, object, NODE_OBJECT, key);
}

static int
get_or_add_entry (Tree       *tree,
                  int         container,
                  const Path *path)
{
  int array = node_member (tree, container, path->attr);
  int entry;

  if (array < 0)
    array = node_add (tree, container, NODE_ARRAY, path->attr);

  for (int c = tree->nodes[array].first; c >= 0; c = tree->nodes[c].next)
    {
      int member = node_member (tree, c, path->selector == SELECT_PRIMARY ? "primary" : "type");

      if (member < 0)
        continue;
      if (path->selector == SELECT_PRIMARY && tree->nodes[member].kind == NODE_BOOLEAN &&
          tree->nodes[member].boolean)
        return c;
      if (path->selector == SELECT_TYPE && tree->nodes[member].kind == NODE_STRING &&
          g_str_equal (tree->nodes[member].text, path->type))
        return c;
    }

  entry = node_add (tree, array, NODE_OBJECT, NULL);
  if (path->selector == SELECT_PRIMARY)
    tree->nodes[node_add (tree, entry, NODE_BOOLEAN, "primary")].boolean = TRUE;
  else
    tree->nodes[node_add (tree, entry, NODE_STRING, "type")].text = path->type;
  return entry;
}

/* The node for @path's value: new, or the one there already (emptied). */
static Node *
value_node (Tree       *tree,
            int         root,
            const Path *path,
            NodeKind    kind)
{
  int container = path->urn ? get_or_add_object (tree, root, path->urn) : root;
  const char *key = path->attr;
  int existing;

  if (path->selector != SELECT_NONE)
    {
      container = get_or_add_entry (tree, container, path);
      key = path->sub;
    }
  else if (path->sub != NULL)
    {
      container = get_or_add_object (tree, container, path->attr);
      key = path->sub;
    }

  existing = node_member (tree, container, key);
  if (existing >= 0)
    {
      /* As json-glib does: a member set again keeps its place. */
      Node *node = &tree->nodes[existing];

      g_clear_pointer (&node->owned, g_free);
      node->kind = kind;
      return node;
    }
  return &tree->nodes[node_add (tree, container, kind, key)];
}

/* Writes the value of @entry, when there is one to send. */
static void
map_value (Tree                   *tree,
           int                     root,
           const ProvMappingEntry *entry,
           const ParsedEntry      *parsed,
           JsonObject             *source)
{
  JsonNode *node = lookup (source, &parsed->source);
  g_autofree char *owned = NULL;
  const char *text;
  Node *value;

  switch (entry->value)
    {
    case PROV_MAPPING_VALUE_ACTIVE:
      /* As ProvUser reads it: a user nobody deactivated is active. */
      value = value_node (tree, root, &parsed->jam, NODE_BOOLEAN);
      value->boolean = node == NULL || JSON_NODE_HOLDS_NULL (node) || prov_json_node_is_true (node);
      return;

    case PROV_MAPPING_VALUE_LOCALE:
      text = peek_text (node, &owned);
      if (text != NULL)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (text));
          char *locale = dup_complete_locale (stripped);

          if (locale != NULL)
            {
              value = value_node (tree, root, &parsed->jam, NODE_STRING);
              value->text = value->owned = locale;
            }
        }
      return;

    case PROV_MAPPING_VALUE_TEXT:
    default:
      text = peek_text (node, &owned);
      if (text != NULL)
        {
          value = value_node (tree, root, &parsed->jam, NODE_STRING);
          value->text = text;
          value->owned = g_steal_pointer (&owned);
        }
      return;
    }
}

/* A string as json-glib 1.6's generator writes it, but for U+001F, which
 * it leaves unescaped (invalid JSON): here it is escaped like the rest. */
static void
write_string (GString    *out,
              const char *text)
{
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;

      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
          if (c >= 0x20 && c != 0x7f)
            continue;
        }

      g_string_append_len (out, run, p - run);
      if (escape != NULL)
        g_string_append (out, escape);
      else
        g_string_append_printf (out, "\\u%04x", c);
      run = p + 1;
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static void
write_node (GString    *out,
            const Tree *tree,
            int         index)
{
  const Node *node = &tree->nodes[index];

  switch (node->kind)
    {
    case NODE_STRING:
      write_string (out, node->text);
      break;

    case NODE_BOOLEAN:
      g_string_append (out, node->boolean ? "true" : "false");
      break;

    case NODE_OBJECT:
    case NODE_ARRAY:
      g_string_append_c (out, node->kind == NODE_OBJECT ? '{' : '[');
      for (int c = node->first; c >= 0; c = tree->nodes[c].next)
        {
          if (c != node->first)
            g_string_append_c (out, ',');
          if (node->kind == NODE_OBJECT)
            {
              write_string (out, tree->nodes[c].key);
              g_string_append_c (out, ':');
            }
          write_node (out, tree, c);
        }
      g_string_append_c (out, node->kind == NODE_OBJECT ? '}' : ']');
      break;

    default:
      g_assert_not_reached ();
    }
}

char *
prov_mapping_dup_jam_text_for_json (JsonObject *source)
{
  const ParsedEntry *parsed = get_parsed_entries ();
  Tree tree;
  int root, schemas;
  GString *out;

  g_return_val_if_fail (source != NULL, NULL);

  tree.n = 0;
  root = node_new (&tree, NODE_OBJECT, NULL);
  /* First, so it leads the JSON; filled in once the extensions are known. */
  schemas = node_add (&tree, root, NODE_ARRAY, "schemas");
  tree.nodes[node_add (&tree, schemas, NODE_STRING, NULL)].text = PROV_SCIM_SCHEMA_USER;

  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    map_value (&tree, root, &entries[i], &parsed[i], source);

  /* An extension object exists only once a value was written into it. */
  for (int c = tree.nodes[root].first; c >= 0; c = tree.nodes[c].next)
    if (g_str_has_prefix (tree.nodes[c].key, "urn:"))
      tree.nodes[node_add (&tree, schemas, NODE_STRING, NULL)].text = tree.nodes[c].key;

  out = g_string_sized_new (512);
  write_node (out, &tree, root);
  for (int i = 0; i < tree.n; i++)
    g_free (tree.nodes[i].owned);
  return g_string_free (out, FALSE);
}

char *
prov_mapping_dup_jam_text (ProvUser *user)
{
  g_return_val_if_fail (PROV_IS_USER (user), NULL);

  return g_strdup (prov_user_get_jam_text (user));
}

JsonObject *
prov_mapping_build_jam_user (ProvUser *user)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (PROV_IS_USER (user), NULL);

  text = prov_mapping_dup_jam_text (user);
  node = json_from_string (text, NULL);
  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
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
  g_autoptr(JsonObject) source = NULL;
  JsonObject *copy;
  JsonNode *root;

  g_return_val_if_fail (PROV_IS_USER (user), NULL);

  source = prov_user_dup_json (user);
  copy = prov_scim_json_copy_canonical (source);
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
