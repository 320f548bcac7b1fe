/* prov-sync-queue.h — the durable queue of real-time changes for one target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-plan.h"

G_BEGIN_DECLS

#define PROV_TYPE_SYNC_QUEUE (prov_sync_queue_get_type ())
G_DECLARE_FINAL_TYPE (ProvSyncQueue, prov_sync_queue, PROV, SYNC_QUEUE, GObject)

/* The file of the queue of @target_uuid under @state_dir (NULL: the
 * user's state directory). */
char          *prov_sync_queue_get_default_path (const char     *state_dir,
                                                 const char     *target_uuid);

ProvSyncQueue *prov_sync_queue_new             (const char     *path);

/* Reads what a previous process left (on the calling thread: it is done
 * once per target and session). A missing file is an empty queue; a line
 * torn by a crash is ignored (its entry was never acknowledged, so the
 * change is detected again). */
gboolean       prov_sync_queue_load            (ProvSyncQueue  *self,
                                                GError        **error);

/* Appends @operation (copied). A user already waiting is replaced: only
 * the newest state is pushed, at the place of the new entry. The line is
 * written and flushed (fdatasync) on a worker thread, in order;
 * prov_sync_queue_flush_async() says when every entry so far is on disk —
 * nothing is pushed to a target before that. Returns the entry's
 * sequence number. */
guint64        prov_sync_queue_push            (ProvSyncQueue  *self,
                                                const ProvOperation *operation);

/* Completes once every entry and acknowledgement queued before it is on
 * disk; FALSE (PROV_ERROR_SAVE_FAILED) when one could not be written — the
 * next write then rewrites the whole file from memory. */
void           prov_sync_queue_flush_async     (ProvSyncQueue  *self,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
gboolean       prov_sync_queue_flush_finish    (ProvSyncQueue  *self,
                                                GAsyncResult   *result,
                                                GError        **error);

/* The waiting operations in the order they were queued (transfer full:
 * copies); @sequences, if given, gets their sequence numbers (guint64). */
GPtrArray     *prov_sync_queue_dup_pending     (ProvSyncQueue  *self,
                                                GArray        **sequences);
guint          prov_sync_queue_get_length      (ProvSyncQueue  *self);

/* The target accepted the entry @sequence of @user_name: it leaves the
 * queue, unless a newer state of that user was queued meanwhile (then
 * FALSE). Its "done" line is written on the worker thread; one lost to a
 * crash costs nothing, as the push state shows the target has it. */
gboolean       prov_sync_queue_remove          (ProvSyncQueue  *self,
                                                const char     *user_name,
                                                guint64         sequence);

G_END_DECLS
