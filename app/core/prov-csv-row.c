/* prov-csv-row.c — one record of a CSV file as a user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identity Authentication's CSV format, as docs/sap-domain.md (“CSV files”)
 * gathers it from SAP's pages; this file's part of how we read it:
 *
 * - Every value is trimmed of surrounding spaces; an empty value means the
 *   attribute is absent — it is never sent as an empty string.
 * - Booleans (active and every "primary") are TRUE or FALSE in any case;
 *   anything else leaves the row out.
 * - Semicolons: docs/sap-domain.md (“CSV files”) says a semicolon inside a value separates several
 *   values. We split only where several values make sense: in the columns
 *   of a multi-valued attribute ("emails[0].value"), except addresses,
 *   whose text (a street) may well hold a semicolon. The k-th value of each
 *   column of entry N goes to the k-th entry made from N, so
 *   emails[0].value "a@x;b@y" with emails[0].type "work;home" gives two
 *   emails, a@x (work) and b@y (home); entries keep the order of N, then k.
 *   Elsewhere a semicolon is text ("Head of Sales; EMEA").
 * - Identity Authentication's export pads multi-valued attributes to three
 *   entries and leaves the unused ones empty. An entry without data (no
 *   value, or for addresses nothing but type and primary) is dropped.
 * - A row is left out, with its line number and a reason, when its number of
 *   values differs from the number of columns, a boolean is not TRUE or
 *   FALSE, a required value is empty, or its userName (compared without
 *   case) or SCIM id was already used by an earlier row. An earlier row
 *   keeps its name even when it was itself left out: which of two rows is
 *   the real user is for a person to decide.
 * - A row whose values are all empty is skipped silently (spreadsheets
 *   leave such rows at the end).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-csv-row.h"

/* Values quoted in messages are cut to this many characters. */
#define MAX_QUOTED_CHARS 40

/* @value, cut short for a message. */
static char *
dup_quotable (const char *value)
{
  if (g_utf8_strlen (value, -1) <= MAX_QUOTED_CHARS)
    return g_strdup (value);
  {
    g_autofree char *start = g_utf8_substring (value, 0, MAX_QUOTED_CHARS);
    return g_strconcat (start, "…", NULL);
  }
}

typedef struct
{
  const ProvCsvHeader  *header;
  JsonObject           *core;
  JsonArray            *schemas;
  JsonObject          **extensions;  /* per container; [0] unused */
  GPtrArray           **entries;     /* per group: per index, a GPtrArray of JsonObject */
} Row;

static void
row_init (Row                 *row,
          const ProvCsvHeader *header)
{
  row->header = header;
  row->core = json_object_new ();
  row->schemas = json_array_new ();
  json_array_add_string_element (row->schemas, PROV_SCIM_SCHEMA_USER);
  json_object_set_array_member (row->core, "schemas", json_array_ref (row->schemas));
  row->extensions = g_new0 (JsonObject *, header->containers->len);
  row->entries = g_new0 (GPtrArray *, header->groups->len);
}

static void
row_clear (Row *row)
{
  for (guint i = 0; i < row->header->containers->len; i++)
    g_clear_pointer (&row->extensions[i], json_object_unref);
  for (guint i = 0; i < row->header->groups->len; i++)
    g_clear_pointer (&row->entries[i], g_ptr_array_unref);
  g_clear_pointer (&row->extensions, g_free);
  g_clear_pointer (&row->entries, g_free);
  g_clear_pointer (&row->schemas, json_array_unref);
  g_clear_pointer (&row->core, json_object_unref);
}

static JsonObject *
row_get_container (Row   *row,
                   guint  container)
{
  if (container == 0)
    return row->core;
  if (row->extensions[container] == NULL)
    row->extensions[container] = json_object_new ();
  return row->extensions[container];
}

/* The k-th entry made from index @index of @group. */
static JsonObject *
row_get_entry (Row   *row,
               int    group,
               int    index,
               guint  k)
{
  const ProvCsvGroup *info = g_ptr_array_index (row->header->groups, group);
  GPtrArray *slot;

  if (row->entries[group] == NULL)
    {
      row->entries[group] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      for (int i = 0; i <= info->max_index; i++)
        g_ptr_array_add (row->entries[group],
                         g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref));
    }

  slot = g_ptr_array_index (row->entries[group], index);
  while (slot->len <= k)
    g_ptr_array_add (slot, json_object_new ());
  return g_ptr_array_index (slot, k);
}

static char *
parse_value (const ProvCsvColumn  *column,
             const char           *text,
             JsonNode            **node)
{
  if (column->kind == PROV_CSV_VALUE_TEXT)
    {
      *node = json_node_init_string (json_node_alloc (), text);
      return NULL;
    }

  if (g_ascii_strcasecmp (text, "TRUE") == 0 || g_ascii_strcasecmp (text, "FALSE") == 0)
    {
      *node = json_node_init_boolean (json_node_alloc (), g_ascii_strcasecmp (text, "TRUE") == 0);
      return NULL;
    }

  {
    g_autofree char *quoted = dup_quotable (text);

    *node = NULL;
    /* Translators: the first %s is a value from the file, the second a column name */
    return g_strdup_printf (_("“%s” in the column “%s” is not TRUE or FALSE."),
                            quoted, column->title);
  }
}

static JsonObject *
get_or_add_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_set_object_member (object, member, json_object_new ());
      node = json_object_get_member (object, member);
    }
  return json_node_get_object (node);
}

/* Whether an entry of a multi-valued attribute carries anything: a value,
 * or for entries with no value (addresses) anything but its labels. */
static gboolean
entry_has_data (JsonObject *entry)
{
  GList *members;
  gboolean has_data = FALSE;

  if (json_object_has_member (entry, "value"))
    return TRUE;

  members = json_object_get_members (entry);
  for (GList *l = members; l != NULL && !has_data; l = l->next)
    has_data = !g_str_equal (l->data, "type") &&
               !g_str_equal (l->data, "primary") &&
               !g_str_equal (l->data, "display");
  g_list_free (members);
  return has_data;
}

static char *
row_set_value (Row                 *row,
               const ProvCsvColumn *column,
               const char          *text)
{
  JsonObject *container = row_get_container (row, column->container);
  g_auto(GStrv) pieces = NULL;

  if (column->index < 0)
    {
      JsonNode *node;
      char *problem = parse_value (column, text, &node);

      if (problem != NULL)
        return problem;
      if (column->sub != NULL)
        container = get_or_add_object (container, column->attr);
      json_object_set_member (container, column->sub ? column->sub : column->attr, node);
      return NULL;
    }

  if (column->split)
    pieces = g_strsplit (text, ";", -1);
  else
    {
      pieces = g_new0 (char *, 2);
      pieces[0] = g_strdup (text);
    }

  for (guint k = 0; pieces[k] != NULL; k++)
    {
      JsonNode *node;
      char *problem;

      g_strstrip (pieces[k]);
      /* Keep the place: the k-th values of sibling columns belong together. */
      if (*pieces[k] == '\0')
        continue;

      problem = parse_value (column, pieces[k], &node);
      if (problem != NULL)
        return problem;
      json_object_set_member (row_get_entry (row, column->group, column->index, k),
                              column->sub, node);
    }

  return NULL;
}

static void
row_finish (Row *row)
{
  const ProvCsvHeader *header = row->header;

  for (guint g = 0; g < header->groups->len; g++)
    {
      const ProvCsvGroup *group = g_ptr_array_index (header->groups, g);
      JsonArray *array;

      if (row->entries[g] == NULL)
        continue;

      array = json_array_new ();
      for (guint i = 0; i < row->entries[g]->len; i++)
        {
          GPtrArray *slot = g_ptr_array_index (row->entries[g], i);

          for (guint k = 0; k < slot->len; k++)
            if (entry_has_data (g_ptr_array_index (slot, k)))
              json_array_add_object_element (array, json_object_ref (g_ptr_array_index (slot, k)));
        }

      if (json_array_get_length (array) > 0)
        json_object_set_array_member (row_get_container (row, group->container), group->attr, array);
      else
        json_array_unref (array);
    }

  for (guint i = 1; i < header->containers->len; i++)
    if (row->extensions[i] != NULL && json_object_get_size (row->extensions[i]) > 0)
      {
        const char *urn = g_ptr_array_index (header->containers, i);

        json_array_add_string_element (row->schemas, urn);
        json_object_set_object_member (row->core, urn, json_object_ref (row->extensions[i]));
      }
}

static gboolean
has_text_member (JsonObject *object,
                 const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING;
}

char *
prov_csv_row_read (const ProvCsvHeader  *header,
                   GPtrArray            *fields,
                   guint                 line,
                   ProvCsvSeen          *seen,
                   ProvUser            **user)
{
  Row row;
  char *problem = NULL;
  JsonNode *name_node;
  JsonObject *name;
  const char *user_name;
  const char *id;
  g_autoptr(GError) error = NULL;

  *user = NULL;

  if (fields->len != header->columns->len)
    {
      gboolean extra_are_empty = fields->len > header->columns->len;

      for (guint i = header->columns->len; extra_are_empty && i < fields->len; i++)
        extra_are_empty = *(const char *) g_ptr_array_index (fields, i) == '\0';

      /* Trailing commas after the last column are harmless. */
      if (!extra_are_empty)
        return g_strdup_printf (_("This row has %u values, but the first line names %u columns."),
                                fields->len, header->columns->len);
    }

  row_init (&row, header);

  for (guint i = 0; i < header->columns->len && problem == NULL; i++)
    {
      const ProvCsvColumn *column = g_ptr_array_index (header->columns, i);
      const char *text = i < fields->len ? g_ptr_array_index (fields, i) : "";

      if (!column->ignored && *text != '\0')
        problem = row_set_value (&row, column, text);
    }
  if (problem == NULL)
    row_finish (&row);

  /* A name or id is claimed even by a row left out for another reason. */
  user_name = json_object_get_string_member_with_default (row.core, "userName", NULL);
  if (user_name != NULL)
    {
      g_autofree char *folded = g_utf8_casefold (user_name, -1);
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (seen->user_names, folded));

      if (first != 0 && problem == NULL)
        {
          g_autofree char *quoted = dup_quotable (user_name);

          problem = g_strdup_printf (_("The login name “%s” is already used on line %u."),
                                     quoted, first);
        }
      else if (first == 0)
        g_hash_table_insert (seen->user_names, g_steal_pointer (&folded), GUINT_TO_POINTER (line));
    }

  id = json_object_get_string_member_with_default (row.core, "id", NULL);
  if (id != NULL)
    {
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (seen->ids, id));

      if (first != 0 && problem == NULL)
        {
          g_autofree char *quoted = dup_quotable (id);

          problem = g_strdup_printf (_("The SCIM ID “%s” is already used on line %u."),
                                     quoted, first);
        }
      else if (first == 0)
        g_hash_table_insert (seen->ids, g_strdup (id), GUINT_TO_POINTER (line));
    }

  if (problem == NULL && user_name == NULL)
    problem = g_strdup (_("The login name (userName) is empty."));
  if (problem == NULL && !json_object_has_member (row.core, "emails"))
    problem = g_strdup (_("The email address (emails[0].value) is empty."));
  name_node = json_object_get_member (row.core, "name");
  name = name_node != NULL && JSON_NODE_HOLDS_OBJECT (name_node) ? json_node_get_object (name_node) : NULL;
  if (problem == NULL && !has_text_member (name, "familyName"))
    problem = g_strdup (_("The last name (name.familyName) is empty."));

  if (problem == NULL)
    {
      *user = prov_user_new_from_json (row.core, &error);
      if (*user == NULL)
        problem = g_strdup (error->message);
    }

  row_clear (&row);
  return problem;
}

