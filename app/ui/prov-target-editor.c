/* prov-target-editor.c — the form of one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "prov-client-certificate.h"
#include "prov-core-enums.h"
#include "prov-target-editor-private.h"
#include "prov-ui-util.h"


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

static void bind_settings (ProvTargetEditor *self);

static GtkWidget *
icon_for (ProvTargetEditor *self,
          ProvField         field)
{
  if (field == PROV_FIELD_CERTIFICATE_KEY)
    return self->error_icons[PROV_FIELD_CLIENT_CERTIFICATE];
  return self->error_icons[field];
}

void
_prov_target_editor_emit_message (ProvTargetEditor *self,
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

/* SAP Jam and Identity Provisioning name the OAuth client's ID
 * differently; each form keeps SAP's word for it and says it is the same
 * idea (docs/sap-domain.md, "Words"). */
static const char *
auth_description (ProvTargetSystem *target)
{
  if (target == NULL)
    return NULL;
  if (prov_target_system_get_kind (target) == PROV_TARGET_KIND_SAP_JAM)
    return _("SAP Jam calls the OAuth client’s ID its Client Key; elsewhere it is the Client ID. "
             "Both come from the OAuth client registered in SAP Jam.");
  if (prov_target_system_get_auth_mechanism (target) == PROV_AUTH_MECHANISM_OAUTH)
    return _("The Client ID is what SAP Jam calls a Client Key: the ID of the OAuth client "
             "that may call Identity Provisioning.");
  return NULL;
}

static void
update_titles (ProvTargetEditor *self)
{
  ProvTargetKind kind = self->target ? prov_target_system_get_kind (self->target)
                                     : PROV_TARGET_KIND_SAP_JAM;

  adw_preferences_group_set_description (self->auth_group, auth_description (self->target));

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
  _prov_target_editor_update_certificate_actions (self);
}

/* The enumeration value @field's drop-down shows. */
static int
combo_value_for (ProvTargetSystem *target,
                 ProvField         field)
{
  int value = 0;

  /* The stored choices (for the mechanism, not Jam's implied OAuth). */
  if (field == PROV_FIELD_KIND)
    value = prov_target_system_get_kind (target);
  else if (field == PROV_FIELD_VERSION)
    value = prov_target_system_get_version (target);
  else if (field == PROV_FIELD_AUTH_MECHANISM)
    g_object_get (target, "auth-mechanism", &value, NULL);
  else
    g_return_val_if_reached (0);
  return value;
}

static void
select_value (AdwComboRow *row,
              int          value)
{
  AdwEnumListModel *model = ADW_ENUM_LIST_MODEL (adw_combo_row_get_model (row));

  adw_combo_row_set_selected (row, adw_enum_list_model_find_position (model, value));
}

static char *
enum_item_label_cb (AdwEnumListItem *item,
                    gpointer         data)
{
  GType type = GPOINTER_TO_SIZE (data);
  int value = adw_enum_list_item_get_value (item);

  if (type == PROV_TYPE_TARGET_KIND)
    return g_strdup (prov_target_kind_to_label (value));
  if (type == PROV_TYPE_AUTH_MECHANISM)
    return g_strdup (prov_auth_mechanism_to_label (value));
  if (type == PROV_TYPE_DEPROVISION_MODE)
    return g_strdup (value == PROV_DEPROVISION_DELETE ? _("Delete") : _("Deactivate"));
  return g_strdup_printf ("%d", value);
}

/* A drop-down over the values of @type, each shown by its label. */
static void
use_enum_model (AdwComboRow *row,
                GType        type)
{
  g_autoptr(AdwEnumListModel) model = adw_enum_list_model_new (type);
  g_autoptr(GtkExpression) expression =
    gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                 G_CALLBACK (enum_item_label_cb),
                                 GSIZE_TO_POINTER (type), NULL);

  adw_combo_row_set_expression (row, expression);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
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
      _prov_target_editor_update_certificate_actions (self);
    }
  else if (prov_field_is_text (field))
    {
      const char *value = self->target ? prov_target_system_get_text (self->target, field) : "";

      /* Rewriting identical text would move the cursor while typing. */
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value) != 0)
        gtk_editable_set_text (GTK_EDITABLE (row), value);
      /* A long URL on view reads from its start, not its end. */
      if (!self->editable)
        gtk_editable_set_position (GTK_EDITABLE (row), 0);
    }
  else if (self->target != NULL)
    {
      select_value (ADW_COMBO_ROW (row), combo_value_for (self->target, field));
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

void
_prov_target_editor_update_problems (ProvTargetEditor *self)
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

void
_prov_target_editor_set_reason (ProvTargetEditor *self,
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

  prov_row_set_invalid (row, reason);
  gtk_widget_set_tooltip_text (row, reason);
  gtk_widget_set_visible (icon_for (self, field), reason != NULL);
  gtk_widget_set_tooltip_text (icon_for (self, field), reason);
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
              _prov_target_editor_set_reason (self, i, NULL);
              _prov_target_editor_update_problems (self);
            }
          break;
        }
    }

  if (g_str_equal (name, "kind") || g_str_equal (name, "auth-mechanism"))
    {
      update_titles (self);
      update_visibility (self);
      _prov_target_editor_update_problems (self);
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
      _prov_target_editor_set_reason (self, field, NULL);
      _prov_target_editor_update_problems (self);
    }

  prov_target_system_set_text (self->target, field, gtk_editable_get_text (row));
}

/* Enter in a field saves, as in a form of any other GNOME app. */
static void
entry_activated_cb (GtkWidget *row)
{
  gtk_widget_activate_action (row, "win.save", NULL);
}

static void
combo_selected_cb (ProvTargetEditor *self,
                   GParamSpec       *pspec,
                   AdwComboRow      *row)
{
  ProvField field = field_of_row (self, GTK_WIDGET (row));
  AdwEnumListItem *item = adw_combo_row_get_selected_item (row);
  int value;

  if (self->updating || self->target == NULL || item == NULL)
    return;

  value = adw_enum_list_item_get_value (item);
  if (field == PROV_FIELD_KIND)
    prov_target_system_set_kind (self->target, value);
  else if (field == PROV_FIELD_VERSION)
    prov_target_system_set_version (self->target, value);
  else if (field == PROV_FIELD_AUTH_MECHANISM)
    prov_target_system_set_auth_mechanism (self->target, value);
  else
    g_return_if_reached ();
}

static void
update_editable (ProvTargetEditor *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->real_time_switch), self->editable);
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
  _prov_target_editor_update_certificate_actions (self);
}


/* Provisioning settings */

/* The deprovisioning mode as the drop-down's position, and back. */
static gboolean
mode_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  ProvTargetEditor *self = user_data;
  AdwEnumListModel *model = ADW_ENUM_LIST_MODEL (adw_combo_row_get_model (self->deprovision_row));

  g_value_set_uint (to, adw_enum_list_model_find_position (model, g_value_get_enum (from)));
  return TRUE;
}

static gboolean
selected_to_mode (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  ProvTargetEditor *self = user_data;
  g_autoptr(AdwEnumListItem) item =
    g_list_model_get_item (adw_combo_row_get_model (self->deprovision_row), g_value_get_uint (from));

  if (item == NULL)
    return FALSE;
  g_value_set_enum (to, adw_enum_list_item_get_value (item));
  return TRUE;
}

/* The settings rows follow whichever target is on screen: bound once,
 * to the group's source. */
static void
bind_settings_rows (ProvTargetEditor *self)
{
  const struct { const char *property; GtkSpinButton *spin; } spins[] = {
    { "rate-per-minute", self->rate_minute_spin },
    { "rate-per-hour", self->rate_hour_spin },
    { "threshold-users", self->threshold_users_spin },
    { "threshold-percent", self->threshold_percent_spin },
  };

  self->settings = g_binding_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_binding_group_bind (self->settings, spins[i].property,
                          gtk_spin_button_get_adjustment (spins[i].spin), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->settings, "real-time", self->real_time_switch, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->settings, "deprovision-mode", self->deprovision_row, "selected",
                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                             mode_to_selected, selected_to_mode, self, NULL);
}

static void
bind_settings (ProvTargetEditor *self)
{
  gtk_widget_set_visible (self->provisioning_group, self->target != NULL);
  g_binding_group_set_source (self->settings, self->target);
}

static void
prov_target_editor_dispose (GObject *object)
{
  ProvTargetEditor *self = (ProvTargetEditor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  prov_target_editor_set_target (self, NULL);
  g_clear_object (&self->settings);
  g_clear_object (&self->target_signals);
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
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, auth_group);
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
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, real_time_switch);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, rate_minute_spin);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, rate_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, deprovision_row);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, threshold_users_spin);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, threshold_percent_spin);

  _prov_target_editor_class_certificate_init (widget_class);

  /**
   * ProvTargetEditor::message:
   * @text: a sentence for people
   * @is_error: whether it reports a failure (stays on screen) or a success
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

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
  use_enum_model (ADW_COMBO_ROW (self->kind_row), PROV_TYPE_TARGET_KIND);
  use_enum_model (ADW_COMBO_ROW (self->version_row), PROV_TYPE_SCIM_VERSION);
  use_enum_model (ADW_COMBO_ROW (self->auth_mechanism_row), PROV_TYPE_AUTH_MECHANISM);
  use_enum_model (self->deprovision_row, PROV_TYPE_DEPROVISION_MODE);
  prov_combo_row_show_whole_values (ADW_COMBO_ROW (self->kind_row));
  prov_combo_row_show_whole_values (ADW_COMBO_ROW (self->version_row));
  prov_combo_row_show_whole_values (ADW_COMBO_ROW (self->auth_mechanism_row));
  prov_combo_row_show_whole_values (self->deprovision_row);
  self->cancellable = g_cancellable_new ();
  self->target_signals = g_signal_group_new (PROV_TYPE_TARGET_SYSTEM);
  g_signal_group_connect_swapped (self->target_signals, "notify", G_CALLBACK (target_notify_cb), self);
  bind_settings_rows (self);
  bind_settings (self);

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
          g_signal_connect (self->rows[i], "entry-activated", G_CALLBACK (entry_activated_cb), NULL);
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

  /* A switch or spin button is named after its row's visible title. */
  {
    GtkWidget *spins[] = {
      GTK_WIDGET (self->real_time_switch), GTK_WIDGET (self->rate_minute_spin), GTK_WIDGET (self->rate_hour_spin),
      GTK_WIDGET (self->threshold_users_spin), GTK_WIDGET (self->threshold_percent_spin),
    };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      gtk_accessible_update_property (GTK_ACCESSIBLE (spins[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (spins[i], ADW_TYPE_PREFERENCES_ROW))),
                                      -1);
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

  g_set_object (&self->target, target);
  g_signal_group_set_target (self->target_signals, target);

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
    _prov_target_editor_set_reason (self, i, reasons ? reasons[i] : NULL);
  _prov_target_editor_update_problems (self);

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
