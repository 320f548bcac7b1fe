/* prov-run.c — one provisioning run to one target system, start to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-run.h"

struct _ProvRun
{
  GObject           parent_instance;

  ProvTargetService *service;
  ProvSource       *source;     /* a copy with its secrets, once read */
  ProvTargetSystem *target;     /* a copy, with its secrets once prepared */
  GHashTable       *only;
  char             *state_dir;
  double            time_scale;

  GPtrArray        *users;
  gboolean          complete;
  gboolean          users_given;
  GStrv             problems;

  ProvPushState    *state;
  guint             preparing;     /* secrets, read and state's load left */
  gint64            prepare_started;
  GError           *prepare_error; /* the first of them to fail */
  ProvPlan         *plan;
  ProvEngine       *engine;
};

G_DEFINE_FINAL_TYPE (ProvRun, prov_run, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
prov_run_finalize (GObject *object)
{
  ProvRun *self = (ProvRun *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->source);
  g_clear_object (&self->target);
  g_clear_pointer (&self->only, g_hash_table_unref);
  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_strfreev);
  g_clear_object (&self->state);
  g_clear_error (&self->prepare_error);
  g_clear_object (&self->plan);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (prov_run_parent_class)->finalize (object);
}

static void
prov_run_class_init (ProvRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_run_finalize;

  /**
   * ProvRun::progress:
   * @done: users finished
   * @total: users to do
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
prov_run_init (ProvRun *self)
{
  self->time_scale = 1.0;
}

ProvRun *
prov_run_new (ProvTargetService *service,
              ProvTargetSystem  *target)
{
  ProvRun *self;

  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (service), NULL);
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  self = g_object_new (PROV_TYPE_RUN, NULL);
  self->service = g_object_ref (service);
  self->target = prov_target_system_copy (target);
  return self;
}

void
prov_run_set_users (ProvRun   *self,
                    GPtrArray *users,
                    gboolean   complete)
{
  g_return_if_fail (PROV_IS_RUN (self));

  g_clear_pointer (&self->users, g_ptr_array_unref);
  self->users = users ? g_ptr_array_ref (users) : NULL;
  self->complete = complete;
  self->users_given = users != NULL;
}

void
prov_run_set_only (ProvRun    *self,
                   GHashTable *only)
{
  g_return_if_fail (PROV_IS_RUN (self));

  g_clear_pointer (&self->only, g_hash_table_unref);
  self->only = only ? g_hash_table_ref (only) : NULL;
}

void
prov_run_set_state_dir (ProvRun    *self,
                        const char *dir)
{
  g_return_if_fail (PROV_IS_RUN (self));
  g_free (self->state_dir);
  self->state_dir = g_strdup (dir);
}

void
prov_run_set_time_scale (ProvRun *self,
                         double   scale)
{
  g_return_if_fail (PROV_IS_RUN (self));
  g_return_if_fail (scale > 0);
  self->time_scale = scale;
  if (self->source != NULL)
    prov_source_set_time_scale (self->source, scale);
}

/* Preparing */

/* The target's secrets, the source's secrets then its read, and the push
 * state's load (on a worker thread) all run at once: each keyring lookup
 * is a D-Bus round trip, and none waits for another. The plan needs them
 * all. Each holds a reference to @task. A failure of the target's comes
 * first in what the user is told: it is about the target they picked. */
static void
prepared_one (GTask    *task,
              GError   *error,
              gboolean  about_target)
{
  ProvRun *self = g_task_get_source_object (task);

  if (error != NULL && (self->prepare_error == NULL || about_target))
    {
      g_clear_error (&self->prepare_error);
      self->prepare_error = error;
    }
  else if (error != NULL)
    g_error_free (error);

  if (--self->preparing > 0)
    {
      g_object_unref (task);
      return;
    }

  if (self->prepare_error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->prepare_error));
  else
    {
      g_clear_object (&self->plan);
      self->plan = prov_plan_new (self->target, self->state, self->users, self->complete, self->only);
      g_debug ("Planned %s: %u operations, %" G_GINT64_FORMAT " ms after its secrets were asked for",
               prov_target_system_get_display_name (self->target),
               prov_plan_get_operations (self->plan)->len,
               (g_get_monotonic_time () - self->prepare_started) / 1000);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static void
state_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* A lost record is not fatal: users are matched by userName again. A
   * record that cannot be read at all is — it would duplicate users. */
  if (!prov_push_state_load_finish (PROV_PUSH_STATE (object), result, &error) &&
      g_error_matches (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE))
    g_clear_error (&error);
  prepared_one (task, error, FALSE);
}

static void
load_state (GTask *task)
{
  ProvRun *self = g_task_get_source_object (task);
  g_autofree char *state_path = prov_config_file_state_path (self->state_dir, "pushed",
                                                             prov_target_system_get_uuid (self->target),
                                                             ".json");

  g_clear_object (&self->state);
  self->state = prov_push_state_new (prov_target_system_get_uuid (self->target), state_path);
  prov_push_state_load_async (self->state, g_task_get_cancellable (task), state_loaded_cb, task);
}

static void
users_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  ProvRun *self = g_task_get_source_object (task);
  GError *error = NULL;
  GPtrArray *users;

  users = prov_source_read_users_finish (PROV_SOURCE (object), result,
                                         &self->complete, &self->problems, &error);
  if (users != NULL)
    {
      g_clear_pointer (&self->users, g_ptr_array_unref);
      self->users = users;
      /* G_MESSAGES_DEBUG=provisioner: where a run's time goes (HACKING.md). */
      g_debug ("Source read: %u users in %" G_GINT64_FORMAT " ms", users->len,
               (g_get_monotonic_time () - self->prepare_started) / 1000);
    }
  prepared_one (task, error, FALSE);
}

static void
source_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProvRun *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->source = prov_target_service_dup_source_with_secrets_finish (PROV_TARGET_SERVICE (object),
                                                                     result, &error);
  if (self->source == NULL)
    {
      prepared_one (task, error, FALSE);
      return;
    }

  prov_source_set_time_scale (self->source, self->time_scale);
  prov_source_read_users_async (self->source, prov_target_service_get_http_client (self->service),
                                g_task_get_cancellable (task), users_read_cb, task);
}

static void
target_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ProvRun *self = g_task_get_source_object (task);
  ProvTargetSystem *target;
  GError *error = NULL;

  target = prov_target_service_dup_target_with_secrets_finish (PROV_TARGET_SERVICE (object),
                                                               result, &error);
  if (target != NULL && !prov_target_system_check_secrets (target, &error))
    g_clear_object (&target);
  if (target != NULL)
    {
      /* The run's one copy of the target's secrets. */
      g_set_object (&self->target, target);
      g_object_unref (target);
    }
  prepared_one (task, error, TRUE);
}

void
prov_run_prepare_async (ProvRun             *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_RUN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_run_prepare_async);
  g_clear_error (&self->prepare_error);
  self->preparing = self->users_given ? 2 : 3;
  self->prepare_started = g_get_monotonic_time ();

  prov_target_service_dup_target_with_secrets_async (self->service, self->target, cancellable,
                                                     target_ready_cb, g_object_ref (task));
  if (!self->users_given)
    prov_target_service_dup_source_with_secrets_async (self->service, cancellable,
                                                       source_ready_cb, g_object_ref (task));
  load_state (task);
}

gboolean
prov_run_prepare_finish (ProvRun       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PROV_IS_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

ProvTargetSystem *
prov_run_get_target (ProvRun *self)
{
  g_return_val_if_fail (PROV_IS_RUN (self), NULL);
  return self->target;
}

ProvPlan *
prov_run_get_plan (ProvRun *self)
{
  g_return_val_if_fail (PROV_IS_RUN (self), NULL);
  return self->plan;
}

guint
prov_run_get_n_source_users (ProvRun *self)
{
  g_return_val_if_fail (PROV_IS_RUN (self), 0);
  return self->users ? self->users->len : 0;
}

const char * const *
prov_run_get_source_problems (ProvRun *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (PROV_IS_RUN (self), NULL);
  return self->problems ? (const char * const *) self->problems : none;
}

/* Running */

static void
engine_progress_cb (ProvRun *self,
                    guint    done,
                    guint    total)
{
  g_signal_emit (self, signals[PROGRESS], 0, done, total);
}

static void
engine_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (prov_engine_run_finish (PROV_ENGINE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
engine_start (GTask       *task,
              ProvJournal *journal)
{
  ProvRun *self = g_task_get_source_object (task);

  self->engine = prov_engine_new (prov_target_service_get_http_client (self->service),
                                  self->target, self->state, journal);
  prov_engine_set_time_scale (self->engine, self->time_scale);
  g_signal_connect_object (self->engine, "progress", G_CALLBACK (engine_progress_cb),
                           self, G_CONNECT_SWAPPED);
  prov_engine_run_async (self->engine, self->plan, g_task_get_cancellable (task),
                         engine_done_cb, task);
}

static void
journal_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(ProvJournal) journal = NULL;
  GError *error = NULL;

  journal = prov_journal_new_run_finish (result, &error);
  if (journal == NULL)
    {
      /* Without a journal nobody could tell later what happened. */
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  engine_start (task, journal);
}

/* Starts the journal of @task's run, in the run's state folder. */
static void
open_journal (GTask               *task,
              GAsyncReadyCallback  callback)
{
  ProvRun *self = g_task_get_source_object (task);
  g_autofree char *journal_dir = NULL;

  if (self->state_dir != NULL)
    journal_dir = g_build_filename (self->state_dir, "journal", NULL);
  prov_journal_new_run_async (journal_dir, self->target,
                              self->only ? "selected-users" : "all-users",
                              g_task_get_cancellable (task), callback, task);
}

void
prov_run_execute_async (ProvRun             *self,
                        gboolean             confirmed,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PROV_IS_RUN (self));
  g_return_if_fail (self->plan != NULL);
  g_return_if_fail (self->engine == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_run_execute_async);

  if (prov_plan_needs_confirmation (self->plan) && !confirmed)
    {
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_NOT_CONFIRMED,
                               _("This run would deactivate or delete more users than the threshold allows; confirm it first."));
      return;
    }

  open_journal (g_steal_pointer (&task), journal_opened_cb);
}

gboolean
prov_run_execute_finish (ProvRun       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PROV_IS_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A run that could not start */

static void
not_started_flushed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (prov_journal_flush_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
not_started_opened_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(ProvJournal) journal = NULL;
  GError *error = NULL;

  journal = prov_journal_new_run_finish (result, &error);
  if (journal == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  prov_journal_finish_not_started (journal, g_task_get_task_data (task));
  prov_journal_flush_async (journal, NULL, not_started_flushed_cb, g_object_ref (task));
  /* Kept until the flush is done: its queue writes the lines. */
  g_task_set_task_data (task, g_steal_pointer (&journal), g_object_unref);
}

void
prov_run_record_not_started_async (ProvRun             *self,
                                   const char          *message,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_RUN (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_run_record_not_started_async);
  g_task_set_task_data (task, g_strdup (message), g_free);
  open_journal (task, not_started_opened_cb);
}

gboolean
prov_run_record_not_started_finish (ProvRun       *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

ProvEngine *
prov_run_get_engine (ProvRun *self)
{
  g_return_val_if_fail (PROV_IS_RUN (self), NULL);
  return self->engine;
}

ProvRun *
prov_run_new_retry (ProvRun *self)
{
  g_autoptr(GPtrArray) operations = NULL;
  GPtrArray *failures;
  ProvRun *retry;

  g_return_val_if_fail (PROV_IS_RUN (self), NULL);
  g_return_val_if_fail (self->engine != NULL, NULL);

  failures = prov_engine_get_failures (self->engine);
  operations = g_ptr_array_new ();
  for (guint i = 0; i < failures->len; i++)
    g_ptr_array_add (operations, ((ProvFailure *) g_ptr_array_index (failures, i))->operation);

  retry = prov_run_new (self->service, self->target);
  /* The same copy with secrets: a retry asks the keyring nothing new. */
  g_set_object (&retry->target, self->target);
  retry->time_scale = self->time_scale;
  retry->state_dir = g_strdup (self->state_dir);
  retry->state = g_object_ref (self->state);
  retry->plan = prov_plan_new_for_operations (self->target, operations);
  return retry;
}

char *
prov_run_dup_summary (ProvRun *self)
{
  guint n;

  g_return_val_if_fail (PROV_IS_RUN (self), NULL);

  n = self->engine ? prov_engine_get_n_succeeded (self->engine) : 0;
  return g_strdup_printf (ngettext ("%u user provisioned", "%u users provisioned", n), n);
}
