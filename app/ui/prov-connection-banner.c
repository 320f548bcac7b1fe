/* prov-connection-banner.c — the result of Test Connection, where it is read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-connection-banner.h"
#include "prov-ui-util.h"

#define RESOURCE_PREFIX "/io/github/provisioner/Provisioner"

struct _ProvConnectionBanner
{
  GtkWidget                  parent_instance;

  ProvConnectionBannerState  state;

  GtkRevealer               *revealer;
  GtkWidget                 *box;
  GtkSpinner                *spinner;
  GtkImage                  *icon;
  GtkLabel                  *label;
  GtkWidget                 *cancel_button;
  GtkWidget                 *dismiss_button;
};

G_DEFINE_FINAL_TYPE (ProvConnectionBanner, prov_connection_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_state (ProvConnectionBanner      *self,
           ProvConnectionBannerState  state,
           const char                *text)
{
  gboolean testing = state == PROV_CONNECTION_BANNER_TESTING;
  gboolean result = state == PROV_CONNECTION_BANNER_SUCCESS || state == PROV_CONNECTION_BANNER_FAILURE;

  self->state = state;

  gtk_label_set_text (self->label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), testing);
  gtk_spinner_set_spinning (self->spinner, testing);
  gtk_widget_set_visible (self->cancel_button, testing);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), result);
  gtk_widget_set_visible (self->dismiss_button, result);

  /* Said in words and by the icon's shape, not only by its colour. */
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
  if (state == PROV_CONNECTION_BANNER_SUCCESS)
    {
      gtk_image_set_from_icon_name (self->icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Success"), -1);
    }
  else if (state == PROV_CONNECTION_BANNER_FAILURE)
    {
      gtk_image_set_from_icon_name (self->icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Failure"), -1);
    }

  /* The focus lands on Dismiss: its description is what a screen reader
   * says next. */
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (result ? self->dismiss_button : self->cancel_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);

  gtk_revealer_set_reveal_child (self->revealer, state != PROV_CONNECTION_BANNER_HIDDEN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * prov_connection_banner_show_testing:
 *
 * A test has started: spinner and Cancel, the previous result gone.
 */
void
prov_connection_banner_show_testing (ProvConnectionBanner *self)
{
  g_return_if_fail (PROV_IS_CONNECTION_BANNER (self));
  set_state (self, PROV_CONNECTION_BANNER_TESTING, _("Testing the connection…"));
}

void
prov_connection_banner_show_result (ProvConnectionBanner *self,
                                    gboolean              success,
                                    const char           *sentence)
{
  g_return_if_fail (PROV_IS_CONNECTION_BANNER (self));
  g_return_if_fail (sentence != NULL);

  set_state (self, success ? PROV_CONNECTION_BANNER_SUCCESS : PROV_CONNECTION_BANNER_FAILURE, sentence);
  gtk_widget_grab_focus (self->dismiss_button);
}

void
prov_connection_banner_clear (ProvConnectionBanner *self)
{
  g_return_if_fail (PROV_IS_CONNECTION_BANNER (self));

  if (self->state != PROV_CONNECTION_BANNER_HIDDEN)
    set_state (self, PROV_CONNECTION_BANNER_HIDDEN, NULL);
}

ProvConnectionBannerState
prov_connection_banner_get_state (ProvConnectionBanner *self)
{
  g_return_val_if_fail (PROV_IS_CONNECTION_BANNER (self), PROV_CONNECTION_BANNER_HIDDEN);
  return self->state;
}

const char *
prov_connection_banner_get_text (ProvConnectionBanner *self)
{
  g_return_val_if_fail (PROV_IS_CONNECTION_BANNER (self), NULL);
  return self->state == PROV_CONNECTION_BANNER_HIDDEN ? NULL : gtk_label_get_text (self->label);
}

static void
cancel_clicked_cb (ProvConnectionBanner *self)
{
  g_signal_emit (self, signals[SIGNAL_CANCEL], 0);
}

static void
dismiss_clicked_cb (ProvConnectionBanner *self)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

  /* The focus must not vanish with the banner. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self))), GTK_DIR_TAB_FORWARD);
  prov_connection_banner_clear (self);
}

static void
prov_connection_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PROV_TYPE_CONNECTION_BANNER);
  G_OBJECT_CLASS (prov_connection_banner_parent_class)->dispose (object);
}

static void
prov_connection_banner_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ProvConnectionBanner *self = PROV_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_connection_banner_class_init (ProvConnectionBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = prov_connection_banner_dispose;
  object_class->get_property = prov_connection_banner_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      PROV_CONNECTION_BANNER_HIDDEN, PROV_CONNECTION_BANNER_FAILURE,
                      PROV_CONNECTION_BANNER_HIDDEN,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ProvConnectionBanner::cancel:
   *
   * The person pressed Cancel while the test runs.
   */
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/prov-connection-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, box);
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, spinner);
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, label);
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ProvConnectionBanner, dismiss_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionbanner");
}

static void
prov_connection_banner_init (ProvConnectionBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  prov_button_fix_accessible_name (GTK_BUTTON (self->cancel_button));
}
