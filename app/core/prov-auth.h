/* prov-auth.h — authenticated requests to one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-http-client.h"
#include "prov-rate-limiter.h"
#include "prov-target-system.h"

G_BEGIN_DECLS

#define PROV_TYPE_AUTH (prov_auth_get_type ())
G_DECLARE_FINAL_TYPE (ProvAuth, prov_auth, PROV, AUTH, GObject)

/* @target must carry its secrets: a private copy from the target service.
 * It is kept, not copied, so a run holds one copy of a secret; nobody may
 * change it while the auth is in use. */
ProvAuth     *prov_auth_new          (ProvHttpClient      *client,
                                      ProvTargetSystem    *target);
ProvTargetSystem *prov_auth_get_target (ProvAuth          *self);

/* Every request then waits for a slot of @limiter (NULL: none). */
void          prov_auth_set_rate_limiter (ProvAuth        *self,
                                          ProvRateLimiter *limiter);

/* Sends one request with the target's credentials: Basic, a client
 * certificate, or an OAuth bearer token (fetched with client credentials,
 * cached, and fetched again once if the API answers 401).
 *
 * Failing to authenticate at all (token refused, certificate unusable) or
 * to connect is an error; any HTTP answer of the API itself is returned
 * with its message for the caller to judge (prov_http_check_status()). */
void          prov_auth_send_async   (ProvAuth            *self,
                                      const char          *method,
                                      const char          *uri,
                                      GBytes              *body,
                                      const char          *content_type,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
SoupMessage  *prov_auth_send_finish  (ProvAuth            *self,
                                      GAsyncResult        *result,
                                      GBytes             **body,
                                      GError             **error);

G_END_DECLS
