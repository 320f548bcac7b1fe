/* prov-write-queue.h — file writes done in order on one worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One write, run on the worker thread. */
typedef gboolean (*ProvWriteFunc) (gpointer   data,
                                   GError   **error);

#define PROV_TYPE_WRITE_QUEUE (prov_write_queue_get_type ())
G_DECLARE_FINAL_TYPE (ProvWriteQueue, prov_write_queue, PROV, WRITE_QUEUE, GObject)

ProvWriteQueue *prov_write_queue_new          (void);
/* Queues @func (@data), run after every write pushed before it. @destroy
 * frees @data once it ran. */
void            prov_write_queue_push         (ProvWriteQueue       *self,
                                               ProvWriteFunc         func,
                                               gpointer              data,
                                               GDestroyNotify        destroy);
/* FALSE with the first error of a write that failed since the last
 * flush (left for the flush too), without waiting for anything. */
gboolean        prov_write_queue_check        (ProvWriteQueue       *self,
                                               GError              **error);
/* Completes once every write pushed before it is done; FALSE with the
 * first error since the last flush. */
void            prov_write_queue_flush_async  (ProvWriteQueue       *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        prov_write_queue_flush_finish (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
