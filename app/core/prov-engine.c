/* prov-engine.c — carries out a plan against one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-auth.h"
#include "prov-engine.h"
#include "prov-error.h"
#include "prov-rate-limiter.h"
#include "prov-target-client.h"

/* The record of what was pushed is saved at most this often during a run,
 * so a crash repeats little work; and never more than a tenth of the time:
 * a save writes every user, so at tens of thousands of users saves every
 * 2 s would leave no time for the pushes. */
#define STATE_SAVE_INTERVAL_USEC (2 * G_USEC_PER_SEC)
#define STATE_SAVE_MAX_SHARE 10
#define FIRST_RETRY_WAIT_USEC (2 * G_USEC_PER_SEC)

struct _ProvEngine
{
  GObject           parent_instance;

  ProvHttpClient   *client;
  ProvTargetSystem *target;
  ProvPushState    *state;
  ProvJournal      *journal;
  gboolean          journal_kept_open;
  ProvAuth         *auth;
  ProvTargetClient *target_client;
  ProvRateLimiter  *limiter;

  guint             concurrency;
  guint             retries;
  double            time_scale;
  gboolean          unlimited;

  /* The run */
  GTask            *task;
  GPtrArray        *operations;   /* ProvOperation, owned by the plan */
  guint             next;
  guint             in_flight;
  GPtrArray        *waiting;      /* Attempt waiting to be tried again */
  guint             pump_source;  /* a later pump, once the limits allow */
  guint             n_done;
  guint             n_succeeded;
  guint             n_succeeded_for[PROV_N_ACTIONS];
  guint             n_failed;
  guint             n_rate_limited;
  guint             n_unknown;
  GPtrArray        *failures;
  gint64            started;
  gint64            last_state_save;   /* when the last save ended */
  gint64            state_save_interval;
  gboolean          cancelled;
  gulong            cancelled_id;
  GError           *state_error;
  GError           *target_error;  /* one every request would meet */
};

G_DEFINE_FINAL_TYPE (ProvEngine, prov_engine, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  ProvEngine    *self;
  ProvOperation *operation;  /* borrowed from the plan */
  guint          attempt;
  guint          source_id;  /* of the retry, while waiting for it */
} Attempt;

void
prov_failure_free (ProvFailure *failure)
{
  prov_operation_free (failure->operation);
  g_free (failure->message);
  g_free (failure);
}

static void
prov_engine_finalize (GObject *object)
{
  ProvEngine *self = (ProvEngine *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->target);
  g_clear_object (&self->state);
  g_clear_object (&self->journal);
  g_clear_object (&self->auth);
  g_clear_object (&self->target_client);
  g_clear_object (&self->limiter);
  g_clear_pointer (&self->operations, g_ptr_array_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_handle_id (&self->pump_source, g_source_remove);
  g_clear_error (&self->state_error);
  g_clear_error (&self->target_error);

  G_OBJECT_CLASS (prov_engine_parent_class)->finalize (object);
}

static void
prov_engine_class_init (ProvEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_engine_finalize;

  /**
   * ProvEngine::progress:
   * @done: operations finished (succeeded or failed)
   * @total: operations in the run
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
prov_engine_init (ProvEngine *self)
{
  self->concurrency = PROV_ENGINE_DEFAULT_CONCURRENCY;
  self->retries = PROV_ENGINE_DEFAULT_RETRIES;
  self->time_scale = 1.0;
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_failure_free);
  self->waiting = g_ptr_array_new ();
}

ProvEngine *
prov_engine_new (ProvHttpClient   *client,
                 ProvTargetSystem *target,
                 ProvPushState    *state,
                 ProvJournal      *journal)
{
  ProvEngine *self;

  g_return_val_if_fail (PROV_IS_HTTP_CLIENT (client), NULL);
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);
  g_return_val_if_fail (PROV_IS_PUSH_STATE (state), NULL);
  g_return_val_if_fail (journal == NULL || PROV_IS_JOURNAL (journal), NULL);

  self = g_object_new (PROV_TYPE_ENGINE, NULL);
  self->client = g_object_ref (client);
  self->target = g_object_ref (target);
  self->state = g_object_ref (state);
  self->journal = journal ? g_object_ref (journal) : NULL;
  return self;
}

void
prov_engine_set_journal_kept_open (ProvEngine *self,
                                   gboolean    kept_open)
{
  g_return_if_fail (PROV_IS_ENGINE (self));
  self->journal_kept_open = kept_open;
}

void
prov_engine_set_concurrency (ProvEngine *self,
                             guint       concurrency)
{
  g_return_if_fail (PROV_IS_ENGINE (self));
  self->concurrency = CLAMP (concurrency, 1, 64);
}

void
prov_engine_set_retries (ProvEngine *self,
                         guint       retries)
{
  g_return_if_fail (PROV_IS_ENGINE (self));
  self->retries = MIN (retries, PROV_ENGINE_MAX_RETRIES);
}

void
prov_engine_set_time_scale (ProvEngine *self,
                            double      scale)
{
  g_return_if_fail (PROV_IS_ENGINE (self));
  g_return_if_fail (scale > 0);
  self->time_scale = scale;
}

void
prov_engine_set_unlimited (ProvEngine *self,
                           gboolean    unlimited)
{
  g_return_if_fail (PROV_IS_ENGINE (self));
  self->unlimited = unlimited;
}

gint64
prov_engine_estimate_seconds (ProvTargetSystem *target,
                              guint             n_requests)
{
  g_autoptr(ProvRateLimiter) limiter =
    prov_rate_limiter_new (prov_target_system_get_rate_per_minute (target),
                           prov_target_system_get_rate_per_hour (target),
                           60 * G_USEC_PER_SEC);

  return prov_rate_limiter_estimate (limiter, n_requests) / G_USEC_PER_SEC;
}

/* The run */

static void pump (ProvEngine *self);

static void
save_state (ProvEngine *self,
            gboolean    force)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;

  if (!prov_push_state_is_dirty (self->state))
    return;
  if (!force && now - self->last_state_save < self->state_save_interval)
    return;

  /* Written on the state's own thread; ProvRun waits for it at the end. */
  if (!prov_push_state_queue_save (self->state, &error))
    {
      g_warning ("%s", error->message);
      if (self->state_error == NULL)
        self->state_error = g_steal_pointer (&error);
    }
  self->last_state_save = g_get_monotonic_time ();
  self->state_save_interval = MAX (STATE_SAVE_INTERVAL_USEC,
                                   (self->last_state_save - now) * STATE_SAVE_MAX_SHARE);
}

static void
return_result (GTask *task)
{
  ProvEngine *self = g_task_get_source_object (task);

  if (self->cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The run was cancelled."));
  else if (self->state_error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->state_error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
journal_flushed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A journal that cannot be written was warned about line by line; the
   * run itself went well. */
  if (!prov_journal_flush_finish (result, &error))
    g_debug ("%s", error->message);
  return_result (user_data);
}

static void
state_flushed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ProvEngine *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!prov_push_state_flush_finish (result, &error))
    {
      g_warning ("%s", error->message);
      if (self->state_error == NULL)
        self->state_error = error;
      else
        g_clear_error (&error);
    }

  g_debug ("Push state on disk %" G_GINT64_FORMAT " ms after the run started",
           (g_get_monotonic_time () - self->started) / 1000);
  if (self->journal != NULL)
    prov_journal_flush_async (self->journal, NULL, journal_flushed_cb, task);
  else
    return_result (task);
}

static void
finish_run (ProvEngine *self)
{
  GTask *task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->pump_source, g_source_remove);

  if (self->cancelled_id != 0)
    {
      /* Not g_cancellable_disconnect(): it would wait for this very
       * handler if we got here from it. */
      g_signal_handler_disconnect (g_task_get_cancellable (task), self->cancelled_id);
      self->cancelled_id = 0;
    }

  g_debug ("Pushed %u of %u operations in %" G_GINT64_FORMAT " ms", self->n_done,
           self->operations->len, (g_get_monotonic_time () - self->started) / 1000);
  save_state (self, TRUE);

  if (self->journal != NULL && !self->journal_kept_open)
    prov_journal_finish (self->journal, self->n_succeeded, self->n_failed, self->cancelled);

  /* The run is done once what it did is on disk: the writes run on
   * worker threads, the flushes wait for them (not cancellable). */
  prov_push_state_flush_async (self->state, NULL, state_flushed_cb, task);
}

static void
record_outcome (ProvEngine          *self,
                const ProvOperation *operation,
                const char          *target_id,
                const GError        *error)
{
  if (error == NULL)
    {
      self->n_succeeded++;
      self->n_succeeded_for[operation->action]++;
      if (operation->action == PROV_ACTION_DELETE)
        prov_push_state_forget (self->state, operation->user_name);
      else
        prov_push_state_record (self->state, operation->user_name, target_id,
                                operation->hash, operation->active, operation->body);
    }
  else
    {
      ProvFailure *failure = g_new0 (ProvFailure, 1);

      self->n_failed++;
      failure->operation = prov_operation_copy (operation);
      failure->message = g_strdup (error->message);
      g_ptr_array_add (self->failures, failure);
    }

  if (self->journal != NULL)
    prov_journal_record (self->journal, operation->user_name, operation->action,
                         error == NULL, error ? error->message : NULL);

  self->n_done++;
  save_state (self, FALSE);
  g_signal_emit (self, signals[PROGRESS], 0, self->n_done, self->operations->len);
}

/* Cancel cut a request short: the target may or may not have made the
 * change. Nothing goes into what was pushed, so the next run plans the
 * user again, and a create that did land meets 409 and becomes a lookup
 * and an update, never a second user. */
static void
record_unknown (ProvEngine          *self,
                const ProvOperation *operation)
{
  self->n_unknown++;
  g_debug ("%s: cancelled on the wire, outcome unknown", operation->user_name);
  if (self->journal != NULL)
    prov_journal_record (self->journal, operation->user_name, operation->action, FALSE,
                         _("Outcome unknown: the run was cancelled before the target answered. The next run checks this user and does not create it twice."));
}

static void start_attempt (Attempt *attempt);

static gboolean
retry_cb (gpointer data)
{
  Attempt *attempt = data;
  ProvEngine *self = attempt->self;

  attempt->source_id = 0;
  g_ptr_array_remove_fast (self->waiting, attempt);

  if (self->target_error != NULL)
    {
      record_outcome (self, attempt->operation, NULL, self->target_error);
      g_free (attempt);
      pump (self);
      return G_SOURCE_REMOVE;
    }

  /* Cancelled, and the pump that drops the waiting has not run yet. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      g_free (attempt);
      pump (self);
      return G_SOURCE_REMOVE;
    }

  self->in_flight++;
  start_attempt (attempt);
  return G_SOURCE_REMOVE;
}

/* Cancelled: what waits for a retry or for the limits is not on the wire,
 * and the wait may be a minute long. Drop it now; those operations are not
 * done, and not failed either. */
static void
drop_waiting (ProvEngine *self)
{
  for (guint i = 0; i < self->waiting->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (self->waiting, i);

      g_clear_handle_id (&attempt->source_id, g_source_remove);
      g_free (attempt);
    }
  g_ptr_array_set_size (self->waiting, 0);
  g_clear_handle_id (&self->pump_source, g_source_remove);
}

static void
applied_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *attempt = user_data;
  ProvEngine *self = attempt->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *target_id = NULL;
  gint64 retry_after = -1;

  target_id = prov_target_client_apply_finish (PROV_TARGET_CLIENT (object), result,
                                               &retry_after, &error);
  self->in_flight--;

  if (g_error_matches (error, PROV_ERROR, PROV_ERROR_RATE_LIMITED))
    self->n_rate_limited++;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      record_unknown (self, attempt->operation);
      g_free (attempt);
      pump (self);
      return;
    }

  /* It would be tried again, but the run was cancelled: like those already
   * waiting for their retry, it is not done, and not failed either —
   * whether the answer came just before the cancel or just after. */
  if (error != NULL && prov_error_is_transient (error) &&
      attempt->attempt < self->retries &&
      g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      g_free (attempt);
      pump (self);
      return;
    }

  if (error != NULL && prov_error_is_transient (error) &&
      attempt->attempt < self->retries && !self->cancelled)
    {
      gint64 wait;

      /* The server's word first, capped as SAP caps it; else growing. */
      if (retry_after >= 0)
        wait = MIN (retry_after, PROV_ENGINE_MAX_RETRY_WAIT_SECONDS) * G_USEC_PER_SEC;
      else
        wait = MIN (FIRST_RETRY_WAIT_USEC << attempt->attempt,
                    PROV_ENGINE_MAX_RETRY_WAIT_SECONDS * G_USEC_PER_SEC);
      wait = (gint64) (wait * self->time_scale);

      /* A 429 speaks for the whole target: everyone waits. */
      if (g_error_matches (error, PROV_ERROR, PROV_ERROR_RATE_LIMITED) && self->limiter != NULL)
        prov_rate_limiter_pause_until (self->limiter, g_get_monotonic_time () + wait);

      g_debug ("%s: %s; trying again in %" G_GINT64_FORMAT " ms",
               attempt->operation->user_name, error->message, wait / 1000);
      attempt->attempt++;
      attempt->source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (wait / 1000),
                                               retry_cb, attempt, NULL);
      g_ptr_array_add (self->waiting, attempt);
      pump (self);
      return;
    }

  record_outcome (self, attempt->operation, target_id, error);
  if (prov_error_is_target_wide (error) && self->target_error == NULL)
    {
      g_debug ("%s: every request would fail (%s); the rest are not sent",
               prov_target_system_get_display_name (self->target), error->message);
      self->target_error = g_error_copy (error);
    }
  g_free (attempt);
  pump (self);
}

static void
start_attempt (Attempt *attempt)
{
  /* The run's cancellable: Cancel ends even a request on the wire at
   * once, whatever the server does (see record_unknown()). */
  prov_target_client_apply_async (attempt->self->target_client, attempt->operation,
                                  g_task_get_cancellable (attempt->self->task),
                                  applied_cb, attempt);
}

static gboolean
pump_later_cb (gpointer data)
{
  ProvEngine *self = data;

  self->pump_source = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
pump (ProvEngine *self)
{
  if (self->task == NULL)
    return;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    self->cancelled = TRUE;
  if (self->cancelled)
    drop_waiting (self);

  /* The target cannot be reached or refuses the credentials: the users
   * not yet sent fail with its reason, unsent, and stay for the next run. */
  while (!self->cancelled && self->target_error != NULL &&
         self->next < self->operations->len)
    record_outcome (self, g_ptr_array_index (self->operations, self->next++), NULL, self->target_error);

  while (!self->cancelled &&
         self->in_flight < self->concurrency &&
         self->next < self->operations->len)
    {
      Attempt *attempt;

      /* Wait for the limits here rather than in the request (which would
       * wait just the same, out of reach of a cancel, and send after it):
       * an operation starts only when its first request may go at once. */
      if (self->limiter != NULL)
        {
          gint64 delay = prov_rate_limiter_get_delay (self->limiter, g_get_monotonic_time ());

          if (delay > 0)
            {
              if (self->pump_source == 0)
                self->pump_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((delay + 999) / 1000),
                                                        pump_later_cb, self, NULL);
              break;
            }
        }

      attempt = g_new0 (Attempt, 1);
      attempt->self = self;
      attempt->operation = g_ptr_array_index (self->operations, self->next++);
      self->in_flight++;
      start_attempt (attempt);
    }

  if (self->in_flight == 0 && self->waiting->len == 0 &&
      (self->cancelled || self->next == self->operations->len))
    finish_run (self);
}

static gboolean
pump_idle_cb (gpointer data)
{
  pump (data);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              ProvEngine   *self)
{
  /* Later, from the main loop: cancel may come from any callback. */
  g_idle_add_full (G_PRIORITY_DEFAULT, pump_idle_cb, g_object_ref (self), g_object_unref);
}

void
prov_engine_run_async (ProvEngine          *self,
                       ProvPlan            *plan,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (PROV_IS_ENGINE (self));
  g_return_if_fail (PROV_IS_PLAN (plan));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, prov_engine_run_async);
  g_task_set_check_cancellable (self->task, FALSE);

  self->operations = g_ptr_array_ref (prov_plan_get_operations (plan));
  self->next = 0;
  self->started = g_get_monotonic_time ();
  self->last_state_save = self->started;
  self->state_save_interval = STATE_SAVE_INTERVAL_USEC;

  self->auth = prov_auth_new (self->client, self->target);
  if (!self->unlimited)
    {
      self->limiter = prov_rate_limiter_new (prov_target_system_get_rate_per_minute (self->target),
                                             prov_target_system_get_rate_per_hour (self->target),
                                             (gint64) (60 * G_USEC_PER_SEC * self->time_scale));
      prov_auth_set_rate_limiter (self->auth, self->limiter);
    }
  self->target_client = prov_target_client_new (self->auth);

  if (cancellable != NULL)
    self->cancelled_id = g_signal_connect_object (cancellable, "cancelled",
                                                  G_CALLBACK (cancelled_cb), self, 0);

  pump (self);
}

gboolean
prov_engine_run_finish (ProvEngine    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
prov_engine_get_n_total (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  return self->operations ? self->operations->len : 0;
}

guint
prov_engine_get_n_done (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  return self->n_done;
}

guint
prov_engine_get_n_succeeded (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  return self->n_succeeded;
}

guint
prov_engine_get_n_succeeded_for (ProvEngine *self,
                                 ProvAction  action)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  g_return_val_if_fail (action < PROV_N_ACTIONS, 0);
  return self->n_succeeded_for[action];
}

guint
prov_engine_get_n_failed (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  return self->n_failed;
}

guint
prov_engine_get_n_unknown (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  return self->n_unknown;
}

guint
prov_engine_get_n_rate_limited (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);
  return self->n_rate_limited;
}

double
prov_engine_get_rate (ProvEngine *self)
{
  gint64 elapsed;

  g_return_val_if_fail (PROV_IS_ENGINE (self), 0);

  elapsed = g_get_monotonic_time () - self->started;
  if (self->started == 0 || elapsed <= 0)
    return 0;
  return self->n_done / ((double) elapsed / G_USEC_PER_SEC);
}

gint64
prov_engine_get_seconds_left (ProvEngine *self)
{
  guint left;
  double rate;
  gint64 by_pace = -1;
  gint64 by_limits = 0;

  g_return_val_if_fail (PROV_IS_ENGINE (self), -1);

  if (self->operations == NULL)
    return -1;

  left = self->operations->len - self->n_done;
  rate = prov_engine_get_rate (self);
  if (rate > 0)
    by_pace = (gint64) (left / rate);
  if (self->limiter != NULL)
    by_limits = (gint64) (prov_rate_limiter_estimate (self->limiter, left) / G_USEC_PER_SEC);

  if (by_pace < 0)
    return by_limits > 0 ? by_limits : -1;
  return MAX (by_pace, by_limits);
}

GPtrArray *
prov_engine_get_failures (ProvEngine *self)
{
  g_return_val_if_fail (PROV_IS_ENGINE (self), NULL);
  return self->failures;
}

const char *
prov_engine_get_shared_failure (ProvEngine *self)
{
  const char *first;

  g_return_val_if_fail (PROV_IS_ENGINE (self), NULL);

  if (self->failures->len < 2)
    return NULL;
  first = ((ProvFailure *) g_ptr_array_index (self->failures, 0))->message;
  for (guint i = 1; i < self->failures->len; i++)
    if (g_strcmp0 (((ProvFailure *) g_ptr_array_index (self->failures, i))->message, first) != 0)
      return NULL;
  return first;
}
