/* prov-file-watch.c — tells when a file of ours may have changed on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-config-file.h"
#include "prov-file-watch.h"

struct _ProvFileWatch
{
  GObject       parent_instance;

  char         *path;      /* symlinks followed */
  GFileMonitor *monitor;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (ProvFileWatch, prov_file_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
prov_file_watch_finalize (GObject *object)
{
  ProvFileWatch *self = (ProvFileWatch *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (prov_file_watch_parent_class)->finalize (object);
}

static void
prov_file_watch_class_init (ProvFileWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_file_watch_finalize;

  /**
   * ProvFileWatch::changed:
   * @stamp: the file's stamp now, PROV_CONFIG_FILE_ABSENT when it is gone
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
prov_file_watch_init (ProvFileWatch *self)
{
  self->cancellable = g_cancellable_new ();
}

static void
stamp_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_task_return_pointer (task, prov_config_file_stamp (task_data), g_free);
}

static void
stamp_taken_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree char *stamp = g_task_propagate_pointer (G_TASK (result), NULL);

  if (stamp != NULL)
    g_signal_emit (object, signals[CHANGED], 0, stamp);
}

void
prov_file_watch_check (ProvFileWatch *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PROV_IS_FILE_WATCH (self));

  task = g_task_new (self, self->cancellable, stamp_taken_cb, NULL);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, stamp_thread);
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    ProvFileWatch     *self)
{
  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT ||
      event == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;

  prov_file_watch_check (self);
}

ProvFileWatch *
prov_file_watch_new (const char *path)
{
  ProvFileWatch *self;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PROV_TYPE_FILE_WATCH, NULL);
  /* A symlinked file changes where the link points. */
  self->path = prov_config_file_resolve (path);
  file = g_file_new_for_path (self->path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &error);
  if (self->monitor == NULL)
    g_debug ("Cannot watch %s: %s", self->path, error->message);
  else
    g_signal_connect_object (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
  return self;
}
