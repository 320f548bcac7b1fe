/* prov-run.h — one provisioning run to one target system, start to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-engine.h"
#include "prov-source.h"
#include "prov-target-service.h"

G_BEGIN_DECLS

/* SAP advises real-time provisioning for up to this many users. */
#define PROV_REAL_TIME_USER_LIMIT 500

#define PROV_TYPE_RUN (prov_run_get_type ())
G_DECLARE_FINAL_TYPE (ProvRun, prov_run, PROV, RUN, GObject)

/* Everything a front end needs for "all users to a selected target" and
 * "selected users to all targets": secrets, the source's users, what was
 * pushed before, the plan, the engine and the journal. */
ProvRun       *prov_run_new                  (ProvTargetService *service,
                                              ProvTargetSystem  *target);

/* Use these users instead of reading the source (several targets share
 * one read). @complete as prov_source_read_users_finish() reports it. */
void           prov_run_set_users            (ProvRun           *self,
                                              GPtrArray         *users,
                                              gboolean           complete);
/* Only these users (folded user names); NULL for all. */
void           prov_run_set_only             (ProvRun           *self,
                                              GHashTable        *only);
/* Where the journal and the record of pushes go (tests); NULL = default. */
void           prov_run_set_state_dir        (ProvRun           *self,
                                              const char        *dir);
/* Passed on to the engine. */
void           prov_run_set_time_scale       (ProvRun           *self,
                                              double             scale);

/* Gets a copy of the target with its secrets from the service (the run's
 * only one), reads the source (unless given), and makes
 * the plan. Failing to read the source is an error: nothing is planned. */
void           prov_run_prepare_async        (ProvRun           *self,
                                              GCancellable      *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer           user_data);
gboolean       prov_run_prepare_finish       (ProvRun           *self,
                                              GAsyncResult      *result,
                                              GError           **error);

ProvTargetSystem *prov_run_get_target        (ProvRun           *self);
ProvPlan      *prov_run_get_plan             (ProvRun           *self);
guint          prov_run_get_n_source_users   (ProvRun           *self);
/* Rows or pages of the source that were left out (sentences). */
const char * const *prov_run_get_source_problems (ProvRun       *self);

/* Runs the plan. A plan that needs confirmation runs only when @confirmed.
 * Emits ::progress while it goes. */
void           prov_run_execute_async        (ProvRun           *self,
                                              gboolean           confirmed,
                                              GCancellable      *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer           user_data);
gboolean       prov_run_execute_finish       (ProvRun           *self,
                                              GAsyncResult      *result,
                                              GError           **error);
/* Puts a run that was asked for but could not be prepared into the
 * history, with @message saying why. */
void           prov_run_record_not_started_async  (ProvRun            *self,
                                                   const char         *message,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
gboolean       prov_run_record_not_started_finish (ProvRun            *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

ProvEngine    *prov_run_get_engine           (ProvRun           *self);
/* A new run of only the operations that failed. */
ProvRun       *prov_run_new_retry            (ProvRun           *self);

/* "<n> users provisioned", as SAP's console says it. */
char          *prov_run_dup_summary          (ProvRun           *self);

G_END_DECLS
