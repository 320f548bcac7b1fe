/* prov-connection-test.h — does this target system let us in?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-http-client.h"
#include "prov-target-system.h"

G_BEGIN_DECLS

/* Proves over the network that the endpoint and credentials of @target
 * (with its secrets loaded) work: for SAP Jam a token and a read of Users
 * under <URL>/api/v1/scim; for Identity Provisioning an authenticated GET
 * of the SCIM URL. Errors are PROV_ERROR_* sentences for people. */
void         prov_connection_test_async        (ProvHttpClient      *client,
                                                ProvTargetSystem    *target,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     prov_connection_test_finish       (GAsyncResult        *result,
                                                GError             **error);

/* The sentence SAP's console shows on success. */
const char  *prov_connection_test_success_message (void);

G_END_DECLS
