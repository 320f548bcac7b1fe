/* prov-target-editor.c — the form of one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

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
  GtkWidget           *delete_button;
};

G_DEFINE_FINAL_TYPE (ProvTargetEditor, prov_target_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TARGET,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
      const char *title = prov_field_get_title (i, kind);

      /* Rows name themselves for screen readers after their title. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[i]), title);
    }
}

static void
update_visibility (ProvTargetEditor *self)
{
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    gtk_widget_set_visible (self->rows[i],
                            self->target != NULL &&
                            prov_target_system_field_is_visible (self->target, i));
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
    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
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

  self->updating = TRUE;

  if (prov_field_is_text (field))
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
  GtkWidget *row = self->rows[field];

  g_free (self->reasons[field]);
  self->reasons[field] = g_strdup (reason);

  if (reason != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  gtk_widget_set_visible (self->error_icons[field], reason != NULL);
  gtk_widget_set_tooltip_text (self->error_icons[field], reason);
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
    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_N_FIELDS:
    default:
      g_return_if_reached ();
    }
}

static void
update_editable (ProvTargetEditor *self)
{
  if (self->editable)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "read-only");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "read-only");

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (prov_field_is_text (i))
        gtk_editable_set_editable (GTK_EDITABLE (self->rows[i]), self->editable);
      else
        gtk_widget_set_sensitive (self->rows[i], self->editable);
    }
}

static void
prov_target_editor_dispose (GObject *object)
{
  ProvTargetEditor *self = (ProvTargetEditor *)object;

  prov_target_editor_set_target (self, NULL);
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
  gtk_widget_class_bind_template_child (widget_class, ProvTargetEditor, delete_button);
}

static void
prov_target_editor_init (ProvTargetEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  prov_button_fix_accessible_name (GTK_BUTTON (self->delete_button));

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

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_visible (icon, FALSE);
      self->error_icons[i] = icon;

      if (prov_field_is_text (i))
        {
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->rows[i]), icon);
          g_signal_connect_object (self->rows[i], "changed",
                                   G_CALLBACK (row_changed_cb), self,
                                   G_CONNECT_SWAPPED);
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
          if (reasons[i] != NULL && gtk_widget_get_visible (self->rows[i]))
            {
              gtk_widget_grab_focus (self->rows[i]);
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
  return self->rows[field];
}

void
prov_target_editor_focus_first (ProvTargetEditor *self)
{
  g_return_if_fail (PROV_IS_TARGET_EDITOR (self));
  gtk_widget_grab_focus (self->rows[PROV_FIELD_DISPLAY_NAME]);
}

void
prov_target_editor_set_deletable (ProvTargetEditor *self,
                                  gboolean          deletable)
{
  g_return_if_fail (PROV_IS_TARGET_EDITOR (self));
  gtk_widget_set_visible (self->delete_button, deletable);
}
