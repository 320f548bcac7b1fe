/* prov-ui-util.c — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "prov-ui-util.h"

/* GTK 4.8 names a labelled button twice — its raw label ("_Save", with the
 * mnemonic underscore) and then its label widget ("Save") — so screen
 * readers say "_Save Save". The label widget alone is the visible label. */
void
prov_button_fix_accessible_name (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static GtkWidget *
first_descendant_of_type (GtkWidget *widget,
                          GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = first_descendant_of_type (child, type)) != NULL)
        return found;
    }
  return NULL;
}

/* The title of the page @widget is on: the header bar's title next to it
 * (the About window's subpages, "Debugging Information"). */
static const char *
page_title_of (GtkWidget *widget)
{
  for (GtkWidget *ancestor = gtk_widget_get_parent (widget);
       ancestor != NULL;
       ancestor = gtk_widget_get_parent (ancestor))
    for (GtkWidget *child = gtk_widget_get_first_child (ancestor);
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (ADW_IS_HEADER_BAR (child) || GTK_IS_HEADER_BAR (child))
        {
          GtkWidget *title = first_descendant_of_type (child, ADW_TYPE_WINDOW_TITLE);

          if (title != NULL && *adw_window_title_get_title (ADW_WINDOW_TITLE (title)) != '\0')
            return adw_window_title_get_title (ADW_WINDOW_TITLE (title));
          return NULL;
        }
  return NULL;
}

/* What an unnamed button shows, said in words. */
static const char *
name_for_button (GtkWidget *button)
{
  GtkWidget *label = first_descendant_of_type (button, GTK_TYPE_LABEL);
  GtkWidget *image;
  const char *icon;

  if (label != NULL && *gtk_label_get_text (GTK_LABEL (label)) != '\0')
    return gtk_label_get_text (GTK_LABEL (label));
  if (gtk_widget_get_tooltip_text (button) != NULL)
    return gtk_widget_get_tooltip_text (button);

  image = first_descendant_of_type (button, GTK_TYPE_IMAGE);
  icon = image != NULL ? gtk_image_get_icon_name (GTK_IMAGE (image)) : NULL;
  if (icon == NULL)
    return GTK_IS_MENU_BUTTON (button) ? _("Menu") : NULL;
  if (g_str_has_prefix (icon, "go-previous"))
    return _("Back");
  if (g_str_has_prefix (icon, "edit-find") || g_str_has_prefix (icon, "system-search"))
    return _("Search");
  if (g_str_has_prefix (icon, "edit-copy"))
    return _("Copy");
  if (g_str_has_prefix (icon, "window-close"))
    return _("Close");
  return GTK_IS_MENU_BUTTON (button) ? _("Menu") : NULL;
}

void
prov_fix_accessible_names_within (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    prov_button_fix_accessible_name (GTK_BUTTON (widget));
  else if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) &&
           !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* A button showing a label is named by it (unless GTK already
       * points at it); one showing an icon by its tooltip or its icon. */
      gboolean shows_label = first_descendant_of_type (widget, GTK_TYPE_LABEL) != NULL;
      const char *name = name_for_button (widget);

      if (name != NULL &&
          (!shows_label || GTK_IS_MENU_BUTTON (widget) ||
           !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY)))
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
      /* The menu button is what a screen reader meets, not its inner
       * button. */
      if (GTK_IS_MENU_BUTTON (widget))
        return;
    }
  else if (GTK_IS_TEXT_VIEW (widget) &&
           !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      const char *name = page_title_of (widget);

      if (name != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    prov_fix_accessible_names_within (child);
}

void
prov_row_set_invalid (GtkWidget  *row,
                      const char *reason)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  if (reason != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  if (reason != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               reason != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

void
prov_show_file_chooser (GtkWidget            *widget,
                        const char           *title,
                        GtkFileChooserAction  action,
                        const char           *accept_label,
                        const char           *filter_name,
                        const char * const   *patterns,
                        const char           *current_name,
                        GCallback             response_cb,
                        gpointer              object)
{
  GtkFileChooserNative *chooser;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* Native: inside Flatpak this is the portal, and only the chosen file is
   * shared with the app. */
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (widget)),
                                         action, accept_label, _("_Cancel"));

  if (patterns != NULL)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      for (guint i = 0; patterns[i] != NULL; i++)
        gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }

  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), current_name);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", response_cb, object, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
whole_value_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
whole_value_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     AdwComboRow              *row)
{
  GObject *value_item = gtk_list_item_get_item (item);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;
  const char *text = "";

  if (expression != NULL && gtk_expression_evaluate (expression, value_item, &value))
    text = g_value_get_string (&value);
  else if (GTK_IS_STRING_OBJECT (value_item))
    text = gtk_string_object_get_string (GTK_STRING_OBJECT (value_item));
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

void
prov_selection_follow_row (GtkSelectionModel *model,
                           GtkListItem       *item,
                           gboolean           want)
{
  guint position = gtk_list_item_get_position (item);

  if (position == GTK_INVALID_LIST_POSITION ||
      want == gtk_selection_model_is_selected (model, position))
    return;

  if (want)
    gtk_selection_model_select_item (model, position, FALSE);
  else
    gtk_selection_model_unselect_item (model, position);
}

void
prov_combo_row_show_whole_values (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (whole_value_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (whole_value_bind_cb), row, 0);
  adw_combo_row_set_factory (row, factory);
}

AdwToast *
prov_toast_new (const char *text)
{
  g_autofree char *title = g_strdup (text);
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  g_strchomp (title);
  len = strlen (title);
  /* One full stop, not an ellipsis ("Reading…" or "..."). */
  if (len > 0 && title[len - 1] == '.' && (len < 2 || title[len - 2] != '.'))
    title[len - 1] = '\0';
  return adw_toast_new (title);
}

/* libadwaita 1.2 (Debian 12) gives a toast's close button no accessible
 * name (a screen reader says only "button"), and its labelled button the
 * double name of GTK 4.8 (see prov_button_fix_accessible_name). */
static void
name_toast_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Dismiss"), -1);
      else if (GTK_IS_BUTTON (child))
        prov_button_fix_accessible_name (GTK_BUTTON (child));
      name_toast_buttons (child);
    }
}

/* The toasts on screen: the overlay's children but its content. */
static gboolean
name_shown_toasts (gpointer data)
{
  GtkWidget *overlay = data;
  GtkWidget *content = adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay));

  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != content)
      name_toast_buttons (child);
  return G_SOURCE_REMOVE;
}

static void
toast_dismissed_cb (AdwToast  *toast,
                    GtkWidget *overlay)
{
  /* A toast that waited behind this one shows now. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, name_shown_toasts, g_object_ref (overlay), g_object_unref);
}

void
prov_toast_overlay_add (AdwToastOverlay *overlay,
                        AdwToast        *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), overlay, 0);
  adw_toast_overlay_add_toast (overlay, toast);
  name_shown_toasts (overlay);
}

void
prov_window_add_close_shortcut (GtkWindow *window)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_w, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 GTask            *task)
{
  const ProvResponse *responses = g_object_get_data (G_OBJECT (dialog), "prov-responses");
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "prov-n-responses"));
  guint chosen = 0;

  for (guint i = 0; i < n; i++)
    if (g_str_equal (response, responses[i].id))
      chosen = i;

  g_task_return_int (task, chosen);
  g_object_unref (task);
}

void
prov_ask_async (GtkWindow           *parent,
                const char          *heading,
                const char          *body,
                const ProvResponse  *responses,
                guint                n_responses,
                const char          *default_response,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (parent, NULL, callback, user_data);
  AdwMessageDialog *dialog;

  g_return_if_fail (n_responses > 0);
  g_task_set_source_tag (task, prov_ask_async);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  for (guint i = 0; i < n_responses; i++)
    {
      adw_message_dialog_add_response (dialog, responses[i].id, responses[i].label);
      adw_message_dialog_set_response_appearance (dialog, responses[i].id, responses[i].appearance);
    }
  adw_message_dialog_set_default_response (dialog, default_response);
  adw_message_dialog_set_close_response (dialog, responses[0].id);
  g_object_set_data_full (G_OBJECT (dialog), "prov-responses",
                          g_memdup2 (responses, n_responses * sizeof *responses), g_free);
  g_object_set_data (G_OBJECT (dialog), "prov-n-responses", GUINT_TO_POINTER (n_responses));
  g_signal_connect (dialog, "response", G_CALLBACK (ask_response_cb), task);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

guint
prov_ask_finish (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), 0);
  return g_task_propagate_int (G_TASK (result), NULL);
}

void
prov_ask_to_save_async (GtkWindow           *parent,
                        const char          *heading,
                        const char          *body,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  /* In the order of ProvUnsavedChoice. */
  const ProvResponse responses[] = {
    { "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT },
    { "discard", _("_Discard"), ADW_RESPONSE_DESTRUCTIVE },
    { "save", _("_Save"), ADW_RESPONSE_SUGGESTED },
  };

  prov_ask_async (parent, heading, body, responses, G_N_ELEMENTS (responses), "save",
                  callback, user_data);
}

void
prov_ask_unsaved_changes_async (GtkWindow           *parent,
                                ProvTargetSystem    *target,
                                gboolean             is_new,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  const char *name = prov_target_system_get_display_name (target);
  g_autofree char *body = NULL;

  if (is_new)
    body = g_strdup (_("The new target system has not been saved yet. If you discard it, it will be lost."));
  else if (*name != '\0')
    body = g_strdup_printf (_("“%s” has unsaved changes. If you discard them, they will be lost."), name);
  else
    body = g_strdup (_("This target system has unsaved changes. If you discard them, they will be lost."));

  prov_ask_to_save_async (parent, is_new ? _("Save New Target System?") : _("Save Changes?"),
                          body, callback, user_data);
}

ProvUnsavedChoice
prov_ask_unsaved_changes_finish (GAsyncResult *result)
{
  return prov_ask_finish (result);
}

char *
prov_format_date_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (time);
  /* Translators: the date and time of a run or of a connection test, in g_date_time_format()'s
   * codes: "4 December 2026, 13:57:08". Order them as your language
   * writes dates (German: "%-e. %B %Y, %X"). */
  return g_date_time_format (local, _("%-e %B %Y, %X"));
}
