/* test-secondary-windows.c — History, Users and the shortcuts window
 *
 * The windows a person opens from the main window, on the fixture of
 * window-fixture.c (a SAP Jam target on the in-process peer, a CSV source,
 * a real keyring): History's title, its dates in the locale's words, its
 * compact lists, a run that did not start; the Users window's search and first focus; the keys that
 * close them; and a shortcuts window that lists every key they bind.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "prov-history-dialog.h"
#include "prov-provision-dialog.h"
#include "prov-source-dialog.h"
#include "prov-users-window.h"
#include "window-fixture.h"

typedef WindowFixture Fixture;

static const char * const months_en[] = {
  "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December",
};
static const char * const months_de[] = {
  "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
  "August", "September", "Oktober", "November", "Dezember",
};

/* History */

static GtkWidget *
open_history (Fixture *f)
{
  GtkWidget *history;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.history", NULL);
  WAIT_FOR ((history = toplevel_of_type (PROV_TYPE_HISTORY_DIALOG)) != NULL, "the History window");
  return history;
}

static GtkListBox *
runs_list (GtkWidget *history)
{
  GtkWidget *list = find (history, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_BOX));

  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static gboolean
is_shown_row_subtitled (GtkWidget     *widget,
                        gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), data) == 0;
}

static gboolean
is_icon_named (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), data) == 0;
}

static AdwWindowTitle *
title_of (GtkWidget *window)
{
  return ADW_WINDOW_TITLE (find (window, is_type, GSIZE_TO_POINTER (ADW_TYPE_WINDOW_TITLE)));
}

static const char *
current_month (const char * const *months)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  return months[g_date_time_get_month (now) - 1];
}

/* Titled "History" with the target's name below; one compact list of the
 * runs, newest first, each dated in words; a run's users one line each
 * with separators. */
static void
test_history_window (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  g_autofree char *outcome = g_strdup_printf ("%u users provisioned", N_USERS - N_INACTIVE);
  GtkWidget *history;
  GtkListBox *list;
  GtkListBoxRow *row;
  GtkWidget *entries;
  GtkWidget *scrolled;
  const char *when;

  provision_to_summary (f, creates);
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));
  write_users (prov_source_get_csv_path (f->source), N_USERS, 5, G_MAXUINT);
  provision_to_summary (f, "0");
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));

  history = open_history (f);
  list = runs_list (history);
  WAIT_FOR (n_rows (list) == 2 && gtk_widget_get_mapped (GTK_WIDGET (list)), "the two runs");
  g_assert_cmpstr (adw_window_title_get_title (title_of (history)), ==, "History");
  g_assert_cmpstr (adw_window_title_get_subtitle (title_of (history)), ==, "Jam Test");

  /* SAP's outcome below the date. (Both runs may start in the same
   * second: their order is not asserted.) */
  row = GTK_LIST_BOX_ROW (find (GTK_WIDGET (list), is_shown_row_subtitled, outcome));
  g_assert_nonnull (row);
  g_assert_nonnull (find (GTK_WIDGET (list), is_shown_row_subtitled, "1 user provisioned"));

  /* The date in words, not "12/04/26 13:57:08". */
  when = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_test_message ("a run's date: %s", when);
  g_assert_nonnull (strstr (when, current_month (months_en)));
  g_assert_null (strchr (when, '/'));

  /* Two rows are two rows high, not a card the window's height. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
  WAIT_FOR (gtk_widget_get_height (GTK_WIDGET (list)) > 0, "the list laid out");
  g_test_message ("the list of runs is %d px high in %d px",
                  gtk_widget_get_height (GTK_WIDGET (list)), gtk_widget_get_height (scrolled));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (list)), <, gtk_widget_get_height (scrolled) / 2);

  /* A run: its date is the title, every user a line, with separators. */
  g_signal_emit_by_name (row, "activate");
  WAIT_FOR ((entries = find (history, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW))) != NULL &&
            gtk_widget_get_mapped (entries), "the users of the run");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (entries)))),
                    ==, N_USERS - N_INACTIVE);
  g_assert_true (gtk_list_view_get_show_separators (GTK_LIST_VIEW (entries)));
  g_assert_cmpstr (adw_window_title_get_title (title_of (history)), ==, when);
  g_assert_cmpstr (adw_window_title_get_subtitle (title_of (history)), ==, "Jam Test");

  gtk_widget_activate_action (history, "history.back", NULL);
  g_assert_cmpstr (adw_window_title_get_title (title_of (history)), ==, "History");
}

/* A run's users list its failures first, whatever order they came in. */
static void
test_history_failures_first (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  GtkWidget *history;
  GtkListBox *list;
  GtkWidget *entries;
  GListModel *model;

  /* The last three creates are refused. */
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_DELAY, 0,
                                 N_USERS - N_INACTIVE - 3);
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_STATUS, 403, 3);
  provision_to_summary (f, creates);
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));

  history = open_history (f);
  list = runs_list (history);
  WAIT_FOR (n_rows (list) == 1 && gtk_widget_get_mapped (GTK_WIDGET (list)), "the run");
  g_signal_emit_by_name (gtk_list_box_get_row_at_index (list, 0), "activate");
  WAIT_FOR ((entries = find (history, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW))) != NULL &&
            gtk_widget_get_mapped (entries), "the users of the run");
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (entries)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_USERS - N_INACTIVE);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) line = g_list_model_get_item (model, i);
      const char *text = gtk_string_object_get_string (line);

      g_assert_cmpint (strstr (text, "HTTP 403") != NULL, ==, i < 3);
    }
}

/* A run that could not start (left by the command line or a timer):
 * its reason below its date, marked, and nothing to open. */
static void
test_history_not_started (Fixture       *f,
                          gconstpointer  data)
{
  const char *reason = "127.0.0.1 refused the connection. Check the address and port, and that the service is running.";
  g_autofree char *outcome = g_strdup_printf ("Did not start: %s", reason);
  g_autoptr(GError) error = NULL;
  GtkWidget *history;
  GtkListBox *list;
  GtkWidget *row;

  {
    g_autoptr(ProvJournal) journal = prov_journal_new_run (NULL, f->target, "all-users", &error);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_no_error (error);
    prov_journal_finish_not_started (journal, reason);
    prov_journal_flush_async (journal, NULL, got_result_cb, &result);
    g_assert_true (prov_journal_flush_finish (wait_for (&result), &error));
  }

  history = open_history (f);
  list = runs_list (history);
  WAIT_FOR (n_rows (list) == 1 && gtk_widget_get_mapped (GTK_WIDGET (list)), "the run");
  row = find (GTK_WIDGET (list), is_shown_row_subtitled, outcome);
  g_assert_nonnull (row);
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_nonnull (find (row, is_icon_named, "dialog-warning-symbolic"));
  g_assert_null (find (row, is_icon_named, "go-next-symbolic"));
}

/* A German desktop reads German dates. */
static void
test_history_locale (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  g_autofree char *before = g_strdup (setlocale (LC_ALL, NULL));
  GtkWidget *history;
  GtkListBox *list;
  const char *when;

  provision_to_summary (f, creates);
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));

  /* build-aux/install-deps.sh generates it. */
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    g_error ("the de_DE.UTF-8 locale is missing: localedef -i de_DE -f UTF-8 de_DE.UTF-8");

  history = open_history (f);
  list = runs_list (history);
  WAIT_FOR (n_rows (list) == 1, "the run");
  when = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (list, 0)));
  g_test_message ("a run's date in German: %s", when);
  g_assert_nonnull (strstr (when, current_month (months_de)));
  g_assert_null (strchr (when, '/'));

  setlocale (LC_ALL, before);
}

/* Ctrl+W and Escape close History. */
static void
test_history_keys (Fixture       *f,
                   gconstpointer  data)
{
  const char * const keys[] = { "<Control>w", "Escape" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *history = open_history (f);

      g_assert_true (press_shortcut (history, keys[i]));
      WAIT_FOR (toplevel_of_type (PROV_TYPE_HISTORY_DIALOG) == NULL, keys[i]);
    }
}

/* Users */

/* Typing anywhere in the window searches; the first focus is the search,
 * not Refresh; Ctrl+F comes back to it; Ctrl+W and Escape close. */
static void
test_users_keyboard (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *users;
  GtkWidget *entry;
  GtkWidget *focus;
  GtkWidget *list;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.users", NULL);
  WAIT_FOR ((users = toplevel_of_type (PROV_TYPE_USERS_WINDOW)) != NULL, "the Users window");
  list = find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)))) == N_USERS,
            "the users");
  entry = find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));

  g_assert_true (gtk_search_entry_get_key_capture_widget (GTK_SEARCH_ENTRY (entry)) == users);
  focus = gtk_window_get_focus (GTK_WINDOW (users));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  gtk_widget_grab_focus (list);
  g_assert_true (press_shortcut (users, "<Control>f"));
  focus = gtk_window_get_focus (GTK_WINDOW (users));
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  g_assert_true (press_shortcut (users, "<Control>w"));
  WAIT_FOR (toplevel_of_type (PROV_TYPE_USERS_WINDOW) == NULL, "Ctrl+W to close Users");

  /* Escape too, as the shortcuts window says. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.users", NULL);
  WAIT_FOR ((users = toplevel_of_type (PROV_TYPE_USERS_WINDOW)) != NULL, "the Users window again");
  g_assert_true (press_shortcut (users, "Escape"));
  WAIT_FOR (toplevel_of_type (PROV_TYPE_USERS_WINDOW) == NULL, "Escape to close Users");
}

/* The shortcuts window */

/* Our own actions; GTK's built-in bindings (focus moves, the inspector)
 * are not ours to document. */
static gboolean
is_ours (const char *action)
{
  static const char * const prefixes[] = { "win.", "users.", "history.", "provision.", "source.", "app." };

  if (g_str_equal (action, "window.close"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (action, prefixes[i]))
      return TRUE;
  return FALSE;
}

static void
collect_documented (GtkWidget  *overlay,
                    GHashTable *documented)
{
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();

  collect_widgets (overlay, is_type, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_SHORTCUT), shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accel = NULL;
      guint keyval;
      GdkModifierType modifiers;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &accel, NULL);
      if (accel != NULL && gtk_accelerator_parse (accel, &keyval, &modifiers))
        g_hash_table_add (documented, gtk_accelerator_name (keyval, modifiers));
    }
}

/* Every key @window binds to one of our actions is in @documented. */
static void
assert_documented (GtkWidget  *window,
                   GHashTable *documented)
{
  g_autoptr(GPtrArray) shortcuts = widget_shortcuts (window);

  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcut *shortcut = g_ptr_array_index (shortcuts, i);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
      GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
      g_autofree char *accel = NULL;
      guint keyval;

      if (!GTK_IS_KEYVAL_TRIGGER (trigger) || !GTK_IS_NAMED_ACTION (action) ||
          !is_ours (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action))))
        continue;
      /* The keypad's Delete is Delete. */
      keyval = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
      if (keyval == GDK_KEY_KP_Delete)
        keyval = GDK_KEY_Delete;
      accel = gtk_accelerator_name (keyval, gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
      g_test_message ("%s: %s → %s", G_OBJECT_TYPE_NAME (window), accel,
                      gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
      if (!g_hash_table_contains (documented, accel))
        g_error ("%s binds %s to %s, and the shortcuts window does not list it",
                 G_OBJECT_TYPE_NAME (window), accel,
                 gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
    }
}

static void
test_shortcuts_documented (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/provisioner/Provisioner/gtk/help-overlay.ui");
  g_autoptr(GHashTable) documented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  const struct { const char *action; GType type; } windows[] = {
    { "win.users", PROV_TYPE_USERS_WINDOW },
    { "win.history", PROV_TYPE_HISTORY_DIALOG },
    { "win.provision", PROV_TYPE_PROVISION_DIALOG },
    { "win.source", PROV_TYPE_SOURCE_DIALOG },
  };

  collect_documented (overlay, documented);
  /* The two, by name. */
  g_assert_true (g_hash_table_contains (documented, "<Control>Return"));
  g_assert_true (g_hash_table_contains (documented, "F5"));

  assert_documented (GTK_WIDGET (f->window), documented);
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      GtkWidget *window;

      gtk_widget_activate_action (GTK_WIDGET (f->window), windows[i].action, NULL);
      WAIT_FOR ((window = toplevel_of_type (windows[i].type)) != NULL, windows[i].action);
      assert_documented (window, documented);
      gtk_window_destroy (GTK_WINDOW (window));
      WAIT_FOR (toplevel_of_type (windows[i].type) == NULL, "the window to close");
    }
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = window_fixture_init (&argc, &argv);
  int result;

  g_test_add ("/secondary-windows/history/title-runs-entries", Fixture, NULL,
              window_fixture_setup, test_history_window, window_fixture_teardown);
  g_test_add ("/secondary-windows/history/failures-first", Fixture, NULL,
              window_fixture_setup, test_history_failures_first, window_fixture_teardown);
  g_test_add ("/secondary-windows/history/not-started", Fixture, NULL,
              window_fixture_setup, test_history_not_started, window_fixture_teardown);
  g_test_add ("/secondary-windows/history/dates-in-german", Fixture, NULL,
              window_fixture_setup, test_history_locale, window_fixture_teardown);
  g_test_add ("/secondary-windows/history/ctrl-w-and-escape-close", Fixture, NULL,
              window_fixture_setup, test_history_keys, window_fixture_teardown);
  g_test_add ("/secondary-windows/users/typing-searches-first-focus", Fixture, NULL,
              window_fixture_setup, test_users_keyboard, window_fixture_teardown);
  g_test_add ("/secondary-windows/shortcuts/every-key-listed", Fixture, NULL,
              window_fixture_setup, test_shortcuts_documented, window_fixture_teardown);

  result = g_test_run ();
  remove_tree (state);
  return result;
}
