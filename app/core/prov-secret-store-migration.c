/* prov-secret-store-migration.c — every per-field keyring item moved into
 * its target's one item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-secret-store-private.h"

static void migrate_next (GTask *task);

static void
migrated_one_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GHashTable) values = NULL;

  values = prov_secret_store_read_values (task, result);
  if (values == NULL)
    {
      g_object_unref (task);
      return;
    }
  migrate_next (task);
}

static void
migrate_next (GTask *task)
{
  GPtrArray *uuids = g_task_get_task_data (task);
  g_autofree char *uuid = NULL;

  if (uuids->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  uuid = g_ptr_array_steal_index (uuids, uuids->len - 1);
  prov_secret_store_read_item (g_task_get_source_object (task), uuid, NULL,
                               g_task_get_cancellable (task), migrated_one_cb, task);
}

static void
old_items_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);
  GList *items;

  g_task_set_task_data (task, uuids, (GDestroyNotify) g_ptr_array_unref);

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, prov_secret_store_translate_error (error, FALSE));
      g_object_unref (task);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *uuid = g_hash_table_lookup (attributes, "target-uuid");

      if (uuid != NULL && g_hash_table_add (seen, g_strdup (uuid)))
        g_ptr_array_add (uuids, g_strdup (uuid));
    }
  g_list_free_full (items, g_object_unref);

  migrate_next (task);
}

void
prov_secret_store_migrate_async (ProvSecretStore     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_migrate_async);

  /* One search finds them all: nothing to do costs one round trip. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "generation", (gpointer) PROV_SECRET_GENERATION_PER_FIELD);
  secret_password_searchv (prov_secret_store_get_schema (), attributes, SECRET_SEARCH_ALL,
                           cancellable, old_items_found_cb, task);
}

gboolean
prov_secret_store_migrate_finish (ProvSecretStore  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
