/* prov-window-sync.c — the window and real-time provisioning: the sidebar
 * rows (each with its target's sync state), resuming a paused target,
 * and opening a target from a notification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-target-row.h"
#include "prov-ui-util.h"
#include "prov-window-private.h"

/* The sidebar's rows */

static void
row_selected_cb (ProvTargetRow *row,
                 GParamSpec    *pspec,
                 GtkListItem   *list_item)
{
  ProvWindow *self = PROV_WINDOW (gtk_widget_get_root (GTK_WIDGET (row)));

  if (self == NULL || !self->selection_mode)
    return;

  prov_selection_follow_row (GTK_SELECTION_MODEL (self->multi_selection), list_item,
                             prov_target_row_get_selected (row));
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  ProvWindow               *self)
{
  GtkWidget *row = prov_target_row_new ();

  g_object_bind_property (self, "selection-mode", row, "selection-mode", G_BINDING_SYNC_CREATE);
  g_object_bind_property (list_item, "selected", row, "selected", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (row_selected_cb), list_item, 0);
  prov_target_row_set_sync (PROV_TARGET_ROW (row), self->sync);
  gtk_list_item_set_child (list_item, row);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 ProvWindow               *self)
{
  ProvTargetRow *row = PROV_TARGET_ROW (gtk_list_item_get_child (list_item));
  prov_target_row_set_target (row, gtk_list_item_get_item (list_item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   ProvWindow               *self)
{
  ProvTargetRow *row = PROV_TARGET_ROW (gtk_list_item_get_child (list_item));
  prov_target_row_set_target (row, NULL);
}

GtkListItemFactory *
_prov_window_sidebar_factory_new (ProvWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect_object (factory, "setup", G_CALLBACK (factory_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (factory_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (factory_unbind_cb), self, 0);
  return factory;
}

void
prov_window_set_sync (ProvWindow *self,
                      ProvSync   *sync)
{
  g_return_if_fail (PROV_IS_WINDOW (self));
  g_return_if_fail (sync == NULL || PROV_IS_SYNC (sync));

  /* Rows are made when the list first shows items, after this. */
  g_set_object (&self->sync, sync);
}

/* Opening a target */

static void
open_settled_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProvWindow *self = PROV_WINDOW (object);
  g_autofree char *uuid = user_data;
  ProvTargetSystem *target;

  if (!_prov_window_settle_edits_finish (self, result))
    return;
  target = prov_target_store_find_by_uuid (self->store, uuid, NULL);
  if (target == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  _prov_window_show_target (self, target);
  _prov_window_sync_list_selection (self);
  /* Opened from a notification: the target's page, also folded. */
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

void
prov_window_open_target (ProvWindow *self,
                         const char *uuid)
{
  g_return_if_fail (PROV_IS_WINDOW (self));
  g_return_if_fail (uuid != NULL);

  gtk_window_present (GTK_WINDOW (self));
  if (prov_target_store_find_by_uuid (self->store, uuid, NULL) == NULL)
    return;
  _prov_window_settle_edits_async (self, open_settled_cb, g_strdup (uuid));
}

/* Quitting */

static void
settled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, _prov_window_settle_edits_finish (PROV_WINDOW (object), result));
}

void
prov_window_settle_async (ProvWindow          *self,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PROV_IS_WINDOW (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, prov_window_settle_async);
  _prov_window_settle_edits_async (self, settled_cb, task);
}

gboolean
prov_window_settle_finish (ProvWindow   *self,
                           GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

void
prov_window_close_settled (ProvWindow *self)
{
  g_return_if_fail (PROV_IS_WINDOW (self));

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Resuming a paused target */

static void
resume_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  ProvWindow *self = PROV_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  g_autofree char *uuid = user_data;
  ProvTargetSystem *target;
  g_autofree char *toast = NULL;

  if (!g_str_equal (response, "resume") || self->sync == NULL)
    return;
  prov_sync_resume (self->sync, uuid);

  target = prov_target_store_find_by_uuid (self->store, uuid, NULL);
  if (target == NULL)
    return;
  /* Translators: %s is a target system */
  toast = g_strdup_printf (_("Real-time provisioning to “%s” resumed"),
                           prov_target_system_get_display_name (target));
  _prov_window_show_toast (self, toast);
}

static void
resume_sync_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);
  const char *uuid = g_variant_get_string (parameter, NULL);
  ProvTargetSystem *target = prov_target_store_find_by_uuid (self->store, uuid, NULL);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (target == NULL || self->sync == NULL ||
      prov_sync_get_state (self->sync, uuid) != PROV_SYNC_STATE_PAUSED)
    return;

  /* Translators: %s is a target system */
  heading = g_strdup_printf (_("Resume Real-Time Provisioning to “%s”?"),
                             prov_target_system_get_display_name (target));
  /* Translators: %s says why real-time provisioning paused */
  body = g_strdup_printf (_("%s\n\nResuming removes these users from the target system as its settings say (deactivate or delete)."),
                          prov_sync_get_pause_reason (self->sync, uuid));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "resume", _("_Resume"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "resume", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (resume_response_cb), g_strdup (uuid));
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_prov_window_class_sync_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.resume-sync", "s", resume_sync_action);
}
