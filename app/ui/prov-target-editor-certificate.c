/* prov-target-editor-certificate.c — the editor's certificate and file actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "prov-certificate-import.h"
#include "prov-client-certificate.h"
#include "prov-error.h"
#include "prov-target-editor-private.h"
#include "prov-ui-util.h"

/* Certificates and files */

void
_prov_target_editor_update_certificate_actions (ProvTargetEditor *self)
{
  gboolean has_certificate = self->target != NULL &&
    *prov_target_system_get_text (self->target, PROV_FIELD_CLIENT_CERTIFICATE) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.generate-certificate",
                                 self->editable && self->target != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.import-certificate",
                                 self->editable && self->target != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.export-certificate", has_certificate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.choose-ca-file",
                                 self->editable && self->target != NULL);
}

static void
take_certificate (ProvTargetEditor *self,
                  char             *certificate_pem,
                  char             *key_pem)
{
  prov_target_system_take_client_certificate (self->target, certificate_pem, key_pem);
  g_free (certificate_pem);
  _prov_target_editor_set_reason (self, PROV_FIELD_CLIENT_CERTIFICATE, NULL);
  _prov_target_editor_set_reason (self, PROV_FIELD_CERTIFICATE_KEY, NULL);
  _prov_target_editor_update_problems (self);
}

static void
generated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ProvTargetEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *certificate_pem = NULL;
  char *key_pem = NULL;

  if (!prov_client_certificate_generate_finish (result, &certificate_pem, &key_pem, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _prov_target_editor_emit_message (self, error->message, TRUE);
      return;
    }

  /* The editor let its target go meanwhile: the key goes too, wiped. */
  if (self->target == NULL)
    {
      memset (key_pem, 0, strlen (key_pem));
      g_free (key_pem);
      g_free (certificate_pem);
      return;
    }

  take_certificate (self, certificate_pem, key_pem);
  _prov_target_editor_emit_message (self, _("Client certificate generated: save the target system, then save the certificate and import it at the technical user"), FALSE);
}

static void
generate_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      ProvTargetEditor *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "admin-entry");
  g_autofree char *admin = NULL;

  if (!g_str_equal (response, "generate") || self->target == NULL)
    return;

  admin = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (*admin == '\0')
    {
      _prov_target_editor_emit_message (self, _("The certificate was not generated: enter the user ID of the administrator, such as P000123."), TRUE);
      return;
    }

  prov_client_certificate_generate_async (prov_target_system_get_text (self->target, PROV_FIELD_COMMON_NAME),
                                          admin, self->cancellable,
                                          generated_cb, g_object_ref (self));
}

static void
admin_entry_activated_cb (AdwEntryRow *entry)
{
  /* The default response's button: it answers and closes the dialog. */
  gtk_widget_activate_action (GTK_WIDGET (entry), "default.activate", NULL);
}

static void
generate_certificate_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ProvTargetEditor *self = PROV_TARGET_EDITOR (widget);
  g_autofree char *reason = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (self->target == NULL)
    return;

  /* The common name goes into the certificate: it must be right first. */
  reason = prov_target_system_check_field (self->target, PROV_FIELD_COMMON_NAME, NULL);
  if (reason != NULL)
    {
      _prov_target_editor_set_reason (self, PROV_FIELD_COMMON_NAME, reason);
      _prov_target_editor_update_problems (self);
      gtk_widget_grab_focus (self->common_name_row);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Generate Client Certificate?"),
                                                       _("The certificate’s subject is the Common Name followed by the user ID of the administrator in parentheses. A new key replaces any previous one when you save.")));
  entry = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Administrator User ID"));
  gtk_widget_add_css_class (entry, "card");
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data (G_OBJECT (dialog), "admin-entry", entry);
  /* Enter in the only field generates, as the default response would. */
  g_signal_connect (entry, "entry-activated", G_CALLBACK (admin_entry_activated_cb), NULL);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "generate", _("_Generate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "generate", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "generate");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (generate_response_cb), self, 0);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ProvTargetEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_import_client_certificate_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _prov_target_editor_emit_message (self, error->message, TRUE);
      return;
    }

  _prov_target_editor_emit_message (self, _("Client certificate imported: save the target system to keep it"), FALSE);
}

static void
import_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ProvTargetEditor *self = PROV_TARGET_EDITOR (widget);

  if (self->target == NULL)
    return;
  prov_import_client_certificate_async (widget, self->target, self->cancellable,
                                        imported_cb, g_object_ref (self));
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvTargetEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (G_FILE (object));
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The certificate could not be saved to “%s”: %s"), path, prov_error_file_reason (error));
      _prov_target_editor_emit_message (self, text, TRUE);
      return;
    }

  text = g_strdup_printf (_("Certificate saved to “%s”: import it at the technical user in Identity Provisioning"), path);
  _prov_target_editor_emit_message (self, text, FALSE);
}

static void
export_response_cb (GtkNativeDialog  *chooser,
                    int               response,
                    ProvTargetEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->target != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *pem = prov_target_system_get_text (self->target, PROV_FIELD_CLIENT_CERTIFICATE);
      g_autoptr(GBytes) bytes = g_bytes_new (pem, strlen (pem));

      /* Only the public certificate ever leaves the keyring and this file. */
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                           G_FILE_CREATE_REPLACE_DESTINATION,
                                           self->cancellable, export_written_cb,
                                           g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
export_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ProvTargetEditor *self = PROV_TARGET_EDITOR (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  const char *common_name;

  if (self->target == NULL)
    return;

  common_name = prov_target_system_get_text (self->target, PROV_FIELD_COMMON_NAME);
  name = g_strdup_printf ("%s.crt", *common_name ? common_name : "client-certificate");
  g_strdelimit (name, "/\\\\", '-');

  chooser = gtk_file_chooser_native_new (_("Save Certificate"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
ca_chosen_cb (GtkNativeDialog  *chooser,
              int               response,
              ProvTargetEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->target != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      prov_target_system_set_text (self->target, PROV_FIELD_CA_FILE, path);
    }
  g_object_unref (chooser);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  static const char * const patterns[] = { "*.pem", "*.crt", "*.cer", NULL };

  prov_show_file_chooser (widget, _("Choose a CA Certificate"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Choose"), _("PEM Certificates"), patterns, NULL,
                          G_CALLBACK (ca_chosen_cb), widget);
}

void
_prov_target_editor_class_certificate_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.generate-certificate", NULL, generate_certificate_action);
  gtk_widget_class_install_action (widget_class, "editor.import-certificate", NULL, import_certificate_action);
  gtk_widget_class_install_action (widget_class, "editor.export-certificate", NULL, export_certificate_action);
  gtk_widget_class_install_action (widget_class, "editor.choose-ca-file", NULL, choose_ca_file_action);
}
