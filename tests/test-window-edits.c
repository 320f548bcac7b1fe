/* test-window-edits.c — edits that would be lost
 *
 * Cancel puts the saved values back; another target, or closing the
 * window, while an edit is open asks to save, discard or go on editing
 * (window-editor-fixture.c).
 *
 * Run under the xvfb test setup (its own X server and session bus).
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "window-editor-fixture.h"

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
    g_autofree char *kept = keyring_raw_lookup (uuids[0], PROV_FIELD_CLIENT_SECRET);
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

/* Edit and Save pressed before the keyring answered (nothing ran the
 * main loop in between): the save waits for the saved secret instead of
 * calling it missing, and the secret stays as it was. */
static void
test_save_before_secrets (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const names[] = { "Jam Production", NULL };
  g_auto(GStrv) uuids = seed_targets (f, names, TRUE);
  g_autofree char *secret = secret_for ("Jam Production");

  open_window (f, 1);
  select_position (f, 0);
  activate (f, "win.edit");
  type_into (f, "Client Key", "quick-key");
  activate (f, "win.save");
  WAIT_FOR_TOAST (f, "System Jam Production configuration updated");
  WAIT_FOR (header_button_shown (f, "_Edit"), "view mode after the save");
  g_assert_cmpstr (field_text (f, "Client Key"), ==, "quick-key");
  g_assert_cmpstr (field_text (f, "Client Secret"), ==, secret);
  {
    g_autofree char *contents = file_contents (f);
    g_assert_nonnull (strstr (contents, "quick-key"));
  }
  {
    g_autofree char *kept = keyring_raw_lookup (uuids[0], PROV_FIELD_CLIENT_SECRET);
    g_assert_cmpstr (kept, ==, secret);
  }
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
    g_autofree char *secret = keyring_raw_lookup (uuids[0], PROV_FIELD_CLIENT_SECRET);
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
  /* Checked once the saved secrets are in (they may still be on their way). */
  WAIT_FOR (has_error_mark (f, "URL"), "the URL marked");
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

int
main (int   argc,
      char *argv[])
{
  window_editor_fixture_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/window/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("cancel-restores", test_cancel_restores);
  ADD ("save-before-secrets", test_save_before_secrets);
  ADD ("unsaved-switch", test_unsaved_switch);
  ADD ("close-with-unsaved-edits", test_close_with_unsaved_edits);

#undef ADD

  return g_test_run ();
}
