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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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

void
_prov_window_narrow_init (ProvWindow *self)
{
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (update_header_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_button, "notify::visible", G_CALLBACK (update_header_cb),
                           self, G_CONNECT_SWAPPED);
  update_header_cb (self);
}
