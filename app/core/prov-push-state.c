/* prov-push-state.c — what was last pushed to one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-json-text.h"
#include "prov-push-state.h"
#include "prov-write-queue.h"

#define FORMAT_VERSION 2
/* 100,000 users with every attribute take about 200 MB. */
#define MAX_FILE_SIZE (512 * 1024 * 1024)

struct _ProvPushState
{
  GObject     parent_instance;

  char       *path;
  GHashTable *users;   /* folded user name -> ProvPushedUser */
  ProvWriteQueue *queue;  /* queued saves; created by the first */
  gboolean    dirty;
};

G_DEFINE_FINAL_TYPE (ProvPushState, prov_push_state, G_TYPE_OBJECT)

static void
pushed_user_free (ProvPushedUser *user)
{
  g_free (user->user_name);
  g_free (user->id);
  g_free (user->hash);
  g_free (user->payload);
  g_free (user);
}

/* userName is case-insensitive in SCIM. */
static char *
fold (const char *user_name)
{
  return g_utf8_casefold (user_name, -1);
}

static void
prov_push_state_finalize (GObject *object)
{
  ProvPushState *self = (ProvPushState *)object;

  /* Waits for a queued save: what was pushed is never forgotten. */
  g_clear_object (&self->queue);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->users, g_hash_table_unref);

  G_OBJECT_CLASS (prov_push_state_parent_class)->finalize (object);
}

static void
prov_push_state_class_init (ProvPushStateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_push_state_finalize;
}

static void
prov_push_state_init (ProvPushState *self)
{
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) pushed_user_free);
}

ProvPushState *
prov_push_state_new (const char *target_uuid,
                     const char *path)
{
  ProvPushState *self;

  g_return_val_if_fail (target_uuid != NULL || path != NULL, NULL);

  self = g_object_new (PROV_TYPE_PUSH_STATE, NULL);
  self->path = path != NULL ? g_strdup (path)
                            : prov_config_file_state_path (NULL, "pushed", target_uuid, ".json");
  return self;
}

const char *
prov_push_state_get_path (ProvPushState *self)
{
  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), NULL);
  return self->path;
}

char *
prov_payload_hash (const char *payload)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload, -1);
}

/* Format 1 held each payload as an object; format 2 holds its text, which
 * loads without a tree per user. */
static char *
payload_text (JsonNode *payload,
              gint64    format)
{
  const char *text;

  if (format < 2)
    return JSON_NODE_HOLDS_OBJECT (payload) ? json_to_string (payload, FALSE) : NULL;

  if (!JSON_NODE_HOLDS_VALUE (payload) || json_node_get_value_type (payload) != G_TYPE_STRING)
    return NULL;
  /* Read as an object when a user is deactivated; a text that cannot be
   * one is refused here, with the file. */
  text = json_node_get_string (payload);
  if (!g_str_has_prefix (text, "{") || !g_str_has_suffix (text, "}"))
    return NULL;
  return g_strdup (text);
}

static gboolean
parse (ProvPushState  *self,
       const char     *data,
       gsize           length,
       GError        **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonNode *users;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gint64 format;

  /* Size and depth are checked before json-glib, which recurses per level. */
  root_node = prov_json_reader_parse (data, length, MAX_FILE_SIZE, 0, error);
  if (root_node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    goto bad;

  root = json_node_get_object (root_node);
  format = json_object_get_int_member_with_default (root, "format-version", 1);
  users = json_object_get_member (root, "users");
  if (users == NULL || !JSON_NODE_HOLDS_OBJECT (users))
    goto bad;

  json_object_iter_init (&iter, json_node_get_object (users));
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonObject *entry;
      JsonNode *payload;
      char *text;
      ProvPushedUser *user;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      entry = json_node_get_object (node);
      payload = json_object_get_member (entry, "payload");
      if (prov_json_get_string (entry, "user-name") == NULL || prov_json_get_string (entry, "hash") == NULL ||
          payload == NULL || (text = payload_text (payload, format)) == NULL)
        goto bad;

      user = g_new0 (ProvPushedUser, 1);
      user->user_name = g_strdup (prov_json_get_string (entry, "user-name"));
      user->id = g_strdup (prov_json_get_string (entry, "id"));
      user->hash = g_strdup (prov_json_get_string (entry, "hash"));
      user->active = json_object_get_boolean_member_with_default (entry, "active", TRUE);
      user->payload = text;
      g_hash_table_replace (self->users, fold (user->user_name), user);
    }

  return TRUE;

bad:
  g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, "unexpected structure");
  return FALSE;
}

gboolean
prov_push_state_load (ProvPushState  *self,
                      GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), FALSE);

  g_hash_table_remove_all (self->users);
  self->dirty = FALSE;

  bytes = prov_config_file_read (self->path, MAX_FILE_SIZE, NULL, &local_error);
  if (bytes == NULL &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                   _("What was pushed before could not be read: %s"),
                   local_error->message);
      return FALSE;
    }

  if (bytes == NULL ||
      !parse (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &local_error))
    {
      g_autofree char *aside = NULL;
      g_autoptr(GError) move_error = NULL;

      g_debug ("Push state %s: %s", self->path, local_error->message);
      g_hash_table_remove_all (self->users);
      /* Timestamped, so an earlier damaged record is not overwritten. */
      aside = prov_config_file_move_aside (self->path, &move_error);
      if (aside == NULL)
        {
          g_debug ("Cannot move %s aside: %s", self->path, move_error->message);
          aside = g_strdup (self->path);
        }

      /* Users already in the target are found by userName: nothing is
       * duplicated, a run just does more requests. */
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The record of what was pushed before was damaged and has been kept as “%s”. Users will be matched by user name again."),
                   aside);
      return FALSE;
    }

  return TRUE;
}

/* The whole state as the file holds it. Written as text: at tens of
 * thousands of users, building a JSON tree of every user for each save
 * took a large share of a run. */
static GBytes *
serialize (ProvPushState *self)
{
  GString *out;
  GHashTableIter iter;
  ProvPushedUser *user;
  gboolean first = TRUE;

  out = g_string_sized_new (256 + g_hash_table_size (self->users) * 700);
  g_string_append_printf (out, "{\"format-version\":%d,\"users\":{", FORMAT_VERSION);

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &user))
    {
      g_autofree char *key = fold (user->user_name);

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      prov_json_text_append_string (out, key);
      g_string_append (out, ":{\"user-name\":");
      prov_json_text_append_string (out, user->user_name);
      if (user->id != NULL)
        {
          g_string_append (out, ",\"id\":");
          prov_json_text_append_string (out, user->id);
        }
      g_string_append (out, ",\"hash\":");
      prov_json_text_append_string (out, user->hash);
      g_string_append (out, user->active ? ",\"active\":true" : ",\"active\":false");
      g_string_append (out, ",\"payload\":");
      prov_json_text_append_string (out, user->payload);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "}}");

  return g_string_free_to_bytes (out);
}

typedef struct
{
  char   *path;
  GBytes *bytes;
} Save;

static void
save_free (gpointer data)
{
  Save *save = data;

  g_free (save->path);
  g_bytes_unref (save->bytes);
  g_free (save);
}

/* Atomic, mode 0600; on any thread. */
static gboolean
write_file (gpointer   data,
            GError   **error)
{
  Save *save = data;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (save->path);
  gsize length;
  const char *bytes = g_bytes_get_data (save->bytes, &length);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (save->path, bytes, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("What was pushed could not be recorded in “%s”: %s"),
                   save->path, local_error ? prov_error_file_reason (local_error) : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static Save *
save_new (ProvPushState *self)
{
  Save *save = g_new0 (Save, 1);

  save->path = g_strdup (self->path);
  save->bytes = serialize (self);
  return save;
}

gboolean
prov_push_state_save (ProvPushState  *self,
                      GError        **error)
{
  Save *save;
  gboolean ok;

  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), FALSE);

  save = save_new (self);
  ok = write_file (save, error);
  save_free (save);
  if (ok)
    self->dirty = FALSE;
  return ok;
}

gboolean
prov_push_state_queue_save (ProvPushState  *self,
                            GError        **error)
{
  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), FALSE);

  if (self->queue == NULL)
    self->queue = prov_write_queue_new ();

  /* The snapshot is taken now; only the disk is left to the worker. */
  prov_write_queue_push (self->queue, write_file, save_new (self), save_free);
  self->dirty = FALSE;
  return prov_write_queue_check (self->queue, error);
}

void
prov_push_state_flush_async (ProvPushState       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PROV_IS_PUSH_STATE (self));

  if (self->queue == NULL)
    self->queue = prov_write_queue_new ();
  prov_write_queue_flush_async (self->queue, cancellable, callback, user_data);
}

gboolean
prov_push_state_flush_finish (GAsyncResult  *result,
                              GError       **error)
{
  return prov_write_queue_flush_finish (result, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (prov_push_state_load (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
prov_push_state_load_async (ProvPushState       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PROV_IS_PUSH_STATE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_push_state_load_async);
  g_task_run_in_thread (task, load_thread);
}

gboolean
prov_push_state_load_finish (ProvPushState  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const ProvPushedUser *
prov_push_state_lookup (ProvPushState *self,
                        const char    *user_name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), NULL);

  key = fold (user_name);
  return g_hash_table_lookup (self->users, key);
}

void
prov_push_state_record (ProvPushState *self,
                        const char    *user_name,
                        const char    *id,
                        const char    *hash,
                        gboolean       active,
                        const char    *payload)
{
  ProvPushedUser *user;
  const ProvPushedUser *previous;

  g_return_if_fail (PROV_IS_PUSH_STATE (self));
  g_return_if_fail (user_name != NULL && hash != NULL && payload != NULL);

  /* Keep a known id when this answer did not carry one. */
  previous = prov_push_state_lookup (self, user_name);
  if (id == NULL && previous != NULL)
    id = previous->id;

  user = g_new0 (ProvPushedUser, 1);
  user->user_name = g_strdup (user_name);
  user->id = g_strdup (id);
  user->hash = g_strdup (hash);
  user->active = active;
  user->payload = g_strdup (payload);
  g_hash_table_replace (self->users, fold (user_name), user);
  self->dirty = TRUE;
}

void
prov_push_state_forget (ProvPushState *self,
                        const char    *user_name)
{
  g_autofree char *key = NULL;

  g_return_if_fail (PROV_IS_PUSH_STATE (self));

  key = fold (user_name);
  if (g_hash_table_remove (self->users, key))
    self->dirty = TRUE;
}

guint
prov_push_state_get_n_users (ProvPushState *self)
{
  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), 0);
  return g_hash_table_size (self->users);
}

GPtrArray *
prov_push_state_dup_user_names (ProvPushState *self)
{
  GPtrArray *names;
  GHashTableIter iter;
  ProvPushedUser *user;

  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), NULL);

  names = g_ptr_array_new_full (g_hash_table_size (self->users), g_free);
  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &user))
    g_ptr_array_add (names, g_strdup (user->user_name));
  return names;
}

gboolean
prov_push_state_is_dirty (ProvPushState *self)
{
  g_return_val_if_fail (PROV_IS_PUSH_STATE (self), FALSE);
  return self->dirty;
}
