/* test-window-list.c — the list of target systems
 *
 * Deleting one or several with Undo, searching, the shortcuts in their
 * state, 10,000 targets, and the window's size and last target kept
 * between runs (window-editor-fixture.c).
 *
 * Run under the xvfb test setup (its own X server and session bus).
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "window-editor-fixture.h"

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
    g_autofree char *secret = keyring_raw_lookup (uuids[1], PROV_FIELD_CLIENT_SECRET);
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
    g_autofree char *secret = keyring_raw_lookup (uuids[1], PROV_FIELD_CLIENT_SECRET);
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
        secret = keyring_raw_lookup (uuids[1], PROV_FIELD_CLIENT_SECRET);
      }
    while (secret != NULL && g_get_monotonic_time () < end);
    g_assert_null (secret);
  }
  {
    g_autofree char *alpha = keyring_raw_lookup (uuids[0], PROV_FIELD_CLIENT_SECRET);
    g_autofree char *gamma = keyring_raw_lookup (uuids[2], PROV_FIELD_CLIENT_SECRET);
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
    g_autofree char *secret = keyring_raw_lookup (uuids[1], PROV_FIELD_CLIENT_SECRET);
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
        t2 = keyring_raw_lookup (uuids[1], PROV_FIELD_CLIENT_SECRET);
        t4 = keyring_raw_lookup (uuids[3], PROV_FIELD_CLIENT_SECRET);
      }
    while ((t2 != NULL || t4 != NULL) && g_get_monotonic_time () < end);
    g_assert_null (t2);
    g_assert_null (t4);
  }
  {
    g_autofree char *t3 = keyring_raw_lookup (uuids[2], PROV_FIELD_CLIENT_SECRET);
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
    { "<Control>d", "win.duplicate" },
    { "<Control><Shift>t", "win.test-all" },
    { "<Control>e", "win.edit" },
    { "<Control>s", "win.save" },
    { "Escape", "win.leave-editor|win.leave-selection-mode" },
    { "Delete", "win.delete|win.delete-selected" },
    { "<Control>f", "win.search" },
    { "<Control>w", "window.close" },
  };
  static const char * const documented[] = {
    "<Primary>n", "<Primary>d", "<Primary><Shift>t", "<Primary>e", "<Primary>s", "Escape", "Delete", "<Primary>f",
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

/* Export writes the list without a secret; import adds all of a file or
 * none of it, shows the first target it added, and says that the secrets
 * are to be entered. */
static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const names[] = { "Alpha", "Beta", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  g_autofree char *exported_path = g_build_filename (f->tmpdir, "target-systems.json", NULL);
  g_autofree char *renamed_path = g_build_filename (f->tmpdir, "renamed.json", NULL);
  g_autofree char *other_path = g_build_filename (f->tmpdir, "other.json", NULL);
  g_autoptr(GFile) exported_file = g_file_new_for_path (exported_path);
  g_autoptr(GFile) renamed_file = g_file_new_for_path (renamed_path);
  g_autoptr(GFile) other_file = g_file_new_for_path (other_path);
  g_autofree char *text = NULL;
  g_autofree char *not_export = g_strdup_printf ("“%s” is not a target systems export.", other_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  GStatBuf st;

  open_window (f, 2);

  /* Export: the two, owner only, and neither secret. A save chooser
   * opens in the current folder. */
  g_assert_cmpint (g_chdir (f->tmpdir), ==, 0);
  activate (f, "win.export-targets");
  answer_file_chooser (exported_file);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  WAIT_FOR_TOAST (f, "2 target systems exported, without their secrets");
  g_assert_true (g_file_get_contents (exported_path, &text, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *secret = secret_for (names[i]);
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", names[i]);

      g_assert_nonnull (strstr (text, quoted));
      g_assert_null (strstr (text, secret));
    }
  g_assert_cmpint (g_stat (exported_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The same file again: its names are taken; nothing comes in, and the
   * reason stays on screen. */
  activate (f, "win.import-targets");
  answer_file_chooser (exported_file);
  WAIT_FOR (label_shown (f, "Nothing was imported. “Alpha”: Display Name: Another target system already has this name"),
            "why nothing was imported");
  g_assert_true (names_listed (f, "Alpha|Beta"));
  g_assert_true (file_lists (f, "Alpha|Beta"));

  /* Renamed, the file comes in whole: listed, saved, the first shown,
   * and no secret in the keyring for either. */
  {
    g_autofree char *renamed = g_strdup (text);

    g_assert_nonnull (strstr (renamed, "\"Alpha\""));
    memcpy (strstr (renamed, "\"Alpha\""), "\"Gamma", 6);
    memcpy (strstr (renamed, "\"Beta\""), "\"Dega", 5);
    g_assert_true (g_file_set_contents (renamed_path, renamed, -1, &error));
  }
  activate (f, "win.import-targets");
  answer_file_chooser (renamed_file);
  WAIT_FOR_TOAST (f, "2 target systems imported: enter their secrets, which an export never holds");
  WAIT_FOR (names_listed (f, "Alpha|Beta|Dega|Gamma") || names_listed (f, "Alpha|Beta|Gamma|Dega"),
            "the imported targets in the sidebar");
  WAIT_FOR (g_str_equal (field_text (f, "Display Name"), "Gamma"), "the first imported target shown");
  g_assert_false (label_shown (f, "Nothing was imported. “Alpha”: Display Name: Another target system already has this name"));
  WAIT_FOR (file_lists (f, "Alpha|Beta|Gamma|Dega"), "the imported targets saved");
  for (guint i = 2; i < 4; i++)
    {
      ProvTargetSystem *imported = NULL;

      for (guint p = 0; p < n_listed (f); p++)
        if (g_str_equal (prov_target_system_get_display_name (listed_target (f, p)), i == 2 ? "Gamma" : "Dega"))
          imported = listed_target (f, p);
      g_assert_nonnull (imported);
      g_assert_false (g_strv_contains ((const char * const *) uuids, prov_target_system_get_uuid (imported)));
      {
        g_autofree char *secret = keyring_raw_lookup (prov_target_system_get_uuid (imported), PROV_FIELD_CLIENT_SECRET);
        g_assert_null (secret);
      }
    }

  /* Not an export at all: said with its name; the list stays. */
  g_assert_true (g_file_set_contents (other_path, "[]", -1, &error));
  activate (f, "win.import-targets");
  answer_file_chooser (other_file);
  WAIT_FOR (label_shown (f, not_export), "that the file is not an export");
  g_assert_cmpuint (n_listed (f), ==, 4);

  /* An export that cannot be written says where and why, not the name of
   * GLib's temporary file: 250 characters are a good name, the temporary
   * one 7 longer is too long, even for root. The sentence breaks inside
   * the long path: a message that could not once folded the window to its
   * list, and nobody saw it. */
  {
    g_autofree char *long_name = g_strnfill (250, 'x');
    g_autoptr(GFile) long_file = NULL;
    g_autofree char *folder = NULL;
    g_autofree char *cannot_export = NULL;

    g_assert_cmpint (g_chdir (f->tmpdir), ==, 0);
    folder = g_get_current_dir ();
    long_file = g_file_new_build_filename (folder, long_name, NULL);
    cannot_export = g_strdup_printf ("The target systems could not be exported to “%s”: %s",
                                     g_file_peek_path (long_file), g_strerror (ENAMETOOLONG));
    activate (f, "win.export-targets");
    answer_file_chooser (long_file);
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    WAIT_FOR (label_shown (f, cannot_export), "why the export failed");
    g_assert_false (g_file_query_exists (long_file, NULL));
  }
}

/* Duplicate (Ctrl+D) opens a new target with the shown one's values and
 * secret under a free name; untouched, it goes away without a question;
 * saved, it is a target of its own with its own keyring item. */
static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  static const char * const names[] = { "Alpha", "Beta", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  g_autofree char *alpha_secret = secret_for ("Alpha");
  g_autofree char *alpha_key = NULL;
  ProvTargetSystem *copy = NULL;

  open_window (f, 2);
  select_position (f, 0);
  wait_secret_loaded (f, "Alpha");
  alpha_key = g_strdup (field_text (f, "Client Key"));

  g_assert_true (press (f, "<Control>d"));
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of the copy after Ctrl+D");
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Alpha (copy)");
  g_assert_cmpstr (field_text (f, "Client Key"), ==, alpha_key);
  g_assert_cmpstr (field_text (f, "Client Secret"), ==, alpha_secret);
  /* Nothing to duplicate while the copy is not saved. */
  g_assert_false (press (f, "<Control>d"));

  /* Left unchanged: gone, no question, nothing written. */
  g_assert_true (press (f, "Escape"));
  WAIT_FOR (!header_button_shown (f, "_Save"), "Escape to leave the untouched copy");
  assert_no_dialog (f);
  g_assert_true (names_listed (f, "Alpha|Beta"));
  g_assert_true (file_lists (f, "Alpha|Beta"));

  /* Changed and saved: a third target, the original as it was. */
  select_position (f, 0);
  wait_secret_loaded (f, "Alpha");
  activate (f, "win.duplicate");
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor of the copy");
  type_into (f, "Display Name", "Alpha Test");
  type_into (f, "Client Key", "test-key");
  g_assert_true (press (f, "<Control>s"));
  WAIT_FOR_TOAST (f, "System Alpha Test configuration updated");
  WAIT_FOR (file_lists (f, "Alpha|Beta|Alpha Test"), "the copy saved");
  for (guint p = 0; p < n_listed (f); p++)
    if (g_str_equal (prov_target_system_get_display_name (listed_target (f, p)), "Alpha Test"))
      copy = listed_target (f, p);
  g_assert_nonnull (copy);
  g_assert_false (g_strv_contains ((const char * const *) uuids, prov_target_system_get_uuid (copy)));
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_CLIENT_ID), ==, "test-key");
  {
    g_autofree char *secret = keyring_raw_lookup (prov_target_system_get_uuid (copy), PROV_FIELD_CLIENT_SECRET);
    g_autofree char *original = keyring_raw_lookup (uuids[0], PROV_FIELD_CLIENT_SECRET);

    g_assert_cmpstr (secret, ==, alpha_secret);
    g_assert_cmpstr (original, ==, alpha_secret);
  }
  select_position (f, 0);
  wait_secret_loaded (f, "Alpha");
  g_assert_cmpstr (field_text (f, "Client Key"), ==, alpha_key);
}

int
main (int   argc,
      char *argv[])
{
  window_editor_fixture_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/window/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("delete-one", test_delete_one);
  ADD ("delete-several", test_delete_several);
  ADD ("search", test_search);
  ADD ("shortcuts", test_shortcuts);
  ADD ("many-targets", test_many_targets);
  ADD ("window-state", test_window_state);
  ADD ("export-import", test_export_import);
  ADD ("duplicate", test_duplicate);

#undef ADD

  return g_test_run ();
}
