/* prov-ui-util.h — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void prov_button_fix_accessible_name            (GtkButton *button);
void prov_button_fix_accessible_name_from_label (GtkButton *button,
                                                 GtkLabel  *label);

G_END_DECLS
