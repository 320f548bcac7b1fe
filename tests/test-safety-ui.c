/* test-safety-ui.c — the window's safety promises, pressed by a person
 *
 * A real ProvWindow whose target is the in-process SAP Jam of tests/server
 * and whose source is a CSV file, with its secrets in a real keyring
 * (with-keyring.sh): the source dialog's actions, Cancel of a running
 * Test Connection and of a running provisioning run, the threshold's
 * confirmation in delete mode, the duration estimate, and the History
 * export. Each case reads what a person reads.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "prov-connection-banner.h"
#include "prov-history-dialog.h"
#include "prov-journal.h"
#include "prov-http-client.h"
#include "prov-provision-dialog.h"
#include "prov-resources.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-source-dialog.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-target-store.h"
#include "prov-test-server.h"
#include "prov-window.h"
#include "window-fixture.h"

/* The helpers, and the fixture: a saved SAP Jam target on the in-process
 * peer, its secret in the keyring, a CSV source, the window open on it. */
typedef WindowFixture Fixture;

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
row_titled (GtkWidget  *root,
            const char *title)
{
  GtkWidget *row = find (root, is_row_titled, title);

  g_assert_nonnull (row);
  return row;
}

/* @names' users, active, as a CSV file at @path. */
static void
write_named_users (const char         *path,
                   const char * const *names)
{
  g_autoptr(GString) csv = g_string_new ("userName,name.givenName,name.familyName,emails[0].value,active\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (csv, "\"%s\",Given%u,Family%u,person%u@example.com,TRUE\n", names[i], i, i, i);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

/* Users "bulk0000" … as a CSV file, the first @n_inactive not active. */
static void
write_many_users (const char *path,
                  guint       n,
                  guint       n_inactive)
{
  g_autoptr(GString) csv = g_string_new ("userName,name.givenName,name.familyName,emails[0].value,active\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "bulk%04u,Given%u,Family%u,bulk%04u@example.com,%s\n",
                            i, i, i, i, i < n_inactive ? "FALSE" : "TRUE");
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

static GtkWidget *
open_source_dialog (Fixture *f)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.source", NULL);
  WAIT_FOR ((dialog = toplevel_of_type (PROV_TYPE_SOURCE_DIALOG)) != NULL, "the source dialog");
  WAIT_FOR (gtk_widget_get_mapped (dialog), "the source dialog on screen");
  return dialog;
}

static void
set_row_text (GtkWidget  *root,
              const char *title,
              const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row_titled (root, title)), text);
}

/* The source dialog: choose a CSV file, refuse a wrong one with the
 * reason, save a right one to source.json. */
static void
test_source_dialog_csv (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *default_path = prov_source_get_default_path ();
  g_autofree char *original = g_strdup (prov_source_get_csv_path (f->source));
  g_autofree char *other = g_build_filename (f->tmpdir, "other.csv", NULL);
  g_autofree char *twice = g_build_filename (f->tmpdir, "twice.csv", NULL);
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_autoptr(ProvSource) saved = prov_source_new ();
  g_autoptr(GError) error = NULL;
  ProvConnectionBanner *banner;
  GtkWidget *dialog;
  GtkWidget *csv_row;

  g_unlink (default_path);
  write_many_users (other, 3, 0);
  dialog = open_source_dialog (f);
  csv_row = row_titled (dialog, "CSV File");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (csv_row)), ==, original);

  /* Choose… fills in the file picked. */
  gtk_widget_activate_action (dialog, "source.choose-csv", NULL);
  answer_file_chooser (other_file);
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (csv_row)), other) == 0, "the chosen file");

  /* A relative path: the reason is shown, nothing is saved. */
  gtk_editable_set_text (GTK_EDITABLE (csv_row), "users.csv");
  gtk_widget_activate_action (dialog, "source.save", NULL);
  WAIT_FOR (find (dialog, is_shown_label_containing, "Enter the full path of the file") != NULL, "the reason");
  g_assert_true (gtk_widget_has_css_class (csv_row, "error"));
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (prov_source_get_csv_path (f->source), ==, original);
  g_assert_true (toplevel_of_type (PROV_TYPE_SOURCE_DIALOG) == dialog);

  /* A file that is not there. */
  gtk_editable_set_text (GTK_EDITABLE (csv_row), "/nonexistent/users.csv");
  gtk_widget_activate_action (dialog, "source.save", NULL);
  WAIT_FOR (find (dialog, is_shown_label_containing, "There is no such file") != NULL, "the reason");
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));

  /* Test Connection reads the file as typed; a row it cannot read is
   * said with what it costs. */
  g_file_set_contents (twice, "userName,emails[0].value,name.familyName\n"
                              "x,x@example.com,X\nx,y@example.com,Y\n", -1, &error);
  g_assert_no_error (error);
  gtk_editable_set_text (GTK_EDITABLE (csv_row), twice);
  banner = PROV_CONNECTION_BANNER (find (dialog, is_type, GSIZE_TO_POINTER (PROV_TYPE_CONNECTION_BANNER)));
  gtk_widget_activate_action (dialog, "source.test", NULL);
  WAIT_FOR (prov_connection_banner_get_state (banner) == PROV_CONNECTION_BANNER_SUCCESS, "the test");
  WAIT_FOR (find (dialog, is_shown_label_containing,
                  "1 row of the file cannot be read: until it is fixed, provisioning leaves it out and "
                  "removes nobody. Line 3: The login name “x” is already used on line 2.") != NULL,
            "the row left out, on screen");
  g_unlink (twice);

  /* The right one: saved, the dialog closes, the window says so. */
  gtk_editable_set_text (GTK_EDITABLE (csv_row), other);
  gtk_widget_activate_action (dialog, "source.save", NULL);
  WAIT_FOR (toplevel_of_type (PROV_TYPE_SOURCE_DIALOG) == NULL, "the source dialog to close");
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, "Source of users saved") != NULL, "the toast");
  g_assert_cmpstr (prov_source_get_csv_path (f->source), ==, other);
  g_assert_true (prov_source_load (saved, default_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (prov_source_get_kind (saved), ==, PROV_SOURCE_KIND_CSV);
  g_assert_cmpstr (prov_source_get_csv_path (saved), ==, other);

  /* A file that is no user export is saved, and the window says at once
   * why it cannot be used. */
  g_file_set_contents (twice, "userName,email\nx,x@example.com\n", -1, &error);
  g_assert_no_error (error);
  dialog = open_source_dialog (f);
  gtk_editable_set_text (GTK_EDITABLE (row_titled (dialog, "CSV File")), twice);
  gtk_widget_activate_action (dialog, "source.save", NULL);
  WAIT_FOR (toplevel_of_type (PROV_TYPE_SOURCE_DIALOG) == NULL, "the source dialog to close");
  WAIT_FOR (find (GTK_WIDGET (f->window), is_shown_label_containing,
                  "The file has no columns emails[0].value (mail), name.familyName (lastName).") != NULL,
            "why the saved file cannot be used, on screen");
  g_assert_cmpstr (prov_source_get_csv_path (f->source), ==, twice);
  g_unlink (twice);
  g_unlink (default_path);
}

static void
secret_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  prov_secret_store_load_target_finish (PROV_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* The source dialog with a tenant: Test Connection reads the tenant's
 * users, a wrong secret is said so, Save keeps the secret in the keyring
 * and out of source.json. */
static void
test_source_dialog_tenant (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *default_path = prov_source_get_default_path ();
  const char *success = "Connection to the source of users was established successfully";
  g_autoptr(ProvTargetService) service = NULL;
  g_autoptr(ProvTargetSystem) copy = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gboolean loaded = FALSE;
  ProvConnectionBanner *banner;
  GtkWidget *dialog;

  g_unlink (default_path);
  prov_test_server_add_client (f->server, "tenant-client", "tenant-secret-0451");
  prov_test_server_generate_source_users (f->server, 5);

  dialog = open_source_dialog (f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row_titled (dialog, "Type")), PROV_SOURCE_KIND_TENANT);
  WAIT_FOR (find (dialog, is_row_titled, "Tenant URL") != NULL, "the tenant's rows");
  set_row_text (dialog, "Tenant URL", prov_test_server_get_base_url (f->server));
  set_row_text (dialog, "Client ID", "tenant-client");
  set_row_text (dialog, "Client Secret", "wrong-secret");

  /* The result is read in the banner over the form; a new one replaces it. */
  banner = PROV_CONNECTION_BANNER (find (dialog, is_type, GSIZE_TO_POINTER (PROV_TYPE_CONNECTION_BANNER)));
  gtk_widget_activate_action (dialog, "source.test", NULL);
  WAIT_FOR (prov_connection_banner_get_state (banner) == PROV_CONNECTION_BANNER_FAILURE,
            "the reason the test failed");
  g_assert_null (strstr (prov_connection_banner_get_text (banner), success));

  set_row_text (dialog, "Client Secret", "tenant-secret-0451");
  gtk_widget_activate_action (dialog, "source.test", NULL);
  WAIT_FOR (prov_connection_banner_get_state (banner) == PROV_CONNECTION_BANNER_SUCCESS, "the success");
  g_assert_nonnull (strstr (prov_connection_banner_get_text (banner), success));
  WAIT_FOR (find (dialog, is_shown_label_containing, success) != NULL, "the sentence on screen");
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/scim/Users"), >=, 1);

  gtk_widget_activate_action (dialog, "source.save", NULL);
  WAIT_FOR (toplevel_of_type (PROV_TYPE_SOURCE_DIALOG) == NULL, "the source dialog to close");
  g_assert_cmpint (prov_source_get_kind (f->source), ==, PROV_SOURCE_KIND_TENANT);

  g_file_get_contents (default_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "tenant-client"));
  g_assert_null (strstr (contents, "tenant-secret-0451"));

  /* The secret is in the keyring, under the source's connection. */
  copy = prov_target_system_copy (prov_source_get_connection (f->source));
  prov_target_system_set_text (copy, PROV_FIELD_PASSWORD, "");
  prov_secret_store_load_target_async (f->secrets, copy, NULL, secret_loaded_cb, &loaded);
  WAIT_FOR (loaded, "the secret from the keyring");
  g_assert_cmpstr (prov_target_system_get_text (copy, PROV_FIELD_PASSWORD), ==, "tenant-secret-0451");

  /* Opened again, Test Connection pressed before the keyring answered
   * (nothing has run the main loop) waits for the saved secret instead
   * of calling it missing. */
  g_object_get (f->window, "service", &service, NULL);
  dialog = GTK_WIDGET (prov_source_dialog_new (GTK_WINDOW (f->window), service));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_activate_action (dialog, "source.test", NULL);
  banner = PROV_CONNECTION_BANNER (find (dialog, is_type, GSIZE_TO_POINTER (PROV_TYPE_CONNECTION_BANNER)));
  WAIT_FOR (prov_connection_banner_get_state (banner) != PROV_CONNECTION_BANNER_HIDDEN &&
            prov_connection_banner_get_state (banner) != PROV_CONNECTION_BANNER_TESTING,
            "the test pressed at once to end");
  g_assert_cmpint (prov_connection_banner_get_state (banner), ==, PROV_CONNECTION_BANNER_SUCCESS);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_unlink (default_path);
}

/* Cancel of a running Test Connection ends it and says so. */
static void
test_connection_cancel (Fixture       *f,
                        gconstpointer  data)
{
  const char *success = "Connection to the selected target system was established successfully.";
  GtkWidget *row;
  GtkWidget *icon;

  /* The target takes ten minutes to answer, far longer than WAIT_FOR
   * waits: a cancel that waited for the server would fail the test. */
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_DELAY, 600000, 0);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  WAIT_FOR (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users") >= 1, "the test's request");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel-test", NULL);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, "Connection test cancelled") != NULL,
            "the cancelled toast");
  g_assert_null (find (GTK_WIDGET (f->window), is_toast_titled, success));

  row = find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW));
  icon = find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));
  g_assert_true (!gtk_widget_get_mapped (icon) ||
                 g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (icon)), "emblem-ok-symbolic") != 0);

  /* It can be tested again. */
  prov_test_server_clear_faults (f->server);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_shown_label, success) != NULL, "the success sentence");
}

static GtkWidget *
open_plan (Fixture *f)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");
  return dialog;
}

static void
close_dialog (GtkWidget *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (provision_dialog () == NULL, "the dialog to close");
}

/* Cancel of a running provisioning run: the run stops, says so, and
 * writes nothing more. */
static void
test_provision_cancel (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *dialog;
  guint sent;

  write_many_users (prov_source_get_csv_path (f->source), 150, 0);
  /* Each create takes a while: the run is still going when Cancel comes. */
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_DELAY, 300, 0);
  dialog = open_plan (f);
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "150");

  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL) >= 3, "the first users");
  g_assert_cmpstr (stack_page (dialog), ==, "running");

  gtk_widget_activate_action (dialog, "provision.cancel", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
  g_assert_nonnull (find (dialog, is_shown_label_containing, "The run was cancelled"));

  /* Nothing more is sent once it says it stopped. (Requests already on
   * the wire were abandoned; the server may still finish them, and the
   * next run reconciles them.) */
  sent = prov_test_server_count_requests (f->server, "POST", "/api/v1/scim/Users");
  g_assert_cmpuint (sent, <, 150);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "POST", "/api/v1/scim/Users"), ==, sent);
}

/* A target set to delete leavers, over its threshold: the run waits for
 * the box to be ticked, and only then deletes. */
static void
test_provision_threshold_delete (Fixture       *f,
                                 gconstpointer  data)
{
  const char *csv = prov_source_get_csv_path (f->source);
  GtkWidget *dialog;
  GtkWidget *confirm_row;
  GtkWidget *check;
  GtkWidget *start_label;

  prov_target_system_set_deprovision_mode (f->target, PROV_DEPROVISION_DELETE);
  prov_target_system_set_threshold_users (f->target, 3);
  write_many_users (csv, 10, 0);
  dialog = open_plan (f);
  /* Nothing to confirm: Enter provisions (Provision has the focus). */
  start_label = find (dialog, is_shown_label, "Provision");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (dialog)) == gtk_widget_get_ancestor (start_label, GTK_TYPE_BUTTON));
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the first run");
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 10);
  close_dialog (dialog);

  /* Six of ten leave: more than 3 users and more than 5 %. */
  write_many_users (csv, 4, 0);
  dialog = open_plan (f);
  g_assert_cmpstr (plan_count (dialog, "Delete"), ==, "6");
  confirm_row = row_titled (dialog, "Yes, deactivate or delete 6 users in Jam Test");
  check = find (confirm_row, is_type, GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON));
  g_assert_nonnull (check);
  start_label = find (dialog, is_shown_label, "Provision");
  g_assert_false (gtk_widget_is_sensitive (start_label));
  /* Past the threshold, Enter first reaches the box that confirms. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (dialog)) == check);

  /* Ticked, then unticked: Provision follows the box. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (gtk_widget_is_sensitive (start_label));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_false (gtk_widget_is_sensitive (start_label));

  /* Without the tick, Provision does nothing. */
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  g_assert_cmpstr (stack_page (dialog), ==, "plan");
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 10);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the confirmed run");
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 4);
  g_assert_null (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "bulk0009"));
  g_assert_nonnull (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "bulk0003"));
}

/* More users than SAP advises for real time: the plan says how long the
 * run takes at least within the target's limits. 600 creates at SAP Jam's
 * 200 a minute: 200 at once, then two more minutes. */
static void
test_provision_estimate (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *dialog;

  write_many_users (prov_source_get_csv_path (f->source), 600, 0);
  dialog = open_plan (f);
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "600");
  g_assert_nonnull (find (dialog, is_shown_label_containing, "this run takes at least 2 minutes."));
  close_dialog (dialog);

  /* Within the real-time limit, no estimate is shown. */
  write_many_users (prov_source_get_csv_path (f->source), 500, 0);
  dialog = open_plan (f);
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "500");
  g_assert_null (find (dialog, is_shown_label_containing, "this run takes at least"));
}

/* History: Export writes the run as CSV, with names a spreadsheet would
 * run as formulas written as text. (The journal may defuse more leading
 * characters; this checks = + - @.) */
static void
test_history_export (Fixture       *f,
                     gconstpointer  data)
{
  const char * const names[] = { "=cmd", "+plus", "-minus", "@at", "plain", NULL };
  g_autofree char *path = g_build_filename (f->tmpdir, "exported.csv", NULL);
  g_autofree char *toast = g_strdup_printf ("Run exported to “%s”", path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GtkWidget *dialog;
  GtkWidget *history;
  GtkWidget *row;
  GtkWidget *entries;

  write_named_users (prov_source_get_csv_path (f->source), names);
  dialog = open_plan (f);
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "5");
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
  close_dialog (dialog);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.history", NULL);
  WAIT_FOR ((history = toplevel_of_type (PROV_TYPE_HISTORY_DIALOG)) != NULL, "the History dialog");
  WAIT_FOR ((row = find (history, is_type, GSIZE_TO_POINTER (ADW_TYPE_ACTION_ROW))) != NULL &&
            gtk_widget_get_mapped (row), "the run");
  g_signal_emit_by_name (row, "activate");
  WAIT_FOR ((entries = find (history, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW))) != NULL &&
            gtk_widget_get_mapped (entries), "the users of the run");

  g_assert_cmpint (g_chdir (f->tmpdir), ==, 0);
  gtk_widget_activate_action (history, "history.export", NULL);
  answer_file_chooser (file);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  WAIT_FOR (find (history, is_toast_titled, toast) != NULL, "the exported toast");

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", contents);
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,user,action,outcome,message");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 5 + 1);   /* and the last CRLF */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *field = g_strdup_printf (names[i][0] == 'p' ? ",\"%s\",\"create\",\"ok\"" : ",\"'%s\",\"create\",\"ok\"",
                                                names[i]);
      gboolean found = FALSE;

      for (guint l = 1; lines[l] != NULL; l++)
        found = found || strstr (lines[l], field) != NULL;
      g_assert_true (found);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The journal, the record of pushes and source.json go to a scratch
   * folder. */
  g_autofree char *state = window_fixture_init (&argc, &argv);
  int result;

#define ADD(path, func) \
  g_test_add ("/safety-ui/" path, Fixture, NULL, window_fixture_setup, func, window_fixture_teardown)

  ADD ("source-dialog/csv", test_source_dialog_csv);
  ADD ("source-dialog/tenant", test_source_dialog_tenant);
  ADD ("test-connection/cancel", test_connection_cancel);
  ADD ("provision/cancel", test_provision_cancel);
  ADD ("provision/threshold-delete", test_provision_threshold_delete);
  ADD ("provision/estimate", test_provision_estimate);
  ADD ("history/export", test_history_export);

#undef ADD

  result = g_test_run ();
  remove_tree (state);
  return result;
}
