/* prov-application.h — the desktop front end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PROV_TYPE_APPLICATION (prov_application_get_type ())
G_DECLARE_FINAL_TYPE (ProvApplication, prov_application, PROV, APPLICATION, AdwApplication)

ProvApplication *prov_application_new      (void);
/* Starts with the demo service, source and target (provisioner --demo). */
void             prov_application_set_demo (ProvApplication *self,
                                            gboolean         demo);

/* The About window over @parent, every control named for screen readers. */
GtkWindow       *prov_about_window_new     (GtkWindow       *parent);

G_END_DECLS
