/* prov-sync-private.h — what prov-sync.c and prov-sync-check.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-journal.h"
#include "prov-push-state.h"
#include "prov-source.h"
#include "prov-sync.h"
#include "prov-sync-queue.h"

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
  gboolean          pushing;
  gboolean          confirmed;   /* a person let a paused reconciliation go */
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
  guint              reconcile_minutes;
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
  guint              backoff;

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
void     prov_sync_emit_source_failed  (ProvSync      *self,
                                        const char    *message);

/* prov-sync-check.c: reads the source, plans every target into its queue
 * and starts the pushes. */
void     prov_sync_check               (ProvSync      *self);

G_END_DECLS
