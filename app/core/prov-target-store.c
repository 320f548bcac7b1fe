/* prov-target-store.c — the list of target systems and its file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-file-watch.h"
#include "prov-json-reader.h"
#include "prov-target-store.h"

/* 10,000 targets take about 5 MB; anything near this is not ours. */
#define MAX_FILE_SIZE (32 * 1024 * 1024)

struct _ProvTargetStore
{
  GObject     parent_instance;

  char       *path;
  GPtrArray  *targets;

  /* Top-level members written by a newer version; kept on save. */
  JsonObject *unknown_members;

  /* Saves are serialized so an older snapshot never overwrites a newer one. */
  GQueue      pending_saves;
  gboolean    saving;

  /* Set when the file exists but could not be read: never write over it. */
  char       *unreadable_reason;

  /* The file's format-version when newer than ours: never write over it. */
  gint64      newer_version;

  /* The file as last read or written (PROV_CONFIG_FILE_ABSENT: there was
   * none); NULL before the first load. A save refuses when the file on
   * disk no longer matches. */
  char       *stamp;
  ProvFileWatch *watch;
  char       *notified_stamp;   /* the foreign change already announced */
  gboolean    changed_on_disk;
  gboolean    recheck_after_save;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ProvTargetStore, prov_target_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
prov_target_store_get_item_type (GListModel *model)
{
  return PROV_TYPE_TARGET_SYSTEM;
}

static guint
prov_target_store_get_n_items (GListModel *model)
{
  return PROV_TARGET_STORE (model)->targets->len;
}

static gpointer
prov_target_store_get_item (GListModel *model,
                            guint       position)
{
  ProvTargetStore *self = PROV_TARGET_STORE (model);

  if (position >= self->targets->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->targets, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = prov_target_store_get_item_type;
  iface->get_n_items = prov_target_store_get_n_items;
  iface->get_item = prov_target_store_get_item;
}

static void
items_changed (ProvTargetStore *self,
               guint            position,
               guint            removed,
               guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
prov_target_store_finalize (GObject *object)
{
  ProvTargetStore *self = (ProvTargetStore *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->unknown_members, json_object_unref);
  g_clear_pointer (&self->unreadable_reason, g_free);
  g_clear_pointer (&self->stamp, g_free);
  g_clear_pointer (&self->notified_stamp, g_free);
  g_clear_object (&self->watch);
  g_queue_clear_full (&self->pending_saves, g_object_unref);

  G_OBJECT_CLASS (prov_target_store_parent_class)->finalize (object);
}

static void
prov_target_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ProvTargetStore *self = PROV_TARGET_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->targets->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ProvTargetStore *self = PROV_TARGET_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = g_build_filename (g_get_user_config_dir (), BASE_APP_ID, "targets.json", NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_store_class_init (ProvTargetStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prov_target_store_finalize;
  object_class->get_property = prov_target_store_get_property;
  object_class->set_property = prov_target_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ProvTargetStore::file-changed:
   *
   * Another program changed the file since this store last read or wrote
   * it. Load again to see its list; until then a save is refused.
   */
  signals[FILE_CHANGED] =
    g_signal_new ("file-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
prov_target_store_init (ProvTargetStore *self)
{
  self->targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->pending_saves);
}

ProvTargetStore *
prov_target_store_new (const char *path)
{
  return g_object_new (PROV_TYPE_TARGET_STORE, "path", path, NULL);
}

const char *
prov_target_store_get_path (ProvTargetStore *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), NULL);
  return self->path;
}

/* Loading */

typedef struct
{
  GPtrArray  *targets;
  JsonObject *unknown_members;
  gint64      newer_version;   /* 0 unless the file is newer than us */
  char       *stamp;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->targets, g_ptr_array_unref);
  g_clear_pointer (&result->unknown_members, json_object_unref);
  g_free (result->stamp);
  g_free (result);
}

static gboolean
parse_document (const char  *contents,
                gsize        length,
                LoadResult  *result,
                GError     **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root;
  JsonNode *targets_node;
  JsonArray *targets;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint n;

  /* Size and depth are checked first: json-glib recurses per level. */
  root_node = prov_json_reader_parse (contents, length, MAX_FILE_SIZE, 0, &parse_error);
  if (root_node == NULL)
    {
      gsize blank = 0;

      while (blank < length && g_ascii_isspace (contents[blank]))
        blank++;

      g_debug ("targets.json does not parse: %s", parse_error->message);
      if (g_error_matches (parse_error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_DEEP))
        g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                     _("The file nests deeper than any list of target systems."));
      else if (blank == length)
        g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                     _("The file does not hold a list of target systems."));
      else
        g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                     _("The file is not valid JSON."));
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The file does not hold a list of target systems."));
      return FALSE;
    }

  root = json_node_get_object (root_node);
  node = json_object_get_member (root, "format-version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The file has no format version."));
      return FALSE;
    }

  /* A newer version may have changed anything: what we can read of it is
   * shown, nothing is written, and a part we cannot read is no damage. */
  if (json_node_get_int (node) > PROV_TARGET_STORE_FORMAT_VERSION)
    result->newer_version = json_node_get_int (node);

  targets_node = json_object_get_member (root, "targets");
  if (targets_node == NULL || !JSON_NODE_HOLDS_ARRAY (targets_node))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The file does not hold a list of target systems."));
      return FALSE;
    }

  targets = json_node_get_array (targets_node);
  n = json_array_get_length (targets);
  result->targets = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (targets, i);
      g_autoptr(GError) target_error = NULL;
      ProvTargetSystem *target = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        target = prov_target_system_new_from_json (json_node_get_object (element), &target_error);
      else
        target_error = g_error_new (PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                                    _("Entry %u of the list is not a target system."), i + 1);

      if (target == NULL && result->newer_version > 0)
        {
          g_debug ("Entry %u of a newer targets.json left out: %s", i + 1, target_error->message);
          continue;
        }
      if (target == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&target_error));
          return FALSE;
        }
      g_ptr_array_add (result->targets, target);
    }

  json_object_iter_init (&iter, root);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_str_equal (name, "format-version") || g_str_equal (name, "targets"))
        continue;
      if (result->unknown_members == NULL)
        result->unknown_members = json_object_new ();
      json_object_set_member (result->unknown_members, name, json_node_copy (node));
    }

  return TRUE;
}

static LoadResult *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GError) move_error = NULL;
  LoadResult *result;
  const char *contents;
  gsize length;

  result = g_new0 (LoadResult, 1);

  bytes = prov_config_file_read (path, MAX_FILE_SIZE, &stamp, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          result->targets = g_ptr_array_new_with_free_func (g_object_unref);
          result->stamp = g_strdup (PROV_CONFIG_FILE_ABSENT);
          return result;
        }

      /* Only a regular file of ours is too large to use: it is damaged. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                       _("The file is larger than %u MiB."), MAX_FILE_SIZE / (1024 * 1024));
        }
      else
        {
          /* A folder, a device, no permission: not ours to move. Leave it
           * where it is, and the store refuses to save over it. */
          g_debug ("Cannot read %s: %s", path, local_error->message);
          g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                       _("The target systems could not be read, and changes will not be saved until this is fixed: %s"),
                       local_error->message);
          load_result_free (result);
          return NULL;
        }
    }
  else
    {
      contents = g_bytes_get_data (bytes, &length);
      g_clear_error (&local_error);
      if (parse_document (contents ? contents : "", length, result, &local_error))
        {
          result->stamp = g_steal_pointer (&stamp);
          return result;
        }
    }

  load_result_free (result);

  aside = prov_config_file_move_aside (path, &move_error);
  if (aside == NULL)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                   _("The target systems file “%s” is damaged (%s) and could not be moved aside: %s"),
                   path, local_error->message, move_error->message);
      return NULL;
    }

  g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
               _("The target systems file was damaged (%s) and has been kept as “%s”. Starting with an empty list."),
               local_error->message, aside);
  return NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  LoadResult *result;

  result = load_file (path, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void start_watching (ProvTargetStore *self);

static void
note_load_failure (ProvTargetStore *self,
                   const GError    *error)
{
  /* A damaged file was moved aside, so saving is safe again; anything else
   * left the file in place and it must not be overwritten. */
  g_clear_pointer (&self->unreadable_reason, g_free);
  self->newer_version = 0;
  self->changed_on_disk = FALSE;
  start_watching (self);
  if (!g_error_matches (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE))
    {
      self->unreadable_reason = g_strdup (error->message);
      return;
    }

  g_free (self->stamp);
  self->stamp = g_strdup (PROV_CONFIG_FILE_ABSENT);

  /* The message promises an empty list; targets from an earlier load must
   * not be saved as if they had come from the damaged file. */
  if (self->targets->len > 0 || self->unknown_members != NULL)
    {
      guint removed = self->targets->len;

      g_ptr_array_set_size (self->targets, 0);
      g_clear_pointer (&self->unknown_members, json_object_unref);
      if (removed > 0)
        items_changed (self, 0, removed, 0);
    }
}

static void
apply_load_result (ProvTargetStore *self,
                   LoadResult      *result)
{
  guint removed = self->targets->len;
  GPtrArray *loaded = result->targets;

  /* A reload keeps the objects of targets still there, updated in place,
   * so that whoever shows or edits one keeps a live object. */
  for (guint i = 0; i < loaded->len; i++)
    {
      ProvTargetSystem *fresh = g_ptr_array_index (loaded, i);
      ProvTargetSystem *existing = prov_target_store_find_by_uuid (self, prov_target_system_get_uuid (fresh), NULL);

      if (existing != NULL)
        {
          prov_target_system_assign (existing, fresh);
          g_ptr_array_index (loaded, i) = g_object_ref (existing);
          g_object_unref (fresh);
        }
    }

  g_clear_pointer (&self->unreadable_reason, g_free);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  self->targets = g_steal_pointer (&result->targets);
  g_clear_pointer (&self->unknown_members, json_object_unref);
  self->unknown_members = g_steal_pointer (&result->unknown_members);
  self->newer_version = result->newer_version;
  g_free (self->stamp);
  self->stamp = g_steal_pointer (&result->stamp);
  self->changed_on_disk = FALSE;
  start_watching (self);

  items_changed (self, 0, removed, self->targets->len);
}

void
prov_target_store_load_async (ProvTargetStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PROV_IS_TARGET_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_store_load_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
prov_target_store_load_finish (ProvTargetStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  LoadResult *load_result;
  GError *local_error = NULL;

  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  load_result = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (load_result == NULL)
    {
      note_load_failure (self, local_error);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  apply_load_result (self, load_result);
  load_result_free (load_result);
  return TRUE;
}

gboolean
prov_target_store_load (ProvTargetStore  *self,
                        GError          **error)
{
  LoadResult *result;
  GError *local_error = NULL;

  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);

  result = load_file (self->path, &local_error);
  if (result == NULL)
    {
      note_load_failure (self, local_error);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  apply_load_result (self, result);
  load_result_free (result);
  return TRUE;
}

/* Saving */

static GBytes *
serialize (ProvTargetStore *self)
{
  GBytes *bytes;
  JsonObject *object;
  JsonArray *array;

  object = json_object_new ();
  prov_json_object_copy_members (object, self->unknown_members);

  json_object_set_int_member (object, "format-version", PROV_TARGET_STORE_FORMAT_VERSION);

  array = json_array_sized_new (self->targets->len);
  for (guint i = 0; i < self->targets->len; i++)
    json_array_add_object_element (array, prov_target_system_to_json (g_ptr_array_index (self->targets, i)));
  json_object_set_array_member (object, "targets", array);

  bytes = prov_json_object_to_bytes (object, TRUE);
  json_object_unref (object);
  return bytes;
}

static gboolean
check_may_save (ProvTargetStore  *self,
                GError          **error)
{
  if (self->newer_version > 0)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY,
                   _("Changes were not saved: “%s” was written by a newer version of Provisioner, which this version must not overwrite."),
                   self->path);
      return FALSE;
    }

  if (self->unreadable_reason == NULL)
    return TRUE;

  g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
               _("Changes were not saved, so that the unreadable file “%s” is not overwritten. Fix or remove it, then restart Provisioner."),
               self->path);
  return FALSE;
}

static char *
write_file (const char  *path,
            GBytes      *bytes,
            const char  *expected_stamp,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *real = prov_config_file_resolve (path);
  g_autofree char *dir = g_path_get_dirname (real);
  char *new_stamp = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("Could not save the target systems: the folder “%s” cannot be created (%s)."),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  /* Written to a temporary file, synced and renamed over the old one (the
   * file a symlink points to): the previous file survives any failure. */
  if (prov_config_file_write (path, bytes, expected_stamp, &new_stamp, &local_error))
    return new_stamp;

  g_debug ("Saving %s: %s", path, local_error->message);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG))
    g_set_error (error, PROV_ERROR, PROV_ERROR_CHANGED_ON_DISK,
                 _("Changes were not saved: another program changed the target systems since they were read. Reload them, then make the changes again."));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                 _("Could not save the target systems: a folder is in the place of “%s”."), path);
  else
    g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                 _("Could not save the target systems to “%s”: %s"),
                 path, local_error->message);
  return NULL;
}

typedef struct
{
  char   *path;
  GBytes *bytes;
  char   *expected_stamp;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_bytes_unref (data->bytes);
  g_free (data->expected_stamp);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;
  char *new_stamp;

  new_stamp = write_file (data->path, data->bytes, data->expected_stamp, &error);
  if (new_stamp != NULL)
    g_task_return_pointer (task, new_stamp, g_free);
  else
    g_task_return_error (task, error);
}

static void start_next_save (ProvTargetStore *self);

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ProvTargetStore *self = PROV_TARGET_STORE (object);
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  char *new_stamp;

  self->saving = FALSE;

  new_stamp = g_task_propagate_pointer (G_TASK (result), &error);
  if (new_stamp != NULL)
    {
      g_free (self->stamp);
      self->stamp = new_stamp;
      g_task_return_boolean (outer, TRUE);
    }
  else
    g_task_return_error (outer, error);

  /* A change seen while our own write was under way may have been ours. */
  if (self->recheck_after_save)
    {
      self->recheck_after_save = FALSE;
      prov_file_watch_check (self->watch);
    }

  start_next_save (self);
}

static void
start_next_save (ProvTargetStore *self)
{
  GTask *outer;
  GTask *inner;
  SaveData *data;
  GError *error = NULL;

  if (self->saving)
    return;

  outer = g_queue_pop_head (&self->pending_saves);
  if (outer == NULL)
    return;

  /* A load since the save was asked for may have found a newer file. */
  if (!check_may_save (self, &error))
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
      start_next_save (self);
      return;
    }

  /* The snapshot is taken now, in the main thread, so it is the newest. */
  data = g_new0 (SaveData, 1);
  data->path = g_strdup (self->path);
  data->bytes = serialize (self);
  data->expected_stamp = g_strdup (self->stamp);

  self->saving = TRUE;
  inner = g_task_new (self, NULL, save_done_cb, outer);
  g_task_set_task_data (inner, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (inner, save_thread);
  g_object_unref (inner);
}

void
prov_target_store_save_async (ProvTargetStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (PROV_IS_TARGET_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_store_save_async);
  if (!check_may_save (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_queue_push_tail (&self->pending_saves, task);
  start_next_save (self);
}

gboolean
prov_target_store_save_finish (ProvTargetStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
prov_target_store_save (ProvTargetStore  *self,
                        GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *new_stamp;

  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);

  if (!check_may_save (self, error))
    return FALSE;

  bytes = serialize (self);
  new_stamp = write_file (self->path, bytes, self->stamp, error);
  if (new_stamp == NULL)
    return FALSE;
  g_free (self->stamp);
  self->stamp = new_stamp;
  return TRUE;
}

gboolean
prov_target_store_is_read_only (ProvTargetStore *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);
  return self->newer_version > 0 || self->unreadable_reason != NULL;
}

gboolean
prov_target_store_check_writable (ProvTargetStore  *self,
                                  GError          **error)
{
  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);

  if (self->newer_version > 0)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY,
                   _("The target systems were saved by a newer version of Provisioner: they are shown, but changes will not be saved."));
      return FALSE;
    }
  return check_may_save (self, error);
}

gboolean
prov_target_store_get_changed_on_disk (ProvTargetStore *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);
  return self->changed_on_disk;
}

/* Watching the file */

static void
file_watch_changed_cb (ProvTargetStore *self,
                       const char      *stamp)
{
  if (self->stamp == NULL)
    return;

  /* Our own write may be what was seen: judge once it is recorded. */
  if (self->saving)
    {
      self->recheck_after_save = TRUE;
      return;
    }

  if (g_str_equal (stamp, self->stamp) || g_strcmp0 (stamp, self->notified_stamp) == 0)
    return;

  g_debug ("%s was changed by another program", self->path);
  g_free (self->notified_stamp);
  self->notified_stamp = g_strdup (stamp);
  self->changed_on_disk = TRUE;
  g_signal_emit (self, signals[FILE_CHANGED], 0);
}

static void
start_watching (ProvTargetStore *self)
{
  if (self->watch != NULL)
    return;

  self->watch = prov_file_watch_new (self->path);
  g_signal_connect_object (self->watch, "changed", G_CALLBACK (file_watch_changed_cb), self, G_CONNECT_SWAPPED);
}

/* The list */

void
prov_target_store_insert (ProvTargetStore  *self,
                          guint             position,
                          ProvTargetSystem *target)
{
  g_return_if_fail (PROV_IS_TARGET_STORE (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  position = MIN (position, self->targets->len);
  g_ptr_array_insert (self->targets, position, g_object_ref (target));
  items_changed (self, position, 0, 1);
}

void
prov_target_store_append (ProvTargetStore  *self,
                          ProvTargetSystem *target)
{
  g_return_if_fail (PROV_IS_TARGET_STORE (self));
  prov_target_store_insert (self, self->targets->len, target);
}

gboolean
prov_target_store_remove (ProvTargetStore  *self,
                          ProvTargetSystem *target,
                          guint            *position)
{
  guint index;

  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), FALSE);
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), FALSE);

  if (!g_ptr_array_find (self->targets, target, &index))
    return FALSE;

  g_ptr_array_remove_index (self->targets, index);
  items_changed (self, index, 1, 0);

  if (position != NULL)
    *position = index;
  return TRUE;
}

ProvTargetSystem *
prov_target_store_find_by_uuid (ProvTargetStore *self,
                                const char      *uuid,
                                guint           *position)
{
  g_return_val_if_fail (PROV_IS_TARGET_STORE (self), NULL);

  if (uuid == NULL)
    return NULL;

  for (guint i = 0; i < self->targets->len; i++)
    {
      ProvTargetSystem *target = g_ptr_array_index (self->targets, i);

      if (g_str_equal (prov_target_system_get_uuid (target), uuid))
        {
          if (position != NULL)
            *position = i;
          return target;
        }
    }

  return NULL;
}

void
prov_target_store_changed (ProvTargetStore  *self,
                           ProvTargetSystem *target)
{
  guint index;

  g_return_if_fail (PROV_IS_TARGET_STORE (self));

  if (g_ptr_array_find (self->targets, target, &index))
    items_changed (self, index, 1, 1);
}
