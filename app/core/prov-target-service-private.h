/* prov-target-service-private.h — what the service's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-file-watch.h"
#include "prov-target-service.h"
#include "prov-write-queue.h"

G_BEGIN_DECLS

typedef struct
{
  ProvTargetSystem *target;
  guint             position;
} DeletedTarget;

struct _ProvTargetService
{
  GObject           parent_instance;

  ProvTargetStore  *store;
  ProvSecretStore  *secrets;
  ProvHttpClient   *client;
  ProvSource       *source;
  char             *source_path;
  gboolean          read_source;
  gboolean          skip_migration;  /* loading never asks the keyring */

  GArray           *deleted;   /* DeletedTarget awaiting Undo */
  /* uuid → saves so far: a test result is kept only for the values tested */
  GHashTable       *saves;
  char             *record_path;   /* connection tests kept; NULL: not kept */
  ProvWriteQueue   *record_queue;
  GHashTable       *record_changed; /* uuids whose outcome this process set */
  ProvFileWatch    *record_watch;   /* a window's: outcomes of other processes */
  char             *record_stamp;
};

/* Saves of @target so far (this process): a test result is kept only for
 * the values tested. */
guint    prov_target_service_get_saves          (ProvTargetService   *self,
                                                 ProvTargetSystem    *target);
/* Writes the record of connection tests with @changed's outcome as it is
 * now (and those of the targets changed before in this process), then
 * calls @then (which ends with prov_target_service_record_finish()). */
void     prov_target_service_record_connections (ProvTargetService   *self,
                                                 ProvTargetSystem    *changed,
                                                 GAsyncReadyCallback  then,
                                                 gpointer             user_data);
void     prov_target_service_record_finish      (GAsyncResult        *result);

/* Empties the secret fields: the store's objects never keep them. */
void prov_target_service_forget_secrets (ProvTargetSystem *target);
/* Ends a best-effort rollback of the keyring (its failure is logged). */
void prov_target_service_rollback_cb    (GObject          *object,
                                         GAsyncResult     *result,
                                         gpointer          user_data);
/* Ends the GTask @user_data with its task data (the targets restored, or
 * the copy whose secrets were loaded) once the store has saved or the
 * keyring has loaded, or with their error. */
void prov_target_service_return_data_cb (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data);

G_END_DECLS
