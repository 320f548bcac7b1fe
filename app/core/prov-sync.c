/* prov-sync.c — real-time provisioning
 *
 * A check reads the source — a tenant's delta query (`meta.lastModified
 * gt`), a full read when the delta is refused, when the tenant's
 * totalResults changed (someone was deleted) or every reconciliation
 * period; a CSV file when its monitor saw it change — and plans every
 * target with real time on with ProvPlan against what was pushed. The
 * plan's writes go into the target's durable ProvSyncQueue first; each
 * target then pushes its queue with its own ProvEngine, on its own, so a
 * failing target holds back nobody. An entry leaves the queue only when
 * the target accepted it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-engine.h"
#include "prov-error.h"
#include "prov-journal.h"
#include "prov-sync.h"
#include "prov-sync-private.h"
#include "prov-sync-queue.h"

/* Pushes on the wire get this long to end when the sync stops. */
#define STOP_GRACE_MSEC 5000
/* A change in the store is looked at once it has been quiet this long. */
#define STORE_SETTLE_MSEC 300
/* A journal covers at most an hour of a session. */
#define JOURNAL_SPAN_USEC (G_USEC_PER_SEC * G_GINT64_CONSTANT (3600))

G_DEFINE_FINAL_TYPE (ProvSync, prov_sync, G_TYPE_OBJECT)

enum {
  TARGET_CHANGED,
  PUSHED,
  SOURCE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


void
prov_sync_target_free (Target *target)
{
  if (target->journal != NULL)
    prov_journal_finish (target->journal, target->journal_succeeded, target->journal_failed, FALSE);
  g_clear_object (&target->journal);
  g_free (target->uuid);
  g_clear_object (&target->target);
  g_free (target->config);
  g_clear_object (&target->state);
  g_clear_object (&target->queue);
  g_free (target->failure);
  g_free (target->pause_reason);
  g_clear_pointer (&target->pause, prov_sync_pause_free);
  g_free (target->pause_path);
  g_clear_pointer (&target->last_check, g_date_time_unref);
  g_free (target);
}

static void
prov_sync_dispose (GObject *object)
{
  ProvSync *self = (ProvSync *)object;

  g_cancellable_cancel (self->read_cancellable);
  g_cancellable_cancel (self->push_cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->csv_settle_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  g_clear_object (&self->csv_monitor);
  if (self->service != NULL)
    g_clear_signal_handler (&self->store_changed_id, prov_target_service_get_store (self->service));

  G_OBJECT_CLASS (prov_sync_parent_class)->dispose (object);
}

static void
prov_sync_finalize (GObject *object)
{
  ProvSync *self = (ProvSync *)object;

  g_clear_pointer (&self->targets, g_hash_table_unref);
  g_clear_object (&self->service);
  g_clear_object (&self->read_cancellable);
  g_clear_object (&self->push_cancellable);
  g_clear_object (&self->source);
  g_clear_pointer (&self->last_read, g_date_time_unref);
  g_clear_pointer (&self->read_started, g_date_time_unref);
  g_free (self->state_dir);
  g_free (self->source_problem);
  g_free (self->csv_path);
  g_clear_pointer (&self->lock, prov_sync_lock_free);
  g_clear_pointer (&self->once_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->stop_tasks, g_ptr_array_unref);
  /* Waits for pause records still being written. */
  g_clear_object (&self->pause_writes);

  G_OBJECT_CLASS (prov_sync_parent_class)->finalize (object);
}

static void
prov_sync_class_init (ProvSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = prov_sync_dispose;
  object_class->finalize = prov_sync_finalize;

  /**
   * ProvSync::target-changed:
   * @uuid: the target whose state, failure, pause reason, waiting
   *   changes or last check changed
   */
  signals[TARGET_CHANGED] =
    g_signal_new ("target-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * ProvSync::pushed:
   * @uuid: the target
   * @user_name: the user
   * @action: the ProvAction
   * @ok: whether the target accepted it
   * @message: why not (a sentence), or NULL
   *
   * One change pushed, or tried and kept for later.
   */
  signals[PUSHED] =
    g_signal_new ("pushed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /**
   * ProvSync::source-failed:
   * @message: why the source could not be checked (a sentence)
   */
  signals[SOURCE_FAILED] =
    g_signal_new ("source-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
prov_sync_init (ProvSync *self)
{
  self->interval = PROV_SYNC_DEFAULT_INTERVAL;
  self->time_scale = 1.0;
  self->backoff = 1;
  self->retry_after = -1;
  self->last_total = -1;
  self->pause_writes = prov_write_queue_new ();
  self->targets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) prov_sync_target_free);
  self->read_cancellable = g_cancellable_new ();
  self->push_cancellable = g_cancellable_new ();
  self->once_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->stop_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
soon_cb (gpointer user_data)
{
  ProvSync *self = user_data;

  self->soon_id = 0;
  if (self->checking)
    {
      self->check_again = TRUE;
      return G_SOURCE_REMOVE;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  prov_sync_check (self);
  return G_SOURCE_REMOVE;
}

/* A check in a moment, instead of at the end of the interval. */
static void
check_soon (ProvSync *self)
{
  if (!self->running || self->stopping)
    return;
  g_clear_handle_id (&self->soon_id, g_source_remove);
  self->soon_id = g_timeout_add (STORE_SETTLE_MSEC, soon_cb, self);
}

/* Targets added, removed or saved (secrets included: a save replaces the
 * store's item even when only a secret changed). Their copies with
 * secrets are made again at the next check, which comes soon. */
static void
store_changed_cb (ProvSync   *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *store)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ProvTargetSystem) system = g_list_model_get_item (store, i);
      Target *target = g_hash_table_lookup (self->targets, prov_target_system_get_uuid (system));

      if (target != NULL)
        target->stale = TRUE;
    }
  check_soon (self);
}

ProvSync *
prov_sync_new (ProvTargetService *service)
{
  ProvSync *self;

  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (service), NULL);

  self = g_object_new (PROV_TYPE_SYNC, NULL);
  self->service = g_object_ref (service);
  self->store_changed_id = g_signal_connect_swapped (prov_target_service_get_store (service), "items-changed",
                                                     G_CALLBACK (store_changed_cb), self);
  return self;
}

void
prov_sync_set_state_dir (ProvSync   *self,
                         const char *dir)
{
  g_return_if_fail (PROV_IS_SYNC (self));
  g_free (self->state_dir);
  self->state_dir = g_strdup (dir);
}

void
prov_sync_set_interval (ProvSync *self,
                        guint     seconds)
{
  g_return_if_fail (PROV_IS_SYNC (self));
  self->interval = CLAMP (seconds, PROV_SYNC_MIN_INTERVAL, PROV_SYNC_MAX_INTERVAL);
}

guint
prov_sync_next_wait (ProvSync *self)
{
  guint longest = self->interval * PROV_SYNC_MAX_BACKOFF;
  guint wait = self->interval * self->backoff;

  if (self->retry_after > 0)
    wait = (guint) MIN ((gint64) longest, MAX ((gint64) self->interval, self->retry_after));
  return MIN (wait, longest);
}

guint
prov_sync_get_wait (ProvSync *self)
{
  g_return_val_if_fail (PROV_IS_SYNC (self), 0);
  return prov_sync_next_wait (self);
}

void
prov_sync_set_time_scale (ProvSync *self,
                          double    scale)
{
  g_return_if_fail (PROV_IS_SYNC (self));
  g_return_if_fail (scale > 0);
  self->time_scale = scale;
}

/* Per-target state */

void
prov_sync_emit_source_failed (ProvSync   *self,
                              const char *message)
{
  g_signal_emit (self, signals[SOURCE_FAILED], 0, message);
}

void
prov_sync_emit_target_changed (ProvSync   *self,
                               const char *target_uuid)
{
  g_signal_emit (self, signals[TARGET_CHANGED], 0, target_uuid);
}

void
prov_sync_set_target_state (Target        *target,
                  ProvSyncState  state,
                  const char    *failure,
                  const char    *pause_reason)
{
  /* @failure may be target->failure itself. */
  char *new_failure = g_strdup (failure);
  char *new_reason = g_strdup (pause_reason);

  target->sync_state = state;
  g_free (target->failure);
  target->failure = new_failure;
  g_free (target->pause_reason);
  target->pause_reason = new_reason;
  g_signal_emit (target->sync, signals[TARGET_CHANGED], 0, target->uuid);
}

/* After a push, or a check that queued nothing new. */
void
prov_sync_update_target_state (Target *target)
{
  if (target->sync_state == PROV_SYNC_STATE_PAUSED)
    return;
  if (target->failure != NULL)
    prov_sync_set_target_state (target, PROV_SYNC_STATE_FAILING, target->failure, NULL);
  else if (prov_sync_queue_get_length (target->queue) > 0 || target->pushing)
    prov_sync_set_target_state (target, PROV_SYNC_STATE_PUSHING, NULL, NULL);
  else
    prov_sync_set_target_state (target, PROV_SYNC_STATE_IN_SYNC, NULL, NULL);
}

static Target *
lookup_target (ProvSync   *self,
               const char *uuid)
{
  g_return_val_if_fail (PROV_IS_SYNC (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);
  return g_hash_table_lookup (self->targets, uuid);
}

ProvSyncState
prov_sync_get_state (ProvSync   *self,
                     const char *target_uuid)
{
  Target *target = lookup_target (self, target_uuid);

  if (self->elsewhere)
    return PROV_SYNC_STATE_ELSEWHERE;
  return target ? target->sync_state : PROV_SYNC_STATE_IN_SYNC;
}

GDateTime *
prov_sync_get_last_check (ProvSync   *self,
                          const char *target_uuid)
{
  Target *target = lookup_target (self, target_uuid);
  return target ? target->last_check : NULL;
}

guint
prov_sync_get_n_waiting (ProvSync   *self,
                         const char *target_uuid)
{
  Target *target = lookup_target (self, target_uuid);
  return target && target->queue ? prov_sync_queue_get_length (target->queue) : 0;
}

const char *
prov_sync_get_failure (ProvSync   *self,
                       const char *target_uuid)
{
  Target *target = lookup_target (self, target_uuid);
  return target ? target->failure : NULL;
}

const char *
prov_sync_get_pause_reason (ProvSync   *self,
                            const char *target_uuid)
{
  Target *target = lookup_target (self, target_uuid);
  return target ? target->pause_reason : NULL;
}

const char *
prov_sync_get_source_problem (ProvSync *self)
{
  g_return_val_if_fail (PROV_IS_SYNC (self), NULL);
  return self->source_problem;
}

typedef struct
{
  char          *path;
  ProvSyncPause *pause;   /* NULL: the record goes */
} PauseWrite;

static void
pause_write_free (PauseWrite *write)
{
  g_free (write->path);
  prov_sync_pause_free (write->pause);
  g_free (write);
}

/* On the pause writer's thread. */
static gboolean
pause_write_cb (gpointer   data,
                GError   **error)
{
  PauseWrite *write = data;

  if (write->pause == NULL)
    return prov_sync_pause_remove (write->path, error);
  return prov_sync_pause_save (write->path, write->pause, error);
}

static void
pause_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The pause holds in memory; only a restart would forget it. */
  if (!prov_write_queue_flush_finish (result, &error))
    g_warning ("%s", error->message);
}

static void
write_pause (Target              *target,
             const ProvSyncPause *pause)
{
  PauseWrite *write = g_new0 (PauseWrite, 1);

  write->path = g_strdup (target->pause_path);
  write->pause = pause != NULL ? prov_sync_pause_copy (pause) : NULL;
  prov_write_queue_push (target->sync->pause_writes, pause_write_cb, write,
                         (GDestroyNotify) pause_write_free);
  prov_write_queue_flush_async (target->sync->pause_writes, NULL, pause_written_cb, NULL);
}

void
prov_sync_set_pause (Target              *target,
                     const ProvSyncPause *pause)
{
  g_clear_pointer (&target->pause, prov_sync_pause_free);
  if (pause == NULL)
    {
      write_pause (target, NULL);
      return;
    }
  target->pause = prov_sync_pause_copy (pause);
  write_pause (target, pause);
  if (!pause->confirmed)
    prov_sync_set_target_state (target, PROV_SYNC_STATE_PAUSED, NULL, pause->reason);
}

void
prov_sync_resume (ProvSync   *self,
                  const char *target_uuid)
{
  Target *target = lookup_target (self, target_uuid);
  g_autoptr(ProvSyncPause) pause = NULL;

  if (target == NULL || target->sync_state != PROV_SYNC_STATE_PAUSED || target->pause == NULL)
    return;

  pause = prov_sync_pause_copy (target->pause);
  pause->confirmed = TRUE;
  prov_sync_set_pause (target, pause);
  /* The next check reads everything again and pushes the deprovisioning. */
  self->last_full_read = 0;
  prov_sync_set_target_state (target, PROV_SYNC_STATE_PUSHING, NULL, NULL);
  check_soon (self);
}

gboolean
prov_sync_confirm_pause (const char  *state_dir,
                         const char  *target_uuid,
                         GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(ProvSyncPause) pause = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (target_uuid != NULL, FALSE);

  path = prov_sync_pause_get_path (state_dir, target_uuid);
  pause = prov_sync_pause_load (path, &local_error);
  if (pause == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (pause == NULL)
    {
      g_set_error_literal (error, PROV_ERROR, PROV_ERROR_NOT_FOUND,
                           _("Real-time provisioning of this target is not paused."));
      return FALSE;
    }
  pause->confirmed = TRUE;
  return prov_sync_pause_save (path, pause, error);
}

/* Pushing one target's queue */

typedef struct
{
  Target     *target;
  GPtrArray  *operations;
  GArray     *sequences;
} Push;

static void
push_free (Push *push)
{
  g_ptr_array_unref (push->operations);
  g_array_unref (push->sequences);
  g_free (push);
}

/* Entries whose state the target already has (pushed by a run, or by a
 * sync killed before it could mark them done) leave without a write. */
static gboolean
already_pushed (Target              *target,
                const ProvOperation *operation)
{
  const ProvPushedUser *pushed = prov_push_state_lookup (target->state, operation->user_name);

  if (operation->action == PROV_ACTION_DELETE)
    return pushed == NULL;
  return pushed != NULL && g_strcmp0 (pushed->hash, operation->hash) == 0 &&
         pushed->active == operation->active;
}

static void
push_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Push *push = user_data;
  Target *target = push->target;
  ProvSync *self = target->sync;
  ProvEngine *engine = PROV_ENGINE (object);
  g_autoptr(GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *failures = prov_engine_get_failures (engine);
  gboolean whole_ok;
  gboolean cancelled;

  whole_ok = prov_engine_run_finish (engine, result, &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  target->journal_succeeded += prov_engine_get_n_succeeded (engine);
  target->journal_failed += prov_engine_get_n_failed (engine);

  for (guint i = 0; i < failures->len; i++)
    {
      ProvFailure *failure = g_ptr_array_index (failures, i);
      g_hash_table_insert (failed, g_utf8_casefold (failure->operation->user_name, -1), failure->message);
    }

  g_clear_pointer (&target->failure, g_free);
  for (guint i = 0; i < push->operations->len; i++)
    {
      ProvOperation *operation = g_ptr_array_index (push->operations, i);
      g_autofree char *key = g_utf8_casefold (operation->user_name, -1);
      const char *message = g_hash_table_lookup (failed, key);

      if (message != NULL)
        {
          if (target->failure == NULL)
            target->failure = g_strdup (message);
          g_signal_emit (self, signals[PUSHED], 0, target->uuid, operation->user_name,
                         (guint) operation->action, FALSE, message);
          continue;
        }

      /* Cancelled: what was on the wire has an unknown outcome. The entry
       * stays unless what was pushed shows the target took it. */
      if (cancelled && !already_pushed (target, operation))
        continue;

      prov_sync_queue_remove (target->queue, operation->user_name,
                              g_array_index (push->sequences, guint64, i));
      g_signal_emit (self, signals[PUSHED], 0, target->uuid, operation->user_name,
                     (guint) operation->action, TRUE, NULL);
    }

  if (!whole_ok && !cancelled && target->failure == NULL)
    target->failure = g_strdup (error->message);

  target->pushing = FALSE;
  push_free (push);
  prov_sync_update_target_state (target);
  prov_sync_maybe_idle (self);
  g_object_unref (self);
}

/* The push could not start, or was not to: the target is free again. */
static void
push_abandon (Push         *push,
              const GError *error)
{
  Target *target = push->target;
  ProvSync *self = target->sync;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (target->failure);
      target->failure = g_strdup (error->message);
    }
  target->pushing = FALSE;
  push_free (push);
  prov_sync_update_target_state (target);
  prov_sync_maybe_idle (self);
  g_object_unref (self);
}

static void
push_start_engine (Push *push)
{
  Target *target = push->target;
  ProvSync *self = target->sync;
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(ProvEngine) engine = NULL;

  if (self->stopping)
    {
      push_abandon (push, NULL);
      return;
    }
  plan = prov_plan_new_for_operations (target->target, push->operations);
  engine = prov_engine_new (prov_target_service_get_http_client (self->service),
                            target->target, target->state, target->journal);
  prov_engine_set_journal_kept_open (engine, TRUE);
  prov_engine_set_time_scale (engine, self->time_scale);
  prov_engine_run_async (engine, plan, self->push_cancellable, push_done_cb, push);
}

static void
journal_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Push *push = user_data;
  Target *target = push->target;
  g_autoptr(GError) error = NULL;

  target->journal = prov_journal_new_run_finish (result, &error);
  if (target->journal == NULL)
    {
      push_abandon (push, error);
      return;
    }
  target->journal_started = g_get_monotonic_time ();
  push_start_engine (push);
}

/* A journal covers one session of a target, at most an hour of it; it
 * is opened on a worker, as in a run. */
static void
push_open_journal (Push *push)
{
  Target *target = push->target;
  ProvSync *self = target->sync;
  g_autofree char *dir = NULL;

  if (target->journal != NULL && g_get_monotonic_time () - target->journal_started < JOURNAL_SPAN_USEC)
    {
      push_start_engine (push);
      return;
    }

  if (target->journal != NULL)
    prov_journal_finish (target->journal, target->journal_succeeded, target->journal_failed, FALSE);
  g_clear_object (&target->journal);
  target->journal_succeeded = target->journal_failed = 0;

  if (self->state_dir != NULL)
    dir = g_build_filename (self->state_dir, "journal", NULL);
  prov_journal_new_run_async (dir, target->target, "real-time", self->push_cancellable,
                              journal_opened_cb, push);
}

/* Nothing reaches the target before its entries are on disk. */
static void
queue_flushed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Push *push = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_sync_queue_flush_finish (PROV_SYNC_QUEUE (object), result, &error))
    {
      push_abandon (push, error);
      return;
    }
  if (push->target->sync->stopping)
    {
      push_abandon (push, NULL);
      return;
    }
  push_open_journal (push);
}

void
prov_sync_push_target (Target *target)
{
  ProvSync *self = target->sync;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GArray) sequences = NULL;
  Push *push;

  if (target->pushing || target->target == NULL || self->stopping || target->queue_unreadable ||
      target->sync_state == PROV_SYNC_STATE_PAUSED)
    return;

  push = g_new0 (Push, 1);
  push->target = target;
  push->operations = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_operation_free);
  push->sequences = g_array_new (FALSE, FALSE, sizeof (guint64));

  pending = prov_sync_queue_dup_pending (target->queue, &sequences);
  for (guint i = 0; i < pending->len; i++)
    {
      ProvOperation *operation = g_ptr_array_index (pending, i);
      guint64 sequence = g_array_index (sequences, guint64, i);

      if (already_pushed (target, operation))
        {
          prov_sync_queue_remove (target->queue, operation->user_name, sequence);
          continue;
        }
      g_ptr_array_add (push->operations, prov_operation_copy (operation));
      g_array_append_val (push->sequences, sequence);
    }

  if (push->operations->len == 0)
    {
      push_free (push);
      prov_sync_update_target_state (target);
      return;
    }

  target->pushing = TRUE;
  prov_sync_update_target_state (target);
  g_object_ref (self);
  prov_sync_queue_flush_async (target->queue, NULL, queue_flushed_cb, push);
}

static gboolean busy (ProvSync *self);

static gboolean
tick_cb (gpointer user_data)
{
  ProvSync *self = user_data;

  self->timeout_id = 0;
  prov_sync_check (self);
  return G_SOURCE_REMOVE;
}

static gboolean
busy (ProvSync *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->checking)
    return TRUE;
  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (((Target *) value)->pushing)
        return TRUE;
    }
  return FALSE;
}

static void
close_journals (ProvSync *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Target *target = value;

      if (target->journal != NULL)
        prov_journal_finish (target->journal, target->journal_succeeded, target->journal_failed,
                             g_cancellable_is_cancelled (self->push_cancellable));
      g_clear_object (&target->journal);
    }
}

static void
stopped (ProvSync *self)
{
  g_clear_handle_id (&self->grace_id, g_source_remove);
  close_journals (self);
  for (guint i = 0; i < self->stop_tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (self->stop_tasks, i), TRUE);
  g_ptr_array_set_size (self->stop_tasks, 0);
  self->saving_queues = FALSE;
  /* Everything is on disk: another process may sync from here. */
  g_clear_pointer (&self->lock, prov_sync_lock_free);
}

typedef struct
{
  ProvSync *sync;
  guint     n_left;
} SaveQueues;

static void
queue_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SaveQueues *save = user_data;
  g_autoptr(GError) error = NULL;

  /* What could not be written is detected again at the next start. */
  if (!prov_sync_queue_flush_finish (PROV_SYNC_QUEUE (object), result, &error))
    g_warning ("%s", error->message);
  if (--save->n_left > 0)
    return;
  stopped (save->sync);
  g_object_unref (save->sync);
  g_free (save);
}

/* Stopping: every queue's last lines on disk before the stop completes. */
static void
save_queues (ProvSync *self)
{
  SaveQueues *save;
  GHashTableIter iter;
  gpointer value;

  if (self->saving_queues)
    return;
  if (g_hash_table_size (self->targets) == 0)
    {
      stopped (self);
      return;
    }

  self->saving_queues = TRUE;
  save = g_new0 (SaveQueues, 1);
  save->sync = g_object_ref (self);
  save->n_left = g_hash_table_size (self->targets);
  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    prov_sync_queue_flush_async (((Target *) value)->queue, NULL, queue_saved_cb, save);
}

/* Called whenever a check or a push ends. */
void
prov_sync_maybe_idle (ProvSync *self)
{
  if (!self->checking && self->check_again)
    {
      self->check_again = FALSE;
      check_soon (self);
    }
  if (busy (self))
    return;

  if (self->stopping && self->stop_tasks->len > 0)
    save_queues (self);

  for (guint i = 0; i < self->once_tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (self->once_tasks, i);

      if (g_task_return_error_if_cancelled (task))
        continue;
      g_task_return_boolean (task, TRUE);
    }
  g_ptr_array_set_size (self->once_tasks, 0);

  if (self->running && !self->stopping && self->timeout_id == 0)
    self->timeout_id = g_timeout_add_seconds (prov_sync_next_wait (self), tick_cb, self);
}

void
prov_sync_start (ProvSync *self)
{
  g_return_if_fail (PROV_IS_SYNC (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  prov_sync_check (self);
}

static void
cancel_reads_cb (GCancellable *cancellable,
                 GCancellable *reads)
{
  g_cancellable_cancel (reads);
}

void
prov_sync_run_once_async (ProvSync            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_sync_run_once_async);
  g_ptr_array_add (self->once_tasks, task);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_reads_cb),
                           g_object_ref (self->read_cancellable), g_object_unref);
  prov_sync_check (self);
}

gboolean
prov_sync_run_once_finish (ProvSync      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PROV_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
grace_over_cb (gpointer user_data)
{
  ProvSync *self = user_data;

  self->grace_id = 0;
  g_cancellable_cancel (self->push_cancellable);
  return G_SOURCE_REMOVE;
}

void
prov_sync_stop_async (ProvSync            *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_SYNC (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, prov_sync_stop_async);
  g_ptr_array_add (self->stop_tasks, task);

  self->stopping = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  /* Reads are only reads: they stop at once. Writes get a moment. */
  g_cancellable_cancel (self->read_cancellable);
  if (self->grace_id == 0)
    self->grace_id = g_timeout_add (STOP_GRACE_MSEC, grace_over_cb, self);
  prov_sync_maybe_idle (self);
}

gboolean
prov_sync_stop_finish (ProvSync      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (PROV_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
