/* prov-scim-routes.h — the endpoints of the embedded SCIM service
 *
 * Private to app/scim-service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-test-server-private.h"

G_BEGIN_DECLS

void prov_scim_dispatch (ProvTestServer    *self,
                         SoupServerMessage *msg,
                         const char        *path);

G_END_DECLS
