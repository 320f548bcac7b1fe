/* prov-csv-reader.c — users from Identity Authentication's CSV export/import format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format, as docs/sap-domain.md (“CSV files”) gathers it from SAP's
 * pages, is read in three steps: prov-csv-tokenizer.c splits the text into
 * records, prov-csv-header.c reads the line naming the columns and
 * prov-csv-row.c makes a user of each other record. This file ties them
 * together for a whole file:
 *
 * - Only a regular file is read: never a folder, a FIFO or a device such
 *   as /dev/zero, whatever path the source names.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-config-file.h"
#include "prov-csv-header.h"
#include "prov-csv-reader.h"
#include "prov-csv-row.h"
#include "prov-csv-tokenizer.h"
#include "prov-error.h"

typedef struct
{
  GPtrArray *users;
  GPtrArray *row_errors;
  GStrv      warnings;
} ReadResult;

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

G_DEFINE_BOXED_TYPE (ProvCsvRowError,         prov_csv_row_error,
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
  ProvCsvSeen seen = { user_names, ids };
  ProvCsvHeader header = { NULL, };
  ProvCsvTokenizer tokenizer = { NULL, };
  ReadResult *result;
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  guint line = 0;
  guint n_records = 0;
  gboolean have_header = FALSE;
  GError *local_error = NULL;

  if (!prov_csv_tokenizer_init (&tokenizer, text, length, buffer, error))
    return NULL;

  while (prov_csv_tokenizer_next_record (&tokenizer, fields, &line, &local_error))
    {
      ProvUser *user = NULL;
      char *problem;

      if (tokenizer.overflow != PROV_CSV_OVERFLOW_NONE)
        {
          const char *why = tokenizer.overflow == PROV_CSV_OVERFLOW_ROW
                            ? _("This row is longer than 1 MiB, more than any user needs.")
                            : _("A value in this row is longer than 64 KiB, more than any attribute needs.");

          if (!have_header)
            {
              local_error = g_error_new (PROV_ERROR, PROV_ERROR_INVALID_FILE,
                                         _("Line %u: the line naming the columns is too long. Nothing was imported."),
                                         line);
              break;
            }
          g_ptr_array_add (row_errors, row_error_new (line, g_strdup (why)));
          continue;
        }

      if (prov_csv_record_is_blank (fields))
        continue;

      if (!have_header)
        {
          if (!prov_csv_header_read (fields, &header, &local_error))
            break;
          have_header = TRUE;
          continue;
        }

      /* Often enough to stop soon, seldom enough to cost nothing. */
      if (++n_records % 512 == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;

      problem = prov_csv_row_read (&header, fields, line, &seen, &user);
      if (problem != NULL)
        g_ptr_array_add (row_errors, row_error_new (line, problem));
      else
        g_ptr_array_add (users, user);
    }

  if (local_error == NULL && !have_header)
    local_error = g_error_new_literal (PROV_ERROR, PROV_ERROR_INVALID_FILE,
                                       _("The file is empty: it has not even a line naming the columns."));

  if (local_error != NULL)
    {
      prov_csv_header_clear (&header);
      g_propagate_error (error, local_error);
      return NULL;
    }

  result = g_new0 (ReadResult, 1);
  result->users = g_steal_pointer (&users);
  result->row_errors = g_steal_pointer (&row_errors);
  result->warnings = g_strv_builder_end (header.warnings);
  prov_csv_header_clear (&header);
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
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
                 _("“%s” is too large to be a list of users (more than %u MB)."),
                 name, (guint) (PROV_CSV_READER_MAX_FILE_SIZE / (1024 * 1024)));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY) ||
           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
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
