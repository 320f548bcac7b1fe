/* prov-window.c — the main window: target systems and their editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-history-dialog.h"
#include "prov-provision-dialog.h"
#include "prov-run-batch.h"
#include "prov-source-dialog.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-ui-util.h"
#include "prov-users-window.h"
#include "prov-window.h"

/* What to do once unsaved edits are saved or discarded. */
typedef enum
{
  AFTER_NOTHING,
  AFTER_SWITCH,
  AFTER_ADD,
  AFTER_CLOSE,
} AfterEdit;

struct _ProvWindow
{
  AdwApplicationWindow  parent_instance;

  ProvTargetService    *service;
  ProvTargetStore      *store;          /* the service's: watched */
  /* Only to make a service when none is given. */
  ProvSecretStore      *secrets;
  ProvHttpClient       *http_client;
  ProvSource           *source;
  GSettings            *settings;

  GtkFilterListModel   *filter_model;
  GtkStringFilter      *string_filter;
  GtkSingleSelection   *single_selection;
  GtkMultiSelection    *multi_selection;

  /* The saved target on screen (NULL while adding one), the copy the editor
   * changes, and the values the copy started from. */
  ProvTargetSystem     *current;
  ProvTargetSystem     *draft;
  ProvTargetSystem     *baseline;
  gboolean              editing;
  gboolean              is_new;
  gboolean              busy;
  gboolean              selection_mode;
  gboolean              syncing_selection;
  gboolean              close_confirmed;

  AfterEdit             after_edit;
  ProvTargetSystem     *switch_to;

  ProvTargetSystem     *undo_first;     /* shown again after Undo */
  AdwToast             *undo_toast;

  GCancellable         *cancellable;    /* everything async of this window */
  GCancellable         *secrets_cancellable;
  GCancellable         *test_cancellable; /* non-NULL while a test runs */
  ProvTargetSystem     *tested;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkToggleButton      *selection_button;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  GtkListView          *list_view;
  GtkActionBar         *selection_bar;
  GtkLabel             *selection_label;
  GtkWidget            *delete_selected_button;
  GtkWidget            *empty_add_button;
  AdwWindowTitle       *content_title;
  GtkWidget            *cancel_button;
  GtkWidget            *save_button;
  GtkWidget            *edit_button;
  GtkRevealer          *message_revealer;
  GtkLabel             *message_label;
  GtkStack             *content_stack;
  ProvTargetEditor     *editor;
};

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

static void save_edits (ProvWindow *self);
static void finish_deletion (ProvWindow *self);

/* State */

static gboolean
is_dirty (ProvWindow *self)
{
  return self->editing &&
         self->draft != NULL && self->baseline != NULL &&
         !prov_target_system_equal (self->draft, self->baseline);
}

static void
update_actions (ProvWindow *self)
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
                                 self->current != NULL && !self->editing &&
                                 !self->busy && self->test_cancellable == NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-test", self->test_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.provision",
                                 self->current != NULL && !self->editing && !self->busy);
  gtk_widget_action_set_enabled (widget, "win.history", self->current != NULL && !self->editing);

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
  prov_target_editor_set_saved (self->editor, !self->editing && self->current != NULL);
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

static void
update_all (ProvWindow *self)
{
  update_header (self);
  update_content_page (self);
  update_actions (self);
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

static void
set_editing (ProvWindow *self,
             gboolean    editing)
{
  self->editing = editing;
  prov_target_editor_set_editable (self->editor, editing);
  if (!editing)
    prov_target_editor_show_reasons (self->editor, NULL);
  update_all (self);
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

static void
show_toast (ProvWindow *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
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
static void
sync_list_selection (ProvWindow *self)
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
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        prov_window_show_message (self, error->message);
      return;
    }

  if (self->current == NULL || self->draft == NULL)
    return;

  take_secrets (self, copy);
}

/* Shows @target; its secrets come from @with_secrets when given (just
 * saved), else from the keyring. */
static void
show_target_with (ProvWindow       *self,
                  ProvTargetSystem *target,
                  ProvTargetSystem *with_secrets)
{
  g_autoptr(ProvTargetSystem) draft = NULL;

  g_cancellable_cancel (self->secrets_cancellable);
  g_clear_object (&self->secrets_cancellable);
  if (self->test_cancellable != NULL && self->tested != target)
    g_cancellable_cancel (self->test_cancellable);

  g_set_object (&self->current, target);
  self->is_new = FALSE;
  g_clear_object (&self->baseline);

  if (target != NULL)
    {
      draft = prov_target_system_copy (target);
      self->baseline = prov_target_system_copy (target);
    }
  set_draft (self, draft);
  set_editing (self, FALSE);
  sync_list_selection (self);

  if (target != NULL && with_secrets != NULL)
    take_secrets (self, with_secrets);
  else if (target != NULL)
    {
      /* Into copies only: the store's targets never hold secrets. */
      self->secrets_cancellable = g_cancellable_new ();
      prov_target_service_dup_target_with_secrets_async (self->service, target,
                                                         self->secrets_cancellable,
                                                         secrets_loaded_cb, g_object_ref (self));
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-selected-target",
                           target ? prov_target_system_get_uuid (target) : "");
}

static void
show_target (ProvWindow       *self,
             ProvTargetSystem *target)
{
  show_target_with (self, target, NULL);
}

static void
start_adding (ProvWindow *self)
{
  g_autoptr(ProvTargetSystem) draft = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

  g_cancellable_cancel (self->secrets_cancellable);
  g_clear_object (&self->current);
  g_clear_object (&self->baseline);
  self->baseline = prov_target_system_copy (draft);
  self->is_new = TRUE;
  set_draft (self, draft);
  set_editing (self, TRUE);
  sync_list_selection (self);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  prov_target_editor_focus_first (self->editor);
}

static void
discard_edits (ProvWindow *self)
{
  if (self->is_new)
    {
      ProvTargetSystem *previous = NULL;

      if (self->settings != NULL)
        {
          g_autofree char *uuid = g_settings_get_string (self->settings, "last-selected-target");
          previous = prov_target_store_find_by_uuid (self->store, uuid, NULL);
        }
      show_target (self, previous);
      return;
    }

  /* Back to the saved values, secrets included. */
  prov_target_system_assign (self->draft, self->baseline);
  set_editing (self, FALSE);
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
continue_after_edit (ProvWindow *self)
{
  AfterEdit after = self->after_edit;
  g_autoptr(ProvTargetSystem) switch_to = g_steal_pointer (&self->switch_to);

  self->after_edit = AFTER_NOTHING;

  switch (after)
    {
    case AFTER_SWITCH:
      show_target (self, switch_to);
      break;
    case AFTER_ADD:
      start_adding (self);
      break;
    case AFTER_CLOSE:
      self->close_confirmed = TRUE;
      /* Not now: this may run inside the dialog's response, and the dialog
       * still needs its parent until the response is over. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
      break;
    case AFTER_NOTHING:
    default:
      break;
    }
}

static void
unsaved_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     ProvWindow       *self)
{
  if (g_str_equal (response, "save"))
    {
      /* save_edits continues with after_edit once it succeeds. */
      save_edits (self);
    }
  else if (g_str_equal (response, "discard"))
    {
      discard_edits (self);
      continue_after_edit (self);
    }
  else
    {
      self->after_edit = AFTER_NOTHING;
      g_clear_object (&self->switch_to);
      sync_list_selection (self);
    }
}

/* Asks what to do with unsaved edits before @after; returns TRUE when it
 * asked (and @after will run later, or not at all). */
static gboolean
confirm_unsaved (ProvWindow       *self,
                 AfterEdit         after,
                 ProvTargetSystem *switch_to)
{
  AdwMessageDialog *dialog;
  const char *name;
  g_autofree char *body = NULL;

  if (!is_dirty (self))
    {
      if (self->editing)
        discard_edits (self);
      return FALSE;
    }

  self->after_edit = after;
  g_set_object (&self->switch_to, switch_to);

  name = prov_target_system_get_display_name (self->draft);
  if (*name == '\0')
    body = g_strdup (_("The new target system has not been saved. Changes which are not saved will be lost."));
  else
    body = g_strdup_printf (_("“%s” has unsaved changes. Changes which are not saved will be lost."), name);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unsaved_response_cb), self, 0);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
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

  if (confirm_unsaved (self, AFTER_SWITCH, item))
    {
      sync_list_selection (self);
      return;
    }

  show_target (self, item);
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

  /* Enter on a target moves on to its details. */
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  if (self->editing)
    prov_target_editor_focus_first (self->editor);
  else
    gtk_widget_grab_focus (self->edit_button);
}

static void
row_selected_cb (ProvTargetRow *row,
                 GParamSpec    *pspec,
                 GtkListItem   *list_item)
{
  ProvWindow *self = PROV_WINDOW (gtk_widget_get_root (GTK_WIDGET (row)));
  GtkSelectionModel *model;
  guint position;
  gboolean want;

  if (self == NULL || !self->selection_mode)
    return;

  model = GTK_SELECTION_MODEL (self->multi_selection);
  position = gtk_list_item_get_position (list_item);
  want = prov_target_row_get_selected (row);

  if (position == GTK_INVALID_LIST_POSITION ||
      want == gtk_selection_model_is_selected (model, position))
    return;

  if (want)
    gtk_selection_model_select_item (model, position, FALSE);
  else
    gtk_selection_model_unselect_item (model, position);
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
    sync_list_selection (self);
}

static void
store_items_changed_cb (ProvWindow *self)
{
  if (self->selection_mode && g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    g_object_set (self, "selection-mode", FALSE, NULL);
  update_all (self);
}

static void
marked_changed_cb (ProvWindow *self)
{
  update_actions (self);
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
      sync_list_selection (self);
    }

  gtk_action_bar_set_revealed (self->selection_bar, selection_mode);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

/* Saving */

typedef struct
{
  ProvWindow       *self;
  ProvTargetSystem *saved;      /* the values handed to the service */
  gboolean          changed;    /* from the values on screen before */
} SaveOp;

static void
save_op_free (SaveOp *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->saved);
  g_free (op);
}

static void
target_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveOp *op = user_data;
  ProvWindow *self = op->self;
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
          self->after_edit = AFTER_NOTHING;
          g_clear_object (&self->switch_to);
          prov_window_show_message (self, error->message);
          update_all (self);
        }
      save_op_free (op);
      return;
    }

  /* A test still on its way says nothing about new values. */
  if (op->changed && self->tested == target)
    g_cancellable_cancel (self->test_cancellable);

  self->busy = FALSE;
  name = prov_target_system_get_display_name (target);
  if (created && prov_target_system_get_kind (target) == PROV_TARGET_KIND_IDENTITY_PROVISIONING)
    message = g_strdup_printf (_("Target system %s created"), name);
  else
    message = g_strdup_printf (_("System %s configuration updated."), name);

  prov_window_show_message (self, NULL);
  show_toast (self, message);

  /* The secrets just saved are on hand: no need to ask the keyring. */
  show_target_with (self, target, op->saved);
  continue_after_edit (self);
  save_op_free (op);
}

static void
save_edits (ProvWindow *self)
{
  g_autofree char *name = NULL;
  char **reasons = NULL;
  SaveOp *op;

  if (!self->editing || self->busy)
    return;

  /* Spaces around a name are never meant. */
  name = g_strstrip (g_strdup (prov_target_system_get_display_name (self->draft)));
  prov_target_system_set_display_name (self->draft, name);

  if (!prov_target_system_validate (self->draft, G_LIST_MODEL (self->store), &reasons))
    {
      prov_target_editor_show_reasons (self->editor, reasons);
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        g_free (reasons[i]);
      g_free (reasons);
      self->after_edit = AFTER_NOTHING;
      g_clear_object (&self->switch_to);
      sync_list_selection (self);
      return;
    }
  g_free (reasons);

  prov_target_editor_show_reasons (self->editor, NULL);
  self->busy = TRUE;
  update_actions (self);

  op = g_new0 (SaveOp, 1);
  op->self = g_object_ref (self);
  op->saved = prov_target_system_copy (self->draft);
  op->changed = !prov_target_system_equal (self->draft, self->baseline);

  prov_target_service_save_target_async (self->service, self->draft, self->cancellable,
                                         target_saved_cb, op);
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
static void
finish_deletion (ProvWindow *self)
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
  update_actions (self);
}

void
prov_window_finish_pending (ProvWindow *self)
{
  g_return_if_fail (PROV_IS_WINDOW (self));
  finish_deletion (self);
}

static void
undo_toast_dismissed_cb (AdwToast   *toast,
                         ProvWindow *self)
{
  if (self->undo_toast == toast)
    finish_deletion (self);
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
  finish_deletion (self);

  for (guint i = 0; i < targets->len; i++)
    if (g_ptr_array_index (targets, i) == self->current)
      show_target (self, NULL);
  if (n > 0)
    self->undo_first = g_object_ref (g_ptr_array_index (targets, 0));

  prov_target_service_delete_targets_async (self->service, targets, NULL,
                                            deletion_saved_cb, g_object_ref (self));

  text = g_strdup_printf (ngettext ("%u target system deleted",
                                    "%u target systems deleted", n), n);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_timeout (toast, 7);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self, 0);
  self->undo_toast = g_object_ref (toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  g_object_set (self, "selection-mode", FALSE, NULL);
  update_all (self);
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
    show_target (self, first);
  update_all (self);
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
  prov_target_editor_set_testing (self->editor, FALSE);
  update_actions (self);
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

  /* The service recorded the outcome on the target. */
  if (prov_target_service_test_target_finish (PROV_TARGET_SERVICE (object), result, &error))
    {
      if (self->tested == self->current)
        prov_window_show_message (self, NULL);
      show_toast (self, prov_connection_test_success_message ());
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, _("Connection test cancelled"));
  else
    prov_window_show_message (self, error->message);

  finish_test (self);
}

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  if (self->current == NULL || self->editing || self->test_cancellable != NULL)
    return;

  self->test_cancellable = g_cancellable_new ();
  self->tested = g_object_ref (self->current);
  prov_window_show_message (self, NULL);
  prov_target_editor_set_testing (self->editor, TRUE);
  update_actions (self);

  prov_target_service_test_target_async (self->service, self->tested, self->test_cancellable,
                                         connection_tested_cb, g_object_ref (self));
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

static void
editor_message_cb (ProvWindow *self,
                   const char *text,
                   gboolean    is_error)
{
  if (is_error)
    prov_window_show_message (self, text);
  else
    show_toast (self, text);
}

/* Provisioning */

static void
source_saved_cb (ProvWindow *self)
{
  show_toast (self, _("Source of users saved"));
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
provision_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(ProvRunBatch) batch = NULL;
  ProvProvisionDialog *dialog;

  if (self->current == NULL || self->editing)
    return;

  /* Without a source there is nothing to provision: set it up first. */
  if (!prov_source_validate (prov_target_service_get_source (self->service), NULL))
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

  if (!confirm_unsaved (self, AFTER_ADD, NULL))
    start_adding (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  if (self->current == NULL || self->editing)
    return;

  set_editing (self, TRUE);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  prov_target_editor_focus_first (self->editor);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save_edits (PROV_WINDOW (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ProvWindow *self = PROV_WINDOW (widget);

  discard_edits (self);
  if (self->current != NULL)
    gtk_widget_grab_focus (self->edit_button);
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

/* Loading */

static void
targets_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *last = NULL;

  if (!prov_target_service_load_finish (PROV_TARGET_SERVICE (object), result, &error))
    prov_window_show_message (self, error->message);

  if (self->settings != NULL)
    {
      g_autofree char *uuid = g_settings_get_string (self->settings, "last-selected-target");
      last = prov_target_store_find_by_uuid (self->store, uuid, NULL);
    }

  if (last != NULL && self->draft == NULL)
    show_target (self, last);
  update_all (self);
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
prov_window_close_request (GtkWindow *window)
{
  ProvWindow *self = PROV_WINDOW (window);

  if (!self->close_confirmed && confirm_unsaved (self, AFTER_CLOSE, NULL))
    return TRUE;

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }

  finish_deletion (self);

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
                           G_CALLBACK (editor_message_cb), self, G_CONNECT_SWAPPED);

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

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (factory_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (factory_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (factory_unbind_cb), self, 0);
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

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  update_all (self);
}

static void
prov_window_dispose (GObject *object)
{
  ProvWindow *self = (ProvWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->secrets_cancellable);
  g_cancellable_cancel (self->test_cancellable);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  set_draft (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_WINDOW);

  g_clear_object (&self->current);
  g_clear_object (&self->baseline);
  g_clear_object (&self->switch_to);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->single_selection);
  g_clear_object (&self->multi_selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->string_filter);
  g_clear_object (&self->settings);
  g_clear_object (&self->undo_first);
  g_clear_object (&self->store);
  g_clear_object (&self->service);
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
prov_window_finalize (GObject *object)
{
  G_OBJECT_CLASS (prov_window_parent_class)->finalize (object);
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
  object_class->finalize = prov_window_finalize;
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

  gtk_widget_class_install_action (widget_class, "win.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.delete-selected", NULL, delete_selected_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.leave-selection-mode", NULL, leave_selection_mode_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-message", NULL, dismiss_message_action);
  gtk_widget_class_install_action (widget_class, "win.test-connection", NULL, test_connection_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-test", NULL, cancel_test_action);
  gtk_widget_class_install_action (widget_class, "win.provision", NULL, provision_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.source", NULL, source_action);
  gtk_widget_class_install_action (widget_class, "win.users", NULL, users_action);
  gtk_widget_class_install_property_action (widget_class, "win.selection-mode", "selection-mode");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave-selection-mode", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-test", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.test-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.provision", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.source", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.users", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
prov_window_init (ProvWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  prov_button_fix_accessible_name (GTK_BUTTON (self->cancel_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->save_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->edit_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->delete_selected_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->empty_add_button));

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
