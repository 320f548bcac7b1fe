/* prov-certificate-import.c — one way to import a client certificate, for
 * both forms: a file chooser, the file read without blocking, the core's
 * import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-certificate-import.h"
#include "prov-client-certificate.h"
#include "prov-ui-util.h"

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvTargetSystem *target = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = prov_client_certificate_read_file_finish (result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 _("The certificate file could not be read: %s"), error->message);
      return;
    }

  if (!prov_target_system_import_client_certificate (target, bytes, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
chosen_cb (GtkNativeDialog *chooser,
           int              response,
           GTask           *task)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      /* The task's reference goes on to the read. */
      prov_client_certificate_read_file_async (file, g_task_get_cancellable (task), loaded_cb, task);
    }
  else
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "No certificate file was chosen");
      g_object_unref (task);
    }
  g_object_unref (chooser);
}

void
prov_import_client_certificate_async (GtkWidget           *widget,
                                      ProvTargetSystem    *target,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  static const char * const patterns[] = { "*.pem", "*.crt", "*.p12", "*.pfx", NULL };
  GTask *task;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  task = g_task_new (widget, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_import_client_certificate_async);
  g_task_set_task_data (task, g_object_ref (target), g_object_unref);

  /* The chooser holds the task until it answers. */
  prov_show_file_chooser (widget, _("Import Client Certificate"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Import"), _("Certificates (PEM, PKCS#12)"), patterns, NULL,
                          G_CALLBACK (chosen_cb), task);
}

gboolean
prov_import_client_certificate_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prov_import_client_certificate_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
