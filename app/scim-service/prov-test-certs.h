/* prov-test-certs.h — keys and certificates generated at run time
 *
 * For the TLS modes of the embedded SCIM service and the tests that talk to
 * it. Nothing here is ever committed: every CA, server and client
 * certificate is minted on the fly with GnuTLS and lives in memory or in a
 * temporary directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PROV_TEST_CERT_DEFAULT = 0,
  /* Valid from two days ago until yesterday. */
  PROV_TEST_CERT_EXPIRED = 1 << 0,
  /* An RSA 2048 key instead of the (much faster to generate) ECDSA P-256. */
  PROV_TEST_CERT_RSA     = 1 << 1,
} ProvTestCertFlags;

/* A key pair and its X.509 certificate. Reference counted; not a GObject. */
typedef struct _ProvTestCert ProvTestCert;

ProvTestCert    *prov_test_cert_ref                    (ProvTestCert       *cert);
void             prov_test_cert_unref                  (ProvTestCert       *cert);

/* A self-signed CA (basicConstraints CA:TRUE, keyCertSign). @subject_dn is
 * an RFC 4514 string such as "CN=Provisioner Test CA,O=Provisioner". */
ProvTestCert    *prov_test_cert_new_ca                 (const char         *subject_dn,
                                                        ProvTestCertFlags   flags,
                                                        GError            **error);

/* A TLS server certificate signed by @issuer, with the given names in its
 * subjectAltName (DNS names and IPv4/IPv6 literals; either may be NULL) and
 * extendedKeyUsage serverAuth. The subject CN is the first name given. */
ProvTestCert    *prov_test_cert_new_server             (ProvTestCert       *issuer,
                                                        const char * const *dns_names,
                                                        const char * const *ip_addresses,
                                                        ProvTestCertFlags   flags,
                                                        GError            **error);

/* A TLS client certificate (extendedKeyUsage clientAuth) whose subject is
 * exactly @subject_dn, parsed as RFC 4514 (escape ',' '+' '\' '"' ...),
 * e.g. "CN=mycert(P000123)". Signed by @issuer, or self-signed when @issuer
 * is NULL (what the app's "Generate" produces). */
ProvTestCert    *prov_test_cert_new_client             (ProvTestCert       *issuer,
                                                        const char         *subject_dn,
                                                        ProvTestCertFlags   flags,
                                                        GError            **error);

/* The same, with a subject of a single CN set verbatim (no RFC 4514
 * parsing), so any common name comes out exact. */
ProvTestCert    *prov_test_cert_new_client_with_cn     (ProvTestCert       *issuer,
                                                        const char         *common_name,
                                                        ProvTestCertFlags   flags,
                                                        GError            **error);

/* PEM texts: "-----BEGIN CERTIFICATE-----" and an unencrypted PKCS#8
 * "-----BEGIN PRIVATE KEY-----". Owned by @cert. */
const char      *prov_test_cert_get_certificate_pem    (ProvTestCert       *cert);
const char      *prov_test_cert_get_private_key_pem    (ProvTestCert       *cert);

/* The subject as RFC 4514 text (e.g. "CN=mycert(P000123)"). Owned by @cert. */
const char      *prov_test_cert_get_subject            (ProvTestCert       *cert);

/* The certificate and its key, loaded by GLib's TLS backend. */
GTlsCertificate *prov_test_cert_to_tls_certificate     (ProvTestCert       *cert,
                                                        GError            **error);

/* Writes the certificate PEM to @cert_path and, when @key_path is not NULL,
 * the private key PEM to @key_path (mode 0600). */
gboolean         prov_test_cert_write_files            (ProvTestCert       *cert,
                                                        const char         *cert_path,
                                                        const char         *key_path,
                                                        GError            **error);

/* A PKCS#12 (DER) bundle of the certificate and its key, as a .p12/.pfx
 * file holds it. With a @password, the key is PBES2-AES-256 encrypted and
 * the bundle carries an HMAC-SHA256; NULL gives an unencrypted key and a
 * MAC over the empty password. */
GBytes          *prov_test_cert_export_pkcs12          (ProvTestCert       *cert,
                                                        const char         *password,
                                                        GError            **error);

/* The private key as an encrypted PKCS#8 PEM ("ENCRYPTED PRIVATE KEY"),
 * which GLib itself cannot load. */
char            *prov_test_cert_export_encrypted_key   (ProvTestCert       *cert,
                                                        const char         *password,
                                                        GError            **error);

/* The subject common name of any certificate GLib handed us (for example
 * the TLS peer), or NULL when it has none. */
char            *prov_test_certs_dup_common_name       (GTlsCertificate    *certificate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProvTestCert, prov_test_cert_unref)

G_END_DECLS
