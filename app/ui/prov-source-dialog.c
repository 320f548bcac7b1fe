/* prov-source-dialog.c — configures where the users come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "prov-certificate-import.h"
#include "prov-client-certificate.h"
#include "prov-connection-banner.h"
#include "prov-connection-test.h"
#include "prov-source-dialog.h"
#include "prov-ui-util.h"

struct _ProvSourceDialog
{
  AdwWindow         parent_instance;

  ProvTargetService *service;
  ProvSource       *draft;     /* a copy of the saved one, with its secrets */
  ProvSource       *saved;     /* the draft as loaded: a change differs from it */
  GCancellable     *cancellable;
  GCancellable     *test_cancellable;   /* of the running Test Connection */
  gulong            test_cancel_id;     /* cancels it with the dialog */
  gboolean          busy;
  gboolean          secrets_pending;  /* the keyring has not answered yet */
  const char       *deferred;  /* "source.test" or "source.save", pressed meanwhile */
  gboolean          asking;    /* the unsaved-changes question is open */
  gboolean          discard;   /* Cancel, or Discard: close without asking */

  AdwToastOverlay  *toast_overlay;
  GtkRevealer      *message_revealer;
  ProvConnectionBanner *connection_banner;
  GtkLabel         *message_label;
  GtkRevealer      *retired_revealer;
  GtkWidget        *switch_button;
  AdwComboRow      *kind_row;
  GtkWidget        *csv_row;
  GtkWidget        *tenant_group;
  GtkWidget        *url_row;
  AdwComboRow      *version_row;
  AdwComboRow      *mechanism_row;
  GtkWidget        *client_id_row;
  GtkWidget        *client_secret_row;
  GtkWidget        *certificate_password_row;
  AdwActionRow     *certificate_row;
  GtkWidget        *ca_file_row;
  GtkWidget        *save_button;
  GtkWidget        *cancel_button;
  GtkWidget        *test_button;
  GtkWidget        *import_button;
};

G_DEFINE_FINAL_TYPE (ProvSourceDialog, prov_source_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (ProvSourceDialog *self,
              const char       *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->message_revealer, message != NULL);
}

static void
set_busy (ProvSourceDialog *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "source.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "source.test", !busy);
}

static void
update_visibility (ProvSourceDialog *self)
{
  gboolean csv = adw_combo_row_get_selected (self->kind_row) == PROV_SOURCE_KIND_CSV;
  gboolean certificate = adw_combo_row_get_selected (self->mechanism_row) == 1;

  gtk_widget_set_visible (self->csv_row, csv);
  gtk_widget_set_visible (self->tenant_group, !csv);
  gtk_widget_set_visible (self->client_id_row, !certificate);
  gtk_widget_set_visible (self->client_secret_row, !certificate);
  gtk_widget_set_visible (self->certificate_password_row, certificate);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_row), certificate);

  /* A tenant source still on the retired version says so, with the way
   * out (docs/sap-domain.md, "The source of users"). */
  gtk_revealer_set_reveal_child (self->retired_revealer,
                                 !csv && adw_combo_row_get_selected (self->version_row) == 1);
}

static void
update_certificate_row (ProvSourceDialog *self)
{
  ProvTargetSystem *connection = prov_source_get_connection (self->draft);
  g_autofree char *description =
    prov_client_certificate_describe (prov_target_system_get_text (connection, PROV_FIELD_CLIENT_CERTIFICATE));

  adw_action_row_set_subtitle (self->certificate_row,
                               description ? description : _("None yet: import the certificate of the tenant’s system user"));
}

static void
set_entry (GtkWidget  *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* Rows from the draft */
static void
load_rows (ProvSourceDialog *self)
{
  ProvTargetSystem *connection = prov_source_get_connection (self->draft);

  adw_combo_row_set_selected (self->kind_row, prov_source_get_kind (self->draft));
  set_entry (self->csv_row, prov_source_get_csv_path (self->draft));
  set_entry (self->url_row, prov_target_system_get_url (connection));
  adw_combo_row_set_selected (self->version_row,
                              prov_target_system_get_version (connection) == PROV_SCIM_VERSION_1 ? 1 : 0);
  adw_combo_row_set_selected (self->mechanism_row,
                              prov_target_system_get_auth_mechanism (connection) == PROV_AUTH_MECHANISM_CERTIFICATE ? 1 : 0);
  set_entry (self->client_id_row, prov_target_system_get_text (connection, PROV_FIELD_USERNAME));
  set_entry (self->client_secret_row, prov_target_system_get_text (connection, PROV_FIELD_PASSWORD));
  set_entry (self->certificate_password_row, prov_target_system_get_text (connection, PROV_FIELD_CERTIFICATE_PASSWORD));
  set_entry (self->ca_file_row, prov_target_system_get_text (connection, PROV_FIELD_CA_FILE));
  update_certificate_row (self);
  update_visibility (self);
}

/* The draft from the rows */
static void
store_rows (ProvSourceDialog *self)
{
  ProvTargetSystem *connection = prov_source_get_connection (self->draft);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));

  prov_source_set_kind (self->draft, adw_combo_row_get_selected (self->kind_row));
  prov_source_set_csv_path (self->draft, gtk_editable_get_text (GTK_EDITABLE (self->csv_row)));
  prov_target_system_set_url (connection, url);
  prov_target_system_set_version (connection,
                                  adw_combo_row_get_selected (self->version_row) == 1 ? PROV_SCIM_VERSION_1 : PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection,
                                         adw_combo_row_get_selected (self->mechanism_row) == 1
                                         ? PROV_AUTH_MECHANISM_CERTIFICATE : PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, gtk_editable_get_text (GTK_EDITABLE (self->client_id_row)));
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row)));
  prov_target_system_set_text (connection, PROV_FIELD_CERTIFICATE_PASSWORD,
                               gtk_editable_get_text (GTK_EDITABLE (self->certificate_password_row)));
  prov_target_system_set_text (connection, PROV_FIELD_CA_FILE, gtk_editable_get_text (GTK_EDITABLE (self->ca_file_row)));
}

/* What the rows show when the dialog opens (and once the secrets have
 * arrived), read back the way a save would read it. */
static void
remember_saved (ProvSourceDialog *self)
{
  store_rows (self);
  g_clear_object (&self->saved);
  self->saved = prov_source_copy (self->draft);
}

static gboolean
is_dirty (ProvSourceDialog *self)
{
  if (self->saved == NULL)
    return FALSE;
  store_rows (self);
  return !prov_source_equal (self->draft, self->saved);
}

static GtkWidget *
row_for_field (ProvSourceDialog *self,
               ProvField         field)
{
  gboolean csv = prov_source_get_kind (self->draft) == PROV_SOURCE_KIND_CSV;

  switch (field)
    {
    case PROV_FIELD_URL:
      return csv ? self->csv_row : self->url_row;
    case PROV_FIELD_USERNAME:
      return self->client_id_row;
    case PROV_FIELD_PASSWORD:
      return self->client_secret_row;
    case PROV_FIELD_CERTIFICATE_PASSWORD:
      return self->certificate_password_row;
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
      return GTK_WIDGET (self->certificate_row);
    case PROV_FIELD_CA_FILE:
      return self->ca_file_row;
    case PROV_FIELD_DISPLAY_NAME:
    case PROV_FIELD_KIND:
    case PROV_FIELD_VERSION:
    case PROV_FIELD_AUTH_MECHANISM:
    case PROV_FIELD_COMMON_NAME:
    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_N_FIELDS:
    default:
      return NULL;
    }
}

/* Marks invalid rows; TRUE when everything is fine. */
static gboolean
validate (ProvSourceDialog *self)
{
  char **reasons = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *first = NULL;
  gboolean valid;
  GtkWidget *all_rows[] = {
    self->csv_row, self->url_row, self->client_id_row, self->client_secret_row,
    self->certificate_password_row, GTK_WIDGET (self->certificate_row), self->ca_file_row,
  };

  store_rows (self);
  valid = prov_source_validate (self->draft, &reasons);

  for (guint i = 0; i < G_N_ELEMENTS (all_rows); i++)
    prov_row_set_invalid (all_rows[i], NULL);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      GtkWidget *row;

      if (reasons[i] == NULL)
        continue;
      row = row_for_field (self, i);
      if (row != NULL)
        {
          prov_row_set_invalid (row, reasons[i]);
          if (first == NULL)
            first = row;
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (text, _("%s: %s"),
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  reasons[i]);
        }
      g_free (reasons[i]);
    }
  g_free (reasons);

  show_message (self, valid ? NULL : text->str);
  if (first != NULL)
    gtk_widget_grab_focus (first);
  return valid;
}

/* Save and Test Connection: the values as typed go to the service. */

/* Whether the dialog may start on the values (not busy, all valid); then
 * it is busy. */
static gboolean
start_service_call (ProvSourceDialog *self)
{
  if (self->busy || !validate (self))
    return FALSE;
  set_busy (self, TRUE);
  return TRUE;
}

/* The service answered: not busy any more. When it failed (@ok FALSE),
 * its sentence is shown, unless it was cancelled. */
static gboolean
service_call_ended (ProvSourceDialog *self,
                    gboolean          ok,
                    const GError     *error)
{
  set_busy (self, FALSE);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (self, error->message);
  return ok;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ProvSourceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Keyring and file are as they were when this fails. */
  ok = prov_target_service_save_source_finish (PROV_TARGET_SERVICE (object), result, &error);
  if (!service_call_ended (self, ok, error))
    return;

  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Test and Save work on the secrets too. Pressed before the keyring
 * answered (a person quick with Ctrl+T), they run once it has: the
 * secret's row would otherwise say "Required" for a secret that is saved. */
static gboolean
defer_until_secrets (ProvSourceDialog *self,
                     const char       *action_name)
{
  if (!self->secrets_pending)
    return FALSE;
  self->deferred = action_name;
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ProvSourceDialog *self = PROV_SOURCE_DIALOG (widget);

  if (defer_until_secrets (self, action_name) || !start_service_call (self))
    return;
  prov_target_service_save_source_async (self->service, self->draft, self->cancellable,
                                         saved_cb, g_object_ref (self));
}

/* Closing: a change is never lost without a question; Cancel is the way
 * to drop it. */

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
unsaved_answered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ProvSourceDialog) self = user_data;

  self->asking = FALSE;
  switch (prov_ask_unsaved_changes_finish (result))
    {
    case PROV_UNSAVED_SAVE:
      /* Closes the dialog once saved; a refused save says why and stays. */
      gtk_widget_activate_action (GTK_WIDGET (self), "source.save", NULL);
      break;
    case PROV_UNSAVED_DISCARD:
      self->discard = TRUE;
      /* Not now: this runs inside the question's response, and the question
       * still needs its parent until the response is over. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
      break;
    case PROV_UNSAVED_CANCEL:
    default:
      break;
    }
}

static gboolean
prov_source_dialog_close_request (GtkWindow *window)
{
  ProvSourceDialog *self = PROV_SOURCE_DIALOG (window);

  if (self->asking)
    return TRUE;
  if (!self->discard && is_dirty (self))
    {
      self->asking = TRUE;
      prov_ask_to_save_async (window, _("Save Changes?"),
                              _("The source of users has unsaved changes. If you discard them, they will be lost."),
                              unsaved_answered_cb, g_object_ref (self));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (prov_source_dialog_parent_class)->close_request (window);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ProvSourceDialog *self = PROV_SOURCE_DIALOG (widget);

  self->discard = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Enter in a field saves, as in the target editor. */
static void
entry_activated_cb (GtkWidget *row)
{
  gtk_widget_activate_action (row, "source.save", NULL);
}

/* Test Connection */

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ProvSourceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  said = prov_target_service_test_source_finish (PROV_TARGET_SERVICE (object), result, &error);
  g_cancellable_disconnect (self->cancellable, self->test_cancel_id);
  self->test_cancel_id = 0;
  g_clear_object (&self->test_cancellable);
  set_busy (self, FALSE);

  /* Cancelled: by the banner's Cancel, or the dialog is going away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->connection_banner != NULL)
        prov_connection_banner_clear (self->connection_banner);
      return;
    }
  /* Where it is read, replacing the last result (a toast went unread). */
  prov_connection_banner_show_result (self->connection_banner, said != NULL,
                                      said != NULL ? said : error->message);
}

static void
connection_cancel_cb (ProvSourceDialog *self)
{
  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ProvSourceDialog *self = PROV_SOURCE_DIALOG (widget);

  if (defer_until_secrets (self, action_name) || !start_service_call (self))
    return;
  show_message (self, NULL);
  prov_connection_banner_show_testing (self->connection_banner);
  self->test_cancellable = g_cancellable_new ();
  /* The dialog's own cancellable ends the test too when it closes. */
  self->test_cancel_id = g_cancellable_connect (self->cancellable, G_CALLBACK (g_cancellable_cancel),
                                                g_object_ref (self->test_cancellable), g_object_unref);
  /* The values as typed, saved or not. */
  prov_target_service_test_source_async (self->service, self->draft, self->test_cancellable,
                                         tested_cb, g_object_ref (self));
}

/* Files */

static void
csv_chosen_cb (GtkNativeDialog  *chooser,
               int               response,
               ProvSourceDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      set_entry (self->csv_row, path);
    }
  g_object_unref (chooser);
}

static void
choose_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  static const char * const patterns[] = { "*.csv", "*.CSV", NULL };

  prov_show_file_chooser (widget, _("Choose a CSV File of Users"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Choose"), _("CSV Files"), patterns, NULL,
                          G_CALLBACK (csv_chosen_cb), widget);
}

static void
certificate_imported_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(ProvSourceDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!prov_import_client_certificate_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message);
      return;
    }

  update_certificate_row (self);
  show_message (self, NULL);
}

static void
import_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ProvSourceDialog *self = PROV_SOURCE_DIALOG (widget);

  /* The password typed so far opens the file. */
  store_rows (self);
  prov_import_client_certificate_async (widget, prov_source_get_connection (self->draft), self->cancellable,
                                        certificate_imported_cb, g_object_ref (self));
}

/* SAP retired version 1: one press moves the source to version 2. */
static void
switch_to_version_2_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ProvSourceDialog *self = PROV_SOURCE_DIALOG (widget);

  adw_combo_row_set_selected (self->version_row, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->version_row));
}

/* Secrets on opening */

/* The row that shows the secret @field, if one does. */
static GtkWidget *
secret_row (ProvSourceDialog *self,
            ProvField         field)
{
  if (field == PROV_FIELD_PASSWORD)
    return self->client_secret_row;
  if (field == PROV_FIELD_CERTIFICATE_PASSWORD)
    return self->certificate_password_row;
  return NULL;
}

static void
secrets_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ProvSourceDialog) self = user_data;
  g_autoptr(ProvSource) loaded = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *connection;

  loaded = prov_target_service_dup_source_with_secrets_finish (PROV_TARGET_SERVICE (object), result, &error);
  self->secrets_pending = FALSE;
  if (loaded == NULL)
    {
      /* What was pressed meanwhile is dropped: the sentence says why. */
      self->deferred = NULL;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message);
      return;
    }

  /* The secrets may arrive after the person started typing: they fill in
   * what is still empty and leave every edit alone. */
  connection = prov_source_get_connection (self->draft);
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      const char *secret;
      GtkWidget *row = secret_row (self, i);

      if (!prov_field_is_secret (i))
        continue;
      secret = prov_target_system_get_text (prov_source_get_connection (loaded), i);
      /* The saved source has it: a change is a difference from it. */
      if (self->saved != NULL)
        prov_target_system_set_text (prov_source_get_connection (self->saved), i, secret);
      if (row != NULL)
        {
          if (*gtk_editable_get_text (GTK_EDITABLE (row)) == '\0')
            set_entry (row, secret);
        }
      else if (*prov_target_system_get_text (connection, i) == '\0')
        prov_target_system_set_text (connection, i, secret);
    }
  update_certificate_row (self);

  if (self->deferred != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), g_steal_pointer (&self->deferred), NULL);
}

static void
prov_source_dialog_dispose (GObject *object)
{
  ProvSourceDialog *self = (ProvSourceDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_SOURCE_DIALOG);

  G_OBJECT_CLASS (prov_source_dialog_parent_class)->dispose (object);
}

static void
prov_source_dialog_finalize (GObject *object)
{
  ProvSourceDialog *self = (ProvSourceDialog *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->draft);
  g_clear_object (&self->saved);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);

  G_OBJECT_CLASS (prov_source_dialog_parent_class)->finalize (object);
}

static void
prov_source_dialog_class_init (ProvSourceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = prov_source_dialog_dispose;
  object_class->finalize = prov_source_dialog_finalize;
  window_class->close_request = prov_source_dialog_close_request;

  /**
   * ProvSourceDialog::saved:
   *
   * The source and its secrets were saved.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PROV_TYPE_CONNECTION_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-source-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, connection_banner);
  gtk_widget_class_bind_template_callback (widget_class, connection_cancel_cb);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, retired_revealer);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, switch_button);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, csv_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, tenant_group);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, mechanism_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, certificate_password_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, ProvSourceDialog, import_button);

  gtk_widget_class_install_action (widget_class, "source.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "source.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "source.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "source.choose-csv", NULL, choose_csv_action);
  gtk_widget_class_install_action (widget_class, "source.import-certificate", NULL, import_certificate_action);
  gtk_widget_class_install_action (widget_class, "source.switch-to-version-2", NULL, switch_to_version_2_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "source.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "source.test", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
prov_source_dialog_init (ProvSourceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  prov_button_fix_accessible_name (GTK_BUTTON (self->save_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->cancel_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->test_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->import_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->switch_button));
  prov_combo_row_show_whole_values (self->kind_row);
  prov_combo_row_show_whole_values (self->version_row);
  prov_combo_row_show_whole_values (self->mechanism_row);

  g_signal_connect (self->csv_row, "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
  g_signal_connect (self->url_row, "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
  g_signal_connect (self->client_id_row, "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
  g_signal_connect (self->client_secret_row, "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
  g_signal_connect (self->certificate_password_row, "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
  g_signal_connect (self->ca_file_row, "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (update_visibility),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mechanism_row, "notify::selected", G_CALLBACK (update_visibility),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->version_row, "notify::selected", G_CALLBACK (update_visibility),
                           self, G_CONNECT_SWAPPED);
}

ProvSourceDialog *
prov_source_dialog_new (GtkWindow         *parent,
                        ProvTargetService *service)
{
  ProvSourceDialog *self;

  g_return_val_if_fail (PROV_IS_TARGET_SERVICE (service), NULL);

  self = g_object_new (PROV_TYPE_SOURCE_DIALOG, "transient-for", parent, NULL);
  self->service = g_object_ref (service);
  self->draft = prov_source_copy (prov_target_service_get_source (service));

  load_rows (self);
  remember_saved (self);
  /* A form opens in its first field, where Enter saves; not on Cancel. */
  gtk_widget_grab_focus (prov_source_get_kind (self->draft) == PROV_SOURCE_KIND_CSV
                         ? GTK_WIDGET (self->csv_row) : GTK_WIDGET (self->url_row));
  self->secrets_pending = TRUE;
  prov_target_service_dup_source_with_secrets_async (service, self->cancellable,
                                                     secrets_loaded_cb, g_object_ref (self));
  return self;
}
