/* prov-sync-pause.h — the record of a target whose sync is paused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char     *reason;      /* the sentence shown */
  guint     leaving;     /* users the paused reconciliation would remove */
  gboolean  confirmed;   /* a person let up to @leaving of them go */
  gint64    since;       /* Unix time of the pause */
} ProvSyncPause;

void           prov_sync_pause_free     (ProvSyncPause  *pause);
ProvSyncPause *prov_sync_pause_copy     (const ProvSyncPause *pause);

/* `sync/<uuid>.pause.json` under @state_dir (NULL: the user's state
 * directory), beside the target's queue. */
char          *prov_sync_pause_get_path (const char     *state_dir,
                                         const char     *target_uuid);

/* NULL without @error when there is no record. A damaged record is moved
 * aside and counts as a pause with no reason given, so a target is never
 * unpaused by a broken file. */
ProvSyncPause *prov_sync_pause_load     (const char     *path,
                                         GError        **error);
/* Atomic (a temporary file, synced, renamed). */
gboolean       prov_sync_pause_save     (const char     *path,
                                         const ProvSyncPause *pause,
                                         GError        **error);
/* No record is not an error. */
gboolean       prov_sync_pause_remove   (const char     *path,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProvSyncPause, prov_sync_pause_free)

G_END_DECLS
