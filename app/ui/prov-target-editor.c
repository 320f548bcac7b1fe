/* prov-target-editor.c — the form of one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "prov-client-certificate.h"
#include "prov-target-editor.h"
#include "prov-ui-util.h"

struct _ProvTargetEditor
{
  AdwBin            parent_instance;

  ProvTargetSystem *target;
  gboolean          editable;
  gboolean          updating;

  GtkWidget        *rows[PROV_N_FIELDS];
  GtkWidget        *error_icons[PROV_N_FIELDS];
  char             *reasons[PROV_N_FIELDS];

  /* Template widgets */
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *problems_group;
  GtkLabel            *problems_label;
  GtkWidget           *display_name_row;
  GtkWidget           *kind_row;
  GtkWidget           *url_row;
  GtkWidget           *version_row;
  GtkWidget           *auth_mechanism_row;
  GtkWidget           *username_row;
  GtkWidget           *password_row;
  GtkWidget           *common_name_row;
  GtkWidget           *certificate_password_row;
  GtkWidget           *token_url_row;
  GtkWidget           *client_id_row;
  GtkWidget           *client_secret_row;
  GtkWidget           *ca_file_row;
  AdwActionRow        *client_certificate_row;
  GtkWidget           *generate_button;
  GtkWidget           *import_button;
  GtkWidget           *provisioning_group;
  GtkSpinButton       *rate_minute_spin;
  GtkSpinButton       *rate_hour_spin;
  AdwComboRow         *deprovision_row;
  GtkSpinButton       *threshold_users_spin;
  GtkSpinButton       *threshold_percent_spin;
  GPtrArray           *settings_bindings;

  GCancellable        *cancellable;   /* certificate work and file choosers */
};

G_DEFINE_FINAL_TYPE (ProvTargetEditor, prov_target_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TARGET,
  PROP_EDITABLE,
  N_PROPS
};

enum {
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The row that shows @field; the private key shows with its certificate. */
static GtkWidget *
row_for (ProvTargetEditor *self,
         ProvField         field)
{
  if (field == PROV_FIELD_CERTIFICATE_KEY)
    return GTK_WIDGET (self->client_certificate_row);
  return self->rows[field];
}

static void update_certificate_actions (ProvTargetEditor *self);
static void bind_settings (ProvTargetEditor *self);

static GtkWidget *
icon_for (ProvTargetEditor *self,
          ProvField         field)
{
  if (field == PROV_FIELD_CERTIFICATE_KEY)
    return self->error_icons[PROV_FIELD_CLIENT_CERTIFICATE];
  return self->error_icons[field];
}

static void
emit_message (ProvTargetEditor *self,
              const char       *text,
              gboolean          is_error)
{
  g_signal_emit (self, signals[MESSAGE], 0, text, is_error);
}

/* libadwaita 1.2's password rows have an unnamed peek button: name it. */
static void
name_peek_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show or Hide Text"),
                                        -1);
      name_peek_button (child);
    }
}

static void
update_titles (ProvTargetEditor *self)
{
  ProvTargetKind kind = self->target ? prov_target_system_get_kind (self->target)
                                     : PROV_TARGET_KIND_SAP_JAM;

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      /* Rows name themselves for screen readers after their title. */
      if (self->rows[i] != NULL)
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[i]),
                                       prov_field_get_title (i, kind));
    }
}

static void
update_visibility (ProvTargetEditor *self)
{
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (self->rows[i] != NULL)
      gtk_widget_set_visible (self->rows[i],
                              self->target != NULL &&
                              prov_target_system_field_is_visible (self->target, i));
  update_certificate_actions (self);
}

static guint
combo_index_for (ProvTargetSystem *target,
                 ProvField         field)
{
  switch (field)
    {
    case PROV_FIELD_KIND:
      return prov_target_system_get_kind (target);
    case PROV_FIELD_VERSION:
      return prov_target_system_get_version (target) == PROV_SCIM_VERSION_1 ? 0 : 1;
    case PROV_FIELD_AUTH_MECHANISM:
      /* The stored choice, not Jam's implied OAuth. */
      {
        ProvAuthMechanism mechanism;
        g_object_get (target, "auth-mechanism", &mechanism, NULL);
        return mechanism;
      }
    case PROV_FIELD_DISPLAY_NAME:
    case PROV_FIELD_URL:
    case PROV_FIELD_USERNAME:
    case PROV_FIELD_PASSWORD:
    case PROV_FIELD_COMMON_NAME:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_FIELD_CA_FILE:
    case PROV_N_FIELDS:
    default:
      g_return_val_if_reached (0);
    }
}

/* Copies one field of the target into its row. */
static void
load_field (ProvTargetEditor *self,
            ProvField         field)
{
  GtkWidget *row = self->rows[field];

  if (row == NULL)
    return;

  self->updating = TRUE;

  if (field == PROV_FIELD_CLIENT_CERTIFICATE)
    {
      g_autofree char *description = NULL;

      if (self->target != NULL)
        description = prov_client_certificate_describe (prov_target_system_get_text (self->target, field));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   description ? description : _("None yet: generate or import one"));
      update_certificate_actions (self);
    }
  else if (prov_field_is_text (field))
    {
      const char *value = self->target ? prov_target_system_get_text (self->target, field) : "";

      /* Rewriting identical text would move the cursor while typing. */
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value) != 0)
        gtk_editable_set_text (GTK_EDITABLE (row), value);
    }
  else if (self->target != NULL)
    {
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), combo_index_for (self->target, field));
    }

  self->updating = FALSE;
}

static void
load_all_fields (ProvTargetEditor *self)
{
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    load_field (self, i);
  update_titles (self);
  update_visibility (self);
}

static void
update_problems (ProvTargetEditor *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  ProvTargetKind kind = self->target ? prov_target_system_get_kind (self->target)
                                     : PROV_TARGET_KIND_SAP_JAM;

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (self->reasons[i] == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: a field title and why its value is not accepted */
      g_string_append_printf (text, _("%s: %s"), prov_field_get_title (i, kind), self->reasons[i]);
    }

  gtk_label_set_text (self->problems_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), text->len > 0);
}

static void
set_reason (ProvTargetEditor *self,
            ProvField         field,
            const char       *reason)
{
  GtkWidget *row = row_for (self, field);

  g_free (self->reasons[field]);
  self->reasons[field] = g_strdup (reason);

  /* The certificate row shows its key's reason too; keep the worse one. */
  if (field == PROV_FIELD_CERTIFICATE_KEY && reason == NULL &&
      self->reasons[PROV_FIELD_CLIENT_CERTIFICATE] != NULL)
    return;

  if (reason != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  gtk_widget_set_visible (icon_for (self, field), reason != NULL);
  gtk_widget_set_tooltip_text (icon_for (self, field), reason);
  gtk_widget_set_tooltip_text (row, reason);

  if (reason != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               reason != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
target_notify_cb (ProvTargetEditor *self,
                  GParamSpec       *pspec,
                  ProvTargetSystem *target)
{
  const char *name = g_param_spec_get_name (pspec);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (g_strcmp0 (name, prov_field_get_key (i)) == 0 ||
          (i == PROV_FIELD_KIND && g_str_equal (name, "kind")) ||
          (i == PROV_FIELD_VERSION && g_str_equal (name, "version")) ||
          (i == PROV_FIELD_AUTH_MECHANISM && g_str_equal (name, "auth-mechanism")))
        {
          load_field (self, i);
          /* A mark is about the value it judged; this one is new (a secret
           * arriving from the keyring, a generated certificate). */
          if (self->reasons[i] != NULL)
            {
              set_reason (self, i, NULL);
              update_problems (self);
            }
          break;
        }
    }

  if (g_str_equal (name, "kind") || g_str_equal (name, "auth-mechanism"))
    {
      update_titles (self);
      update_visibility (self);
      update_problems (self);
    }
}

static ProvField
field_of_row (ProvTargetEditor *self,
              GtkWidget        *row)
{
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (self->rows[i] == row)
      return i;
  g_return_val_if_reached (PROV_N_FIELDS);
}

static void
row_changed_cb (ProvTargetEditor *self,
                GtkEditable      *row)
{
  ProvField field = field_of_row (self, GTK_WIDGET (row));

  if (self->updating || self->target == NULL)
    return;

  /* A mark is about the old value; the person is fixing it. */
  if (self->reasons[field] != NULL)
    {
      set_reason (self, field, NULL);
      update_problems (self);
    }

  prov_target_system_set_text (self->target, field, gtk_editable_get_text (row));
}

static void
combo_selected_cb (ProvTargetEditor *self,
                   GParamSpec       *pspec,
                   AdwComboRow      *row)
{
  ProvField field = field_of_row (self, GTK_WIDGET (row));
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || self->target == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  switch (field)
    {
    case PROV_FIELD_KIND:
      prov_target_system_set_kind (self->target, selected);
      break;
    case PROV_FIELD_VERSION:
      prov_target_system_set_version (self->target,
                                      selected == 0 ? PROV_SCIM_VERSION_1 : PROV_SCIM_VERSION_2);
      break;
    case PROV_FIELD_AUTH_MECHANISM:
      prov_target_system_set_auth_mechanism (self->target, selected);
      break;
    case PROV_FIELD_DISPLAY_NAME:
    case PROV_FIELD_URL:
    case PROV_FIELD_USERNAME:
    case PROV_FIELD_PASSWORD:
    case PROV_FIELD_COMMON_NAME:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_FIELD_CA_FILE:
    case PROV_N_FIELDS:
    default:
      g_return_if_reached ();
    }
}

static void
update_editable (ProvTargetEditor *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_minute_spin), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_hour_spin), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deprovision_row), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->threshold_users_spin), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->threshold_percent_spin), self->editable);

  if (self->editable)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "read-only");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "read-only");

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (self->rows[i] == NULL || i == PROV_FIELD_CLIENT_CERTIFICATE)
        continue;
      if (prov_field_is_text (i))
        gtk_editable_set_editable (GTK_EDITABLE (self->rows[i]), self->editable);
      else
        gtk_widget_set_sensitive (self->rows[i], self->editable);
    }
  update_certificate_actions (self);
}


/* Provisioning settings */

static void
bind_spin (ProvTargetEditor *self,
           const char       *property,
           GtkSpinButton    *spin)
{
  GBinding *binding = g_object_bind_property (self->target, property,
                                              gtk_spin_button_get_adjustment (spin), "value",
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_ptr_array_add (self->settings_bindings, g_object_ref (binding));
}

static void
binding_unbind (gpointer data)
{
  g_binding_unbind (data);
  g_object_unref (data);
}

/* Rebinds the settings rows to the target on screen. */
static void
bind_settings (ProvTargetEditor *self)
{
  g_ptr_array_set_size (self->settings_bindings, 0);
  gtk_widget_set_visible (self->provisioning_group, self->target != NULL);
  if (self->target == NULL)
    return;

  bind_spin (self, "rate-per-minute", self->rate_minute_spin);
  bind_spin (self, "rate-per-hour", self->rate_hour_spin);
  bind_spin (self, "threshold-users", self->threshold_users_spin);
  bind_spin (self, "threshold-percent", self->threshold_percent_spin);

  self->updating = TRUE;
  adw_combo_row_set_selected (self->deprovision_row,
                              prov_target_system_get_deprovision_mode (self->target));
  self->updating = FALSE;
}

static void
deprovision_selected_cb (ProvTargetEditor *self)
{
  if (self->updating || self->target == NULL)
    return;
  prov_target_system_set_deprovision_mode (self->target,
                                           adw_combo_row_get_selected (self->deprovision_row));
}

/* Certificates and files */

static void
update_certificate_actions (ProvTargetEditor *self)
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
  prov_target_system_set_text (self->target, PROV_FIELD_CLIENT_CERTIFICATE, certificate_pem);
  prov_target_system_set_text (self->target, PROV_FIELD_CERTIFICATE_KEY, key_pem);
  set_reason (self, PROV_FIELD_CLIENT_CERTIFICATE, NULL);
  set_reason (self, PROV_FIELD_CERTIFICATE_KEY, NULL);
  update_problems (self);

  /* The key is secret; do not leave copies in freed memory. */
  if (key_pem != NULL)
    memset (key_pem, 0, strlen (key_pem));
  g_free (key_pem);
  g_free (certificate_pem);
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
        emit_message (self, error->message, TRUE);
      return;
    }

  if (self->target == NULL)
    {
      take_certificate (self, NULL, key_pem);
      g_free (certificate_pem);
      return;
    }

  take_certificate (self, certificate_pem, key_pem);
  emit_message (self, _("Client certificate generated. Save the target system, then save the certificate and import it at the technical user."), FALSE);
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
      emit_message (self, _("The certificate was not generated: enter the user ID of the administrator, such as P000123."), TRUE);
      return;
    }

  prov_client_certificate_generate_async (prov_target_system_get_text (self->target, PROV_FIELD_COMMON_NAME),
                                          admin, self->cancellable,
                                          generated_cb, g_object_ref (self));
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
      set_reason (self, PROV_FIELD_COMMON_NAME, reason);
      update_problems (self);
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
import_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ProvTargetEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The certificate file could not be read: %s"), error->message);
          emit_message (self, text, TRUE);
        }
      return;
    }

  if (self->target == NULL)
    return;

  if (!prov_target_system_import_client_certificate (self->target, bytes, &error))
    {
      emit_message (self, error->message, TRUE);
      return;
    }

  emit_message (self, _("Client certificate imported. Save the target system to keep it."), FALSE);
}

static void
import_response_cb (GtkNativeDialog  *chooser,
                    int               response,
                    ProvTargetEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_file_load_bytes_async (file, self->cancellable, import_loaded_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
import_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  static const char * const patterns[] = { "*.pem", "*.crt", "*.p12", "*.pfx", NULL };

  prov_show_file_chooser (widget, _("Import Client Certificate"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Import"), _("Certificates (PEM, PKCS#12)"), patterns, NULL,
                          G_CALLBACK (import_response_cb), widget);
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
      text = g_strdup_printf (_("The certificate could not be saved to “%s”: %s"), path, error->message);
      emit_message (self, text, TRUE);
      return;
    }

  text = g_strdup_printf (_("Certificate saved to “%s”. Import it at the technical user in Identity Provisioning."), path);
  emit_message (self, text, FALSE);
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

static void
prov_target_editor_dispose (GObject *object)
{
  ProvTargetEditor *self = (ProvTargetEditor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  prov_target_editor_set_target (self, NULL);
  g_clear_pointer (&self->settings_bindings, g_ptr_array_unref);
  /* AdwBin unparents its child itself; the template must not do it again. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_TARGET_EDITOR);

  G_OBJECT_CLASS (prov_target_editor_parent_class)->dispose (object);
}

static void
prov_target_editor_finalize (GObject *object)
{
  ProvTargetEditor *self = (ProvTargetEditor *)object;

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    g_clear_pointer (&self->reasons[i], g_free);

  G_OBJECT_CLASS (prov_target_editor_parent_class)->finalize (object);
}

static void
prov_target_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ProvTargetEditor *self = PROV_TARGET_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_object (value, self->target);
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ProvTargetEditor *self = PROV_TARGET_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      prov_target_editor_set_target (self, g_value_get_object (value));
      break;
    case PROP_EDITABLE:
      prov_target_editor_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_editor_class_init (ProvTargetEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = prov_target_editor_dispose;
  object_class->finalize = prov_target_editor_finalize;
  object_class->get_property = prov_target_editor_get_property;
  object_class->set_property = prov_target_editor_set_property;

  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL, PROV_TYPE_TARGET_SYSTEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-target-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, page);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, problems_group);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, problems_label);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, url_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, version_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, auth_mechanism_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, username_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, common_name_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, certificate_password_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, token_url_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, client_certificate_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, generate_button);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, import_button);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, provisioning_group);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, rate_minute_spin);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, rate_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, deprovision_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, threshold_users_spin);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, threshold_percent_spin);

  /**
   * ProvTargetEditor::message:
   * @text: a sentence for people
   * @is_error: whether it reports a failure (stays on screen) or a success
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "editor.generate-certificate", NULL, generate_certificate_action);
  gtk_widget_class_install_action (widget_class, "editor.import-certificate", NULL, import_certificate_action);
  gtk_widget_class_install_action (widget_class, "editor.export-certificate", NULL, export_certificate_action);
  gtk_widget_class_install_action (widget_class, "editor.choose-ca-file", NULL, choose_ca_file_action);
}

static void
prov_target_editor_init (ProvTargetEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  prov_button_fix_accessible_name (GTK_BUTTON (self->generate_button));
  prov_button_fix_accessible_name (GTK_BUTTON (self->import_button));

  self->rows[PROV_FIELD_DISPLAY_NAME] = self->display_name_row;
  self->rows[PROV_FIELD_KIND] = self->kind_row;
  self->rows[PROV_FIELD_URL] = self->url_row;
  self->rows[PROV_FIELD_VERSION] = self->version_row;
  self->rows[PROV_FIELD_AUTH_MECHANISM] = self->auth_mechanism_row;
  self->rows[PROV_FIELD_USERNAME] = self->username_row;
  self->rows[PROV_FIELD_PASSWORD] = self->password_row;
  self->rows[PROV_FIELD_COMMON_NAME] = self->common_name_row;
  self->rows[PROV_FIELD_CERTIFICATE_PASSWORD] = self->certificate_password_row;
  self->rows[PROV_FIELD_TOKEN_URL] = self->token_url_row;
  self->rows[PROV_FIELD_CLIENT_ID] = self->client_id_row;
  self->rows[PROV_FIELD_CLIENT_SECRET] = self->client_secret_row;
  self->rows[PROV_FIELD_CLIENT_CERTIFICATE] = GTK_WIDGET (self->client_certificate_row);
  self->rows[PROV_FIELD_CERTIFICATE_KEY] = NULL;
  self->rows[PROV_FIELD_CA_FILE] = self->ca_file_row;
  self->cancellable = g_cancellable_new ();
  self->settings_bindings = g_ptr_array_new_with_free_func (binding_unbind);
  g_signal_connect_object (self->deprovision_row, "notify::selected",
                           G_CALLBACK (deprovision_selected_cb), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      GtkWidget *icon;

      if (self->rows[i] == NULL)
        continue;

      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_visible (icon, FALSE);
      self->error_icons[i] = icon;

      if (ADW_IS_ENTRY_ROW (self->rows[i]))
        {
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->rows[i]), icon);
          g_signal_connect_object (self->rows[i], "changed",
                                   G_CALLBACK (row_changed_cb), self,
                                   G_CONNECT_SWAPPED);
        }
      else if (!ADW_IS_COMBO_ROW (self->rows[i]))
        {
          adw_action_row_add_prefix (ADW_ACTION_ROW (self->rows[i]), icon);
        }
      else
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (self->rows[i]), icon);
          g_signal_connect_object (self->rows[i], "notify::selected",
                                   G_CALLBACK (combo_selected_cb), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  name_peek_button (self->password_row);
  name_peek_button (self->certificate_password_row);
  name_peek_button (self->client_secret_row);

  update_titles (self);
  update_visibility (self);
  update_editable (self);
}

GtkWidget *
prov_target_editor_new (void)
{
  return g_object_new (PROV_TYPE_TARGET_EDITOR, NULL);
}

ProvTargetSystem *
prov_target_editor_get_target (ProvTargetEditor *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_EDITOR (self), NULL);
  return self->target;
}

void
prov_target_editor_set_target (ProvTargetEditor *self,
                               ProvTargetSystem *target)
{
  g_return_if_fail (PROV_IS_TARGET_EDITOR (self));
  g_return_if_fail (target == NULL || PROV_IS_TARGET_SYSTEM (target));

  if (self->target == target)
    return;

  if (self->target != NULL)
    g_signal_handlers_disconnect_by_func (self->target, target_notify_cb, self);

  g_set_object (&self->target, target);

  if (self->target != NULL)
    g_signal_connect_object (self->target, "notify",
                             G_CALLBACK (target_notify_cb), self,
                             G_CONNECT_SWAPPED);

  prov_target_editor_show_reasons (self, NULL);
  load_all_fields (self);
  bind_settings (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

gboolean
prov_target_editor_get_editable (ProvTargetEditor *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_EDITOR (self), FALSE);
  return self->editable;
}

void
prov_target_editor_set_editable (ProvTargetEditor *self,
                                 gboolean          editable)
{
  g_return_if_fail (PROV_IS_TARGET_EDITOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  update_editable (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

void
prov_target_editor_show_reasons (ProvTargetEditor  *self,
                                 char             **reasons)
{
  g_return_if_fail (PROV_IS_TARGET_EDITOR (self));

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    set_reason (self, i, reasons ? reasons[i] : NULL);
  update_problems (self);

  if (reasons != NULL)
    {
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        {
          GtkWidget *row = row_for (self, i);

          if (reasons[i] != NULL && gtk_widget_get_visible (row))
            {
              gtk_widget_grab_focus (row);
              break;
            }
        }
    }
}

const char *
prov_target_editor_get_reason (ProvTargetEditor *self,
                               ProvField         field)
{
  g_return_val_if_fail (PROV_IS_TARGET_EDITOR (self), NULL);
  g_return_val_if_fail (field < PROV_N_FIELDS, NULL);
  return self->reasons[field];
}

GtkWidget *
prov_target_editor_get_row (ProvTargetEditor *self,
                            ProvField         field)
{
  g_return_val_if_fail (PROV_IS_TARGET_EDITOR (self), NULL);
  g_return_val_if_fail (field < PROV_N_FIELDS, NULL);
  return row_for (self, field);
}

void
prov_target_editor_focus_first (ProvTargetEditor *self)
{
  g_return_if_fail (PROV_IS_TARGET_EDITOR (self));
  gtk_widget_grab_focus (self->rows[PROV_FIELD_DISPLAY_NAME]);
}
