/* prov-window-transfer.c — ProvWindow's export, import and duplicating of
 * target systems
 *
 * Moving the list to another machine or colleague: every field but the
 * secrets, which stay in this keyring. The file work is the core's
 * (prov-targets-export.h) and runs on a worker; the import goes through
 * ProvTargetService, which checks every target and adds all or none.
 * Duplicate starts a new target from the shown one, secrets included
 * (a second system of the same tenant, a test copy of production).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-target-service-import.h"
#include "prov-targets-export.h"
#include "prov-ui-util.h"
#include "prov-window-private.h"

static const char * const json_patterns[] = { "*.json", NULL };

/* The chosen file's local path; NULL (said on screen) for a location the
 * chooser offers that is no local file, such as a network share GVfs has
 * not mounted locally. */
static char *
chosen_path (ProvWindow      *self,
             GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  char *path = file ? g_file_get_path (file) : NULL;

  if (path == NULL)
    prov_window_show_message (self, _("That location is not a file on this computer: choose a local file."));
  return path;
}

/* Export */

typedef struct
{
  ProvWindow *window;
  guint       n_targets;   /* written */
} Export;

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(ProvWindow) self = export->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = export->n_targets;

  g_free (export);
  if (!prov_targets_export_write_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        prov_window_show_message (self, error->message);
      return;
    }

  text = g_strdup_printf (ngettext ("%u target system exported, without its secret",
                                    "%u target systems exported, without their secrets", n), n);
  prov_window_show_message (self, NULL);
  _prov_window_show_toast (self, text);
}

static void
export_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  ProvWindow      *self)
{
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (path = chosen_path (self, chooser)) != NULL)
    {
      Export *export = g_new0 (Export, 1);

      export->window = g_object_ref (self);
      export->n_targets = g_list_model_get_n_items (G_LIST_MODEL (self->store));
      prov_targets_export_write_async (path, G_LIST_MODEL (self->store), self->cancellable,
                                       exported_cb, export);
    }
  g_object_unref (chooser);
}

static void
export_targets_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  prov_show_file_chooser (widget, _("Export Target Systems"), GTK_FILE_CHOOSER_ACTION_SAVE,
                          _("_Export"), _("JSON Files"), json_patterns, "target-systems.json",
                          G_CALLBACK (export_chosen_cb), widget);
}

/* Import */

typedef struct
{
  ProvWindow *window;
  GPtrArray  *targets;   /* once read */
} Import;

static void
import_free (Import *import)
{
  g_object_unref (import->window);
  g_clear_pointer (&import->targets, g_ptr_array_unref);
  g_free (import);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Import, import_free)

/* The list is as it was: nothing of the file came in. */
static void
import_failed (ProvWindow   *self,
               const GError *error)
{
  self->busy = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  prov_window_show_message (self, error->message);
  _prov_window_update_all (self);
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Import) import = user_data;
  ProvWindow *self = import->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = import->targets->len;

  if (!prov_target_service_import_targets_finish (PROV_TARGET_SERVICE (object), result, &error))
    {
      import_failed (self, error);
      return;
    }

  self->busy = FALSE;
  text = g_strdup_printf (ngettext ("%u target system imported: enter its secret, which an export never holds",
                                    "%u target systems imported: enter their secrets, which an export never holds",
                                    n), n);
  prov_window_show_message (self, NULL);
  _prov_window_show_toast (self, text);
  if (n > 0)
    _prov_window_show_target (self, g_ptr_array_index (import->targets, 0));
  _prov_window_update_all (self);
}

static void
export_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Import) import = user_data;
  ProvWindow *self = import->window;
  g_autoptr(GError) error = NULL;
  GPtrArray *targets;

  targets = import->targets = prov_targets_export_read_finish (result, &error);
  if (targets == NULL)
    {
      import_failed (self, error);
      return;
    }

  prov_target_service_import_targets_async (self->service, targets, self->cancellable,
                                            imported_cb, g_steal_pointer (&import));
}

static void
import_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  ProvWindow      *self)
{
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && !self->busy && (path = chosen_path (self, chooser)) != NULL)
    {
      Import *import = g_new0 (Import, 1);

      import->window = g_object_ref (self);
      self->busy = TRUE;
      _prov_window_update_all (self);
      prov_targets_export_read_async (path, self->cancellable, export_read_cb, import);
    }
  g_object_unref (chooser);
}

static void
import_targets_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  prov_show_file_chooser (widget, _("Import Target Systems"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Import"), _("JSON Files"), json_patterns, NULL,
                          G_CALLBACK (import_chosen_cb), widget);
}

/* Duplicate */

typedef struct
{
  ProvWindow       *window;
  ProvTargetSystem *original;
} Duplicate;

static void
duplicated_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Duplicate *duplicate = user_data;
  g_autoptr(ProvWindow) self = duplicate->window;
  g_autoptr(ProvTargetSystem) original = duplicate->original;
  g_autoptr(ProvTargetSystem) draft = NULL;
  g_autoptr(GError) error = NULL;

  g_free (duplicate);
  draft = prov_target_service_duplicate_target_finish (PROV_TARGET_SERVICE (object), result, &error);
  /* Another target was chosen meanwhile: that is what the person sees now. */
  if (self->current != original || self->editing)
    return;
  if (draft == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        prov_window_show_message (self, error->message);
      return;
    }
  prov_window_show_message (self, NULL);
  _prov_window_edit_new (self, draft);
}

static void
start_duplicating (ProvWindow *self)
{
  Duplicate *duplicate;

  if (self->current == NULL || self->is_new)
    return;
  duplicate = g_new0 (Duplicate, 1);
  duplicate->window = g_object_ref (self);
  duplicate->original = g_object_ref (self->current);
  prov_target_service_duplicate_target_async (self->service, self->current, self->cancellable,
                                              duplicated_cb, duplicate);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _prov_window_settle_then (PROV_WINDOW (widget), start_duplicating);
}

void
_prov_window_update_transfer_actions (ProvWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.export-targets",
                                 !self->busy && g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0);
  /* It shows the first target it adds: not over edits. */
  gtk_widget_action_set_enabled (widget, "win.import-targets",
                                 !self->busy && !self->editing && !self->selection_mode);
  /* Over edits too: they are saved or discarded first, as for Add. */
  gtk_widget_action_set_enabled (widget, "win.duplicate",
                                 self->current != NULL && !self->is_new &&
                                 !self->busy && !self->selection_mode);
}

void
_prov_window_class_transfer_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-targets", NULL, export_targets_action);
  gtk_widget_class_install_action (widget_class, "win.import-targets", NULL, import_targets_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate", NULL, duplicate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.duplicate", NULL);
}
