/* prov-csv-header.c — the line of a CSV file that names its columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identity Authentication's CSV format, as docs/sap-domain.md (“CSV files”)
 * gathers it from SAP's pages; this file's part of how we read it:
 *
 * - The first non-blank line names the columns with SCIM attribute paths:
 *   "attr", "attr.sub", "attr[N].sub" (and "attr[N]", read as
 *   "attr[N].value"), optionally behind a schema URN, as in
 *   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department".
 *   Names match case-insensitively (SCIM attribute names are
 *   case-insensitive) and are written with SCIM's spelling. A known
 *   multi-valued attribute without an index ("emails.value") means index 0.
 *   The legacy names loginName, mail, lastName and firstName stand for
 *   userName, emails[0].value, name.familyName and name.givenName.
 * - Other columns shaped like a SCIM path are kept, as text. Any other
 *   column, and the password and schemas columns (we never read passwords;
 *   we write schemas ourselves), is ignored with one warning per column.
 * - Required columns: userName (or loginName), emails[0].value (or mail)
 *   and name.familyName (or lastName); missing, the file is refused. In a
 *   row, these three need a value too, as Identity Authentication requires.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-csv-header.h"
#include "prov-error.h"
#include "prov-user.h"

/* The highest entry index a column may name; more is a broken header. */
#define MAX_ENTRY_INDEX 99

typedef enum
{
  SHAPE_SCALAR,
  SHAPE_OBJECT,
  SHAPE_ARRAY,
} AttributeShape;

/* Identity Authentication's old column names. */
static const struct
{
  const char *legacy;
  const char *path;
} legacy_names[] = {
  { "loginName", "userName" },
  { "mail", "emails[0].value" },
  { "lastName", "name.familyName" },
  { "firstName", "name.givenName" },
};

static const char * const known_schemas[] = {
  PROV_SCIM_SCHEMA_USER,
  PROV_SCIM_SCHEMA_ENTERPRISE_USER,
  PROV_SCIM_SCHEMA_SAP_USER,
  "urn:sap:cloud:scim:schemas:extension:custom:2.0:User",
};

/* Attribute and sub-attribute names of the schemas above, in SCIM's
 * spelling: a column's names are written this way whatever its case. */
static const char * const known_names[] = {
  /* core */
  "id", "externalId", "userName", "name", "displayName", "nickName",
  "profileUrl", "title", "userType", "preferredLanguage", "locale",
  "timezone", "active", "password", "emails", "phoneNumbers", "ims",
  "photos", "addresses", "groups", "entitlements", "roles",
  "x509Certificates", "meta", "schemas",
  "formatted", "familyName", "givenName", "middleName", "honorificPrefix",
  "honorificSuffix", "value", "display", "type", "primary", "$ref",
  "streetAddress", "locality", "region", "postalCode", "country",
  "resourceType", "created", "lastModified", "location", "version",
  /* enterprise */
  "employeeNumber", "costCenter", "organization", "division", "department",
  "manager",
  /* SAP */
  "userId", "userUuid", "mailVerified", "status", "sendMail", "sourceSystem",
  "sourceSystemId", "validFrom", "validTo", "attributes", "verified",
};

static const char * const multi_valued_core[] = {
  "emails", "phoneNumbers", "ims", "photos", "addresses", "groups",
  "entitlements", "roles", "x509Certificates",
};

static void
column_free (gpointer data)
{
  ProvCsvColumn *column = data;

  g_free (column->title);
  g_free (column->path);
  g_free (column->attr);
  g_free (column->sub);
  g_free (column);
}

static void
group_free (gpointer data)
{
  ProvCsvGroup *group = data;

  g_free (group->attr);
  g_free (group);
}

void
prov_csv_header_clear (ProvCsvHeader *header)
{
  g_clear_pointer (&header->columns, g_ptr_array_unref);
  g_clear_pointer (&header->containers, g_ptr_array_unref);
  g_clear_pointer (&header->groups, g_ptr_array_unref);
  g_clear_pointer (&header->warnings, g_strv_builder_unref);
}
static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '$';
}

/* SCIM's ATTRNAME: a letter, then letters, digits, "_" and "-"; "$ref" too. */
static gboolean
is_attribute_name (const char *start,
                   gsize       length)
{
  if (length == 0)
    return FALSE;
  if (length == 4 && strncmp (start, "$ref", 4) == 0)
    return TRUE;
  if (!g_ascii_isalpha (start[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!is_name_char (start[i]) || start[i] == '$')
      return FALSE;
  return TRUE;
}

static gboolean
is_urn (const char *start,
        gsize       length)
{
  guint colons = 0;

  if (length < 8 || g_ascii_strncasecmp (start, "urn:", 4) != 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = start[i];

      if (c == ':')
        colons++;
      else if (!g_ascii_isalnum (c) && c != '.' && c != '-' && c != '_')
        return FALSE;
    }
  return colons >= 2 && start[length - 1] != ':';
}

static char *
dup_known_name (const char *start,
                gsize       length)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_names); i++)
    if (strlen (known_names[i]) == length &&
        g_ascii_strncasecmp (known_names[i], start, length) == 0)
      return g_strdup (known_names[i]);
  return g_strndup (start, length);
}

static gboolean
is_multi_valued_core (const char *attr)
{
  for (gsize i = 0; i < G_N_ELEMENTS (multi_valued_core); i++)
    if (g_str_equal (attr, multi_valued_core[i]))
      return TRUE;
  return FALSE;
}

/* The header */

typedef enum
{
  COLUMN_OK,
  COLUMN_NOT_SCIM,
  COLUMN_REFUSED,     /* password, schemas */
} ColumnParse;

/* Splits @name ("urn:…:User:attr[N].sub") into its parts. @schema is NULL
 * for the core schema. */
static ColumnParse
parse_column_name (const char  *name,
                   char       **schema,
                   char       **attr,
                   int         *index,
                   char       **sub)
{
  const char *path = name;
  const char *p;
  const char *attr_end;
  const char *colon;
  g_autofree char *urn = NULL;

  *index = -1;

  for (gsize i = 0; i < G_N_ELEMENTS (legacy_names); i++)
    if (g_ascii_strcasecmp (name, legacy_names[i].legacy) == 0)
      path = legacy_names[i].path;

  colon = strrchr (path, ':');
  if (colon != NULL)
    {
      if (!is_urn (path, colon - path))
        return COLUMN_NOT_SCIM;
      urn = g_strndup (path, colon - path);
      path = colon + 1;

      for (gsize i = 0; i < G_N_ELEMENTS (known_schemas); i++)
        if (g_ascii_strcasecmp (urn, known_schemas[i]) == 0)
          {
            g_free (urn);
            urn = g_strdup (known_schemas[i]);
          }
      if (g_str_equal (urn, PROV_SCIM_SCHEMA_USER))
        g_clear_pointer (&urn, g_free);
    }

  for (p = path; is_name_char (*p); p++)
    ;
  attr_end = p;
  if (!is_attribute_name (path, attr_end - path))
    return COLUMN_NOT_SCIM;

  if (*p == '[')
    {
      guint64 n = 0;
      const char *digits = ++p;

      while (g_ascii_isdigit (*p) && p - digits < 3)
        n = n * 10 + (*p++ - '0');
      if (p == digits || *p != ']' || n > MAX_ENTRY_INDEX)
        return COLUMN_NOT_SCIM;
      *index = (int) n;
      p++;
    }

  if (*p == '.')
    {
      const char *sub_start = ++p;

      while (is_name_char (*p))
        p++;
      if (!is_attribute_name (sub_start, p - sub_start))
        return COLUMN_NOT_SCIM;
      *sub = dup_known_name (sub_start, p - sub_start);
    }

  if (*p != '\0')
    {
      g_clear_pointer (sub, g_free);
      return COLUMN_NOT_SCIM;
    }

  *attr = dup_known_name (path, attr_end - path);
  *schema = g_steal_pointer (&urn);

  if (*schema == NULL && *index < 0 && is_multi_valued_core (*attr))
    *index = 0;
  if (*index >= 0 && *sub == NULL)
    *sub = g_strdup ("value");

  if (*schema == NULL &&
      (g_str_equal (*attr, "password") || g_str_equal (*attr, "schemas")))
    return COLUMN_REFUSED;

  return COLUMN_OK;
}

static char *
dup_column_path (const char *schema,
                 const char *attr,
                 int         index,
                 const char *sub)
{
  GString *path = g_string_new (NULL);

  if (schema != NULL)
    g_string_append_printf (path, "%s:", schema);
  g_string_append (path, attr);
  if (index >= 0)
    g_string_append_printf (path, "[%d]", index);
  if (sub != NULL)
    g_string_append_printf (path, ".%s", sub);
  return g_string_free (path, FALSE);
}

static guint
find_or_add_container (ProvCsvHeader *header,
                       const char    *schema)
{
  if (schema == NULL)
    return 0;
  for (guint i = 1; i < header->containers->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (header->containers, i), schema) == 0)
      return i;
  g_ptr_array_add (header->containers, g_strdup (schema));
  return header->containers->len - 1;
}

static int
find_or_add_group (ProvCsvHeader *header,
                   guint          container,
                   const char    *attr,
                   int            index)
{
  ProvCsvGroup *group;

  for (guint i = 0; i < header->groups->len; i++)
    {
      group = g_ptr_array_index (header->groups, i);
      if (group->container == container && g_ascii_strcasecmp (group->attr, attr) == 0)
        {
          group->max_index = MAX (group->max_index, index);
          return i;
        }
    }

  group = g_new0 (ProvCsvGroup, 1);
  group->container = container;
  group->attr = g_strdup (attr);
  group->max_index = index;
  g_ptr_array_add (header->groups, group);
  return header->groups->len - 1;
}

static gboolean
has_column (ProvCsvHeader *header,
            const char    *path)
{
  for (guint i = 0; i < header->columns->len; i++)
    {
      ProvCsvColumn *column = g_ptr_array_index (header->columns, i);

      if (!column->ignored && g_str_equal (column->path, path))
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_required_columns (ProvCsvHeader  *header,
                        GError        **error)
{
  /* The paths and how people know them, in the order they are listed. */
  static const struct
  {
    const char *path;
    const char *label;
  } required[] = {
    { "userName", "userName (loginName)" },
    { "emails[0].value", "emails[0].value (mail)" },
    { "name.familyName", "name.familyName (lastName)" },
  };
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *list = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    if (!has_column (header, required[i].path))
      g_ptr_array_add (missing, (gpointer) required[i].label);

  if (missing->len == 0)
    return TRUE;

  g_ptr_array_add (missing, NULL);
  list = g_strjoinv (", ", (char **) missing->pdata);

  if (missing->len == 2 && g_str_equal (missing->pdata[0], required[2].label))
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
                 /* Translators: %s is a column name such as name.familyName (lastName) */
                 _("The file has no column %s. Identity Authentication’s default user export "
                   "leaves the names out: export the users again with their first and last "
                   "names included."),
                 list);
  else
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
                 g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: %s is a list of column names such as userName (loginName) */
                              "The file has no column %s. Its first line must name the "
                              "columns, as in a user export from Identity Authentication.",
                              "The file has no columns %s. Its first line must name the "
                              "columns, as in a user export from Identity Authentication.",
                              missing->len - 1),
                 list);
  return FALSE;
}

/* Each column's shape (text, object, list) must agree with the others
 * naming the same attribute: "name" and "name.givenName" cannot both be. */
static gboolean
check_shapes (ProvCsvHeader  *header,
              GError        **error)
{
  g_autoptr(GHashTable) shapes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < header->columns->len; i++)
    {
      ProvCsvColumn *column = g_ptr_array_index (header->columns, i);
      g_autofree char *key = NULL;
      AttributeShape shape;
      gpointer previous;

      if (column->ignored)
        continue;

      if (column->index >= 0)
        shape = SHAPE_ARRAY;
      else if (column->sub != NULL)
        shape = SHAPE_OBJECT;
      else
        shape = SHAPE_SCALAR;

      key = g_strdup_printf ("%u:%s", column->container, column->attr);
      if (!g_hash_table_lookup_extended (shapes, key, NULL, &previous))
        {
          g_hash_table_insert (titles, key, column->title);
          g_hash_table_insert (shapes, g_steal_pointer (&key), GINT_TO_POINTER (shape));
          continue;
        }

      if (GPOINTER_TO_INT (previous) != (int) shape)
        {
          g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
                       _("The columns “%s” and “%s” cannot both be in one file: "
                         "they give the attribute “%s” different forms."),
                       (const char *) g_hash_table_lookup (titles, key),
                       column->title, column->attr);
          return FALSE;
        }
    }

  return TRUE;
}

static void
add_warning (ProvCsvHeader *header,
             char          *warning)
{
  g_strv_builder_add (header->warnings, warning);
  g_free (warning);
}

gboolean
prov_csv_header_read (GPtrArray      *fields,
                      ProvCsvHeader  *header,
                      GError        **error)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  header->columns = g_ptr_array_new_with_free_func (column_free);
  header->containers = g_ptr_array_new_with_free_func (g_free);
  header->groups = g_ptr_array_new_with_free_func (group_free);
  header->warnings = g_strv_builder_new ();
  g_ptr_array_add (header->containers, g_strdup (PROV_SCIM_SCHEMA_USER));

  for (guint i = 0; i < fields->len; i++)
    {
      const char *title = g_ptr_array_index (fields, i);
      ProvCsvColumn *column = g_new0 (ProvCsvColumn, 1);
      g_autofree char *schema = NULL;
      g_autofree char *folded = NULL;
      ColumnParse parse;
      const char *earlier;

      g_ptr_array_add (header->columns, column);
      column->title = g_strdup (title);
      column->group = -1;
      column->index = -1;

      /* An unnamed column is a trailing comma, not something to warn about. */
      if (*title == '\0')
        {
          column->ignored = TRUE;
          continue;
        }

      parse = parse_column_name (title, &schema, &column->attr, &column->index, &column->sub);
      if (parse == COLUMN_NOT_SCIM)
        {
          column->ignored = TRUE;
          add_warning (header,
                       g_strdup_printf (_("The column “%s” is not an attribute of "
                                          "Identity Authentication’s user format "
                                          "and was ignored."),
                                        title));
          continue;
        }
      if (parse == COLUMN_REFUSED)
        {
          column->ignored = TRUE;
          add_warning (header,
                       g_strdup_printf (_("The column “%s” was ignored: passwords "
                                          "and schemas are never taken from a file."),
                                        title));
          continue;
        }

      column->container = find_or_add_container (header, schema);
      column->path = dup_column_path (column->container > 0
                                        ? g_ptr_array_index (header->containers, column->container)
                                        : NULL,
                                      column->attr, column->index, column->sub);

      /* Names not in our list keep their spelling; compare them without case. */
      folded = g_ascii_strdown (column->path, -1);
      earlier = g_hash_table_lookup (paths, folded);
      if (earlier != NULL)
        {
          g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
                       _("The columns “%s” and “%s” both give %s: keep one of them."),
                       earlier, title, column->path);
          return FALSE;
        }
      g_hash_table_insert (paths, g_steal_pointer (&folded), column->title);

      if (column->index >= 0)
        {
          column->group = find_or_add_group (header, column->container, column->attr, column->index);
          column->split = !(column->container == 0 && g_str_equal (column->attr, "addresses"));
        }

      if ((column->container == 0 && column->index < 0 && column->sub == NULL &&
           g_str_equal (column->attr, "active")) ||
          (column->index >= 0 && g_str_equal (column->sub, "primary")))
        column->kind = PROV_CSV_VALUE_BOOLEAN;
      else
        column->kind = PROV_CSV_VALUE_TEXT;
    }

  return check_shapes (header, error) && check_required_columns (header, error);
}

