/* prov-target-editor-private.h — ProvTargetEditor's state, shared by its files
 *
 * prov-target-editor.c holds the form and its fields;
 * prov-target-editor-certificate.c the certificate and CA file actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-editor.h"

G_BEGIN_DECLS

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
  AdwPreferencesGroup *auth_group;
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
  GtkSwitch           *real_time_switch;
  GtkSpinButton       *rate_minute_spin;
  GtkSpinButton       *rate_hour_spin;
  AdwComboRow         *deprovision_row;
  GtkSpinButton       *threshold_users_spin;
  GtkSpinButton       *threshold_percent_spin;
  GBindingGroup       *settings;       /* the settings rows, bound to the target */
  GSignalGroup        *target_signals; /* the target's notify, while it is shown */

  GCancellable        *cancellable;   /* certificate work and file choosers */
};

/* prov-target-editor.c */
void _prov_target_editor_set_reason      (ProvTargetEditor *self,
                                          ProvField         field,
                                          const char       *reason);
void _prov_target_editor_update_problems (ProvTargetEditor *self);
void _prov_target_editor_emit_message    (ProvTargetEditor *self,
                                          const char       *text,
                                          gboolean          is_error);

/* prov-target-editor-certificate.c */
void _prov_target_editor_update_certificate_actions (ProvTargetEditor *self);
void _prov_target_editor_class_certificate_init     (GtkWidgetClass   *widget_class);

G_END_DECLS
