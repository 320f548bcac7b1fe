/* prov-window-actions.c — ProvWindow's actions and their shortcuts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-history-dialog.h"
#include "prov-provision-dialog.h"
#include "prov-real-time-question.h"
#include "prov-run-batch.h"
#include "prov-source-dialog.h"
#include "prov-ui-util.h"
#include "prov-users-window.h"
#include "prov-window-private.h"

/* Saving */

typedef struct
{
  ProvTargetSystem *saved;      /* the values handed to the service */
  gboolean          changed;    /* from the values on screen before */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->saved);
  g_free (data);
}

static void
target_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvWindow *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean created = FALSE;
  const char *name;

  target = prov_target_service_save_target_finish (PROV_TARGET_SERVICE (object), result, &created, &error);
  if (target == NULL)
    {
      /* Cancelled means the window is going away: leave its widgets be. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Keyring and file are as before; the edits stay on screen. */
          self->busy = FALSE;
          prov_window_show_message (self, error->message);
          _prov_window_update_all (self);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A test still on its way says nothing about new values. */
  if (data->changed && self->tested == target)
    g_cancellable_cancel (self->test_cancellable);

  self->busy = FALSE;
  name = prov_target_system_get_display_name (target);
  if (created && prov_target_system_get_kind (target) == PROV_TARGET_KIND_IDENTITY_PROVISIONING)
    message = g_strdup_printf (_("Target system %s created"), name);
  else
    message = g_strdup_printf (_("System %s configuration updated"), name);

  prov_window_show_message (self, NULL);
  _prov_window_show_toast (self, message);

  /* The secrets just saved are on hand: no need to ask the keyring. */
  _prov_window_show_target_with (self, target, data->saved);

  /* Where the person goes on from a saved target, never a read-only field. */
  gtk_widget_grab_focus (self->edit_button);
  g_task_return_boolean (task, TRUE);
}

static void
start_save (GTask *task)
{
  ProvWindow *self = g_task_get_source_object (task);
  SaveData *data = g_new0 (SaveData, 1);

  data->saved = prov_target_system_copy (self->draft);
  data->changed = !prov_target_system_equal (self->draft, self->baseline);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  prov_target_service_save_target_async (self->service, self->draft, self->cancellable,
                                         target_saved_cb, task);
}

static void
real_time_answered_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  ProvWindow *self = g_task_get_source_object (task);

  switch (prov_ask_real_time_finish (result))
    {
    case PROV_REAL_TIME_ON:
      start_save (task);
      break;
    case PROV_REAL_TIME_OFF:
      prov_target_system_set_real_time (self->draft, FALSE);
      start_save (task);
      break;
    case PROV_REAL_TIME_CANCEL:
    default:
      /* Nothing saved; the edits stay, and so does the editor. */
      self->busy = FALSE;
      _prov_window_update_all (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Not saved");
      g_object_unref (task);
      break;
    }
}

static void
real_time_planned_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  ProvWindow *self = g_task_get_source_object (task);
  g_autoptr(ProvPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = prov_target_service_plan_real_time_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The window is going away: leave its widgets be. */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (plan == NULL && error == NULL)
    {
      start_save (task);
      return;
    }
  prov_ask_real_time_async (GTK_WINDOW (self), self->draft, plan, error ? error->message : NULL,
                            real_time_answered_cb, task);
}

/* Takes @task. */
static void
validate_and_save (ProvWindow *self,
                   GTask      *task)
{
  g_autofree char *name = NULL;
  char **reasons = NULL;

  /* Spaces around a name are never meant. */
  name = g_strstrip (g_strdup (prov_target_system_get_display_name (self->draft)));
  prov_target_system_set_display_name (self->draft, name);

  if (!prov_target_system_validate (self->draft, G_LIST_MODEL (self->store), &reasons))
    {
      prov_target_editor_show_reasons (self->editor, reasons);
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        g_free (reasons[i]);
      g_free (reasons);
      _prov_window_sync_list_selection (self);
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_INVALID_FIELD, "%s",
                               _("The target system was not saved: correct the marked fields."));
      g_object_unref (task);
      return;
    }
  g_free (reasons);

  prov_target_editor_show_reasons (self->editor, NULL);
  self->busy = TRUE;
  _prov_window_update_actions (self);

  /* Real time turned on for a target that has received nobody yet pushes
   * the whole source at once: the person sees that plan first. */
  prov_target_service_plan_real_time_async (self->service, self->draft, self->cancellable,
                                            real_time_planned_cb, task);
}

void
_prov_window_save_edits_async (ProvWindow          *self,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, user_data);

  g_task_set_source_tag (task, _prov_window_save_edits_async);

  if (!self->editing || self->busy || self->save_after_secrets != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "Not editing, or already saving");
      return;
    }

  /* Saved secrets still on their way from the keyring would be checked
   * as missing: Save goes on once they are in (a quick Ctrl+E, Ctrl+S). */
  if (self->secrets_pending)
    {
      self->save_after_secrets = g_steal_pointer (&task);
      return;
    }
  validate_and_save (self, g_steal_pointer (&task));
}

void
_prov_window_secrets_settled (ProvWindow   *self,
                              const GError *error)
{
  GTask *task = g_steal_pointer (&self->save_after_secrets);

  self->secrets_pending = FALSE;
  if (task == NULL)
    return;
  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }
  validate_and_save (self, task);
}

gboolean
_prov_window_save_edits_finish (ProvWindow   *self,
                                GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* Deleting */

static void
deletion_committed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!prov_target_service_commit_deletion_finish (PROV_TARGET_SERVICE (object), result, &error))
    g_warning ("Could not remove the secrets of a deleted target system: %s", error->message);
}

/* The deletion can no longer be undone: the secrets go too. */
void
_prov_window_finish_deletion (ProvWindow *self)
{
  if (prov_target_service_can_undo (self->service))
    prov_target_service_commit_deletion_async (self->service, NULL, deletion_committed_cb, NULL);

  g_clear_object (&self->undo_first);
  if (self->undo_toast != NULL)
    {
      AdwToast *toast = g_steal_pointer (&self->undo_toast);
      adw_toast_dismiss (toast);
      g_object_unref (toast);
    }
  _prov_window_update_actions (self);
}

static void
undo_toast_dismissed_cb (AdwToast   *toast,
                         ProvWindow *self)
{
  if (self->undo_toast == toast)
    _prov_window_finish_deletion (self);
}

static void
deletion_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_target_service_delete_targets_finish (PROV_TARGET_SERVICE (object), result, &error))
    prov_window_show_message (self, error->message);
}

static void
undo_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(ProvTargetSystem) first = NULL;
  g_autoptr(GError) error = NULL;

  first = prov_target_service_undo_delete_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (error != NULL)
    prov_window_show_message (self, error->message);
}

static void
delete_targets (ProvWindow *self,
                GPtrArray  *targets)
{
  g_autofree char *text = NULL;
  AdwToast *toast;
  guint n = targets->len;

  /* Only one deletion can be undone at a time. */
  _prov_window_finish_deletion (self);

  for (guint i = 0; i < targets->len; i++)
    if (g_ptr_array_index (targets, i) == self->current)
      _prov_window_show_target (self, NULL);
  if (n > 0)
    self->undo_first = g_object_ref (g_ptr_array_index (targets, 0));

  prov_target_service_delete_targets_async (self->service, targets, NULL,
                                            deletion_saved_cb, g_object_ref (self));

  text = g_strdup_printf (ngettext ("%u target system deleted",
                                    "%u target systems deleted", n), n);
  toast = prov_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_timeout (toast, 7);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self, 0);
  self->undo_toast = g_object_ref (toast);
  prov_toast_overlay_add (self->toast_overlay, toast);

  g_object_set (self, "selection-mode", FALSE, NULL);
  _prov_window_update_all (self);
}

static void
undo_delete (ProvWindow *self)
{
  g_autoptr(ProvTargetSystem) first = NULL;

  if (!prov_target_service_can_undo (self->service))
    return;

  /* The targets are back in the store when the call returns. */
  prov_target_service_undo_delete_async (self->service, NULL, undo_saved_cb, g_object_ref (self));
  first = g_steal_pointer (&self->undo_first);
  g_clear_object (&self->undo_toast);

  if (!self->editing && first != NULL)
    _prov_window_show_target (self, first);
  _prov_window_update_all (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ProvWindow       *self)
{
  GPtrArray *targets = g_object_get_data (G_OBJECT (dialog), "targets");

  if (g_str_equal (response, "delete"))
    delete_targets (self, targets);
}

static void
confirm_delete (ProvWindow *self,
                GPtrArray  *targets)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  guint n = targets->len;

  if (n == 0)
    return;

  if (n == 1)
    {
      heading = g_strdup (_("Delete Target System?"));
      body = g_strdup_printf (_("“%s” and its credentials in the keyring will be deleted."),
                              prov_target_system_get_display_name (g_ptr_array_index (targets, 0)));
    }
  else
    {
      heading = g_strdup_printf (ngettext ("Delete %u Target System?",
                                           "Delete %u Target Systems?", n), n);
      body = g_strdup_printf (ngettext ("The selected target system and its credentials in the keyring will be deleted.",
                                        "The %u selected target systems and their credentials in the keyring will be deleted.", n), n);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "targets", g_ptr_array_ref (targets),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Test Connection */

static void
finish_test (ProvWindow *self)
{
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->tested);
  _prov_window_update_actions (self);
}

static void
connection_tested_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->tested == NULL)
    return;

  /* The service recorded the outcome on the target (the sidebar shows
   * it); the banner says it where the person reads, replacing the last. */
  if (prov_target_service_test_target_finish (PROV_TARGET_SERVICE (object), result, &error))
    prov_connection_banner_show_result (self->connection_banner, TRUE,
                                        prov_connection_test_success_message ());
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->tested == self->current)
        prov_connection_banner_clear (self->connection_banner);
      _prov_window_show_toast (self, _("Connection test cancelled"));
    }
  else
    prov_connection_banner_show_result (self->connection_banner, FALSE, error->message);

  finish_test (self);
}

static void
start_test (ProvWindow *self)
{
  if (self->current == NULL || self->editing || self->test_cancellable != NULL)
    return;

  self->test_cancellable = g_cancellable_new ();
  self->tested = g_object_ref (self->current);
  prov_window_show_message (self, NULL);
  prov_connection_banner_show_testing (self->connection_banner);
  _prov_window_update_actions (self);

  prov_target_service_test_target_async (self->service, self->tested, self->test_cancellable,
                                         connection_tested_cb, g_object_ref (self));
}

/* Test All Connections: every saved target at once. Each row's icon shows
 * its outcome as it comes (and why, in its tooltip); a toast sums up. */
static void
all_tested_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *text = NULL;
  guint failed = 0, n;

  errors = prov_target_service_test_targets_finish (PROV_TARGET_SERVICE (object), result);
  n = errors->len;
  self->testing_all = FALSE;
  for (guint i = 0; i < n; i++)
    {
      const GError *error = g_ptr_array_index (errors, i);

      /* The window is closing. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (error != NULL)
        failed++;
    }

  if (failed == 0)
    text = g_strdup_printf (ngettext ("The target system connected", "All %u target systems connected", n), n);
  else
    text = g_strdup_printf (ngettext ("%u of %u target system could not connect; the list shows why",
                                      "%u of %u target systems could not connect; the list shows why", n),
                            failed, n);
  _prov_window_show_toast (self, text);
  _prov_window_update_actions (self);
}

static void
start_test_all (ProvWindow *self)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->store);

  if (self->testing_all)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (targets, g_list_model_get_item (model, i));
  if (targets->len == 0)
    return;

  self->testing_all = TRUE;
  _prov_window_update_actions (self);
  prov_target_service_test_targets_async (self->service, targets, self->cancellable,
                                          all_tested_cb, g_object_ref (self));
}

static void
test_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  _prov_window_settle_then (PROV_WINDOW (widget), start_test_all);
}

/* A test or a run is of the saved values: an open edit is settled first
 * (asking when it has changes), then the work starts. */
static void
settled_then_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProvWindow *self = PROV_WINDOW (object);
  void (*then) (ProvWindow *) = user_data;

  if (_prov_window_settle_edits_finish (self, result))
    then (self);
}

void
_prov_window_settle_then (ProvWindow *self,
                          void      (*then) (ProvWindow *))
{
  if (_prov_window_is_dirty (self))
    {
      _prov_window_settle_edits_async (self, settled_then_cb, then);
      return;
    }
  if (self->editing)
    _prov_window_discard_edits (self);
  then (self);
}

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  _prov_window_settle_then (PROV_WINDOW (widget), start_test);
}

static void
cancel_test_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);
}

/* The banner's Cancel. */
static void
connection_cancel_cb (ProvWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.cancel-test", NULL);
}

void
_prov_window_editor_message_cb (ProvWindow *self,
                   const char *text,
                   gboolean    is_error)
{
  if (is_error)
    prov_window_show_message (self, text);
  else
    _prov_window_show_toast (self, text);
}

/* Provisioning */

static void
saved_source_checked_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  said = prov_target_service_test_source_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (said == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    prov_window_show_message (self, error->message);
}

static void
source_saved_cb (ProvWindow *self)
{
  _prov_window_show_toast (self, _("Source of users saved"));
  /* A file saved as the source that is no user export is said now, not
   * when someone next provisions. */
  if (prov_source_get_kind (prov_target_service_get_source (self->service)) == PROV_SOURCE_KIND_CSV)
    prov_target_service_test_source_async (self->service, NULL, self->cancellable,
                                           saved_source_checked_cb, g_object_ref (self));
}

static ProvSourceDialog *
open_source_dialog (ProvWindow *self)
{
  ProvSourceDialog *dialog = prov_source_dialog_new (GTK_WINDOW (self), self->service);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (source_saved_cb), self, G_CONNECT_SWAPPED);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
source_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_source_dialog (PROV_WINDOW (widget));
}

static void
start_provisioning (ProvWindow *self)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(ProvRunBatch) batch = NULL;
  ProvProvisionDialog *dialog;

  if (self->current == NULL || self->editing)
    return;

  /* Without a source there is nothing to provision: set it up first. */
  if (!prov_source_validate_saved (prov_target_service_get_source (self->service), NULL))
    {
      prov_window_show_message (self, _("Set up the source of users first: an Identity Authentication tenant or a CSV file."));
      open_source_dialog (self);
      return;
    }

  targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (targets, g_object_ref (self->current));
  batch = prov_run_batch_new (self->service, targets, NULL);
  dialog = prov_provision_dialog_new (GTK_WINDOW (self), batch);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
provision_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _prov_window_settle_then (PROV_WINDOW (widget), start_provisioning);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  if (self->current == NULL)
    return;

  gtk_window_present (GTK_WINDOW (prov_history_dialog_new (GTK_WINDOW (self), self->current, NULL)));
}

static void
users_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (prov_users_window_new (GTK_WINDOW (self), self->service)));
}

/* Actions */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  _prov_window_settle_then (self, _prov_window_start_adding);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  if (self->current == NULL || self->editing)
    return;

  _prov_window_set_editing (self, TRUE);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  prov_target_editor_focus_first (self->editor);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _prov_window_save_edits_async (PROV_WINDOW (widget), NULL, NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  _prov_window_discard_edits (self);
  if (self->current != NULL)
    gtk_widget_grab_focus (self->edit_button);
}

static void
escape_settled_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ProvWindow *self = PROV_WINDOW (object);

  if (_prov_window_settle_edits_finish (self, result) && self->current != NULL)
    gtk_widget_grab_focus (self->edit_button);
}

/* Escape leaves the editor, but never loses a change without asking
 * (the Cancel button is the explicit way to throw changes away). */
static void
leave_editor_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  if (_prov_window_is_dirty (self))
    _prov_window_settle_edits_async (self, escape_settled_cb, NULL);
  else
    cancel_action (widget, action_name, parameter);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->current == NULL)
    return;

  g_ptr_array_add (targets, g_object_ref (self->current));
  confirm_delete (self, targets);
}

static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) marked = NULL;
  GtkBitsetIter iter;
  guint position;

  marked = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, marked, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (targets, g_list_model_get_item (G_LIST_MODEL (self->multi_selection), position));

  confirm_delete (self, targets);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  undo_delete (PROV_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
leave_selection_mode_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  g_object_set (widget, "selection-mode", FALSE, NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
dismiss_message_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  prov_window_show_message (PROV_WINDOW (widget), NULL);
}

void
_prov_window_class_actions_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (PROV_TYPE_CONNECTION_BANNER);
  gtk_widget_class_bind_template_callback (widget_class, connection_cancel_cb);

  gtk_widget_class_install_action (widget_class, "win.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.leave-editor", NULL, leave_editor_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.delete-selected", NULL, delete_selected_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.leave-selection-mode", NULL, leave_selection_mode_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-message", NULL, dismiss_message_action);
  gtk_widget_class_install_action (widget_class, "win.test-connection", NULL, test_connection_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-test", NULL, cancel_test_action);
  gtk_widget_class_install_action (widget_class, "win.test-all", NULL, test_all_action);
  gtk_widget_class_install_action (widget_class, "win.provision", NULL, provision_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.source", NULL, source_action);
  gtk_widget_class_install_action (widget_class, "win.users", NULL, users_action);
  gtk_widget_class_install_property_action (widget_class, "win.selection-mode", "selection-mode");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave-editor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave-selection-mode", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-test", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.test-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.test-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.provision", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.source", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.users", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}
