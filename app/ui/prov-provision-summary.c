/* prov-provision-summary.c — the page at the end of a provisioning run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "prov-history-dialog.h"
#include "prov-provision-summary.h"
#include "prov-ui-util.h"

#define RESOURCE_PREFIX "/io/github/provisioner/Provisioner"

struct _ProvProvisionSummary
{
  GtkWidget   parent_instance;

  GPtrArray  *targets;          /* ProvTargetSystem: whose History to show */

  GtkWidget  *box;
  GtkLabel   *heading;
  GtkLabel   *detail;
  GtkListBox *counts_list;
  GtkLabel   *failures_heading;
  GtkListBox *failures_list;
  GtkLabel   *duration_label;
  GtkBox     *history_box;
};

G_DEFINE_FINAL_TYPE (ProvProvisionSummary, prov_provision_summary, GTK_TYPE_WIDGET)

char *
prov_format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds < 60)
    return g_strdup_printf (ngettext ("%d second", "%d seconds", (gulong) seconds), (int) seconds);
  if (seconds < 2 * 3600)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", (gulong) ((seconds + 59) / 60)),
                            (int) ((seconds + 59) / 60));
  return g_strdup_printf (ngettext ("%d hour", "%d hours", (gulong) ((seconds + 3599) / 3600)),
                          (int) ((seconds + 3599) / 3600));
}

GtkWidget *
prov_count_row_new (const char *title,
                    guint       count)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = g_strdup_printf ("%u", count);
  GtkWidget *label = gtk_label_new (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
remove_all (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static GtkWidget *
add_count (ProvProvisionSummary *self,
           const char           *title,
           guint                 count)
{
  GtkWidget *row = prov_count_row_new (title, count);

  gtk_list_box_append (self->counts_list, row);
  return row;
}

static void
add_failure (ProvProvisionSummary *self,
             const char           *name,
             const char           *message)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (self->failures_list, row);
}

/* The first failures by name, then how many more; returns all of them. */
static guint
list_failures (ProvProvisionSummary *self,
               ProvRunBatch         *batch)
{
  guint listed = 0;
  guint total = 0;

  for (guint i = 0; i < prov_run_batch_get_n_runs (batch); i++)
    {
      ProvRun *run = prov_run_batch_get_run (batch, i);
      ProvEngine *engine = prov_run_get_engine (run);
      const char *error = prov_run_batch_get_run_error (batch, i);

      /* The whole run failed (journal, confirmation, the record of
       * pushes): listed under the target's name. */
      if (error != NULL && total++ < PROV_PROVISION_SUMMARY_MAX_FAILURES)
        {
          add_failure (self, prov_target_system_get_display_name (prov_run_get_target (run)), error);
          listed++;
        }

      if (engine == NULL)
        continue;

      /* One reason for every failure (the target refused the connection
       * or the credentials): said once, for the target, not per user. */
      if (prov_engine_get_shared_failure (engine) != NULL)
        {
          GPtrArray *failures = prov_engine_get_failures (engine);
          g_autofree char *text =
            /* Translators: a number of users, then why each of them failed */
            g_strdup_printf (ngettext ("All %u users: %s", "All %u users: %s", failures->len),
                             failures->len, prov_engine_get_shared_failure (engine));

          total += failures->len;
          if (listed < PROV_PROVISION_SUMMARY_MAX_FAILURES)
            {
              add_failure (self, prov_target_system_get_display_name (prov_run_get_target (run)), text);
              listed += failures->len;
            }
          continue;
        }

      for (guint f = 0; f < prov_engine_get_failures (engine)->len; f++, total++)
        if (listed < PROV_PROVISION_SUMMARY_MAX_FAILURES)
          {
            ProvFailure *failure = g_ptr_array_index (prov_engine_get_failures (engine), f);

            add_failure (self, failure->operation->user_name, failure->message);
            listed++;
          }
    }

  if (total > listed)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("and %u more", "and %u more", total - listed),
                                               total - listed);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Every failure and its reason is in the History"));
      gtk_list_box_append (self->failures_list, row);
    }
  return total;
}

static void
history_clicked_cb (GtkButton            *button,
                    ProvProvisionSummary *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "target-index"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_return_if_fail (index < self->targets->len);
  gtk_window_present (GTK_WINDOW (prov_history_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           g_ptr_array_index (self->targets, index),
                                                           NULL)));
}

/* One button per target of the run: its History has every user. */
static void
add_history_buttons (ProvProvisionSummary *self,
                     ProvRunBatch         *batch)
{
  guint n_runs = prov_run_batch_get_n_runs (batch);

  g_ptr_array_set_size (self->targets, 0);
  for (guint i = 0; i < n_runs; i++)
    {
      ProvTargetSystem *target = prov_run_get_target (prov_run_batch_get_run (batch, i));
      g_autofree char *label = NULL;
      GtkWidget *button;

      /* The run's own copy, held as long as the batch holds it; the
       * History reads only its name and id. */
      g_ptr_array_add (self->targets, g_object_ref (target));
      if (n_runs == 1)
        label = g_strdup (_("Show _History"));
      else
        /* Translators: %s is the name of a target system */
        label = g_strdup_printf (_("_History of %s"), prov_target_system_get_display_name (target));

      button = gtk_button_new_with_mnemonic (label);
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "pill");
      g_object_set_data (G_OBJECT (button), "target-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (button, "clicked", G_CALLBACK (history_clicked_cb), self, 0);
      prov_button_fix_accessible_name (GTK_BUTTON (button));
      gtk_box_append (self->history_box, button);
    }
}

void
prov_provision_summary_show (ProvProvisionSummary *self,
                             ProvRunBatch         *batch,
                             gboolean              cancelled,
                             gint64                seconds)
{
  guint succeeded;
  guint failed;
  GtkWidget *unchanged;
  ProvPlan *plan;
  g_autofree char *inactive = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *took = NULL;

  g_return_if_fail (PROV_IS_PROVISION_SUMMARY (self));
  g_return_if_fail (PROV_IS_RUN_BATCH (batch));

  remove_all (GTK_WIDGET (self->counts_list));
  remove_all (GTK_WIDGET (self->failures_list));
  remove_all (GTK_WIDGET (self->history_box));

  /* SAP's own words for the result. */
  succeeded = prov_run_batch_get_n_succeeded (batch);
  heading = g_strdup_printf (ngettext ("%u user provisioned", "%u users provisioned", succeeded), succeeded);
  gtk_label_set_text (self->heading, heading);

  gtk_label_set_text (self->detail, cancelled ? _("The run was cancelled. Users already written are complete; run again to do the rest.") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail), cancelled);

  add_count (self, _("Created"), prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_CREATE));
  add_count (self, _("Updated"), prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_UPDATE));
  add_count (self, _("Deactivated"), prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_DEACTIVATE));
  if (prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_DELETE) > 0)
    add_count (self, _("Deleted"), prov_run_batch_get_n_succeeded_for (batch, PROV_ACTION_DELETE));
  unchanged = add_count (self, _("Unchanged"), prov_run_batch_get_n_unchanged (batch));
  /* One target: why some users are not there, as its plan said (for
   * several, the same users would be counted once per target). */
  plan = prov_run_batch_get_n_runs (batch) == 1 ? prov_run_get_plan (prov_run_batch_get_run (batch, 0)) : NULL;
  if (plan != NULL && (inactive = prov_plan_dup_inactive_note (plan)) != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (unchanged), inactive);
  add_count (self, _("Failed"), prov_run_batch_get_n_failed (batch));

  failed = list_failures (self, batch);
  if (failed > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u user could not be provisioned:",
                                                         "%u users could not be provisioned:", failed), failed);
      gtk_label_set_text (self->failures_heading, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->failures_heading), failed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->failures_list), failed > 0);

  duration = prov_format_duration (seconds);
  /* Translators: %s is a duration in words, "5 seconds" */
  took = seconds < 1 ? g_strdup (_("Took less than a second")) : g_strdup_printf (_("Took %s"), duration);
  gtk_label_set_text (self->duration_label, took);

  add_history_buttons (self, batch);
}

static void
prov_provision_summary_dispose (GObject *object)
{
  ProvProvisionSummary *self = PROV_PROVISION_SUMMARY (object);

  g_clear_pointer (&self->targets, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), PROV_TYPE_PROVISION_SUMMARY);
  G_OBJECT_CLASS (prov_provision_summary_parent_class)->dispose (object);
}

static void
prov_provision_summary_class_init (ProvProvisionSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = prov_provision_summary_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-provision-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, box);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, heading);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, detail);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, counts_list);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, failures_heading);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, failures_list);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, duration_label);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionSummary, history_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
prov_provision_summary_init (ProvProvisionSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->targets = g_ptr_array_new_with_free_func (g_object_unref);
}
