/* prov-csv-tokenizer.c — RFC 4180 records out of a CSV file's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identity Authentication's CSV format, as docs/sap-domain.md (“CSV files”)
 * gathers it from SAP's pages; this file's part of how we read it:
 *
 * - RFC 4180: fields separated by commas; a field in double quotes may hold
 *   commas, line breaks and doubled quotes; lines end in CRLF, LF or CR; a
 *   UTF-8 byte order mark is skipped. The text must be UTF-8. Leniencies: a
 *   quote inside an unquoted field is kept as text, and text after a closing
 *   quote is appended to the value. A quote that never closes swallows the
 *   rest of the file, so that is an error for the whole file.
 * - A value over 64 KiB, or a row over 1 MiB, leaves the row out (no SCIM
 *   attribute is that long; a file that has one was not meant as users).
 * - Semicolons separate the values instead when the first line (the column
 *   names, which never hold either) has semicolons and no comma: Excel and
 *   LibreOffice save “CSV” that way where the comma is the decimal mark.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-csv-tokenizer.h"
#include "prov-error.h"

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

  g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
               _("Line %u is not UTF-8 text. Save the file as CSV in UTF-8 and try again."),
               line);
  return FALSE;
}

/* ';' when the first line separates with semicolons and has no comma
 * outside quotes; ',' otherwise. */
static char
detect_separator (const char *p,
                  const char *end)
{
  gboolean quoted = FALSE;
  guint commas = 0, semicolons = 0;

  for (; p < end && (quoted || (*p != '\r' && *p != '\n')); p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == ',')
        commas++;
      else if (!quoted && *p == ';')
        semicolons++;
    }
  return commas == 0 && semicolons > 0 ? ';' : ',';
}

gboolean
prov_csv_tokenizer_init (ProvCsvTokenizer  *tokenizer,
                         const char        *text,
                         gsize              length,
                         GString           *buffer,
                         GError           **error)
{
  if (text == NULL)
    text = "";

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  if (!check_encoding (text, length, error))
    return FALSE;

  tokenizer->p = text;
  tokenizer->end = text + length;
  tokenizer->line = 1;
  tokenizer->buffer = buffer;
  tokenizer->overflow = PROV_CSV_OVERFLOW_NONE;
  tokenizer->separator = detect_separator (text, text + length);
  return TRUE;
}

/* Keeps one byte past the cap, enough to tell that the value is too long
 * without holding all of it. */
static void
append_capped (GString    *buffer,
               const char *text,
               gsize       length)
{
  if (buffer->len > PROV_CSV_MAX_FIELD_BYTES)
    return;
  g_string_append_len (buffer, text, MIN (length, PROV_CSV_MAX_FIELD_BYTES + 1 - buffer->len));
}

gboolean
prov_csv_tokenizer_next_record (ProvCsvTokenizer  *tokenizer,
                                GPtrArray         *fields,
                                guint             *record_line,
                                GError           **error)
{
  const char *record_start = tokenizer->p;

  g_ptr_array_set_size (fields, 0);
  tokenizer->overflow = PROV_CSV_OVERFLOW_NONE;

  if (tokenizer->p >= tokenizer->end)
    return FALSE;

  *record_line = tokenizer->line;

  for (;;)
    {
      const char *p = tokenizer->p;
      const char *end = tokenizer->end;
      GString *buffer = tokenizer->buffer;

      g_string_truncate (buffer, 0);

      if (p < end && *p == '"')
        {
          guint quote_line = tokenizer->line;

          p++;
          for (;;)
            {
              const char *run = p;

              while (p < end && *p != '"' && *p != '\r' && *p != '\n')
                p++;
              append_capped (buffer, run, p - run);

              if (p >= end)
                {
                  g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
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
              tokenizer->line++;
              append_capped (buffer, "\n", 1);
            }
        }

      /* Unquoted text, or what follows a closing quote. */
      {
        const char *run = p;

        while (p < end && *p != tokenizer->separator && *p != '\r' && *p != '\n')
          p++;
        append_capped (buffer, run, p - run);
      }

      if (buffer->len > PROV_CSV_MAX_FIELD_BYTES)
        tokenizer->overflow = MAX (tokenizer->overflow, PROV_CSV_OVERFLOW_FIELD);
      if ((gsize) (p - record_start) > PROV_CSV_MAX_ROW_BYTES)
        tokenizer->overflow = PROV_CSV_OVERFLOW_ROW;
      g_ptr_array_add (fields, g_strstrip (g_strndup (buffer->str, buffer->len)));

      if (p >= end)
        {
          tokenizer->p = p;
          return TRUE;
        }

      if (*p == tokenizer->separator)
        {
          tokenizer->p = p + 1;
          continue;
        }

      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      tokenizer->p = p + 1;
      tokenizer->line++;
      return TRUE;
    }
}

gboolean
prov_csv_record_is_blank (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    if (*(const char *) g_ptr_array_index (fields, i) != '\0')
      return FALSE;
  return TRUE;
}
