/* prov-application.c — the desktop front end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-application-private.h"
#include "prov-resources.h"
#include "prov-ui-util.h"
#include "prov-window.h"

G_DEFINE_FINAL_TYPE (ProvApplication, prov_application, ADW_TYPE_APPLICATION)

GtkWindow *
_prov_application_create_window (ProvApplication *self)
{
  ProvWindow *window = g_object_new (PROV_TYPE_WINDOW,
                                     "application", self,
                                     "service", self->service,
                                     NULL);

  GtkShortcutsWindow *shortcuts;

  prov_window_set_demo (window, self->demo);
  prov_window_set_sync (window, self->sync);

  /* GTK's shortcuts window is "GtkShortcutsWindow" to a screen reader, and
   * its search button "GtkImage": name them. */
  shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  if (shortcuts != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (shortcuts), _("Keyboard Shortcuts"));
      prov_fix_accessible_names_within (GTK_WIDGET (shortcuts));
      prov_window_add_close_shortcut (GTK_WINDOW (shortcuts));
    }
  return GTK_WINDOW (window);
}

static void
demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ProvApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  self->demo_service = prov_demo_start_finish (result, &error);
  window = _prov_application_create_window (self);
  if (self->demo_service == NULL)
    prov_window_show_message (PROV_WINDOW (window), error->message);
  else
    g_message ("Demo SAP Jam service at %s", prov_demo_get_base_url (self->demo_service));

  prov_window_load_targets (PROV_WINDOW (window));
  gtk_window_present (window);
  g_application_release (G_APPLICATION (self));
}

static void
demo_targets_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ProvApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A damaged file was moved aside; the demo starts from an empty list. */
  if (!prov_target_service_load_finish (PROV_TARGET_SERVICE (object), result, &error))
    g_debug ("Demo: %s", error->message);

  prov_demo_start_async (self->service, NULL, demo_started_cb, g_object_ref (self));
}

static void
prov_application_activate (GApplication *application)
{
  ProvApplication *self = PROV_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->demo && self->demo_service == NULL)
    {
      /* The window comes once the demo service answers. */
      g_application_hold (application);
      prov_target_service_load_async (self->service, NULL, demo_targets_loaded_cb, g_object_ref (self));
      return;
    }

  window = _prov_application_create_window (self);
  prov_window_load_targets (PROV_WINDOW (window));
  gtk_window_present (window);
}

static void
prov_application_startup (GApplication *application)
{
  ProvApplication *self = PROV_APPLICATION (application);

  G_APPLICATION_CLASS (prov_application_parent_class)->startup (application);

  self->service = prov_target_service_new_default ();
  /* The list shows a timer's Test Connection as soon as it is recorded. */
  prov_target_service_watch_connection_record (self->service);
  _prov_application_sync_startup (self);
}

static void
prov_application_dispose (GObject *object)
{
  ProvApplication *self = (ProvApplication *)object;

  _prov_application_sync_dispose (self);
  g_clear_object (&self->service);
  g_clear_object (&self->demo_service);

  G_OBJECT_CLASS (prov_application_parent_class)->dispose (object);
}

static void
prov_application_class_init (ProvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = prov_application_dispose;
  app_class->activate = prov_application_activate;
  app_class->startup = prov_application_startup;

  /* Keeps the resources linked in from the static library. */
  g_resources_register (prov_get_resource ());
}

GtkWindow *
prov_about_window_new (GtkWindow *parent)
{
  static const char *developers[] = { "The Provisioner developers", NULL };
  GtkWindow *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", parent,
                                   "modal", TRUE,
                                   "application-name", _("Provisioner"),
                                   "application-icon", APP_ID,
                                   "developer-name", _("The Provisioner developers"),
                                   "version", PACKAGE_VERSION,
                                   "comments", _("Provision users to SAP Jam and Identity Provisioning in real time"),
                                   "website", "https://github.com/provisioner/provisioner",
                                   "issue-url", "https://github.com/provisioner/provisioner/issues",
                                   "developers", developers,
                                   "copyright", "© 2026 The Provisioner developers",
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   "translator-credits", _("translator-credits"),
                                   NULL);

  /* libadwaita 1.2 leaves its back buttons "GtkImage", the version button
   * "GtkButton" and says "_Copy Text Copy Text". */
  prov_fix_accessible_names_within (GTK_WIDGET (about));
  prov_window_add_close_shortcut (about);
  return about;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;

  gtk_window_present (prov_about_window_new (gtk_application_get_active_window (application)));
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL, { 0 } },
};

static void
prov_application_init (ProvApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  /* app.quit, app.open-target and the rest of real-time provisioning */
  _prov_application_sync_init (self);
}

void
prov_application_set_demo (ProvApplication *self,
                           gboolean         demo)
{
  g_return_if_fail (PROV_IS_APPLICATION (self));
  self->demo = demo;
}

ProvApplication *
prov_application_new (void)
{
  return g_object_new (PROV_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
