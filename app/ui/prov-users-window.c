/* prov-users-window.c — the source's users: search, pick, provision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-provision-dialog.h"
#include "prov-run-batch.h"
#include "prov-ui-util.h"
#include "prov-user.h"
#include "prov-users-window.h"

struct _ProvUsersWindow
{
  AdwWindow           parent_instance;

  ProvTargetService  *service;
  ProvSource         *source;     /* the service's: watched, never changed */
  ProvTargetStore    *targets;    /* the service's */
  GCancellable       *cancellable;

  GPtrArray          *users;      /* as read, for the runs */
  gboolean            complete;
  GListStore         *model;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkMultiSelection  *selection;
  char               *needle;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  AdwStatusPage      *error_page;
  GtkListView        *list_view;
  GtkLabel           *count_label;
  GtkWidget          *provision_button;
  GtkWidget          *select_all_button;
  GtkWidget          *select_none_button;
};

G_DEFINE_FINAL_TYPE (ProvUsersWindow, prov_users_window, ADW_TYPE_WINDOW)

static guint
n_selected (ProvUsersWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return gtk_bitset_get_size (selected);
}

static void
update_count (ProvUsersWindow *self)
{
  guint selected = n_selected (self);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u user selected", "%u of %u users selected", shown),
                                           selected, shown);

  gtk_label_set_text (self->count_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.provision",
                                 selected > 0 && g_list_model_get_n_items (G_LIST_MODEL (self->targets)) > 0);
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  ProvUsersWindow *self = user_data;
  return prov_user_matches (PROV_USER (item), self->needle);
}

static void
search_changed_cb (ProvUsersWindow *self)
{
  g_free (self->needle);
  self->needle = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* The search has the focus and takes Escape (GtkSearchEntry's stop-search,
 * which clears nothing in GTK 4.8): with something typed Escape clears it,
 * with nothing typed it closes the window. */
static void
stop_search_cb (ProvUsersWindow *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Rows */

static void
check_toggled_cb (GtkCheckButton *check,
                  GtkListItem    *item)
{
  ProvUsersWindow *self = g_object_get_data (G_OBJECT (check), "window");

  prov_selection_follow_row (GTK_SELECTION_MODEL (self->selection), item,
                             gtk_check_button_get_active (check));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          ProvUsersWindow          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), labels);

  g_object_set_data (G_OBJECT (check), "window", self);
  g_object_bind_property (item, "selected", check, "active", G_BINDING_SYNC_CREATE);
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), item);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         ProvUsersWindow          *self)
{
  ProvUser *user = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_first_child (box);
  GtkWidget *labels = gtk_widget_get_last_child (box);
  g_autoptr(GString) detail = g_string_new (prov_user_get_user_name (user));
  const char *email = prov_user_get_email (user);
  const char *user_id = prov_user_get_user_id (user);

  if (email != NULL)
    g_string_append_printf (detail, " · %s", email);
  if (user_id != NULL)
    g_string_append_printf (detail, " · %s", user_id);
  if (!prov_user_get_active (user))
    g_string_append_printf (detail, " · %s", _("inactive"));

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (labels)), prov_user_get_display_label (user));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (labels)), detail->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, prov_user_get_display_label (user),
                                  -1);
  /* The list item a screen reader meets (the list's widget around this
   * row) says who it is, not "list item". */
  if (gtk_widget_get_parent (box) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, prov_user_get_display_label (user),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail->str,
                                    -1);
}

/* Reading */

static void
users_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ProvUsersWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  GPtrArray *users;

  users = prov_source_read_users_finish (PROV_SOURCE (object), result, &self->complete, &problems, &error);
  if (users == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  g_clear_pointer (&self->users, g_ptr_array_unref);
  self->users = users;
  g_list_store_remove_all (self->model);
  g_list_store_splice (self->model, 0, 0, users->pdata, users->len);

  if (problems != NULL && problems[0] != NULL)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u row of the source was left out: %s",
                                                         "%u rows of the source were left out; the first: %s",
                                                         g_strv_length (problems)),
                                               g_strv_length (problems), problems[0]);
      prov_toast_overlay_add (self->toast_overlay, prov_toast_new (text));
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
  update_count (self);
}

static void
source_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ProvUsersWindow) self = user_data;
  g_autoptr(ProvSource) source = NULL;
  g_autoptr(GError) error = NULL;

  source = prov_target_service_dup_source_with_secrets_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (source == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  prov_source_read_users_async (source, prov_target_service_get_http_client (self->service),
                                self->cancellable, users_read_cb, g_object_ref (self));
}

static void
reload (ProvUsersWindow *self)
{
  gtk_stack_set_visible_child_name (self->stack, "loading");

  if (!prov_source_validate_saved (self->source, NULL))
    {
      adw_status_page_set_description (self->error_page,
                                       _("Set up the source of users first, in the main menu under Source of Users."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  prov_target_service_dup_source_with_secrets_async (self->service, self->cancellable,
                                                     source_ready_cb, g_object_ref (self));
}

/* Actions */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (PROV_USERS_WINDOW (widget));
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ProvUsersWindow *self = PROV_USERS_WINDOW (widget);
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
select_none_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ProvUsersWindow *self = PROV_USERS_WINDOW (widget);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (PROV_USERS_WINDOW (widget)->search_entry));
}

static void
start_provisioning (ProvUsersWindow *self)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ProvRunBatch) batch = NULL;
  g_autoptr(GHashTable) only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;
  guint n_targets = g_list_model_get_n_items (G_LIST_MODEL (self->targets));

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(ProvUser) user = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      g_hash_table_add (only, g_utf8_casefold (prov_user_get_user_name (user), -1));
    }

  for (guint i = 0; i < n_targets; i++)
    g_ptr_array_add (targets, g_list_model_get_item (G_LIST_MODEL (self->targets), i));

  batch = prov_run_batch_new (self->service, targets, only);
  /* The read on screen serves every target. */
  prov_run_batch_set_users (batch, self->users, self->complete);
  gtk_window_present (GTK_WINDOW (prov_provision_dialog_new (GTK_WINDOW (self), batch)));
}

/* Picking the users was the question: the plan that follows says what
 * will happen to them, and asks again only past a target's threshold. */
static void
provision_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ProvUsersWindow *self = PROV_USERS_WINDOW (widget);

  if (n_selected (self) == 0 || g_list_model_get_n_items (G_LIST_MODEL (self->targets)) == 0)
    return;
  start_provisioning (self);
}

/* GObject */

static void
prov_users_window_dispose (GObject *object)
{
  ProvUsersWindow *self = (ProvUsersWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_USERS_WINDOW);

  G_OBJECT_CLASS (prov_users_window_parent_class)->dispose (object);
}

static void
prov_users_window_finalize (GObject *object)
{
  ProvUsersWindow *self = (ProvUsersWindow *)object;

  g_clear_object (&self->source);
  g_clear_object (&self->targets);
  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_pointer (&self->needle, g_free);

  G_OBJECT_CLASS (prov_users_window_parent_class)->finalize (object);
}

static void
prov_users_window_class_init (ProvUsersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = prov_users_window_dispose;
  object_class->finalize = prov_users_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-users-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, provision_button);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, select_all_button);
  gtk_widget_class_bind_template_child (widget_class, ProvUsersWindow, select_none_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "users.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "users.provision", NULL, provision_action);
  gtk_widget_class_install_action (widget_class, "users.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "users.select-none", NULL, select_none_action);
  gtk_widget_class_install_action (widget_class, "users.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "users.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "users.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "users.provision", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  /* Outside the search; in it, stop_search_cb clears it first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
prov_users_window_init (ProvUsersWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  prov_button_fix_accessible_name (GTK_BUTTON (self->provision_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->select_all_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->select_none_button));

  /* Typing anywhere in the window searches, and the search has the focus
   * first: finding a user is what this window is opened for. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->search_entry));

  self->cancellable = g_cancellable_new ();
  self->model = g_list_store_new (PROV_TYPE_USER);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->model), GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (update_count),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_count),
                           self, G_CONNECT_SWAPPED);
}

ProvUsersWindow *
prov_users_window_new (GtkWindow         *parent,
                       ProvTargetService *service)
{
  ProvUsersWindow *self;

  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (service), NULL);

  self = g_object_new (PROV_TYPE_USERS_WINDOW, "transient-for", parent, NULL);
  self->service = g_object_ref (service);
  self->source = g_object_ref (prov_target_service_get_source (service));
  self->targets = g_object_ref (prov_target_service_get_store (service));
  update_count (self);
  reload (self);
  return self;
}
