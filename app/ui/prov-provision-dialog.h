/* prov-provision-dialog.h — plan, run and summary of a provisioning run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-run.h"

G_BEGIN_DECLS

#define PROV_TYPE_PROVISION_DIALOG (prov_provision_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ProvProvisionDialog, prov_provision_dialog, PROV, PROVISION_DIALOG, AdwWindow)

/* Prepares every run of @runs (ProvRun, one per target), shows their plans,
 * runs them one after the other when asked, and ends with SAP's summary
 * "<n> users provisioned" and the failures with their reasons. */
ProvProvisionDialog *prov_provision_dialog_new (GtkWindow *parent,
                                                GPtrArray *runs);

G_END_DECLS
