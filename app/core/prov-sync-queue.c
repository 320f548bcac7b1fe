/* prov-sync-queue.c — the durable queue of real-time changes for one target
 *
 * An append-only file of JSON lines, each written with write(2) and
 * fdatasync(2) on the queue's worker thread (a ProvWriteQueue: in order,
 * off the main loop); a flush says when they are on disk, and the sync
 * pushes nothing before that, so a change it has taken in survives a
 * crash or SIGKILL:
 *
 *   {"seq":N,"user":…,"action":"update","id":…,"hash":…,"active":true,"payload":{…}}
 *   {"seq":N,"user":…,"done":true}      the target accepted entry N
 *
 * Loading replays the lines: per user only the newest entry counts, and a
 * "done" line removes it. The file is rewritten (atomically) when stale
 * lines outnumber the waiting entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-sync-queue.h"
#include "prov-write-queue.h"

/* A queue holds at most one entry per user of the source. */
#define MAX_QUEUE_FILE_SIZE (256 * 1024 * 1024)
#define MAX_LINE_SIZE (1024 * 1024)
#define COMPACT_MIN_LINES 256

typedef struct
{
  guint64        sequence;
  char          *key;        /* folded user name */
  ProvOperation *operation;
} Entry;

/* The file as the worker thread sees it: only jobs touch fd. */
typedef struct
{
  gatomicrefcount ref;
  char           *path;
  int             fd;
} QueueFile;

/* One job of the worker: a line appended, or the whole file replaced. */
typedef struct
{
  QueueFile *file;
  char      *text;
  gboolean   replace;
} Write;

struct _ProvSyncQueue
{
  GObject         parent_instance;

  char           *path;
  QueueFile      *file;
  ProvWriteQueue *writes;
  GHashTable     *by_user;       /* folded user name → Entry* */
  guint64         last_sequence;
  guint           n_lines;       /* lines in the file, once written */
  gboolean        broken;        /* a write failed: rewrite it all */
};

G_DEFINE_FINAL_TYPE (ProvSyncQueue, prov_sync_queue, G_TYPE_OBJECT)

static const char * const action_keys[] = { "none", "create", "update", "deactivate", "delete" };

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  prov_operation_free (entry->operation);
  g_free (entry);
}

static QueueFile *
queue_file_ref (QueueFile *file)
{
  g_atomic_ref_count_inc (&file->ref);
  return file;
}

static void
queue_file_unref (QueueFile *file)
{
  if (!g_atomic_ref_count_dec (&file->ref))
    return;
  if (file->fd >= 0)
    close (file->fd);
  g_free (file->path);
  g_free (file);
}

static void
write_free (Write *write)
{
  queue_file_unref (write->file);
  g_free (write->text);
  g_free (write);
}

static void
prov_sync_queue_finalize (GObject *object)
{
  ProvSyncQueue *self = (ProvSyncQueue *)object;

  /* Waits for what was queued: an entry is never dropped. */
  g_clear_object (&self->writes);
  g_clear_pointer (&self->file, queue_file_unref);
  g_clear_pointer (&self->by_user, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (prov_sync_queue_parent_class)->finalize (object);
}

static void
prov_sync_queue_class_init (ProvSyncQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_sync_queue_finalize;
}

static void
prov_sync_queue_init (ProvSyncQueue *self)
{
  self->writes = prov_write_queue_new ();
  self->by_user = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
}

char *
prov_sync_queue_get_default_path (const char *state_dir,
                                  const char *target_uuid)
{
  return prov_config_file_state_path (state_dir, "sync", target_uuid, ".jsonl");
}

ProvSyncQueue *
prov_sync_queue_new (const char *path)
{
  ProvSyncQueue *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PROV_TYPE_SYNC_QUEUE, NULL);
  self->path = g_strdup (path);
  self->file = g_new0 (QueueFile, 1);
  g_atomic_ref_count_init (&self->file->ref);
  self->file->path = g_strdup (path);
  self->file->fd = -1;
  return self;
}

static void
set_save_error (const char  *path,
                const char  *reason,
                GError     **error)
{
  g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
               _("The queue of changes cannot be saved in “%s”: %s"), path, reason);
}

/* Worker thread. */
static gboolean
ensure_open (QueueFile  *file,
             GError    **error)
{
  g_autofree char *dir = NULL;

  if (file->fd >= 0)
    return TRUE;

  dir = g_path_get_dirname (file->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_save_error (file->path, g_strerror (errno), error);
      return FALSE;
    }

  file->fd = g_open (file->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (file->fd < 0)
    {
      set_save_error (file->path, g_strerror (errno), error);
      return FALSE;
    }
  return TRUE;
}

/* Worker thread: one line, on disk before the next job. A short write
 * leaves a torn line, which loading skips. */
static gboolean
append_line (QueueFile   *file,
             const char  *line,
             GError     **error)
{
  gsize length = strlen (line);
  gsize written = 0;

  if (!ensure_open (file, error))
    return FALSE;

  while (written < length)
    {
      gssize n = write (file->fd, line + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_save_error (file->path, g_strerror (errno), error);
          return FALSE;
        }
      written += n;
    }

  if (fdatasync (file->fd) != 0)
    {
      set_save_error (file->path, g_strerror (errno), error);
      return FALSE;
    }
  return TRUE;
}

/* Worker thread: the file replaced, atomically and durably. */
static gboolean
replace_file (QueueFile   *file,
              const char  *text,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (file->path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_save_error (file->path, g_strerror (errno), error);
      return FALSE;
    }
  if (!g_file_set_contents_full (file->path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      set_save_error (file->path, prov_error_file_reason (local_error), error);
      return FALSE;
    }

  /* The old descriptor points at the replaced file. */
  if (file->fd >= 0)
    close (file->fd);
  file->fd = -1;
  return TRUE;
}

static gboolean
run_write (gpointer   data,
           GError   **error)
{
  Write *write = data;

  if (write->replace)
    return replace_file (write->file, write->text, error);
  return append_line (write->file, write->text, error);
}

static void
queue_write (ProvSyncQueue *self,
             char          *text,
             gboolean       replace)
{
  Write *write = g_new0 (Write, 1);

  write->file = queue_file_ref (self->file);
  write->text = text;
  write->replace = replace;
  prov_write_queue_push (self->writes, run_write, write, (GDestroyNotify) write_free);
}

static char *
entry_to_line (const Entry *entry)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  const ProvOperation *operation = entry->operation;
  g_autofree char *text = NULL;

  json_object_set_int_member (object, "seq", (gint64) entry->sequence);
  json_object_set_string_member (object, "user", operation->user_name);
  json_object_set_string_member (object, "action", action_keys[operation->action]);
  if (operation->target_id != NULL)
    json_object_set_string_member (object, "id", operation->target_id);
  if (operation->hash != NULL)
    json_object_set_string_member (object, "hash", operation->hash);
  json_object_set_boolean_member (object, "active", operation->active);

  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  if (operation->body == NULL)
    return g_strconcat (text, "\n", NULL);
  /* The body is JSON text the plan made: it goes in as it is. */
  return g_strdup_printf ("%.*s,\"payload\":%s}\n", (int) strlen (text) - 1, text, operation->body);
}

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *entry_a = *(Entry * const *) a;
  const Entry *entry_b = *(Entry * const *) b;

  return entry_a->sequence < entry_b->sequence ? -1 : entry_a->sequence > entry_b->sequence;
}

static GPtrArray *
sorted_entries (ProvSyncQueue *self)
{
  GPtrArray *entries = g_ptr_array_sized_new (g_hash_table_size (self->by_user));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_user);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (entries, value);
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

/* Rewrites the file with the waiting entries only. */
static void
compact (ProvSyncQueue *self)
{
  g_autoptr(GPtrArray) entries = sorted_entries (self);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *line = entry_to_line (g_ptr_array_index (entries, i));
      g_string_append (text, line);
    }

  queue_write (self, g_string_free (text, FALSE), TRUE);
  self->n_lines = entries->len;
  self->broken = FALSE;
}

/* A line for the file; after a failed write, the whole file instead. */
static void
append (ProvSyncQueue *self,
        char          *line)
{
  if (self->broken)
    {
      g_free (line);
      compact (self);
      return;
    }
  queue_write (self, line, FALSE);
  self->n_lines++;
}

static ProvAction
action_from_key (const char *key)
{
  for (guint i = PROV_ACTION_CREATE; i < G_N_ELEMENTS (action_keys); i++)
    {
      if (g_strcmp0 (key, action_keys[i]) == 0)
        return i;
    }
  return PROV_ACTION_NONE;
}

static void
replay_line (ProvSyncQueue *self,
             const char    *line,
             gsize          length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  JsonObject *object;
  const char *user;
  gint64 sequence;
  Entry *existing;

  root = prov_json_reader_parse (line, length, MAX_LINE_SIZE, 0, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("%s: a line left out: %s", self->path, error ? error->message : "not an object");
      return;
    }

  object = json_node_get_object (root);
  user = json_object_get_string_member_with_default (object, "user", NULL);
  sequence = json_object_get_int_member_with_default (object, "seq", 0);
  if (user == NULL || sequence <= 0)
    return;

  self->last_sequence = MAX (self->last_sequence, (guint64) sequence);
  key = g_utf8_casefold (user, -1);
  existing = g_hash_table_lookup (self->by_user, key);

  if (json_object_get_boolean_member_with_default (object, "done", FALSE))
    {
      if (existing != NULL && existing->sequence <= (guint64) sequence)
        g_hash_table_remove (self->by_user, key);
    }
  else if (existing == NULL || existing->sequence < (guint64) sequence)
    {
      Entry *entry = g_new0 (Entry, 1);
      JsonNode *payload = json_object_get_member (object, "payload");

      entry->sequence = sequence;
      entry->operation = g_new0 (ProvOperation, 1);
      entry->operation->action = action_from_key (json_object_get_string_member_with_default (object, "action", NULL));
      entry->operation->user_name = g_strdup (user);
      entry->operation->target_id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
      entry->operation->hash = g_strdup (json_object_get_string_member_with_default (object, "hash", NULL));
      entry->operation->active = json_object_get_boolean_member_with_default (object, "active", TRUE);
      if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
        entry->operation->body = json_to_string (payload, FALSE);

      if (entry->operation->action == PROV_ACTION_NONE ||
          (entry->operation->body == NULL && entry->operation->action != PROV_ACTION_DELETE))
        {
          entry_free (entry);
          return;
        }
      entry->key = g_steal_pointer (&key);
      g_hash_table_replace (self->by_user, entry->key, entry);
    }
}

gboolean
prov_sync_queue_load (ProvSyncQueue  *self,
                      GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *p;
  const char *end;

  g_return_val_if_fail (PROV_IS_SYNC_QUEUE (self), FALSE);

  g_hash_table_remove_all (self->by_user);
  self->n_lines = 0;

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                   _("The queue of changes in “%s” cannot be read: %s"),
                   self->path, local_error->message);
      return FALSE;
    }

  if (length > MAX_QUEUE_FILE_SIZE)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                   _("The queue of changes in “%s” is too large to read."), self->path);
      return FALSE;
    }

  /* Only complete lines: a crash mid-write leaves the last one torn. */
  for (p = contents; p < contents + length; p = end + 1)
    {
      end = memchr (p, '\n', contents + length - p);
      if (end == NULL)
        break;
      self->n_lines++;
      if (end > p)
        replay_line (self, p, end - p);
    }

  /* A torn tail would glue itself to the next line appended. */
  if (p < contents + length || self->n_lines > COMPACT_MIN_LINES)
    compact (self);
  return TRUE;
}

guint64
prov_sync_queue_push (ProvSyncQueue        *self,
                      const ProvOperation  *operation)
{
  Entry *entry;

  g_return_val_if_fail (PROV_IS_SYNC_QUEUE (self), 0);
  g_return_val_if_fail (operation != NULL && operation->user_name != NULL, 0);
  g_return_val_if_fail (operation->action != PROV_ACTION_NONE, 0);

  entry = g_new0 (Entry, 1);
  entry->sequence = ++self->last_sequence;
  entry->key = g_utf8_casefold (operation->user_name, -1);
  entry->operation = prov_operation_copy (operation);
  g_hash_table_replace (self->by_user, entry->key, entry);

  append (self, entry_to_line (entry));
  return entry->sequence;
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvSyncQueue *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!prov_write_queue_flush_finish (result, &error))
    {
      /* What is in memory is whole; the file may not be. */
      self->broken = TRUE;
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
prov_sync_queue_flush_async (ProvSyncQueue       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_SYNC_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_sync_queue_flush_async);
  /* A write failed and nothing was written since: the rewrite is due now. */
  if (self->broken)
    compact (self);
  prov_write_queue_flush_async (self->writes, cancellable, flushed_cb, task);
}

gboolean
prov_sync_queue_flush_finish (ProvSyncQueue  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
prov_sync_queue_dup_pending (ProvSyncQueue  *self,
                             GArray        **sequences)
{
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *operations;

  g_return_val_if_fail (PROV_IS_SYNC_QUEUE (self), NULL);

  entries = sorted_entries (self);
  operations = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_operation_free);
  if (sequences != NULL)
    *sequences = g_array_sized_new (FALSE, FALSE, sizeof (guint64), entries->len);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      g_ptr_array_add (operations, prov_operation_copy (entry->operation));
      if (sequences != NULL)
        g_array_append_val (*sequences, entry->sequence);
    }
  return operations;
}

guint
prov_sync_queue_get_length (ProvSyncQueue *self)
{
  g_return_val_if_fail (PROV_IS_SYNC_QUEUE (self), 0);
  return g_hash_table_size (self->by_user);
}

gboolean
prov_sync_queue_remove (ProvSyncQueue  *self,
                        const char     *user_name,
                        guint64         sequence)
{
  g_autofree char *key = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  Entry *entry;

  g_return_val_if_fail (PROV_IS_SYNC_QUEUE (self), FALSE);
  g_return_val_if_fail (user_name != NULL, FALSE);

  key = g_utf8_casefold (user_name, -1);
  entry = g_hash_table_lookup (self->by_user, key);
  if (entry == NULL || entry->sequence != sequence)
    return FALSE;

  g_hash_table_remove (self->by_user, key);

  if (self->n_lines > COMPACT_MIN_LINES && self->n_lines > 4 * g_hash_table_size (self->by_user))
    {
      compact (self);
      return TRUE;
    }

  json_object_set_int_member (object, "seq", (gint64) sequence);
  json_object_set_string_member (object, "user", user_name);
  json_object_set_boolean_member (object, "done", TRUE);
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  append (self, g_strconcat (text, "\n", NULL));
  return TRUE;
}
