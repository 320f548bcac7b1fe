/* prov-history-run.h — one provisioning run, as History lists it
 *
 * An item of the GListStore that History's list is bound to: when the run
 * started, in the locale's words, and its outcome in SAP's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-journal.h"

G_BEGIN_DECLS

#define PROV_TYPE_HISTORY_RUN (prov_history_run_get_type ())
G_DECLARE_FINAL_TYPE (ProvHistoryRun, prov_history_run, PROV, HISTORY_RUN, GObject)

/* Copies what it needs of @run. */
ProvHistoryRun *prov_history_run_new         (const ProvJournalRun *run);
const char     *prov_history_run_get_path    (ProvHistoryRun       *self);
/* "4 December 2026, 13:57:08", in the locale's words and order. */
const char     *prov_history_run_get_when    (ProvHistoryRun       *self);
/* "12 users provisioned, 2 failed" */
const char     *prov_history_run_get_outcome (ProvHistoryRun       *self);
gboolean        prov_history_run_get_failed  (ProvHistoryRun       *self);
/* FALSE for a run that could not start: its outcome says why, and it has
 * no lines to show. */
gboolean        prov_history_run_get_started (ProvHistoryRun       *self);

G_END_DECLS
