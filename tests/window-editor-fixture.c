/* window-editor-fixture.c — the main window on a targets.json (see
 * window-editor-fixture.h)
 *
 * Linked into TAP tests: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "prov-resources.h"
#include "window-editor-fixture.h"

/* Fixture */

void
reset_settings (GSettings *settings)
{
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  g_settings_reset (settings, "last-selected-target");
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("prov-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->tmpdir, "targets.json", NULL);
  f->secrets = prov_secret_store_new ();
  f->settings = g_settings_new ("io.github.provisioner.Provisioner");
  reset_settings (f->settings);
}

void
wait_window_gone (Fixture    *f,
                  const char *why)
{
  g_autofree char *closed = g_strdup_printf ("the window to close %s", why);
  g_autofree char *finalized = g_strdup_printf ("the window closed %s to be finalized "
                                                "(something keeps a reference)", why);

  WAIT_FOR (f->window == NULL || !gtk_widget_get_visible (GTK_WIDGET (f->window)), closed);
  WAIT_FOR (f->window == NULL, finalized);
}

void
destroy_window (Fixture *f)
{
  GtkWindow *dialog;

  if (f->window == NULL)
    return;

  while ((dialog = find_dialog (f)) != NULL)
    gtk_window_destroy (dialog);

  gtk_window_destroy (GTK_WINDOW (f->window));
  WAIT_FOR (f->window == NULL, "the destroyed window to be finalized (something keeps a reference)");
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  destroy_window (f);

  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->secrets);
  reset_settings (f->settings);
  g_clear_object (&f->settings);

  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->path);
}

/* The keyring */

void
save_target_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->ok = prov_secret_store_save_target_finish (PROV_SECRET_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

/* Targets on disk before the window opens, as if saved in an earlier run */

char *
secret_for (const char *name)
{
  return g_strdup_printf ("secret of %s", name);
}

ProvTargetSystem *
make_jam (const char *name,
          guint       n)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autofree char *url = g_strdup_printf ("https://jam%u.sapjam.com", n);
  g_autofree char *key = g_strdup_printf ("client-key-%u", n);
  g_autofree char *secret = secret_for (name);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_text (target, PROV_FIELD_URL, url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, key);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, secret);
  return target;
}

GStrv
seed_targets (Fixture            *f,
              const char * const *names,
              gboolean            with_secrets)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (f->path);
  g_autoptr(GStrvBuilder) uuids = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(ProvTargetSystem) target = make_jam (names[i], i + 1);

      /* Names are unique by construction; checking each against all the
       * others would cost O(n²) with 10,000 targets. */
      g_assert_true (prov_target_system_validate (target, NULL, NULL));
      prov_target_store_append (store, target);
      g_strv_builder_add (uuids, prov_target_system_get_uuid (target));

      if (with_secrets)
        {
          AsyncWait wait = { 0 };

          prov_secret_store_save_target_async (f->secrets, target, NULL, save_target_cb, &wait);
          WAIT_FOR (wait.done, "the keyring to store a seeded secret");
          g_assert_no_error (wait.error);
          g_assert_true (wait.ok);
        }
    }

  prov_target_store_save (store, &error);
  g_assert_no_error (error);

  return g_strv_builder_end (uuids);
}

/* Widgets */

GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  return find (root, is_type, GSIZE_TO_POINTER (type));
}

gboolean
shown (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_get_mapped (widget);
}

ProvTargetEditor *
editor (Fixture *f)
{
  GtkWidget *widget = find_by_type (GTK_WIDGET (f->window), PROV_TYPE_TARGET_EDITOR);

  g_assert_nonnull (widget);
  return PROV_TARGET_EDITOR (widget);
}

gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  const RowQuery *query = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, query->type) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), query->title) == 0;
}

GtkWidget *
entry_row (Fixture    *f,
           const char *title)
{
  RowQuery query = { ADW_TYPE_ENTRY_ROW, title };
  GtkWidget *row = find (GTK_WIDGET (editor (f)), is_row_titled, &query);

  if (row == NULL)
    g_error ("No entry row titled '%s' in the editor", title);
  return row;
}

GtkWidget *
combo_row (Fixture    *f,
           const char *title)
{
  RowQuery query = { ADW_TYPE_COMBO_ROW, title };
  GtkWidget *row = find (GTK_WIDGET (editor (f)), is_row_titled, &query);

  if (row == NULL)
    g_error ("No drop-down row titled '%s' in the editor", title);
  return row;
}

GtkWidget *
any_row (Fixture    *f,
         const char *title)
{
  RowQuery query = { ADW_TYPE_PREFERENCES_ROW, title };

  return find (GTK_WIDGET (editor (f)), is_row_titled, &query);
}

gboolean
row_exists (Fixture    *f,
            const char *title)
{
  return any_row (f, title) != NULL;
}

gboolean
field_shown (Fixture    *f,
             const char *title)
{
  return shown (any_row (f, title));
}

const char *
field_text (Fixture    *f,
            const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry_row (f, title)));
}

void
type_into (Fixture    *f,
           const char *title,
           const char *text)
{
  GtkWidget *row = entry_row (f, title);

  if (!shown (row))
    g_error ("Cannot type into '%s': the row is not shown", title);
  if (!gtk_editable_get_editable (GTK_EDITABLE (row)))
    g_error ("Cannot type into '%s': the row is read-only", title);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

char *
combo_item_label (AdwComboRow *row,
                  GObject     *item)
{
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;

  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  g_assert_nonnull (expression);
  g_assert_true (gtk_expression_evaluate (expression, item, &value));
  return g_value_dup_string (&value);
}

const char *
combo_choice (Fixture    *f,
              const char *title)
{
  AdwComboRow *row = ADW_COMBO_ROW (combo_row (f, title));
  GObject *item = adw_combo_row_get_selected_item (row);
  static char *label;

  g_assert_nonnull (item);
  g_free (label);
  label = combo_item_label (row, item);
  return label;
}

void
choose (Fixture    *f,
        const char *title,
        const char *choice)
{
  AdwComboRow *row = ADW_COMBO_ROW (combo_row (f, title));
  GListModel *model = adw_combo_row_get_model (row);
  guint n = g_list_model_get_n_items (model);

  if (!shown (GTK_WIDGET (row)))
    g_error ("Cannot choose in '%s': the row is not shown", title);
  if (!gtk_widget_is_sensitive (GTK_WIDGET (row)))
    g_error ("Cannot choose in '%s': the row is insensitive", title);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *label = combo_item_label (row, item);

      if (g_str_equal (label, choice))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("'%s' offers no choice '%s'", title, choice);
}

gboolean
has_error_mark (Fixture    *f,
                const char *title)
{
  GtkWidget *row = any_row (f, title);

  if (row == NULL)
    g_error ("No row titled '%s' in the editor", title);
  return gtk_widget_has_css_class (row, "error");
}

gboolean
has_focus_in (Fixture   *f,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  return find (root, is_button_labelled, label);
}

gboolean
header_button_shown (Fixture    *f,
                     const char *label)
{
  return shown (button (GTK_WIDGET (f->window), label));
}

const char *
content_title (Fixture *f)
{
  GtkWidget *save = button (GTK_WIDGET (f->window), "_Save");
  GtkWidget *header = gtk_widget_get_ancestor (save, ADW_TYPE_HEADER_BAR);
  GtkWidget *title = find_by_type (header, ADW_TYPE_WINDOW_TITLE);

  g_assert_nonnull (title);
  return adw_window_title_get_title (ADW_WINDOW_TITLE (title));
}

gboolean
is_status_page_titled (GtkWidget     *widget,
                       gconstpointer  data)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), data) == 0;
}

gboolean
status_page_shown (Fixture    *f,
                   const char *title)
{
  return shown (find (GTK_WIDGET (f->window), is_status_page_titled, title));
}

gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

gboolean
label_shown (Fixture    *f,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (f->window), is_label_with_text, text, labels);
  for (guint i = 0; i < labels->len; i++)
    if (shown (g_ptr_array_index (labels, i)))
      return TRUE;
  return FALSE;
}

/* The sidebar */

GtkListView *
list_view (Fixture *f)
{
  GtkWidget *widget = find (GTK_WIDGET (f->window), is_sidebar_list, NULL);

  g_assert_nonnull (widget);
  return GTK_LIST_VIEW (widget);
}

GtkSelectionModel *
list_model (Fixture *f)
{
  return gtk_list_view_get_model (list_view (f));
}

guint
n_listed (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (list_model (f)));
}

char *
listed_names (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (list_model (f));
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (names, '|');
      g_string_append (names, prov_target_system_get_display_name (target));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

gboolean
names_listed (Fixture    *f,
              const char *expected)
{
  g_autofree char *names = listed_names (f);
  return g_str_equal (names, expected);
}

gboolean
is_bound_target_row (GtkWidget     *widget,
                     gconstpointer  data)
{
  return PROV_IS_TARGET_ROW (widget) && prov_target_row_get_target (PROV_TARGET_ROW (widget)) != NULL;
}

gboolean
is_label (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_LABEL (widget);
}

GtkWidget *
sidebar_row (Fixture    *f,
             const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (list_view (f)), is_bound_target_row, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *title = find (row, is_label, NULL);

      if (shown (row) && title != NULL &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (title)), name) == 0)
        return row;
    }
  return NULL;
}

const char *
sidebar_row_subtitle (GtkWidget *row)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (row, is_label, NULL, labels);
  g_assert_cmpuint (labels->len, >=, 2);
  return gtk_label_get_text (GTK_LABEL (g_ptr_array_index (labels, 1)));
}

GtkCheckButton *
sidebar_row_check (GtkWidget *row)
{
  GtkWidget *check = find_by_type (row, GTK_TYPE_CHECK_BUTTON);

  g_assert_nonnull (check);
  return GTK_CHECK_BUTTON (check);
}

void
select_position (Fixture *f,
                 guint    position)
{
  GtkSelectionModel *model = list_model (f);

  g_assert_true (GTK_IS_SINGLE_SELECTION (model));
  g_assert_cmpuint (position, <, n_listed (f));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), position);
}

guint
selected_position (Fixture *f)
{
  GtkSelectionModel *model = list_model (f);

  g_assert_true (GTK_IS_SINGLE_SELECTION (model));
  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model));
}

ProvTargetSystem *
listed_target (Fixture *f,
               guint    position)
{
  ProvTargetSystem *target = g_list_model_get_item (G_LIST_MODEL (list_model (f)), position);

  g_object_unref (target); /* the model keeps it */
  return target;
}

/* Toasts */

gboolean
is_toast_widget (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_str_equal (gtk_widget_get_css_name (widget), "toast");
}

const char *
toast_widget_title (GtkWidget *widget)
{
  GtkWidget *label;

  /* AdwToastWidget exposes its AdwToast; else read its title label. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "toast") != NULL)
    {
      g_autoptr(AdwToast) toast = NULL;

      g_object_get (widget, "toast", &toast, NULL);
      if (toast != NULL)
        return adw_toast_get_title (toast); /* owned by the toast, which the widget keeps */
    }

  label = find (widget, is_label, NULL);
  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

GtkWidget *
toast_shown (Fixture    *f,
             const char *title)
{
  g_autoptr(GPtrArray) toasts = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (f->window), is_toast_widget, NULL, toasts);
  for (guint i = 0; i < toasts->len; i++)
    {
      GtkWidget *toast = g_ptr_array_index (toasts, i);

      if (shown (toast) && g_strcmp0 (toast_widget_title (toast), title) == 0)
        return toast;
    }
  return NULL;
}

char *
shown_toasts (Fixture *f)
{
  g_autoptr(GPtrArray) toasts = g_ptr_array_new ();
  g_autoptr(GString) titles = g_string_new (NULL);

  collect_widgets (GTK_WIDGET (f->window), is_toast_widget, NULL, toasts);
  for (guint i = 0; i < toasts->len; i++)
    if (shown (g_ptr_array_index (toasts, i)))
      g_string_append_printf (titles, "'%s' ", toast_widget_title (g_ptr_array_index (toasts, i)));
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

gboolean
is_close_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "window-close-symbolic") == 0;
}

void
hover_toast (Fixture    *f,
             const char *title)
{
  GtkWidget *toast = toast_shown (f, title);
  g_autoptr(GListModel) controllers = NULL;
  gboolean hovered = FALSE;

  g_assert_nonnull (toast);
  controllers = gtk_widget_observe_controllers (toast);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "enter", 1.0, 1.0);
          hovered = TRUE;
        }
    }
  g_assert_true (hovered);
}

void
dismiss_toast (Fixture    *f,
               const char *title)
{
  GtkWidget *toast = toast_shown (f, title);
  GtkWidget *close;

  if (toast == NULL)
    return;
  close = find (toast, is_close_button, NULL);
  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");
  WAIT_FOR (toast_shown (f, title) == NULL, "the dismissed toast to go away");
}

void
click_toast_button (Fixture    *f,
                    const char *title,
                    const char *label)
{
  GtkWidget *toast = toast_shown (f, title);
  GtkWidget *action;

  g_assert_nonnull (toast);
  action = button (toast, label);
  g_assert_nonnull (action);
  g_assert_true (shown (action));
  g_signal_emit_by_name (action, "clicked");
}

/* Dialogs */

GtkWindow *
find_dialog (Fixture *f)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GtkWindow *window = l->data;

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (f->window) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        found = window;
    }
  g_list_free (toplevels);
  return found;
}

AdwMessageDialog *
wait_for_dialog (Fixture    *f,
                 const char *heading)
{
  AdwMessageDialog *dialog;
  g_autofree char *what = g_strdup_printf ("the dialog '%s'", heading);

  WAIT_FOR (find_dialog (f) != NULL, what);
  dialog = ADW_MESSAGE_DIALOG (find_dialog (f));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  return dialog;
}

static gboolean
click_cb (gpointer button)
{
  g_signal_emit_by_name (button, "clicked");
  return G_SOURCE_REMOVE;
}

void
respond (Fixture          *f,
         AdwMessageDialog *dialog,
         const char       *response)
{
  const char *label = adw_message_dialog_get_response_label (dialog, response);
  GtkWidget *response_button;

  g_assert_nonnull (label);
  response_button = button (GTK_WIDGET (dialog), label);
  g_assert_nonnull (response_button);
  g_assert_true (gtk_widget_is_sensitive (response_button));
  /* From the main loop, as a real click comes: a GTask completed outside
   * it (here, the question's) reports only at a later iteration, which a
   * loaded machine may not reach before the test's next step. */
  g_idle_add_full (G_PRIORITY_DEFAULT, click_cb, g_object_ref (response_button), g_object_unref);
  /* The dialog is destroyed once it answered: compare pointers only. */
  WAIT_FOR ((gpointer) find_dialog (f) != (gpointer) dialog, "the dialog to close");
}

void
answer_real_time (Fixture    *f,
                  const char *response)
{
  respond (f, wait_for_dialog (f, "Turn On Real-Time Provisioning?"), response);
}

void
assert_no_dialog (Fixture *f)
{
  settle (50);
  g_assert_null (find_dialog (f));
}

/* The file */

char *
file_names (Fixture *f)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  JsonArray *targets;

  if (!g_file_test (f->path, G_FILE_TEST_EXISTS))
    return g_strdup ("(no file)");

  json_parser_load_from_file (parser, f->path, &error);
  g_assert_no_error (error);
  targets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "targets");
  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      JsonObject *target = json_array_get_object_element (targets, i);

      if (i > 0)
        g_string_append_c (names, '|');
      g_string_append (names, json_object_get_string_member (target, "display-name"));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

gboolean
file_lists (Fixture    *f,
            const char *expected)
{
  g_autofree char *names = file_names (f);
  return g_str_equal (names, expected);
}

char *
file_contents (Fixture *f)
{
  char *contents = NULL;

  if (!g_file_get_contents (f->path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* Opening the window */

void
open_window (Fixture *f,
             guint    n_expected)
{
  g_autofree char *what = g_strdup_printf ("the sidebar to list the %u saved targets", n_expected);

  g_clear_object (&f->store);
  f->store = prov_target_store_new (f->path);
  f->window = prov_window_new (NULL, f->store, f->secrets);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  prov_window_load_targets (f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window)), "the window to be mapped");
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (f->store)) == n_expected, what);
  settle (50);
}

void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
}

void
fill_jam (Fixture    *f,
          const char *name,
          const char *url,
          const char *key,
          const char *secret)
{
  type_into (f, "Display Name", name);
  type_into (f, "URL", url);
  type_into (f, "Client Key", key);
  type_into (f, "Client Secret", secret);
}

void
wait_secret_loaded (Fixture    *f,
                    const char *name)
{
  g_autofree char *secret = secret_for (name);
  g_autofree char *what = g_strdup_printf ("the Client Secret of '%s' from the keyring", name);

  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), name) &&
            g_str_equal (field_text (f, "Client Secret"), secret), what);
}

/* Tests */

const char * const jam_fields_shown[] = {
  "Display Name", "Type", "URL", "Token URL", "Client Key", "Client Secret", NULL
};
const char * const jam_fields_hidden[] = {
  "Version", "Authentication Mechanism", "Username", "Password",
  "Common Name", "Certificate Password", NULL
};

void
assert_fields (Fixture            *f,
               const char * const *expect_shown,
               const char * const *expect_hidden)
{
  for (guint i = 0; expect_shown[i] != NULL; i++)
    if (!field_shown (f, expect_shown[i]))
      g_error ("The field '%s' should be shown", expect_shown[i]);
  for (guint i = 0; expect_hidden[i] != NULL; i++)
    if (row_exists (f, expect_hidden[i]) && field_shown (f, expect_hidden[i]))
      g_error ("The field '%s' should be hidden", expect_hidden[i]);
}

void
window_editor_fixture_init (int    *argc,
                            char ***argv)
{
  /* Never touch the person's settings; use the schema from the build. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", PROV_TEST_SCHEMA_DIR, FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  /* Toasts, dialogs and pages appear and go without animations. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (!g_resources_get_info ("/io/github/provisioner/Provisioner/prov-window.ui",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    g_resources_register (prov_get_resource ());
}
