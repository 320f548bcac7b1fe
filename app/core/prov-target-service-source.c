/* prov-target-service-source.c — the source of users: its lifecycle
 *
 * The part of ProvTargetService for the source: save (keyring, then
 * source.json), test, and a copy with secrets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-target-service-private.h"

/* The source of users */

void
prov_target_service_dup_source_with_secrets_async (ProvTargetService   *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  ProvSource *copy;
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_dup_source_with_secrets_async);
  copy = prov_source_copy (self->source);
  g_task_set_task_data (task, copy, g_object_unref);

  /* A CSV file needs no keyring, so it works without one. */
  if (prov_source_get_kind (copy) == PROV_SOURCE_KIND_CSV)
    {
      g_task_return_pointer (task, g_object_ref (copy), g_object_unref);
      g_object_unref (task);
      return;
    }

  prov_secret_store_load_target_async (self->secrets, prov_source_get_connection (copy),
                                       cancellable, prov_target_service_return_data_cb, task);
}

ProvSource *
prov_target_service_dup_source_with_secrets_finish (ProvTargetService  *self,
                                                    GAsyncResult       *result,
                                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  ProvSource *edited;     /* a snapshot, with secrets */
  ProvSource *previous;   /* with its secrets, to roll back */
  char       *path;
  GError     *error;      /* of the file, while the keyring rolls back */
} SourceSaveOp;

static void
source_save_op_free (SourceSaveOp *op)
{
  g_clear_object (&op->edited);
  g_clear_object (&op->previous);
  g_free (op->path);
  g_clear_error (&op->error);
  g_free (op);
}

static void
source_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SourceSaveOp *op = task_data;
  GError *error = NULL;

  /* Only this thread touches op->edited while it runs. */
  if (prov_source_save (op->edited, op->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
source_rolled_back_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SourceSaveOp *op = g_task_get_task_data (task);

  prov_target_service_rollback_cb (object, result, NULL);
  g_task_return_error (task, g_steal_pointer (&op->error));
}

static void
source_file_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  SourceSaveOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The file kept its old contents; the keyring goes back too. */
      op->error = error;
      prov_secret_store_save_target_async (self->secrets, prov_source_get_connection (op->previous),
                                           NULL, source_rolled_back_cb, g_steal_pointer (&task));
      return;
    }

  prov_source_assign (self->source, op->edited);
  prov_target_service_forget_secrets (prov_source_get_connection (self->source));
  g_task_return_boolean (task, TRUE);
}

static void
source_secrets_written_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  SourceSaveOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  GTask *file_task;

  if (!prov_secret_store_save_target_finish (PROV_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  file_task = g_task_new (self, NULL, source_file_saved_cb, task);
  g_task_set_task_data (file_task, op, NULL);
  g_task_run_in_thread (file_task, source_file_thread);
  g_object_unref (file_task);
}

static void
source_previous_read_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  SourceSaveOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->previous = prov_target_service_dup_source_with_secrets_finish (self, result, &error);
  if (op->previous == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* Secrets first: a refusing keyring leaves the file as it was. */
  prov_secret_store_save_target_async (self->secrets, prov_source_get_connection (op->edited),
                                       g_task_get_cancellable (task),
                                       source_secrets_written_cb, task);
}

void
prov_target_service_save_source_async (ProvTargetService   *self,
                                       ProvSource          *edited,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SourceSaveOp *op;
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (PROV_IS_SOURCE (edited));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_save_source_async);

  op = g_new0 (SourceSaveOp, 1);
  op->edited = prov_source_copy (edited);
  op->path = g_strdup (self->source_path);
  g_task_set_task_data (task, op, (GDestroyNotify) source_save_op_free);

  prov_target_service_dup_source_with_secrets_async (self, cancellable, source_previous_read_cb, task);
}

gboolean
prov_target_service_save_source_finish (ProvTargetService  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
source_tested_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *said;

  if ((said = prov_source_test_finish (PROV_SOURCE (object), result, &error)) != NULL)
    g_task_return_pointer (task, said, g_free);
  else
    g_task_return_error (task, error);
}

static void
source_test_copy_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  g_autoptr(ProvSource) copy = NULL;
  GError *error = NULL;

  copy = prov_target_service_dup_source_with_secrets_finish (self, result, &error);
  if (copy == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  prov_source_test_async (copy, self->client, g_task_get_cancellable (task), source_tested_cb, task);
}

void
prov_target_service_test_source_async (ProvTargetService   *self,
                                       ProvSource          *edited,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (edited == NULL || PROV_IS_SOURCE (edited));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_test_source_async);

  if (edited == NULL)
    {
      prov_target_service_dup_source_with_secrets_async (self, cancellable, source_test_copy_cb, task);
      return;
    }

  {
    /* A copy: the person may go on typing while the test runs. */
    g_autoptr(ProvSource) copy = prov_source_copy (edited);
    prov_source_test_async (copy, self->client, cancellable, source_tested_cb, task);
  }
}

char *
prov_target_service_test_source_finish (ProvTargetService  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
