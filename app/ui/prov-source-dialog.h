/* prov-source-dialog.h — configures where the users come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-target-service.h"

G_BEGIN_DECLS

#define PROV_TYPE_SOURCE_DIALOG (prov_source_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ProvSourceDialog, prov_source_dialog, PROV, SOURCE_DIALOG, AdwWindow)

/* Edits a copy of the service's source; Save hands it to the service
 * (keyring, then source.json) and emits ::saved. */
ProvSourceDialog *prov_source_dialog_new (GtkWindow         *parent,
                                          ProvTargetService *service);

G_END_DECLS
