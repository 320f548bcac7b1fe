/* prov-cli-sync.c — `provisioner sync`: real-time provisioning without a
 * display
 *
 * One line on stdout per pushed change and per failure (users failing for
 * the reason just printed are counted in one line; a target's failure is
 * said once, not at every retry, and so is its end; the same for the
 * source), flushed at once,
 * so journald (under the systemd user unit) or a pipe sees it as it
 * happens. SIGTERM and SIGINT stop the loop: pushes on the wire get a few
 * seconds, the queues stay on disk, the exit status is 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "prov-cli.h"
#include "prov-error.h"
#include "prov-sync.h"

/* The failure last printed for a target, and how many more users have
 * failed for the same reason since: a target that cannot be reached fails
 * every user alike, and journald should not get thousands of equal lines. */
typedef struct
{
  char  *message;
  guint  repeats;
} LastFailure;

typedef struct
{
  ProvCli    *cli;
  ProvSync   *sync;
  GHashTable *announced;   /* uuid → the failure or pause last printed */
  GHashTable *last_failures;   /* uuid → LastFailure */
  char       *source_said;     /* the source's problem last printed */
  gboolean    once;
  gboolean    elsewhere_said;  /* another process syncs, and that was said */
  gboolean    failed;
  gboolean    stopped;
  guint       reload_id;
} SyncCommand;

static void
last_failure_free (LastFailure *last)
{
  g_free (last->message);
  g_free (last);
}

static const char *
target_name (SyncCommand *command,
             const char  *uuid)
{
  GListModel *store = G_LIST_MODEL (prov_target_service_get_store (command->cli->service));

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (store, i);

      if (g_str_equal (prov_target_system_get_uuid (target), uuid))
        return prov_target_system_get_display_name (target);
    }
  return uuid;
}

static void
log_line (const char *format,
          ...) G_GNUC_PRINTF (1, 2);

static void
log_line (const char *format,
          ...)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("%s %s\n", stamp, message);
  fflush (stdout);
}

/* Says how many users failed like the one printed, and forgets it. */
static void
flush_repeats (SyncCommand *command,
               const char  *uuid)
{
  LastFailure *last = g_hash_table_lookup (command->last_failures, uuid);

  if (last != NULL && last->repeats > 0)
    /* Translators: a target system, then a number of users */
    log_line (ngettext ("%s: %u more user failed for the same reason, kept for the next try",
                        "%s: %u more users failed for the same reason, kept for the next try",
                        last->repeats),
              target_name (command, uuid), last->repeats);
  g_hash_table_remove (command->last_failures, uuid);
}

static void
flush_all_repeats (SyncCommand *command)
{
  g_autoptr(GList) uuids = g_hash_table_get_keys (command->last_failures);

  for (GList *l = uuids; l != NULL; l = l->next)
    {
      g_autofree char *uuid = g_strdup (l->data);
      flush_repeats (command, uuid);
    }
}

static void
pushed_cb (ProvSync    *sync,
           const char  *uuid,
           const char  *user_name,
           guint        action,
           gboolean     ok,
           const char  *message,
           SyncCommand *command)
{
  LastFailure *last = g_hash_table_lookup (command->last_failures, uuid);

  if (ok)
    {
      flush_repeats (command, uuid);
      /* Translators: a target system, an action (Create, Update…), a user name */
      log_line (_("%s: %s %s"), target_name (command, uuid),
                prov_action_to_label (action), user_name);
      return;
    }

  command->failed = TRUE;
  /* The target's “failing” line says this reason already: the retries
   * that fail alike, every interval until it works, say nothing more. */
  if (g_strcmp0 (g_hash_table_lookup (command->announced, uuid), message) == 0)
    return;
  if (last != NULL && g_strcmp0 (last->message, message) == 0)
    {
      last->repeats++;
      return;
    }
  flush_repeats (command, uuid);
  /* Translators: a target system, an action, a user name, why it failed */
  log_line (_("%s: %s %s failed, kept for the next try: %s"), target_name (command, uuid),
            prov_action_to_label (action), user_name, message);
  last = g_new0 (LastFailure, 1);
  last->message = g_strdup (message);
  g_hash_table_insert (command->last_failures, g_strdup (uuid), last);
}

static void
target_changed_cb (ProvSync    *sync,
                   const char  *uuid,
                   SyncCommand *command)
{
  ProvSyncState state = prov_sync_get_state (sync, uuid);
  const char *sentence = state == PROV_SYNC_STATE_PAUSED ? prov_sync_get_pause_reason (sync, uuid)
                       : state == PROV_SYNC_STATE_FAILING ? prov_sync_get_failure (sync, uuid)
                       : NULL;

  flush_repeats (command, uuid);

  /* Said once for all targets: they all wait for the other process. */
  if (state == PROV_SYNC_STATE_ELSEWHERE)
    {
      command->failed = TRUE;
      if (!command->elsewhere_said)
        log_line ("%s", command->once
                  ? _("Real-time provisioning runs in another process (the Provisioner window, or another provisioner sync): nothing was pushed.")
                  : _("Real-time provisioning runs in another process (the Provisioner window, or another provisioner sync): this one waits until it stops."));
      command->elsewhere_said = TRUE;
      return;
    }
  if (command->elsewhere_said)
    {
      command->elsewhere_said = FALSE;
      log_line ("%s", _("The other process stopped: this one syncs now."));
    }

  /* Every check ends in a change of each target's state: the end of the
   * source's problem is said here, once. */
  if (command->source_said != NULL && prov_sync_get_source_problem (sync) == NULL)
    {
      g_clear_pointer (&command->source_said, g_free);
      log_line ("%s", _("Source: read again"));
    }

  if (sentence == NULL)
    {
      if (g_hash_table_remove (command->announced, uuid))
        /* Translators: a target system that failed or was paused */
        log_line (_("%s: syncing again"), target_name (command, uuid));
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (command->announced, uuid), sentence) == 0)
    return;

  g_hash_table_insert (command->announced, g_strdup (uuid), g_strdup (sentence));
  command->failed = TRUE;
  if (state == PROV_SYNC_STATE_PAUSED)
    /* Translators: a target system, then why its sync is paused */
    log_line (_("%s: paused: %s"), target_name (command, uuid), sentence);
  else
    /* Translators: a target system, then why it fails */
    log_line (_("%s: failing: %s"), target_name (command, uuid), sentence);
}

static void
source_failed_cb (ProvSync    *sync,
                  const char  *message,
                  SyncCommand *command)
{
  command->failed = TRUE;
  /* Said once until it changes or ends, not at every check. */
  if (g_strcmp0 (command->source_said, message) == 0)
    return;
  g_free (command->source_said);
  command->source_said = g_strdup (message);
  /* Translators: why the source could not be read */
  log_line (_("Source: %s"), message);
}

static void
stopped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SyncCommand *command = user_data;

  prov_sync_stop_finish (PROV_SYNC (object), result, NULL);
  command->stopped = TRUE;
}

static gboolean
signal_cb (gpointer user_data)
{
  SyncCommand *command = user_data;

  log_line ("%s", _("Stopping; waiting changes stay queued."));
  prov_sync_stop_async (command->sync, stopped_cb, command);
  return G_SOURCE_CONTINUE;
}

static void
reloaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!prov_target_service_load_finish (PROV_TARGET_SERVICE (object), result, &error))
    log_line ("%s", error->message);
}

static gboolean
reload_cb (gpointer user_data)
{
  SyncCommand *command = user_data;

  command->reload_id = 0;
  prov_target_service_load_async (command->cli->service, NULL, reloaded_cb, NULL);
  return G_SOURCE_REMOVE;
}

/* `targets edit` and `source set` in another shell take effect at the
 * next check: targets.json and source.json are read again once the
 * folder has been quiet for half a second. */
static void
config_changed_cb (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other,
                   GFileMonitorEvent  event,
                   SyncCommand       *command)
{
  g_autofree char *name = g_file_get_basename (other != NULL && event != G_FILE_MONITOR_EVENT_DELETED
                                                ? other : file);

  if (!g_str_has_suffix (name, ".json"))
    return;
  g_clear_handle_id (&command->reload_id, g_source_remove);
  command->reload_id = g_timeout_add (500, reload_cb, command);
}

static GFileMonitor *
watch_config (SyncCommand *command)
{
  const char *path = prov_target_store_get_path (prov_target_service_get_store (command->cli->service));
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
  GFileMonitor *monitor;

  monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (monitor != NULL)
    g_signal_connect (monitor, "changed", G_CALLBACK (config_changed_cb), command);
  return monitor;
}

/* A person's confirmation of a paused target, kept in its pause record:
 * a sync running elsewhere (the systemd unit, the window) lets the
 * removals go at its next check, or the next sync to start does. */
static ProvCliExit
resume (ProvCli    *cli,
        const char *name)
{
  ProvTargetSystem *target = prov_cli_find_target (cli, name);
  g_autoptr(GError) error = NULL;

  if (target == NULL)
    return PROV_CLI_EXIT_USAGE;
  if (!prov_sync_confirm_pause (NULL, prov_target_system_get_uuid (target), &error))
    {
      if (g_error_matches (error, PROV_ERROR, PROV_ERROR_NOT_FOUND))
        {
          /* Translators: a target system */
          prov_cli_error (_("Real-time provisioning of %s is not paused."),
                          prov_target_system_get_display_name (target));
          return PROV_CLI_EXIT_FAILED;
        }
      return prov_cli_report_error (error);
    }
  /* Translators: a target system */
  log_line (_("%s: resumed; the next check pushes the removals that paused it."),
            prov_target_system_get_display_name (target));
  return PROV_CLI_EXIT_OK;
}

static guint
count_real_time_targets (ProvCli *cli)
{
  GListModel *store = G_LIST_MODEL (prov_target_service_get_store (cli->service));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (store, i);
      n += prov_target_system_get_real_time (target) ? 1 : 0;
    }
  return n;
}

int
prov_cli_sync (ProvCli *cli,
               int      argc,
               char   **argv)
{
  gboolean once = FALSE;
  g_autofree char *interval_text = NULL;
  guint64 interval = PROV_SYNC_DEFAULT_INTERVAL;
  g_autofree char *resume_name = NULL;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Check and push once, then exit"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval_text, N_("Seconds between checks (5 to 86400)"), N_("SECONDS") },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume_name,
      N_("Confirm the removals that paused this target’s sync, then exit (or go on with --once)"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(ProvSync) sync = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GHashTable) announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) last_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               (GDestroyNotify) last_failure_free);
  SyncCommand command = { cli, NULL, announced, last_failures, NULL, FALSE, FALSE, FALSE, FALSE, 0 };
  const char *scale = g_getenv ("PROVISIONER_TIME_SCALE");
  ProvCliExit status;
  guint sigint, sigterm;

  if (!prov_cli_parse ("sync", NULL, _("Pushes every change of the source to every target system with real-time provisioning on."),
                       entries, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      prov_cli_error (_("Unexpected argument “%s”."), argv[1]);
      return PROV_CLI_EXIT_USAGE;
    }
  if (interval_text != NULL &&
      !g_ascii_string_to_unsigned (interval_text, 10, PROV_SYNC_MIN_INTERVAL, PROV_SYNC_MAX_INTERVAL,
                                   &interval, NULL))
    {
      /* Translators: the fewest and the most seconds, then what was given */
      prov_cli_error (_("--interval takes a whole number of seconds from %d to %d, not “%s”."),
                      PROV_SYNC_MIN_INTERVAL, PROV_SYNC_MAX_INTERVAL, interval_text);
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    return status;
  if (resume_name != NULL && ((status = resume (cli, resume_name)) != PROV_CLI_EXIT_OK || !once))
    return status;

  if (count_real_time_targets (cli) == 0)
    prov_cli_error ("%s", _("No target system has real-time provisioning on (targets edit NAME --real-time on)."));

  sync = prov_sync_new (cli->service);
  command.sync = sync;
  command.once = once;
  prov_sync_set_interval (sync, (guint) interval);
  if (scale != NULL && g_ascii_strtod (scale, NULL) > 0)
    prov_sync_set_time_scale (sync, g_ascii_strtod (scale, NULL));
  g_signal_connect (sync, "pushed", G_CALLBACK (pushed_cb), &command);
  g_signal_connect (sync, "target-changed", G_CALLBACK (target_changed_cb), &command);
  g_signal_connect (sync, "source-failed", G_CALLBACK (source_failed_cb), &command);

  sigint = g_unix_signal_add (SIGINT, signal_cb, &command);
  sigterm = g_unix_signal_add (SIGTERM, signal_cb, &command);

  if (once)
    {
      g_autoptr(GAsyncResult) result = NULL;

      prov_sync_run_once_async (sync, cli->cancellable, prov_cli_result_cb, &result);
      prov_sync_run_once_finish (sync, prov_cli_wait (&result), NULL);
      if (!command.stopped)
        prov_sync_stop_async (sync, stopped_cb, &command);
    }
  else
    {
      /* Translators: %u is a number of seconds */
      log_line (_("Syncing every %u seconds."), (guint) interval);
      monitor = watch_config (&command);
      prov_sync_start (sync);
    }

  while (!command.stopped)
    g_main_context_iteration (NULL, TRUE);
  flush_all_repeats (&command);

  if (monitor != NULL)
    g_signal_handlers_disconnect_by_data (monitor, &command);
  g_clear_handle_id (&command.reload_id, g_source_remove);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (sync, &command);
  g_free (command.source_said);
  /* A loop stopped by a signal did its job; --once says whether all went. */
  return once && command.failed ? PROV_CLI_EXIT_FAILED : PROV_CLI_EXIT_OK;
}
