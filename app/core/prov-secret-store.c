/* prov-secret-store.c — every secret, in the system keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "prov-error.h"
#include "prov-secret-store.h"

struct _ProvSecretStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (ProvSecretStore, prov_secret_store, G_TYPE_OBJECT)

/* Items are found by target uuid and field key. "generation" lets a later
 * version change the meaning of an item without mixing old and new. */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    BASE_APP_ID ".Secret", SECRET_SCHEMA_NONE,
    {
      { "target-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "generation", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { NULL, 0 },
    }
  };
  return &schema;
}

#define SCHEMA_GENERATION "1"

static GHashTable *
attributes_for (const char *uuid,
                ProvField   field)
{
  /* Values are copied: libsecret may keep the table after the call
   * returns, longer than the caller keeps the uuid. */
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "target-uuid", g_strdup (uuid));
  if (field < PROV_N_FIELDS)
    g_hash_table_insert (attributes, (gpointer) "field", g_strdup (prov_field_get_key (field)));
  g_hash_table_insert (attributes, (gpointer) "generation", g_strdup (SCHEMA_GENERATION));

  return attributes;
}

GError *
prov_secret_store_translate_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  /* The raw text goes to the debug log; people get a sentence to act on. */
  g_debug ("Keyring error: %s (%s, %d)",
           error->message, g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      strstr (error->message, "locked") != NULL)
    return g_error_new_literal (PROV_ERROR, PROV_ERROR_KEYRING_LOCKED,
                                _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again; nothing was saved."));

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
      strstr (error->message, "Object does not exist") != NULL)
    return g_error_new_literal (PROV_ERROR, PROV_ERROR_KEYRING_FAILED,
                                _("The keyring has no default collection to keep secrets in. Create one (for example in Passwords and Keys) and try again; nothing was saved."));

  if (error->domain == G_DBUS_ERROR ||
      error->domain == G_IO_ERROR ||
      error->domain == G_SPAWN_ERROR)
    return g_error_new_literal (PROV_ERROR, PROV_ERROR_KEYRING_UNAVAILABLE,
                                _("No keyring is available. Provisioner keeps passwords only in the system keyring: start GNOME Keyring or another Secret Service and try again; nothing was saved."));

  return g_error_new (PROV_ERROR, PROV_ERROR_KEYRING_FAILED,
                      _("The keyring refused the request: %s"), error->message);
}

static void
prov_secret_store_class_init (ProvSecretStoreClass *klass)
{
}

static void
prov_secret_store_init (ProvSecretStore *self)
{
}

ProvSecretStore *
prov_secret_store_new (void)
{
  return g_object_new (PROV_TYPE_SECRET_STORE, NULL);
}

/* One secret */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, prov_secret_store_translate_error (error));
  else
    g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED,
                             _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again; nothing was saved."));
}

void
prov_secret_store_store_async (ProvSecretStore     *self,
                               const char          *uuid,
                               ProvField            field,
                               const char          *label,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (prov_field_is_secret (field));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_store_async);

  attributes = attributes_for (uuid, field);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, secret, cancellable, store_cb, task);
}

gboolean
prov_secret_store_store_finish (ProvSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* libsecret answers a lookup or clear of a locked item as if there were
 * nothing: the unlock prompt was dismissed or could not be shown. So when
 * nothing came back, look again without unlocking; items found are locked. */
typedef struct
{
  char      *uuid;
  ProvField  field;
} ItemKey;

static void
item_key_free (ItemKey *key)
{
  g_free (key->uuid);
  g_free (key);
}

static void
set_item_key (GTask      *task,
              const char *uuid,
              ProvField   field)
{
  ItemKey *key = g_new0 (ItemKey, 1);

  key->uuid = g_strdup (uuid);
  key->field = field;
  g_task_set_task_data (task, key, (GDestroyNotify) item_key_free);
}

static void
check_locked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, prov_secret_store_translate_error (error));
  else if (items != NULL)
    g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED,
                             _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again."));
  else if (g_task_get_source_tag (task) == prov_secret_store_lookup_async)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);

  g_list_free_full (items, g_object_unref);
}

static void
check_locked (GTask *task)
{
  ItemKey *key = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = attributes_for (key->uuid, key->field);

  secret_password_searchv (get_schema (), attributes, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), check_locked_cb, task);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, prov_secret_store_translate_error (error));
  else if (secret == NULL)
    check_locked (g_steal_pointer (&task));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
prov_secret_store_lookup_async (ProvSecretStore     *self,
                                const char          *uuid,
                                ProvField            field,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (prov_field_is_secret (field));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_lookup_async);
  set_item_key (task, uuid, field);

  attributes = attributes_for (uuid, field);
  secret_password_lookupv (get_schema (), attributes, cancellable, lookup_cb, task);
}

char *
prov_secret_store_lookup_finish (ProvSecretStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means nothing was cleared: there was nothing,
   * or what there is is locked. Anything still there is locked. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, prov_secret_store_translate_error (error));
  else
    check_locked (g_steal_pointer (&task));
}

void
prov_secret_store_clear_async (ProvSecretStore     *self,
                               const char          *uuid,
                               ProvField            field,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (field == PROV_N_FIELDS || prov_field_is_secret (field));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_clear_async);
  set_item_key (task, uuid, field);

  attributes = attributes_for (uuid, field);
  secret_password_clearv (get_schema (), attributes, cancellable, clear_cb, task);
}

gboolean
prov_secret_store_clear_finish (ProvSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Every secret of a target, one field after the other */

typedef struct
{
  ProvTargetSystem *target;
  guint             next_field;
} TargetOp;

static void
target_op_free (TargetOp *op)
{
  g_clear_object (&op->target);
  g_free (op);
}

static void save_next_field (GTask *task);

static void
save_field_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_async_result_is_tagged (result, prov_secret_store_store_async))
    ok = prov_secret_store_store_finish (PROV_SECRET_STORE (object), result, &error);
  else
    ok = prov_secret_store_clear_finish (PROV_SECRET_STORE (object), result, &error);

  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }

  save_next_field (g_steal_pointer (&task));
}

static void
save_next_field (GTask *task)
{
  ProvSecretStore *self = g_task_get_source_object (task);
  TargetOp *op = g_task_get_task_data (task);
  ProvTargetSystem *target = op->target;
  const char *uuid = prov_target_system_get_uuid (target);

  while (op->next_field < PROV_N_FIELDS && !prov_field_is_secret (op->next_field))
    op->next_field++;

  if (op->next_field == PROV_N_FIELDS)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  {
    ProvField field = op->next_field++;

    if (prov_target_system_field_is_visible (target, field))
      {
        /* The label is what people see in Passwords and Keys. */
        g_autofree char *label =
          g_strdup_printf (_("Provisioner: %s — %s"),
                           prov_target_system_get_display_name (target),
                           prov_field_get_title (field, prov_target_system_get_kind (target)));

        prov_secret_store_store_async (self, uuid, field, label,
                                       prov_target_system_get_text (target, field),
                                       g_task_get_cancellable (task),
                                       save_field_cb, task);
      }
    else
      {
        /* A secret for a field the target no longer uses must not linger. */
        prov_secret_store_clear_async (self, uuid, field,
                                       g_task_get_cancellable (task),
                                       save_field_cb, task);
      }
  }
}

void
prov_secret_store_save_target_async (ProvSecretStore     *self,
                                     ProvTargetSystem    *target,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  TargetOp *op;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  op = g_new0 (TargetOp, 1);
  /* A snapshot: edits after this call do not change what gets stored. */
  op->target = prov_target_system_copy (target);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_save_target_async);
  g_task_set_task_data (task, op, (GDestroyNotify) target_op_free);
  save_next_field (task);
}

gboolean
prov_secret_store_save_target_finish (ProvSecretStore  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void load_next_field (GTask *task);

static void
load_field_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TargetOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret;

  secret = prov_secret_store_lookup_finish (PROV_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  prov_target_system_set_text (op->target, op->next_field - 1, secret);
  secret_password_free (secret);

  load_next_field (g_steal_pointer (&task));
}

static void
load_next_field (GTask *task)
{
  ProvSecretStore *self = g_task_get_source_object (task);
  TargetOp *op = g_task_get_task_data (task);

  while (op->next_field < PROV_N_FIELDS &&
         (!prov_field_is_secret (op->next_field) ||
          !prov_target_system_field_is_visible (op->target, op->next_field)))
    op->next_field++;

  if (op->next_field == PROV_N_FIELDS)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  op->next_field++;
  prov_secret_store_lookup_async (self, prov_target_system_get_uuid (op->target),
                                  op->next_field - 1,
                                  g_task_get_cancellable (task),
                                  load_field_cb, task);
}

void
prov_secret_store_load_target_async (ProvSecretStore     *self,
                                     ProvTargetSystem    *target,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  TargetOp *op;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  op = g_new0 (TargetOp, 1);
  op->target = g_object_ref (target);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_load_target_async);
  g_task_set_task_data (task, op, (GDestroyNotify) target_op_free);
  load_next_field (task);
}

gboolean
prov_secret_store_load_target_finish (ProvSecretStore  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
