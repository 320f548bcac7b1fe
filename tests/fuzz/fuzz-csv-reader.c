/* fuzz-csv-reader.c — libFuzzer harness for the CSV file of users
 *
 * Feeds arbitrary bytes to prov_csv_reader_read(), the reader of the file
 * a person picks as the source of users, and maps every user it accepts
 * as SAP Jam and Identity Provisioning would receive them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "prov-csv-reader.h"
#include "prov-mapping.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autoptr(GError) error = NULL;

  users = prov_csv_reader_read (bytes, &row_errors, &warnings, &error);

  /* Either users or one error saying why not. */
  g_assert ((users == NULL) == (error != NULL));
  if (error != NULL)
    {
      g_assert (error->message != NULL && *error->message != '\0');
      return 0;
    }

  for (guint i = 0; row_errors != NULL && i < row_errors->len; i++)
    {
      const ProvCsvRowError *row_error = g_ptr_array_index (row_errors, i);
      g_autofree char *text = prov_csv_row_error_to_string (row_error);

      /* Line 1 is the header; a bad row is one after it. */
      g_assert (row_error->line >= 2);
      g_assert (row_error->message != NULL && *row_error->message != '\0');
      g_assert (text != NULL);
    }

  for (guint i = 0; i < users->len; i++)
    {
      ProvUser *user = g_ptr_array_index (users, i);
      g_autoptr(JsonObject) jam = prov_mapping_build_jam_user (user);
      g_autoptr(JsonObject) ips = prov_mapping_build_ips_user (user);
      const char *user_name = prov_user_get_user_name (user);

      g_assert (user_name != NULL && *user_name != '\0');
      g_assert (g_utf8_validate (user_name, -1, NULL));
      g_assert (jam != NULL && ips != NULL);
    }

  return 0;
}
