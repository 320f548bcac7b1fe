/* test-provision-ui.c — Test Connection and Provision, pressed in the window
 *
 * A real ProvWindow whose target is the in-process SAP Jam of tests/server
 * and whose source is a CSV file, with its secrets in a real keyring
 * (with-keyring.sh). The tests press the window's actions and read what
 * a person reads: Test Connection's banner, the sidebar's status icon, the
 * plan (also of selected users) and the summary of the Provision dialog.
 * History, the Users window's keyboard and the shortcuts window are in
 * test-secondary-windows.c.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "prov-connection-banner.h"
#include "prov-demo.h"
#include "prov-history-dialog.h"
#include "prov-http-client.h"
#include "prov-provision-dialog.h"
#include "prov-provision-summary.h"
#include "prov-resources.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-target-store.h"
#include "prov-test-server.h"
#include "prov-user.h"
#include "prov-users-window.h"
#include "prov-window.h"
#include "window-fixture.h"

/* The helpers, and the fixture: a saved SAP Jam target on the in-process
 * peer, its secret in the keyring, a CSV source, the window open on it. */
typedef WindowFixture Fixture;

/* Test Connection */

#define SUCCESS_SENTENCE "Connection to the selected target system was established successfully."

static ProvConnectionBanner *
banner_of (Fixture *f)
{
  return PROV_CONNECTION_BANNER (find (GTK_WIDGET (f->window), is_type,
                                       GSIZE_TO_POINTER (PROV_TYPE_CONNECTION_BANNER)));
}

static gboolean
is_shown_button_described (GtkWidget     *widget,
                           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* The banner's button a person sees with this tooltip (Dismiss), or its
 * labelled button (Cancel). */
static GtkWidget *
banner_button (Fixture    *f,
               const char *name)
{
  GtkWidget *banner = GTK_WIDGET (banner_of (f));
  GtkWidget *button = find (banner, is_shown_button_described, name);

  if (button == NULL)
    {
      GtkWidget *label = find (banner, is_shown_label, name);
      if (label != NULL)
        button = gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
    }
  return button;
}

/* The result is read in the banner above the form, and the focus is on
 * its Dismiss button, so that a screen reader says it. */
static void
assert_result_shown (Fixture    *f,
                     const char *sentence)
{
  GtkWidget *dismiss;

  WAIT_FOR (find (GTK_WIDGET (banner_of (f)), is_shown_label_containing, sentence) != NULL,
            sentence);
  dismiss = banner_button (f, "Dismiss");
  g_assert_nonnull (dismiss);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (f->window)) == dismiss);
}

static void
test_connection_success (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *icon;
  GtkWidget *focus;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  assert_result_shown (f, SUCCESS_SENTENCE);
  g_assert_cmpint (prov_connection_banner_get_state (banner_of (f)), ==, PROV_CONNECTION_BANNER_SUCCESS);
  /* Not a toast that a narrow window cuts short and that goes away. */
  g_assert_null (find (GTK_WIDGET (f->window), is_toast_titled, SUCCESS_SENTENCE));

  /* The sidebar says so too, with the time in the tooltip. */
  row = find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW));
  icon = find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));
  g_assert_true (gtk_widget_get_mapped (icon));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "emblem-ok-symbolic");
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (icon), "Connection tested successfully at "));
  /* An outcome kept from another day (read back at a start) says its date. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) before = g_date_time_add_days (now, -2);
    g_autofree char *year = g_date_time_format (before, " %Y, ");

    prov_target_system_restore_connection_status (f->target, PROV_CONNECTION_STATUS_FAILED, "It was down.", before);
    g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "dialog-warning-symbolic");
    g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (icon), "Connection test failed on "));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), year));
    g_assert_true (g_str_has_suffix (gtk_widget_get_tooltip_text (icon), ": It was down."));
    prov_target_system_set_connection_status (f->target, PROV_CONNECTION_STATUS_OK, SUCCESS_SENTENCE);
  }

  /* It did prove read access to the users. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users"), ==, 1);

  /* Dismiss puts it away; the focus stays in the window. */
  g_signal_emit_by_name (banner_button (f, "Dismiss"), "clicked");
  g_assert_cmpint (prov_connection_banner_get_state (banner_of (f)), ==, PROV_CONNECTION_BANNER_HIDDEN);
  focus = gtk_window_get_focus (GTK_WINDOW (f->window));
  g_assert_nonnull (focus);
  g_assert_false (gtk_widget_is_ancestor (focus, GTK_WIDGET (banner_of (f))));
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *icon;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  assert_result_shown (f, "refused the connection");
  g_assert_cmpint (prov_connection_banner_get_state (banner_of (f)), ==, PROV_CONNECTION_BANNER_FAILURE);

  row = find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW));
  icon = find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "dialog-warning-symbolic");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), "refused the connection"));
}

/* Test All Connections (Ctrl+Shift+T): every target at once, each row's
 * icon with its outcome, a toast that sums up; a second target without a
 * secret fails with its own reason and asks no server. */
static void
test_connection_all (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ProvTargetSystem) second = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  const char *toast = "1 of 2 target systems could not connect; the list shows why";
  GtkWidget *icons[2] = { NULL, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  prov_target_system_set_display_name (second, "Jam Without Secret");
  prov_target_system_set_url (second, prov_test_server_get_base_url (f->server));
  prov_target_system_set_text (second, PROV_FIELD_CLIENT_ID, "jam-client");
  prov_target_store_append (f->store, second);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_shown_label, "Jam Without Secret") != NULL, "the second row");

  g_assert_true (press_shortcut (GTK_WIDGET (f->window), "<Control><Shift>t"));
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, toast) != NULL, toast);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users"), ==, 1);

  collect_widgets (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW), rows);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    icons[i] = find (g_ptr_array_index (rows, i), is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icons[0])), ==, "emblem-ok-symbolic");
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icons[1])), ==, "dialog-warning-symbolic");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icons[1]), "no Client Secret saved"));

  /* Not twice at once: the action is off until the last one ended. */
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, toast) == NULL, "the toast to time out");
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_DELAY, 1000, 1);
  g_assert_true (press_shortcut (GTK_WIDGET (f->window), "<Control><Shift>t"));
  WAIT_FOR (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users") == 2,
            "the second Test All's request");
  g_assert_false (press_shortcut (GTK_WIDGET (f->window), "<Control><Shift>t"));
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, toast) != NULL, "the second Test All's toast");
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users"), ==, 2);
}

/* Test succeeds, the server stops, test again: only the failure shows.
 * While a test runs, the banner shows it with Cancel, and nothing older. */
static void
test_connection_replaces (Fixture       *f,
                          gconstpointer  data)
{
  ProvConnectionBanner *banner;
  GtkWidget *cancel;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  assert_result_shown (f, SUCCESS_SENTENCE);
  banner = banner_of (f);

  /* A slow test: spinner and Cancel; the last result is gone. */
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_DELAY, 60000, 0);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  WAIT_FOR (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users") >= 2, "the second test's request");
  g_assert_cmpint (prov_connection_banner_get_state (banner), ==, PROV_CONNECTION_BANNER_TESTING);
  g_assert_null (find (GTK_WIDGET (f->window), is_shown_label_containing, SUCCESS_SENTENCE));
  g_assert_nonnull (find (GTK_WIDGET (banner), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPINNER)));
  cancel = banner_button (f, "Cancel");
  g_assert_nonnull (cancel);
  g_assert_true (gtk_widget_is_sensitive (cancel));

  /* Its Cancel stops the test. */
  g_signal_emit_by_name (cancel, "clicked");
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, "Connection test cancelled") != NULL,
            "the cancelled toast");
  g_assert_cmpint (prov_connection_banner_get_state (banner), ==, PROV_CONNECTION_BANNER_HIDDEN);

  /* The server stops; the next test says so, and only that. */
  prov_test_server_clear_faults (f->server);
  g_clear_object (&f->server);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  WAIT_FOR (prov_connection_banner_get_state (banner) == PROV_CONNECTION_BANNER_FAILURE, "the failure");
  assert_result_shown (f, prov_connection_banner_get_text (banner));
  g_assert_null (find (GTK_WIDGET (f->window), is_shown_label_containing, SUCCESS_SENTENCE));
  g_assert_null (find (GTK_WIDGET (f->window), is_toast_titled, SUCCESS_SENTENCE));
}

/* Provision */

/* A shown row whose subtitle contains @data. */
static gboolean
is_shown_row_subtitled (GtkWidget     *widget,
                        gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), data) != NULL;
}

static void
test_provision_all (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("%u users provisioned", N_USERS - N_INACTIVE);
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  GtkWidget *dialog;

  provision_to_summary (f, creates);
  dialog = provision_dialog ();

  /* SAP's words, and the users really are there. */
  g_assert_nonnull (find (dialog, is_shown_label, expected));
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, N_USERS - N_INACTIVE);

  /* Again, with nothing changed: nothing to do, nothing to press. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (provision_dialog () == NULL, "the dialog to close");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the second Provision dialog");
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the second plan");
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "0");
  g_assert_nonnull (find (dialog, is_shown_label_containing, "Nothing to do"));
  /* The inactive users, unchanged and not on the target: said why. */
  {
    g_autofree char *note = g_strdup_printf ("%u users are inactive in the source and not on the target",
                                             N_INACTIVE);
    g_assert_nonnull (find (dialog, is_shown_row_subtitled, note));
  }
  g_assert_false (gtk_widget_is_sensitive (find (dialog, is_shown_label, "Provision")));
}

static void
test_provision_failures (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  GtkWidget *dialog;

  /* The target refuses every create, for good: each user fails with the
   * reason, and Retry Failed is offered. */
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_STATUS, 403, 0);
  provision_to_summary (f, creates);
  dialog = provision_dialog ();

  g_assert_nonnull (find (dialog, is_shown_label, "0 users provisioned"));
  g_assert_nonnull (find (dialog, is_shown_label_containing, "could not be provisioned"));
  /* One reason for all: said once, for the target, not once per user. */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    g_autofree char *all = g_strdup_printf ("All %s users: ", creates);

    collect_widgets (dialog, is_shown_row_subtitled, "HTTP 403", rows);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), all));
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Jam Test");
  }

  /* The target mends; Retry Failed provisions them all. */
  prov_test_server_clear_faults (f->server);
  gtk_widget_activate_action (dialog, "provision.retry", NULL);
  {
    g_autofree char *expected = g_strdup_printf ("%u users provisioned", N_USERS - N_INACTIVE);
    WAIT_FOR (find (dialog, is_shown_label, expected) != NULL, "the summary after Retry Failed");
  }
}

/* The summary page: what the run did, not only a heading */

static GtkWidget *
summary_of (GtkWidget *dialog)
{
  GtkWidget *summary = find (dialog, is_type, GSIZE_TO_POINTER (PROV_TYPE_PROVISION_SUMMARY));

  g_assert_nonnull (summary);
  g_assert_true (gtk_widget_get_mapped (summary));
  return summary;
}

static void
count_is (GtkWidget  *summary,
          const char *title,
          guint       count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);
  g_assert_cmpstr (plan_count (summary, title), ==, text);
}

/* Created, updated, deactivated, unchanged and failed, how long it took,
 * and History one press away. */
static void
test_summary_counts (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  GtkWidget *dialog;
  GtkWidget *summary;
  GtkWidget *history;
  GtkWidget *button;

  provision_to_summary (f, creates);
  summary = summary_of (provision_dialog ());
  count_is (summary, "Created", N_USERS - N_INACTIVE);
  count_is (summary, "Updated", 0);
  count_is (summary, "Deactivated", 0);
  /* As the plan counts them: the inactive users nobody needs to create,
   * and said why they are not there. */
  count_is (summary, "Unchanged", N_INACTIVE);
  {
    g_autofree char *note = g_strdup_printf ("%u users are inactive in the source and not on the target",
                                             N_INACTIVE);
    g_assert_nonnull (find (summary, is_shown_row_subtitled, note));
  }
  count_is (summary, "Failed", 0);
  g_assert_nonnull (find (summary, is_shown_label_containing, "Took "));
  g_assert_null (find (summary, is_shown_label_containing, "could not be provisioned"));
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));
  WAIT_FOR (provision_dialog () == NULL, "the dialog to close");

  /* One user changed, one left: one update, one deactivation. */
  write_users (prov_source_get_csv_path (f->source), N_USERS, 5, 7);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the second Provision dialog");
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the second plan");
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the second summary");
  summary = summary_of (dialog);
  g_assert_nonnull (find (summary, is_shown_label, "2 users provisioned"));
  count_is (summary, "Created", 0);
  count_is (summary, "Updated", 1);
  count_is (summary, "Deactivated", 1);
  count_is (summary, "Unchanged", N_USERS - 2);
  count_is (summary, "Failed", 0);

  /* Show History opens the target's History, this run on top. */
  button = gtk_widget_get_ancestor (find (summary, is_shown_label, "Show History"), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  WAIT_FOR ((history = toplevel_of_type (PROV_TYPE_HISTORY_DIALOG)) != NULL, "the History");
  WAIT_FOR (find (history, is_shown_row_subtitled, "2 users provisioned") != NULL, "the run in the History");
}

/* Many failures for different reasons: the first 20 by name with their
 * reason, then a count. */
static void
test_summary_many_failures (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) refused = g_ptr_array_new ();
  g_autoptr(GPtrArray) broken = g_ptr_array_new ();
  GtkWidget *summary;

  write_users (prov_source_get_csv_path (f->source), 40, G_MAXUINT, G_MAXUINT);
  /* The oldest fault wins: 10 refused, then every other one broken. */
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_STATUS, 403, 10);
  prov_test_server_inject_fault (f->server, "/api/v1/scim/Users", PROV_TEST_FAULT_STATUS, 500, 0);
  provision_to_summary (f, "38");
  summary = summary_of (provision_dialog ());

  g_assert_nonnull (find (summary, is_shown_label, "0 users provisioned"));
  g_assert_nonnull (find (summary, is_shown_label, "38 users could not be provisioned:"));
  count_is (summary, "Failed", 38);
  collect_widgets (summary, is_shown_row_subtitled, "HTTP 403", refused);
  collect_widgets (summary, is_shown_row_subtitled, "HTTP 500", broken);
  g_assert_cmpuint (refused->len + broken->len, ==, PROV_PROVISION_SUMMARY_MAX_FAILURES);
  g_assert_cmpuint (refused->len, >, 0);
  g_assert_cmpuint (broken->len, >, 0);
  g_assert_nonnull (find (summary, is_action_row_titled, "and 18 more"));
}

/* Users: "selected users to all target systems" */

static guint
users_listed (GtkWidget *users)
{
  GtkWidget *list = find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list))));
}

static void
test_users_selected (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *users;
  GtkWidget *entry;
  GtkWidget *dialog;
  GtkListView *list;
  GtkSelectionModel *selection;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.users", NULL);
  WAIT_FOR ((users = toplevel_of_type (PROV_TYPE_USERS_WINDOW)) != NULL, "the Users window");
  WAIT_FOR (users_listed (users) == N_USERS, "every user of the source listed");
  list = GTK_LIST_VIEW (find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW)));
  selection = gtk_list_view_get_model (list);

  /* Search by email; tick the one found: Provision Users goes straight to
   * a plan about that user, not about the whole source. */
  entry = find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "user05@EXAMPLE");
  WAIT_FOR (users_listed (users) == 1, "one user found by email");
  gtk_selection_model_select_all (selection);
  gtk_widget_activate_action (users, "users.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  g_assert_null (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");
  g_assert_nonnull (find (dialog, is_shown_label, "1 selected user"));
  g_assert_null (find (dialog, is_shown_label_containing, "in the source"));
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "1");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (provision_dialog () == NULL, "the plan to close");
  gtk_selection_model_unselect_all (selection);

  /* By login name: two users, both picked, run for every target. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "user1");
  WAIT_FOR (users_listed (users) == 2, "user10 and user11 found by login name");
  gtk_selection_model_select_all (selection);
  gtk_widget_activate_action (users, "users.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  g_assert_null (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");
  g_assert_nonnull (find (dialog, is_shown_label, "2 selected users"));
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "2");
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
  g_assert_nonnull (find (dialog, is_shown_label, "2 users provisioned"));

  /* Only those two: nobody else was touched. */
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 2);
  g_assert_nonnull (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user10"));
  g_assert_nonnull (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user11"));
}

/* Selected users past the target's safety threshold: no question before
 * the plan, but the plan's own confirmation still stands. */
static void
test_users_selected_threshold (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  GtkWidget *users;
  GtkWidget *entry;
  GtkWidget *dialog;
  GtkSelectionModel *selection;

  provision_to_summary (f, creates);
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));
  WAIT_FOR (provision_dialog () == NULL, "the dialog to close");

  /* Any deactivation is past this target's threshold. */
  prov_target_system_set_threshold_users (f->target, 0);
  prov_target_system_set_threshold_percent (f->target, 0);
  write_users (prov_source_get_csv_path (f->source), N_USERS, G_MAXUINT, 10);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.users", NULL);
  WAIT_FOR ((users = toplevel_of_type (PROV_TYPE_USERS_WINDOW)) != NULL, "the Users window");
  WAIT_FOR (users_listed (users) == N_USERS, "every user of the source listed");
  entry = find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "user10");
  WAIT_FOR (users_listed (users) == 1, "user10 found");
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW))));
  gtk_selection_model_select_all (selection);
  gtk_widget_activate_action (users, "users.provision", NULL);

  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  g_assert_null (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");
  g_assert_nonnull (find (dialog, is_shown_label, "1 selected user"));
  g_assert_cmpstr (plan_count (dialog, "Deactivate"), ==, "1");
  g_assert_nonnull (find (dialog, is_action_row_titled, "Yes, deactivate or delete 1 user in Jam Test"));
  g_assert_false (gtk_widget_is_sensitive (find (dialog, is_shown_label, "Provision")));
}

/* The demo, as `provisioner --demo` sets it up: its service, its 500 users
 * and its target. Provision reads exactly SAP's summary. */

static void
demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProvDemo **demo = user_data;
  g_autoptr(GError) error = NULL;

  *demo = prov_demo_start_finish (result, &error);
  g_assert_no_error (error);
}

/* The fields of one line of a CSV file (RFC 4180, no line breaks inside
 * a field, as in the demo file). Written here, apart from the reader under
 * test, so that the expected count does not come from the code it checks. */
static GStrv
split_csv_line (const char *line)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && !quoted)
        {
          g_strv_builder_add (fields, field->str);
          g_string_truncate (field, 0);
        }
      else if (*p != '\r')
        g_string_append_c (field, *p);
    }
  g_strv_builder_add (fields, field->str);
  return g_strv_builder_end (fields);
}

/* Rows of data/demo-users.csv whose "active" column is TRUE. */
static guint
count_active_demo_users (void)
{
  g_autofree char *path = prov_demo_dup_users_path ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  guint column = G_MAXUINT;
  guint rows = 0;
  guint active = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  header = split_csv_line (lines[0]);
  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], "active"))
      column = i;
  g_assert_cmpuint (column, !=, G_MAXUINT);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (*lines[i] == '\0')
        continue;
      fields = split_csv_line (lines[i]);
      g_assert_cmpuint (g_strv_length (fields), ==, g_strv_length (header));
      rows++;
      if (g_str_equal (fields[column], "TRUE"))
        active++;
    }
  g_assert_cmpuint (rows, ==, 500);
  g_assert_cmpuint (active, >, 0);
  g_assert_cmpuint (active, <, rows);
  return active;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* Real-time provisioning: turned on in the editor for a target that has
 * received nobody yet, it first shows what it pushes at once. */

static GtkSwitch *
real_time_switch (Fixture *f)
{
  GtkWidget *row = find (GTK_WIDGET (f->window), is_action_row_titled, "Real-Time Provisioning");

  g_assert_nonnull (row);
  return GTK_SWITCH (find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH)));
}

/* What the next start would read from the configuration file (the
 * fixture's target is in it once the window saved it). */
static gboolean
real_time_in_file (Fixture *f)
{
  g_autoptr(ProvTargetStore) again = prov_target_store_new (NULL);
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *saved;

  g_assert_true (prov_target_store_load (again, &error));
  saved = prov_target_store_find_by_uuid (again, prov_target_system_get_uuid (f->target), NULL);
  return saved != NULL && prov_target_system_get_real_time (saved);
}

static AdwMessageDialog *
wait_real_time_question (void)
{
  GtkWidget *question;

  WAIT_FOR ((question = toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL, "the real-time question");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==,
                   "Turn On Real-Time Provisioning?");
  return ADW_MESSAGE_DIALOG (question);
}

static void
answer (AdwMessageDialog *question,
        const char       *response)
{
  adw_message_dialog_response (question, response);
  gtk_window_destroy (GTK_WINDOW (question));
  WAIT_FOR (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) == NULL, "the question to close");
}

static gboolean
is_save_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Save") == 0;
}

/* Save can be pressed again (nothing is being saved or asked). */
static gboolean
save_enabled (Fixture *f)
{
  GtkWidget *save = find (GTK_WIDGET (f->window), is_save_button, NULL);

  return save != NULL && gtk_widget_is_sensitive (save);
}

static void
edit_real_time (Fixture  *f,
                gboolean  on)
{
  ProvTargetEditor *editor = PROV_TARGET_EDITOR (find (GTK_WIDGET (f->window), is_type,
                                                       GSIZE_TO_POINTER (PROV_TYPE_TARGET_EDITOR)));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit", NULL);
  WAIT_FOR (prov_target_editor_get_editable (editor), "edit mode");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))));
  /* As a click on the row does. */
  adw_action_row_activate (ADW_ACTION_ROW (find (GTK_WIDGET (f->window), is_action_row_titled, "Real-Time Provisioning")));
  /* The switch moves once its slide ends. */
  WAIT_FOR (gtk_switch_get_active (real_time_switch (f)) == on, "the switch to move");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL);
}

static void
test_real_time_asks_first (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u users to create", N_USERS - N_INACTIVE);
  AdwMessageDialog *question;

  /* Off for an existing target, and not to be changed outside an edit. */
  g_assert_false (gtk_switch_get_active (real_time_switch (f)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))));

  /* On: the plan of a first run, and Cancel saves nothing. */
  edit_real_time (f, TRUE);
  question = wait_real_time_question ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), creates));
  answer (question, "cancel");
  WAIT_FOR (save_enabled (f), "Save to be pressed again");
  g_assert_true (gtk_switch_get_active (real_time_switch (f)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))));
  g_assert_false (real_time_in_file (f));

  /* Save With Real-Time Off saves the rest, with the switch off. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL);
  answer (wait_real_time_question (), "off");
  WAIT_FOR (!gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))), "the target saved");
  g_assert_false (gtk_switch_get_active (real_time_switch (f)));
  g_assert_false (real_time_in_file (f));

  /* Turn On saves it on. */
  edit_real_time (f, TRUE);
  answer (wait_real_time_question (), "on");
  WAIT_FOR (!gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))), "the target saved");
  g_assert_true (gtk_switch_get_active (real_time_switch (f)));
  g_assert_true (real_time_in_file (f));

  /* Off needs no question; neither does on for a target provisioned once. */
  edit_real_time (f, FALSE);
  WAIT_FOR (!gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))), "the target saved");
  g_assert_false (real_time_in_file (f));
  provision_to_summary (f, "10");
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));
  WAIT_FOR (provision_dialog () == NULL, "the Provision dialog to close");
  edit_real_time (f, TRUE);
  WAIT_FOR (!gtk_widget_is_sensitive (GTK_WIDGET (real_time_switch (f))), "the target saved");
  g_assert_null (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (real_time_in_file (f));
}

static void
test_provision_demo (void)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new (NULL);
  g_autoptr(ProvSecretStore) secrets = prov_secret_store_new ();
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(ProvTargetService) service = prov_target_service_new (store, secrets, client, source, NULL);
  g_autoptr(ProvDemo) demo = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *creates = NULL;
  ProvWindow *window;
  GtkWidget *dialog;
  GtkListView *list;
  guint active = count_active_demo_users ();
  GtkWidget *progress;
  guint n_redraws = 0;
  guint n_frames = 0;
  gint64 started;
  gint64 tenths;

  prov_demo_start_async (service, NULL, demo_started_cb, &demo);
  WAIT_FOR (demo != NULL, "the demo service");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  window = g_object_new (PROV_TYPE_WINDOW, "service", service, NULL);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  list = GTK_LIST_VIEW (find (GTK_WIDGET (window), is_sidebar_list, NULL));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list)), 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.provision", NULL);
  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");
  creates = g_strdup_printf ("%u", active);
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, creates);

  /* Hundreds of users a second: the progress is redrawn once a frame and
   * ten times a second at most, not once a user. */
  progress = find (dialog, is_type, GSIZE_TO_POINTER (GTK_TYPE_PROGRESS_BAR));
  g_signal_connect_swapped (progress, "notify::fraction", G_CALLBACK (count_cb), &n_redraws);
  g_signal_connect_swapped (gtk_widget_get_frame_clock (dialog), "update", G_CALLBACK (count_cb), &n_frames);

  started = g_get_monotonic_time ();
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
  tenths = (g_get_monotonic_time () - started) / (G_USEC_PER_SEC / 10);
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (dialog), &n_frames);
  g_test_message ("%u progress redraws in %u frames and %" G_GINT64_FORMAT " tenths of a second for %u users",
                  n_redraws, n_frames, tenths, active);
  /* The first and the last state are drawn whatever the time. */
  g_assert_cmpuint (n_redraws, <=, n_frames + 1);
  g_assert_cmpint (n_redraws, <=, tenths + 2);
  expected = g_strdup_printf ("%u users provisioned", active);
  g_assert_nonnull (find (dialog, is_shown_label, expected));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL, "the window to go");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = window_fixture_init (&argc, &argv);
  int result;

  g_test_add ("/provision-ui/test-connection/success", Fixture, NULL,
              window_fixture_setup, test_connection_success, window_fixture_teardown);
  g_test_add ("/provision-ui/test-connection/refused", Fixture, "http://127.0.0.1:9",
              window_fixture_setup, test_connection_refused, window_fixture_teardown);
  g_test_add ("/provision-ui/test-connection/all", Fixture, NULL,
              window_fixture_setup, test_connection_all, window_fixture_teardown);
  g_test_add ("/provision-ui/test-connection/replaces-the-last-result", Fixture, NULL,
              window_fixture_setup, test_connection_replaces, window_fixture_teardown);
  g_test_add ("/provision-ui/provision/all", Fixture, NULL,
              window_fixture_setup, test_provision_all, window_fixture_teardown);
  g_test_add ("/provision-ui/provision/failures-and-retry", Fixture, NULL,
              window_fixture_setup, test_provision_failures, window_fixture_teardown);
  g_test_add ("/provision-ui/summary/counts-duration-history", Fixture, NULL,
              window_fixture_setup, test_summary_counts, window_fixture_teardown);
  g_test_add ("/provision-ui/summary/first-failures-and-more", Fixture, NULL,
              window_fixture_setup, test_summary_many_failures, window_fixture_teardown);

  g_test_add ("/provision-ui/users/selected-to-all-targets", Fixture, NULL,
              window_fixture_setup, test_users_selected, window_fixture_teardown);
  g_test_add ("/provision-ui/users/selected-past-threshold", Fixture, NULL,
              window_fixture_setup, test_users_selected_threshold, window_fixture_teardown);
  g_test_add ("/provision-ui/real-time/asks-first", Fixture, NULL,
              window_fixture_setup, test_real_time_asks_first, window_fixture_teardown);
  g_test_add_func ("/provision-ui/provision/demo", test_provision_demo);

  result = g_test_run ();
  remove_tree (state);
  return result;
}
