/* prov-target-service.h — the lifecycle of targets and of the source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-http-client.h"
#include "prov-plan.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-target-store.h"

G_BEGIN_DECLS

#define PROV_TYPE_TARGET_SERVICE (prov_target_service_get_type ())
G_DECLARE_FINAL_TYPE (ProvTargetService, prov_target_service, PROV, TARGET_SERVICE, GObject)

/* The one owner of the target list, the source of users, their files and
 * their secrets in the keyring. Front ends (window, dialogs, command line,
 * background sync) read the models it hands out and change them only
 * through the calls below, so a save is always keyring first, then the
 * file, rolled back together on failure.
 *
 * Secrets never live in the store's targets or in the service's source:
 * whoever needs them gets a private copy with them loaded. */

/* @source: the source of users, already read; NULL to read it from
 * @source_path when loading. @source_path: source.json; NULL for the
 * default beside targets.json. */
ProvTargetService *prov_target_service_new             (ProvTargetStore     *store,
                                                        ProvSecretStore     *secrets,
                                                        ProvHttpClient      *client,
                                                        ProvSource          *source,
                                                        const char          *source_path);
/* The files of the person's configuration, the keyring, the shared client,
 * and the record of connection tests in the state folder. */
ProvTargetService *prov_target_service_new_default     (void);
/* Where the outcome of each Test Connection is kept across starts
 * (prov-connection-record.h): read when loading, written after a test and
 * after a save that made the last outcome stale. NULL (the default of
 * prov_target_service_new()): not kept. */
void               prov_target_service_set_connection_record (ProvTargetService *self,
                                                              const char        *path);
/* For a long-lived front end (the window): outcomes that other processes
 * record meanwhile (a timer's `test --all`) are set on the targets too. */
void               prov_target_service_watch_connection_record (ProvTargetService *self);

/* Watch, never change: a GListModel of ProvTargetSystem without secrets. */
ProvTargetStore   *prov_target_service_get_store       (ProvTargetService   *self);
/* The saved source, without secrets. Watch, never change. */
ProvSource        *prov_target_service_get_source      (ProvTargetService   *self);
ProvHttpClient    *prov_target_service_get_http_client (ProvTargetService   *self);

/* Reads targets.json and (unless given a source) source.json, and moves secrets kept the old way
 * (one keyring item per field) into one item per target. A damaged file
 * is moved aside and reported (PROV_ERROR_CORRUPT_FILE); the lists are
 * then usable, and the other file is still read. A keyring that cannot be
 * migrated now is not an error: the move happens when the secrets are
 * next read. */
void               prov_target_service_load_async      (ProvTargetService   *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           prov_target_service_load_finish     (ProvTargetService   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* For a front end that only lists the configuration: loading then leaves
 * the keyring alone (no bus, no keyring daemon started, no unlock prompt).
 * Secrets kept the old way still move when they are next read. */
void               prov_target_service_set_skip_migration (ProvTargetService *self,
                                                           gboolean           skip);

/* Targets */

/* Saves @edited — a copy holding the secrets the person typed — as the
 * target with its uuid, or as a new one when the store has no such uuid.
 * It must be valid (else PROV_ERROR_INVALID_FIELD with the first reason). The
 * keyring is written first, then the file; when either fails, both and the
 * store are as they were. New values forget the last connection test.
 * Returns the store's target; @created says whether it is new. */
void               prov_target_service_save_target_async  (ProvTargetService   *self,
                                                           ProvTargetSystem    *edited,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
ProvTargetSystem  *prov_target_service_save_target_finish (ProvTargetService   *self,
                                                           GAsyncResult        *result,
                                                           gboolean            *created,
                                                           GError             **error);

/* Removes @targets (ProvTargetSystem of the store) and writes the file at
 * once. Their secrets stay in the keyring until the deletion is committed
 * (prov_target_service_commit_deletion_async(), the next deletion, or the
 * service's end), so it can be undone. Any earlier pending deletion is
 * committed first. On a failed write the targets stay removed and the
 * deletion can still be undone. */
void               prov_target_service_delete_targets_async  (ProvTargetService   *self,
                                                              GPtrArray           *targets,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean           prov_target_service_delete_targets_finish (ProvTargetService   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
gboolean           prov_target_service_can_undo           (ProvTargetService   *self);
/* Puts the pending deletion back, each target where it was (in the store
 * already when this call returns), and writes the file. Returns the first
 * target put back (transfer full), or NULL when there was nothing to undo. */
void               prov_target_service_undo_delete_async  (ProvTargetService   *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
ProvTargetSystem  *prov_target_service_undo_delete_finish (ProvTargetService   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* The pending deletion can no longer be undone: its secrets are wiped.
 * The default GApplication, if any, is held until the keyring is done. */
void               prov_target_service_commit_deletion_async  (ProvTargetService   *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean           prov_target_service_commit_deletion_finish (ProvTargetService   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

/* Test Connection of the saved @target (the store's), on a private copy
 * with its secrets fresh from the keyring — what a run would use. The
 * outcome is recorded on @target (not when cancelled, nor when the target
 * was saved with new values meanwhile). */
void               prov_target_service_test_target_async  (ProvTargetService   *self,
                                                           ProvTargetSystem    *target,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           prov_target_service_test_target_finish (ProvTargetService   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* Test Connection of each of @targets (the store's) at once, each as
 * above. Ends when all did, with what each did, in the order of
 * @targets: NULL for one that connected, else its GError. Never fails as
 * a whole; a cancelled test is G_IO_ERROR_CANCELLED in its place. */
void               prov_target_service_test_targets_async  (ProvTargetService   *self,
                                                            GPtrArray           *targets,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GPtrArray         *prov_target_service_test_targets_finish (ProvTargetService   *self,
                                                            GAsyncResult        *result);

/* A private copy of @target with its secrets, for a run or an editor.
 * Transfer full; nobody else holds it. */
void               prov_target_service_dup_target_with_secrets_async  (ProvTargetService   *self,
                                                                       ProvTargetSystem    *target,
                                                                       GCancellable        *cancellable,
                                                                       GAsyncReadyCallback  callback,
                                                                       gpointer             user_data);
ProvTargetSystem  *prov_target_service_dup_target_with_secrets_finish (ProvTargetService   *self,
                                                                       GAsyncResult        *result,
                                                                       GError             **error);

/* What turning real-time provisioning on for @edited (as about to be
 * saved) pushes at once: the plan of a first run when the stored target
 * has it off and was never provisioned; NULL without an error when nothing
 * needs confirming (it is off, was on already, the target has received
 * users before, or the source has no active user to push). Reads the
 * source. */
void               prov_target_service_plan_real_time_async  (ProvTargetService   *self,
                                                              ProvTargetSystem    *edited,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
ProvPlan          *prov_target_service_plan_real_time_finish (ProvTargetService   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* The source of users */

/* Saves @edited (a copy holding the secrets typed) as the source: keyring
 * first, then source.json; on failure both are as they were. */
void               prov_target_service_save_source_async  (ProvTargetService   *self,
                                                           ProvSource          *edited,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           prov_target_service_save_source_finish (ProvTargetService   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* Test Connection for @edited as typed, or, when NULL, for the saved
 * source with its secrets from the keyring. _finish() returns the sentence
 * to show (see prov_source_test_finish()). */
void               prov_target_service_test_source_async  (ProvTargetService   *self,
                                                           ProvSource          *edited,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char              *prov_target_service_test_source_finish (ProvTargetService   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* A private copy of the saved source with its secrets. */
void               prov_target_service_dup_source_with_secrets_async  (ProvTargetService   *self,
                                                                       GCancellable        *cancellable,
                                                                       GAsyncReadyCallback  callback,
                                                                       gpointer             user_data);
ProvSource        *prov_target_service_dup_source_with_secrets_finish (ProvTargetService   *self,
                                                                       GAsyncResult        *result,
                                                                       GError             **error);

G_END_DECLS
