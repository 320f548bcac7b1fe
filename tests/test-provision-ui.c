/* test-provision-ui.c — Test Connection and Provision, pressed in the window
 *
 * A real ProvWindow whose target is the in-process SAP Jam of tests/server
 * and whose source is a CSV file, with its secrets in a real keyring
 * (with-keyring-ui.sh). The tests press the window's actions and read what
 * a person reads: the toast, the message, the sidebar's status icon, the
 * plan and the summary of the Provision dialog.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "prov-csv-reader.h"
#include "prov-demo.h"
#include "prov-history-dialog.h"
#include "prov-http-client.h"
#include "prov-provision-dialog.h"
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

#define WAIT_SECONDS 60
#define N_USERS 12
#define N_INACTIVE 2

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main loop until @cond holds, or fails naming @what. */
#define WAIT_FOR(cond, what) \
  G_STMT_START { \
    gint64 end_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (10, tick_cb, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > end_) \
          g_error ("timed out waiting for %s (%s)", (what), #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

typedef gboolean (*Predicate) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
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

/* The sidebar: the list of target systems (combo rows have lists too). */
static gboolean
is_sidebar_list (GtkWidget     *widget,
                 gconstpointer  data)
{
  GtkSelectionModel *model;
  g_autoptr(GObject) first = NULL;

  if (!GTK_IS_LIST_VIEW (widget))
    return FALSE;
  model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));
  if (!GTK_IS_SINGLE_SELECTION (model))
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  return PROV_IS_TARGET_SYSTEM (first);
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

/* A label a person can see, with exactly this text. */
static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

/* A label a person can see, whose text contains this. */
static gboolean
is_shown_label_containing (GtkWidget     *widget,
                           gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
is_action_row_titled (GtkWidget     *widget,
                      gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
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
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_ascii_isdigit (gtk_label_get_text (GTK_LABEL (widget))[0]);
}

/* The number shown at the end of a plan row ("Create  12"). */
static const char *
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

typedef struct
{
  char             *tmpdir;
  ProvTestServer   *server;
  ProvTargetStore  *store;
  ProvSecretStore  *secrets;
  ProvSource       *source;
  ProvHttpClient   *client;
  ProvTargetSystem *target;
  ProvWindow       *window;
} Fixture;

static void
write_users (const char *path)
{
  g_autoptr(GString) csv = g_string_new ("userName,name.givenName,name.familyName,emails[0].value,active\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_USERS; i++)
    g_string_append_printf (csv, "user%02u,Given%u,Family%u,user%02u@example.com,%s\n",
                            i, i, i, i, i < N_INACTIVE ? "FALSE" : "TRUE");
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
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

/* A saved SAP Jam target at @url, its secret in the keyring, selected. */
static void
fixture_setup (Fixture       *f,
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
  write_users (csv);
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

  f->window = g_object_new (PROV_TYPE_WINDOW,
                            "store", f->store,
                            "secrets", f->secrets,
                            "source", f->source,
                            "http-client", f->client,
                            NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  /* Select it as a click in the sidebar would. */
  list = GTK_LIST_VIEW (find (GTK_WIDGET (f->window), is_sidebar_list, NULL));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list)), 0);
  WAIT_FOR (gtk_widget_get_mapped (find (GTK_WIDGET (f->window), is_type,
                                         GSIZE_TO_POINTER (PROV_TYPE_TARGET_EDITOR))),
            "the target on screen");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
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

static GtkWidget *
provision_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PROV_IS_PROVISION_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

static const char *
stack_page (GtkWidget *dialog)
{
  GtkStack *stack = GTK_STACK (find (dialog, is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)));
  return gtk_stack_get_visible_child_name (stack);
}

/* Test Connection */

static void
test_connection_success (Fixture       *f,
                         gconstpointer  data)
{
  const char *success = "Connection to the selected target system was established successfully.";
  GtkWidget *row;
  GtkWidget *icon;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_toast_titled, success) != NULL, "the success toast");

  /* The sidebar says so too, with the time in the tooltip. */
  row = find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW));
  icon = find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));
  g_assert_true (gtk_widget_get_mapped (icon));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "emblem-ok-symbolic");
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (icon), "Connection tested successfully at "));

  /* It did prove read access to the users. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", "/api/v1/scim/Users"), ==, 1);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *icon;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.test-connection", NULL);
  WAIT_FOR (find (GTK_WIDGET (f->window), is_shown_label_containing, "refused the connection") != NULL,
            "the failure message");

  row = find (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (PROV_TYPE_TARGET_ROW));
  icon = find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_IMAGE));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "dialog-warning-symbolic");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), "refused the connection"));
}

/* Provision */

static void
run_dialog_to_summary (Fixture    *f,
                       const char *creates)
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
test_provision_all (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("%u users provisioned", N_USERS - N_INACTIVE);
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  GtkWidget *dialog;

  run_dialog_to_summary (f, creates);
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
  run_dialog_to_summary (f, creates);
  dialog = provision_dialog ();

  g_assert_nonnull (find (dialog, is_shown_label, "0 users provisioned"));
  g_assert_nonnull (find (dialog, is_shown_label_containing, "could not be provisioned"));
  g_assert_nonnull (find (dialog, is_shown_label_containing, "HTTP 403"));

  /* The target mends; Retry Failed provisions them all. */
  prov_test_server_clear_faults (f->server);
  gtk_widget_activate_action (dialog, "provision.retry", NULL);
  {
    g_autofree char *expected = g_strdup_printf ("%u users provisioned", N_USERS - N_INACTIVE);
    WAIT_FOR (find (dialog, is_shown_label, expected) != NULL, "the summary after Retry Failed");
  }
}

/* Users: "selected users to all target systems" */

static GtkWidget *
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
  AdwMessageDialog *confirm;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.users", NULL);
  WAIT_FOR ((users = toplevel_of_type (PROV_TYPE_USERS_WINDOW)) != NULL, "the Users window");
  WAIT_FOR (users_listed (users) == N_USERS, "every user of the source listed");

  /* Search by email, then by login name: the list follows. */
  entry = find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "user05@EXAMPLE");
  WAIT_FOR (users_listed (users) == 1, "one user found by email");
  gtk_editable_set_text (GTK_EDITABLE (entry), "user1");
  WAIT_FOR (users_listed (users) == 2, "user10 and user11 found by login name");

  /* Pick those two; Provision Users asks first, then runs for every target. */
  list = GTK_LIST_VIEW (find (users, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW)));
  selection = gtk_list_view_get_model (list);
  gtk_selection_model_select_all (selection);
  gtk_widget_activate_action (users, "users.provision", NULL);
  WAIT_FOR ((confirm = ADW_MESSAGE_DIALOG (toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL,
            "the confirmation");
  g_assert_nonnull (find (GTK_WIDGET (confirm), is_shown_label_containing,
                          "2 users will be provisioned to 1 target system."));
  adw_message_dialog_response (confirm, "provision");

  WAIT_FOR ((dialog = provision_dialog ()) != NULL, "the Provision dialog");
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "plan") == 0, "the plan");
  g_assert_cmpstr (plan_count (dialog, "Create"), ==, "2");
  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
  g_assert_nonnull (find (dialog, is_shown_label, "2 users provisioned"));

  /* Only those two: nobody else was touched. */
  g_assert_cmpuint (prov_test_server_get_n_users (f->server, PROV_TEST_STORE_JAM, NULL), ==, 2);
  g_assert_nonnull (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user10"));
  g_assert_nonnull (prov_test_server_find_user (f->server, PROV_TEST_STORE_JAM, NULL, "user11"));
}

/* History: the journal of the runs, per target */

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *creates = g_strdup_printf ("%u", N_USERS - N_INACTIVE);
  g_autofree char *outcome = g_strdup_printf ("%u users provisioned", N_USERS - N_INACTIVE);
  GtkWidget *history;
  GtkWidget *row;
  GtkWidget *entries;

  run_dialog_to_summary (f, creates);
  gtk_window_destroy (GTK_WINDOW (provision_dialog ()));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.history", NULL);
  WAIT_FOR ((history = toplevel_of_type (PROV_TYPE_HISTORY_DIALOG)) != NULL, "the History dialog");

  /* One run, with SAP's summary; opening it lists every user it pushed. */
  WAIT_FOR ((row = find (history, is_type, GSIZE_TO_POINTER (ADW_TYPE_ACTION_ROW))) != NULL &&
            gtk_widget_get_mapped (row), "the run");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, outcome);
  g_signal_emit_by_name (row, "activate");
  WAIT_FOR ((entries = find (history, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW))) != NULL &&
            gtk_widget_get_mapped (entries), "the users of the run");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (entries)))),
                    ==, N_USERS - N_INACTIVE);
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

static guint
count_active_demo_users (void)
{
  g_autofree char *path = prov_demo_dup_users_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint active = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  users = prov_csv_reader_read (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 500);

  for (guint i = 0; i < users->len; i++)
    if (prov_user_get_active (g_ptr_array_index (users, i)))
      active++;
  return active;
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

  gtk_widget_activate_action (dialog, "provision.start", NULL);
  WAIT_FOR (g_strcmp0 (stack_page (dialog), "done") == 0, "the summary");
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
  g_autofree char *state = NULL;

  /* The journal and the record of pushes go to a scratch state folder. */
  state = g_dir_make_tmp ("prov-test-state-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CONFIG_HOME", state, TRUE);
  g_setenv ("no_proxy", "*", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (prov_get_resource ());

  g_test_add ("/provision-ui/test-connection/success", Fixture, NULL,
              fixture_setup, test_connection_success, fixture_teardown);
  g_test_add ("/provision-ui/test-connection/refused", Fixture, "http://127.0.0.1:9",
              fixture_setup, test_connection_refused, fixture_teardown);
  g_test_add ("/provision-ui/provision/all", Fixture, NULL,
              fixture_setup, test_provision_all, fixture_teardown);
  g_test_add ("/provision-ui/provision/failures-and-retry", Fixture, NULL,
              fixture_setup, test_provision_failures, fixture_teardown);

  g_test_add ("/provision-ui/users/selected-to-all-targets", Fixture, NULL,
              fixture_setup, test_users_selected, fixture_teardown);
  g_test_add ("/provision-ui/history", Fixture, NULL,
              fixture_setup, test_history, fixture_teardown);
  g_test_add_func ("/provision-ui/provision/demo", test_provision_demo);

  return g_test_run ();
}
