/* prov-csv-header.h — the line of a CSV file that names its columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PROV_CSV_VALUE_TEXT,
  PROV_CSV_VALUE_BOOLEAN,
} ProvCsvValueKind;

typedef struct
{
  char             *title;      /* as in the file, for messages */
  char             *path;       /* canonical, for duplicates and messages */
  gboolean          ignored;
  guint             container;  /* 0: the core object; else an extension, see ProvCsvHeader */
  char             *attr;
  int               index;      /* -1 unless multi-valued */
  char             *sub;        /* NULL for a plain attribute */
  ProvCsvValueKind  kind;
  gboolean          split;      /* semicolons separate values */
  int               group;      /* the multi-valued attribute; -1 unless indexed */
} ProvCsvColumn;

typedef struct
{
  guint  container;
  char  *attr;
  int    max_index;
} ProvCsvGroup;

typedef struct
{
  GPtrArray    *columns;     /* ProvCsvColumn */
  GPtrArray    *containers;  /* schema URNs; [0] is the core schema */
  GPtrArray    *groups;      /* ProvCsvGroup */
  GStrvBuilder *warnings;
} ProvCsvHeader;

/* Reads the names in @fields into @header (cleared first with
 * prov_csv_header_clear() by the caller when reused). Fails
 * (PROV_ERROR_INVALID_FILE) when a required column is missing, a column is given
 * twice or the columns disagree on an attribute's shape; @header->warnings
 * collects the columns that were ignored. */
gboolean prov_csv_header_read  (GPtrArray      *fields,
                                ProvCsvHeader  *header,
                                GError        **error);
void     prov_csv_header_clear (ProvCsvHeader  *header);

G_END_DECLS
