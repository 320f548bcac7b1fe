/* prov-ui-util.c — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-ui-util.h"

/* GTK 4.8 names a labelled button twice — its raw label ("_Save", with the
 * mnemonic underscore) and then its label widget ("Save") — so screen
 * readers say "_Save Save". The label widget alone is the visible label. */
void
prov_button_fix_accessible_name (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* A button with a custom child has no name at all: give it its label's
 * text, without the mnemonic underscore. */
void
prov_button_fix_accessible_name_from_label (GtkButton *button,
                                            GtkLabel  *label)
{
  g_return_if_fail (GTK_IS_BUTTON (button));
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (label),
                                  -1);
}
