/* prov-csv-tokenizer.h — RFC 4180 records out of a CSV file's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longer values and rows leave their row out. */
#define PROV_CSV_MAX_FIELD_BYTES (64 * 1024)
#define PROV_CSV_MAX_ROW_BYTES (1024 * 1024)

typedef enum
{
  PROV_CSV_OVERFLOW_NONE,
  PROV_CSV_OVERFLOW_FIELD,
  PROV_CSV_OVERFLOW_ROW,
} ProvCsvOverflow;

typedef struct
{
  const char      *p;
  const char      *end;
  guint            line;       /* the physical line p is on */
  GString         *buffer;
  ProvCsvOverflow  overflow;   /* of the last record */
  char             separator;  /* ',' or, for a first line without one, ';' */
} ProvCsvTokenizer;

/* Starts reading @text (which must outlive @tokenizer), after a UTF-8 byte
 * order mark. Fails (PROV_ERROR_INVALID_FILE) when the text is not UTF-8.
 * Values are separated by commas, or by semicolons when the first line has
 * semicolons and no comma outside quotes. */
gboolean prov_csv_tokenizer_init        (ProvCsvTokenizer  *tokenizer,
                                         const char        *text,
                                         gsize              length,
                                         GString           *buffer,
                                         GError           **error);
/* Reads one record into @fields (strings, trimmed). Returns FALSE at the
 * end of the data or on an error (then @error is set). tokenizer->overflow
 * says whether a value or the record was too long. */
gboolean prov_csv_tokenizer_next_record (ProvCsvTokenizer  *tokenizer,
                                         GPtrArray         *fields,
                                         guint             *record_line,
                                         GError           **error);
/* Whether every value of a record is empty. */
gboolean prov_csv_record_is_blank       (GPtrArray         *fields);

G_END_DECLS
