/* prov-provision-dialog.h — plan, run and summary of a provisioning run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-run-batch.h"

G_BEGIN_DECLS

#define PROV_TYPE_PROVISION_DIALOG (prov_provision_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ProvProvisionDialog, prov_provision_dialog, PROV, PROVISION_DIALOG, AdwWindow)

/* Prepares @batch (one run per target), shows the plans, asks for the
 * targets over their safety threshold, runs it when asked, and ends with
 * SAP's summary "<n> users provisioned" and the failures with their
 * reasons. The sequencing is the batch's; this is its view. */
ProvProvisionDialog *prov_provision_dialog_new (GtkWindow    *parent,
                                                ProvRunBatch *batch);

G_END_DECLS
