/* prov-csv-reader.c — users from Identity Authentication's CSV export/import format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format, as DOMAIN.md gathers it from SAP's pages, and how we read it:
 *
 * - RFC 4180: fields separated by commas; a field in double quotes may hold
 *   commas, line breaks and doubled quotes; lines end in CRLF, LF or CR; a
 *   UTF-8 byte order mark is skipped. The text must be UTF-8. Leniencies: a
 *   quote inside an unquoted field is kept as text, and text after a closing
 *   quote is appended to the value. A quote that never closes swallows the
 *   rest of the file, so that is an error for the whole file.
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
 * - Every value is trimmed of surrounding spaces; an empty value means the
 *   attribute is absent — it is never sent as an empty string.
 * - Booleans (active and every "primary") are TRUE or FALSE in any case;
 *   anything else leaves the row out.
 * - Semicolons: DOMAIN.md says a semicolon inside a value separates several
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
 * - Required columns: userName (or loginName), emails[0].value (or mail)
 *   and name.familyName (or lastName); missing, the file is refused. In a
 *   row, these three need a value too, as Identity Authentication requires.
 * - A row is left out, with its line number and a reason, when its number of
 *   values differs from the number of columns, a boolean is not TRUE or
 *   FALSE, a required value is empty, or its userName (compared without
 *   case) or SCIM id was already used by an earlier row. An earlier row
 *   keeps its name even when it was itself left out: which of two rows is
 *   the real user is for a person to decide.
 * - A row whose values are all empty is skipped silently (spreadsheets
 *   leave such rows at the end).
 * - A value over 64 KiB, or a row over 1 MiB, leaves the row out (no SCIM
 *   attribute is that long; a file that has one was not meant as users).
 * - Only a regular file is read: never a folder, a FIFO or a device such
 *   as /dev/zero, whatever path the source names.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-config-file.h"
#include "prov-csv-reader.h"
#include "prov-error.h"

/* The highest entry index a column may name; more is a broken header. */
#define MAX_ENTRY_INDEX 99
/* Values quoted in messages are cut to this many characters. */
#define MAX_QUOTED_CHARS 40
/* Longer values and rows leave their row out. */
#define MAX_FIELD_BYTES (64 * 1024)
#define MAX_ROW_BYTES (1024 * 1024)

typedef enum
{
  VALUE_TEXT,
  VALUE_BOOLEAN,
} ValueKind;

typedef enum
{
  SHAPE_SCALAR,
  SHAPE_OBJECT,
  SHAPE_ARRAY,
} AttributeShape;

typedef struct
{
  char      *title;      /* as in the file, for messages */
  char      *path;       /* canonical, for duplicates and messages */
  gboolean   ignored;
  guint      container;  /* 0: the core object; else an extension, see Header */
  char      *attr;
  int        index;      /* -1 unless multi-valued */
  char      *sub;        /* NULL for a plain attribute */
  ValueKind  kind;
  gboolean   split;      /* semicolons separate values */
  int        group;      /* the multi-valued attribute; -1 unless indexed */
} Column;

typedef struct
{
  guint  container;
  char  *attr;
  int    max_index;
} Group;

typedef struct
{
  GPtrArray *columns;     /* Column */
  GPtrArray *containers;  /* schema URNs; [0] is the core schema */
  GPtrArray *groups;      /* Group */
  GStrvBuilder *warnings;
} Header;

typedef enum
{
  OVERFLOW_NONE,
  OVERFLOW_FIELD,
  OVERFLOW_ROW,
} Overflow;

typedef struct
{
  const char *p;
  const char *end;
  guint       line;       /* the physical line p is on */
  GString    *buffer;
  Overflow    overflow;   /* of the last record */
} Parser;

typedef struct
{
  GPtrArray *users;
  GPtrArray *row_errors;
  GStrv      warnings;
} ReadResult;

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
  Column *column = data;

  g_free (column->title);
  g_free (column->path);
  g_free (column->attr);
  g_free (column->sub);
  g_free (column);
}

static void
group_free (gpointer data)
{
  Group *group = data;

  g_free (group->attr);
  g_free (group);
}

static void
header_clear (Header *header)
{
  g_clear_pointer (&header->columns, g_ptr_array_unref);
  g_clear_pointer (&header->containers, g_ptr_array_unref);
  g_clear_pointer (&header->groups, g_ptr_array_unref);
  g_clear_pointer (&header->warnings, g_strv_builder_unref);
}

static void
read_result_free (gpointer data)
{
  ReadResult *result = data;

  g_clear_pointer (&result->users, g_ptr_array_unref);
  g_clear_pointer (&result->row_errors, g_ptr_array_unref);
  g_clear_pointer (&result->warnings, g_strfreev);
  g_free (result);
}

/* Row errors */

G_DEFINE_BOXED_TYPE (ProvCsvRowError, prov_csv_row_error,
                     prov_csv_row_error_copy, prov_csv_row_error_free)

static ProvCsvRowError *
row_error_new (guint  line,
               char  *message)
{
  ProvCsvRowError *row_error = g_new0 (ProvCsvRowError, 1);

  row_error->line = line;
  row_error->message = message;
  return row_error;
}

ProvCsvRowError *
prov_csv_row_error_copy (const ProvCsvRowError *row_error)
{
  g_return_val_if_fail (row_error != NULL, NULL);
  return row_error_new (row_error->line, g_strdup (row_error->message));
}

void
prov_csv_row_error_free (ProvCsvRowError *row_error)
{
  if (row_error == NULL)
    return;
  g_free (row_error->message);
  g_free (row_error);
}

char *
prov_csv_row_error_to_string (const ProvCsvRowError *row_error)
{
  g_return_val_if_fail (row_error != NULL, NULL);
  /* Translators: %u is a line number of a CSV file, %s the reason its row
   * was not imported. */
  return g_strdup_printf (_("Line %u: %s"), row_error->line, row_error->message);
}

/* Helpers */

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
find_or_add_container (Header     *header,
                       const char *schema)
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
find_or_add_group (Header     *header,
                   guint       container,
                   const char *attr,
                   int         index)
{
  Group *group;

  for (guint i = 0; i < header->groups->len; i++)
    {
      group = g_ptr_array_index (header->groups, i);
      if (group->container == container && g_ascii_strcasecmp (group->attr, attr) == 0)
        {
          group->max_index = MAX (group->max_index, index);
          return i;
        }
    }

  group = g_new0 (Group, 1);
  group->container = container;
  group->attr = g_strdup (attr);
  group->max_index = index;
  g_ptr_array_add (header->groups, group);
  return header->groups->len - 1;
}

static gboolean
has_column (Header     *header,
            const char *path)
{
  for (guint i = 0; i < header->columns->len; i++)
    {
      Column *column = g_ptr_array_index (header->columns, i);

      if (!column->ignored && g_str_equal (column->path, path))
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_required_columns (Header  *header,
                        GError **error)
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
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
                 /* Translators: %s is a column name such as name.familyName (lastName) */
                 _("The file has no column %s. Identity Authentication’s default user export "
                   "leaves the names out: export the users again with their first and last "
                   "names included."),
                 list);
  else
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
                 /* Translators: %s is a list of column names such as userName (loginName) */
                 g_dngettext (GETTEXT_PACKAGE,
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
check_shapes (Header  *header,
              GError **error)
{
  g_autoptr(GHashTable) shapes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < header->columns->len; i++)
    {
      Column *column = g_ptr_array_index (header->columns, i);
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
          g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
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
add_warning (Header *header,
             char   *warning)
{
  g_strv_builder_add (header->warnings, warning);
  g_free (warning);
}

static gboolean
read_header (GPtrArray  *fields,
             Header     *header,
             GError    **error)
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
      Column *column = g_new0 (Column, 1);
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
          g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
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
        column->kind = VALUE_BOOLEAN;
      else
        column->kind = VALUE_TEXT;
    }

  return check_shapes (header, error) && check_required_columns (header, error);
}

/* The CSV tokenizer */

/* Keeps one byte past the cap, enough to tell that the value is too long
 * without holding all of it. */
static void
append_capped (GString    *buffer,
               const char *text,
               gsize       length)
{
  if (buffer->len > MAX_FIELD_BYTES)
    return;
  g_string_append_len (buffer, text, MIN (length, MAX_FIELD_BYTES + 1 - buffer->len));
}

/* Reads one record into @fields (strings, trimmed). Returns FALSE at the
 * end of the data or on an error (then @error is set). parser->overflow
 * says whether a value or the record was too long. */
static gboolean
parser_next_record (Parser     *parser,
                    GPtrArray  *fields,
                    guint      *record_line,
                    GError    **error)
{
  const char *record_start = parser->p;

  g_ptr_array_set_size (fields, 0);
  parser->overflow = OVERFLOW_NONE;

  if (parser->p >= parser->end)
    return FALSE;

  *record_line = parser->line;

  for (;;)
    {
      const char *p = parser->p;
      const char *end = parser->end;
      GString *buffer = parser->buffer;

      g_string_truncate (buffer, 0);

      if (p < end && *p == '"')
        {
          guint quote_line = parser->line;

          p++;
          for (;;)
            {
              const char *run = p;

              while (p < end && *p != '"' && *p != '\r' && *p != '\n')
                p++;
              append_capped (buffer, run, p - run);

              if (p >= end)
                {
                  g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
                               _("Line %u: a quotation mark opens a value that is never "
                                 "closed. Nothing was imported."),
                               quote_line);
                  return FALSE;
                }

              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      append_capped (buffer, "\"", 1);
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }

              /* A line break inside quotes is part of the value; kept as \n. */
              if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
              p++;
              parser->line++;
              append_capped (buffer, "\n", 1);
            }
        }

      /* Unquoted text, or what follows a closing quote. */
      {
        const char *run = p;

        while (p < end && *p != ',' && *p != '\r' && *p != '\n')
          p++;
        append_capped (buffer, run, p - run);
      }

      if (buffer->len > MAX_FIELD_BYTES)
        parser->overflow = MAX (parser->overflow, OVERFLOW_FIELD);
      if ((gsize) (p - record_start) > MAX_ROW_BYTES)
        parser->overflow = OVERFLOW_ROW;
      g_ptr_array_add (fields, g_strstrip (g_strndup (buffer->str, buffer->len)));

      if (p >= end)
        {
          parser->p = p;
          return TRUE;
        }

      if (*p == ',')
        {
          parser->p = p + 1;
          continue;
        }

      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      parser->p = p + 1;
      parser->line++;
      return TRUE;
    }
}

static gboolean
record_is_blank (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    if (*(const char *) g_ptr_array_index (fields, i) != '\0')
      return FALSE;
  return TRUE;
}

/* Rows */

typedef struct
{
  const Header *header;
  JsonObject   *core;
  JsonArray    *schemas;
  JsonObject  **extensions;    /* per container; [0] unused */
  GPtrArray   **entries;       /* per group: per index, a GPtrArray of JsonObject */
} Row;

static void
row_init (Row          *row,
          const Header *header)
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
row_get_entry (Row  *row,
               int   group,
               int   index,
               guint k)
{
  const Group *info = g_ptr_array_index (row->header->groups, group);
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
parse_value (const Column  *column,
             const char    *text,
             JsonNode     **node)
{
  if (column->kind == VALUE_TEXT)
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
row_set_value (Row          *row,
               const Column *column,
               const char   *text)
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
  const Header *header = row->header;

  for (guint g = 0; g < header->groups->len; g++)
    {
      const Group *group = g_ptr_array_index (header->groups, g);
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

typedef struct
{
  GHashTable *user_names;   /* case-folded userName → first line */
  GHashTable *ids;          /* SCIM id → first line */
} Seen;

/* Builds the user of one record, or returns why not. */
static char *
read_row (const Header  *header,
          GPtrArray     *fields,
          guint          line,
          Seen          *seen,
          ProvUser     **user)
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
      const Column *column = g_ptr_array_index (header->columns, i);
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

/* The whole file */

static gboolean
check_encoding (const char  *data,
                gsize        length,
                GError     **error)
{
  const char *bad;
  guint line = 1;

  if (g_utf8_validate (data, length, &bad))
    return TRUE;

  for (const char *p = data; p < bad; p++)
    if (*p == '\n')
      line++;

  g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
               _("Line %u is not UTF-8 text. Save the file as CSV in UTF-8 and try again."),
               line);
  return FALSE;
}

static ReadResult *
read_data (GBytes        *data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) row_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_csv_row_error_free);
  g_autoptr(GHashTable) user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) buffer = g_string_new (NULL);
  Seen seen = { user_names, ids };
  Header header = { NULL, };
  Parser parser = { NULL, };
  ReadResult *result;
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  guint line = 0;
  guint n_records = 0;
  gboolean have_header = FALSE;
  GError *local_error = NULL;

  if (text == NULL)
    text = "";

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  if (!check_encoding (text, length, error))
    return NULL;

  parser.p = text;
  parser.end = text + length;
  parser.line = 1;
  parser.buffer = buffer;

  while (parser_next_record (&parser, fields, &line, &local_error))
    {
      ProvUser *user = NULL;
      char *problem;

      if (parser.overflow != OVERFLOW_NONE)
        {
          const char *why = parser.overflow == OVERFLOW_ROW
                            ? _("This row is longer than 1 MiB, more than any user needs.")
                            : _("A value in this row is longer than 64 KiB, more than any attribute needs.");

          if (!have_header)
            {
              local_error = g_error_new (PROV_ERROR, PROV_ERROR_INVALID,
                                         _("Line %u: the line naming the columns is too long. Nothing was imported."),
                                         line);
              break;
            }
          g_ptr_array_add (row_errors, row_error_new (line, g_strdup (why)));
          continue;
        }

      if (record_is_blank (fields))
        continue;

      if (!have_header)
        {
          if (!read_header (fields, &header, &local_error))
            break;
          have_header = TRUE;
          continue;
        }

      /* Often enough to stop soon, seldom enough to cost nothing. */
      if (++n_records % 512 == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;

      problem = read_row (&header, fields, line, &seen, &user);
      if (problem != NULL)
        g_ptr_array_add (row_errors, row_error_new (line, problem));
      else
        g_ptr_array_add (users, user);
    }

  if (local_error == NULL && !have_header)
    local_error = g_error_new_literal (PROV_ERROR, PROV_ERROR_INVALID,
                                       _("The file is empty: it has not even a line naming the columns."));

  if (local_error != NULL)
    {
      header_clear (&header);
      g_propagate_error (error, local_error);
      return NULL;
    }

  result = g_new0 (ReadResult, 1);
  result->users = g_steal_pointer (&users);
  result->row_errors = g_steal_pointer (&row_errors);
  result->warnings = g_strv_builder_end (header.warnings);
  header_clear (&header);
  return result;
}

static GPtrArray *
steal_result (ReadResult  *result,
              GPtrArray  **row_errors,
              GStrv       *warnings)
{
  GPtrArray *users = g_steal_pointer (&result->users);

  if (row_errors != NULL)
    *row_errors = g_steal_pointer (&result->row_errors);
  if (warnings != NULL)
    *warnings = g_steal_pointer (&result->warnings);
  read_result_free (result);
  return users;
}

GPtrArray *
prov_csv_reader_read (GBytes     *data,
                      GPtrArray **row_errors,
                      GStrv      *warnings,
                      GError    **error)
{
  ReadResult *result;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (row_errors != NULL)
    *row_errors = NULL;
  if (warnings != NULL)
    *warnings = NULL;

  result = read_data (data, NULL, error);
  if (result == NULL)
    return NULL;
  return steal_result (result, row_errors, warnings);
}

/* The whole file, if it is a regular file of at most the maximum size. */
static GBytes *
load_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (path != NULL)
    bytes = prov_config_file_read (path, PROV_CSV_READER_MAX_FILE_SIZE, NULL, &local_error);
  else
    {
      /* Not a local file: ask for its type and size before reading. */
      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
      if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        local_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "");
      else if (info != NULL && g_file_info_get_size (info) > PROV_CSV_READER_MAX_FILE_SIZE)
        local_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "");
      else if (info != NULL &&
               g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
        bytes = g_bytes_new_take (contents, length);
    }

  if (bytes != NULL && g_bytes_get_size (bytes) <= PROV_CSV_READER_MAX_FILE_SIZE)
    return bytes;
  g_clear_pointer (&bytes, g_bytes_unref);

  if (local_error == NULL || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
                 _("“%s” is too large to be a list of users (more than %u MB)."),
                 name, (guint) (PROV_CSV_READER_MAX_FILE_SIZE / (1024 * 1024)));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY) ||
           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID,
                 _("“%s” is not a regular file (it is a folder, a device or a pipe), so it is not read as a list of users."),
                 name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ReadResult *result;

  bytes = load_file (task_data, cancellable, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = read_data (bytes, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, read_result_free);
}

void
prov_csv_reader_read_file_async (GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_csv_reader_read_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  /* A late result would describe a file nobody waits for any more. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, read_file_thread);
}

GPtrArray *
prov_csv_reader_read_file_finish (GAsyncResult  *result,
                                  GPtrArray    **row_errors,
                                  GStrv         *warnings,
                                  GError       **error)
{
  ReadResult *read_result;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prov_csv_reader_read_file_async, NULL);

  if (row_errors != NULL)
    *row_errors = NULL;
  if (warnings != NULL)
    *warnings = NULL;

  read_result = g_task_propagate_pointer (G_TASK (result), error);
  if (read_result == NULL)
    return NULL;
  return steal_result (read_result, row_errors, warnings);
}
