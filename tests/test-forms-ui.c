/* test-forms-ui.c — the two forms (a target system, the source of users):
 * narrow, accessible, worded, and sharing one certificate import
 *
 * A real ProvWindow (and ProvSourceDialog) under Xvfb, with a real keyring
 * (with-keyring-ui.sh). The subtests assert what a person notices:
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
#include <glib/gstdio.h>

#include "prov-application.h"
#include "prov-http-client.h"
#include "prov-resources.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-source-dialog.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-target-service.h"
#include "prov-target-store.h"
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
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
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

  g_test_add ("/forms-ui/a11y/sidebar-row-named", Fixture, NULL,
              fixture_setup, test_a11y_sidebar_row, fixture_teardown);
  g_test_add ("/forms-ui/a11y/spin-buttons-named", Fixture, NULL,
              fixture_setup, test_a11y_spin_buttons, fixture_teardown);
  g_test_add ("/forms-ui/a11y/errors-announced", Fixture, NULL,
              fixture_setup, test_a11y_errors_announced, fixture_teardown);
  g_test_add_func ("/forms-ui/a11y/shortcuts-and-about-named", test_a11y_shortcuts_and_about);

  status = g_test_run ();
  remove_tree (state);
  return status;
}
