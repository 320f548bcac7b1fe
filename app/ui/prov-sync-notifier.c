/* prov-sync-notifier.c — desktop notifications of real-time provisioning
 *
 * The sync runs while no window is open, so what needs a person is said
 * with a GNotification: a target whose pushes have failed for five
 * minutes (a blip is not worth a notification), the source unreadable as
 * long, a target paused by its safety threshold. Clicking one opens the
 * window on the target (app.open-target). A notification is withdrawn
 * when what it said is over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-sync-notifier.h"

/* The source's notification is not about one target. */
#define SOURCE_KEY ""

typedef struct
{
  ProvSyncNotifier *notifier;
  char             *uuid;       /* SOURCE_KEY for the source */
  guint             timeout_id;
  gboolean          notified;
} Failing;

struct _ProvSyncNotifier
{
  GObject          parent_instance;

  GApplication    *application;  /* not a reference: it owns us */
  ProvSync        *sync;
  ProvTargetStore *store;
  guint            failure_seconds;
  GHashTable      *failing;      /* uuid → Failing* */
  GHashTable      *paused;       /* uuid → the reason notified */
};

G_DEFINE_FINAL_TYPE (ProvSyncNotifier, prov_sync_notifier, G_TYPE_OBJECT)

static void
failing_free (Failing *failing)
{
  g_clear_handle_id (&failing->timeout_id, g_source_remove);
  g_free (failing->uuid);
  g_free (failing);
}

static char *
notification_id (const char *kind,
                 const char *uuid)
{
  return g_strconcat ("sync-", kind, *uuid != '\0' ? "-" : "", uuid, NULL);
}

static const char *
target_name (ProvSyncNotifier *self,
             const char       *uuid)
{
  ProvTargetSystem *target = prov_target_store_find_by_uuid (self->store, uuid, NULL);

  return target != NULL ? prov_target_system_get_display_name (target) : uuid;
}

static void
send (ProvSyncNotifier *self,
      const char       *kind,
      const char       *uuid,
      const char       *title,
      const char       *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autofree char *id = notification_id (kind, uuid);

  g_notification_set_body (notification, body);
  if (*uuid != '\0')
    {
      g_notification_set_default_action_and_target (notification, "app.open-target", "s", uuid);
      g_notification_add_button_with_target (notification, _("Open"), "app.open-target", "s", uuid);
    }
  else
    g_notification_set_default_action_and_target (notification, "app.open-target", "s", "");
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_application_send_notification (self->application, id, notification);
}

static void
withdraw (ProvSyncNotifier *self,
          const char       *kind,
          const char       *uuid)
{
  g_autofree char *id = notification_id (kind, uuid);

  g_application_withdraw_notification (self->application, id);
}

static gboolean
failure_lasted_cb (gpointer user_data)
{
  Failing *failing = user_data;
  ProvSyncNotifier *self = failing->notifier;
  g_autofree char *title = NULL;
  const char *body;

  failing->timeout_id = 0;
  failing->notified = TRUE;
  if (*failing->uuid == '\0')
    {
      title = g_strdup (_("Real-time provisioning cannot read the source"));
      body = prov_sync_get_source_problem (self->sync);
    }
  else
    {
      /* Translators: %s is a target system */
      title = g_strdup_printf (_("Real-time provisioning to “%s” is failing"),
                               target_name (self, failing->uuid));
      body = prov_sync_get_failure (self->sync, failing->uuid);
    }
  g_debug ("notifying: %s", title);
  send (self, "failing", failing->uuid, title, body != NULL ? body : "");
  return G_SOURCE_REMOVE;
}

/* @failing_now: whether @uuid (or the source) fails at this moment. */
static void
follow_failure (ProvSyncNotifier *self,
                const char       *uuid,
                gboolean          failing_now)
{
  Failing *failing = g_hash_table_lookup (self->failing, uuid);

  if (failing_now && failing == NULL)
    {
      failing = g_new0 (Failing, 1);
      failing->notifier = self;
      failing->uuid = g_strdup (uuid);
      failing->timeout_id = g_timeout_add_seconds (self->failure_seconds, failure_lasted_cb, failing);
      g_hash_table_insert (self->failing, failing->uuid, failing);
    }
  else if (!failing_now && failing != NULL)
    {
      if (failing->notified)
        withdraw (self, "failing", uuid);
      g_hash_table_remove (self->failing, uuid);
    }
}

static void
follow_pause (ProvSyncNotifier *self,
              const char       *uuid)
{
  const char *reason = prov_sync_get_pause_reason (self->sync, uuid);
  g_autofree char *title = NULL;

  if (prov_sync_get_state (self->sync, uuid) != PROV_SYNC_STATE_PAUSED || reason == NULL)
    {
      if (g_hash_table_remove (self->paused, uuid))
        withdraw (self, "paused", uuid);
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (self->paused, uuid), reason) == 0)
    return;

  g_hash_table_insert (self->paused, g_strdup (uuid), g_strdup (reason));
  /* Translators: %s is a target system */
  title = g_strdup_printf (_("Real-time provisioning to “%s” is paused"), target_name (self, uuid));
  g_debug ("notifying: %s", title);
  send (self, "paused", uuid, title, reason);
}

static void
target_changed_cb (ProvSyncNotifier *self,
                   const char       *uuid)
{
  follow_failure (self, uuid, prov_sync_get_state (self->sync, uuid) == PROV_SYNC_STATE_FAILING);
  follow_pause (self, uuid);
  follow_failure (self, SOURCE_KEY, prov_sync_get_source_problem (self->sync) != NULL);
}

static void
source_failed_cb (ProvSyncNotifier *self)
{
  follow_failure (self, SOURCE_KEY, TRUE);
}

static void
prov_sync_notifier_dispose (GObject *object)
{
  ProvSyncNotifier *self = (ProvSyncNotifier *)object;

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_pointer (&self->failing, g_hash_table_unref);
  g_clear_pointer (&self->paused, g_hash_table_unref);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (prov_sync_notifier_parent_class)->dispose (object);
}

static void
prov_sync_notifier_class_init (ProvSyncNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = prov_sync_notifier_dispose;
}

static void
prov_sync_notifier_init (ProvSyncNotifier *self)
{
  const char *seconds = g_getenv ("PROVISIONER_FAILURE_NOTIFY_SECONDS");

  self->failure_seconds = PROV_SYNC_NOTIFY_FAILURE_SECONDS;
  if (seconds != NULL && g_ascii_strtoull (seconds, NULL, 10) > 0)
    self->failure_seconds = (guint) MIN (g_ascii_strtoull (seconds, NULL, 10), G_MAXUINT / 2);
  self->failing = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) failing_free);
  self->paused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

ProvSyncNotifier *
prov_sync_notifier_new (GApplication    *application,
                        ProvSync        *sync,
                        ProvTargetStore *store)
{
  ProvSyncNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PROV_IS_SYNC (sync), NULL);
  g_return_val_if_fail (PROV_IS_TARGET_STORE (store), NULL);

  self = g_object_new (PROV_TYPE_SYNC_NOTIFIER, NULL);
  self->application = application;
  self->sync = g_object_ref (sync);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (sync, "target-changed", G_CALLBACK (target_changed_cb), self);
  g_signal_connect_swapped (sync, "source-failed", G_CALLBACK (source_failed_cb), self);
  return self;
}
