/* prov-application-sync.c — real-time provisioning in the desktop app
 *
 * The application owns one ProvSync. While a target has real time on,
 * the application holds itself, so closing the window leaves it syncing;
 * inside Flatpak it asks the Background portal for leave to run without
 * a window (and, with the "sync-at-login" setting, to start at login).
 * What needs a person comes as a notification (ProvSyncNotifier) whose
 * action, app.open-target, opens the window on the target. app.quit
 * (Ctrl+Q, the primary menu) settles every window's edits, closes them,
 * stops the sync — pushes on the wire end or are recorded, the queues
 * are saved — and only then quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-application-private.h"
#include "prov-window.h"

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"

static gboolean
any_real_time (ProvApplication *self)
{
  GListModel *store = G_LIST_MODEL (prov_target_service_get_store (self->service));

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (store, i);

      if (prov_target_system_get_real_time (target))
        return TRUE;
    }
  return FALSE;
}

/* The Background portal */

static void
portal_response_cb (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  ProvApplication *self = user_data;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  guint response;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);
  g_dbus_connection_signal_unsubscribe (bus, self->portal_response_id);
  self->portal_response_id = 0;
  if (response != 0 || !background)
    g_message ("Running in the background was not allowed: real-time provisioning stops when the window closes");
}

static void
portal_requested_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    g_debug ("Background portal: %s", error->message);
}

/* Inside Flatpak, the sandbox may end an application without a window
 * unless the Background portal allowed it. */
static void
request_background (ProvApplication *self)
{
  GDBusConnection *bus;
  const char *commandline[] = { "provisioner", "--gapplication-service", NULL };
  g_autofree char *token = g_strdup_printf ("provisioner%u", g_random_int ());
  g_autofree char *sender = NULL;
  g_autofree char *request_path = NULL;
  GVariantBuilder options;

  if (!g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
      !g_application_get_is_registered (G_APPLICATION (self)))
    return;
  bus = g_application_get_dbus_connection (G_APPLICATION (self));
  if (bus == NULL)
    return;

  /* The request's path is known before the call, so its answer is never
   * missed (org.freedesktop.portal.Request). */
  sender = g_strdelimit (g_strdup (g_dbus_connection_get_unique_name (bus) + 1), ".", '_');
  request_path = g_strconcat (PORTAL_OBJECT_PATH "/request/", sender, "/", token, NULL);
  if (self->portal_response_id != 0)
    g_dbus_connection_signal_unsubscribe (bus, self->portal_response_id);
  self->portal_response_id =
    g_dbus_connection_signal_subscribe (bus, PORTAL_BUS_NAME, "org.freedesktop.portal.Request",
                                        "Response", request_path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, portal_response_cb,
                                        self, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Real-time provisioning goes on while the window is closed.")));
  g_variant_builder_add (&options, "{sv}", "autostart",
                         g_variant_new_boolean (self->settings != NULL &&
                                                g_settings_get_boolean (self->settings, "sync-at-login")));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, "org.freedesktop.portal.Background",
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          portal_requested_cb, NULL);
}

/* Following the targets */

/* The sync starts with the first target that has real time on; while one
 * has it, the application stays when its windows close. */
static void
targets_changed_cb (ProvApplication *self)
{
  gboolean wanted = any_real_time (self);

  if (wanted && !self->sync_started)
    {
      self->sync_started = TRUE;
      prov_sync_start (self->sync);
    }
  if (wanted && !self->sync_held && !self->quitting)
    {
      self->sync_held = TRUE;
      g_application_hold (G_APPLICATION (self));
      request_background (self);
    }
  else if (!wanted && self->sync_held)
    {
      self->sync_held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
}

static void
service_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!prov_target_service_load_finish (PROV_TARGET_SERVICE (object), result, &error))
    g_message ("%s", error->message);
}

/* Quitting */

static void
sync_stopped_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ProvApplication) self = user_data;

  prov_sync_stop_finish (PROV_SYNC (object), result, NULL);
  g_application_quit (G_APPLICATION (self));
}

/* From an idle: the last question's response may still be running, and
 * the question needs its window until it is over. */
static gboolean
quit_finish_cb (gpointer user_data)
{
  ProvApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (PROV_IS_WINDOW (l->data))
        prov_window_close_settled (PROV_WINDOW (l->data));
      else
        gtk_window_close (GTK_WINDOW (l->data));
    }
  g_list_free (windows);

  /* Pushes on the wire end (or are recorded), the queues are saved. */
  prov_sync_stop_async (self->sync, sync_stopped_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void settle_next (ProvApplication *self);

static void
window_settled_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvApplication) self = user_data;

  if (!prov_window_settle_finish (PROV_WINDOW (object), result))
    {
      /* Cancel: nothing closes, the sync goes on. */
      self->quitting = FALSE;
      g_clear_pointer (&self->quit_windows, g_ptr_array_unref);
      g_application_release (G_APPLICATION (self));
      return;
    }
  g_ptr_array_remove_index (self->quit_windows, 0);
  settle_next (self);
}

/* Each window's edits, one question at a time. */
static void
settle_next (ProvApplication *self)
{
  if (self->quit_windows->len == 0)
    {
      g_clear_pointer (&self->quit_windows, g_ptr_array_unref);
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, quit_finish_cb, g_object_ref (self), g_object_unref);
      return;
    }
  prov_window_settle_async (g_ptr_array_index (self->quit_windows, 0), window_settled_cb,
                            g_object_ref (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  ProvApplication *self = user_data;

  if (self->quitting)
    return;
  self->quitting = TRUE;
  /* Alive until the sync has stopped, whatever closes meanwhile. */
  g_application_hold (G_APPLICATION (self));

  self->quit_windows = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (PROV_IS_WINDOW (l->data))
        g_ptr_array_add (self->quit_windows, g_object_ref (l->data));
    }
  settle_next (self);
}

/* Opening a target from a notification */

static void
open_target_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  ProvApplication *self = user_data;
  const char *uuid = g_variant_get_string (parameter, NULL);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL || !PROV_IS_WINDOW (window))
    {
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        {
          if (PROV_IS_WINDOW (l->data))
            {
              window = l->data;
              break;
            }
        }
    }

  if (window == NULL || !PROV_IS_WINDOW (window))
    {
      /* A new window selects the target selected last: this one. */
      if (self->settings != NULL && *uuid != '\0')
        g_settings_set_string (self->settings, "last-selected-target", uuid);
      window = _prov_application_create_window (self);
      prov_window_load_targets (PROV_WINDOW (window));
      gtk_window_present (window);
      return;
    }

  if (*uuid == '\0')
    gtk_window_present (window);
  else
    prov_window_open_target (PROV_WINDOW (window), uuid);
}

static void
sync_at_login_changed_cb (ProvApplication *self)
{
  if (self->sync_held)
    request_background (self);
}

static const GActionEntry sync_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "open-target", open_target_action, "s", NULL, NULL, { 0 } },
};

void
_prov_application_sync_init (ProvApplication *self)
{
  static const char *quit_accels[] = { "<Primary>q", NULL };
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_action_map_add_action_entries (G_ACTION_MAP (self), sync_actions,
                                   G_N_ELEMENTS (sync_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (BASE_APP_ID);

  /* Starting at login is the Background portal's to grant: only inside
   * Flatpak does the menu offer it. */
  if (self->settings != NULL && g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GAction) at_login = g_settings_create_action (self->settings, "sync-at-login");

      g_action_map_add_action (G_ACTION_MAP (self), at_login);
      g_signal_connect_object (self->settings, "changed::sync-at-login",
                               G_CALLBACK (sync_at_login_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

void
_prov_application_sync_startup (ProvApplication *self)
{
  const char *interval = g_getenv ("PROVISIONER_SYNC_INTERVAL");
  const char *scale = g_getenv ("PROVISIONER_TIME_SCALE");

  self->sync = prov_sync_new (self->service);
  /* Tests and the benchmark only. */
  if (interval != NULL)
    prov_sync_set_interval (self->sync, (guint) g_ascii_strtoull (interval, NULL, 10));
  if (scale != NULL && g_ascii_strtod (scale, NULL) > 0)
    prov_sync_set_time_scale (self->sync, g_ascii_strtod (scale, NULL));
  self->notifier = prov_sync_notifier_new (G_APPLICATION (self), self->sync,
                                           prov_target_service_get_store (self->service));
  g_signal_connect_object (prov_target_service_get_store (self->service), "items-changed",
                           G_CALLBACK (targets_changed_cb), self, G_CONNECT_SWAPPED);

  /* Started at login without a window (the portal's autostart): nobody
   * else reads the targets. */
  if (g_application_get_flags (G_APPLICATION (self)) & G_APPLICATION_IS_SERVICE)
    prov_target_service_load_async (self->service, NULL, service_loaded_cb, NULL);
}

void
_prov_application_sync_dispose (ProvApplication *self)
{
  if (self->portal_response_id != 0 && g_application_get_is_registered (G_APPLICATION (self)))
    g_dbus_connection_signal_unsubscribe (g_application_get_dbus_connection (G_APPLICATION (self)),
                                          self->portal_response_id);
  self->portal_response_id = 0;
  g_clear_pointer (&self->quit_windows, g_ptr_array_unref);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync);
  g_clear_object (&self->settings);
}
