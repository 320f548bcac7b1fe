/* prov-scim-auth.h — authentication of the embedded SCIM service
 *
 * Private to app/scim-service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-test-server-private.h"

G_BEGIN_DECLS

const char *prov_scim_get_peer_common_name  (SoupServerMessage *msg);
gboolean    prov_scim_accept_certificate_cb (SoupServerMessage    *msg,
                                             GTlsCertificate      *cert,
                                             GTlsCertificateFlags  errors,
                                             gpointer              user_data);
gboolean    prov_scim_authenticate          (ProvTestServer    *self,
                                             SoupServerMessage *msg,
                                             AuthMethods        methods,
                                             const char        *realm);
void        prov_scim_handle_token          (ProvTestServer    *self,
                                             SoupServerMessage *msg);
gboolean    prov_scim_write_client_trust    (ProvTestServer  *self,
                                             GError         **error);
gboolean    prov_scim_make_certificates     (ProvTestServer   *self,
                                             GTlsCertificate **server_tls_cert,
                                             GError          **error);

G_END_DECLS
