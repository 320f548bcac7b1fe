/* prov-provision-summary.h — the page at the end of a provisioning run
 *
 * SAP's "<n> users provisioned", then what the run did (created, updated,
 * deactivated, deleted, unchanged, failed), the first failures with their
 * reasons, how long it took, and the way to the target's History.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "prov-run-batch.h"

G_BEGIN_DECLS

/* Failures listed by name; the rest are counted ("and 12 more") and all
 * of them are in the History. */
#define PROV_PROVISION_SUMMARY_MAX_FAILURES 20

#define PROV_TYPE_PROVISION_SUMMARY (prov_provision_summary_get_type ())
G_DECLARE_FINAL_TYPE (ProvProvisionSummary, prov_provision_summary, PROV, PROVISION_SUMMARY, GtkWidget)

/* Shows the outcome of @batch, executed (or cancelled) in @seconds. */
void       prov_provision_summary_show (ProvProvisionSummary *self,
                                        ProvRunBatch         *batch,
                                        gboolean              cancelled,
                                        gint64                seconds);

/* A row "title … count" (the plan's and the summary's). */
GtkWidget *prov_count_row_new          (const char           *title,
                                        guint                 count);

/* A duration in words: "5 seconds", "3 minutes", "2 hours". */
char      *prov_format_duration        (gint64                seconds);

G_END_DECLS
