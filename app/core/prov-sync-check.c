/* prov-sync-check.c — one check of the source for real-time provisioning
 *
 * Reads the source — a tenant's delta query (`meta.lastModified gt`), a
 * full read when the delta is refused, when the tenant's totalResults
 * changed (someone was deleted) or every reconciliation period; a CSV file
 * when its monitor saw it change — and plans every target with real time
 * on with ProvPlan against what was pushed, into the target's queue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-sync-private.h"
#include "prov-target-json.h"
#include "prov-user.h"

/* A CSV file is read once it has been quiet this long. */
#define CSV_SETTLE_MSEC 1000

/* Planning what the source says into the queues */

static guint
count_leaving (ProvPlan *plan)
{
  return prov_plan_count (plan, PROV_ACTION_DEACTIVATE) + prov_plan_count (plan, PROV_ACTION_DELETE);
}

static char *
pause_sentence (guint n)
{
  return g_strdup_printf (ngettext ("The source no longer has %u user provisioned here, more than the threshold allows; nothing was removed. Confirm to go on.",
                                    "The source no longer has %u users provisioned here, more than the threshold allows; nothing was removed. Confirm to go on.",
                                    n), n);
}

static void
plan_target (Target     *target,
             GPtrArray  *users,
             gboolean    complete,
             GHashTable *only)
{
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(GHashTable) planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GArray) sequences = NULL;
  GPtrArray *operations;

  if (target->target == NULL || target->queue_unreadable ||
      target->sync_state == PROV_SYNC_STATE_PAUSED)
    return;

  plan = prov_plan_new (target->target, target->state, users, complete, only);
  if (only == NULL && prov_plan_needs_confirmation (plan))
    {
      guint leaving = count_leaving (plan);

      /* A person let this many go; more are asked about again. */
      if (target->pause == NULL || !target->pause->confirmed || leaving > target->pause->leaving)
        {
          g_autofree char *reason = pause_sentence (leaving);
          ProvSyncPause pause = { reason, leaving, FALSE, g_get_real_time () / G_USEC_PER_SEC };

          prov_sync_set_pause (target, &pause);
          return;
        }
    }
  /* A full read done: a confirmation is used up, the record goes. */
  if (only == NULL && target->pause != NULL)
    prov_sync_set_pause (target, NULL);

  operations = prov_plan_get_operations (plan);
  for (guint i = 0; i < operations->len; i++)
    {
      ProvOperation *operation = g_ptr_array_index (operations, i);

      g_hash_table_add (planned, g_utf8_casefold (operation->user_name, -1));
      prov_sync_queue_push (target->queue, operation);
    }

  /* A waiting change the source has taken back: the read covered the
   * user and the plan wants nothing, so the entry goes unpushed. */
  for (guint i = 0; i < users->len; i++)
    g_hash_table_add (read, g_utf8_casefold (prov_user_get_user_name (g_ptr_array_index (users, i)), -1));
  pending = prov_sync_queue_dup_pending (target->queue, &sequences);
  for (guint i = 0; i < pending->len; i++)
    {
      ProvOperation *operation = g_ptr_array_index (pending, i);
      g_autofree char *key = g_utf8_casefold (operation->user_name, -1);
      gboolean covered = only == NULL ? complete || g_hash_table_contains (read, key)
                                      : g_hash_table_contains (only, key);

      if (covered && !g_hash_table_contains (planned, key))
        prov_sync_queue_remove (target->queue, operation->user_name,
                                g_array_index (sequences, guint64, i));
    }
}

static void
plan_all (ProvSync   *self,
          GPtrArray  *users,
          gboolean    complete,
          GHashTable *only)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    plan_target (value, users, complete, only);
}

/* One check */

static void
finish_check (ProvSync *self,
              gboolean  read_ok)
{
  GHashTableIter iter;
  gpointer value;

  if (read_ok)
    {
      g_clear_pointer (&self->last_read, g_date_time_unref);
      self->last_read = g_steal_pointer (&self->read_started);
    }

  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Target *target = value;

      if (read_ok)
        {
          g_clear_pointer (&target->last_check, g_date_time_unref);
          target->last_check = g_date_time_new_now_local ();
        }
      prov_sync_update_target_state (target);
      prov_sync_push_target (target);
    }

  self->checking = FALSE;
  prov_sync_maybe_idle (self);
}

static void
source_failed (ProvSync     *self,
               const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->checking = FALSE;
      prov_sync_maybe_idle (self);
      return;
    }

  /* The tenant asks for a pause: its Retry-After, or twice the last
   * wait, within PROV_SYNC_MAX_BACKOFF intervals. */
  if (g_error_matches (error, PROV_ERROR, PROV_ERROR_RATE_LIMITED) ||
      g_error_matches (error, PROV_ERROR, PROV_ERROR_MAINTENANCE))
    {
      self->retry_after = self->source != NULL ? prov_source_get_retry_after (self->source) : -1;
      if (self->retry_after <= 0)
        self->backoff = MIN (self->backoff * 2, PROV_SYNC_MAX_BACKOFF);
      g_debug ("source: asked to wait; next check in %u s", prov_sync_next_wait (self));
    }

  g_free (self->source_problem);
  self->source_problem = g_strdup (error->message);
  prov_sync_emit_source_failed (self, error->message);
  finish_check (self, FALSE);
}

static void
source_read (ProvSync  *self,
             GPtrArray *users,
             gboolean   complete,
             gboolean   full)
{
  g_autoptr(GHashTable) only = NULL;

  self->backoff = 1;
  self->retry_after = -1;
  g_clear_pointer (&self->source_problem, g_free);

  if (!full)
    {
      only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < users->len; i++)
        g_hash_table_add (only, g_utf8_casefold (prov_user_get_user_name (g_ptr_array_index (users, i)), -1));
    }
  else
    {
      self->last_full_read = g_get_monotonic_time ();
      /* A whole read of a tenant has as many users as it reports. */
      self->last_total = complete ? (gint64) users->len : -1;
    }

  if (full || users->len > 0)
    plan_all (self, users, complete, only);
  finish_check (self, TRUE);
}

static void
full_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ProvSync) self = user_data;
  g_autoptr(GPtrArray) users = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = FALSE;

  users = prov_source_read_users_finish (PROV_SOURCE (object), result, &complete, &problems, &error);
  if (users == NULL)
    {
      source_failed (self, error);
      return;
    }
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    g_debug ("source: %s", problems[i]);
  self->csv_dirty = FALSE;
  source_read (self, users, complete, TRUE);
}

static void
full_read (ProvSync *self)
{
  prov_source_read_users_async (self->source, prov_target_service_get_http_client (self->service),
                                self->read_cancellable, full_read_cb, g_object_ref (self));
}

static void
delta_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ProvSync) self = user_data;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  users = prov_source_read_changed_users_finish (PROV_SOURCE (object), result, &error);
  if (users == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      /* Every check reads everything and compares with what was pushed. */
      g_debug ("source: %s; full reads from now on", error->message);
      self->delta_refused = TRUE;
      full_read (self);
      return;
    }
  if (users == NULL)
    {
      source_failed (self, error);
      return;
    }
  source_read (self, users, TRUE, FALSE);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ProvSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since = NULL;
  gint64 total;

  total = prov_source_count_users_finish (PROV_SOURCE (object), result, &error);
  if (error != NULL)
    {
      source_failed (self, error);
      return;
    }

  if (self->last_total < 0)
    self->last_total = total;

  /* Somebody left (or came): only a full read tells who. */
  if (total != self->last_total)
    {
      self->last_total = total;
      full_read (self);
      return;
    }

  since = g_date_time_add_seconds (self->last_read, -PROV_SYNC_CLOCK_SKEW_SECONDS);
  prov_source_read_changed_users_async (self->source, prov_target_service_get_http_client (self->service),
                                        since, self->read_cancellable, delta_read_cb, g_object_ref (self));
}

static void
csv_changed_cb (ProvSync          *self,
                GFile             *file,
                GFile             *other,
                GFileMonitorEvent  event)
{
  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_CREATED &&
      event != G_FILE_MONITOR_EVENT_CHANGED && event != G_FILE_MONITOR_EVENT_DELETED &&
      event != G_FILE_MONITOR_EVENT_MOVED_IN && event != G_FILE_MONITOR_EVENT_RENAMED)
    return;

  self->csv_dirty = TRUE;
}

static void
watch_csv (ProvSync   *self,
           const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (path, self->csv_path) == 0 && self->csv_monitor != NULL)
    return;

  g_clear_object (&self->csv_monitor);
  g_free (self->csv_path);
  self->csv_path = g_strdup (path);
  self->csv_dirty = TRUE;

  file = g_file_new_for_path (path);
  self->csv_monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->csv_monitor == NULL)
    {
      /* Then every check reads the file. */
      g_debug ("%s cannot be watched: %s", path, error->message);
      return;
    }
  g_file_monitor_set_rate_limit (self->csv_monitor, CSV_SETTLE_MSEC);
  g_signal_connect_object (self->csv_monitor, "changed", G_CALLBACK (csv_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static gboolean
reconcile_due (ProvSync *self)
{
  gint64 period = (gint64) PROV_SYNC_RECONCILE_MINUTES * 60 * G_USEC_PER_SEC;

  return self->last_full_read == 0 || self->last_read == NULL ||
         g_get_monotonic_time () - self->last_full_read >= period;
}

static void
source_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ProvSync) self = user_data;
  g_autoptr(GError) error = NULL;
  ProvSource *source;

  source = prov_target_service_dup_source_with_secrets_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (source == NULL)
    {
      source_failed (self, error);
      return;
    }
  g_clear_object (&self->source);
  self->source = source;
  prov_source_set_time_scale (source, self->time_scale);

  g_clear_pointer (&self->read_started, g_date_time_unref);
  self->read_started = g_date_time_new_now_utc ();

  if (prov_source_get_kind (source) == PROV_SOURCE_KIND_CSV)
    {
      watch_csv (self, prov_source_get_csv_path (source));
      if (self->csv_dirty || self->csv_monitor == NULL || reconcile_due (self))
        full_read (self);
      else
        finish_check (self, TRUE);
      return;
    }

  if (self->delta_refused || reconcile_due (self))
    {
      /* A full read also learns the tenant's total. */
      full_read (self);
      return;
    }
  prov_source_count_users_async (source, prov_target_service_get_http_client (self->service),
                                 self->read_cancellable, count_cb, g_object_ref (self));
}

static void
read_source (ProvSync *self)
{
  prov_target_service_dup_source_with_secrets_async (self->service, self->read_cancellable,
                                                     source_ready_cb, g_object_ref (self));
}

/* The targets with real time on, each with its secrets, what was pushed
 * and its queue */

typedef struct
{
  ProvSync *sync;
  char     *uuid;
} Preparing;

static void
target_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Preparing *preparing = user_data;
  g_autoptr(ProvSync) self = preparing->sync;
  g_autofree char *uuid = preparing->uuid;
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvTargetSystem) copy = NULL;
  Target *target;

  g_free (preparing);
  copy = prov_target_service_dup_target_with_secrets_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (copy != NULL && !prov_target_system_check_secrets (copy, &error))
    g_clear_object (&copy);
  self->n_preparing--;

  target = g_hash_table_lookup (self->targets, uuid);
  if (target != NULL && copy != NULL)
    {
      g_set_object (&target->target, copy);
      if (!target->queue_unreadable)
        g_clear_pointer (&target->failure, g_free);
    }
  else if (target != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* No secrets (a locked keyring, or none saved): the target fails
       * until they come. */
      g_free (target->failure);
      target->failure = g_strdup (error->message);
      prov_sync_update_target_state (target);
    }

  if (self->n_preparing > 0)
    return;
  if (self->stopping)
    {
      self->checking = FALSE;
      prov_sync_maybe_idle (self);
      return;
    }
  read_source (self);
}

static void load_queue (Target *target);

static Target *
target_new (ProvSync         *self,
            ProvTargetSystem *system,
            GError          **error)
{
  const char *uuid = prov_target_system_get_uuid (system);
  g_autofree char *state_path = prov_config_file_state_path (self->state_dir, "pushed", uuid, ".json");
  g_autofree char *queue_path = prov_sync_queue_get_default_path (self->state_dir, uuid);
  g_autoptr(GError) local_error = NULL;
  Target *target = g_new0 (Target, 1);

  target->sync = self;
  target->uuid = g_strdup (uuid);

  target->state = prov_push_state_new (uuid, state_path);
  target->queue = prov_sync_queue_new (queue_path);
  target->pause_path = prov_sync_pause_get_path (self->state_dir, uuid);

  /* A lost record is matched by userName again, as in a run. */
  if (!prov_push_state_load (target->state, &local_error) &&
      !g_error_matches (local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      prov_sync_target_free (target);
      return NULL;
    }
  g_clear_error (&local_error);
  load_queue (target);

  /* Paused in an earlier session: still paused, or confirmed meanwhile. */
  target->pause = prov_sync_pause_load (target->pause_path, &local_error);
  /* Unreadable: the next reconciliation judges the threshold again, so
   * nothing is removed unconfirmed either way. */
  if (local_error != NULL)
    g_debug ("%s", local_error->message);
  if (target->pause != NULL && !target->pause->confirmed)
    {
      target->sync_state = PROV_SYNC_STATE_PAUSED;
      target->pause_reason = g_strdup (target->pause->reason);
    }
  return target;
}

/* Until its queue can be read, a target fails with the reason and
 * nothing is planned or pushed: what the file holds is not lost. */
static void
load_queue (Target *target)
{
  g_autoptr(GError) error = NULL;

  target->queue_unreadable = !prov_sync_queue_load (target->queue, &error);
  if (target->queue_unreadable)
    {
      g_free (target->failure);
      target->failure = g_strdup (error->message);
      prov_sync_update_target_state (target);
    }
  else if (target->failure != NULL)
    {
      g_clear_pointer (&target->failure, g_free);
      prov_sync_update_target_state (target);
    }
}

/* A paused target's record, read again: `provisioner sync --resume` in
 * another process confirms there; a record gone means judge again. */
static void
reread_pause (Target *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvSyncPause) pause = prov_sync_pause_load (target->pause_path, &error);

  if (error != NULL)
    {
      g_debug ("%s", error->message);
      return;
    }
  if (pause != NULL && !pause->confirmed)
    return;

  g_clear_pointer (&target->pause, prov_sync_pause_free);
  target->pause = g_steal_pointer (&pause);
  target->sync->last_full_read = 0;
  prov_sync_set_target_state (target, PROV_SYNC_STATE_PUSHING, NULL, NULL);
}

static char *
target_config (ProvTargetSystem *system)
{
  g_autoptr(JsonObject) object = prov_target_system_to_json (system);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* Follows the store: targets turned on join (their queue loaded), targets
 * turned off or deleted leave (their queue stays on disk). Asks for the
 * secrets of those without; returns how many requests went out. */
static guint
refresh_targets (ProvSync *self)
{
  GListModel *store = G_LIST_MODEL (prov_target_service_get_store (self->service));
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  guint asked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ProvTargetSystem) system = g_list_model_get_item (store, i);
      const char *uuid = prov_target_system_get_uuid (system);
      g_autofree char *config = NULL;
      Target *target;

      if (!prov_target_system_get_real_time (system))
        continue;
      g_hash_table_add (wanted, (gpointer) uuid);

      target = g_hash_table_lookup (self->targets, uuid);
      if (target == NULL)
        {
          g_autoptr(GError) error = NULL;

          target = target_new (self, system, &error);
          if (target == NULL)
            {
              g_warning ("%s", error->message);
              continue;
            }
          g_hash_table_insert (self->targets, target->uuid, target);
          /* Paused in an earlier session: said again. */
          if (target->sync_state == PROV_SYNC_STATE_PAUSED)
            prov_sync_set_target_state (target, PROV_SYNC_STATE_PAUSED, NULL, target->pause_reason);
        }

      if (target->sync_state == PROV_SYNC_STATE_PAUSED)
        reread_pause (target);
      if (target->queue_unreadable)
        load_queue (target);

      /* Saved since (its settings as targets.json has them, or only its
       * secrets): a new copy with secrets. */
      config = target_config (system);
      if (target->target != NULL && !target->pushing &&
          (target->stale || g_strcmp0 (config, target->config) != 0))
        {
          gboolean settings_changed = g_strcmp0 (config, target->config) != 0;

          g_clear_object (&target->target);
          target->stale = FALSE;
          /* A new threshold is judged by a full read again. */
          if (settings_changed && target->sync_state == PROV_SYNC_STATE_PAUSED)
            {
              self->last_full_read = 0;
              prov_sync_set_pause (target, NULL);
              prov_sync_set_target_state (target, PROV_SYNC_STATE_PUSHING, NULL, NULL);
            }
        }

      if (target->target == NULL)
        {
          Preparing *preparing = g_new0 (Preparing, 1);

          g_free (target->config);
          target->config = g_steal_pointer (&config);
          asked++;
          preparing->sync = g_object_ref (self);
          preparing->uuid = g_strdup (uuid);
          self->n_preparing++;
          prov_target_service_dup_target_with_secrets_async (self->service, system, self->read_cancellable,
                                                             target_ready_cb, preparing);
        }
    }

  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (wanted, key) && !((Target *) value)->pushing)
        g_hash_table_iter_remove (&iter);
    }
  return asked;
}

/* Says ::target-changed for every target with real time on: all of
 * them are, or are no longer, synced elsewhere. */
static void
elsewhere_changed (ProvSync *self)
{
  GListModel *store = G_LIST_MODEL (prov_target_service_get_store (self->service));

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ProvTargetSystem) system = g_list_model_get_item (store, i);

      if (prov_target_system_get_real_time (system))
        prov_sync_emit_target_changed (self, prov_target_system_get_uuid (system));
    }
}

/* One process at a time reads and pushes: the first to check takes the
 * lock until it stops; the others check at every interval whether they
 * may take over, and read nothing meanwhile (their queues and records
 * on disk are the holder's to change). */
static gboolean
hold_lock (ProvSync *self)
{
  g_autoptr(GError) error = NULL;
  gboolean was_elsewhere = self->elsewhere;
  gboolean held_elsewhere = FALSE;

  if (self->lock != NULL)
    return TRUE;
  self->lock = prov_sync_lock_try (self->state_dir, &held_elsewhere, &error);
  /* A lock that cannot be made at all (the state folder is not
   * writable) does not stop the sync: its queues fail and say why. */
  if (self->lock == NULL && !held_elsewhere)
    g_debug ("%s", error->message);
  self->elsewhere = held_elsewhere;
  if (self->elsewhere != was_elsewhere)
    elsewhere_changed (self);
  if (self->elsewhere)
    prov_sync_maybe_idle (self);
  return !self->elsewhere;
}

void
prov_sync_check (ProvSync *self)
{
  if (self->checking || self->stopping)
    return;
  if (!hold_lock (self))
    return;

  self->checking = TRUE;
  if (refresh_targets (self) > 0)
    return;
  if (g_hash_table_size (self->targets) == 0)
    {
      /* Nothing to sync to: the source is not read. */
      self->checking = FALSE;
      prov_sync_maybe_idle (self);
      return;
    }
  read_source (self);
}

