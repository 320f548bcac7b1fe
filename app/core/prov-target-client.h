/* prov-target-client.h — one user write, as each target type wants it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-auth.h"
#include "prov-plan.h"

G_BEGIN_DECLS

#define PROV_TYPE_TARGET_CLIENT (prov_target_client_get_type ())
G_DECLARE_FINAL_TYPE (ProvTargetClient, prov_target_client, PROV, TARGET_CLIENT, GObject)

ProvTargetClient *prov_target_client_new          (ProvAuth           *auth);

/* Carries out one operation, completely or not at all from the caller's
 * view: a create answered 409 finds the user by userName and updates it; an
 * update of a user the target lost creates it again; deleting a user that
 * is already gone succeeds.
 *
 * On success returns the target's id for the user (may be NULL when the
 * target does not say). On failure @retry_after_seconds is the wait the
 * server asked for, or -1. */
void              prov_target_client_apply_async  (ProvTargetClient   *self,
                                                   const ProvOperation *operation,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
char             *prov_target_client_apply_finish (ProvTargetClient   *self,
                                                   GAsyncResult       *result,
                                                   gint64             *retry_after_seconds,
                                                   GError            **error);

G_END_DECLS
