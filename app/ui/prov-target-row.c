/* prov-target-row.c — one target system in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-target-row.h"
#include "prov-ui-util.h"

struct _ProvTargetRow
{
  GtkWidget         parent_instance;

  ProvTargetSystem *target;
  ProvSync         *sync;
  GBinding         *title_binding;
  GBinding         *subtitle_binding;

  GtkWidget        *box;
  GtkCheckButton   *check_button;
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *sync_label;
  GtkWidget        *resume_button;
  GtkImage         *status_icon;
};

G_DEFINE_FINAL_TYPE (ProvTargetRow, prov_target_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TARGET,
  PROP_SELECTION_MODE,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The widget a screen reader meets as the list item: the list's own row,
 * which holds this one. */
static void
update_accessible_label (ProvTargetRow *self)
{
  const char *name = gtk_label_get_text (self->title_label);
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (self));

  /* The check box is announced with the name of what it selects. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);

  /* The list item is named with what it shows, the target's name, and
   * described with its type and its real-time state; not "list item". */
  if (item != NULL)
    {
      g_autofree char *description = NULL;

      if (gtk_widget_get_visible (GTK_WIDGET (self->sync_label)))
        /* Translators: 1: a type of target system, 2: its real-time state */
        description = g_strdup_printf (_("%s. %s"), gtk_label_get_text (self->subtitle_label),
                                       gtk_label_get_text (self->sync_label));
      else
        description = g_strdup (gtk_label_get_text (self->subtitle_label));
      gtk_accessible_update_property (GTK_ACCESSIBLE (item),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
    }
}

/* The sentence of the target's real-time state, or NULL when it has none
 * to show. */
static char *
sync_text (ProvTargetRow *self,
           ProvSyncState *state)
{
  const char *uuid;
  GDateTime *last_check;
  guint waiting;

  if (self->target == NULL || self->sync == NULL || !prov_target_system_get_real_time (self->target))
    return NULL;

  uuid = prov_target_system_get_uuid (self->target);
  *state = prov_sync_get_state (self->sync, uuid);
  switch (*state)
    {
    case PROV_SYNC_STATE_PUSHING:
      waiting = prov_sync_get_n_waiting (self->sync, uuid);
      return g_strdup_printf (ngettext ("Pushing, %u change waiting", "Pushing, %u changes waiting", waiting),
                              waiting);
    case PROV_SYNC_STATE_FAILING:
      /* Translators: %s says why pushing to the target fails */
      return g_strdup_printf (_("Failing: %s"), prov_sync_get_failure (self->sync, uuid));
    case PROV_SYNC_STATE_PAUSED:
      /* Translators: %s says why real-time provisioning is paused */
      return g_strdup_printf (_("Paused: %s"), prov_sync_get_pause_reason (self->sync, uuid));
    case PROV_SYNC_STATE_ELSEWHERE:
      /* provisioner sync (the systemd user unit) holds the sync */
      return g_strdup (_("Synced by another process (provisioner sync)"));
    case PROV_SYNC_STATE_IN_SYNC:
    default:
      last_check = prov_sync_get_last_check (self->sync, uuid);
      if (last_check == NULL)
        return g_strdup (_("Real-time provisioning on, waiting for the first check"));
      {
        g_autofree char *when = g_date_time_format (last_check, "%X");
        /* Translators: %s is a time of day */
        return g_strdup_printf (_("In sync, checked at %s"), when);
      }
    }
}

static void
update_sync (ProvTargetRow *self)
{
  ProvSyncState state = PROV_SYNC_STATE_IN_SYNC;
  g_autofree char *text = sync_text (self, &state);
  GtkWidget *label = GTK_WIDGET (self->sync_label);

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");
  gtk_widget_set_visible (label, text != NULL);
  gtk_widget_set_visible (self->resume_button, text != NULL && state == PROV_SYNC_STATE_PAUSED);
  if (text != NULL)
    {
      gtk_label_set_text (self->sync_label, text);
      gtk_widget_set_tooltip_text (label, text);
      gtk_widget_add_css_class (label, state == PROV_SYNC_STATE_FAILING ? "error"
                                       : state == PROV_SYNC_STATE_PAUSED ? "warning"
                                       : "dim-label");
    }
  if (self->target != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->resume_button), "s",
                                      prov_target_system_get_uuid (self->target));
  update_accessible_label (self);
}

static void
sync_target_changed_cb (ProvTargetRow *self,
                        const char    *uuid)
{
  if (self->target != NULL && g_strcmp0 (uuid, prov_target_system_get_uuid (self->target)) == 0)
    update_sync (self);
}

/* The last Test Connection, at a glance; the tooltip tells when. */
static void
update_status (ProvTargetRow *self)
{
  ProvConnectionStatus status = PROV_CONNECTION_STATUS_UNKNOWN;
  g_autoptr(GDateTime) now = NULL;
  GDateTime *time;
  gboolean today;
  g_autofree char *when = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *icon = GTK_WIDGET (self->status_icon);

  if (self->target != NULL)
    status = prov_target_system_get_connection_status (self->target);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");

  if (status == PROV_CONNECTION_STATUS_UNKNOWN)
    {
      gtk_widget_set_visible (icon, FALSE);
      return;
    }

  time = prov_target_system_get_connection_time (self->target);
  now = g_date_time_new_now_local ();
  /* A test of today by its time; one kept from another day by its date. */
  today = g_date_time_get_year (time) == g_date_time_get_year (now) &&
          g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now);
  when = today ? g_date_time_format (time, "%X") : prov_format_date_time (time);
  if (status == PROV_CONNECTION_STATUS_OK)
    {
      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      tooltip = today
                /* Translators: %s is a time of day */
                ? g_strdup_printf (_("Connection tested successfully at %s"), when)
                /* Translators: %s is a date and time */
                : g_strdup_printf (_("Connection tested successfully on %s"), when);
    }
  else
    {
      const char *message = prov_target_system_get_connection_message (self->target);

      gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "error");
      tooltip = today
                /* Translators: 1: a time of day, 2: why the test failed */
                ? g_strdup_printf (_("Connection test failed at %s: %s"), when, message)
                /* Translators: 1: a date and time, 2: why the test failed */
                : g_strdup_printf (_("Connection test failed on %s: %s"), when, message);
    }

  gtk_widget_set_tooltip_text (icon, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_set_visible (icon, TRUE);
}

static void
check_toggled_cb (ProvTargetRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
prov_target_row_dispose (GObject *object)
{
  ProvTargetRow *self = (ProvTargetRow *)object;

  prov_target_row_set_target (self, NULL);
  prov_target_row_set_sync (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PROV_TYPE_TARGET_ROW);

  G_OBJECT_CLASS (prov_target_row_parent_class)->dispose (object);
}

static void
prov_target_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ProvTargetRow *self = PROV_TARGET_ROW (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_object (value, self->target);
      break;
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, prov_target_row_get_selection_mode (self));
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, prov_target_row_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ProvTargetRow *self = PROV_TARGET_ROW (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      prov_target_row_set_target (self, g_value_get_object (value));
      break;
    case PROP_SELECTION_MODE:
      prov_target_row_set_selection_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED:
      prov_target_row_set_selected (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_row_class_init (ProvTargetRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = prov_target_row_dispose;
  object_class->get_property = prov_target_row_get_property;
  object_class->set_property = prov_target_row_set_property;

  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL, PROV_TYPE_TARGET_SYSTEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-target-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, box);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, check_button);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, ProvTargetRow, resume_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
prov_target_row_init (ProvTargetRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->check_button, "toggled",
                           G_CALLBACK (check_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->title_label, "notify::label",
                           G_CALLBACK (update_accessible_label), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->subtitle_label, "notify::label",
                           G_CALLBACK (update_accessible_label), self,
                           G_CONNECT_SWAPPED);
  /* The list gives the row its list item after it is made. */
  g_signal_connect (self, "notify::parent", G_CALLBACK (update_accessible_label), NULL);
}

GtkWidget *
prov_target_row_new (void)
{
  return g_object_new (PROV_TYPE_TARGET_ROW, NULL);
}

ProvTargetSystem *
prov_target_row_get_target (ProvTargetRow *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_ROW (self), NULL);
  return self->target;
}

void
prov_target_row_set_target (ProvTargetRow    *self,
                            ProvTargetSystem *target)
{
  g_return_if_fail (PROV_IS_TARGET_ROW (self));

  if (self->target == target)
    return;

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->subtitle_binding, g_binding_unbind);
  if (self->target != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->target, update_status, self);
      g_signal_handlers_disconnect_by_func (self->target, update_sync, self);
    }
  g_set_object (&self->target, target);
  if (target != NULL)
    {
      g_signal_connect_object (target, "notify::connection-status",
                               G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (target, "notify::real-time",
                               G_CALLBACK (update_sync), self, G_CONNECT_SWAPPED);
    }
  update_status (self);
  update_sync (self);

  if (target != NULL)
    {
      self->title_binding = g_object_bind_property (target, "display-name",
                                                    self->title_label, "label",
                                                    G_BINDING_SYNC_CREATE);
      self->subtitle_binding = g_object_bind_property (target, "kind-label",
                                                       self->subtitle_label, "label",
                                                       G_BINDING_SYNC_CREATE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

void
prov_target_row_set_sync (ProvTargetRow *self,
                          ProvSync      *sync)
{
  g_return_if_fail (PROV_IS_TARGET_ROW (self));

  if (self->sync == sync)
    return;
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_func (self->sync, sync_target_changed_cb, self);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    g_signal_connect_object (sync, "target-changed", G_CALLBACK (sync_target_changed_cb),
                             self, G_CONNECT_SWAPPED);
  update_sync (self);
}

gboolean
prov_target_row_get_selection_mode (ProvTargetRow *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->check_button));
}

void
prov_target_row_set_selection_mode (ProvTargetRow *self,
                                    gboolean       selection_mode)
{
  g_return_if_fail (PROV_IS_TARGET_ROW (self));

  if (prov_target_row_get_selection_mode (self) == !!selection_mode)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->check_button), selection_mode);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

gboolean
prov_target_row_get_selected (ProvTargetRow *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_ROW (self), FALSE);
  return gtk_check_button_get_active (self->check_button);
}

void
prov_target_row_set_selected (ProvTargetRow *self,
                              gboolean       selected)
{
  g_return_if_fail (PROV_IS_TARGET_ROW (self));
  gtk_check_button_set_active (self->check_button, selected);
}
