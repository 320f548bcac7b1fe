/* window-fixture.c — what the window tests share (see window-fixture.h)
 *
 * This is linked into TAP tests: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "prov-provision-dialog.h"
#include "prov-resources.h"
#include "prov-target-editor.h"
#include "window-fixture.h"

gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
wait_failed (const char *file,
             int         line,
             const char *func,
             const char *condition,
             const char *what)
{
  g_autofree char *message =
    g_strdup_printf ("timed out after %d s waiting for %s (%s)",
                     WAIT_SECONDS, what, condition);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       painted)
{
  (*(guint *) painted)++;
  return G_SOURCE_CONTINUE;
}

void
wait_for_frames (GtkWidget *widget,
                 guint      n)
{
  guint painted = 0;
  guint tick;

  WAIT_FOR (gtk_widget_get_mapped (widget), "the window on screen");
  /* A tick callback keeps the frame clock running until removed. */
  tick = gtk_widget_add_tick_callback (widget, count_frame, &painted, NULL);
  WAIT_FOR (painted >= n, "the window drawn");
  gtk_widget_remove_tick_callback (widget, tick);
}

/* Widgets */

void
collect_widgets (GtkWidget     *root,
                 Predicate      predicate,
                 gconstpointer  data,
                 GPtrArray     *result)
{
  if (predicate (root, data))
    g_ptr_array_add (result, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, predicate, data, result);
}

GtkWidget *
find (GtkWidget     *root,
      Predicate      predicate,
      gconstpointer  data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, predicate, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

gboolean
is_sidebar_list (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "navigation-sidebar");
}

gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

gboolean
is_shown_label_containing (GtkWidget     *widget,
                           gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

gboolean
is_action_row_titled (GtkWidget     *widget,
                      gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

gboolean
is_toast_titled (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_str_equal (gtk_widget_get_css_name (widget), "toast") &&
         gtk_widget_get_mapped (widget) &&
         find (widget, is_shown_label, data) != NULL;
}

/* A shown label whose text starts with a digit: a plan row's count. */
static gboolean
is_shown_number (GtkWidget     *widget,
                 gconstpointer  data)
{
  /* The count at the row's end, not a subtitle that starts with a number. */
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_has_css_class (widget, "numeric") &&
         g_ascii_isdigit (gtk_label_get_text (GTK_LABEL (widget))[0]);
}

const char *
plan_count (GtkWidget  *dialog,
            const char *title)
{
  GtkWidget *row = find (dialog, is_action_row_titled, title);
  GtkWidget *label;

  g_assert_nonnull (row);
  label = find (row, is_shown_number, NULL);
  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

GtkWidget *
toplevel_of_type (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

GPtrArray *
widget_shortcuts (GtkWidget *widget)
{
  GPtrArray *shortcuts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        g_ptr_array_add (shortcuts, g_list_model_get_item (G_LIST_MODEL (controller), j));
    }
  return shortcuts;
}

gboolean
shortcut_matches (GtkShortcut     *shortcut,
                  guint            keyval,
                  GdkModifierType  modifiers)
{
  GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

  return GTK_IS_KEYVAL_TRIGGER (trigger) &&
         gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
         gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers;
}

gboolean
press_shortcut (GtkWidget  *widget,
                const char *accelerator)
{
  g_autoptr(GPtrArray) shortcuts = widget_shortcuts (widget);
  guint keyval;
  GdkModifierType modifiers;

  g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &modifiers));
  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcut *shortcut = g_ptr_array_index (shortcuts, i);

      if (shortcut_matches (shortcut, keyval, modifiers) &&
          gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                        GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                        widget,
                                        gtk_shortcut_get_arguments (shortcut)))
        return TRUE;
    }
  return FALSE;
}

GtkWidget *
provision_dialog (void)
{
  return toplevel_of_type (PROV_TYPE_PROVISION_DIALOG);
}

const char *
stack_page (GtkWidget *dialog)
{
  GtkStack *stack = GTK_STACK (find (dialog, is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)));
  return gtk_stack_get_visible_child_name (stack);
}

/* The file chooser that a Choose or Export button opened: picks @file and
 * accepts, as a person would. */
static gboolean
chooser_has_file (GtkWidget *chooser,
                  GFile     *file)
{
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  return chosen != NULL && g_file_equal (chosen, file);
}

void
answer_file_chooser (GFile *file)
{
  GtkWidget *chooser;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  WAIT_FOR ((chooser = toplevel_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL, "the file chooser");
  if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      /* It opens in the current folder (the caller's); choosing another
       * folder is asynchronous, and an answer before it lands writes
       * where the chooser opened. */
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  else
    {
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error);
      g_assert_no_error (error);
    }
  WAIT_FOR (chooser_has_file (chooser, file), "the file chosen");
  /* The chooser refuses an answer until it has loaded the folder and
   * checked the name; ask until it takes it. */
  while (toplevel_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG) == chooser)
    {
      gint64 until;

      if (g_get_monotonic_time () > end)
        g_error ("the file chooser did not take %s", name);
      until = g_get_monotonic_time () + G_USEC_PER_SEC / 10;

      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
    }
}

/* The window on the in-process peer */

void
write_users (const char *path,
             guint       n,
             guint       changed,
             guint       deactivated)
{
  g_autoptr(GString) csv = g_string_new ("userName,name.givenName,name.familyName,emails[0].value,active\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "user%02u,%s%u,Family%u,user%02u@example.com,%s\n",
                            i, i == changed ? "Changed" : "Given", i, i, i,
                            i < N_INACTIVE || i == deactivated ? "FALSE" : "TRUE");
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

void
provision_to_summary (WindowFixture *f,
                      const char    *creates)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");

  g_assert_cmpstr (plan_count (dialog, "Create"), ==, creates);

  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
}

static void
secrets_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  prov_secret_store_save_target_finish (PROV_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

void
window_fixture_setup (WindowFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  const char *url = data;
  gboolean saved = FALSE;
  GtkListView *list;

  f->tmpdir = g_dir_make_tmp ("prov-test-provision-XXXXXX", &error);
  g_assert_no_error (error);

  f->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (f->server, "jam-client", "jam-secret");

  f->store = prov_target_store_new (NULL);
  f->secrets = prov_secret_store_new ();
  f->client = prov_http_client_new ();

  csv = g_build_filename (f->tmpdir, "users.csv", NULL);
  write_users (csv, N_USERS, G_MAXUINT, G_MAXUINT);
  f->source = prov_source_new ();
  prov_source_set_kind (f->source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (f->source, csv);

  f->target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  prov_target_system_set_display_name (f->target, "Jam Test");
  prov_target_system_set_url (f->target, url ? url : prov_test_server_get_base_url (f->server));
  prov_target_system_set_text (f->target, PROV_FIELD_CLIENT_ID, "jam-client");
  prov_target_system_set_text (f->target, PROV_FIELD_CLIENT_SECRET, "jam-secret");
  prov_secret_store_save_target_async (f->secrets, f->target, NULL, secrets_saved_cb, &saved);
  WAIT_FOR (saved, "the secret in the keyring");
  prov_target_store_append (f->store, f->target);

  window_fixture_open_window (f, 0);

  /* Select it as a click in the sidebar would. */
  list = GTK_LIST_VIEW (find (GTK_WIDGET (f->window), is_sidebar_list, NULL));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list)), 0);
  WAIT_FOR (gtk_widget_get_mapped (find (GTK_WIDGET (f->window), is_type,
                                         GSIZE_TO_POINTER (PROV_TYPE_TARGET_EDITOR))),
            "the target on screen");
}

void
window_fixture_open_window (WindowFixture *f,
                            int            width)
{
  f->window = g_object_new (PROV_TYPE_WINDOW,
                            "store", f->store,
                            "secrets", f->secrets,
                            "source", f->source,
                            "http-client", f->client,
                            NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (f->window), width, 640);
  gtk_window_present (GTK_WINDOW (f->window));
}

void
window_fixture_teardown (WindowFixture *f,
                         gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);
  WAIT_FOR (f->window == NULL, "the window to go");

  g_clear_object (&f->target);
  g_clear_object (&f->source);
  g_clear_object (&f->client);
  g_clear_object (&f->secrets);
  g_clear_object (&f->store);
  g_clear_object (&f->server);
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

char *
window_fixture_init (int    *argc,
                     char ***argv)
{
  char *state = g_dir_make_tmp ("prov-test-state-XXXXXX", NULL);

  g_assert_nonnull (state);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CONFIG_HOME", state, TRUE);
  g_setenv ("no_proxy", "*", TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  g_resources_register (prov_get_resource ());
  return state;
}
