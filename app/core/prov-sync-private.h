/* prov-sync-private.h — what prov-sync.c and prov-sync-check.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-journal.h"
#include "prov-push-state.h"
#include "prov-source.h"
#include "prov-sync.h"
#include "prov-sync-lock.h"
#include "prov-sync-pause.h"
#include "prov-sync-queue.h"
#include "prov-write-queue.h"

G_BEGIN_DECLS

typedef struct
{
  ProvSync         *sync;
  char             *uuid;
  ProvTargetSystem *target;      /* a copy with its secrets */
  char             *config;      /* the store's target, as JSON, when copied */
  ProvPushState    *state;
  ProvSyncQueue    *queue;
  ProvJournal      *journal;
  gint64            journal_started;
  guint             journal_succeeded;
  guint             journal_failed;
  gboolean          pushing;     /* flushing its queue, opening a journal or on the wire */
  gboolean          stale;
  gboolean          queue_unreadable;       /* the store's target changed: copy it again */
  ProvSyncPause    *pause;       /* while paused, or confirmed and not yet queued */
  char             *pause_path;
  ProvSyncState     sync_state;
  char             *failure;
  char             *pause_reason;
  GDateTime        *last_check;
} Target;

struct _ProvSync
{
  GObject            parent_instance;

  ProvTargetService *service;
  char              *state_dir;
  guint              interval;
  double             time_scale;

  GHashTable        *targets;          /* uuid → Target* */
  GCancellable      *read_cancellable;
  GCancellable      *push_cancellable;
  guint              timeout_id;
  guint              grace_id;
  gboolean           running;
  gboolean           checking;
  gboolean           stopping;
  guint              n_preparing;
  guint              backoff;          /* 1, or up to MAX_BACKOFF after 429/503 */
  gint64             retry_after;      /* seconds the source asked for, or -1 */
  guint              soon_id;          /* a check soon: the store changed */
  gboolean           check_again;      /* the store changed during a check */
  gulong             store_changed_id;
  ProvWriteQueue    *pause_writes;     /* pause records, in order, off the main loop */
  gboolean           saving_queues;    /* stopping: the queues are being flushed */

  ProvSource        *source;           /* a copy with its secrets */
  GDateTime         *last_read;        /* when the last good read began */
  GDateTime         *read_started;
  gint64             last_full_read;   /* monotonic; 0: never */
  gint64             last_total;
  gboolean           delta_refused;
  char              *source_problem;

  GFileMonitor      *csv_monitor;
  char              *csv_path;
  gboolean           csv_dirty;
  guint              csv_settle_id;

  ProvSyncLock      *lock;             /* held from the first check to the stop */
  gboolean           elsewhere;        /* another process holds the lock */

  GPtrArray         *once_tasks;       /* GTask*, waiting for an idle sync */
  GPtrArray         *stop_tasks;
};

void     prov_sync_target_free         (Target        *target);
void     prov_sync_set_target_state    (Target        *target,
                                        ProvSyncState  state,
                                        const char    *failure,
                                        const char    *pause_reason);
void     prov_sync_update_target_state (Target        *target);
void     prov_sync_push_target         (Target        *target);
/* Called whenever a check or a push ends. */
void     prov_sync_maybe_idle          (ProvSync      *self);
/* Seconds until the next check: the interval, stretched after 429/503. */
guint    prov_sync_next_wait           (ProvSync      *self);
/* Pauses @target (its record written) or, with @pause NULL, ends the
 * pause (its record removed). */
void     prov_sync_set_pause           (Target        *target,
                                        const ProvSyncPause *pause);
void     prov_sync_emit_source_failed  (ProvSync      *self,
                                        const char    *message);
void     prov_sync_emit_target_changed (ProvSync      *self,
                                        const char    *target_uuid);

/* prov-sync-check.c: reads the source, plans every target into its queue
 * and starts the pushes. */
void     prov_sync_check               (ProvSync      *self);

G_END_DECLS
