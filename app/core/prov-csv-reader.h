/* prov-csv-reader.h — users from Identity Authentication's CSV export/import format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-user.h"

G_BEGIN_DECLS

/* Larger files are refused before they are read: a list of users this size
 * (over 100,000 users with every attribute) is not a real-time source. */
#define PROV_CSV_READER_MAX_FILE_SIZE (64 * 1024 * 1024)

/* A row that was not imported. */
typedef struct
{
  guint  line;     /* the line the row starts on, counting from 1 (the header) */
  char  *message;  /* why, as a translated sentence */
} ProvCsvRowError;

#define PROV_TYPE_CSV_ROW_ERROR (prov_csv_row_error_get_type ())

GType            prov_csv_row_error_get_type      (void) G_GNUC_CONST;
ProvCsvRowError *prov_csv_row_error_copy          (const ProvCsvRowError *row_error);
void             prov_csv_row_error_free          (ProvCsvRowError       *row_error);
/* "Line 7: …", translated. */
char            *prov_csv_row_error_to_string     (const ProvCsvRowError *row_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProvCsvRowError, prov_csv_row_error_free)

/* Reads a whole CSV file held in @data. Returns the users of the good rows
 * (a GPtrArray of ProvUser, in file order, freeing its elements), or NULL
 * with @error set (PROV_ERROR_INVALID_FILE) when the file as a whole cannot be
 * used: not UTF-8, empty, an unclosed quotation mark, a required column
 * missing, a column given twice. Then nothing is imported.
 *
 * @row_errors (optional): the rows that were left out, as ProvCsvRowError,
 * in file order; an empty array when there are none. Callers that act on
 * users missing from the source (deprovisioning) must treat a read with row
 * errors as incomplete: the users of those rows are not in the result.
 * @warnings (optional): sentences about the file as a whole, such as a
 * column that was ignored; an empty vector when there are none. */
GPtrArray       *prov_csv_reader_read             (GBytes               *data,
                                                   GPtrArray           **row_errors,
                                                   GStrv                *warnings,
                                                   GError              **error);

/* The same for a file, loaded and parsed in a worker thread. Errors also
 * include G_IO_ERROR ones (G_IO_ERROR_CANCELLED among them) and
 * PROV_ERROR_INVALID_FILE for a file over PROV_CSV_READER_MAX_FILE_SIZE or one
 * that is not a regular file (a folder, a FIFO, a device such as
 * /dev/zero): those are refused before anything is read. */
void             prov_csv_reader_read_file_async  (GFile                *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray       *prov_csv_reader_read_file_finish (GAsyncResult         *result,
                                                   GPtrArray           **row_errors,
                                                   GStrv                *warnings,
                                                   GError              **error);

G_END_DECLS
