/* prov-run-batch.h — several targets provisioned one after another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-run.h"
#include "prov-target-service.h"

G_BEGIN_DECLS

#define PROV_TYPE_RUN_BATCH (prov_run_batch_get_type ())
G_DECLARE_FINAL_TYPE (ProvRunBatch, prov_run_batch, PROV, RUN_BATCH, GObject)

/* "All users to these targets" (@only NULL) or "these users (folded user
 * names) to these targets". @targets: ProvTargetSystem of the service's
 * store, in the order they run. */
ProvRunBatch  *prov_run_batch_new               (ProvTargetService  *service,
                                                 GPtrArray          *targets,
                                                 GHashTable         *only);

/* How many users were picked by name; 0 for "all users". */
guint          prov_run_batch_get_n_selected    (ProvRunBatch       *self);

/* Users already read (the Users view): no second read. @complete as
 * prov_source_read_users_finish() reports it. */
void           prov_run_batch_set_users         (ProvRunBatch       *self,
                                                 GPtrArray          *users,
                                                 gboolean            complete);
/* Where journals and the records of pushes go (tests); NULL = default. */
void           prov_run_batch_set_state_dir     (ProvRunBatch       *self,
                                                 const char         *dir);
void           prov_run_batch_set_time_scale    (ProvRunBatch       *self,
                                                 double              scale);

/* Reads the source once (unless given), with its secrets, and plans every
 * target. A target that cannot be planned — its secrets, the source that
 * could not be read — is not an error of the batch: its sentence is in
 * prov_run_batch_get_problem(). Only cancelling fails. */
void           prov_run_batch_prepare_async     (ProvRunBatch       *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean       prov_run_batch_prepare_finish    (ProvRunBatch       *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

guint          prov_run_batch_get_n_runs        (ProvRunBatch       *self);
ProvRun       *prov_run_batch_get_run           (ProvRunBatch       *self,
                                                 guint               index);
/* Why run @index could not be planned, or NULL. */
const char    *prov_run_batch_get_problem       (ProvRunBatch       *self,
                                                 guint               index);
/* The same as an error, for its code (a keyring that is locked, …). */
const GError  *prov_run_batch_get_problem_error (ProvRunBatch       *self,
                                                 guint               index);
/* Rows or pages of the source that were left out (sentences). */
const char * const *prov_run_batch_get_source_problems (ProvRunBatch *self);
/* Operations of every planned run. */
guint          prov_run_batch_get_n_operations  (ProvRunBatch       *self);

/* The safety threshold: a run whose plan needs confirmation runs only when
 * the person confirmed that target. */
void           prov_run_batch_set_confirmed     (ProvRunBatch       *self,
                                                 guint               index,
                                                 gboolean            confirmed);
/* TRUE when every run that needs confirmation has it. */
gboolean       prov_run_batch_all_confirmed     (ProvRunBatch       *self);

/* Runs the planned runs with work, one after another. Emits ::run-started
 * and ::run-finished (index) around each, and ::progress (operations
 * done, of all) while it goes. A run
 * that fails as a whole (journal, confirmation) is kept in
 * prov_run_batch_get_run_error() and the next one goes on. Cancelling
 * stops the current run (users on the wire finish) and the rest, and the
 * batch fails with G_IO_ERROR_CANCELLED. */
void           prov_run_batch_execute_async     (ProvRunBatch       *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean       prov_run_batch_execute_finish    (ProvRunBatch       *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* Why run @index failed as a whole, or NULL. */
const char    *prov_run_batch_get_run_error     (ProvRunBatch       *self,
                                                 guint               index);
guint          prov_run_batch_get_n_done        (ProvRunBatch       *self);
guint          prov_run_batch_get_n_succeeded   (ProvRunBatch       *self);
/* Of those, the operations of @action (users created, updated, …). */
guint          prov_run_batch_get_n_succeeded_for (ProvRunBatch     *self,
                                                 ProvAction          action);
/* Users every planned run found already as they are in the source. */
guint          prov_run_batch_get_n_unchanged   (ProvRunBatch       *self);
guint          prov_run_batch_get_n_failed      (ProvRunBatch       *self);
/* The engine of the run going on, or NULL (for its rate and time left). */
ProvEngine    *prov_run_batch_get_current_engine (ProvRunBatch      *self);

/* A new batch of only the users that failed, per target; NULL when none
 * failed. It is prepared already. */
ProvRunBatch  *prov_run_batch_new_retry         (ProvRunBatch       *self);

G_END_DECLS
