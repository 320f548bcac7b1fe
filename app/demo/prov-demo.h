/* prov-demo.h — try Provisioner without an SAP tenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-service.h"

G_BEGIN_DECLS

/* The demo target keeps one identity, so its secret in the keyring is
 * replaced, never piled up, from one demo to the next. */
#define PROV_DEMO_TARGET_UUID "5b1e7a52-3c0d-4f1e-9a47-6d2c8e0f4b13"

#define PROV_TYPE_DEMO (prov_demo_get_type ())
G_DECLARE_FINAL_TYPE (ProvDemo, prov_demo, PROV, DEMO, GObject)

/* Starts an in-process SCIM 2.0 service on 127.0.0.1 that behaves like SAP
 * Jam (the embedded SCIM service of app/scim-service), makes the demo CSV
 * of 500 users the source, and adds (or updates) one demo target with its
 * secret in the keyring, all through @service. Keep
 * the ProvDemo alive as long as the service should answer. */
void      prov_demo_start_async  (ProvTargetService   *service,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
ProvDemo *prov_demo_start_finish (GAsyncResult        *result,
                                  GError             **error);

const char *prov_demo_get_base_url (ProvDemo *self);

/* The demo users file: installed, or beside the sources when run from the
 * build tree. */
char     *prov_demo_dup_users_path (void);

G_END_DECLS
