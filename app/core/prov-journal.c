/* prov-journal.c — a record of every provisioning run
 *
 * One JSON object a line: a "run" header, an "entry" per user, and a "end"
 * line. A run without its end line was interrupted, and says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-journal.h"
#include "prov-json-reader.h"
#include "prov-json-text.h"
#include "prov-write-queue.h"

/* A run of 100,000 users writes about 20 MB. */
#define MAX_JOURNAL_SIZE (128 * 1024 * 1024)
/* A line holds one user name and one sentence. */
#define MAX_LINE_SIZE (1024 * 1024)

/* The open file; used only on the writer thread once the run started. */
typedef struct
{
  char *path;
  FILE *file;
} JournalFile;

struct _ProvJournal
{
  GObject         parent_instance;

  JournalFile     out;
  ProvWriteQueue *queue;
};

G_DEFINE_FINAL_TYPE (ProvJournal, prov_journal, G_TYPE_OBJECT)

static const char * const action_keys[] = { "none", "create", "update", "deactivate", "delete" };

void
prov_journal_entry_free (ProvJournalEntry *entry)
{
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry->user_name);
  g_free (entry->message);
  g_free (entry);
}

void
prov_journal_run_free (ProvJournalRun *run)
{
  g_free (run->path);
  g_clear_pointer (&run->started, g_date_time_unref);
  g_free (run->target_uuid);
  g_free (run->target_name);
  g_free (run->scenario);
  g_free (run->error);
  g_free (run);
}

static void
prov_journal_finalize (GObject *object)
{
  ProvJournal *self = (ProvJournal *)object;

  /* Waits for the queued records, which use the file. */
  g_clear_object (&self->queue);
  if (self->out.file != NULL)
    fclose (self->out.file);
  g_clear_pointer (&self->out.path, g_free);

  G_OBJECT_CLASS (prov_journal_parent_class)->finalize (object);
}

static void
prov_journal_class_init (ProvJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_journal_finalize;
}

static void
prov_journal_init (ProvJournal *self)
{
  self->queue = prov_write_queue_new ();
}

char *
prov_journal_get_default_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), BASE_APP_ID, "journal", NULL);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format_iso8601 (now);
}

typedef struct
{
  JournalFile *out;
  char        *text;     /* NULL: close the file */
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->text);
  g_free (line);
}

/* On the writer thread. */
static gboolean
write_line_now (gpointer   data,
                GError   **error)
{
  Line *line = data;
  JournalFile *out = line->out;

  if (out->file == NULL)
    return TRUE;

  if (line->text == NULL)
    {
      fclose (out->file);
      out->file = NULL;
      return TRUE;
    }

  /* Flushed line by line: a crash mid-run keeps everything before it. */
  if (fprintf (out->file, "%s\n", line->text) < 0 || fflush (out->file) != 0)
    {
      int saved_errno = errno;

      g_warning ("Could not write to the journal %s: %s", out->path, g_strerror (saved_errno));
      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("The run’s journal “%s” could not be written: %s"),
                   out->path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Queues one line (or, for NULL, the closing of the file). Takes @text:
 * from here on only the writer's thread touches it. */
static void
write_text (ProvJournal *self,
            char        *text)
{
  Line *line = g_new0 (Line, 1);

  line->out = &self->out;
  line->text = text;
  prov_write_queue_push (self->queue, write_line_now, line, line_free);
}

/* The first and the last line of a run: once each, as json-glib writes them. */
static void
write_object (ProvJournal *self,
              JsonObject  *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  write_text (self, json_to_string (node, FALSE));
}

static ProvJournal *
open_journal (const char  *dir,
              const char  *target_uuid,
              const char  *target_name,
              const char  *scenario,
              GError     **error)
{
  g_autoptr(ProvJournal) self = NULL;
  g_autofree char *default_dir = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autoptr(JsonObject) header = json_object_new ();
  g_autofree char *when = now_iso8601 ();
  g_autofree char *name = NULL;
  int fd;

  if (dir == NULL)
    dir = default_dir = prov_journal_get_default_dir ();

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("The run’s journal cannot be kept in “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (PROV_TYPE_JOURNAL, NULL);
  for (guint i = 0; ; i++)
    {
      g_free (name);
      name = i == 0 ? g_strdup_printf ("%s-%.8s.jsonl", stamp, target_uuid)
                    : g_strdup_printf ("%s-%.8s-%u.jsonl", stamp, target_uuid, i);
      g_free (self->out.path);
      self->out.path = g_build_filename (dir, name, NULL);

      fd = g_open (self->out.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0 || errno != EEXIST)
        break;
    }

  if (fd < 0 || (self->out.file = fdopen (fd, "w")) == NULL)
    {
      int saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("The run’s journal cannot be kept in “%s”: %s"), self->out.path, g_strerror (saved_errno));
      return NULL;
    }

  json_object_set_string_member (header, "type", "run");
  json_object_set_string_member (header, "time", when);
  json_object_set_string_member (header, "target-uuid", target_uuid);
  json_object_set_string_member (header, "target-name", target_name);
  json_object_set_string_member (header, "scenario", scenario ? scenario : "");
  write_object (self, header);

  return g_steal_pointer (&self);
}

ProvJournal *
prov_journal_new_run (const char        *dir,
                      ProvTargetSystem  *target,
                      const char        *scenario,
                      GError           **error)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  return open_journal (dir, prov_target_system_get_uuid (target),
                       prov_target_system_get_display_name (target), scenario, error);
}

typedef struct
{
  char *dir;
  char *target_uuid;
  char *target_name;
  char *scenario;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  g_free (open->dir);
  g_free (open->target_uuid);
  g_free (open->target_name);
  g_free (open->scenario);
  g_free (open);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *open = task_data;
  GError *error = NULL;
  ProvJournal *journal = open_journal (open->dir, open->target_uuid, open->target_name,
                                       open->scenario, &error);

  if (journal == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, journal, g_object_unref);
}

void
prov_journal_new_run_async (const char          *dir,
                            ProvTargetSystem    *target,
                            const char          *scenario,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *open;

  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  open = g_new0 (OpenData, 1);
  open->dir = g_strdup (dir);
  open->target_uuid = g_strdup (prov_target_system_get_uuid (target));
  open->target_name = g_strdup (prov_target_system_get_display_name (target));
  open->scenario = g_strdup (scenario);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_journal_new_run_async);
  g_task_set_task_data (task, open, open_data_free);
  g_task_run_in_thread (task, open_thread);
}

ProvJournal *
prov_journal_new_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
prov_journal_flush_async (ProvJournal         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PROV_IS_JOURNAL (self));
  prov_write_queue_flush_async (self->queue, cancellable, callback, user_data);
}

gboolean
prov_journal_flush_finish (GAsyncResult  *result,
                           GError       **error)
{
  return prov_write_queue_flush_finish (result, error);
}

const char *
prov_journal_get_path (ProvJournal *self)
{
  g_return_val_if_fail (PROV_IS_JOURNAL (self), NULL);
  return self->out.path;
}

/* A line a user, so made as text: a json-glib tree for each, written out
 * again, was ~4% of a 5,000-user run's CPU. */
void
prov_journal_record (ProvJournal *self,
                     const char  *user_name,
                     ProvAction   action,
                     gboolean     ok,
                     const char  *message)
{
  g_autofree char *when = NULL;
  GString *entry;

  g_return_if_fail (PROV_IS_JOURNAL (self));
  g_return_if_fail (action < PROV_N_ACTIONS);

  when = now_iso8601 ();
  entry = g_string_sized_new (128);
  g_string_append (entry, "{\"type\":\"entry\",\"time\":");
  prov_json_text_append_string (entry, when);
  g_string_append (entry, ",\"user\":");
  prov_json_text_append_string (entry, user_name);
  g_string_append_printf (entry, ",\"action\":\"%s\",\"ok\":%s", action_keys[action], ok ? "true" : "false");
  if (message != NULL)
    {
      g_string_append (entry, ",\"message\":");
      prov_json_text_append_string (entry, message);
    }
  g_string_append_c (entry, '}');
  write_text (self, g_string_free (entry, FALSE));
}

static void
write_end (ProvJournal *self,
           guint        succeeded,
           guint        failed,
           gboolean     cancelled,
           const char  *error)
{
  g_autoptr(JsonObject) end = json_object_new ();
  g_autofree char *when = now_iso8601 ();

  json_object_set_string_member (end, "type", "end");
  json_object_set_string_member (end, "time", when);
  json_object_set_int_member (end, "succeeded", succeeded);
  json_object_set_int_member (end, "failed", failed);
  json_object_set_boolean_member (end, "cancelled", cancelled);
  if (error != NULL)
    json_object_set_string_member (end, "error", error);
  write_object (self, end);
  write_text (self, NULL);
}

void
prov_journal_finish (ProvJournal *self,
                     guint        succeeded,
                     guint        failed,
                     gboolean     cancelled)
{
  g_return_if_fail (PROV_IS_JOURNAL (self));
  write_end (self, succeeded, failed, cancelled, NULL);
}

void
prov_journal_finish_not_started (ProvJournal *self,
                                 const char  *message)
{
  g_return_if_fail (PROV_IS_JOURNAL (self));
  g_return_if_fail (message != NULL);
  write_end (self, 0, 0, FALSE, message);
}

/* Reading */

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static ProvAction
action_from_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_keys); i++)
    if (g_strcmp0 (key, action_keys[i]) == 0)
      return i;
  return PROV_ACTION_NONE;
}

typedef void (*LineFunc) (JsonObject *object,
                          gpointer    data);

/* Only a regular file, and not a huge one: never a FIFO named *.jsonl. */
static GBytes *
read_journal (const char  *path,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  bytes = prov_config_file_read (path, MAX_JOURNAL_SIZE, NULL, &local_error);
  if (bytes == NULL)
    g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                 _("The journal cannot be read: %s"), local_error->message);
  return bytes;
}

/* One line as an object, or NULL when it is damaged (a crash mid-write).
 * Too long or too deep counts as damaged: checked before json-glib, which
 * recurses per level. */
static JsonNode *
parse_line (const char *line,
            gsize       length)
{
  JsonNode *root;

  if (length == 0)
    return NULL;
  root = prov_json_reader_parse (line, length, MAX_LINE_SIZE, 0, NULL);
  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root))
    g_clear_pointer (&root, json_node_unref);
  return root;
}

/* Calls @func for each well-formed line of @bytes; damaged lines are
 * skipped. */
static void
for_each_line_of (GBytes   *bytes,
                  LineFunc  func,
                  gpointer  data)
{
  gsize size;
  const char *p = g_bytes_get_data (bytes, &size);
  const char *end;

  if (p == NULL)   /* an empty file */
    return;
  end = p + size;
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *next = eol != NULL ? eol + 1 : end;
      g_autoptr(JsonNode) root = parse_line (p, (eol != NULL ? eol : end) - p);

      if (root != NULL)
        func (json_node_get_object (root), data);
      p = next;
    }
}

static gboolean
for_each_line (const char  *path,
               LineFunc     func,
               gpointer     data,
               GError     **error)
{
  g_autoptr(GBytes) bytes = read_journal (path, error);

  if (bytes == NULL)
    return FALSE;
  for_each_line_of (bytes, func, data);
  return TRUE;
}

static void
summarize_line (JsonObject *object,
                gpointer    data)
{
  ProvJournalRun *run = data;
  const char *type = prov_json_get_string (object, "type");

  if (g_strcmp0 (type, "run") == 0)
    {
      const char *time = prov_json_get_string (object, "time");

      /* One run line per file; a damaged file may hold more: the last wins. */
      g_clear_pointer (&run->started, g_date_time_unref);
      run->started = time ? g_date_time_new_from_iso8601 (time, NULL) : NULL;
      g_free (run->target_uuid);
      run->target_uuid = g_strdup (prov_json_get_string (object, "target-uuid"));
      g_free (run->target_name);
      run->target_name = g_strdup (prov_json_get_string (object, "target-name"));
      g_free (run->scenario);
      run->scenario = g_strdup (prov_json_get_string (object, "scenario"));
    }
  else if (g_strcmp0 (type, "entry") == 0)
    {
      if (json_object_get_boolean_member_with_default (object, "ok", FALSE))
        run->succeeded++;
      else
        run->failed++;
    }
  else if (g_strcmp0 (type, "end") == 0)
    {
      run->finished = TRUE;
      run->cancelled = json_object_get_boolean_member_with_default (object, "cancelled", FALSE);
      run->succeeded = member_int (object, "succeeded");
      run->failed = member_int (object, "failed");
      g_free (run->error);
      run->error = g_strdup (prov_json_get_string (object, "error"));
    }
}

/* A run the app ended has its run line first and its end line last, and
 * these two say all that the history lists: the entries of a long run
 * are not parsed. A file that is not so (a run that stopped, a damaged
 * file, two joined) is read line by line. */
static gboolean
summarize_ended_run (GBytes         *bytes,
                     ProvJournalRun *run)
{
  static const char run_prefix[] = "{\"type\":\"run\"";
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *end = data != NULL ? data + size : NULL;
  const char *first_end = data != NULL ? memchr (data, '\n', size) : NULL;
  const char *last = NULL;
  gsize last_length = 0;
  g_autoptr(JsonNode) first_line = NULL;
  g_autoptr(JsonNode) last_line = NULL;

  if (first_end == NULL)
    return FALSE;
  /* Any other run line: the line by line reading decides which counts. */
  for (const char *p = first_end + 1; p < end;)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize length = (eol != NULL ? eol : end) - p;

      if (length >= sizeof run_prefix - 1 && memcmp (p, run_prefix, sizeof run_prefix - 1) == 0)
        return FALSE;
      if (length > 0)
        {
          last = p;
          last_length = length;
        }
      p = eol != NULL ? eol + 1 : end;
    }
  if (last == NULL)
    return FALSE;

  first_line = parse_line (data, first_end - data);
  last_line = parse_line (last, last_length);
  if (first_line == NULL || last_line == NULL ||
      g_strcmp0 (prov_json_get_string (json_node_get_object (first_line), "type"), "run") != 0 ||
      g_strcmp0 (prov_json_get_string (json_node_get_object (last_line), "type"), "end") != 0)
    return FALSE;
  summarize_line (json_node_get_object (first_line), run);
  summarize_line (json_node_get_object (last_line), run);
  return TRUE;
}

static int
compare_runs (gconstpointer a,
              gconstpointer b)
{
  const ProvJournalRun *run_a = *(ProvJournalRun * const *) a;
  const ProvJournalRun *run_b = *(ProvJournalRun * const *) b;

  /* File names start with the time, so they sort by it; newest first. */
  return -g_strcmp0 (run_a->path, run_b->path);
}

GPtrArray *
prov_journal_list_runs (const char *dir,
                        const char *target_uuid)
{
  g_autofree char *default_dir = NULL;
  g_autoptr(GDir) listing = NULL;
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_journal_run_free);
  const char *name;

  if (dir == NULL)
    dir = default_dir = prov_journal_get_default_dir ();

  listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL)
    return runs;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      ProvJournalRun *run;

      if (!g_str_has_suffix (name, ".jsonl"))
        continue;

      run = g_new0 (ProvJournalRun, 1);
      run->path = g_build_filename (dir, name, NULL);
      bytes = read_journal (run->path, NULL);
      if (bytes != NULL && !summarize_ended_run (bytes, run))
        for_each_line_of (bytes, summarize_line, run);

      if (run->target_uuid == NULL ||
          (target_uuid != NULL && g_strcmp0 (run->target_uuid, target_uuid) != 0))
        {
          prov_journal_run_free (run);
          continue;
        }
      g_ptr_array_add (runs, run);
    }

  g_ptr_array_sort (runs, compare_runs);
  return runs;
}

static void
collect_entry (JsonObject *object,
               gpointer    data)
{
  GPtrArray *entries = data;
  ProvJournalEntry *entry;
  const char *time;

  if (g_strcmp0 (prov_json_get_string (object, "type"), "entry") != 0)
    return;

  entry = g_new0 (ProvJournalEntry, 1);
  time = prov_json_get_string (object, "time");
  entry->time = time ? g_date_time_new_from_iso8601 (time, NULL) : NULL;
  entry->user_name = g_strdup (prov_json_get_string (object, "user"));
  entry->action = action_from_key (prov_json_get_string (object, "action"));
  entry->ok = json_object_get_boolean_member_with_default (object, "ok", FALSE);
  entry->message = g_strdup (prov_json_get_string (object, "message"));
  g_ptr_array_add (entries, entry);
}

GPtrArray *
prov_journal_read_entries (const char  *path,
                           GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_journal_entry_free);

  if (!for_each_line (path, collect_entry, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}

/* RFC 4180: quote every field, double the quotes inside. A value that
 * starts with =, +, -, @, a tab, a carriage return or a line feed gets a
 * leading ' so a spreadsheet does not run it as a formula (OWASP's list). */
static void
append_csv_field (GString    *csv,
                  const char *value)
{
  g_string_append_c (csv, '"');
  if (value != NULL && value[0] != '\0' && strchr ("=+-@\t\r\n", value[0]) != NULL)
    g_string_append_c (csv, '\'');
  for (const char *p = value ? value : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

GBytes *
prov_journal_format_csv (const char  *path,
                         GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  GString *csv;

  entries = prov_journal_read_entries (path, error);
  if (entries == NULL)
    return NULL;

  csv = g_string_new (NULL);

  g_string_append (csv, "time,user,action,outcome,message\r\n");
  for (guint i = 0; i < entries->len; i++)
    {
      ProvJournalEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *time = entry->time ? g_date_time_format_iso8601 (entry->time) : NULL;

      append_csv_field (csv, time);
      g_string_append_c (csv, ',');
      append_csv_field (csv, entry->user_name);
      g_string_append_c (csv, ',');
      append_csv_field (csv, action_keys[entry->action]);
      g_string_append_c (csv, ',');
      append_csv_field (csv, entry->ok ? "ok" : "failed");
      g_string_append_c (csv, ',');
      append_csv_field (csv, entry->message);
      g_string_append (csv, "\r\n");
    }
  return g_string_free_to_bytes (csv);
}

gboolean
prov_journal_export_csv (const char  *path,
                         GFile       *destination,
                         GError     **error)
{
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) local_error = NULL;

  csv = prov_journal_format_csv (path, error);
  if (csv == NULL)
    return FALSE;

  if (!g_file_replace_contents (destination, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (destination);

      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   /* Translators: a file name, then why (“Permission denied”) */
                   _("The journal could not be exported to “%s”: %s"),
                   name, prov_error_file_reason (local_error));
      return FALSE;
    }

  return TRUE;
}

/* Reading off the main loop, for the history */

typedef struct
{
  char *dir_or_path;
  char *target_uuid;
} ReadData;

static void
read_data_free (gpointer data)
{
  ReadData *read = data;

  g_free (read->dir_or_path);
  g_free (read->target_uuid);
  g_free (read);
}

static GTask *
read_task_new (const char          *dir_or_path,
               const char          *target_uuid,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ReadData *read = g_new0 (ReadData, 1);

  read->dir_or_path = g_strdup (dir_or_path);
  read->target_uuid = g_strdup (target_uuid);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, read, read_data_free);
  return task;
}

static void
list_runs_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ReadData *read = task_data;

  g_task_return_pointer (task, prov_journal_list_runs (read->dir_or_path, read->target_uuid),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
prov_journal_list_runs_async (const char          *dir,
                              const char          *target_uuid,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = read_task_new (dir, target_uuid, prov_journal_list_runs_async,
                                         cancellable, callback, user_data);
  g_task_run_in_thread (task, list_runs_thread);
}

GPtrArray *
prov_journal_list_runs_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
read_entries_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ReadData *read = task_data;
  GError *error = NULL;
  GPtrArray *entries = prov_journal_read_entries (read->dir_or_path, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

void
prov_journal_read_entries_async (const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = read_task_new (path, NULL, prov_journal_read_entries_async,
                        cancellable, callback, user_data);
  g_task_run_in_thread (task, read_entries_thread);
}

GPtrArray *
prov_journal_read_entries_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
