/* prov-history-dialog.h — the journal of a target's provisioning runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

#define PROV_TYPE_HISTORY_DIALOG (prov_history_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ProvHistoryDialog, prov_history_dialog, PROV, HISTORY_DIALOG, AdwWindow)

/* Lists the runs of @target found in @journal_dir (NULL: the default), and
 * the users of one run; a run can be exported as CSV. */
ProvHistoryDialog *prov_history_dialog_new (GtkWindow        *parent,
                                            ProvTargetSystem *target,
                                            const char       *journal_dir);

G_END_DECLS
