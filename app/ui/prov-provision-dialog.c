/* prov-provision-dialog.c — plan, run and summary of a provisioning run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-provision-dialog.h"
#include "prov-provision-summary.h"
#include "prov-ui-util.h"

/* How often a run's progress is redrawn. */
#define PROGRESS_INTERVAL_MS 100

struct _ProvProvisionDialog
{
  AdwWindow       parent_instance;

  ProvRunBatch   *batch;
  GCancellable   *cancellable;
  gboolean        running;
  guint           total;         /* operations of all runs */
  guint           failed;
  gboolean        cancelled;
  gint64          opened;        /* monotonic µs, for the debug log */
  gint64          started;       /* monotonic µs */
  guint           progress_due;  /* the next redraw of the progress… */
  guint           progress_tick; /* …on the frame after it is due */

  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkSpinner         *preparing_spinner;
  AdwPreferencesPage *plan_page;
  GtkProgressBar     *progress_bar;
  GtkLabel           *progress_label;
  ProvProvisionSummary *summary;
  GtkWidget          *cancel_button;
  GtkWidget          *start_button;
  GtkWidget          *retry_button;
};

G_DEFINE_FINAL_TYPE (ProvProvisionDialog, prov_provision_dialog, ADW_TYPE_WINDOW)


static void batch_progress_cb (ProvProvisionDialog *self);
static void run_started_cb (ProvRunBatch *batch, guint index, ProvProvisionDialog *self);

static void
set_batch (ProvProvisionDialog *self,
           ProvRunBatch        *batch)
{
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_set_object (&self->batch, batch);
  g_signal_connect_object (batch, "progress", G_CALLBACK (batch_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (batch, "run-started", G_CALLBACK (run_started_cb), self, 0);
}

static void
update_actions (ProvProvisionDialog *self)
{
  gboolean has_work = self->total > 0;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* Each target over its threshold needs its own box ticked. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.start",
                                 g_strcmp0 (page, "plan") == 0 && has_work &&
                                 prov_run_batch_all_confirmed (self->batch));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.retry",
                                 g_strcmp0 (page, "done") == 0 && self->failed > 0);
  gtk_widget_set_visible (self->start_button, g_strcmp0 (page, "done") != 0);
  gtk_widget_set_visible (self->retry_button, g_strcmp0 (page, "done") == 0 && self->failed > 0);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button),
                        g_strcmp0 (page, "done") == 0 ? _("_Close") : _("_Cancel"));
  prov_button_fix_accessible_name (GTK_BUTTON (self->cancel_button));
}

/* The plan page */

static GtkWidget *
note_row (const char *text,
          const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
confirm_toggled_cb (ProvProvisionDialog *self,
                    GtkCheckButton      *check)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "run-index"));

  prov_run_batch_set_confirmed (self->batch, index, gtk_check_button_get_active (check));
  update_actions (self);
}

static void
show_plans (ProvProvisionDialog *self)
{
  const char * const *problems = prov_run_batch_get_source_problems (self->batch);
  GtkWidget *first_check = NULL;

  self->total = prov_run_batch_get_n_operations (self->batch);
  for (guint i = 0; i < prov_run_batch_get_n_runs (self->batch); i++)
    {
      ProvRun *run = prov_run_batch_get_run (self->batch, i);
      ProvTargetSystem *target = prov_run_get_target (run);
      ProvPlan *plan = prov_run_get_plan (run);
      const char *error = prov_run_batch_get_problem (self->batch, i);
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       prov_target_system_get_display_name (target));
      adw_preferences_page_add (self->plan_page, ADW_PREFERENCES_GROUP (group));

      if (error != NULL)
        {
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note_row (error, "dialog-error-symbolic"));
          continue;
        }

      {
        /* A plan about what was asked: the selection, or the source. */
        guint selected = prov_run_batch_get_n_selected (self->batch);
        guint source = prov_run_get_n_source_users (run);
        g_autofree char *description =
          selected > 0 ? g_strdup_printf (ngettext ("%u selected user", "%u selected users", selected), selected)
                       : g_strdup_printf (ngettext ("%u user in the source", "%u users in the source", source), source);
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
      }

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 prov_count_row_new (_("Create"), prov_plan_count (plan, PROV_ACTION_CREATE)));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 prov_count_row_new (_("Update"), prov_plan_count (plan, PROV_ACTION_UPDATE)));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 prov_count_row_new (_("Deactivate"), prov_plan_count (plan, PROV_ACTION_DEACTIVATE)));
      if (prov_plan_count (plan, PROV_ACTION_DELETE) > 0)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   prov_count_row_new (_("Delete"), prov_plan_count (plan, PROV_ACTION_DELETE)));
      {
        GtkWidget *unchanged = prov_count_row_new (_("Unchanged"), prov_plan_count (plan, PROV_ACTION_NONE));
        g_autofree char *inactive = prov_plan_dup_inactive_note (plan);

        if (inactive != NULL)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (unchanged), inactive);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), unchanged);
      }

      if (prov_plan_get_deprovisioning_skipped (plan))
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   note_row (_("Nobody is deactivated or deleted: the source’s list of users is not complete or is empty."),
                                             "dialog-information-symbolic"));

      for (guint p = 0; problems[p] != NULL && p < 20; p++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note_row (problems[p], "dialog-warning-symbolic"));

      if (prov_plan_needs_confirmation (plan))
        {
          guint removing = prov_plan_count (plan, PROV_ACTION_DEACTIVATE) + prov_plan_count (plan, PROV_ACTION_DELETE);
          g_autofree char *text =
            g_strdup_printf (ngettext ("Yes, deactivate or delete %u user in %s",
                                       "Yes, deactivate or delete %u users in %s", removing),
                             removing, prov_target_system_get_display_name (target));
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *check = gtk_check_button_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       _("This is more than the target’s safety threshold. Make sure the source is right before you go on."));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          gtk_widget_add_css_class (row, "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
          g_object_set_data (G_OBJECT (check), "run-index", GUINT_TO_POINTER (i));
          g_signal_connect_object (check, "toggled", G_CALLBACK (confirm_toggled_cb), self, G_CONNECT_SWAPPED);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          if (first_check == NULL)
            first_check = check;
        }


      {
        gint64 seconds = prov_engine_estimate_seconds (target, prov_plan_get_operations (plan)->len);
        if (prov_plan_get_operations (plan)->len > PROV_REAL_TIME_USER_LIMIT)
          {
            g_autofree char *duration = prov_format_duration (seconds);
            g_autofree char *text =
              g_strdup_printf (_("SAP advises real-time provisioning for up to %d users; for more, use Identity Provisioning’s batch jobs. Within this target’s rate limits this run takes at least %s."),
                               PROV_REAL_TIME_USER_LIMIT, duration);
            adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note_row (text, "dialog-information-symbolic"));
          }
      }
    }

  if (self->total == 0)
    {
      GtkWidget *group = adw_preferences_group_new ();
      adw_preferences_page_add (self->plan_page, ADW_PREFERENCES_GROUP (group));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 note_row (_("Nothing to do: every target system already has the users as they are in the source."),
                                           "emblem-ok-symbolic"));
    }

  gtk_stack_set_visible_child_name (self->stack, "plan");
  update_actions (self);

  /* Enter does what the person came for once the plan is read, as in any
   * GNOME dialog with a suggested action; past a threshold it first
   * reaches the box that confirms, and with nothing to do it closes. */
  if (first_check != NULL)
    gtk_widget_grab_focus (first_check);
  else if (self->total > 0)
    gtk_widget_grab_focus (self->start_button);
  else
    gtk_widget_grab_focus (self->cancel_button);
}

/* Preparing */

static void
plan_painted_cb (GdkFrameClock       *clock,
                 ProvProvisionDialog *self)
{
  g_signal_handlers_disconnect_by_func (clock, plan_painted_cb, self);
  g_debug ("Plan on screen %" G_GINT64_FORMAT " ms after the dialog opened",
           (g_get_monotonic_time () - self->opened) / 1000);
}

/* With G_MESSAGES_DEBUG, says when the frame showing the plan is drawn:
 * how long a person waits, without anyone polling the window for it. */
static void
log_plan_on_screen (ProvProvisionDialog *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL && !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (plan_painted_cb), self, 0);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ProvProvisionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Only cancelling fails: the dialog is going away. */
  if (!prov_run_batch_prepare_finish (PROV_RUN_BATCH (object), result, &error))
    return;

  gtk_spinner_set_spinning (self->preparing_spinner, FALSE);
  show_plans (self);
  log_plan_on_screen (self);
}

/* Running */

static void
update_progress (ProvProvisionDialog *self)
{
  ProvEngine *engine = prov_run_batch_get_current_engine (self->batch);
  guint done = self->running ? prov_run_batch_get_n_done (self->batch) : 0;
  g_autofree char *text = NULL;
  g_autofree char *fraction_text = g_strdup_printf (_("%u of %u"), done, self->total);

  gtk_progress_bar_set_fraction (self->progress_bar, self->total ? (double) done / self->total : 1.0);
  gtk_progress_bar_set_text (self->progress_bar, fraction_text);

  if (engine != NULL && prov_engine_get_rate (engine) > 0)
    {
      gint64 left = prov_engine_get_seconds_left (engine);
      g_autofree char *duration = left >= 0 ? prov_format_duration (left) : g_strdup (_("a moment"));

      /* Translators: a speed, then a duration */
      text = g_strdup_printf (_("%.1f users a second · about %s left"),
                              prov_engine_get_rate (engine), duration);
    }
  gtk_label_set_text (self->progress_label, text ? text : "");
}

static gboolean
progress_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  ProvProvisionDialog *self = PROV_PROVISION_DIALOG (widget);

  self->progress_tick = 0;
  update_progress (self);
  return G_SOURCE_REMOVE;
}

static gboolean
progress_due_cb (gpointer data)
{
  ProvProvisionDialog *self = data;

  self->progress_due = 0;
  if (self->progress_tick == 0)
    self->progress_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), progress_tick_cb, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Users finish faster than anyone reads: the progress is redrawn at most
 * ten times a second and once a frame, not once a user. Laying it out and
 * drawing it every frame took CPU from the run itself, which shares the
 * machine's cores with everything else. */
static void
batch_progress_cb (ProvProvisionDialog *self)
{
  if (self->progress_due == 0 && self->progress_tick == 0)
    self->progress_due = g_timeout_add (PROGRESS_INTERVAL_MS, progress_due_cb, self);
}

static void
stop_progress_updates (ProvProvisionDialog *self)
{
  g_clear_handle_id (&self->progress_due, g_source_remove);
  if (self->progress_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->progress_tick);
  self->progress_tick = 0;
}

static void
run_started_cb (ProvRunBatch        *batch,
                guint                index,
                ProvProvisionDialog *self)
{
  ProvRun *run = prov_run_batch_get_run (batch, index);

  adw_window_title_set_subtitle (self->window_title,
                                 prov_target_system_get_display_name (prov_run_get_target (run)));
}

static void
show_summary (ProvProvisionDialog *self)
{
  gint64 seconds = (g_get_monotonic_time () - self->started) / G_USEC_PER_SEC;

  stop_progress_updates (self);
  prov_provision_summary_show (self->summary, self->batch, self->cancelled, seconds);
  gtk_stack_set_visible_child_name (self->stack, "done");
  self->running = FALSE;
  update_actions (self);
}

static void
executed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ProvProvisionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_run_batch_execute_finish (self->batch, result, &error))
    self->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  self->failed = prov_run_batch_get_n_failed (self->batch);
  show_summary (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ProvProvisionDialog *self = PROV_PROVISION_DIALOG (widget);

  if (self->running)
    return;

  self->running = TRUE;
  self->started = g_get_monotonic_time ();
  gtk_stack_set_visible_child_name (self->stack, "running");
  update_progress (self);
  update_actions (self);
  prov_run_batch_execute_async (self->batch, self->cancellable, executed_cb, g_object_ref (self));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ProvProvisionDialog *self = PROV_PROVISION_DIALOG (widget);
  g_autoptr(ProvRunBatch) retry = prov_run_batch_new_retry (self->batch);

  if (retry == NULL)
    return;
  set_batch (self, retry);

  self->total = prov_run_batch_get_n_operations (self->batch);
  self->failed = 0;
  self->cancelled = FALSE;
  g_cancellable_reset (self->cancellable);

  start_action (widget, NULL, NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ProvProvisionDialog *self = PROV_PROVISION_DIALOG (widget);

  if (self->running)
    {
      /* Requests on the wire finish; the summary follows. */
      gtk_label_set_text (self->progress_label, _("Cancelling: finishing the users already on their way…"));
      g_cancellable_cancel (self->cancellable);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
prov_provision_dialog_close_request (GtkWindow *window)
{
  ProvProvisionDialog *self = PROV_PROVISION_DIALOG (window);

  /* Closing mid-run would hide the outcome: cancel, and show it. */
  if (self->running)
    {
      cancel_action (GTK_WIDGET (self), NULL, NULL);
      return TRUE;
    }

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (prov_provision_dialog_parent_class)->close_request (window);
}

static void
prov_provision_dialog_dispose (GObject *object)
{
  ProvProvisionDialog *self = (ProvProvisionDialog *)object;

  g_cancellable_cancel (self->cancellable);
  stop_progress_updates (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_PROVISION_DIALOG);

  G_OBJECT_CLASS (prov_provision_dialog_parent_class)->dispose (object);
}

static void
prov_provision_dialog_finalize (GObject *object)
{
  ProvProvisionDialog *self = (ProvProvisionDialog *)object;

  g_clear_object (&self->batch);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (prov_provision_dialog_parent_class)->finalize (object);
}

static void
prov_provision_dialog_class_init (ProvProvisionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = prov_provision_dialog_dispose;
  object_class->finalize = prov_provision_dialog_finalize;
  window_class->close_request = prov_provision_dialog_close_request;

  g_type_ensure (PROV_TYPE_PROVISION_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-provision-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, preparing_spinner);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, plan_page);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, summary);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, ProvProvisionDialog, retry_button);

  gtk_widget_class_install_action (widget_class, "provision.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "provision.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "provision.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "provision.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "provision.start", NULL);
}

static void
prov_provision_dialog_init (ProvProvisionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->opened = g_get_monotonic_time ();
  self->cancellable = g_cancellable_new ();
  prov_button_fix_accessible_name (GTK_BUTTON (self->cancel_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->start_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->retry_button));
}

ProvProvisionDialog *
prov_provision_dialog_new (GtkWindow    *parent,
                           ProvRunBatch *batch)
{
  ProvProvisionDialog *self;

  g_return_val_if_fail (PROV_IS_RUN_BATCH (batch), NULL);
  g_return_val_if_fail (prov_run_batch_get_n_runs (batch) > 0, NULL);

  self = g_object_new (PROV_TYPE_PROVISION_DIALOG, "transient-for", parent, NULL);
  set_batch (self, batch);
  update_actions (self);
  prov_run_batch_prepare_async (batch, self->cancellable, prepared_cb, g_object_ref (self));
  return self;
}
