/* prov-client-certificate.h — client certificates for mutual TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a generated certificate is valid. */
#define PROV_CLIENT_CERTIFICATE_VALID_DAYS 730

/* Creates a key pair and a self-signed certificate whose subject is
 * CN=<common name>(<admin user id>), as Identity Provisioning expects for a
 * technical user. Runs in a worker thread. The key comes back as an
 * unencrypted PKCS#8 PEM: it is only ever kept in the keyring. */
void             prov_client_certificate_generate_async  (const char           *common_name,
                                                          const char           *admin_user_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         prov_client_certificate_generate_finish (GAsyncResult         *result,
                                                          char                **certificate_pem,
                                                          char                **key_pem,
                                                          GError              **error);

/* Accepts a PKCS#12 file, or PEM text holding a certificate and its private
 * key (plain, or encrypted with @password). Errors are
 * PROV_ERROR_CLIENT_CERTIFICATE_INVALID with a sentence for people. */
gboolean         prov_client_certificate_import          (GBytes               *data,
                                                          const char           *password,
                                                          char                **certificate_pem,
                                                          char                **key_pem,
                                                          GError              **error);

/* A certificate file's bytes, read as every file the app reads: a regular
 * file only, at most 1 MiB (a PEM chain with its key or a PKCS#12 file is
 * a few KiB), refused before any byte is read otherwise. The async form
 * reads on a worker thread. Errors are sentences naming the file. */
GBytes          *prov_client_certificate_read_file       (const char           *path,
                                                          GError              **error);
void             prov_client_certificate_read_file_async (GFile                *file,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GBytes          *prov_client_certificate_read_file_finish (GAsyncResult        *result,
                                                           GError             **error);

/* A GTlsCertificate to present, from the stored PEM pair. */
GTlsCertificate *prov_client_certificate_load            (const char           *certificate_pem,
                                                          const char           *key_pem,
                                                          GError              **error);

/* The subject of a certificate and its expiry, for people; NULL if the
 * text holds no certificate. */
char            *prov_client_certificate_describe        (const char           *certificate_pem);

G_END_DECLS
