/* prov-target-service.c — the lifecycle of targets and of the source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-connection-record.h"
#include "prov-error.h"
#include "prov-target-service-private.h"

G_DEFINE_FINAL_TYPE (ProvTargetService, prov_target_service, G_TYPE_OBJECT)

static void commit_deletion (ProvTargetService *self,
                             GTask             *task);

static void
deleted_target_clear (DeletedTarget *deleted)
{
  g_clear_object (&deleted->target);
}

void
prov_target_service_forget_secrets (ProvTargetSystem *target)
{
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (prov_field_is_secret (i) && *prov_target_system_get_text (target, i) != '\0')
      prov_target_system_set_text (target, i, NULL);
}

guint
prov_target_service_get_saves (ProvTargetService *self,
                               ProvTargetSystem  *target)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->saves, prov_target_system_get_uuid (target)));
}

static void
prov_target_service_dispose (GObject *object)
{
  ProvTargetService *self = (ProvTargetService *)object;

  /* Nobody can undo any more. */
  if (self->deleted != NULL && self->deleted->len > 0)
    commit_deletion (self, NULL);

  G_OBJECT_CLASS (prov_target_service_parent_class)->dispose (object);
}

static void
prov_target_service_finalize (GObject *object)
{
  ProvTargetService *self = (ProvTargetService *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->client);
  g_clear_object (&self->source);
  g_clear_pointer (&self->source_path, g_free);
  g_clear_pointer (&self->deleted, g_array_unref);
  g_clear_pointer (&self->saves, g_hash_table_unref);
  g_clear_pointer (&self->record_path, g_free);
  g_clear_object (&self->record_queue);
  g_clear_pointer (&self->record_changed, g_hash_table_unref);
  g_clear_object (&self->record_watch);
  g_clear_pointer (&self->record_stamp, g_free);

  G_OBJECT_CLASS (prov_target_service_parent_class)->finalize (object);
}

static void
prov_target_service_class_init (ProvTargetServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = prov_target_service_dispose;
  object_class->finalize = prov_target_service_finalize;
}

static void
prov_target_service_init (ProvTargetService *self)
{
  self->deleted = g_array_new (FALSE, TRUE, sizeof (DeletedTarget));
  g_array_set_clear_func (self->deleted, (GDestroyNotify) deleted_target_clear);
  self->saves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->record_queue = prov_write_queue_new ();
  self->record_changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ProvTargetService *
prov_target_service_new (ProvTargetStore *store,
                         ProvSecretStore *secrets,
                         ProvHttpClient  *client,
                         ProvSource      *source,
                         const char      *source_path)
{
  ProvTargetService *self;

  g_return_val_if_fail (PROV_IS_TARGET_STORE (store), NULL);
  g_return_val_if_fail (PROV_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (PROV_IS_HTTP_CLIENT (client), NULL);
  g_return_val_if_fail (source == NULL || PROV_IS_SOURCE (source), NULL);

  self = g_object_new (PROV_TYPE_TARGET_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->client = g_object_ref (client);
  self->source = source ? g_object_ref (source) : prov_source_new ();
  self->read_source = source == NULL;
  self->source_path = g_strdup (source_path);
  return self;
}

ProvTargetService *
prov_target_service_new_default (void)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (NULL);
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  ProvTargetService *self = prov_target_service_new (store, secrets, prov_http_client_get_default (), NULL, NULL);

  self->record_path = prov_connection_record_default_path ();
  return self;
}


ProvTargetStore *
prov_target_service_get_store (ProvTargetService *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (self), NULL);
  return self->store;
}

ProvSource *
prov_target_service_get_source (ProvTargetService *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (self), NULL);
  return self->source;
}

ProvHttpClient *
prov_target_service_get_http_client (ProvTargetService *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (self), NULL);
  return self->client;
}

/* Loading */

static void
return_loaded (GTask *task)
{
  GError *file_error = g_task_get_task_data (task);

  if (file_error != NULL)
    g_task_return_error (task, g_error_copy (file_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
migrated_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Old items stay where they are and move when next read. */
  if (!prov_secret_store_migrate_finish (PROV_SECRET_STORE (object), result, &error))
    g_debug ("Keyring items were not moved now: %s", error->message);
  return_loaded (task);
}

static void
targets_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  GError *error = NULL;
  GError *source_error = NULL;

  prov_target_store_load_finish (PROV_TARGET_STORE (object), result, &error);
  /* A small state file: how the last Test Connection of each went. */
  if (self->record_path != NULL)
    prov_connection_record_apply (G_LIST_MODEL (self->store), self->record_path);

  /* A small local file beside targets.json. */
  if (self->read_source && !prov_source_load (self->source, self->source_path, &source_error))
    {
      if (error == NULL)
        error = g_steal_pointer (&source_error);
      g_clear_error (&source_error);
    }
  prov_target_service_forget_secrets (prov_source_get_connection (self->source));

  g_task_set_task_data (task, error, error ? (GDestroyNotify) g_error_free : NULL);
  if (self->skip_migration)
    {
      return_loaded (task);
      g_object_unref (task);
      return;
    }
  prov_secret_store_migrate_async (self->secrets, g_task_get_cancellable (task), migrated_cb, task);
}

void
prov_target_service_set_skip_migration (ProvTargetService *self,
                                        gboolean           skip)
{
  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  self->skip_migration = skip;
}

void
prov_target_service_load_async (ProvTargetService   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_load_async);
  prov_target_store_load_async (self->store, cancellable, targets_loaded_cb, task);
}

gboolean
prov_target_service_load_finish (ProvTargetService  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Saving a target */

typedef struct
{
  ProvTargetSystem *edited;    /* a snapshot, with secrets */
  ProvTargetSystem *target;    /* the store's, once saved */
  ProvTargetSystem *previous;  /* its values and secrets before; NULL if new */
  gboolean          created;
  gboolean          changed;   /* its values: the last test describes others */
  GError           *error;     /* of the file, while the keyring rolls back */
} SaveOp;

static void
save_op_free (SaveOp *op)
{
  g_clear_object (&op->edited);
  g_clear_object (&op->target);
  g_clear_object (&op->previous);
  g_clear_error (&op->error);
  g_free (op);
}

void
prov_target_service_rollback_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (g_async_result_is_tagged (result, prov_secret_store_clear_target_async))
    prov_secret_store_clear_target_finish (PROV_SECRET_STORE (object), result, &error);
  else
    prov_secret_store_save_target_finish (PROV_SECRET_STORE (object), result, &error);

  if (error != NULL)
    g_debug ("Could not roll back secrets: %s", error->message);
}

/* Ends a save that failed once the keyring is back to what it held. */
static void
save_rolled_back_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveOp *op = g_task_get_task_data (task);

  prov_target_service_rollback_cb (object, result, NULL);
  g_task_return_error (task, g_steal_pointer (&op->error));
}

static void
save_recorded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveOp *op = g_task_get_task_data (task);

  prov_target_service_record_finish (result);
  g_task_return_pointer (task, g_object_ref (op->target), g_object_unref);
}

static void
file_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  SaveOp *op = g_task_get_task_data (task);

  if (prov_target_store_save_finish (PROV_TARGET_STORE (object), result, &op->error))
    {
      if (op->changed)
        prov_target_service_record_connections (self, op->target, save_recorded_cb, task);
      else
        {
          g_task_return_pointer (task, g_object_ref (op->target), g_object_unref);
          g_object_unref (task);
        }
      return;
    }

  /* The file kept its previous contents: memory and keyring follow it. */
  if (op->created)
    {
      prov_target_store_remove (self->store, op->target, NULL);
      prov_secret_store_clear_target_async (self->secrets, prov_target_system_get_uuid (op->target),
                                            NULL, save_rolled_back_cb, task);
    }
  else
    {
      ProvConnectionStatus status = prov_target_system_get_connection_status (op->target);

      prov_target_system_assign (op->target, op->previous);
      prov_target_service_forget_secrets (op->target);
      if (status == PROV_CONNECTION_STATUS_UNKNOWN)
        prov_target_system_set_connection_status (op->target,
                                                  prov_target_system_get_connection_status (op->previous),
                                                  prov_target_system_get_connection_message (op->previous));
      prov_target_store_changed (self->store, op->target);
      prov_secret_store_save_target_async (self->secrets, op->previous, NULL,
                                           save_rolled_back_cb, task);
    }
}

static void
save_secrets_written_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  SaveOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  guint saves;

  /* Nothing was written to the file: the target is not half saved. */
  if (!prov_secret_store_save_target_finish (PROV_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  op->target = prov_target_store_find_by_uuid (self->store, prov_target_system_get_uuid (op->edited), NULL);
  if (op->target == NULL)
    {
      op->created = TRUE;
      op->target = prov_target_system_copy (op->edited);
      prov_target_service_forget_secrets (op->target);
      prov_target_store_append (self->store, op->target);
    }
  else
    {
      g_object_ref (op->target);
      /* An old test result says nothing about new values. */
      if (op->previous == NULL || !prov_target_system_equal (op->previous, op->edited))
        {
          prov_target_system_set_connection_status (op->target, PROV_CONNECTION_STATUS_UNKNOWN, NULL);
          op->changed = TRUE;
        }
      prov_target_system_assign (op->target, op->edited);
      prov_target_service_forget_secrets (op->target);
      prov_target_store_changed (self->store, op->target);
    }

  saves = prov_target_service_get_saves (self, op->target);
  g_hash_table_insert (self->saves, g_strdup (prov_target_system_get_uuid (op->target)),
                       GUINT_TO_POINTER (saves + 1));

  /* Not cancellable: once memory changed, the file must follow or roll back. */
  prov_target_store_save_async (self->store, NULL, file_saved_cb, task);
}

static void
save_previous_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  SaveOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  /* Without the secrets before, a failed save could not put them back. */
  if (!prov_secret_store_load_target_finish (PROV_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  prov_secret_store_save_target_async (self->secrets, op->edited, g_task_get_cancellable (task),
                                       save_secrets_written_cb, task);
}

void
prov_target_service_save_target_async (ProvTargetService   *self,
                                       ProvTargetSystem    *edited,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  ProvTargetSystem *existing;
  char **reasons = NULL;
  GTask *task;
  SaveOp *op;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (edited));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_save_target_async);

  if (!prov_target_system_validate (edited, G_LIST_MODEL (self->store), &reasons))
    {
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        if (reasons[i] != NULL)
          {
            g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                                     _("%s: %s"),
                                     prov_field_get_title (i, prov_target_system_get_kind (edited)),
                                     reasons[i]);
            break;
          }
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        g_free (reasons[i]);
      g_free (reasons);
      g_object_unref (task);
      return;
    }
  g_free (reasons);

  op = g_new0 (SaveOp, 1);
  /* A snapshot: edits after this call do not change what gets saved. */
  op->edited = prov_target_system_copy (edited);
  g_task_set_task_data (task, op, (GDestroyNotify) save_op_free);

  existing = prov_target_store_find_by_uuid (self->store, prov_target_system_get_uuid (edited), NULL);
  if (existing == NULL)
    {
      /* Secrets first: a refusing keyring must leave the file untouched. */
      prov_secret_store_save_target_async (self->secrets, op->edited, cancellable,
                                           save_secrets_written_cb, task);
      return;
    }

  op->previous = prov_target_system_copy (existing);
  prov_target_system_set_connection_status (op->previous,
                                            prov_target_system_get_connection_status (existing),
                                            prov_target_system_get_connection_message (existing));
  prov_secret_store_load_target_async (self->secrets, op->previous, cancellable,
                                       save_previous_read_cb, task);
}

ProvTargetSystem *
prov_target_service_save_target_finish (ProvTargetService  *self,
                                        GAsyncResult       *result,
                                        gboolean           *created,
                                        GError            **error)
{
  SaveOp *op;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  op = g_task_get_task_data (G_TASK (result));
  if (created != NULL)
    *created = op != NULL && op->created;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Deleting */

static void
deletion_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (prov_target_store_save_finish (PROV_TARGET_STORE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
prov_target_service_delete_targets_async (ProvTargetService   *self,
                                          GPtrArray           *targets,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (targets != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_delete_targets_async);

  /* Only one deletion can be undone at a time. */
  if (self->deleted->len > 0)
    commit_deletion (self, NULL);

  for (guint i = 0; i < targets->len; i++)
    {
      DeletedTarget deleted = { g_object_ref (g_ptr_array_index (targets, i)), 0 };

      if (prov_target_store_remove (self->store, deleted.target, &deleted.position))
        g_array_append_val (self->deleted, deleted);
      else
        g_object_unref (deleted.target);
    }

  /* The file changes at once; only the secrets wait for Undo. */
  prov_target_store_save_async (self->store, NULL, deletion_saved_cb, task);
}

gboolean
prov_target_service_delete_targets_finish (ProvTargetService  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
prov_target_service_can_undo (ProvTargetService *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (self), FALSE);
  return self->deleted->len > 0;
}

void
prov_target_service_undo_delete_async (ProvTargetService   *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  ProvTargetSystem *first = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_undo_delete_async);

  if (self->deleted->len == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  /* Reinserted in reverse removal order, each lands where it was. */
  for (guint i = self->deleted->len; i > 0; i--)
    {
      DeletedTarget *deleted = &g_array_index (self->deleted, DeletedTarget, i - 1);
      prov_target_store_insert (self->store, deleted->position, deleted->target);
      first = deleted->target;
    }
  g_task_set_task_data (task, g_object_ref (first), g_object_unref);
  g_array_set_size (self->deleted, 0);

  prov_target_store_save_async (self->store, NULL, prov_target_service_return_data_cb, task);
}

ProvTargetSystem *
prov_target_service_undo_delete_finish (ProvTargetService  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GTask        *task;        /* NULL when nobody waits */
  GApplication *application;
  guint         pending;
  GError       *error;
} Wipe;

static void
wiped_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wipe *wipe = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_secret_store_clear_target_finish (PROV_SECRET_STORE (object), result, &error))
    {
      g_debug ("Could not remove the secrets of a deleted target system: %s", error->message);
      if (wipe->error == NULL)
        wipe->error = g_steal_pointer (&error);
    }

  if (--wipe->pending > 0)
    return;

  if (wipe->task != NULL)
    {
      if (wipe->error != NULL)
        g_task_return_error (wipe->task, g_steal_pointer (&wipe->error));
      else
        g_task_return_boolean (wipe->task, TRUE);
      g_object_unref (wipe->task);
    }
  g_clear_error (&wipe->error);
  if (wipe->application != NULL)
    {
      g_application_release (wipe->application);
      g_object_unref (wipe->application);
    }
  g_free (wipe);
}

/* Wipes the secrets of the pending deletion. @task, if any, returns when
 * the keyring is done. */
static void
commit_deletion (ProvTargetService *self,
                 GTask             *task)
{
  GApplication *application = g_application_get_default ();
  g_autoptr(ProvSecretStore) secrets = NULL;
  Wipe *wipe;

  if (self->deleted->len == 0)
    {
      if (task != NULL)
        {
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
      return;
    }

  /* Without a task the wipe may outlive the service (its end): it then
   * keeps a keyring handle of its own, not the one the service was given. */
  secrets = task != NULL ? g_object_ref (self->secrets) : prov_secret_store_new ();

  wipe = g_new0 (Wipe, 1);
  wipe->task = task;
  wipe->pending = self->deleted->len;
  /* The secrets must go even when the last window just closed. */
  if (application != NULL)
    {
      wipe->application = g_object_ref (application);
      g_application_hold (application);
    }

  for (guint i = 0; i < self->deleted->len; i++)
    {
      DeletedTarget *deleted = &g_array_index (self->deleted, DeletedTarget, i);

      prov_secret_store_clear_target_async (secrets, prov_target_system_get_uuid (deleted->target),
                                            NULL, wiped_cb, wipe);
    }
  g_array_set_size (self->deleted, 0);
}

void
prov_target_service_commit_deletion_async (ProvTargetService   *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_commit_deletion_async);
  commit_deletion (self, task);
}

gboolean
prov_target_service_commit_deletion_finish (ProvTargetService  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A copy with secrets */

void
prov_target_service_return_data_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean done;

  if (PROV_IS_TARGET_STORE (object))
    done = prov_target_store_save_finish (PROV_TARGET_STORE (object), result, &error);
  else
    done = prov_secret_store_load_target_finish (PROV_SECRET_STORE (object), result, &error);

  if (done)
    g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
  else
    g_task_return_error (task, error);
}

void
prov_target_service_dup_target_with_secrets_async (ProvTargetService   *self,
                                                   ProvTargetSystem    *target,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  ProvTargetSystem *copy;
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_dup_target_with_secrets_async);
  copy = prov_target_system_copy (target);
  g_task_set_task_data (task, copy, g_object_unref);
  prov_secret_store_load_target_async (self->secrets, copy, cancellable,
                                       prov_target_service_return_data_cb, task);
}

ProvTargetSystem *
prov_target_service_dup_target_with_secrets_finish (ProvTargetService  *self,
                                                    GAsyncResult       *result,
                                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
