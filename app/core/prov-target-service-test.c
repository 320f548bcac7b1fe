/* prov-target-service-test.c — Test Connection of saved targets, and the
 * record of each one's last outcome
 *
 * Part of ProvTargetService (prov-target-service.c): the outcome is set on
 * the store's target (the sidebar shows it) and kept in a state file
 * (prov-connection-record.h) so that it is still shown after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-connection-record.h"
#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-target-service-private.h"
#include "prov-target-validation.h"

/* The record of connection tests */

void
prov_target_service_set_connection_record (ProvTargetService *self,
                                           const char        *path)
{
  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));

  g_free (self->record_path);
  self->record_path = g_strdup (path);
}

/* Another process recorded a test (a timer's `test --all`), or this one
 * did: what is newer shows. */
static void
record_changed_on_disk_cb (ProvTargetService *self,
                           const char        *stamp)
{
  if (g_strcmp0 (stamp, self->record_stamp) == 0)
    return;
  g_free (self->record_stamp);
  self->record_stamp = g_strdup (stamp);
  prov_connection_record_apply (G_LIST_MODEL (self->store), self->record_path);
}

void
prov_target_service_watch_connection_record (ProvTargetService *self)
{
  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));

  if (self->record_path == NULL || self->record_watch != NULL)
    return;
  self->record_watch = prov_file_watch_new (self->record_path);
  g_signal_connect_object (self->record_watch, "changed", G_CALLBACK (record_changed_on_disk_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
record_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* It describes, it configures nothing: a failure only loses a display. */
  if (!prov_write_queue_flush_finish (result, &error))
    g_debug ("Connection tests not recorded: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
prov_target_service_record_connections (ProvTargetService   *self,
                                        ProvTargetSystem    *changed,
                                        GAsyncReadyCallback  then,
                                        gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, then, user_data);

  g_task_set_source_tag (task, prov_target_service_record_connections);
  if (self->record_path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_hash_table_add (self->record_changed, g_strdup (prov_target_system_get_uuid (changed)));
  prov_connection_record_queue_write (self->record_queue, G_LIST_MODEL (self->store),
                                      self->record_changed, self->record_path);
  prov_write_queue_flush_async (self->record_queue, NULL, record_written_cb, task);
}

void
prov_target_service_record_finish (GAsyncResult *result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

/* Test Connection */

typedef struct
{
  ProvTargetSystem *target;   /* the store's */
  guint             saves;
  GError           *error;    /* the outcome, while it is recorded */
} TestOp;

static void
test_op_free (TestOp *op)
{
  g_clear_object (&op->target);
  g_clear_error (&op->error);
  g_free (op);
}

static void
test_recorded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestOp *op = g_task_get_task_data (task);

  prov_target_service_record_finish (result);
  if (op->error != NULL)
    g_task_return_error (task, g_steal_pointer (&op->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Records the outcome on the store's target, which the sidebar shows,
 * and ends the test; @error NULL for success. */
static void
test_done (GTask  *task,
           GError *error)
{
  ProvTargetService *self = g_task_get_source_object (task);
  TestOp *op = g_task_get_task_data (task);
  /* A result for values saved over since describes nothing. */
  gboolean current = prov_target_service_get_saves (self, op->target) == op->saves &&
    prov_target_store_find_by_uuid (self->store, prov_target_system_get_uuid (op->target), NULL) == op->target;

  if (!current || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  if (error == NULL)
    prov_target_system_set_connection_status (op->target, PROV_CONNECTION_STATUS_OK,
                                              prov_connection_test_success_message ());
  else
    prov_target_system_set_connection_status (op->target, PROV_CONNECTION_STATUS_FAILED, error->message);
  /* Done once on disk: a command's process ends right after. */
  op->error = error;
  prov_target_service_record_connections (self, op->target, test_recorded_cb, g_object_ref (task));
}

static void
target_tested_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  test_done (task, prov_connection_test_finish (result, &error) ? NULL : error);
}

static void
test_copy_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  g_autoptr(ProvTargetSystem) copy = NULL;
  GError *error = NULL;

  copy = prov_target_service_dup_target_with_secrets_finish (self, result, &error);
  if (copy == NULL)
    {
      /* The keyring failed, not the target: its last outcome stays. */
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* A secret never saved is the target's own failure, as a refusal is. */
  if (!prov_target_system_check_secrets (copy, &error))
    {
      test_done (task, error);
      g_object_unref (task);
      return;
    }

  prov_connection_test_async (self->client, copy, g_task_get_cancellable (task),
                              target_tested_cb, task);
}

void
prov_target_service_test_target_async (ProvTargetService   *self,
                                       ProvTargetSystem    *target,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  TestOp *op;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_test_target_async);
  op = g_new0 (TestOp, 1);
  op->target = g_object_ref (target);
  op->saves = prov_target_service_get_saves (self, target);
  g_task_set_task_data (task, op, (GDestroyNotify) test_op_free);

  /* The secrets come fresh from the keyring: it is what a run would use. */
  prov_target_service_dup_target_with_secrets_async (self, target, cancellable,
                                                     test_copy_ready_cb, task);
}

gboolean
prov_target_service_test_target_finish (ProvTargetService  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Several targets at once */

typedef struct
{
  GPtrArray *errors;    /* of GError, NULL for a target that connected */
  guint      pending;
} TestAll;

static void
error_free0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
test_all_free (TestAll *all)
{
  g_ptr_array_unref (all->errors);
  g_free (all);
}

typedef struct
{
  GTask *task;
  guint  index;
} TestOne;

static void
one_tested_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TestOne *one = user_data;
  g_autoptr(GTask) task = one->task;
  TestAll *all = g_task_get_task_data (task);
  GError *error = NULL;

  if (!prov_target_service_test_target_finish (PROV_TARGET_SERVICE (object), result, &error))
    g_ptr_array_index (all->errors, one->index) = error;
  g_free (one);
  if (--all->pending == 0)
    g_task_return_pointer (task, g_ptr_array_ref (all->errors), (GDestroyNotify) g_ptr_array_unref);
}

void
prov_target_service_test_targets_async (ProvTargetService   *self,
                                        GPtrArray           *targets,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TestAll *all;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (targets != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_test_targets_async);
  all = g_new0 (TestAll, 1);
  all->errors = g_ptr_array_new_full (targets->len, error_free0);
  g_ptr_array_set_size (all->errors, targets->len);
  all->pending = targets->len;
  g_task_set_task_data (task, all, (GDestroyNotify) test_all_free);
  if (targets->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (all->errors), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* All at once: each waits on its own server, not on the others. */
  for (guint i = 0; i < targets->len; i++)
    {
      TestOne *one = g_new0 (TestOne, 1);

      one->task = g_object_ref (task);
      one->index = i;
      prov_target_service_test_target_async (self, g_ptr_array_index (targets, i), cancellable,
                                             one_tested_cb, one);
    }
}

GPtrArray *
prov_target_service_test_targets_finish (ProvTargetService  *self,
                                         GAsyncResult       *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
