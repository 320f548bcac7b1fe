/* test-forms-ui.c — the two forms (a target system, the source of users):
 * narrow, accessible, worded, and sharing one certificate import
 *
 * A real ProvWindow (and ProvSourceDialog) under Xvfb, with a real keyring
 * (with-keyring.sh). The subtests assert what a person notices:
 *
 *   narrow/     at 360 px nothing is cut off and no label is ellipsized;
 *   a11y/       what a screen reader is told (names, errors announced);
 *   words/      toasts, questions and notices say the right thing;
 *   certificate-import/  both forms import a certificate the same way.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "prov-application.h"
#include "prov-client-certificate.h"
#include "prov-http-client.h"
#include "prov-resources.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-source-dialog.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-target-service.h"
#include "prov-target-store.h"
#include "prov-users-window.h"
#include "prov-ui-util.h"
#include "prov-window.h"
#include "window-fixture.h"

/* The widget finders and waits are those of window-fixture.c. */

static gboolean
is_mapped_type (GtkWidget     *widget,
                gconstpointer  data)
{
  return gtk_widget_get_mapped (widget) && is_type (widget, data);
}

/* A row a person can see, with this title. */
static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

typedef WindowFixture Fixture;

/* Every window goes, questions first (a question left open keeps its
 * window's edit state alive), then the rest, newest first. Nothing waits
 * on a person: a window that will not go fails the test, it does not
 * hang it. */
static void
destroy_all_windows (void)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) || GTK_IS_NATIVE_DIALOG (l->data) || GTK_IS_DIALOG (l->data))
      gtk_window_destroy (l->data);
  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free_full (toplevels, g_object_unref);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  window_fixture_setup (f, data);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_mapped_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_EDITOR)) != NULL,
            "the target on screen");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  destroy_all_windows ();
  WAIT_FOR (f->window == NULL, "the window to go");
  window_fixture_teardown (f, data);
}

static ProvTargetEditor *
editor_of (Fixture *f)
{
  return PROV_TARGET_EDITOR (find (GTK_WIDGET (f->window), is_type,
                                   GSIZE_TO_POINTER (PROV_TYPE_TARGET_EDITOR)));
}

/* A row with this title, shown or not yet. */
static gboolean
is_row_titled_any (GtkWidget     *widget,
                   gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

/* A toast on screen, whatever it says. */
static gboolean
is_toast_titled_any (GtkWidget     *widget,
                     gconstpointer  data)
{
  return g_str_equal (gtk_widget_get_css_name (widget), "toast") && gtk_widget_get_mapped (widget);
}

static void
type_into_any (GtkWidget  *root,
               const char *title,
               const char *text)
{
  GtkWidget *row = find (root, is_row_titled_any, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *row = find (root, is_row_titled, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static ProvSourceDialog *
open_source_dialog (Fixture *f)
{
  ProvSourceDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.source", NULL);
  WAIT_FOR ((dialog = (ProvSourceDialog *) toplevel_of_type (PROV_TYPE_SOURCE_DIALOG)) != NULL,
            "the Source of Users dialog");
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (dialog)), "the dialog on screen");
  return dialog;
}

/* Accessibility */

/* @accessible's @property is @expected; fails saying what it is. */
static void
assert_accessible_property (GtkWidget             *widget,
                            GtkAccessibleProperty  property,
                            const char            *expected)
{
  g_autofree char *problem = NULL;

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property));
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, expected);
  if (problem != NULL)
    g_error ("%s: %s", G_OBJECT_TYPE_NAME (widget), problem);
}

static void
assert_invalid (GtkWidget  *row,
                const char *reason)
{
  g_autofree char *problem =
    gtk_test_accessible_check_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                     reason != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                                    : GTK_ACCESSIBLE_INVALID_FALSE);

  if (problem != NULL)
    g_error ("the row “%s”: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), problem);
  if (reason != NULL)
    assert_accessible_property (row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason);
  else
    g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static void
test_a11y_sidebar_row (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *row = find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW));
  /* AT-SPI's list item is the list's own row around ours. */
  GtkWidget *item = gtk_widget_get_parent (row);

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_ROLE_LIST_ITEM) ||
                 gtk_test_accessible_has_role (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_ROLE_ROW));
  assert_accessible_property (item, GTK_ACCESSIBLE_PROPERTY_LABEL, "Jam Test");
  assert_accessible_property (item, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "SAP Jam");

  /* Renamed, it is announced with its new name. */
  prov_target_system_set_display_name (f->target, "Jam Renamed");
  settle (300);
  assert_accessible_property (gtk_widget_get_parent (find (GTK_WIDGET (f->window), is_type,
                                                           GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW))),
                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Jam Renamed");
}

static void
test_a11y_spin_buttons (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (editor_of (f)), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON), spins);
  g_assert_cmpuint (spins->len, ==, 4);

  for (guint i = 0; i < spins->len; i++)
    {
      GtkWidget *spin = g_ptr_array_index (spins, i);
      GtkWidget *row = gtk_widget_get_ancestor (spin, ADW_TYPE_PREFERENCES_ROW);

      /* Its row's visible title, not "GtkSpinButton". */
      assert_accessible_property (spin, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
}

static void
test_a11y_errors_announced (Fixture       *f,
                            gconstpointer  data)
{
  ProvTargetEditor *editor = editor_of (f);
  ProvSourceDialog *dialog;
  GtkWidget *url_row;
  const char *reason;

  /* The target form: a refused save marks the row for screen readers. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  url_row = prov_target_editor_get_row (editor, PROV_FIELD_URL);
  assert_invalid (url_row, NULL);

  gtk_editable_set_text (GTK_EDITABLE (url_row), "not a url");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL);
  WAIT_FOR ((reason = prov_target_editor_get_reason (editor, PROV_FIELD_URL)) != NULL, "the URL refused");
  assert_invalid (url_row, reason);

  /* Fixing it clears the mark. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://jam8.sapjam.com");
  assert_invalid (url_row, NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", NULL);
  WAIT_FOR (!prov_target_editor_get_editable (editor), "view mode");

  /* The source dialog, the same way. */
  dialog = open_source_dialog (f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (GTK_WIDGET (dialog), is_row_titled, "Type")), 0);
  type_into (GTK_WIDGET (dialog), "Tenant URL", "");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "source.save", NULL);
  url_row = find (GTK_WIDGET (dialog), is_row_titled, "Tenant URL");
  /* Save checks once the saved secrets are in (they may still be on their way). */
  WAIT_FOR (gtk_widget_has_css_class (url_row, "error"), "the Tenant URL marked");
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (url_row),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  {
    g_autofree char *problem =
      gtk_test_accessible_check_state (GTK_ACCESSIBLE (url_row), GTK_ACCESSIBLE_STATE_INVALID,
                                       GTK_ACCESSIBLE_INVALID_TRUE);
    g_assert_null (problem);
  }

  type_into (GTK_WIDGET (dialog), "Tenant URL", "https://tenant.accounts.ondemand.com");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "source.save", NULL);
  assert_invalid (url_row, NULL);
}

/* Words */

/* The toast of a save has SAP's words and, as every toast, no full stop. */
static void
test_words_toasts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) toasts = g_ptr_array_new ();
  ProvTargetEditor *editor = editor_of (f);
  g_autoptr(AdwToast) sentence = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  gtk_editable_set_text (GTK_EDITABLE (prov_target_editor_get_row (editor, PROV_FIELD_DISPLAY_NAME)), "Jam Words");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, "System Jam Words configuration updated") != NULL,
            "the toast, without a full stop");

  collect_widgets (GTK_WIDGET (f->window), is_toast_titled_any, NULL, toasts);
  for (guint i = 0; i < toasts->len; i++)
    {
      GtkWidget *label = find (g_ptr_array_index (toasts, i), is_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));
      g_assert_false (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (label)), "."));
    }

  /* A sentence from elsewhere (an error's message) loses its full stop in
   * a toast; an ellipsis stays. */
  sentence = g_object_ref_sink (prov_toast_new ("The journal could not be read."));
  g_assert_cmpstr (adw_toast_get_title (sentence), ==, "The journal could not be read");
  g_clear_object (&sentence);
  sentence = g_object_ref_sink (prov_toast_new ("Reading..."));
  g_assert_cmpstr (adw_toast_get_title (sentence), ==, "Reading...");
}

static AdwMessageDialog *
wait_for_question (const char *what)
{
  GtkWidget *dialog;

  WAIT_FOR ((dialog = toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL, what);
  return ADW_MESSAGE_DIALOG (dialog);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* Clicks @response's button, as a person would. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  GtkWidget *button = find (GTK_WIDGET (dialog), is_button_labelled,
                            adw_message_dialog_get_response_label (dialog, response));

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  /* It is destroyed once it answered: compare pointers only. */
  WAIT_FOR ((gpointer) toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) != (gpointer) dialog, "the question to close");
}

/* The unsaved-changes question says "new" only of a new target. */
static void
test_words_unsaved_question (Fixture       *f,
                             gconstpointer  data)
{
  ProvTargetEditor *editor = editor_of (f);
  AdwMessageDialog *dialog;

  /* A saved target, changed. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  gtk_editable_set_text (GTK_EDITABLE (prov_target_editor_get_row (editor, PROV_FIELD_DISPLAY_NAME)), "Jam Changed");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.leave-editor", NULL);
  dialog = wait_for_question ("the question about a saved target");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“Jam Changed” has unsaved changes"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "new"));
  answer (dialog, "discard");
  WAIT_FOR (!prov_target_editor_get_editable (editor), "the edit discarded");

  /* A new one. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "a new target in edit mode");
  gtk_editable_set_text (GTK_EDITABLE (prov_target_editor_get_row (editor, PROV_FIELD_DISPLAY_NAME)), "Jam New");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.leave-editor", NULL);
  dialog = wait_for_question ("the question about a new target");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save New Target System?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "new target system has not been saved"));
  answer (dialog, "cancel");
}

/* SAP's words for the OAuth client's ID, and that they are one idea. */
static void
test_words_client_key (Fixture       *f,
                       gconstpointer  data)
{
  ProvTargetEditor *editor = editor_of (f);
  GtkWidget *group;

  g_assert_nonnull (find (GTK_WIDGET (editor), is_row_titled, "Client Key"));
  group = gtk_widget_get_ancestor (find (GTK_WIDGET (editor), is_row_titled, "Client Key"),
                                   ADW_TYPE_PREFERENCES_GROUP);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), "Client ID"));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  prov_target_system_set_kind (prov_target_editor_get_target (editor), PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  prov_target_system_set_auth_mechanism (prov_target_editor_get_target (editor), PROV_AUTH_MECHANISM_OAUTH);
  settle (100);
  g_assert_nonnull (find (GTK_WIDGET (editor), is_row_titled, "Client ID"));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), "Client Key"));
}

static void
source_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  prov_target_service_save_source_finish (PROV_TARGET_SERVICE (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* A tenant source of @version, its secret in the keyring, saved. */
static void
save_tenant_source (Fixture        *f,
                    ProvScimVersion version)
{
  g_autoptr(ProvTargetService) service = NULL;
  g_autoptr(ProvSource) draft = NULL;
  ProvTargetSystem *connection;
  gboolean done = FALSE;

  g_object_get (f->window, "service", &service, NULL);
  draft = prov_source_copy (prov_target_service_get_source (service));
  prov_source_set_kind (draft, PROV_SOURCE_KIND_TENANT);
  connection = prov_source_get_connection (draft);
  prov_target_system_set_url (connection, "https://tenant.accounts.ondemand.com");
  prov_target_system_set_version (connection, version);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, "tenant-client");
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, "saved-secret");
  prov_target_service_save_source_async (service, draft, NULL, source_saved_cb, &done);
  WAIT_FOR (done, "the source saved");
}

/* Version 1 is retired: a source still on it is told so, and switched. */
static void
test_words_source_v1_retired (Fixture       *f,
                              gconstpointer  data)
{
  ProvSourceDialog *dialog;
  GtkWidget *version_row;

  save_tenant_source (f, PROV_SCIM_VERSION_1);
  dialog = open_source_dialog (f);
  version_row = find (GTK_WIDGET (dialog), is_row_titled, "SCIM API Version");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (version_row)), ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (version_row)), "retired"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (version_row)), "retires"));
  WAIT_FOR (find (GTK_WIDGET (dialog), is_shown_label_containing, "this source still uses it") != NULL,
            "the notice about version 1");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "source.switch-to-version-2", NULL);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (version_row)), ==, 0);
  WAIT_FOR (find (GTK_WIDGET (dialog), is_shown_label_containing, "this source still uses it") == NULL,
            "the notice gone");
}

/* The secrets arrive from the keyring after the dialog opens: they fill
 * in what is empty and never undo what the person typed meanwhile. */
static void
test_words_source_secrets_keep_edits (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(ProvTargetService) service = NULL;
  ProvSourceDialog *dialog;
  GtkWidget *secret;

  save_tenant_source (f, PROV_SCIM_VERSION_2);
  g_object_get (f->window, "service", &service, NULL);

  /* Typed before the keyring answered (nothing has run the main loop). */
  dialog = prov_source_dialog_new (GTK_WINDOW (f->window), service);
  gtk_window_present (GTK_WINDOW (dialog));
  /* It opens in its first field, where Enter saves, not on Cancel. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, find (GTK_WIDGET (dialog), is_row_titled_any, "Tenant URL")));
  }
  type_into_any (GTK_WIDGET (dialog), "Tenant URL", "https://edited.accounts.ondemand.com");
  type_into_any (GTK_WIDGET (dialog), "Client ID", "edited-client");
  secret = find (GTK_WIDGET (dialog), is_row_titled_any, "Client Secret");
  WAIT_FOR (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (secret)), "saved-secret"), "the saved secret");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), is_row_titled_any, "Tenant URL"))),
                   ==, "https://edited.accounts.ondemand.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), is_row_titled_any, "Client ID"))),
                   ==, "edited-client");
  /* A version 2 source has no notice about version 1. */
  g_assert_null (find (GTK_WIDGET (dialog), is_shown_label_containing, "this source still uses it"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A secret typed before the keyring answered stays. */
  dialog = prov_source_dialog_new (GTK_WINDOW (f->window), service);
  gtk_window_present (GTK_WINDOW (dialog));
  secret = find (GTK_WIDGET (dialog), is_row_titled_any, "Client Secret");
  gtk_editable_set_text (GTK_EDITABLE (secret), "typed-secret");
  settle (500);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, "typed-secret");
}

/* Certificate import: one helper for both forms */

/* The Import chooser: picks @path and accepts. */
static void
choose_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *chooser;

  WAIT_FOR ((chooser = toplevel_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL, "the file chooser");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Import Client Certificate");
  answer_file_chooser (file);
}

static void
generated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **pems = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_client_certificate_generate_finish (result, &pems[0], &pems[1], &error));
  g_assert_no_error (error);
}

static const char *
shown_message (GtkWidget *root)
{
  GtkWidget *revealer = find (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_REVEALER));

  /* The first revealer of each holds its error message. */
  if (revealer == NULL || !gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (find (revealer, is_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL))));
}

static void
test_certificate_import (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *good = g_build_filename (f->tmpdir, "client.pem", NULL);
  g_autofree char *bad = g_build_filename (f->tmpdir, "not-a-certificate.pem", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *description = NULL;
  g_autofree char *editor_error = NULL;
  g_autoptr(GError) error = NULL;
  char *pems[2] = { NULL, NULL };
  ProvTargetEditor *editor = editor_of (f);
  ProvTargetSystem *draft;
  ProvSourceDialog *dialog;
  GtkWidget *certificate_row;

  prov_client_certificate_generate_async ("forms-test", "P000123", NULL, generated_cb, pems);
  WAIT_FOR (pems[0] != NULL, "a certificate");
  pem = g_strconcat (pems[0], pems[1], NULL);
  g_file_set_contents (good, pem, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, "not a certificate\n", -1, &error);
  g_assert_no_error (error);
  description = prov_client_certificate_describe (pems[0]);

  /* The target form. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  draft = prov_target_editor_get_target (editor);
  prov_target_system_set_kind (draft, PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  prov_target_system_set_auth_mechanism (draft, PROV_AUTH_MECHANISM_CERTIFICATE);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.import-certificate", NULL);
  choose_file (good);
  WAIT_FOR (g_strcmp0 (prov_target_system_get_text (draft, PROV_FIELD_CLIENT_CERTIFICATE), pems[0]) == 0,
            "the certificate in the target");
  g_assert_cmpstr (prov_target_system_get_text (draft, PROV_FIELD_CERTIFICATE_KEY), ==, pems[1]);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled,
                  "Client certificate imported: save the target system to keep it") != NULL, "the toast");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (prov_target_editor_get_row (editor, PROV_FIELD_CLIENT_CERTIFICATE))),
                   ==, description);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.import-certificate", NULL);
  choose_file (bad);
  WAIT_FOR (shown_message (GTK_WIDGET (f->window)) != NULL, "the reason the file was refused");
  editor_error = g_strdup (shown_message (GTK_WIDGET (f->window)));
  g_assert_cmpstr (prov_target_system_get_text (draft, PROV_FIELD_CLIENT_CERTIFICATE), ==, pems[0]);

  /* The source dialog: the same chooser, the same import, the same words. */
  dialog = open_source_dialog (f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (GTK_WIDGET (dialog), is_row_titled, "Type")), 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (GTK_WIDGET (dialog), is_row_titled, "Authentication Mechanism")), 1);
  WAIT_FOR ((certificate_row = find (GTK_WIDGET (dialog), is_row_titled, "Client Certificate")) != NULL,
            "the certificate row");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (certificate_row)), !=, description);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "source.import-certificate", NULL);
  choose_file (bad);
  WAIT_FOR (shown_message (GTK_WIDGET (dialog)) != NULL, "the reason the file was refused");
  g_assert_cmpstr (shown_message (GTK_WIDGET (dialog)), ==, editor_error);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "source.import-certificate", NULL);
  choose_file (good);
  WAIT_FOR (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (certificate_row)), description) == 0,
            "the certificate in the source dialog");
  g_assert_null (shown_message (GTK_WIDGET (dialog)));

  g_free (pems[0]);
  g_free (pems[1]);
}

/* Narrow: 360 px, nothing cut off */

/* Where @widget is, in @window's coordinates. */
static gboolean
bounds_in (GtkWidget       *widget,
           GtkWidget       *window,
           graphene_rect_t *bounds)
{
  return gtk_widget_compute_bounds (widget, window, bounds);
}

/* Is @widget inside something that scrolls sideways, or clips on purpose
 * (a leaflet's page sliding away)? Then its overflow is not a cut. */
static gboolean
inside_horizontal_scroller (GtkWidget *widget)
{
  for (GtkWidget *a = gtk_widget_get_parent (widget); a != NULL; a = gtk_widget_get_parent (a))
    if (GTK_IS_SCROLLED_WINDOW (a))
      {
        GtkPolicyType h;

        gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (a), &h, NULL);
        if (h != GTK_POLICY_NEVER)
          return TRUE;
      }
  return FALSE;
}

static void
check_fits (GtkWidget *widget,
            GtkWidget *window,
            int        width,
            GString   *wrong)
{
  graphene_rect_t bounds;

  /* Popovers and dialogs are windows of their own; a scrollbar's parts
   * may draw outside it. */
  if (!gtk_widget_get_mapped (widget) || GTK_IS_POPOVER (widget) || GTK_IS_SCROLLBAR (widget) ||
      (GTK_IS_NATIVE (widget) && widget != window))
    return;

  if (widget != window && gtk_widget_get_width (widget) > 0 &&
      bounds_in (widget, window, &bounds) && !inside_horizontal_scroller (widget) &&
      /* A header bar's 1 px border may sit outside the window. */
      (bounds.origin.x < -1.5 || bounds.origin.x + bounds.size.width > width + 1.5))
    g_string_append_printf (wrong, "%s%s%s%s spans %.0f to %.0f; ", G_OBJECT_TYPE_NAME (widget),
                            GTK_IS_LABEL (widget) ? " “" : "",
                            GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "",
                            GTK_IS_LABEL (widget) ? "”" : "",
                            bounds.origin.x, bounds.origin.x + bounds.size.width);

  if (GTK_IS_LABEL (widget) && gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    g_string_append_printf (wrong, "“%s” is ellipsized (%d px, in a %s); ", gtk_label_get_text (GTK_LABEL (widget)),
                            gtk_widget_get_width (widget),
                            G_OBJECT_TYPE_NAME (gtk_widget_get_parent (gtk_widget_get_parent (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_fits (child, window, width, wrong);
}

/* The widgets that need more than @width, innermost named last. */
static void
why_wider (GtkWidget *widget,
           int        width,
           GString   *out,
           int        depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      if (min > width)
        {
          g_string_append_printf (out, "%*s%s %d%s%s\n", depth, "", G_OBJECT_TYPE_NAME (child), min,
                                  GTK_IS_LABEL (child) ? " " : "",
                                  GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child)) : "");
          why_wider (child, width, out, depth + 1);
        }
    }
}

/* @window, given @width, takes it (nothing needs it wider), and every
 * widget on screen is inside it and no label is cut short. */
static void
assert_fits_at (GtkWidget  *window,
                int         width,
                const char *what)
{
  g_autoptr(GString) wrong = g_string_new (NULL);

  gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), width, 640);
  /* A change of mode may take a frame or two to reach the window's size. */
  wait_for_frames (window, 2);
  while (gtk_widget_get_width (window) > width && g_get_monotonic_time () < end)
    wait_for_frames (window, 1);
  /* Then a folding leaflet's slide (250 ms) ends, on a frame drawn after it. */
  settle (400);
  wait_for_frames (window, 2);
  /* No more than asked (a client-side decoration may take a few px). */
  if (gtk_widget_get_width (window) > width)
    {
      g_autoptr(GString) why = g_string_new (NULL);

      why_wider (window, width, why, 0);
      g_test_message ("%s", why->str);
      g_error ("%s is %d px wide, not %d: %s", what, gtk_widget_get_width (window), width,
               g_strdelimit (why->str, "\n", ';'));
    }
  check_fits (window, window, gtk_widget_get_width (window), wrong);
  if (wrong->len > 0)
    g_error ("%s at %d px: %s", what, width, wrong->str);
}

static void
test_narrow_main_window (Fixture       *f,
                         gconstpointer  data)
{
  ProvTargetEditor *editor = editor_of (f);

  assert_fits_at (GTK_WIDGET (f->window), 360, "the target on view");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  assert_fits_at (GTK_WIDGET (f->window), 360, "the target in edit mode");

  /* Identity Provisioning's longer rows and values. */
  prov_target_system_set_kind (prov_target_editor_get_target (editor), PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  prov_target_system_set_auth_mechanism (prov_target_editor_get_target (editor), PROV_AUTH_MECHANISM_CERTIFICATE);
  assert_fits_at (GTK_WIDGET (f->window), 360, "an Identity Provisioning target in edit mode");
}

static void
test_narrow_users_window (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *users;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.users", NULL);
  WAIT_FOR ((users = toplevel_of_type (PROV_TYPE_USERS_WINDOW)) != NULL, "the Users window");
  WAIT_FOR (find (users, is_shown_label_containing, "user") != NULL, "the users listed");
  assert_fits_at (users, 360, "the Users window");
}

static void
test_narrow_source_dialog (Fixture       *f,
                           gconstpointer  data)
{
  ProvSourceDialog *dialog;
  int width, height;

  save_tenant_source (f, PROV_SCIM_VERSION_1);
  dialog = open_source_dialog (f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (GTK_WIDGET (dialog), is_row_titled, "Authentication Mechanism")), 1);

  /* At its own size, and at 360 px. */
  gtk_window_get_default_size (GTK_WINDOW (dialog), &width, &height);
  assert_fits_at (GTK_WIDGET (dialog), width, "the Source of Users dialog");
  assert_fits_at (GTK_WIDGET (dialog), 360, "the Source of Users dialog");
}

/* A real click (XTEST, through the test's X server) at the middle of
 * @widget. */
static void
click_for_real (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_rect_t bounds;
  double dx, dy;
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (native), &bounds));
  gtk_native_get_surface_transform (native, &dx, &dy);
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  x = g_strdup_printf ("%d", (int) (dx + bounds.origin.x + bounds.size.width / 2));
  y = g_strdup_printf ("%d", (int) (dy + bounds.origin.y + bounds.size.height / 2));
  {
    const char *argv[] = { "xdotool", "mousemove", "--window", xid, x, y, "click", "1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Folded, the list is a page: a click on a target opens it, also on the
 * one already chosen (after Back). */
static void
test_narrow_click_opens (Fixture       *f,
                         gconstpointer  data)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (ADW_TYPE_LEAFLET)));
  GtkWidget *editor = GTK_WIDGET (editor_of (f));
  GtkWidget *row;

  assert_fits_at (GTK_WIDGET (f->window), 360, "the target on view");
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  WAIT_FOR (!gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)), "the list");
  WAIT_FOR ((row = find (GTK_WIDGET (f->window), is_mapped_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW))) != NULL,
            "the target's row on screen");
  settle (400);

  click_for_real (row);
  WAIT_FOR (gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)), "the target's page after a click");
}

/* Restored at start, the last target is on view but nobody chose it yet;
 * a click on it chooses it, so that narrowed later its page shows, not
 * the list. */
static void
test_narrow_wide_click_then_narrow (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwLeaflet *leaflet;
  GtkWidget *editor;
  GtkWidget *row;

  /* A new window starts as the app does: it loads the saved list and puts
   * the last target on view. */
  g_assert_true (prov_target_store_save (f->store, &error));
  gtk_window_destroy (GTK_WINDOW (f->window));
  WAIT_FOR (f->window == NULL, "the window to go");
  window_fixture_open_window (f, 1000);
  prov_window_load_targets (f->window);
  WAIT_FOR ((editor = find (GTK_WIDGET (f->window), is_mapped_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_EDITOR))) != NULL,
            "the last target restored");
  leaflet = ADW_LEAFLET (find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (ADW_TYPE_LEAFLET)));
  WAIT_FOR (!adw_leaflet_get_folded (leaflet), "the window wide");
  g_assert_false (gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)));

  WAIT_FOR ((row = find (GTK_WIDGET (f->window), is_mapped_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW))) != NULL,
            "the target's row on screen");
  settle (400);
  click_for_real (row);
  WAIT_FOR (gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)), "the target chosen by the click");

  assert_fits_at (GTK_WIDGET (f->window), 360, "the chosen target");
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (gtk_widget_get_mapped (editor));
}

/* A notification opens the window on its target (app.open-target): on the
 * target's page, also when the window is folded and shows the list. */
static void
test_narrow_notification_opens (Fixture       *f,
                                gconstpointer  data)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (ADW_TYPE_LEAFLET)));
  GtkWidget *editor = GTK_WIDGET (editor_of (f));

  assert_fits_at (GTK_WIDGET (f->window), 360, "the target on view");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  WAIT_FOR (!gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)), "the list");

  prov_window_open_target (f->window, prov_target_system_get_uuid (f->target));
  WAIT_FOR (gtk_widget_is_ancestor (editor, adw_leaflet_get_visible_child (leaflet)), "the target's page");
}

/* Every button and text view in @root has a name a person would say:
 * its own label (not "_Save Save"), a given name, or its visible label. */
static void
assert_all_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  g_autoptr(GString) wrong = g_string_new (NULL);

  collect_widgets (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_BUTTON), widgets);
  collect_widgets (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON), widgets);
  collect_widgets (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW), widgets);

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);
      gboolean labelled = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
      GtkWidget *menu_button = gtk_widget_get_ancestor (widget, GTK_TYPE_MENU_BUTTON);

      /* A menu button's inner button is not what a screen reader meets. */
      if (GTK_IS_BUTTON (widget) && menu_button != NULL)
        continue;

      if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
        {
          if (labelled)
            g_string_append_printf (wrong, "“%s” is named twice; ", gtk_button_get_label (GTK_BUTTON (widget)));
        }
      else if (!labelled &&
               !(GTK_IS_BUTTON (widget) && gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY) &&
                 find (widget, is_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL)) != NULL))
        {
          GtkWidget *image = find (widget, is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));

          g_string_append_printf (wrong, "a %s in a %s (icon %s) has no name; ", G_OBJECT_TYPE_NAME (widget),
                                  G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)),
                                  image ? gtk_image_get_icon_name (GTK_IMAGE (image)) : "none");
        }
    }

  if (wrong->len > 0)
    g_error ("%s", wrong->str);
}

static void
test_a11y_shortcuts_and_about (void)
{
  g_autoptr(ProvApplication) app = prov_application_new ();
  g_autoptr(GError) error = NULL;
  GtkShortcutsWindow *shortcuts;
  GtkWindow *window;
  GtkWidget *about;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  WAIT_FOR ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) != NULL, "the main window");

  shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (shortcuts);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (shortcuts)), ==, "Keyboard Shortcuts");
  assert_all_named (GTK_WIDGET (shortcuts));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  WAIT_FOR ((about = toplevel_of_type (ADW_TYPE_ABOUT_WINDOW)) != NULL, "the About window");
  assert_all_named (about);

  destroy_all_windows ();
  WAIT_FOR (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL, "the windows to go");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = window_fixture_init (&argc, &argv);
  int status;

  g_test_add ("/forms-ui/narrow/main-window", Fixture, NULL,
              fixture_setup, test_narrow_main_window, fixture_teardown);
  g_test_add ("/forms-ui/narrow/folded-click-opens", Fixture, NULL,
              fixture_setup, test_narrow_click_opens, fixture_teardown);
  g_test_add ("/forms-ui/narrow/wide-click-then-narrow", Fixture, NULL,
              fixture_setup, test_narrow_wide_click_then_narrow, fixture_teardown);
  g_test_add ("/forms-ui/narrow/notification-opens", Fixture, NULL,
              fixture_setup, test_narrow_notification_opens, fixture_teardown);
  g_test_add ("/forms-ui/narrow/users-window", Fixture, NULL,
              fixture_setup, test_narrow_users_window, fixture_teardown);
  g_test_add ("/forms-ui/narrow/source-dialog", Fixture, NULL,
              fixture_setup, test_narrow_source_dialog, fixture_teardown);
  g_test_add ("/forms-ui/a11y/sidebar-row-named", Fixture, NULL,
              fixture_setup, test_a11y_sidebar_row, fixture_teardown);
  g_test_add ("/forms-ui/a11y/spin-buttons-named", Fixture, NULL,
              fixture_setup, test_a11y_spin_buttons, fixture_teardown);
  g_test_add ("/forms-ui/a11y/errors-announced", Fixture, NULL,
              fixture_setup, test_a11y_errors_announced, fixture_teardown);
  g_test_add_func ("/forms-ui/a11y/shortcuts-and-about-named", test_a11y_shortcuts_and_about);
  g_test_add ("/forms-ui/words/toasts-without-full-stop", Fixture, NULL,
              fixture_setup, test_words_toasts, fixture_teardown);
  g_test_add ("/forms-ui/words/unsaved-question", Fixture, NULL,
              fixture_setup, test_words_unsaved_question, fixture_teardown);
  g_test_add ("/forms-ui/words/client-key-is-client-id", Fixture, NULL,
              fixture_setup, test_words_client_key, fixture_teardown);
  g_test_add ("/forms-ui/words/source-v1-retired", Fixture, NULL,
              fixture_setup, test_words_source_v1_retired, fixture_teardown);
  g_test_add ("/forms-ui/words/source-secrets-keep-edits", Fixture, NULL,
              fixture_setup, test_words_source_secrets_keep_edits, fixture_teardown);
  g_test_add ("/forms-ui/certificate-import", Fixture, NULL,
              fixture_setup, test_certificate_import, fixture_teardown);

  status = g_test_run ();
  remove_tree (state);
  return status;
}
