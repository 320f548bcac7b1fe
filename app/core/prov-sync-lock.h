/* prov-sync-lock.h — one process at a time syncs a user's targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ProvSyncLock ProvSyncLock;

/* Takes the advisory lock (flock) on <state dir>/sync/sync.lock
 * (@state_dir NULL: the default) without waiting. NULL when another
 * process holds it (*@held_elsewhere TRUE) or when the file cannot be
 * opened (@error set). The system drops the lock when the process ends,
 * however it ends. */
ProvSyncLock *prov_sync_lock_try  (const char    *state_dir,
                                   gboolean      *held_elsewhere,
                                   GError       **error);
void          prov_sync_lock_free (ProvSyncLock  *lock);

G_END_DECLS
