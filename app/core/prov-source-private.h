/* prov-source-private.h — the fields of ProvSource, for the files that
 * split its concerns (the object and its reads; its file)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-source.h"

G_BEGIN_DECLS

struct _ProvSource
{
  GObject           parent_instance;

  ProvSourceKind    kind;
  char             *csv_path;
  ProvTargetSystem *connection;
  double            time_scale;
  /* Seconds the tenant asked to wait with its last 429 or 503, or -1. */
  gint64            retry_after;

  /* The file as last read or written, to refuse a save over another
   * program's change; and its format-version when newer than ours. */
  char             *file_path;
  char             *file_stamp;
  gint64            newer_version;
};

G_END_DECLS
