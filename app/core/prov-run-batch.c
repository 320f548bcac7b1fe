/* prov-run-batch.c — several targets provisioned one after another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "prov-run-batch.h"

struct _ProvRunBatch
{
  GObject            parent_instance;

  ProvTargetService *service;
  GPtrArray         *runs;          /* ProvRun */
  GPtrArray         *problems;      /* per run: GError, why it has no plan, or NULL */
  GPtrArray         *run_errors;    /* per run: why it failed as a whole, or NULL */
  GArray            *confirmed;     /* per run: gboolean */
  GPtrArray         *users;
  gboolean           complete;
  GStrv              source_problems;
  guint              n_selected;    /* users picked by name; 0: all */

  guint              next;
  ProvRun           *current;
  guint              done_before;   /* operations of runs already finished */
  guint              succeeded;
  guint              succeeded_for[PROV_N_ACTIONS];
  guint              failed;
  gboolean           cancelled;
};

G_DEFINE_FINAL_TYPE (ProvRunBatch, prov_run_batch, G_TYPE_OBJECT)

enum {
  RUN_STARTED,
  RUN_FINISHED,
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_problem (gpointer problem)
{
  if (problem != NULL)
    g_error_free (problem);
}

static void
prov_run_batch_finalize (GObject *object)
{
  ProvRunBatch *self = (ProvRunBatch *)object;

  g_clear_object (&self->service);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->run_errors, g_ptr_array_unref);
  g_clear_pointer (&self->confirmed, g_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->source_problems, g_strfreev);
  g_clear_object (&self->current);

  G_OBJECT_CLASS (prov_run_batch_parent_class)->finalize (object);
}

static void
prov_run_batch_class_init (ProvRunBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_run_batch_finalize;

  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * ProvRunBatch::progress:
   * @done: operations finished, of every run
   * @total: operations of every run
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
prov_run_batch_init (ProvRunBatch *self)
{
  self->runs = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func (clear_problem);
  self->run_errors = g_ptr_array_new_with_free_func (g_free);
  self->confirmed = g_array_new (FALSE, TRUE, sizeof (gboolean));
}

static void
add_run (ProvRunBatch *self,
         ProvRun      *run)
{
  g_ptr_array_add (self->runs, run);
  g_ptr_array_add (self->problems, NULL);
  g_ptr_array_add (self->run_errors, NULL);
  g_array_set_size (self->confirmed, self->runs->len);
}

ProvRunBatch *
prov_run_batch_new (ProvTargetService *service,
                    GPtrArray         *targets,
                    GHashTable        *only)
{
  ProvRunBatch *self;

  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (service), NULL);
  g_return_val_if_fail (targets != NULL, NULL);

  self = g_object_new (PROV_TYPE_RUN_BATCH, NULL);
  self->service = g_object_ref (service);
  self->n_selected = only != NULL ? g_hash_table_size (only) : 0;
  for (guint i = 0; i < targets->len; i++)
    {
      ProvRun *run = prov_run_new (service, g_ptr_array_index (targets, i));

      prov_run_set_only (run, only);
      add_run (self, run);
    }
  return self;
}

void
prov_run_batch_set_users (ProvRunBatch *self,
                          GPtrArray    *users,
                          gboolean      complete)
{
  g_return_if_fail (PROV_IS_RUN_BATCH (self));

  g_clear_pointer (&self->users, g_ptr_array_unref);
  self->users = users ? g_ptr_array_ref (users) : NULL;
  self->complete = complete;
}

void
prov_run_batch_set_state_dir (ProvRunBatch *self,
                              const char   *dir)
{
  g_return_if_fail (PROV_IS_RUN_BATCH (self));
  for (guint i = 0; i < self->runs->len; i++)
    prov_run_set_state_dir (g_ptr_array_index (self->runs, i), dir);
}

void
prov_run_batch_set_time_scale (ProvRunBatch *self,
                               double        scale)
{
  g_return_if_fail (PROV_IS_RUN_BATCH (self));
  for (guint i = 0; i < self->runs->len; i++)
    prov_run_set_time_scale (g_ptr_array_index (self->runs, i), scale);
}

/* Preparing */

static void prepare_next (GTask *task);

static void
run_prepared_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProvRunBatch *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!prov_run_prepare_finish (PROV_RUN (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      clear_problem (g_ptr_array_index (self->problems, self->next));
      g_ptr_array_index (self->problems, self->next) = g_steal_pointer (&error);
    }

  self->next++;
  prepare_next (task);
}

static void
prepare_next (GTask *task)
{
  ProvRunBatch *self = g_task_get_source_object (task);

  while (self->next < self->runs->len && g_ptr_array_index (self->problems, self->next) != NULL)
    self->next++;

  if (self->next >= self->runs->len)
    {
      self->next = 0;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (self->users != NULL)
    prov_run_set_users (g_ptr_array_index (self->runs, self->next), self->users, self->complete);
  prov_run_prepare_async (g_ptr_array_index (self->runs, self->next), g_task_get_cancellable (task),
                          run_prepared_cb, task);
}

/* Without the source's users no target can be planned: says so for each
 * and goes on (to the confirmations), unless it was cancelled. */
static void
fail_every_run (GTask        *task,
                const GError *error)
{
  ProvRunBatch *self = g_task_get_source_object (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < self->runs->len; i++)
    g_ptr_array_index (self->problems, i) = g_error_copy (error);
  prepare_next (task);
}

static void
users_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  ProvRunBatch *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->users = prov_source_read_users_finish (PROV_SOURCE (object), result, &self->complete,
                                               &self->source_problems, &error);
  if (self->users == NULL)
    fail_every_run (task, error);
  else
    prepare_next (task);
}

static void
source_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProvRunBatch *self = g_task_get_source_object (task);
  g_autoptr(ProvSource) source = NULL;
  g_autoptr(GError) error = NULL;

  source = prov_target_service_dup_source_with_secrets_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (source == NULL)
    {
      fail_every_run (task, error);
      return;
    }

  /* One read serves every target. */
  prov_source_read_users_async (source, prov_target_service_get_http_client (self->service),
                                g_task_get_cancellable (task), users_read_cb, task);
}

void
prov_run_batch_prepare_async (ProvRunBatch        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_RUN_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_run_batch_prepare_async);
  self->next = 0;

  /* One target reads the source itself, so its secrets come first. */
  if (self->users != NULL || self->runs->len <= 1)
    {
      prepare_next (task);
      return;
    }

  prov_target_service_dup_source_with_secrets_async (self->service, cancellable, source_ready_cb, task);
}

gboolean
prov_run_batch_prepare_finish (ProvRunBatch  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
prov_run_batch_get_n_runs (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);
  return self->runs->len;
}

ProvRun *
prov_run_batch_get_run (ProvRunBatch *self,
                        guint         index)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), NULL);
  g_return_val_if_fail (index < self->runs->len, NULL);
  return g_ptr_array_index (self->runs, index);
}

const char *
prov_run_batch_get_problem (ProvRunBatch *self,
                            guint         index)
{
  const GError *problem = prov_run_batch_get_problem_error (self, index);

  return problem != NULL ? problem->message : NULL;
}

const GError *
prov_run_batch_get_problem_error (ProvRunBatch *self,
                                  guint         index)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), NULL);
  g_return_val_if_fail (index < self->runs->len, NULL);
  return g_ptr_array_index (self->problems, index);
}

const char * const *
prov_run_batch_get_source_problems (ProvRunBatch *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), NULL);

  if (self->source_problems != NULL)
    return (const char * const *) self->source_problems;
  /* A single target read the source itself. */
  if (self->runs->len == 1)
    return prov_run_get_source_problems (g_ptr_array_index (self->runs, 0));
  return none;
}

static gboolean
has_work (ProvRunBatch *self,
          guint         index)
{
  ProvPlan *plan = prov_run_get_plan (g_ptr_array_index (self->runs, index));

  return g_ptr_array_index (self->problems, index) == NULL && plan != NULL &&
         prov_plan_get_operations (plan)->len > 0;
}

guint
prov_run_batch_get_n_operations (ProvRunBatch *self)
{
  guint total = 0;

  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);

  for (guint i = 0; i < self->runs->len; i++)
    if (has_work (self, i))
      total += prov_plan_get_operations (prov_run_get_plan (g_ptr_array_index (self->runs, i)))->len;
  return total;
}

void
prov_run_batch_set_confirmed (ProvRunBatch *self,
                              guint         index,
                              gboolean      confirmed)
{
  g_return_if_fail (PROV_IS_RUN_BATCH (self));
  g_return_if_fail (index < self->runs->len);
  g_array_index (self->confirmed, gboolean, index) = !!confirmed;
}

gboolean
prov_run_batch_all_confirmed (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), FALSE);

  for (guint i = 0; i < self->runs->len; i++)
    if (has_work (self, i) &&
        prov_plan_needs_confirmation (prov_run_get_plan (g_ptr_array_index (self->runs, i))) &&
        !g_array_index (self->confirmed, gboolean, i))
      return FALSE;
  return TRUE;
}

/* Running */

static void execute_next (GTask *task);

static void
run_progress_cb (ProvRun      *run,
                 guint         done,
                 guint         total,
                 ProvRunBatch *self)
{
  g_signal_emit (self, signals[PROGRESS], 0, self->done_before + done,
                 prov_run_batch_get_n_operations (self));
}

static void
run_executed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProvRunBatch *self = g_task_get_source_object (task);
  ProvRun *run = PROV_RUN (object);
  ProvEngine *engine = prov_run_get_engine (run);
  g_autoptr(GError) error = NULL;
  guint index = self->next;

  g_signal_handlers_disconnect_by_func (run, run_progress_cb, self);

  if (!prov_run_execute_finish (run, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->cancelled = TRUE;
      else
        g_ptr_array_index (self->run_errors, index) = g_strdup (error->message);
    }

  if (engine != NULL)
    {
      self->succeeded += prov_engine_get_n_succeeded (engine);
      for (guint a = 0; a < PROV_N_ACTIONS; a++)
        self->succeeded_for[a] += prov_engine_get_n_succeeded_for (engine, a);
      self->failed += prov_engine_get_n_failed (engine);
      self->done_before += prov_engine_get_n_done (engine);
    }

  g_clear_object (&self->current);
  g_signal_emit (self, signals[RUN_FINISHED], 0, index);

  self->next++;
  if (self->cancelled)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The run was cancelled."));
      g_object_unref (task);
      return;
    }
  execute_next (task);
}

static void
not_started_recorded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  ProvRunBatch *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* The run's failure is said anyway; only the history lacks it. */
  if (!prov_run_record_not_started_finish (PROV_RUN (object), result, &error))
    g_warning ("A run that could not start is missing from the history: %s", error->message);

  self->next++;
  execute_next (task);
}

static void
execute_next (GTask *task)
{
  ProvRunBatch *self = g_task_get_source_object (task);
  ProvRun *run;

  for (; self->next < self->runs->len && !has_work (self, self->next); self->next++)
    {
      const GError *problem = g_ptr_array_index (self->problems, self->next);

      /* Asked for and not possible: the history says so, as SAP's job
       * log lists a job that failed before it read anything. */
      if (problem != NULL && !g_error_matches (problem, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          prov_run_record_not_started_async (g_ptr_array_index (self->runs, self->next),
                                             problem->message, NULL,
                                             not_started_recorded_cb, task);
          return;
        }
    }

  if (self->next >= self->runs->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  run = g_ptr_array_index (self->runs, self->next);
  g_set_object (&self->current, run);
  g_signal_emit (self, signals[RUN_STARTED], 0, self->next);
  g_signal_connect_object (run, "progress", G_CALLBACK (run_progress_cb), self, 0);
  prov_run_execute_async (run, g_array_index (self->confirmed, gboolean, self->next),
                          g_task_get_cancellable (task), run_executed_cb, task);
}

void
prov_run_batch_execute_async (ProvRunBatch        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_RUN_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_run_batch_execute_async);
  self->next = 0;
  self->done_before = 0;
  self->succeeded = 0;
  memset (self->succeeded_for, 0, sizeof self->succeeded_for);
  self->failed = 0;
  self->cancelled = FALSE;
  execute_next (task);
}

gboolean
prov_run_batch_execute_finish (ProvRunBatch  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
prov_run_batch_get_run_error (ProvRunBatch *self,
                              guint         index)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), NULL);
  g_return_val_if_fail (index < self->runs->len, NULL);
  return g_ptr_array_index (self->run_errors, index);
}

guint
prov_run_batch_get_n_done (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);
  return self->done_before + (self->current && prov_run_get_engine (self->current)
                              ? prov_engine_get_n_done (prov_run_get_engine (self->current)) : 0);
}

guint
prov_run_batch_get_n_selected (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);
  return self->n_selected;
}

guint
prov_run_batch_get_n_succeeded (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);
  return self->succeeded;
}

guint
prov_run_batch_get_n_succeeded_for (ProvRunBatch *self,
                                    ProvAction    action)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);
  g_return_val_if_fail (action < PROV_N_ACTIONS, 0);
  return self->succeeded_for[action];
}

guint
prov_run_batch_get_n_unchanged (ProvRunBatch *self)
{
  guint unchanged = 0;

  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);

  for (guint i = 0; i < self->runs->len; i++)
    {
      ProvPlan *plan = prov_run_get_plan (g_ptr_array_index (self->runs, i));
      if (plan != NULL)
        unchanged += prov_plan_count (plan, PROV_ACTION_NONE);
    }
  return unchanged;
}

guint
prov_run_batch_get_n_failed (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), 0);
  return self->failed;
}

ProvEngine *
prov_run_batch_get_current_engine (ProvRunBatch *self)
{
  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), NULL);
  return self->current ? prov_run_get_engine (self->current) : NULL;
}

ProvRunBatch *
prov_run_batch_new_retry (ProvRunBatch *self)
{
  ProvRunBatch *retry;

  g_return_val_if_fail (PROV_IS_RUN_BATCH (self), NULL);

  retry = g_object_new (PROV_TYPE_RUN_BATCH, NULL);
  retry->service = g_object_ref (self->service);
  retry->n_selected = self->n_selected;
  for (guint i = 0; i < self->runs->len; i++)
    {
      ProvRun *run = g_ptr_array_index (self->runs, i);
      ProvEngine *engine = prov_run_get_engine (run);

      if (engine != NULL && prov_engine_get_n_failed (engine) > 0)
        {
          add_run (retry, prov_run_new_retry (run));
          /* Confirmed once for this target: a retry asks nothing new. */
          g_array_index (retry->confirmed, gboolean, retry->runs->len - 1) =
            g_array_index (self->confirmed, gboolean, i);
        }
    }

  if (retry->runs->len == 0)
    g_clear_object (&retry);
  return retry;
}
