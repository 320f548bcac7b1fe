/* prov-history-dialog.c — the journal of a target's provisioning runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-history-dialog.h"
#include "prov-history-run.h"
#include "prov-journal.h"
#include "prov-ui-util.h"

struct _ProvHistoryDialog
{
  AdwWindow         parent_instance;

  GListStore       *runs;     /* ProvHistoryRun, newest first */
  gboolean          listed;   /* the runs were read */
  char             *target_name;
  char             *shown;    /* path of the run on screen */
  GCancellable     *cancellable;  /* the journal reads, on a worker */

  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkStack         *stack;
  GtkListBox       *runs_list;
  GtkListView      *entries_view;
  GtkWidget        *back_button;
  GtkWidget        *export_button;
};

G_DEFINE_FINAL_TYPE (ProvHistoryDialog, prov_history_dialog, ADW_TYPE_WINDOW)

static void
show_runs (ProvHistoryDialog *self)
{
  /* Until the runs are read, an empty list rather than "no runs". */
  gtk_stack_set_visible_child_name (self->stack,
                                    !self->listed || g_list_model_get_n_items (G_LIST_MODEL (self->runs)) > 0
                                    ? "runs" : "empty");
  gtk_widget_set_visible (self->back_button, FALSE);
  gtk_widget_set_visible (self->export_button, FALSE);
  adw_window_title_set_title (self->window_title, _("History"));
  adw_window_title_set_subtitle (self->window_title, self->target_name);
  g_clear_pointer (&self->shown, g_free);
}

/* The entries of a run, as a model for the list view */

/* One line per user: who and what on the left, the outcome on the right
 * (a failure's reason wraps). */
static void
entry_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *outcome = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (outcome), 1);
  gtk_label_set_wrap (GTK_LABEL (outcome), TRUE);
  /* An outcome may hold a URL: it breaks rather than widen the dialog. */
  gtk_label_set_wrap_mode (GTK_LABEL (outcome), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (outcome), 40);
  gtk_widget_add_css_class (outcome, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), outcome);
  gtk_list_item_set_child (item, box);
}

/* A line is "who — what<TAB>outcome"; a failure's line starts with a tab
 * more, so its outcome shows as an error. */
static void
entry_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *outcome = gtk_widget_get_last_child (box);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));
  gboolean failed = text[0] == '\t';
  g_auto(GStrv) parts = g_strsplit (failed ? text + 1 : text, "\t", 2);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), parts[0]);
  gtk_label_set_text (GTK_LABEL (outcome), parts[1] ? parts[1] : "");
  if (failed)
    {
      gtk_widget_remove_css_class (outcome, "dim-label");
      gtk_widget_add_css_class (outcome, "error");
    }
  else
    {
      gtk_widget_remove_css_class (outcome, "error");
      gtk_widget_add_css_class (outcome, "dim-label");
    }
}

static void
entries_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ProvHistoryDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = prov_journal_read_entries_finish (result, &error);
  g_autoptr(GtkStringList) lines = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entries == NULL)
    {
      prov_toast_overlay_add (self->toast_overlay, prov_toast_new (error->message));
      show_runs (self);
      return;
    }

  /* Thousands of lines: a recycling list of plain strings stays fast.
   * The failures come first: they are what a person opens a run for. */
  lines = gtk_string_list_new (NULL);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < entries->len; i++)
      {
        ProvJournalEntry *entry = g_ptr_array_index (entries, i);
        g_autofree char *line = NULL;

        if ((entry->ok != FALSE) != (pass == 1))
          continue;
        line = g_strdup_printf ("%s%s — %s\t%s", entry->ok ? "" : "\t",
                                entry->user_name ? entry->user_name : "?",
                                prov_action_to_label (entry->action),
                                entry->ok ? _("Done") : (entry->message ? entry->message : _("Failed")));
        gtk_string_list_append (lines, line);
      }

  gtk_list_view_set_model (self->entries_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&lines)))));
  gtk_stack_set_visible_child_name (self->stack, "entries");
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_widget_set_visible (self->export_button, TRUE);
}

/* The run's lines are read on a worker: a journal can be large. */
static void
show_entries (ProvHistoryDialog *self,
              ProvHistoryRun    *run)
{
  adw_window_title_set_title (self->window_title, prov_history_run_get_when (run));
  g_free (self->shown);
  self->shown = g_strdup (prov_history_run_get_path (run));
  prov_journal_read_entries_async (self->shown, self->cancellable, entries_read_cb, g_object_ref (self));
}

static void
run_activated_cb (ProvHistoryDialog *self,
                  GtkListBoxRow     *row)
{
  g_autoptr(ProvHistoryRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs),
                                                         gtk_list_box_row_get_index (row));

  if (run != NULL)
    show_entries (self, run);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_runs (PROV_HISTORY_DIALOG (widget));
}

static void
export_chosen_cb (GtkNativeDialog   *chooser,
                  int                response,
                  ProvHistoryDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->shown != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *text = NULL;

      if (prov_journal_export_csv (self->shown, file, &error))
        text = g_strdup_printf (_("Run exported to “%s”"), path);
      prov_toast_overlay_add (self->toast_overlay, prov_toast_new (text ? text : error->message));
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  prov_show_file_chooser (widget, _("Export Run"), GTK_FILE_CHOOSER_ACTION_SAVE,
                          _("_Export"), NULL, NULL, "provisioning-run.csv",
                          G_CALLBACK (export_chosen_cb), widget);
}

static void
prov_history_dialog_dispose (GObject *object)
{
  ProvHistoryDialog *self = PROV_HISTORY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), PROV_TYPE_HISTORY_DIALOG);
  G_OBJECT_CLASS (prov_history_dialog_parent_class)->dispose (object);
}

static void
prov_history_dialog_finalize (GObject *object)
{
  ProvHistoryDialog *self = (ProvHistoryDialog *)object;

  g_clear_object (&self->runs);
  g_clear_pointer (&self->target_name, g_free);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (prov_history_dialog_parent_class)->finalize (object);
}

static void
prov_history_dialog_class_init (ProvHistoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = prov_history_dialog_dispose;
  object_class->finalize = prov_history_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-history-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, runs_list);
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, entries_view);
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, ProvHistoryDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, run_activated_cb);

  gtk_widget_class_install_action (widget_class, "history.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static GtkWidget *
create_run_row (gpointer item,
                gpointer user_data)
{
  ProvHistoryRun *run = item;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), prov_history_run_get_when (run));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), prov_history_run_get_outcome (run));
  if (prov_history_run_get_failed (run))
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  if (prov_history_run_get_started (run))
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
  return row;
}

static void
prov_history_dialog_init (ProvHistoryDialog *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->runs = g_list_store_new (PROV_TYPE_HISTORY_RUN);
  gtk_list_box_bind_model (self->runs_list, G_LIST_MODEL (self->runs), create_run_row, NULL, NULL);
  prov_button_fix_accessible_name (GTK_BUTTON (self->export_button));

  g_signal_connect (factory, "setup", G_CALLBACK (entry_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (entry_bind_cb), NULL);
  gtk_list_view_set_factory (self->entries_view, factory);
}

static void
runs_listed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ProvHistoryDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = prov_journal_list_runs_finish (result, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (runs == NULL)
    prov_toast_overlay_add (self->toast_overlay, prov_toast_new (error->message));

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    g_ptr_array_add (items, prov_history_run_new (g_ptr_array_index (runs, i)));
  g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                       items->pdata, items->len);
  self->listed = TRUE;
  show_runs (self);
}

ProvHistoryDialog *
prov_history_dialog_new (GtkWindow        *parent,
                         ProvTargetSystem *target,
                         const char       *journal_dir)
{
  ProvHistoryDialog *self;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  self = g_object_new (PROV_TYPE_HISTORY_DIALOG, "transient-for", parent, NULL);
  self->target_name = g_strdup (prov_target_system_get_display_name (target));
  prov_journal_list_runs_async (journal_dir, prov_target_system_get_uuid (target),
                                self->cancellable, runs_listed_cb, g_object_ref (self));
  show_runs (self);
  return self;
}
