/* prov-target-service-import.h — new targets made from others: exported
 * ones (without secrets) and duplicates
 *
 * Part of ProvTargetService (prov-target-service.c); kept in a file of its
 * own so these stay beside, not inside, the save transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-service.h"

G_BEGIN_DECLS

/* Adds @targets (new ProvTargetSystem objects, uuids the store does not
 * have, else PROV_ERROR_EXISTS) with every secret empty — an export never
 * holds one. Every visible field but the secrets must be valid, names
 * unique among the store and the imported ones (else
 * PROV_ERROR_INVALID_FIELD "Title: reason" and nothing is added). Writes the file once; on failure the store is as it was. The
 * keyring is not touched: each target's secret is set by a later save. */
void     prov_target_service_import_targets_async  (ProvTargetService   *self,
                                                    GPtrArray           *targets,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean prov_target_service_import_targets_finish (ProvTargetService   *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* A new, unsaved target with every value and secret of @target (the
 * secrets read from the keyring), a uuid of its own and the first free name
 * of "Name (copy)", "Name (copy 2)", …: for an editor, which saves it with
 * prov_target_service_save_target_async(). Keyring errors as
 * prov_target_service_dup_target_with_secrets_async(). */
void              prov_target_service_duplicate_target_async  (ProvTargetService   *self,
                                                               ProvTargetSystem    *target,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
ProvTargetSystem *prov_target_service_duplicate_target_finish (ProvTargetService   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
