/* prov-window.c — the main window: target systems and their editor
 *
 * The state, the sidebar and the unsaved-changes question; the actions are
 * in prov-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-target-row.h"
#include "prov-ui-util.h"
#include "prov-window-private.h"

G_DEFINE_FINAL_TYPE (ProvWindow, prov_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_STORE,
  PROP_SECRETS,
  PROP_HTTP_CLIENT,
  PROP_SOURCE,
  PROP_SELECTION_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* State */

gboolean
_prov_window_is_dirty (ProvWindow *self)
{
  return self->editing &&
         self->draft != NULL && self->baseline != NULL &&
         !prov_target_system_equal (self->draft, self->baseline);
}

void
_prov_window_update_actions (ProvWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n_marked = 0;

  if (self->selection_mode)
    {
      g_autoptr(GtkBitset) marked =
        gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
      n_marked = gtk_bitset_get_size (marked);
    }

  gtk_widget_action_set_enabled (widget, "win.add", !self->busy && !self->selection_mode);
  gtk_widget_action_set_enabled (widget, "win.edit",
                                 self->current != NULL && !self->editing && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.save", self->editing && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.cancel", self->editing && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.leave-editor", self->editing && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.delete",
                                 self->current != NULL && !self->editing &&
                                 !self->busy && !self->selection_mode);
  gtk_widget_action_set_enabled (widget, "win.delete-selected",
                                 self->selection_mode && n_marked > 0 && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.leave-selection-mode", self->selection_mode);
  gtk_widget_action_set_enabled (widget, "win.selection-mode",
                                 !self->editing && !self->busy &&
                                 g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0);
  gtk_widget_action_set_enabled (widget, "win.undo-delete",
                                 prov_target_service_can_undo (self->service));
  gtk_widget_action_set_enabled (widget, "win.test-connection",
                                 self->current != NULL && !self->is_new &&
                                 !self->busy && self->test_cancellable == NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-test", self->test_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.test-all",
                                 !self->testing_all && !self->busy && !self->selection_mode &&
                                 g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0);
  gtk_widget_action_set_enabled (widget, "win.provision",
                                 self->current != NULL && !self->is_new && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.history", self->current != NULL);
  _prov_window_update_transfer_actions (self);

  if (self->selection_mode)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("%u selected", "%u selected", n_marked), n_marked);
      gtk_label_set_text (self->selection_label, label);
    }
}

static void
update_header (ProvWindow *self)
{
  const char *title = NULL;

  if (self->draft != NULL)
    title = prov_target_system_get_display_name (self->draft);
  if (self->is_new && (title == NULL || *title == '\0'))
    title = _("New Target System");
  if (self->draft == NULL)
    title = "";

  adw_window_title_set_title (self->content_title, title);
  adw_window_title_set_subtitle (self->content_title,
                                 self->draft ? prov_target_system_get_kind_label (self->draft) : NULL);

  gtk_widget_set_visible (self->cancel_button, self->editing);
  gtk_widget_set_visible (self->save_button, self->editing);
  gtk_widget_set_visible (self->edit_button, !self->editing && self->current != NULL);
  /* The target's actions stay in sight while editing; they settle the edit
   * first (asking when there are changes). */
  gtk_action_bar_set_revealed (self->target_bar, self->current != NULL);
}

static void
update_content_page (ProvWindow *self)
{
  if (self->draft != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "editor");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "none-selected");

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    gtk_stack_set_visible_child_name (self->sidebar_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->sidebar_stack, "list");
}

void
_prov_window_update_all (ProvWindow *self)
{
  update_header (self);
  update_content_page (self);
  _prov_window_update_actions (self);
}

static void
draft_notify_cb (ProvWindow *self)
{
  update_header (self);
}

static void
set_draft (ProvWindow       *self,
           ProvTargetSystem *draft)
{
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_func (self->draft, draft_notify_cb, self);

  g_set_object (&self->draft, draft);

  if (self->draft != NULL)
    g_signal_connect_object (self->draft, "notify",
                             G_CALLBACK (draft_notify_cb), self,
                             G_CONNECT_SWAPPED);

  prov_target_editor_set_target (self->editor, draft);
}

void
_prov_window_set_editing (ProvWindow *self,
             gboolean    editing)
{
  self->editing = editing;
  prov_target_editor_set_editable (self->editor, editing);
  if (!editing)
    prov_target_editor_show_reasons (self->editor, NULL);
  _prov_window_update_all (self);

  /* Another program saved the list during the edit: show its list now. */
  if (!editing && prov_target_store_get_changed_on_disk (self->store))
    prov_window_load_targets (self);
}

void
prov_window_show_message (ProvWindow *self,
                          const char *message)
{
  g_return_if_fail (PROV_IS_WINDOW (self));

  gtk_label_set_text (self->message_label, message);
  gtk_revealer_set_reveal_child (self->message_revealer, message != NULL);

  /* Make sure people using a screen reader hear it too. */
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
}

void
_prov_window_show_toast (ProvWindow *self,
            const char *text)
{
  prov_toast_overlay_add (self->toast_overlay, prov_toast_new (text));
}

/* The sidebar */

static guint
position_in_list (ProvWindow       *self,
                  ProvTargetSystem *target)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) item = g_list_model_get_item (G_LIST_MODEL (self->filter_model), i);
      if (item == target)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* Reflects self->current in the list without treating it as a choice. */
void
_prov_window_sync_list_selection (ProvWindow *self)
{
  guint position = self->current ? position_in_list (self, self->current)
                                 : GTK_INVALID_LIST_POSITION;

  if (self->selection_mode)
    return;

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->single_selection, position);
  self->syncing_selection = FALSE;

  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/* Brings @from's secrets to the copy on screen (unless the person already
 * typed their own) and to the values it started from. */
static void
take_secrets (ProvWindow       *self,
              ProvTargetSystem *from)
{
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (!prov_field_is_secret (i))
        continue;
      if (*prov_target_system_get_text (self->baseline, i) == '\0' &&
          *prov_target_system_get_text (self->draft, i) == '\0')
        prov_target_system_set_text (self->draft, i, prov_target_system_get_text (from, i));
      prov_target_system_set_text (self->baseline, i, prov_target_system_get_text (from, i));
    }
}

static void
secrets_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(ProvTargetSystem) copy = NULL;
  g_autoptr(GError) error = NULL;

  copy = prov_target_service_dup_target_with_secrets_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (copy == NULL)
    {
      /* Cancelled: another target is shown, and settled its own. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          prov_window_show_message (self, error->message);
          _prov_window_secrets_settled (self, error);
        }
      return;
    }

  if (self->current != NULL && self->draft != NULL)
    take_secrets (self, copy);
  _prov_window_secrets_settled (self, NULL);
}

/* A Save waiting for the secrets of what is no longer shown ends. */
static void
drop_secrets_wait (ProvWindow *self)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Another target is shown");

  g_cancellable_cancel (self->secrets_cancellable);
  g_clear_object (&self->secrets_cancellable);
  _prov_window_secrets_settled (self, cancelled);
}

/* Shows @target; its secrets come from @with_secrets when given (just
 * saved), else from the keyring. */
void
_prov_window_show_target_with (ProvWindow       *self,
                  ProvTargetSystem *target,
                  ProvTargetSystem *with_secrets)
{
  g_autoptr(ProvTargetSystem) draft = NULL;

  drop_secrets_wait (self);
  if (self->test_cancellable != NULL && self->tested != target)
    g_cancellable_cancel (self->test_cancellable);
  if (target != self->current)
    prov_connection_banner_clear (self->connection_banner);

  g_set_object (&self->current, target);
  self->is_new = FALSE;
  g_clear_object (&self->baseline);

  if (target != NULL)
    {
      draft = prov_target_system_copy (target);
      self->baseline = prov_target_system_copy (target);
    }
  set_draft (self, draft);
  _prov_window_set_editing (self, FALSE);
  _prov_window_sync_list_selection (self);

  if (target != NULL && with_secrets != NULL)
    take_secrets (self, with_secrets);
  else if (target != NULL)
    {
      /* Into copies only: the store's targets never hold secrets. */
      self->secrets_cancellable = g_cancellable_new ();
      self->secrets_pending = TRUE;
      prov_target_service_dup_target_with_secrets_async (self->service, target,
                                                         self->secrets_cancellable,
                                                         secrets_loaded_cb, g_object_ref (self));
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-selected-target",
                           target ? prov_target_system_get_uuid (target) : "");
}

void
_prov_window_show_target (ProvWindow       *self,
             ProvTargetSystem *target)
{
  _prov_window_show_target_with (self, target, NULL);
}

void
_prov_window_start_adding (ProvWindow *self)
{
  g_autoptr(ProvTargetSystem) draft = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

  /* On for new targets: Save shows what that pushes at once first. */
  prov_target_system_set_real_time (draft, TRUE);
  _prov_window_edit_new (self, draft);
}

void
_prov_window_edit_new (ProvWindow       *self,
                       ProvTargetSystem *draft)
{
  drop_secrets_wait (self);
  g_clear_object (&self->current);
  g_clear_object (&self->baseline);
  self->baseline = prov_target_system_copy (draft);
  self->is_new = TRUE;
  set_draft (self, draft);
  _prov_window_set_editing (self, TRUE);
  _prov_window_sync_list_selection (self);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  prov_target_editor_focus_first (self->editor);
}

void
_prov_window_discard_edits (ProvWindow *self)
{
  if (self->is_new)
    {
      ProvTargetSystem *previous = NULL;

      if (self->settings != NULL)
        {
          g_autofree char *uuid = g_settings_get_string (self->settings, "last-selected-target");
          previous = prov_target_store_find_by_uuid (self->store, uuid, NULL);
        }
      _prov_window_show_target (self, previous);
      return;
    }

  /* Back to the saved values, secrets included. */
  prov_target_system_assign (self->draft, self->baseline);
  _prov_window_set_editing (self, FALSE);
}

/* The unsaved-changes question */

static void
settle_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvWindow *self = PROV_WINDOW (object);

  g_task_return_boolean (task, _prov_window_save_edits_finish (self, result));
}

static void
settle_answered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvWindow *self = g_task_get_source_object (task);

  self->asking = FALSE;
  switch (prov_ask_unsaved_changes_finish (result))
    {
    case PROV_UNSAVED_SAVE:
      _prov_window_save_edits_async (self, settle_saved_cb, g_steal_pointer (&task));
      break;
    case PROV_UNSAVED_DISCARD:
      _prov_window_discard_edits (self);
      g_task_return_boolean (task, TRUE);
      break;
    case PROV_UNSAVED_CANCEL:
    default:
      _prov_window_sync_list_selection (self);
      g_task_return_boolean (task, FALSE);
      break;
    }
}

void
_prov_window_settle_edits_async (ProvWindow          *self,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, _prov_window_settle_edits_async);

  if (self->asking || self->busy)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (!_prov_window_is_dirty (self))
    {
      if (self->editing)
        _prov_window_discard_edits (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->asking = TRUE;
  prov_ask_unsaved_changes_async (GTK_WINDOW (self), self->draft, self->is_new,
                                  settle_answered_cb, g_steal_pointer (&task));
}

gboolean
_prov_window_settle_edits_finish (ProvWindow   *self,
                                  GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
switch_settled_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvTargetSystem) target = user_data;
  ProvWindow *self = PROV_WINDOW (object);

  if (_prov_window_settle_edits_finish (self, result))
    _prov_window_show_target (self, target);
}

static void
selection_changed_cb (ProvWindow *self)
{
  ProvTargetSystem *item;

  if (self->syncing_selection || self->selection_mode)
    return;

  item = gtk_single_selection_get_selected_item (self->single_selection);

  /* Filtering may hide the target on screen; that is not a choice. */
  if (item == NULL || item == self->current)
    return;

  if (_prov_window_is_dirty (self))
    {
      _prov_window_sync_list_selection (self);
      _prov_window_settle_edits_async (self, switch_settled_cb, g_object_ref (item));
      return;
    }

  _prov_window_show_target (self, item);
  /* A target chosen is read: folded now or later, its page shows. */
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
list_activate_cb (ProvWindow *self,
                  guint       position)
{
  if (self->selection_mode)
    {
      GtkSelectionModel *model = GTK_SELECTION_MODEL (self->multi_selection);

      if (gtk_selection_model_is_selected (model, position))
        gtk_selection_model_unselect_item (model, position);
      else
        gtk_selection_model_select_item (model, position, FALSE);
      return;
    }

  /* Enter on a target opens it (Tab focuses a row without selecting it)
   * and moves on to its details. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->single_selection), position, TRUE);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  if (self->editing)
    prov_target_editor_focus_first (self->editor);
  else
    gtk_widget_grab_focus (self->edit_button);
}

static void
search_changed_cb (ProvWindow *self)
{
  gtk_string_filter_set_search (self->string_filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
filter_items_changed_cb (ProvWindow *self)
{
  update_content_page (self);
  if (!self->syncing_selection)
    _prov_window_sync_list_selection (self);
}

static void
store_items_changed_cb (ProvWindow *self)
{
  if (self->selection_mode && g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    g_object_set (self, "selection-mode", FALSE, NULL);
  _prov_window_update_all (self);
}

static void
marked_changed_cb (ProvWindow *self)
{
  _prov_window_update_actions (self);
}

static void
set_selection_mode (ProvWindow *self,
                    gboolean    selection_mode)
{
  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;

  if (selection_mode)
    {
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->multi_selection));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->multi_selection));
    }
  else
    {
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->single_selection));
      _prov_window_sync_list_selection (self);
    }

  gtk_action_bar_set_revealed (self->selection_bar, selection_mode);
  _prov_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

/* Loading */

static void
targets_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *last = NULL;

  if (!prov_target_service_load_finish (PROV_TARGET_SERVICE (object), result, &error) ||
      !prov_target_store_check_writable (self->store, &error) ||
      !prov_source_check_writable (prov_target_service_get_source (self->service), &error))
    prov_window_show_message (self, error->message);

  /* A reload updates targets in place, or drops them: show afresh. */
  if (self->current != NULL && !self->editing)
    _prov_window_show_target (self, prov_target_store_find_by_uuid (self->store, prov_target_system_get_uuid (self->current), NULL));

  if (self->settings != NULL)
    {
      g_autofree char *uuid = g_settings_get_string (self->settings, "last-selected-target");
      last = prov_target_store_find_by_uuid (self->store, uuid, NULL);
    }

  if (last != NULL && self->draft == NULL)
    _prov_window_show_target (self, last);
  _prov_window_update_all (self);
}

static void
store_file_changed_cb (ProvWindow *self)
{
  /* An open edit stays: its save is refused, and ending it reloads. */
  if (!self->editing)
    prov_window_load_targets (self);
}

void
prov_window_load_targets (ProvWindow *self)
{
  g_return_if_fail (PROV_IS_WINDOW (self));

  prov_target_service_load_async (self->service, self->cancellable,
                                  targets_loaded_cb, g_object_ref (self));
}

/* GtkWindow */

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
close_settled_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ProvWindow *self = PROV_WINDOW (object);

  if (!_prov_window_settle_edits_finish (self, result))
    return;

  self->close_confirmed = TRUE;
  /* Not now: this may run inside the question's response, and the question
   * still needs its parent until the response is over. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
prov_window_close_request (GtkWindow *window)
{
  ProvWindow *self = PROV_WINDOW (window);

  if (!self->close_confirmed && _prov_window_is_dirty (self))
    {
      _prov_window_settle_edits_async (self, close_settled_cb, NULL);
      return TRUE;
    }

  _prov_window_finish_deletion (self);

  return GTK_WINDOW_CLASS (prov_window_parent_class)->close_request (window);
}

/* GObject */

static void
prov_window_constructed (GObject *object)
{
  ProvWindow *self = (ProvWindow *)object;
  GtkExpression *expression;
  GtkListItemFactory *factory;

  G_OBJECT_CLASS (prov_window_parent_class)->constructed (object);

  if (self->service == NULL)
    {
      g_assert (self->store != NULL);
      g_assert (self->secrets != NULL);
      self->service = prov_target_service_new (self->store, self->secrets,
                                               self->http_client ? self->http_client
                                                                 : prov_http_client_get_default (),
                                               self->source, NULL);
    }
  g_clear_object (&self->secrets);
  g_clear_object (&self->http_client);
  g_clear_object (&self->source);
  g_set_object (&self->store, prov_target_service_get_store (self->service));

  g_signal_connect_object (self->editor, "message",
                           G_CALLBACK (_prov_window_editor_message_cb), self, G_CONNECT_SWAPPED);

  expression = gtk_property_expression_new (PROV_TYPE_TARGET_SYSTEM, NULL, "display-name");
  self->string_filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->string_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->string_filter, TRUE);

  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                  g_object_ref (GTK_FILTER (self->string_filter)));
  self->single_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->single_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->single_selection, TRUE);
  gtk_single_selection_set_selected (self->single_selection, GTK_INVALID_LIST_POSITION);
  self->multi_selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));

  factory = _prov_window_sidebar_factory_new (self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->single_selection));

  g_signal_connect_object (self->single_selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->multi_selection, "selection-changed",
                           G_CALLBACK (marked_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filter_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (store_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "file-changed",
                           G_CALLBACK (store_file_changed_cb), self, G_CONNECT_SWAPPED);

  /* The designed size, kept by the settings when they exist. */
  gtk_window_set_default_size (GTK_WINDOW (self), 1000, 700);
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }

  _prov_window_update_all (self);
}

static void
prov_window_dispose (GObject *object)
{
  ProvWindow *self = (ProvWindow *)object;

  g_cancellable_cancel (self->cancellable);
  drop_secrets_wait (self);
  g_cancellable_cancel (self->test_cancellable);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  set_draft (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_WINDOW);

  g_clear_object (&self->current);
  g_clear_object (&self->baseline);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->single_selection);
  g_clear_object (&self->multi_selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->string_filter);
  g_clear_object (&self->settings);
  g_clear_object (&self->undo_first);
  g_clear_object (&self->store);
  g_clear_object (&self->service);
  g_clear_object (&self->sync);
  g_clear_object (&self->secrets);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->secrets_cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->tested);
  g_clear_object (&self->http_client);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (prov_window_parent_class)->dispose (object);
}

static void
prov_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ProvWindow *self = PROV_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->service ? prov_target_service_get_source (self->service) : NULL);
      break;
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ProvWindow *self = PROV_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_HTTP_CLIENT:
      self->http_client = g_value_dup_object (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    case PROP_SELECTION_MODE:
      set_selection_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_window_class_init (ProvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = prov_window_constructed;
  object_class->dispose = prov_window_dispose;
  object_class->get_property = prov_window_get_property;
  object_class->set_property = prov_window_set_property;

  window_class->close_request = prov_window_close_request;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, PROV_TYPE_TARGET_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Without a service: the parts to make one of (tests). */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PROV_TYPE_TARGET_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, PROV_TYPE_SECRET_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HTTP_CLIENT] =
    g_param_spec_object ("http-client", NULL, NULL, PROV_TYPE_HTTP_CLIENT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, PROV_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PROV_TYPE_TARGET_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, content);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, selection_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, delete_selected_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, history_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, provision_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, connection_banner);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, ProvWindow, target_bar);

  _prov_window_class_actions_init (widget_class);
  _prov_window_class_sync_init (widget_class);
  _prov_window_class_transfer_init (widget_class);

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
prov_window_init (ProvWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkEventController *escape;

  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A toast on screen takes Escape to dismiss itself, so the editor would
   * not hear it: with an edit open, Escape is the editor's, before anyone. */
  escape = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (escape, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (escape),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("win.leave-editor")));
  gtk_widget_add_controller (GTK_WIDGET (self), escape);
  prov_button_fix_accessible_name (GTK_BUTTON (self->cancel_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->save_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->edit_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->delete_selected_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->empty_add_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->provision_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->history_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->delete_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->test_button));
  _prov_window_narrow_init (self);

  /* Without an installed schema the window still works; it just forgets. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (BASE_APP_ID);
  else
    g_debug ("GSettings schema %s is not installed; window state is not kept", BASE_APP_ID);
}

ProvWindow *
prov_window_new (GtkApplication  *application,
                 ProvTargetStore *store,
                 ProvSecretStore *secrets)
{
  return g_object_new (PROV_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "secrets", secrets,
                       NULL);
}

void
prov_window_set_demo (ProvWindow *self,
                      gboolean    demo)
{
  g_return_if_fail (PROV_IS_WINDOW (self));
  gtk_widget_set_visible (self->demo_label, demo);
}
