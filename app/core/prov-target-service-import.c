/* prov-target-service-import.c — new targets made from others: exported
 * ones (without secrets) and duplicates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-error.h"
#include "prov-target-service-import.h"
#include "prov-target-service-private.h"
#include "prov-target-validation.h"

/* The first field @target fails, named with the target: a file of many
 * targets must say which one stopped the import. */
static GError *
check_target (ProvTargetSystem *target,
              guint             position,
              GListModel       *others)
{
  const char *name = prov_target_system_get_display_name (target);

  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    {
      g_autofree char *reason = NULL;
      const char *title;

      if (prov_field_is_secret (field) || !prov_target_system_field_is_visible (target, field))
        continue;
      reason = prov_target_system_check_field (target, field, others);
      if (reason == NULL)
        continue;
      title = prov_field_get_title (field, prov_target_system_get_kind (target));
      if (*name == '\0')
        /* Translators: the target's position in the file, a field's title, why its value is wrong */
        return g_error_new (PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                            _("Nothing was imported. Target system %u in the file: %s: %s"),
                            position, title, reason);
      /* Translators: a target's name, a field's title, why its value is wrong */
      return g_error_new (PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                          _("Nothing was imported. “%s”: %s: %s"), name, title, reason);
    }
  return NULL;
}

static void
imported_file_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetService *self = g_task_get_source_object (task);
  GPtrArray *added = g_task_get_task_data (task);
  GError *error = NULL;

  if (prov_target_store_save_finish (PROV_TARGET_STORE (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The file kept its previous contents: so does the list. */
  for (guint i = 0; i < added->len; i++)
    prov_target_store_remove (self->store, g_ptr_array_index (added, i), NULL);
  g_task_return_error (task, error);
}

void
prov_target_service_import_targets_async (ProvTargetService   *self,
                                          GPtrArray           *targets,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GListStore) others = g_list_store_new (PROV_TYPE_TARGET_SYSTEM);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *store;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (targets != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_import_targets_async);

  store = G_LIST_MODEL (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (store, i);
      g_list_store_append (others, target);
    }

  for (guint i = 0; i < targets->len; i++)
    {
      g_autoptr(ProvTargetSystem) copy = prov_target_system_copy (g_ptr_array_index (targets, i));
      GError *error;

      prov_target_service_forget_secrets (copy);
      if (prov_target_store_find_by_uuid (self->store, prov_target_system_get_uuid (copy), NULL) != NULL)
        {
          g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_EXISTS,
                                   _("A target system with this identifier exists already."));
          return;
        }
      if ((error = check_target (copy, i + 1, G_LIST_MODEL (others))) != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_list_store_append (others, copy);
      g_ptr_array_add (added, g_steal_pointer (&copy));
    }

  for (guint i = 0; i < added->len; i++)
    prov_target_store_append (self->store, g_ptr_array_index (added, i));
  g_task_set_task_data (task, g_steal_pointer (&added), (GDestroyNotify) g_ptr_array_unref);
  /* Not cancellable: once the list changed, the file must follow or roll back. */
  prov_target_store_save_async (self->store, NULL, imported_file_saved_cb, g_steal_pointer (&task));
}

gboolean
prov_target_service_import_targets_finish (ProvTargetService  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Duplicating */

/* "Name (copy)", else "Name (copy 2)", … : the first no target has. */
static char *
name_for_copy (ProvTargetSystem *draft,
               const char       *name,
               GListModel       *others)
{
  /* Translators: the name of a duplicated target system */
  char *candidate = g_strdup_printf (_("%s (copy)"), name);

  for (guint n = 2; prov_target_system_name_is_taken (draft, candidate, others); n++)
    {
      g_free (candidate);
      /* Translators: the name of a duplicated target system, then a number from 2 on */
      candidate = g_strdup_printf (_("%s (copy %u)"), name, n);
    }
  return candidate;
}

static void
duplicate_secrets_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetService *self = PROV_TARGET_SERVICE (object);
  g_autoptr(ProvTargetSystem) original = NULL;
  g_autoptr(ProvTargetSystem) draft = NULL;
  g_autofree char *name = NULL;
  GError *error = NULL;

  original = prov_target_service_dup_target_with_secrets_finish (self, result, &error);
  if (original == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A new identity: no history, push state or connection outcome of its own. */
  draft = prov_target_system_new (prov_target_system_get_kind (original));
  prov_target_system_assign (draft, original);
  name = name_for_copy (draft, prov_target_system_get_display_name (original), G_LIST_MODEL (self->store));
  prov_target_system_set_display_name (draft, name);
  g_task_return_pointer (task, g_steal_pointer (&draft), g_object_unref);
}

void
prov_target_service_duplicate_target_async (ProvTargetService   *self,
                                            ProvTargetSystem    *target,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_service_duplicate_target_async);
  prov_target_service_dup_target_with_secrets_async (self, target, cancellable, duplicate_secrets_cb, task);
}

ProvTargetSystem *
prov_target_service_duplicate_target_finish (ProvTargetService  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
