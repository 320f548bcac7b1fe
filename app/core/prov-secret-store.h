/* prov-secret-store.h — every secret, in the system keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

#define PROV_TYPE_SECRET_STORE (prov_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (ProvSecretStore, prov_secret_store, PROV, SECRET_STORE, GObject)

ProvSecretStore *prov_secret_store_new                 (void);

/* The keyring holds one item per target (its uuid): all its secret fields,
 * written in one call. Items of the earlier format (one per field) are
 * moved into it whenever the target's secrets are read, and nothing of
 * them is lost. Errors are PROV_ERROR_KEYRING_* with a sentence for
 * people. */

/* Replaces the target's item with every visible secret field of @target
 * (so hidden ones are gone), in one write. */
void             prov_secret_store_save_target_async   (ProvSecretStore     *self,
                                                        ProvTargetSystem    *target,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         prov_secret_store_save_target_finish  (ProvSecretStore     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Fills every visible secret field of @target from the keyring. */
void             prov_secret_store_load_target_async   (ProvSecretStore     *self,
                                                        ProvTargetSystem    *target,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         prov_secret_store_load_target_finish  (ProvSecretStore     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Removes every secret of the target @uuid, in either format. */
void             prov_secret_store_clear_target_async  (ProvSecretStore     *self,
                                                        const char          *uuid,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         prov_secret_store_clear_target_finish (ProvSecretStore     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Moves every item of the per-field format into its target's one item. */
void             prov_secret_store_migrate_async       (ProvSecretStore     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         prov_secret_store_migrate_finish      (ProvSecretStore     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Turns a libsecret/D-Bus error into a PROV_ERROR_KEYRING_* one; after a
 * failed write (@saving) its sentence adds that nothing was saved. */
GError          *prov_secret_store_translate_error     (const GError        *error,
                                                        gboolean             saving);

G_END_DECLS
