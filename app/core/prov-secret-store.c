/* prov-secret-store.c — every secret, in the system keyring (moving the
 * items of the per-field format: prov-secret-store-migration.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-secret-store-private.h"

struct _ProvSecretStore
{
  GObject parent_instance;

  /* The first secret read opens libsecret's session (a Diffie-Hellman
   * exchange); reads that reach theirs meanwhile wait for it rather than
   * each open one. */
  enum { SESSION_UNOPENED, SESSION_OPENING, SESSION_OPEN } session;
  GPtrArray *waiting_reads;  /* GTask of prov_secret_store_read_item() */
};

G_DEFINE_FINAL_TYPE (ProvSecretStore, prov_secret_store, G_TYPE_OBJECT)

/* One item per target: its secret fields as a JSON object of field key →
 * value (generation 2). Generation 1 kept one item per field, with a
 * "field" attribute; such items are moved into the target's item when it
 * is next read. "generation" keeps old and new apart. */
const SecretSchema *
prov_secret_store_get_schema (void)
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

/* A target's secrets with its certificate and key are a few KiB. */
#define MAX_ITEM_SIZE (1024 * 1024)

/* @generation NULL: items of every generation. */
static GHashTable *
attributes_for (const char *uuid,
                const char *generation)
{
  /* Values are copied: libsecret may keep the table after the call
   * returns, longer than the caller keeps the uuid. */
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "target-uuid", g_strdup (uuid));
  if (generation != NULL)
    g_hash_table_insert (attributes, (gpointer) "generation", g_strdup (generation));

  return attributes;
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* Field key → secret value, wiped when dropped. */
static GHashTable *
values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) wipe_free);
}

static GError *
locked_error (gboolean saving)
{
  return g_error_new_literal (PROV_ERROR, PROV_ERROR_KEYRING_LOCKED,
                              saving ? _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again; nothing was saved.")
                                     : _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again."));
}

GError *
prov_secret_store_translate_error (const GError *error,
                                   gboolean      saving)
{
  g_return_val_if_fail (error != NULL, NULL);

  /* The raw text goes to the debug log; people get a sentence to act on,
   * and after a failed write the assurance that nothing changed. */
  g_debug ("Keyring error: %s (%s, %d)",
           error->message, g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      strstr (error->message, "locked") != NULL)
    return locked_error (saving);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
      strstr (error->message, "Object does not exist") != NULL)
    return g_error_new_literal (PROV_ERROR, PROV_ERROR_KEYRING_FAILED,
                                saving ? _("The keyring has no default collection to keep secrets in. Create one (for example in Passwords and Keys) and try again; nothing was saved.")
                                       : _("The keyring has no default collection to keep secrets in. Create one (for example in Passwords and Keys) and try again."));

  if (error->domain == G_DBUS_ERROR ||
      error->domain == G_IO_ERROR ||
      error->domain == G_SPAWN_ERROR)
    return g_error_new_literal (PROV_ERROR, PROV_ERROR_KEYRING_UNAVAILABLE,
                                saving ? _("No keyring is available. Provisioner keeps passwords only in the system keyring: start GNOME Keyring or another Secret Service and try again; nothing was saved.")
                                       : _("No keyring is available. Provisioner keeps passwords only in the system keyring: start GNOME Keyring or another Secret Service and try again."));

  return g_error_new (PROV_ERROR, PROV_ERROR_KEYRING_FAILED,
                      _("The keyring refused the request: %s"), error->message);
}

static void
prov_secret_store_finalize (GObject *object)
{
  ProvSecretStore *self = PROV_SECRET_STORE (object);

  /* A waiting read holds a reference. */
  g_assert (self->waiting_reads->len == 0);
  g_ptr_array_unref (self->waiting_reads);

  G_OBJECT_CLASS (prov_secret_store_parent_class)->finalize (object);
}

static void
prov_secret_store_class_init (ProvSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_secret_store_finalize;
}

static void
prov_secret_store_init (ProvSecretStore *self)
{
  self->waiting_reads = g_ptr_array_new ();
}

ProvSecretStore *
prov_secret_store_new (void)
{
  return g_object_new (PROV_TYPE_SECRET_STORE, NULL);
}

static char *
label_for (const char *name)
{
  /* What people see in Passwords and Keys. */
  return g_strdup_printf (_("Provisioner: %s"), name);
}

/* The target's item: read (moving generation 1 items into it) */

typedef struct
{
  char       *uuid;
  char       *label;       /* for an item written by a migration */
  GList      *items;       /* SecretRetrievable still to read */
  GHashTable *values;      /* from the generation 2 item */
  GHashTable *old_values;  /* from generation 1 items */
  gboolean    found_new;
  gboolean    found_old;
  guint       searches;    /* made so far */
} ReadOp;

static void
read_op_free (ReadOp *op)
{
  g_free (op->uuid);
  g_free (op->label);
  g_list_free_full (op->items, g_object_unref);
  g_clear_pointer (&op->values, g_hash_table_unref);
  g_clear_pointer (&op->old_values, g_hash_table_unref);
  g_free (op);
}

static void write_item (ProvSecretStore     *self,
                        const char          *uuid,
                        const char          *label,
                        GHashTable          *values,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data);
static gboolean item_op_finish (GAsyncResult *result,
                                GError      **error);

/* Ends @task with "the keyring is locked" (and, when @saving, that
 * nothing was saved). */
static void
return_locked (GTask    *task,
               gboolean  saving)
{
  g_task_return_error (task, locked_error (saving));
}

static void
parse_values (GHashTable *values,
              const char *text)
{
  /* Any program of the session may write an item with our attributes. */
  g_autoptr(JsonNode) root = prov_json_reader_parse (text, -1, MAX_ITEM_SIZE, 0, NULL);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("A keyring item of Provisioner does not hold a JSON object; ignored");
      return;
    }

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &node))
    if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      g_hash_table_insert (values, g_strdup (key), g_strdup (json_node_get_string (node)));
}

static void
migrated_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The old items stay until the new one is written: nothing is lost. */
  if (!item_op_finish (result, &error))
    g_debug ("Could not move the secrets of %s into one keyring item: %s", op->uuid, error->message);

  g_task_return_pointer (task, g_steal_pointer (&op->old_values), (GDestroyNotify) g_hash_table_unref);
}

static void
old_items_cleared_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not remove old keyring items of %s: %s", op->uuid, error->message);

  g_task_return_pointer (task, g_steal_pointer (&op->values), (GDestroyNotify) g_hash_table_unref);
}

static void read_next_item (GTask *task);
static void search_items (GTask *task);

/* The keyring item went away while it was being read: a wipe going on. */
static gboolean
item_went_away (const GError *error)
{
  return g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT);
}

/* The first secret read is over: the reads waiting for it go on. */
static void
first_secret_done (ProvSecretStore *self)
{
  g_autoptr(GPtrArray) reads = NULL;

  if (self->session != SESSION_OPENING)
    return;
  self->session = SESSION_OPEN;
  reads = g_steal_pointer (&self->waiting_reads);
  self->waiting_reads = g_ptr_array_new ();
  for (guint i = 0; i < reads->len; i++)
    read_next_item (reads->pdata[i]);
}

static void
item_secret_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadOp *op = g_task_get_task_data (task);
  SecretRetrievable *item = SECRET_RETRIEVABLE (object);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) error = NULL;
  const char *generation;
  const char *text;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  first_secret_done (g_task_get_source_object (task));
  if (item_went_away (error))
    {
      /* Deleted between the search and now (a wipe going on): gone. */
      g_debug ("A keyring item went away while being read: %s", error->message);
      read_next_item (g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, prov_secret_store_translate_error (error, FALSE));
      return;
    }
  if (value == NULL)
    {
      return_locked (task, FALSE);
      return;
    }

  text = secret_value_get_text (value);
  attributes = secret_retrievable_get_attributes (item);
  generation = g_hash_table_lookup (attributes, "generation");

  if (text == NULL)
    g_debug ("A keyring item of Provisioner is not text; ignored");
  else if (g_strcmp0 (generation, PROV_SECRET_GENERATION_PER_TARGET) == 0)
    {
      op->found_new = TRUE;
      parse_values (op->values, text);
    }
  else if (g_strcmp0 (generation, PROV_SECRET_GENERATION_PER_FIELD) == 0 &&
           g_hash_table_lookup (attributes, "field") != NULL)
    {
      op->found_old = TRUE;
      if (op->label == NULL)
        {
          /* "Provisioner: <name> — <field>": the target's name is in it. */
          g_autofree char *label = secret_retrievable_get_label (item);
          char *dash = label ? strstr (label, " — ") : NULL;

          if (dash != NULL)
            *dash = '\0';
          op->label = g_steal_pointer (&label);
        }
      g_hash_table_insert (op->old_values,
                           g_strdup (g_hash_table_lookup (attributes, "field")),
                           g_strdup (text));
    }

  read_next_item (g_steal_pointer (&task));
}

static void
read_next_item (GTask *task)
{
  ProvSecretStore *self = g_task_get_source_object (task);
  ReadOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (op->items != NULL)
    {
      SecretRetrievable *item;

      if (self->session == SESSION_OPENING)
        {
          g_ptr_array_add (self->waiting_reads, task);
          return;
        }

      item = op->items->data;
      op->items = g_list_delete_link (op->items, op->items);
      /* An item the keyring could not unlock is locked, not missing. */
      if (SECRET_IS_ITEM (item) && secret_item_get_locked (SECRET_ITEM (item)))
        {
          g_object_unref (item);
          return_locked (task, FALSE);
          g_object_unref (task);
          return;
        }
      if (self->session == SESSION_UNOPENED)
        self->session = SESSION_OPENING;
      secret_retrievable_retrieve_secret (item, cancellable, item_secret_cb, task);
      g_object_unref (item);
      return;
    }

  if (op->found_new && op->found_old)
    {
      /* Left over from a move that was cut short: the new item wins. */
      g_autoptr(GHashTable) attributes = attributes_for (op->uuid, PROV_SECRET_GENERATION_PER_FIELD);

      secret_password_clearv (prov_secret_store_get_schema (), attributes, cancellable, old_items_cleared_cb, task);
      return;
    }

  if (op->found_old)
    {
      if (op->label == NULL)
        op->label = label_for (op->uuid);
      write_item (self, op->uuid, op->label, op->old_values, cancellable, migrated_cb, task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&op->values), (GDestroyNotify) g_hash_table_unref);
  g_object_unref (task);
}

static void
items_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ReadOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->items = secret_password_search_finish (result, &error);
  if (item_went_away (error) && op->searches < 3)
    {
      /* An item found went away while the search looked at it (a wipe
       * going on): what is left is what a new search finds. */
      g_debug ("A keyring item went away during a search: %s", error->message);
      search_items (task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, prov_secret_store_translate_error (error, FALSE));
      g_object_unref (task);
      return;
    }

  read_next_item (task);
}

static void
search_items (GTask *task)
{
  ReadOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = attributes_for (op->uuid, NULL);

  op->searches++;
  secret_password_searchv (prov_secret_store_get_schema (), attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                           g_task_get_cancellable (task), items_found_cb, task);
}

void
prov_secret_store_read_item (ProvSecretStore     *self,
                             const char          *uuid,
                             const char          *label,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ReadOp *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_read_item);
  op = g_new0 (ReadOp, 1);
  op->uuid = g_strdup (uuid);
  op->label = g_strdup (label);
  op->values = values_new ();
  op->old_values = values_new ();
  g_task_set_task_data (task, op, (GDestroyNotify) read_op_free);
  search_items (task);
}

static GHashTable *
read_item_finish (GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

GHashTable *
prov_secret_store_read_values (GTask        *task,
                               GAsyncResult *result)
{
  GError *error = NULL;
  GHashTable *values = read_item_finish (result, &error);

  if (values == NULL)
    g_task_return_error (task, error);
  return values;
}

/* The target's item: written in one call */

static void
write_old_cleared_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Harmless if it fails: the new item wins over old ones when read. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not remove old keyring items: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
item_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (error != NULL)
        g_task_return_error (task, prov_secret_store_translate_error (error, TRUE));
      else
        return_locked (task, TRUE);
      g_object_unref (task);
      return;
    }

  {
    g_autoptr(GHashTable) attributes = attributes_for (g_task_get_task_data (task), PROV_SECRET_GENERATION_PER_FIELD);
    secret_password_clearv (prov_secret_store_get_schema (), attributes, g_task_get_cancellable (task),
                            write_old_cleared_cb, task);
  }
}

static void
write_item (ProvSecretStore     *self,
            const char          *uuid,
            const char          *label,
            GHashTable          *values,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) attributes = attributes_for (uuid, PROV_SECRET_GENERATION_PER_TARGET);
  g_autoptr(GList) keys = NULL;
  char *text;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, write_item);
  g_task_set_task_data (task, g_strdup (uuid), g_free);

  /* Sorted, so the same secrets always make the same text. */
  keys = g_list_sort (g_hash_table_get_keys (values), (GCompareFunc) strcmp);
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (values, l->data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  secret_password_storev (prov_secret_store_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, text, cancellable, item_stored_cb, task);
  wipe_free (text);
}

/* The end of write_item() or clear_all(). */
static gboolean
item_op_finish (GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Every item of a target: cleared */

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
    g_task_return_error (task, prov_secret_store_translate_error (error, FALSE));
  else if (items != NULL)
    return_locked (task, FALSE);
  else
    g_task_return_boolean (task, TRUE);

  g_list_free_full (items, g_object_unref);
}

static void
clear_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  /* FALSE without an error means nothing was cleared: there was nothing,
   * or what there is is locked. Anything still there is locked. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, prov_secret_store_translate_error (error, FALSE));
      g_object_unref (task);
      return;
    }

  attributes = attributes_for (g_task_get_task_data (task), NULL);
  secret_password_searchv (prov_secret_store_get_schema (), attributes, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), check_locked_cb, task);
}

static void
clear_all (ProvSecretStore     *self,
           const char          *uuid,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = attributes_for (uuid, NULL);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, clear_all);
  g_task_set_task_data (task, g_strdup (uuid), g_free);
  secret_password_clearv (prov_secret_store_get_schema (), attributes, cancellable, clear_all_cb, task);
}

/* A whole target */

/* Ends the task @user_data when write_item() or clear_all() is done. */
static void
item_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (item_op_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
prov_secret_store_clear_target_async (ProvSecretStore     *self,
                                      const char          *uuid,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (uuid != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_clear_target_async);
  clear_all (self, uuid, cancellable, item_done_cb, task);
}

gboolean
prov_secret_store_clear_target_finish (ProvSecretStore  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
prov_secret_store_save_target_async (ProvSecretStore     *self,
                                     ProvTargetSystem    *target,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GHashTable) values = values_new ();
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  /* Only the fields the target uses: a secret for a field it no longer
   * uses must not linger. The values are copied now, so edits after this
   * call do not change what gets stored. */
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (prov_field_is_secret (i) && prov_target_system_field_is_visible (target, i))
      g_hash_table_insert (values, g_strdup (prov_field_get_key (i)),
                           g_strdup (prov_target_system_get_text (target, i)));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_save_target_async);
  label = label_for (prov_target_system_get_display_name (target));
  write_item (self, prov_target_system_get_uuid (target), label, values,
              cancellable, item_done_cb, task);
}

gboolean
prov_secret_store_save_target_finish (ProvSecretStore  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
target_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetSystem *target = g_task_get_task_data (task);
  g_autoptr(GHashTable) values = NULL;

  if ((values = prov_secret_store_read_values (task, result)) == NULL)
    return;

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (prov_field_is_secret (i) && prov_target_system_field_is_visible (target, i))
      prov_target_system_set_text (target, i, g_hash_table_lookup (values, prov_field_get_key (i)));

  g_task_return_boolean (task, TRUE);
}

void
prov_secret_store_load_target_async (ProvSecretStore     *self,
                                     ProvTargetSystem    *target,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_SECRET_STORE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_secret_store_load_target_async);
  g_task_set_task_data (task, g_object_ref (target), g_object_unref);
  label = label_for (prov_target_system_get_display_name (target));
  prov_secret_store_read_item (self, prov_target_system_get_uuid (target), label, cancellable, target_read_cb, task);
}

gboolean
prov_secret_store_load_target_finish (ProvSecretStore  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
