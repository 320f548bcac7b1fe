/* test-window.c — the main window, driven the way a person drives it
 *
 * Every test builds a real ProvWindow on a targets.json in a temporary
 * directory and a real keyring (tests/with-keyring-ui.sh), activates the
 * window's actions, types into its rows, answers its dialogs, and then
 * asserts what a person sees: toasts, sidebar rows, error marks, which
 * fields and header buttons show, the file on disk and the keyring.
 *
 * Run under the xvfb test setup (its own X server and session bus).
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "prov-secret-store.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-target-store.h"
#include "prov-window.h"
#include "window-fixture.h"

/* From the GResource compiled into the UI library (prov-resources.h). */
GResource *prov_get_resource (void);

/* Fixture */

typedef struct
{
  char            *tmpdir;
  char            *path;        /* targets.json */
  ProvTargetStore *store;
  ProvSecretStore *secrets;
  ProvWindow      *window;      /* weak: NULL once the window is gone */
  GSettings       *settings;
} Fixture;

static void
reset_settings (GSettings *settings)
{
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  g_settings_reset (settings, "last-selected-target");
}

static void
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

static GtkWindow *find_dialog (Fixture *f);

/* The window went away (hidden and destroyed), and then nothing kept it
 * alive. */
static void
wait_window_gone (Fixture    *f,
                  const char *why)
{
  g_autofree char *closed = g_strdup_printf ("the window to close %s", why);
  g_autofree char *finalized = g_strdup_printf ("the window closed %s to be finalized "
                                                "(something keeps a reference)", why);

  WAIT_FOR (f->window == NULL || !gtk_widget_get_visible (GTK_WIDGET (f->window)), closed);
  WAIT_FOR (f->window == NULL, finalized);
}

static void
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

static void
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

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *secret;
  GError   *error;
} AsyncWait;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->secret = prov_secret_store_lookup_finish (PROV_SECRET_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

/* What the keyring holds for @uuid and @field, or NULL. */
static char *
keyring_lookup (Fixture    *f,
                const char *uuid,
                ProvField   field)
{
  AsyncWait wait = { 0 };

  prov_secret_store_lookup_async (f->secrets, uuid, field, NULL, lookup_cb, &wait);
  WAIT_FOR (wait.done, "a keyring lookup");
  g_assert_no_error (wait.error);
  return wait.secret;
}

static void
save_target_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->ok = prov_secret_store_save_target_finish (PROV_SECRET_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

/* Targets on disk before the window opens, as if saved in an earlier run */

static char *
secret_for (const char *name)
{
  return g_strdup_printf ("secret of %s", name);
}

static ProvTargetSystem *
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

/* Writes targets.json with @names (SAP Jam targets) and puts each one's
 * Client Secret in the keyring unless @with_secrets is FALSE. Returns the
 * uuids, in order. */
static GStrv
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

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  return find (root, is_type, GSIZE_TO_POINTER (type));
}

/* What a person sees: a mapped widget (its window, its stack page, its
 * revealer and itself are all shown). */
static gboolean
shown (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_get_mapped (widget);
}

static ProvTargetEditor *
editor (Fixture *f)
{
  GtkWidget *widget = find_by_type (GTK_WIDGET (f->window), PROV_TYPE_TARGET_EDITOR);

  g_assert_nonnull (widget);
  return PROV_TARGET_EDITOR (widget);
}

typedef struct
{
  GType       type;
  const char *title;
} RowQuery;

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  const RowQuery *query = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, query->type) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), query->title) == 0;
}

/* The editor row titled @title (visible or not), as a person reads it. */
static GtkWidget *
entry_row (Fixture    *f,
           const char *title)
{
  RowQuery query = { ADW_TYPE_ENTRY_ROW, title };
  GtkWidget *row = find (GTK_WIDGET (editor (f)), is_row_titled, &query);

  if (row == NULL)
    g_error ("No entry row titled '%s' in the editor", title);
  return row;
}

static GtkWidget *
combo_row (Fixture    *f,
           const char *title)
{
  RowQuery query = { ADW_TYPE_COMBO_ROW, title };
  GtkWidget *row = find (GTK_WIDGET (editor (f)), is_row_titled, &query);

  if (row == NULL)
    g_error ("No drop-down row titled '%s' in the editor", title);
  return row;
}

/* Any editor row (entry, drop-down, action row) titled @title, or NULL. */
static GtkWidget *
any_row (Fixture    *f,
         const char *title)
{
  RowQuery query = { ADW_TYPE_PREFERENCES_ROW, title };

  return find (GTK_WIDGET (editor (f)), is_row_titled, &query);
}

static gboolean
row_exists (Fixture    *f,
            const char *title)
{
  return any_row (f, title) != NULL;
}

static gboolean
field_shown (Fixture    *f,
             const char *title)
{
  return shown (any_row (f, title));
}

static const char *
field_text (Fixture    *f,
            const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry_row (f, title)));
}

/* Types into a field the way a person can: only into a shown, editable row. */
static void
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

/* What a drop-down shows for @item: the row's expression, or the string. */
static char *
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

static const char *
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

/* Picks @choice in a shown, sensitive drop-down row. */
static void
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

static gboolean
has_error_mark (Fixture    *f,
                const char *title)
{
  GtkWidget *row = any_row (f, title);

  if (row == NULL)
    g_error ("No row titled '%s' in the editor", title);
  return gtk_widget_has_css_class (row, "error");
}

/* The focus is in @widget (an entry row focuses its text inside). */
static gboolean
has_focus_in (Fixture   *f,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

typedef struct
{
  const char *label;
} ButtonQuery;

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  return find (root, is_button_labelled, label);
}

static gboolean
header_button_shown (Fixture    *f,
                     const char *label)
{
  return shown (button (GTK_WIDGET (f->window), label));
}

/* The title of the editor's header (the content pane's AdwWindowTitle). */
static const char *
content_title (Fixture *f)
{
  GtkWidget *save = button (GTK_WIDGET (f->window), "_Save");
  GtkWidget *header = gtk_widget_get_ancestor (save, ADW_TYPE_HEADER_BAR);
  GtkWidget *title = find_by_type (header, ADW_TYPE_WINDOW_TITLE);

  g_assert_nonnull (title);
  return adw_window_title_get_title (ADW_WINDOW_TITLE (title));
}

static gboolean
is_status_page_titled (GtkWidget     *widget,
                       gconstpointer  data)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), data) == 0;
}

static gboolean
status_page_shown (Fixture    *f,
                   const char *title)
{
  return shown (find (GTK_WIDGET (f->window), is_status_page_titled, title));
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
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

/* The sidebar's list (drop-down rows have list views of their own). */
static GtkListView *
list_view (Fixture *f)
{
  GtkWidget *widget = find (GTK_WIDGET (f->window), is_sidebar_list, NULL);

  g_assert_nonnull (widget);
  return GTK_LIST_VIEW (widget);
}

static GtkSelectionModel *
list_model (Fixture *f)
{
  return gtk_list_view_get_model (list_view (f));
}

static guint
n_listed (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (list_model (f)));
}

/* The display names the sidebar lists, in order, joined with "|". */
static char *
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

static gboolean
names_listed (Fixture    *f,
              const char *expected)
{
  g_autofree char *names = listed_names (f);
  return g_str_equal (names, expected);
}

static gboolean
is_bound_target_row (GtkWidget     *widget,
                     gconstpointer  data)
{
  return PROV_IS_TARGET_ROW (widget) && prov_target_row_get_target (PROV_TARGET_ROW (widget)) != NULL;
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_LABEL (widget);
}

/* The sidebar row a person sees for @name (title label), or NULL. */
static GtkWidget *
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

/* The subtitle label of a sidebar row: the second label in it. */
static const char *
sidebar_row_subtitle (GtkWidget *row)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (row, is_label, NULL, labels);
  g_assert_cmpuint (labels->len, >=, 2);
  return gtk_label_get_text (GTK_LABEL (g_ptr_array_index (labels, 1)));
}

static GtkCheckButton *
sidebar_row_check (GtkWidget *row)
{
  GtkWidget *check = find_by_type (row, GTK_TYPE_CHECK_BUTTON);

  g_assert_nonnull (check);
  return GTK_CHECK_BUTTON (check);
}

/* Picks the target at @position in the sidebar, as a click on its row does. */
static void
select_position (Fixture *f,
                 guint    position)
{
  GtkSelectionModel *model = list_model (f);

  g_assert_true (GTK_IS_SINGLE_SELECTION (model));
  g_assert_cmpuint (position, <, n_listed (f));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), position);
}

static guint
selected_position (Fixture *f)
{
  GtkSelectionModel *model = list_model (f);

  g_assert_true (GTK_IS_SINGLE_SELECTION (model));
  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model));
}

static ProvTargetSystem *
listed_target (Fixture *f,
               guint    position)
{
  ProvTargetSystem *target = g_list_model_get_item (G_LIST_MODEL (list_model (f)), position);

  g_object_unref (target); /* the model keeps it */
  return target;
}

/* Toasts */

static gboolean
is_toast_widget (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_str_equal (gtk_widget_get_css_name (widget), "toast");
}

static const char *
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

static GtkWidget *
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

static char *
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

#define WAIT_FOR_TOAST(f, title) \
  G_STMT_START { \
    g_autofree char *toast_what_ = g_strdup_printf ("the toast '%s'", (title)); \
    WAIT_FOR (toast_shown ((f), (title)) != NULL, toast_what_); \
  } G_STMT_END

static gboolean
is_close_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "window-close-symbolic") == 0;
}

/* The pointer comes to rest on the toast, as on the way to its button:
 * the toast then stays until the pointer leaves (libadwaita inhibits its
 * timeout), however slow the checks in between are (sanitizer builds). */
static void
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

/* Clicks the toast's close button; waits until it is gone. A toast that
 * already went by its timeout is just as gone. */
static void
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

/* Clicks the button of the toast (such as "_Undo"). */
static void
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

static GtkWindow *
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

static AdwMessageDialog *
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

/* Clicks the dialog's button for @response; waits until the dialog is gone. */
static void
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
  g_signal_emit_by_name (response_button, "clicked");
  /* The dialog is destroyed once it answered: compare pointers only. */
  WAIT_FOR ((gpointer) find_dialog (f) != (gpointer) dialog, "the dialog to close");
}

static void
assert_no_dialog (Fixture *f)
{
  settle (50);
  g_assert_null (find_dialog (f));
}

/* The file */

static char *
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

static gboolean
file_lists (Fixture    *f,
            const char *expected)
{
  g_autofree char *names = file_names (f);
  return g_str_equal (names, expected);
}

static char *
file_contents (Fixture *f)
{
  char *contents = NULL;

  if (!g_file_get_contents (f->path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* Opening the window */

static void
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

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
}

/* Fills a new SAP Jam target with valid values. */
static void
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

/* Waits, as a person would, until the keyring's secret shows in the
 * Client Secret field of the target named @name. */
static void
wait_secret_loaded (Fixture    *f,
                    const char *name)
{
  g_autofree char *secret = secret_for (name);
  g_autofree char *what = g_strdup_printf ("the Client Secret of '%s' from the keyring", name);

  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), name) &&
            g_str_equal (field_text (f, "Client Secret"), secret), what);
}

/* Tests */

static const char * const jam_fields_shown[] = {
  "Display Name", "Type", "URL", "Token URL", "Client Key", "Client Secret", NULL
};
static const char * const jam_fields_hidden[] = {
  "Version", "Authentication Mechanism", "Username", "Password",
  "Common Name", "Certificate Password", NULL
};

static void
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

static void
test_empty_state (Fixture       *f,
                  gconstpointer  data)
{
  open_window (f, 0);

  WAIT_FOR (status_page_shown (f, "No Target Systems"), "the empty state");
  g_assert_true (shown (button (GTK_WIDGET (f->window), "_Add Target System")));
  g_assert_false (header_button_shown (f, "_Edit"));
  g_assert_false (header_button_shown (f, "_Save"));
  g_assert_false (header_button_shown (f, "_Cancel"));
  g_assert_cmpuint (n_listed (f), ==, 0);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Provisioner");
  g_assert_true (label_shown (f, "Target Systems"));

  /* The empty state's own button starts adding. */
  g_signal_emit_by_name (button (GTK_WIDGET (f->window), "_Add Target System"), "clicked");
  WAIT_FOR (header_button_shown (f, "_Save"), "the Save button");
  g_assert_true (header_button_shown (f, "_Cancel"));
  g_assert_false (header_button_shown (f, "_Edit"));
  g_assert_false (status_page_shown (f, "No Target Systems"));
  g_assert_cmpstr (content_title (f), ==, "New Target System");
  g_assert_cmpstr (combo_choice (f, "Type"), ==, "SAP Jam");
  assert_fields (f, jam_fields_shown, jam_fields_hidden);
  g_assert_true (has_focus_in (f, entry_row (f, "Display Name")));

  /* Cancelling an empty new target goes back to the empty state. */
  activate (f, "win.cancel");
  WAIT_FOR (status_page_shown (f, "No Target Systems"), "the empty state after Cancel");
  g_assert_false (header_button_shown (f, "_Save"));
  g_assert_cmpuint (n_listed (f), ==, 0);
  assert_no_dialog (f);
}

static void
test_add_jam (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autofree char *secret = NULL;
  ProvTargetSystem *target;
  GtkWidget *row;

  open_window (f, 0);
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");

  fill_jam (f, "Jam Production", "https://jam4.sapjam.com", "3f9c-client-key", "jam-s3cret-value");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://jam4.sapjam.com/api/v1/auth/token");
  g_assert_cmpstr (content_title (f), ==, "Jam Production");

  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System Jam Production configuration updated");

  /* The sidebar lists it, with its type. */
  g_assert_true (names_listed (f, "Jam Production"));
  WAIT_FOR (sidebar_row (f, "Jam Production") != NULL, "the sidebar row 'Jam Production'");
  row = sidebar_row (f, "Jam Production");
  g_assert_cmpstr (sidebar_row_subtitle (row), ==, "SAP Jam");
  g_assert_cmpuint (selected_position (f), ==, 0);

  /* Back to viewing: read-only, with Edit. */
  g_assert_true (header_button_shown (f, "_Edit"));
  g_assert_false (header_button_shown (f, "_Save"));
  g_assert_false (header_button_shown (f, "_Cancel"));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (entry_row (f, "Display Name"))));
  g_assert_false (gtk_widget_is_sensitive (combo_row (f, "Type")));
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Jam Production");
  g_assert_cmpstr (field_text (f, "Client Secret"), ==, "jam-s3cret-value");

  /* The file has the target but not its secret; the keyring has the secret. */
  contents = file_contents (f);
  g_assert_nonnull (strstr (contents, "Jam Production"));
  g_assert_nonnull (strstr (contents, "https://jam4.sapjam.com/api/v1/auth/token"));
  g_assert_nonnull (strstr (contents, "3f9c-client-key"));
  g_assert_null (strstr (contents, "jam-s3cret-value"));

  target = listed_target (f, 0);
  secret = keyring_lookup (f, prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
  g_assert_cmpstr (secret, ==, "jam-s3cret-value");

  dismiss_toast (f, "System Jam Production configuration updated");
}

static void
test_add_identity_provisioning (Fixture       *f,
                                gconstpointer  data)
{
  static const char * const basic_shown[] = {
    "Display Name", "Type", "SCIM URL", "Version", "Authentication Mechanism",
    "Username", "Password", NULL
  };
  static const char * const basic_hidden[] = {
    "URL", "Common Name", "Certificate Password", "Token URL", "Client ID",
    "Client Key", "Client Secret", NULL
  };
  static const char * const certificate_shown[] = {
    "Display Name", "Type", "SCIM URL", "Version", "Authentication Mechanism",
    "Common Name", "Certificate Password", NULL
  };
  static const char * const certificate_hidden[] = {
    "Username", "Password", "Token URL", "Client ID", "Client Secret", NULL
  };
  static const char * const oauth_shown[] = {
    "Display Name", "Type", "SCIM URL", "Version", "Authentication Mechanism",
    "Token URL", "Client ID", "Client Secret", NULL
  };
  static const char * const oauth_hidden[] = {
    "Username", "Password", "Common Name", "Certificate Password", NULL
  };
  g_autofree char *contents = NULL;
  g_autofree char *password = NULL;
  GtkWidget *row;

  open_window (f, 0);
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");

  choose (f, "Type", "Identity Provisioning");
  g_assert_cmpstr (combo_choice (f, "Authentication Mechanism"), ==, "Basic");
  assert_fields (f, basic_shown, basic_hidden);

  choose (f, "Authentication Mechanism", "Certificate");
  assert_fields (f, certificate_shown, certificate_hidden);

  choose (f, "Authentication Mechanism", "OAuth");
  assert_fields (f, oauth_shown, oauth_hidden);
  /* Identity Provisioning has no documented token URL to pre-fill. */
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "");

  choose (f, "Authentication Mechanism", "Basic");
  assert_fields (f, basic_shown, basic_hidden);

  type_into (f, "Display Name", "IPS EU");
  type_into (f, "SCIM URL", "https://ips.eu.example.com/ipsproxy/service/api/v1/systems/4f2a/entities/user");
  choose (f, "Version", "2");
  type_into (f, "Username", "svc-provisioner");
  type_into (f, "Password", "ips-pa55word");

  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "Target system IPS EU created");
  WAIT_FOR (sidebar_row (f, "IPS EU") != NULL, "the sidebar row 'IPS EU'");
  row = sidebar_row (f, "IPS EU");
  g_assert_cmpstr (sidebar_row_subtitle (row), ==, "Identity Provisioning");
  dismiss_toast (f, "Target system IPS EU created");

  /* Editing it again is an update. */
  activate (f, "win.edit");
  WAIT_FOR (header_button_shown (f, "_Save"), "the Save button after Edit");
  g_assert_cmpstr (combo_choice (f, "Version"), ==, "2");
  g_assert_cmpstr (field_text (f, "Password"), ==, "ips-pa55word");
  type_into (f, "Username", "svc-provisioner-2");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System IPS EU configuration updated");
  g_assert_true (header_button_shown (f, "_Edit"));

  contents = file_contents (f);
  g_assert_nonnull (strstr (contents, "svc-provisioner-2"));
  g_assert_null (strstr (contents, "ips-pa55word"));
  password = keyring_lookup (f, prov_target_system_get_uuid (listed_target (f, 0)), PROV_FIELD_PASSWORD);
  g_assert_cmpstr (password, ==, "ips-pa55word");

  dismiss_toast (f, "System IPS EU configuration updated");
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const jam_text_fields[] = {
    "Display Name", "URL", "Token URL", "Client Key", "Client Secret", NULL
  };

  open_window (f, 0);
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");

  /* Everything is obligatory: each shown field gets its mark and reason. */
  activate (f, "win.save");
  settle (50);
  for (guint i = 0; jam_text_fields[i] != NULL; i++)
    {
      if (!has_error_mark (f, jam_text_fields[i]))
        g_error ("'%s' is empty but has no error mark", jam_text_fields[i]);
    }
  g_assert_false (has_error_mark (f, "Type"));
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_DISPLAY_NAME), ==, "Required");
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_URL), ==, "Required");
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_TOKEN_URL), ==, "Required");
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_CLIENT_ID), ==, "Required");
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_CLIENT_SECRET), ==, "Required");
  g_assert_null (prov_target_editor_get_reason (editor (f), PROV_FIELD_USERNAME));
  g_assert_true (has_focus_in (f, entry_row (f, "Display Name")));
  /* The reasons are on screen, not only in tooltips. */
  g_assert_true (label_shown (f, "Display Name: Required\nURL: Required\nToken URL: Required\n"
                                 "Client Key: Required\nClient Secret: Required"));
  /* Nothing was saved. */
  g_assert_true (header_button_shown (f, "_Save"));
  g_assert_cmpuint (n_listed (f), ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *toasts = shown_toasts (f);
    g_assert_cmpstr (toasts, ==, "");
  }

  /* Typing into a marked field clears its mark, and only its mark. */
  type_into (f, "Display Name", "Jam Test");
  g_assert_false (has_error_mark (f, "Display Name"));
  g_assert_true (has_error_mark (f, "URL"));

  /* A bad URL: the first invalid field gets the focus. */
  type_into (f, "URL", "http://jam.example.com");
  type_into (f, "Client Key", "key");
  type_into (f, "Client Secret", "secret");
  activate (f, "win.save");
  settle (50);
  g_assert_false (has_error_mark (f, "Display Name"));
  g_assert_true (has_error_mark (f, "URL"));
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_URL), ==,
                   "Use https://; plain http:// is allowed only for this computer");
  g_assert_true (has_focus_in (f, entry_row (f, "URL")));
  g_assert_cmpuint (n_listed (f), ==, 0);

  type_into (f, "URL", "https://jam.example.com/some/path");
  activate (f, "win.save");
  settle (50);
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_URL), ==,
                   "Enter the SAP Jam address without a path, such as https://jam4.sapjam.com");

  /* Identity Provisioning: only its shown fields are checked and marked. */
  choose (f, "Type", "Identity Provisioning");
  type_into (f, "SCIM URL", "https://ips.example.com/wrong");
  activate (f, "win.save");
  settle (50);
  g_assert_false (has_error_mark (f, "Display Name"));
  g_assert_true (has_error_mark (f, "SCIM URL"));
  g_assert_true (has_error_mark (f, "Username"));
  g_assert_true (has_error_mark (f, "Password"));
  g_assert_false (has_error_mark (f, "Client ID"));
  g_assert_false (has_error_mark (f, "Token URL"));
  g_assert_null (prov_target_editor_get_reason (editor (f), PROV_FIELD_CLIENT_ID));
  g_assert_null (prov_target_editor_get_reason (editor (f), PROV_FIELD_COMMON_NAME));
  g_assert_true (has_focus_in (f, entry_row (f, "SCIM URL")));

  /* Certificate: the common name has a length limit, and a client
   * certificate is needed. */
  choose (f, "Authentication Mechanism", "Certificate");
  type_into (f, "SCIM URL", "https://ips.example.com/ipsproxy/service/api/v1/systems/abc/entities/user");
  type_into (f, "Common Name", "a-common-name-that-is-much-longer-than-sixty-four-characters-which-is-the-limit");
  type_into (f, "Certificate Password", "pw");
  activate (f, "win.save");
  settle (50);
  g_assert_false (has_error_mark (f, "SCIM URL"));
  g_assert_false (has_error_mark (f, "Username"));
  g_assert_true (has_error_mark (f, "Common Name"));
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_COMMON_NAME), ==,
                   "Too long: at most 64 characters");
  g_assert_true (has_error_mark (f, "Client Certificate"));
  g_assert_nonnull (prov_target_editor_get_reason (editor (f), PROV_FIELD_CLIENT_CERTIFICATE));
  g_assert_true (has_focus_in (f, entry_row (f, "Common Name")));
  type_into (f, "Common Name", "provisioner");
  g_assert_false (has_error_mark (f, "Common Name"));

  /* Basic, with everything filled in: created. */
  choose (f, "Authentication Mechanism", "Basic");
  type_into (f, "Username", "svc");
  type_into (f, "Password", "pw");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "Target system Jam Test created");
  g_assert_false (has_error_mark (f, "Username"));
  g_assert_false (has_error_mark (f, "SCIM URL"));
  dismiss_toast (f, "Target system Jam Test created");
}

/* Identity Provisioning with a client certificate generated in the app. */
static void
test_certificate_target (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const certificate_shown[] = {
    "Display Name", "Type", "SCIM URL", "Version", "Authentication Mechanism",
    "Common Name", "Certificate Password", "Client Certificate", NULL
  };
  static const char * const certificate_hidden[] = {
    "Username", "Password", "Token URL", "Client ID", "Client Secret", NULL
  };
  const char *generated = "Client certificate generated: save the target system, then save "
                          "the certificate and import it at the technical user";
  AdwMessageDialog *dialog;
  RowQuery admin_query = { ADW_TYPE_ENTRY_ROW, "Administrator User ID" };
  GtkWidget *admin;
  GtkWidget *generate;
  g_autofree char *contents = NULL;
  g_autofree char *key = NULL;
  g_autofree char *password = NULL;

  open_window (f, 0);
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");
  choose (f, "Type", "Identity Provisioning");
  choose (f, "Authentication Mechanism", "Certificate");
  assert_fields (f, certificate_shown, certificate_hidden);

  type_into (f, "Display Name", "IPS Certificate");
  type_into (f, "SCIM URL", "https://ips.example.com/ipsproxy/service/api/v1/systems/c3rt/entities/user");
  type_into (f, "Common Name", "provisioner-technical-user");
  type_into (f, "Certificate Password", "cert-pa55");

  generate = button (GTK_WIDGET (editor (f)), "_Generate…");
  g_assert_nonnull (generate);
  g_assert_true (shown (generate));
  g_assert_true (gtk_widget_is_sensitive (generate));
  g_signal_emit_by_name (generate, "clicked");
  dialog = wait_for_dialog (f, "Generate Client Certificate?");
  admin = find (GTK_WIDGET (dialog), is_row_titled, &admin_query);
  g_assert_nonnull (admin);
  gtk_editable_set_text (GTK_EDITABLE (admin), "P000123");
  respond (f, dialog, "generate");
  WAIT_FOR_TOAST (f, generated);
  dismiss_toast (f, generated);
  g_assert_false (has_error_mark (f, "Client Certificate"));

  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "Target system IPS Certificate created");
  g_assert_true (header_button_shown (f, "_Edit"));

  /* The certificate is public and in the file; its key and password are
   * secret and only in the keyring. */
  contents = file_contents (f);
  g_assert_nonnull (strstr (contents, "BEGIN CERTIFICATE"));
  g_assert_null (strstr (contents, "PRIVATE KEY"));
  g_assert_null (strstr (contents, "cert-pa55"));
  key = keyring_lookup (f, prov_target_system_get_uuid (listed_target (f, 0)), PROV_FIELD_CERTIFICATE_KEY);
  g_assert_nonnull (key);
  g_assert_nonnull (strstr (key, "PRIVATE KEY"));
  password = keyring_lookup (f, prov_target_system_get_uuid (listed_target (f, 0)), PROV_FIELD_CERTIFICATE_PASSWORD);
  g_assert_cmpstr (password, ==, "cert-pa55");
  dismiss_toast (f, "Target system IPS Certificate created");
}

static void
test_duplicate_name (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const names[] = { "Jam Production", NULL };
  g_strfreev (seed_targets (f, names, TRUE));

  open_window (f, 1);
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");

  fill_jam (f, "  jam PRODUCTION ", "https://jam9.sapjam.com", "key", "secret");
  activate (f, "win.save");
  settle (100);
  g_assert_true (has_error_mark (f, "Display Name"));
  g_assert_cmpstr (prov_target_editor_get_reason (editor (f), PROV_FIELD_DISPLAY_NAME), ==,
                   "Another target system already has this name");
  g_assert_true (has_focus_in (f, entry_row (f, "Display Name")));
  g_assert_false (has_error_mark (f, "URL"));
  g_assert_true (header_button_shown (f, "_Save"));
  g_assert_true (names_listed (f, "Jam Production"));
  g_assert_true (file_lists (f, "Jam Production"));

  /* A different name is fine. */
  type_into (f, "Display Name", "Jam Production 2");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System Jam Production 2 configuration updated");
  g_assert_true (names_listed (f, "Jam Production|Jam Production 2"));
  dismiss_toast (f, "System Jam Production 2 configuration updated");

  /* Renaming the second to the first's name in other case is refused too,
   * but keeping one's own name is not a duplicate. */
  activate (f, "win.edit");
  type_into (f, "Display Name", "JAM PRODUCTION");
  activate (f, "win.save");
  settle (100);
  g_assert_true (has_error_mark (f, "Display Name"));
  type_into (f, "Display Name", "Jam Production 2");
  type_into (f, "Client Key", "other-key");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System Jam Production 2 configuration updated");
  g_assert_true (file_lists (f, "Jam Production|Jam Production 2"));
}

static void
test_token_url_prefill (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *contents = NULL;

  open_window (f, 0);
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");

  g_assert_cmpstr (field_text (f, "Token URL"), ==, "");
  type_into (f, "URL", "https://jam4.sapjam.com");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://jam4.sapjam.com/api/v1/auth/token");

  /* It follows the URL while it is the default… */
  type_into (f, "URL", "https://jam8.sapjam.com:8443");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://jam8.sapjam.com:8443/api/v1/auth/token");

  /* …stays editable, and once edited it is the person's own. */
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (entry_row (f, "Token URL"))));
  type_into (f, "Token URL", "https://auth.example.com/oauth/token");
  type_into (f, "URL", "https://jam2.sapjam.com");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://auth.example.com/oauth/token");

  type_into (f, "Display Name", "Jam Token");
  type_into (f, "Client Key", "key");
  type_into (f, "Client Secret", "secret");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System Jam Token configuration updated");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://auth.example.com/oauth/token");
  contents = file_contents (f);
  g_assert_nonnull (strstr (contents, "https://auth.example.com/oauth/token"));
  dismiss_toast (f, "System Jam Token configuration updated");
}

static void
test_cancel_restores (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const names[] = { "Jam Production", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *secret = secret_for ("Jam Production");

  open_window (f, 1);
  before = file_contents (f);

  WAIT_FOR (status_page_shown (f, "No Target System Selected"), "the 'nothing selected' page");
  g_assert_false (header_button_shown (f, "_Edit"));

  select_position (f, 0);
  WAIT_FOR (header_button_shown (f, "_Edit"), "the Edit button of the selected target");
  g_assert_cmpstr (content_title (f), ==, "Jam Production");
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Jam Production");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (entry_row (f, "Display Name"))));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (entry_row (f, "Client Secret"))));
  WAIT_FOR (g_str_equal (field_text (f, "Client Secret"), secret), "the Client Secret from the keyring");

  activate (f, "win.edit");
  WAIT_FOR (header_button_shown (f, "_Save"), "the Save button after Edit");
  g_assert_true (header_button_shown (f, "_Cancel"));
  g_assert_false (header_button_shown (f, "_Edit"));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (entry_row (f, "Display Name"))));
  g_assert_true (has_focus_in (f, entry_row (f, "Display Name")));

  type_into (f, "Display Name", "Changed Name");
  type_into (f, "URL", "https://jam7.sapjam.com");
  type_into (f, "Client Key", "changed-key");
  type_into (f, "Client Secret", "changed-secret");
  g_assert_cmpstr (content_title (f), ==, "Changed Name");
  choose (f, "Type", "Identity Provisioning");

  activate (f, "win.cancel");
  WAIT_FOR (header_button_shown (f, "_Edit"), "the Edit button after Cancel");
  g_assert_false (header_button_shown (f, "_Save"));
  g_assert_false (header_button_shown (f, "_Cancel"));
  g_assert_cmpstr (combo_choice (f, "Type"), ==, "SAP Jam");
  assert_fields (f, jam_fields_shown, jam_fields_hidden);
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Jam Production");
  g_assert_cmpstr (field_text (f, "URL"), ==, "https://jam1.sapjam.com");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://jam1.sapjam.com/api/v1/auth/token");
  g_assert_cmpstr (field_text (f, "Client Key"), ==, "client-key-1");
  g_assert_cmpstr (field_text (f, "Client Secret"), ==, secret);
  g_assert_cmpstr (content_title (f), ==, "Jam Production");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (entry_row (f, "Display Name"))));
  g_assert_nonnull (sidebar_row (f, "Jam Production"));
  g_assert_null (sidebar_row (f, "Changed Name"));
  assert_no_dialog (f);

  after = file_contents (f);
  g_assert_cmpstr (before, ==, after);
  {
    g_autofree char *kept = keyring_lookup (f, uuids[0], PROV_FIELD_CLIENT_SECRET);
    g_assert_cmpstr (kept, ==, secret);
  }

  /* Cancel on a new target drops it and goes back to the one selected before. */
  activate (f, "win.add");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target");
  type_into (f, "Display Name", "Never Saved");
  activate (f, "win.cancel");
  WAIT_FOR (header_button_shown (f, "_Edit"), "the previous target after cancelling a new one");
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Jam Production");
  g_assert_true (names_listed (f, "Jam Production"));
  assert_no_dialog (f);
}

static void
test_unsaved_switch (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const names[] = { "Alpha Jam", "Beta Jam", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  AdwMessageDialog *dialog;

  open_window (f, 2);

  /* Viewing without changes: switching just switches. */
  select_position (f, 0);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Alpha Jam"), "Alpha Jam in the editor");
  activate (f, "win.edit");
  select_position (f, 1);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta Jam"), "Beta Jam in the editor");
  assert_no_dialog (f);
  g_assert_true (header_button_shown (f, "_Edit"));

  /* Unsaved edits: Cancel stays with them. */
  select_position (f, 0);
  wait_secret_loaded (f, "Alpha Jam");
  activate (f, "win.edit");
  type_into (f, "Display Name", "Alpha Renamed");
  select_position (f, 1);
  dialog = wait_for_dialog (f, "Save Changes?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“Alpha Renamed” has unsaved changes"));
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  respond (f, dialog, "cancel");
  settle (50);
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Alpha Renamed");
  g_assert_true (header_button_shown (f, "_Save"));
  g_assert_cmpuint (selected_position (f), ==, 0);
  g_assert_true (names_listed (f, "Alpha Jam|Beta Jam"));

  /* Discard: the switch happens and nothing is saved. */
  select_position (f, 1);
  dialog = wait_for_dialog (f, "Save Changes?");
  respond (f, dialog, "discard");
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta Jam"), "Beta Jam after Discard");
  g_assert_true (header_button_shown (f, "_Edit"));
  g_assert_cmpuint (selected_position (f), ==, 1);
  g_assert_true (names_listed (f, "Alpha Jam|Beta Jam"));
  g_assert_nonnull (sidebar_row (f, "Alpha Jam"));
  g_assert_true (file_lists (f, "Alpha Jam|Beta Jam"));

  /* Save: saved, then switched. */
  select_position (f, 0);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Alpha Jam"), "Alpha Jam in the editor");
  activate (f, "win.edit");
  type_into (f, "Display Name", "Alpha Saved");
  type_into (f, "Client Secret", "alpha-new-secret");
  select_position (f, 1);
  dialog = wait_for_dialog (f, "Save Changes?");
  respond (f, dialog, "save");
  WAIT_FOR_TOAST (f, "System Alpha Saved configuration updated");
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta Jam"), "Beta Jam after Save");
  g_assert_cmpuint (selected_position (f), ==, 1);
  g_assert_true (header_button_shown (f, "_Edit"));
  g_assert_true (names_listed (f, "Alpha Saved|Beta Jam"));
  WAIT_FOR (sidebar_row (f, "Alpha Saved") != NULL, "the renamed sidebar row");
  WAIT_FOR (file_lists (f, "Alpha Saved|Beta Jam"), "the file to have the renamed target");
  {
    g_autofree char *secret = keyring_lookup (f, uuids[0], PROV_FIELD_CLIENT_SECRET);
    g_assert_cmpstr (secret, ==, "alpha-new-secret");
  }
  dismiss_toast (f, "System Alpha Saved configuration updated");

  /* Save with invalid values: nothing is saved, the marks show, and the
   * person stays on the target they were editing. */
  select_position (f, 0);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Alpha Saved"), "Alpha Saved in the editor");
  activate (f, "win.edit");
  type_into (f, "URL", "not a url");
  select_position (f, 1);
  dialog = wait_for_dialog (f, "Save Changes?");
  respond (f, dialog, "save");
  settle (100);
  g_assert_true (has_error_mark (f, "URL"));
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Alpha Saved");
  g_assert_true (header_button_shown (f, "_Save"));
  g_assert_cmpuint (selected_position (f), ==, 0);
  g_assert_true (file_lists (f, "Alpha Saved|Beta Jam"));
}

static void
test_close_with_unsaved_edits (Fixture       *f,
                               gconstpointer  data)
{
  static const char * const names[] = { "Alpha Jam", NULL };
  AdwMessageDialog *dialog;

  g_strfreev (seed_targets (f, names, TRUE));

  open_window (f, 1);
  select_position (f, 0);
  WAIT_FOR (header_button_shown (f, "_Edit"), "the selected target");
  activate (f, "win.edit");
  type_into (f, "Display Name", "Alpha Unsaved");

  /* Cancel keeps the window and the edits. */
  gtk_window_close (GTK_WINDOW (f->window));
  dialog = wait_for_dialog (f, "Save Changes?");
  respond (f, dialog, "cancel");
  settle (50);
  g_assert_nonnull (f->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Alpha Unsaved");
  g_assert_true (header_button_shown (f, "_Save"));

  /* Discard closes without saving. */
  gtk_window_close (GTK_WINDOW (f->window));
  dialog = wait_for_dialog (f, "Save Changes?");
  respond (f, dialog, "discard");
  wait_window_gone (f, "after Discard");
  g_assert_true (file_lists (f, "Alpha Jam"));

  /* Save saves, then closes. The new window opens on the last target. */
  open_window (f, 1);
  WAIT_FOR (header_button_shown (f, "_Edit"), "the last selected target to be shown again");
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Alpha Jam");
  wait_secret_loaded (f, "Alpha Jam");
  activate (f, "win.edit");
  type_into (f, "Display Name", "Alpha Saved On Close");
  gtk_window_close (GTK_WINDOW (f->window));
  dialog = wait_for_dialog (f, "Save Changes?");
  respond (f, dialog, "save");
  wait_window_gone (f, "after Save");
  g_assert_true (file_lists (f, "Alpha Saved On Close"));

  /* Without edits, closing does not ask. */
  open_window (f, 1);
  WAIT_FOR (header_button_shown (f, "_Edit"), "the last selected target to be shown again");
  activate (f, "win.edit");
  gtk_window_close (GTK_WINDOW (f->window));
  wait_window_gone (f, "without asking");
}

static void
test_delete_one (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const names[] = { "Alpha", "Beta", "Gamma", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  g_autofree char *beta_secret = secret_for ("Beta");
  AdwMessageDialog *dialog;

  open_window (f, 3);
  select_position (f, 1);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta"), "Beta in the editor");

  /* Cancel in the confirmation keeps it. */
  activate (f, "win.delete");
  dialog = wait_for_dialog (f, "Delete Target System?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "“Beta” and its credentials in the keyring will be deleted.");
  respond (f, dialog, "cancel");
  settle (50);
  g_assert_true (names_listed (f, "Alpha|Beta|Gamma"));
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Beta");

  /* Delete: gone from the list and the file; its secret waits for Undo. */
  activate (f, "win.delete");
  dialog = wait_for_dialog (f, "Delete Target System?");
  respond (f, dialog, "delete");
  WAIT_FOR_TOAST (f, "1 target system deleted");
  hover_toast (f, "1 target system deleted");
  g_assert_true (shown (button (toast_shown (f, "1 target system deleted"), "_Undo")));
  g_assert_true (names_listed (f, "Alpha|Gamma"));
  g_assert_null (sidebar_row (f, "Beta"));
  WAIT_FOR (file_lists (f, "Alpha|Gamma"), "the file without Beta");
  WAIT_FOR (status_page_shown (f, "No Target System Selected"), "the 'nothing selected' page");
  {
    g_autofree char *secret = keyring_lookup (f, uuids[1], PROV_FIELD_CLIENT_SECRET);
    g_assert_cmpstr (secret, ==, beta_secret);
  }

  /* Undo: back at its place, in the file, secrets untouched. */
  click_toast_button (f, "1 target system deleted", "_Undo");
  WAIT_FOR (names_listed (f, "Alpha|Beta|Gamma"), "Beta back in the list");
  WAIT_FOR (sidebar_row (f, "Beta") != NULL, "Beta's sidebar row");
  WAIT_FOR (file_lists (f, "Alpha|Beta|Gamma"), "Beta back in the file");
  WAIT_FOR (toast_shown (f, "1 target system deleted") == NULL, "the toast to go after Undo");
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta"), "Beta in the editor after Undo");
  settle (200);
  {
    g_autofree char *secret = keyring_lookup (f, uuids[1], PROV_FIELD_CLIENT_SECRET);
    g_assert_cmpstr (secret, ==, beta_secret);
  }

  /* Delete again and let it be final: the secrets go too. */
  select_position (f, 1);
  activate (f, "win.delete");
  dialog = wait_for_dialog (f, "Delete Target System?");
  respond (f, dialog, "delete");
  WAIT_FOR_TOAST (f, "1 target system deleted");
  dismiss_toast (f, "1 target system deleted");
  {
    g_autofree char *secret = NULL;
    gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

    do
      {
        g_clear_pointer (&secret, g_free);
        settle (20);
        secret = keyring_lookup (f, uuids[1], PROV_FIELD_CLIENT_SECRET);
      }
    while (secret != NULL && g_get_monotonic_time () < end);
    g_assert_null (secret);
  }
  {
    g_autofree char *alpha = keyring_lookup (f, uuids[0], PROV_FIELD_CLIENT_SECRET);
    g_autofree char *gamma = keyring_lookup (f, uuids[2], PROV_FIELD_CLIENT_SECRET);
    g_autofree char *alpha_expected = secret_for ("Alpha");
    g_autofree char *gamma_expected = secret_for ("Gamma");

    g_assert_cmpstr (alpha, ==, alpha_expected);
    g_assert_cmpstr (gamma, ==, gamma_expected);
  }
  g_assert_true (names_listed (f, "Alpha|Gamma"));
  WAIT_FOR (file_lists (f, "Alpha|Gamma"), "the file without Beta");
}

static GtkWidget *
wait_for_sidebar_row (Fixture    *f,
                      const char *name)
{
  g_autofree char *what = g_strdup_printf ("the sidebar row '%s'", name);

  WAIT_FOR (sidebar_row (f, name) != NULL, what);
  return sidebar_row (f, name);
}

static void
mark_for_deletion (Fixture    *f,
                   const char *name)
{
  GtkWidget *row = wait_for_sidebar_row (f, name);
  GtkCheckButton *check = sidebar_row_check (row);

  g_assert_true (shown (GTK_WIDGET (check)));
  gtk_check_button_set_active (check, TRUE);
}

static void
test_delete_several (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const names[] = { "T1", "T2", "T3", "T4", "T5", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  AdwMessageDialog *dialog;
  GtkWidget *delete_button;

  open_window (f, 5);

  activate (f, "win.selection-mode");
  WAIT_FOR (label_shown (f, "0 selected"), "the selection bar");
  delete_button = button (gtk_widget_get_ancestor (GTK_WIDGET (list_view (f)), GTK_TYPE_BOX), "_Delete");
  g_assert_nonnull (delete_button);
  g_assert_true (shown (delete_button));
  g_assert_false (gtk_widget_is_sensitive (delete_button));

  mark_for_deletion (f, "T2");
  mark_for_deletion (f, "T3");
  mark_for_deletion (f, "T5");
  WAIT_FOR (label_shown (f, "3 selected"), "'3 selected'");
  g_assert_true (gtk_widget_is_sensitive (delete_button));

  activate (f, "win.delete-selected");
  dialog = wait_for_dialog (f, "Delete 3 Target Systems?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The 3 selected target systems and their credentials in the keyring will be deleted.");
  respond (f, dialog, "delete");
  WAIT_FOR_TOAST (f, "3 target systems deleted");
  hover_toast (f, "3 target systems deleted");
  g_assert_true (names_listed (f, "T1|T4"));
  WAIT_FOR (file_lists (f, "T1|T4"), "the file without T2, T3, T5");
  /* Selection mode ends with the deletion. */
  WAIT_FOR (!shown (GTK_WIDGET (sidebar_row_check (wait_for_sidebar_row (f, "T1")))),
            "the check boxes to go");
  {
    g_autofree char *secret = keyring_lookup (f, uuids[1], PROV_FIELD_CLIENT_SECRET);
    g_assert_nonnull (secret);
  }

  /* Undo puts each back where it was. */
  click_toast_button (f, "3 target systems deleted", "_Undo");
  WAIT_FOR (names_listed (f, "T1|T2|T3|T4|T5"), "all five back in order");
  WAIT_FOR (file_lists (f, "T1|T2|T3|T4|T5"), "all five back in the file");

  /* Two, made final by dismissing the toast. */
  activate (f, "win.selection-mode");
  WAIT_FOR (label_shown (f, "0 selected"), "the selection bar");
  mark_for_deletion (f, "T2");
  mark_for_deletion (f, "T4");
  WAIT_FOR (label_shown (f, "2 selected"), "'2 selected'");
  activate (f, "win.delete-selected");
  dialog = wait_for_dialog (f, "Delete 2 Target Systems?");
  respond (f, dialog, "delete");
  WAIT_FOR_TOAST (f, "2 target systems deleted");
  dismiss_toast (f, "2 target systems deleted");
  WAIT_FOR (file_lists (f, "T1|T3|T5"), "the file without T2 and T4");
  {
    g_autofree char *t2 = NULL;
    g_autofree char *t4 = NULL;
    gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

    do
      {
        g_clear_pointer (&t2, g_free);
        g_clear_pointer (&t4, g_free);
        settle (20);
        t2 = keyring_lookup (f, uuids[1], PROV_FIELD_CLIENT_SECRET);
        t4 = keyring_lookup (f, uuids[3], PROV_FIELD_CLIENT_SECRET);
      }
    while ((t2 != NULL || t4 != NULL) && g_get_monotonic_time () < end);
    g_assert_null (t2);
    g_assert_null (t4);
  }
  {
    g_autofree char *t3 = keyring_lookup (f, uuids[2], PROV_FIELD_CLIENT_SECRET);
    g_assert_nonnull (t3);
  }

  /* Deleting all of them leaves the empty state. */
  activate (f, "win.selection-mode");
  mark_for_deletion (f, "T1");
  mark_for_deletion (f, "T3");
  mark_for_deletion (f, "T5");
  WAIT_FOR (label_shown (f, "3 selected"), "'3 selected'");
  activate (f, "win.delete-selected");
  dialog = wait_for_dialog (f, "Delete 3 Target Systems?");
  respond (f, dialog, "delete");
  WAIT_FOR_TOAST (f, "3 target systems deleted");
  WAIT_FOR (status_page_shown (f, "No Target Systems"), "the empty state");
  g_assert_cmpuint (n_listed (f), ==, 0);
  WAIT_FOR (file_lists (f, ""), "an empty list in the file");
}

static void
search_for (Fixture    *f,
            const char *text)
{
  GtkWidget *entry = find_by_type (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);
  g_assert_true (shown (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const char * const names[] = { "Jam Production", "SAP Jam EU", "IPS EU", "Staging", NULL };
  GtkWidget *entry;

  g_strfreev (seed_targets (f, names, FALSE));

  open_window (f, 4);

  activate (f, "win.search");
  entry = find_by_type (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY);
  g_assert_true (has_focus_in (f, entry));

  search_for (f, "eu");
  WAIT_FOR (names_listed (f, "SAP Jam EU|IPS EU"), "the two matches of 'eu'");
  WAIT_FOR (sidebar_row (f, "SAP Jam EU") != NULL && sidebar_row (f, "IPS EU") != NULL,
            "the rows of the matches");
  g_assert_null (sidebar_row (f, "Jam Production"));
  g_assert_null (sidebar_row (f, "Staging"));

  search_for (f, "JAM");
  WAIT_FOR (names_listed (f, "Jam Production|SAP Jam EU"), "the matches of 'JAM', ignoring case");

  search_for (f, "no such target");
  WAIT_FOR (status_page_shown (f, "No Results Found"), "'No Results Found'");
  g_assert_cmpuint (n_listed (f), ==, 0);
  g_assert_false (shown (GTK_WIDGET (list_view (f))));

  search_for (f, "");
  WAIT_FOR (names_listed (f, "Jam Production|SAP Jam EU|IPS EU|Staging"), "every target again");
  g_assert_false (status_page_shown (f, "No Results Found"));
  g_assert_true (shown (GTK_WIDGET (list_view (f))));

  /* Filtering away the target on screen does not change what is shown. */
  select_position (f, 3);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Staging"), "Staging in the editor");
  search_for (f, "eu");
  WAIT_FOR (names_listed (f, "SAP Jam EU|IPS EU"), "the two matches of 'eu'");
  settle (50);
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Staging");
  g_assert_true (header_button_shown (f, "_Edit"));
  assert_no_dialog (f);

  /* Clearing the search brings its row back, selected. */
  search_for (f, "");
  WAIT_FOR (names_listed (f, "Jam Production|SAP Jam EU|IPS EU|Staging"), "every target again");
  WAIT_FOR (selected_position (f) == 3, "Staging selected again");
}

/* Keyboard shortcuts: the window's shortcut controller maps each key to
 * its action; activating a shortcut the way GtkShortcutController does
 * (each match in turn until one handles it) must do what the key promises.
 * Real key events are sent by the end-to-end test. */

/* The action names bound to @accelerator, in order, joined with "|". */
static char *
bound_actions (Fixture    *f,
               const char *accelerator)
{
  g_autoptr(GPtrArray) shortcuts = widget_shortcuts (GTK_WIDGET (f->window));
  g_autoptr(GString) names = g_string_new (NULL);
  guint keyval;
  GdkModifierType modifiers;

  g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &modifiers));
  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcut *shortcut = g_ptr_array_index (shortcuts, i);
      GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

      if (!shortcut_matches (shortcut, keyval, modifiers) || !GTK_IS_NAMED_ACTION (action))
        continue;
      if (names->len > 0)
        g_string_append_c (names, '|');
      g_string_append (names, gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
press (Fixture    *f,
       const char *accelerator)
{
  return press_shortcut (GTK_WIDGET (f->window), accelerator);
}

static gboolean
help_overlay_has (GtkBuilder *builder,
                  const char *accelerator)
{
  GObject *window = gtk_builder_get_object (builder, "help_overlay");
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();

  g_assert_nonnull (window);
  collect_widgets (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_SHORTCUT), shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accel = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &accel, NULL);
      if (g_strcmp0 (accel, accelerator) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_shortcuts (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *accel; const char *actions; } bindings[] = {
    { "<Control>n", "win.add" },
    { "<Control>e", "win.edit" },
    { "<Control>s", "win.save" },
    { "Escape", "win.leave-editor|win.leave-selection-mode" },
    { "Delete", "win.delete|win.delete-selected" },
    { "<Control>f", "win.search" },
    { "<Control>w", "window.close" },
  };
  static const char * const documented[] = {
    "<Primary>n", "<Primary>e", "<Primary>s", "Escape", "Delete", "<Primary>f",
    "<Primary>question", "<Primary>w", "<Primary>q", NULL
  };
  static const char * const names[] = { "Alpha", "Beta", NULL };
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *overlay;
  AdwMessageDialog *dialog;

  g_strfreev (seed_targets (f, names, TRUE));

  open_window (f, 2);

  /* Each key reaches (at least) these actions; later features may add more. */
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      g_autofree char *actions = bound_actions (f, bindings[i].accel);
      g_auto(GStrv) bound = g_strsplit (actions, "|", -1);
      g_auto(GStrv) expected = g_strsplit (bindings[i].actions, "|", -1);

      for (guint j = 0; expected[j] != NULL; j++)
        if (!g_strv_contains ((const char * const *) bound, expected[j]))
          g_error ("%s is not bound to %s (it is bound to: %s)",
                   bindings[i].accel, expected[j], actions);
    }

  /* Ctrl+N adds, Escape cancels. */
  g_assert_true (press (f, "<Control>n"));
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of a new target after Ctrl+N");
  g_assert_cmpstr (content_title (f), ==, "New Target System");
  g_assert_true (press (f, "Escape"));
  WAIT_FOR (!header_button_shown (f, "_Save"), "Escape to cancel adding");

  /* Ctrl+E edits the selected target, Ctrl+S saves it. */
  select_position (f, 0);
  WAIT_FOR (header_button_shown (f, "_Edit"), "the selected target");
  wait_secret_loaded (f, "Alpha");
  g_assert_true (press (f, "<Control>e"));
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor after Ctrl+E");
  type_into (f, "Client Key", "key-from-keyboard");
  g_assert_true (press (f, "<Control>s"));
  WAIT_FOR_TOAST (f, "System Alpha configuration updated");
  dismiss_toast (f, "System Alpha configuration updated");

  /* Delete asks before deleting the selected target. */
  g_assert_true (press (f, "Delete"));
  dialog = wait_for_dialog (f, "Delete Target System?");
  respond (f, dialog, "cancel");

  /* In selection mode Escape leaves it and Delete deletes the marked ones. */
  activate (f, "win.selection-mode");
  mark_for_deletion (f, "Beta");
  WAIT_FOR (label_shown (f, "1 selected"), "'1 selected'");
  g_assert_true (press (f, "Delete"));
  dialog = wait_for_dialog (f, "Delete Target System?");
  respond (f, dialog, "cancel");
  g_assert_true (press (f, "Escape"));
  WAIT_FOR (!shown (GTK_WIDGET (sidebar_row_check (wait_for_sidebar_row (f, "Beta")))),
            "Escape to leave selection mode");

  /* Ctrl+F goes to the search entry. */
  g_assert_true (press (f, "<Control>f"));
  g_assert_true (has_focus_in (f, find_by_type (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY)));

  /* Ctrl+W closes the window. */
  g_assert_true (press (f, "<Control>w"));
  wait_window_gone (f, "with Ctrl+W");

  /* The shortcuts window (Ctrl+?) lists every one of them. */
  builder = gtk_builder_new_from_resource ("/io/github/provisioner/Provisioner/gtk/help-overlay.ui");
  for (guint i = 0; documented[i] != NULL; i++)
    if (!help_overlay_has (builder, documented[i]))
      g_error ("The shortcuts window does not list %s", documented[i]);
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* The row of @name lies inside the visible part of the sidebar list. */
static gboolean
row_in_view (Fixture    *f,
             const char *name)
{
  GtkWidget *row = sidebar_row (f, name);
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (list_view (f)), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (row == NULL || scrolled == NULL ||
      !gtk_widget_compute_bounds (row, scrolled, &bounds))
    return FALSE;

  return bounds.size.height > 0 &&
         bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
}

static void
test_many_targets (Fixture       *f,
                   gconstpointer  data)
{
  const guint n = 10000;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) uuids = NULL;
  ProvTargetSystem *last;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, g_strdup_printf ("Target %05u", i));
  g_ptr_array_add (names, NULL);
  uuids = seed_targets (f, (const char * const *) names->pdata, FALSE);

  open_window (f, n);
  g_assert_cmpuint (n_listed (f), ==, n);
  WAIT_FOR (row_in_view (f, "Target 00000"), "the first row");
  /* A recycling list: far fewer row widgets than targets. */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    collect_widgets (GTK_WIDGET (list_view (f)), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW), rows);
    g_assert_cmpuint (rows->len, <, 1000);
  }

  /* Selecting the last scrolls to it and shows it. */
  select_position (f, n - 1);
  last = listed_target (f, n - 1);
  g_assert_cmpstr (prov_target_system_get_display_name (last), ==, "Target 09999");
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Target 09999"), "the last target in the editor");
  WAIT_FOR (row_in_view (f, "Target 09999"), "the last row to be scrolled into view");
  g_assert_false (row_in_view (f, "Target 00000"));

  /* Searching through all of them. */
  search_for (f, "Target 0999");
  WAIT_FOR (n_listed (f) == 10, "the ten matches of 'Target 0999'");
  search_for (f, "");
  WAIT_FOR (n_listed (f) == n, "every target again");

  /* Editing one of them and saving writes all of them. */
  activate (f, "win.edit");
  type_into (f, "Client Key", "edited-key");
  type_into (f, "Client Secret", "edited-secret");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System Target 09999 configuration updated");
  {
    g_autofree char *contents = file_contents (f);
    g_assert_nonnull (strstr (contents, "edited-key"));
    g_assert_nonnull (strstr (contents, "Target 00000"));
    g_assert_null (strstr (contents, "edited-secret"));
  }
}

static void
test_window_state (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const names[] = { "Alpha", "Beta", "Gamma", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  g_autofree char *beta_secret = secret_for ("Beta");
  int width, height;

  /* Defaults from the schema. */
  open_window (f, 3);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 820, 640);
  select_position (f, 1);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta"), "Beta in the editor");
  gtk_window_close (GTK_WINDOW (f->window));
  wait_window_gone (f, "");

  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-height"), ==, 640);
  {
    g_autofree char *last = g_settings_get_string (f->settings, "last-selected-target");
    g_assert_cmpstr (last, ==, uuids[1]);
  }

  /* The next window opens the same size, on the same target, with its
   * secret from the keyring. */
  open_window (f, 3);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 640);
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Beta"), "Beta in the editor of the new window");
  WAIT_FOR (selected_position (f) == 1, "Beta selected in the sidebar");
  WAIT_FOR (g_str_equal (field_text (f, "Client Secret"), beta_secret), "Beta's secret from the keyring");
  WAIT_FOR (header_button_shown (f, "_Edit"), "the Edit button of the remembered target");
  g_assert_false (header_button_shown (f, "_Save"));

  /* A remembered target that no longer exists selects nothing. */
  gtk_window_close (GTK_WINDOW (f->window));
  wait_window_gone (f, "");
  g_settings_set_string (f->settings, "last-selected-target", "00000000-0000-4000-8000-000000000000");
  open_window (f, 3);
  WAIT_FOR (status_page_shown (f, "No Target System Selected"), "the 'nothing selected' page");
  g_assert_cmpuint (selected_position (f), ==, GTK_INVALID_LIST_POSITION);
}

int
main (int   argc,
      char *argv[])
{
  /* Never touch the person's settings; use the schema from the build. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", PROV_TEST_SCHEMA_DIR, FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Toasts, dialogs and pages appear and go without animations. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (!g_resources_get_info ("/io/github/provisioner/Provisioner/prov-window.ui",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    g_resources_register (prov_get_resource ());

#define ADD(name, func) \
  g_test_add ("/window/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("empty-state", test_empty_state);
  ADD ("add-jam", test_add_jam);
  ADD ("add-identity-provisioning", test_add_identity_provisioning);
  ADD ("validation", test_validation);
  ADD ("certificate-target", test_certificate_target);
  ADD ("duplicate-name", test_duplicate_name);
  ADD ("token-url-prefill", test_token_url_prefill);
  ADD ("cancel-restores", test_cancel_restores);
  ADD ("unsaved-switch", test_unsaved_switch);
  ADD ("close-with-unsaved-edits", test_close_with_unsaved_edits);
  ADD ("delete-one", test_delete_one);
  ADD ("delete-several", test_delete_several);
  ADD ("search", test_search);
  ADD ("shortcuts", test_shortcuts);
  ADD ("many-targets", test_many_targets);
  ADD ("window-state", test_window_state);

#undef ADD

  return g_test_run ();
}
