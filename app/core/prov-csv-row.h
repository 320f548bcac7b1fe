/* prov-csv-row.h — one record of a CSV file as a user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-csv-header.h"
#include "prov-user.h"

G_BEGIN_DECLS

/* What earlier rows claimed, for the rule that names and ids are unique. */
typedef struct
{
  GHashTable *user_names;   /* case-folded userName → first line */
  GHashTable *ids;          /* SCIM id → first line */
} ProvCsvSeen;

/* Builds the user of the record @fields on @line, or returns why not (a
 * translated sentence). */
char *prov_csv_row_read (const ProvCsvHeader  *header,
                         GPtrArray            *fields,
                         guint                 line,
                         ProvCsvSeen          *seen,
                         ProvUser            **user);

G_END_DECLS
