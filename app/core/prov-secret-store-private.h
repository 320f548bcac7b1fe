/* prov-secret-store-private.h — what the files of ProvSecretStore share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsecret/secret.h>

#include "prov-secret-store.h"

G_BEGIN_DECLS

/* The "generation" attribute: 1, one item per field (with a "field"
 * attribute); 2, one item per target holding a JSON object. */
#define PROV_SECRET_GENERATION_PER_FIELD "1"
#define PROV_SECRET_GENERATION_PER_TARGET "2"

const SecretSchema *prov_secret_store_get_schema  (void);

/* Every secret of @uuid as a table of field key → value (empty when there
 * is none), in one search of the keyring; items of generation 1 found on
 * the way are moved into one of generation 2 (named @label, or after the
 * old items when NULL). Finish with prov_secret_store_read_values(). */
void                prov_secret_store_read_item   (ProvSecretStore     *self,
                                                   const char          *uuid,
                                                   const char          *label,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* The values prov_secret_store_read_item() found, or NULL after ending
 * @task with its error. */
GHashTable         *prov_secret_store_read_values (GTask               *task,
                                                   GAsyncResult        *result);

G_END_DECLS
