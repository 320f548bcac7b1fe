/* prov-scim-faults.h — fault injection and rate limits of the embedded SCIM service
 *
 * Private to app/scim-service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-test-server-private.h"

G_BEGIN_DECLS

void prov_scim_fault_free        (Fault *fault);
void prov_scim_rate_limit_free   (RateLimit *limit);
void prov_scim_delayed_free      (Delayed *delayed);
void prov_scim_server_handler_cb (SoupServer        *server,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data);

G_END_DECLS
