/* prov-window-narrow.c — the main window down to 360 px
 *
 * libadwaita 1.2 has no breakpoints: the leaflet folds, the target's
 * action bar squeezes History and Delete into a menu (prov-window.ui),
 * and, folded, the content's header bar keeps only the Close button of
 * the window's buttons, as GNOME's apps do on a phone, and while editing
 * neither that nor the title (Cancel, Save and the menu need the room;
 * the form begins with the name and type; Ctrl+W still closes), so that
 * nothing is cut off.
 *
 * Folded, the sidebar is a page of its own: a click on a target opens its
 * page, also on the target already chosen (after Back), which the list's
 * selection alone would not notice. Unfolded, a click on the target on
 * view (restored at start, not chosen yet) chooses it, so that its page
 * still shows once the window is narrowed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-target-row.h"
#include "prov-window-private.h"

static void
update_header_cb (ProvWindow *self)
{
  /* The content's first child is its header bar. */
  GtkWidget *header = gtk_widget_get_first_child (self->content);
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  /* Save shows exactly while editing. */
  gboolean editing = gtk_widget_get_visible (self->save_button);

  g_return_if_fail (ADW_IS_HEADER_BAR (header));
  adw_header_bar_set_decoration_layout (ADW_HEADER_BAR (header), folded ? ":close" : NULL);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), !(folded && editing));
  gtk_widget_set_visible (GTK_WIDGET (self->content_title), !(folded && editing));
}

static void
list_released_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  ProvWindow      *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked ? gtk_widget_get_ancestor (picked, PROV_TYPE_TARGET_ROW) : NULL;

  /* The list's own row around ours (its padding) counts too. */
  if (row == NULL && picked != NULL && PROV_IS_TARGET_ROW (gtk_widget_get_first_child (picked)))
    row = gtk_widget_get_first_child (picked);

  if (row == NULL || self->selection_mode ||
      prov_target_row_get_target (PROV_TARGET_ROW (row)) != self->current || self->current == NULL)
    return;
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

void
_prov_window_narrow_init (ProvWindow *self)
{
  GtkEventController *click;

  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (update_header_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_button, "notify::visible", G_CALLBACK (update_header_cb),
                           self, G_CONNECT_SWAPPED);
  update_header_cb (self);

  /* Before the list's rows take the click: only looks, never claims it. */
  click = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (click, GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "released", G_CALLBACK (list_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), click);
}
