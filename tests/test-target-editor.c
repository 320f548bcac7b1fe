/* test-target-editor.c — the target editor's provisioning settings
 *
 * A ProvTargetEditor in a window of its own, shown two targets one after
 * the other, as the window does when a person picks another row. The
 * settings rows (requests per minute and per hour, what happens to users
 * who leave, the safety threshold) and the fields show the target on
 * screen, change only that target, and follow changes made to it
 * elsewhere — and only while it is on screen.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "prov-target-editor.h"
#include "window-fixture.h"

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
row (GtkWidget  *editor,
     const char *title)
{
  GtkWidget *found = find (editor, is_row_titled, title);

  if (found == NULL)
    g_error ("No row titled '%s' in the editor", title);
  return found;
}

/* The spin button of the row titled @title, as a person reads it. */
static GtkSpinButton *
spin (GtkWidget  *editor,
      const char *title)
{
  GtkWidget *button = find (row (editor, title), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));

  g_assert_nonnull (button);
  return GTK_SPIN_BUTTON (button);
}

static int
spin_value (GtkWidget  *editor,
            const char *title)
{
  return gtk_spin_button_get_value_as_int (spin (editor, title));
}

/* Types a number into a shown, sensitive spin button and leaves it. */
static void
type_number (GtkWidget  *editor,
             const char *title,
             int         value)
{
  GtkSpinButton *button = spin (editor, title);
  g_autofree char *text = g_strdup_printf ("%d", value);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  gtk_editable_set_text (GTK_EDITABLE (button), text);
  gtk_spin_button_update (button);
}

/* What the drop-down titled @title shows. */
static char *
choice (GtkWidget  *editor,
        const char *title)
{
  AdwComboRow *combo = ADW_COMBO_ROW (row (editor, title));
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (gtk_expression_evaluate (adw_combo_row_get_expression (combo),
                                          adw_combo_row_get_selected_item (combo), &value));
  return g_value_dup_string (&value);
}

/* Picks the choice labelled @label, as a click in the drop-down would. */
static void
choose (GtkWidget  *editor,
        const char *title,
        const char *label)
{
  AdwComboRow *combo = ADW_COMBO_ROW (row (editor, title));
  GListModel *model = adw_combo_row_get_model (combo);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (combo)));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_true (gtk_expression_evaluate (adw_combo_row_get_expression (combo), item, &value));
      if (g_str_equal (g_value_get_string (&value), label))
        {
          adw_combo_row_set_selected (combo, i);
          return;
        }
    }
  g_error ("'%s' offers no choice '%s'", title, label);
}

#define PER_MINUTE "Requests per Minute"
#define PER_HOUR "Requests per Hour"
#define LEAVERS "Users Who Leave the Source"
#define THRESHOLD_USERS "Safety Threshold: Users"
#define THRESHOLD_PERCENT "Safety Threshold: Percent"

static void
test_settings_follow_the_target (void)
{
  g_autoptr(ProvTargetSystem) jam = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvTargetSystem) ips = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *editor = prov_target_editor_new ();
  g_autofree char *shown = NULL;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  prov_target_system_set_display_name (jam, "Jam");
  prov_target_system_set_rate_per_minute (jam, 120);
  prov_target_system_set_threshold_users (jam, 25);
  prov_target_system_set_deprovision_mode (jam, PROV_DEPROVISION_DELETE);
  prov_target_system_set_display_name (ips, "IPS");
  prov_target_system_set_rate_per_hour (ips, 5000);
  prov_target_system_set_threshold_percent (ips, 7);

  gtk_window_set_child (GTK_WINDOW (window), editor);
  gtk_window_present (GTK_WINDOW (window));
  prov_target_editor_set_editable (PROV_TARGET_EDITOR (editor), TRUE);

  /* Nothing on screen: no settings to show. */
  WAIT_FOR (gtk_widget_get_mapped (editor), "the editor on screen");
  g_assert_false (gtk_widget_get_mapped (row (editor, PER_MINUTE)));

  /* The first target's settings. */
  prov_target_editor_set_target (PROV_TARGET_EDITOR (editor), jam);
  WAIT_FOR (gtk_widget_get_mapped (row (editor, PER_MINUTE)), "the settings rows");
  g_assert_cmpint (spin_value (editor, PER_MINUTE), ==, 120);
  g_assert_cmpint (spin_value (editor, PER_HOUR), ==, 0);
  g_assert_cmpint (spin_value (editor, THRESHOLD_USERS), ==, 25);
  g_assert_cmpint (spin_value (editor, THRESHOLD_PERCENT), ==, PROV_DEFAULT_THRESHOLD_PERCENT);
  shown = choice (editor, LEAVERS);
  g_assert_cmpstr (shown, ==, "Delete");
  g_clear_pointer (&shown, g_free);

  /* What a person types lands in that target. */
  type_number (editor, PER_MINUTE, 300);
  type_number (editor, THRESHOLD_PERCENT, 12);
  choose (editor, LEAVERS, "Deactivate");
  g_assert_cmpuint (prov_target_system_get_rate_per_minute (jam), ==, 300);
  g_assert_cmpuint (prov_target_system_get_threshold_percent (jam), ==, 12);
  g_assert_cmpint (prov_target_system_get_deprovision_mode (jam), ==, PROV_DEPROVISION_DEACTIVATE);

  /* Another target: its own values, and the first one's stay. */
  prov_target_editor_set_target (PROV_TARGET_EDITOR (editor), ips);
  g_assert_cmpint (spin_value (editor, PER_MINUTE), ==, 0);
  g_assert_cmpint (spin_value (editor, PER_HOUR), ==, 5000);
  g_assert_cmpint (spin_value (editor, THRESHOLD_USERS), ==, PROV_DEFAULT_THRESHOLD_USERS);
  g_assert_cmpint (spin_value (editor, THRESHOLD_PERCENT), ==, 7);
  shown = choice (editor, LEAVERS);
  g_assert_cmpstr (shown, ==, "Deactivate");
  g_clear_pointer (&shown, g_free);

  type_number (editor, THRESHOLD_USERS, 40);
  choose (editor, LEAVERS, "Delete");
  g_assert_cmpuint (prov_target_system_get_threshold_users (ips), ==, 40);
  g_assert_cmpint (prov_target_system_get_deprovision_mode (ips), ==, PROV_DEPROVISION_DELETE);
  g_assert_cmpuint (prov_target_system_get_rate_per_minute (jam), ==, 300);
  g_assert_cmpuint (prov_target_system_get_threshold_users (jam), ==, 25);
  g_assert_cmpuint (prov_target_system_get_threshold_percent (jam), ==, 12);
  g_assert_cmpint (prov_target_system_get_deprovision_mode (jam), ==, PROV_DEPROVISION_DEACTIVATE);

  /* A change made elsewhere (a reload, Undo) shows at once; the target
   * no longer on screen is not followed. */
  prov_target_system_set_rate_per_hour (ips, 6000);
  prov_target_system_set_deprovision_mode (ips, PROV_DEPROVISION_DEACTIVATE);
  prov_target_system_set_rate_per_minute (jam, 1);
  g_assert_cmpint (spin_value (editor, PER_HOUR), ==, 6000);
  g_assert_cmpint (spin_value (editor, PER_MINUTE), ==, 0);
  shown = choice (editor, LEAVERS);
  g_assert_cmpstr (shown, ==, "Deactivate");
  prov_target_system_set_display_name (ips, "IPS renamed");
  prov_target_system_set_display_name (jam, "Jam renamed");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (editor, "Display Name"))), ==, "IPS renamed");

  /* No target: the rows go, and nothing is bound any more. */
  prov_target_editor_set_target (PROV_TARGET_EDITOR (editor), NULL);
  WAIT_FOR (!gtk_widget_get_mapped (row (editor, PER_MINUTE)), "the settings rows to go");
  gtk_spin_button_set_value (spin (editor, PER_HOUR), 1);
  g_assert_cmpuint (prov_target_system_get_rate_per_hour (ips), ==, 6000);

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL, "the window to go");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = window_fixture_init (&argc, &argv);
  int result;

  g_test_add_func ("/target-editor/settings-follow-the-target", test_settings_follow_the_target);

  result = g_test_run ();
  remove_tree (state);
  return result;
}
