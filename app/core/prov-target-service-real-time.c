/* prov-target-service-real-time.c — what turning real-time provisioning on
 * would push at once
 *
 * Real-time provisioning pushes every user of the source that the target
 * has not received yet at its first check. For a target that was never
 * provisioned that is the whole source, so the front ends show this plan
 * (the window) or require --yes (the command line) before saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-error.h"
#include "prov-target-service-private.h"

typedef struct
{
  ProvTargetSystem *edited;   /* a snapshot of the values to be saved */
  ProvPushState    *state;
  ProvSource       *source;
} RealTimeOp;

static void
real_time_op_free (RealTimeOp *op)
{
  g_clear_object (&op->edited);
  g_clear_object (&op->state);
  g_clear_object (&op->source);
  g_free (op);
}

static void
users_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RealTimeOp *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(ProvPlan) plan = NULL;
  GError *error = NULL;
  gboolean complete = FALSE;

  users = prov_source_read_users_finish (op->source, result, &complete, NULL, &error);
  if (users == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* No active user in the source: nothing is pushed at once, so there is
   * nothing to confirm either. */
  plan = prov_plan_new (op->edited, op->state, users, complete, NULL);
  if (prov_plan_get_operations (plan)->len == 0)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, g_steal_pointer (&plan), g_object_unref);
}

static void
source_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetService *self = PROV_TARGET_SERVICE (object);
  RealTimeOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->source = prov_target_service_dup_source_with_secrets_finish (self, result, &error);
  if (op->source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  prov_source_read_users_async (op->source, self->client, g_task_get_cancellable (task),
                                users_read_cb, g_object_ref (task));
}

static void
state_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  RealTimeOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  /* A damaged state was moved aside: what it held is found again by
   * userName, so the plan below is still the truth. */
  if (!prov_push_state_load_finish (op->state, result, &error) &&
      !g_error_matches (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  /* Provisioned before: real time pushes only what changes from now on. */
  if (prov_push_state_get_n_users (op->state) > 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  prov_target_service_dup_source_with_secrets_async (self, g_task_get_cancellable (task),
                                                     source_ready_cb, g_object_ref (task));
}

void
prov_target_service_plan_real_time_async (ProvTargetService   *self,
                                          ProvTargetSystem    *edited,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProvTargetSystem *saved;
  RealTimeOp *op;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (edited));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_plan_real_time_async);

  /* Off, or on already: turning nothing on pushes nothing at once. */
  saved = prov_target_store_find_by_uuid (self->store, prov_target_system_get_uuid (edited), NULL);
  if (!prov_target_system_get_real_time (edited) ||
      (saved != NULL && prov_target_system_get_real_time (saved)))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  op = g_new0 (RealTimeOp, 1);
  op->edited = prov_target_system_copy (edited);
  op->state = prov_push_state_new (prov_target_system_get_uuid (edited), NULL);
  g_task_set_task_data (task, op, (GDestroyNotify) real_time_op_free);
  prov_push_state_load_async (op->state, cancellable, state_loaded_cb, g_steal_pointer (&task));
}

ProvPlan *
prov_target_service_plan_real_time_finish (ProvTargetService  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
