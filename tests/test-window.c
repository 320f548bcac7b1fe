/* test-window.c — the main window, driven the way a person drives it
 *
 * Every test builds a real ProvWindow on a targets.json in a temporary
 * directory and a real keyring (tests/with-keyring.sh), activates the
 * window's actions, types into its rows, answers its dialogs, and then
 * asserts what a person sees: toasts, sidebar rows, error marks, which
 * fields and header buttons show, the file on disk and the keyring.
 * Here: the empty window, adding each kind of target, validation, a
 * certificate, duplicate names and the Token URL. Unsaved edits are in
 * test-window-edits.c, the list (delete and Undo, search, shortcuts,
 * 10,000 targets, the window's size) in test-window-list.c; the helpers
 * in window-editor-fixture.c.
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

  /* Real-time provisioning is on for a new target; with no source of
   * users set up, Save says it cannot tell what that would push, and
   * Cancel saves nothing. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find (GTK_WIDGET (f->window), is_type,
                                                          GSIZE_TO_POINTER (GTK_TYPE_SWITCH)))));
  activate (f, "win.save");
  {
    AdwMessageDialog *question = wait_for_dialog (f, "Turn On Real-Time Provisioning?");

    g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "is not known"));
    g_assert_false (adw_message_dialog_has_response (question, "on"));
    respond (f, question, "cancel");
  }
  WAIT_FOR (header_button_shown (f, "_Save"), "the editor after Cancel");
  g_assert_false (file_lists (f, "Jam Production"));

  activate (f, "win.save");
  answer_real_time (f, "off");
  WAIT_FOR_TOAST (f, "System Jam Production configuration updated");
  g_assert_false (prov_target_system_get_real_time (listed_target (f, 0)));

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
  secret = keyring_raw_lookup (prov_target_system_get_uuid (target), PROV_FIELD_CLIENT_SECRET);
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
  answer_real_time (f, "off");
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
  password = keyring_raw_lookup (prov_target_system_get_uuid (listed_target (f, 0)), PROV_FIELD_PASSWORD);
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
  answer_real_time (f, "off");
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
  answer_real_time (f, "off");
  WAIT_FOR_TOAST (f, "Target system IPS Certificate created");
  g_assert_true (header_button_shown (f, "_Edit"));

  /* The certificate is public and in the file; its key and password are
   * secret and only in the keyring. */
  contents = file_contents (f);
  g_assert_nonnull (strstr (contents, "BEGIN CERTIFICATE"));
  g_assert_null (strstr (contents, "PRIVATE KEY"));
  g_assert_null (strstr (contents, "cert-pa55"));
  key = keyring_raw_lookup (prov_target_system_get_uuid (listed_target (f, 0)), PROV_FIELD_CERTIFICATE_KEY);
  g_assert_nonnull (key);
  g_assert_nonnull (strstr (key, "PRIVATE KEY"));
  password = keyring_raw_lookup (prov_target_system_get_uuid (listed_target (f, 0)), PROV_FIELD_CERTIFICATE_PASSWORD);
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

  /* A different name is fine; the spaces around it are not kept. */
  type_into (f, "Display Name", "  Jam Production 2 ");
  activate (f, "win.save");
  answer_real_time (f, "off");
  WAIT_FOR_TOAST (f, "System Jam Production 2 configuration updated");
  g_assert_true (names_listed (f, "Jam Production|Jam Production 2"));
  g_assert_true (file_lists (f, "Jam Production|Jam Production 2"));
  g_assert_cmpstr (field_text (f, "Display Name"), ==, "Jam Production 2");
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
  answer_real_time (f, "off");
  WAIT_FOR_TOAST (f, "System Jam Token configuration updated");
  g_assert_cmpstr (field_text (f, "Token URL"), ==, "https://auth.example.com/oauth/token");
  contents = file_contents (f);
  g_assert_nonnull (strstr (contents, "https://auth.example.com/oauth/token"));
  dismiss_toast (f, "System Jam Token configuration updated");
}

int
main (int   argc,
      char *argv[])
{
  window_editor_fixture_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/window/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("empty-state", test_empty_state);
  ADD ("add-jam", test_add_jam);
  ADD ("add-identity-provisioning", test_add_identity_provisioning);
  ADD ("validation", test_validation);
  ADD ("certificate-target", test_certificate_target);
  ADD ("duplicate-name", test_duplicate_name);
  ADD ("token-url-prefill", test_token_url_prefill);

#undef ADD

  return g_test_run ();
}
